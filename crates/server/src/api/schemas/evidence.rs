//! Schemas of the evidence documents: orthophotos, AI detections and machine tracks.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::GeoJsonGeometry;

/// A GeoJSON value of a geometry.
pub fn geometry<'a, G>(g: &'a G) -> Value
where
    geojson::GeometryValue: From<&'a G>,
{
    serde_json::to_value(geojson::Geometry::new(geojson::GeometryValue::from(g)))
        .unwrap_or(Value::Null)
}

/// A drone orthophoto kept by the programme.
#[derive(Serialize, ToSchema)]
pub struct OrthophotoDoc {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Bands (1 grey, 3 RGB, 4 RGBA).
    pub bands: u16,
    /// EPSG code of the image's coordinate reference system.
    pub epsg: u32,
    /// Ground size of a pixel, metres.
    pub resolution_m: f64,
    /// The image's outline, WGS 84.
    #[schema(value_type = GeoJsonGeometry)]
    pub footprint: Value,
    /// West, south, east, north.
    pub bbox: [f64; 4],
    /// Lowest zoom its tiles are drawn at.
    pub minzoom: u8,
    /// Highest zoom worth drawing.
    pub maxzoom: u8,
    /// For a CRS on another datum than WGS 84: the fixed shift that placed it (its EPSG
    /// definition's `towgs84` parameters, "datum NAME" or "none"). GDAL/PROJ may choose an
    /// area-specific transformation hundreds of metres apart; reproject such an image to WGS 84
    /// (`gdalwarp -t_srs EPSG:326xx`) for exact placement. Absent on WGS 84.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datum_shift: Option<String>,
    /// Local ids of the hazards it covers.
    pub hazards: Vec<String>,
    /// Local id of the activity it documents.
    pub activity: Option<String>,
    /// The day it was flown.
    pub captured_on: Option<NaiveDate>,
    /// Organisation that added it.
    pub organisation: Option<String>,
    /// File size, bytes.
    pub size_bytes: i64,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Who added it.
    pub added_by: String,
    /// When.
    pub added_at: DateTime<Utc>,
}

/// A detection: a detector's candidate item, never a find until a person confirms it.
#[derive(Serialize, ToSchema)]
pub struct DetectionDoc {
    /// Id.
    pub id: i64,
    /// The import run it came in.
    pub run: i64,
    /// The orthophoto it was detected on.
    pub orthophoto: Option<i64>,
    /// Detector model.
    pub model: String,
    /// Model version.
    pub model_version: String,
    /// Class the model gave.
    pub class: String,
    /// The model's confidence, 0–1.
    pub confidence: f64,
    /// Longitude, WGS 84.
    pub lon: f64,
    /// Latitude, WGS 84.
    pub lat: f64,
    /// The detected box on the ground.
    #[schema(value_type = Option<GeoJsonGeometry>)]
    pub footprint: Option<Value>,
    /// `pending`, `confirmed`, `false_positive` or `not_verifiable`.
    pub verdict: String,
    /// Who gave the verdict.
    pub verdict_by: Option<String>,
    /// When.
    pub verdict_at: Option<DateTime<Utc>>,
    /// What they noted.
    pub verdict_note: Option<String>,
    /// The report a confirmation created (submitted for approval).
    pub report: Option<i64>,
    /// The EO find's local id in that report.
    pub eo_find: Option<String>,
}

/// A page of detections.
#[derive(Serialize, ToSchema)]
pub struct DetectionPage {
    /// The detections: pending first, most confident first.
    pub items: Vec<DetectionDoc>,
}

/// A detector's output as stored.
#[derive(Serialize, ToSchema)]
pub struct DetectionRunDoc {
    /// Id.
    pub id: i64,
    /// The orthophoto it ran on.
    pub orthophoto: Option<i64>,
    /// Model.
    pub model: String,
    /// Model version.
    pub model_version: String,
    /// `geojson`, `coco` or `yolo`.
    pub format: String,
    /// The file's name.
    pub source_name: String,
    /// Detections stored.
    pub count: usize,
    /// Detections left out, by reason.
    pub dropped: BTreeMap<String, usize>,
    /// Who imported it.
    pub added_by: String,
    /// When.
    pub added_at: DateTime<Utc>,
}

/// A record of an import file that was left out.
#[derive(Serialize, ToSchema)]
pub struct LeftOut {
    /// 1-based record (line, feature or annotation) in the file.
    pub record: usize,
    /// Why.
    pub reason: String,
}

/// The answer to a detection import.
#[derive(Serialize, ToSchema)]
pub struct DetectionImportAnswer {
    /// The stored run.
    pub run: DetectionRunDoc,
    /// Each detection left out.
    pub dropped: Vec<LeftOut>,
}

