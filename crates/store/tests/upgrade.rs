//! Databases written by older schema versions are upgraded in place when opened: version 1
//! (before report revisions and accounts) keeps its reports, version 3 (before hazard names in
//! `hazard_current`) gets each hazard's name from its version in force, version 4 (a hazard's
//! polygons inside its record's JSON) reads as before and stores new versions' polygons apart,
//! version 7 gets the table of break-glass grants, version 8 gets items' UUIDs and an outbox
//! holding every version already approved, version 10 the outbox entries' causes (all
//! approvals), withdrawals and reference data.

use safeground_model::Record;
use safeground_store::{
    AccountStore, ApproveOptions, NewReport, ProgrammeStore, RegisterQuery, RegisterSort,
    SqliteStore,
};

fn schema_version(path: &std::path::Path) -> String {
    rusqlite::Connection::open(path)
        .expect("open")
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .expect("version")
}

#[test]
fn version_1_databases_are_upgraded_on_open() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("v1.sqlite");
    drop(SqliteStore::create(&path).expect("create"));
    {
        // Turn it back into what schema 1 looked like, with one report.
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(
            "DROP TABLE import_checkpoint; DROP TABLE credential; DROP TABLE login_failure; DROP TABLE account;
             ALTER TABLE report DROP COLUMN revision; ALTER TABLE hazard_current DROP COLUMN name;
             ALTER TABLE item_version DROP COLUMN geometry;
             UPDATE meta SET value = '1' WHERE key = 'schema_version';
             INSERT INTO report (organisation, title, date_of_information, status, body, created_by, created_at)
             VALUES ('ORG-HALO', 'old report', '2020-01-01', 'draft', '[]', 'someone', '2020-01-02T00:00:00.000000Z');",
        )
        .expect("downgrade");
    }
    let store = SqliteStore::open(&path).expect("upgrade on open");
    let r = store.report(1).expect("the old report is kept");
    assert_eq!(r.content.title, "old report");
    assert_eq!(r.revision, 1);
    assert!(store.accounts().expect("accounts table exists").is_empty());
    drop(store);
    assert_eq!(schema_version(&path), "16");
}

#[test]
fn version_3_databases_get_hazard_names_on_open() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("v3.sqlite");
    let mut store = SqliteStore::create(&path).expect("create");
    for (local_id, name) in [("H1", "Ou Chrov canal"), ("H2", "Beng Mealea east")] {
        let report: NewReport = serde_json::from_value(serde_json::json!({
            "title": format!("NTS {local_id}"),
            "date_of_information": "2025-03-01",
            "entries": [{"record": {
                "kind": "hazard", "local_id": local_id, "name": name,
                "class": "sha", "status": "open",
                "evidence": ["accident"], "contamination": ["ap_mines"]
            }}]
        }))
        .expect("report");
        let id = store.create_report("tester", &report).expect("create");
        store.submit_report("tester", id).expect("submit");
        store
            .approve_report("tester", id, &ApproveOptions::default())
            .expect("approve");
    }
    drop(store);
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute_batch(
            "ALTER TABLE hazard_current DROP COLUMN name;
             ALTER TABLE item_version DROP COLUMN geometry;
             UPDATE meta SET value = '3' WHERE key = 'schema_version';",
        )
        .expect("downgrade");
    let store = SqliteStore::open(&path).expect("upgrade on open");
    let found = store
        .hazard_register(&RegisterQuery {
            text: Some("CHROV".into()),
            ..RegisterQuery::default()
        })
        .expect("search");
    assert_eq!(found.total, 1);
    assert_eq!(found.hazards[0].name, "Ou Chrov canal");
    let by_name = store
        .hazard_register(&RegisterQuery {
            sort: RegisterSort::Name,
            ..RegisterQuery::default()
        })
        .expect("sorted");
    let names: Vec<&str> = by_name.hazards.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["Beng Mealea east", "Ou Chrov canal"]);
    drop(store);
    assert_eq!(schema_version(&path), "16");
}

fn hazard_report(reconcile: serde_json::Value, date: &str, corner: f64) -> NewReport {
    serde_json::from_value(serde_json::json!({
        "title": "hazard survey",
        "date_of_information": date,
        "entries": [{"reconcile": reconcile, "record": {
            "kind": "hazard", "local_id": "H1", "name": "Ou Chrov canal",
            "class": "sha", "status": "open",
            "evidence": ["accident"], "contamination": ["ap_mines"],
            "geometry": {"type": "MultiPolygon", "coordinates": [[[
                [103.2, 13.1], [corner, 13.1], [corner, 13.11], [103.2, 13.1]]]]}
        }}]
    }))
    .expect("report")
}

