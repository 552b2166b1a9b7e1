//! Heavy geometry through the API: a vertex limit per geometry (422 naming the field and the
//! limit), and the geometry checks off the async runtime, so that a big polygon being checked
//! never holds up other requests.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Mutex;

use common::{Fixture, hazard_report};
use safeground_geo::MAX_FIELD_VERTICES;
use serde_json::{Value, json};

/// A comb of `teeth` long horizontal teeth near Battambang (4 · teeth + 3 positions, closing
/// one included): simple, not star-shaped, so the self-intersection check sweeps all of it.
fn comb(teeth: usize) -> Value {
    let (x0, y0, dy) = (103.0, 13.0, 2e-7);
    let (inner, tip) = (x0 + 1e-3, x0 + 1e-2);
    let y = |k: usize| y0 + k as f64 * dy;
    let mut ring = vec![[x0, y0]];
    for k in 0..teeth {
        ring.extend([
            [tip, y(2 * k)],
            [tip, y(2 * k + 1)],
            [inner, y(2 * k + 1)],
            [inner, y(2 * k + 2)],
        ]);
    }
    ring.push([x0, y(2 * teeth)]);
    ring.push([x0, y0]);
    json!({ "type": "Polygon", "coordinates": [ring] })
}

fn positions(geometry: &Value) -> usize {
    geometry["coordinates"][0].as_array().unwrap().len()
}

#[tokio::test]
async fn geometries_over_the_vertex_limit_are_422_naming_the_field_and_the_limit() {
    let f = Fixture::new();
    let big = comb(MAX_FIELD_VERTICES / 4);
    let count = positions(&big);
    assert!(count > MAX_FIELD_VERTICES);
    let limit = format!("more than the {MAX_FIELD_VERTICES} allowed");

    let r = f
        .post(
            "/api/geometry/preview",
            Some("viewer"),
            &json!({ "geometry": big }),
        )
        .await
        .expect(422);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    let p = r.json();
    assert_eq!(p["errors"][0]["field"], "geometry", "{p}");
    let message = p["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("has {count} vertices")),
        "{message}"
    );
    assert!(message.contains(&limit), "{message}");

    // Turning points are counted before any is converted.
    let points: Vec<Value> = (0..=MAX_FIELD_VERTICES)
        .map(|i| json!({ "lat": 13.0 + i as f64 * 1e-7, "lon": 103.0 }))
        .collect();
    let r = f
        .post(
            "/api/geometry/preview",
            Some("viewer"),
            &json!({ "points": points }),
        )
        .await
        .expect(422);
    assert_eq!(r.json()["errors"][0]["field"], "points");

    // Submission: refused, named by entry and field, nothing written.
    let report = hazard_report("BIG-1", None, big);
    let r = f
        .post("/api/reports?submit=true", Some("halo-entry"), &report)
        .await
        .expect(422);
    let p = r.json();
    assert_eq!(p["errors"][0]["field"], "entries[0].record.geometry", "{p}");
    assert!(
        p["errors"][0]["message"].as_str().unwrap().contains(&limit),
        "{p}"
    );
    // The same as a draft, then submitted.
    let draft = f
        .post("/api/reports", Some("halo-entry"), &report)
        .await
        .expect(201)
        .json();
    let id = draft["id"].as_i64().unwrap();
    let p = f
        .post(
            &format!("/api/reports/{id}/submit"),
            Some("halo-entry"),
            &json!({}),
        )
        .await
        .expect(422)
        .json();
    assert_eq!(p["errors"][0]["field"], "entries[0].record.geometry", "{p}");
}

/// On a single-threaded runtime, a request sent while the largest allowed polygon is being
/// checked completes first: the check runs on a blocking thread, not on the runtime's one
/// (where it would hold every other request until it ended).
#[tokio::test(flavor = "current_thread")]
async fn a_big_preview_does_not_hold_up_other_requests() {
    let f = Fixture::new();
    let big = comb((MAX_FIELD_VERTICES - 3) / 4);
    assert!(positions(&big) <= MAX_FIELD_VERTICES);
    let body = json!({ "geometry": big });
    let done = Mutex::new(Vec::new());
    let preview = async {
        let r = f
            .post("/api/geometry/preview", Some("viewer"), &body)
            .await
            .expect(200);
        assert_eq!(r.json()["issues"], json!([]), "the comb is valid");
        done.lock().unwrap().push("preview");
    };
    let health = async {
        // Time for the preview to pass authentication and start its check.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        f.get("/health", None).await.expect(200);
        done.lock().unwrap().push("health");
    };
    tokio::join!(preview, health);
    assert_eq!(*done.lock().unwrap(), ["health", "preview"]);
}
