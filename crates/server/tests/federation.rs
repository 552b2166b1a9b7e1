//! The federation feed: a signed bundle that verifies with the node's card, holds the entries
//! the export writes, pages with `after` and `limit`, carries no victim's personal data, is
//! audited, and is for administrators of the national authority alone.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Cursor, Read};
use std::sync::Arc;

use common::{Fixture, token};
use safeground_federation::{BundleReader, Entry, Manifest, NodeCard, NodeId, NodeKey, Policy};
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
