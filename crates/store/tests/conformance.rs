//! The store contract's conformance suite. Written against `ProgrammeStore` only, so every
//! backend runs it unchanged: add a backend by adding a `backends!` line.

#[macro_use]
mod common;

use chrono::{Duration, NaiveDate, Utc};
use geo_types::{LineString, MultiPolygon, Polygon};
use safeground_model::{
    Accident, Activity, ActivityStatus, ActivityType, AdminArea, CasualtyOutcome, DisposalMethod,
    EoFind, Hazard, HazardClass, HazardStatus, ItemCondition, ItemKind, OrdnanceCategory, Record,
    ReleaseMethod, ReleasedArea, Sex, Victim, VictimPersonalData,
};
use safeground_store::{
    ApproveOptions, AsOf, Checkpoint, Flow, HazardState, ImportBatch, NewReport, ProgrammeStore,
    Reconcile, RecordListQuery, RegisterQuery, RegisterSort, ReportEntry, ReportFilter,
    ReportStatus, SqliteStore, StoreError, ValidReport,
};

const M_LAT: f64 = 110_574.0;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A lon/lat rectangle given in metres east/north of (103.2, 13.1).
fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    let m_lon = 111_320.0 * 13.1f64.to_radians().cos();
    let c = |x: f64, y: f64| (103.2 + x / m_lon, 13.1 + y / M_LAT);
    MultiPolygon(vec![Polygon::new(
        LineString::from(vec![c(x0, y0), c(x1, y0), c(x1, y1), c(x0, y1), c(x0, y0)]),
        vec![],
    )])
}

fn hazard(local_id: &str, geometry: MultiPolygon<f64>) -> Hazard {
    Hazard {
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
    }
}

fn activity(
    local_id: &str,
    hazard: Option<&str>,
    kind: ActivityType,
    status: ActivityStatus,
    end: NaiveDate,
    released: Vec<(ReleaseMethod, MultiPolygon<f64>)>,
) -> Activity {
    Activity {
        local_id: local_id.into(),
        activity_type: kind,
        status,
        organisation: None,
        team: None,
        donor: None,
        hazard: hazard.map(Into::into),
        hazards: Vec::new(),
        admin_pcode: Some("KH02".into()),
        start_date: Some(end - Duration::days(10)),
        end_date: Some(end),
        released_areas: released
            .into_iter()
            .map(|(method, geometry)| ReleasedArea {
                method,
                asset_type: None,
                technical_asset_used: false,
                clearance_depth_cm: None,
                reported_area_m2: None,
                geometry,
            })
            .collect(),
        assets: vec![],
        comment: None,
    }
}

fn report(date: &str, records: Vec<Record>) -> NewReport {
    NewReport {
        organisation: None,
        title: "test report".into(),
        source: None,
        date_of_information: d(date),
        entries: records.into_iter().map(ReportEntry::new).collect(),
    }
}

/// A report valid on its own whose activity refers to a hazard that does not exist: it fails
/// at approval.
fn dangling_activity() -> NewReport {
    report(
        "2023-02-01",
        vec![Record::Activity(activity(
            "A1",
            Some("NO-SUCH-HAZARD"),
            ActivityType::Progress,
            ActivityStatus::Ongoing,
            d("2023-01-30"),
            vec![(ReleaseMethod::Cleared, rect(0., 0., 5., 5.))],
        ))],
    )
}

/// Reports validated as an import validates them before handing them to the store.
fn valid<const N: usize>(reports: [NewReport; N]) -> Vec<ValidReport> {
    let today = chrono::Utc::now().date_naive();
    (reports.into_iter())
        .map(|r| ValidReport::check(r, today).expect("a valid report"))
        .collect()
}

/// How an import approves a legacy migration: backdated versions allowed.
fn migration() -> ApproveOptions {
    ApproveOptions {
        comment: Some("migration".into()),
        allow_backdated: true,
        four_eyes: false,
    }
}

/// Writes `reports` as one all-or-nothing migration batch, and asserts every one was written.
fn migrate_all<S: ProgrammeStore>(store: &mut S, reports: &[ValidReport]) {
    let results = store
        .import_batch(
            "importer",
            &ImportBatch {
                reports,
                approve: Some(migration()),
                checkpoint: None,
                all_or_nothing: true,
            },
        )
        .expect("batch");
    assert!(results.iter().all(Result::is_ok), "{results:?}");
}

fn approve<S: ProgrammeStore>(store: &mut S, r: &NewReport) -> Vec<String> {
    let id = store.create_report("officer", r).expect("create");
    store.submit_report("officer", id).expect("submit");
    store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect("approve")
        .items
}

fn approve_activity<S: ProgrammeStore>(store: &mut S, date: &str, a: Activity) {
    approve(store, &report(date, vec![Record::Activity(a)]));
}

fn current_state<S: ProgrammeStore>(store: &S, item: &str) -> HazardState {
    store
        .hazard_state(item, AsOf::now())
        .expect("state")
        .expect("exists")
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1.0)
}

backends!(
    workflow_draft_submit_approve,
    invalid_report_stays_draft_and_names_the_field,
    rejection_is_recorded,
    clearance_reduces_remaining_area_and_closes_hazard,
    overlapping_releases_are_not_double_counted,
    as_of_reads_follow_valid_and_transaction_time,
    stale_update_is_refused_unless_backdated_explicitly,
    victim_personal_data_is_kept_apart_and_reads_are_audited,
    link_entry_connects_an_activity_to_a_hazard,
    unresolved_reference_fails_and_writes_nothing,
    batch_submission_is_all_or_nothing,
    land_release_summary_groups_by_admin_area,
    concurrent_updates_of_one_item_conflict,
    report_revision_counts_changes_and_lists_filter,
    streaming_reads_give_current_versions_in_id_order,
    import_batches_skip_bad_reports_and_keep_their_checkpoint,
    import_batches_mix_new_items_updates_and_victims,
    import_batches_find_stored_items_by_id_and_by_local_id,
    strict_import_batch_writes_nothing_on_a_failure,
    a_donor_must_be_an_organisation,
    the_hazard_register_filters_orders_and_pages_in_the_database,
    the_records_list_filters_orders_and_pages_in_the_database,
    released_land_is_linked_to_every_hazard_it_overlaps,
    records_without_an_admin_area_are_assigned_from_boundaries,
    four_eyes_refuses_whoever_created_or_submitted_the_report,
);

fn workflow_draft_submit_approve<S: ProgrammeStore>(mut store: S) {
    let r = report(
        "2024-03-01",
        vec![Record::Hazard(hazard("H1", rect(0., 0., 100., 100.)))],
    );
    let id = store.create_report("officer", &r).expect("create");
    assert_eq!(store.report(id).expect("read").status, ReportStatus::Draft);
    assert!(matches!(
        store.approve_report("manager", id, &ApproveOptions::default()),
        Err(StoreError::WrongStatus { .. })
    ));
    store.submit_report("officer", id).expect("submit");
    assert_eq!(
        store
            .reports_with_status(ReportStatus::Submitted)
            .expect("list"),
        vec![id]
    );
    let approval = store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect("approve");
    assert_eq!(approval.items, vec!["HAZ-000001".to_owned()]);
    let stored = store.report(id).expect("read");
    assert_eq!(stored.status, ReportStatus::Approved);
    assert_eq!(stored.decided_by.as_deref(), Some("manager"));
    let versions = store.versions("HAZ-000001").expect("versions");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].valid_from, d("2024-03-01"));
    assert_eq!(Some(versions[0].recorded_at), stored.decided_at);
    let actions: Vec<String> = store
        .audit_log()
        .expect("audit")
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(
        actions,
        ["report.create", "report.submit", "report.approve"]
    );
    let problems = store.check_consistency().expect("check");
    assert!(problems.is_empty(), "{problems:?}");
}

