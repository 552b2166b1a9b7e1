//! The demo's operations planning: the default prioritisation criteria saved with a
//! settlements criterion added, an Article 5 deadline, a settlements and a roads layer (the
//! national roads 5 and 6 and a village in every province's corners and centre), and task
//! orders for the land-release teams in every status — one completed with its activity linked,
//! so the schedule shows planned against actual.

use chrono::{Duration, NaiveDate};
use safeground_model::{ActivityStatus, ActivityType, ItemKind, Record};
use safeground_planning::priority::DEFAULT_CRITERIA;
use safeground_planning::programme::{land_release_teams, open_hazards};
use safeground_store::planning::{NewTask, PlanningSettings, TaskStatus};
use safeground_store::{Flow, PlanningStore, ProgrammeStore, Result};

use crate::places::PROVINCES;

/// What [`populate`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanningDemo {
    /// Task orders.
    pub tasks: usize,
    /// Villages in the settlements layer.
    pub settlements: usize,
}

/// The criterion the demo adds to the defaults: nearness to a settlement.
const SETTLEMENTS_CRITERION: &str = r#"
[[criterion]]
id = "near_settlement"
kind = "near_layer"
weight = 2
layer = "settlements"
km = 3
"#;

/// National roads 5 (Phnom Penh – Battambang – Poipet) and 6 (Phnom Penh – Siem Reap –
/// Sisophon), simplified.
pub(crate) const ROADS: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"National Road 5"},"geometry":{"type":"LineString","coordinates":[[104.92,11.57],[104.60,12.00],[104.19,12.53],[103.52,12.75],[103.20,13.10],[102.98,13.59],[102.56,13.66]]}},
{"type":"Feature","properties":{"name":"National Road 6"},"geometry":{"type":"LineString","coordinates":[[104.92,11.57],[104.87,12.27],[104.48,12.73],[103.86,13.36],[103.30,13.50],[102.98,13.59]]}}
]}"#;

/// The settlements layer: a village at each province's centre and near its four corners.
pub(crate) fn settlements() -> (String, usize) {
    let mut features = Vec::new();
    for p in PROVINCES {
        let (w, e) = p.lon;
        let (s, n) = p.lat;
        let points = [
            ((w + e) / 2.0, (s + n) / 2.0),
            (w + 0.2 * (e - w), s + 0.2 * (n - s)),
            (w + 0.8 * (e - w), s + 0.2 * (n - s)),
            (w + 0.2 * (e - w), s + 0.8 * (n - s)),
            (w + 0.8 * (e - w), s + 0.8 * (n - s)),
        ];
        for (i, (x, y)) in points.into_iter().enumerate() {
            features.push(format!(
                r#"{{"type":"Feature","properties":{{"name":"{} village {}"}},"geometry":{{"type":"Point","coordinates":[{x:.4},{y:.4}]}}}}"#,
                p.name,
                i + 1
            ));
        }
    }
    let n = features.len();
    (
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
        n,
    )
}

/// A completed activity: (local id, hazard, start, end, type).
type Done = (String, String, NaiveDate, NaiveDate, ActivityType);

/// The most recent completed activity of `team` (local id) on a hazard still open (`open`:
/// item ids and local ids), with its hazard, dates and type. Approved records refer to items
/// by item id.
fn last_work<S: ProgrammeStore + ?Sized>(
    store: &S,
    team: &str,
    open: &[String],
) -> Result<Option<Done>> {
    let mut names = vec![team.to_owned()];
    store.for_each_current(ItemKind::Team, None, &mut |v| {
        if v.record.local_id() == team {
            names.push(v.item);
            return Ok(Flow::Stop);
        }
        Ok(Flow::Continue)
    })?;
    let mut best: Option<Done> = None;
    store.for_each_current(ItemKind::Activity, None, &mut |v| {
        if let Record::Activity(a) = &v.record
            && a.team.as_ref().is_some_and(|t| names.contains(t))
            && a.status == ActivityStatus::Completed
            && let (Some(h), Some(s), Some(e)) = (&a.hazard, a.start_date, a.end_date)
            && open.contains(h)
            && best.as_ref().is_none_or(|b| e > b.3)
        {
            best = Some((a.local_id.clone(), h.clone(), s, e, a.activity_type));
        }
        Ok(Flow::Continue)
    })?;
    Ok(best)
}

