//! Training summaries over HTTP: the node's `GET /api/federation/training-summary` (signed,
//! verifying with its card, no names, audited; for administrators of the national authority,
//! 404 without the node key) and the hub's dashboard carrying each country's training figures
//! (suppressed like casualties), refreshed as soon as a newer summary is stored.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use chrono::{Duration, SubsecRound, Utc};
use common::Fixture;
use safeground_federation::training_summary::{ReceivedSummary, SummaryRow, ValidCertificates};
use safeground_federation::{NodeCard, NodeId, NodeKey, Policy, TrainingSummary};
use safeground_model::Sex;
use safeground_server::ServerConfig;
use safeground_server::auth::password::hash_password;
use safeground_server::federation::Sharing;
use safeground_store::hub::NewHubNode;
use safeground_store::training::Competency;
use safeground_store::{
    AccountStore, FederationStore, HubStore, HubTrainingStore, NewAccount, ProgrammeStore, Role,
    TrainingStore,
};

/// The fixture serving as node KHM with the demo's training register; the node's card.
fn node() -> (Fixture, NodeCard) {
    let key = NodeKey::generate(NodeId::new("KHM").unwrap()).unwrap();
    let card = key.card("Cambodia (CMAA)").unwrap();
    let f = Fixture::with_config(ServerConfig {
        sharing: Some(Arc::new(Sharing {
            key,
            policy: Policy::default(),
        })),
        ..ServerConfig::default()
    });
    let mut store = f.store();
    store.set_node("test", "KHM").unwrap();
    store
        .add_account(
            "test",
            &NewAccount {
                username: "officer".into(),
                display_name: "Training officer".into(),
                organisation: "ORG-CMAA".into(),
                role: Role::TrainingOfficer,
                password_hash: hash_password("a long enough password").unwrap(),
            },
        )
        .unwrap();
    safeground_demo::training::populate(&mut store, "officer", Utc::now().date_naive()).unwrap();
    (f, card)
}

#[tokio::test]
async fn the_node_serves_its_signed_summary_to_national_administrators_only() {
    let (f, card) = node();
    let path = "/api/federation/training-summary";
    f.get(path, None).await.expect(401);
    f.get(path, Some("viewer")).await.expect(403);
    f.get(path, Some("halo-approver")).await.expect(403);
    let reply = f.get(path, Some("admin")).await.expect(200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/json")
    );
    let document = String::from_utf8(reply.bytes.to_vec()).unwrap();
    let s = TrainingSummary::verify(&document, &card, Utc::now()).unwrap();
    assert_eq!(s.node.as_str(), "KHM");
    let store = f.store();
    let enrolled: u64 = (store.training_figures().unwrap().iter())
        .map(|r| r.participants)
        .sum();
    assert_eq!(s.rows.iter().map(|r| r.participants).sum::<u64>(), enrolled);
    for p in store.trainees().unwrap() {
        assert!(!document.contains(&p.person_id), "{}", p.person_id);
        assert!(!document.contains(&p.organisation), "{}", p.organisation);
    }
    let audited = (store.audit_log().unwrap().into_iter())
        .filter(|a| a.action == "federation.training_summary" && a.actor == "admin")
        .count();
    assert_eq!(audited, 1);

    // Without the node key: no federation here.
    let plain = Fixture::new();
    let problem = plain.get(path, Some("admin")).await.expect(404).json();
    assert!(
        problem["detail"].as_str().unwrap().contains("--node-key"),
        "{problem}"
    );
}

/// A summary of node `key` generated at `at`: 3 women and 6 men (25–34) in 2025 NTS courses.
fn summary(key: &NodeKey, at: chrono::DateTime<Utc>, women: u64) -> ReceivedSummary {
    let row = |sex, participants| SummaryRow {
        competency: Competency::Nts,
        sex,
        age_band: "25_34".into(),
        year: 2025,
        participants,
        certificates: participants,
    };
    let doc = TrainingSummary {
        node: key.node().clone(),
        generated_at: at,
        rows: vec![row(Sex::Female, women), row(Sex::Male, 6)],
        valid_certificates: vec![ValidCertificates {
            competency: Competency::Nts,
            count: 7,
        }],
    }
    .sign(key)
    .unwrap();
    ReceivedSummary::new(doc).unwrap()
}

