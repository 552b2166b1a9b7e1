//! Victim-assistance accounts need two administrators: with four-eyes on, creating such an
//! account or resetting its password is only requested (202); a second administrator confirms
//! it, and the password, always generated, is shown once to that administrator only.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use safeground_store::{AccountAction, NewAccount};

use super::schemas::{AccountRequestAccepted, AccountRequestList, ConfirmedRequest};

use crate::auth::password::{generate_password, hash_new_password};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Records a request for a second administrator (202 with the request). A password chosen by
/// the requesting administrator is refused: they would know the account's password.
pub async fn request(
    state: &AppState,
    who: &Principal,
    action: AccountAction,
    account: NewAccount,
    password_given: bool,
) -> ApiResult<Response> {
    if password_given {
        return Err(ApiError::field(
            "password",
            "a victim-assistance account's password is generated when a second administrator \
             confirms the request, and shown to that administrator only; leave it out",
        ));
    }
    let actor = who.username.clone();
    let username = account.username.clone();
    let id = state
        .db
        .write(move |s| Ok(s.request_account_change(&actor, action, &account)?))
        .await?;
    let doc = AccountRequestAccepted {
        request: id,
        action,
        user: username,
        status: "pending".into(),
        detail: "victim-assistance accounts need a second administrator: another \
                 administrator confirms with POST /api/users/requests/{id}/confirm"
            .into(),
    };
    Ok((StatusCode::ACCEPTED, Json(doc)).into_response())
}

/// Account changes waiting for a second administrator.
#[utoipa::path(get, path = "/api/users/requests", tag = "users",
    responses((status = 200, description = "Pending requests, oldest first", body = AccountRequestList),
              (status = 403, body = crate::error::Problem)))]
pub async fn requests(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<AccountRequestList>> {
    who.require(Permission::ManageUsers)?;
    let requests = state.db.read(|s| Ok(s.account_requests()?)).await?;
    Ok(Json(AccountRequestList { requests }))
}

/// Confirms another administrator's request: the account is created or its password reset
/// with a generated password, returned here once.
#[utoipa::path(post, path = "/api/users/requests/{id}/confirm", tag = "users",
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, description = "Done; the generated password, shown once", body = ConfirmedRequest),
              (status = 403, description = "Your own request", body = crate::error::Problem),
              (status = 404, body = crate::error::Problem)))]
pub async fn confirm(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<ConfirmedRequest>> {
    who.require(Permission::ManageUsers)?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found(format!("`{id}` is not a request id (a number)")))?;
    let pending = state.db.read(|s| Ok(s.account_requests()?)).await?;
    let Some(request) = pending.into_iter().find(|r| r.id == id) else {
        return Err(ApiError::not_found(format!(
            "no pending account request {id}; list them with GET /api/users/requests"
        )));
    };
    if request.requested_by.eq_ignore_ascii_case(&who.username) {
        return Err(ApiError::forbidden(format!(
            "you asked for request {id}; a second administrator must confirm it"
        )));
    }
    let password = generate_password().map_err(ApiError::internal)?;
    let (user, secret) = (request.username.clone(), password.clone());
    let hash = tokio::task::spawn_blocking(move || hash_new_password(&user, &secret))
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| ApiError::field("password", e.to_string()))?;
    let done = state
        .db
        .write(move |s| Ok(s.confirm_account_request(&who.username, id, &hash)?))
        .await?;
    Ok(Json(ConfirmedRequest {
        request: done.id,
        action: done.action,
        user: done.username,
        role: done.role,
        password,
    }))
}
