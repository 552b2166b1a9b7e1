//! PostgreSQL-specific behaviour beyond the conformance suite: PostGIS columns, the writer
//! lock across connections, streaming pages and re-entrant reads. Skipped without
//! `SAFEGROUND_TEST_POSTGRES` (see [`super::testing`]).

use chrono::NaiveDate;
use geo_types::{LineString, MultiPolygon, Polygon};
use safeground_model::{Hazard, HazardClass, HazardStatus, ItemKind, Record};

use super::testing::ScratchDatabase;
use crate::{
    ApproveOptions, Flow, ImportBatch, NewReport, PostgresStore, ProgrammeStore, ReportEntry,
    ValidReport,
};

fn square(dx: f64, size_m: f64) -> MultiPolygon<f64> {
    let (m_lon, m_lat) = (108_470.0, 110_574.0);
    let (x0, y0) = (103.2 + dx, 13.1);
    let (x1, y1) = (x0 + size_m / m_lon, y0 + size_m / m_lat);
    MultiPolygon(vec![Polygon::new(
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
        vec![],
    )])
}

fn hazard_report(local_id: &str, geometry: MultiPolygon<f64>) -> NewReport {
    NewReport {
        organisation: None,
        title: format!("hazard {local_id}"),
        source: None,
        date_of_information: NaiveDate::from_ymd_opt(2024, 3, 1).expect("date"),
        entries: vec![ReportEntry::new(Record::Hazard(Hazard {
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
            geometry: Some(geometry),
            comment: None,
        }))],
    }
}

fn approve(store: &mut PostgresStore, report: &NewReport) -> String {
    let id = store.create_report("officer", report).expect("create");
    store.submit_report("officer", id).expect("submit");
    let approval = store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect("approve");
    approval.items[0].clone()
}

#[test]
fn geometry_is_in_postgis_and_round_trips_exactly() {
    let Some((db, mut store)) = ScratchDatabase::store().expect("test database") else {
        return;
    };
    let geometry = square(0.0, 150.0);
    let item = approve(&mut store, &hazard_report("H1", geometry.clone()));
    let state = store.current_hazards().expect("states").remove(0);
    assert_eq!(
        state.geometry.as_ref(),
        Some(&geometry),
        "WKB through PostGIS"
    );

    let mut sql = db.client().expect("client");
    let row = sql
        .query_one(
            "SELECT GeometryType(geometry), ST_SRID(geometry), \
             ST_Area(geometry::geography), original_m2 FROM hazard_current WHERE item_id = $1",
            &[&item],
        )
        .expect("hazard_current");
    assert_eq!(row.get::<_, String>(0), "MULTIPOLYGON");
    assert_eq!(row.get::<_, i32>(1), 4326);
    let (postgis, ours): (f64, f64) = (row.get(2), row.get(3));
    assert!((postgis - ours).abs() / ours < 1e-3, "{postgis} vs {ours}");
    // GIS users find the item by location, through the GiST-indexed version geometry.
    let found: Vec<String> = sql
        .query(
            "SELECT item_id FROM item_current \
             WHERE geom && ST_MakeEnvelope(103.19, 13.09, 103.21, 13.11, 4326)",
            &[],
        )
        .expect("bbox query")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(found, vec![item]);
    let indexed: i64 = sql
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%USING gist%'",
            &[],
        )
        .expect("indexes")
        .get(0);
    assert_eq!(indexed, 3);
    // Large values are compressed with lz4 (Debian's PostgreSQL has it; see 002).
    let lz4: i64 = sql
        .query_one(
            "SELECT count(*) FROM pg_attribute WHERE attcompression = 'l' \
             AND attrelid IN ('report'::regclass, 'item_version'::regclass, \
             'hazard_current'::regclass)",
            &[],
        )
        .expect("compression")
        .get(0);
    assert_eq!(lz4, 5);
}

