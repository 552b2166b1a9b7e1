//! Prioritisation: every open hazard gets a score from weighted criteria, with each
//! criterion's contribution, so a planner can say why a hazard comes first.
//!
//! Each criterion gives a value in 0..1 for a hazard: counts (casualties, accidents, EO items,
//! layer features within a distance) are divided by the largest count over the hazards ranked,
//! yes/no attributes give 0 or 1, remaining area is scaled between the smallest and the largest,
//! nearness to a layer falls linearly from 1 at the hazard to 0 at the criterion's distance.
//! A criterion's contribution is its weight × its value; the score is the sum of the
//! contributions, in criteria order, so the explanation always adds up to the score.

mod criteria;
mod moved;
mod nearness;

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use geo_types::{Coord, Geometry, MultiPolygon};
use safeground_model::{ContaminationType, EvidenceType, HazardClass};
use serde::Serialize;

pub use criteria::{Criteria, Criterion, CriterionKind, DEFAULT_CRITERIA, Preference};
pub use moved::{Move, moves};
use nearness::Near;

use crate::PlanningError;

/// What the ranking knows of a hazard.
#[derive(Debug, Clone)]
pub struct HazardFacts {
    /// Item id.
    pub item: String,
    /// Local id.
    pub local_id: String,
    /// Name.
    pub name: String,
    /// Admin area P-code.
    pub admin_pcode: Option<String>,
    /// Class.
    pub class: HazardClass,
    /// Evidence recorded.
    pub evidence: Vec<EvidenceType>,
    /// Contamination recorded.
    pub contamination: Vec<ContaminationType>,
    /// Remaining area, m².
    pub remaining_m2: f64,
    /// Remaining polygon (or the hazard's polygon); None for a hazard without one.
    pub shape: Option<MultiPolygon<f64>>,
}

/// A dated event at a place, with how much it counts (casualties, EO items).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Occurrence {
    /// Where (lon, lat).
    pub at: Coord<f64>,
    /// When.
    pub date: NaiveDate,
    /// Casualties of an accident, or quantity of an EO find.
    pub count: u32,
}

/// The evidence criteria read besides the hazards themselves.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Accidents (count = casualties).
    pub accidents: Vec<Occurrence>,
    /// EO finds (count = quantity).
    pub finds: Vec<Occurrence>,
    /// Imported layers by name (settlements, roads, community requests).
    pub layers: BTreeMap<String, Vec<Geometry<f64>>>,
    /// The day the look-back periods end.
    pub as_of: NaiveDate,
}

/// One criterion's share of a hazard's score.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Contribution {
    /// Criterion id.
    pub criterion: String,
    /// What was measured (a count, 0/1, m², or metres to the nearest feature up to the
    /// criterion's distance).
    pub raw: f64,
    /// The value in 0..1.
    pub value: f64,
    /// The criterion's weight.
    pub weight: f64,
    /// weight × value.
    pub points: f64,
}

/// A hazard's place in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Ranked {
    /// 1 = first.
    pub rank: usize,
    /// Item id.
    pub item: String,
    /// Local id.
    pub local_id: String,
    /// Name.
    pub name: String,
    /// Admin area P-code.
    pub admin_pcode: Option<String>,
    /// Remaining area, m².
    pub remaining_m2: f64,
    /// Sum of the contributions.
    pub score: f64,
    /// Each criterion's contribution, in criteria order.
    pub contributions: Vec<Contribution>,
}

/// Scores and ranks `hazards` (highest score first; ties by larger remaining area, then local
/// id). Refuses criteria that read a layer not imported.
pub fn rank(
    hazards: &[HazardFacts],
    evidence: &Evidence,
    criteria: &Criteria,
) -> Result<Vec<Ranked>, PlanningError> {
    for c in &criteria.0 {
        if let Some(layer) = c.layer()
            && !evidence.layers.contains_key(layer)
        {
            return Err(PlanningError::Criteria(format!(
                "criterion `{}` reads layer `{layer}`, which is not imported; import it \
                 (`safeground plan layer DB {layer} FILE.geojson`) or remove the criterion",
                c.id
            )));
        }
    }
    let shapes: Vec<Option<Near>> = hazards
        .iter()
        .map(|h| h.shape.as_ref().and_then(Near::new))
        .collect();
    // Raw values: raw[c][h].
    let raw: Vec<Vec<f64>> = criteria
        .0
        .iter()
        .map(|c| {
            hazards
                .iter()
                .zip(&shapes)
                .map(|(h, near)| measure(&c.kind, h, near.as_ref(), evidence))
                .collect()
        })
        .collect();
    let values: Vec<Vec<f64>> = criteria
        .0
        .iter()
        .zip(&raw)
        .map(|(c, raw)| scale(&c.kind, raw))
        .collect();
    let mut ranked: Vec<Ranked> = hazards
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let contributions: Vec<Contribution> = criteria
                .0
                .iter()
                .enumerate()
                .map(|(k, c)| Contribution {
                    criterion: c.id.clone(),
                    raw: raw[k][i],
                    value: values[k][i],
                    weight: c.weight,
                    points: c.weight * values[k][i],
                })
                .collect();
            Ranked {
                rank: 0,
                item: h.item.clone(),
                local_id: h.local_id.clone(),
                name: h.name.clone(),
                admin_pcode: h.admin_pcode.clone(),
                remaining_m2: h.remaining_m2,
                score: contributions.iter().map(|c| c.points).sum(),
                contributions,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.remaining_m2.total_cmp(&a.remaining_m2))
            .then_with(|| a.local_id.cmp(&b.local_id))
    });
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    Ok(ranked)
}

