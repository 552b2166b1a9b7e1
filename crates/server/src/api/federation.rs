//! The federation feed: a regional hub pulls the programme's outbox after its checkpoint as a
//! signed bundle, the same bytes `safeground federation export` writes to a file. Only for
//! administrators of the national authority (the hub's operator holds an API token one of them
//! made, `POST /api/tokens`); the server needs the node's key (`serve --node-key FILE`).

use std::io::Write;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use safeground_store::Role;
use serde::Deserialize;

use super::params::{limit, query};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::federation::{ShareError, check_node, write_bundle};
use crate::state::AppState;

/// Media type of a bundle.
pub const BUNDLE_MEDIA_TYPE: &str = "application/vnd.safeground.bundle";

/// Entries per answer unless `limit` says otherwise.
const DEFAULT_LIMIT: usize = 10_000;

/// Most entries per answer.
const MAX_LIMIT: usize = 100_000;

/// Query of `GET /api/federation/feed`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeedParams {
    /// The hub's checkpoint for this node: the last outbox seq it holds (0 before the first
    /// pull). The answer starts at the next one.
    #[param(minimum = 0)]
    after: u64,
    /// Most entries in the answer (default 10000; more than 100000 is read as 100000). The hub
    /// pulls again from the bundle's last seq until it gets 204.
    #[param(minimum = 1)]
    limit: Option<usize>,
}

/// A refusal of the feed's preconditions as 409, anything else as the store's error.
fn share_error(e: ShareError) -> ApiError {
    match e {
        ShareError::Node(m) => ApiError::conflict(m),
        ShareError::Store(e) => e.into(),
        ShareError::Federation(e) => ApiError::internal(e),
    }
}

/// The programme's approved records after `after`, de-identified by the node's sharing
/// policy, as one signed bundle (format: `crates/federation/src/bundle/mod.rs`). Every outbox
/// entry of the range is in it, those the policy does not share as withheld entries (their seq
/// alone). Audited as `federation.feed`.
#[utoipa::path(get, path = "/api/federation/feed", tag = "federation", params(FeedParams),
    responses((status = 200, description = "A signed bundle of the entries from `after` + 1 \
                  through at most `after` + `limit` (its manifest names the range); verify it \
                  with the node's card", content(
                  (super::schemas::FileBytes = "application/vnd.safeground.bundle"))),
              (status = 204, description = "Nothing after `after`: the hub is up to date"),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 403, description = "Not an administrator of the national authority",
               body = crate::error::Problem),
              (status = 404, description = "Federation is not enabled on this server (serve \
                  --node-key FILE)", body = crate::error::Problem),
              (status = 409, description = "`after` is beyond the programme's outbox, or the \
                  programme's node id is not the key's", body = crate::error::Problem),
              (status = 422, description = "Bad query parameters", body = crate::error::Problem)))]
pub async fn feed(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    if !(who.national && who.role == Role::Administrator) {
        return Err(ApiError::forbidden(
            "only an administrator of the national authority may pull the federation feed; \
             the hub's operator uses an API token such an administrator creates \
             (POST /api/tokens)",
        ));
    }
    let p: FeedParams = query(raw.as_deref())?;
    let limit = limit(p.limit, DEFAULT_LIMIT, MAX_LIMIT)? as u64;
    let Some(sharing) = state.config.sharing.clone() else {
        return Err(ApiError::not_found(
            "federation is not enabled on this server: start it with `safeground serve … \
             --node-key FILE` (the key file `safeground federation init` made)",
        ));
    };
    let after = p.after;
    let user = who.username.clone();
    let checked = sharing.clone();
    let through = state
        .db
        .write(move |s| {
            check_node(&*s, &checked.key).map_err(share_error)?;
            let head = s.outbox_head()?;
            if after > head {
                return Err(ApiError::conflict(format!(
                    "after={after} is beyond this programme's outbox, which ends at {head}: \
                     the hub holds entries this node never wrote (was the node restored from \
                     an older backup?); ask the node's administrators"
                )));
            }
            let through = head.min(after.saturating_add(limit));
            if through > after {
                let detail = format!("after={after} through={through}");
                s.record_audit(
                    &user,
                    "federation.feed",
                    checked.key.node().as_str(),
                    Some(&detail),
                )?;
            }
            Ok(through)
        })
        .await?;
    if through == after {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let (mut w, body) = crate::stream::channel();
    let db = state.db.clone();
    let runtime = tokio::runtime::Handle::current();
    let name = format!("{}-{}-{through}.sgb", sharing.key.node(), after + 1);
    tokio::task::spawn_blocking(move || {
        let written = db
            .read_blocking(|s| {
                write_bundle(s, &sharing, after, through, &mut w)
                    .map(|_| ())
                    .map_err(share_error)
            })
            .and_then(|()| w.flush().map_err(crate::stream::write_error));
        match written {
            // What the hub was sent fixes the node id (see `FederationStore::record_export`).
            Ok(()) => {
                let recorded = runtime.block_on(db.write(move |s| Ok(s.record_export(through)?)));
                if let Err(e) = recorded {
                    tracing::warn!(error = %e.status(), "recording a federation feed's range");
                }
            }
            Err(e) => w.fail(e.status().to_string()),
        }
    });
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(BUNDLE_MEDIA_TYPE),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
