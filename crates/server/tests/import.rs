//! Importing a file over HTTP: dry run, import as submitted reports of the user's
//! organisation, refusals naming record and field, records already present, suspected twins held
//! for review and written when asked, roles.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use common::{Fixture, square};
use safeground_store::{ProgrammeStore, ReportFilter, ReportStatus};
use serde_json::{Value, json};

fn collection() -> Vec<u8> {
    let feature = |id: &str, class: &str, geometry: Value| {
        json!({"type": "Feature", "properties": {"local_id": id, "name": id, "class": class},
               "geometry": geometry})
    };
    serde_json::to_vec(&json!({"type": "FeatureCollection", "features": [
        feature("UP-1", "cha", square(103.31, 13.31, 120.0)),
        feature("UP-2", "Suspected hazardous area", square(103.33, 13.31, 90.0)),
        feature("UP-3", "minefield-ish", square(103.35, 13.31, 90.0)),
    ]}))
    .unwrap()
}

async fn upload(f: &Fixture, user: &str, query: &str, body: Vec<u8>) -> common::Reply {
    f.raw(
        Method::POST,
        &format!("/api/import?{query}"),
        Some(user),
        &[("content-type", "application/octet-stream")],
        body,
    )
    .await
}

fn submitted(f: &Fixture, organisation: &str) -> usize {
    f.store()
        .list_reports(&ReportFilter {
            status: Some(ReportStatus::Submitted),
            organisation: Some(organisation.into()),
            limit: 1000,
            ..ReportFilter::default()
        })
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_file_is_checked_then_imported_for_review_in_the_users_organisation() {
    let f = Fixture::new();
    let before = submitted(&f, "ORG-HALO");
    let dry = upload(
        &f,
        "halo-entry",
        "filename=survey.geojson&dry_run=true",
        collection(),
    )
    .await
    .expect(200)
    .json();
    assert_eq!(dry["records"], 3);
    assert_eq!(dry["would_import"], 2);
    assert_eq!(dry["imported"], 0);
    let refused = &dry["refused"][0];
    assert_eq!(refused["record"], "feature 3");
    assert_eq!(refused["local_id"], "UP-3");
    assert_eq!(refused["field"], "class");
    assert!(refused["reason"].as_str().unwrap().contains("hazard class"));
    assert_eq!(
        submitted(&f, "ORG-HALO"),
        before,
        "a dry run writes nothing"
    );

    let done = upload(&f, "halo-entry", "filename=survey.geojson", collection())
        .await
        .expect(200)
        .json();
    assert_eq!(done["imported"], 2, "{done}");
    assert_eq!(submitted(&f, "ORG-HALO"), before + 2);

    // The same features again (another file name, same content): already in the programme.
    let mut again = collection();
    again.extend_from_slice(b"\n");
    let twice = upload(&f, "halo-entry", "filename=again.geojson", again)
        .await
        .expect(200)
        .json();
    assert_eq!(twice["imported"], 0, "{twice}");
    assert_eq!(twice["duplicates"].as_array().unwrap().len(), 2);
    assert_eq!(twice["already_present"].as_array().unwrap().len(), 2);
    assert_eq!(twice["twins"].as_array().unwrap().len(), 0);
    assert_eq!(
        twice["not_written"],
        json!({"refused": 1, "twins": 0, "already_present": 2, "skipped": 0})
    );
    assert_eq!(submitted(&f, "ORG-HALO"), before + 2);
}

/// One hazard polygon first recorded on 2020-01-01, under `id`.
fn recorded(id: &str, lon: f64) -> Vec<u8> {
    serde_json::to_vec(&json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": square(lon, 13.41, 100.0),
         "properties": {"local_id": id, "class": "sha", "first_recorded": "2020-01-01"}}
    ]}))
    .unwrap()
}

#[tokio::test]
async fn a_suspected_twin_is_listed_with_its_twin_and_written_when_asked() {
    let f = Fixture::new();
    let before = submitted(&f, "ORG-HALO");
    let first = upload(
        &f,
        "halo-entry",
        "filename=a.geojson",
        recorded("TW-1", 103.41),
    )
    .await
    .expect(200)
    .json();
    assert_eq!(first["imported"], 1, "{first}");
    // The same polygon, first recorded the same day, under another local id: held.
    let held = upload(
        &f,
        "halo-entry",
        "filename=b.geojson",
        recorded("TW-2", 103.41),
    )
    .await
    .expect(200)
    .json();
    assert_eq!(held["imported"], 0, "{held}");
    assert_eq!(held["not_written"]["twins"], 1, "{held}");
    let twin = &held["twins"][0];
    assert_eq!(twin["local_id"], "TW-2");
    assert!(
        twin["twin_of"]
            .as_str()
            .unwrap()
            .ends_with("(local id TW-1)"),
        "{twin}"
    );
    assert!(
        twin["reason"]
            .as_str()
            .unwrap()
            .contains("date first recorded 2020-01-01"),
        "{twin}"
    );
    // Another polygon: not a twin.
    let other = upload(
        &f,
        "halo-entry",
        "filename=c.geojson",
        recorded("TW-3", 103.45),
    )
    .await
    .expect(200)
    .json();
    assert_eq!(other["imported"], 1, "{other}");
    // Reviewed: written when asked.
    let asked = upload(
        &f,
        "halo-entry",
        "filename=b.geojson&import_twins=true",
        recorded("TW-2", 103.41),
    )
    .await
    .expect(200)
    .json();
    assert_eq!(asked["imported"], 1, "{asked}");
    assert_eq!(submitted(&f, "ORG-HALO"), before + 3);
}

#[tokio::test]
async fn imports_need_the_right_role_and_a_ready_mapping() {
    let f = Fixture::new();
    upload(&f, "viewer", "filename=a.geojson", collection())
        .await
        .expect(403);
    let unknown = upload(
        &f,
        "halo-entry",
        "filename=a.geojson&mapping=../../etc/passwd",
        collection(),
    )
    .await
    .expect(400);
    assert!(String::from_utf8_lossy(&unknown.bytes).contains("no ready mapping"));
    let bad = upload(
        &f,
        "halo-entry",
        "filename=a.geojson",
        b"{\"type\": \"Feat".to_vec(),
    )
    .await
    .expect(400);
    assert!(String::from_utf8_lossy(&bad.bytes).contains("not valid JSON"));
    upload(&f, "halo-entry", "filename=a.geojson&nope=1", collection())
        .await
        .expect(422);
    let list = f
        .get("/api/import/mappings", Some("halo-entry"))
        .await
        .expect(200);
    assert!(
        list.json()
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "safeground-hazard")
    );
}
