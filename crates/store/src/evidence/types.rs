//! What the evidence store keeps: orthophotos, AI detection runs and their detections with
//! people's verdicts, machine and robot tracks with their computed coverage.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use geo_types::{MultiLineString, MultiPolygon, Point, Polygon};
use serde::{Deserialize, Serialize};

use crate::{NewReport, ReportId};

/// A person's verdict on a detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictValue {
    /// Nobody has looked at it yet.
    Pending,
    /// Confirmed on the ground: an EO find was reported.
    Confirmed,
    /// Not explosive ordnance.
    FalsePositive,
    /// Cannot be verified (no access, vegetation, ...).
    NotVerifiable,
}

impl VerdictValue {
    /// Every verdict, in order.
    pub const ALL: [VerdictValue; 4] = [
        VerdictValue::Pending,
        VerdictValue::Confirmed,
        VerdictValue::FalsePositive,
        VerdictValue::NotVerifiable,
    ];

    /// The snake_case code (`false_positive`), as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictValue::Pending => "pending",
            VerdictValue::Confirmed => "confirmed",
            VerdictValue::FalsePositive => "false_positive",
            VerdictValue::NotVerifiable => "not_verifiable",
        }
    }
}

impl fmt::Display for VerdictValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for VerdictValue {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        VerdictValue::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown verdict `{s}` (expected pending, confirmed, false_positive or \
                     not_verifiable)"
                )
            })
    }
}

/// An orthophoto to store: its metadata (the image file lives in a folder the server manages).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewOrthophoto {
    /// Display name.
    pub name: String,
    /// The image's file name, relative to the server's orthophoto folder.
    pub file: String,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
    /// File size in bytes.
    pub size_bytes: i64,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Number of bands.
    pub bands: u16,
    /// EPSG code of the image's CRS.
    pub epsg: u32,
    /// GDAL geotransform (origin x, pixel width, row rotation, origin y, column rotation,
    /// pixel height) in the image's CRS.
    pub geotransform: [f64; 6],
    /// Footprint, WGS84.
    pub footprint: Polygon<f64>,
    /// Ground resolution, metres per pixel.
    pub resolution_m: f64,
    /// Date of capture, if known.
    pub captured_on: Option<NaiveDate>,
    /// Local ids of the approved hazards it shows.
    pub hazards: Vec<String>,
    /// Local id of the approved activity it was taken for.
    pub activity: Option<String>,
    /// Organisation (item id) that captured it.
    pub organisation: Option<String>,
}

/// A stored orthophoto.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Orthophoto {
    /// Id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// The image's file name, relative to the server's orthophoto folder.
    pub file: String,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
    /// File size in bytes.
    pub size_bytes: i64,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Number of bands.
    pub bands: u16,
    /// EPSG code of the image's CRS.
    pub epsg: u32,
    /// GDAL geotransform in the image's CRS.
    pub geotransform: [f64; 6],
    /// Footprint, WGS84.
    pub footprint: Polygon<f64>,
    /// Ground resolution, metres per pixel.
    pub resolution_m: f64,
    /// Date of capture, if known.
    pub captured_on: Option<NaiveDate>,
    /// Local ids of the hazards it shows.
    pub hazards: Vec<String>,
    /// Local id of the activity it was taken for.
    pub activity: Option<String>,
    /// Organisation that captured it.
    pub organisation: Option<String>,
    /// Who stored it.
    pub added_by: String,
    /// When it was stored.
    pub added_at: DateTime<Utc>,
}

/// One object a detector found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDetection {
    /// The detector's class ("pmn_2", "uxo").
    pub class: String,
    /// The detector's confidence, 0–1.
    pub confidence: f64,
    /// Where, WGS84.
    pub location: Point<f64>,
    /// Its outline, WGS84, if the detector gave a box.
    pub footprint: Option<Polygon<f64>>,
    /// Its box in the image's pixels (x min, y min, x max, y max), if known.
    pub pixel_bbox: Option<[f64; 4]>,
}

/// A detector's output to store in one transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDetectionRun {
    /// The orthophoto it ran on, if stored.
    pub orthophoto: Option<i64>,
    /// Model name.
    pub model: String,
    /// Model version.
    pub model_version: String,
    /// Format of the output file (`geojson`, `coco`, `yolo`).
    pub format: String,
    /// The output file's name.
    pub source_name: String,
    /// Organisation that ran it.
    pub organisation: Option<String>,
    /// What it found.
    pub detections: Vec<NewDetection>,
    /// What the reader dropped: (reason, count).
    pub dropped: Vec<(String, usize)>,
}

/// A stored detection run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetectionRun {
    /// Id.
    pub id: i64,
    /// The orthophoto it ran on.
    pub orthophoto: Option<i64>,
    /// Model name.
    pub model: String,
    /// Model version.
    pub model_version: String,
    /// Format of the output file.
    pub format: String,
    /// The output file's name.
    pub source_name: String,
    /// Organisation that ran it.
    pub organisation: Option<String>,
    /// Number of detections stored.
    pub count: usize,
    /// What the reader dropped: (reason, count).
    pub dropped: Vec<(String, usize)>,
    /// Who imported it.
    pub added_by: String,
    /// When it was imported.
    pub added_at: DateTime<Utc>,
}

