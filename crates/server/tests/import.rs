//! Importing a file over HTTP: dry run, import as submitted reports of the user's
//! organisation, refusals naming record and field, duplicates, roles.
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

    // The same features again (another file name, same content): twins are left out.
    let mut again = collection();
    again.extend_from_slice(b"\n");
    let twice = upload(&f, "halo-entry", "filename=again.geojson", again)
        .await
        .expect(200)
        .json();
    assert_eq!(twice["imported"], 0, "{twice}");
    assert_eq!(twice["duplicates"].as_array().unwrap().len(), 2);
    assert_eq!(submitted(&f, "ORG-HALO"), before + 2);
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
