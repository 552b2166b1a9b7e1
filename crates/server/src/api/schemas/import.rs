//! Import mappings and results, and the geometry preview.

use super::*;

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