/// The day `years` years before `as_of` (the first day a look-back counts).
fn since(as_of: NaiveDate, years: u32) -> NaiveDate {
    as_of
        .checked_sub_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MIN)
}

fn within(
    near: Option<&Near>,
    events: &[Occurrence],
    km: f64,
    years: u32,
    as_of: NaiveDate,
    count: impl Fn(&Occurrence) -> f64,
) -> f64 {
    let Some(near) = near else { return 0.0 };
    let from = since(as_of, years);
    events
        .iter()
        .filter(|e| e.date >= from && e.date <= as_of)
        .filter(|e| near.may_be_within(e.at, km) && near.to_point(e.at) <= km * 1000.0)
        .map(count)
        .sum()
}

fn measure(kind: &CriterionKind, h: &HazardFacts, near: Option<&Near>, ev: &Evidence) -> f64 {
    let yes = |b: bool| if b { 1.0 } else { 0.0 };
    match kind {
        CriterionKind::CasualtiesWithin { km, years } => {
            within(near, &ev.accidents, *km, *years, ev.as_of, |e| {
                f64::from(e.count)
            })
        }
        CriterionKind::AccidentsWithin { km, years } => {
            within(near, &ev.accidents, *km, *years, ev.as_of, |_| 1.0)
        }
        CriterionKind::EoFindsWithin { km, years } => {
            within(near, &ev.finds, *km, *years, ev.as_of, |e| {
                f64::from(e.count)
            })
        }
        CriterionKind::HasEvidence { evidence } => {
            yes(h.evidence.iter().any(|e| evidence.contains(e)))
        }
        CriterionKind::HasContamination { contamination } => {
            yes(h.contamination.iter().any(|c| contamination.contains(c)))
        }
        CriterionKind::HasClass { classes } => yes(classes.contains(&h.class)),
        CriterionKind::RemainingArea { .. } => h.remaining_m2,
        CriterionKind::NearLayer { layer, km } => {
            // Metres to the nearest feature, or the criterion's distance when none is nearer
            // (or the hazard has no polygon).
            let reach = km * 1000.0;
            let Some(near) = near else {
                return reach;
            };
            ev.layers
                .get(layer)
                .into_iter()
                .flatten()
                .filter(|g| near.may_reach(g, *km))
                .map(|g| near.to_geometry(g))
                .fold(reach, f64::min)
        }
        CriterionKind::LayerCountWithin { layer, km } => {
            let Some(near) = near else { return 0.0 };
            let n = ev
                .layers
                .get(layer)
                .into_iter()
                .flatten()
                .filter(|g| near.may_reach(g, *km) && near.to_geometry(g) <= km * 1000.0)
                .count();
            n as f64
        }
    }
}

/// Raw values of one criterion over the hazards → values in 0..1.
fn scale(kind: &CriterionKind, raw: &[f64]) -> Vec<f64> {
    let max = raw.iter().copied().fold(0.0_f64, f64::max);
    match kind {
        CriterionKind::CasualtiesWithin { .. }
        | CriterionKind::AccidentsWithin { .. }
        | CriterionKind::EoFindsWithin { .. }
        | CriterionKind::LayerCountWithin { .. } => raw
            .iter()
            .map(|v| if max > 0.0 { v / max } else { 0.0 })
            .collect(),
        CriterionKind::HasEvidence { .. }
        | CriterionKind::HasContamination { .. }
        | CriterionKind::HasClass { .. } => raw.to_vec(),
        CriterionKind::RemainingArea { prefer } => {
            let min = raw.iter().copied().fold(f64::INFINITY, f64::min);
            raw.iter()
                .map(|v| {
                    if max > min {
                        match prefer {
                            Preference::Larger => (v - min) / (max - min),
                            Preference::Smaller => (max - v) / (max - min),
                        }
                    } else {
                        0.0
                    }
                })
                .collect()
        }
        CriterionKind::NearLayer { km, .. } => raw
            .iter()
            .map(|d| (1.0 - d / (km * 1000.0)).clamp(0.0, 1.0))
            .collect(),
    }
}

#[cfg(test)]
mod tests;