fn invalid_report_stays_draft_and_names_the_field<S: ProgrammeStore>(mut store: S) {
    // A bow-tie polygon and an activity that ends before it starts.
    let bowtie = MultiPolygon(vec![Polygon::new(
        LineString::from(vec![
            (103.2, 13.1),
            (103.21, 13.11),
            (103.21, 13.1),
            (103.2, 13.11),
            (103.2, 13.1),
        ]),
        vec![],
    )]);
    let mut act = activity(
        "A1",
        None,
        ActivityType::Nts,
        ActivityStatus::Completed,
        d("2024-01-10"),
        vec![],
    );
    act.start_date = Some(d("2024-02-01"));
    let r = report(
        "2024-03-01",
        vec![Record::Hazard(hazard("H1", bowtie)), Record::Activity(act)],
    );
    let id = store.create_report("officer", &r).expect("create");
    let err = store
        .submit_report("officer", id)
        .expect_err("must be refused");
    let StoreError::Invalid(errors) = err else {
        panic!("expected validation errors, got {err}");
    };
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"entries[0].record.geometry"), "{fields:?}");
    assert!(
        fields.iter().any(|f| f.starts_with("entries[1].")),
        "{fields:?}"
    );
    assert_eq!(store.report(id).expect("read").status, ReportStatus::Draft);
    assert!(
        store
            .items_of_kind(ItemKind::Hazard)
            .expect("items")
            .is_empty()
    );
}

fn rejection_is_recorded<S: ProgrammeStore>(mut store: S) {
    let r = report(
        "2024-03-01",
        vec![Record::Hazard(hazard("H1", rect(0., 0., 50., 50.)))],
    );
    let id = store.create_report("officer", &r).expect("create");
    store.submit_report("officer", id).expect("submit");
    store
        .reject_report("manager", id, "wrong province")
        .expect("reject");
    let stored = store.report(id).expect("read");
    assert_eq!(stored.status, ReportStatus::Rejected);
    assert_eq!(stored.decision_comment.as_deref(), Some("wrong province"));
    assert!(
        store
            .approve_report("manager", id, &ApproveOptions::default())
            .is_err()
    );
    assert!(
        store
            .items_of_kind(ItemKind::Hazard)
            .expect("items")
            .is_empty()
    );
}

fn clearance_reduces_remaining_area_and_closes_hazard<S: ProgrammeStore>(mut store: S) {
    approve(
        &mut store,
        &report(
            "2023-01-01",
            vec![Record::Hazard(hazard("H1", rect(0., 0., 200., 100.)))],
        ),
    );
    let full = current_state(&store, "HAZ-000001");
    // Independent figure: a 200 m × 100 m rectangle is 20,000 m² to within 0.1 %.
    assert!(
        rel(full.original_m2, 20_000.0) < 1e-3,
        "{}",
        full.original_m2
    );
    approve_activity(
        &mut store,
        "2023-06-01",
        activity(
            "A1",
            Some("H1"),
            ActivityType::Progress,
            ActivityStatus::Ongoing,
            d("2023-05-30"),
            vec![(ReleaseMethod::Cleared, rect(0., 0., 100., 100.))],
        ),
    );
    let half = current_state(&store, "HAZ-000001");
    assert!(rel(half.cleared_m2, full.original_m2 / 2.0) < 1e-6);
    assert!(rel(half.remaining_m2, full.original_m2 / 2.0) < 1e-6);
    assert_eq!(half.status, HazardStatus::WorkedOn);
    assert_eq!(half.class, HazardClass::Cha);
    approve_activity(
        &mut store,
        "2023-09-01",
        activity(
            "A2",
            Some("H1"),
            ActivityType::Completion,
            ActivityStatus::Completed,
            d("2023-08-30"),
            vec![(ReleaseMethod::Cleared, rect(100., 0., 200., 100.))],
        ),
    );
    let done = current_state(&store, "HAZ-000001");
    assert!(done.remaining_m2.abs() < 1e-3, "{}", done.remaining_m2);
    assert!(rel(done.cleared_m2, full.original_m2) < 1e-9);
    assert_eq!(done.status, HazardStatus::Closed);
    let problems = store.check_consistency().expect("check");
    assert!(problems.is_empty(), "{problems:?}");
}

fn overlapping_releases_are_not_double_counted<S: ProgrammeStore>(mut store: S) {
    approve(
        &mut store,
        &report(
            "2023-01-01",
            vec![Record::Hazard(hazard("H1", rect(0., 0., 100., 100.)))],
        ),
    );
    // Cancelled west 60 %, then cleared east 60 %: the 20 % overlap counts once, as cancelled.
    approve_activity(
        &mut store,
        "2023-02-01",
        activity(
            "A1",
            Some("H1"),
            ActivityType::Nts,
            ActivityStatus::Completed,
            d("2023-01-30"),
            vec![(ReleaseMethod::Cancelled, rect(0., 0., 60., 100.))],
        ),
    );
    approve_activity(
        &mut store,
        "2023-03-01",
        activity(
            "A2",
            Some("H1"),
            ActivityType::Progress,
            ActivityStatus::Ongoing,
            d("2023-02-28"),
            vec![(ReleaseMethod::Cleared, rect(40., -20., 120., 120.))],
        ),
    );
    let s = current_state(&store, "HAZ-000001");
    assert!(rel(s.cancelled_m2, 0.6 * s.original_m2) < 1e-6, "{s:?}");
    assert!(rel(s.cleared_m2, 0.4 * s.original_m2) < 1e-6, "{s:?}");
    assert!(s.remaining_m2.abs() < 1e-3);
    let total = s.cancelled_m2 + s.reduced_m2 + s.cleared_m2 + s.remaining_m2;
    assert!(rel(total, s.original_m2) < 1e-9);
    // The per-polygon credits add up to the same totals, each attributed to its activity.
    let credits = store
        .release_credits("HAZ-000001", AsOf::now())
        .expect("credits");
    assert_eq!(credits.len(), 2);
    assert_eq!(credits[0].activity, "ACT-000001");
    assert_eq!(credits[0].method, ReleaseMethod::Cancelled);
    assert!(rel(credits[0].area_m2, s.cancelled_m2) < 1e-12);
    assert_eq!(credits[1].activity, "ACT-000002");
    assert!(rel(credits[1].area_m2, s.cleared_m2) < 1e-12);
    assert_eq!(credits[1].valid_from, d("2023-03-01"));
    assert!(
        store
            .release_credits("HAZ-000001", AsOf::date(d("2023-02-15")))
            .expect("credits")
            .iter()
            .all(|c| c.method == ReleaseMethod::Cancelled)
    );
}

fn as_of_reads_follow_valid_and_transaction_time<S: ProgrammeStore>(mut store: S) {
    approve(
        &mut store,
        &report(
            "2022-01-01",
            vec![Record::Hazard(hazard("H1", rect(0., 0., 100., 100.)))],
        ),
    );
    let before_clearance_known = Utc::now();
    approve_activity(
        &mut store,
        "2022-06-01",
        activity(
            "A1",
            Some("H1"),
            ActivityType::Progress,
            ActivityStatus::Ongoing,
            d("2022-05-30"),
            vec![(ReleaseMethod::Cleared, rect(0., 0., 50., 100.))],
        ),
    );
    let state = |store: &S, as_of| store.hazard_state("HAZ-000001", as_of).expect("state");
    assert!(state(&store, AsOf::date(d("2021-12-31"))).is_none());
    let may = state(&store, AsOf::date(d("2022-05-31"))).expect("exists");
    assert_eq!(may.cleared_m2, 0.0);
    let june = state(&store, AsOf::date(d("2022-06-01"))).expect("exists");
    assert!(june.cleared_m2 > 0.0);
    // Same valid time, but as the database knew it before the clearance was approved.
    let known_before = state(
        &store,
        AsOf {
            date: d("2022-06-01"),
            known_at: Some(before_clearance_known),
        },
    )
    .expect("exists");
    assert_eq!(known_before.cleared_m2, 0.0);
    let summary = store
        .land_release_summary(AsOf::date(d("2022-05-31")))
        .expect("summary");
    assert_eq!(summary[0].cleared_m2, 0.0);
}