fn approve(store: &mut SqliteStore, report: &NewReport) {
    let id = store.create_report("tester", report).expect("create");
    store.submit_report("tester", id).expect("submit");
    store
        .approve_report("tester", id, &ApproveOptions::default())
        .expect("approve");
}

#[test]
fn version_4_records_keep_their_polygons_and_new_versions_store_them_apart() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("v4.sqlite");
    let mut store = SqliteStore::create(&path).expect("create");
    approve(
        &mut store,
        &hazard_report(serde_json::json!({"action": "new"}), "2025-03-01", 103.21),
    );
    let first = store.versions("HAZ-000001").expect("versions");
    let whole = serde_json::to_string(&first[0].record).expect("json");
    drop(store);
    // What schema 4 stored: the whole record, polygons included, and no geometry column.
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute("UPDATE item_version SET record = ?1", [&whole])
        .expect("old record");
    conn.execute_batch(
        "ALTER TABLE item_version DROP COLUMN geometry;
         UPDATE meta SET value = '4' WHERE key = 'schema_version';",
    )
    .expect("downgrade");
    drop(conn);

    let mut store = SqliteStore::open(&path).expect("upgrade on open");
    assert_eq!(store.versions("HAZ-000001").expect("versions"), first);
    approve(
        &mut store,
        &hazard_report(
            serde_json::json!({"action": "update", "item": "HAZ-000001"}),
            "2025-04-01",
            103.22,
        ),
    );
    let both = store.versions("HAZ-000001").expect("versions");
    assert_eq!(both.len(), 2);
    assert_eq!(both[0], first[0]);
    let Record::Hazard(h) = &both[1].record else {
        panic!("not a hazard: {:?}", both[1].record)
    };
    let ring = &h.geometry.as_ref().expect("polygons").0[0].exterior().0;
    assert_eq!(ring[1].x, 103.22);
    drop(store);
    assert_eq!(schema_version(&path), "16");

    let conn = rusqlite::Connection::open(&path).expect("open");
    let rows: Vec<(bool, bool)> = conn
        .prepare(
            "SELECT json_type(record, '$.geometry') = 'null', geometry IS NOT NULL \
             FROM item_version ORDER BY id",
        )
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    // The old version as it was; the new one with its polygons in the column.
    assert_eq!(rows, [(false, false), (true, true)]);
}

#[test]
fn version_5_bodies_give_their_personal_data_to_their_own_table() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("v5.sqlite");
    let mut store = SqliteStore::create(&path).expect("create");
    let mut report = hazard_report(serde_json::json!({"action": "new"}), "2025-03-01", 103.21);
    report.entries.push(
        serde_json::from_value(serde_json::json!({"record": {
            "kind": "victim", "local_id": "V1", "sex": "female", "outcome": "injured"
        }}))
        .expect("victim"),
    );
    let id = store.create_report("tester", &report).expect("draft");
    drop(store);
    // What schema 5 stored: personal data inside the report body.
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch(
        r#"DROP TABLE report_personal_data;
           UPDATE report SET body = json_set(body, '$[1].personal_data',
               json('{"full_name": "Sok Chenda", "address": "Ou Chrov"}'));
           UPDATE meta SET value = '5' WHERE key = 'schema_version';"#,
    )
    .expect("downgrade");
    drop(conn);

    let store = SqliteStore::open(&path).expect("upgrade on open");
    let read = store.report(id).expect("read");
    let personal = read.content.entries[1].personal_data.as_ref();
    assert_eq!(personal.map(|p| p.full_name.as_str()), Some("Sok Chenda"));
    drop(store);
    assert_eq!(schema_version(&path), "16");
    let body: String = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row("SELECT body FROM report WHERE id = ?1", [id], |r| r.get(0))
        .expect("body");
    assert!(
        !body.contains("Sok Chenda") && !body.contains("personal_data"),
        "{body}"
    );
}

#[test]
fn version_7_databases_get_break_glass_grants() {
    use safeground_store::{BreakGlassStore, NewAccount, Role};
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("v7.sqlite");
    drop(SqliteStore::create(&path).expect("create"));
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute_batch(
            "DROP TABLE break_glass; UPDATE meta SET value = '7' WHERE key = 'schema_version';",
        )
        .expect("back to schema 7");
    let mut store = SqliteStore::open(&path).expect("upgrade on open");
    store
        .add_account(
            "setup",
            &NewAccount {
                username: "approver".into(),
                display_name: "Approver".into(),
                organisation: "ORG-CMAA".into(),
                role: Role::Approver,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            },
        )
        .expect("account");
    store
        .open_break_glass("approver", "a grant in an upgraded programme file", None)
        .expect("the break_glass table exists");
    drop(store);
    assert_eq!(schema_version(&path), "16");
}

