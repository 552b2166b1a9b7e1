//! The store's side of federation (every backend runs the suite unchanged): items' global ids,
//! the outbox written in the approval's transaction (direct approvals, import batches, staged
//! approvals; nothing for a refused one), the node id, and transfers keeping all of it. The
//! upgrade of an old PostgreSQL schema is at the end; the SQLite one is in `upgrade.rs`.

#[macro_use]
mod common;

use std::collections::HashSet;

use safeground_model::{
    Accident, CasualtyOutcome, Hazard, HazardClass, HazardStatus, Record, Sex, Victim,
    VictimPersonalData,
};
use safeground_store::backup::{self, BackupOptions};
use safeground_store::postgres::testing::ScratchDatabase;
use safeground_store::transfer::{self, TableSum};
use safeground_store::{
    ApproveOptions, FederationStore, Flow, ImportBatch, Location, NewReport, OutboxEntry,
    ProgrammeStore, Reconcile, ReportEntry, SqliteStore, StoreError, ValidReport,
};

backends!(
    approvals_write_one_entry_per_version_with_revisions,
    refused_approvals_write_no_entry,
    import_batches_write_entries_and_failed_reports_none,
    victims_personal_data_never_enter_the_outbox,
    the_node_id_is_checked_and_fixed_once_shared,
    transfers_keep_uuids_the_outbox_and_the_node,
);

fn hazard(local_id: &str, corner: f64) -> Record {
    Record::Hazard(Hazard {
        local_id: local_id.into(),
        name: format!("Hazard {local_id}"),
        class: HazardClass::Sha,
        status: HazardStatus::Open,
        status_change: None,
        organisation: None,
        admin_pcode: Some("KH02".into()),
        evidence: vec![],
        contamination: vec![],
        reported_area_m2: None,
        first_recorded: None,
        geometry: Some(geo_types::MultiPolygon(vec![geo_types::Polygon::new(
            geo_types::LineString::from(vec![
                (103.2, 13.1),
                (corner, 13.1),
                (corner, 13.11),
                (103.2, 13.11),
                (103.2, 13.1),
            ]),
            vec![],
        )])),
        comment: None,
    })
}

fn report(date: &str, records: Vec<Record>) -> NewReport {
    NewReport {
        organisation: None,
        title: "survey".into(),
        source: None,
        date_of_information: chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date"),
        entries: records.into_iter().map(ReportEntry::new).collect(),
    }
}

/// A report updating `item` with a new version of the hazard.
fn update(item: &str, date: &str, corner: f64) -> NewReport {
    let mut r = report(date, vec![hazard("H1", corner)]);
    r.entries[0].reconcile = Reconcile::Update {
        item: item.into(),
        base_version: None,
    };
    r
}

/// A report whose hazard is written before its victim is found to refer to no accident: the
/// approval fails midway.
fn dangling(date: &str, hazard_id: &str, corner: f64) -> NewReport {
    let mut r = report(date, vec![hazard(hazard_id, corner)]);
    r.entries.push(ReportEntry::new(Record::Victim(Victim {
        local_id: "VIC1".into(),
        accident: Some("NO-SUCH-ACCIDENT".into()),
        sex: Sex::Female,
        age_at_accident: None,
        outcome: CasualtyOutcome::Injured,
        activity_at_time: None,
        deminer: false,
    })));
    r
}

fn submit<S: ProgrammeStore>(store: &mut S, r: &NewReport) -> i64 {
    let id = store.create_report("officer", r).expect("create");
    store.submit_report("officer", id).expect("submit");
    id
}

fn approve<S: ProgrammeStore>(store: &mut S, r: &NewReport) -> Vec<String> {
    let id = submit(store, r);
    (store.approve_report("manager", id, &ApproveOptions::default()))
        .expect("approve")
        .items
}

fn outbox<S: FederationStore>(store: &S, after: u64) -> Vec<OutboxEntry> {
    let mut out = Vec::new();
    store
        .for_each_outbox(after, &mut |e| {
            out.push(e);
            Ok(Flow::Continue)
        })
        .expect("outbox");
    out
}

/// (seq, item, revision) of every entry.
fn summary(entries: &[OutboxEntry]) -> Vec<(u64, String, u64)> {
    (entries.iter())
        .map(|e| (e.seq, e.item.clone(), e.revision))
        .collect()
}

