//! The browser UI end to end: Playwright (web/e2e/run.mjs) drives headless Chromium against a
//! real server on the fixture programme (a second on a regional hub, a third on a federation
//! node); screenshots go to `target/ui-screenshots/` (the main
//! pages at phone and desktop sizes in `target/ui-screenshots/layout/`). Needs
//! Debian `chromium`: skipped with a message when absent, unless `SAFEGROUND_REQUIRE_CHROMIUM=1`
//! (CI sets it) turns its absence into a failure.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{Fixture, PASSWORD};

fn chromium() -> Option<String> {
    let path = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if std::path::Path::new(&path).exists() {
        return Some(path);
    }
    assert!(
        std::env::var("SAFEGROUND_REQUIRE_CHROMIUM").is_err(),
        "SAFEGROUND_REQUIRE_CHROMIUM is set but {path} does not exist (apt-get install chromium)"
    );
    eprintln!("skipped: no Chromium at {path} (Debian package chromium)");
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ui_works_end_to_end_in_chromium() {
    let Some(browser) = chromium() else {
        return;
    };
    let f = Fixture::new();
    f.adopt_reference();
    // The demo's planning: the user `planner`, criteria, deadline, layers, tasks.
    f.add_planning();
    // The demo's evidence: an orthophoto, detections (some judged), a machine track.
    let evidence = f.add_evidence();
    let evidence = serde_json::json!({"orthophoto": evidence.orthophoto, "track": evidence.track,
        "detections": evidence.detections, "verdicts": evidence.verdicts});
    let addr = f.listen().await;
    let hazard = f
        .store()
        .current_hazards()
        .unwrap()
        .into_iter()
        .find(|h| h.cleared_m2 > 0.0)
        .unwrap();
    let record = {
        use safeground_store::ProgrammeStore;
        f.store()
            .item_as_of(&hazard.item, safeground_store::AsOf::now())
            .unwrap()
            .unwrap()
    };
    let safeground_model::Record::Hazard(h) = record.record else {
        panic!("not a hazard")
    };
    // A point well inside what remains of the largest hazard, for the clearance report.
    let target = f.largest_remaining_hazard();
    let inside = geo::InteriorPoint::interior_point(target.remaining.as_ref().unwrap()).unwrap();
    let release = serde_json::json!({"hazard": target.item, "local_id": target.local_id, "lat": inside.y(), "lon": inside.x()});
    // A victim and their name, which a viewer must never see.
    let victim = {
        use safeground_store::ProgrammeStore;
        let mut store = f.store();
        let id = store
            .items_of_kind(safeground_model::ItemKind::Victim)
            .unwrap()
            .into_iter()
            .find(|v| {
                store
                    .victim_personal_data("test", v, safeground_store::AsOf::now())
                    .unwrap()
                    .is_some()
            })
            .unwrap();
        let name = store
            .victim_personal_data("test", &id, safeground_store::AsOf::now())
            .unwrap()
            .unwrap()
            .full_name;
        serde_json::json!({"id": id, "name": name})
    };
    // An activity on two hazards (its `hazard` and one further in `hazards`).
    let multi = {
        use safeground_store::{ApproveOptions, NewReport, ProgrammeStore, ReportEntry};
        let mut store = f.store();
        let hazards: Vec<String> = store
            .current_hazards()
            .unwrap()
            .into_iter()
            .map(|h| h.item)
            .take(2)
            .collect();
        let record = serde_json::from_value(serde_json::json!({
            "kind": "activity", "local_id": "UI-TWO-HAZARDS", "activity_type": "nts",
            "status": "completed", "hazard": hazards[0], "hazards": [hazards[1]],
        }))
        .unwrap();
        let report = NewReport {
            organisation: None,
            title: "Survey of two hazards".into(),
            source: None,
            date_of_information: chrono::Utc::now().date_naive(),
            entries: vec![ReportEntry::new(record)],
        };
        let id = store.submit_batch("test", &[report]).unwrap()[0];
        let item = store
            .approve_report("test", id, &ApproveOptions::default())
            .unwrap()
            .items[0]
            .clone();
        assert!(
            store
                .item_as_of(&item, safeground_store::AsOf::now())
                .unwrap()
                .is_some()
        );
        let local_ids: Vec<String> = hazards
            .iter()
            .map(|id| {
                store
                    .hazard_state(id, safeground_store::AsOf::now())
                    .unwrap()
                    .unwrap()
                    .local_id
            })
            .collect();
        serde_json::json!({"id": item, "local_id": "UI-TWO-HAZARDS", "hazards": hazards, "hazard_local_ids": local_ids})
    };
    // A second server, on a regional hub of three national programmes.
    let hub = Fixture::new();
    hub.make_hub();
    let hub_addr = hub.listen().await;
    // A third, a national federation node (KHM) sharing by the default policy.
    let node = {
        use safeground_federation::{NodeId, NodeKey, Policy};
        use safeground_store::FederationStore;
        let sharing = safeground_server::federation::Sharing {
            key: NodeKey::generate(NodeId::new("KHM").unwrap()).unwrap(),
            policy: Policy::default(),
        };
        let node = Fixture::with_config(safeground_server::ServerConfig {
            sharing: Some(std::sync::Arc::new(sharing)),
            ..safeground_server::ServerConfig::default()
        });
        node.store().set_node("test", "KHM").unwrap();
        receive_lao_sop(&node);
        node
    };
    let node_addr = node.listen().await;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shots = root.join("target/ui-screenshots");
    let spec = serde_json::json!({"id": hazard.item, "local_id": h.local_id, "remaining_m2": hazard.remaining_m2});
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("e2e/run.mjs")
            .current_dir(root.join("web"))
            .env("SAFEGROUND_URL", format!("http://{addr}"))
            .env("SAFEGROUND_HUB_URL", format!("http://{hub_addr}"))
            .env("SAFEGROUND_NODE_URL", format!("http://{node_addr}"))
            .env("SAFEGROUND_PASSWORD", PASSWORD)
            .env("SAFEGROUND_HAZARD", spec.to_string())
            .env("SAFEGROUND_RELEASE", release.to_string())
            .env("SAFEGROUND_VICTIM", victim.to_string())
            .env("SAFEGROUND_MULTI", multi.to_string())
            .env("SAFEGROUND_EVIDENCE", evidence.to_string())
            .env("SAFEGROUND_SHOTS", &shots)
            .env("CHROMIUM", browser)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "UI tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A regional SOP of LAO that the node received through the hub (read-only there), which
/// web/e2e/more/library-exchange.mjs looks for.
fn receive_lao_sop(node: &Fixture) {
    use safeground_store::LibraryExchangeStore;
    use safeground_store::library::{DocumentMeta, VersionContent};
    use safeground_store::library_exchange::{IncomingDocument, IncomingVersion};
    let sop = IncomingDocument {
        uuid: "5c3a9e1d-7b2f-4c1a-9e8d-2f6b4a1c0d9e".into(),
        owner: "LAO".into(),
        meta: DocumentMeta {
            title: "ມາດຕະຖານການປະຕິບັດງານ: ການເກັບກູ້ລະເບີດ (NRA SOP)".into(),
            language: "lo".into(),
            country: Some("LAO".into()),
            doc_type: "sop".into(),
            imas_topic: Some("09.10".into()),
            access: "regional".into(),
            organisation: Some("NRA".into()),
        },
        versions: vec![IncomingVersion {
            version: 1,
            content: VersionContent {
                file_name: None,
                media_type: "text/uri-list".into(),
                size_bytes: 0,
                sha256: None,
                link: Some("https://video.example.org/nra-sop".into()),
                note: None,
            },
            uploaded_at: chrono::Utc::now(),
        }],
    };
    node.store()
        .receive_library(
            "test",
            "ARMAC",
            Some("KHM"),
            &[sop],
            &std::collections::HashMap::new(),
        )
        .unwrap();
}
