//! GET /api/reports/{id}/land-release: what approving a submitted report would do to each
//! hazard it releases land on, before the approval, and the same figures once approved.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Fixture, hazard_report, square};
use serde_json::json;

#[tokio::test]
async fn the_reviewer_sees_the_remaining_area_before_and_after_approval() {
    let f = Fixture::new();
    let target = f.largest_remaining_hazard();
    let inside = geo::InteriorPoint::interior_point(target.remaining.as_ref().unwrap()).unwrap();
    let polygon = square(inside.x(), inside.y(), 20.0);
    let report = json!({
        "organisation": "ORG-HALO", "title": "Clearance", "source": "test",
        "date_of_information": "2025-03-01",
        "entries": [{"record": {
            "kind": "activity", "local_id": "REVIEW-1", "activity_type": "clearance",
            "status": "completed", "organisation": "ORG-HALO", "hazard": target.item,
            "released_areas": [{"method": "cleared", "asset_type": "manual",
                "geometry": {"type": "MultiPolygon", "coordinates": [polygon["coordinates"]]}}]
        }}]
    });
    let id = f
        .post("/api/reports?submit=true", Some("halo-entry"), &report)
        .await
        .expect(201)
        .json()["id"]
        .as_i64()
        .unwrap();
    let uri = format!("/api/reports/{id}/land-release");
    let preview = f.get(&uri, Some("approver")).await.expect(200).json();
    let rows = preview["hazards"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{preview}");
    let row = &rows[0];
    let m2 = |k: &str| row[k].as_f64().unwrap();
    assert_eq!(row["hazard"], target.item.as_str());
    assert!((m2("remaining_before_m2") - target.remaining_m2).abs() < 0.01);
    assert!((m2("released_m2") - 400.0).abs() < 5.0, "{row}");
    assert!(
        (m2("remaining_before_m2") - m2("released_m2") - m2("remaining_after_m2")).abs() < 0.01
    );
    for k in ["geometry", "remaining_before", "remaining_after"] {
        assert!(row[k]["type"].is_string(), "{k}: {}", row[k]);
    }
    assert_eq!(row["released"].as_array().unwrap().len(), 1);

    // Who may see it: reviewers and approvers, not viewers or data entry.
    f.get(&uri, Some("viewer")).await.expect(403);
    f.get(&uri, Some("halo-entry")).await.expect(403);
    f.get("/api/reports/999999/land-release", Some("approver"))
        .await
        .expect(404);

    // Once approved, the hazard's remaining area is what the preview said.
    f.approve(id, "approver").await.expect(200);
    let after = f
        .get(
            &format!("/api/hazards/{}/state", target.item),
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    let remaining = after["remaining_m2"].as_f64().unwrap();
    assert!(
        (remaining - m2("remaining_after_m2")).abs() < 0.5,
        "preview {} after approval {remaining}",
        m2("remaining_after_m2")
    );
}

#[tokio::test]
async fn the_preview_answers_as_the_report_does_for_other_organisations_and_unknown_ids() {
    let f = Fixture::new();
    let body = hazard_report("MAG-PREVIEW-1", Some("ORG-MAG"), square(103.2, 13.05, 50.0));
    let r = f
        .post("/api/reports", Some("mag-entry"), &body)
        .await
        .expect(201);
    let id = r.json()["id"].as_i64().unwrap();
    for id in [id, 999_999] {
        let report = f
            .get(&format!("/api/reports/{id}"), Some("halo-approver"))
            .await;
        let preview = f
            .get(
                &format!("/api/reports/{id}/land-release"),
                Some("halo-approver"),
            )
            .await;
        assert_eq!(preview.status, report.status, "report {id}");
        assert_eq!(preview.json()["detail"], report.json()["detail"]);
    }
}
