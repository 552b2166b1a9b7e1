//! Controlled vocabularies (reference §2.17: MDR floor, IMSMA NG practical superset).
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
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )*
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

vocabulary! {
    /// Hazard class (§2.3, §2.17).
    HazardClass, "hazard class" {
        Indication => "indication", "Indication", ["ind"];
        /// Suspected hazardous area.
        Sha => "sha", "Suspected hazardous area", ["suspected"];
        /// Confirmed hazardous area.
        Cha => "cha", "Confirmed hazardous area", ["confirmed", "dha", "defined hazardous area"];
        AmmunitionStorage => "ammunition_storage", "Ammunition storage", ["stockpile", "ammunition storage/stockpile"];
        EodSpotTask => "eod_spot_task", "EOD spot task", ["eod", "spot task"];
    }
}

vocabulary! {
    /// Hazard status (§2.15): NG states plus the MDR's "handed over".
    HazardStatus, "hazard status" {
        Open => "open", "Open", ["active"];
        WorkedOn => "worked_on", "Worked on", ["in_progress", "workedon"];
        Closed => "closed", "Closed", [];
        HandedOver => "handed_over", "Handed over", ["handover"];
    }
}

vocabulary! {
    /// What contaminates a hazard (§2.3).
    ContaminationType, "contamination type" {
        ApMines => "ap_mines", "Anti-personnel mines", ["ap", "apm", "ap_mine"];
        AtMines => "at_mines", "Anti-vehicle mines", ["at", "atm", "av_mines", "at_mine"];
        Cmr => "cmr", "Cluster munition remnants", ["cluster", "submunitions"];
        Uxo => "uxo", "Unexploded ordnance", [];
        Axo => "axo", "Abandoned explosive ordnance", [];
        Ied => "ied", "Improvised explosive devices", ["ieds"];
        Mixed => "mixed", "Mixed", [];
    }
}

vocabulary! {
    /// Evidence of contamination recorded for a hazard (§2.17, GICHD/Syria form).
    EvidenceType, "evidence type" {
        PresenceOfEo => "presence_of_eo", "Presence of EO", ["visible_eo", "eo"];
        Marking => "marking", "Marking", [];
        ScrapMetal => "scrap_metal", "Scrap metal", [];
        Craters => "craters", "Craters", [];
        DamagedInfrastructure => "damaged_infrastructure", "Damaged infrastructure", [];
        UnusedProductiveLand => "unused_productive_land", "Unused productive land", [];
        ReportedDetonation => "reported_detonation", "Reported detonation", ["accident"];
        VerbalInformation => "verbal_information", "Verbal information", ["local_information"];
        FormerRecords => "former_records", "Former records", ["historic_records"];
        Other => "other", "Other", [];
    }
}

vocabulary! {
    /// Activity type (§2.4, §2.17).
    ActivityType, "activity type" {
        Nts => "nts", "Non-technical survey", [];
        Ts => "ts", "Technical survey", [];
        Clearance => "clearance", "Clearance", [];
        /// Battle area clearance.
        Bac => "bac", "Battle area clearance", [];
        EodSpotTask => "eod_spot_task", "EOD spot task", ["eod"];
        Progress => "progress", "Progress report", ["progress_report"];
        Completion => "completion", "Completion report", ["completion_report"];
        Cancellation => "cancellation", "Cancellation report", ["cancellation_report"];
        Handover => "handover", "Handover certificate", ["handover_certificate"];
    }
}

vocabulary! {
    /// Activity status (§2.15).
    ActivityStatus, "activity status" {
        Planned => "planned", "Planned", [];
        Ongoing => "ongoing", "Ongoing", ["in_progress"];
        Completed => "completed", "Completed", ["complete"];
        Suspended => "suspended", "Suspended", [];
        Aborted => "aborted", "Aborted", ["cancelled"];
    }
}

vocabulary! {
    /// Land release method (§2.16, IMAS 07.11).
    ReleaseMethod, "release method" {
        Cancelled => "cancelled", "Cancelled", ["cancel", "nts"];
        Reduced => "reduced", "Reduced", ["reduce", "ts"];
        Cleared => "cleared", "Cleared", ["clear"];
    }
}

vocabulary! {
    /// Demining asset type (§2.11).
    AssetType, "asset type" {
        Manual => "manual", "Manual team", ["manual_team"];
        MineDetectionDog => "mine_detection_dog", "Mine detection dog", ["mdd", "dog"];
        MineDetectionRat => "mine_detection_rat", "Mine detection rat", ["mdr", "rat"];
        Machine => "machine", "Machine", ["mechanical"];
    }
}

vocabulary! {
    /// Category of an explosive ordnance item (§2.5).
    OrdnanceCategory, "ordnance category" {
        ApMine => "ap_mine", "Anti-personnel mine", ["ap", "apm"];
        AtMine => "at_mine", "Anti-vehicle mine", ["at", "atm", "av_mine"];
        Submunition => "submunition", "Submunition (CMR)", ["cmr", "cluster"];
        Uxo => "uxo", "Unexploded ordnance", [];
        Axo => "axo", "Abandoned explosive ordnance", [];
        Ied => "ied", "Improvised explosive device", [];
        Other => "other", "Other", [];
    }
}

vocabulary! {
    /// Condition of an EO item when found (§2.5).
    ItemCondition, "item condition" {
        Armed => "armed", "Armed", [];
        Unarmed => "unarmed", "Unarmed", [];
        Damaged => "damaged", "Damaged", [];
        Unknown => "unknown", "Unknown", [];
    }
}

