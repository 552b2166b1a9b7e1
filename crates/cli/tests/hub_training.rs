//! Training summaries from node to hub, end to end: a demo node (its 40-person register)
//! writes its signed summary (never overwriting a file), the hub imports it, a replay changes
//! nothing, a tampered file or an unregistered node is refused with exit code 2 and nothing
//! written; `hub pull` from the served node stores a newer summary after the bundles; the
//! regional figures then carry the node's training counts (no names anywhere); detector
//! summaries (issue 28) go by file (`federation detector-summary`, `hub import-detectors`,
//! tampering refused) and by pull; the regional demo's hub holds every node's.

mod common;
mod pull_node;

use std::process::Command;

use chrono::Utc;
use common::{ok, s};
use pull_node::node;
use safeground_store::Location;

/// Runs `safeground args` expecting exit code `code`: (stdout, stderr).
fn exits(code: i32, args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_safeground"))
        .args(args)
        .env_remove("SAFEGROUND_FEED_TOKEN")
        .output()
        .expect("run safeground");
    let said = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert_eq!(out.status.code(), Some(code), "{args:?}: {said:?}");
    said
}

#[test]
fn a_nodes_training_summary_reaches_the_hub_once_and_tampering_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let node = node(dir.path());
    let summary = dir.path().join("khm-training.json");
    let write = [
        "federation",
        "training-summary",
        s(&node.db),
        "--key",
        s(&node.key),
        "--out",
        s(&summary),
    ];
    let said = ok(&write);
    assert!(
        said.contains("node KHM: training summary of") && said.contains("no names"),
        "{said}"
    );
    let text = std::fs::read_to_string(&summary).expect("summary");
    assert!(!dir.path().join("khm-training.json.partial").exists());
    // No names, person ids, certificate codes or organisations in it.
    let register = (Location::Sqlite(node.db.clone()).open()).expect("node db");
    let people = register.trainees().expect("people");
    assert_eq!(people.len(), 40);
    for p in &people {
        assert!(
            !text.contains(&p.person_id),
            "{} in the summary",
            p.person_id
        );
        assert!(!text.contains(&p.organisation), "{}", p.organisation);
    }
    for c in register.certificates().expect("certificates") {
        assert!(!text.contains(&c.code), "a certificate code in the summary");
    }
    // Never overwritten.
    let (_, err) = exits(1, &write);
    assert!(err.contains("never overwritten"), "{err}");

    // An unregistered node: refused, nothing written.
    let hub = dir.path().join("hub.sqlite");
    let hub = s(&hub);
    ok(&["hub", "init", hub]);
    let (_, err) = exits(2, &["hub", "import-training", hub, s(&summary)]);
    assert!(err.contains("node KHM is not registered"), "{err}");
    ok(&["hub", "add-node", hub, s(&node.card)]);

    // A count changed after signing: refused, nothing written.
    let tampered = dir.path().join("tampered.json");
    let changed = text.replacen("\\\"participants\\\":", "\\\"participants\\\":1", 1);
    assert_ne!(changed, text);
    std::fs::write(&tampered, changed).expect("write");
    let (_, err) = exits(2, &["hub", "import-training", hub, s(&tampered)]);
    assert!(err.contains("does not verify"), "{err}");
    let held = |db: &str| {
        let store = db.parse::<Location>().expect("db").open().expect("open");
        store.training_summaries(None).expect("summaries")
    };
    assert!(held(hub).is_empty());

    let (said, _) = exits(0, &["hub", "import-training", hub, s(&summary)]);
    assert!(said.contains("node KHM: training summary of") && said.contains("stored"));
    let first = held(hub);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].document, text);
    // Replayed: unchanged.
    let (said, _) = exits(0, &["hub", "import-training", hub, s(&summary)]);
    assert!(said.contains("unchanged"), "{said}");
    assert_eq!(held(hub), first);

    // The figures: the node's participants by year, competency, sex and age band.
    let store = hub.parse::<Location>().expect("db").open().expect("open");
    let f = safeground_region::regional_figures(store.as_ref(), None, Utc::now()).expect("figures");
    let t = &f.countries[0].figures.training;
    assert_eq!(t.generated_at, Some(first[0].generated_at));
    let enrolled: u64 = (register.training_figures().expect("figures").iter())
        .map(|r| r.participants)
        .sum();
    let sent = safeground_federation::TrainingSummary::received(&first[0].document).expect("read");
    assert_eq!(
        sent.rows.iter().map(|r| r.participants).sum::<u64>(),
        enrolled
    );
    assert!(enrolled > 40, "{enrolled}");
    assert!(!t.participants.is_empty() && !t.certificates_issued.is_empty());
    assert_eq!(f.region.training.certificates_issued, t.certificates_issued);
    drop(store);

    // The detector summary by file too (issue 28): figures only, a tampered one refused.
    let detectors_file = dir.path().join("khm-detectors.json");
    let said = ok(&[
        "federation",
        "detector-summary",
        s(&node.db),
        "--key",
        s(&node.key),
        "--out",
        s(&detectors_file),
    ]);
    assert!(
        said.contains("node KHM: detector summary of") && said.contains("no locations"),
        "{said}"
    );
    let text = std::fs::read_to_string(&detectors_file).expect("detector summary");
    let tampered = dir.path().join("tampered-detectors.json");
    let changed = text.replacen("\\\"rows\\\":[", "\\\"rows\\\":[ ", 1);
    assert_ne!(changed, text);
    std::fs::write(&tampered, changed).expect("write");
    let (_, err) = exits(2, &["hub", "import-detectors", hub, s(&tampered)]);
    assert!(err.contains("does not verify"), "{err}");
    let store = hub.parse::<Location>().expect("db").open().expect("open");
    assert!(store.detector_summaries(None).expect("held").is_empty());
    drop(store);
    let (said, _) = exits(0, &["hub", "import-detectors", hub, s(&detectors_file)]);
    assert!(
        said.contains("node KHM: detector summary of") && said.contains("stored"),
        "{said}"
    );
    let (said, _) = exits(0, &["hub", "import-detectors", hub, s(&detectors_file)]);
    assert!(said.contains("unchanged"), "{said}");

    // Pulled from the node after its bundles: a newer summary replaces the file's.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (said, _) = exits(
        0,
        &[
            "hub",
            "pull",
            hub,
            "--node",
            "KHM",
            &node.url(),
            "--token-file",
            s(&node.token_file),
        ],
    );
    assert!(
        said.contains("node KHM: training summary of") && said.contains("replacing the one of"),
        "{said}"
    );
    let pulled = held(hub);
    assert!(pulled[0].generated_at > first[0].generated_at);

    // Then the node's detector summary (issue 28): stored, figures only.
    assert!(
        said.contains("node KHM: detector summary of") && said.contains("stored"),
        "{said}"
    );
    let store = hub.parse::<Location>().expect("db").open().expect("open");
    let detectors = store.detector_summaries(None).expect("detector summaries");
    assert_eq!(detectors.len(), 1);
    assert_eq!(detectors[0].node, "KHM");
    let sent = safeground_federation::DetectorSummary::received(&detectors[0].document)
        .expect("a detector summary");
    assert_eq!(sent.node.as_str(), "KHM");
    for never in ["\\\"lon\\\"", "\\\"lat\\\"", "coordinates"] {
        assert!(!detectors[0].document.contains(never), "{never}");
    }
}