/// Migration 3 fills the new `hazard_current.name` of a database written before it.
#[test]
fn migration_3_gives_existing_hazards_their_names() {
    let Some((db, mut store)) = ScratchDatabase::store().expect("test database") else {
        return;
    };
    approve(&mut store, &hazard_report("H2", square(0.0, 100.0)));
    approve(&mut store, &hazard_report("H1", square(0.01, 100.0)));
    drop(store);
    db.client()
        .expect("client")
        .batch_execute(
            "ALTER TABLE hazard_current DROP COLUMN name; DROP TABLE report_personal_data; \
             DROP TABLE federation_withdrawn, reference_source, reference_published; \
             DROP TABLE ordnance_page, hub_training_summary, library_origin; \
             DROP TABLE detection, detection_run, orthophoto, machine_track, hub_detector_summary; \
             DROP TABLE attachment, field_submission; \
             DROP TABLE planning_task, planning_setting, planning_layer; \
             DROP TABLE library_version, library_document, training_certificate, \
             training_assessment, training_enrolment, training_instructor, training_session, \
             training_personal, training_person; \
             DROP TABLE account_request, break_glass, outbox, federation_node; \
             DROP TABLE shared_record, hub_node, hub; \
             ALTER TABLE item DROP COLUMN uuid; DELETE FROM schema_version WHERE version >= 3",
        )
        .expect("back to schema 2");
    let store = db.connect().expect("migrates on connect");
    let page = store
        .hazard_register(&crate::RegisterQuery {
            text: Some("hazard h1".into()),
            ..crate::RegisterQuery::default()
        })
        .expect("search");
    assert_eq!(page.total, 1);
    assert_eq!(page.hazards[0].name, "Hazard H1");
    let mut names = Vec::new();
    store
        .for_each_hazard_state(None, &mut |h| {
            names.push(h.name);
            Ok(Flow::Continue)
        })
        .expect("stream");
    names.sort();
    assert_eq!(names, ["Hazard H1", "Hazard H2"]);
}

