//! Operations planning (issue 26): task orders for teams on hazards, the prioritisation
//! criteria in force, and the layers criteria measure against.
//!
//! Rules: only an enabled planner or administrator writes; a planner of an operator tasks only
//! its own organisation's teams (national authority planners task any); a task names an
//! existing team, at least one hazard, none of them closed or handed over, assets the team
//! has, and an end on or after its start; a team is never booked twice for the same days
//! (checked in the writing transaction: [`StoreError::Clash`] names the other task); status
//! moves along [`TaskStatus::next`]; an activity is linked once and must exist. Tasks are
//! edited directly (no report and approval, as in IMSMA's tasking tool), and every change
//! goes with its audit line in one transaction (`planning.task.add`, `planning.task.status`,
//! `planning.task.link`, `planning.criteria`, `planning.settings`, `planning.layer`).

mod types;

use chrono::{DateTime, Utc};
use safeground_model::{
    ActivityStatus, HazardStatus, ItemKind, OrganisationKind, Record, ValidationErrors,
};

pub use types::*;

use crate::{AccountStore, AsOf, Flow, ProgrammeStore, Result, Role, StoreError};

/// The setting key of the prioritisation criteria (TOML).
pub const CRITERIA_KEY: &str = "criteria";
/// The setting key of [`PlanningSettings`] (JSON).
pub const SETTINGS_KEY: &str = "settings";

/// A task row as the backends keep it.
pub(crate) struct TaskRow<'a> {
    pub task_id: &'a str,
    pub team: &'a str,
    pub status: &'a str,
    pub planned_start: chrono::NaiveDate,
    pub planned_end: chrono::NaiveDate,
    pub books: bool,
    pub json: &'a str,
}

/// A setting row: (value, updated at, updated by).
pub type SettingRow = (String, DateTime<Utc>, String);

/// The rows behind [`PlanningStore`], per backend.
pub(crate) trait PlanningRows {
    /// The task JSON of `task_id`, or of every task by id.
    fn task_rows(&self, task_id: Option<&str>) -> Result<Vec<String>>;
    /// Writes a task (insert when `new`) and its audit line in one transaction; when the row
    /// books its team, first checks in that transaction that no other task booking the team
    /// overlaps its days ([`StoreError::Clash`] naming it).
    fn write_task_row(
        &mut self,
        actor: &str,
        row: &TaskRow<'_>,
        new: bool,
        action: &str,
    ) -> Result<()>;
    /// A setting.
    fn setting_row(&self, key: &str) -> Result<Option<SettingRow>>;
    /// Writes a setting and its audit line in one transaction.
    fn write_setting_row(&mut self, actor: &str, key: &str, value: &str) -> Result<()>;
    /// Every layer (name, features, by, at), by name.
    fn layer_rows(&self) -> Result<Vec<LayerInfo>>;
    /// A layer's GeoJSON.
    fn layer_geojson(&self, name: &str) -> Result<Option<String>>;
    /// Writes (Some) or deletes (None) a layer and its audit line in one transaction; true
    /// when a row was written or deleted.
    fn write_layer_row(
        &mut self,
        actor: &str,
        name: &str,
        layer: Option<(&str, usize)>,
    ) -> Result<bool>;
}

