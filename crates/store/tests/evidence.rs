//! Evidence (issue 28) on every backend: orthophotos name approved hazards and activities; a
//! detection run is stored whole or not at all; a verdict is given once; a confirmation
//! creates and submits the report of its EO find in the same transaction (a bad find writes
//! nothing); tracks round trip with their geometries; transfers carry every evidence table;
//! a schema 15 SQLite file opens as 16 and takes evidence at once.

#[macro_use]
mod common;

use chrono::{DateTime, NaiveDate, Utc};
use geo_types::{LineString, MultiLineString, MultiPolygon, Point, Polygon, polygon};
use safeground_store::evidence::{
    Confirmation, DetectionQuery, NewDetection, NewDetectionRun, NewOrthophoto, NewTrack,
    VerdictValue,
};
use safeground_store::postgres::testing::ScratchDatabase;
use safeground_store::transfer::{self, Dump};
use safeground_store::{
    ApproveOptions, EvidenceStore, NewReport, ProgrammeStore, ReportStatus, SqliteStore, StoreError,
};

backends!(
    orthophotos_name_approved_hazards_and_list_newest_first,
    a_detection_run_is_stored_whole_or_not_at_all,
    a_verdict_is_given_once,
    a_confirmation_submits_the_report_of_its_find_and_a_bad_find_writes_nothing,
    a_confirmation_may_name_a_recorded_find,
    tracks_round_trip_with_their_geometries,
);

fn square(lon: f64, lat: f64, side: f64) -> Polygon<f64> {
    polygon![(x: lon, y: lat), (x: lon + side, y: lat), (x: lon + side, y: lat + side),
        (x: lon, y: lat + side), (x: lon, y: lat)]
}

fn geojson_square(lon: f64) -> serde_json::Value {
    serde_json::json!({"type": "MultiPolygon", "coordinates": [[[
        [lon, 13.1], [lon + 0.001, 13.1], [lon + 0.001, 13.101], [lon, 13.101], [lon, 13.1]]]]})
}

fn report(title: &str, entries: serde_json::Value) -> NewReport {
    serde_json::from_value(serde_json::json!({
        "title": title, "date_of_information": "2025-03-01", "entries": entries,
    }))
    .expect("report")
}

/// An approved hazard H1 and clearance activity A1 on it.
fn programme<S: ProgrammeStore + ?Sized>(store: &mut S) {
    let baseline = report(
        "baseline",
        serde_json::json!([
            {"reconcile": {"action": "new"}, "record": {"kind": "hazard", "local_id": "H1",
                "name": "Canal", "class": "cha", "status": "open",
                "contamination": ["ap_mines"], "geometry": geojson_square(103.2)}},
            {"reconcile": {"action": "new"}, "record": {"kind": "activity", "local_id": "A1",
                "activity_type": "clearance", "status": "ongoing", "hazard": "H1",
                "start_date": "2025-02-01"}},
        ]),
    );
    let id = store.create_report("setup", &baseline).expect("create");
    store.submit_report("setup", id).expect("submit");
    (store.approve_report("setup", id, &ApproveOptions::default())).expect("approve");
}

fn orthophoto(name: &str, hazards: &[&str], activity: Option<&str>) -> NewOrthophoto {
    NewOrthophoto {
        name: name.into(),
        file: format!("{name}.tif"),
        sha256: "ab".repeat(32),
        size_bytes: 1_234_567,
        width: 4000,
        height: 3000,
        bands: 3,
        epsg: 32648,
        geotransform: [500_000.0, 0.05, 0.0, 1_450_000.0, 0.0, -0.05],
        footprint: square(103.2, 13.1, 0.002),
        resolution_m: 0.05,
        captured_on: Some(NaiveDate::from_ymd_opt(2025, 2, 3).expect("date")),
        hazards: hazards.iter().map(|h| (*h).to_owned()).collect(),
        activity: activity.map(Into::into),
        organisation: Some("ORG-HALO".into()),
    }
}

fn detection(class: &str, confidence: f64, lon: f64) -> NewDetection {
    NewDetection {
        class: class.into(),
        confidence,
        location: Point::new(lon, 13.1005),
        footprint: Some(square(lon - 0.00001, 13.1005, 0.00002)),
        pixel_bbox: Some([10.0, 20.0, 30.0, 44.5]),
    }
}

