//! Detector summaries over HTTP (issue 28): the node's `GET /api/federation/detector-summary`
//! (signed, verifying with its card, figures only, audited; for administrators of the national
//! authority, 404 without the node key) and the hub's dashboard carrying each country's
//! detector metrics in `detectors`, a row per node, model, version and class.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use chrono::{Duration, SubsecRound, Utc};
use common::Fixture;
use safeground_federation::detector_summary::{
    CalibrationBin, DetectorRow, ReceivedDetectorSummary,
};
use safeground_federation::{DetectorSummary, NodeId, NodeKey, Policy};
use safeground_server::ServerConfig;
use safeground_server::federation::Sharing;
use safeground_store::hub::NewHubNode;
use safeground_store::{FederationStore, HubDetectorStore, HubStore, ProgrammeStore};

#[tokio::test]
async fn the_node_serves_its_signed_detector_summary_to_national_administrators_only() {
    let key = NodeKey::generate(NodeId::new("KHM").unwrap()).unwrap();
    let card = key.card("Cambodia (CMAA)").unwrap();
    let f = Fixture::with_config(ServerConfig {
        sharing: Some(Arc::new(Sharing {
            key,
            policy: Policy::default(),
        })),
        ..ServerConfig::default()
    });
    f.store().set_node("test", "KHM").unwrap();
    let path = "/api/federation/detector-summary";
    f.get(path, None).await.expect(401);
    f.get(path, Some("viewer")).await.expect(403);
    f.get(path, Some("halo-approver")).await.expect(403);
    let reply = f.get(path, Some("admin")).await.expect(200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/json")
    );
    let document = String::from_utf8(reply.bytes.to_vec()).unwrap();
    let s = DetectorSummary::verify(&document, &card, Utc::now()).unwrap();
    assert_eq!(s.node.as_str(), "KHM");
    assert_eq!(s.match_radius_m, 5.0);
    // A node without evidence shares an empty list.
    assert!(s.rows.is_empty(), "{:?}", s.rows);
    let audited = (f.store().audit_log().unwrap().into_iter())
        .filter(|a| a.action == "federation.detector_summary" && a.actor == "admin")
        .count();
    assert_eq!(audited, 1);

    let plain = Fixture::new();
    let problem = plain.get(path, Some("admin")).await.expect(404).json();
    assert!(
        problem["detail"].as_str().unwrap().contains("--node-key"),
        "{problem}"
    );
}

fn row(class: &str, precision: f64) -> DetectorRow {
    DetectorRow {
        model: "yolo-uxo".into(),
        model_version: "2.1".into(),
        class: class.into(),
        detections: 12,
        confirmed: 6,
        false_positive: 2,
        not_verifiable: 1,
        pending: 3,
        precision: Some(precision),
        finds_in_footprint: 10,
        finds_matched: 5,
        recall: Some(0.5),
        expected_calibration_error: Some(0.08),
        calibration: vec![CalibrationBin {
            from: 0.9,
            to: 1.0,
            count: 8,
            mean_confidence: 0.93,
            confirmed_share: 0.75,
        }],
    }
}

#[tokio::test]
async fn the_hub_dashboard_has_the_detectors_across_the_region() {
    let f = Fixture::new();
    f.make_hub();
    let mut hub = f.store();
    let vnm = NodeKey::generate(NodeId::new("VNM").unwrap()).unwrap();
    hub.add_node(
        "test",
        &NewHubNode {
            node: "VNM".into(),
            name: "Viet Nam".into(),
            card: vnm.card("Viet Nam").unwrap().to_json(),
        },
    )
    .unwrap();
    let before = f
        .get("/api/hub/dashboard", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert!(before["countries"].is_array() && before["region"].is_object());
    assert_eq!(before["detectors"], serde_json::json!([]));

    let at = (Utc::now() - Duration::hours(1)).trunc_subsecs(0);
    let doc = DetectorSummary::new(
        vnm.node().clone(),
        at,
        5.0,
        vec![row("mortar", 0.75), row("*", 0.8)],
    )
    .sign(&vnm)
    .unwrap();
    (hub.put_detector_summary("test", &ReceivedDetectorSummary::new(doc).unwrap())).unwrap();
    let after = f
        .get("/api/hub/dashboard", Some("viewer"))
        .await
        .expect(200)
        .json();
    let rows = after["detectors"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{after}");
    // By node, model, version and class: "*" first.
    assert_eq!(rows[0]["class"], "*");
    assert_eq!(rows[0]["node"], "VNM");
    assert_eq!(rows[0]["precision"], 0.8);
    assert_eq!(rows[1]["class"], "mortar");
    assert_eq!(rows[1]["recall"], 0.5);
    assert_eq!(rows[1]["expected_calibration_error"], 0.08);
    assert_eq!(rows[1]["detections"], 12);
    assert_eq!(rows[1]["model_version"], "2.1");
    // The regional figures are still there, beside them.
    assert!(after["countries"].is_array() && after["suppress_below"].is_number());
}
