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
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        e.require("local_id", &self.local_id);
        if let Some(model) = &self.model
            && let Some(known) = crate::ordnance_model(model)
            && known.category != self.category
        {
            e.add(
                "category",
                format!(
                    "{} is a {} ({}), not a {}; correct the category or the model",
                    known.model,
                    known.category.label().to_lowercase(),
                    known.description,
                    self.category.label().to_lowercase()
                ),
            );
        }
        if self.quantity == 0 {
            e.add("quantity", "must be at least 1");
        }
        e.not_after("found_date", self.found_date, ctx.today, "today");
        e.not_after(
            "found_date",
            self.found_date,
            ctx.date_of_information,
            "the date of information",
        );
        e.not_after("destroyed_date", self.destroyed_date, ctx.today, "today");
        if let (Some(f), Some(d)) = (self.found_date, self.destroyed_date)
            && d < f
        {
            e.add(
                "destroyed_date",
                format!("{d} is before the date found {f}"),
            );
        }
        e.point("location", self.location);
    }
}
