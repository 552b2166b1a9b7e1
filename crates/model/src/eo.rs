//! Explosive ordnance found and destroyed (reference §2.5).

use chrono::NaiveDate;
use geo_types::Point;
use serde::{Deserialize, Serialize};

use crate::vocab::{DisposalMethod, ItemCondition, OrdnanceCategory};
use crate::{ItemRef, ValidationContext, ValidationErrors};

/// EO items of one model found together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EoFind {
    /// Local id.
    pub local_id: String,
    /// Activity during which it was found.
    #[serde(default)]
    pub activity: Option<ItemRef>,
    /// Hazard where it was found.
    #[serde(default)]
    pub hazard: Option<ItemRef>,
    /// Category.
    pub category: OrdnanceCategory,
    /// Model ("PMN-2", "BLU-26").
    #[serde(default)]
    pub model: Option<String>,
    /// Number of items (≥ 1).
    pub quantity: u32,
    /// Condition.
    #[serde(default)]
    pub condition: Option<ItemCondition>,
    /// Depth, cm.
    #[serde(default)]
    pub depth_cm: Option<u32>,
    /// Disposal.
    #[serde(default)]
    pub disposal: Option<DisposalMethod>,
    /// Date found.
    #[serde(default)]
    pub found_date: Option<NaiveDate>,
    /// Date destroyed.
    #[serde(default)]
    pub destroyed_date: Option<NaiveDate>,
    /// Where, WGS 84.
    #[serde(default, with = "crate::geometry::option_point_geojson")]
    pub location: Option<Point<f64>>,
}

impl EoFind {
    /// Rules (reference §2.5, §6.2, §6.3): local id required; a known model must match the
    /// category ([`crate::ordnance_model`]); quantity ≥ 1; dates not after today nor the date of
    /// information; found ≤ destroyed; disposal consistent with a destroyed date; location in
    /// WGS 84 range.
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        crate::rules::check(crate::ItemKind::EoFind, self, ctx, e);
        // Needs the ordnance catalogue: checked on the server only.
        if let Some(model) = &self.model
            && let Some(known) = crate::ordnance_model(model)
            && known.category != self.category
        {
            e.add(
                "category",
                crate::ordnance::category_mismatch(
                    known.model,
                    known.category,
                    known.description,
                    self.category,
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::fixtures::{ctx, d, eo_find, failing_fields, fails_on};

    #[test]
    fn quantity_at_least_one() {
        let mut e = eo_find();
        e.quantity = 0;
        assert_eq!(failing_fields(Record::EoFind(e)), ["quantity"]);
    }

    #[test]
    fn found_before_destroyed_and_not_after_the_date_of_information() {
        let mut e = eo_find();
        e.destroyed_date = Some(d("2025-12-09"));
        assert_eq!(
            failing_fields(Record::EoFind(e.clone())),
            ["destroyed_date"]
        );
        e.found_date = Some(d("2026-01-16"));
        e.destroyed_date = None;
        assert_eq!(failing_fields(Record::EoFind(e.clone())), ["found_date"]);
        e.found_date = None;
        e.destroyed_date = Some(d("2026-02-01"));
        assert_eq!(
            failing_fields(Record::EoFind(e)),
            ["destroyed_date", "destroyed_date"]
        );
    }

    #[test]
    fn disposal_consistent_with_a_destroyed_date() {
        let mut e = eo_find();
        e.disposal = Some(DisposalMethod::NotDisposed);
        fails_on(Record::EoFind(e.clone()), "disposal");
        e.destroyed_date = None;
        assert_eq!(Record::EoFind(e).validate(&ctx()), Ok(()));
    }

    #[test]
    fn known_model_must_match_the_category() {
        let mut e = eo_find();
        e.category = OrdnanceCategory::Submunition;
        fails_on(Record::EoFind(e.clone()), "category");
        e.model = Some("new local model".into());
        assert_eq!(Record::EoFind(e).validate(&ctx()), Ok(()));
    }

    #[test]
    fn location_in_wgs84() {
        let mut e = eo_find();
        e.location = Some(Point::new(200.0, 13.0));
        fails_on(Record::EoFind(e), "location");
    }
}
