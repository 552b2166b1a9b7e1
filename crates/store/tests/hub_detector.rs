//! The hub's detector summaries (every backend runs the suite unchanged): a node's signed
//! detector metrics stored once its registered card verifies them, replaced only by a later
//! summary, audited; refused with nothing written off a hub, from an unregistered node, signed
//! by another key or tampered.

#[macro_use]
mod common;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use safeground_federation::detector_summary::{DetectorRow, ReceivedDetectorSummary};
use safeground_federation::{DetectorSummary, NodeId, NodeKey};
use safeground_store::hub::NewHubNode;
use safeground_store::hub_training::SummaryPut;
use safeground_store::{HubDetectorStore, HubStore, HubTrainingStore, ProgrammeStore, SqliteStore};

backends!(
    a_detector_summary_is_kept_per_node_and_replaced_only_by_a_later_one,
    bad_detector_summaries_are_refused_with_nothing_written,
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

fn document(key: &NodeKey, at: DateTime<Utc>, confirmed: u64) -> String {
    let row = DetectorRow {
        model: "yolo-uxo".into(),
        model_version: "2.1".into(),
        class: "*".into(),
        detections: confirmed + 2,
        confirmed,
        false_positive: 2,
        not_verifiable: 0,
        pending: 0,
        precision: Some(confirmed as f64 / (confirmed + 2) as f64),
        finds_in_footprint: 20,
        finds_matched: confirmed.min(20),
        recall: Some(confirmed.min(20) as f64 / 20.0),
        expected_calibration_error: Some(0.1),
        calibration: Vec::new(),
    };
    DetectorSummary::new(key.node().clone(), at, 5.0, vec![row])
        .sign(key)
        .expect("signed")
}

fn received(doc: &str) -> ReceivedDetectorSummary {
    ReceivedDetectorSummary::new(doc.to_owned()).expect("a detector summary document")
}

fn audited<S: ProgrammeStore>(store: &S) -> usize {
    (store.audit_log().expect("audit").iter())
        .filter(|a| a.action == "hub.detector_summary")
        .count()
}

fn a_detector_summary_is_kept_per_node_and_replaced_only_by_a_later_one<
    S: HubStore + HubDetectorStore + HubTrainingStore + ProgrammeStore,
>(
    mut store: S,
) {
    store.make_hub("admin").expect("hub");
    let (khm, lao) = (key("KHM"), key("LAO"));
    register(&mut store, &khm);
    register(&mut store, &lao);
    let t0 = (Utc::now() - Duration::days(2)).trunc_subsecs(0);
    let first = document(&khm, t0, 7);
    let put = store
        .put_detector_summary("admin", &received(&first))
        .expect("first");
    assert!(
        matches!(put, SummaryPut::Stored { replaced: None, .. }),
        "{put:?}"
    );
    let held = store.detector_summaries(None).expect("read");
    assert_eq!(held.len(), 1);
    assert_eq!((held[0].node.as_str(), held[0].generated_at), ("KHM", t0));
    assert_eq!(held[0].document, first);
    assert_eq!(audited(&store), 1);
    // Kept apart from the training summaries.
    assert!(store.training_summaries(None).expect("training").is_empty());

    // The same summary again, and an older one: nothing changes.
    let again = store
        .put_detector_summary("admin", &received(&first))
        .expect("replay");
    assert!(matches!(again, SummaryPut::Unchanged { held, .. } if held == t0));
    let older = document(&khm, t0 - Duration::hours(1), 9);
    let put = store
        .put_detector_summary("admin", &received(&older))
        .expect("older");
    assert!(matches!(put, SummaryPut::Unchanged { .. }));
    assert_eq!(store.detector_summaries(None).expect("read"), held);

    // A later one replaces it; another node's is kept beside it.
    let t1 = t0 + Duration::days(1);
    let later = document(&khm, t1, 9);
    let put = store
        .put_detector_summary("admin", &received(&later))
        .expect("later");
    assert!(matches!(put, SummaryPut::Stored { replaced: Some(r), .. } if r == t0));
    store
        .put_detector_summary("admin", &received(&document(&lao, t0, 3)))
        .expect("LAO");
    let all = store.detector_summaries(None).expect("read");
    let nodes: Vec<_> = all.iter().map(|s| s.node.as_str()).collect();
    assert_eq!(nodes, ["KHM", "LAO"]);
    let read = DetectorSummary::received(&all[0].document).expect("payload");
    assert_eq!(read.rows[0].confirmed, 9);
    assert_eq!(store.detector_summaries(Some("LAO")).expect("LAO").len(), 1);
    assert_eq!(audited(&store), 3);
}

fn bad_detector_summaries_are_refused_with_nothing_written<
    S: HubStore + HubDetectorStore + ProgrammeStore,
>(
    mut store: S,
) {
    let khm = key("KHM");
    let doc = document(&khm, Utc::now(), 5);
    let e = store
        .put_detector_summary("admin", &received(&doc))
        .expect_err("not a hub");
    assert!(e.to_string().contains("not a regional hub"), "{e}");
    store.make_hub("admin").expect("hub");
    let e = store
        .put_detector_summary("admin", &received(&doc))
        .expect_err("unregistered");
    assert!(
        e.to_string().contains("node KHM is not registered")
            && e.to_string().contains("detector summary refused"),
        "{e}"
    );
    register(&mut store, &khm);
    let foreign = document(&key("KHM"), Utc::now(), 5);
    let e = store
        .put_detector_summary("admin", &received(&foreign))
        .expect_err("foreign key");
    assert!(e.to_string().contains("does not verify"), "{e}");
    let tampered = doc.replacen("\\\"confirmed\\\":5", "\\\"confirmed\\\":50", 1);
    assert_ne!(tampered, doc);
    let e = store
        .put_detector_summary("admin", &received(&tampered))
        .expect_err("tampered");
    assert!(e.to_string().contains("does not verify"), "{e}");
    assert!(ReceivedDetectorSummary::new("{\"format\":1}".into()).is_err());
    assert!(store.detector_summaries(None).expect("read").is_empty());
    assert_eq!(audited(&store), 0);
}
