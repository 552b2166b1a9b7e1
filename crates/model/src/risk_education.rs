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
            .fold(0u32, |sum, c| sum.saturating_add(c.count))
    }
}

/// Beneficiaries in the IMAS girls / boys / women / men view (reference §2.9), plus those of
/// unknown sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImasCounts {
    /// Female, under 18.
    pub girls: u32,
    /// Male, under 18.
    pub boys: u32,
    /// Female, 18 and over.
    pub women: u32,
    /// Male, 18 and over.
    pub men: u32,
    /// Sex unknown, any age.
    pub unknown_sex: u32,
}

impl Beneficiaries {
    /// The IMAS four-cell view of the people reached one way (reference §2.9).
    pub fn imas(&self, reach: AudienceReach) -> ImasCounts {
        let mut out = ImasCounts::default();
        for c in self.counts.iter().filter(|c| c.reach == reach) {
            let cell = match (c.sex, c.age_band.is_child()) {
                (Sex::Female, true) => &mut out.girls,
                (Sex::Male, true) => &mut out.boys,
                (Sex::Female, false) => &mut out.women,
                (Sex::Male, false) => &mut out.men,
                (Sex::Unknown, _) => &mut out.unknown_sex,
            };
            *cell = cell.saturating_add(c.count);
        }
        out
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
    /// Donor that funded it (an organisation of type donor).
    #[serde(default)]
    pub donor: Option<ItemRef>,
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
    /// Rules (reference §2.9, §6.2, §6.3): local id required; date not after today nor the date
    /// of information; at least one beneficiary; location in WGS 84 range.
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        crate::rules::check(crate::ItemKind::RiskEducation, self, ctx, e);
        // A cell given twice: the form's grid cannot repeat one, so only imports meet it.
        for (i, c) in self.beneficiaries.counts.iter().enumerate() {
            if let Some(j) = self.beneficiaries.counts[..i]
                .iter()
                .position(|o| (o.sex, o.age_band, o.reach) == (c.sex, c.age_band, c.reach))
            {
                e.add(
                    &format!("beneficiaries.counts[{i}]"),
                    format!(
                        "repeats the {} {} {} cell of counts[{j}]; give each cell once",
                        c.reach.code(),
                        c.sex.code(),
                        c.age_band.label()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::fixtures::{fails_on, risk_education};

    #[test]
    fn totals_never_mix_direct_and_indirect() {
        let b = risk_education().beneficiaries;
        assert_eq!(b.total(AudienceReach::Direct), 19);
        assert_eq!(b.total(AudienceReach::Indirect), 40);
        assert_eq!(
            b.imas(AudienceReach::Direct),
            ImasCounts {
                girls: 12,
                boys: 0,
                women: 0,
                men: 7,
                unknown_sex: 0
            }
        );
        assert_eq!(b.imas(AudienceReach::Indirect).women, 40);
    }

    #[test]
    fn at_least_one_beneficiary() {
        let mut s = risk_education();
        for c in &mut s.beneficiaries.counts {
            c.count = 0;
        }
        fails_on(Record::RiskEducation(s.clone()), "beneficiaries");
        s.beneficiaries.counts.clear();
        fails_on(Record::RiskEducation(s), "beneficiaries");
    }

    #[test]
    fn a_cell_is_given_once() {
        let mut s = risk_education();
        let first = s.beneficiaries.counts[0].clone();
        s.beneficiaries.counts.push(first);
        fails_on(Record::RiskEducation(s), "beneficiaries.counts[3]");
    }

    #[test]
    fn date_and_location() {
        let mut s = risk_education();
        s.date = Some(crate::fixtures::d("2026-01-20"));
        fails_on(Record::RiskEducation(s.clone()), "date");
        s.date = None;
        s.location = Some(Point::new(13.2, 103.3));
        fails_on(Record::RiskEducation(s), "location");
    }
}