fn stale_update_is_refused_unless_backdated_explicitly<S: ProgrammeStore>(mut store: S) {
    approve(
        &mut store,
        &report(
            "2024-05-01",
            vec![Record::Hazard(hazard("H1", rect(0., 0., 100., 100.)))],
        ),
    );
    let mut older = hazard("H1", rect(0., 0., 300., 100.));
    older.name = "older survey".into();
    let mut r = report("2024-04-01", vec![Record::Hazard(older)]);
    r.entries[0].reconcile = Reconcile::Update {
        item: "HAZ-000001".into(),
        base_version: None,
    };
    let id = store.create_report("officer", &r).expect("create");
    store.submit_report("officer", id).expect("submit");
    let err = store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect_err("stale");
    assert!(matches!(err, StoreError::StaleUpdate { .. }), "{err}");
    assert!(err.to_string().contains("2024-05-01"));
    assert_eq!(store.versions("HAZ-000001").expect("v").len(), 1);
    store
        .approve_report(
            "manager",
            id,
            &ApproveOptions {
                comment: None,
                allow_backdated: true,
                four_eyes: false,
            },
        )
        .expect("explicitly backdated");
    let current = store
        .item_as_of("HAZ-000001", AsOf::now())
        .expect("read")
        .expect("exists");
    let Record::Hazard(h) = current.record else {
        panic!("not a hazard")
    };
    assert_eq!(
        h.name, "Hazard H1",
        "current version must not be overwritten"
    );
    let april = store
        .item_as_of("HAZ-000001", AsOf::date(d("2024-04-15")))
        .expect("read")
        .expect("exists");
    let Record::Hazard(h) = april.record else {
        panic!("not a hazard")
    };
    assert_eq!(h.name, "older survey");
    let problems = store.check_consistency().expect("check");
    assert!(problems.is_empty(), "{problems:?}");
}

/// An accident with one victim and her personal data.
fn accident_with_victim() -> NewReport {
    let accident = Accident {
        local_id: "ACC1".into(),
        date: Some(d("2024-02-01")),
        date_known: true,
        admin_pcode: Some("KH02".into()),
        device_category: None,
        location: None,
        description: None,
        hazard: None,
    };
    let victim = Victim {
        local_id: "VIC1".into(),
        accident: Some("ACC1".into()),
        sex: Sex::Female,
        age_at_accident: Some(34),
        outcome: CasualtyOutcome::Injured,
        activity_at_time: None,
        deminer: false,
    };
    let mut r = report(
        "2024-02-05",
        vec![Record::Accident(accident), Record::Victim(victim)],
    );
    r.entries[1].personal_data = Some(VictimPersonalData {
        full_name: "Sok Chenda".into(),
        address: Some("Ou Chrov village".into()),
        contact: None,
        date_of_birth: Some(d("1990-01-01")),
    });
    r
}

fn victim_personal_data_is_kept_apart_and_reads_are_audited<S: ProgrammeStore>(mut store: S) {
    let r = accident_with_victim();
    let items = approve(&mut store, &r);
    let victim_id = &items[1];
    let version = store
        .item_as_of(victim_id, AsOf::now())
        .expect("read")
        .expect("exists");
    let Record::Victim(v) = &version.record else {
        panic!("not a victim")
    };
    assert_eq!(
        v.accident.as_deref(),
        Some(items[0].as_str()),
        "linked to the new accident"
    );
    let linked = store.linked_items(&items[0], AsOf::now()).expect("linked");
    assert_eq!(linked.len(), 1);
    assert_eq!(
        (linked[0].0, linked[0].1.item.as_str()),
        ("accident", victim_id.as_str())
    );
    let json = serde_json::to_string(&version.record).expect("json");
    assert!(
        !json.contains("Sok Chenda"),
        "personal data must not be in the version"
    );
    let personal = store
        .victim_personal_data("va-officer", victim_id, AsOf::now())
        .expect("read")
        .expect("exists");
    assert_eq!(personal.full_name, "Sok Chenda");
    assert!(
        store
            .audit_log()
            .expect("audit")
            .iter()
            .any(|a| a.action == "personal_data.read"
                && a.actor == "va-officer"
                && &a.target == victim_id)
    );
}

fn link_entry_connects_an_activity_to_a_hazard<S: ProgrammeStore>(mut store: S) {
    approve(
        &mut store,
        &report(
            "2023-01-01",
            vec![Record::Hazard(hazard("H1", rect(0., 0., 100., 100.)))],
        ),
    );
    let r = report(
        "2023-02-01",
        vec![Record::Activity(activity(
            "A1",
            None,
            ActivityType::Progress,
            ActivityStatus::Ongoing,
            d("2023-01-30"),
            vec![(ReleaseMethod::Cleared, rect(0., 0., 100., 25.))],
        ))],
    );
    let id = store.create_report("officer", &r).expect("create");
    store.submit_report("officer", id).expect("submit");
    assert!(
        store
            .link_entry("manager", id, 0, "hazard", "HAZ-999999")
            .is_err()
    );
    assert!(
        store
            .link_entry("manager", id, 0, "status", "HAZ-000001")
            .is_err()
    );
    store
        .link_entry("manager", id, 0, "hazard", "HAZ-000001")
        .expect("link");
    let approval = store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect("approve");
    assert_eq!(approval.hazards_recomputed, vec!["HAZ-000001".to_owned()]);
    let s = current_state(&store, "HAZ-000001");
    // Area per metre of northing varies with latitude: a quarter to 1e-5, not exactly.
    assert!(rel(s.cleared_m2, s.original_m2 / 4.0) < 1e-5);
}

fn unresolved_reference_fails_and_writes_nothing<S: ProgrammeStore>(mut store: S) {
    let r = dangling_activity();
    let id = store.create_report("officer", &r).expect("create");
    store.submit_report("officer", id).expect("submit");
    let err = store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect_err("unresolved");
    assert!(err.to_string().contains("NO-SUCH-HAZARD"), "{err}");
    assert_eq!(
        store.report(id).expect("read").status,
        ReportStatus::Submitted
    );
    assert!(
        store
            .items_of_kind(ItemKind::Activity)
            .expect("items")
            .is_empty()
    );
    let problems = store.check_consistency().expect("check");
    assert!(problems.is_empty(), "{problems:?}");
}

fn a_donor_must_be_an_organisation<S: ProgrammeStore>(mut store: S) {
    approve(
        &mut store,
        &report(
            "2023-01-01",
            vec![Record::Hazard(hazard("H1", rect(0., 0., 100., 100.)))],
        ),
    );
    let mut funded = activity(
        "A1",
        Some("H1"),
        ActivityType::Clearance,
        ActivityStatus::Completed,
        d("2023-01-30"),
        vec![(ReleaseMethod::Cleared, rect(0., 0., 10., 10.))],
    );
    funded.donor = Some("H1".into());
    let r = report("2023-02-01", vec![Record::Activity(funded.clone())]);
    let id = store.create_report("officer", &r).expect("create");
    store.submit_report("officer", id).expect("submit");
    let err = store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect_err("a hazard is not a donor");
    assert!(
        err.to_string().contains("donor") && err.to_string().contains("of kind organisation"),
        "{err}"
    );
    funded.donor = Some("ORG-D".into());
    let donor = Record::Organisation(safeground_model::Organisation {
        local_id: "ORG-D".into(),
        name: "Donor".into(),
        acronym: "D".into(),
        organisation_type: safeground_model::OrganisationKind::Donor,
    });
    let items = approve(
        &mut store,
        &report("2023-02-02", vec![donor, Record::Activity(funded)]),
    );
    let Some(Record::Activity(a)) = store
        .item_as_of(&items[1], AsOf::now())
        .expect("read")
        .map(|v| v.record)
    else {
        panic!("no activity")
    };
    assert_eq!(a.donor.as_deref(), Some(items[0].as_str()));
}

fn batch_submission_is_all_or_nothing<S: ProgrammeStore>(mut store: S) {
    let good = report(
        "2023-01-01",
        vec![Record::Hazard(hazard("H1", rect(0., 0., 10., 10.)))],
    );
    let mut bad = good.clone();
    bad.title = String::new();
    let err = store
        .submit_batch("importer", &[good.clone(), bad])
        .expect_err("invalid");
    assert!(err.to_string().contains("reports[1].title"), "{err}");
    assert!(
        store
            .reports_with_status(ReportStatus::Submitted)
            .expect("list")
            .is_empty()
    );
    let ids = store
        .submit_batch("importer", &[good.clone(), good])
        .expect("batch");
    assert_eq!(ids.len(), 2);
}

