//! Explosive ordnance risk education sessions (reference §2.9).

use chrono::NaiveDate;
use geo_types::Point;
use serde::{Deserialize, Serialize};

use crate::vocab::{AgeBand, AudienceReach, EducationMethod, Sex};
use crate::{ItemRef, ValidationContext, ValidationErrors};

/// Beneficiaries of one sex, age band and reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeneficiaryCount {
    /// Sex.
    pub sex: Sex,
    /// Age band.
    pub age_band: AgeBand,
    /// Direct or indirect.
    pub reach: AudienceReach,
    /// Number of people.
    pub count: u32,
}

/// Sex- and age-disaggregated beneficiary counts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Beneficiaries {
    /// The cells.
    pub counts: Vec<BeneficiaryCount>,
}

impl Beneficiaries {
    /// Total people reached directly or indirectly (never summed together, §6.2).
    pub fn total(&self, reach: AudienceReach) -> u32 {
        self.counts
            .iter()
            .filter(|c| c.reach == reach)
            .map(|c| c.count)
            .sum()
    }
}

/// A risk-education session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskEducationSession {
    /// Local id.
    pub local_id: String,
    /// Organisation that gave it.
    #[serde(default)]
    pub organisation: Option<ItemRef>,
    /// Date.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Admin area P-code.
    #[serde(default)]
    pub admin_pcode: Option<String>,
    /// Where, WGS 84.
    #[serde(default, with = "crate::geometry::option_point_geojson")]
    pub location: Option<Point<f64>>,
    /// Method.
    #[serde(default)]
    pub method: Option<EducationMethod>,
    /// Who was reached.
    #[serde(default)]
    pub beneficiaries: Beneficiaries,
}

impl RiskEducationSession {
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        e.require("local_id", &self.local_id);
        e.not_after("date", self.date, ctx.today, "today");
        e.not_after(
            "date",
            self.date,
            ctx.date_of_information,
            "the date of information",
        );
        if self.beneficiaries.counts.iter().all(|c| c.count == 0) {
            e.add(
                "beneficiaries",
                "no one was reached; record at least one beneficiary count",
            );
        }
        e.point("location", self.location);
    }
}
