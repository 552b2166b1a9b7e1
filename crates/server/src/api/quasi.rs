//! Victims' quasi-identifiers generalised for roles without victim access: with a victim's
//! exact age and the exact date of the accident anyone could derive the birth year, and with an
//! exact point the home. Such roles get an age band instead of the age, the month instead of
//! the date (of the accident, and of information of victims' and accidents' versions), points
//! snapped to a 0.01° grid, and, in lists of victims, the same small-number suppression as the
//! published figures: the sex and age band of a victim whose group (sex, age band, outcome)
//! counts fewer than [`safeground_io::quasi::SUPPRESS_BELOW`] victims are withheld. The rules
//! themselves live in [`safeground_io::quasi`], shared with the OGC collections and exports.

use std::collections::HashMap;

use safeground_io::quasi::{Group, age_band, grid, month};
use safeground_model::{ItemKind, Record};
use safeground_store::Backend;
use serde_json::{Map, Value, json};

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};

pub use safeground_io::quasi::suppress_victim;

/// Fields of victims and accidents that identify a person with other data; lists do not filter,
/// sort or search on them for roles without victim access.
pub const QUASI_FIELDS: [&str; 4] = ["age_at_accident", "date", "location", "date_of_information"];

/// Whether `who` sees victims' and accidents' exact values.
pub fn exact(who: &Principal) -> bool {
    who.can(Permission::PersonalData)
}

/// Whether records of `kind` carry quasi-identifiers.
pub fn has_quasi(kind: ItemKind) -> bool {
    matches!(kind, ItemKind::Victim | ItemKind::Accident)
}

fn snap(v: &mut Value) {
    match v {
        Value::Number(n) => {
            if let Some(x) = n.as_f64() {
                *v = json!(grid(x));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(snap),
        Value::Object(o) => {
            if let Some(c) = o.get_mut("coordinates") {
                snap(c);
            }
        }
        _ => {}
    }
}

/// Generalises a record's JSON (a victim or an accident) in place.
pub fn generalise_record(record: &mut Value) {
    let Some(o) = record.as_object_mut() else {
        return;
    };
    match o.get("kind").and_then(Value::as_str) {
        Some("victim") => {
            let age = o.remove("age_at_accident").and_then(|a| a.as_u64());
            o.insert("age_band".into(), json!(age.map(age_band)));
        }
        Some("accident") => {
            if let Some(date) = o.remove("date") {
                o.insert("date_month".into(), month(&date));
            }
            if let Some(location) = o.get_mut("location") {
                snap(location);
            }
        }
        _ => {}
    }
}

/// Generalises a version's JSON (`record`, `valid_from`) for `who`, when needed.
pub fn generalise_version(who: &Principal, doc: &mut Value) {
    if exact(who) {
        return;
    }
    let Some(record) = doc.get_mut("record") else {
        return;
    };
    if !matches!(
        record.get("kind").and_then(Value::as_str),
        Some("victim" | "accident")
    ) {
        return;
    }
    generalise_record(record);
    if let Some(valid_from) = doc.get_mut("valid_from") {
        *valid_from = month(valid_from);
    }
}

/// A flat list row of a victim or an accident (`date_of_information` and the record's fields),
/// generalised in place.
pub fn generalise_row(kind: ItemKind, row: &mut Map<String, Value>) {
    let mut record = Value::Object(std::mem::take(row));
    record["kind"] = json!(kind.code());
    generalise_record(&mut record);
    if let Value::Object(mut o) = record {
        o.remove("kind");
        if let Some(d) = o.get_mut("date_of_information") {
            *d = month(d);
        }
        if let Some(l) = o.get_mut("location")
            && let Some(text) = l.as_str()
            && let Ok(mut point) = serde_json::from_str::<Value>(text)
        {
            snap(&mut point);
            *l = json!(point.to_string());
        }
        *row = o;
    }
}

/// Number of current victims per group (sex, age band, outcome).
pub fn victim_groups(s: &dyn Backend) -> ApiResult<HashMap<Group, u64>> {
    Ok(safeground_io::quasi::victim_groups(s)?)
}

/// Refuses, for roles without victim access, a list of victims or accidents that filters,
/// sorts or searches on a quasi-identifier (a count could reveal an exact age or date).
pub fn check_list_query(
    who: &Principal,
    kind: ItemKind,
    text: Option<&str>,
    sort: &str,
    filters: &[(String, String)],
) -> ApiResult<()> {
    if exact(who) || !has_quasi(kind) {
        return Ok(());
    }
    let forbidden = |field: &str| {
        ApiError::forbidden(format!(
            "lists of {} are not searched, filtered or sorted by `{field}` for your role ({}): \
             ages, dates and places of victims and accidents are generalised; ask a \
             victim-assistance officer",
            kind.code(),
            who.role
        ))
    };
    if text.is_some() {
        return Err(forbidden("q"));
    }
    if let Some(f) = std::iter::once(sort)
        .chain(filters.iter().map(|(k, _)| k.as_str()))
        .find(|f| QUASI_FIELDS.contains(f))
    {
        return Err(forbidden(f));
    }
    Ok(())
}

/// For a user without victim access who sends back a victim or an accident read generalised,
/// the exact values the current version holds are kept where the record left them out or
/// repeats their generalised form; explicit new values are taken.
pub fn keep_exact(who: &Principal, current: &Record, edit: &mut Record) {
    if exact(who) {
        return;
    }
    match (current, edit) {
        (Record::Victim(c), Record::Victim(e)) if e.age_at_accident.is_none() => {
            e.age_at_accident = c.age_at_accident;
        }
        (Record::Accident(c), Record::Accident(e)) => {
            if e.date.is_none() {
                e.date = c.date;
            }
            let snapped = c.location.map(|p| (grid(p.x()), grid(p.y())));
            if e.location.is_some() && e.location.map(|p| (p.x(), p.y())) == snapped {
                e.location = c.location;
            }
        }
        _ => {}
    }
}
