//! Field submissions and attachments on SQLite ([`crate::field`]).

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};
use safeground_model::ItemKind;

use super::reports::{insert_report, load_report};
use super::{SqliteStore, audit, fmt_time, parse_time};
use crate::field::{
    self, Attachment, FieldFile, FieldStore, FieldSubmission, FileRow, RawAttachment,
    SubmissionOutcome,
};
use crate::{ReportId, ReportStatus, Result};

const COLUMNS: &str = "a.id, a.report_id, a.entry_index, a.kind, a.local_id, a.name, \
     a.media_type, a.size, a.sha256, a.caption, a.created_by, a.created_at";

/// The attachments a query over `attachment a` selects (its [`COLUMNS`]).
fn read(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Attachment>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map(params, |r| {
            let raw: RawAttachment = (
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
            );
            Ok((raw, r.get::<_, String>(11)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(raw, at)| field::decode(raw, parse_time(&at)?))
        .collect()
}

fn stored(conn: &Connection, uuid: &str) -> Result<Option<(ReportId, String)>> {
    Ok(conn
        .prepare_cached("SELECT report_id, digest FROM field_submission WHERE uuid = ?1")?
        .query_row([uuid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Writes `rows` as attachments of report `id`, stored by `actor` at `now`.
fn insert_files(
    conn: &Connection,
    id: ReportId,
    actor: &str,
    now: &str,
    rows: &[FileRow<'_>],
) -> Result<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO attachment (report_id, entry_index, kind, local_id, name, media_type, \
         size, sha256, caption, bytes, created_by, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for row in rows {
        insert.execute(params![
            id,
            row.entry,
            row.kind,
            row.local_id,
            row.file.name,
            row.file.media_type,
            row.size,
            row.sha256,
            row.file.caption,
            row.file.bytes,
            actor,
            now,
        ])?;
    }
    Ok(())
}

impl FieldStore for SqliteStore {
    fn submit_field(&mut self, actor: &str, s: &FieldSubmission<'_>) -> Result<SubmissionOutcome> {
        // A retry needs no validation (its report may no longer pass today's rules).
        if let Some(before) = stored(&self.conn, s.uuid)? {
            return field::already(s.uuid, s.digest, before);
        }
        let catalogue = super::reference::catalogue(&self.conn)?;
        let rows = field::validate(s, Utc::now().date_naive(), catalogue.as_ref())?;
        let tx = self.write_tx()?;
        // Stored meanwhile by another connection: decided under the writer lock.
        if let Some(before) = stored(&tx, s.uuid)? {
            return field::already(s.uuid, s.digest, before);
        }
        let id = insert_report(&tx, actor, s.report, ReportStatus::Submitted)?;
        let now = fmt_time(Utc::now());
        insert_files(&tx, id, actor, &now, &rows)?;
        tx.execute(
            "INSERT INTO field_submission (uuid, report_id, digest, form_version, created_by, \
             received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![s.uuid, id, s.digest, s.form_version, actor, now],
        )?;
        audit(
            &tx,
            actor,
            "field.submission",
            &format!("report:{id}"),
            Some(&field::audit_detail(s.uuid, id, rows.len())),
        )?;
        tx.commit()?;
        Ok(SubmissionOutcome::Created(id))
    }

    fn field_submission(&self, uuid: &str) -> Result<Option<(ReportId, String)>> {
        stored(&self.conn, uuid)
    }

    fn attachments(&self, report: ReportId) -> Result<Vec<Attachment>> {
        read(
            &self.conn,
            &format!(
                "SELECT {COLUMNS} FROM attachment a WHERE a.report_id = ?1 \
                 ORDER BY a.entry_index, a.id"
            ),
            [report],
        )
    }

    fn item_attachments(&self, kind: ItemKind, local_id: &str) -> Result<Vec<Attachment>> {
        read(
            &self.conn,
            &format!(
                "SELECT {COLUMNS} FROM attachment a JOIN report r ON r.id = a.report_id \
                 WHERE a.kind = ?1 AND a.local_id = ?2 AND r.status = 'approved' \
                 ORDER BY a.created_at DESC, a.id DESC"
            ),
            params![kind.code(), local_id],
        )
    }

    fn attachment(&self, id: i64) -> Result<(Attachment, Vec<u8>)> {
        let found = read(
            &self.conn,
            &format!("SELECT {COLUMNS} FROM attachment a WHERE a.id = ?1"),
            [id],
        )?
        .pop()
        .ok_or_else(|| field::not_found(id))?;
        let bytes: Vec<u8> =
            self.conn
                .query_row("SELECT bytes FROM attachment WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
        Ok((found, bytes))
    }

    fn restore_attachments(
        &mut self,
        actor: &str,
        report: ReportId,
        files: &[FieldFile],
    ) -> Result<()> {
        let tx = self.write_tx()?;
        let stored = load_report(&tx, report)?;
        if files.is_empty() {
            return Ok(());
        }
        let rows = field::attachment_rows(&stored.content, files)?;
        insert_files(&tx, report, actor, &fmt_time(Utc::now()), &rows)?;
        audit(
            &tx,
            actor,
            "field.attachments.restore",
            &format!("report:{report}"),
            Some(&field::restore_detail(report, rows.len())),
        )?;
        tx.commit()?;
        Ok(())
    }
}