fn approvals_write_one_entry_per_version_with_revisions<S: ProgrammeStore + FederationStore>(
    mut store: S,
) {
    assert_eq!(store.outbox_head().expect("head"), 0);
    assert!(outbox(&store, 0).is_empty());
    let items = approve(
        &mut store,
        &report(
            "2024-01-01",
            vec![hazard("H1", 103.21), hazard("H2", 103.22)],
        ),
    );
    approve(&mut store, &update(&items[0], "2024-02-01", 103.23));
    approve(&mut store, &update(&items[0], "2024-03-01", 103.24));
    approve(&mut store, &update(&items[1], "2024-03-01", 103.25));
    assert_eq!(store.outbox_head().expect("head"), 5);

    let entries = outbox(&store, 0);
    let (a, b) = (items[0].clone(), items[1].clone());
    assert_eq!(
        summary(&entries),
        [
            (1, a.clone(), 1),
            (2, b.clone(), 1),
            (3, a.clone(), 2),
            (4, a.clone(), 3),
            (5, b.clone(), 2),
        ]
    );
    // Each entry carries the version as approved, polygons included.
    let versions = store.versions(&a).expect("versions");
    let of_a: Vec<_> = (entries.iter())
        .filter(|e| e.item == a)
        .filter_map(|e| e.version.clone())
        .collect();
    assert_eq!(of_a, versions);
    let Some(Record::Hazard(h)) = entries[3].version.as_ref().map(|v| &v.record) else {
        panic!("not a hazard")
    };
    assert_eq!(
        h.geometry.as_ref().expect("polygons").0[0].exterior().0[1].x,
        103.24
    );

    // UUIDs: one per item, the same in every entry and lookup, distinct between items.
    let ua = store.item_uuid(&a).expect("read").expect("uuid");
    let ub = store.item_uuid(&b).expect("read").expect("uuid");
    assert_ne!(ua, ub);
    assert_eq!(store.item_uuid(&a).expect("read again"), Some(ua.clone()));
    assert!(store.item_uuid("HAZ-999999").expect("read").is_none());
    for e in &entries {
        let want = if e.item == a { &ua } else { &ub };
        assert_eq!(&e.uuid, want);
    }

    // Resuming after a seq, and stopping early.
    assert_eq!(
        summary(&outbox(&store, 3)),
        [(4, a.clone(), 3), (5, b.clone(), 2)]
    );
    let mut first = Vec::new();
    store
        .for_each_outbox(1, &mut |e| {
            first.push(e.seq);
            Ok(Flow::Stop)
        })
        .expect("stop");
    assert_eq!(first, [2]);
    assert!(outbox(&store, 5).is_empty());
    assert!(outbox(&store, u64::MAX).is_empty());
}

fn refused_approvals_write_no_entry<S: ProgrammeStore + FederationStore>(mut store: S) {
    let items = approve(
        &mut store,
        &report("2024-01-01", vec![hazard("H1", 103.21)]),
    );
    // Four-eyes: the officer who submitted it may not approve it.
    let id = submit(&mut store, &update(&items[0], "2024-02-01", 103.22));
    let four_eyes = ApproveOptions {
        four_eyes: true,
        ..ApproveOptions::default()
    };
    let err = store
        .approve_report("officer", id, &four_eyes)
        .expect_err("four eyes");
    assert!(
        matches!(err, StoreError::SecondApproverNeeded { .. }),
        "{err}"
    );
    // A stale update, refused once its new item of the same report was already written.
    let mut stale = update(&items[0], "2023-12-01", 103.23);
    stale
        .entries
        .insert(0, ReportEntry::new(hazard("H9", 103.3)));
    let stale = submit(&mut store, &stale);
    let err =
        (store.approve_report("manager", stale, &ApproveOptions::default())).expect_err("stale");
    assert!(matches!(err, StoreError::StaleUpdate { .. }), "{err}");
    // A reference to nothing, found after the version of the first entry was written.
    let dangling = dangling("2024-02-01", "H8", 103.3);
    let dangling = submit(&mut store, &dangling);
    let err = (store.approve_report("manager", dangling, &ApproveOptions::default()))
        .expect_err("dangling");
    assert!(matches!(err, StoreError::Reconcile { .. }), "{err}");

    assert_eq!(store.outbox_head().expect("head"), 1);
    assert_eq!(summary(&outbox(&store, 0)), [(1, items[0].clone(), 1)]);
    // The next approval takes the next seq: nothing was consumed by the refusals.
    store
        .approve_report("manager", id, &four_eyes)
        .expect("a second approver");
    assert_eq!(
        summary(&outbox(&store, 0)),
        [(1, items[0].clone(), 1), (2, items[0].clone(), 2)]
    );
}

