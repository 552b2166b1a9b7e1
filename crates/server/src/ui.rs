//! The browser UI, built from `web/` by `build.rs` and embedded in the binary: `/` is the app
//! shell, `/assets/*` the hashed, immutable bundles, `/fonts/*` the Noto fonts of the region's
//! scripts (so no client shows missing glyphs, whatever fonts it has).

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        Some("ttf") => "font/ttf",
        Some("txt") => "text/plain; charset=utf-8",
        Some("json") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn serve(path: &str, cache: &'static str) -> Response {
    match ASSETS.iter().find(|(p, _)| *p == path) {
        Some((_, bytes)) => {
            let mut resp = (StatusCode::OK, *bytes).into_response();
            let h = resp.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(path)),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            resp
        }
        None => ApiError::not_found(format!("no file {path} in the UI")).into_response(),
    }
}

/// The app shell (never cached, so a new version is picked up at once). Its content security
/// policy, like every response's, is set by `guard`.
pub async fn index() -> Response {
    serve("index.html", "no-cache")
}

/// What the UI needs to know of the server's settings.
#[utoipa::path(get, path = "/api/config", tag = "session", security(()),
    responses((status = 200, description = "Basemap, version, whether this is a hub and whether a \
                  federation node",
                  body = crate::api::UiConfig)))]
pub async fn config(State(state): State<AppState>) -> ApiResult<axum::Json<serde_json::Value>> {
    let hub = state.db.read(|s| Ok(s.is_hub()?)).await?;
    Ok(axum::Json(serde_json::json!({
        "basemap_url": state.config.basemap_url,
        "version": env!("CARGO_PKG_VERSION"),
        "hub": hub,
        "node": state.config.sharing.is_some(),
    })))
}

/// A hashed bundle (cached for a year: its name changes with its content).
pub async fn asset(Path(file): Path<String>) -> Response {
    serve(
        &format!("assets/{file}"),
        "public, max-age=31536000, immutable",
    )
}

/// A font of the UI (Noto Sans Khmer, Lao, Thai, Myanmar; SIL OFL, licence in `OFL.txt`),
/// cached a day.
pub async fn font(Path(file): Path<String>) -> Response {
    serve(&format!("fonts/{file}"), "public, max-age=86400")
}

/// The service worker that keeps the app usable offline (never cached by HTTP, so that a new
/// version is found at the next visit; it may control the whole site).
pub async fn service_worker() -> Response {
    let mut resp = serve("sw.js", "no-cache");
    resp.headers_mut()
        .insert("service-worker-allowed", HeaderValue::from_static("/"));
    resp
}

/// The web app manifest (name, icons, start page) that lets a phone install the app.
pub async fn manifest() -> Response {
    serve("manifest.webmanifest", "no-cache")
}

/// An icon of the installed app, cached a day.
pub async fn icon(Path(file): Path<String>) -> Response {
    serve(&format!("icons/{file}"), "public, max-age=86400")
}
