//! Victims' quasi-identifiers generalised for readers without victim access. With a victim's
//! exact age and the exact date of the accident anyone could derive the birth year, and with an
//! exact point the home; such readers get an age band instead of the age, the month instead of
//! the date (of the accident and of information), points on a 0.01° grid, and lists of victims
//! withhold the sex and age band of a victim whose group (sex, age band, outcome) counts fewer
//! than [`SUPPRESS_BELOW`] victims, as the published figures do. The same rules serve the API's
//! record lists, the OGC collections and the exports.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use geo_types::{Geometry, Point};
use safeground_model::{ItemKind, Record};
use safeground_store::{Flow, ProgrammeStore, StoreError};
use serde_json::{Map, Value, json};

use crate::collections::{Feature, Source, for_each_feature};

/// The figures' suppression threshold: groups of fewer victims are not shown.
pub const SUPPRESS_BELOW: u64 = 5;

/// Grid points are snapped to, degrees.
const GRID_DEG: f64 = 0.01;

/// Shown instead of a withheld value.
pub const WITHHELD: &str = "withheld";

/// The age band of an age (the figures' child/adult split, children in finer bands).
pub fn age_band(age: u64) -> &'static str {
    match age {
        0..=4 => "0–4",
        5..=9 => "5–9",
        10..=17 => "10–17",
        _ => "18+",
    }
}

/// `x` on the grid (two decimals, as 0.01° steps).
pub fn grid(x: f64) -> f64 {
    ((x / GRID_DEG).round() * GRID_DEG * 100.0).round() / 100.0
}

/// The month (`2024-03`) of a date's JSON text; `null` for anything else.
pub fn month(v: &Value) -> Value {
    v.as_str()
        .and_then(|s| s.get(..7))
        .map_or(Value::Null, |m| json!(m))
}

/// Whether features of `source` carry quasi-identifiers (victims and accidents).
pub fn has_quasi(source: Source) -> bool {
    matches!(
        source,
        Source::Items(ItemKind::Victim) | Source::Items(ItemKind::Accident)
    )
}

/// A (sex, age band, outcome) group of victims.
pub type Group = (String, String, String);

fn group_of(sex: &Value, band: &Value, outcome: &Value) -> Group {
    let s = |v: &Value| v.as_str().unwrap_or("").to_owned();
    (s(sex), s(band), s(outcome))
}

/// Number of current victims per group, for [`suppress_victim`].
pub fn victim_groups<S: ProgrammeStore + ?Sized>(
    store: &S,
) -> Result<HashMap<Group, u64>, StoreError> {
    let mut groups: HashMap<Group, u64> = HashMap::new();
    store.for_each_current(ItemKind::Victim, None, &mut |v| {
        if let Record::Victim(victim) = &v.record {
            let band = victim.age_at_accident.map(|a| age_band(u64::from(a)));
            let key = group_of(&json!(victim.sex), &json!(band), &json!(victim.outcome));
            *groups.entry(key).or_default() += 1;
        }
        Ok(Flow::Continue)
    })?;
    Ok(groups)
}

