//! A user's own sessions and API tokens: create a token (with an expiry), list them, revoke
//! one. Secrets are stored as SHA-256 only; a credential is named by the first 16 hex digits
//! of that digest.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use safeground_store::{CredentialInfo, CredentialKind};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Principal;
use crate::auth::password::{generate_secret, secret_digest};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// Longest lifetime of an API token, in days.
const MAX_TOKEN_DAYS: i64 = 366;
/// Hex digits of the digest that name a credential.
const ID_LEN: usize = 16;

/// An API token request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    /// What the token is for ("KoboToolbox sync", "QGIS").
    label: String,
    /// Days until the token expires (1–366); default: the server's `--api-token-days` (90).
    expires_in_days: Option<i64>,
}

fn info_json(c: &CredentialInfo, current: &str) -> Value {
    json!({
        "id": &c.token_hash[..ID_LEN.min(c.token_hash.len())],
        "kind": c.kind,
        "label": c.label,
        "created_at": c.created_at,
        "expires_at": c.expires_at,
        "current": c.token_hash == current,
    })
}

/// Creates an API token for the current user (shown once; send it as
/// `Authorization: Bearer <token>`). It acts with the user's role until it expires or is
/// revoked.
#[utoipa::path(post, path = "/api/tokens", tag = "session", request_body = TokenRequest,
    responses((status = 201, description = "The token, shown once", body = super::schemas::NewToken),
              (status = 422, body = crate::error::Problem)))]
pub async fn create_token(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(req): ApiJson<TokenRequest>,
) -> ApiResult<Response> {
    let label = req.label.trim().to_owned();
    if label.is_empty() {
        return Err(ApiError::field("label", "say what the token is for"));
    }
    let days = req.expires_in_days.unwrap_or(state.config.api_token_days);
    if !(1..=MAX_TOKEN_DAYS).contains(&days) {
        return Err(ApiError::field(
            "expires_in_days",
            format!("must be 1 to {MAX_TOKEN_DAYS} days; make a new token when it expires"),
        ));
    }
    let expires_at = Utc::now() + Duration::days(days);
    let secret = generate_secret().map_err(ApiError::internal)?;
    let digest = secret_digest(&secret);
    let id = digest[..ID_LEN].to_owned();
    state
        .db
        .write(move |s| {
            Ok(s.add_credential(
                &who.username,
                &digest,
                CredentialKind::ApiToken,
                Some(&label),
                Some(expires_at),
            )?)
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "token": secret,
            "id": id,
            "expires_at": expires_at,
            "note": "shown once; store it in the client's secret store",
        })),
    )
        .into_response())
}

/// The current user's sessions and API tokens that have not expired, newest first; `current`
/// marks the one this request used.
#[utoipa::path(get, path = "/api/tokens", tag = "session",
    responses((status = 200, description = "The sessions and tokens, newest first",
               body = super::schemas::TokenList),
              (status = 401, body = crate::error::Problem)))]
pub async fn list_tokens(State(state): State<AppState>, who: Principal) -> ApiResult<Json<Value>> {
    let user = who.username.clone();
    let list = state
        .db
        .read(move |s| Ok(s.credentials(&user, Utc::now())?))
        .await?;
    let tokens: Vec<Value> = list
        .iter()
        .map(|c| info_json(c, &who.secret_digest))
        .collect();
    Ok(Json(json!({ "tokens": tokens })))
}

/// Revokes one of the current user's sessions or API tokens (by the id listed).
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "session",
    params(("id" = String, Path, description = "the id listed by GET /api/tokens")),
    responses((status = 204, description = "Revoked"), (status = 404, body = crate::error::Problem)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = id.to_ascii_lowercase();
    if id.len() != ID_LEN || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::not_found(format!(
            "`{id}` is not a token id (16 hex digits, as listed by GET /api/tokens)"
        )));
    }
    state
        .db
        .write(move |s| {
            let mine = s.credentials(&who.username, Utc::now())?;
            let Some(found) = mine.iter().find(|c| c.token_hash.starts_with(&id)) else {
                return Err(ApiError::not_found(format!(
                    "you have no session or token `{id}`; list them with GET /api/tokens"
                )));
            };
            s.revoke_credential(&who.username, &found.token_hash)?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