#[test]
fn writers_on_separate_connections_are_serialised() {
    let Some((db, store)) = ScratchDatabase::store().expect("test database") else {
        return;
    };
    drop(store);
    let threads: Vec<_> = (0..3)
        .map(|t| {
            let mut store = db.connect().expect("connect");
            std::thread::spawn(move || {
                for i in 0..4 {
                    let report =
                        hazard_report(&format!("T{t}-{i}"), square(0.01 * f64::from(i), 100.0));
                    approve(&mut store, &report);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("writer thread");
    }
    let store = db.connect().expect("connect");
    let items = store.items_of_kind(ItemKind::Hazard).expect("items");
    let expected: Vec<String> = (1..=12).map(|n| format!("HAZ-{n:06}")).collect();
    assert_eq!(items, expected, "one id per approval, no gaps");
    assert_eq!(store.last_change().expect("last change"), 12);
    let mut sql = db.client().expect("client");
    let times: Vec<chrono::DateTime<chrono::Utc>> = sql
        .query("SELECT recorded_at FROM item_version ORDER BY id", &[])
        .expect("versions")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] < w[1]),
        "transaction time follows version order: {times:?}"
    );
    assert!(store.check_consistency().expect("check").is_empty());
}

#[test]
fn streams_page_through_many_items_and_callbacks_may_read_the_store() {
    let Some((_db, mut store)) = ScratchDatabase::store().expect("test database") else {
        return;
    };
    let today = chrono::Utc::now().date_naive();
    let reports: Vec<ValidReport> = (0..300)
        .map(|i| hazard_report(&format!("H{i}"), square(0.002 * f64::from(i), 50.0)))
        .map(|r| ValidReport::check(r, today).expect("valid"))
        .collect();
    let results = store
        .import_batch(
            "importer",
            &ImportBatch {
                reports: &reports,
                approve: Some(ApproveOptions::default()),
                checkpoint: None,
                all_or_nothing: true,
            },
        )
        .expect("import");
    assert_eq!(results.len(), 300);
    let mut seen = Vec::new();
    store
        .for_each_current(ItemKind::Hazard, None, &mut |v| {
            // Re-entrant read while the stream is open.
            assert_eq!(store.version_count(&v.item).expect("count"), 1);
            seen.push(v.item);
            Ok(Flow::Continue)
        })
        .expect("stream");
    assert_eq!(seen.len(), 300);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    let mut states = 0;
    store
        .for_each_hazard_state(Some("HAZ-000100"), &mut |s| {
            assert_eq!(s.name, format!("Hazard {}", s.local_id));
            states += 1;
            Ok(if states == 150 {
                Flow::Stop
            } else {
                Flow::Continue
            })
        })
        .expect("states");
    assert_eq!(states, 150);
}

/// The server moves stores between threads and calls them on tokio's blocking pool: the store
/// must be `Send`, and the blocking client must work there (it runs its own small runtime).
#[test]
fn the_store_works_on_tokios_blocking_pool() {
    fn send<T: Send>() {}
    send::<PostgresStore>();
    let Some((_db, mut store)) = ScratchDatabase::store().expect("test database") else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .expect("runtime");
    let items = runtime.block_on(async move {
        tokio::task::spawn_blocking(move || {
            approve(&mut store, &hazard_report("H1", square(0.0, 100.0)));
            store.items_of_kind(ItemKind::Hazard)
        })
        .await
        .expect("blocking task")
    });
    assert_eq!(items.expect("items"), vec!["HAZ-000001".to_owned()]);
}

/// The planner's row estimate of `table` (-1 while it was never analysed).
fn planned_rows(db: &ScratchDatabase, table: &str) -> f32 {
    db.client()
        .expect("client")
        .query_one(
            "SELECT reltuples FROM pg_class WHERE oid = $1::text::regclass",
            &[&table],
        )
        .expect("reltuples")
        .get(0)
}

#[test]
fn the_end_of_an_import_refreshes_the_planners_statistics() {
    let Some((db, mut store)) = ScratchDatabase::store().expect("test database") else {
        return;
    };
    // Imports the hazards numbered `numbers`, approved, and says the import is over.
    let mut import = |numbers: std::ops::Range<u32>| {
        let today = chrono::Utc::now().date_naive();
        let reports: Vec<ValidReport> = (numbers.clone())
            .map(|i| {
                let report = hazard_report(&format!("H{i}"), square(0.01 * f64::from(i), 100.0));
                ValidReport::check(report, today).expect("valid")
            })
            .collect();
        let batch = ImportBatch {
            reports: &reports,
            approve: Some(ApproveOptions::default()),
            ..ImportBatch::default()
        };
        let results = store.import_batch("importer", &batch).expect("batch");
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        store
            .import_finished(numbers.len())
            .expect("import finished");
    };
    import(0..30);
    for table in ["report", "item", "item_version", "hazard_current"] {
        assert_eq!(planned_rows(&db, table), 30.0, "{table}");
    }
    assert_eq!(planned_rows(&db, "audit"), 90.0);
    // Two more records are less than a tenth of the 30: not worth analysing the tables again.
    import(30..32);
    assert_eq!(planned_rows(&db, "item"), 30.0);
    // Four are more than a tenth of them: analysed again.
    import(32..36);
    assert_eq!(planned_rows(&db, "item"), 36.0);
}

/// Migration 4 moves the personal data that report bodies held into `report_personal_data`.
#[test]
fn migration_4_moves_personal_data_out_of_report_bodies() {
    let Some((db, mut store)) = ScratchDatabase::store().expect("test database") else {
        return;
    };
    let mut report = hazard_report("H1", square(0.0, 100.0));
    let victim: Record = serde_json::from_value(serde_json::json!({
        "kind": "victim", "local_id": "V1", "sex": "female", "outcome": "injured"
    }))
    .expect("victim");
    report.entries.push(ReportEntry::new(victim));
    let id = store.create_report("officer", &report).expect("draft");
    drop(store);
    db.client()
        .expect("client")
        .batch_execute(&format!(
            "DROP TABLE detection, detection_run, orthophoto, machine_track, hub_detector_summary; \
             DROP TABLE attachment, field_submission; \
             DROP TABLE planning_task, planning_setting, planning_layer; \
             DROP TABLE report_personal_data, account_request, break_glass, outbox, \
             shared_record, hub_node, hub, federation_withdrawn, reference_source, \
             reference_published, ordnance_page, hub_training_summary, library_origin, \
             library_version, library_document, training_certificate, \
             training_assessment, training_enrolment, training_instructor, training_session, \
             training_personal, training_person, \
             federation_node; ALTER TABLE item DROP COLUMN uuid; \
             DELETE FROM schema_version WHERE version >= 4; \
             UPDATE report SET body = jsonb_set(body, '{{1,personal_data}}', \
             '{{\"full_name\": \"Sok Chenda\", \"address\": \"Ou Chrov\"}}') WHERE id = {id}"
        ))
        .expect("back to schema 3, personal data in the body");
    let store = db.connect().expect("migrates on connect");
    let body: String = db
        .client()
        .expect("client")
        .query_one("SELECT body::text FROM report WHERE id = $1", &[&id])
        .expect("body")
        .get(0);
    assert!(
        !body.contains("Sok Chenda") && !body.contains("personal_data"),
        "{body}"
    );
    let read = store.report(id).expect("read");
    let personal = read.content.entries[1].personal_data.as_ref();
    assert_eq!(personal.map(|p| p.full_name.as_str()), Some("Sok Chenda"));
    assert_eq!(read.content.entries[0].personal_data, None);
}
