//! Drone orthophotos: the list, their raster tiles drawn on demand, and adding one (the body is
//! the GeoTIFF, streamed to the evidence folder).

use std::io::Write;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use futures_util::StreamExt;
use safeground_orthophoto::OrthophotoError;
use safeground_store::evidence::Orthophoto;
use serde::Deserialize;

use super::params::query;
use super::schemas::{OrthophotoDoc, geometry};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::evidence::orthophotos::{OrthophotoMeta, add as add_orthophoto};
use crate::evidence::{EvidenceCell, off_pool};
use crate::state::AppState;

/// Largest orthophoto accepted over HTTP, bytes (larger ones: `safeground evidence orthophoto`).
pub const MAX_ORTHOPHOTO_BYTES: u64 = 8 * 1024 * 1024 * 1024;

/// The document of a stored orthophoto, its zooms from the image itself (call from a blocking thread: the image may be opened).
pub fn doc(cell: &EvidenceCell, o: Orthophoto) -> OrthophotoDoc {
    let facts = cell.facts(o.id, &o.file);
    let (minzoom, maxzoom) = facts.as_ref().map_or((0, 0), |f| (f.minzoom, f.maxzoom));
    let rect = geo::BoundingRect::bounding_rect(&o.footprint);
    let bbox = rect.map_or([0.0; 4], |r| [r.min().x, r.min().y, r.max().x, r.max().y]);
    OrthophotoDoc {
        id: o.id,
        name: o.name,
        width: o.width,
        height: o.height,
        bands: o.bands,
        epsg: o.epsg,
        resolution_m: o.resolution_m,
        footprint: geometry(&o.footprint),
        bbox,
        minzoom,
        maxzoom,
        datum_shift: facts.and_then(|f| f.datum_shift),
        hazards: o.hazards,
        activity: o.activity,
        captured_on: o.captured_on,
        organisation: o.organisation,
        size_bytes: o.size_bytes,
        sha256: o.sha256,
        added_by: o.added_by,
        added_at: o.added_at,
    }
}

/// The programme's orthophotos, newest first.
#[utoipa::path(get, path = "/api/orthophotos", operation_id = "list_orthophotos", tag = "evidence",
    responses((status = 200, body = Vec<OrthophotoDoc>), (status = 401, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<Vec<OrthophotoDoc>>> {
    who.require(Permission::Read)?;
    let rows = state.db.read(|s| Ok(s.orthophotos()?)).await?;
    let cell = state.evidence.clone();
    let list = off_pool(move || Ok(rows.into_iter().map(|o| doc(&cell, o)).collect())).await?;
    Ok(Json(list))
}

/// A 256-pixel PNG tile of the orthophoto (Web Mercator XYZ, the vector tiles' grid), drawn
/// from the image on demand; 204 where the image has nothing or is too coarse to draw.
#[utoipa::path(get, path = "/api/orthophotos/{id}/tiles/{z}/{x}/{y}", operation_id = "orthophoto_tile",
    tag = "evidence",
    params(("id" = i64, Path, description = "Orthophoto id"), ("z" = u8, Path, description = "Zoom"),
           ("x" = u32, Path, description = "Column"), ("y" = u32, Path, description = "Row")),
    responses((status = 200, description = "The tile", content_type = "image/png", body = Vec<u8>),
              (status = 204, description = "Nothing to draw there"),
              (status = 404, body = crate::error::Problem)))]
pub async fn tile(
    State(state): State<AppState>,
    who: Principal,
    Path((id, z, x, y)): Path<(i64, u8, u32, String)>,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let y: u32 = y
        .trim_end_matches(".png")
        .parse()
        .map_err(|_| ApiError::field("y", "give the tile row as a number"))?;
    if z > 24 || u64::from(x) >= 1u64 << z || u64::from(y) >= 1u64 << z {
        return Err(ApiError::not_found(format!("there is no tile {z}/{x}/{y}")));
    }
    let o = state.db.read(move |s| Ok(s.orthophoto(id)?)).await?;
    let cell = state.evidence.clone();
    let png = off_pool(move || {
        let image = cell.orthophoto(id, &o.file)?;
        match image.tile(z, x, y) {
            Ok(png) => Ok(png),
            Err(OrthophotoError::TooCoarse { .. }) => Ok(None),
            Err(e) => Err(ApiError::internal(e)),
        }
    })
    .await?;
    let Some(png) = png else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let mut resp = (StatusCode::OK, Body::from(png)).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(resp)
}

/// What is said about an orthophoto being added.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AddParams {
    /// Display name (default: the file name).
    pub name: Option<String>,
    /// The uploaded file's name.
    pub file_name: Option<String>,
    /// Local ids of the hazards it covers, comma separated.
    pub hazards: Option<String>,
    /// Local id of the activity it documents.
    pub activity: Option<String>,
    /// The day it was flown (YYYY-MM-DD).
    pub captured_on: Option<NaiveDate>,
}

/// Adds an orthophoto: the body is a georeferenced GeoTIFF or Cloud-Optimised GeoTIFF (any
/// coordinate reference system with an EPSG code; 8-bit grey, RGB or RGBA), streamed to the
/// evidence folder and checked before anything is recorded. 201 with the orthophoto.
#[utoipa::path(post, path = "/api/orthophotos", operation_id = "add_orthophoto", tag = "evidence",
    params(AddParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The GeoTIFF's bytes"),
    responses((status = 201, body = OrthophotoDoc),
              (status = 403, body = crate::error::Problem),
              (status = 413, body = crate::error::Problem),
              (status = 422, description = "Not a GeoTIFF, no georeference, an unknown CRS, or a \
                  hazard or activity that does not exist", body = crate::error::Problem)))]
pub async fn add(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
    body: Body,
) -> ApiResult<Response> {
    who.require(Permission::WriteReports)?;
    let p: AddParams = query(q.as_deref())?;
    let dir = state.evidence.dir()?.to_path_buf();
    std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
    let mut file = tempfile::NamedTempFile::new_in(&dir).map_err(ApiError::internal)?;
    let mut stream = body.into_data_stream();
    let mut size = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(format!("the upload was interrupted ({e}); send it again"))
        })?;
        size += chunk.len() as u64;
        if size > MAX_ORTHOPHOTO_BYTES {
            return Err(ApiError::too_large(format!(
                "an orthophoto may have at most {MAX_ORTHOPHOTO_BYTES} bytes over HTTP; add \
                 larger ones on the server with `safeground evidence orthophoto`"
            )));
        }
        file.write_all(&chunk).map_err(ApiError::internal)?;
    }
    if size == 0 {
        return Err(ApiError::field(
            "file",
            "the body is empty: send the GeoTIFF's bytes",
        ));
    }
    let meta = OrthophotoMeta {
        name: p.name,
        hazards: split(p.hazards.as_deref()),
        activity: p.activity.filter(|a| !a.trim().is_empty()),
        captured_on: p.captured_on,
        file_name: p.file_name.unwrap_or_else(|| "orthophoto.tif".to_owned()),
    };
    let cell = state.evidence.clone();
    let stored = state
        .db
        .write(move |s| {
            let path = file.path().to_path_buf();
            let o = add_orthophoto(s, &dir, &who, &path, true, meta)?;
            drop(file);
            Ok(o)
        })
        .await?;
    let stored = off_pool(move || Ok(doc(&cell, stored))).await?;
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

/// A comma-separated list, without blanks.
pub(super) fn split(list: Option<&str>) -> Vec<String> {
    list.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
