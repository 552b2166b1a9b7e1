//! Prioritisation criteria: read from TOML, each with a weight and its parameters.
//!
//! ```toml
//! [[criterion]]
//! id = "casualties"          # a name of your choice, unique
//! kind = "casualties_within" # what is measured (see `CriterionKind`)
//! weight = 3
//! km = 5
//! years = 10
//! ```

use safeground_model::{ContaminationType, EvidenceType, HazardClass};
use serde::{Deserialize, Serialize};

use crate::PlanningError;

/// What a criterion measures for a hazard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CriterionKind {
    /// Casualties of accidents within `km` of the hazard in the last `years` years.
    CasualtiesWithin {
        /// Distance, km.
        km: f64,
        /// Look-back, years.
        years: u32,
    },
    /// Accidents within `km` in the last `years` years.
    AccidentsWithin {
        /// Distance, km.
        km: f64,
        /// Look-back, years.
        years: u32,
    },
    /// EO items (quantities) found within `km` in the last `years` years.
    EoFindsWithin {
        /// Distance, km.
        km: f64,
        /// Look-back, years.
        years: u32,
    },
    /// The hazard's evidence includes one of `evidence` (e.g. `unused_productive_land`: the
    /// hazard blocks land use): 1, else 0.
    HasEvidence {
        /// Evidence types that count.
        evidence: Vec<EvidenceType>,
    },
    /// The hazard's contamination includes one of `contamination`: 1, else 0.
    HasContamination {
        /// Contamination types that count.
        contamination: Vec<ContaminationType>,
    },
    /// The hazard is of one of `classes` (e.g. confirmed before suspected): 1, else 0.
    HasClass {
        /// Classes that count.
        classes: Vec<HazardClass>,
    },
    /// Remaining area: `larger` favours big hazards, `smaller` quick wins.
    RemainingArea {
        /// "larger" or "smaller".
        prefer: Preference,
    },
    /// Nearness to the features of an imported layer (settlements, roads): 1 at the hazard,
    /// falling linearly to 0 at `km`.
    NearLayer {
        /// Layer name, as imported.
        layer: String,
        /// Distance at which the criterion gives 0, km.
        km: f64,
    },
    /// Number of features of an imported layer within `km` (community requests).
    LayerCountWithin {
        /// Layer name, as imported.
        layer: String,
        /// Distance, km.
        km: f64,
    },
}

/// Which end of a scale a criterion favours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preference {
    /// Larger values score higher.
    Larger,
    /// Smaller values score higher.
    Smaller,
}

/// One weighted criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Unique name.
    pub id: String,
    /// Weight (≥ 0).
    pub weight: f64,
    /// What it measures.
    #[serde(flatten)]
    pub kind: CriterionKind,
}

