//! User accounts (administrators) and the audit log.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use safeground_store::{AccountAction, AuditQuery, NewAccount, Role};
use serde::Deserialize;
use serde_json::{Value, json};

use super::params::{limit, query};
use crate::auth::password::{generate_password, hash_new_password};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// Lists user accounts.
#[utoipa::path(get, path = "/api/users", operation_id = "list_users", tag = "users",
    responses((status = 200, description = "Every account", body = super::schemas::UserList),
              (status = 403, body = crate::error::Problem)))]
pub async fn list(State(state): State<AppState>, who: Principal) -> ApiResult<Json<Value>> {
    who.require(Permission::ManageUsers)?;
    let users = state.db.read(|s| Ok(s.accounts()?)).await?;
    Ok(Json(json!({ "users": users })))
}

/// A new account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    /// Login name.
    username: String,
    /// Name shown in the UI.
    display_name: String,
    /// Organisation local id, e.g. ORG-HALO.
    organisation: String,
    /// viewer, data_entry, reviewer, approver, administrator, victim_assistance,
    /// training_officer, eod_officer (reads render-safe notes of the ordnance reference); on a
    /// regional hub also regional_analyst or national_viewer (organisation: the node id).
    role: String,
    /// Initial password (at least 12 characters, not a common one); generated and returned when
    /// absent.
    password: Option<String>,
}

fn hash(username: &str, password: &str, field: &str) -> ApiResult<String> {
    hash_new_password(username, password).map_err(|e| ApiError::field(field, e.to_string()))
}

/// Creates an account; returns the generated password when none was given. With four-eyes on,
/// a victim-assistance account is only requested (202): a second administrator confirms it.
#[utoipa::path(post, path = "/api/users", operation_id = "create_user", tag = "users", request_body = NewUser,
    responses((status = 201, description = "The account (and its generated password)",
               body = super::schemas::CreatedUser),
              (status = 202, description = "A victim-assistance account, requested: a second \
               administrator must confirm", body = super::schemas::AccountRequestAccepted),
              (status = 400, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(u): ApiJson<NewUser>,
) -> ApiResult<Response> {
    who.require(Permission::ManageUsers)?;
    let role: Role = u
        .role
        .parse()
        .map_err(|e: String| ApiError::field("role", e))?;
    if role == Role::VictimAssistance && state.config.four_eyes {
        let account = NewAccount {
            username: u.username,
            display_name: u.display_name,
            organisation: u.organisation,
            role,
            password_hash: String::new(),
        };
        let given = u.password.is_some();
        return super::account_requests::request(
            &state,
            &who,
            AccountAction::Create,
            account,
            given,
        )
        .await;
    }
    let (password, generated) = match u.password {
        Some(p) => (p, false),
        None => (generate_password().map_err(ApiError::internal)?, true),
    };
    let user = u.username.clone();
    let password_hash = tokio::task::spawn_blocking(move || {
        hash(&user, &password, "password").map(|h| (h, password))
    })
    .await
    .map_err(ApiError::internal)??;
    let (password_hash, password) = password_hash;
    let account = NewAccount {
        username: u.username,
        display_name: u.display_name,
        organisation: u.organisation,
        role,
        password_hash,
    };
    let created = state
        .db
        .write(move |s| Ok(s.add_account(&who.username, &account)?))
        .await?;
    let mut doc = json!({ "user": created });
    if generated {
        doc["password"] = json!(password);
    }
    Ok((StatusCode::CREATED, Json(doc)).into_response())
}

/// Disables an account (its sessions and tokens stop working at once).
#[utoipa::path(post, path = "/api/users/{username}/disable", tag = "users",
    params(("username" = String, Path, description = "User name")),
    responses((status = 204), (status = 400, body = crate::error::Problem)))]
pub async fn disable(
    State(state): State<AppState>,
    who: Principal,
    Path(username): Path<String>,
) -> ApiResult<StatusCode> {
    who.require(Permission::ManageUsers)?;
    if username.eq_ignore_ascii_case(&who.username) {
        return Err(ApiError::conflict("you cannot disable your own account"));
    }
    state
        .db
        .write(move |s| Ok(s.set_account_disabled(&who.username, &username, true)?))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Re-enables an account.
#[utoipa::path(post, path = "/api/users/{username}/enable", tag = "users",
    params(("username" = String, Path, description = "User name")),
    responses((status = 204), (status = 400, body = crate::error::Problem)))]
