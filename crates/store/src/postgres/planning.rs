//! Rows of operations planning on PostgreSQL ([`crate::planning`]).

use chrono::{DateTime, Utc};

use super::{Doing, PostgresStore, audit};
use crate::planning::{LayerInfo, PlanningRows, SettingRow, TaskRow};
use crate::{Result, StoreError};

impl PlanningRows for PostgresStore {
    fn task_rows(&self, task_id: Option<&str>) -> Result<Vec<String>> {
        let rows = self
            .client()?
            .query(
                "SELECT task FROM planning_task WHERE $1::text IS NULL OR task_id = $1 \
                 ORDER BY task_id",
                &[&task_id],
            )
            .doing("reading the task orders")?;
        Ok(rows.into_iter().map(|r| r.get(0)).collect())
    }

    fn write_task_row(
        &mut self,
        actor: &str,
        row: &TaskRow<'_>,
        new: bool,
        action: &str,
    ) -> Result<()> {
        let mut tx = self.write_tx()?;
        // One writer of task orders at a time: two planners booking the same team at once
        // cannot both pass the check below.
        tx.batch_execute("LOCK TABLE planning_task IN SHARE ROW EXCLUSIVE MODE")
            .doing("locking the task orders")?;
        if row.books {
            let other = tx
                .query_opt(
                    "SELECT task_id, planned_start, planned_end FROM planning_task \
                     WHERE team = $1 AND task_id <> $2 AND books \
                     AND planned_start <= $4 AND planned_end >= $3 \
                     ORDER BY planned_start LIMIT 1",
                    &[
                        &row.team,
                        &row.task_id,
                        &row.planned_start,
                        &row.planned_end,
                    ],
                )
                .doing("checking the team's bookings")?;
            if let Some(r) = other {
                let (other, from, to): (String, chrono::NaiveDate, chrono::NaiveDate) =
                    (r.get(0), r.get(1), r.get(2));
                return Err(StoreError::Clash(format!(
                    "team {} is booked from {from} to {to} by {other}; choose other days or \
                     another team, or suspend or complete {other} first",
                    row.team
                )));
            }
        }
        if new {
            tx.execute(
                "INSERT INTO planning_task (task_id, team, status, planned_start, planned_end, \
                 books, task, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    &row.task_id,
                    &row.team,
                    &row.status,
                    &row.planned_start,
                    &row.planned_end,
                    &row.books,
                    &row.json,
                    &Utc::now(),
                ],
            )
        } else {
            tx.execute(
                "UPDATE planning_task SET status = $2, books = $3, task = $4, updated_at = $5 \
                 WHERE task_id = $1",
                &[
                    &row.task_id,
                    &row.status,
                    &row.books,
                    &row.json,
                    &Utc::now(),
                ],
            )
        }
        .doing("writing a task order")?;
        audit(&mut tx, actor, action, row.task_id, Some(row.status))?;
        tx.commit().doing("committing a task order")?;
        Ok(())
    }

    fn setting_row(&self, key: &str) -> Result<Option<SettingRow>> {
        let row = self
            .client()?
            .query_opt(
                "SELECT value, updated_at, updated_by FROM planning_setting WHERE key = $1",
                &[&key],
            )
            .doing("reading a planning setting")?;
        Ok(row.map(|r| (r.get(0), r.get::<_, DateTime<Utc>>(1), r.get(2))))
    }

    fn write_setting_row(&mut self, actor: &str, key: &str, value: &str) -> Result<()> {
        let mut tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO planning_setting (key, value, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            &[&key, &value, &Utc::now(), &actor],
        )
        .doing("writing a planning setting")?;
        audit(&mut tx, actor, &format!("planning.{key}"), key, None)?;
        tx.commit().doing("committing a planning setting")?;
        Ok(())
    }

    fn layer_rows(&self) -> Result<Vec<LayerInfo>> {
        let rows = self
            .client()?
            .query(
                "SELECT name, features, imported_by, imported_at FROM planning_layer \
                 ORDER BY name",
                &[],
            )
            .doing("reading the planning layers")?;
        Ok(rows
            .into_iter()
            .map(|r| LayerInfo {
                name: r.get(0),
                features: usize::try_from(r.get::<_, i64>(1)).unwrap_or(0),
                imported_by: r.get(2),
                imported_at: r.get(3),
            })
            .collect())
    }

    fn layer_geojson(&self, name: &str) -> Result<Option<String>> {
        let row = self
            .client()?
            .query_opt(
                "SELECT geojson FROM planning_layer WHERE name = $1",
                &[&name],
            )
            .doing("reading a planning layer")?;
        Ok(row.map(|r| r.get(0)))
    }

    fn write_layer_row(
        &mut self,
        actor: &str,
        name: &str,
        layer: Option<(&str, usize)>,
    ) -> Result<bool> {
        let mut tx = self.write_tx()?;
        let changed = match layer {
            Some((geojson, n)) => tx.execute(
                "INSERT INTO planning_layer (name, features, geojson, imported_at, imported_by) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET \
                 features = excluded.features, geojson = excluded.geojson, \
                 imported_at = excluded.imported_at, imported_by = excluded.imported_by",
                &[
                    &name,
                    &i64::try_from(n).unwrap_or(i64::MAX),
                    &geojson,
                    &Utc::now(),
                    &actor,
                ],
            ),
            None => tx.execute("DELETE FROM planning_layer WHERE name = $1", &[&name]),
        }
        .doing("writing a planning layer")?;
        if changed == 0 {
            // Nothing to delete: nothing written, nothing audited.
            return Ok(false);
        }
        let action = if layer.is_some() {
            "planning.layer"
        } else {
            "planning.layer.delete"
        };
        audit(&mut tx, actor, action, name, None)?;
        tx.commit().doing("committing a planning layer")?;
        Ok(changed > 0)
    }
}