impl Criterion {
    /// The imported layer this criterion reads, if any.
    pub fn layer(&self) -> Option<&str> {
        match &self.kind {
            CriterionKind::NearLayer { layer, .. }
            | CriterionKind::LayerCountWithin { layer, .. } => Some(layer),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    criterion: Vec<toml::Table>,
}

/// One `[[criterion]]` table: its id and weight, the rest its kind and parameters (unknown
/// fields refused, which `flatten` cannot do).
fn criterion(i: usize, mut table: toml::Table) -> Result<Criterion, PlanningError> {
    let id = match table.remove("id") {
        Some(toml::Value::String(s)) => s,
        _ => {
            return Err(PlanningError::Criteria(format!(
                "criterion {}: id is missing or not text; give each criterion a name",
                i + 1
            )));
        }
    };
    let weight = match table.remove("weight") {
        Some(toml::Value::Integer(n)) => n as f64,
        Some(toml::Value::Float(x)) => x,
        _ => {
            return Err(PlanningError::Criteria(format!(
                "criterion `{id}`: weight is missing or not a number"
            )));
        }
    };
    let kind = CriterionKind::deserialize(toml::Value::Table(table)).map_err(|e| {
        PlanningError::Criteria(format!("criterion `{id}`: {}", e.to_string().trim_end()))
    })?;
    Ok(Criterion { id, weight, kind })
}

/// A checked set of criteria.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criteria(pub Vec<Criterion>);

impl Criteria {
    /// Reads criteria from TOML, checking every one: unique ids, finite weights ≥ 0 (at least
    /// one > 0), distances > 0, non-empty type lists. Errors name the criterion and field.
    pub fn from_toml(text: &str) -> Result<Self, PlanningError> {
        let file: File = toml::from_str(text).map_err(|e| {
            PlanningError::Criteria(format!(
                "{}; each [[criterion]] needs id, kind and weight (see docs/planning.md)",
                e.to_string().trim_end()
            ))
        })?;
        let list = (file.criterion.into_iter().enumerate())
            .map(|(i, t)| criterion(i, t))
            .collect::<Result<Vec<_>, _>>()?;
        Self::checked(list)
    }

    /// Checks a list of criteria (see [`Criteria::from_toml`]).
    pub fn checked(list: Vec<Criterion>) -> Result<Self, PlanningError> {
        let bad = |c: &Criterion, field: &str, why: &str| {
            Err(PlanningError::Criteria(format!(
                "criterion `{}`: {field} {why}",
                c.id
            )))
        };
        if list.is_empty() {
            return Err(PlanningError::Criteria(
                "no criterion; add at least one [[criterion]]".into(),
            ));
        }
        for (i, c) in list.iter().enumerate() {
            if c.id.trim().is_empty() {
                return Err(PlanningError::Criteria(format!(
                    "criterion {}: id is empty; give each criterion a name",
                    i + 1
                )));
            }
            if list[..i].iter().any(|o| o.id == c.id) {
                return bad(c, "id", "is used twice; give each criterion its own id");
            }
            if !(c.weight.is_finite() && (0.0..=1e6).contains(&c.weight)) {
                return bad(c, "weight", "must be a number from 0 to 1000000");
            }
            match &c.kind {
                CriterionKind::CasualtiesWithin { km, .. }
                | CriterionKind::AccidentsWithin { km, .. }
                | CriterionKind::EoFindsWithin { km, .. }
                | CriterionKind::NearLayer { km, .. }
                | CriterionKind::LayerCountWithin { km, .. }
                    if !(km.is_finite() && *km > 0.0 && *km <= 1000.0) =>
                {
                    return bad(c, "km", "must be more than 0 and at most 1000");
                }
                CriterionKind::CasualtiesWithin { years: 0, .. }
                | CriterionKind::AccidentsWithin { years: 0, .. }
                | CriterionKind::EoFindsWithin { years: 0, .. } => {
                    return bad(c, "years", "must be at least 1");
                }
                CriterionKind::HasEvidence { evidence } if evidence.is_empty() => {
                    return bad(c, "evidence", "is empty; name at least one evidence type");
                }
                CriterionKind::HasContamination { contamination } if contamination.is_empty() => {
                    return bad(
                        c,
                        "contamination",
                        "is empty; name at least one contamination type",
                    );
                }
                CriterionKind::HasClass { classes } if classes.is_empty() => {
                    return bad(c, "classes", "is empty; name at least one hazard class");
                }
                CriterionKind::NearLayer { layer, .. }
                | CriterionKind::LayerCountWithin { layer, .. }
                    if layer.trim().is_empty() =>
                {
                    return bad(c, "layer", "is empty; name an imported layer");
                }
                _ => {}
            }
        }
        if list.iter().all(|c| c.weight == 0.0) {
            return Err(PlanningError::Criteria(
                "every weight is 0; give at least one criterion a weight above 0".into(),
            ));
        }
        Ok(Self(list))
    }

    /// These criteria as TOML (what [`Criteria::from_toml`] reads back).
    pub fn to_toml(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            criterion: &'a [Criterion],
        }
        toml::to_string(&Out { criterion: &self.0 }).unwrap_or_default()
    }

    /// The same criteria with some weights changed (`(id, weight)`); unknown ids are refused.
    pub fn with_weights(&self, weights: &[(String, f64)]) -> Result<Self, PlanningError> {
        let mut list = self.0.clone();
        for (id, w) in weights {
            let c = list.iter_mut().find(|c| &c.id == id).ok_or_else(|| {
                PlanningError::Criteria(format!(
                    "no criterion `{id}`; the criteria are {}",
                    self.0
                        .iter()
                        .map(|c| c.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            c.weight = *w;
        }
        Self::checked(list)
    }
}

/// The criteria a programme starts with (`docs/planning.md` explains each).
pub const DEFAULT_CRITERIA: &str = r#"# Safeground prioritisation criteria: one [[criterion]] per line of evidence.
# weight: how much it counts (any number >= 0); each criterion gives 0..1 before weighting.

[[criterion]]
id = "casualties"
kind = "casualties_within"
weight = 4
km = 5
years = 10

[[criterion]]
id = "eo_finds"
kind = "eo_finds_within"
weight = 2
km = 2
years = 5

[[criterion]]
id = "blocks_land_use"
kind = "has_evidence"
weight = 3
evidence = ["unused_productive_land"]

[[criterion]]
id = "confirmed"
kind = "has_class"
weight = 1
classes = ["cha"]

[[criterion]]
id = "anti_personnel"
kind = "has_contamination"
weight = 1
contamination = ["ap_mines"]

[[criterion]]
id = "small_first"
kind = "remaining_area"
weight = 1
prefer = "smaller"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_criteria_parse_and_round_trip() {
        let c = Criteria::from_toml(DEFAULT_CRITERIA).expect("default criteria");
        assert_eq!(c.0.len(), 6);
        assert_eq!(Criteria::from_toml(&c.to_toml()).expect("round trip"), c);
    }

    #[test]
    fn errors_name_the_criterion_and_field() {
        let e = |t: &str| Criteria::from_toml(t).expect_err("refused").to_string();
        assert!(
            e("[[criterion]]\nid='a'\nkind='remaining_area'\nweight='x'\nprefer='larger'")
                .contains("weight")
        );
        assert!(e("[[criterion]]\nid='a'\nkind='nope'\nweight=1").contains("nope"));
        assert!(
            e("[[criterion]]\nid='a'\nkind='eo_finds_within'\nweight=1\nkm=0\nyears=2")
                .contains("criterion `a`: km")
        );
        assert!(
            e("[[criterion]]\nid='a'\nkind='has_class'\nweight=-1\nclasses=['cha']")
                .contains("criterion `a`: weight")
        );
        assert!(
            e("[[criterion]]\nid='a'\nkind='has_class'\nweight=0\nclasses=['cha']")
                .contains("every weight is 0")
        );
        assert!(e("[[criterion]]\nid='a'\nkind='has_class'\nweight=1\nclasses=['cha']\n[[criterion]]\nid='a'\nkind='has_class'\nweight=1\nclasses=['sha']").contains("used twice"));
        assert!(e("").contains("criterion"));
    }

    #[test]
    fn weights_change_by_id_and_unknown_ids_are_refused() {
        let c = Criteria::from_toml(DEFAULT_CRITERIA).expect("default criteria");
        let d = c
            .with_weights(&[("eo_finds".into(), 9.0)])
            .expect("known id");
        assert_eq!(d.0[1].weight, 9.0);
        let e = c
            .with_weights(&[("nope".into(), 1.0)])
            .expect_err("unknown");
        assert!(e.to_string().contains("casualties, eo_finds"));
    }
}
