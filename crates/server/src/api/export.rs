//! Downloads of whole collections as GeoJSON, CSV with HXL hashtags, KML, GeoPackage, zipped
//! Shapefile or XLSX. Text formats stream through a small channel (memory stays flat); file
//! formats are written to a temporary file first. Every export is audited. No collection carries personal data.

use std::io::Write;

use axum::body::{Body, Bytes};
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

/// A `Write` that sends 64 KiB chunks to the response body.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
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
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
        let db = state.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut w = ChannelWriter {
                tx: tx.clone(),
                buf: Vec::with_capacity(80 * 1024),
            };
            let result = db.read_blocking(|s| {
                safeground_io::export(s, c, format, &mut w).map_err(ApiError::internal)
            });
            match result.and_then(|_| w.flush().map_err(ApiError::internal)) {
                Ok(()) => {}
                Err(e) => {
                    let _ = tx.blocking_send(Err(std::io::Error::other(e.status().to_string())));
                }
            }
        });
        Body::from_stream(futures_util::StreamExt::fuse(futures_util::stream::unfold(
            rx,
            |mut rx| async move { rx.recv().await.map(|item| (item, rx)) },
        )))
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
