//! Report workflow on PostgreSQL: draft, submit, reconcile/link, reject, read.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::{GenericClient, Row};

use super::{Doing, PostgresStore, audit};
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

const REPORT_COLUMNS: &str = "id, organisation, title, source, date_of_information, status, \
     body::text, created_by, created_at, submitted_by, submitted_at, decided_by, decided_at, \
     decision_comment, revision";

fn status_of(id: ReportId, code: &str) -> Result<ReportStatus> {
    ReportStatus::from_code(code)
        .ok_or_else(|| StoreError::corrupt(format!("report {id}"), format!("status {code}")))
}

/// The report in `row`, its body read with `c` ([`crate::engine::body`]).
fn decode_report<C: GenericClient>(c: &mut C, row: &Row) -> Result<Report> {
    let id: ReportId = row.try_get(0).doing("reading a report")?;
    let get = |e: postgres::Error| StoreError::postgres(&format!("reading report {id}"), e);
    let status: String = row.try_get(5).map_err(get)?;
    let body: String = row.try_get(6).map_err(get)?;
    Ok(Report {
        id,
        status: status_of(id, &status)?,
        content: NewReport {
            organisation: row.try_get(1).map_err(get)?,
            title: row.try_get(2).map_err(get)?,
            source: row.try_get(3).map_err(get)?,
            date_of_information: row.try_get::<_, NaiveDate>(4).map_err(get)?,
            entries: body::with_personal(
                id,
                body::from_json(id, &body, |version| version_record(c, id, version))?,
                read_personal(c, id)?,
            )?,
        },
        created_by: row.try_get(7).map_err(get)?,
        created_at: row.try_get::<_, DateTime<Utc>>(8).map_err(get)?,
        submitted_by: row.try_get(9).map_err(get)?,
        submitted_at: row.try_get(10).map_err(get)?,
        decided_by: row.try_get(11).map_err(get)?,
        decided_at: row.try_get(12).map_err(get)?,
        decision_comment: row.try_get(13).map_err(get)?,
        revision: row.try_get(14).map_err(get)?,
    })
}

/// Reads one report inside any connection or transaction.
pub(crate) fn load_report<C: GenericClient>(c: &mut C, id: ReportId) -> Result<Report> {
    let row = c
        .query_opt(
            &format!("SELECT {REPORT_COLUMNS} FROM report WHERE id = $1"),
            &[&id],
        )
        .doing(&format!("reading report {id}"))?
        .ok_or(StoreError::ReportNotFound(id))?;
    decode_report(c, &row)
}

/// The record of version `version`, named by report `report`'s body.
fn version_record<C: GenericClient>(c: &mut C, report: ReportId, version: i64) -> Result<Record> {
    let row = c
        .query_opt(
            "SELECT record::text, ST_AsBinary(geom) FROM item_version WHERE id = $1",
            &[&version],
        )
        .doing(&format!("reading version {version}"))?
        .ok_or_else(|| {
            StoreError::corrupt(
                format!("report {report} body"),
                format!("names version {version}, which does not exist"),
            )
        })?;
    let doing = format!("reading version {version}");
    let json: String = row.try_get(0).doing(&doing)?;
    let geometry: Option<Vec<u8>> = row.try_get(1).doing(&doing)?;
    stored_record::load(&json, geometry.as_deref(), &format!("version {version}"))
}

/// The personal data stored apart for report `id`'s entries: (entry index, JSON).
fn read_personal<C: GenericClient>(c: &mut C, id: ReportId) -> Result<Vec<(i64, String)>> {
    let doing = format!("reading the personal data of report {id}");
    c.query(
        "SELECT entry_index::bigint, data::text FROM report_personal_data WHERE report_id = $1 \
         ORDER BY entry_index",
        &[&id],
    )
    .doing(&doing)?
    .iter()
    .map(|r| Ok((r.try_get(0).doing(&doing)?, r.try_get(1).doing(&doing)?)))
    .collect()
}

/// Replaces the personal data stored apart for report `id` by those of `entries`.
pub(crate) fn write_personal<C: GenericClient>(
    c: &mut C,
    id: ReportId,
    entries: &[ReportEntry],
) -> Result<()> {
    let doing = format!("writing the personal data of report {id}");
    c.execute(
        "DELETE FROM report_personal_data WHERE report_id = $1",
        &[&id],
    )
    .doing(&doing)?;
    for (index, data) in body::personal_rows(entries)? {
        c.execute(
            "INSERT INTO report_personal_data (report_id, entry_index, data) \
             VALUES ($1, $2::bigint::integer, $3::text::jsonb)",
            &[&id, &index, &data],
        )
        .doing(&doing)?;
    }
    Ok(())
}

