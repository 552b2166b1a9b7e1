//! AI detections: importing a detector's output, the triage queue with image chips, people's
//! verdicts and each detector's figures.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use safeground_detection::{DetectionFormat, ModelMetrics};
use safeground_store::evidence::{Detection, DetectionQuery, DetectionRun, VerdictValue};
use serde::Deserialize;

use super::orthophotos::split;
use super::params::query;
use super::schemas::{
    CalibrationBinDoc, DetectionDoc, DetectionImportAnswer, DetectionPage, DetectionRunDoc,
    DetectorMetrics, LeftOut, ModelMetricsDoc, geometry,
};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::evidence::detections::{
    DetectionImport, MATCH_RADIUS_M, VerdictBody, give_verdict, import as import_detections,
    list as list_detections, model_metrics, visible,
};
use crate::evidence::off_pool;
use crate::state::AppState;

/// Largest detector output accepted, bytes.
pub const MAX_DETECTION_BYTES: usize = 64 * 1024 * 1024;
/// Pixels each way around a detection in its chip (before resampling).
const CHIP_HALF_PX: u32 = 96;
/// Side of a chip, pixels.
const CHIP_PX: u32 = 256;

pub(crate) fn detection_doc(d: Detection) -> DetectionDoc {
    DetectionDoc {
        id: d.id,
        run: d.run,
        orthophoto: d.orthophoto,
        model: d.model,
        model_version: d.model_version,
        class: d.class,
        confidence: d.confidence,
        lon: d.location.x(),
        lat: d.location.y(),
        footprint: d.footprint.as_ref().map(geometry),
        verdict: d.verdict.as_str().to_owned(),
        verdict_by: d.verdict_by,
        verdict_at: d.verdict_at,
        verdict_note: d.verdict_note,
        report: d.report,
        eo_find: d.eo_find,
    }
}

pub(crate) fn run_doc(r: DetectionRun) -> DetectionRunDoc {
    DetectionRunDoc {
        id: r.id,
        orthophoto: r.orthophoto,
        model: r.model,
        model_version: r.model_version,
        format: r.format,
        source_name: r.source_name,
        count: r.count,
        dropped: r.dropped.into_iter().collect(),
        added_by: r.added_by,
        added_at: r.added_at,
    }
}

pub(crate) fn metrics_doc(m: ModelMetrics) -> ModelMetricsDoc {
    ModelMetricsDoc {
        model: m.model,
        model_version: m.model_version,
        class: m.class,
        detections: m.detections,
        confirmed: m.confirmed,
        false_positive: m.false_positive,
        not_verifiable: m.not_verifiable,
        pending: m.pending,
        precision: m.precision,
        finds_in_footprint: m.finds_in_footprint,
        finds_matched: m.finds_matched,
        recall: m.recall,
        calibration: m
            .calibration
            .into_iter()
            .map(|b| CalibrationBinDoc {
                from: b.from,
                to: b.to,
                count: b.count,
                mean_confidence: b.mean_confidence,
                confirmed_share: b.confirmed_share,
            })
            .collect(),
        expected_calibration_error: m.expected_calibration_error,
    }
}

/// Which detections to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `pending`, `confirmed`, `false_positive` or `not_verifiable`.
    pub verdict: Option<String>,
    /// Only this model's.
    pub model: Option<String>,
    /// Only those on this orthophoto.
    pub orthophoto: Option<i64>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<usize>,
    /// Skip this many.
    pub offset: Option<usize>,
}

/// Detections, pending first and most confident first: the triage queue.
#[utoipa::path(get, path = "/api/detections", operation_id = "list_detections", tag = "evidence",
    params(ListParams),
    responses((status = 200, body = DetectionPage), (status = 422, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<DetectionPage>> {
    let p: ListParams = query(q.as_deref())?;
    let verdict = match p.verdict.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => Some(v.parse::<VerdictValue>().map_err(|_| {
            ApiError::field(
                "verdict",
                "give pending, confirmed, false_positive or not_verifiable",
            )
        })?),
        None => None,
    };
    let q = DetectionQuery {
        verdict,
        model: p.model.filter(|m| !m.is_empty()),
        orthophoto: p.orthophoto,
        organisation: None,
        limit: p.limit.unwrap_or(100).clamp(1, 1000),
        offset: p.offset.unwrap_or(0),
    };
    let items = state.db.read(move |s| list_detections(s, &who, q)).await?;
    Ok(Json(DetectionPage {
        items: items.into_iter().map(detection_doc).collect(),
    }))
}

/// The image around a detection (PNG), to judge it beside the map.
#[utoipa::path(get, path = "/api/detections/{id}/chip", operation_id = "detection_chip", tag = "evidence",
    params(("id" = i64, Path, description = "Detection id")),
    responses((status = 200, description = "The chip", content_type = "image/png", body = Vec<u8>),
              (status = 403, body = crate::error::Problem),
              (status = 404, description = "No such detection, or it has no orthophoto", body = crate::error::Problem)))]
