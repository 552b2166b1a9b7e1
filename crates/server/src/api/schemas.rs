//! OpenAPI schemas of answers that the handlers write as JSON objects (the schemathesis test in
//! `tests/openapi.rs` checks live answers against them).

use safeground_model::{HazardClass, HazardStatus, ItemKind};
use safeground_store::ReportStatus;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

/// What the user's role allows.
#[derive(Serialize, ToSchema)]
pub struct Permissions {
    /// Write and submit reports.
    pub write_reports: bool,
    /// Review submitted reports.
    pub review: bool,
    /// Approve reports.
    pub approve: bool,
    /// Manage accounts and read the audit log.
    pub manage_users: bool,
    /// Read and enter victims' personal data (also while a break-glass grant is open).
    pub personal_data: bool,
    /// Open a break-glass grant (national approvers and administrators, unless the server
    /// runs with `--no-break-glass`).
    pub break_glass: bool,
}

/// The logged-in user.
#[derive(Serialize, ToSchema)]
pub struct Me {
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// viewer, data_entry, reviewer, approver, administrator or victim_assistance.
    pub role: String,
    /// Organisation local id.
    pub organisation: String,
    /// Whether the organisation is the national authority (sees every organisation's data).
    pub national: bool,
    /// What the role allows.
    pub may: Permissions,
    /// The user's open break-glass grant (null when none).
    pub break_glass: Option<super::break_glass::ActiveGrant>,
    /// Ended break-glass grants waiting for a review (administrators and victim-assistance
    /// officers only).
    pub break_glass_reviews: Option<usize>,
}

/// A new API token, shown once.
#[derive(Serialize, ToSchema)]
pub struct NewToken {
    /// The secret, sent as `Authorization: Bearer <token>`.
    pub token: String,
    /// Its id, to list or revoke it.
    pub id: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
    /// A reminder to store it safely.
    pub note: String,
}

/// One session or API token of the current user.
#[derive(Serialize, ToSchema)]
pub struct TokenInfo {
    /// Id (the start of the token's digest).
    pub id: String,
    /// `session` or `api_token`.
    pub kind: String,
    /// What it is for.
    pub label: Option<String>,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it stops working (RFC 3339).
    pub expires_at: Option<String>,
    /// Whether this request used it.
    pub current: bool,
}

/// The current user's sessions and tokens.
#[derive(Serialize, ToSchema)]
pub struct TokenList {
    /// Newest first.
    pub tokens: Vec<TokenInfo>,
}

/// One term of a vocabulary.
#[derive(Serialize, ToSchema)]
pub struct Term {
    /// Code stored in records.
    pub code: String,
    /// English label.
    pub label: String,
}

/// The server settings the UI reads.
#[derive(Serialize, ToSchema)]
pub struct UiConfig {
    /// Raster basemap URL template, when one is configured.
    pub basemap_url: Option<String>,
    /// The server's version.
    pub version: String,
}

/// The answer to a login (the session cookie comes with it).
#[derive(Serialize, ToSchema)]
pub struct LoggedIn {
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// viewer, data_entry, reviewer, approver, administrator or victim_assistance.
    pub role: String,
    /// Organisation local id.
    pub organisation: String,
    /// Lifetime of the session, hours.
    pub session_hours: i64,
}

/// A user account.
#[derive(Serialize, ToSchema)]
pub struct UserAccount {
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Organisation local id.
    pub organisation: String,
    /// viewer, data_entry, reviewer, approver, administrator or victim_assistance.
    pub role: String,
    /// Disabled accounts cannot log in.
    pub disabled: bool,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// The accounts.
#[derive(Serialize, ToSchema)]
pub struct UserList {
    /// Every account.
    pub users: Vec<UserAccount>,
}

/// A created account.
#[derive(Serialize, ToSchema)]
pub struct CreatedUser {
    /// The account.
    pub user: UserAccount,
    /// The generated password, when none was given (shown once).
    pub password: Option<String>,
}

/// A password reset.
#[derive(Serialize, ToSchema)]
pub struct PasswordWasReset {
    /// Login name.
    pub user: String,
    /// The generated password, when none was given (shown once).
    pub password: Option<String>,
}

/// One line of the audit log.
#[derive(Serialize, ToSchema)]
pub struct AuditLine {
    /// Position in the log.
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What (`report.approve`, `login.failed`, ...).
    pub action: String,
    /// On what (`report:12`, `HAZ-000003`).
    pub target: String,
    /// Extra detail.
    pub detail: Option<String>,
}

/// Links of a page.
#[derive(Serialize, ToSchema)]
pub struct PageLinks {
    /// The next page, while there is one.
    pub next: Option<String>,
}

/// One page of the audit log, newest first.
#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    /// The lines.
    pub entries: Vec<AuditLine>,
    /// Lines matching the filters in all pages.
    pub total: u64,
    /// `before` of the next page, while there is one.
    pub next_before: Option<i64>,
    /// The next page's URL.
    pub links: PageLinks,
}

