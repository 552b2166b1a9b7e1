//! Controlled vocabularies (reference §2.17: MDR floor, IMSMA NG practical superset), in
//! [`land`] (hazards, activities, ordnance), [`people`] (accidents, victims, risk education)
//! and [`org`] (organisations, teams, QA).
//!
//! Every vocabulary is an enum with a stable snake_case `code()` (what is stored and exchanged),
//! an English `label()`, `ALL` in display order, and `FromStr` accepting the code, the label and
//! common synonyms, case-insensitively.

/// Error of parsing a vocabulary value: names the vocabulary and the accepted codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a known {vocabulary}; expected one of: {accepted}")]
pub struct UnknownValue {
    /// The vocabulary ("hazard class").
    pub vocabulary: &'static str,
    /// The text that did not match.
    pub value: String,
    /// The accepted codes, comma separated.
    pub accepted: String,
}

pub(crate) fn normalise(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' || c == '/' {
                '_'
            } else {
                c
            }
        })
        .collect()
}

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $vocab:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal, $label:literal $(, [$($syn:literal),*])? ; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )*
        }

        /// Reads the code, the label or a known synonym, in any case (as `FromStr`), so field
        /// data and legacy exports need no exact codes; it is always written as the code.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// Stable code, as stored and exchanged.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)* }
            }

            /// English label.
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label,)* }
            }
        }

        #[cfg(test)]
        impl $name {
            /// Every spelling `FromStr` accepts for `self`, normalised.
            pub(crate) fn spellings(self) -> Vec<String> {
                match self {
                    $(Self::$variant => {
                        #[allow(unused_mut)]
                        let mut v = vec![$code.to_owned(), $crate::vocab::normalise($label)];
                        $($(v.push($crate::vocab::normalise($syn));)*)?
                        v
                    })*
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::vocab::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let n = $crate::vocab::normalise(s);
                $(
                    if n == $code || n == $crate::vocab::normalise($label) $($(|| n == $crate::vocab::normalise($syn))*)? {
                        return Ok(Self::$variant);
                    }
                )*
                Err($crate::vocab::UnknownValue {
                    vocabulary: $vocab,
                    value: s.to_owned(),
                    accepted: [$($code),*].join(", "),
                })
            }
        }
    };
}

pub(crate) use vocabulary;

mod fields;
mod land;
mod org;
mod people;

