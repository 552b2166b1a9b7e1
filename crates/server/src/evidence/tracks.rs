//! Machine and robot tracks: a GNSS log read, its bad fixes dropped and counted, its engaged
//! segments buffered by the tool's working width and clipped to the activity's task polygon,
//! stored as processed-area evidence. Processed is not cleared (IMAS 09.50): the figures sit
//! beside the clearance report, they never release land.

use geo::BooleanOps;
use geo_types::MultiPolygon;
use safeground_coverage::{
    CleanOptions, TrackFormat, clean, coverage_of_area, engaged_lines, read_track,
};
use safeground_model::{Activity, ItemKind, Record, ReleaseMethod};
use safeground_report::cleared_by_report_m2;
use safeground_store::evidence::{NewTrack, TrackSummary};
use safeground_store::{Backend, Flow};

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};

/// Tolerance of the track line kept for display, metres.
const LINE_TOLERANCE_M: f64 = 0.25;

/// What a user says about a track.
#[derive(Debug, Clone)]
pub struct TrackImport {
    /// Local id of the clearance activity it is evidence for.
    pub activity: String,
    /// The machine or robot (name, model or registration).
    pub machine: String,
    /// `machine` or `robot`.
    pub kind: String,
    /// Working width of the tool, metres.
    pub working_width_m: f64,
    /// The file's format (guessed when None).
    pub format: Option<TrackFormat>,
    /// The file name, kept with the track.
    pub source_name: String,
    /// The task's area; None: the activity's released areas.
    pub task: Option<MultiPolygon<f64>>,
    /// Which fixes are bad.
    pub clean: CleanOptions,
}

/// Reads, cleans and measures the track in `bytes`, and stores it on its activity; answers the
/// stored track and the records that could not be read (record, reason).
pub fn import(
    store: &mut dyn Backend,
    who: &Principal,
    bytes: &[u8],
    opts: TrackImport,
) -> ApiResult<(TrackSummary, Vec<(usize, String)>)> {
    let (track, unreadable) = measure(store, who, bytes, opts)?;
    Ok((save(store, who, &track)?, unreadable))
}

/// Stores a measured track as `who`'s.
pub fn save(store: &mut dyn Backend, who: &Principal, track: &NewTrack) -> ApiResult<TrackSummary> {
    let id = store.add_track(&who.username, track)?;
    Ok(store.track(id)?.summary)
}

/// Reads, cleans and measures the track in `bytes` against its activity's task polygon (a read:
/// the measuring runs outside the writer): the track to store and the records that could not
/// be read (record, reason).
pub fn measure(
    store: &dyn Backend,
    who: &Principal,
    bytes: &[u8],
    opts: TrackImport,
) -> ApiResult<(NewTrack, Vec<(usize, String)>)> {
    who.require(Permission::WriteReports)?;
    if !matches!(opts.kind.as_str(), "machine" | "robot") {
        return Err(ApiError::field("kind", "give machine or robot"));
    }
    if opts.machine.trim().is_empty() {
        return Err(ApiError::field("machine", "name the machine or robot"));
    }
    if !(opts.working_width_m.is_finite() && opts.working_width_m > 0.0) {
        return Err(ApiError::field(
            "working_width_m",
            "give the tool's working width in metres (more than 0)",
        ));
    }
    let task = match opts.task {
        Some(t) => t,
        None => task_of(store, &opts.activity)?,
    };
    let raw = read_track(bytes, opts.format).map_err(|e| ApiError::field("file", e.to_string()))?;
    let fixes = raw.fixes.len();
    let cleaned = clean(raw.fixes, &opts.clean);
    let cov = coverage_of_area(&cleaned.fixes, opts.working_width_m, &task)
        .map_err(|e| ApiError::field("file", e.to_string()))?;
    let times = cleaned.fixes.iter().map(|f| f.time);
    let started_at = times.clone().reduce(f64::min).and_then(timestamp);
    let ended_at = times.reduce(f64::max).and_then(timestamp);
    let new = NewTrack {
        activity: opts.activity,
        machine: opts.machine.trim().to_owned(),
        kind: opts.kind,
        working_width_m: opts.working_width_m,
        source_name: opts.source_name,
        format: format_name(raw.format.or(opts.format)),
        fixes,
        fixes_used: cov.fixes_used,
        dropped: serde_json::to_value(cleaned.dropped).map_err(ApiError::internal)?,
        task_m2: cov.task_m2,
        processed_m2: cov.processed_m2,
        processed_outside_m2: cov.processed_outside_m2,
        coverage_pct: cov.coverage_pct,
        overlap_m2: cov.overlap_m2,
        gap_m2: cov.gap_m2,
        engaged_length_m: cov.engaged_length_m,
        started_at,
        ended_at,
        task,
        processed: cov.processed,
        gaps: cov.gaps,
        overlaps: cov.overlaps,
        line: engaged_lines(&cleaned.fixes, LINE_TOLERANCE_M),
        organisation: Some(who.organisation.clone()),
    };
    Ok((new, raw.unreadable))
}

/// The stored name of the format read.
fn format_name(f: Option<TrackFormat>) -> String {
    match f {
        Some(TrackFormat::Gpx) => "gpx",
        Some(TrackFormat::Nmea) => "nmea",
        Some(TrackFormat::Csv) => "csv",
        None => "auto",
    }
    .to_owned()
}

fn timestamp(t: f64) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp_millis((t * 1000.0).round() as i64)
}

/// The approved activity `local_id`.
fn activity(store: &dyn Backend, local_id: &str) -> ApiResult<Activity> {
    let mut found = None;
    store.for_each_current(ItemKind::Activity, None, &mut |v| {
        if let Record::Activity(a) = v.record
            && a.local_id == local_id
        {
            found = Some(a);
            return Ok(Flow::Stop);
        }
        Ok(Flow::Continue)
    })?;
    found.ok_or_else(|| {
        ApiError::field(
            "activity",
            format!("there is no approved activity {local_id}"),
        )
    })
}

/// The union of the released areas of `activity` with a method `only` allows.
fn released(activity: &Activity, only: impl Fn(ReleaseMethod) -> bool) -> MultiPolygon<f64> {
    let mut area = MultiPolygon::<f64>(Vec::new());
    for r in activity.released_areas.iter().filter(|r| only(r.method)) {
        area = if area.0.is_empty() {
            r.geometry.clone()
        } else {
            area.union(&r.geometry)
        };
    }
    area
}

/// The task of the approved activity `local_id`: the union of its released areas.
fn task_of(store: &dyn Backend, local_id: &str) -> ApiResult<MultiPolygon<f64>> {
    let area = released(&activity(store, local_id)?, |_| true);
    if area.0.is_empty() {
        return Err(ApiError::field(
            "activity",
            format!(
                "the activity {local_id} has no released area to measure the track against; \
                 give the task polygon"
            ),
        ));
    }
    Ok(area)
}

/// The land the approved activity `local_id` cleared, as the programme reports show it
/// ([`cleared_by_report_m2`]), to show beside a track's processed area; None when the activity
/// is not (or no longer) approved.
pub fn cleared_m2(store: &dyn Backend, local_id: &str) -> ApiResult<Option<f64>> {
    match activity(store, local_id) {
        Ok(a) => Ok(Some(cleared_by_report_m2(&a))),
        Err(e) if e.status() == axum::http::StatusCode::UNPROCESSABLE_ENTITY => Ok(None),
        Err(e) => Err(e),
    }
}
