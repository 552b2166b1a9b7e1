//! Liveness and readiness.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::state::AppState;

/// Liveness: the process answers.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = Value)))]
pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

/// Readiness: the database answers a read.
#[utoipa::path(get, path = "/ready", tag = "health",
    responses((status = 200, body = Value), (status = 503, body = Value)))]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.db.read(|s| Ok(s.last_change()?)).await {
        Ok(generation) => (
            StatusCode::OK,
            Json(json!({ "status": "ready", "data_generation": generation })),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "database unavailable" })),
        ),
    }
}
