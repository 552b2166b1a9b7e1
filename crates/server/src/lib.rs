//! Safeground's HTTP service: the JSON API for every entity and the report workflow (OpenAPI at
//! `/api/openapi.json`), users with roles and organisations, OGC API - Features at `/ogc`,
//! vector tiles at `/tiles`, health at `/health` and `/ready`.
//!
//! [`app`] builds the router over an open database; [`serve`] runs it until a shutdown signal.

mod api;
pub mod auth;
mod db;
mod error;
pub mod evidence;
pub mod federation;
pub mod field;
mod guard;
mod health;
mod json;
pub mod library;
pub mod library_exchange;
mod listen;
mod offline_map;
mod ogc;
mod state;
mod stream;
mod tiles;
mod ui;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use db::Db;
pub use error::{ApiError, Problem};
pub use guard::parse_public_url;
pub use offline_map::{DEFAULT_MAX_ZOOM, OfflineMapError, PACKED_LAYERS, pack_programme};
pub use state::{AppState, ServerConfig};

fn router_parts() -> (Router<AppState>, Router<AppState>, utoipa::openapi::OpenApi) {
    let (uploads, upload_doc) = api::upload_routes().split_for_parts();
    let (router, mut doc) = api::routes()
        .merge(ogc::routes())
        .merge(
            OpenApiRouter::new()
                .routes(routes!(health::health))
                .routes(routes!(health::ready))
                .routes(routes!(tiles::tile))
                .routes(routes!(tiles::tilejson))
                .routes(routes!(offline_map::download))
                .routes(routes!(ui::config)),
        )
        .split_for_parts();
    doc.merge(upload_doc);
    (router, uploads, doc)
}

async fn not_found() -> impl IntoResponse {
    ApiError::not_found("no such endpoint; the API is described at /api/openapi.json")
}

/// The whole service over `state`.
pub fn app(state: AppState) -> Router {
    let (router, uploads, doc) = router_parts();
    let doc_json = serde_json::to_string_pretty(&api::openapi::complete(&doc)).unwrap_or_default();
    let max_body = state.config.max_body_bytes;
    let timeout = state.config.request_timeout;
    router
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let body = doc_json.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        body,
                    )
                }
            }),
        )
        .route("/", axum::routing::get(ui::index))
        .route("/assets/{file}", axum::routing::get(ui::asset))
        .route("/fonts/{file}", axum::routing::get(ui::font))
        .route("/sw.js", axum::routing::get(ui::service_worker))
        .route("/manifest.webmanifest", axum::routing::get(ui::manifest))
        .route("/icons/{file}", axum::routing::get(ui::icon))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        // Library uploads stream to disk under the library's own limit, for as long as the
        // client sends (a large file over a field office's link takes minutes).
        .merge(uploads.layer(DefaultBodyLimit::disable()))
        .with_state(state.clone())
        .layer(axum::middleware::map_response(guard::problem_details))
        .layer(axum::middleware::from_fn_with_state(state, guard::guard))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// Serves `app` on `addr` until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(state, listener).await
}

/// Serves on an already bound listener (tests bind port 0).
pub async fn serve_on(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    tracing::info!(addr = %listener.local_addr()?, "serving");
    axum::serve(
        listen::without_nagle(listener),
        // The peer's address feeds the login throttle.
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Binds for a test or tool: returns the address actually bound.
pub async fn bind(addr: SocketAddr) -> std::io::Result<(tokio::net::TcpListener, SocketAddr)> {
    let l = tokio::net::TcpListener::bind(addr).await?;
    let a = l.local_addr()?;
    Ok((l, a))
}