/// One page of flat records of a kind.
#[derive(Serialize, ToSchema)]
pub struct RecordPage {
    /// The kind listed.
    pub kind: String,
    /// Records matching the filters, all pages together.
    pub total: u64,
    /// Field names: `id`, `date_of_information`, then the record's fields by name.
    pub columns: Vec<String>,
    /// One object per record, field name to value (objects and arrays as JSON text).
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Value>,
}

/// A vector layer of a TileJSON.
#[derive(Serialize, ToSchema)]
pub struct VectorLayer {
    /// Layer id inside the tiles.
    pub id: String,
    /// Attribute name to type (`String`, `Number`).
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
}

/// A TileJSON 3.0 document.
#[derive(Serialize, ToSchema)]
pub struct TileJson {
    /// Always `3.0.0`.
    pub tilejson: String,
    /// Layer name.
    pub name: String,
    /// URL template of the tiles.
    pub tiles: Vec<String>,
    /// Lowest zoom.
    pub minzoom: u8,
    /// Highest zoom.
    pub maxzoom: u8,
    /// West, south, east, north of the layer's features.
    pub bounds: [f64; 4],
    /// The one vector layer.
    pub vector_layers: Vec<VectorLayer>,
}

// Answers that handlers build as JSON values (records of any kind, reports, the dashboard)
// are described by the types below; they derive `Serialize` as well, which keeps each field
// of the description counted as used.

/// A string schema taking one of `codes`.
fn codes(description: &str, codes: impl IntoIterator<Item = &'static str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes))
        .description(Some(description))
        .build()
}

fn item_kind() -> Object {
    codes("The record's kind.", ItemKind::ALL.iter().map(|k| k.code()))
}

fn report_status() -> Object {
    use ReportStatus::*;
    let all = [Draft, Submitted, Approved, Rejected];
    codes(
        "Where the report is in its workflow.",
        all.map(ReportStatus::code),
    )
}

pub(super) fn hazard_class() -> Object {
    codes(
        "Class after the linked activities.",
        HazardClass::ALL.iter().map(|c| c.code()),
    )
}

pub(super) fn hazard_status() -> Object {
    codes(
        "Status after the linked activities.",
        HazardStatus::ALL.iter().map(|s| s.code()),
    )
}

/// A GeoJSON geometry (RFC 7946), WGS 84 longitude/latitude.
#[derive(Serialize, ToSchema)]
pub struct GeoJsonGeometry {
    /// `Point`, `Polygon`, `MultiPolygon`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Positions, nested as the type says.
    #[schema(value_type = Vec<Value>)]
    pub coordinates: Vec<serde_json::Value>,
}

/// A GeoJSON feature (RFC 7946).
#[derive(Serialize, ToSchema)]
pub struct GeoJsonFeature {
    /// Always `Feature`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The feature's geometry, or null.
    pub geometry: Option<GeoJsonGeometry>,
    /// The feature's fields.
    #[schema(value_type = Option<Object>)]
    pub properties: Option<serde_json::Value>,
}

/// A GeoJSON FeatureCollection (RFC 7946).
#[derive(Serialize, ToSchema)]
pub struct GeoJsonFeatureCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The features.
    pub features: Vec<GeoJsonFeature>,
}

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
}

