//! Liveness and readiness.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use crate::state::AppState;

/// The answer of `/health`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok`.
    status: &'static str,
    /// The server's version.
    version: &'static str,
}

/// The answer of `/ready`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `ready`, or `database unavailable`.
    status: &'static str,
    /// The database's last change (grows with every approval); absent when unavailable.
    #[serde(skip_serializing_if = "Option::is_none")]
    data_generation: Option<i64>,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/health", tag = "health", security(()),
    responses((status = 200, description = "The process answers", body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// Readiness: the database answers a read.
#[utoipa::path(get, path = "/ready", tag = "health", security(()),
    responses((status = 200, description = "The database answers", body = Readiness),
              (status = 503, description = "The database does not answer; retry later",
               body = Readiness)))]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    match state.db.read(|s| Ok(s.last_change()?)).await {
        Ok(generation) => (
            StatusCode::OK,
            Json(Readiness {
                status: "ready",
                data_generation: Some(generation),
            }),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Readiness {
                status: "database unavailable",
                data_generation: None,
            }),
        ),
    }
}
