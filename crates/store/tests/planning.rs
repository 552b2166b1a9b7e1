//! Operations planning (every backend runs the suite unchanged): who may plan and for which
//! teams, the rules of a task order (open hazards, the team's own assets, dates), no team booked
//! twice, the status workflow, linking activities and the actual against the plan, criteria
//! and layers, all audited and nothing half-written.

#[macro_use]
mod common;

use chrono::NaiveDate;
use safeground_model::{ActivityType, AssetType};
use safeground_store::planning::{NewTask, TaskStatus};
use safeground_store::{
    AccountStore, ApproveOptions, NewAccount, NewReport, PlanningStore, ProgrammeStore, Role,
    SqliteStore, StoreError,
};

backends!(
    planners_task_their_own_teams_and_others_are_refused,
    bad_tasks_name_the_field_and_store_nothing,
    a_team_is_never_booked_twice,
    status_moves_along_the_workflow_and_actuals_follow_linked_activities,
    criteria_and_layers_are_kept_and_audited,
);

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn square(lon: f64) -> serde_json::Value {
    serde_json::json!({"type": "MultiPolygon", "coordinates": [[[
        [lon, 13.1], [lon + 0.001, 13.1], [lon + 0.001, 13.101], [lon, 13.101], [lon, 13.1]]]]})
}

/// CMAA (national authority), HALO and MAG (operators), a HALO manual team, a MAG dog team,
/// an open hazard H1 and H3, a closed hazard H2, and HALO's clearance activity A1 on H1.
fn programme<S: ProgrammeStore + AccountStore>(store: &mut S) {
    let entries = serde_json::json!([
        {"reconcile": {"action": "new"}, "record": {"kind": "organisation", "local_id": "ORG-CMAA",
            "name": "Cambodian Mine Action Authority", "acronym": "CMAA",
            "organisation_type": "national_authority"}},
        {"reconcile": {"action": "new"}, "record": {"kind": "organisation", "local_id": "ORG-HALO",
            "name": "The HALO Trust", "acronym": "HALO", "organisation_type": "operator"}},
        {"reconcile": {"action": "new"}, "record": {"kind": "organisation", "local_id": "ORG-MAG",
            "name": "Mines Advisory Group", "acronym": "MAG", "organisation_type": "operator"}},
        {"reconcile": {"action": "new"}, "record": {"kind": "team", "local_id": "HALO-M1",
            "name": "HALO manual 1", "organisation": "ORG-HALO", "team_type": "manual",
            "assets": [{"asset_type": "manual", "identifier": "section 1"}]}},
        {"reconcile": {"action": "new"}, "record": {"kind": "team", "local_id": "MAG-D1",
            "name": "MAG dogs 1", "organisation": "ORG-MAG", "team_type": "mine_detection_dog",
            "assets": [{"asset_type": "mine_detection_dog", "identifier": "Rex"}]}},
        {"reconcile": {"action": "new"}, "record": {"kind": "hazard", "local_id": "H1",
            "name": "Canal", "class": "cha", "status": "open", "contamination": ["ap_mines"],
            "geometry": square(103.2)}},
        {"reconcile": {"action": "new"}, "record": {"kind": "hazard", "local_id": "H2",
            "name": "School", "class": "sha", "status": "closed",
            "status_change": {"reason": "cleared", "date": "2024-12-01"},
            "geometry": square(103.3)}},
        {"reconcile": {"action": "new"}, "record": {"kind": "hazard", "local_id": "H3",
            "name": "Rice field", "class": "sha", "status": "open", "geometry": square(103.4)}},
        {"reconcile": {"action": "new"}, "record": {"kind": "activity", "local_id": "A1",
            "activity_type": "clearance", "status": "completed", "organisation": "ORG-HALO",
            "team": "HALO-M1", "hazard": "H1", "start_date": "2025-02-01",
            "end_date": "2025-02-10", "released_areas": [{"method": "cleared",
            "asset_type": "manual", "geometry": square(103.2)}]}},
    ]);
    let report: NewReport = serde_json::from_value(serde_json::json!({
        "title": "baseline", "date_of_information": "2025-03-01", "entries": entries,
    }))
    .expect("report");
    let id = store.create_report("setup", &report).expect("create");
    store.submit_report("setup", id).expect("submit");
    store
        .approve_report("setup", id, &ApproveOptions::default())
        .expect("approve");
    for (name, org, role) in [
        ("national", "ORG-CMAA", Role::Planner),
        ("halo", "ORG-HALO", Role::Planner),
        ("viewer", "ORG-CMAA", Role::Viewer),
    ] {
        let account = NewAccount {
            username: name.into(),
            display_name: format!("User {name}"),
            organisation: org.into(),
            role,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        };
        store.add_account("setup", &account).expect("account");
    }
}

fn task(team: &str, hazards: &[&str], start: &str, end: &str) -> NewTask {
    NewTask {
        task_id: None,
        team: team.into(),
        hazards: hazards.iter().map(|h| (*h).to_owned()).collect(),
        method: ActivityType::Clearance,
        assets: vec![],
        planned_start: d(start),
        planned_end: d(end),
        comment: None,
    }
}

