//! Reference data over HTTP: the catalogue in force (built-in models and the reference set
//! adopted), finds checked against it when a report is submitted, the regional code lists
//! applied by an import, and the hub's signed reference document for its nodes.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use common::{Fixture, square};
use safeground_federation::ReferenceSet;
use safeground_store::reference::ReferenceStore;
use serde_json::{Value, json};

fn find_report(model: &str, category: &str) -> Value {
    json!({
        "title": "clearance finds",
        "date_of_information": "2025-01-10",
        "entries": [{"record": {
            "kind": "eo_find", "local_id": "EO-REF-1", "category": category, "model": model,
            "quantity": 1, "location": {"type": "Point", "coordinates": [103.2, 13.1]}
        }}]
    })
}

#[tokio::test]
async fn the_catalogue_in_force_checks_submitted_finds() {
    let f = Fixture::new();
    f.get("/api/reference", None).await.expect(401);
    let before = f
        .get("/api/reference", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(before["version"], 0);
    let models = |v: &Value| -> Vec<String> {
        (v["ordnance"].as_array().unwrap().iter())
            .map(|m| m["model"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(models(&before).contains(&"PMN-2".to_owned()));
    assert!(!models(&before).contains(&"PFM-1".to_owned()));

    f.adopt_reference();
    let after = f
        .get("/api/reference", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(
        (after["hub"].as_str(), after["version"].as_u64()),
        (Some("ARMAC"), Some(1))
    );
    let pfm = (after["ordnance"].as_array().unwrap().iter())
        .find(|m| m["model"] == "PFM-1")
        .unwrap();
    assert_eq!(pfm["source"], "reference");
    assert_eq!(pfm["aliases"], json!(["butterfly mine"]));
    assert_eq!(after["codes"]["hazard_class"]["Vùng nghi ngờ"], "sha");

    // A find of a reference model under another category is refused at submission.
    let draft = f
        .post(
            "/api/reports",
            Some("reviewer"),
            &find_report("butterfly mine", "at_mine"),
        )
        .await
        .expect(201)
        .json();
    let id = draft["id"].as_i64().unwrap();
    let refused = f
        .post(
            &format!("/api/reports/{id}/submit"),
            Some("reviewer"),
            &json!({}),
        )
        .await
        .expect(422)
        .json();
    assert_eq!(
        refused["errors"][0]["field"], "entries[0].record.category",
        "{refused}"
    );
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("PFM-1"),
        "{refused}"
    );
    let ok = f
        .post(
            "/api/reports",
            Some("reviewer"),
            &find_report("PFM-1", "ap_mine"),
        )
        .await
        .expect(201)
        .json();
    let id = ok["id"].as_i64().unwrap();
    f.post(
        &format!("/api/reports/{id}/submit"),
        Some("reviewer"),
        &json!({}),
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn a_hub_serves_its_latest_signed_reference_set() {
    let f = Fixture::new();
    f.get("/api/hub/reference", Some("viewer"))
        .await
        .expect(404);
    f.make_hub();
    f.get("/api/hub/reference", None).await.expect(401);
    f.get("/api/hub/reference", Some("viewer"))
        .await
        .expect(404);
    let (key, set, doc) = common::armac_reference();
    f.store().publish_reference("test", 1, &doc).unwrap();
    let reply = f
        .get("/api/hub/reference", Some("viewer"))
        .await
        .expect(200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/json")
    );
    let text = String::from_utf8(reply.bytes.clone()).unwrap();
    let read = ReferenceSet::verify(&text, &key.card("ARMAC").unwrap()).unwrap();
    assert_eq!(read, set);
    // A national viewer of the hub (the account a node pulls with) may fetch it.
    f.get("/api/hub/reference", Some("khm-viewer"))
        .await
        .expect(200);
}

#[tokio::test]
async fn an_import_translates_the_regional_terms_adopted() {
    let f = Fixture::new();
    let body = serde_json::to_vec(&json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"local_id": "VN-1", "class": "Vùng nghi ngờ"},
         "geometry": square(103.31, 13.31, 100.0)}
    ]}))
    .unwrap();
    let upload = |body: Vec<u8>| {
        f.raw(
            Method::POST,
            "/api/import?filename=vn.geojson&dry_run=true",
            Some("halo-entry"),
            &[("content-type", "application/octet-stream")],
            body,
        )
    };
    // Before the programme adopts the lists, the Vietnamese term is no hazard class.
    let before = upload(body.clone()).await.expect(200).json();
    assert_eq!(
        before["refused"].as_array().map(Vec::len),
        Some(1),
        "{before}"
    );
    f.adopt_reference();
    let after = upload(body).await.expect(200).json();
    assert_eq!(
        after["refused"].as_array().map(Vec::len),
        Some(0),
        "{after}"
    );
}
