//! Offline field capture (issue 27): a report filled on a device is sent with its files under
//! a client-generated UUID, and stored once however often the device retries.
//!
//! [`FieldStore::submit_field`] runs in ONE transaction under the writer lock: a UUID stored
//! before answers [`SubmissionOutcome::AlreadyStored`] when its digest is the same (a retry) and
//! [`StoreError::Clash`] when not; a new one creates and submits its report exactly as
//! [`crate::ProgrammeStore::submit_batch`] does for one report (same validation, errors and
//! audit), stores each file as an attachment of its entry (the store computes its SHA-256),
//! records the submission (`field_submission`) and audits `field.submission`. A failure writes
//! nothing. Photos of victims are personal data: files on a victim entry, or on an entry with
//! personal data, are refused.
//!
//! [`FieldStore::restore_attachments`] puts files back on a report restored from a programme
//! archive, with the same checks ([`check_files`]).

mod types;

use chrono::{DateTime, NaiveDate};
use safeground_model::{Catalogue, FieldError, ItemKind, ValidationErrors};
use sha2::{Digest, Sha256};

pub use types::*;

use crate::{NewReport, ReportId, Result, StoreError};

/// Submissions, their reports' files and the files of approved items.
pub trait FieldStore {
    /// In ONE transaction: if `uuid` is already stored → [`SubmissionOutcome::AlreadyStored`]
    /// when the digest is the same, [`StoreError::Clash`] (naming the uuid and its report) when
    /// not; otherwise creates AND submits the report exactly as `submit_batch` does for one
    /// report (same validation and audit; errors name `entries[i]…` without a `reports[0].`
    /// prefix), stores each file as an attachment of its entry (entry index out of range →
    /// [`StoreError::Invalid`] on `attachments[i].entry`; attachments on victim entries or
    /// entries with personal data are refused on `attachments[i].entry`), records the
    /// submission row and audits `field.submission` (uuid, report id, file count). A failure
    /// writes nothing.
    fn submit_field(&mut self, actor: &str, s: &FieldSubmission<'_>) -> Result<SubmissionOutcome>;
    /// The submission stored under `uuid`, if any: (report id, digest).
    fn field_submission(&self, uuid: &str) -> Result<Option<(ReportId, String)>>;
    /// Attachments of a report (without bytes), by entry then id.
    fn attachments(&self, report: ReportId) -> Result<Vec<Attachment>>;
    /// Attachments of the record `kind`/`local_id` from approved reports (an item's files),
    /// newest first.
    fn item_attachments(&self, kind: ItemKind, local_id: &str) -> Result<Vec<Attachment>>;
    /// One attachment with its bytes ([`StoreError::NotFound`] when unknown).
    fn attachment(&self, id: i64) -> Result<(Attachment, Vec<u8>)>;
    /// Attaches `files` to the entries of the existing report `report` in ONE transaction, as
    /// stored by `actor` now (a programme archive's restore): [`StoreError::ReportNotFound`]
    /// when it does not exist, [`StoreError::Invalid`] as [`check_files`] says; audits
    /// `field.attachments.restore` (report id, file count). A failure writes nothing; no files
    /// write nothing.
    fn restore_attachments(
        &mut self,
        actor: &str,
        report: ReportId,
        files: &[FieldFile],
    ) -> Result<()>;
}

/// The message refusing a file on a victim entry or an entry with personal data.
pub const VICTIM_PHOTO: &str =
    "photos of victims are personal data; attach them to the accident, not the victim";

/// An attachment row as the backends write it.
pub(crate) struct FileRow<'a> {
    /// The file.
    pub file: &'a FieldFile,
    /// The entry's index.
    pub entry: i64,
    /// The entry's record kind code.
    pub kind: &'static str,
    /// The entry's record local id.
    pub local_id: &'a str,
    /// The file's size in bytes.
    pub size: i64,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
}

/// A stored attachment row before decoding: (id, report, entry, kind, local id, name, media
/// type, size, sha256, caption, created by).
pub(crate) type RawAttachment = (
    i64,
    ReportId,
    i64,
    String,
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
    String,
);

/// The attachment of a stored row, created at `created_at`.
pub(crate) fn decode(raw: RawAttachment, created_at: DateTime<chrono::Utc>) -> Result<Attachment> {
    let (id, report, entry, kind, local_id, name, media_type, size, sha256, caption, created_by) =
        raw;
    let corrupt = |what: String| StoreError::corrupt(format!("attachment {id}"), what);
    Ok(Attachment {
        id,
        report,
        entry: usize::try_from(entry).map_err(|_| corrupt(format!("entry {entry}")))?,
        kind: kind
            .parse()
            .map_err(|_| corrupt(format!("record kind {kind}")))?,
        local_id,
        name,
        media_type,
        size: u64::try_from(size).map_err(|_| corrupt(format!("size {size}")))?,
        sha256,
        caption,
        created_by,
        created_at,
    })
}

