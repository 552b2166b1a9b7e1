//! Task orders and what planning keeps besides them.

use chrono::{DateTime, NaiveDate, Utc};
use safeground_model::{ActivityType, AssetType};
use serde::{Deserialize, Serialize};

/// Where a task order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Planned, not yet given to the operator.
    Planned,
    /// Issued to the operator.
    Issued,
    /// Work has started.
    InProgress,
    /// Work stopped for a while (weather, access, security).
    Suspended,
    /// Work finished.
    Completed,
}

impl TaskStatus {
    /// Every status, in workflow order.
    pub const ALL: [TaskStatus; 5] = [
        TaskStatus::Planned,
        TaskStatus::Issued,
        TaskStatus::InProgress,
        TaskStatus::Suspended,
        TaskStatus::Completed,
    ];

    /// Stable code (stored, CLI, API).
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Planned => "planned",
            TaskStatus::Issued => "issued",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Suspended => "suspended",
            TaskStatus::Completed => "completed",
        }
    }

    /// The status of a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether a team on a task in this status is booked for its dates (a suspended task frees
    /// its team for other work).
    pub fn books_the_team(self) -> bool {
        matches!(
            self,
            TaskStatus::Planned | TaskStatus::Issued | TaskStatus::InProgress
        )
    }

    /// The statuses a task may move to from this one.
    pub fn next(self) -> &'static [TaskStatus] {
        use TaskStatus::*;
        match self {
            Planned => &[Issued],
            Issued => &[InProgress, Suspended, Planned],
            InProgress => &[Suspended, Completed],
            Suspended => &[InProgress, Completed],
            Completed => &[],
        }
    }
}

impl std::fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A task order to write.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    /// Task id (`TASK-0007`); given the next free number when absent.
    #[serde(default)]
    pub task_id: Option<String>,
    /// The team (item id or local id).
    pub team: String,
    /// The hazards to work on (item ids or local ids), at least one.
    pub hazards: Vec<String>,
    /// The work: an activity type (nts, ts, clearance, bac, ...).
    pub method: ActivityType,
    /// The team's assets deployed (each a type the team has).
    #[serde(default)]
    pub assets: Vec<AssetType>,
    /// First planned day.
    pub planned_start: NaiveDate,
    /// Last planned day.
    pub planned_end: NaiveDate,
    /// Free comment.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A change of a task's status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskStatusChange {
    /// New status.
    pub status: TaskStatus,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: String,
    /// Why (optional).
    #[serde(default)]
    pub comment: Option<String>,
}

/// A task order as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Task id.
    pub task_id: String,
    /// Team local id.
    pub team: String,
    /// The team's organisation (local id).
    pub organisation: String,
    /// Hazards (item ids).
    pub hazards: Vec<String>,
    /// Their local ids, in the same order.
    pub hazard_local_ids: Vec<String>,
    /// The work.
    pub method: ActivityType,
    /// Assets deployed.
    pub assets: Vec<AssetType>,
    /// First planned day.
    pub planned_start: NaiveDate,
    /// Last planned day.
    pub planned_end: NaiveDate,
    /// Status.
    pub status: TaskStatus,
    /// Every status change, oldest first (the first is the creation).
    pub history: Vec<TaskStatusChange>,
    /// Activities reporting on the task (local ids).
    pub activities: Vec<String>,
    /// Free comment.
    pub comment: Option<String>,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// What the linked activities did, against the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskActual {
    /// First day of work reported.
    pub start: Option<NaiveDate>,
    /// Last day of work reported.
    pub end: Option<NaiveDate>,
    /// Land released by the linked activities, m² (geodesic).
    pub released_m2: f64,
    /// Working days reported (start to end of each activity, summed).
    pub days: u32,
    /// Days the work ended after the planned end (negative: early); None while not ended.
    pub days_late: Option<i64>,
}

/// An imported layer (settlements, roads, community requests) criteria measure against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerInfo {
    /// Name criteria use.
    pub name: String,
    /// Number of features.
    pub features: usize,
    /// Who imported it.
    pub imported_by: String,
    /// When.
    pub imported_at: DateTime<Utc>,
}

/// Planning settings: the Article 5 deadline forecasts are measured against and the working
/// days per year a team is counted for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanningSettings {
    /// The Article 5 (or national plan) deadline.
    pub article5_deadline: Option<NaiveDate>,
    /// Working days per team per year (1–366).
    pub days_per_year: f64,
}

impl Default for PlanningSettings {
    fn default() -> Self {
        Self {
            article5_deadline: None,
            days_per_year: 220.0,
        }
    }
}
