//! Accidents and victims (reference §2.6, §2.7, §6.6).

use chrono::NaiveDate;
use geo_types::Point;
use serde::{Deserialize, Serialize};

use crate::vocab::{ActivityAtTimeOfAccident, CasualtyOutcome, OrdnanceCategory, Sex};
use crate::{ItemRef, ValidationContext, ValidationErrors};

/// An accident with explosive ordnance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accident {
    /// Local id.
    pub local_id: String,
    /// Date of the accident.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Whether the date is known (false: date is an estimate or absent).
    #[serde(default = "yes")]
    pub date_known: bool,
    /// Admin area P-code.
    #[serde(default)]
    pub admin_pcode: Option<String>,
    /// Category of the device.
    #[serde(default)]
    pub device_category: Option<OrdnanceCategory>,
    /// Where, WGS 84.
    #[serde(default, with = "crate::geometry::option_point_geojson")]
    pub location: Option<Point<f64>>,
    /// What happened.
    #[serde(default)]
    pub description: Option<String>,
    /// Hazard where it happened.
    #[serde(default)]
    pub hazard: Option<ItemRef>,
}

fn yes() -> bool {
    true
}

/// A casualty of an accident. Personal data are NOT here: see [`VictimPersonalData`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Victim {
    /// Local id.
    pub local_id: String,
    /// Accident.
    #[serde(default)]
    pub accident: Option<ItemRef>,
    /// Sex.
    pub sex: Sex,
    /// Age at the accident, years.
    #[serde(default)]
    pub age_at_accident: Option<u8>,
    /// Killed or injured.
    pub outcome: CasualtyOutcome,
    /// What the victim was doing.
    #[serde(default)]
    pub activity_at_time: Option<ActivityAtTimeOfAccident>,
    /// Whether the victim is a deminer (demining accident).
    #[serde(default)]
    pub deminer: bool,
}

/// A victim's personal data, kept apart from every other record and shown only to roles that
/// need them (reference §6.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VictimPersonalData {
    /// Full name.
    pub full_name: String,
    /// Address.
    #[serde(default)]
    pub address: Option<String>,
    /// Phone or other contact.
    #[serde(default)]
    pub contact: Option<String>,
    /// Date of birth.
    #[serde(default)]
    pub date_of_birth: Option<NaiveDate>,
}

/// Oldest plausible age, years.
pub const MAX_AGE: u8 = 120;

impl Accident {
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        e.require("local_id", &self.local_id);
        e.not_after("date", self.date, ctx.today, "today");
        e.not_after(
            "date",
            self.date,
            ctx.date_of_information,
            "the date of information",
        );
        if self.date_known && self.date.is_none() {
            e.add("date", "is required when date_known is true");
        }
        e.point("location", self.location);
    }
}

impl Victim {
    pub(crate) fn check(&self, e: &mut ValidationErrors) {
        e.require("local_id", &self.local_id);
        if let Some(age) = self.age_at_accident
            && age > MAX_AGE
        {
            e.add(
                "age_at_accident",
                format!("{age} is not a plausible age (0–{MAX_AGE})"),
            );
        }
    }
}

/// Checks a victim's personal data.
pub fn validate_personal_data(
    p: &VictimPersonalData,
    ctx: &ValidationContext,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    e.require("full_name", &p.full_name);
    e.not_after("date_of_birth", p.date_of_birth, ctx.today, "today");
    e.into_result()
}
