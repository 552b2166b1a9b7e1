//! Field submissions and attachments on PostgreSQL ([`crate::field`]).

use chrono::{DateTime, Utc};
use postgres::GenericClient;
use postgres::types::ToSql;
use safeground_model::ItemKind;

use super::reports::{insert_report, load_report};
use super::{Doing, PostgresStore, audit};
use crate::field::{
    self, Attachment, FieldFile, FieldStore, FieldSubmission, FileRow, RawAttachment,
    SubmissionOutcome,
};
use crate::{ReportId, ReportStatus, Result};

const COLUMNS: &str = "a.id, a.report_id, a.entry_index, a.kind, a.local_id, a.name, \
     a.media_type, a.size, a.sha256, a.caption, a.created_by, a.created_at";

/// The attachments a query over `attachment a` selects (its [`COLUMNS`]).
fn read<C: GenericClient>(
    c: &mut C,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<Attachment>> {
    let doing = "reading attachments";
    c.query(sql, params)
        .doing(doing)?
        .iter()
        .map(|r| {
            let raw: RawAttachment = (
                r.try_get(0).doing(doing)?,
                r.try_get(1).doing(doing)?,
                r.try_get(2).doing(doing)?,
                r.try_get(3).doing(doing)?,
                r.try_get(4).doing(doing)?,
                r.try_get(5).doing(doing)?,
                r.try_get(6).doing(doing)?,
                r.try_get(7).doing(doing)?,
                r.try_get(8).doing(doing)?,
                r.try_get(9).doing(doing)?,
                r.try_get(10).doing(doing)?,
            );
            field::decode(raw, r.try_get::<_, DateTime<Utc>>(11).doing(doing)?)
        })
        .collect()
}

fn stored<C: GenericClient>(c: &mut C, uuid: &str) -> Result<Option<(ReportId, String)>> {
    let row = c
        .query_opt(
            "SELECT report_id, digest FROM field_submission WHERE uuid = $1",
            &[&uuid],
        )
        .doing("reading a field submission")?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

/// Writes `rows` as attachments of report `id`, stored by `actor` at `now`.
fn insert_files<C: GenericClient>(
    c: &mut C,
    id: ReportId,
    actor: &str,
    now: &DateTime<Utc>,
    rows: &[FileRow<'_>],
) -> Result<()> {
    let insert = c
        .prepare(
            "INSERT INTO attachment (report_id, entry_index, kind, local_id, name, media_type, \
             size, sha256, caption, bytes, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .doing("preparing the attachments' insert")?;
    for row in rows {
        c.execute(
            &insert,
            &[
                &id,
                &row.entry,
                &row.kind,
                &row.local_id,
                &row.file.name,
                &row.file.media_type,
                &row.size,
                &row.sha256,
                &row.file.caption,
                &row.file.bytes,
                &actor,
                now,
            ],
        )
        .doing("writing an attachment")?;
    }
    Ok(())
}

impl FieldStore for PostgresStore {
    fn submit_field(&mut self, actor: &str, s: &FieldSubmission<'_>) -> Result<SubmissionOutcome> {
        // A retry needs no validation (its report may no longer pass today's rules).
        if let Some(before) = stored(&mut *self.client()?, s.uuid)? {
            return field::already(s.uuid, s.digest, before);
        }
        let catalogue = super::reference::catalogue(&mut *self.client()?)?;
        let rows = field::validate(s, Utc::now().date_naive(), catalogue.as_ref())?;
        let mut tx = self.write_tx()?;
        // Stored meanwhile by another connection: decided under the writer lock.
        if let Some(before) = stored(&mut tx, s.uuid)? {
            return field::already(s.uuid, s.digest, before);
        }
        let id = insert_report(&mut tx, actor, s.report, ReportStatus::Submitted)?;
        let now = Utc::now();
        insert_files(&mut tx, id, actor, &now, &rows)?;
        tx.execute(
            "INSERT INTO field_submission (uuid, report_id, digest, form_version, created_by, \
             received_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&s.uuid, &id, &s.digest, &s.form_version, &actor, &now],
        )
        .doing("recording the field submission")?;
        audit(
            &mut tx,
            actor,
            "field.submission",
            &format!("report:{id}"),
            Some(&field::audit_detail(s.uuid, id, rows.len())),
        )?;
        tx.commit().doing("committing a field submission")?;
        Ok(SubmissionOutcome::Created(id))
    }

    fn field_submission(&self, uuid: &str) -> Result<Option<(ReportId, String)>> {
        stored(&mut *self.client()?, uuid)
    }

    fn attachments(&self, report: ReportId) -> Result<Vec<Attachment>> {
        read(
            &mut *self.client()?,
            &format!(
                "SELECT {COLUMNS} FROM attachment a WHERE a.report_id = $1 \
                 ORDER BY a.entry_index, a.id"
            ),
            &[&report],
        )
    }

    fn item_attachments(&self, kind: ItemKind, local_id: &str) -> Result<Vec<Attachment>> {
        read(
            &mut *self.client()?,
            &format!(
                "SELECT {COLUMNS} FROM attachment a JOIN report r ON r.id = a.report_id \
                 WHERE a.kind = $1 AND a.local_id = $2 AND r.status = 'approved' \
                 ORDER BY a.created_at DESC, a.id DESC"
            ),
            &[&kind.code(), &local_id],
        )
    }

    fn attachment(&self, id: i64) -> Result<(Attachment, Vec<u8>)> {
        let mut client = self.client()?;
        let found = read(
            &mut *client,
            &format!("SELECT {COLUMNS} FROM attachment a WHERE a.id = $1"),
            &[&id],
        )?
        .pop()
        .ok_or_else(|| field::not_found(id))?;
        let bytes: Vec<u8> = client
            .query_one("SELECT bytes FROM attachment WHERE id = $1", &[&id])
            .doing("reading an attachment's bytes")?
            .get(0);
        Ok((found, bytes))
    }

    fn restore_attachments(
        &mut self,
        actor: &str,
        report: ReportId,
        files: &[FieldFile],
    ) -> Result<()> {
        let mut tx = self.write_tx()?;
        let stored = load_report(&mut tx, report)?;
        if files.is_empty() {
            return Ok(());
        }
        let rows = field::attachment_rows(&stored.content, files)?;
        insert_files(&mut tx, report, actor, &Utc::now(), &rows)?;
        audit(
            &mut tx,
            actor,
            "field.attachments.restore",
            &format!("report:{report}"),
            Some(&field::restore_detail(report, rows.len())),
        )?;
        tx.commit().doing("committing restored attachments")?;
        Ok(())
    }
}