/// Writes the demo's planning as `planner` (an enabled planner of the national authority),
/// dated from `today`, with `deadline` as the Article 5 deadline.
pub fn populate<S: ProgrammeStore + PlanningStore + ?Sized>(
    store: &mut S,
    planner: &str,
    today: NaiveDate,
    deadline: NaiveDate,
) -> std::result::Result<PlanningDemo, safeground_planning::programme::ProgrammeError> {
    store.put_planning_criteria(
        planner,
        &format!("{DEFAULT_CRITERIA}{SETTLEMENTS_CRITERION}"),
    )?;
    store.put_planning_settings(
        planner,
        &PlanningSettings {
            article5_deadline: Some(deadline),
            days_per_year: 220.0,
        },
    )?;
    let (villages, settlements) = settlements();
    store.put_planning_layer(planner, "settlements", &villages, settlements)?;
    store.put_planning_layer(planner, "roads", ROADS, 2)?;

    // The largest open hazards first.
    let mut hazards = open_hazards(store)?;
    hazards.sort_by(|a, b| b.remaining_m2.total_cmp(&a.remaining_m2));
    let open: Vec<String> = hazards.iter().map(|h| h.local_id.clone()).collect();
    let open_refs: Vec<String> = (hazards.iter())
        .flat_map(|h| [h.item.clone(), h.local_id.clone()])
        .collect();
    let teams = land_release_teams(store, 220.0)?;
    let mut next_hazard = open.iter().cycle();
    let mut tasks = 0;
    let d = |days: i64| today + Duration::days(days);
    // (status path, planned start, planned end) per team, in team order.
    let plans: [(&[TaskStatus], i64, i64, Option<&str>); 5] = [
        (&[TaskStatus::Issued, TaskStatus::InProgress], -10, 20, None),
        (&[TaskStatus::Issued], 5, 40, None),
        (
            &[
                TaskStatus::Issued,
                TaskStatus::InProgress,
                TaskStatus::Suspended,
            ],
            -30,
            10,
            Some("access road flooded"),
        ),
        (&[], 30, 75, None),
        (&[TaskStatus::Issued], 14, 60, None),
    ];
    // The last completed work of the first team that has some on an open hazard becomes a
    // completed task, planned 3 days shorter than it took.
    for team in &teams {
        let Some((activity, hazard, start, end, kind)) = last_work(store, &team.team, &open_refs)?
        else {
            continue;
        };
        let t = store.add_task(
            planner,
            &NewTask {
                task_id: None,
                team: team.team.clone(),
                hazards: vec![hazard],
                method: kind,
                assets: Vec::new(),
                planned_start: start,
                planned_end: (end - Duration::days(3)).max(start),
                comment: Some("demo: work reported and linked".into()),
            },
        )?;
        for s in [TaskStatus::Issued, TaskStatus::InProgress] {
            store.set_task_status(planner, &t.task_id, s, None)?;
        }
        store.link_task_activity(planner, &t.task_id, &activity)?;
        store.set_task_status(planner, &t.task_id, TaskStatus::Completed, None)?;
        tasks += 1;
        break;
    }
    for (i, team) in teams.iter().enumerate() {
        let Some((path, from, to, comment)) = plans.get(i % plans.len()) else {
            continue;
        };
        let Some(hazard) = next_hazard.next() else {
            break;
        };
        // Teams past the fifth get the same plans, those not yet started 70 days later each
        // round (work under way or suspended has started).
        let started = path.contains(&TaskStatus::InProgress);
        let shift = if started {
            0
        } else {
            70 * (i / plans.len()) as i64
        };
        let t = store.add_task(
            planner,
            &NewTask {
                task_id: None,
                team: team.team.clone(),
                hazards: vec![hazard.clone()],
                method: ActivityType::Clearance,
                assets: Vec::new(),
                planned_start: d(*from + shift),
                planned_end: d(*to + shift),
                comment: None,
            },
        )?;
        for (k, s) in path.iter().enumerate() {
            let last = k + 1 == path.len();
            store.set_task_status(planner, &t.task_id, *s, comment.filter(|_| last))?;
        }
        tasks += 1;
    }
    Ok(PlanningDemo { tasks, settlements })
}
