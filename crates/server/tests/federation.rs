//! The federation feed: a signed bundle that verifies with the node's card, holds the entries
//! the export writes, pages with `after` and `limit`, carries no victim's personal data, is
//! audited, and is for administrators of the national authority alone; items withdrawn from
//! sharing and shared again through the API.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Cursor, Read};
use std::sync::Arc;

use axum::http::Method;
use common::{Fixture, token};
use safeground_federation::{
    BundleReader, Entry, Manifest, NodeCard, NodeId, NodeKey, Operation, Policy,
};
use safeground_model::ItemKind;
use safeground_server::ServerConfig;
use safeground_server::auth::password::{hash_password, secret_digest};
use safeground_server::federation::{Sharing, write_bundle};
use safeground_store::{
    AccountStore, AsOf, CredentialKind, FederationStore, Flow, NewAccount, ProgrammeStore, Role,
};

/// The fixture serving the feed as node KHM; the node's card.
fn node() -> (Fixture, NodeCard) {
    let key = NodeKey::generate(NodeId::new("KHM").unwrap()).unwrap();
    let card = key.card("Cambodia (CMAA)").unwrap();
    let sharing = Sharing {
        key,
        policy: Policy::default(),
    };
    let f = Fixture::with_config(ServerConfig {
        sharing: Some(Arc::new(sharing)),
        ..ServerConfig::default()
    });
    f.store().set_node("test", "KHM").unwrap();
    (f, card)
}

/// A bundle verified with `card`: manifest, entries, decompressed payload.
fn read(bytes: &[u8], card: &NodeCard) -> (Manifest, Vec<Entry>, String) {
    let verified = BundleReader::open(Cursor::new(bytes.to_vec()))
        .and_then(|r| r.verify(card))
        .expect("the feed's bundle verifies with the node's card");
    let manifest = verified.manifest().clone();
    let entries = verified.entries().unwrap().collect::<Result<Vec<_>, _>>();
    let end = 10 + manifest.payload_bytes as usize;
    let mut payload = String::new();
    flate2::read::GzDecoder::new(&bytes[10..end])
        .read_to_string(&mut payload)
        .unwrap();
    (manifest, entries.unwrap(), payload)
}

#[tokio::test]
async fn the_feed_is_the_exported_bundle_verified_and_de_identified() {
    let (f, card) = node();
    let reply = f.get("/api/federation/feed?after=0", Some("admin")).await;
    let reply = reply.expect(200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/vnd.safeground.bundle")
    );
    let (manifest, entries, payload) = read(&reply.bytes, &card);
    let mut store = f.store();
    let head = store.outbox_head().unwrap();
    assert!(head > 100, "{head}");
    assert_eq!((manifest.seq_from, manifest.seq_to), (1, head));
    let seqs: Vec<u64> = entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=head).collect::<Vec<_>>());

    // The same entries as `safeground federation export` writes (one function writes both).
    let sharing = f.state.config.sharing.clone().unwrap();
    let (bytes, _) = write_bundle(&store, &sharing, 0, head, Vec::new()).unwrap();
    let (_, exported, _) = read(&bytes, &card);
    assert_eq!(exported, entries);

    // No victim's personal data, whatever the field.
    let mut victims = Vec::new();
    (store.for_each_current(ItemKind::Victim, None, &mut |v| {
        victims.push(v.item);
        Ok(Flow::Continue)
    }))
    .unwrap();
    let mut values = Vec::new();
    for v in &victims {
        if let Some(p) = store.victim_personal_data("test", v, AsOf::now()).unwrap() {
            values.push(p.full_name);
            values.extend(p.address);
            values.extend(p.contact);
            values.extend(p.date_of_birth.map(|d| d.to_string()));
        }
    }
    assert!(values.len() > 5, "the fixture has personal data");
    for v in &values {
        assert!(!payload.contains(v.as_str()), "`{v}` is in the feed");
    }
    for e in entries.iter().filter_map(|e| e.record.as_ref()) {
        let text = e.to_string();
        for field in [
            "full_name",
            "date_of_birth",
            "address",
            "contact",
            "description",
        ] {
            assert!(!text.contains(&format!("\"{field}\"")), "{field} in {text}");
        }
    }
    // A victim is shared generalised; a team is withheld, its kind untold.
    let victim = entries.iter().find(|e| e.kind == Some(ItemKind::Victim));
    let record = victim.and_then(|e| e.record.as_ref()).unwrap();
    assert!(record.get("age_band").is_some() && record.get("age_at_accident").is_none());
    let mut teams = Vec::new();
    (store.for_each_outbox(0, &mut |o| {
        if o.kind == ItemKind::Team {
            teams.push(o.seq);
        }
        Ok(Flow::Continue)
    }))
    .unwrap();
    let team = teams.first().copied().unwrap();
    assert_eq!(entries[team as usize - 1], Entry::withheld(team));

    let audit = store.audit_log().unwrap();
    let last = audit
        .iter()
        .rev()
        .find(|a| a.action == "federation.feed")
        .unwrap();
    assert_eq!(
        (
            last.actor.as_str(),
            last.target.as_str(),
            last.detail.as_deref()
        ),
        (
            "admin",
            "KHM",
            Some(format!("after=0 through={head}").as_str())
        )
    );
    assert_eq!(store.node().unwrap().unwrap().shared_through, head);
}