fn land_release_summary_groups_by_admin_area<S: ProgrammeStore>(mut store: S) {
    let mut h2 = hazard("H2", rect(500., 0., 600., 100.));
    h2.admin_pcode = Some("KH01".into());
    h2.class = HazardClass::Cha;
    approve(
        &mut store,
        &report(
            "2023-01-01",
            vec![
                Record::Hazard(hazard("H1", rect(0., 0., 100., 100.))),
                Record::Hazard(h2),
            ],
        ),
    );
    approve_activity(
        &mut store,
        "2023-02-01",
        activity(
            "A1",
            Some("H1"),
            ActivityType::Ts,
            ActivityStatus::Completed,
            d("2023-01-30"),
            vec![(ReleaseMethod::Reduced, rect(0., 0., 100., 30.))],
        ),
    );
    let rows = store.land_release_summary(AsOf::now()).expect("summary");
    assert_eq!(
        rows.iter()
            .map(|r| r.admin_pcode.as_str())
            .collect::<Vec<_>>(),
        ["KH01", "KH02"]
    );
    let kh02 = &rows[1];
    assert_eq!(kh02.hazards, 1);
    // Technical survey confirmed the SHA: it now counts as confirmed.
    assert_eq!(kh02.suspected_m2, 0.0);
    assert!(
        rel(kh02.reduced_m2, 0.3 * kh02.confirmed_m2) < 1e-5,
        "{kh02:?}"
    );
    assert_eq!(rows[0].suspected_m2, 0.0);
    assert!(rows[0].confirmed_m2 > 0.0);
    // The as-of path (recomputed from versions) agrees with the cached current state.
    let recomputed = store
        .land_release_summary(AsOf::date(d("2030-01-01")))
        .expect("as of");
    for (a, b) in rows.iter().zip(&recomputed) {
        assert!(rel(a.remaining_m2, b.remaining_m2) < 1e-9);
        assert!(rel(a.reduced_m2, b.reduced_m2) < 1e-9);
    }
}

fn update_of(date: &str, h: Hazard, item: &str, base_version: Option<u32>) -> NewReport {
    let mut r = report(date, vec![Record::Hazard(h)]);
    r.entries[0].reconcile = Reconcile::Update {
        item: item.into(),
        base_version,
    };
    r
}

fn concurrent_updates_of_one_item_conflict<S: ProgrammeStore>(mut store: S) {
    approve(
        &mut store,
        &report(
            "2024-01-01",
            vec![Record::Hazard(hazard("H1", rect(0., 0., 100., 100.)))],
        ),
    );
    assert_eq!(store.version_count("HAZ-000001").expect("count"), 1);
    assert_eq!(store.version_count("HAZ-999999").expect("count"), 0);
    // Two officers read version 1 and each write an update against it.
    let mut a = hazard("H1", rect(0., 0., 120., 100.));
    a.name = "renamed by A".into();
    let mut b = hazard("H1", rect(0., 0., 100., 150.));
    b.name = "renamed by B".into();
    let ra = store
        .create_report("a", &update_of("2024-02-01", a, "HAZ-000001", Some(1)))
        .expect("create a");
    let rb = store
        .create_report("b", &update_of("2024-03-01", b, "HAZ-000001", Some(1)))
        .expect("create b");
    store.submit_report("a", ra).expect("submit a");
    store.submit_report("b", rb).expect("submit b");
    store
        .approve_report("manager", ra, &ApproveOptions::default())
        .expect("first approval wins");
    let err = store
        .approve_report("manager", rb, &ApproveOptions::default())
        .expect_err("second must conflict");
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                base: 1,
                current: 2,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(store.version_count("HAZ-000001").expect("count"), 2);
    assert_eq!(
        store.report(rb).expect("read").status,
        ReportStatus::Submitted,
        "a conflicting report stays submitted so it can be reconciled again"
    );
    // Re-reconciled against version 2, it goes through.
    store
        .reconcile_entry(
            "manager",
            rb,
            0,
            Reconcile::Update {
                item: "HAZ-000001".into(),
                base_version: Some(2),
            },
        )
        .expect("reconcile");
    store
        .approve_report("manager", rb, &ApproveOptions::default())
        .expect("rebased approval");
    assert_eq!(store.version_count("HAZ-000001").expect("count"), 3);
}

fn report_revision_counts_changes_and_lists_filter<S: ProgrammeStore>(mut store: S) {
    let mut r = report(
        "2024-01-01",
        vec![Record::Hazard(hazard("H1", rect(0., 0., 100., 100.)))],
    );
    r.organisation = Some("ORG-HALO".into());
    let id = store.create_report("officer", &r).expect("create");
    assert_eq!(store.report(id).expect("read").revision, 1);
    r.title = "edited".into();
    store.update_draft("officer", id, &r).expect("edit");
    assert_eq!(store.report(id).expect("read").revision, 2);
    store.submit_report("officer", id).expect("submit");
    assert_eq!(store.report(id).expect("read").revision, 3);
    store
        .link_entry("manager", id, 0, "organisation", "HAZ-000001")
        .expect_err("no such item yet");
    assert_eq!(
        store.report(id).expect("read").revision,
        3,
        "a failed change changes nothing"
    );
    let mut other = report(
        "2024-01-02",
        vec![Record::Hazard(hazard("H2", rect(0., 0., 50., 50.)))],
    );
    other.organisation = Some("ORG-MAG".into());
    let id2 = store.create_report("officer", &other).expect("create");
    store
        .approve_report("manager", id, &ApproveOptions::default())
        .expect("approve");
    assert_eq!(store.report(id).expect("read").revision, 4);

    let all = store
        .list_reports(&ReportFilter {
            limit: 10,
            ..Default::default()
        })
        .expect("list");
    assert_eq!(all.iter().map(|s| s.id).collect::<Vec<_>>(), vec![id, id2]);
    assert_eq!(all[0].entries, 1);
    assert_eq!(all[0].title, "edited");
    let halo = store
        .list_reports(&ReportFilter {
            organisation: Some("ORG-HALO".into()),
            limit: 10,
            ..Default::default()
        })
        .expect("list");
    assert_eq!(halo.len(), 1);
    assert_eq!(halo[0].status, ReportStatus::Approved);
    let drafts = store
        .list_reports(&ReportFilter {
            status: Some(ReportStatus::Draft),
            limit: 10,
            ..Default::default()
        })
        .expect("list");
    assert_eq!(drafts.iter().map(|s| s.id).collect::<Vec<_>>(), vec![id2]);
    let page = store
        .list_reports(&ReportFilter {
            after: Some(id),
            limit: 1,
            ..Default::default()
        })
        .expect("list");
    assert_eq!(page.iter().map(|s| s.id).collect::<Vec<_>>(), vec![id2]);
}

fn streaming_reads_give_current_versions_in_id_order<S: ProgrammeStore>(mut store: S) {
    approve(
        &mut store,
        &report(
            "2024-01-01",
            vec![
                Record::Hazard(hazard("H1", rect(0., 0., 100., 100.))),
                Record::Hazard(hazard("H2", rect(200., 0., 300., 100.))),
                Record::Hazard(hazard("H3", rect(400., 0., 500., 100.))),
            ],
        ),
    );
    let mut renamed = hazard("H2", rect(200., 0., 300., 100.));
    renamed.name = "second version".into();
    approve(
        &mut store,
        &update_of("2024-06-01", renamed, "HAZ-000002", None),
    );
    let mut seen = Vec::new();
    store
        .for_each_current(ItemKind::Hazard, None, &mut |v| {
            let Record::Hazard(h) = v.record else {
                panic!("not a hazard")
            };
            seen.push((v.item, h.name));
            Ok(Flow::Continue)
        })
        .expect("stream");
    assert_eq!(
        seen,
        vec![
            ("HAZ-000001".to_owned(), "Hazard H1".to_owned()),
            ("HAZ-000002".to_owned(), "second version".to_owned()),
            ("HAZ-000003".to_owned(), "Hazard H3".to_owned()),
        ]
    );
    let mut after = Vec::new();
    store
        .for_each_current(ItemKind::Hazard, Some("HAZ-000001"), &mut |v| {
            after.push(v.item);
            Ok(if after.len() == 1 {
                Flow::Stop
            } else {
                Flow::Continue
            })
        })
        .expect("stream");
    assert_eq!(after, vec!["HAZ-000002".to_owned()]);
    let mut states = Vec::new();
    store
        .for_each_hazard_state(Some("HAZ-000001"), &mut |s| {
            states.push((s.item, s.local_id, s.name, s.remaining_m2 > 0.0));
            Ok(Flow::Continue)
        })
        .expect("stream");
    let state = |item: &str, local: &str, name: &str| {
        (item.to_owned(), local.to_owned(), name.to_owned(), true)
    };
    assert_eq!(
        states,
        vec![
            state("HAZ-000002", "H2", "second version"),
            state("HAZ-000003", "H3", "Hazard H3")
        ]
    );
    let current = current_state(&store, "HAZ-000002");
    assert_eq!(
        (current.local_id.as_str(), current.name.as_str()),
        ("H2", "second version")
    );
}