/// `demo --regional`: every node has a training register and the hub holds each node's
/// summary, so the regional dashboard has training figures.
#[test]
fn the_regional_demo_hub_holds_every_nodes_training_summary() {
    let dir = tempfile::tempdir().expect("tmp");
    let hub = dir.path().join("hub.sqlite");
    let said = ok(&[
        "demo",
        "--regional",
        "--db",
        s(&hub),
        "--hazards",
        "5",
        "--no-serve",
    ]);
    assert!(said.contains("training register of 40 people"), "{said}");
    let store = Location::Sqlite(hub).open().expect("open");
    let held = store.training_summaries(None).expect("summaries");
    let nodes: Vec<&str> = held.iter().map(|h| h.node.as_str()).collect();
    assert_eq!(nodes, ["AZE", "KHM", "LAO"]);
    // And each node's detector summary, with the figures of its judged detections.
    let held = store.detector_summaries(None).expect("detector summaries");
    let nodes: Vec<&str> = held.iter().map(|h| h.node.as_str()).collect();
    assert_eq!(nodes, ["AZE", "KHM", "LAO"], "{said}");
    for h in &held {
        let sent = safeground_federation::DetectorSummary::received(&h.document).expect("read");
        let all = sent
            .rows
            .iter()
            .find(|r| r.class == "*")
            .expect("an all-classes row");
        assert!(
            all.confirmed + all.false_positive > 0,
            "{}: {all:?}",
            h.node
        );
    }
    let f = safeground_region::regional_figures(store.as_ref(), None, Utc::now()).expect("figures");
    for c in &f.countries {
        let t = &c.figures.training;
        assert!(t.generated_at.is_some(), "{}", c.node);
        assert!(!t.participants.is_empty() && !t.valid_certificates.is_empty());
    }
    assert!(
        (f.region.training.participants.iter()).any(|p| p.participants.count().is_some()),
        "some region cell is published"
    );
}