/// Inserts a report (a draft, or submitted by `actor`) with its audit entries.
pub(crate) fn insert_report<C: GenericClient>(
    c: &mut C,
    actor: &str,
    report: &NewReport,
    status: ReportStatus,
) -> Result<ReportId> {
    let now = Utc::now();
    let submitted = (status == ReportStatus::Submitted).then_some(actor);
    // max + 1 under the writer lock: ids without gaps, as SQLite's rowid.
    let id: ReportId = c
        .query_one(
            "INSERT INTO report (id, organisation, title, source, date_of_information, status, \
             body, created_by, created_at, submitted_by, submitted_at) \
             VALUES ((SELECT coalesce(max(id), 0) + 1 FROM report), $1, $2, $3, $4, $5, \
             $6::text::jsonb, $7, $8, $9, $10) RETURNING id",
            &[
                &report.organisation,
                &report.title,
                &report.source,
                &super::clamp_date(report.date_of_information),
                &status.code(),
                &to_json(&report.entries)?,
                &actor,
                &now,
                &submitted,
                &submitted.map(|_| now),
            ],
        )
        .doing("writing a report")?
        .get(0);
    write_personal(c, id, &report.entries)?;
    audit(
        c,
        actor,
        "report.create",
        &format!("report:{id}"),
        Some(&report.title),
    )?;
    if status == ReportStatus::Submitted {
        audit(c, actor, "report.submit", &format!("report:{id}"), None)?;
    }
    Ok(id)
}

fn store_body<C: GenericClient>(c: &mut C, id: ReportId, entries: &[ReportEntry]) -> Result<()> {
    c.execute(
        "UPDATE report SET body = $1::text::jsonb, revision = revision + 1 WHERE id = $2",
        &[&to_json(entries)?, &id],
    )
    .doing(&format!("writing report {id}"))?;
    write_personal(c, id, entries)?;
    Ok(())
}

impl PostgresStore {
    pub(crate) fn do_create_report(&mut self, actor: &str, report: &NewReport) -> Result<ReportId> {
        let mut tx = self.write_tx()?;
        let id = insert_report(&mut tx, actor, report, ReportStatus::Draft)?;
        tx.commit().doing("committing a new report")?;
        Ok(id)
    }

    pub(crate) fn do_update_draft(
        &mut self,
        actor: &str,
        id: ReportId,
        report: &NewReport,
    ) -> Result<()> {
        let mut tx = self.write_tx()?;
        let current = load_report(&mut tx, id)?;
        require_status(&current, ReportStatus::Draft, "editing")?;
        tx.execute(
            "UPDATE report SET organisation = $1, title = $2, source = $3, \
             date_of_information = $4, body = $5::text::jsonb, revision = revision + 1 \
             WHERE id = $6",
            &[
                &report.organisation,
                &report.title,
                &report.source,
                &super::clamp_date(report.date_of_information),
                &to_json(&report.entries)?,
                &id,
            ],
        )
        .doing(&format!("updating draft {id}"))?;
        write_personal(&mut tx, id, &report.entries)?;
        audit(
            &mut tx,
            actor,
            "report.update",
            &format!("report:{id}"),
            None,
        )?;
        tx.commit().doing(&format!("committing draft {id}"))?;
        Ok(())
    }

    pub(crate) fn do_submit_report(&mut self, actor: &str, id: ReportId) -> Result<()> {
        let mut tx = self.write_tx()?;
        let report = load_report(&mut tx, id)?;
        require_status(&report, ReportStatus::Draft, "submission")?;
        let catalogue = super::reference::catalogue(&mut tx)?;
        validate_report(&report.content, Utc::now().date_naive())
            .and_then(|()| check_report(catalogue.as_ref(), &report.content))
            .map_err(StoreError::Invalid)?;
        tx.execute(
            "UPDATE report SET status = 'submitted', submitted_by = $1, submitted_at = $2, \
             revision = revision + 1 WHERE id = $3",
            &[&actor, &Utc::now(), &id],
        )
        .doing(&format!("submitting report {id}"))?;
        audit(
            &mut tx,
            actor,
            "report.submit",
            &format!("report:{id}"),
            None,
        )?;
        tx.commit()
            .doing(&format!("committing submission of report {id}"))?;
        Ok(())
    }

    pub(crate) fn do_submit_batch(
        &mut self,
        actor: &str,
        reports: &[NewReport],
    ) -> Result<Vec<ReportId>> {
        let catalogue = super::reference::catalogue(&mut *self.client()?)?;
        validate_batch(reports, Utc::now().date_naive(), catalogue.as_ref())?;
        let mut tx = self.write_tx()?;
        let ids = reports
            .iter()
            .map(|r| insert_report(&mut tx, actor, r, ReportStatus::Submitted))
            .collect::<Result<Vec<_>>>()?;
        tx.commit().doing("committing a batch of reports")?;
        Ok(ids)
    }