fn import_batches_skip_bad_reports_and_keep_their_checkpoint<S: ProgrammeStore>(mut store: S) {
    assert_eq!(store.import_checkpoint("file-a").expect("read"), None);
    let h1 = report(
        "2023-01-01",
        vec![Record::Hazard(hazard("H1", rect(0., 0., 10., 10.)))],
    );
    // An invalid report never reaches the store: the caller's check refuses it.
    let mut invalid = h1.clone();
    invalid.title = String::new();
    let refused = ValidReport::check(invalid, d("2026-01-01")).expect_err("invalid");
    assert!(refused.to_string().contains("title"), "{refused}");
    let dangling = dangling_activity();
    let linked = report(
        "2023-03-01",
        vec![Record::Activity(activity(
            "A2",
            Some("H1"),
            ActivityType::Clearance,
            ActivityStatus::Completed,
            d("2023-02-28"),
            vec![(ReleaseMethod::Cleared, rect(0., 0., 5., 5.))],
        ))],
    );
    let reports = valid([h1, dangling, linked]);
    let results = store
        .import_batch(
            "importer",
            &ImportBatch {
                reports: &reports,
                approve: Some(migration()),
                checkpoint: Some(Checkpoint {
                    key: "file-a".into(),
                    position: 4,
                }),
                all_or_nothing: false,
            },
        )
        .expect("batch");
    assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
    let dangling = results[1].as_ref().expect_err("dangling");
    assert!(
        dangling.to_string().contains("NO-SUCH-HAZARD"),
        "{dangling}"
    );
    assert_eq!(store.import_checkpoint("file-a").expect("read"), Some(4));
    assert_eq!(store.items_of_kind(ItemKind::Hazard).expect("h").len(), 1);
    assert_eq!(store.items_of_kind(ItemKind::Activity).expect("a").len(), 1);
    // The activity of the same batch found the hazard approved before it.
    let h1 = &store.items_of_kind(ItemKind::Hazard).expect("h")[0];
    assert!(current_state(&store, h1).cleared_m2 > 0.0);
    assert!(
        store
            .reports_with_status(ReportStatus::Submitted)
            .expect("list")
            .is_empty(),
        "approved reports are not left submitted, failed ones are not written"
    );
    // Without approval, reports wait for review.
    let more = valid([report(
        "2023-04-01",
        vec![Record::Hazard(hazard("H2", rect(20., 0., 30., 10.)))],
    )]);
    store
        .import_batch(
            "importer",
            &ImportBatch {
                reports: &more,
                checkpoint: Some(Checkpoint {
                    key: "file-a".into(),
                    position: 5,
                }),
                ..ImportBatch::default()
            },
        )
        .expect("batch");
    assert_eq!(
        store
            .reports_with_status(ReportStatus::Submitted)
            .expect("list")
            .len(),
        1
    );
    assert_eq!(store.import_checkpoint("file-a").expect("read"), Some(5));
    let problems = store.check_consistency().expect("check");
    assert!(problems.is_empty(), "{problems:?}");
}

/// Records of an import batch that name items approved earlier, one by the local id the field
/// teams use and one by the item id: each finds its hazard (PostgreSQL reads all the names of a
/// batch in one query, SQLite one by one).
fn import_batches_find_stored_items_by_id_and_by_local_id<S: ProgrammeStore>(mut store: S) {
    let hazards = approve(
        &mut store,
        &report(
            "2023-01-01",
            vec![
                Record::Hazard(hazard("H1", rect(0., 0., 10., 10.))),
                Record::Hazard(hazard("H2", rect(20., 0., 30., 10.))),
            ],
        ),
    );
    let cleared = |local_id: &str, hazard: &str, area| {
        Record::Activity(activity(
            local_id,
            Some(hazard),
            ActivityType::Clearance,
            ActivityStatus::Completed,
            d("2023-02-28"),
            vec![(ReleaseMethod::Cleared, area)],
        ))
    };
    let reports = valid([
        report(
            "2023-03-01",
            vec![cleared("A1", "H1", rect(0., 0., 5., 10.))],
        ),
        report(
            "2023-03-01",
            vec![cleared("A2", &hazards[1], rect(20., 0., 30., 10.))],
        ),
    ]);
    migrate_all(&mut store, &reports);
    let (h1, h2) = (
        current_state(&store, &hazards[0]),
        current_state(&store, &hazards[1]),
    );
    assert!(
        rel(h1.cleared_m2, h1.original_m2 / 2.0) < 1e-3,
        "half of H1 cleared: {h1:?}"
    );
    assert!(h2.remaining_m2.abs() < 1e-6, "all of H2 cleared: {h2:?}");
    let problems = store.check_consistency().expect("check");
    assert!(problems.is_empty(), "{problems:?}");
}

/// A migration batch whose new items are staged and written together, with an update in the
/// middle (approved directly): the result is what approving the reports one by one gives.
fn import_batches_mix_new_items_updates_and_victims<S: ProgrammeStore>(mut store: S) {
    let mut renamed = hazard("H1", rect(0., 0., 10., 10.));
    renamed.name = "renamed".into();
    let reports = valid([
        report(
            "2023-01-01",
            vec![Record::Hazard(hazard("H1", rect(0., 0., 10., 10.)))],
        ),
        update_of("2023-02-01", renamed, "H1", Some(1)),
        report(
            "2023-03-01",
            vec![Record::Activity(activity(
                "A1",
                Some("H1"),
                ActivityType::Clearance,
                ActivityStatus::Completed,
                d("2023-02-28"),
                vec![(ReleaseMethod::Cleared, rect(0., 0., 5., 5.))],
            ))],
        ),
        accident_with_victim(),
        report(
            "2023-04-01",
            vec![Record::Hazard(hazard("H2", rect(20., 0., 30., 10.)))],
        ),
    ]);
    let results = store
        .import_batch(
            "importer",
            &ImportBatch {
                reports: &reports,
                approve: Some(ApproveOptions {
                    comment: None,
                    allow_backdated: true,
                    four_eyes: false,
                }),
                checkpoint: None,
                all_or_nothing: true,
            },
        )
        .expect("batch");
    let ids: Vec<i64> = results.into_iter().map(|r| r.expect("written")).collect();
    assert_eq!(
        ids.windows(2).filter(|w| w[1] == w[0] + 1).count(),
        4,
        "{ids:?}"
    );
    let hazards = store.items_of_kind(ItemKind::Hazard).expect("hazards");
    assert_eq!(hazards, ["HAZ-000001", "HAZ-000002"]);
    assert_eq!(store.versions("HAZ-000001").expect("versions").len(), 2);
    let h1 = current_state(&store, "HAZ-000001");
    assert_eq!(h1.name, "renamed");
    assert!(rel(h1.cleared_m2 * 4.0, h1.original_m2) < 0.01, "{h1:?}");
    let linked = store
        .linked_items("HAZ-000001", AsOf::now())
        .expect("linked");
    assert_eq!(linked.len(), 1, "{linked:?}");
    let victim = store.items_of_kind(ItemKind::Victim).expect("victims");
    let personal = store
        .victim_personal_data("va-officer", &victim[0], AsOf::now())
        .expect("read")
        .expect("exists");
    assert_eq!(personal.full_name, "Sok Chenda");
    for (id, submitted) in ids.iter().zip(&reports) {
        let stored = store.report(*id).expect("report");
        assert_eq!(stored.status, ReportStatus::Approved);
        // Read back as submitted, whether an entry's record is kept in the body or names the
        // version it became (the bulk writer's form; the activity's link to "H1" was resolved
        // on approval, so its version differs and its body keeps the record).
        assert_eq!(&stored.content, &**submitted);
    }
    let approvals = (store.audit_log().expect("audit").iter())
        .filter(|a| a.action == "report.approve")
        .count();
    assert_eq!(approvals, 5);
    assert!(
        store
            .reports_with_status(ReportStatus::Submitted)
            .expect("list")
            .is_empty()
    );
    let problems = store.check_consistency().expect("check");
    assert!(problems.is_empty(), "{problems:?}");
}

