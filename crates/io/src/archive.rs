//! The programme archive: a full GeoPackage export (every OGC collection, no filter) also holds
//! the attributes table `safeground_reports`, one row per approved report in approval order
//! (id, date of information, organisation, title, source, who approved it and when, the
//! approval comment, and its entries — records, reconcile actions and, only in a personal-data
//! export, victims' personal data — as JSON), and the attributes table `safeground_attachments`
//! with the files (photos, documents) attached to those reports' entries ([`FILES_TABLE`]).
//! Every item of a programme comes from an approved report (organisations, teams and admin
//! areas included), so replaying the reports in order into an empty database ([`restore`])
//! gives the same items, ids, versions (valid time and record), derived land-release state and
//! files. The transaction time of the restored versions (`recorded_at`) is the time of the
//! restore. The files are checked (SHA-256, entry) before anything is written, then attached
//! again to their restored reports, as stored by the restoring actor at the time of the restore
//! (the archive keeps who sent each and when). An archive written before files were archived
//! has no table of files and restores without them.
//!
//! It is not a backup: [`LIMITS`] says what it leaves out, in its own metadata
//! (`gpkg_contents.description`) too; `safeground backup` copies everything.

use std::path::Path;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use safeground_store::{
    ApproveOptions, Backend, FieldStore, ImportBatch, NewReport, ProgrammeStore, ReportEntry,
    ReportFilter, ReportId, ReportStatus, ValidReport,
};

pub use crate::archive_files::{ArchivedFile, FILES_TABLE};
use crate::gpkg::{attributes_table, quote};
use crate::{IoError, PersonalData, archive_files};

/// Name of the archive's table in the GeoPackage.
pub const TABLE: &str = "safeground_reports";

/// What an archive does not hold, in the words the archive itself, `safeground export` and the
/// archive's restore say it.
pub const LIMITS: &str = "This archive holds approved reports only, with the files attached \
    to their entries; it does not hold \
    accounts, drafts and submitted reports, the audit log, victims' personal data unless \
    exported with personal data, and the evidence (orthophotos, detections and their verdicts, \
    machine tracks); for a full copy use `safeground backup`.";

/// An approved report read from an archive.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchivedReport {
    /// Its id in the database it was exported from.
    pub id: ReportId,
    /// Organisation, title, source, date of information and entries.
    pub report: NewReport,
    /// Who approved it.
    pub decided_by: Option<String>,
    /// When it was approved (to the millisecond).
    pub decided_at: Option<DateTime<Utc>>,
    /// The approval comment.
    pub decision_comment: Option<String>,
    /// The files attached to its entries (none in an archive written before files were).
    pub files: Vec<ArchivedFile>,
}

/// What a restore wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreSummary {
    /// Reports submitted and approved.
    pub reports: usize,
    /// Item versions written (one per entry).
    pub versions: usize,
    /// Victims' personal data restored (entries that carried them).
    pub personal_data: usize,
    /// Files attached again to the restored reports.
    pub files: usize,
}

/// Writes the archive's tables (reports, their files) inside the GeoPackage's transaction;
/// returns the reports written. Personal data stay out unless `personal` is given.
pub(crate) fn write(
    tx: &Connection,
    store: &dyn Backend,
    personal: Option<&PersonalData>,
) -> Result<u64, IoError> {
    const COLUMNS: &str = "report_id, date_of_information, organisation, title, source, \
                           decided_by, decided_at, decision_comment, content";
    tx.execute_batch(&format!(
        "CREATE TABLE {table} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
           report_id INTEGER NOT NULL, date_of_information DATE NOT NULL, organisation TEXT,
           title TEXT NOT NULL, source TEXT, decided_by TEXT, decided_at DATETIME,
           decision_comment TEXT, content TEXT NOT NULL);
         CREATE TEMP TABLE archive_staging (approved TEXT, {COLUMNS});",
        table = quote(TABLE)
    ))?;
    // Staged in report order, then copied in approval order (the temporary table is not part
    // of the file).
    let mut stmt = tx.prepare(&format!(
        "INSERT INTO temp.archive_staging (approved, {COLUMNS}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    ))?;
    let approved = store.reports_with_status(ReportStatus::Approved)?;
    for &id in &approved {
        let r = store.report(id)?;
        let mut entries = r.content.entries;
        if personal.is_none() {
            for e in &mut entries {
                e.personal_data = None;
            }
        }
        let content = serde_json::to_string(&entries)
            .map_err(|e| IoError::Usage(format!("cannot encode report {id}: {e}")))?;
        stmt.execute(params![
            r.decided_at
                .map(|t| t.to_rfc3339_opts(SecondsFormat::Nanos, true)),
            id,
            r.content.date_of_information.to_string(),
            r.content.organisation,
            r.content.title,
            r.content.source,
            r.decided_by,
            r.decided_at
                .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true)),
            r.decision_comment,
            content,
        ])?;
    }
    drop(stmt);
    tx.execute_batch(&format!(
        "INSERT INTO {table} ({COLUMNS}) SELECT {COLUMNS} FROM temp.archive_staging \
         ORDER BY approved, report_id;
         DROP TABLE temp.archive_staging;",
        table = quote(TABLE)
    ))?;
    attributes_table(
        tx,
        TABLE,
        "Programme archive",
        &format!(
            "Every approved report in approval order, with its entries as JSON: `safeground \
             import --approve-as-migration` restores the programme from it. {}{LIMITS}",
            if personal.is_some() {
                "Victims' personal data are included. "
            } else {
                "Victims' personal data are NOT included. "
            }
        ),
    )?;
    archive_files::write(tx, store, &approved)?;
    Ok(u64::try_from(approved.len()).unwrap_or(u64::MAX))
}

