//! The store contract: what every backend (SQLite now, PostgreSQL/PostGIS next) provides.
//!
//! A backend must pass the conformance suite in `tests/conformance.rs`, which is written against
//! this trait only.

use chrono::{DateTime, NaiveDate, Utc};
use geo_types::MultiPolygon;
use safeground_model::{HazardClass, HazardStatus, ItemKind, Record, VictimPersonalData};
use serde::{Deserialize, Serialize};

use crate::{
    AuditPage, AuditQuery, RecordListPage, RecordListQuery, RegisterPage, RegisterQuery, Result,
    ValidReport,
};

/// Identifier of a report.
pub type ReportId = i64;

/// Where a report is in its life: draft → submitted → approved | rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Being written; may be incomplete.
    Draft,
    /// Validated and waiting for review.
    Submitted,
    /// Reconciled into item versions.
    Approved,
    /// Refused by a reviewer (with a comment); kept for the record.
    Rejected,
}

impl ReportStatus {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Approved => "approved",
            ReportStatus::Rejected => "rejected",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "draft" => ReportStatus::Draft,
            "submitted" => ReportStatus::Submitted,
            "approved" => ReportStatus::Approved,
            "rejected" => ReportStatus::Rejected,
            _ => return None,
        })
    }
}

impl std::fmt::Display for ReportStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// How an entry of a report becomes an item on approval (IMSMA NG's reconcile actions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Reconcile {
    /// Create a new item.
    #[default]
    New,
    /// Add a new version to an existing item.
    Update {
        /// Id of the existing item, e.g. `HAZ-000012`, or its unique local id.
        item: String,
        /// The version of the item the update was written against (its number of versions when
        /// it was read, as in the item's ETag). When set, approval fails with
        /// [`StoreError::Conflict`](crate::StoreError::Conflict) if another version was
        /// approved since: two people editing one item never silently overwrite each other.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        base_version: Option<u32>,
    },
}

/// One reported record in a report, with how to reconcile it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportEntry {
    /// The reported record.
    pub record: Record,
    /// New item or update of an existing one.
    #[serde(default)]
    pub reconcile: Reconcile,
    /// Personal data of a victim; only allowed on victim entries and stored apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_data: Option<VictimPersonalData>,
}

impl ReportEntry {
    /// An entry that creates a new item.
    pub fn new(record: Record) -> Self {
        ReportEntry {
            record,
            reconcile: Reconcile::New,
            personal_data: None,
        }
    }
}

/// A report as written by a field team or imported from a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewReport {
    /// Reporting organisation (item id), if known.
    pub organisation: Option<String>,
    /// Short human title ("Clearance completion CHA-0042").
    pub title: String,
    /// Where it came from (form, file name and feature index, ...).
    pub source: Option<String>,
    /// Date of information: the valid time of every version it creates.
    pub date_of_information: NaiveDate,
    /// The reported records.
    pub entries: Vec<ReportEntry>,
}

/// A stored report with its workflow stamps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Report id.
    pub id: ReportId,
    /// Workflow status.
    pub status: ReportStatus,
    /// The content.
    #[serde(flatten)]
    pub content: NewReport,
    /// Who created it and when.
    pub created_by: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Who submitted it.
    pub submitted_by: Option<String>,
    /// When it was submitted.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Who approved or rejected it.
    pub decided_by: Option<String>,
    /// When it was approved or rejected (the transaction time of its versions).
    pub decided_at: Option<DateTime<Utc>>,
    /// Reviewer's comment.
    pub decision_comment: Option<String>,
    /// Incremented by every change of the report (edit, submission, reconciliation, link,
    /// decision): the ETag of optimistic concurrency.
    pub revision: i64,
}

/// Which reports to list.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    /// Only reports with this status.
    pub status: Option<ReportStatus>,
    /// Only reports of this organisation (local id, e.g. `ORG-HALO`).
    pub organisation: Option<String>,
    /// Only reports with an id greater than this (keyset paging).
    pub after: Option<ReportId>,
    /// At most this many (newest last).
    pub limit: usize,
}