fn strict_import_batch_writes_nothing_on_a_failure<S: ProgrammeStore>(mut store: S) {
    let good = report(
        "2023-01-01",
        vec![Record::Hazard(hazard("H1", rect(0., 0., 10., 10.)))],
    );
    let bad = dangling_activity();
    let reports = valid([good, bad]);
    let err = store
        .import_batch(
            "importer",
            &ImportBatch {
                reports: &reports,
                approve: Some(ApproveOptions::default()),
                checkpoint: Some(Checkpoint {
                    key: "file-b".into(),
                    position: 2,
                }),
                all_or_nothing: true,
            },
        )
        .expect_err("strict");
    assert!(err.to_string().contains("NO-SUCH-HAZARD"), "{err}");
    assert_eq!(store.import_checkpoint("file-b").expect("read"), None);
    assert!(store.items_of_kind(ItemKind::Hazard).expect("h").is_empty());
    assert!(
        store
            .list_reports(&ReportFilter {
                limit: 10,
                ..ReportFilter::default()
            })
            .expect("list")
            .is_empty()
    );
}

/// The register answered by the database agrees with filtering, sorting and paging every
/// hazard's state in Rust, for every sort in both directions and each filter.
fn the_hazard_register_filters_orders_and_pages_in_the_database<S: ProgrammeStore>(mut store: S) {
    let shapes = [
        ("H-03", "Phum Thmei", HazardClass::Sha, Some("KH01"), 300.),
        ("H-01", "phum chas", HazardClass::Cha, Some("KH02"), 100.),
        ("H-07", "Boeng Trabek", HazardClass::Cha, None, 250.),
        ("h-02", "Ou Ta Ki", HazardClass::Sha, Some("KH02"), 100.),
        ("H-10", "THMEI Kandal", HazardClass::Cha, Some("KH01"), 50.),
        (
            "H-05",
            "Ph\u{fb}m Thmei",
            HazardClass::Sha,
            Some("KH02"),
            400.,
        ),
    ];
    for (n, (local_id, name, class, admin, size)) in shapes.into_iter().enumerate() {
        let mut h = hazard(
            local_id,
            rect(1000. * n as f64, 0., 1000. * n as f64 + size, size),
        );
        h.name = name.into();
        h.class = class;
        h.admin_pcode = admin.map(Into::into);
        let date = format!("2023-0{}-01", 6 - n);
        approve(&mut store, &report(&date, vec![Record::Hazard(h)]));
    }
    // Clear half of H-03: its remaining area and status change.
    approve_activity(
        &mut store,
        "2023-08-01",
        activity(
            "A1",
            Some("H-03"),
            ActivityType::Progress,
            ActivityStatus::Ongoing,
            d("2023-07-30"),
            vec![(ReleaseMethod::Cleared, rect(0., 0., 150., 300.))],
        ),
    );
    let mut all: Vec<HazardState> = Vec::new();
    store
        .for_each_hazard_state(None, &mut |s| {
            all.push(s);
            Ok(Flow::Continue)
        })
        .expect("states");
    assert_eq!(all.len(), 6);
    // The stream gives each remaining polygon as computed when read alone: the whole hazard
    // where nothing was released, half of H-03 where it was.
    for s in &all {
        let alone = store
            .hazard_state(&s.item, AsOf::now())
            .expect("state")
            .expect("exists");
        assert_eq!(s.remaining, alone.remaining, "{}", s.local_id);
        assert_eq!(
            s.remaining == s.geometry,
            s.local_id != "H-03",
            "{}",
            s.local_id
        );
    }
    let reference = |q: &RegisterQuery| -> (usize, Vec<String>) {
        let needle = q.text.as_deref().map(str::to_ascii_lowercase);
        let mut rows: Vec<&HazardState> = all
            .iter()
            .filter(|h| {
                needle.as_deref().is_none_or(|t| {
                    [&h.item, &h.local_id, &h.name]
                        .iter()
                        .any(|f| f.to_ascii_lowercase().contains(t))
                }) && q.class.is_none_or(|c| c == h.class)
                    && q.status.is_none_or(|c| c == h.status)
                    && q.admin_pcode
                        .as_ref()
                        .is_none_or(|a| Some(a) == h.admin_pcode.as_ref())
                    && q.organisation
                        .as_ref()
                        .is_none_or(|o| Some(o) == h.organisation.as_ref())
            })
            .collect();
        rows.sort_by(|a, b| {
            let o = match q.sort {
                RegisterSort::Id => std::cmp::Ordering::Equal,
                RegisterSort::LocalId => a.local_id.cmp(&b.local_id),
                RegisterSort::Name => a.name.cmp(&b.name),
                RegisterSort::Class => a.class.code().cmp(b.class.code()),
                RegisterSort::Status => a.status.code().cmp(b.status.code()),
                RegisterSort::AdminPcode => a.admin_pcode.cmp(&b.admin_pcode),
                RegisterSort::OriginalM2 => a.original_m2.total_cmp(&b.original_m2),
                RegisterSort::RemainingM2 => a.remaining_m2.total_cmp(&b.remaining_m2),
                RegisterSort::DateOfInformation => a.valid_from.cmp(&b.valid_from),
            }
            .then_with(|| a.item.cmp(&b.item));
            if q.descending { o.reverse() } else { o }
        });
        let total = rows.len();
        let page = rows
            .iter()
            .skip(q.offset)
            .take(q.limit)
            .map(|h| h.item.clone())
            .collect();
        (total, page)
    };
    let check = |q: RegisterQuery| {
        let page = store.hazard_register(&q).expect("register");
        let got: Vec<String> = page.hazards.iter().map(|h| h.item.clone()).collect();
        assert_eq!((page.total, got), reference(&q), "{q:?}");
        for h in &page.hazards {
            let full = all
                .iter()
                .find(|s| s.item == h.item)
                .expect("listed hazard exists");
            let mut without = full.clone();
            without.geometry = None;
            without.remaining = None;
            assert_eq!(h, &without, "{q:?}");
        }
        page
    };
    for sort in RegisterSort::ALL {
        for descending in [false, true] {
            check(RegisterQuery {
                sort,
                descending,
                limit: 100,
                ..RegisterQuery::default()
            });
        }
    }
    // Text in any case, in the id, the local id or the name; non-ASCII letters match as written.
    let thmei = check(RegisterQuery {
        text: Some("THmei".into()),
        limit: 100,
        ..RegisterQuery::default()
    });
    assert_eq!(thmei.total, 3);
    assert_eq!(
        check(RegisterQuery {
            text: Some("h-0".into()),
            ..RegisterQuery::default()
        })
        .total,
        5
    );
    assert_eq!(
        check(RegisterQuery {
            text: Some("haz-000004".into()),
            ..RegisterQuery::default()
        })
        .total,
        1
    );
    assert_eq!(
        check(RegisterQuery {
            text: Some("ph\u{fb}m".into()),
            ..RegisterQuery::default()
        })
        .total,
        1
    );
    assert_eq!(
        check(RegisterQuery {
            text: Some("nowhere".into()),
            ..RegisterQuery::default()
        })
        .total,
        0
    );
    // Filters, alone and together, with a page of two.
    check(RegisterQuery {
        class: Some(HazardClass::Cha),
        ..RegisterQuery::default()
    });
    let worked = check(RegisterQuery {
        status: Some(HazardStatus::WorkedOn),
        ..RegisterQuery::default()
    });
    assert_eq!(worked.total, 1);
    check(RegisterQuery {
        admin_pcode: Some("KH02".into()),
        sort: RegisterSort::RemainingM2,
        descending: true,
        ..RegisterQuery::default()
    });
    check(RegisterQuery {
        organisation: Some("ORG-NONE".into()),
        ..RegisterQuery::default()
    });
    for offset in 0..7 {
        check(RegisterQuery {
            offset,
            limit: 2,
            sort: RegisterSort::Name,
            ..RegisterQuery::default()
        });
        check(RegisterQuery {
            offset,
            limit: 2,
            class: Some(HazardClass::Sha),
            text: Some("t".into()),
            sort: RegisterSort::DateOfInformation,
            descending: true,
            ..RegisterQuery::default()
        });
    }
}

