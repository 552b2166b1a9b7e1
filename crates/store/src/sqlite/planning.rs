//! Rows of operations planning on SQLite ([`crate::planning`]).

use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, audit, fmt_date, fmt_time, parse_time};
use crate::planning::{LayerInfo, PlanningRows, SettingRow, TaskRow};
use crate::{Result, StoreError};

impl PlanningRows for SqliteStore {
    fn task_rows(&self, task_id: Option<&str>) -> Result<Vec<String>> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT task FROM planning_task WHERE ?1 IS NULL OR task_id = ?1 ORDER BY task_id",
        )?;
        let rows = stmt
            .query_map([task_id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    fn write_task_row(
        &mut self,
        actor: &str,
        row: &TaskRow<'_>,
        new: bool,
        action: &str,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        let (start, end) = (fmt_date(row.planned_start), fmt_date(row.planned_end));
        if row.books {
            let other: Option<(String, String, String)> = tx
                .query_row(
                    "SELECT task_id, planned_start, planned_end FROM planning_task \
                     WHERE team = ?1 AND task_id <> ?2 AND books = 1 \
                     AND planned_start <= ?4 AND planned_end >= ?3 \
                     ORDER BY planned_start LIMIT 1",
                    params![row.team, row.task_id, start, end],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            if let Some((other, from, to)) = other {
                return Err(StoreError::Clash(format!(
                    "team {} is booked from {from} to {to} by {other}; choose other days or \
                     another team, or suspend or complete {other} first",
                    row.team
                )));
            }
        }
        let now = fmt_time(chrono::Utc::now());
        if new {
            tx.execute(
                "INSERT INTO planning_task (task_id, team, status, planned_start, planned_end, \
                 books, task, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    row.task_id,
                    row.team,
                    row.status,
                    start,
                    end,
                    row.books,
                    row.json,
                    now
                ],
            )?;
        } else {
            tx.execute(
                "UPDATE planning_task SET status = ?2, books = ?3, task = ?4, updated_at = ?5 \
                 WHERE task_id = ?1",
                params![row.task_id, row.status, row.books, row.json, now],
            )?;
        }
        audit(&tx, actor, action, row.task_id, Some(row.status))?;
        tx.commit()?;
        Ok(())
    }

    fn setting_row(&self, key: &str) -> Result<Option<SettingRow>> {
        let row: Option<(String, String, String)> = self
            .connection()
            .query_row(
                "SELECT value, updated_at, updated_by FROM planning_setting WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        row.map(|(v, at, by)| Ok((v, parse_time(&at)?, by)))
            .transpose()
    }

    fn write_setting_row(&mut self, actor: &str, key: &str, value: &str) -> Result<()> {
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO planning_setting (key, value, updated_at, updated_by) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key) DO UPDATE SET value = excluded.value, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            params![key, value, fmt_time(chrono::Utc::now()), actor],
        )?;
        audit(&tx, actor, &format!("planning.{key}"), key, None)?;
        tx.commit()?;
        Ok(())
    }

    fn layer_rows(&self) -> Result<Vec<LayerInfo>> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT name, features, imported_by, imported_at FROM planning_layer ORDER BY name",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(name, n, by, at)| {
                Ok(LayerInfo {
                    name,
                    features: usize::try_from(n).unwrap_or(0),
                    imported_by: by,
                    imported_at: parse_time(&at)?,
                })
            })
            .collect()
    }

    fn layer_geojson(&self, name: &str) -> Result<Option<String>> {
        Ok(self
            .connection()
            .query_row(
                "SELECT geojson FROM planning_layer WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn write_layer_row(
        &mut self,
        actor: &str,
        name: &str,
        layer: Option<(&str, usize)>,
    ) -> Result<bool> {
        let tx = self.write_tx()?;
        let changed = match layer {
            Some((geojson, n)) => tx.execute(
                "INSERT INTO planning_layer (name, features, geojson, imported_at, imported_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE SET \
                 features = excluded.features, geojson = excluded.geojson, \
                 imported_at = excluded.imported_at, imported_by = excluded.imported_by",
                params![
                    name,
                    i64::try_from(n).unwrap_or(i64::MAX),
                    geojson,
                    fmt_time(chrono::Utc::now()),
                    actor
                ],
            )?,
            None => tx.execute("DELETE FROM planning_layer WHERE name = ?1", [name])?,
        };
        if changed == 0 {
            // Nothing to delete: nothing written, nothing audited.
            return Ok(false);
        }
        let action = if layer.is_some() {
            "planning.layer"
        } else {
            "planning.layer.delete"
        };
        audit(&tx, actor, action, name, None)?;
        tx.commit()?;
        Ok(changed > 0)
    }
}