pub async fn chip(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let (d, o) = state
        .db
        .read(move |s| {
            let d = visible(s, &who, id)?;
            let Some(ortho) = d.orthophoto else {
                return Err(ApiError::not_found(format!(
                    "detection {id} came without an orthophoto: there is no image to show"
                )));
            };
            Ok((d, s.orthophoto(ortho)?))
        })
        .await?;
    let cell = state.evidence.clone();
    let png = off_pool(move || {
        let image = cell.orthophoto(o.id, &o.file)?;
        let (px, py) = match d.pixel_bbox {
            Some([x0, y0, x1, y1]) => ((x0 + x1) / 2.0, (y0 + y1) / 2.0),
            None => image
                .wgs84_to_pixel(d.location.x(), d.location.y())
                .ok_or_else(|| ApiError::not_found("the detection is outside its orthophoto"))?,
        };
        image
            .chip(px, py, CHIP_HALF_PX, CHIP_PX)
            .map_err(|e| ApiError::not_found(e.to_string()))
    })
    .await?;
    let mut resp = (StatusCode::OK, Body::from(png)).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(resp)
}

/// A person's verdict. `confirmed` (with the ordnance category) creates an EO find in a report
/// submitted for the usual approval; a detection is never a find until then.
#[utoipa::path(post, path = "/api/detections/{id}/verdict", operation_id = "detection_verdict",
    tag = "evidence", params(("id" = i64, Path, description = "Detection id")),
    request_body = VerdictBody,
    responses((status = 200, body = DetectionDoc),
              (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "It has a verdict already", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn verdict(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<i64>,
    crate::json::ApiJson(body): crate::json::ApiJson<VerdictBody>,
) -> ApiResult<Json<DetectionDoc>> {
    let d = state
        .db
        .write(move |s| give_verdict(s, &who, id, &body))
        .await?;
    Ok(Json(detection_doc(d)))
}

/// Precision, recall and calibration of each detector, per class.
#[utoipa::path(get, path = "/api/detections/metrics", operation_id = "detector_metrics", tag = "evidence",
    responses((status = 200, body = DetectorMetrics)))]
pub async fn metrics(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<DetectorMetrics>> {
    who.require(Permission::Read)?;
    let rows = state.db.read(|s| model_metrics(s)).await?;
    Ok(Json(DetectorMetrics {
        rows: rows.into_iter().map(metrics_doc).collect(),
        match_radius_m: MATCH_RADIUS_M,
    }))
}

/// How a detector's output is described.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The orthophoto it ran on (required for COCO and YOLO, which are in pixels).
    pub orthophoto: Option<i64>,
    /// `geojson`, `coco` or `yolo` (guessed when absent).
    pub format: Option<String>,
    /// Model name (else from the file).
    pub model: Option<String>,
    /// Model version (else from the file).
    pub model_version: Option<String>,
    /// YOLO class names in class-id order, comma separated.
    pub classes: Option<String>,
    /// Leave out detections below this confidence (0–1).
    pub min_confidence: Option<f64>,
    /// The file's name.
    pub file_name: Option<String>,
}

/// Imports a detector's output (the body): GeoJSON in WGS 84, or COCO JSON / YOLO text in the
/// orthophoto's pixels. Every detection is pending until a person gives a verdict. 201 with
/// the run and each detection left out (outside the image, bad confidence, …) with its reason.
#[utoipa::path(post, path = "/api/detections", operation_id = "import_detections", tag = "evidence",
    params(ImportParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
                 description = "The detector's file"),
    responses((status = 201, body = DetectionImportAnswer),
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
    let body = axum::body::to_bytes(body, MAX_DETECTION_BYTES)
        .await
        .map_err(|_| {
            ApiError::too_large(format!(
                "a detector's file may have at most {MAX_DETECTION_BYTES} bytes"
            ))
        })?;
    let format = match p.format.as_deref().filter(|f| !f.is_empty()) {
        Some(f) => Some(
            f.parse::<DetectionFormat>()
                .map_err(|_| ApiError::field("format", "give geojson, coco or yolo"))?,
        ),
        None => None,
    };
    let classes = p.classes.as_deref().map(|c| split(Some(c)));
    let opts = DetectionImport {
        orthophoto: p.orthophoto,
        format,
        model: p.model.filter(|m| !m.trim().is_empty()),
        model_version: p.model_version.filter(|m| !m.trim().is_empty()),
        classes,
        min_confidence: p.min_confidence.unwrap_or(0.0),
        source_name: p.file_name.unwrap_or_else(|| "detections".to_owned()),
    };
    let cell = state.evidence.clone();
    let (run, dropped) = state
        .db
        .write(move |s| import_detections(s, &cell, &who, &body, &opts))
        .await?;
    let answer = DetectionImportAnswer {
        run: run_doc(run),
        dropped: dropped
            .into_iter()
            .map(|d| LeftOut {
                record: d.record,
                reason: d.reason,
            })
            .collect(),
    };
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}