/// The records list answered by the database agrees with the list built in Rust from every
/// current version's flat fields (the reference below), for sorts on numbers, text, dates,
/// nulls and ids, text search, each kind of filter, and paging.
fn the_records_list_filters_orders_and_pages_in_the_database<S: ProgrammeStore>(mut store: S) {
    let finds = [
        (
            "EO-07",
            OrdnanceCategory::ApMine,
            Some("PMN-2"),
            12,
            Some(5),
            "2024-03-01",
        ),
        (
            "EO-02",
            OrdnanceCategory::Submunition,
            Some("BLU-26"),
            100,
            None,
            "2024-01-15",
        ),
        (
            "eo-10",
            OrdnanceCategory::Uxo,
            None,
            3,
            Some(30),
            "2023-12-01",
        ),
        (
            "EO-04",
            OrdnanceCategory::ApMine,
            Some("pmn-2"),
            1,
            Some(5),
            "2024-03-01",
        ),
        (
            "EO-01",
            OrdnanceCategory::AtMine,
            Some("TM-62"),
            12,
            Some(12),
            "2024-02-20",
        ),
    ];
    for (local_id, category, model, quantity, depth_cm, date) in finds {
        let find = EoFind {
            local_id: local_id.into(),
            activity: None,
            hazard: None,
            category,
            model: model.map(Into::into),
            quantity,
            condition: depth_cm.map(|_| ItemCondition::Armed),
            depth_cm,
            disposal: Some(DisposalMethod::DestroyedInSitu),
            found_date: Some(d(date)),
            destroyed_date: None,
            location: Some(geo_types::Point::new(103.2 + quantity as f64 * 1e-3, 13.1)),
        };
        approve(&mut store, &report(date, vec![Record::EoFind(find)]));
    }
    // A second version of one find: the list shows the current one only.
    let Record::EoFind(mut second) = store.versions("EO-000002").expect("versions")[0]
        .record
        .clone()
    else {
        panic!("an EO find")
    };
    second.quantity = 7;
    let mut update = report("2024-04-01", vec![Record::EoFind(second)]);
    update.entries[0].reconcile = Reconcile::Update {
        item: "EO-000002".into(),
        base_version: None,
    };
    approve(&mut store, &update);

    // The reference: flat rows as the API shows them, filtered and sorted in Rust.
    let mut all: Vec<(String, serde_json::Map<String, serde_json::Value>)> = Vec::new();
    store
        .for_each_current(ItemKind::EoFind, None, &mut |v| {
            let mut row = serde_json::Map::new();
            row.insert("id".into(), serde_json::json!(v.item));
            row.insert(
                "date_of_information".into(),
                serde_json::json!(v.valid_from),
            );
            if let Ok(serde_json::Value::Object(rec)) = serde_json::to_value(&v.record) {
                for (k, val) in rec {
                    if !matches!(k.as_str(), "kind" | "geometry" | "released_areas") {
                        let flat = match val {
                            serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
                                serde_json::Value::String(val.to_string())
                            }
                            other => other,
                        };
                        row.insert(k, flat);
                    }
                }
            }
            all.push((v.item, row));
            Ok(Flow::Continue)
        })
        .expect("current");
    assert_eq!(all.len(), 5);
    let text = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let matches = |value: &str, want: &str| {
        let value = value.to_ascii_lowercase();
        let want = want.to_ascii_lowercase();
        match (want.strip_prefix('*'), want.strip_suffix('*')) {
            (Some(rest), _) if rest.ends_with('*') => value.contains(rest.trim_end_matches('*')),
            (Some(rest), _) => value.ends_with(rest),
            (None, Some(rest)) => value.starts_with(rest),
            (None, None) => value == want,
        }
    };
    let reference = |q: &RecordListQuery| -> (usize, Vec<String>) {
        let needle = q.text.as_deref().map(str::to_ascii_lowercase);
        let mut rows: Vec<&(String, serde_json::Map<String, serde_json::Value>)> = all
            .iter()
            .filter(|(_, row)| {
                needle.as_deref().is_none_or(|n| {
                    row.values()
                        .any(|v| text(Some(v)).to_ascii_lowercase().contains(n))
                }) && q
                    .filters
                    .iter()
                    .all(|(k, want)| matches(&text(row.get(k)), want))
            })
            .collect();
        rows.sort_by(|(ia, a), (ib, b)| {
            let (x, y) = (a.get(&q.sort), b.get(&q.sort));
            let o = match (
                x.and_then(serde_json::Value::as_f64),
                y.and_then(serde_json::Value::as_f64),
            ) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Greater,
                (None, Some(_)) => std::cmp::Ordering::Less,
                _ => text(x).cmp(&text(y)),
            }
            .then_with(|| ia.cmp(ib));
            if q.descending { o.reverse() } else { o }
        });
        (
            rows.len(),
            rows.iter()
                .skip(q.offset)
                .take(q.limit)
                .map(|(id, _)| id.clone())
                .collect(),
        )
    };
    let check = |q: RecordListQuery| {
        let page = store.record_list(&q).expect("records list");
        let got: Vec<String> = page.versions.iter().map(|v| v.item.clone()).collect();
        assert_eq!((page.total, got), reference(&q), "{q:?}");
        // The first record of the kind names the columns, whatever the filters.
        assert_eq!(
            page.first.map(|v| v.item),
            Some("EO-000001".to_owned()),
            "{q:?}"
        );
        for v in &page.versions {
            assert_eq!(
                store
                    .item_as_of(&v.item, AsOf::now())
                    .expect("current")
                    .as_ref(),
                Some(v),
                "{q:?}"
            );
        }
        page.total
    };
    let list = |sort: &str, descending: bool| RecordListQuery {
        kind: ItemKind::EoFind,
        text: None,
        filters: vec![],
        sort: sort.into(),
        descending,
        offset: 0,
        limit: 100,
    };
    for sort in [
        "id",
        "date_of_information",
        "local_id",
        "quantity",
        "depth_cm",
        "model",
        "category",
        "found_date",
        "condition",
        "missing",
    ] {
        for descending in [false, true] {
            check(list(sort, descending));
        }
    }
    let search = |t: &str| RecordListQuery {
        text: Some(t.into()),
        ..list("id", false)
    };
    assert_eq!(check(search("pmn")), 2);
    assert_eq!(check(search("EO-000003")), 1);
    assert_eq!(check(search("2024-04")), 1);
    assert_eq!(check(search("submunition")), 1);
    assert_eq!(check(search("nowhere")), 0);
    // A quote is escaped in the JSON text: the search still finds it in nested values.
    assert_eq!(check(search("\"point")), 5);
    let filter = |k: &str, v: &str| RecordListQuery {
        filters: vec![(k.into(), v.into())],
        ..list("quantity", true)
    };
    assert_eq!(check(filter("model", "PMN-2")), 2);
    assert_eq!(check(filter("model", "pmn")), 0);
    assert_eq!(check(filter("model", "pmn*")), 2);
    assert_eq!(check(filter("model", "*2*")), 4);
    assert_eq!(check(filter("local_id", "*-10")), 1);
    assert_eq!(check(filter("quantity", "12")), 2);
    assert_eq!(check(filter("depth_cm", "")), 1);
    assert_eq!(check(filter("found_date", "2024*")), 4);
    assert_eq!(check(filter("id", "eo-000001")), 1);
    assert_eq!(check(filter("date_of_information", "2024-03*")), 2);
    let both = RecordListQuery {
        filters: vec![
            ("category".into(), "ap_mine".into()),
            ("depth_cm".into(), "5".into()),
        ],
        ..list("local_id", false)
    };
    assert_eq!(check(both), 2);
    for offset in 0..6 {
        check(RecordListQuery {
            offset,
            limit: 2,
            ..list("quantity", false)
        });
        check(RecordListQuery {
            offset,
            limit: 2,
            ..list("id", true)
        });
        check(RecordListQuery {
            offset,
            limit: 2,
            text: Some("e".into()),
            ..list("model", true)
        });
    }
}

/// The hazards an activity's current version links to (`hazard` and `hazards`).
fn hazards_of<S: ProgrammeStore>(store: &S, activity: &str) -> Vec<String> {
    let version = store.item_as_of(activity, AsOf::now()).expect("read");
    let Some(Record::Activity(a)) = version.map(|v| v.record) else {
        panic!("{activity} is not an activity");
    };
    a.hazard.into_iter().chain(a.hazards).collect()
}

