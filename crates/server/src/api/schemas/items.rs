//! Approved items, their versions and links, personal data, hazard states and land release.

use super::*;

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
