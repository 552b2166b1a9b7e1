//! Evidence rows as both backends read and write them: numbers as i64, lists as JSON text,
//! geometries as WKB; times and dates already parsed by the backend.

use chrono::{DateTime, NaiveDate, Utc};

use super::geometry::{decode, decode_opt, encode};
use super::{Detection, DetectionRun, NewOrthophoto, NewTrack, Orthophoto, Track, TrackSummary};
use crate::{ReportId, Result, StoreError};

/// JSON text of a value written to a column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::corrupt("evidence", e))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt(what.to_owned(), e))
}

fn count(n: i64, what: &str) -> Result<usize> {
    usize::try_from(n).map_err(|_| StoreError::corrupt(what.to_owned(), format!("count {n}")))
}

fn int<T: TryFrom<i64>>(n: i64, what: &str) -> Result<T> {
    T::try_from(n).map_err(|_| StoreError::corrupt(what.to_owned(), format!("number {n}")))
}

/// An orthophoto's encoded columns: (geotransform JSON, footprint WKB, hazards JSON).
pub(crate) fn orthophoto_columns(o: &NewOrthophoto) -> Result<(String, Vec<u8>, String)> {
    Ok((
        to_json(&o.geotransform)?,
        encode(&o.footprint)?,
        to_json(&o.hazards)?,
    ))
}

/// A track's geometries as WKB: task, processed, gaps, overlaps, line.
pub(crate) fn track_geometries(t: &NewTrack) -> Result<[Vec<u8>; 5]> {
    Ok([
        encode(&t.task)?,
        encode(&t.processed)?,
        encode(&t.gaps)?,
        encode(&t.overlaps)?,
        encode(&t.line)?,
    ])
}

