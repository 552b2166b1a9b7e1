//! Report workflow on SQLite: draft, submit, reconcile/link, reject, read.

use super::{SqliteStore, audit, fmt_date, fmt_time, parse_date, parse_time};
use safeground_model::Record;

use crate::engine::body::{self, to_json};
use crate::engine::reports::{entry_mut, require_status, set_reference, validate_batch};
use crate::engine::stored_record;
use crate::reference::check_report;
use crate::validation::validate_report;
use crate::{
    NewReport, Reconcile, Report, ReportEntry, ReportFilter, ReportId, ReportStatus, ReportSummary,
    Result, StoreError,
};
use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, Row, params};

const REPORT_COLUMNS: &str = "id, organisation, title, source, date_of_information, status, body, \
     created_by, created_at, submitted_by, submitted_at, decided_by, decided_at, decision_comment, \
     revision";

/// A report row as stored, before its JSON and times are decoded.
struct RawReport {
    id: ReportId,
    organisation: Option<String>,
    title: String,
    source: Option<String>,
    date_of_information: String,
    status: String,
    body: String,
    created_by: String,
    created_at: String,
    submitted_by: Option<String>,
    submitted_at: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<String>,
    decision_comment: Option<String>,
    revision: i64,
}

impl RawReport {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(RawReport {
            id: row.get(0)?,
            organisation: row.get(1)?,
            title: row.get(2)?,
            source: row.get(3)?,
            date_of_information: row.get(4)?,
            status: row.get(5)?,
            body: row.get(6)?,
            created_by: row.get(7)?,
            created_at: row.get(8)?,
            submitted_by: row.get(9)?,
            submitted_at: row.get(10)?,
            decided_by: row.get(11)?,
            decided_at: row.get(12)?,
            decision_comment: row.get(13)?,
            revision: row.get(14)?,
        })
    }

    /// The report, its body read with `conn` ([`crate::engine::body`]).
    fn decode(self, conn: &Connection) -> Result<Report> {
        let id = self.id;
        let opt_time = |s: Option<String>| s.map(|s| parse_time(&s)).transpose();
        Ok(Report {
            id,
            status: ReportStatus::from_code(&self.status).ok_or_else(|| {
                StoreError::corrupt(format!("report {id}"), format!("status {}", self.status))
            })?,
            content: NewReport {
                organisation: self.organisation,
                title: self.title,
                source: self.source,
                date_of_information: parse_date(&self.date_of_information)?,
                entries: body::with_personal(
                    id,
                    body::from_json(id, &self.body, |version| version_record(conn, id, version))?,
                    read_personal(conn, id)?,
                )?,
            },
            created_by: self.created_by,
            created_at: parse_time(&self.created_at)?,
            submitted_by: self.submitted_by,
            submitted_at: opt_time(self.submitted_at)?,
            decided_by: self.decided_by,
            decided_at: opt_time(self.decided_at)?,
            decision_comment: self.decision_comment,
            revision: self.revision,
        })
    }
}

/// Reads one report inside any connection or transaction.
pub(crate) fn load_report(conn: &Connection, id: ReportId) -> Result<Report> {
    conn.query_row(
        &format!("SELECT {REPORT_COLUMNS} FROM report WHERE id = ?1"),
        [id],
        RawReport::from_row,
    )
    .optional()?
    .ok_or(StoreError::ReportNotFound(id))?
    .decode(conn)
}

/// The record of version `version`, named by report `report`'s body.
fn version_record(conn: &Connection, report: ReportId, version: i64) -> Result<Record> {
    let (json, geometry): (String, Option<Vec<u8>>) = conn
        .prepare_cached("SELECT record, geometry FROM item_version WHERE id = ?1")?
        .query_row([version], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| {
            StoreError::corrupt(
                format!("report {report} body"),
                format!("names version {version}, which does not exist"),
            )
        })?;
    stored_record::load(&json, geometry.as_deref(), &format!("version {version}"))
}

/// The personal data stored apart for report `id`'s entries: (entry index, JSON).
fn read_personal(conn: &Connection, id: ReportId) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT entry_index, data FROM report_personal_data WHERE report_id = ?1 \
         ORDER BY entry_index",
    )?;
    let rows = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Replaces the personal data stored apart for report `id` by those of `entries`.
