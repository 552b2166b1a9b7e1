//! The browser UI, built from `web/` by `build.rs` and embedded in the binary: `/` is the app
//! shell, `/assets/*` the hashed, immutable bundles.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
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
        Some("json") => "application/json",
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

/// The origin (`https://host:port`) of a URL, for the content security policy.
fn origin(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find('/').unwrap_or(rest.len());
    Some(&url[..url.len() - rest.len() + end])
}

/// The app shell (never cached, so a new version is picked up at once). Its content security
/// policy allows only this server, plus the configured basemap's origin when there is one.
pub async fn index(State(state): State<AppState>) -> Response {
    let mut resp = serve("index.html", "no-cache");
    let basemap = state
        .config
        .basemap_url
        .as_deref()
        .and_then(origin)
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    let csp = format!(
        "default-src 'self'; img-src 'self' data: blob:{basemap}; worker-src 'self' blob:; \
         child-src blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'{basemap}"
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        resp.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    resp
}

/// What the UI needs to know of the server's settings.
#[utoipa::path(get, path = "/api/config", tag = "session", responses((status = 200, body = serde_json::Value)))]
pub async fn config(State(state): State<AppState>) -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({
        "basemap_url": state.config.basemap_url,
        "version": env!("CARGO_PKG_VERSION"),
    }))
}

/// A hashed bundle (cached for a year: its name changes with its content).
pub async fn asset(Path(file): Path<String>) -> Response {
    serve(
        &format!("assets/{file}"),
        "public, max-age=31536000, immutable",
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn origins_of_basemap_urls() {
        assert_eq!(
            super::origin("https://tiles.example.org:8443/osm/{z}/{x}/{y}.png"),
            Some("https://tiles.example.org:8443")
        );
        assert_eq!(super::origin("http://10.0.0.5"), Some("http://10.0.0.5"));
        assert_eq!(super::origin("not a url"), None);
    }
}