/// What a uuid stored before as `(report, digest)` means for a submission with `digest`.
pub(crate) fn already(
    uuid: &str,
    digest: &str,
    stored: (ReportId, String),
) -> Result<SubmissionOutcome> {
    let (report, stored_digest) = stored;
    if stored_digest == digest {
        Ok(SubmissionOutcome::AlreadyStored(report))
    } else {
        Err(StoreError::Clash(format!(
            "submission {uuid} was stored before with other content (report {report}); send \
             changed content under a new uuid"
        )))
    }
}

/// Validates a submission as `submit_batch` validates its report (the model's rules, the
/// geometry rules and the adopted ordnance catalogue, as of `today`) and its files; every
/// error found, or the attachment rows to write.
pub(crate) fn validate<'a>(
    s: &FieldSubmission<'a>,
    today: NaiveDate,
    catalogue: Option<&Catalogue>,
) -> Result<Vec<FileRow<'a>>> {
    let mut errors = Vec::new();
    if !is_uuid(s.uuid) {
        errors.push(error(
            "uuid",
            format!("`{}` is not a UUID (lowercase, hyphenated)", s.uuid),
        ));
    }
    if s.digest.is_empty() || !s.digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        errors.push(error("digest", "is not a hexadecimal digest".into()));
    }
    if let Err(e) = crate::validate_report(s.report, today)
        .and_then(|()| crate::reference::check_report(catalogue, s.report))
    {
        errors.extend(e.0);
    }
    let rows = file_rows(s.report, s.files, &mut errors);
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(StoreError::Invalid(ValidationErrors(errors)))
    }
}

/// Whether `files` can be attached to the entries of `report`: each names an entry it has
/// (`attachments[i].entry`), not a victim's nor one with personal data ([`VICTIM_PHOTO`]), and
/// has a name (`attachments[i].name`); every error found, as [`StoreError::Invalid`].
pub fn check_files(report: &NewReport, files: &[FieldFile]) -> Result<()> {
    attachment_rows(report, files).map(|_| ())
}

/// The attachment rows of `files` on `report`'s entries, or every error [`check_files`] finds.
pub(crate) fn attachment_rows<'a>(
    report: &'a NewReport,
    files: &'a [FieldFile],
) -> Result<Vec<FileRow<'a>>> {
    let mut errors = Vec::new();
    let rows = file_rows(report, files, &mut errors);
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(StoreError::Invalid(ValidationErrors(errors)))
    }
}

/// The rows of `files`, the errors of those that cannot be attached added to `errors`.
fn file_rows<'a>(
    report: &'a NewReport,
    files: &'a [FieldFile],
    errors: &mut Vec<FieldError>,
) -> Vec<FileRow<'a>> {
    let mut rows = Vec::with_capacity(files.len());
    for (i, file) in files.iter().enumerate() {
        if file.name.trim().is_empty() {
            errors.push(error(
                &format!("attachments[{i}].name"),
                "is required".into(),
            ));
        }
        let Some(entry) = report.entries.get(file.entry) else {
            errors.push(error(
                &format!("attachments[{i}].entry"),
                format!(
                    "the report has no entry {} ({} entries, 0-based index)",
                    file.entry,
                    report.entries.len()
                ),
            ));
            continue;
        };
        if entry.record.kind() == ItemKind::Victim || entry.personal_data.is_some() {
            errors.push(error(
                &format!("attachments[{i}].entry"),
                VICTIM_PHOTO.into(),
            ));
            continue;
        }
        rows.push(FileRow {
            file,
            entry: i64::try_from(file.entry).unwrap_or(i64::MAX),
            kind: entry.record.kind().code(),
            local_id: entry.record.local_id(),
            size: i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
            sha256: sha256_hex(&file.bytes),
        });
    }
    rows
}

fn error(field: &str, message: String) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message,
    }
}

/// Whether `s` is a UUID written lowercase with hyphens (8-4-4-4-12 hex digits).
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| {
            g.len() == n
                && g.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

/// SHA-256 of `bytes`, lowercase hex (as the store computes attachments').
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The audit detail of a stored submission.
pub(crate) fn audit_detail(uuid: &str, report: ReportId, files: usize) -> String {
    format!("submission {uuid}: report {report}, {files} file(s)")
}

/// The audit detail of files restored onto a report.
pub(crate) fn restore_detail(report: ReportId, files: usize) -> String {
    format!("report {report}: {files} file(s) restored from a programme archive")
}

/// The error for an unknown attachment id.
pub(crate) fn not_found(id: i64) -> StoreError {
    StoreError::NotFound(format!("attachment {id} does not exist"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_lowercase_and_hyphenated() {
        assert!(is_uuid("0b6f1f52-8c1e-4c5a-9d0e-3f2a1b4c5d6e"));
        assert!(!is_uuid("0B6F1F52-8C1E-4C5A-9D0E-3F2A1B4C5D6E"));
        assert!(!is_uuid("0b6f1f528c1e4c5a9d0e3f2a1b4c5d6e"));
        assert!(!is_uuid(""));
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