/// An activity that releases land and names no hazard is linked on approval to every hazard
/// its polygons overlap (by more than 1 m²), directly and in an import batch, including a
/// hazard staged earlier in the same batch; each hazard is credited with its own part.
fn released_land_is_linked_to_every_hazard_it_overlaps<S: ProgrammeStore>(mut store: S) {
    let hazards = approve(
        &mut store,
        &report(
            "2023-01-01",
            vec![
                Record::Hazard(hazard("H1", rect(0., 0., 100., 100.))),
                Record::Hazard(hazard("H2", rect(100., 0., 200., 100.))),
                Record::Hazard(hazard("H3", rect(500., 500., 600., 600.))),
            ],
        ),
    );
    let cleared = |local_id: &str, hazard: Option<&str>, area| {
        Record::Activity(activity(
            local_id,
            hazard,
            ActivityType::Clearance,
            ActivityStatus::Completed,
            d("2023-02-28"),
            vec![(ReleaseMethod::Cleared, area)],
        ))
    };
    // Across the shared edge of H1 and H2: half of each.
    let a1 = approve(
        &mut store,
        &report(
            "2023-03-01",
            vec![cleared("A1", None, rect(50., 0., 150., 100.))],
        ),
    );
    assert_eq!(hazards_of(&store, &a1[0]), hazards[..2].to_vec());
    for h in &hazards[..2] {
        let s = current_state(&store, h);
        assert!(rel(s.cleared_m2, s.original_m2 / 2.0) < 1e-6, "{s:?}");
    }
    assert_eq!(current_state(&store, &hazards[2]).cleared_m2, 0.0);
    // Touching H2's edge only, and far from everything: outside any hazard.
    let a2 = approve(
        &mut store,
        &report(
            "2023-03-02",
            vec![cleared("A2", None, rect(200., 0., 300., 100.))],
        ),
    );
    assert!(hazards_of(&store, &a2[0]).is_empty());
    // A named hazard is taken as named.
    let a3 = approve(
        &mut store,
        &report(
            "2023-03-03",
            vec![cleared("A3", Some(&hazards[0]), rect(0., 0., 150., 10.))],
        ),
    );
    assert_eq!(hazards_of(&store, &a3[0]), vec![hazards[0].clone()]);

    // In an import batch: a hazard staged by an earlier report of the batch is found.
    let reports = valid([
        report(
            "2023-04-01",
            vec![Record::Hazard(hazard("H4", rect(0., 200., 100., 300.)))],
        ),
        report(
            "2023-04-02",
            vec![cleared("A4", None, rect(-50., 200., 50., 300.))],
        ),
    ]);
    migrate_all(&mut store, &reports);
    let h4 = store
        .items_of_kind(ItemKind::Hazard)
        .expect("hazards")
        .pop()
        .expect("H4");
    let a4 = store
        .items_of_kind(ItemKind::Activity)
        .expect("activities")
        .pop()
        .expect("A4");
    assert_eq!(hazards_of(&store, &a4), vec![h4.clone()]);
    let s = current_state(&store, &h4);
    assert!(rel(s.cleared_m2, s.original_m2 / 2.0) < 1e-6, "{s:?}");
    let problems = store.check_consistency().expect("check");
    assert!(problems.is_empty(), "{problems:?}");
}

fn admin_area(pcode: &str, level: u8, parent: Option<&str>, shape: MultiPolygon<f64>) -> Record {
    Record::AdminArea(AdminArea {
        pcode: pcode.into(),
        name: format!("Area {pcode}"),
        level,
        parent_pcode: parent.map(Into::into),
        geometry: Some(shape),
    })
}

/// The admin area a record's current version names.
fn admin_of<S: ProgrammeStore>(store: &S, item: &str) -> Option<String> {
    match store
        .item_as_of(item, AsOf::now())
        .expect("read")
        .map(|v| v.record)
    {
        Some(Record::Hazard(h)) => h.admin_pcode,
        Some(Record::Activity(a)) => a.admin_pcode,
        Some(Record::Accident(a)) => a.admin_pcode,
        other => panic!("{item}: {other:?}"),
    }
}

/// A hazard, a release or an accident approved without an admin area takes the deepest one
/// whose boundary holds it, directly and in an import batch (with boundaries staged in the same
/// batch); one that names its area keeps it, and one outside every boundary stays unassigned.
fn records_without_an_admin_area_are_assigned_from_boundaries<S: ProgrammeStore>(mut store: S) {
    approve(
        &mut store,
        &report(
            "2023-01-01",
            vec![
                admin_area("KH", 0, None, rect(0., 0., 1000., 1000.)),
                admin_area("KH01", 1, Some("KH"), rect(0., 0., 500., 1000.)),
                admin_area("KH02", 1, Some("KH"), rect(500., 0., 1000., 1000.)),
            ],
        ),
    );
    let unassigned = |local_id: &str, shape| {
        let mut h = hazard(local_id, shape);
        h.admin_pcode = None;
        Record::Hazard(h)
    };
    let accident = Accident {
        local_id: "ACC1".into(),
        date: Some(d("2023-01-20")),
        date_known: true,
        admin_pcode: None,
        device_category: None,
        location: rect(600., 600., 601., 601.).0[0]
            .exterior()
            .0
            .first()
            .map(|c| (*c).into()),
        description: None,
        hazard: None,
    };
    let items = approve(
        &mut store,
        &report(
            "2023-02-01",
            vec![
                unassigned("H1", rect(100., 100., 200., 200.)),
                Record::Hazard(hazard("H2", rect(100., 300., 200., 400.))),
                unassigned("H3", rect(2000., 0., 2100., 100.)),
                Record::Accident(accident),
            ],
        ),
    );
    assert_eq!(admin_of(&store, &items[0]).as_deref(), Some("KH01"));
    assert_eq!(
        admin_of(&store, &items[1]).as_deref(),
        Some("KH02"),
        "named, kept"
    );
    assert_eq!(admin_of(&store, &items[2]), None, "outside every boundary");
    assert_eq!(admin_of(&store, &items[3]).as_deref(), Some("KH02"));
    assert_eq!(
        current_state(&store, &items[0]).admin_pcode.as_deref(),
        Some("KH01")
    );
    let mut released = activity(
        "A1",
        None,
        ActivityType::Clearance,
        ActivityStatus::Completed,
        d("2023-02-28"),
        vec![(ReleaseMethod::Cleared, rect(700., 700., 800., 800.))],
    );
    released.admin_pcode = None;

    // In one import batch: a district's boundary, then a hazard inside it and a release.
    let reports = valid([
        report(
            "2023-03-01",
            vec![admin_area(
                "KH0101",
                2,
                Some("KH01"),
                rect(0., 0., 250., 250.),
            )],
        ),
        report(
            "2023-03-02",
            vec![
                unassigned("H4", rect(10., 10., 20., 20.)),
                Record::Activity(released),
            ],
        ),
    ]);
    migrate_all(&mut store, &reports);
    let h4 = store
        .items_of_kind(ItemKind::Hazard)
        .expect("hazards")
        .pop()
        .expect("H4");
    let a1 = (store
        .items_of_kind(ItemKind::Activity)
        .expect("activities")
        .pop())
    .expect("A1");
    assert_eq!(
        admin_of(&store, &h4).as_deref(),
        Some("KH0101"),
        "deepest area"
    );
    assert_eq!(admin_of(&store, &a1).as_deref(), Some("KH02"));
    let problems = store.check_consistency().expect("check");
    assert!(problems.is_empty(), "{problems:?}");
}

fn four_eyes_refuses_whoever_created_or_submitted_the_report<S: ProgrammeStore>(mut store: S) {
    let four_eyes = ApproveOptions {
        four_eyes: true,
        ..ApproveOptions::default()
    };
    let submitted = |store: &mut S, local_id: &str| {
        let r = report(
            "2024-03-01",
            vec![Record::Hazard(hazard(local_id, rect(0., 0., 100., 100.)))],
        );
        let id = store.create_report("officer", &r).expect("create");
        store.submit_report("clerk", id).expect("submit");
        id
    };
    let id = submitted(&mut store, "H1");
    for actor in ["Officer", "clerk"] {
        let refused = store
            .approve_report(actor, id, &four_eyes)
            .expect_err("four-eyes refuses its own report");
        assert!(
            matches!(&refused, StoreError::SecondApproverNeeded { report, .. } if *report == id),
            "{refused:?}"
        );
        let message = refused.to_string();
        assert!(
            message.contains(&format!(
                "report {id} was created by officer and submitted by clerk, so {actor} may not"
            )) && message.contains("ask another approver"),
            "{message}"
        );
    }
    let read = store.report(id).expect("read");
    assert_eq!(read.status, ReportStatus::Submitted);
    assert!(
        store
            .items_of_kind(ItemKind::Hazard)
            .expect("items")
            .is_empty()
    );
    store
        .approve_report("manager", id, &four_eyes)
        .expect("a second approver approves");

    // Off (the default): whoever submitted it may approve it.
    let id = submitted(&mut store, "H2");
    store
        .approve_report("clerk", id, &ApproveOptions::default())
        .expect("single approver");
    assert_eq!(
        store.report(id).expect("read").status,
        ReportStatus::Approved
    );
}