/// Withholds the sex and age band of a generalised victim (its fields as a map) whose group
/// counts fewer than [`SUPPRESS_BELOW`] victims.
pub fn suppress_victim(groups: &HashMap<Group, u64>, victim: &mut Map<String, Value>) {
    let null = Value::Null;
    let key = group_of(
        victim.get("sex").unwrap_or(&null),
        victim.get("age_band").unwrap_or(&null),
        victim.get("outcome").unwrap_or(&null),
    );
    if groups.get(&key).copied().unwrap_or(0) < SUPPRESS_BELOW {
        victim.insert("sex".into(), json!(WITHHELD));
        victim.insert("age_band".into(), json!(WITHHELD));
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Generalises a feature of `source` in place: a victim's age becomes its band, an accident's
/// date its month (`date_month`) and its point the grid's, the date of information its month;
/// the feature's own date (what `datetime` filters on) becomes the first of its month, so a
/// filter applied after this cannot narrow a date or a place down again. Other sources are
/// left as they are.
pub fn generalise_feature(source: Source, f: &mut Feature) {
    let p = &mut f.properties;
    match source {
        Source::Items(ItemKind::Victim) => {
            let age = p.remove("age_at_accident").and_then(|a| a.as_u64());
            p.insert("age_band".into(), json!(age.map(age_band)));
        }
        Source::Items(ItemKind::Accident) => {
            if let Some(date) = p.remove("date") {
                p.insert("date_month".into(), month(&date));
            }
            if let Some(Geometry::Point(pt)) = &mut f.geometry {
                *pt = Point::new(grid(pt.x()), grid(pt.y()));
            }
        }
        _ => return,
    }
    if let Some(d) = p.get_mut("date_of_information") {
        *d = month(d);
    }
    f.date = f.date.map(first_of_month);
}

/// [`for_each_feature`] as a reader sees the features: generalised (see
/// [`generalise_feature`]) when `generalised` is set, so that filters, counts and extents
/// computed from them are generalised too.
pub fn for_each_feature_seen<S: ProgrammeStore + ?Sized, E: From<StoreError>>(
    store: &S,
    source: Source,
    after: Option<&str>,
    generalised: bool,
    f: &mut dyn FnMut(Feature) -> Result<Flow, E>,
) -> Result<(), E> {
    if !generalised || !has_quasi(source) {
        return for_each_feature(store, source, after, f);
    }
    for_each_feature(store, source, after, &mut |mut feature| {
        generalise_feature(source, &mut feature);
        f(feature)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(properties: Value, geometry: Option<Geometry<f64>>) -> Feature {
        let Value::Object(properties) = properties else {
            panic!("an object");
        };
        Feature {
            id: "X".into(),
            geometry,
            date: NaiveDate::from_ymd_opt(2019, 7, 23),
            properties,
        }
    }

    #[test]
    fn an_accident_keeps_its_month_and_a_grid_point_only() {
        let mut f = feature(
            json!({"date": "2019-07-23", "date_of_information": "2019-08-02", "device": "ap_mine"}),
            Some(Geometry::Point(Point::new(104.916_71, 11.553_49))),
        );
        generalise_feature(Source::Items(ItemKind::Accident), &mut f);
        assert_eq!(f.properties.get("date"), None);
        assert_eq!(f.properties["date_month"], json!("2019-07"));
        assert_eq!(f.properties["date_of_information"], json!("2019-08"));
        assert_eq!(f.properties["device"], json!("ap_mine"));
        assert_eq!(f.geometry, Some(Geometry::Point(Point::new(104.92, 11.55))));
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2019, 7, 1));
    }

    #[test]
    fn a_victim_keeps_an_age_band_and_hazards_are_untouched() {
        let mut v = feature(json!({"age_at_accident": 7, "sex": "female"}), None);
        generalise_feature(Source::Items(ItemKind::Victim), &mut v);
        assert_eq!(v.properties.get("age_at_accident"), None);
        assert_eq!(v.properties["age_band"], json!("5–9"));
        let mut h = feature(json!({"date_of_information": "2019-08-02"}), None);
        generalise_feature(Source::Hazards, &mut h);
        assert_eq!(h.properties["date_of_information"], json!("2019-08-02"));
        assert_eq!(h.date, NaiveDate::from_ymd_opt(2019, 7, 23));
    }

    #[test]
    fn small_groups_are_withheld() {
        let mut groups = HashMap::new();
        groups.insert(("male".into(), "18+".into(), "injured".into()), 12);
        groups.insert(("female".into(), "5–9".into(), "killed".into()), 2);
        let mut big = json!({"sex": "male", "age_band": "18+", "outcome": "injured"});
        let mut small = json!({"sex": "female", "age_band": "5–9", "outcome": "killed"});
        for v in [&mut big, &mut small] {
            if let Value::Object(m) = v {
                suppress_victim(&groups, m);
            }
        }
        assert_eq!(big["sex"], json!("male"));
        assert_eq!(small["sex"], json!(WITHHELD));
        assert_eq!(small["age_band"], json!(WITHHELD));
    }
}
