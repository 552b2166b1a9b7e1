//! Hazardous areas (reference §2.3, §2.15).

use chrono::NaiveDate;
use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};

use crate::vocab::{ContaminationType, EvidenceType, HazardClass, HazardStatus};
use crate::{ItemRef, ValidationContext, ValidationErrors};

/// Why, when and how a hazard's status changed (NG "Status Changed Reason/Date/Comment").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    /// Why.
    pub reason: String,
    /// When.
    pub date: NaiveDate,
    /// Free comment.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A hazardous area: indication, SHA, CHA, ammunition storage or EOD spot task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hazard {
    /// Local id used by field teams ("KH02-HA-00012").
    pub local_id: String,
    /// Name (village or place).
    pub name: String,
    /// Class.
    pub class: HazardClass,
    /// Status as reported.
    pub status: HazardStatus,
    /// Reason for a status other than open.
    #[serde(default)]
    pub status_change: Option<StatusChange>,
    /// Organisation that reported it.
    #[serde(default)]
    pub organisation: Option<ItemRef>,
    /// P-code of the admin area.
    #[serde(default)]
    pub admin_pcode: Option<String>,
    /// Evidence of contamination.
    #[serde(default)]
    pub evidence: Vec<EvidenceType>,
    /// Contamination types.
    #[serde(default)]
    pub contamination: Vec<ContaminationType>,
    /// Area written on the form, m² (the computed area comes from the geometry).
    #[serde(default)]
    pub reported_area_m2: Option<f64>,
    /// Date the hazard was first recorded.
    #[serde(default)]
    pub first_recorded: Option<NaiveDate>,
    /// Polygon(s), WGS 84.
    #[serde(default, with = "crate::geometry::option_multipolygon_geojson")]
    pub geometry: Option<MultiPolygon<f64>>,
    /// Free comment.
    #[serde(default)]
    pub comment: Option<String>,
}

impl Hazard {
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        e.require("local_id", &self.local_id);
        e.require("name", &self.name);
        e.area("reported_area_m2", self.reported_area_m2);
        e.not_after(
            "first_recorded",
            self.first_recorded,
            ctx.date_of_information,
            "the date of information",
        );
        e.not_after("first_recorded", self.first_recorded, ctx.today, "today");
        match &self.status_change {
            Some(sc) => {
                e.require("status_change.reason", &sc.reason);
                e.not_after("status_change.date", Some(sc.date), ctx.today, "today");
            }
            None if self.status != HazardStatus::Open => e.add(
                "status_change",
                format!(
                    "a hazard reported as {} needs a status change with reason and date",
                    self.status.label().to_lowercase()
                ),
            ),
            None => {}
        }
    }
}
