//! The node's detector summary for its hub (issue 28): per model, version and class, the
//! verdict counts, precision, recall against verified finds in the surveyed footprint and the
//! confidence calibration that `GET /api/detections/metrics` shows ([`detector_summary`]) —
//! figures only, never a location — signed with the node's key, made afresh on each request.
//! For the feed's callers only (administrators of the national authority; the hub's operator
//! holds an API token one of them made); the server needs the node's key (`serve --node-key
//! FILE`).

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;

use super::node_summary::serve;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::evidence::detections::detector_summary;
use crate::state::AppState;

/// The programme's detector metrics, signed with the node's key (format:
/// `crates/federation/src/detector_summary.rs`: `{format, payload, signature}`, the payload
/// `{node, generated_at, match_radius_m, rows: [{model, model_version, class, detections,
/// confirmed, false_positive, not_verifiable, pending, precision, finds_in_footprint,
/// finds_matched, recall, expected_calibration_error, calibration: [{from, to, count,
/// mean_confidence, confirmed_share}]}]}`). Audited as `federation.detector_summary`.
#[utoipa::path(get, path = "/api/federation/detector-summary",
    operation_id = "federation_detector_summary", tag = "federation",
    responses((status = 200, description = "The signed detector summary; verify it with the \
                  node's card. `payload` is the JSON string `{node, generated_at, \
                  match_radius_m, rows: [{model, model_version, class (\"*\": all classes), \
                  detections, confirmed, false_positive, not_verifiable, pending, precision \
                  (0..1 or null), finds_in_footprint, finds_matched, recall (0..1 or null), \
                  expected_calibration_error (0..1 or null), calibration: [{from, to, count, \
                  mean_confidence, confirmed_share}]}]}`: figures only, no locations",
                  content((crate::api::schemas::SignedDocumentDoc = "application/json"))),
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
        "detector summary",
        "federation.detector_summary",
        |s, key| {
            let summary = detector_summary(s, key.node().clone(), Utc::now())?;
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
