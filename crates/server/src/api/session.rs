//! Logging in and out, the current user.

use axum::Json;
use std::time::Instant;

use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use safeground_store::CredentialKind;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::password::{generate_secret, secret_digest, verify_password};
use crate::auth::throttle::Throttled;
use crate::auth::{Permission, Principal, SESSION_COOKIE};
use crate::error::{ApiError, ApiResult};
use crate::guard::ClientIp;
use crate::json::ApiJson;
use crate::state::AppState;

/// Credentials.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Login {
    /// User name.
    username: String,
    /// Password.
    password: String,
}

/// A real argon2 hash to verify against when the user does not exist, so that unknown and
/// known users take the same time to refuse.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        crate::auth::password::hash_password("no such user, no such password").unwrap_or_default()
    })
}

fn cookie(state: &AppState, value: &str, max_age_s: i64) -> ApiResult<HeaderValue> {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_s}{secure}"
    ))
    .map_err(ApiError::internal)
}

fn me_json(p: &Principal) -> Value {
    json!({
        "username": p.username,
        "display_name": p.display_name,
        "role": p.role,
        "organisation": p.organisation,
        "national": p.national,
        "may": {
            "write_reports": p.can(Permission::WriteReports),
            "review": p.can(Permission::Review),
            "approve": p.can(Permission::Approve),
            "manage_users": p.can(Permission::ManageUsers),
            "personal_data": p.can(Permission::PersonalData),
            "plan": p.can(Permission::Plan),
        },
    })
}

/// Logs in: sets an HttpOnly, SameSite=Strict session cookie. Failed logins are throttled
/// per client address and user name (each try past the limit waits longer: 429 with
/// Retry-After) and per address; a user logging in from another address is not held up.
/// Every attempt is audited.
#[utoipa::path(post, path = "/api/login", tag = "session", request_body = Login,
    security(()),
    responses((status = 200, description = "Logged in; cookie set", body = super::schemas::LoggedIn),
              (status = 401, body = crate::error::Problem),
              (status = 429, description = "Too many failed logins", body = crate::error::Problem)))]
pub async fn login(
    State(state): State<AppState>,
    Extension(ClientIp(address)): Extension<ClientIp>,
    ApiJson(login): ApiJson<Login>,
) -> ApiResult<Response> {
    let username = login.username.trim().to_owned();
    if let Err(throttled) = state
        .login_throttle
        .check(address, &username, Instant::now())
    {
        let (wait, whom) = match throttled {
            Throttled::Pair(wait) => (wait, "this user from your address"),
            Throttled::Address(wait) => (wait, "your address"),
        };
        let user = username.clone();
        state
            .db
            .write(move |s| Ok(s.record_login(&user, false, "refused: too many failed logins")?))
            .await?;
        return Err(ApiError::too_many_attempts(wait.as_secs().max(1), whom));
    }
    // Argon2 runs on a blocking thread, neither on the async runtime nor under the writer.
    let user = username.clone();
    let hash = state.db.read(move |s| Ok(s.password_hash(&user)?)).await?;
    let password = login.password;
    let ok = tokio::task::spawn_blocking(move || {
        verify_password(&password, hash.as_deref().unwrap_or(dummy_hash())) && hash.is_some()
    })
    .await
    .map_err(ApiError::internal)?;
    if !ok {
        state
            .login_throttle
            .failure(address, &username, Instant::now());
        state
            .db
            .write(move |s| Ok(s.record_login(&username, false, "wrong user name or password")?))
            .await?;
        return Err(ApiError::login_refused());
    }
    state.login_throttle.success(address, &username);
    let session_hours = state.config.session_hours;
    let outcome = state
        .db
        .write(move |s| {
            let secret = generate_secret().map_err(ApiError::internal)?;
            let expires = Utc::now() + Duration::hours(session_hours);
            s.add_credential(
                &username,
                &secret_digest(&secret),
                CredentialKind::Session,
                None,
                Some(expires),
            )?;
            s.record_login(&username, true, "password")?;
            let account = s
                .account(&username)?
                .ok_or_else(|| ApiError::internal("account vanished at login"))?;
            Ok((secret, account))
        })
        .await?;
    let (secret, account) = outcome;
    let mut resp = Json(json!({
        "username": account.username,
        "display_name": account.display_name,
        "role": account.role,
        "organisation": account.organisation,
        "session_hours": state.config.session_hours,
    }))
    .into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        cookie(&state, &secret, state.config.session_hours * 3600)?,
    );
    Ok(resp)
}

/// Query of a logout.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LogoutParams {
    /// `true`: revoke every session and API token of the user, not only the one used.
    all: Option<bool>,
}

/// Logs out: revokes the session (or the API token used), or with `all=true` every session
/// and API token of the user, and clears the cookie.
#[utoipa::path(post, path = "/api/logout", tag = "session", params(LogoutParams),
    responses((status = 204, description = "Logged out")))]
pub async fn logout(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let params: LogoutParams = super::params::query(q.as_deref())?;
    let all = params.all.unwrap_or(false);
    state
        .db
        .write(move |s| {
            if all {
                for c in s.credentials(&who.username, Utc::now())? {
                    s.revoke_credential(&who.username, &c.token_hash)?;
                }
            }
            Ok(s.revoke_credential(&who.username, &who.secret_digest)?)
        })
        .await?;
    let mut resp = axum::http::StatusCode::NO_CONTENT.into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, cookie(&state, "", 0)?);
    Ok(resp)
}

/// The logged-in user, their role and what it allows.
#[utoipa::path(get, path = "/api/me", tag = "session",
    responses((status = 200, description = "The logged-in user and what their role allows",
               body = super::schemas::Me), (status = 401, body = crate::error::Problem)))]
pub async fn me(State(state): State<AppState>, who: Principal) -> ApiResult<Json<Value>> {
    let mut doc = me_json(&who);
    super::break_glass::describe(&state, &who, &mut doc).await?;
    Ok(Json(doc))
}