#[test]
fn version_8_databases_get_item_uuids_and_an_outbox_of_every_version() {
    use safeground_store::{FederationStore, Flow};
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("v8.sqlite");
    let mut store = SqliteStore::create(&path).expect("create");
    let new = serde_json::json!({"action": "new"});
    approve(
        &mut store,
        &hazard_report(new.clone(), "2025-03-01", 103.21),
    );
    approve(&mut store, &hazard_report(new, "2025-03-02", 103.23));
    let update = serde_json::json!({"action": "update", "item": "HAZ-000001"});
    approve(&mut store, &hazard_report(update, "2025-04-01", 103.22));
    drop(store);
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute_batch(
            "DROP INDEX item_uuid; ALTER TABLE item DROP COLUMN uuid;
             DROP TABLE outbox; DROP TABLE federation_node;
             UPDATE meta SET value = '8' WHERE key = 'schema_version';",
        )
        .expect("back to schema 8");

    let mut store = SqliteStore::open(&path).expect("upgrade on open");
    let uuids: Vec<String> = ["HAZ-000001", "HAZ-000002"]
        .iter()
        .map(|i| store.item_uuid(i).expect("read").expect("backfilled"))
        .collect();
    assert_ne!(uuids[0], uuids[1]);
    for u in &uuids {
        assert_eq!(u.len(), 36, "{u}");
        assert_eq!(&u[14..15], "4", "version 4: {u}");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"), "variant: {u}");
    }
    // Every approved version is in the outbox, in approval order, revisions per item.
    let mut seen = Vec::new();
    store
        .for_each_outbox(0, &mut |e| {
            seen.push((e.seq, e.item, e.revision, e.uuid));
            Ok(Flow::Continue)
        })
        .expect("outbox");
    let expected = [
        (1, "HAZ-000001", 1, &uuids[0]),
        (2, "HAZ-000002", 1, &uuids[1]),
        (3, "HAZ-000001", 2, &uuids[0]),
    ];
    assert_eq!(seen.len(), 3);
    for (got, want) in seen.iter().zip(expected) {
        assert_eq!((got.0, got.1.as_str(), got.2, &got.3), want);
    }
    // New approvals go on from there.
    let update = serde_json::json!({"action": "update", "item": "HAZ-000002"});
    approve(&mut store, &hazard_report(update, "2025-05-01", 103.24));
    assert_eq!(store.outbox_head().expect("head"), 4);
    assert!(store.node().expect("node").is_none());
    assert_eq!(
        store.check_consistency().expect("check"),
        Vec::<String>::new()
    );
    drop(store);
    assert_eq!(schema_version(&path), "16");
}

#[test]
fn version_9_databases_get_the_hubs_tables() {
    use safeground_store::HubStore;
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("v9.sqlite");
    drop(SqliteStore::create(&path).expect("create"));
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute_batch(
            "DROP TABLE shared_record; DROP TABLE hub_node; DROP TABLE hub;
             UPDATE meta SET value = '9' WHERE key = 'schema_version';",
        )
        .expect("back to schema 9");
    let mut store = SqliteStore::open(&path).expect("upgrade on open");
    assert!(!store.is_hub().expect("the hub table exists"));
    store.make_hub("setup").expect("mark");
    assert!(store.is_hub().expect("hub"));
    assert!(store.hub_nodes().expect("nodes").is_empty());
    drop(store);
    assert_eq!(schema_version(&path), "16");
}

#[test]
fn version_10_databases_get_causes_withdrawals_and_reference_data() {
    use safeground_store::reference::ReferenceStore;
    use safeground_store::{Cause, FederationStore, Flow};
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("v10.sqlite");
    let mut store = SqliteStore::create(&path).expect("create");
    approve(
        &mut store,
        &hazard_report(serde_json::json!({"action": "new"}), "2024-01-01", 103.21),
    );
    drop(store);
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute_batch(
            "DROP TABLE federation_withdrawn; DROP TABLE reference_source;
             DROP TABLE reference_published; ALTER TABLE outbox DROP COLUMN cause;
             ALTER TABLE federation_node DROP COLUMN policy_terms;
             UPDATE meta SET value = '10' WHERE key = 'schema_version';",
        )
        .expect("back to schema 10");
    let mut store = SqliteStore::open(&path).expect("upgrade on open");
    let mut causes = Vec::new();
    (store.for_each_outbox(0, &mut |e| {
        causes.push((e.item, e.cause));
        Ok(Flow::Continue)
    }))
    .expect("outbox");
    assert_eq!(causes, [("HAZ-000001".to_owned(), Cause::Approval)]);
    assert_eq!(
        store
            .withdraw("admin", "HAZ-000001", "test")
            .expect("withdraw"),
        2
    );
    assert_eq!(store.reference().expect("reference").version, 0);
    store.publish_reference("admin", 1, "v1").expect("publish");
    assert!(store.check_consistency().expect("check").is_empty());
    drop(store);
    assert_eq!(schema_version(&path), "16");
}

