//! The sharing policy: which item kinds a node shares, how precisely, and the small-number
//! rule; read from TOML (see `policy.example.toml`, [`EXAMPLE_TOML`]) with a safe default.

mod deidentify;

use std::collections::BTreeMap;

use safeground_io::quasi::SUPPRESS_BELOW;
use safeground_model::ItemKind;
use serde::{Deserialize, Serialize};

use crate::FederationError;

pub use deidentify::{VictimGroups, has_coordinates};

/// The documented example policy, which is also [`Policy::default`].
pub const EXAMPLE_TOML: &str = include_str!("../../policy.example.toml");

/// Metres in a degree of latitude (a degree of longitude is this or less).
pub const METRES_PER_DEGREE: f64 = 111_320.0;

/// Most decimal places of a coordinate (7 ≈ 1 cm).
pub const MAX_PRECISION: u8 = 7;

/// Most decimal places of an accident's location: the 0.01° grid that victims' accidents are
/// generalised to everywhere (`safeground_io::quasi`).
pub const ACCIDENT_PRECISION: u8 = 2;

/// Decimal places when a kind's policy gives none.
const DEFAULT_PRECISION: u8 = 5;

/// Kinds whose free text is never shared: it is about people.
const NO_FREE_TEXT: [ItemKind; 3] = [ItemKind::Accident, ItemKind::Victim, ItemKind::Assistance];

/// A node's sharing policy.
///
/// ```
/// use safeground_federation::Policy;
/// use safeground_model::ItemKind;
///
/// let policy = Policy::from_toml("[kinds.hazard]\nprecision = 4\n")?;
/// assert!(policy.shares(ItemKind::Hazard) && !policy.shares(ItemKind::Victim));
/// assert_eq!(policy.precision(ItemKind::Hazard), 4);
///
/// let e = Policy::from_toml("[kinds.accident]\nprecision = 5\n").unwrap_err();
/// assert!(e.to_string().contains("`kinds.accident.precision`"));
/// # Ok::<(), safeground_federation::FederationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The small-number rule.
    #[serde(default)]
    pub suppression: Suppression,
    /// The kinds shared, each with its rules; a kind not here is not shared.
    #[serde(default)]
    pub kinds: BTreeMap<ItemKind, KindPolicy>,
    /// The file name of the policy file it was read from; none for the default policy. Not
    /// part of the TOML: whoever reads the file sets it.
    #[serde(skip)]
    pub file: Option<String>,
}

/// Small-number suppression of casualty details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// Groups of fewer victims (or services to fewer persons) lose their sex and age band.
    pub threshold: u32,
}

impl Default for Suppression {
    fn default() -> Self {
        Suppression {
            threshold: SUPPRESS_BELOW as u32,
        }
    }
}

/// How one item kind is shared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindPolicy {
    /// Decimal places of coordinates; none: 5 (2 for accidents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<u8>,
    /// Whether comments and descriptions are shared.
    #[serde(default)]
    pub free_text: bool,
}

impl Default for Policy {
    /// Organisations, admin areas, hazards and activities (1 m), EO finds (10 m), accidents
    /// (0.01°), victims (generalised) and risk education (100 m); no free text; threshold 5.
    fn default() -> Self {
        let kind = |k, precision| {
            (
                k,
                KindPolicy {
                    precision,
                    free_text: false,
                },
            )
        };
        Policy {
            suppression: Suppression::default(),
            kinds: BTreeMap::from([
                kind(ItemKind::Organisation, None),
                kind(ItemKind::AdminArea, Some(5)),
                kind(ItemKind::Hazard, Some(5)),
                kind(ItemKind::Activity, Some(5)),
                kind(ItemKind::EoFind, Some(4)),
                kind(ItemKind::Accident, Some(ACCIDENT_PRECISION)),
                kind(ItemKind::Victim, None),
                kind(ItemKind::RiskEducation, Some(3)),
            ]),
            file: None,
        }
    }
}