/// A stored orthophoto row.
pub(crate) struct RawOrthophoto {
    pub id: i64,
    pub name: String,
    pub file: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub width: i64,
    pub height: i64,
    pub bands: i64,
    pub epsg: i64,
    pub geotransform: String,
    pub footprint: Vec<u8>,
    pub resolution_m: f64,
    pub captured_on: Option<NaiveDate>,
    pub hazards: String,
    pub activity: Option<String>,
    pub organisation: Option<String>,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

impl RawOrthophoto {
    /// The orthophoto of the row.
    pub fn decode(self) -> Result<Orthophoto> {
        let what = format!("orthophoto {}", self.id);
        Ok(Orthophoto {
            id: self.id,
            name: self.name,
            file: self.file,
            sha256: self.sha256,
            size_bytes: self.size_bytes,
            width: int(self.width, &what)?,
            height: int(self.height, &what)?,
            bands: int(self.bands, &what)?,
            epsg: int(self.epsg, &what)?,
            geotransform: from_json(&self.geotransform, &what)?,
            footprint: decode(&self.footprint, &what)?,
            resolution_m: self.resolution_m,
            captured_on: self.captured_on,
            hazards: from_json(&self.hazards, &what)?,
            activity: self.activity,
            organisation: self.organisation,
            added_by: self.added_by,
            added_at: self.added_at,
        })
    }
}

/// A stored detection run row.
pub(crate) struct RawRun {
    pub id: i64,
    pub orthophoto: Option<i64>,
    pub model: String,
    pub model_version: String,
    pub format: String,
    pub source_name: String,
    pub organisation: Option<String>,
    pub count: i64,
    pub dropped: String,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

impl RawRun {
    /// The run of the row.
    pub fn decode(self) -> Result<DetectionRun> {
        let what = format!("detection run {}", self.id);
        Ok(DetectionRun {
            id: self.id,
            orthophoto: self.orthophoto,
            model: self.model,
            model_version: self.model_version,
            format: self.format,
            source_name: self.source_name,
            organisation: self.organisation,
            count: count(self.count, &what)?,
            dropped: from_json(&self.dropped, &what)?,
            added_by: self.added_by,
            added_at: self.added_at,
        })
    }
}

/// A stored detection row joined with its run.
pub(crate) struct RawDetection {
    pub id: i64,
    pub run: i64,
    pub orthophoto: Option<i64>,
    pub model: String,
    pub model_version: String,
    pub class: String,
    pub confidence: f64,
    pub location: Vec<u8>,
    pub footprint: Option<Vec<u8>>,
    pub pixel_bbox: Option<String>,
    pub organisation: Option<String>,
    pub verdict: String,
    pub verdict_by: Option<String>,
    pub verdict_at: Option<DateTime<Utc>>,
    pub verdict_note: Option<String>,
    pub report: Option<ReportId>,
    pub eo_find: Option<String>,
}

impl RawDetection {
    /// The detection of the row.
    pub fn decode(self) -> Result<Detection> {
        let what = format!("detection {}", self.id);
        Ok(Detection {
            id: self.id,
            run: self.run,
            orthophoto: self.orthophoto,
            model: self.model,
            model_version: self.model_version,
            class: self.class,
            confidence: self.confidence,
            location: decode(&self.location, &what)?,
            footprint: decode_opt(self.footprint.as_deref(), &what)?,
            pixel_bbox: (self.pixel_bbox.as_deref())
                .map(|b| from_json(b, &what))
                .transpose()?,
            organisation: self.organisation,
            verdict: (self.verdict.parse()).map_err(|e: String| StoreError::corrupt(what, e))?,
            verdict_by: self.verdict_by,
            verdict_at: self.verdict_at,
            verdict_note: self.verdict_note,
            report: self.report,
            eo_find: self.eo_find,
        })
    }
}

/// A stored track row without its geometries.
pub(crate) struct RawTrack {
    pub id: i64,
    pub activity: String,
    pub machine: String,
    pub kind: String,
    pub working_width_m: f64,
    pub source_name: String,
    pub format: String,
    pub fixes: i64,
    pub fixes_used: i64,
    pub dropped: String,
    /// task, processed, processed outside, coverage %, overlap, gap, engaged length.
    pub numbers: [f64; 7],
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub organisation: Option<String>,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

impl RawTrack {
    /// The summary of the row.
    pub fn decode(self) -> Result<TrackSummary> {
        let what = format!("track {}", self.id);
        let [
            task_m2,
            processed_m2,
            processed_outside_m2,
            coverage_pct,
            overlap_m2,
            gap_m2,
            engaged_length_m,
        ] = self.numbers;
        Ok(TrackSummary {
            id: self.id,
            activity: self.activity,
            machine: self.machine,
            kind: self.kind,
            working_width_m: self.working_width_m,
            source_name: self.source_name,
            format: self.format,
            fixes: count(self.fixes, &what)?,
            fixes_used: count(self.fixes_used, &what)?,
            dropped: from_json(&self.dropped, &what)?,
            task_m2,
            processed_m2,
            processed_outside_m2,
            coverage_pct,
            overlap_m2,
            gap_m2,
            engaged_length_m,
            started_at: self.started_at,
            ended_at: self.ended_at,
            organisation: self.organisation,
            added_by: self.added_by,
            added_at: self.added_at,
        })
    }
}

/// The track of a summary and its geometries' WKB (task, processed, gaps, overlaps, line).
pub(crate) fn track(summary: TrackSummary, wkb: [Vec<u8>; 5]) -> Result<Track> {
    let what = format!("track {}", summary.id);
    let [task, processed, gaps, overlaps, line] = wkb;
    Ok(Track {
        task: decode(&task, &what)?,
        processed: decode(&processed, &what)?,
        gaps: decode(&gaps, &what)?,
        overlaps: decode(&overlaps, &what)?,
        line: decode(&line, &what)?,
        summary,
    })
}

/// Columns of `track_summary` reads, shared by the backends (numbers in [`RawTrack`] order).
pub(crate) const TRACK_COLUMNS: &str = "id, activity, machine, kind, working_width_m, \
     source_name, format, fixes, fixes_used, dropped, task_m2, processed_m2, \
     processed_outside_m2, coverage_pct, overlap_m2, gap_m2, engaged_length_m, started_at, \
     ended_at, organisation, added_by, added_at";

/// Columns of `machine_track` an insert writes, in order (geometries last).
pub(crate) const TRACK_INSERT: &str = "activity, machine, kind, working_width_m, source_name, \
     format, fixes, fixes_used, dropped, task_m2, processed_m2, processed_outside_m2, \
     coverage_pct, overlap_m2, gap_m2, engaged_length_m, started_at, ended_at, organisation, \
     added_by, added_at, task, processed, gaps, overlap_area, line";

/// `n` as i64 for a column.
pub(crate) fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
