//! What the node's signed summaries for its hub (training, detectors) share: only an
//! administrator of the national authority (or the API token one of them made for the hub's
//! operator) reads them, the server needs the node's key, the programme's node id must be the
//! key's; each is made afresh and signed in one write that audits it.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use safeground_federation::NodeKey;
use safeground_store::{Backend, Role};

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::federation::{ShareError, check_node};
use crate::state::AppState;

/// Answers the node's `what` ("training summary"): the signed document `make` writes from the
/// store with the node's key, with a line for the audit entry `action`.
pub(super) async fn serve(
    state: AppState,
    who: Principal,
    what: &'static str,
    action: &'static str,
    make: impl FnOnce(&dyn Backend, &NodeKey) -> ApiResult<(String, String)> + Send + 'static,
) -> ApiResult<Response> {
    if !(who.national && who.role == Role::Administrator) {
        return Err(ApiError::forbidden(format!(
            "only an administrator of the national authority may read the {what} for the hub; \
             the hub's operator uses an API token such an administrator creates (POST \
             /api/tokens)"
        )));
    }
    let Some(sharing) = state.config.sharing.clone() else {
        return Err(ApiError::not_found(
            "federation is not enabled on this server: start it with `safeground serve … \
             --node-key FILE` (the key file `safeground federation init` made)",
        ));
    };
    let user = who.username.clone();
    let document = state
        .db
        .write(move |s| {
            check_node(&*s, &sharing.key).map_err(|e| match e {
                ShareError::Node(m) => ApiError::conflict(m),
                ShareError::Store(e) => e.into(),
                ShareError::Federation(e) => ApiError::internal(e),
            })?;
            let (document, detail) = make(&*s, &sharing.key)?;
            s.record_audit(&user, action, sharing.key.node().as_str(), Some(&detail))?;
            Ok(document)
        })
        .await?;
    let mut resp = document.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(resp)
}