/// Reports validated as an import validates them.
fn valid(reports: Vec<NewReport>) -> Vec<ValidReport> {
    let today = chrono::Utc::now().date_naive();
    (reports.into_iter())
        .map(|r| ValidReport::check(r, today).expect("a valid report"))
        .collect()
}

fn import<S: ProgrammeStore>(store: &mut S, reports: &[ValidReport], all: bool) -> Vec<bool> {
    let options = ApproveOptions {
        comment: Some("migration".into()),
        allow_backdated: true,
        four_eyes: false,
    };
    let batch = ImportBatch {
        reports,
        approve: Some(options),
        checkpoint: None,
        all_or_nothing: all,
    };
    (store.import_batch("importer", &batch))
        .expect("batch")
        .iter()
        .map(Result::is_ok)
        .collect()
}

fn import_batches_write_entries_and_failed_reports_none<S: ProgrammeStore + FederationStore>(
    mut store: S,
) {
    let first = valid(vec![
        report(
            "2020-01-01",
            vec![hazard("H1", 103.21), hazard("H2", 103.22)],
        ),
        report("2020-01-02", vec![hazard("H3", 103.23)]),
    ]);
    assert_eq!(import(&mut store, &first, true), [true, true]);
    // Staged creations, a failing report among them, and updates (approved directly), one of
    // them failing.
    let dangling = dangling("2020-02-01", "H4", 103.24);
    let second = valid(vec![
        report("2020-02-01", vec![hazard("H5", 103.25)]),
        dangling,
        update("HAZ-999999", "2020-03-01", 103.26),
        update("HAZ-000001", "2020-03-01", 103.26),
        report("2020-02-02", vec![hazard("H6", 103.27)]),
    ]);
    assert_eq!(
        import(&mut store, &second, false),
        [true, false, false, true, true]
    );
    let got = summary(&outbox(&store, 0));
    let want: Vec<(u64, String, u64)> = [
        ("HAZ-000001", 1),
        ("HAZ-000002", 1),
        ("HAZ-000003", 1),
        ("HAZ-000004", 1),
        ("HAZ-000001", 2),
        ("HAZ-000005", 1),
    ]
    .into_iter()
    .zip(1..)
    .map(|((item, rev), seq)| (seq, item.to_owned(), rev))
    .collect();
    assert_eq!(got, want, "the failed report's item took no id and no seq");
    let uuids: HashSet<String> = (1..=5)
        .map(|n| {
            (store.item_uuid(&format!("HAZ-{n:06}")))
                .expect("read")
                .expect("uuid")
        })
        .collect();
    assert_eq!(uuids.len(), 5);
    // An all-or-nothing batch that fails writes nothing.
    let third = valid(vec![
        report("2020-04-01", vec![hazard("H7", 103.28)]),
        report("2020-04-01", vec![hazard("H8", 103.29)]),
    ]);
    let mut broken = third.clone();
    broken.push(valid(vec![update("HAZ-999999", "2020-05-01", 103.3)]).remove(0));
    let batch = ImportBatch {
        reports: &broken,
        approve: Some(ApproveOptions {
            allow_backdated: true,
            ..ApproveOptions::default()
        }),
        checkpoint: None,
        all_or_nothing: true,
    };
    assert!(store.import_batch("importer", &batch).is_err());
    assert_eq!(store.outbox_head().expect("head"), 6);
}

fn victims_personal_data_never_enter_the_outbox<S: ProgrammeStore + FederationStore>(mut store: S) {
    let accident = Record::Accident(Accident {
        local_id: "ACC1".into(),
        date: chrono::NaiveDate::from_ymd_opt(2024, 2, 1),
        date_known: true,
        admin_pcode: Some("KH02".into()),
        device_category: None,
        location: None,
        description: None,
        hazard: None,
    });
    let victim = Record::Victim(Victim {
        local_id: "VIC1".into(),
        accident: Some("ACC1".into()),
        sex: Sex::Female,
        age_at_accident: Some(34),
        outcome: CasualtyOutcome::Injured,
        activity_at_time: None,
        deminer: false,
    });
    let mut r = report("2024-02-05", vec![accident, victim]);
    r.entries[1].personal_data = Some(VictimPersonalData {
        full_name: "Sok Chenda".into(),
        address: Some("Ou Chrov village".into()),
        contact: Some("+855 12 345 678".into()),
        date_of_birth: chrono::NaiveDate::from_ymd_opt(1990, 1, 1),
    });
    approve(&mut store, &r);
    let entries = outbox(&store, 0);
    assert_eq!(entries.len(), 2);
    for e in &entries {
        let text = format!(
            "{e:?} {}",
            serde_json::to_string(&e.version.as_ref().expect("a version").record).expect("json")
        );
        for personal in ["Sok Chenda", "Ou Chrov", "345 678", "1990-01-01"] {
            assert!(!text.contains(personal), "{personal} in {text}");
        }
    }
}

