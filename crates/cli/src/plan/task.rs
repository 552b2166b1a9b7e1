//! `safeground plan task`: task orders from the command line (add, list with planned against
//! actual, status, link an activity).

use std::io::Write;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Subcommand;
use safeground_model::{ActivityType, AssetType};
use safeground_store::Location;
use safeground_store::planning::{NewTask, TaskStatus};

use super::{Actor, date, open};

/// Actions of `safeground plan task`.
#[derive(Subcommand, Debug)]
pub enum TaskCommand {
    /// Add a task order.
    Add {
        /// Database.
        db: Location,
        #[command(flatten)]
        actor: Actor,
        /// Task id (default: the next TASK-NNNN).
        #[arg(long)]
        id: Option<String>,
        /// Team (id or local id).
        #[arg(long)]
        team: String,
        /// Hazard (id or local id), repeatable.
        #[arg(long = "hazard", required = true)]
        hazards: Vec<String>,
        /// The work: an activity type (nts, ts, clearance, bac, ...).
        #[arg(long)]
        method: String,
        /// An asset type the team deploys, repeatable.
        #[arg(long = "asset")]
        assets: Vec<String>,
        /// First planned day.
        #[arg(long)]
        start: NaiveDate,
        /// Last planned day.
        #[arg(long)]
        end: NaiveDate,
        /// Comment.
        #[arg(long)]
        comment: Option<String>,
    },
    /// List the task orders with planned against actual.
    List {
        /// Database.
        db: Location,
    },
    /// Move a task to another status.
    Status {
        /// Database.
        db: Location,
        #[command(flatten)]
        actor: Actor,
        /// Task id.
        task: String,
        /// planned, issued, in_progress, suspended or completed.
        status: String,
        /// Why.
        #[arg(long)]
        comment: Option<String>,
    },
    /// Link an approved activity reporting on a task.
    Link {
        /// Database.
        db: Location,
        #[command(flatten)]
        actor: Actor,
        /// Task id.
        task: String,
        /// Activity (id or local id).
        activity: String,
    },
}

/// Runs `safeground plan task`.
pub fn run(action: TaskCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match action {
        TaskCommand::Add {
            db,
            actor,
            id,
            team,
            hazards,
            method,
            assets,
            start,
            end,
            comment,
        } => {
            let method: ActivityType = method
                .parse()
                .map_err(|e: safeground_model::UnknownValue| anyhow::anyhow!("--method: {e}"))?;
            let assets = assets
                .iter()
                .map(|a| {
                    a.parse::<AssetType>()
                        .map_err(|e| anyhow::anyhow!("--asset: {e}"))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let t = open(&db)?.add_task(
                &actor.actor,
                &NewTask {
                    task_id: id,
                    team,
                    hazards,
                    method,
                    assets,
                    planned_start: start,
                    planned_end: end,
                    comment,
                },
            )?;
            writeln!(
                out,
                "{}: {} on {} from {} to {} ({})",
                t.task_id,
                t.team,
                t.hazard_local_ids.join(", "),
                t.planned_start,
                t.planned_end,
                t.status
            )?;
            Ok(())
        }
        TaskCommand::List { db } => {
            let store = open(&db)?;
            writeln!(
                out,
                "{:<10} {:<28} {:<11} {:<12} {:<12} {:<12} {:<12} {:>12} {:>5}",
                "task",
                "team",
                "status",
                "start",
                "end",
                "actual from",
                "actual to",
                "released_m2",
                "late"
            )?;
            for t in store.tasks()? {
                let a = store.task_actual(&t)?;
                writeln!(
                    out,
                    "{:<10} {:<28} {:<11} {:<12} {:<12} {:<12} {:<12} {:>12.0} {:>5}",
                    t.task_id,
                    t.team,
                    t.status.code(),
                    t.planned_start,
                    t.planned_end,
                    date(a.start),
                    date(a.end),
                    a.released_m2,
                    a.days_late.map_or("–".into(), |d| d.to_string())
                )?;
            }
            Ok(())
        }
        TaskCommand::Status {
            db,
            actor,
            task,
            status,
            comment,
        } => {
            let s = TaskStatus::from_code(status.trim()).with_context(|| {
                format!("unknown status `{status}`; use planned, issued, in_progress, suspended or completed")
            })?;
            let t = open(&db)?.set_task_status(&actor.actor, &task, s, comment.as_deref())?;
            writeln!(out, "{}: {}", t.task_id, t.status)?;
            Ok(())
        }
        TaskCommand::Link {
            db,
            actor,
            task,
            activity,
        } => {
            let t = open(&db)?.link_task_activity(&actor.actor, &task, &activity)?;
            writeln!(out, "{}: activities {}", t.task_id, t.activities.join(", "))?;
            Ok(())
        }
    }
}
