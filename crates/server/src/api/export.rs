//! Downloads of whole collections as GeoJSON, CSV with HXL hashtags, KML, GeoPackage, zipped
//! Shapefile or XLSX. Text formats stream through a small channel (memory stays flat); file
//! formats are written to a temporary file first. Every export is audited. No collection carries personal data.

use std::io::Write;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use safeground_io::Format;
use safeground_store::AccountStore;
use serde::Deserialize;

use super::params::query;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Query of an export.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// geojson (default), csv (with HXL hashtags), kml, gpkg, shp (zipped) or xlsx.
    format: Option<String>,
}

/// Exports a whole collection as a file.
#[utoipa::path(get, path = "/api/export/{collection}", tag = "items",
    params(("collection" = String, Path, description = "hazards, released-areas, activities, eo-finds, accidents or risk-education"), ExportParams),
    responses((status = 200, description = "The file (Content-Disposition: attachment)"),
              (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn export(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let c = safeground_io::collection(&id)
        .ok_or_else(|| ApiError::not_found(format!("no collection `{id}`")))?;
    let format: Format = query::<ExportParams>(q.as_deref())?
        .format
        .as_deref()
        .unwrap_or("geojson")
        .parse()
        .map_err(|e: safeground_io::IoError| ApiError::field("format", e.to_string()))?;
    let user = who.username.clone();
    state
        .db
        .write(move |s| Ok(s.record_audit(&user, "export", c.id, Some(format.extension()))?))
        .await?;
    let body = if format.needs_path() {
        let db = state.db.clone();
        let bytes = tokio::task::spawn_blocking(move || -> ApiResult<Vec<u8>> {
            let dir = std::env::temp_dir().join(format!(
                "safeground-export-{}-{}",
                std::process::id(),
                crate::auth::password::generate_secret().map_err(ApiError::internal)?
            ));
            std::fs::create_dir_all(&dir).map_err(ApiError::internal)?;
            let path = dir.join(format!("export.{}", format.extension()));
            let result = db.read_blocking(|s| {
                match format {
                    Format::GeoPackage => {
                        safeground_io::export_geopackage(s, &[c], &path).map(|_| ())
                    }
                    Format::Xlsx => safeground_io::export_xlsx(s, &[c], &path).map(|_| ()),
                    _ => safeground_io::export_shapefile(s, c, &path).map(|_| ()),
                }
                .map_err(ApiError::internal)
            });
            let bytes = result.and_then(|_| std::fs::read(&path).map_err(ApiError::internal));
            let _ = std::fs::remove_dir_all(&dir);
            bytes
        })
        .await
        .map_err(ApiError::internal)??;
        Body::from(bytes)
    } else {
        let (mut w, body) = crate::stream::channel();
        let db = state.db.clone();
        tokio::task::spawn_blocking(move || {
            let result = db.read_blocking(|s| {
                safeground_io::export(s, c, format, &mut w).map_err(ApiError::internal)
            });
            match result.and_then(|_| w.flush().map_err(crate::stream::write_error)) {
                Ok(()) => {}
                Err(e) => w.fail(e.status().to_string()),
            }
        });
        body
    };
    let mut resp = Response::new(body);
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.media_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}.{}\"",
        c.id,
        format.extension()
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