fn the_node_id_is_checked_and_fixed_once_shared<S: ProgrammeStore + FederationStore>(mut store: S) {
    assert!(store.node().expect("node").is_none());
    let err = store.record_export(0).expect_err("no node yet");
    assert!(err.to_string().contains("no node id"), "{err}");
    for bad in ["kh", "khm", "KHM-1", "1KHM", "TOOLONGID"] {
        let err = store.set_node("admin", bad).expect_err(bad);
        assert!(err.to_string().contains("not a node id"), "{err}");
    }
    store.set_node("admin", "KHM").expect("set");
    // Nothing shared yet: the node id may still change.
    store
        .set_node("admin", "LAO")
        .expect("change before sharing");
    approve(
        &mut store,
        &report("2024-01-01", vec![hazard("H1", 103.21)]),
    );
    approve(
        &mut store,
        &report("2024-01-02", vec![hazard("H2", 103.22)]),
    );
    let err = store.record_export(3).expect_err("past the head");
    assert!(err.to_string().contains("ends at 2"), "{err}");
    store.record_export(1).expect("shared through 1");
    store.record_export(0).expect("never moves back");
    let node = store.node().expect("node").expect("set");
    assert_eq!((node.code.as_str(), node.shared_through), ("LAO", 1));
    let err = store.set_node("admin", "KHM").expect_err("shared");
    assert!(err.to_string().contains("no longer change"), "{err}");
    store.set_node("admin", "LAO").expect("the same id again");
    assert_eq!(store.node().expect("node").expect("set").code, "LAO");
    let audit = store.audit_log().expect("audit");
    let set: Vec<&str> = (audit.iter())
        .filter(|a| a.action == "federation.node")
        .map(|a| a.target.as_str())
        .collect();
    assert_eq!(set, ["KHM", "LAO"]);
}

fn transfers_keep_uuids_the_outbox_and_the_node<
    S: ProgrammeStore + FederationStore + transfer::Dump,
>(
    mut store: S,
) {
    let items = approve(
        &mut store,
        &report(
            "2024-01-01",
            vec![hazard("H1", 103.21), hazard("H2", 103.22)],
        ),
    );
    approve(&mut store, &update(&items[0], "2024-02-01", 103.23));
    store.set_node("admin", "KHM").expect("node");
    store.record_export(2).expect("exported");
    let entries = outbox(&store, 0);

    let check = |copy: &dyn Fn(&str) -> Option<String>, got: Vec<OutboxEntry>| {
        for item in &items {
            assert_eq!(copy(item), store.item_uuid(item).expect("uuid"));
        }
        assert_eq!(got, entries);
    };
    let mut sqlite = SqliteStore::in_memory().expect("target");
    let sums = transfer::copy(&store, &mut sqlite).expect("copy");
    let rows = |name: &str| -> TableSum {
        (sums.iter().find(|t| t.table == name).cloned()).unwrap_or_else(|| panic!("no {name}"))
    };
    assert_eq!(rows("outbox").rows, 3);
    assert_eq!(rows("federation_node").rows, 1);
    check(&|i| sqlite.item_uuid(i).expect("uuid"), outbox(&sqlite, 0));
    assert_eq!(sqlite.node().expect("node"), store.node().expect("node"));
    // The copy goes on from the copied head.
    approve(&mut sqlite, &update(&items[1], "2024-03-01", 103.24));
    assert_eq!(sqlite.outbox_head().expect("head"), 4);
    if let Some((_db, mut pg)) = ScratchDatabase::store().expect("PostgreSQL test database") {
        transfer::copy(&store, &mut pg).expect("copy to PostgreSQL");
        check(&|i| pg.item_uuid(i).expect("uuid"), outbox(&pg, 0));
        assert_eq!(pg.node().expect("node"), store.node().expect("node"));
        approve(&mut pg, &update(&items[1], "2024-03-01", 103.24));
        assert_eq!(summary(&outbox(&pg, 3)), [(4, items[1].clone(), 2)]);
    }

    // A backup's checksums cover the outbox and the node, and its copy reads the same.
    let dir = tempfile::tempdir().expect("dir");
    let live = dir.path().join("live.sqlite");
    let mut file = SqliteStore::create(&live).expect("file");
    transfer::copy(&store, &mut file).expect("copy to a file");
    drop(file);
    let out = dir.path().join("backup.sqlite");
    let taken =
        backup::backup(&Location::Sqlite(live), &out, BackupOptions::default()).expect("backup");
    for (name, rows) in [("outbox", 3), ("federation_node", 1)] {
        let sum = (taken.tables.iter().find(|t| t.table == name))
            .unwrap_or_else(|| panic!("backup without {name}"));
        assert_eq!(sum.rows, rows, "{name}");
    }
    let restored = SqliteStore::open(&out).expect("open the backup");
    check(
        &|i| restored.item_uuid(i).expect("uuid"),
        outbox(&restored, 0),
    );
}