/// A stored detection with its verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// Id.
    pub id: i64,
    /// Its run.
    pub run: i64,
    /// The run's orthophoto.
    pub orthophoto: Option<i64>,
    /// The run's model name.
    pub model: String,
    /// The run's model version.
    pub model_version: String,
    /// The detector's class.
    pub class: String,
    /// The detector's confidence, 0–1.
    pub confidence: f64,
    /// Where, WGS84.
    pub location: Point<f64>,
    /// Its outline, WGS84.
    pub footprint: Option<Polygon<f64>>,
    /// Its box in the image's pixels.
    pub pixel_bbox: Option<[f64; 4]>,
    /// The run's organisation.
    pub organisation: Option<String>,
    /// The verdict.
    pub verdict: VerdictValue,
    /// Who gave it.
    pub verdict_by: Option<String>,
    /// When.
    pub verdict_at: Option<DateTime<Utc>>,
    /// Why, in their words.
    pub verdict_note: Option<String>,
    /// The submitted report of a confirmed detection.
    pub report: Option<ReportId>,
    /// The local id of that report's EO find.
    pub eo_find: Option<String>,
}

/// Which detections to list (every field optional; `limit` 0 means no limit).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DetectionQuery {
    /// Only this verdict.
    pub verdict: Option<VerdictValue>,
    /// Only this model.
    pub model: Option<String>,
    /// Only runs on this orthophoto.
    pub orthophoto: Option<i64>,
    /// Only runs of this organisation.
    pub organisation: Option<String>,
    /// At most this many (0: all).
    pub limit: usize,
    /// Skip this many first.
    pub offset: usize,
}

/// A machine or robot track to store, with the coverage computed from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTrack {
    /// Local id of the approved activity it worked for.
    pub activity: String,
    /// The machine's name or id.
    pub machine: String,
    /// `machine` or `robot`.
    pub kind: String,
    /// Working width, metres.
    pub working_width_m: f64,
    /// The track file's name.
    pub source_name: String,
    /// Its format (`gpx`, `nmea`, `csv`).
    pub format: String,
    /// Fixes read.
    pub fixes: usize,
    /// Fixes used after the bad-fix filter.
    pub fixes_used: usize,
    /// Fixes dropped, counted per reason.
    pub dropped: serde_json::Value,
    /// Task area, m².
    pub task_m2: f64,
    /// Processed area inside the task, m².
    pub processed_m2: f64,
    /// Processed area outside the task, m².
    pub processed_outside_m2: f64,
    /// Processed share of the task, %.
    pub coverage_pct: f64,
    /// Area processed more than once, m².
    pub overlap_m2: f64,
    /// Task area not processed, m².
    pub gap_m2: f64,
    /// Length driven while engaged, metres.
    pub engaged_length_m: f64,
    /// First fix.
    pub started_at: Option<DateTime<Utc>>,
    /// Last fix.
    pub ended_at: Option<DateTime<Utc>>,
    /// The task polygon, WGS84.
    pub task: MultiPolygon<f64>,
    /// The processed area inside the task.
    pub processed: MultiPolygon<f64>,
    /// The gaps.
    pub gaps: MultiPolygon<f64>,
    /// The overlaps.
    pub overlaps: MultiPolygon<f64>,
    /// The engaged segments driven.
    pub line: MultiLineString<f64>,
    /// Organisation that ran the machine.
    pub organisation: Option<String>,
}

/// A stored track's numbers, without its geometries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackSummary {
    /// Id.
    pub id: i64,
    /// Local id of its activity.
    pub activity: String,
    /// The machine's name or id.
    pub machine: String,
    /// `machine` or `robot`.
    pub kind: String,
    /// Working width, metres.
    pub working_width_m: f64,
    /// The track file's name.
    pub source_name: String,
    /// Its format.
    pub format: String,
    /// Fixes read.
    pub fixes: usize,
    /// Fixes used.
    pub fixes_used: usize,
    /// Fixes dropped, counted per reason.
    pub dropped: serde_json::Value,
    /// Task area, m².
    pub task_m2: f64,
    /// Processed area inside the task, m².
    pub processed_m2: f64,
    /// Processed area outside the task, m².
    pub processed_outside_m2: f64,
    /// Processed share of the task, %.
    pub coverage_pct: f64,
    /// Area processed more than once, m².
    pub overlap_m2: f64,
    /// Task area not processed, m².
    pub gap_m2: f64,
    /// Length driven while engaged, metres.
    pub engaged_length_m: f64,
    /// First fix.
    pub started_at: Option<DateTime<Utc>>,
    /// Last fix.
    pub ended_at: Option<DateTime<Utc>>,
    /// Organisation that ran the machine.
    pub organisation: Option<String>,
    /// Who stored it.
    pub added_by: String,
    /// When it was stored.
    pub added_at: DateTime<Utc>,
}

/// A stored track with its geometries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Track {
    /// Its numbers.
    pub summary: TrackSummary,
    /// The task polygon.
    pub task: MultiPolygon<f64>,
    /// The processed area inside the task.
    pub processed: MultiPolygon<f64>,
    /// The gaps.
    pub gaps: MultiPolygon<f64>,
    /// The overlaps.
    pub overlaps: MultiPolygon<f64>,
    /// The engaged segments driven.
    pub line: MultiLineString<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_read_back_from_their_codes() {
        for v in VerdictValue::ALL {
            assert_eq!(v.as_str().parse::<VerdictValue>(), Ok(v));
            let json = serde_json::to_string(&v).unwrap_or_default();
            assert_eq!(json, format!("\"{v}\""));
        }
        assert!("maybe".parse::<VerdictValue>().is_err());
    }
}

/// What a confirmed detection is.
#[derive(Debug, Clone, Copy)]
pub enum Confirmation<'a> {
    /// A new EO find: the report holding it, created and submitted with the verdict.
    NewFind(&'a NewReport),
    /// An approved EO find already recorded there (local id or item id): linked, no new report.
    KnownFind(&'a str),
}