/// A report without its entries, for lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportSummary {
    /// Report id.
    pub id: ReportId,
    /// Workflow status.
    pub status: ReportStatus,
    /// Reporting organisation.
    pub organisation: Option<String>,
    /// Title.
    pub title: String,
    /// Date of information.
    pub date_of_information: NaiveDate,
    /// Number of entries.
    pub entries: usize,
    /// Who created it.
    pub created_by: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Revision (ETag).
    pub revision: i64,
}

/// Options of an approval.
#[derive(Debug, Clone, Default)]
pub struct ApproveOptions {
    /// Comment recorded with the approval.
    pub comment: Option<String>,
    /// Accept updates whose date of information is not later than the current version's: they
    /// are stored as historical versions (visible "as of" past dates) instead of being refused.
    pub allow_backdated: bool,
    /// Four-eyes approval: refuse (`StoreError::SecondApproverNeeded`) an approval by whoever
    /// created or submitted the report (user names compared ignoring ASCII case).
    pub four_eyes: bool,
}

/// What an approval did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The items created or given a new version, in entry order.
    pub items: Vec<String>,
    /// Hazards whose derived state (remaining area, status) was recomputed.
    pub hazards_recomputed: Vec<String>,
}

/// Whether a streaming read goes on after a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Send the next row.
    Continue,
    /// Stop reading.
    Stop,
}

/// One version of an item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemVersion {
    /// Item id.
    pub item: String,
    /// Report that created the version.
    pub report: ReportId,
    /// Date of information (valid time).
    pub valid_from: NaiveDate,
    /// Approval time (transaction time).
    pub recorded_at: DateTime<Utc>,
    /// The record as approved.
    pub record: Record,
}

/// A point in both times: the world as it was on `date`, as the database knew it at `known_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf {
    /// Valid time: versions with a date of information up to this day count.
    pub date: NaiveDate,
    /// Transaction time: versions approved up to this instant count (None = now).
    pub known_at: Option<DateTime<Utc>>,
}

impl AsOf {
    /// Everything known now, valid on `date`.
    pub fn date(date: NaiveDate) -> Self {
        AsOf {
            date,
            known_at: None,
        }
    }

    /// The current state: latest valid time, everything known now.
    pub fn now() -> Self {
        AsOf {
            date: NaiveDate::MAX,
            known_at: None,
        }
    }
}

/// The derived land-release state of one hazard.
#[derive(Debug, Clone, PartialEq)]
pub struct HazardState {
    /// Hazard id.
    pub item: String,
    /// The hazard's local id (as teams know it).
    pub local_id: String,
    /// The hazard's name.
    pub name: String,
    /// Class after applying linked activities.
    pub class: HazardClass,
    /// Status after applying linked activities.
    pub status: HazardStatus,
    /// Admin area P-code.
    pub admin_pcode: Option<String>,
    /// Organisation item id.
    pub organisation: Option<String>,
    /// Area written on the form, m².
    pub reported_m2: Option<f64>,
    /// Geodesic area of the hazard polygon, m².
    pub original_m2: f64,
    /// Area released by cancellation (NTS), m², net of earlier releases.
    pub cancelled_m2: f64,
    /// Area released by reduction (TS), m², net of earlier releases.
    pub reduced_m2: f64,
    /// Area released by clearance, m², net of earlier releases.
    pub cleared_m2: f64,
    /// Geodesic area of what remains, m².
    pub remaining_m2: f64,
    /// The hazard polygon.
    pub geometry: Option<MultiPolygon<f64>>,
    /// Hazard minus everything released.
    pub remaining: Option<MultiPolygon<f64>>,
    /// Date of information of the hazard's version in force.
    pub valid_from: NaiveDate,
}