fn run(orthophoto: Option<i64>, detections: Vec<NewDetection>) -> NewDetectionRun {
    NewDetectionRun {
        orthophoto,
        model: "minefinder".into(),
        model_version: "2.1".into(),
        format: "geojson".into(),
        source_name: "detections.geojson".into(),
        organisation: Some("ORG-HALO".into()),
        detections,
        dropped: vec![("outside the image".into(), 2)],
    }
}

fn track(activity: &str) -> NewTrack {
    let t = |s: &str| s.parse::<DateTime<Utc>>().expect("time");
    NewTrack {
        activity: activity.into(),
        machine: "MV-4 #2".into(),
        kind: "machine".into(),
        working_width_m: 2.2,
        source_name: "mv4.gpx".into(),
        format: "gpx".into(),
        fixes: 1200,
        fixes_used: 1180,
        dropped: serde_json::json!({"hdop": 15, "jump": 5}),
        task_m2: 12_000.0,
        processed_m2: 10_800.5,
        processed_outside_m2: 310.25,
        coverage_pct: 90.004,
        overlap_m2: 640.0,
        gap_m2: 1_199.5,
        engaged_length_m: 4_910.0,
        started_at: Some(t("2025-02-03T07:00:00Z")),
        ended_at: Some(t("2025-02-03T11:30:00.5Z")),
        task: MultiPolygon(vec![square(103.2, 13.1, 0.001)]),
        processed: MultiPolygon(vec![square(103.2, 13.1, 0.0009)]),
        gaps: MultiPolygon(vec![]),
        overlaps: MultiPolygon(vec![
            square(103.2, 13.1, 0.0001),
            square(103.2005, 13.1, 0.0001),
        ]),
        line: MultiLineString(vec![LineString::from(vec![
            (103.2, 13.1),
            (103.2009, 13.1),
            (103.2009, 13.1001),
        ])]),
        organisation: Some("ORG-HALO".into()),
    }
}

/// An EO find's report, as a deminer confirms a detection with.
fn find(local_id: &str, quantity: u32) -> NewReport {
    report(
        "EO confirmed from detection",
        serde_json::json!([{"reconcile": {"action": "new"}, "record": {"kind": "eo_find",
            "local_id": local_id, "category": "ap_mine", "quantity": quantity,
            "found_date": "2025-02-04"}}]),
    )
}

fn fields(err: &StoreError) -> Vec<String> {
    match err {
        StoreError::Invalid(e) => e.0.iter().map(|f| f.field.clone()).collect(),
        other => panic!("not a validation error: {other}"),
    }
}

fn audited<S: ProgrammeStore + ?Sized>(store: &S, action: &str) -> Vec<String> {
    (store.audit_log().expect("audit").into_iter())
        .filter(|e| e.action == action)
        .map(|e| e.detail.unwrap_or_default())
        .collect()
}

fn all() -> DetectionQuery {
    DetectionQuery::default()
}