/// Operations planning: task orders, the criteria in force and imported layers.
pub trait PlanningStore {
    /// Adds a task order (a planner or administrator; audited `planning.task.add`).
    fn add_task(&mut self, actor: &str, task: &NewTask) -> Result<Task>;
    /// Every task, by id.
    fn tasks(&self) -> Result<Vec<Task>>;
    /// The task of `task_id`.
    fn task(&self, task_id: &str) -> Result<Option<Task>>;
    /// Moves a task to `status` (audited `planning.task.status`).
    fn set_task_status(
        &mut self,
        actor: &str,
        task_id: &str,
        status: TaskStatus,
        comment: Option<&str>,
    ) -> Result<Task>;
    /// Links an activity (item id or local id) reporting on the task (audited
    /// `planning.task.link`).
    fn link_task_activity(&mut self, actor: &str, task_id: &str, activity: &str) -> Result<Task>;
    /// What the linked activities did, against the plan.
    fn task_actual(&self, task: &Task) -> Result<TaskActual>;
    /// The prioritisation criteria saved (TOML), with who saved them and when.
    fn planning_criteria(&self) -> Result<Option<SettingRow>>;
    /// Saves the prioritisation criteria (checked by the caller; audited `planning.criteria`).
    fn put_planning_criteria(&mut self, actor: &str, toml: &str) -> Result<()>;
    /// The planning settings (defaults when never saved).
    fn planning_settings(&self) -> Result<PlanningSettings>;
    /// Saves the planning settings (a planner or administrator; audited `planning.settings`).
    fn put_planning_settings(&mut self, actor: &str, settings: &PlanningSettings) -> Result<()>;
    /// Every imported layer.
    fn planning_layers(&self) -> Result<Vec<LayerInfo>>;
    /// A layer's GeoJSON (a FeatureCollection).
    fn planning_layer(&self, name: &str) -> Result<Option<String>>;
    /// Imports or replaces a layer (GeoJSON FeatureCollection checked by the caller; audited
    /// `planning.layer`).
    fn put_planning_layer(
        &mut self,
        actor: &str,
        name: &str,
        geojson: &str,
        features: usize,
    ) -> Result<()>;
    /// Deletes a layer; false when there was none.
    fn delete_planning_layer(&mut self, actor: &str, name: &str) -> Result<bool>;
}

fn now() -> AsOf {
    AsOf::now()
}

/// The planner behind `actor`: its organisation and whether it is the national authority's.
fn planner<S: AccountStore + ProgrammeStore + ?Sized>(
    store: &S,
    actor: &str,
) -> Result<(String, bool)> {
    let account = store
        .account(actor)?
        .filter(|a| !a.disabled)
        .ok_or_else(|| StoreError::Account(format!("no enabled account `{actor}`")))?;
    if !matches!(account.role, Role::Planner | Role::Administrator) {
        return Err(StoreError::Account(format!(
            "only planners and administrators write plans; `{actor}` is {}",
            account.role
        )));
    }
    let mut national = false;
    store.for_each_current(ItemKind::Organisation, None, &mut |v| {
        if let Record::Organisation(o) = v.record
            && (o.local_id == account.organisation || v.item == account.organisation)
        {
            national = matches!(
                o.organisation_type,
                OrganisationKind::NationalAuthority | OrganisationKind::NationalCentre
            );
            return Ok(Flow::Stop);
        }
        Ok(Flow::Continue)
    })?;
    Ok((account.organisation, national))
}

/// The current version of an item of `kind` named by item id or local id.
fn find_item<S: ProgrammeStore + ?Sized>(
    store: &S,
    kind: ItemKind,
    name: &str,
) -> Result<Option<(String, Record)>> {
    if let Some(v) = store.item_as_of(name, now())?
        && v.record.kind() == kind
    {
        return Ok(Some((v.item, v.record)));
    }
    let mut found = None;
    store.for_each_current(kind, None, &mut |v| {
        if v.record.local_id() == name {
            found = Some((v.item, v.record));
            return Ok(Flow::Stop);
        }
        Ok(Flow::Continue)
    })?;
    Ok(found)
}

fn decode(json: &str) -> Result<Task> {
    serde_json::from_str(json).map_err(|e| StoreError::corrupt("planning_task", e))
}