/// One confidence bin of a detector's calibration.
#[derive(Serialize, ToSchema)]
pub struct CalibrationBinDoc {
    /// Lower confidence bound.
    pub from: f64,
    /// Upper confidence bound.
    pub to: f64,
    /// Detections with a verdict of confirmed or false positive in the bin.
    pub count: usize,
    /// Their mean confidence.
    pub mean_confidence: f64,
    /// The share confirmed.
    pub confirmed_share: f64,
}

/// How right a detector is, for one class (`*`: all its classes).
#[derive(Serialize, ToSchema)]
pub struct ModelMetricsDoc {
    /// Model.
    pub model: String,
    /// Model version.
    pub model_version: String,
    /// Class, or `*` for all classes.
    pub class: String,
    /// Detections.
    pub detections: usize,
    /// Confirmed by a person.
    pub confirmed: usize,
    /// False positives.
    pub false_positive: usize,
    /// Not verifiable.
    pub not_verifiable: usize,
    /// Still pending.
    pub pending: usize,
    /// Confirmed / (confirmed + false positives).
    pub precision: Option<f64>,
    /// Verified EO finds inside the images the model ran on.
    pub finds_in_footprint: usize,
    /// Those a confirmed detection found.
    pub finds_matched: usize,
    /// Matched / in footprint.
    pub recall: Option<f64>,
    /// Ten confidence bins.
    pub calibration: Vec<CalibrationBinDoc>,
    /// Expected calibration error.
    pub expected_calibration_error: Option<f64>,
}

/// The detectors' figures.
#[derive(Serialize, ToSchema)]
pub struct DetectorMetrics {
    /// One row per model, version and class, and one `*` row per model and version.
    pub rows: Vec<ModelMetricsDoc>,
    /// A verified find within this distance of a confirmed detection counts as found, metres.
    pub match_radius_m: f64,
}

/// Fixes left out of a track, by reason.
#[derive(Serialize, ToSchema)]
pub struct DroppedFixes {
    /// At 0°, 0°.
    pub zero_zero: usize,
    /// Latitude or longitude out of range.
    pub out_of_range: usize,
    /// Time going backwards.
    pub time_backwards: usize,
    /// Same time as the fix before.
    pub duplicate_time: usize,
    /// Accuracy worse than the limit.
    pub poor_accuracy: usize,
    /// A jump faster than the machine can move.
    pub speed_jump: usize,
}

/// A machine or robot track's processed-area figures. Processed is not cleared (IMAS 09.50).
#[derive(Serialize, ToSchema)]
pub struct TrackDoc {
    /// Id.
    pub id: i64,
    /// Local id of the clearance activity.
    pub activity: String,
    /// The machine or robot.
    pub machine: String,
    /// `machine` or `robot`.
    pub kind: String,
    /// Working width of the tool, metres.
    pub working_width_m: f64,
    /// The file's name.
    pub source_name: String,
    /// The file's format.
    pub format: String,
    /// Fixes read.
    pub fixes: usize,
    /// Fixes used.
    pub fixes_used: usize,
    /// Fixes dropped, by reason.
    pub dropped: DroppedFixes,
    /// Area of the task polygon, geodesic m².
    pub task_m2: f64,
    /// Processed inside the task, geodesic m².
    pub processed_m2: f64,
    /// Processed outside the task, geodesic m².
    pub processed_outside_m2: f64,
    /// Processed share of the task, %.
    pub coverage_pct: f64,
    /// Processed twice or more, m².
    pub overlap_m2: f64,
    /// Not processed inside the task, m².
    pub gap_m2: f64,
    /// Length driven with the tool engaged, m.
    pub engaged_length_m: f64,
    /// First fix.
    pub started_at: Option<DateTime<Utc>>,
    /// Last fix.
    pub ended_at: Option<DateTime<Utc>>,
    /// Organisation that added it.
    pub organisation: Option<String>,
    /// Who added it.
    pub added_by: String,
    /// When.
    pub added_at: DateTime<Utc>,
}

/// A track with its geometry.
#[derive(Serialize, ToSchema)]
pub struct TrackMap {
    /// The figures.
    pub summary: TrackDoc,
    /// What the approved activity reports cleared (geodesic m² of its released areas with the
    /// method `cleared`), beside the processed area; null when the activity is not approved.
    pub activity_cleared_m2: Option<f64>,
    /// The task polygon.
    #[schema(value_type = GeoJsonGeometry)]
    pub task: Value,
    /// Processed inside the task.
    #[schema(value_type = GeoJsonGeometry)]
    pub processed: Value,
    /// Not processed inside the task.
    #[schema(value_type = GeoJsonGeometry)]
    pub gaps: Value,
    /// Processed twice or more.
    #[schema(value_type = GeoJsonGeometry)]
    pub overlaps: Value,
    /// The engaged track, simplified.
    #[schema(value_type = GeoJsonGeometry)]
    pub line: Value,
}

/// The answer to a track import.
#[derive(Serialize, ToSchema)]
pub struct TrackImportAnswer {
    /// The stored track.
    pub track: TrackDoc,
    /// Records that could not be read.
    pub unreadable: Vec<LeftOut>,
}