impl Policy {
    /// Reads and checks a policy; an error names the key (or line) at fault.
    pub fn from_toml(text: &str) -> Result<Self, FederationError> {
        let policy: Policy = toml::from_str(text).map_err(|e| FederationError::PolicyToml {
            reason: e.to_string(),
        })?;
        policy.check()?;
        Ok(policy)
    }

    /// The policy as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Checks the rules a file could break: precision, free text of people, threshold.
    pub fn check(&self) -> Result<(), FederationError> {
        let err = |key: String, reason: String| Err(FederationError::Policy { key, reason });
        let t = self.suppression.threshold;
        if t < SUPPRESS_BELOW as u32 {
            return err(
                "suppression.threshold".into(),
                format!(
                    "{t} is below {SUPPRESS_BELOW}, the published figures' threshold: a hub \
                     may not see smaller groups than the public"
                ),
            );
        }
        for (kind, k) in &self.kinds {
            let cap = if *kind == ItemKind::Accident {
                ACCIDENT_PRECISION
            } else {
                MAX_PRECISION
            };
            if let Some(p) = k.precision
                && p > cap
            {
                return err(
                    format!("kinds.{kind}.precision"),
                    format!("{p} decimal places; at most {cap} for {}", kind.label()),
                );
            }
            if k.free_text && NO_FREE_TEXT.contains(kind) {
                return err(
                    format!("kinds.{kind}.free_text"),
                    format!(
                        "the free text of a {} may name people and is never shared; remove \
                         the line",
                        kind.label().to_lowercase()
                    ),
                );
            }
        }
        Ok(())
    }

    /// Whether records of `kind` are shared.
    pub fn shares(&self, kind: ItemKind) -> bool {
        self.kinds.contains_key(&kind)
    }

    /// Decimal places of `kind`'s coordinates.
    pub fn precision(&self, kind: ItemKind) -> u8 {
        let cap = if kind == ItemKind::Accident {
            ACCIDENT_PRECISION
        } else {
            MAX_PRECISION
        };
        self.kinds
            .get(&kind)
            .and_then(|k| k.precision)
            .unwrap_or(DEFAULT_PRECISION)
            .min(cap)
    }

    /// The approximate size in metres of the grid that `kind`'s coordinates are rounded to
    /// (5 decimal places ≈ 1.1 m, 2 ≈ 1.1 km), at most: a degree of longitude shrinks away
    /// from the equator.
    pub fn precision_m(&self, kind: ItemKind) -> f64 {
        METRES_PER_DEGREE / 10f64.powi(i32::from(self.precision(kind)))
    }

    /// Whether `kind`'s comments and descriptions are shared.
    pub fn free_text(&self, kind: ItemKind) -> bool {
        !NO_FREE_TEXT.contains(&kind) && self.kinds.get(&kind).is_some_and(|k| k.free_text)
    }

    /// The terms `kind` is shared under, in one line (none when not shared): what changes the
    /// records the hub holds of it. A node re-sends a kind whose terms changed
    /// (`FederationStore::align_policy`).
    ///
    /// ```
    /// use safeground_federation::Policy;
    /// use safeground_model::ItemKind;
    ///
    /// let p = Policy::default();
    /// assert_eq!(p.terms(ItemKind::EoFind).as_deref(), Some("precision=4 free_text=false"));
    /// assert_eq!(
    ///     p.terms(ItemKind::Victim).as_deref(),
    ///     Some("precision=5 free_text=false threshold=5")
    /// );
    /// assert_eq!(p.terms(ItemKind::Team), None);
    /// ```
    pub fn terms(&self, kind: ItemKind) -> Option<String> {
        if !self.shares(kind) {
            return None;
        }
        let mut t = format!(
            "precision={} free_text={}",
            self.precision(kind),
            self.free_text(kind)
        );
        if matches!(kind, ItemKind::Victim | ItemKind::Assistance) {
            t.push_str(&format!(" threshold={}", self.suppression.threshold));
        }
        Some(t)
    }