fn fields(err: &StoreError) -> Vec<String> {
    match err {
        StoreError::Invalid(e) => e.0.iter().map(|f| f.field.clone()).collect(),
        other => panic!("not a validation error: {other}"),
    }
}

fn planners_task_their_own_teams_and_others_are_refused<
    S: ProgrammeStore + AccountStore + PlanningStore,
>(
    mut store: S,
) {
    programme(&mut store);
    let mut t = task("HALO-M1", &["H1"], "2025-04-01", "2025-04-30");
    t.assets = vec![AssetType::Manual];
    let made = store.add_task("halo", &t).expect("own team");
    assert_eq!(made.task_id, "TASK-0001");
    assert_eq!(made.organisation, "ORG-HALO");
    assert_eq!(made.hazard_local_ids, ["H1"]);
    assert_eq!(made.status, TaskStatus::Planned);
    let e = store
        .add_task("halo", &task("MAG-D1", &["H3"], "2025-04-01", "2025-04-30"))
        .expect_err("another operator's team");
    assert!(e.to_string().contains("tasks only its own teams"), "{e}");
    let e = store
        .add_task(
            "viewer",
            &task("MAG-D1", &["H3"], "2025-04-01", "2025-04-30"),
        )
        .expect_err("a viewer");
    assert!(
        e.to_string().contains("only planners and administrators"),
        "{e}"
    );
    let n = store
        .add_task(
            "national",
            &task("MAG-D1", &["H3"], "2025-04-01", "2025-04-30"),
        )
        .expect("the national authority tasks any team");
    assert_eq!(n.task_id, "TASK-0002");
    assert_eq!(store.tasks().expect("tasks").len(), 2);
    let audit = store.audit_log().expect("audit");
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == "planning.task.add")
            .count(),
        2
    );
}

fn bad_tasks_name_the_field_and_store_nothing<S: ProgrammeStore + AccountStore + PlanningStore>(
    mut store: S,
) {
    programme(&mut store);
    let mut t = task("HALO-M1", &["H2", "H9"], "2025-04-30", "2025-04-01");
    t.assets = vec![AssetType::Machine];
    let e = store.add_task("national", &t).expect_err("refused");
    assert_eq!(
        fields(&e),
        ["assets[0]", "hazards[0]", "hazards[1]", "planned_end"]
    );
    let text = e.to_string();
    assert!(text.contains("hazard H2 is closed"), "{text}");
    assert!(text.contains("no hazard `H9`"), "{text}");
    assert!(text.contains("has no machine asset"), "{text}");
    let e = store
        .add_task("national", &task("NOPE", &[], "2025-04-01", "2025-04-02"))
        .expect_err("refused");
    assert_eq!(fields(&e), ["team", "hazards"]);
    assert!(store.tasks().expect("tasks").is_empty());
    let mut t = task("HALO-M1", &["H1"], "2025-04-01", "2025-04-02");
    t.task_id = Some("bad id!".into());
    assert_eq!(
        fields(&store.add_task("national", &t).expect_err("id")),
        ["task_id"]
    );
    assert!(
        !(store.audit_log().expect("audit"))
            .iter()
            .any(|a| a.action.starts_with("planning."))
    );
}

fn a_team_is_never_booked_twice<S: ProgrammeStore + AccountStore + PlanningStore>(mut store: S) {
    programme(&mut store);
    store
        .add_task(
            "national",
            &task("HALO-M1", &["H1"], "2025-04-01", "2025-04-30"),
        )
        .expect("first");
    let e = store
        .add_task(
            "national",
            &task("HALO-M1", &["H3"], "2025-04-30", "2025-05-15"),
        )
        .expect_err("overlap on the 30th");
    assert!(matches!(e, StoreError::Clash(_)), "{e}");
    assert!(
        e.to_string()
            .contains("team HALO-M1 is booked from 2025-04-01 to 2025-04-30 by TASK-0001"),
        "{e}"
    );
    assert_eq!(store.tasks().expect("tasks").len(), 1, "nothing written");
    store
        .add_task(
            "national",
            &task("HALO-M1", &["H3"], "2025-05-01", "2025-05-15"),
        )
        .expect("the next day is free");
    store
        .add_task(
            "national",
            &task("MAG-D1", &["H3"], "2025-04-10", "2025-04-20"),
        )
        .expect("another team");
    // Suspending frees the team; resuming into a clash is refused and changes nothing.
    store
        .set_task_status("national", "TASK-0001", TaskStatus::Issued, None)
        .expect("issued");
    store
        .set_task_status(
            "national",
            "TASK-0001",
            TaskStatus::Suspended,
            Some("rains"),
        )
        .expect("suspended");
    store
        .add_task(
            "national",
            &task("HALO-M1", &["H3"], "2025-04-10", "2025-04-20"),
        )
        .expect("free while suspended");
    let e = store
        .set_task_status("national", "TASK-0001", TaskStatus::InProgress, None)
        .expect_err("resuming clashes with TASK-0004");
    assert!(e.to_string().contains("by TASK-0004"), "{e}");
    let t = store.task("TASK-0001").expect("read").expect("task");
    assert_eq!(t.status, TaskStatus::Suspended);
    assert_eq!(t.history.len(), 3);
    assert_eq!(t.history[2].comment.as_deref(), Some("rains"));
}

