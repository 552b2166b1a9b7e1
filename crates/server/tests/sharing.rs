//! The sharing policy in force on a node (`GET /api/federation/policy`): the default's kinds,
//! precision and fields, a policy file's, who may read it, and 404 off a node.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::Fixture;
use safeground_federation::{NodeId, NodeKey, Policy};
use safeground_server::ServerConfig;
use safeground_server::federation::Sharing;
use safeground_store::FederationStore;
use serde_json::Value;

/// The fixture as node KHM sharing by `policy`.
fn node(policy: Policy) -> Fixture {
    let key = NodeKey::generate(NodeId::new("KHM").unwrap()).unwrap();
    let f = Fixture::with_config(ServerConfig {
        sharing: Some(Arc::new(Sharing { key, policy })),
        ..ServerConfig::default()
    });
    f.store().set_node("test", "KHM").unwrap();
    f
}

/// The entry of `kind` in a policy answer.
fn kind<'a>(answer: &'a Value, kind: &str) -> &'a Value {
    answer["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {answer}"))
}

fn fields(entry: &Value) -> Vec<&str> {
    entry["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn an_administrator_sees_the_default_policy() {
    let f = node(Policy::default());
    let p = f.get("/api/federation/policy", Some("admin")).await;
    let p = p.expect(200).json();
    assert_eq!(p["node"], "KHM");
    assert_eq!(p["source"], "default");
    assert!(p["file"].is_null(), "{p}");
    assert_eq!(p["suppression"]["threshold"], 5);
    assert_eq!(p["kinds"].as_array().unwrap().len(), 11, "every kind: {p}");

    let accident = kind(&p, "accident");
    assert_eq!(accident["shared"], true);
    assert_eq!(accident["precision"], 2);
    let metres = accident["precision_m"].as_f64().unwrap();
    assert!((1000.0..1200.0).contains(&metres), "{metres}");
    assert_eq!(accident["free_text"], false);
    let accident = fields(accident);
    assert!(accident.contains(&"date_month"), "{accident:?}");
    assert!(!accident.contains(&"date") && !accident.contains(&"description"));

    // Victims: shared de-identified; none of their personal data, their age as its band.
    let victim = kind(&p, "victim");
    assert_eq!(victim["shared"], true);
    assert!(victim["precision"].is_null(), "no coordinates: {victim}");
    let victim = fields(victim);
    assert!(victim.contains(&"age_band"), "{victim:?}");
    for personal in ["full_name", "name", "address", "contact", "date_of_birth"] {
        assert!(!victim.contains(&personal), "{personal} in {victim:?}");
    }
    assert!(!victim.iter().any(|f| f.starts_with("age_at")));

    let hazard = kind(&p, "hazard");
    assert_eq!(
        (hazard["precision"].as_u64(), hazard["free_text"].as_bool()),
        (Some(5), Some(false))
    );
    assert!(!fields(hazard).contains(&"comment"));
    for unshared in ["team", "qa_visit", "assistance"] {
        let k = kind(&p, unshared);
        assert_eq!(k["shared"], false, "{k}");
        assert!(fields(k).is_empty() && k["precision"].is_null(), "{k}");
    }

    // Approvers of the national authority may read it too.
    f.get("/api/federation/policy", Some("approver"))
        .await
        .expect(200);
}

#[tokio::test]
async fn a_policy_file_changes_the_answer() {
    let mut policy = Policy::from_toml(
        "[suppression]\nthreshold = 10\n\n[kinds.hazard]\nprecision = 3\nfree_text = true\n\n\
         [kinds.qa_visit]\n",
    )
    .unwrap();
    policy.file = Some("khm-sharing.toml".into());
    let f = node(policy);
    let p = f.get("/api/federation/policy", Some("admin")).await;
    let p = p.expect(200).json();
    assert_eq!(p["source"], "file");
    assert_eq!(p["file"], "khm-sharing.toml");
    assert_eq!(p["suppression"]["threshold"], 10);
    let hazard = kind(&p, "hazard");
    assert_eq!(hazard["precision"], 3);
    assert_eq!(hazard["free_text"], true);
    assert!(fields(hazard).contains(&"comment"), "{hazard}");
    assert_eq!(kind(&p, "qa_visit")["shared"], true);
    for unshared in ["victim", "accident", "eo_find"] {
        assert_eq!(kind(&p, unshared)["shared"], false, "{unshared}");
    }
}

#[tokio::test]
async fn only_national_administrators_and_approvers_on_a_node_see_it() {
    let f = node(Policy::default());
    for user in ["viewer", "reviewer", "halo-approver", "mag-viewer"] {
        let reply = f.get("/api/federation/policy", Some(user)).await;
        let reply = reply.expect(403).json();
        assert!(
            reply["detail"].as_str().unwrap().contains("administrators"),
            "{user}: {reply}"
        );
    }
    f.get("/api/federation/policy", None).await.expect(401);
    let config = f.get("/api/config", None).await.expect(200).json();
    assert_eq!(config["node"], true);

    let off = Fixture::new();
    let reply = off.get("/api/federation/policy", Some("admin")).await;
    let reply = reply.expect(404).json();
    assert!(
        reply["detail"].as_str().unwrap().contains("--node-key"),
        "{reply}"
    );
    let config = off.get("/api/config", None).await.expect(200).json();
    assert_eq!(config["node"], false);
}
