//! Machine and robot tracks as processed-area evidence of clearance activities. Processed is
//! not cleared (IMAS 09.50): these figures never release land; the approved clearance report
//! does.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use safeground_coverage::{CleanOptions, TrackFormat};
use safeground_store::evidence::{Track, TrackSummary};
use serde::Deserialize;

use super::params::query;
use super::schemas::{DroppedFixes, LeftOut, TrackDoc, TrackImportAnswer, TrackMap, geometry};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::evidence::tracks::{TrackImport, cleared_m2, measure, save};
use crate::state::AppState;

/// Largest track file accepted, bytes (a million CSV fixes is about 70 MB).
pub const MAX_TRACK_BYTES: usize = 256 * 1024 * 1024;

pub(crate) fn track_doc(t: TrackSummary) -> TrackDoc {
    let n = |k: &str| {
        t.dropped
            .get(k)
            .and_then(serde_json::Value::as_u64)
            .map_or(0, |v| usize::try_from(v).unwrap_or(usize::MAX))
    };
    TrackDoc {
        dropped: DroppedFixes {
            zero_zero: n("zero_zero"),
            out_of_range: n("out_of_range"),
            time_backwards: n("time_backwards"),
            duplicate_time: n("duplicate_time"),
            poor_accuracy: n("poor_accuracy"),
            speed_jump: n("speed_jump"),
        },
        id: t.id,
        activity: t.activity,
        machine: t.machine,
        kind: t.kind,
        working_width_m: t.working_width_m,
        source_name: t.source_name,
        format: t.format,
        fixes: t.fixes,
        fixes_used: t.fixes_used,
        task_m2: t.task_m2,
        processed_m2: t.processed_m2,
        processed_outside_m2: t.processed_outside_m2,
        coverage_pct: t.coverage_pct,
        overlap_m2: t.overlap_m2,
        gap_m2: t.gap_m2,
        engaged_length_m: t.engaged_length_m,
        started_at: t.started_at,
        ended_at: t.ended_at,
        organisation: t.organisation,
        added_by: t.added_by,
        added_at: t.added_at,
    }
}

fn track_map(t: Track, activity_cleared_m2: Option<f64>) -> TrackMap {
    TrackMap {
        activity_cleared_m2,
        task: geometry(&t.task),
        processed: geometry(&t.processed),
        gaps: geometry(&t.gaps),
        overlaps: geometry(&t.overlaps),
        line: geometry(&t.line),
        summary: track_doc(t.summary),
    }
}

/// Which tracks to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Only this activity's (local id).
    pub activity: Option<String>,
}

/// Tracks, newest first, with their figures.
#[utoipa::path(get, path = "/api/tracks", operation_id = "list_tracks", tag = "evidence",
    params(ListParams), responses((status = 200, body = Vec<TrackDoc>)))]
pub async fn list(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Vec<TrackDoc>>> {
    who.require(Permission::Read)?;
    let p: ListParams = query(q.as_deref())?;
    let list = state
        .db
        .read(move |s| Ok(s.tracks(p.activity.as_deref().filter(|a| !a.is_empty()))?))
        .await?;
    Ok(Json(list.into_iter().map(track_doc).collect()))
}

/// A track with its task, processed area, gaps, overlaps and line (GeoJSON, WGS 84), and what
/// its activity reports cleared: processed is not cleared (IMAS 09.50).
#[utoipa::path(get, path = "/api/tracks/{id}", operation_id = "get_track", tag = "evidence",
    params(("id" = i64, Path, description = "Track id")),
    responses((status = 200, body = TrackMap), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Json<TrackMap>> {
    who.require(Permission::Read)?;
    let (t, cleared) = state
        .db
        .read(move |s| {
            let t = s.track(id)?;
            let cleared = cleared_m2(s, &t.summary.activity)?;
            Ok((t, cleared))
        })
        .await?;
    Ok(Json(track_map(t, cleared)))
}

/// How a track file is described.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Local id of the approved clearance activity it is evidence for.
    pub activity: String,
    /// The machine or robot.
    pub machine: String,
    /// `machine` (default) or `robot`.
    pub kind: Option<String>,
    /// Working width of the tool, metres.
    pub working_width_m: f64,
    /// `gpx`, `nmea` or `csv` (guessed when absent).
    pub format: Option<String>,
    /// Drop fixes less accurate than this, metres (default 5).
    pub max_accuracy_m: Option<f64>,
    /// Drop jumps faster than this, m/s (default 5).
    pub max_speed_mps: Option<f64>,
    /// The file's name.
    pub file_name: Option<String>,
}

/// Imports a GNSS track (the body: GPX, NMEA 0183 or CSV with time, lat, lon and optionally
/// heading, engaged, accuracy): bad fixes are dropped and counted, the engaged segments
/// buffered by the working width with flat ends, unioned and clipped to the activity's
/// released area. 201 with the figures.
#[utoipa::path(post, path = "/api/tracks", operation_id = "import_track", tag = "evidence",
    params(ImportParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
                 description = "The track file"),
    responses((status = 201, body = TrackImportAnswer),
              (status = 403, body = crate::error::Problem),
              (status = 413, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn import(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
    body: Body,
) -> ApiResult<Response> {
    let p: ImportParams = query(q.as_deref())?;
    let body = axum::body::to_bytes(body, MAX_TRACK_BYTES)
        .await
        .map_err(|_| {
            ApiError::too_large(format!(
                "a track file may have at most {MAX_TRACK_BYTES} bytes; split the day's log"
            ))
        })?;
    let format = match p.format.as_deref().filter(|f| !f.is_empty()) {
        Some("gpx") => Some(TrackFormat::Gpx),
        Some("nmea") => Some(TrackFormat::Nmea),
        Some("csv") => Some(TrackFormat::Csv),
        Some(_) => return Err(ApiError::field("format", "give gpx, nmea or csv")),
        None => None,
    };
    let defaults = CleanOptions::default();
    let opts = TrackImport {
        activity: p.activity,
        machine: p.machine,
        kind: p.kind.unwrap_or_else(|| "machine".to_owned()),
        working_width_m: p.working_width_m,
        format,
        source_name: p.file_name.unwrap_or_else(|| "track".to_owned()),
        task: None,
        clean: CleanOptions {
            max_accuracy_m: p.max_accuracy_m.unwrap_or(defaults.max_accuracy_m),
            max_speed_mps: p.max_speed_mps.unwrap_or(defaults.max_speed_mps),
        },
    };
    let writer = who.clone();
    let (track, unreadable) = state
        .db
        .read(move |s| measure(s, &who, &body, opts))
        .await?;
    let track = state.db.write(move |s| save(s, &writer, &track)).await?;
    let answer = TrackImportAnswer {
        track: track_doc(track),
        unreadable: unreadable
            .into_iter()
            .map(|(record, reason)| LeftOut { record, reason })
            .collect(),
    };
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}