    pub(crate) fn do_reconcile_entry(
        &mut self,
        actor: &str,
        id: ReportId,
        entry: usize,
        reconcile: Reconcile,
    ) -> Result<()> {
        let mut tx = self.write_tx()?;
        let mut report = load_report(&mut tx, id)?;
        require_status(&report, ReportStatus::Submitted, "reconciliation")?;
        let detail = serde_json::to_string(&reconcile).unwrap_or_default();
        entry_mut(&mut report, entry)?.reconcile = reconcile;
        store_body(&mut tx, id, &report.content.entries)?;
        audit(
            &mut tx,
            actor,
            "report.reconcile",
            &format!("report:{id}"),
            Some(&format!("entry {entry}: {detail}")),
        )?;
        tx.commit()
            .doing(&format!("committing reconciliation of report {id}"))?;
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
        let mut tx = self.write_tx()?;
        let mut report = load_report(&mut tx, id)?;
        require_status(&report, ReportStatus::Submitted, "linking")?;
        let exists: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM item WHERE id = $1)",
                &[&target],
            )
            .doing("looking up an item")?
            .get(0);
        if !exists {
            return Err(StoreError::Reconcile {
                entry,
                field: field.into(),
                message: format!("item {target} does not exist"),
            });
        }
        let e = entry_mut(&mut report, entry)?;
        e.record = set_reference(&e.record, entry, field, target)?;
        store_body(&mut tx, id, &report.content.entries)?;
        audit(
            &mut tx,
            actor,
            "report.link",
            &format!("report:{id}"),
            Some(&format!("entry {entry}: {field} -> {target}")),
        )?;
        tx.commit()
            .doing(&format!("committing a link of report {id}"))?;
        Ok(())
    }

    pub(crate) fn do_reject_report(
        &mut self,
        actor: &str,
        id: ReportId,
        comment: &str,
    ) -> Result<()> {
        let mut tx = self.write_tx()?;
        let report = load_report(&mut tx, id)?;
        require_status(&report, ReportStatus::Submitted, "rejection")?;
        tx.execute(
            "UPDATE report SET status = 'rejected', decided_by = $1, decided_at = $2, \
             decision_comment = $3, revision = revision + 1 WHERE id = $4",
            &[&actor, &Utc::now(), &comment, &id],
        )
        .doing(&format!("rejecting report {id}"))?;
        audit(
            &mut tx,
            actor,
            "report.reject",
            &format!("report:{id}"),
            Some(comment),
        )?;
        tx.commit()
            .doing(&format!("committing rejection of report {id}"))?;
        Ok(())
    }

    pub(crate) fn do_report(&self, id: ReportId) -> Result<Report> {
        load_report(&mut *self.client()?, id)
    }

    pub(crate) fn do_list_reports(&self, filter: &ReportFilter) -> Result<Vec<ReportSummary>> {
        let limit = i64::try_from(filter.limit).unwrap_or(i64::MAX);
        let rows = self
            .client()?
            .query(
                "SELECT id, status, organisation, title, date_of_information, \
                 jsonb_array_length(body)::bigint, created_by, created_at, revision FROM report \
                 WHERE ($1::text IS NULL OR status = $1) \
                 AND ($2::text IS NULL OR organisation = $2) \
                 AND id > $3 ORDER BY id LIMIT $4",
                &[
                    &filter.status.map(|s| s.code()),
                    &filter.organisation,
                    &filter.after.unwrap_or(0),
                    &limit,
                ],
            )
            .doing("listing reports")?;
        rows.iter()
            .map(|r| {
                let get = |e| StoreError::postgres("listing reports", e);
                let id: ReportId = r.try_get(0).map_err(get)?;
                let status: String = r.try_get(1).map_err(get)?;
                let n: i64 = r.try_get(5).map_err(get)?;
                Ok(ReportSummary {
                    id,
                    status: status_of(id, &status)?,
                    organisation: r.try_get(2).map_err(get)?,
                    title: r.try_get(3).map_err(get)?,
                    date_of_information: r.try_get(4).map_err(get)?,
                    entries: usize::try_from(n).unwrap_or(0),
                    created_by: r.try_get(6).map_err(get)?,
                    created_at: r.try_get(7).map_err(get)?,
                    revision: r.try_get(8).map_err(get)?,
                })
            })
            .collect()
    }

    pub(crate) fn do_reports_with_status(&self, status: ReportStatus) -> Result<Vec<ReportId>> {
        let rows = self
            .client()?
            .query(
                "SELECT id FROM report WHERE status = $1 ORDER BY id",
                &[&status.code()],
            )
            .doing("listing reports by status")?;
        rows.iter()
            .map(|r| r.try_get(0).doing("listing reports by status"))
            .collect()
    }
}