fn orthophotos_name_approved_hazards_and_list_newest_first<S: ProgrammeStore + EvidenceStore>(
    mut store: S,
) {
    programme(&mut store);
    let err = store
        .add_orthophoto("pilot", &orthophoto("bad", &["H1", "H9"], Some("A9")))
        .expect_err("unknown hazard and activity");
    assert_eq!(fields(&err), ["hazards[1]", "activity"]);
    let mut bad = orthophoto("bad", &[], None);
    bad.file = "../etc/passwd".into();
    bad.sha256 = "XYZ".into();
    let err = store.add_orthophoto("pilot", &bad).expect_err("bad");
    assert_eq!(fields(&err), ["file", "sha256"]);
    assert!(store.orthophotos().expect("list").is_empty());
    assert!(audited(&store, "orthophoto.add").is_empty());

    let first = orthophoto("canal-east", &["H1"], Some("A1"));
    let a = store.add_orthophoto("pilot", &first).expect("add");
    let b = (store.add_orthophoto("pilot", &orthophoto("canal-west", &[], None))).expect("add");
    let listed = store.orthophotos().expect("list");
    assert_eq!(listed.iter().map(|o| o.id).collect::<Vec<_>>(), [b, a]);
    let got = store.orthophoto(a).expect("one");
    assert_eq!(
        (got.name.as_str(), got.file.as_str(), got.added_by.as_str()),
        ("canal-east", "canal-east.tif", "pilot")
    );
    assert_eq!(got.footprint, first.footprint);
    assert_eq!(got.geotransform, first.geotransform);
    assert_eq!(got.hazards, ["H1"]);
    assert_eq!(got.activity.as_deref(), Some("A1"));
    assert_eq!(got.captured_on, first.captured_on);
    assert_eq!(
        (got.width, got.height, got.bands, got.epsg, got.size_bytes),
        (4000, 3000, 3, 32648, 1_234_567)
    );
    assert!(matches!(
        store.orthophoto(999),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(audited(&store, "orthophoto.add").len(), 2);
    assert!(store.check_consistency().expect("check").is_empty());
}

fn a_detection_run_is_stored_whole_or_not_at_all<S: ProgrammeStore + EvidenceStore>(mut store: S) {
    programme(&mut store);
    let photo = (store.add_orthophoto("pilot", &orthophoto("o", &["H1"], None))).expect("photo");
    let err = store
        .add_detection_run("analyst", &run(Some(photo + 7), vec![]))
        .expect_err("unknown orthophoto");
    assert_eq!(fields(&err), ["orthophoto"]);
    let bad = vec![
        detection("pmn_2", 0.9, 103.2001),
        detection("pmn_2", 0.8, 103.2002),
        detection("", 1.5, 203.0),
    ];
    let err = (store.add_detection_run("analyst", &run(Some(photo), bad))).expect_err("bad");
    assert_eq!(
        fields(&err),
        [
            "detections[2].class",
            "detections[2].confidence",
            "detections[2].location",
            "detections[2].footprint",
        ]
    );
    assert!(store.detection_runs().expect("runs").is_empty());
    assert!(store.detections(&all()).expect("none").is_empty());
    assert!(audited(&store, "detections.import").is_empty());

    let found = vec![
        detection("pmn_2", 0.61, 103.2001),
        detection("uxo", 0.97, 103.2002),
        detection("pmn_2", 0.83, 103.2003),
    ];
    let stored = store
        .add_detection_run("analyst", &run(Some(photo), found.clone()))
        .expect("run");
    assert_eq!(stored.count, 3);
    assert_eq!(stored.orthophoto, Some(photo));
    assert_eq!(stored.dropped, [("outside the image".to_owned(), 2)]);
    assert_eq!(stored.added_by, "analyst");
    assert_eq!(
        store.detection_runs().expect("runs"),
        std::slice::from_ref(&stored)
    );
    let listed = store.detections(&all()).expect("all");
    let conf: Vec<f64> = listed.iter().map(|d| d.confidence).collect();
    assert_eq!(conf, [0.97, 0.83, 0.61]);
    let top = &listed[0];
    assert_eq!((top.run, top.orthophoto), (stored.id, Some(photo)));
    assert_eq!(
        (top.model.as_str(), top.model_version.as_str()),
        ("minefinder", "2.1")
    );
    assert_eq!(top.location, found[1].location);
    assert_eq!(top.footprint, found[1].footprint);
    assert_eq!(top.pixel_bbox, Some([10.0, 20.0, 30.0, 44.5]));
    assert_eq!(top.verdict, VerdictValue::Pending);
    assert_eq!(store.detection(top.id).expect("one"), *top);

    let page = DetectionQuery {
        limit: 1,
        offset: 1,
        ..all()
    };
    assert_eq!(store.detections(&page).expect("page")[0].confidence, 0.83);
    let other = DetectionQuery {
        model: Some("other".into()),
        ..all()
    };
    assert!(store.detections(&other).expect("none").is_empty());
    let on_photo = DetectionQuery {
        orthophoto: Some(photo),
        organisation: Some("ORG-HALO".into()),
        verdict: Some(VerdictValue::Pending),
        ..all()
    };
    assert_eq!(store.detections(&on_photo).expect("all").len(), 3);
    // A run without an orthophoto (georeferenced by the detector itself).
    let loose = (store.add_detection_run("analyst", &run(None, vec![]))).expect("empty run");
    assert_eq!((loose.count, loose.orthophoto), (0, None));
    assert!(matches!(store.detection(999), Err(StoreError::NotFound(_))));
    let imports = audited(&store, "detections.import");
    assert_eq!(imports.len(), 2);
    assert!(imports[0].contains("3 detection(s)"), "{imports:?}");
}

fn a_verdict_is_given_once<S: ProgrammeStore + EvidenceStore>(mut store: S) {
    let found = vec![detection("uxo", 0.9, 103.2), detection("uxo", 0.4, 103.21)];
    (store.add_detection_run("analyst", &run(None, found))).expect("run");
    let ids: Vec<i64> = (store.detections(&all()).expect("all").iter())
        .map(|d| d.id)
        .collect();
    for (verdict, give_find) in [
        (VerdictValue::Pending, false),
        (VerdictValue::Confirmed, false),
        (VerdictValue::FalsePositive, true),
    ] {
        let f = find("EO-9", 1);
        let err = store
            .set_verdict(
                "deminer",
                ids[0],
                verdict,
                None,
                give_find.then_some(Confirmation::NewFind(&f)),
            )
            .expect_err("refused");
        assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    }
    let d = store
        .set_verdict(
            "deminer",
            ids[0],
            VerdictValue::FalsePositive,
            Some("a tin can"),
            None,
        )
        .expect("verdict");
    assert_eq!(d.verdict, VerdictValue::FalsePositive);
    assert_eq!(d.verdict_by.as_deref(), Some("deminer"));
    assert!(d.verdict_at.is_some());
    assert_eq!(d.verdict_note.as_deref(), Some("a tin can"));
    assert_eq!((d.report, d.eo_find.as_deref()), (None, None));
    let err = store
        .set_verdict("other", ids[0], VerdictValue::NotVerifiable, None, None)
        .expect_err("second verdict");
    let StoreError::Clash(message) = &err else {
        panic!("not a clash: {err}");
    };
    assert!(
        message.contains("false_positive") && message.contains("deminer"),
        "{message}"
    );
    assert_eq!(store.detection(ids[0]).expect("one"), d);
    // Decided detections come after pending ones.
    let order: Vec<i64> = (store.detections(&all()).expect("all").iter())
        .map(|d| d.id)
        .collect();
    assert_eq!(order, [ids[1], ids[0]]);
    let decided = DetectionQuery {
        verdict: Some(VerdictValue::FalsePositive),
        ..all()
    };
    assert_eq!(store.detections(&decided).expect("one").len(), 1);
    assert!(matches!(
        store.set_verdict("deminer", 999, VerdictValue::NotVerifiable, None, None),
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        audited(&store, "detection.verdict"),
        ["false_positive (a tin can)"]
    );
    assert!(store.check_consistency().expect("check").is_empty());
}

fn a_confirmation_submits_the_report_of_its_find_and_a_bad_find_writes_nothing<
    S: ProgrammeStore + EvidenceStore,
>(
    mut store: S,
) {
    (store.add_detection_run("analyst", &run(None, vec![detection("pmn_2", 0.9, 103.2)])))
        .expect("run");
    let id = store.detections(&all()).expect("all")[0].id;

    let err = store
        .set_verdict(
            "deminer",
            id,
            VerdictValue::Confirmed,
            None,
            Some(Confirmation::NewFind(&find("EO-1", 0))),
        )
        .expect_err("quantity 0");
    assert!(fields(&err).iter().any(|f| f.contains("quantity")), "{err}");
    let mut two = find("EO-1", 1);
    two.entries.push(two.entries[0].clone());
    let err = store
        .set_verdict(
            "deminer",
            id,
            VerdictValue::Confirmed,
            None,
            Some(Confirmation::NewFind(&two)),
        )
        .expect_err("two entries");
    assert!(fields(&err).contains(&"entries".to_owned()), "{err}");
    let pending = store.detection(id).expect("one");
    assert_eq!(
        (pending.verdict, pending.report),
        (VerdictValue::Pending, None)
    );
    assert!(audited(&store, "report.create").is_empty());
    assert!(audited(&store, "detection.verdict").is_empty());

    let d = store
        .set_verdict(
            "deminer",
            id,
            VerdictValue::Confirmed,
            Some("PMN-2 at 5 cm"),
            Some(Confirmation::NewFind(&find("EO-1", 1))),
        )
        .expect("confirmed");
    assert_eq!(d.verdict, VerdictValue::Confirmed);
    assert_eq!(d.eo_find.as_deref(), Some("EO-1"));
    let report = store
        .report(d.report.expect("linked report"))
        .expect("report");
    assert_eq!(report.status, ReportStatus::Submitted);
    assert_eq!(report.submitted_by.as_deref(), Some("deminer"));
    assert_eq!(report.content.entries.len(), 1);
    assert_eq!(report.content.entries[0].record.local_id(), "EO-1");
    assert_eq!(audited(&store, "report.submit").len(), 1);
    let verdicts = audited(&store, "detection.verdict");
    assert_eq!(
        verdicts,
        [format!(
            "confirmed: report {}, EO find EO-1 (PMN-2 at 5 cm)",
            report.id
        )]
    );
    assert!(matches!(
        store.set_verdict("x", id, VerdictValue::FalsePositive, None, None),
        Err(StoreError::Clash(_))
    ));
    assert!(store.check_consistency().expect("check").is_empty());
}

/// A detection of an item the team recorded already is linked to that approved EO find, with
/// no second report; a find that is not recorded is refused and writes nothing.
fn a_confirmation_may_name_a_recorded_find<S: ProgrammeStore + EvidenceStore>(mut store: S) {
    let id = store
        .create_report("setup", &find("EO-9", 1))
        .expect("create");
    store.submit_report("setup", id).expect("submit");
    (store.approve_report("setup", id, &ApproveOptions::default())).expect("approve");
    (store.add_detection_run("analyst", &run(None, vec![detection("pmn_2", 0.9, 103.2)])))
        .expect("run");
    let id = store.detections(&all()).expect("all")[0].id;
    let err = store
        .set_verdict(
            "deminer",
            id,
            VerdictValue::Confirmed,
            None,
            Some(Confirmation::KnownFind("EO-404")),
        )
        .expect_err("not recorded");
    assert_eq!(fields(&err), ["eo_find"]);
    assert_eq!(
        store.detection(id).expect("one").verdict,
        VerdictValue::Pending
    );
    let d = store
        .set_verdict(
            "deminer",
            id,
            VerdictValue::Confirmed,
            None,
            Some(Confirmation::KnownFind("EO-9")),
        )
        .expect("confirmed");
    assert_eq!(
        (d.verdict, d.report, d.eo_find.as_deref()),
        (VerdictValue::Confirmed, None, Some("EO-9"))
    );
    assert_eq!(
        audited(&store, "detection.verdict"),
        ["confirmed: recorded EO find EO-9"]
    );
    assert!(store.check_consistency().expect("check").is_empty());
}

fn tracks_round_trip_with_their_geometries<S: ProgrammeStore + EvidenceStore>(mut store: S) {
    programme(&mut store);
    let err = store
        .add_track("operator", &track("A9"))
        .expect_err("unknown");
    assert_eq!(fields(&err), ["activity"]);
    let mut bad = track("A1");
    bad.kind = "tractor".into();
    bad.working_width_m = 0.0;
    bad.coverage_pct = 120.0;
    let err = store.add_track("operator", &bad).expect_err("bad");
    assert_eq!(fields(&err), ["kind", "working_width_m", "coverage_pct"]);
    assert!(store.tracks(None).expect("none").is_empty());

    let new = track("A1");
    let first = store.add_track("operator", &new).expect("add");
    let second = store.add_track("operator", &new).expect("add");
    let summaries = store.tracks(Some("A1")).expect("tracks");
    assert_eq!(
        summaries.iter().map(|t| t.id).collect::<Vec<_>>(),
        [second, first]
    );
    assert!(store.tracks(Some("A2")).expect("none").is_empty());
    let t = store.track(first).expect("track");
    let s = &t.summary;
    assert_eq!(
        (s.activity.as_str(), s.machine.as_str(), s.kind.as_str()),
        ("A1", "MV-4 #2", "machine")
    );
    assert_eq!((s.fixes, s.fixes_used), (1200, 1180));
    assert_eq!(s.dropped, new.dropped);
    assert_eq!(
        [
            s.task_m2,
            s.processed_m2,
            s.processed_outside_m2,
            s.coverage_pct
        ],
        [12_000.0, 10_800.5, 310.25, 90.004]
    );
    assert_eq!(
        [
            s.overlap_m2,
            s.gap_m2,
            s.engaged_length_m,
            s.working_width_m
        ],
        [640.0, 1_199.5, 4_910.0, 2.2]
    );
    assert_eq!((s.started_at, s.ended_at), (new.started_at, new.ended_at));
    assert_eq!(s.added_by, "operator");
    assert_eq!(summaries[1], *s);
    assert_eq!(t.task, new.task);
    assert_eq!(t.processed, new.processed);
    assert_eq!(t.gaps, new.gaps);
    assert_eq!(t.overlaps, new.overlaps);
    assert_eq!(t.line, new.line);
    assert!(matches!(store.track(999), Err(StoreError::NotFound(_))));
    assert_eq!(audited(&store, "track.add").len(), 2);
}

/// A row in every evidence table: an orthophoto, a run of two detections (one confirmed), a
/// track.
fn evidence<S: ProgrammeStore + EvidenceStore>(store: &mut S) {
    programme(store);
    let photo =
        (store.add_orthophoto("pilot", &orthophoto("o", &["H1"], Some("A1")))).expect("photo");
    let found = vec![
        detection("pmn_2", 0.9, 103.2),
        detection("uxo", 0.3, 103.21),
    ];
    (store.add_detection_run("analyst", &run(Some(photo), found))).expect("run");
    let id = store.detections(&all()).expect("all")[0].id;
    (store.set_verdict(
        "deminer",
        id,
        VerdictValue::Confirmed,
        None,
        Some(Confirmation::NewFind(&find("EO-1", 1))),
    ))
    .expect("confirmed");
    store.add_track("operator", &track("A1")).expect("track");
}

/// Everything the evidence reads give, as text.
fn reads<S: EvidenceStore + ?Sized>(store: &S) -> String {
    let tracks = store.tracks(None).expect("tracks");
    let full: Vec<_> = (tracks.iter())
        .map(|t| store.track(t.id).expect("track"))
        .collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{full:?}",
        store.orthophotos().expect("photos"),
        store.detection_runs().expect("runs"),
        store.detections(&all()).expect("detections"),
    )
}

fn rows(store: &dyn Dump, table: &str) -> u64 {
    (transfer::checksums(store).expect("sums").into_iter())
        .find(|s| s.table == table)
        .map_or(0, |s| s.rows)
}

#[test]
fn transfers_carry_evidence_both_ways() {
    let mut from = SqliteStore::in_memory().expect("store");
    evidence(&mut from);
    for table in ["orthophoto", "detection_run", "detection", "machine_track"] {
        assert!(rows(&from, table) > 0, "{table}");
    }
    let Some((_db, mut pg)) = ScratchDatabase::store().expect("PostgreSQL test database") else {
        return;
    };
    transfer::copy(&from, &mut pg).expect("to PostgreSQL");
    assert_eq!(reads(&pg), reads(&from));
    assert!(pg.check_consistency().expect("check").is_empty());
    let mut back = SqliteStore::in_memory().expect("store");
    transfer::copy(&pg, &mut back).expect("back to SQLite");
    assert_eq!(reads(&back), reads(&from));
    assert_eq!(
        transfer::checksums(&back).expect("sums"),
        transfer::checksums(&from).expect("sums")
    );
    assert!(back.check_consistency().expect("check").is_empty());
    // Ids continue after the copied ones.
    for store in [&mut pg as &mut dyn EvidenceStore, &mut back] {
        let next = (store.add_track("operator", &track("A1"))).expect("a new track");
        assert_eq!(next, 2);
    }
}

/// A schema 15 file (before evidence) opens as 16 and stores evidence at once.
#[test]
fn version_15_databases_take_evidence() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("v15.sqlite");
    drop(SqliteStore::create(&path).expect("create"));
    rusqlite::Connection::open(&path)
        .expect("open")
        .execute_batch(
            "DROP TABLE detection; DROP TABLE detection_run; DROP TABLE orthophoto; \
             DROP TABLE machine_track; UPDATE meta SET value = '15' WHERE key = 'schema_version';",
        )
        .expect("back to schema 15");
    let mut store = SqliteStore::open(&path).expect("upgrade on open");
    evidence(&mut store);
    assert!(store.check_consistency().expect("check").is_empty());
    drop(store);
    let version: String = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .expect("version");
    assert_eq!(version, "16");
}
