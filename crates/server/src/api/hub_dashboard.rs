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
//! their keys, a null year first; suppressed counts are strings ("<5", "x"). Beside them,
//! `detectors`: each node's detector metrics from its latest detector summary (issue 28), a row
//! per node, model, version and class (`*`: all classes).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use safeground_federation::DetectorSummary;
use safeground_region::{RegionError, RegionalFigures, regional_figures};
use serde::Serialize;
use utoipa::ToSchema;

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

/// The regional dashboard's JSON: the regional figures and the detectors across the region.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HubDashboard {
    /// The regional figures.
    #[serde(flatten)]
    pub figures: RegionalFigures,
    /// Each node's detector metrics, by node, model, version and class.
    pub detectors: Vec<RegionalDetectorRow>,
}

/// A node's metrics of one model version and class, from its latest detector summary.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RegionalDetectorRow {
    /// Node id.
    pub node: String,
    /// When the node computed its summary (RFC 3339).
    pub generated_at: chrono::DateTime<Utc>,
    /// Model name.
    pub model: String,
    /// Model version.
    pub model_version: String,
    /// Class name, or `*` for all classes.
    pub class: String,
    /// Detections, whatever their verdict.
    pub detections: u64,
    /// Confirmed detections.
    pub confirmed: u64,
    /// False positives.
    pub false_positive: u64,
    /// confirmed / (confirmed + false_positive); null when nothing is verified.
    pub precision: Option<f64>,
    /// Verified finds inside the model's surveyed footprint.
    pub finds_in_footprint: u64,
    /// finds matched / finds in the footprint; null when no find lies in it.
    pub recall: Option<f64>,
    /// Expected calibration error; null when nothing is verified.
    pub expected_calibration_error: Option<f64>,
}

/// The detector rows of the nodes in `scope` (None: every node), by node, model, version and
/// class. A summary that no longer reads (it was verified on receipt) is skipped with a warning.
async fn detectors(
    state: &AppState,
    scope: Option<Vec<String>>,
) -> ApiResult<Vec<RegionalDetectorRow>> {
    let held = state.db.read(|s| Ok(s.detector_summaries(None)?)).await?;
    let mut rows = Vec::new();
    for h in held {
        if scope.as_ref().is_some_and(|s| !s.contains(&h.node)) {
            continue;
        }
        let summary = match DetectorSummary::received(&h.document) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(node = %h.node, error = %e, "a stored detector summary does not read");
                continue;
            }
        };
        let mut of_node: Vec<RegionalDetectorRow> = (summary.rows.into_iter())
            .map(|r| RegionalDetectorRow {
                node: h.node.clone(),
                generated_at: summary.generated_at,
                model: r.model,
                model_version: r.model_version,
                class: r.class,
                detections: r.detections,
                confirmed: r.confirmed,
                false_positive: r.false_positive,
                precision: r.precision,
                finds_in_footprint: r.finds_in_footprint,
                recall: r.recall,
                expected_calibration_error: r.expected_calibration_error,
            })
            .collect();
        of_node.sort_by(|a, b| {
            (&a.model, &a.model_version, &a.class).cmp(&(&b.model, &b.model_version, &b.class))
        });
        rows.extend(of_node);
    }
    Ok(rows)
}

/// The regional dashboard: a row per country (node) with its figures and when its newest
/// record arrived, and the region's totals (a national viewer: their own country only).
#[utoipa::path(get, path = "/api/hub/dashboard", operation_id = "hub_dashboard", tag = "federation",
    responses((status = 200, description = "Every registered node's figures, by node id, and \
                the region's; each node's detector metrics", body = HubDashboard),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 403, description = "No read permission", body = crate::error::Problem),
              (status = 404, description = "This programme is not a regional hub",
               body = crate::error::Problem)))]
pub async fn dashboard(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<HubDashboard>> {
    who.require(Permission::Read)?;
    let figures = figures(&state, who.node_scope()).await?;
    let detectors = detectors(&state, who.node_scope()).await?;
    Ok(Json(HubDashboard {
        figures: RegionalFigures::clone(&figures),
        detectors,
    }))
}