#[tokio::test]
async fn the_feed_pages_and_says_when_there_is_nothing_more() {
    let (f, card) = node();
    let page = f
        .get("/api/federation/feed?after=0&limit=10", Some("admin"))
        .await;
    let (m, entries, _) = read(&page.expect(200).bytes, &card);
    assert_eq!((m.seq_from, m.seq_to, entries.len()), (1, 10, 10));
    let page = f
        .get("/api/federation/feed?after=10&limit=5", Some("admin"))
        .await;
    let (m, _, _) = read(&page.expect(200).bytes, &card);
    assert_eq!((m.seq_from, m.seq_to), (11, 15));

    let head = f.store().outbox_head().unwrap();
    let uri = format!("/api/federation/feed?after={head}");
    f.get(&uri, Some("admin")).await.expect(204);
    let uri = format!("/api/federation/feed?after={}", head + 1);
    let beyond = f.get(&uri, Some("admin")).await.expect(409).json();
    assert!(
        beyond["detail"].as_str().unwrap().contains("beyond"),
        "{beyond}"
    );
    for bad in ["", "?after=x", "?after=0&limit=0", "?after=0&since=3"] {
        let uri = format!("/api/federation/feed{bad}");
        f.get(&uri, Some("admin")).await.expect(422);
    }
}

#[tokio::test]
async fn only_the_national_authoritys_administrators_pull_the_feed() {
    let (f, _) = node();
    f.get("/api/federation/feed?after=0", None)
        .await
        .expect(401);
    for user in ["approver", "viewer", "va", "halo-approver"] {
        let reply = f.get("/api/federation/feed?after=0", Some(user)).await;
        let problem = reply.expect(403).json();
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("POST /api/tokens"),
            "{problem}"
        );
    }
    // An operator's administrator is not the national authority's.
    let mut store = f.store();
    let account = NewAccount {
        username: "halo-admin".into(),
        display_name: "HALO administrator".into(),
        organisation: "ORG-HALO".into(),
        role: Role::Administrator,
        password_hash: hash_password(common::PASSWORD).unwrap(),
    };
    store.add_account("test", &account).unwrap();
    let digest = secret_digest(&token("halo-admin"));
    let kind = CredentialKind::ApiToken;
    (store.add_credential("halo-admin", &digest, kind, None, None)).unwrap();
    let reply = f
        .get("/api/federation/feed?after=0", Some("halo-admin"))
        .await;
    reply.expect(403);
    assert!(
        !store
            .audit_log()
            .unwrap()
            .iter()
            .any(|a| a.action == "federation.feed"),
        "a refused pull is not a feed"
    );
}

#[tokio::test]
async fn without_a_node_key_or_node_id_the_feed_says_how_to_enable_it() {
    let f = Fixture::new();
    let off = f.get("/api/federation/feed?after=0", Some("admin")).await;
    let off = off.expect(404).json();
    assert!(
        off["detail"].as_str().unwrap().contains("--node-key"),
        "{off}"
    );

    let key = NodeKey::generate(NodeId::new("KHM").unwrap()).unwrap();
    let config = ServerConfig {
        sharing: Some(Arc::new(Sharing {
            key,
            policy: Policy::default(),
        })),
        ..ServerConfig::default()
    };
    let f = Fixture::with_config(config);
    let unset = f.get("/api/federation/feed?after=0", Some("admin")).await;
    let unset = unset.expect(409).json();
    assert!(
        unset["detail"]
            .as_str()
            .unwrap()
            .contains("safeground federation init"),
        "{unset}"
    );
    f.store().set_node("test", "LAO").unwrap();
    let other = f.get("/api/federation/feed?after=0", Some("admin")).await;
    let other = other.expect(409).json();
    assert!(
        other["detail"].as_str().unwrap().contains("node LAO"),
        "{other}"
    );
}

