//! Task orders over HTTP: the teams with their capacity, tasks with planned against actual,
//! new tasks (a team is never booked twice: 409 names the other task), status changes along
//! the workflow and activities linked to a task. Planners and administrators write; every
//! user reads.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use safeground_model::{ItemKind, Record};
use safeground_planning::productivity::Distribution;
use safeground_planning::programme::{release_rates, team_asset, work_samples};
use safeground_store::planning::{NewTask, Task, TaskStatus};
use safeground_store::{Backend, Flow};
use serde::{Deserialize, Serialize};

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

use super::planning::planner;

/// A task with what its linked activities did and the statuses it may move to.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TaskDoc {
    /// The task order.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    task: Task,
    /// Statuses it may move to.
    next: Vec<&'static str>,
    /// Planned against actual.
    #[schema(value_type = Object)]
    actual: safeground_store::planning::TaskActual,
}

fn doc(store: &dyn Backend, task: Task) -> ApiResult<TaskDoc> {
    Ok(TaskDoc {
        next: task.status.next().iter().map(|s| s.code()).collect(),
        actual: store.task_actual(&task)?,
        task,
    })
}

/// Every task order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TasksDoc {
    tasks: Vec<TaskDoc>,
}

/// Every task order, by id, with planned against actual.
#[utoipa::path(get, path = "/api/planning/tasks", operation_id = "planning_tasks",
    tag = "planning", responses((status = 200, body = TasksDoc),
                                (status = 401, body = crate::error::Problem)))]
pub async fn tasks(State(state): State<AppState>, who: Principal) -> ApiResult<Json<TasksDoc>> {
    who.require(Permission::Read)?;
    let tasks = state
        .db
        .read(|s| {
            (s.tasks()?.into_iter())
                .map(|t| doc(s, t))
                .collect::<ApiResult<Vec<_>>>()
        })
        .await?;
    Ok(Json(TasksDoc { tasks }))
}

/// Adds a task order (planners): 409 when the team is booked on those days, 422 naming each
/// field (closed hazard, unknown team, an asset the team lacks, end before start).
#[utoipa::path(post, path = "/api/planning/tasks", operation_id = "planning_add_task",
    tag = "planning", request_body = Object,
    responses((status = 201, body = TaskDoc), (status = 403, body = crate::error::Problem),
              (status = 409, description = "The team is booked on those days", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn add_task(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(task): ApiJson<NewTask>,
) -> ApiResult<Response> {
    planner(&who)?;
    let added = state
        .db
        .write(move |s| {
            let t = s.add_task(&who.username, &task)?;
            doc(s, t)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(added)).into_response())
}

/// A status change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusDoc {
    /// planned, issued, in_progress, suspended or completed.
    status: String,
    /// Why (optional).
    #[serde(default)]
    comment: Option<String>,
}

/// Moves a task to another status (planners).
#[utoipa::path(post, path = "/api/planning/tasks/{id}/status", operation_id = "planning_task_status",
    tag = "planning", request_body = StatusDoc, params(("id" = String, Path, description = "Task id")),
    responses((status = 200, body = TaskDoc), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "Resuming would book the team twice", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn status(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StatusDoc>,
) -> ApiResult<Json<TaskDoc>> {
    planner(&who)?;
    let status = TaskStatus::from_code(body.status.trim()).ok_or_else(|| {
        ApiError::field(
            "status",
            format!(
                "unknown status `{}`; use planned, issued, in_progress, suspended or completed",
                body.status
            ),
        )
    })?;
    let t = state
        .db
        .write(move |s| {
            if s.task(&id)?.is_none() {
                return Err(ApiError::not_found(format!("no task {id}")));
            }
            let t = s.set_task_status(&who.username, &id, status, body.comment.as_deref())?;
            doc(s, t)
        })
        .await?;
    Ok(Json(t))
}

/// An activity reporting on a task.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkDoc {
    /// Activity item id or local id.
    activity: String,
}

/// Links an approved activity to a task (planners): its dates and released land become the
/// task's actual.
#[utoipa::path(post, path = "/api/planning/tasks/{id}/activities", operation_id = "planning_task_link",
    tag = "planning", request_body = LinkDoc, params(("id" = String, Path, description = "Task id")),
    responses((status = 200, body = TaskDoc), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn link(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<LinkDoc>,
) -> ApiResult<Json<TaskDoc>> {
    planner(&who)?;
    let t = state
        .db
        .write(move |s| {
            if s.task(&id)?.is_none() {
                return Err(ApiError::not_found(format!("no task {id}")));
            }
            let t = s.link_task_activity(&who.username, &id, &body.activity)?;
            doc(s, t)
        })
        .await?;
    Ok(Json(t))
}

/// A team and its capacity.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TeamDoc {
    /// Local id.
    team: String,
    /// Name.
    name: String,
    /// Organisation (local id).
    organisation: String,
    /// Team type code.
    team_type: String,
    /// Its assets.
    #[schema(value_type = Vec<Object>)]
    assets: Vec<safeground_model::Asset>,
    /// The asset type its output is measured by.
    asset_type: Option<String>,
    /// Median m² per working day of that asset type (clearance and technical survey).
    capacity_m2_per_day: Option<f64>,
    /// Whether it releases land (counts in forecasts).
    releases_land: bool,
}

/// The teams.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TeamsDoc {
    teams: Vec<TeamDoc>,
}

/// Every team with its assets and capacity (median m² per working day of its asset type).
#[utoipa::path(get, path = "/api/planning/teams", operation_id = "planning_teams",
    tag = "planning", responses((status = 200, body = TeamsDoc),
                                (status = 401, body = crate::error::Problem)))]
pub async fn teams(State(state): State<AppState>, who: Principal) -> ApiResult<Json<TeamsDoc>> {
    who.require(Permission::Read)?;
    let teams = state
        .db
        .read(|s| {
            let rates = release_rates(&work_samples(s).map_err(ApiError::internal)?);
            let median: BTreeMap<String, f64> = rates
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), Distribution::of(v)?.median)))
                .collect();
            let mut orgs = BTreeMap::new();
            s.for_each_current(ItemKind::Organisation, None, &mut |v| {
                orgs.insert(v.item, v.record.local_id().to_owned());
                Ok(Flow::Continue)
            })?;
            let releasing = safeground_planning::programme::land_release_teams(s, 1.0)
                .map_err(ApiError::internal)?;
            let mut out = Vec::new();
            s.for_each_current(ItemKind::Team, None, &mut |v| {
                if let Record::Team(t) = v.record {
                    let asset = team_asset(t.team_type, &t.assets).map(|a| a.code().to_owned());
                    out.push(TeamDoc {
                        capacity_m2_per_day: asset.as_ref().and_then(|a| median.get(a).copied()),
                        releases_land: releasing.iter().any(|r| r.team == t.local_id),
                        organisation: orgs.get(&t.organisation).cloned().unwrap_or(t.organisation),
                        team: t.local_id,
                        name: t.name,
                        team_type: t.team_type.code().to_owned(),
                        assets: t.assets,
                        asset_type: asset,
                    });
                }
                Ok(Flow::Continue)
            })?;
            Ok(out)
        })
        .await?;
    Ok(Json(TeamsDoc { teams }))
}