/// One version of an item.
#[derive(Serialize, ToSchema)]
pub struct ItemVersionDoc {
    /// Item id.
    pub item: String,
    /// Record kind.
    #[schema(schema_with = item_kind)]
    pub kind: String,
    /// The report that created the version.
    pub report: i64,
    /// Date of information (YYYY-MM-DD; YYYY-MM when generalised).
    pub valid_from: String,
    /// Approval time (RFC 3339).
    pub recorded_at: String,
    /// The record.
    pub record: RecordDoc,
}

/// One page of current items of a kind, in id order.
#[derive(Serialize, ToSchema)]
pub struct ItemPage {
    /// The current versions.
    pub items: Vec<ItemVersionDoc>,
    /// `after` of the next page, while the page is full.
    pub next_after: Option<String>,
}

/// An item as of a date (ETag: its number of versions).
#[derive(Serialize, ToSchema)]
pub struct ItemDoc {
    /// The version in force.
    #[serde(flatten)]
    pub version_doc: ItemVersionDoc,
    /// The item's number of versions.
    pub version: u32,
}

/// Every version of an item.
#[derive(Serialize, ToSchema)]
pub struct ItemVersions {
    /// Item id.
    pub item: String,
    /// Oldest first.
    pub versions: Vec<ItemVersionDoc>,
}

/// An item that refers to another.
#[derive(Serialize, ToSchema)]
pub struct LinkedItemDoc {
    /// Its version in force.
    #[serde(flatten)]
    pub version_doc: ItemVersionDoc,
    /// The field that refers.
    pub field: String,
}

/// The items that refer to one.
#[derive(Serialize, ToSchema)]
pub struct ItemLinks {
    /// Item id.
    pub item: String,
    /// The referring items.
    pub linked: Vec<LinkedItemDoc>,
}

/// A victim's personal data (the read is audited).
#[derive(Serialize, ToSchema)]
pub struct PersonalDataDoc {
    /// Victim id.
    pub item: String,
    /// Names, contact and the like; null when none were recorded.
    #[schema(value_type = Option<Object>)]
    pub personal_data: Option<serde_json::Value>,
}

/// A proposed edit, submitted for review.
#[derive(Serialize, ToSchema)]
pub struct ProposedEdit {
    /// The submitted report that carries it (also in `Location`).
    pub report: i64,
    /// The item edited.
    pub item: String,
    /// The item's version the edit is based on.
    pub base_version: u32,
}

/// The derived land-release state of a hazard.
#[derive(Serialize, ToSchema)]
pub struct HazardStateDoc {
    /// Hazard id.
    pub item: String,
    /// Class after the linked activities.
    #[schema(schema_with = hazard_class)]
    pub class: String,
    /// Status after the linked activities.
    #[schema(schema_with = hazard_status)]
    pub status: String,
    /// Admin area P-code.
    pub admin_pcode: Option<String>,
    /// Organisation item id.
    pub organisation: Option<String>,
    /// Area written on the form, m².
    pub reported_m2: Option<f64>,
    /// Geodesic area of the hazard polygon, m².
    pub original_m2: f64,
    /// Released by cancellation, m².
    pub cancelled_m2: f64,
    /// Released by technical survey, m².
    pub reduced_m2: f64,
    /// Released by clearance, m².
    pub cleared_m2: f64,
    /// What remains, m².
    pub remaining_m2: f64,
    /// The hazard polygon.
    #[schema(value_type = Option<GeoJsonGeometry>)]
    pub geometry: Option<geojson::Geometry>,
    /// The hazard minus everything released.
    #[schema(value_type = Option<GeoJsonGeometry>)]
    pub remaining: Option<geojson::Geometry>,
}

