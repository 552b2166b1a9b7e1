//! Break-glass: emergency access to victims' personal data. An approver or administrator of the
//! national authority opens a grant alone, saying why, for 1–240 minutes; while it is open the
//! holder reads personal data like a victim-assistance officer, every read audited naming the
//! grant. The holder or an administrator closes it early; once it has ended an administrator
//! or victim-assistance officer other than the holder reviews it. `--no-break-glass` turns
//! opening (and open grants) off.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use safeground_store::{BreakGlass, Role, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// A request to open emergency access.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OpenGrant {
    /// Why (at least 20 characters after trimming): the case, the victim, who asked.
    #[schema(min_length = 20, max_length = 1000)]
    reason: String,
    /// How long the grant lasts, minutes (1–240; default 60).
    #[schema(minimum = 1, maximum = 240, default = 60)]
    minutes: Option<i64>,
}

/// A review of an ended grant.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReviewGrant {
    /// What the reviewer checked and found (required).
    #[schema(min_length = 1, max_length = 1000)]
    note: String,
}

/// One emergency access grant.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Grant {
    /// Grant id.
    id: i64,
    /// Who opened (and holds) it.
    holder: String,
    /// Why it was opened.
    reason: String,
    /// When it was opened.
    opened_at: DateTime<Utc>,
    /// When it ends unless closed earlier.
    until: DateTime<Utc>,
    /// When it was closed early.
    closed_at: Option<DateTime<Utc>>,
    /// Who closed it early.
    closed_by: Option<String>,
    /// When it was reviewed.
    reviewed_at: Option<DateTime<Utc>>,
    /// Who reviewed it.
    reviewed_by: Option<String>,
    /// The reviewer's note.
    review_note: Option<String>,
    /// Whether it gives access now.
    open: bool,
    /// Whether it has ended and waits for a review.
    awaits_review: bool,
}

impl From<BreakGlass> for Grant {
    fn from(g: BreakGlass) -> Self {
        let now = Utc::now();
        Grant {
            open: g.is_open_at(now),
            awaits_review: g.awaits_review_at(now),
            id: g.id,
            holder: g.holder,
            reason: g.reason,
            opened_at: g.opened_at,
            until: g.until,
            closed_at: g.closed_at,
            closed_by: g.closed_by,
            reviewed_at: g.reviewed_at,
            reviewed_by: g.reviewed_by,
            review_note: g.review_note,
        }
    }
}

/// Grants, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GrantList {
    /// Every grant (administrators and victim-assistance officers) or the user's own.
    grants: Vec<Grant>,
    /// How many of them have ended and wait for a review.
    awaiting_review: usize,
}

/// Whether `who` sees every grant and reviews them.
pub fn oversees(who: &Principal) -> bool {
    matches!(who.role, Role::Administrator | Role::VictimAssistance)
}

/// A refusal of the store's grant rules (already open, already ended, reviewed) as 409.
fn refused(e: StoreError) -> ApiError {
    match e {
        StoreError::Account(m) => ApiError::conflict(m),
        other => other.into(),
    }
}

fn grant_id(id: &str) -> ApiResult<i64> {
    id.parse()
        .map_err(|_| ApiError::not_found(format!("`{id}` is not a grant id (a number)")))
}

async fn grant(state: &AppState, id: i64) -> ApiResult<BreakGlass> {
    let grants = state.db.read(|s| Ok(s.break_glass_grants(None)?)).await?;
    grants.into_iter().find(|g| g.id == id).ok_or_else(|| {
        ApiError::not_found(format!(
            "no emergency access grant {id}; list them with GET /api/break-glass"
        ))
    })
}

/// Opens emergency access to victims' personal data for the current user (a national
/// approver or administrator). Everything read under it is audited and the grant is reviewed
/// by someone else afterwards.
#[utoipa::path(post, path = "/api/break-glass", operation_id = "open_break_glass",
    tag = "break-glass", request_body = OpenGrant,
    responses((status = 201, description = "The grant, open now", body = Grant),
              (status = 403, description = "Not a national approver or administrator, or \
                                            break-glass is turned off", body = crate::error::Problem),
              (status = 409, description = "The user already holds an open grant",
               body = crate::error::Problem),
              (status = 422, description = "Reason too short or minutes out of range",
               body = crate::error::Problem)))]
pub async fn open(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(req): ApiJson<OpenGrant>,
) -> ApiResult<Response> {
    if !state.config.break_glass {
        return Err(ApiError::forbidden(
            "break-glass is turned off on this server (--no-break-glass); ask a \
             victim-assistance officer for the personal data you need",
        ));
    }
    if !who.may_break_glass() {
        return Err(ApiError::forbidden(format!(
            "only approvers and administrators of the national authority may open emergency \
             access (you are {} of {}); ask a victim-assistance officer",
            who.role, who.organisation
        )));
    }
    let g = state
        .db
        .write(move |s| {
            s.open_break_glass(&who.username, &req.reason, req.minutes)
                .map_err(refused)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(Grant::from(g))).into_response())
}