fn write<S: PlanningRows + ?Sized>(
    store: &mut S,
    actor: &str,
    task: &Task,
    new: bool,
    action: &str,
) -> Result<()> {
    let json = serde_json::to_string(task).map_err(|e| StoreError::corrupt("task", e))?;
    store.write_task_row(
        actor,
        &TaskRow {
            task_id: &task.task_id,
            team: &task.team,
            status: task.status.code(),
            planned_start: task.planned_start,
            planned_end: task.planned_end,
            books: task.status.books_the_team(),
            json: &json,
        },
        new,
        action,
    )
}

/// The next free `TASK-NNNN` id.
fn next_task_id(tasks: &[Task]) -> String {
    let n = tasks
        .iter()
        .filter_map(|t| t.task_id.strip_prefix("TASK-")?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    format!("TASK-{:04}", n + 1)
}

impl<S: PlanningRows + ProgrammeStore + AccountStore> PlanningStore for S {
    fn add_task(&mut self, actor: &str, new: &NewTask) -> Result<Task> {
        let (organisation, national) = planner(self, actor)?;
        let mut e = ValidationErrors::default();
        let existing = self.tasks()?;
        let task_id = match new.task_id.as_deref().map(str::trim) {
            Some("") | None => next_task_id(&existing),
            Some(id) => {
                if !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                    || id.len() > 64
                {
                    e.add(
                        "task_id",
                        "use 1–64 letters, digits, `-`, `_` or `.` (or leave it empty)",
                    );
                } else if existing.iter().any(|t| t.task_id == id) {
                    return Err(StoreError::Duplicate(format!(
                        "task {id} exists already; give another id or leave it empty"
                    )));
                }
                id.to_owned()
            }
        };
        let team = find_item(self, ItemKind::Team, new.team.trim())?;
        let mut team_local = String::new();
        let mut team_org = String::new();
        match &team {
            Some((_, Record::Team(t))) => {
                team_local = t.local_id.clone();
                team_org = t.organisation.clone();
                // The team's organisation as a local id, for scoping and display.
                if let Some((_, Record::Organisation(o))) =
                    find_item(self, ItemKind::Organisation, &t.organisation)?
                {
                    team_org = o.local_id;
                }
                if !national && team_org != organisation {
                    return Err(StoreError::Account(format!(
                        "team {} belongs to {team_org}; a planner of {organisation} tasks only \
                         its own teams",
                        t.local_id
                    )));
                }
                for (i, a) in new.assets.iter().enumerate() {
                    if !t.assets.iter().any(|x| x.asset_type == *a) {
                        e.add(
                            &format!("assets[{i}]"),
                            format!(
                                "team {} has no {} asset; deploy what it has or record the asset on the team",
                                t.local_id,
                                a.code()
                            ),
                        );
                    }
                }
            }
            _ => e.add(
                "team",
                format!("no team `{}`; name a team by its id or local id", new.team),
            ),
        }
        if new.hazards.is_empty() {
            e.add("hazards", "is empty; name at least one hazard");
        }
        let mut hazards = Vec::new();
        let mut hazard_local_ids = Vec::new();
        for (i, h) in new.hazards.iter().enumerate() {
            match find_item(self, ItemKind::Hazard, h.trim())? {
                Some((item, Record::Hazard(record))) => {
                    let status = self
                        .hazard_state(&item, now())?
                        .map_or(record.status, |s| s.status);
                    if matches!(status, HazardStatus::Closed | HazardStatus::HandedOver) {
                        e.add(
                            &format!("hazards[{i}]"),
                            format!(
                                "hazard {} is {}; task work only on open hazards",
                                record.local_id,
                                status.code()
                            ),
                        );
                    } else if hazards.contains(&item) {
                        e.add(&format!("hazards[{i}]"), "is named twice");
                    } else {
                        hazards.push(item);
                        hazard_local_ids.push(record.local_id);
                    }
                }
                _ => e.add(
                    &format!("hazards[{i}]"),
                    format!("no hazard `{h}`; name a hazard by its id or local id"),
                ),
            }
        }
        if new.planned_end < new.planned_start {
            e.add(
                "planned_end",
                format!(
                    "{} is before the planned start {}; the end must be on or after the start",
                    new.planned_end, new.planned_start
                ),
            );
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let at = Utc::now();
        let task = Task {
            task_id,
            team: team_local,
            organisation: team_org,
            hazards,
            hazard_local_ids,
            method: new.method,
            assets: new.assets.clone(),
            planned_start: new.planned_start,
            planned_end: new.planned_end,
            status: TaskStatus::Planned,
            history: vec![TaskStatusChange {
                status: TaskStatus::Planned,
                at,
                by: actor.to_owned(),
                comment: None,
            }],
            activities: Vec::new(),
            comment: new.comment.clone().filter(|c| !c.trim().is_empty()),
            created_by: actor.to_owned(),
            created_at: at,
        };
        write(self, actor, &task, true, "planning.task.add")?;
        Ok(task)
    }

    fn tasks(&self) -> Result<Vec<Task>> {
        self.task_rows(None)?.iter().map(|j| decode(j)).collect()
    }

    fn task(&self, task_id: &str) -> Result<Option<Task>> {
        self.task_rows(Some(task_id))?
            .first()
            .map(|j| decode(j))
            .transpose()
    }

    fn set_task_status(
        &mut self,
        actor: &str,
        task_id: &str,
        status: TaskStatus,
        comment: Option<&str>,
    ) -> Result<Task> {
        let (organisation, national) = planner(self, actor)?;
        let mut task = self
            .task(task_id)?
            .ok_or_else(|| StoreError::ItemNotFound(format!("task {task_id}")))?;
        if !national && task.organisation != organisation {
            return Err(StoreError::Account(format!(
                "task {task_id} is {}'s; a planner of {organisation} changes only its own",
                task.organisation
            )));
        }
        if !task.status.next().contains(&status) {
            let allowed: Vec<&str> = task.status.next().iter().map(|s| s.code()).collect();
            let mut e = ValidationErrors::default();
            e.add(
                "status",
                if allowed.is_empty() {
                    format!("task {task_id} is completed; a completed task does not change")
                } else {
                    format!(
                        "task {task_id} is {}; it can become {}, not {}",
                        task.status,
                        allowed.join(" or "),
                        status
                    )
                },
            );
            return Err(StoreError::Invalid(e));
        }
        task.status = status;
        task.history.push(TaskStatusChange {
            status,
            at: Utc::now(),
            by: actor.to_owned(),
            comment: comment
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned),
        });
        write(self, actor, &task, false, "planning.task.status")?;
        Ok(task)
    }

    fn link_task_activity(&mut self, actor: &str, task_id: &str, activity: &str) -> Result<Task> {
        let (organisation, national) = planner(self, actor)?;
        let mut task = self
            .task(task_id)?
            .ok_or_else(|| StoreError::ItemNotFound(format!("task {task_id}")))?;
        if !national && task.organisation != organisation {
            return Err(StoreError::Account(format!(
                "task {task_id} is {}'s; a planner of {organisation} changes only its own",
                task.organisation
            )));
        }
        let mut e = ValidationErrors::default();
        match find_item(self, ItemKind::Activity, activity.trim())? {
            Some((_, Record::Activity(a))) => {
                if task.activities.contains(&a.local_id) {
                    e.add(
                        "activity",
                        format!("activity {} is linked to {task_id} already", a.local_id),
                    );
                } else {
                    task.activities.push(a.local_id);
                }
            }
            _ => e.add(
                "activity",
                format!(
                    "no activity `{activity}`; name an approved activity by its id or local id"
                ),
            ),
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        write(self, actor, &task, false, "planning.task.link")?;
        Ok(task)
    }

    fn task_actual(&self, task: &Task) -> Result<TaskActual> {
        let mut actual = TaskActual {
            start: None,
            end: None,
            released_m2: 0.0,
            days: 0,
            days_late: None,
        };
        let mut open = false;
        for id in &task.activities {
            let Some((_, Record::Activity(a))) = find_item(self, ItemKind::Activity, id)? else {
                continue;
            };
            actual.start = match (actual.start, a.start_date) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            actual.end = actual.end.max(a.end_date);
            if let (Some(s), Some(e)) = (a.start_date, a.end_date)
                && e >= s
            {
                actual.days += u32::try_from((e - s).num_days() + 1).unwrap_or(0);
            }
            open |= matches!(
                a.status,
                ActivityStatus::Planned | ActivityStatus::Ongoing | ActivityStatus::Suspended
            );
            if !matches!(a.status, ActivityStatus::Planned | ActivityStatus::Aborted) {
                for r in &a.released_areas {
                    let m2 = safeground_geo::geodesic_area(&r.geometry);
                    actual.released_m2 += if m2 > 0.0 {
                        m2
                    } else {
                        r.reported_area_m2.unwrap_or(0.0).max(0.0)
                    };
                }
            }
        }
        if !open && task.status == TaskStatus::Completed {
            actual.days_late = actual.end.map(|e| (e - task.planned_end).num_days());
        }
        Ok(actual)
    }

    fn planning_criteria(&self) -> Result<Option<SettingRow>> {
        self.setting_row(CRITERIA_KEY)
    }

    fn put_planning_criteria(&mut self, actor: &str, toml: &str) -> Result<()> {
        planner(self, actor)?;
        self.write_setting_row(actor, CRITERIA_KEY, toml)
    }

    fn planning_settings(&self) -> Result<PlanningSettings> {
        match self.setting_row(SETTINGS_KEY)? {
            Some((json, _, _)) => {
                serde_json::from_str(&json).map_err(|e| StoreError::corrupt("planning_setting", e))
            }
            None => Ok(PlanningSettings::default()),
        }
    }

    fn put_planning_settings(&mut self, actor: &str, settings: &PlanningSettings) -> Result<()> {
        planner(self, actor)?;
        let d = settings.days_per_year;
        if !(d.is_finite() && (1.0..=366.0).contains(&d)) {
            let mut e = ValidationErrors::default();
            e.add(
                "days_per_year",
                format!("{d} is not 1 to 366 working days a year"),
            );
            return Err(StoreError::Invalid(e));
        }
        let json =
            serde_json::to_string(settings).map_err(|e| StoreError::corrupt("settings", e))?;
        self.write_setting_row(actor, SETTINGS_KEY, &json)
    }

    fn planning_layers(&self) -> Result<Vec<LayerInfo>> {
        self.layer_rows()
    }

    fn planning_layer(&self, name: &str) -> Result<Option<String>> {
        self.layer_geojson(name)
    }

    fn put_planning_layer(
        &mut self,
        actor: &str,
        name: &str,
        geojson: &str,
        features: usize,
    ) -> Result<()> {
        planner(self, actor)?;
        let ok = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            let mut e = ValidationErrors::default();
            e.add(
                "name",
                format!("`{name}`: use 1–64 lower-case letters, digits or `_` (e.g. settlements)"),
            );
            return Err(StoreError::Invalid(e));
        }
        self.write_layer_row(actor, name, Some((geojson, features)))
            .map(|_| ())
    }

    fn delete_planning_layer(&mut self, actor: &str, name: &str) -> Result<bool> {
        planner(self, actor)?;
        self.write_layer_row(actor, name, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_move_along_the_workflow_only() {
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::from_code(s.code()), Some(s));
            assert!(!s.next().contains(&s));
        }
        assert!(TaskStatus::Completed.next().is_empty());
        assert!(!TaskStatus::Suspended.books_the_team());
        assert!(TaskStatus::InProgress.books_the_team());
    }

    #[test]
    fn task_ids_count_up_from_the_highest() {
        assert_eq!(next_task_id(&[]), "TASK-0001");
    }
}