/// Land release of one admin area.
#[derive(Serialize, ToSchema)]
pub struct LandReleaseRowDoc {
    /// Admin area P-code ("" for hazards without one).
    pub admin_pcode: String,
    /// Number of hazards.
    pub hazards: u64,
    /// Original area of suspected hazardous areas, m².
    pub suspected_m2: f64,
    /// Original area of confirmed hazardous areas, m².
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

/// Land released and remaining per admin area.
#[derive(Serialize, ToSchema)]
pub struct LandReleaseSummary {
    /// The date asked (null: now).
    pub as_of: Option<chrono::NaiveDate>,
    /// The transaction time asked (null: now).
    pub known_at: Option<chrono::DateTime<chrono::Utc>>,
    /// One row per admin area.
    #[schema(value_type = Vec<LandReleaseRowDoc>)]
    pub rows: Vec<safeground_store::LandReleaseRow>,
}

/// An account change waiting for a second administrator.
#[derive(Serialize, ToSchema)]
pub struct AccountRequestDoc {
    /// Request id.
    pub id: i64,
    /// `create` or `reset_password`.
    pub action: String,
    /// The account's user name.
    pub username: String,
    /// Display name (of a new account).
    pub display_name: String,
    /// Organisation (of a new account).
    pub organisation: String,
    /// Role (of a new account).
    pub role: String,
    /// The administrator who asked.
    pub requested_by: String,
    /// When (RFC 3339).
    pub requested_at: String,
}

/// Pending account requests.
#[derive(Serialize, ToSchema)]
pub struct AccountRequestList {
    /// Oldest first.
    #[schema(value_type = Vec<AccountRequestDoc>)]
    pub requests: Vec<safeground_store::AccountRequest>,
}

/// A recorded request: a second administrator must confirm it.
#[derive(Serialize, ToSchema)]
pub struct AccountRequestAccepted {
    /// Request id.
    pub request: i64,
    /// `create` or `reset_password`.
    #[schema(value_type = String)]
    pub action: safeground_store::AccountAction,
    /// The account's user name.
    pub user: String,
    /// Always `pending`.
    pub status: String,
    /// What happens next.
    pub detail: String,
}

/// A confirmed request.
#[derive(Serialize, ToSchema)]
pub struct ConfirmedRequest {
    /// Request id.
    pub request: i64,
    /// `create` or `reset_password`.
    #[schema(value_type = String)]
    pub action: safeground_store::AccountAction,
    /// The account's user name.
    pub user: String,
    /// The account's role.
    #[schema(value_type = String)]
    pub role: safeground_store::Role,
    /// The generated password, shown once.
    pub password: String,
}

/// A ready import mapping.
#[derive(Serialize, ToSchema)]
pub struct MappingInfo {
    /// Name, for `mapping=`.
    pub name: String,
    /// What it reads.
    pub description: String,
}

/// A problem found in a polygon.
#[derive(Serialize, ToSchema)]
pub struct GeometryIssue {
    /// `error` (refused on submission) or `warning`.
    pub severity: String,
    /// What is wrong and where.
    pub message: String,
}

/// A position, checked.
#[derive(Serialize, ToSchema)]
pub struct PointPreview {
    /// The point.
    #[schema(value_type = GeoJsonGeometry)]
    pub point: geojson::Geometry,
}

/// A polygon, built, measured and checked.
#[derive(Serialize, ToSchema)]
pub struct PolygonPreview {
    /// The (multi)polygon.
    #[schema(value_type = GeoJsonGeometry)]
    pub geometry: geojson::Geometry,
    /// Geodesic area, m².
    pub area_m2: f64,
    /// Geodesic perimeter, m.
    pub perimeter_m: f64,
    /// Distance between the last turning point and the first, m (0 for a geometry).
    pub closing_error_m: f64,
    /// Problems found.
    pub issues: Vec<GeometryIssue>,
}

/// The preview of a point or of a polygon.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum GeometryPreview {
    /// A point was given.
    Point(PointPreview),
    /// Turning points or a geometry were given.
    Polygon(PolygonPreview),
}

/// One record an import did not (or would not) write.
#[derive(Serialize, ToSchema)]
pub struct ImportRecordDoc {
    /// Where it is in the file ("row 12").
    pub record: String,
    /// Its local id, when known.
    pub local_id: Option<String>,
    /// The Safeground field concerned.
    pub field: Option<String>,
    /// The source column concerned.
    pub column: Option<String>,
    /// What is wrong, and what to do.
    pub reason: String,
    /// The record already present that it repeats (twins only).
    pub twin_of: Option<String>,
}

/// Counts of the records not written.
#[derive(Serialize, ToSchema)]
pub struct NotWritten {
    /// Refused records.
    pub refused: u64,
    /// Records held as twins of another in the file.
    pub twins: u64,
    /// Records already in the database.
    pub already_present: u64,
    /// Records skipped by the mapping.
    pub skipped: u64,
}

