//! The offline field app checks entries with the same rules as the server: the rules travel
//! in `GET /api/forms`, and the app's interpreter (`web/src/field/rules.ts`) must find exactly
//! what the server's (`safeground_model::rules`) finds. Cases that break every kind of rule,
//! and pass it, are run through both (Node.js runs the app's module; skipped with a reason
//! when Node.js or the web packages are missing).

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::Fixture;
use safeground_model::rules::{self, FORM_KINDS};
use safeground_model::{ItemKind, ValidationContext, ValidationErrors};
use serde_json::{Value, json};

fn point(x: f64, y: f64) -> Value {
    json!({"type": "Point", "coordinates": [x, y]})
}

/// Records that break, or just pass, each rule of each kind.
fn cases() -> Vec<(ItemKind, Value)> {
    let mut out = Vec::new();
    let mut add = |k: ItemKind, v: Value| out.push((k, v));
    for kind in FORM_KINDS {
        add(kind, json!({"local_id": "X-1"}));
        add(kind, json!({"local_id": " X-1 "}));
        add(kind, json!({"local_id": ""}));
        add(kind, json!({}));
        add(kind, json!({"local_id": "{limit} {value}"}));
    }
    use ItemKind::*;
    for q in [0, 1, 2] {
        add(EoFind, json!({"local_id": "E", "quantity": q}));
    }
    for (found, destroyed) in [
        ("2026-03-01", "2026-02-01"),
        ("2026-02-01", "2026-02-01"),
        ("2026-12-31", "2027-01-01"),
        ("2026-02-28", "2026-03-02"),
    ] {
        add(
            EoFind,
            json!({"local_id": "E", "quantity": 1, "found_date": found, "destroyed_date": destroyed}),
        );
    }
    add(
        EoFind,
        json!({"local_id": "E", "quantity": 1, "disposal": "not_disposed", "destroyed_date": "2026-01-02"}),
    );
    add(
        EoFind,
        json!({"local_id": "E", "quantity": 1, "disposal": "not_disposed", "destroyed_date": null}),
    );
    for (x, y) in [
        (104.9, 11.5),
        (200.0, 13.5),
        (13.5, -95.25),
        (-180.0, 90.0),
        (180.000001, 0.0),
    ] {
        add(
            EoFind,
            json!({"local_id": "E", "quantity": 1, "location": point(x, y)}),
        );
        add(Accident, json!({"local_id": "A", "location": point(x, y)}));
    }
    add(Accident, json!({"local_id": "A", "date_known": true}));
    add(
        Accident,
        json!({"local_id": "A", "date_known": true, "date": "2026-02-01"}),
    );
    add(Accident, json!({"local_id": "A", "date_known": false}));
    add(Accident, json!({"local_id": "A", "date": "2026-02-15"}));
    for age in [0, 120, 121, 7] {
        add(Victim, json!({"local_id": "V", "age_at_accident": age}));
        add(
            Assistance,
            json!({"local_id": "S", "persons": 1, "age": age}),
        );
    }
    for persons in [0, 1] {
        add(
            Assistance,
            json!({"local_id": "S", "persons": persons, "date": "2026-01-31"}),
        );
    }
    add(
        RiskEducation,
        json!({"local_id": "R", "beneficiaries": {"counts": []}}),
    );
    add(
        RiskEducation,
        json!({"local_id": "R", "beneficiaries": {"counts": [{"count": 0}, {"count": 3}]}}),
    );
    add(
        RiskEducation,
        json!({"local_id": "R", "beneficiaries": {"counts": [{"count": 0}]}}),
    );
    add(RiskEducation, json!({"local_id": "R"}));
    add(
        QaVisit,
        json!({"local_id": "Q", "non_conformities": [{"description": "x"}, {"description": " "}, {}]}),
    );
    add(
        QaVisit,
        json!({"local_id": "Q", "date": "2027-05-01", "non_conformities": []}),
    );
    add(
        Activity,
        json!({"local_id": "T", "start_date": "2026-01-10", "end_date": "2026-01-09"}),
    );
    add(
        Activity,
        json!({"local_id": "T", "start_date": "2026-01-10", "end_date": "2026-01-10"}),
    );
    add(
        Activity,
        json!({"local_id": "T", "released_areas": [{"reported_area_m2": -1.5}, {"reported_area_m2": 0}, {}]}),
    );
    out
}

#[tokio::test]
async fn the_app_finds_what_the_server_finds() {
    let web = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web");
    if Command::new("node").arg("--version").output().is_err()
        || !web.join("node_modules/rolldown").is_dir()
    {
        println!("skipped: Node.js or web/node_modules missing (npm ci in web/ installs them)");
        return;
    }
    let f = Fixture::new();
    let forms = f
        .get("/api/forms", Some("halo-entry"))
        .await
        .expect(200)
        .json();
    let context = json!({"today": "2026-12-31", "date_of_information": "2026-02-28"});
    let ctx = ValidationContext {
        today: "2026-12-31".parse().expect("date"),
        date_of_information: "2026-02-28".parse().expect("date"),
    };
    let cases: Vec<Value> = cases()
        .into_iter()
        .map(|(kind, record)| {
            let mut e = ValidationErrors::default();
            rules::apply(rules::of(kind), &record, &ctx, &mut e);
            json!({"kind": kind.code(), "record": record, "context": context, "errors": e})
        })
        .collect();
    // The cases do break rules (a conformance of nothing would prove nothing).
    let broken = cases
        .iter()
        .filter(|c| c["errors"].as_array().is_some_and(|a| !a.is_empty()))
        .count();
    assert!(broken > 40, "{broken} cases break a rule");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("cases.json");
    std::fs::write(
        &file,
        serde_json::to_vec(&json!({"forms": forms, "cases": cases})).expect("json"),
    )
    .expect("write");
    let out = Command::new("node")
        .arg("scripts/check-rules.mjs")
        .arg(&file)
        .current_dir(&web)
        .output()
        .expect("node runs");
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
