//! The regional dashboard's figures (issue 24): `GET /api/hub/dashboard` gives, for every
//! national node of a hub, the figures `safeground-region` computes from the records it shares
//! (remaining contamination, land released per year and method, EO destroyed, casualties by
//! year, sex and age band with the reports' suppression, risk-education beneficiaries,
//! productivity by method and asset type, when its newest record arrived), and the region's
//! totals. Only on a hub database.
//!
//! The JSON is [`RegionalFigures`]: `{generated_at, suppress_below, countries: [{node, name,
//! received_at, figures}], region: figures}`, where `figures` is `{hazards_remaining,
//! remaining_m2, released: [{year, method, m2}], eo_destroyed: [{year, items}], casualties:
//! [{year, sex, age_band, killed, injured}], casualties_total, risk_education: [{year, direct,
//! indirect}], productivity: [{method, asset_type, m2, days, m2_per_day, activities, q1,
//! median, q3}]}`; lists sorted by
//! their keys, a null year first; suppressed counts are strings ("<5", "x").

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use safeground_region::{RegionError, RegionalFigures, regional_figures};

use super::hub_cache::HubCache;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The regional figures per node scope, rebuilt when a node's checkpoint moves.
pub type FiguresCache = HubCache<RegionalFigures>;

/// A failure to compute the figures, as an API error.
fn region_error(e: RegionError) -> ApiError {
    match e {
        RegionError::Store(e) => ApiError::from(e),
        other => ApiError::internal(other),
    }
}

/// The figures of the hub's nodes in `scope` (None: every node; a national viewer: their own,
/// see [`Principal::node_scope`]), and of the region, as of the last bundle imported (404 when
/// the programme is not a hub).
pub(super) async fn figures(
    state: &AppState,
    scope: Option<Vec<String>>,
) -> ApiResult<Arc<RegionalFigures>> {
    state
        .hub_figures
        .get(scope, |s, hub| {
            regional_figures(s, hub.scope.as_deref(), Utc::now()).map_err(region_error)
        })
        .await
}

/// The regional dashboard: a row per country (node) with its figures and when its newest
/// record arrived, and the region's totals (a national viewer: their own country only).
#[utoipa::path(get, path = "/api/hub/dashboard", operation_id = "hub_dashboard", tag = "federation",
    responses((status = 200, description = "Every registered node's figures, by node id, and \
                the region's", body = RegionalFigures),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 403, description = "No read permission", body = crate::error::Problem),
              (status = 404, description = "This programme is not a regional hub",
               body = crate::error::Problem)))]
pub async fn dashboard(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<RegionalFigures>> {
    who.require(Permission::Read)?;
    let figures = figures(&state, who.node_scope()).await?;
    Ok(Json(RegionalFigures::clone(&figures)))
}
