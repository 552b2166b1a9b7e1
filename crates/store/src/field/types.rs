//! What a field submission carries and what the store answers about its files.

use chrono::{DateTime, Utc};
use safeground_model::ItemKind;
use serde::Serialize;

use crate::{NewReport, ReportId};

/// A file sent with a field submission, attached to one entry of its report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFile {
    /// The name of the multipart part (or export entry) it came in (`photo-0`).
    pub part: String,
    /// The index of the report entry it belongs to (0-based).
    pub entry: usize,
    /// The file's name on the device (`IMG_0001.jpg`).
    pub name: String,
    /// Its media type (`image/jpeg`), checked by the caller.
    pub media_type: String,
    /// What it shows, if the user said.
    pub caption: Option<String>,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// One field submission: a report filled on a device, with its files, sent under a
/// client-generated UUID so that a retry stores it once.
#[derive(Debug, Clone, Copy)]
pub struct FieldSubmission<'a> {
    /// The client-generated UUID v4 (lowercase, hyphenated) naming the submission.
    pub uuid: &'a str,
    /// A digest (hex) of the submission's content, computed by the caller: the same uuid with
    /// another digest is a clash, with the same one a retry.
    pub digest: &'a str,
    /// The version of the forms the report was filled with.
    pub form_version: &'a str,
    /// The report, created and submitted in one transaction.
    pub report: &'a NewReport,
    /// Its files.
    pub files: &'a [FieldFile],
}

/// What [`crate::FieldStore::submit_field`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "report", rename_all = "snake_case")]
pub enum SubmissionOutcome {
    /// The submission was new: its report was created and submitted.
    Created(ReportId),
    /// The submission was stored before with the same content (a retry): nothing written.
    AlreadyStored(ReportId),
}

impl SubmissionOutcome {
    /// The report of the submission, new or stored before.
    pub fn report(&self) -> ReportId {
        match *self {
            SubmissionOutcome::Created(id) | SubmissionOutcome::AlreadyStored(id) => id,
        }
    }
}

/// A file attached to an entry of a report (its bytes are read apart:
/// [`crate::FieldStore::attachment`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Attachment {
    /// Attachment id.
    pub id: i64,
    /// The report it came with.
    pub report: ReportId,
    /// The index of the report entry it belongs to.
    pub entry: usize,
    /// The kind of record of that entry.
    #[schema(value_type = String, example = "eo_find")]
    pub kind: ItemKind,
    /// The local id of that entry's record.
    pub local_id: String,
    /// The file's name.
    pub name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its bytes, lowercase hex (computed by the store).
    pub sha256: String,
    /// What it shows.
    pub caption: Option<String>,
    /// Who sent it.
    pub created_by: String,
    /// When it was stored.
    pub created_at: DateTime<Utc>,
}