#[tokio::test]
async fn the_dashboard_has_each_countrys_training_and_refreshes_on_a_newer_summary() {
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
    // The fixture's nodes sent their summaries; VNM, just registered, none.
    for c in before["countries"].as_array().unwrap() {
        let training = &c["figures"]["training"];
        if c["node"] == "VNM" {
            assert!(training["generated_at"].is_null(), "{c}");
            assert_eq!(training["participants"], serde_json::json!([]));
        } else {
            assert!(training["generated_at"].is_string(), "{c}");
            assert!(training["participants_total"].as_u64() > Some(0), "{c}");
        }
    }

    let t0 = (Utc::now() - Duration::days(1)).trunc_subsecs(0);
    hub.put_training_summary("test", &summary(&vnm, t0, 3))
        .unwrap();
    let d = f
        .get("/api/hub/dashboard", Some("viewer"))
        .await
        .expect(200)
        .json();
    let vnm_figures = (d["countries"].as_array().unwrap().iter())
        .find(|c| c["node"] == "VNM")
        .unwrap();
    let t = &vnm_figures["figures"]["training"];
    assert_eq!(
        t["generated_at"].as_str().unwrap().get(..19),
        Some(t0.format("%Y-%m-%dT%H:%M:%S").to_string().as_str())
    );
    let p = t["participants"].as_array().unwrap();
    assert_eq!(p.len(), 2);
    assert_eq!(
        (
            &p[0]["sex"],
            &p[0]["competency"],
            &p[0]["age_band"],
            &p[0]["year"]
        ),
        (
            &serde_json::json!("female"),
            &serde_json::json!("nts"),
            &serde_json::json!("25_34"),
            &serde_json::json!(2025)
        )
    );
    assert_eq!(p[0]["participants"], "<5");
    assert_eq!(p[1]["participants"], 6);
    assert_eq!(t["participants_total"], "x");
    assert_eq!(t["certificates_issued"][0]["certificates"], 9);
    assert_eq!(t["valid_certificates"][0]["count"], 7);
    // The region: VNM's NTS cells are its own (no other node trains NTS), suppressed as totals.
    let r = &d["region"]["training"];
    assert!(r["generated_at"].is_null());
    let nts = |list: &serde_json::Value| {
        (list.as_array().unwrap().iter())
            .filter(|row| row["competency"] == "nts")
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(nts(&r["participants"])[0]["participants"], "<5");
    assert_eq!(nts(&r["valid_certificates"])[0]["count"], 7);

    // A newer summary: the dashboard follows at once (the hub's cache rebuilds).
    hub.put_training_summary("test", &summary(&vnm, t0 + Duration::hours(1), 5))
        .unwrap();
    let d = f
        .get("/api/hub/dashboard", Some("viewer"))
        .await
        .expect(200)
        .json();
    let vnm_figures = (d["countries"].as_array().unwrap().iter())
        .find(|c| c["node"] == "VNM")
        .unwrap();
    assert_eq!(
        vnm_figures["figures"]["training"]["participants"][0]["participants"],
        5
    );
    // A national viewer sees their own country's only.
    let own = f
        .get("/api/hub/dashboard", Some("khm-viewer"))
        .await
        .expect(200)
        .json();
    let codes: Vec<&str> = (own["countries"].as_array().unwrap().iter())
        .map(|c| c["node"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["KHM"]);
    assert_eq!(
        own["region"]["training"]["participants"],
        own["countries"][0]["figures"]["training"]["participants"]
    );
    assert!(nts(&own["region"]["training"]["valid_certificates"]).is_empty());
}
