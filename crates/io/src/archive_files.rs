//! The files of a programme archive's reports: the attributes table `safeground_attachments`,
//! one row per file attached to an entry of an archived report (the report's id as in
//! `safeground_reports`, the entry's index, record kind and local id, the file's name, media
//! type, SHA-256, caption, who sent it and when, and its bytes). Victims' entries never carry
//! files (the store refuses them), so a file is never personal data.
//!
//! Read back, each file is checked against the archived report before anything is restored
//! ([`check`]): its bytes must still have its SHA-256 and its entry must still be the record it
//! names.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, params};
use safeground_model::ItemKind;
use safeground_store::field::{self, FieldFile};
use safeground_store::{Backend, NewReport, ReportId};

use crate::IoError;
use crate::gpkg::{attributes_table, quote};

/// Name of the archive's table of files in the GeoPackage.
pub const FILES_TABLE: &str = "safeground_attachments";

/// A file attached to an entry of an archived report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedFile {
    /// Its row in the archive's table (`fid`).
    pub fid: i64,
    /// The kind of record of its entry when it was archived.
    pub kind: ItemKind,
    /// The local id of that record.
    pub local_id: String,
    /// SHA-256 of its bytes when it was archived, lowercase hex.
    pub sha256: String,
    /// Who sent it.
    pub created_by: String,
    /// When it was stored.
    pub created_at: DateTime<Utc>,
    /// The file as the store attaches it (entry, name, media type, caption, bytes); its `part`
    /// names its row (`safeground_attachments:<fid>`).
    pub file: FieldFile,
}

/// Writes the table of files of the approved reports `reports` (ids as in the archive) inside
/// the GeoPackage's transaction, one file's bytes in memory at a time; returns the files written.
pub(crate) fn write(
    tx: &Connection,
    store: &dyn Backend,
    reports: &[ReportId],
) -> Result<u64, IoError> {
    tx.execute_batch(&format!(
        "CREATE TABLE {table} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
           report_id INTEGER NOT NULL, entry_index INTEGER NOT NULL, kind TEXT NOT NULL,
           local_id TEXT NOT NULL, name TEXT NOT NULL, media_type TEXT NOT NULL,
           sha256 TEXT NOT NULL, caption TEXT, created_by TEXT NOT NULL,
           created_at DATETIME NOT NULL, bytes BLOB NOT NULL);",
        table = quote(FILES_TABLE)
    ))?;
    let mut stmt = tx.prepare(&format!(
        "INSERT INTO {} (report_id, entry_index, kind, local_id, name, media_type, sha256, \
         caption, created_by, created_at, bytes) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        quote(FILES_TABLE)
    ))?;
    let mut n = 0u64;
    for &report in reports {
        for a in store.attachments(report)? {
            if a.kind == ItemKind::Victim {
                continue;
            }
            let (a, bytes) = store.attachment(a.id)?;
            stmt.execute(params![
                report,
                i64::try_from(a.entry).unwrap_or(i64::MAX),
                a.kind.code(),
                a.local_id,
                a.name,
                a.media_type,
                a.sha256,
                a.caption,
                a.created_by,
                a.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
                bytes,
            ])?;
            n += 1;
        }
    }
    drop(stmt);
    attributes_table(
        tx,
        FILES_TABLE,
        "Programme archive: files",
        "The files (photos, documents) attached to the entries of the archived reports, with \
         their SHA-256: report_id is the report's id in safeground_reports, entry_index its \
         entry (0-based). Restored with the reports.",
    )?;
    Ok(n)
}

