//! Victims of accidents and their personal data, kept apart (reference §2.7, §6.6).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::vocab::{ActivityAtTimeOfAccident, CasualtyOutcome, Sex};
use crate::{ItemRef, ValidationContext, ValidationErrors};

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

impl Victim {
    /// Rules (reference §2.7, §6.3): local id required; age plausible (0–[`MAX_AGE`]).
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        crate::rules::check(crate::ItemKind::Victim, self, ctx, e);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::fixtures::{ctx, d, failing_fields, personal_data, victim};

    #[test]
    fn age_plausible() {
        let mut v = victim();
        v.age_at_accident = Some(MAX_AGE);
        assert_eq!(Record::Victim(v.clone()).validate(&ctx()), Ok(()));
        v.age_at_accident = Some(121);
        assert_eq!(failing_fields(Record::Victim(v)), ["age_at_accident"]);
    }

    #[test]
    fn no_personal_data_in_the_victim_record() {
        let json = serde_json::to_string(&Record::Victim(victim())).expect("json");
        for word in ["name", "address", "contact", "birth"] {
            assert!(!json.contains(word), "{json}");
        }
    }

    #[test]
    fn personal_data_rules_and_round_trip() {
        let p = personal_data();
        assert_eq!(validate_personal_data(&p, &ctx()), Ok(()));
        let json = serde_json::to_string(&p).expect("json");
        assert_eq!(
            serde_json::from_str::<VictimPersonalData>(&json).ok(),
            Some(p.clone())
        );
        let mut bad = p;
        bad.full_name = "  ".into();
        bad.date_of_birth = Some(d("2026-03-01"));
        let e = validate_personal_data(&bad, &ctx()).expect_err("invalid");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["full_name", "date_of_birth"]);
    }
}
