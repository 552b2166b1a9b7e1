//! EO destroyed, casualties and risk-education beneficiaries of a country, from its shared
//! records as JSON (accidents and victims are shared generalised: an accident's month, a
//! victim's age band, so they are read field by field rather than as model records).

use std::collections::HashMap;

use chrono::Datelike;
use safeground_model::{AudienceReach, EoFind, RiskEducationSession};
use serde_json::Value;

use crate::figures::Tally;

/// Adds a find's destroyed items to the year of its destroyed date (none: not counted).
pub(crate) fn add_eo_find(t: &mut Tally, find: &EoFind) {
    if let Some(d) = find.destroyed_date {
        *t.eo_destroyed.entry(d.year()).or_default() += u64::from(find.quantity);
    }
}

/// Adds a session's beneficiaries to the year of its date, direct and indirect apart.
pub(crate) fn add_session(t: &mut Tally, s: &RiskEducationSession) {
    let cell = t
        .risk_education
        .entry(s.date.map(|d| d.year()))
        .or_default();
    for c in &s.beneficiaries.counts {
        let i = match c.reach {
            AudienceReach::Direct => 0,
            AudienceReach::Indirect => 1,
        };
        cell[i] += u64::from(c.count);
    }
}

/// The year of each accident, by the item id it is shared under (`id`), from its month.
#[derive(Default)]
pub(crate) struct AccidentYears {
    years: HashMap<String, Option<i32>>,
}

impl AccidentYears {
    /// Keeps a shared accident's year.
    pub fn add(&mut self, accident: &Value) {
        if let Some(id) = accident.get("id").and_then(Value::as_str) {
            self.years.insert(id.to_owned(), year_of_month(accident));
        }
    }

    /// Adds a shared victim to its accident's year (None when the accident is not shared or
    /// has no month), sex and age band.
    pub fn add_victim(&self, t: &mut Tally, victim: &Value) {
        let text = |k: &str| {
            victim
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("unknown")
                .to_owned()
        };
        let year = victim
            .get("accident")
            .and_then(Value::as_str)
            .and_then(|a| self.years.get(a).copied().flatten());
        let i = match victim.get("outcome").and_then(Value::as_str) {
            Some("killed") => 0,
            Some("injured") => 1,
            _ => return,
        };
        t.casualties
            .entry((year, text("sex"), text("age_band")))
            .or_default()[i] += 1;
    }
}

/// The year of an accident's `date_month` ("2024-03").
fn year_of_month(accident: &Value) -> Option<i32> {
    accident
        .get("date_month")
        .and_then(Value::as_str)
        .and_then(|m| m.get(..4))
        .and_then(|y| y.parse().ok())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn victims_take_their_accidents_year() {
        let mut years = AccidentYears::default();
        years.add(&json!({"kind": "accident", "id": "ACC-1", "date_month": "2023-11"}));
        years.add(&json!({"kind": "accident", "id": "ACC-2", "date_month": null}));
        let mut t = Tally::default();
        let victim = |acc: &str, sex: &str, band: &str, outcome: &str| {
            json!({"kind": "victim", "accident": acc, "sex": sex, "age_band": band,
                   "outcome": outcome})
        };
        for v in [
            victim("ACC-1", "male", "18+", "killed"),
            victim("ACC-1", "male", "18+", "injured"),
            victim("ACC-1", "male", "18+", "injured"),
            victim("ACC-2", "female", "10–17", "injured"),
            victim("ACC-9", "withheld", "withheld", "killed"),
        ] {
            years.add_victim(&mut t, &v);
        }
        let key = |y: Option<i32>, s: &str, b: &str| (y, s.to_owned(), b.to_owned());
        assert_eq!(t.casualties[&key(Some(2023), "male", "18+")], [1, 2]);
        assert_eq!(t.casualties[&key(None, "female", "10–17")], [0, 1]);
        assert_eq!(t.casualties[&key(None, "withheld", "withheld")], [1, 0]);
        assert_eq!(t.casualties.len(), 3);
    }

    #[test]
    fn destroyed_items_and_beneficiaries_go_to_their_year() {
        let mut t = Tally::default();
        let find = |q: u32, destroyed: Option<&str>| -> EoFind {
            serde_json::from_value(
                json!({"local_id": "EO", "category": "ap_mine", "quantity": q,
                "destroyed_date": destroyed}),
            )
            .expect("find")
        };
        add_eo_find(&mut t, &find(3, Some("2024-02-01")));
        add_eo_find(&mut t, &find(4, Some("2024-12-31")));
        add_eo_find(&mut t, &find(50, None));
        assert_eq!(t.eo_destroyed.iter().collect::<Vec<_>>(), [(&2024, &7)]);

        let session: RiskEducationSession = serde_json::from_value(json!({
            "local_id": "RE", "date": "2025-03-04",
            "beneficiaries": {"counts": [
                {"sex": "female", "age_band": "adult", "reach": "direct", "count": 12},
                {"sex": "male", "age_band": "child", "reach": "direct", "count": 8},
                {"sex": "male", "age_band": "adult", "reach": "indirect", "count": 100}]}}))
        .expect("session");
        add_session(&mut t, &session);
        assert_eq!(t.risk_education[&Some(2025)], [20, 100]);
    }
}
