//! Items withdrawn from sharing on a national node (`serve --node-key FILE`): an administrator
//! of the national authority withdraws an item with a reason (the hub is told to delete it by a
//! tombstone in the next bundle, and its versions stay withheld) or shares it again (its current
//! version is sent). Administrators and approvers of the national authority see the list.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use safeground_store::{Role, StoreError, Withdrawal};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// An item withdrawn from sharing.
#[derive(Debug, Serialize, ToSchema)]
pub struct WithdrawnItem {
    /// The item (`HAZ-000123`).
    pub item: String,
    /// Its kind code (hazard, eo_find, …).
    pub kind: String,
    /// Its local id.
    pub local_id: String,
    /// Why it was withdrawn.
    pub reason: String,
    /// Who withdrew it.
    pub withdrawn_by: String,
    /// When.
    pub withdrawn_at: DateTime<Utc>,
}

impl From<Withdrawal> for WithdrawnItem {
    fn from(w: Withdrawal) -> Self {
        WithdrawnItem {
            item: w.item,
            kind: w.kind.code().to_owned(),
            local_id: w.local_id,
            reason: w.reason,
            withdrawn_by: w.by,
            withdrawn_at: w.at,
        }
    }
}

/// What to withdraw, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawItem {
    /// The item (`HAZ-000123`).
    pub item: String,
    /// Why (1 to 500 characters; audited and listed).
    pub reason: String,
}

/// The outbox entry a withdrawal or a re-share wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct SharingChange {
    /// The item.
    pub item: String,
    /// The outbox seq of its tombstone (withdrawn) or of its re-sent version (shared again).
    pub seq: u64,
}

/// Refuses anyone but administrators (`manage`) or administrators and approvers of the
/// national authority, and servers that are not a federation node.
fn allowed(state: &AppState, who: &Principal, manage: bool) -> ApiResult<()> {
    let ok = who.national
        && (who.role == Role::Administrator || (!manage && who.role == Role::Approver));
    if !ok {
        return Err(ApiError::forbidden(if manage {
            "only administrators of the national authority withdraw items from sharing or \
             share them again"
        } else {
            "only administrators and approvers of the national authority may see the items \
             withdrawn from sharing"
        }));
    }
    if state.config.sharing.is_none() {
        return Err(ApiError::not_found(
            "this server is not a federation node, so it shares nothing: start it with \
             `safeground serve … --node-key FILE`",
        ));
    }
    Ok(())
}

/// A refusal of the store (already withdrawn, not withdrawn) as 409.
fn refused(e: StoreError) -> ApiError {
    match e {
        StoreError::Federation(m) => ApiError::conflict(m),
        other => other.into(),
    }
}

/// The items withdrawn from sharing, the latest first. For administrators and approvers of
/// the national authority.
#[utoipa::path(get, path = "/api/federation/withdrawals", tag = "federation",
    responses((status = 200, description = "The items withdrawn", body = Vec<WithdrawnItem>),
              (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem),
              (status = 404, description = "Not a federation node", body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<Vec<WithdrawnItem>>> {
    allowed(&state, &who, false)?;
    let list = state.db.read(|s| Ok(s.withdrawals()?)).await?;
    Ok(Json(list.into_iter().map(WithdrawnItem::from).collect()))
}

/// Withdraws an item from sharing: a tombstone goes to the outbox (the hub deletes the item
/// at its next pull or import) and the item's versions are withheld until it is shared again.
/// Audited `federation.withdraw` with the reason. For administrators of the national authority.
#[utoipa::path(post, path = "/api/federation/withdrawals", tag = "federation",
    request_body = WithdrawItem,
    responses((status = 201, description = "Withdrawn; the tombstone's seq", body = SharingChange),
              (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem),
              (status = 404, description = "No such item, or not a federation node",
               body = crate::error::Problem),
              (status = 409, description = "Already withdrawn", body = crate::error::Problem),
              (status = 422, description = "No reason, or a reason over 500 characters",
               body = crate::error::Problem)))]
pub async fn withdraw(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(req): ApiJson<WithdrawItem>,
) -> ApiResult<Response> {
    allowed(&state, &who, true)?;
    let reason = req.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::field(
            "reason",
            "give the reason for withdrawing the item (1 to 500 characters)",
        ));
    }
    let item = req.item.trim().to_owned();
    let seq = state
        .db
        .write({
            let item = item.clone();
            move |s| s.withdraw(&who.username, &item, &reason).map_err(refused)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(SharingChange { item, seq })).into_response())
}

/// Shares a withdrawn item again: its current version goes to the outbox. Audited
/// `federation.reshare`. For administrators of the national authority.
#[utoipa::path(delete, path = "/api/federation/withdrawals/{item}", tag = "federation",
    params(("item" = String, Path, description = "The item (`HAZ-000123`)")),
    responses((status = 200, description = "Shared again; the re-sent version's seq",
               body = SharingChange),
              (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem),
              (status = 404, description = "Not a federation node", body = crate::error::Problem),
              (status = 409, description = "Not withdrawn", body = crate::error::Problem)))]
pub async fn reshare(
    State(state): State<AppState>,
    who: Principal,
    Path(item): Path<String>,
) -> ApiResult<Json<SharingChange>> {
    allowed(&state, &who, true)?;
    let seq = state
        .db
        .write({
            let item = item.clone();
            move |s| s.reshare(&who.username, &item).map_err(refused)
        })
        .await?;
    Ok(Json(SharingChange { item, seq }))
}
