//! The regional hub's view of its national nodes: who they are, how much each shares and how
//! fresh their data is (issue 24). Only on a hub database (`safeground hub init`).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use safeground_federation::NodeCard;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A node whose last bundle is older than this many days is stale.
pub const FRESH_DAYS: i64 = 7;

/// How recent a node's data is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Freshness {
    /// The last bundle arrived less than 7 days ago.
    Fresh,
    /// The last bundle is 7 days old or older.
    Stale,
    /// No bundle has arrived yet.
    Never,
}

/// A national node as the hub holds it.
#[derive(Debug, Serialize, ToSchema)]
pub struct HubNodeStatus {
    /// Node id: the country's ISO 3166-1 alpha-3 code.
    pub node: String,
    /// The programme's name, from its card.
    pub name: String,
    /// Fingerprint of the node's public key (confirm it with the node by another channel).
    pub fingerprint: String,
    /// The last outbox seq the hub holds (0: no bundle yet).
    pub checkpoint: u64,
    /// When the last bundle was applied (RFC 3339), if one was.
    pub last_bundle_at: Option<DateTime<Utc>>,
    /// Whole hours since the last bundle, if one was.
    pub lag_hours: Option<i64>,
    /// Whole days since the last bundle, if one was.
    pub lag_days: Option<i64>,
    /// Fresh below 7 days of lag, stale from then on.
    pub freshness: Freshness,
    /// Shared records held, per item kind code (kinds with none are left out).
    pub records: BTreeMap<String, u64>,
    /// Shared records held, all kinds.
    pub total_records: u64,
}

/// The national nodes registered at this hub, by node id, with their records per kind and the
/// freshness of their last bundle (a national viewer: only their own node).
#[utoipa::path(get, path = "/api/hub/nodes", tag = "federation",
    responses((status = 200, description = "Every registered node, by node id",
               body = Vec<HubNodeStatus>),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 404, description = "This programme is not a regional hub",
               body = crate::error::Problem)))]
pub async fn nodes(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<Vec<HubNodeStatus>>> {
    let (nodes, counts) = state
        .db
        .read(|s| {
            if !s.is_hub()? {
                return Err(ApiError::not_found(
                    "this programme is not a regional hub, so it has no nodes: serve a hub \
                     database (`safeground hub init`, or `safeground demo --regional`)",
                ));
            }
            Ok((s.hub_nodes()?, s.shared_record_counts()?))
        })
        .await?;
    let now = Utc::now();
    let answer = nodes
        .into_iter()
        .filter(|n| who.sees_node(&n.node))
        .map(|n| {
            let fingerprint = NodeCard::from_json(&n.card)
                .map(|c| c.fingerprint())
                .map_err(|e| ApiError::internal(format!("node {}'s stored card: {e}", n.node)))?;
            let records: BTreeMap<String, u64> = (counts.iter())
                .filter(|c| c.node == n.node)
                .map(|c| (c.kind.code().to_owned(), c.count))
                .collect();
            let lag = n.last_bundle_at.map(|t| now - t);
            let freshness = match lag {
                None => Freshness::Never,
                Some(l) if l.num_days() < FRESH_DAYS => Freshness::Fresh,
                Some(_) => Freshness::Stale,
            };
            Ok(HubNodeStatus {
                total_records: records.values().sum(),
                node: n.node,
                name: n.name,
                fingerprint,
                checkpoint: n.checkpoint,
                last_bundle_at: n.last_bundle_at,
                lag_hours: lag.map(|l| l.num_hours()),
                lag_days: lag.map(|l| l.num_days()),
                freshness,
                records,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(answer))
}