/// What an import wrote (or, dry, would write).
#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    /// The file's name.
    pub file: String,
    /// The mapping used.
    pub mapping: String,
    /// Nothing was written.
    pub dry_run: bool,
    /// Records read.
    pub records: u64,
    /// Records already imported by an earlier, interrupted run of this file.
    pub resumed_from: u64,
    /// Reports the file makes.
    pub would_import: u64,
    /// Reports written.
    pub imported: u64,
    /// Counts of what was not written.
    pub not_written: NotWritten,
    /// Refused records.
    pub refused: Vec<ImportRecordDoc>,
    /// Twins held back.
    pub twins: Vec<ImportRecordDoc>,
    /// Records already present.
    pub already_present: Vec<ImportRecordDoc>,
    /// Twins and records already present together.
    pub duplicates: Vec<ImportRecordDoc>,
    /// Records skipped by the mapping.
    pub skipped: u64,
    /// Notes on the run.
    pub notes: Vec<String>,
}

/// A column of a figures table.
#[derive(Serialize, ToSchema)]
pub struct FiguresColumn {
    /// Key of the column in rows.
    pub key: String,
    /// Title.
    pub title: String,
    /// Value kind (`text`, `integer`, `area`, ...).
    pub kind: String,
}

/// A table of the figures report.
#[derive(Serialize, ToSchema)]
pub struct FiguresTable {
    /// Table id (`table=` of the CSV export).
    pub id: String,
    /// Title.
    pub title: String,
    /// What the table counts.
    pub counts: String,
    /// The columns.
    pub columns: Vec<FiguresColumn>,
    /// One object per row, column key to value.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Value>,
    /// The total row, when the table has one.
    #[schema(value_type = Option<Object>)]
    pub total: Option<serde_json::Value>,
    /// Notes under the table.
    pub notes: Vec<String>,
}

/// The parameters a figures report was made with.
#[derive(Serialize, ToSchema)]
pub struct FiguresParameters {
    /// The date (YYYY-MM-DD).
    pub as_of: String,
    /// The transaction time (RFC 3339), when asked.
    pub known_at: Option<String>,
    /// Start of the period (YYYY-MM-DD).
    pub from: Option<String>,
    /// End of the period (YYYY-MM-DD).
    pub to: Option<String>,
    /// Admin area P-code.
    pub admin_area: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// Donor.
    pub donor: Option<String>,
    /// Article 5 deadline (YYYY-MM-DD).
    pub treaty_deadline: Option<String>,
    /// Counts below this are suppressed.
    pub suppression_threshold: Option<u64>,
}

/// A chart of a figures table.
#[derive(Serialize, ToSchema)]
pub struct FiguresChart {
    /// The table charted.
    pub table: String,
    /// Column on the x axis.
    pub x: String,
    /// Columns drawn.
    pub series: Vec<String>,
}

/// The figures report (JSON).
#[derive(Serialize, ToSchema)]
pub struct FiguresDoc {
    /// Title.
    pub title: String,
    /// Language code.
    pub language: String,
    /// Parameters.
    pub parameters: FiguresParameters,
    /// The tables.
    pub tables: Vec<FiguresTable>,
    /// The charts.
    pub charts: Vec<FiguresChart>,
    /// The remaining hazard polygons of the selection.
    pub map: GeoJsonFeatureCollection,
}

/// Land released by one method outside the hazards the activities are linked to.
#[derive(Serialize, ToSchema)]
pub struct OutsideFigures {
    /// `cancelled`, `reduced` or `cleared` (absent in the total).
    pub method: Option<String>,
    /// Area released outside the hazards, m².
    pub outside_m2: f64,
    /// Activities that released some.
    pub activities: u64,
    /// Activities that released only outside.
    pub entirely_outside: u64,
}

/// Land released outside hazards.
#[derive(Serialize, ToSchema)]
pub struct OutsideHazards {
    /// By method.
    pub by_method: Vec<OutsideFigures>,
    /// All methods.
    pub total: OutsideFigures,
}

/// Hazards and areas of the whole programme.
#[derive(Serialize, ToSchema)]
pub struct DashboardTotals {
    /// Number of hazards.
    pub hazards: u64,
    /// Remaining, m².
    pub remaining_m2: f64,
    /// Cancelled, m².
    pub cancelled_m2: f64,
    /// Reduced, m².
    pub reduced_m2: f64,
    /// Cleared, m².
    pub cleared_m2: f64,
}