/// The area one released polygon was credited with, net of everything released before it
/// (so credits of a hazard add up exactly to its cancelled, reduced and cleared totals).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReleaseCredit {
    /// Hazard item id.
    pub hazard: String,
    /// Activity item id.
    pub activity: String,
    /// Admin area of the hazard.
    pub admin_pcode: Option<String>,
    /// Date of information of the activity version.
    pub valid_from: NaiveDate,
    /// Cancelled, reduced or cleared.
    pub method: safeground_model::ReleaseMethod,
    /// The asset that released it, when recorded.
    pub asset_type: Option<safeground_model::AssetType>,
    /// Area credited, m².
    pub area_m2: f64,
}

/// One row of the land-release summary, per admin area.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct LandReleaseRow {
    /// Admin area P-code ("" when the hazard has none).
    pub admin_pcode: String,
    /// Number of hazards.
    pub hazards: u64,
    /// Original area of suspected hazardous areas (SHA and indications), m².
    pub suspected_m2: f64,
    /// Original area of confirmed hazardous areas (CHA), m².
    pub confirmed_m2: f64,
    /// Cancelled, m².
    pub cancelled_m2: f64,
    /// Reduced, m².
    pub reduced_m2: f64,
    /// Cleared, m².
    pub cleared_m2: f64,
    /// Remaining, m².
    pub remaining_m2: f64,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// Position in the log (grows with every line).
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// What (`report.create`, `report.approve`, ...).
    pub action: String,
    /// On what (`report:12`, `HAZ-000003`).
    pub target: String,
    /// Extra detail.
    pub detail: Option<String>,
}

/// How far an import of one source has been written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Names the source: a digest of the file and the mapping it is read with.
    pub key: String,
    /// Source records dealt with (written or refused) so far.
    pub position: u64,
}

/// One batch of an import, written in one transaction with its checkpoint.
#[derive(Debug, Clone, Default)]
pub struct ImportBatch<'a> {
    /// The reports, each validated by the caller ([`crate::ValidReport::check`]), then
    /// submitted (and approved when `approve` is set).
    pub reports: &'a [ValidReport],
    /// Approve every report as it is written (a legacy migration); `None` leaves them
    /// submitted for review.
    pub approve: Option<ApproveOptions>,
    /// Moved forward in the same transaction as the reports.
    pub checkpoint: Option<Checkpoint>,
    /// Roll the whole batch back at the first report that fails (`--strict`); otherwise a
    /// failing report is left out and the others are written.
    pub all_or_nothing: bool,
}

