//! Downloads of collections as GeoJSON, CSV with HXL hashtags, KML, GeoPackage, zipped
//! Shapefile or XLSX, filtered like OGC API items (`bbox`, `datetime`, queryable properties).
//! Text formats stream through a small channel (memory stays flat); file formats are written
//! to a temporary file first. Every export is audited. Victims are exported here only (never
//! through OGC or tiles), without personal data for any reader; with `personal_data=true` only
//! for the victim-assistance role, never as CSV, audited as `export.personal_data`.

use std::io::Write;

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use safeground_io::{Filter, Format, IoError, PersonalData, VICTIMS};

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What an export request asks for.
struct ExportQuery {
    format: Format,
    personal_data: bool,
    filter: Filter,
}

fn parse(raw: Option<&str>, c: &safeground_io::Collection) -> ApiResult<ExportQuery> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|e| ApiError::bad_request(format!("bad query string: {e}")))?;
    let mut q = ExportQuery {
        format: Format::GeoJson,
        personal_data: false,
        filter: Filter::default(),
    };
    for (k, v) in pairs {
        match k.as_str() {
            "format" => {
                q.format = v
                    .parse()
                    .map_err(|e: IoError| ApiError::field("format", e.to_string()))?;
            }
            "personal_data" => {
                q.personal_data = match v.as_str() {
                    "true" | "1" => true,
                    "false" | "0" | "" => false,
                    _ => {
                        return Err(ApiError::bad_request(format!(
                            "personal_data `{v}` must be true or false"
                        )));
                    }
                };
            }
            _ => {
                let known = q
                    .filter
                    .set(c, &k, &v)
                    .map_err(|e| ApiError::bad_request(e.to_string()))?;
                if !known {
                    return Err(ApiError::bad_request(format!(
                        "unknown parameter `{k}`; the export of {} accepts format, \
                         personal_data, {}",
                        c.id,
                        Filter::parameters(c)
                    )));
                }
            }
        }
    }
    Ok(q)
}

/// Exports a collection as a file, filtered like OGC API items.
#[utoipa::path(get, path = "/api/export/{collection}", tag = "items",
    params(("collection" = String, Path, description = "hazards, released-areas, activities, eo-finds, accidents, risk-education or victims"),
           ("format" = Option<String>, Query, description = "geojson (default), csv (with HXL hashtags), kml, gpkg, shp (zipped) or xlsx"),
           ("bbox" = Option<String>, Query, description = "west,south,east,north (WGS 84)"),
           ("datetime" = Option<String>, Query, description = "date or interval, e.g. 2024-01-01/2024-12-31"),
           ("personal_data" = Option<bool>, Query, description = "victims only, victim_assistance role only; xlsx, geojson or gpkg")),
    responses((status = 200, description = "The file (Content-Disposition: attachment); the collection's queryable properties filter as name=value", content(
                  (super::schemas::GeoJsonFeatureCollection = "application/geo+json"),
                  (String = "text/csv"),
                  (String = "application/vnd.google-earth.kml+xml"),
                  (super::schemas::FileBytes = "application/geopackage+sqlite3"),
                  (super::schemas::FileBytes = "application/zip"),
                  (super::schemas::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 400, body = crate::error::Problem), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn export(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let c = safeground_io::export_collection(&id)
        .ok_or_else(|| ApiError::not_found(format!("no collection `{id}`")))?;
    let ExportQuery {
        format,
        personal_data,
        mut filter,
    } = parse(raw.as_deref(), c)?;
    filter.generalised = !super::quasi::exact(&who);
    if personal_data {
        who.require(Permission::PersonalData)?;
        if c.id != VICTIMS.id {
            return Err(ApiError::bad_request(
                "personal data are exported only with the victims (/api/export/victims)",
            ));
        }
        PersonalData::check_format(format).map_err(|e| ApiError::bad_request(e.to_string()))?;
    }
    let user = who.username.clone();
    let query = serde_urlencoded::to_string(filter.query_pairs()).unwrap_or_default();
    let detail = format!("{} {query}", format.extension());
    let personal = state
        .db
        .write(move |s| {
            s.record_audit(&user, "export", c.id, Some(detail.trim()))?;
            if !personal_data {
                return Ok(None);
            }
            PersonalData::load(s, &user, format)
                .map(Some)
                .map_err(|e| match e {
                    IoError::Usage(m) => ApiError::forbidden(m),
                    other => ApiError::internal(other),
                })
        })
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
                let p = personal.as_ref();
                match format {
                    Format::GeoPackage => {
                        safeground_io::export_geopackage(s, &[c], &filter, p, &path).map(|_| ())
                    }
                    Format::Xlsx => {
                        safeground_io::export_xlsx(s, &[c], &filter, p, &path).map(|_| ())
                    }
                    _ => safeground_io::export_shapefile(s, c, &filter, &path).map(|_| ()),
                }
                .map_err(export_error)
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
                safeground_io::export(s, c, format, &filter, personal.as_ref(), &mut w)
                    .map_err(export_error)
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

/// A refused export (a usage the checks above let through) is the client's; anything else is
/// internal.
fn export_error(e: IoError) -> ApiError {
    match e {
        IoError::Usage(m) => ApiError::bad_request(m),
        other => ApiError::internal(other),
    }
}
