//! Errors of the store.

use safeground_model::ValidationErrors;

/// Everything that can go wrong in a store operation. Nothing is written when one is returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database could not be read or written.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// A stored value could not be decoded: the database was changed outside Safeground.
    #[error("corrupt stored data in {what}: {detail}")]
    Corrupt {
        /// Which table or value.
        what: String,
        /// What failed.
        detail: String,
    },
    /// PostgreSQL failed or refused an operation.
    #[error("PostgreSQL error while {doing}: {message}")]
    Postgres {
        /// What the store was doing ("approving report 12", "connecting to PostgreSQL").
        doing: String,
        /// What went wrong.
        message: String,
        /// The driver's error, when there is one.
        #[source]
        source: Option<postgres::Error>,
    },
    /// The file is not a Safeground database, or one of a newer schema.
    #[error("{0}")]
    Schema(String),
    /// No report with this id.
    #[error("report {0} does not exist")]
    ReportNotFound(i64),
    /// No item with this id.
    #[error("item {0} does not exist")]
    ItemNotFound(String),
    /// The item exists but is of another kind than the operation needs.
    #[error("{item} is not a {expected}")]
    WrongKind {
        /// The item.
        item: String,
        /// The kind needed.
        expected: &'static str,
    },
    /// The report is not in a state that allows the action.
    #[error("report {id} is {status}; {action} needs a {needed} report")]
    WrongStatus {
        /// The report.
        id: i64,
        /// Its current status.
        status: String,
        /// What was attempted.
        action: &'static str,
        /// Which status it needs.
        needed: &'static str,
    },
    /// Field-level validation failed (of a report, a library document's or a training record's
    /// description, an account…); each line names the field (a report's with its entry).
    #[error("invalid data, nothing was written:\n{0}")]
    Invalid(ValidationErrors),
    /// Reconciliation could not be done as asked (unknown target, wrong kind, ...).
    #[error("cannot reconcile entry {entry} ({field}): {message}")]
    Reconcile {
        /// 0-based entry index in the report.
        entry: usize,
        /// The field or action concerned.
        field: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// The update would overwrite a version with the same or a later date of information.
    #[error(
        "entry {entry} updates {item}, whose current version has date of information {current}; \
         this report's date {reported} is not later, so it cannot overwrite it. Correct the date, \
         or approve it explicitly as a historical version (--allow-backdated)"
    )]
    StaleUpdate {
        /// 0-based entry index.
        entry: usize,
        /// Target item.
        item: String,
        /// Date of information of the current version.
        current: String,
        /// Date of information of the report.
        reported: String,
    },
    /// The update was written against an older version of the item than the current one.
    #[error(
        "entry {entry} updates {item} as of its version {base}, but version {current} has been \
         approved since; read the item again, merge the changes and reconcile with its current \
         version"
    )]
    Conflict {
        /// 0-based entry index.
        entry: usize,
        /// Target item.
        item: String,
        /// The version the update was based on.
        base: u32,
        /// The item's current number of versions.
        current: u32,
    },
    /// Four-eyes approval: the approver created or submitted the report.
    #[error(
        "report {report} was created by {created_by} and submitted by {}, so {actor} may not \
         approve it: four-eyes approval needs a second approver; ask another approver to \
         approve it",
        .submitted_by.as_deref().unwrap_or("nobody")
    )]
    SecondApproverNeeded {
        /// The report.
        report: i64,
        /// Who tried to approve it.
        actor: String,
        /// Who created it.
        created_by: String,
        /// Who submitted it.
        submitted_by: Option<String>,
    },
    /// A user account operation could not be done (unknown user, duplicate name, ...).
    #[error("{0}")]
    Account(String),
    /// Copying a programme between stores failed or could not be verified; nothing was
    /// written unless the message says otherwise.
    #[error("{0}")]
    Transfer(String),
    /// A federation setting or read was refused (node id, export mark, a hub's node card).
    #[error("{0}")]
    Federation(String),
    /// The hub refused a bundle (unknown node, bad signature, damaged, a gap); nothing of it
    /// was written.
    #[error("bundle refused: {0}")]
    BundleRefused(String),
    /// The record exists already (a library file uploaded twice); nothing was written.
    #[error("{0}")]
    Duplicate(String),
    /// A plan clashes with another (a team booked twice for the same days), or a field
    /// submission's uuid was stored before with other content; nothing was written.
    #[error("{0}")]
    Clash(String),
    /// Something looked up by id does not exist (an attachment).
    #[error("{0}")]
    NotFound(String),
    /// A geometry operation failed.
    #[error("geometry of {item}: {message}")]
    Geometry {
        /// The item concerned.
        item: String,
        /// What failed.
        message: String,
    },
}

impl StoreError {
    pub(crate) fn postgres(doing: &str, e: postgres::Error) -> Self {
        StoreError::Postgres {
            doing: doing.to_owned(),
            message: e.to_string(),
            source: Some(e),
        }
    }

    pub(crate) fn corrupt(what: impl Into<String>, detail: impl std::fmt::Display) -> Self {
        StoreError::Corrupt {
            what: what.into(),
            detail: detail.to_string(),
        }
    }
}

/// Result alias of the store.
pub type Result<T> = std::result::Result<T, StoreError>;