pub async fn enable(
    State(state): State<AppState>,
    who: Principal,
    Path(username): Path<String>,
) -> ApiResult<StatusCode> {
    who.require(Permission::ManageUsers)?;
    state
        .db
        .write(move |s| Ok(s.set_account_disabled(&who.username, &username, false)?))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A password reset.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PasswordReset {
    /// New password; generated and returned when absent.
    password: Option<String>,
}

/// Resets a password (revokes the user's sessions and tokens). With four-eyes on, the reset of
/// a victim-assistance account's password is only requested (202): a second administrator
/// confirms it and receives the new password.
#[utoipa::path(post, path = "/api/users/{username}/password", tag = "users",
    request_body = PasswordReset,
    params(("username" = String, Path, description = "User name")),
    responses((status = 200, description = "Reset (and the generated password)",
               body = super::schemas::PasswordWasReset),
              (status = 202, description = "Requested: a second administrator must confirm",
               body = super::schemas::AccountRequestAccepted),
              (status = 400, body = crate::error::Problem)))]
pub async fn reset_password(
    State(state): State<AppState>,
    who: Principal,
    Path(username): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    who.require(Permission::ManageUsers)?;
    let body: PasswordReset = crate::json::parse_or_default(&body)?;
    let name = username.clone();
    let account = state.db.read(move |s| Ok(s.account(&name)?)).await?;
    if let Some(a) = account.filter(|a| a.role == Role::VictimAssistance && state.config.four_eyes)
    {
        let account = NewAccount {
            username: a.username,
            display_name: a.display_name,
            organisation: a.organisation,
            role: a.role,
            password_hash: String::new(),
        };
        let given = body.password.is_some();
        return super::account_requests::request(
            &state,
            &who,
            AccountAction::ResetPassword,
            account,
            given,
        )
        .await;
    }
    let (password, generated) = match body.password {
        Some(p) => (p, false),
        None => (generate_password().map_err(ApiError::internal)?, true),
    };
    let user = username.clone();
    let (h, password) = tokio::task::spawn_blocking(move || {
        hash(&user, &password, "password").map(|h| (h, password))
    })
    .await
    .map_err(ApiError::internal)??;
    let name = username.clone();
    state
        .db
        .write(move |s| Ok(s.set_password_hash(&who.username, &name, &h)?))
        .await?;
    let mut doc = json!({ "user": username });
    if generated {
        doc["password"] = json!(password);
    }
    Ok(Json(doc).into_response())
}

/// Query of the audit log.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only lines of this user.
    actor: Option<String>,
    /// Only actions starting with this (`login.`, `account.create`).
    action: Option<String>,
    /// Only lines at or after this instant (RFC 3339).
    since: Option<String>,
    /// Only lines before this instant (RFC 3339).
    until: Option<String>,
    /// Lines older than this id (`next_before` of the previous page).
    before: Option<i64>,
    /// Page size (default 100, at most 1000).
    limit: Option<usize>,
}

fn instant(field: &str, raw: Option<&str>) -> ApiResult<Option<chrono::DateTime<chrono::Utc>>> {
    raw.map(|s| {
        chrono::DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|e| {
                ApiError::field(
                    field,
                    format!("`{s}` is not an RFC 3339 time (2025-01-31T12:00:00Z): {e}"),
                )
            })
    })
    .transpose()
}

/// The audit log (administrators), one page newest first, with the number of matching lines
/// and the link to the next page.
#[utoipa::path(get, path = "/api/audit", tag = "users", params(AuditParams),
    responses((status = 200, description = "One page of the log, newest first",
               body = super::schemas::AuditPage),
              (status = 403, body = crate::error::Problem)))]
pub async fn audit(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    who.require(Permission::ManageUsers)?;
    let p: AuditParams = query(q.as_deref())?;
    let query = AuditQuery {
        since: instant("since", p.since.as_deref())?,
        until: instant("until", p.until.as_deref())?,
        limit: limit(p.limit, 100, 1000)?,
        actor: p.actor,
        action: p.action,
        before: p.before,
    };
    let asked = query.clone();
    let page = state.db.read(move |s| Ok(s.audit_page(&asked)?)).await?;
    let next = page.next_before.map(|before| {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [("actor", &query.actor), ("action", &query.action)] {
            if let Some(v) = v {
                pairs.push((k, v.clone()));
            }
        }
        for (k, v) in [("since", query.since), ("until", query.until)] {
            if let Some(v) = v {
                pairs.push((k, v.to_rfc3339()));
            }
        }
        pairs.push(("before", before.to_string()));
        pairs.push(("limit", query.limit.to_string()));
        format!(
            "/api/audit?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    });
    Ok(Json(json!({
        "entries": page.entries,
        "total": page.total,
        "next_before": page.next_before,
        "links": { "next": next },
    })))
}
