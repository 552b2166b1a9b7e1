use serde_json::json;

use super::*;
use crate::fixtures::{all_records, ctx};
use crate::{FieldError, Record};

fn errors(kind: ItemKind, record: Value) -> Vec<FieldError> {
    let mut e = ValidationErrors::default();
    apply(of(kind), &record, &ctx(), &mut e);
    e.0
}

#[test]
fn fixtures_of_every_form_kind_pass() {
    for r in all_records() {
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(errors(r.kind(), json.clone()), [], "{json}");
    }
}

#[test]
fn messages_fill_value_limit_and_other_in_one_pass() {
    assert_eq!(
        fill("{value} after {limit}", "{limit}", "X", ""),
        "{limit} after X"
    );
    assert_eq!(fill("a {b} {value}", "v", "", ""), "a {b} v");
    assert_eq!(show(1.0), "1");
    assert_eq!(show(13.5), "13.5");
}

#[test]
fn id_is_required_and_trimmed() {
    let e = errors(ItemKind::Victim, json!({"local_id": " V1"}));
    assert_eq!(
        e[0].message,
        "` V1` has leading or trailing spaces; ids must be trimmed"
    );
    let e = errors(ItemKind::Victim, json!({"local_id": null}));
    assert_eq!(
        (e[0].field.as_str(), e[0].message.as_str()),
        ("local_id", "is required")
    );
}

#[test]
fn points_out_of_range_name_their_coordinates() {
    let e = errors(
        ItemKind::Accident,
        json!({"local_id": "A", "location": {"type": "Point", "coordinates": [200.0, 13.5]}}),
    );
    assert_eq!(
        e[0].message,
        "(200, 13.5) is not a WGS 84 longitude, latitude (swapped?)"
    );
}

#[test]
fn nested_rules_name_the_element_and_any_positive_names_the_parent() {
    let e = errors(
        ItemKind::QaVisit,
        json!({"local_id": "Q", "non_conformities": [{"description": "x"}, {"description": " "}]}),
    );
    assert_eq!(e[0].field, "non_conformities[1].description");
    let e = errors(
        ItemKind::RiskEducation,
        json!({"local_id": "R", "beneficiaries": {"counts": [{"count": 0}]}}),
    );
    assert_eq!(e[0].field, "beneficiaries");
}

#[test]
fn the_record_checks_run_these_rules() {
    // The server's validation and the table agree: a broken rule of the table is reported by
    // Record::validate with the same field and message.
    for r in all_records() {
        let mut json = serde_json::to_value(&r).expect("json");
        json["local_id"] = json!(" padded");
        let Ok(record) = serde_json::from_value::<Record>(json.clone()) else {
            continue;
        };
        let table = errors(r.kind(), json);
        if of(r.kind()).is_empty() {
            continue;
        }
        let server = record.validate(&ctx()).expect_err("padded id");
        assert!(
            table.iter().all(|t| server.0.contains(t)),
            "{:?}: {table:?} vs {server:?}",
            r.kind()
        );
    }
}

#[test]
fn every_form_kind_has_rules_and_they_serialise_tagged() {
    for kind in FORM_KINDS {
        let rules = of(kind);
        assert!(!rules.is_empty(), "{kind:?}");
        let json = serde_json::to_value(rules).expect("json");
        assert_eq!(json[0]["rule"], "id");
    }
    let eo = serde_json::to_value(of(ItemKind::EoFind)).expect("json");
    assert_eq!(
        eo[2],
        json!({"rule": "not_after", "field": "found_date", "limit": "today",
        "message": "{value} is after today ({limit})"})
    );
}

#[test]
fn the_age_rule_says_the_largest_age_allowed() {
    let e = errors(
        ItemKind::Victim,
        json!({"local_id": "V", "age_at_accident": 130}),
    );
    assert_eq!(
        e[0].message,
        format!("130 is not a plausible age (0–{})", crate::MAX_AGE)
    );
}
