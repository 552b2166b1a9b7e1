//! Staged rows ([`crate::engine::staged`]) written on SQLite: each table's rows through one
//! cached prepared statement, inside the caller's transaction.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, params};

use super::approval::write_current;
use super::{Sql, fmt_date, fmt_time};
use crate::engine::staged::{BulkWrites, StagedRows};
use crate::{ReportId, Result, StoreError};

impl BulkWrites for Sql<'_> {
    fn last_item_number(&mut self, prefix: &str) -> Result<i64> {
        let last: Option<i64> = self
            .0
            .prepare_cached("SELECT last FROM id_counter WHERE prefix = ?1")?
            .query_row([prefix], |r| r.get(0))
            .optional()?;
        Ok(last.unwrap_or(0))
    }

    fn last_ids(&mut self) -> Result<(ReportId, i64)> {
        Ok(self.0.query_row(
            "SELECT (SELECT coalesce(max(id), 0) FROM report), \
             (SELECT coalesce(max(id), 0) FROM item_version)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    fn write_staged(&mut self, rows: &StagedRows) -> Result<()> {
        let conn = self.0;
        let mut insert = conn.prepare_cached(
            "INSERT INTO report (id, organisation, title, source, date_of_information, status, \
             body, created_by, created_at, submitted_by, submitted_at, decided_by, decided_at, \
             decision_comment, revision) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        for (r, body) in rows.reports.iter().zip(rows.bodies()?) {
            insert.execute(params![
                r.id,
                r.content.organisation,
                r.content.title,
                r.content.source,
                fmt_date(r.content.date_of_information),
                r.status.code(),
                body,
                r.created_by,
                fmt_time(r.created_at),
                r.submitted_by,
                r.submitted_at.map(fmt_time),
                r.decided_by,
                r.decided_at.map(fmt_time),
                r.decision_comment,
                r.revision,
            ])?;
            super::reports::write_personal(conn, r.id, &r.content.entries)?;
        }
        let mut insert = conn.prepare_cached(
            "INSERT INTO item (id, kind, local_id, created_by_report, uuid) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for i in &rows.items {
            insert.execute(params![i.id, i.kind.code(), i.local_id, i.report, i.uuid])?;
        }
        let mut insert = conn.prepare_cached(
            "INSERT INTO item_version (id, item_id, report_id, entry_index, valid_from, \
             recorded_at, record, geometry) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for v in &rows.versions {
            let stored = v.stored()?;
            insert.execute(params![
                v.id,
                v.version.item,
                v.version.report,
                v.entry_index as i64,
                fmt_date(v.version.valid_from),
                fmt_time(v.version.recorded_at),
                stored.json,
                stored.geometry,
            ])?;
        }
        for o in &rows.outbox {
            super::approval::append_outbox(conn, &o.item, o.version, o.revision)?;
        }
        let mut insert = conn.prepare_cached(
            "INSERT INTO item_link (version_id, from_item, field, to_item) \
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for l in &rows.links {
            insert.execute(params![l.version, l.from, l.field, l.to])?;
        }
        let mut insert = conn.prepare_cached(
            "INSERT INTO victim_personal_data (item_id, report_id, valid_from, recorded_at, \
             data) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for p in &rows.personal {
            let data = serde_json::to_string(&p.data)
                .map_err(|e| StoreError::corrupt("personal data", e))?;
            insert.execute(params![
                p.item,
                p.report,
                fmt_date(p.valid_from),
                fmt_time(p.recorded_at),
                data
            ])?;
        }
        // A hazard created in this batch has no current state to replace yet.
        let new: HashSet<&str> = rows.items.iter().map(|i| i.id.as_str()).collect();
        for (item, current) in rows.current_hazards() {
            if !new.contains(item) {
                super::approval::delete_current(conn, item)?;
            }
            if let Some((version, state)) = current {
                write_current(
                    conn,
                    state,
                    &fmt_date(version.valid_from),
                    &fmt_time(version.recorded_at),
                )?;
            }
        }
        let mut insert = conn.prepare_cached(
            "INSERT INTO id_counter (prefix, last) VALUES (?1, ?2) \
             ON CONFLICT (prefix) DO UPDATE SET last = excluded.last",
        )?;
        for (prefix, last) in &rows.counters {
            insert.execute(params![prefix, last])?;
        }
        let mut insert = conn.prepare_cached(
            "INSERT INTO audit (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for a in &rows.audit {
            insert.execute(params![
                fmt_time(a.at),
                a.actor,
                a.action,
                a.target,
                a.detail
            ])?;
        }
        Ok(())
    }
}