pub use fields::{CodeLists, FIELD_VOCABULARIES, field_vocabulary, vocabulary_codes};
pub use land::*;
pub use org::*;
pub use people::*;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::fmt::Debug;
    use std::str::FromStr;

    /// Every vocabulary: its codes round-trip through `FromStr`, serde and `Display`, and no
    /// spelling is accepted for two values.
    fn check<T>(all: &[T])
    where
        T: Copy + Debug + PartialEq + FromStr + std::fmt::Display + serde::Serialize,
        T::Err: Debug,
        T: VocabTest,
    {
        let mut seen: HashMap<String, T> = HashMap::new();
        for v in all {
            assert_eq!(v.code().parse::<T>().ok(), Some(*v), "{v:?}");
            assert_eq!(v.code().to_uppercase().parse::<T>().ok(), Some(*v), "{v:?}");
            assert_eq!(v.label().parse::<T>().ok(), Some(*v), "{v:?}");
            assert_eq!(v.to_string(), v.code());
            assert_eq!(
                serde_json::to_string(v).ok(),
                Some(format!("\"{}\"", v.code()))
            );
            assert!(!v.label().is_empty());
            for s in v.spellings() {
                if let Some(other) = seen.insert(s.clone(), *v) {
                    assert_eq!(other, *v, "`{s}` is accepted for {other:?} and {v:?}");
                }
            }
        }
    }

    trait VocabTest {
        fn code(self) -> &'static str;
        fn label(self) -> &'static str;
        fn spellings(self) -> Vec<String>;
    }

    macro_rules! all_vocabularies {
        ($($t:ty),*) => {
            $(impl VocabTest for $t {
                fn code(self) -> &'static str { <$t>::code(self) }
                fn label(self) -> &'static str { <$t>::label(self) }
                fn spellings(self) -> Vec<String> { <$t>::spellings(self) }
            })*
            #[test]
            fn every_vocabulary_is_consistent() {
                $(check(<$t>::ALL);)*
            }
        };
    }

    all_vocabularies!(
        HazardClass,
        HazardStatus,
        ContaminationType,
        EvidenceType,
        ActivityType,
        ActivityStatus,
        ReleaseMethod,
        AssetType,
        OrdnanceCategory,
        ItemCondition,
        DisposalMethod,
        Sex,
        CasualtyOutcome,
        AccidentType,
        AgeBand,
        AssistanceType,
        AudienceReach,
        EducationMethod,
        ActivityAtTimeOfAccident,
        OrganisationKind,
        TeamKind,
        QaType,
        NonConformityCategory,
        crate::ItemKind
    );

    #[test]
    fn codes_labels_and_synonyms_parse() {
        assert_eq!("SHA".parse::<HazardClass>(), Ok(HazardClass::Sha));
        assert_eq!(" cha ".parse::<HazardClass>(), Ok(HazardClass::Cha));
        assert_eq!(
            "Suspected Hazardous Area".parse::<HazardClass>(),
            Ok(HazardClass::Sha)
        );
        assert_eq!(
            "Ammunition storage / Stockpile".parse::<HazardClass>(),
            Ok(HazardClass::AmmunitionStorage)
        );
        assert_eq!(
            "worked on".parse::<HazardStatus>(),
            Ok(HazardStatus::WorkedOn)
        );
        assert_eq!("Active".parse::<HazardStatus>(), Ok(HazardStatus::Open));
        assert_eq!("MDD".parse::<AssetType>(), Ok(AssetType::MineDetectionDog));
        assert_eq!(
            "Non-technical survey".parse::<ActivityType>(),
            Ok(ActivityType::Nts)
        );
        assert_eq!(
            "Handover certificate".parse::<ActivityType>(),
            Ok(ActivityType::Handover)
        );
        assert_eq!(
            "CMR".parse::<ContaminationType>(),
            Ok(ContaminationType::Cmr)
        );
        assert_eq!(
            "cluster".parse::<OrdnanceCategory>(),
            Ok(OrdnanceCategory::Submunition)
        );
        assert_eq!("F".parse::<Sex>(), Ok(Sex::Female));
        assert_eq!("18+".parse::<AgeBand>(), Ok(AgeBand::Adult));
        assert_eq!(
            "historic records".parse::<EvidenceType>(),
            Ok(EvidenceType::FormerRecords)
        );
        assert_eq!(
            "local information".parse::<EvidenceType>(),
            Ok(EvidenceType::VerbalInformation)
        );
        assert_eq!(
            "removed".parse::<DisposalMethod>(),
            Ok(DisposalMethod::MovedAndDestroyed)
        );
    }

    #[test]
    fn unknown_value_names_the_vocabulary_and_the_accepted_codes() {
        let err = "minefield".parse::<HazardClass>().expect_err("unknown");
        assert_eq!(err.vocabulary, "hazard class");
        assert_eq!(err.value, "minefield");
        assert_eq!(
            err.to_string(),
            "`minefield` is not a known hazard class; expected one of: \
             indication, sha, cha, ammunition_storage, eod_spot_task"
        );
        let err = "".parse::<Sex>().expect_err("empty");
        assert!(err.to_string().contains("female, male, unknown"), "{err}");
    }

    #[test]
    fn serde_refuses_labels_and_unknown_codes() {
        assert_eq!(
            serde_json::from_str::<HazardClass>("\"sha\"").ok(),
            Some(HazardClass::Sha)
        );
        assert!(serde_json::from_str::<HazardClass>("\"minefield\"").is_err());
    }

    #[test]
    fn age_bands() {
        assert!(AgeBand::Child5To12.is_child());
        assert!(!AgeBand::Adult.is_child());
        assert!(AgeBand::Child0To9.overlaps(AgeBand::Child5To12));
        assert!(!AgeBand::Child0To9.overlaps(AgeBand::Child10To17));
        assert!(AgeBand::Adult.overlaps(AgeBand::Adult60Plus));
        for scheme in [
            AgeBand::HUMANITARIAN,
            AgeBand::CHILD_ADULT,
            AgeBand::UNMAS_SYRIA,
            AgeBand::NMAC_SRI_LANKA,
        ] {
            for (i, a) in scheme.iter().enumerate() {
                for b in &scheme[i + 1..] {
                    assert!(!a.overlaps(*b), "{a:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn derived_helpers() {
        assert!(EvidenceType::PresenceOfEo.is_direct());
        assert!(!EvidenceType::Craters.is_direct());
        assert!(HazardStatus::HandedOver.is_closed());
        assert!(!HazardStatus::WorkedOn.is_closed());
        assert_eq!(
            AccidentType::from_device(Some(OrdnanceCategory::Submunition), false),
            AccidentType::Cluster
        );
        assert_eq!(
            AccidentType::from_device(Some(OrdnanceCategory::ApMine), true),
            AccidentType::Demining
        );
    }
}
