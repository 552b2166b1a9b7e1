//! Activities and the land they release (reference §2.4, §2.16, §6.2).

use chrono::NaiveDate;
use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};

use crate::vocab::{ActivityStatus, ActivityType, AssetType, ReleaseMethod};
use crate::{ItemRef, ValidationContext, ValidationErrors};

/// A polygon released by an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleasedArea {
    /// Cancelled, reduced or cleared.
    pub method: ReleaseMethod,
    /// Asset that did the work.
    #[serde(default)]
    pub asset_type: Option<AssetType>,
    /// Reduced with a technical asset (NG v6 splits reduced into with/without).
    #[serde(default)]
    pub technical_asset_used: bool,
    /// Clearance depth, cm.
    #[serde(default)]
    pub clearance_depth_cm: Option<u32>,
    /// Area written on the form, m².
    #[serde(default)]
    pub reported_area_m2: Option<f64>,
    /// The released polygon(s), WGS 84.
    #[serde(with = "crate::geometry::multipolygon_geojson")]
    pub geometry: MultiPolygon<f64>,
}

/// A survey, clearance or other operation, usually linked to a hazard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Local id.
    pub local_id: String,
    /// Type.
    pub activity_type: ActivityType,
    /// Status.
    pub status: ActivityStatus,
    /// Operator.
    #[serde(default)]
    pub organisation: Option<ItemRef>,
    /// Team.
    #[serde(default)]
    pub team: Option<ItemRef>,
    /// Hazard worked on.
    #[serde(default)]
    pub hazard: Option<ItemRef>,
    /// Admin area P-code.
    #[serde(default)]
    pub admin_pcode: Option<String>,
    /// First day of work.
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    /// Last day of work.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// Land released.
    #[serde(default)]
    pub released_areas: Vec<ReleasedArea>,
    /// Assets used.
    #[serde(default)]
    pub assets: Vec<AssetType>,
    /// Free comment.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Whether an activity type may release land by a method (reference §6.2): cancellation only
/// from non-technical survey (and cancellation reports), reduction only from technical survey
/// (and the progress/completion reports of a TS), clearance only from clearance, BAC and
/// progress/completion reports.
pub fn method_allowed(activity: ActivityType, method: ReleaseMethod) -> bool {
    use ActivityType as A;
    match method {
        ReleaseMethod::Cancelled => matches!(activity, A::Nts | A::Cancellation),
        ReleaseMethod::Reduced => matches!(activity, A::Ts | A::Progress | A::Completion),
        ReleaseMethod::Cleared => {
            matches!(
                activity,
                A::Clearance | A::Bac | A::Progress | A::Completion | A::EodSpotTask
            )
        }
    }
}

impl Activity {
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        e.require("local_id", &self.local_id);
        if let (Some(s), Some(end)) = (self.start_date, self.end_date)
            && s > end
        {
            e.add("end_date", format!("{end} is before the start date {s}"));
        }
        e.not_after("start_date", self.start_date, ctx.today, "today");
        e.not_after("end_date", self.end_date, ctx.today, "today");
        e.not_after(
            "end_date",
            self.end_date,
            ctx.date_of_information,
            "the date of information",
        );
        for (i, r) in self.released_areas.iter().enumerate() {
            e.area(
                &format!("released_areas[{i}].reported_area_m2"),
                r.reported_area_m2,
            );
            if !method_allowed(self.activity_type, r.method) {
                e.add(
                    &format!("released_areas[{i}].method"),
                    format!(
                        "land cannot be {} by a {}; use the activity type that releases it this way",
                        r.method.code(),
                        self.activity_type.label().to_lowercase()
                    ),
                );
            }
            if r.geometry.0.is_empty() {
                e.add(
                    &format!("released_areas[{i}].geometry"),
                    "is empty; draw the released polygon",
                );
            }
        }
    }
}