#[tokio::test]
async fn administrators_withdraw_items_from_sharing_and_share_them_again() {
    let (f, card) = node();
    let store = f.store();
    let mut hazard = None;
    (store.for_each_current(ItemKind::Hazard, None, &mut |v| {
        hazard = Some(v.item);
        Ok(Flow::Stop)
    }))
    .unwrap();
    let hazard = hazard.expect("the fixture has hazards");
    let uuid = store.item_uuid(&hazard).unwrap().unwrap();
    let list = "/api/federation/withdrawals";
    f.get(list, None).await.expect(401);
    f.get(list, Some("viewer")).await.expect(403);
    let empty = f.get(list, Some("approver")).await.expect(200).json();
    assert_eq!(empty, serde_json::json!([]));

    let body = |item: &str, reason: &str| serde_json::json!({"item": item, "reason": reason});
    let reply = f.post(list, Some("approver"), &body(&hazard, "x")).await;
    reply.expect(403);
    let reply = f.post(list, Some("admin"), &body(&hazard, " ")).await;
    let problem = reply.expect(422).json();
    assert_eq!(problem["errors"][0]["field"], "reason", "{problem}");
    let reply = f.post(list, Some("admin"), &body("HAZ-999999", "x")).await;
    reply.expect(404);
    let head = store.outbox_head().unwrap();
    let reply = f
        .post(list, Some("admin"), &body(&hazard, "disputed survey"))
        .await;
    let done = reply.expect(201).json();
    assert_eq!(done["seq"], head + 1);
    let reply = f.post(list, Some("admin"), &body(&hazard, "again")).await;
    reply.expect(409);
    let listed = f.get(list, Some("approver")).await.expect(200).json();
    assert_eq!(listed[0]["item"], hazard.as_str());
    assert_eq!(listed[0]["kind"], "hazard");
    assert_eq!(listed[0]["reason"], "disputed survey");
    assert_eq!(listed[0]["withdrawn_by"], "admin");

    // The feed: the tombstone at its seq, and the item's earlier versions withheld.
    let page = f.get("/api/federation/feed?after=0", Some("admin")).await;
    let (_, entries, _) = read(&page.expect(200).bytes, &card);
    let last = entries.last().unwrap();
    assert_eq!(last.seq, head + 1);
    assert_eq!(last.operation, Operation::Tombstone);
    assert_eq!(last.item.as_deref(), Some(uuid.as_str()));
    assert!(
        !entries
            .iter()
            .any(|e| e.operation == Operation::Upsert && e.item.as_deref() == Some(&uuid)),
        "a withdrawn item's versions are withheld"
    );

    let uri = format!("{list}/{hazard}");
    f.raw(Method::DELETE, &uri, Some("approver"), &[], vec![])
        .await
        .expect(403);
    let again = f
        .raw(Method::DELETE, &uri, Some("admin"), &[], vec![])
        .await;
    assert_eq!(again.expect(200).json()["seq"], head + 2);
    let twice = f
        .raw(Method::DELETE, &uri, Some("admin"), &[], vec![])
        .await;
    twice.expect(409);
    let page = f
        .get(
            &format!("/api/federation/feed?after={}", head + 1),
            Some("admin"),
        )
        .await;
    let (_, entries, _) = read(&page.expect(200).bytes, &card);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].operation, Operation::Upsert);
    assert_eq!(entries[0].item.as_deref(), Some(uuid.as_str()));
    let audit = store.audit_log().unwrap();
    let withdrawn = audit.iter().find(|a| a.action == "federation.withdraw");
    assert_eq!(
        withdrawn.and_then(|a| a.detail.as_deref()),
        Some("disputed survey")
    );
    assert!(audit.iter().any(|a| a.action == "federation.reshare"));

    // A server that is no node has no withdrawals to show.
    let plain = Fixture::new();
    plain.get(list, Some("admin")).await.expect(404);
}