/// Emergency access grants, newest first: all of them for administrators and
/// victim-assistance officers, the user's own for others.
#[utoipa::path(get, path = "/api/break-glass", operation_id = "list_break_glass",
    tag = "break-glass",
    responses((status = 200, body = GrantList), (status = 401, body = crate::error::Problem)))]
pub async fn list(State(state): State<AppState>, who: Principal) -> ApiResult<Json<GrantList>> {
    who.require(Permission::Read)?;
    let holder = (!oversees(&who)).then(|| who.username.clone());
    let grants = state
        .db
        .read(move |s| Ok(s.break_glass_grants(holder.as_deref())?))
        .await?;
    let grants: Vec<Grant> = grants.into_iter().map(Grant::from).collect();
    let awaiting_review = grants.iter().filter(|g| g.awaits_review).count();
    Ok(Json(GrantList {
        grants,
        awaiting_review,
    }))
}

/// Closes a grant before its end (its holder or an administrator).
#[utoipa::path(post, path = "/api/break-glass/{id}/close", operation_id = "close_break_glass",
    tag = "break-glass",
    params(("id" = i64, Path, description = "Grant id")),
    responses((status = 200, description = "The closed grant", body = Grant),
              (status = 403, description = "Neither the holder nor an administrator",
               body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "The grant has already ended", body = crate::error::Problem)))]
pub async fn close(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Grant>> {
    let id = grant_id(&id)?;
    let g = grant(&state, id).await?;
    if !g.holder.eq_ignore_ascii_case(&who.username) && who.role != Role::Administrator {
        return Err(ApiError::forbidden(format!(
            "grant {id} is {}'s: only its holder or an administrator may close it",
            g.holder
        )));
    }
    let closed = state
        .db
        .write(move |s| s.close_break_glass(&who.username, id).map_err(refused))
        .await?;
    Ok(Json(closed.into()))
}

/// Reviews an ended grant (an administrator or victim-assistance officer other than its
/// holder): what was read under it is in the audit log, named by the grant.
#[utoipa::path(post, path = "/api/break-glass/{id}/review", operation_id = "review_break_glass",
    tag = "break-glass",
    request_body = ReviewGrant, params(("id" = i64, Path, description = "Grant id")),
    responses((status = 200, description = "The reviewed grant", body = Grant),
              (status = 403, description = "The holder, or neither an administrator nor a \
                                            victim-assistance officer", body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "Still open, or already reviewed",
               body = crate::error::Problem),
              (status = 422, description = "No note", body = crate::error::Problem)))]
pub async fn review(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ReviewGrant>,
) -> ApiResult<Json<Grant>> {
    let id = grant_id(&id)?;
    if !oversees(&who) {
        return Err(ApiError::forbidden(
            "only an administrator or a victim-assistance officer reviews emergency access",
        ));
    }
    let g = grant(&state, id).await?;
    if g.holder.eq_ignore_ascii_case(&who.username) {
        return Err(ApiError::forbidden(format!(
            "grant {id} is yours: someone else must review it"
        )));
    }
    let reviewed = state
        .db
        .write(move |s| {
            s.review_break_glass(&who.username, id, &req.note)
                .map_err(refused)
        })
        .await?;
    Ok(Json(reviewed.into()))
}

/// The user's open grant, as `/api/me` reports it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActiveGrant {
    /// Grant id.
    id: i64,
    /// When it ends unless closed earlier.
    until: DateTime<Utc>,
    /// Why it was opened.
    reason: String,
}

/// Adds to the `/api/me` document `doc`: `may.break_glass` (whether the user may open a
/// grant here), `break_glass` (the open grant, or null) and, for administrators and
/// victim-assistance officers, `break_glass_reviews` (ended grants waiting for a review).
pub async fn describe(state: &AppState, who: &Principal, doc: &mut Value) -> ApiResult<()> {
    let active = who.break_glass.as_ref().map(|g| ActiveGrant {
        id: g.id,
        until: g.until,
        reason: g.reason.clone(),
    });
    doc["may"]["break_glass"] = json!(state.config.break_glass && who.may_break_glass());
    doc["break_glass"] = serde_json::to_value(active).map_err(ApiError::internal)?;
    if oversees(who) {
        let now = Utc::now();
        let waiting = state
            .db
            .read(move |s| {
                let grants = s.break_glass_grants(None)?;
                Ok(grants.iter().filter(|g| g.awaits_review_at(now)).count())
            })
            .await?;
        doc["break_glass_reviews"] = json!(waiting);
    }
    Ok(())
}