/// The archive's files by archived report id, in table order; empty when the archive has no
/// table of files (written before files were archived).
pub(crate) fn read(
    conn: &Connection,
    path: &Path,
    reports: &[ReportId],
) -> Result<HashMap<ReportId, Vec<ArchivedFile>>, IoError> {
    let error = |e: &dyn std::fmt::Display| {
        IoError::Usage(format!(
            "cannot read the archive's files ({FILES_TABLE}) in {}: {e}",
            path.display()
        ))
    };
    let mut out: HashMap<ReportId, Vec<ArchivedFile>> = HashMap::new();
    let archived: HashSet<ReportId> = reports.iter().copied().collect();
    if !crate::archive::has_table(conn, FILES_TABLE).map_err(|e| error(&e))? {
        return Ok(out);
    }
    let mut stmt = conn
        .prepare(&format!(
            "SELECT fid, report_id, entry_index, kind, local_id, name, media_type, sha256, \
             caption, created_by, created_at, bytes FROM {} ORDER BY fid",
            quote(FILES_TABLE)
        ))
        .map_err(|e| error(&e))?;
    let mut rows = stmt.query([]).map_err(|e| error(&e))?;
    while let Some(r) = rows.next().map_err(|e| error(&e))? {
        let fid: i64 = r.get(0).map_err(|e| error(&e))?;
        let bad = |what: &str, e: &dyn std::fmt::Display| error(&format!("row {fid}: {what}: {e}"));
        let get_text = |i: usize, what: &str| r.get::<_, String>(i).map_err(|e| bad(what, &e));
        let report: ReportId = r.get(1).map_err(|e| bad("report_id", &e))?;
        if !archived.contains(&report) {
            return Err(bad(
                "report_id",
                &format!("report {report} is not in the archive"),
            ));
        }
        let entry: i64 = r.get(2).map_err(|e| bad("entry_index", &e))?;
        let kind = get_text(3, "kind")?;
        let created_at = get_text(10, "created_at")?;
        let file = ArchivedFile {
            fid,
            kind: kind
                .parse()
                .map_err(|_| bad("kind", &format!("`{kind}` is not a record kind")))?,
            local_id: get_text(4, "local_id")?,
            sha256: get_text(7, "sha256")?,
            created_by: get_text(9, "created_by")?,
            created_at: DateTime::parse_from_rfc3339(&created_at)
                .map_err(|e| bad("created_at", &e))?
                .with_timezone(&Utc),
            file: FieldFile {
                part: format!("{FILES_TABLE}:{fid}"),
                entry: usize::try_from(entry).map_err(|e| bad("entry_index", &e))?,
                name: get_text(5, "name")?,
                media_type: get_text(6, "media_type")?,
                caption: r.get(8).map_err(|e| bad("caption", &e))?,
                bytes: r.get(11).map_err(|e| bad("bytes", &e))?,
            },
        };
        out.entry(report).or_default().push(file);
    }
    Ok(out)
}

/// Checks the files of archived report `id` against it before anything is written: each file's
/// bytes still have its SHA-256, its entry is still the record it names, and the store would
/// attach it ([`field::check_files`]); why not, naming the file.
pub(crate) fn check(
    id: ReportId,
    report: &NewReport,
    files: &[ArchivedFile],
) -> Result<(), String> {
    for f in files {
        let named = format!(
            "file `{}` ({FILES_TABLE} row {}) of archived report {id}, entry {}",
            f.file.name, f.fid, f.file.entry
        );
        let sha256 = field::sha256_hex(&f.file.bytes);
        if sha256 != f.sha256 {
            return Err(format!(
                "{named}: its bytes' SHA-256 is {sha256}, the archive says {}; the file was \
                 altered or damaged",
                f.sha256
            ));
        }
        if let Some(e) = report.entries.get(f.file.entry)
            && (e.record.kind() != f.kind || e.record.local_id() != f.local_id)
        {
            return Err(format!(
                "{named}: it belongs to {} {}, but that entry is {} {}",
                f.kind.code(),
                f.local_id,
                e.record.kind().code(),
                e.record.local_id()
            ));
        }
        field::check_files(report, std::slice::from_ref(&f.file))
            .map_err(|e| format!("{named}: cannot be attached: {e}"))?;
    }
    Ok(())
}