    /// The terms of every kind shared.
    pub fn all_terms(&self) -> BTreeMap<ItemKind, String> {
        ItemKind::ALL
            .iter()
            .filter_map(|&k| Some((k, self.terms(k)?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_is_the_default() {
        let example = Policy::from_toml(EXAMPLE_TOML).expect("example");
        assert_eq!(example, Policy::default());
        let back = Policy::from_toml(&Policy::default().to_toml()).expect("round trip");
        assert_eq!(back, Policy::default());
    }

    #[test]
    fn the_default_is_safe() {
        let p = Policy::default();
        for kind in [ItemKind::Team, ItemKind::QaVisit, ItemKind::Assistance] {
            assert!(!p.shares(kind), "{kind}");
        }
        assert!(p.kinds.values().all(|k| !k.free_text));
        assert_eq!(p.precision(ItemKind::Accident), 2);
        assert_eq!(p.precision(ItemKind::Victim), 5);
        assert_eq!(p.suppression.threshold, 5);
        assert_eq!(Policy::from_toml("").expect("empty").kinds.len(), 0);
    }

    #[test]
    fn errors_name_the_key() {
        let cases = [
            (
                "[kinds.hazard]\nprecision = 8",
                "`kinds.hazard.precision`: 8 decimal places",
            ),
            (
                "[kinds.accident]\nprecision = 3",
                "`kinds.accident.precision`",
            ),
            (
                "[kinds.victim]\nfree_text = true",
                "`kinds.victim.free_text`",
            ),
            (
                "[kinds.assistance]\nfree_text = true",
                "`kinds.assistance.free_text`",
            ),
            (
                "[suppression]\nthreshold = 3",
                "`suppression.threshold`: 3 is below 5",
            ),
        ];
        for (text, expected) in cases {
            let e = Policy::from_toml(text).expect_err(text).to_string();
            assert!(e.contains(expected), "{text}: {e}");
        }
        let cases = [
            ("[kinds.hazzard]", "hazzard"),
            ("[kinds.hazard]\nprecison = 3", "precison"),
            ("[kinds.hazard]\nprecision = -1", "precision"),
            ("sharing = true", "sharing"),
        ];
        for (text, expected) in cases {
            let e = Policy::from_toml(text).expect_err(text).to_string();
            assert!(
                e.contains("sharing policy is not valid") && e.contains(expected),
                "{e}"
            );
        }
    }

    #[test]
    fn shared_fields_follow_the_allow_lists_and_the_policy() {
        let p = Policy::default();
        let hazard = p.shared_fields(ItemKind::Hazard);
        for f in ["local_id", "geometry", "status_change.reason"] {
            assert!(hazard.contains(&f.to_string()), "{f}: {hazard:?}");
        }
        assert!(!hazard.iter().any(|f| f.ends_with("comment")), "{hazard:?}");
        let accident = p.shared_fields(ItemKind::Accident);
        assert!(accident.contains(&"date_month".to_string()), "{accident:?}");
        assert!(!accident.iter().any(|f| f == "date" || f == "description"));
        let activity = p.shared_fields(ItemKind::Activity);
        assert!(activity.contains(&"released_areas.geometry".to_string()));
        assert!(p.shared_fields(ItemKind::Assistance).is_empty());
        let open = Policy::from_toml("[kinds.hazard]\nfree_text = true\n").expect("ok");
        let hazard = open.shared_fields(ItemKind::Hazard);
        assert!(hazard.contains(&"comment".to_string()));
        assert!(hazard.contains(&"status_change.comment".to_string()));
        assert!(has_coordinates(ItemKind::Activity) && has_coordinates(ItemKind::EoFind));
        assert!(!has_coordinates(ItemKind::Victim) && !has_coordinates(ItemKind::Organisation));
        assert!((p.precision_m(ItemKind::Accident) - 1113.2).abs() < 1e-6);
    }

    #[test]
    fn synonyms_of_kinds_are_accepted_and_free_text_follows_the_policy() {
        let p = Policy::from_toml("[kinds.haz]\nfree_text = true\n[kinds.qa]\n").expect("ok");
        assert!(p.shares(ItemKind::Hazard) && p.shares(ItemKind::QaVisit));
        assert!(p.free_text(ItemKind::Hazard));
        assert!(!p.free_text(ItemKind::QaVisit));
        assert!(!p.free_text(ItemKind::Accident));
    }
}
