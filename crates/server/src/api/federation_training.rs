//! The node's training summary for its hub (issue 25): the register's figures without names,
//! person ids or organisations — participants and certificates issued per competency × sex ×
//! age band × year, certificates valid now per competency — signed with the node's key, made
//! afresh on each request. For the feed's callers only (administrators of the national
//! authority; the hub's operator holds an API token one of them made); the server needs the
//! node's key (`serve --node-key FILE`). `safeground federation training-summary` writes the
//! same document to a file.

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use safeground_federation::TrainingSummary;

use super::node_summary::serve;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The programme's training summary, signed with the node's key (format:
/// `crates/federation/src/training_summary.rs`: `{format, payload, signature}`, the payload
/// `{node, generated_at, rows: [{competency, sex, age_band, year, participants,
/// certificates}], valid_certificates: [{competency, count}]}`). Audited as
/// `federation.training_summary`.
#[utoipa::path(get, path = "/api/federation/training-summary",
    operation_id = "federation_training_summary", tag = "federation",
    responses((status = 200, description = "The signed training summary; verify it with the \
                  node's card", content((crate::api::schemas::SignedDocumentDoc = "application/json"))),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 403, description = "Not an administrator of the national authority",
               body = crate::error::Problem),
              (status = 404, description = "Federation is not enabled on this server (serve \
                  --node-key FILE)", body = crate::error::Problem),
              (status = 409, description = "The programme's node id is not the key's",
               body = crate::error::Problem)))]
pub async fn summary(State(state): State<AppState>, who: Principal) -> ApiResult<Response> {
    serve(
        state,
        who,
        "training summary",
        "federation.training_summary",
        |s, key| {
            let summary = TrainingSummary::of_register(s, key.node().clone(), Utc::now())?;
            let document = summary.sign(key).map_err(ApiError::internal)?;
            let detail = format!(
                "generated {}, {} rows",
                summary.generated_at,
                summary.rows.len()
            );
            Ok((document, detail))
        },
    )
    .await
}
