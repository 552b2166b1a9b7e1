//! Reports, their entries and records, review and approval.

use super::*;

/// A record of one kind, as in reports and item versions: `kind` names it and the fields of
/// that kind follow (references to other items by id, geometries as GeoJSON). Readers without
/// victim access get victims' and accidents' quasi-identifiers generalised (`age_band` for
/// `age_at_accident`, `date_month` for `date`).
#[derive(Serialize, ToSchema)]
pub struct RecordDoc {
    /// The record's kind.
    #[schema(schema_with = item_kind)]
    pub kind: String,
    /// Local id (an admin area has a `pcode` instead).
    pub local_id: Option<String>,
    /// P-code (admin areas).
    pub pcode: Option<String>,
}

/// How an entry becomes an item on approval.
#[derive(Serialize, ToSchema)]
pub struct ReconcileDoc {
    /// `new` or `update`.
    pub action: String,
    /// The item updated (`update`).
    pub item: Option<String>,
    /// The item's version the update was written against.
    pub base_version: Option<u32>,
}

/// One entry of a report.
#[derive(Serialize, ToSchema)]
pub struct ReportEntryDoc {
    /// The reported record.
    pub record: RecordDoc,
    /// New item or update.
    pub reconcile: ReconcileDoc,
    /// A victim's personal data (roles with the personal-data permission only).
    #[schema(value_type = Option<Object>)]
    pub personal_data: Option<serde_json::Value>,
    /// `true` where personal data exist but are withheld from this role.
    pub personal_data_withheld: Option<bool>,
}

/// A report with its entries and workflow stamps (ETag: its revision).
#[derive(Serialize, ToSchema)]
pub struct ReportDoc {
    /// Report id.
    pub id: i64,
    /// draft, submitted, approved or rejected.
    #[schema(schema_with = report_status)]
    pub status: String,
    /// Reporting organisation.
    pub organisation: Option<String>,
    /// Title.
    pub title: String,
    /// Where it came from.
    pub source: Option<String>,
    /// Date of information (YYYY-MM-DD).
    pub date_of_information: String,
    /// The reported records.
    pub entries: Vec<ReportEntryDoc>,
    /// Who created it.
    pub created_by: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// Who submitted it.
    pub submitted_by: Option<String>,
    /// When (RFC 3339).
    pub submitted_at: Option<String>,
    /// Who approved or rejected it.
    pub decided_by: Option<String>,
    /// When (RFC 3339).
    pub decided_at: Option<String>,
    /// The reviewer's comment.
    pub decision_comment: Option<String>,
    /// Incremented by every change.
    pub revision: i64,
    /// Teams named by its activities whose members lack a valid certificate for the work
    /// (`GET /api/reports/{id}` only).
    pub training_warnings: Option<Vec<super::TrainingWarningDoc>>,
}

/// What an approval wrote.
#[derive(Serialize, ToSchema)]
pub struct ApprovalDoc {
    /// Items created or given a new version, in entry order.
    pub items: Vec<String>,
    /// Hazards whose remaining area and status were recomputed.
    pub hazards_recomputed: Vec<String>,
}

/// An approved report and what the approval wrote.
#[derive(Serialize, ToSchema)]
pub struct ApprovedReport {
    /// The report.
    pub report: ReportDoc,
    /// The items written.
    pub result: ApprovalDoc,
}

/// A report without its entries.
#[derive(Serialize, ToSchema)]
pub struct ReportSummaryDoc {
    /// Report id.
    pub id: i64,
    /// draft, submitted, approved or rejected.
    #[schema(schema_with = report_status)]
    pub status: String,
    /// Reporting organisation.
    pub organisation: Option<String>,
    /// Title.
    pub title: String,
    /// Date of information (YYYY-MM-DD).
    pub date_of_information: String,
    /// Number of entries.
    pub entries: u64,
    /// Who created it.
    pub created_by: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// Revision (ETag).
    pub revision: i64,
}

/// One page of reports, oldest first.
#[derive(Serialize, ToSchema)]
pub struct ReportList {
    /// The reports.
    pub reports: Vec<ReportSummaryDoc>,
    /// `after` of the next page, while the page is full.
    pub next_after: Option<i64>,
}

/// The current version of the item an entry updates.
#[derive(Serialize, ToSchema)]
pub struct CurrentVersionDoc {
    /// Item id.
    pub item: String,
    /// Its number of versions (`base_version` of an update).
    pub version: u64,
    /// Date of information of the version.
    pub valid_from: String,
    /// The record.
    pub record: RecordDoc,
}

/// A reference field of a reported record.
#[derive(Serialize, ToSchema)]
pub struct ReferenceDoc {
    /// Field name (`hazard`, `organisation`, ...).
    pub field: String,
    /// The item id or local id referred to.
    pub target: String,
}

/// One entry of the review view.
#[derive(Serialize, ToSchema)]
pub struct ReviewEntryDoc {
    /// 0-based entry index.
    pub index: u64,
    /// Record kind.
    #[schema(schema_with = item_kind)]
    pub kind: String,
    /// Local id.
    pub local_id: String,
    /// New item or update.
    pub reconcile: ReconcileDoc,
    /// The record as reported.
    pub reported: RecordDoc,
    /// The current version of the item updated, or null.
    pub current: Option<CurrentVersionDoc>,
    /// The record's references.
    pub references: Vec<ReferenceDoc>,
}

/// A submitted report's entries beside the items they update.
#[derive(Serialize, ToSchema)]
pub struct ReviewView {
    /// Report id.
    pub id: i64,
    /// draft, submitted, approved or rejected.
    #[schema(schema_with = report_status)]
    pub status: String,
    /// Revision (ETag).
    pub revision: i64,
    /// Reporting organisation.
    pub organisation: Option<String>,
    /// Title.
    pub title: String,
    /// Date of information (YYYY-MM-DD).
    pub date_of_information: String,
    /// The entries.
    pub entries: Vec<ReviewEntryDoc>,
    /// Teams named by its activities whose members lack a valid certificate for the work.
    pub training_warnings: Vec<super::TrainingWarningDoc>,
}