pub(crate) fn write_personal(
    conn: &Connection,
    id: ReportId,
    entries: &[ReportEntry],
) -> Result<()> {
    conn.prepare_cached("DELETE FROM report_personal_data WHERE report_id = ?1")?
        .execute([id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO report_personal_data (report_id, entry_index, data) VALUES (?1, ?2, ?3)",
    )?;
    for (index, data) in body::personal_rows(entries)? {
        insert.execute(params![id, index, data])?;
    }
    Ok(())
}

/// Schema 5 → 6: personal data that report bodies held move to `report_personal_data`.
pub(crate) fn move_personal_data_out_of_bodies(conn: &Connection) -> Result<()> {
    let held: Vec<(ReportId, String)> = conn
        .prepare("SELECT id, body FROM report WHERE body LIKE '%\"personal_data\"%'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, text) in held {
        let mut entries: Vec<serde_json::Value> = serde_json::from_str(&text)
            .map_err(|e| StoreError::corrupt(format!("report {id} body"), e))?;
        for (index, entry) in entries.iter_mut().enumerate() {
            let Some(data) = entry
                .as_object_mut()
                .and_then(|e| e.remove("personal_data"))
            else {
                continue;
            };
            if !data.is_null() {
                conn.execute(
                    "INSERT OR REPLACE INTO report_personal_data (report_id, entry_index, data) \
                     VALUES (?1, ?2, ?3)",
                    params![
                        id,
                        i64::try_from(index).unwrap_or(i64::MAX),
                        data.to_string()
                    ],
                )?;
            }
        }
        let body = serde_json::to_string(&entries)
            .map_err(|e| StoreError::corrupt(format!("report {id} body"), e))?;
        conn.execute(
            "UPDATE report SET body = ?1 WHERE id = ?2",
            params![body, id],
        )?;
    }
    Ok(())
}

pub(crate) fn insert_report(
    conn: &Connection,
    actor: &str,
    report: &NewReport,
    status: ReportStatus,
) -> Result<ReportId> {
    let now = fmt_time(Utc::now());
    let submitted = (status == ReportStatus::Submitted).then_some(actor);
    conn.execute(
        "INSERT INTO report (organisation, title, source, date_of_information, status, body, \
         created_by, created_at, submitted_by, submitted_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            report.organisation,
            report.title,
            report.source,
            fmt_date(report.date_of_information),
            status.code(),
            to_json(&report.entries)?,
            actor,
            now,
            submitted,
            submitted.map(|_| now.clone()),
        ],
    )?;
    let id = conn.last_insert_rowid();
    write_personal(conn, id, &report.entries)?;
    audit(
        conn,
        actor,
        "report.create",
        &format!("report:{id}"),
        Some(&report.title),
    )?;
    if status == ReportStatus::Submitted {
        audit(conn, actor, "report.submit", &format!("report:{id}"), None)?;
    }
    Ok(id)
}

fn store_body(conn: &Connection, id: ReportId, entries: &[ReportEntry]) -> Result<()> {
    conn.execute(
        "UPDATE report SET body = ?1, revision = revision + 1 WHERE id = ?2",
        params![to_json(entries)?, id],
    )?;
    write_personal(conn, id, entries)?;
    Ok(())
}

impl SqliteStore {
    pub(crate) fn do_create_report(&mut self, actor: &str, report: &NewReport) -> Result<ReportId> {
        let tx = self.write_tx()?;
        let id = insert_report(&tx, actor, report, ReportStatus::Draft)?;
        tx.commit()?;
        Ok(id)
    }