/// Land released in a year or by an asset.
#[derive(Serialize, ToSchema)]
pub struct ReleasedFigures {
    /// The year (by year).
    pub year: Option<i32>,
    /// The asset type (by asset).
    pub asset_type: Option<String>,
    /// Cancelled, m².
    pub cancelled_m2: f64,
    /// Reduced, m².
    pub reduced_m2: f64,
    /// Cleared, m².
    pub cleared_m2: f64,
}

/// Remaining contamination of an admin area.
#[derive(Serialize, ToSchema)]
pub struct RemainingFigures {
    /// Admin area P-code.
    pub admin_pcode: String,
    /// Its name, when known.
    pub name: Option<String>,
    /// Number of hazards.
    pub hazards: u64,
    /// Suspected, m².
    pub suspected_m2: f64,
    /// Confirmed, m².
    pub confirmed_m2: f64,
    /// Remaining, m².
    pub remaining_m2: f64,
}

/// Explosive ordnance of a category.
#[derive(Serialize, ToSchema)]
pub struct EoFigures {
    /// EO category.
    pub category: Option<String>,
    /// Records.
    pub records: u64,
    /// Items.
    pub quantity: u64,
    /// Items disposed of (found EO).
    pub disposed: Option<u64>,
    /// Items not disposed of (found EO).
    pub not_disposed: Option<u64>,
    /// Records without a date (found EO).
    pub date_unknown: Option<u64>,
}

/// Accidents of a year.
#[derive(Serialize, ToSchema)]
pub struct AccidentFigures {
    /// The year (null: undated).
    pub year: Option<i32>,
    /// Accidents.
    pub accidents: u64,
    /// Accidents with victims.
    pub with_victims: u64,
    /// Accidents without victims.
    pub without_victims: u64,
    /// People killed.
    pub killed: u64,
    /// People injured.
    pub injured: u64,
}

/// Casualties of a year, sex and age group.
#[derive(Serialize, ToSchema)]
pub struct CasualtyFigures {
    /// The year (null: undated).
    pub year: Option<i32>,
    /// Sex.
    pub sex: String,
    /// Age group.
    pub age_group: String,
    /// Killed.
    pub killed: u64,
    /// Injured.
    pub injured: u64,
    /// Other outcomes.
    pub other: u64,
}

/// Risk-education beneficiaries of a sex and age band.
#[derive(Serialize, ToSchema)]
pub struct BeneficiaryFigures {
    /// Sex.
    pub sex: String,
    /// Age band.
    pub age_band: String,
    /// Direct beneficiaries.
    pub direct: u64,
    /// Indirect beneficiaries.
    pub indirect: u64,
}

/// The dashboard figures.
#[derive(Serialize, ToSchema)]
pub struct DashboardDoc {
    /// The date asked (null: now).
    pub as_of: Option<String>,
    /// Land released outside the hazards linked.
    pub land_released_outside_hazards: OutsideHazards,
    /// The admin areas of the deepest level with boundaries, with `pcode`, `name`, `level`,
    /// `hazards` and `remaining_m2` as properties.
    pub admin_boundaries: GeoJsonFeatureCollection,
    /// Programme totals.
    pub totals: DashboardTotals,
    /// Land released per year.
    pub land_released_by_year: Vec<ReleasedFigures>,
    /// Land released per asset type.
    pub land_released_by_asset: Vec<ReleasedFigures>,
    /// Remaining contamination per admin area.
    pub remaining_by_admin: Vec<RemainingFigures>,
    /// EO destroyed per category.
    pub eo_destroyed_by_category: Vec<EoFigures>,
    /// EO found per category.
    pub eo_found_by_category: Vec<EoFigures>,
    /// Accidents per year.
    pub accidents_by_year: Vec<AccidentFigures>,
    /// Casualties.
    pub casualties: Vec<CasualtyFigures>,
    /// Risk-education beneficiaries.
    pub risk_education_beneficiaries: Vec<BeneficiaryFigures>,
}

/// The bytes of a file (a download).
#[derive(Serialize, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(pub Vec<u8>);
