//! The hub's training summaries (every backend runs the suite unchanged): a node's signed
//! summary stored once its registered card verifies it, replaced only by a later one (an
//! equal or older one changes nothing), audited; refused with nothing written off a hub, from
//! an unregistered node, signed by another key or tampered.

#[macro_use]
mod common;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use safeground_federation::training_summary::{ReceivedSummary, SummaryRow};
use safeground_federation::{NodeId, NodeKey, TrainingSummary};
use safeground_model::Sex;
use safeground_store::hub::NewHubNode;
use safeground_store::hub_training::SummaryPut;
use safeground_store::training::Competency;
use safeground_store::{HubStore, HubTrainingStore, ProgrammeStore, SqliteStore};

backends!(
    a_summary_is_kept_per_node_and_replaced_only_by_a_later_one,
    bad_summaries_are_refused_with_nothing_written,
);

fn key(node: &str) -> NodeKey {
    NodeKey::generate(NodeId::new(node).expect("id")).expect("key")
}

fn register<S: HubStore>(store: &mut S, key: &NodeKey) {
    let node = key.node().to_string();
    let card = NewHubNode {
        node: node.clone(),
        name: format!("Programme {node}"),
        card: key
            .card(&format!("Programme {node}"))
            .expect("card")
            .to_json(),
    };
    store.add_node("admin", &card).expect("node");
}

fn document(key: &NodeKey, at: DateTime<Utc>, participants: u64) -> String {
    TrainingSummary {
        node: key.node().clone(),
        generated_at: at,
        rows: vec![SummaryRow {
            competency: Competency::ManualDeminer,
            sex: Sex::Female,
            age_band: "25_34".into(),
            year: 2026,
            participants,
            certificates: 1,
        }],
        valid_certificates: Vec::new(),
    }
    .sign(key)
    .expect("signed")
}

fn received(doc: &str) -> ReceivedSummary {
    ReceivedSummary::new(doc.to_owned()).expect("a summary document")
}

fn audited<S: ProgrammeStore>(store: &S) -> usize {
    (store.audit_log().expect("audit").iter())
        .filter(|a| a.action == "hub.training_summary")
        .count()
}

fn a_summary_is_kept_per_node_and_replaced_only_by_a_later_one<
    S: HubStore + HubTrainingStore + ProgrammeStore,
>(
    mut store: S,
) {
    store.make_hub("admin").expect("hub");
    let (khm, lao) = (key("KHM"), key("LAO"));
    register(&mut store, &khm);
    register(&mut store, &lao);
    let t0 = (Utc::now() - Duration::days(2)).trunc_subsecs(6);
    let first = document(&khm, t0, 7);
    let put = store
        .put_training_summary("admin", &received(&first))
        .expect("first");
    assert!(
        matches!(put, SummaryPut::Stored { replaced: None, .. }),
        "{put:?}"
    );
    let held = store.training_summaries(None).expect("read");
    assert_eq!(held.len(), 1);
    assert_eq!((held[0].node.as_str(), held[0].generated_at), ("KHM", t0));
    assert_eq!(held[0].document, first);
    assert_eq!(audited(&store), 1);

    // The same summary again, and an older one: nothing changes.
    let again = store
        .put_training_summary("admin", &received(&first))
        .expect("replay");
    assert!(matches!(again, SummaryPut::Unchanged { held, .. } if held == t0));
    let older = document(&khm, t0 - Duration::hours(1), 99);
    let put = store
        .put_training_summary("admin", &received(&older))
        .expect("older");
    assert!(matches!(put, SummaryPut::Unchanged { .. }));
    assert_eq!(store.training_summaries(None).expect("read"), held);
    assert_eq!(audited(&store), 1);

    // A later one replaces it; another node's is kept beside it.
    let t1 = t0 + Duration::days(1);
    let later = document(&khm, t1, 9);
    let put = store
        .put_training_summary("admin", &received(&later))
        .expect("later");
    assert!(matches!(put, SummaryPut::Stored { replaced: Some(r), .. } if r == t0));
    store
        .put_training_summary("admin", &received(&document(&lao, t0, 3)))
        .expect("LAO");
    let all = store.training_summaries(None).expect("read");
    let nodes: Vec<_> = all.iter().map(|s| s.node.as_str()).collect();
    assert_eq!(nodes, ["KHM", "LAO"]);
    assert_eq!(
        (all[0].generated_at, all[0].document.as_str()),
        (t1, later.as_str())
    );
    assert!(all[0].received_at >= all[1].received_at - Duration::seconds(5));
    let read = TrainingSummary::received(&all[0].document).expect("payload");
    assert_eq!(read.rows[0].participants, 9);
    let only = store.training_summaries(Some("LAO")).expect("LAO");
    assert_eq!(only.len(), 1);
    assert_eq!(audited(&store), 3);
}

fn bad_summaries_are_refused_with_nothing_written<
    S: HubStore + HubTrainingStore + ProgrammeStore,
>(
    mut store: S,
) {
    let khm = key("KHM");
    let doc = document(&khm, Utc::now(), 5);
    let e = store
        .put_training_summary("admin", &received(&doc))
        .expect_err("not a hub");
    assert!(e.to_string().contains("not a regional hub"), "{e}");
    store.make_hub("admin").expect("hub");
    let e = store
        .put_training_summary("admin", &received(&doc))
        .expect_err("unregistered");
    assert!(
        e.to_string().contains("node KHM is not registered") && e.to_string().contains("nothing"),
        "{e}"
    );
    register(&mut store, &khm);
    // Signed by another key of the same node id.
    let foreign = document(&key("KHM"), Utc::now(), 5);
    let e = store
        .put_training_summary("admin", &received(&foreign))
        .expect_err("foreign key");
    assert!(e.to_string().contains("does not verify"), "{e}");
    // A count changed after signing.
    let tampered = doc.replacen("\\\"participants\\\":5", "\\\"participants\\\":50", 1);
    assert_ne!(tampered, doc);
    let e = store
        .put_training_summary("admin", &received(&tampered))
        .expect_err("tampered");
    assert!(e.to_string().contains("does not verify"), "{e}");
    // Not a summary at all.
    assert!(ReceivedSummary::new("{\"format\":1}".into()).is_err());
    assert!(store.training_summaries(None).expect("read").is_empty());
    assert_eq!(audited(&store), 0);
}