/// Schema 11 (before the library and the training register), 12 (before ordnance pages, hub
/// training summaries and library origins), 13 (before planning), 14 (before field
/// submissions and attachments) and 15 (before evidence) open and gain the tables they lack.
#[test]
fn versions_11_to_15_are_upgraded_on_open() {
    for (version, back) in [
        (
            "11",
            "DROP TABLE ordnance_page; DROP TABLE hub_training_summary; \
             DROP TABLE library_origin; DROP TABLE library_version; \
             DROP TABLE library_document; DROP TABLE training_certificate; \
             DROP TABLE training_assessment; DROP TABLE training_enrolment; \
             DROP TABLE training_instructor; DROP TABLE training_session; \
             DROP TABLE training_personal; DROP TABLE training_person; \
             DROP TABLE planning_task; DROP TABLE planning_setting; DROP TABLE planning_layer; \
             DROP TABLE attachment; DROP TABLE field_submission;",
        ),
        (
            "12",
            "DROP TABLE ordnance_page; DROP TABLE hub_training_summary; \
             DROP TABLE library_origin; DROP TABLE planning_task; DROP TABLE planning_setting; \
             DROP TABLE planning_layer; DROP TABLE attachment; DROP TABLE field_submission;",
        ),
        (
            "13",
            "DROP TABLE planning_task; DROP TABLE planning_setting; DROP TABLE planning_layer; \
             DROP TABLE attachment; DROP TABLE field_submission;",
        ),
        ("14", "DROP TABLE attachment; DROP TABLE field_submission;"),
        (
            "15",
            "DROP TABLE detection; DROP TABLE detection_run; DROP TABLE orthophoto; \
             DROP TABLE machine_track; DROP TABLE hub_detector_summary;",
        ),
    ] {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("old.sqlite");
        let mut store = SqliteStore::create(&path).expect("create");
        approve(
            &mut store,
            &hazard_report(serde_json::json!({"action": "new"}), "2024-01-01", 103.21),
        );
        drop(store);
        rusqlite::Connection::open(&path)
            .expect("open")
            .execute_batch(&format!(
                "{back} UPDATE meta SET value = '{version}' WHERE key = 'schema_version';"
            ))
            .expect("back to the older schema");
        let store = SqliteStore::open(&path).expect("upgrade on open");
        assert!(store.check_consistency().expect("check").is_empty());
        drop(store);
        assert_eq!(schema_version(&path), "16", "from {version}");
        let conn = rusqlite::Connection::open(&path).expect("open");
        for table in [
            "library_document",
            "training_person",
            "ordnance_page",
            "hub_training_summary",
            "library_origin",
            "planning_task",
            "planning_setting",
            "planning_layer",
            "attachment",
            "field_submission",
            "orthophoto",
            "detection_run",
            "detection",
            "machine_track",
            "hub_detector_summary",
        ] {
            let n: i64 = conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .expect(table);
            assert_eq!(n, 0, "{table} from {version}");
        }
    }
}

/// A schema 14 file (before offline field capture) opens as 15 and stores a field submission
/// with its file at once.
#[test]
fn version_14_databases_take_field_submissions() {
    use safeground_store::FieldStore;
    use safeground_store::field::{FieldFile, FieldSubmission, SubmissionOutcome};
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("v14.sqlite");
    drop(SqliteStore::create(&path).expect("create"));
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute_batch(
            "DROP TABLE attachment; DROP TABLE field_submission; \
             UPDATE meta SET value = '14' WHERE key = 'schema_version';",
        )
        .expect("back to schema 14");
    let mut store = SqliteStore::open(&path).expect("upgrade on open");
    let report = hazard_report(serde_json::json!({"action": "new"}), "2024-01-01", 103.21);
    let files = [FieldFile {
        part: "photo-0".into(),
        entry: 0,
        name: "IMG_0001.jpg".into(),
        media_type: "image/jpeg".into(),
        caption: None,
        bytes: vec![0xFF, 0xD8, 0xFF, 0xD9],
    }];
    let submission = FieldSubmission {
        uuid: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        digest: "ab12",
        form_version: "0123456789abcdef",
        report: &report,
        files: &files,
    };
    let outcome = store.submit_field("officer", &submission).expect("submit");
    assert!(matches!(outcome, SubmissionOutcome::Created(_)));
    assert_eq!(store.attachments(outcome.report()).expect("files").len(), 1);
    assert!(store.check_consistency().expect("check").is_empty());
    drop(store);
    assert_eq!(schema_version(&path), "16");
}