/// A database of migration 6 (before federation) with versions gets a UUID per item and an
/// outbox holding every version when it is opened.
#[test]
fn an_old_postgresql_schema_gets_uuids_and_an_outbox_of_every_version() {
    let Some(db) = ScratchDatabase::create().expect("PostgreSQL test database") else {
        return;
    };
    let mut store = db.connect().expect("create");
    let items = approve(
        &mut store,
        &report(
            "2024-01-01",
            vec![hazard("H1", 103.21), hazard("H2", 103.22)],
        ),
    );
    approve(&mut store, &update(&items[1], "2024-02-01", 103.23));
    drop(store);
    db.client()
        .expect("client")
        .batch_execute(
            "DROP TABLE detection, detection_run, orthophoto, machine_track, hub_detector_summary; \
             DROP TABLE attachment, field_submission; \
             DROP TABLE planning_task, planning_setting, planning_layer; \
             DROP TABLE ordnance_page, hub_training_summary, library_origin; \
             DROP TABLE shared_record, hub_node, hub, federation_withdrawn, reference_source, \
             reference_published; DROP TABLE outbox; \
             DROP TABLE library_version, library_document, training_certificate, \
             training_assessment, training_enrolment, training_instructor, training_session, \
             training_personal, training_person; \
             DROP TABLE federation_node; ALTER TABLE item DROP COLUMN uuid; \
             DELETE FROM schema_version WHERE version >= 7;",
        )
        .expect("back to migration 6");

    let mut store = db.connect().expect("migrate");
    let uuids: Vec<String> = (items.iter())
        .map(|i| store.item_uuid(i).expect("read").expect("backfilled"))
        .collect();
    assert_ne!(uuids[0], uuids[1]);
    assert!(uuids.iter().all(|u| u.len() == 36 && &u[14..15] == "4"));
    let entries = outbox(&store, 0);
    assert_eq!(
        summary(&entries),
        [
            (1, items[0].clone(), 1),
            (2, items[1].clone(), 1),
            (3, items[1].clone(), 2)
        ]
    );
    assert_eq!(entries[2].uuid, uuids[1]);
    approve(&mut store, &update(&items[0], "2024-03-01", 103.24));
    assert_eq!(summary(&outbox(&store, 3)), [(4, items[0].clone(), 2)]);
    assert_eq!(
        store.check_consistency().expect("check"),
        Vec::<String>::new()
    );
}

/// `check_consistency` (run by `safeground check` and on every backup) finds an outbox that
/// lost an entry.
#[test]
fn a_gap_in_the_outbox_is_found_by_the_consistency_check() {
    let gap = "outbox does not hold one entry per approved version in seqs without gaps";
    let reports = [
        report("2024-01-01", vec![hazard("H1", 103.21)]),
        report("2024-01-02", vec![hazard("H2", 103.22)]),
    ];
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("gap.sqlite");
    let mut store = SqliteStore::create(&path).expect("create");
    for r in &reports {
        approve(&mut store, r);
    }
    assert_eq!(
        store.check_consistency().expect("check"),
        Vec::<String>::new()
    );
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute("DELETE FROM outbox WHERE seq = 1", [])
        .expect("lose an entry");
    let problems = store.check_consistency().expect("check");
    assert!(problems.iter().any(|p| p.starts_with(gap)), "{problems:?}");

    let Some(db) = ScratchDatabase::create().expect("PostgreSQL test database") else {
        return;
    };
    let mut store = db.connect().expect("create");
    for r in &reports {
        approve(&mut store, r);
    }
    assert_eq!(
        store.check_consistency().expect("check"),
        Vec::<String>::new()
    );
    db.client()
        .expect("client")
        .execute("DELETE FROM outbox WHERE seq = 1", &[])
        .expect("lose an entry");
    let problems = store.check_consistency().expect("check");
    assert!(problems.iter().any(|p| p.starts_with(gap)), "{problems:?}");
}
