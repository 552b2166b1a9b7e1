//! `POST /api/import?repair=true`: the notes give a repaired polygon's area before and after,
//! a larger change than `repair_max_area_change` (percent, default 1) refuses the record with
//! both areas, a larger limit lets it in, and a negative one is a 400.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use common::Fixture;
use serde_json::json;

/// A 100 m square at (103.45, 13.45) with a 40 m hole drawn half outside its east edge.
fn half_out() -> Vec<u8> {
    let lat: f64 = 13.45;
    let at = |x: f64, y: f64| {
        json!([
            103.45 + x / (111_320.0 * lat.to_radians().cos()),
            lat + y / 110_574.0
        ])
    };
    let shell = json!([
        at(0.0, 0.0),
        at(100.0, 0.0),
        at(100.0, 100.0),
        at(0.0, 100.0),
        at(0.0, 0.0)
    ]);
    let hole = json!([
        at(80.0, 30.0),
        at(80.0, 70.0),
        at(120.0, 70.0),
        at(120.0, 30.0),
        at(80.0, 30.0)
    ]);
    serde_json::to_vec(&json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [shell, hole]},
         "properties": {"local_id": "HALF-OUT", "class": "sha"}}
    ]}))
    .unwrap()
}

async fn upload(f: &Fixture, query: &str) -> common::Reply {
    f.raw(
        Method::POST,
        &format!("/api/import?filename=h.geojson&dry_run=true&repair=true{query}"),
        Some("halo-entry"),
        &[("content-type", "application/octet-stream")],
        half_out(),
    )
    .await
}

#[tokio::test]
async fn the_repair_limit_is_a_query_parameter() {
    let f = Fixture::new();
    let refused = upload(&f, "").await.expect(200).json();
    assert_eq!(refused["would_import"], 0, "{refused}");
    let r = &refused["refused"][0];
    assert_eq!(r["local_id"], "HALF-OUT");
    assert_eq!(r["field"], "geometry");
    let reason = r["reason"].as_str().unwrap();
    assert!(
        reason.contains("repair would change the area from 8,")
            && reason.contains("more than the 1 % allowed"),
        "{reason}"
    );

    let allowed = upload(&f, "&repair_max_area_change=10")
        .await
        .expect(200)
        .json();
    assert_eq!(allowed["would_import"], 1, "{allowed}");
    let notes = allowed["notes"].to_string();
    assert!(notes.contains("geometry: repaired: area 8,"), "{notes}");

    upload(&f, "&repair_max_area_change=-1").await.expect(400);
}