    pub(crate) fn do_update_draft(
        &mut self,
        actor: &str,
        id: ReportId,
        report: &NewReport,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        let current = load_report(&tx, id)?;
        require_status(&current, ReportStatus::Draft, "editing")?;
        tx.execute(
            "UPDATE report SET organisation = ?1, title = ?2, source = ?3, \
             date_of_information = ?4, body = ?5, revision = revision + 1 WHERE id = ?6",
            params![
                report.organisation,
                report.title,
                report.source,
                fmt_date(report.date_of_information),
                to_json(&report.entries)?,
                id
            ],
        )?;
        write_personal(&tx, id, &report.entries)?;
        audit(&tx, actor, "report.update", &format!("report:{id}"), None)?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn do_submit_report(&mut self, actor: &str, id: ReportId) -> Result<()> {
        let tx = self.write_tx()?;
        let report = load_report(&tx, id)?;
        require_status(&report, ReportStatus::Draft, "submission")?;
        let catalogue = super::reference::catalogue(&tx)?;
        validate_report(&report.content, Utc::now().date_naive())
            .and_then(|()| check_report(catalogue.as_ref(), &report.content))
            .map_err(StoreError::Invalid)?;
        tx.execute(
            "UPDATE report SET status = 'submitted', submitted_by = ?1, submitted_at = ?2, \
             revision = revision + 1 \
             WHERE id = ?3",
            params![actor, fmt_time(Utc::now()), id],
        )?;
        audit(&tx, actor, "report.submit", &format!("report:{id}"), None)?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn do_submit_batch(
        &mut self,
        actor: &str,
        reports: &[NewReport],
    ) -> Result<Vec<ReportId>> {
        let catalogue = super::reference::catalogue(&self.conn)?;
        validate_batch(reports, Utc::now().date_naive(), catalogue.as_ref())?;
        let tx = self.write_tx()?;
        let ids = reports
            .iter()
            .map(|r| insert_report(&tx, actor, r, ReportStatus::Submitted))
            .collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(ids)
    }

    pub(crate) fn do_reconcile_entry(
        &mut self,
        actor: &str,
        id: ReportId,
        entry: usize,
        reconcile: Reconcile,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        let mut report = load_report(&tx, id)?;
        require_status(&report, ReportStatus::Submitted, "reconciliation")?;
        let detail = serde_json::to_string(&reconcile).unwrap_or_default();
        entry_mut(&mut report, entry)?.reconcile = reconcile;
        store_body(&tx, id, &report.content.entries)?;
        audit(
            &tx,
            actor,
            "report.reconcile",
            &format!("report:{id}"),
            Some(&format!("entry {entry}: {detail}")),
        )?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn do_link_entry(
        &mut self,
        actor: &str,
        id: ReportId,
        entry: usize,
        field: &str,
        target: &str,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        let mut report = load_report(&tx, id)?;
        require_status(&report, ReportStatus::Submitted, "linking")?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM item WHERE id = ?1)",
            [target],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(StoreError::Reconcile {
                entry,
                field: field.into(),
                message: format!("item {target} does not exist"),
            });
        }
        let e = entry_mut(&mut report, entry)?;
        e.record = set_reference(&e.record, entry, field, target)?;
        store_body(&tx, id, &report.content.entries)?;
        audit(
            &tx,
            actor,
            "report.link",
            &format!("report:{id}"),
            Some(&format!("entry {entry}: {field} -> {target}")),
        )?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn do_reject_report(
        &mut self,
        actor: &str,
        id: ReportId,
        comment: &str,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        let report = load_report(&tx, id)?;
        require_status(&report, ReportStatus::Submitted, "rejection")?;
        tx.execute(
            "UPDATE report SET status = 'rejected', decided_by = ?1, decided_at = ?2, \
             decision_comment = ?3, revision = revision + 1 WHERE id = ?4",
            params![actor, fmt_time(Utc::now()), comment, id],
        )?;
        audit(
            &tx,
            actor,
            "report.reject",
            &format!("report:{id}"),
            Some(comment),
        )?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn do_list_reports(&self, filter: &ReportFilter) -> Result<Vec<ReportSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, status, organisation, title, date_of_information, \
             json_array_length(body), created_by, created_at, revision FROM report \
             WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR organisation = ?2) \
             AND id > ?3 ORDER BY id LIMIT ?4",
        )?;
        let limit = i64::try_from(filter.limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(
                params![
                    filter.status.map(|s| s.code()),
                    filter.organisation,
                    filter.after.unwrap_or(0),
                    limit
                ],
                |r| {
                    Ok((
                        r.get::<_, ReportId>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, i64>(8)?,
                    ))
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(
                |(id, status, organisation, title, date, n, by, at, revision)| {
                    Ok(ReportSummary {
                        id,
                        status: ReportStatus::from_code(&status).ok_or_else(|| {
                            StoreError::corrupt(format!("report {id}"), format!("status {status}"))
                        })?,
                        organisation,
                        title,
                        date_of_information: parse_date(&date)?,
                        entries: usize::try_from(n).unwrap_or(0),
                        created_by: by,
                        created_at: parse_time(&at)?,
                        revision,
                    })
                },
            )
            .collect()
    }

    pub(crate) fn do_reports_with_status(&self, status: ReportStatus) -> Result<Vec<ReportId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM report WHERE status = ?1 ORDER BY id")?;
        let ids = stmt
            .query_map([status.code()], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }
}