fn status_moves_along_the_workflow_and_actuals_follow_linked_activities<
    S: ProgrammeStore + AccountStore + PlanningStore,
>(
    mut store: S,
) {
    programme(&mut store);
    store
        .add_task(
            "halo",
            &task("HALO-M1", &["H1"], "2025-02-01", "2025-02-07"),
        )
        .expect("task");
    let e = store
        .set_task_status("halo", "TASK-0001", TaskStatus::Completed, None)
        .expect_err("planned cannot complete");
    assert_eq!(fields(&e), ["status"]);
    assert!(e.to_string().contains("it can become issued"), "{e}");
    for s in [TaskStatus::Issued, TaskStatus::InProgress] {
        store
            .set_task_status("halo", "TASK-0001", s, None)
            .expect("next");
    }
    let e = store
        .link_task_activity("halo", "TASK-0001", "A9")
        .expect_err("no such activity");
    assert!(e.to_string().contains("no activity `A9`"), "{e}");
    let t = store
        .link_task_activity("halo", "TASK-0001", "A1")
        .expect("link");
    assert_eq!(t.activities, ["A1"]);
    let e = store
        .link_task_activity("halo", "TASK-0001", "A1")
        .expect_err("twice");
    assert!(e.to_string().contains("linked to TASK-0001 already"), "{e}");
    let t = store
        .set_task_status("halo", "TASK-0001", TaskStatus::Completed, None)
        .expect("completed");
    let actual = store.task_actual(&t).expect("actual");
    assert_eq!(actual.start, Some(d("2025-02-01")));
    assert_eq!(actual.end, Some(d("2025-02-10")));
    assert_eq!(actual.days, 10);
    assert_eq!(actual.days_late, Some(3));
    // 0.001° × 0.001° at 13.1° N ≈ 108.5 m × 110.6 m.
    assert!(
        (11_900.0..12_100.0).contains(&actual.released_m2),
        "{}",
        actual.released_m2
    );
    let e = store
        .set_task_status("halo", "TASK-0001", TaskStatus::InProgress, None)
        .expect_err("completed is final");
    assert!(e.to_string().contains("does not change"), "{e}");
}

fn criteria_and_layers_are_kept_and_audited<S: ProgrammeStore + AccountStore + PlanningStore>(
    mut store: S,
) {
    programme(&mut store);
    assert!(store.planning_criteria().expect("read").is_none());
    store
        .put_planning_criteria("national", "[[criterion]]\nid='a'")
        .expect("saved");
    let (text, _, by) = store.planning_criteria().expect("read").expect("saved");
    assert_eq!(
        (text.as_str(), by.as_str()),
        ("[[criterion]]\nid='a'", "national")
    );
    assert!(store.put_planning_criteria("viewer", "x").is_err());
    assert_eq!(
        store.planning_settings().expect("defaults").days_per_year,
        220.0
    );
    let mut settings = safeground_store::planning::PlanningSettings {
        article5_deadline: Some(d("2030-12-31")),
        days_per_year: 0.0,
    };
    let e = store
        .put_planning_settings("national", &settings)
        .expect_err("no working day");
    assert_eq!(fields(&e), ["days_per_year"]);
    settings.days_per_year = 240.0;
    store
        .put_planning_settings("national", &settings)
        .expect("saved");
    assert_eq!(store.planning_settings().expect("read"), settings);
    let fc = r#"{"type":"FeatureCollection","features":[]}"#;
    store
        .put_planning_layer("national", "roads", fc, 0)
        .expect("layer");
    let e = store
        .put_planning_layer("national", "Bad Name", fc, 0)
        .expect_err("name");
    assert_eq!(fields(&e), ["name"]);
    let layers = store.planning_layers().expect("layers");
    assert_eq!(layers.len(), 1);
    assert_eq!(layers[0].imported_by, "national");
    assert_eq!(
        store.planning_layer("roads").expect("read").as_deref(),
        Some(fc)
    );
    assert!(
        store
            .delete_planning_layer("national", "roads")
            .expect("deleted")
    );
    assert!(
        !store
            .delete_planning_layer("national", "roads")
            .expect("none")
    );
    let actions: Vec<String> = (store.audit_log().expect("audit"))
        .into_iter()
        .map(|a| a.action)
        .filter(|a| a.starts_with("planning."))
        .collect();
    assert_eq!(
        actions,
        [
            "planning.criteria",
            "planning.settings",
            "planning.layer",
            "planning.layer.delete"
        ]
    );
}