/// Whether the GeoPackage has a table named `name`.
pub(crate) fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |_| Ok(()),
    )
    .optional()
    .map(|found| found.is_some())
}

fn read_error(path: &Path, e: impl std::fmt::Display) -> IoError {
    IoError::Usage(format!(
        "cannot read the archive in {}: {e}",
        path.display()
    ))
}

/// The archived reports of a GeoPackage in approval order; `None` when it has no archive.
pub fn read_archive(path: &Path) -> Result<Option<Vec<ArchivedReport>>, IoError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| read_error(path, e))?;
    if !has_table(&conn, TABLE).map_err(|e| read_error(path, e))? {
        return Ok(None);
    }
    let mut stmt = conn
        .prepare(&format!(
            "SELECT report_id, date_of_information, organisation, title, source, decided_by, \
             decided_at, decision_comment, content FROM {} ORDER BY fid",
            quote(TABLE)
        ))
        .map_err(|e| read_error(path, e))?;
    type Row = (
        ReportId,
        String,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
    );
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .map_err(|e| read_error(path, e))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, date, organisation, title, source, decided_by, decided_at, comment, content): Row =
            row.map_err(|e| read_error(path, e))?;
        let bad = |what: &str, e: &dyn std::fmt::Display| {
            read_error(path, format!("report {id}: {what}: {e}"))
        };
        let date_of_information = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
            .map_err(|e| bad("date_of_information", &e))?;
        let decided_at = decided_at
            .map(|t| DateTime::parse_from_rfc3339(&t).map(|t| t.with_timezone(&Utc)))
            .transpose()
            .map_err(|e| bad("decided_at", &e))?;
        let entries: Vec<ReportEntry> =
            serde_json::from_str(&content).map_err(|e| bad("content", &e))?;
        out.push(ArchivedReport {
            id,
            report: NewReport {
                organisation,
                title,
                source,
                date_of_information,
                entries,
            },
            decided_by,
            decided_at,
            decision_comment: comment,
            files: Vec::new(),
        });
    }
    let ids: Vec<ReportId> = out.iter().map(|r| r.id).collect();
    let mut files = archive_files::read(&conn, path, &ids)?;
    for r in &mut out {
        r.files = files.remove(&r.id).unwrap_or_default();
    }
    Ok(Some(out))
}

/// Replays archived reports into an empty store, in order, in one transaction: each is
/// submitted, then approved by `actor` (backdated updates allowed); then attaches each report's
/// files to it again, one transaction per report (the store's
/// [`FieldStore::restore_attachments`]). Refused, with nothing written, when the store already
/// holds reports, when any report fails, or when any file fails its checks (SHA-256, entry,
/// what the store attaches), which are all made before anything is written.
pub fn restore<S: ProgrammeStore + FieldStore + ?Sized>(
    store: &mut S,
    actor: &str,
    reports: &[ArchivedReport],
) -> Result<RestoreSummary, IoError> {
    const REFUSED: &str = "restore refused, nothing was written";
    let existing = store.list_reports(&ReportFilter {
        limit: 1,
        ..ReportFilter::default()
    })?;
    if !existing.is_empty() {
        return Err(IoError::Usage(
            "an archive is restored only into an empty database; this one already holds reports"
                .into(),
        ));
    }
    let today = Utc::now().date_naive();
    let new = reports
        .iter()
        .map(|r| {
            ValidReport::check(r.report.clone(), today).map_err(|e| {
                IoError::Usage(format!(
                    "{REFUSED}: archived report {} is invalid:\n{e}",
                    r.id
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    for r in reports {
        archive_files::check(r.id, &r.report, &r.files)
            .map_err(|e| IoError::Usage(format!("{REFUSED}: {e}")))?;
    }
    let batch = ImportBatch {
        reports: &new,
        approve: Some(ApproveOptions {
            comment: Some("restored from a programme archive".into()),
            allow_backdated: true,
            four_eyes: false,
        }),
        checkpoint: None,
        all_or_nothing: true,
    };
    let ids = store
        .import_batch(actor, &batch)
        .map_err(|e| IoError::Usage(format!("{REFUSED}: {e}")))?;
    let mut files = 0;
    for (r, id) in reports.iter().zip(ids) {
        let id = id.map_err(|e| IoError::Usage(format!("{REFUSED}: {e}")))?;
        if r.files.is_empty() {
            continue;
        }
        let attach: Vec<_> = r.files.iter().map(|f| f.file.clone()).collect();
        store.restore_attachments(actor, id, &attach).map_err(|e| {
            IoError::Usage(format!(
                "the reports were restored, but the files of archived report {} (now report \
                 {id}) and of the reports after it were not: {e}; restore the archive again \
                 into a new, empty database",
                r.id
            ))
        })?;
        files += attach.len();
    }
    let entries = new.iter().flat_map(|r| &r.entries);
    Ok(RestoreSummary {
        reports: new.len(),
        versions: entries.clone().count(),
        personal_data: entries.filter(|e| e.personal_data.is_some()).count(),
        files,
    })
}