vocabulary! {
    /// How an EO item was disposed of (§2.5).
    DisposalMethod, "disposal method" {
        DestroyedInSitu => "destroyed_in_situ", "Destroyed in situ", ["in_situ"];
        MovedAndDestroyed => "moved_and_destroyed", "Moved and destroyed", [];
        RenderedSafe => "rendered_safe", "Rendered safe", [];
        HandedOver => "handed_over", "Handed over (police, army)", [];
        NotDisposed => "not_disposed", "Not yet disposed", [];
    }
}

vocabulary! {
    /// Sex (§2.7, §2.17; "unknown" is needed for casualties).
    Sex, "sex" {
        Female => "female", "Female", ["f"];
        Male => "male", "Male", ["m"];
        Unknown => "unknown", "Unknown", ["u"];
    }
}

vocabulary! {
    /// Killed or injured at the accident (§2.7).
    CasualtyOutcome, "casualty outcome" {
        Killed => "killed", "Killed", [];
        Injured => "injured", "Injured", [];
    }
}

vocabulary! {
    /// Age band of risk-education beneficiaries (§2.9: sex- and age-disaggregated data).
    AgeBand, "age band" {
        Child0To4 => "age_0_4", "0–4", [];
        Child5To11 => "age_5_11", "5–11", [];
        Child12To17 => "age_12_17", "12–17", [];
        Adult18To59 => "age_18_59", "18–59", ["adult"];
        Adult60Plus => "age_60_plus", "60+", ["elderly"];
    }
}

vocabulary! {
    /// Whether beneficiaries were reached directly or indirectly (§2.9; never summed).
    AudienceReach, "audience reach" {
        Direct => "direct", "Direct", [];
        Indirect => "indirect", "Indirect", [];
    }
}

vocabulary! {
    /// Risk education method (§2.17 education type).
    EducationMethod, "education method" {
        Presentation => "presentation", "Presentation", [];
        CommunityLiaison => "community_liaison", "Community liaison", [];
        Media => "media", "Media", [];
        PublicPerformance => "public_performance", "Public performance", [];
        Training => "training", "Training", [];
    }
}

vocabulary! {
    /// Quality assurance or quality control visit (§2.10).
    QaType, "QA type" {
        Qa => "qa", "Quality assurance", [];
        Qc => "qc", "Quality control", [];
    }
}

vocabulary! {
    /// Severity of a non-conformity (§2.10).
    NonConformityCategory, "non-conformity category" {
        Minor => "minor", "Minor", [];
        Major => "major", "Major", [];
        Critical => "critical", "Critical", [];
    }
}

vocabulary! {
    /// What the victim was doing at the time of the accident (§2.7).
    ActivityAtTimeOfAccident, "activity at time of accident" {
        Demining => "demining", "Demining", [];
        Farming => "farming", "Farming", [];
        Herding => "herding", "Herding", [];
        CollectingWoodOrFood => "collecting_wood_or_food", "Collecting wood or food", ["collecting"];
        Travelling => "travelling", "Travelling", ["traveling"];
        Tampering => "tampering", "Tampering", [];
        Playing => "playing", "Playing", [];
        ScrapMetalCollection => "scrap_metal_collection", "Scrap metal collection", [];
        Other => "other", "Other", [];
        Unknown => "unknown", "Unknown", [];
    }
}

vocabulary! {
    /// Kind of organisation (§2.11).
    OrganisationKind, "organisation kind" {
        NationalAuthority => "national_authority", "National authority", ["nma", "nmaa"];
        Operator => "operator", "Operator", [];
        Donor => "donor", "Donor", [];
        Government => "government", "Government", [];
        Other => "other", "Other", [];
    }
}

vocabulary! {
    /// Kind of team (§2.11).
    TeamKind, "team kind" {
        Manual => "manual", "Manual demining team", [];
        MineDetectionDog => "mine_detection_dog", "Mine detection dog team", ["mdd"];
        MineDetectionRat => "mine_detection_rat", "Mine detection rat team", ["mdr"];
        Mechanical => "mechanical", "Mechanical team", ["machine"];
        Survey => "survey", "Survey team", ["nts"];
        Eod => "eod", "EOD team", [];
        RiskEducation => "risk_education", "Risk education team", ["eore"];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_labels_and_synonyms_parse() {
        assert_eq!("SHA".parse::<HazardClass>(), Ok(HazardClass::Sha));
        assert_eq!(
            "Suspected hazardous area".parse::<HazardClass>(),
            Ok(HazardClass::Sha)
        );
        assert_eq!(
            "worked on".parse::<HazardStatus>(),
            Ok(HazardStatus::WorkedOn)
        );
        assert_eq!("MDD".parse::<AssetType>(), Ok(AssetType::MineDetectionDog));
        for c in HazardClass::ALL {
            assert_eq!(c.code().parse::<HazardClass>(), Ok(*c));
        }
    }

    #[test]
    fn unknown_value_names_the_accepted_codes() {
        let err = "minefield".parse::<HazardClass>().expect_err("unknown");
        let text = err.to_string();
        assert!(text.contains("hazard class"), "{text}");
        assert!(text.contains("sha, cha"), "{text}");
    }

    #[test]
    fn serde_uses_the_code() {
        assert_eq!(
            serde_json::to_string(&AgeBand::Adult60Plus).ok().as_deref(),
            Some("\"age_60_plus\"")
        );
    }
}