/// The contract every Safeground store backend implements.
pub trait ProgrammeStore {
    /// Stores a new draft report. Only its structure is checked.
    fn create_report(&mut self, actor: &str, report: &NewReport) -> Result<ReportId>;
    /// Replaces the content of a draft.
    fn update_draft(&mut self, actor: &str, id: ReportId, report: &NewReport) -> Result<()>;
    /// Validates a draft fully and moves it to submitted; on error it stays a draft.
    fn submit_report(&mut self, actor: &str, id: ReportId) -> Result<()>;
    /// Creates and submits many reports in one transaction: all or none.
    fn submit_batch(&mut self, actor: &str, reports: &[NewReport]) -> Result<Vec<ReportId>>;
    /// Writes one batch of an import in one transaction: every report (already validated)
    /// submitted (and approved when asked), and the checkpoint moved forward. Gives one result
    /// per report; with `all_or_nothing`, the first failure is returned and nothing is written.
    fn import_batch(
        &mut self,
        actor: &str,
        batch: &ImportBatch<'_>,
    ) -> Result<Vec<Result<ReportId>>>;
    /// The checkpoint of an import source (`None` if it was never imported).
    fn import_checkpoint(&self, key: &str) -> Result<Option<u64>>;
    /// Called once an import has written its last batch, with the number of records it
    /// wrote: when they grew the tables noticeably, brings what the database plans its queries
    /// by up to date with the tables' new sizes, so that the first queries after a large import
    /// are not planned for the tables as they were before it.
    fn import_finished(&mut self, records: usize) -> Result<()>;
    /// Changes how one entry of a submitted report is reconciled.
    fn reconcile_entry(
        &mut self,
        actor: &str,
        id: ReportId,
        entry: usize,
        reconcile: Reconcile,
    ) -> Result<()>;
    /// Links a reference field of an entry (`hazard`, `accident`, `activity`...) to an item.
    fn link_entry(
        &mut self,
        actor: &str,
        id: ReportId,
        entry: usize,
        field: &str,
        target: &str,
    ) -> Result<()>;
    /// Approves a submitted report: versions, links and derived state in one transaction.
    fn approve_report(
        &mut self,
        actor: &str,
        id: ReportId,
        options: &ApproveOptions,
    ) -> Result<Approval>;
    /// Rejects a submitted report with a comment.
    fn reject_report(&mut self, actor: &str, id: ReportId, comment: &str) -> Result<()>;
    /// Reads a report.
    fn report(&self, id: ReportId) -> Result<Report>;
    /// Lists reports (without entries) in id order.
    fn list_reports(&self, filter: &ReportFilter) -> Result<Vec<ReportSummary>>;
    /// Report ids with a status, oldest first.
    fn reports_with_status(&self, status: ReportStatus) -> Result<Vec<ReportId>>;
    /// Every version of an item, in valid-time then transaction-time order.
    fn versions(&self, item: &str) -> Result<Vec<ItemVersion>>;
    /// The version of an item in force at `as_of` (None if it did not exist then).
    fn item_as_of(&self, item: &str, as_of: AsOf) -> Result<Option<ItemVersion>>;
    /// Items whose version at `as_of` refers to `item` (activities of a hazard, victims of an
    /// accident, ...), with the referring field.
    fn linked_items(&self, item: &str, as_of: AsOf) -> Result<Vec<(&'static str, ItemVersion)>>;
    /// Ids of all items of a kind.
    fn items_of_kind(&self, kind: ItemKind) -> Result<Vec<String>>;
    /// Streams the current version of every item of a kind, in id order, starting after the
    /// item id `after`; memory stays constant whatever the number of items.
    fn for_each_current(
        &self,
        kind: ItemKind,
        after: Option<&str>,
        f: &mut dyn FnMut(ItemVersion) -> Result<Flow>,
    ) -> Result<()>;
    /// Streams the current derived state of every hazard, in id order, after `after`.
    fn for_each_hazard_state(
        &self,
        after: Option<&str>,
        f: &mut dyn FnMut(HazardState) -> Result<Flow>,
    ) -> Result<()>;
    /// One page of the hazard register: the current state of the hazards matching `query`,
    /// without their polygons, filtered, ordered and paged by the database.
    fn hazard_register(&self, query: &RegisterQuery) -> Result<RegisterPage>;
    /// One page of the records list: current versions of one kind matching `query`, filtered,
    /// ordered and paged by the database.
    fn record_list(&self, query: &RecordListQuery) -> Result<RecordListPage>;
    /// A number that grows with every approval (the last version written): readers that cache
    /// derived data (tiles) compare it to know when to rebuild.
    fn last_change(&self) -> Result<i64>;
    /// Number of versions of an item (0 if it does not exist): the item's ETag.
    fn version_count(&self, item: &str) -> Result<u32>;
    /// A victim's personal data as of a time; the read is audited (callers check the role first).
    fn victim_personal_data(
        &mut self,
        actor: &str,
        item: &str,
        as_of: AsOf,
    ) -> Result<Option<VictimPersonalData>>;
    /// The derived state of a hazard at `as_of`.
    fn hazard_state(&self, item: &str, as_of: AsOf) -> Result<Option<HazardState>>;
    /// The credit of every released polygon of a hazard at `as_of` (empty if it did not exist).
    fn release_credits(&self, hazard: &str, as_of: AsOf) -> Result<Vec<ReleaseCredit>>;
    /// Land-release summary per admin area at `as_of`.
    fn land_release_summary(&self, as_of: AsOf) -> Result<Vec<LandReleaseRow>>;
    /// The audit log, oldest first.
    fn audit_log(&self) -> Result<Vec<AuditEntry>>;
    /// One page of the audit log, newest first, filtered by the database.
    fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage>;
    /// Checks the invariants the store promises; returns one line per problem found.
    fn check_consistency(&self) -> Result<Vec<String>>;
}
