//! Operations planning over HTTP: productivity distributions, the prioritisation criteria
//! (TOML) and settings, the explained ranking with who moved (JSON, CSV, XLSX, GeoJSON map
//! layer), the Monte Carlo completion forecast against the Article 5 deadline, the risk models
//! with their validation, and the layers criteria measure against. Every user reads;
//! planners and administrators write. Task orders are in [`super::planning_tasks`].

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use safeground_planning::PlanningError;
use safeground_planning::priority::{Criteria, Ranked, moves};
use safeground_planning::productivity::{Grouping, productivity};
use safeground_planning::programme::{self, ForecastRequest, ProgrammeError};
use safeground_planning::risk::{ModelKind, RiskSpec};
use safeground_store::Backend;
use safeground_store::planning::PlanningSettings;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::figures::file;
use super::params::query;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// A planning failure as a problem: not enough data, criteria and parameters out of range are
/// 422, the rest the store's.
fn problem(e: ProgrammeError) -> ApiError {
    match e {
        ProgrammeError::Store(s) => s.into(),
        ProgrammeError::Planning(p) => planning(p),
    }
}

fn planning(e: PlanningError) -> ApiError {
    match e {
        PlanningError::NotEnoughData(m) => ApiError::not_enough_data(m),
        PlanningError::Criteria(m) => ApiError::field("criteria", m),
        PlanningError::Parameter(m) => ApiError::field("query", m),
    }
}

/// Fails with 403 unless `who` writes plans (a planner or an administrator).
pub(super) fn planner(who: &Principal) -> ApiResult<()> {
    if who.can(Permission::Plan) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "only planners and administrators write plans (you are {}); ask one",
            who.role
        )))
    }
}

/// Query of `GET /api/planning/productivity`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProductivityParams {
    /// Group further by `organisation` or `class` (contamination), or both (`organisation,class`).
    by: Option<String>,
}

/// m² per working day by method × asset type (and organisation or contamination class), as
/// distributions over the approved activities.
#[utoipa::path(get, path = "/api/planning/productivity", operation_id = "planning_productivity",
    tag = "planning", params(ProductivityParams),
    responses((status = 200, body = super::schemas::ProductivityDoc), (status = 422, body = crate::error::Problem)))]
pub async fn productivity_rows(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    let p: ProductivityParams = query(q.as_deref())?;
    let grouping = Grouping::from_codes(p.by.as_deref().unwrap_or("")).map_err(|other| {
        ApiError::field(
            "by",
            format!("unknown grouping `{other}`; use organisation and/or class"),
        )
    })?;
    state
        .db
        .read(move |s| {
            let samples = programme::work_samples(s).map_err(problem)?;
            Ok(Json(json!({
                "samples": samples.len(),
                "rows": productivity(&samples, grouping),
            })))
        })
        .await
}

fn criteria_doc(s: &dyn Backend) -> ApiResult<Value> {
    let saved = s.planning_criteria()?;
    let (criteria, _) = programme::criteria(s).map_err(problem)?;
    Ok(json!({
        "toml": saved.as_ref().map_or_else(|| safeground_planning::priority::DEFAULT_CRITERIA.to_owned(), |r| r.0.clone()),
        "saved": saved.is_some(),
        "updated_by": saved.as_ref().map(|r| r.2.clone()),
        "updated_at": saved.as_ref().map(|r| r.1),
        "criteria": criteria.0,
    }))
}

/// The prioritisation criteria in force (saved, else the defaults), as TOML and parsed.
#[utoipa::path(get, path = "/api/planning/criteria", operation_id = "planning_criteria",
    tag = "planning", responses((status = 200, body = super::schemas::CriteriaDoc)))]
pub async fn criteria(State(state): State<AppState>, who: Principal) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    Ok(Json(state.db.read(|s| criteria_doc(s)).await?))
}

/// New criteria.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCriteriaDoc {
    /// The criteria file (TOML, `[[criterion]]` tables).
    toml: String,
}

/// Saves the prioritisation criteria (planners); 422 names the criterion and field.
#[utoipa::path(put, path = "/api/planning/criteria", operation_id = "planning_put_criteria",
    tag = "planning", request_body = NewCriteriaDoc,
    responses((status = 200, body = super::schemas::CriteriaDoc), (status = 403, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn put_criteria(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<NewCriteriaDoc>,
) -> ApiResult<Json<Value>> {
    planner(&who)?;
    Criteria::from_toml(&body.toml).map_err(|e| ApiError::field("toml", e.to_string()))?;
    let doc = state
        .db
        .write(move |s| {
            s.put_planning_criteria(&who.username, &body.toml)?;
            criteria_doc(s)
        })
        .await?;
    Ok(Json(doc))
}

/// The planning settings.
#[utoipa::path(get, path = "/api/planning/settings", operation_id = "planning_settings",
    tag = "planning", responses((status = 200, body = super::schemas::PlanningSettingsDoc)))]
pub async fn settings(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<PlanningSettings>> {
    who.require(Permission::Read)?;
    Ok(Json(state.db.read(|s| Ok(s.planning_settings()?)).await?))
}

/// Saves the planning settings (planners): the Article 5 deadline and working days per year.
#[utoipa::path(put, path = "/api/planning/settings", operation_id = "planning_put_settings",
    tag = "planning", request_body = super::schemas::PlanningSettingsDoc,
    responses((status = 200, body = super::schemas::PlanningSettingsDoc), (status = 403, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn put_settings(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<PlanningSettings>,
) -> ApiResult<Json<PlanningSettings>> {
    planner(&who)?;
    let saved = state
        .db
        .write(move |s| {
            s.put_planning_settings(&who.username, &body)?;
            Ok(s.planning_settings()?)
        })
        .await?;
    Ok(Json(saved))
}

/// Weights to try.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeightsDoc {
    /// Criterion id → weight, replacing the saved weights.
    #[serde(default)]
    weights: BTreeMap<String, f64>,
}

/// Ranks the open hazards under the criteria in force with some weights changed: each
/// hazard's score and each criterion's contribution, and who moved against the saved weights.
#[utoipa::path(post, path = "/api/planning/ranking", operation_id = "planning_rank",
    tag = "planning", request_body = WeightsDoc,
    responses((status = 200, body = super::schemas::RankingTriedDoc), (status = 422, body = crate::error::Problem)))]
pub async fn rank(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(body): ApiJson<WeightsDoc>,
) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    let today = Utc::now().date_naive();
    state
        .db
        .read(move |s| {
            let (saved, _) = programme::criteria(s).map_err(problem)?;
            let weights: Vec<(String, f64)> = body.weights.into_iter().collect();
            let tried = saved
                .with_weights(&weights)
                .map_err(|e| ApiError::field("weights", e.to_string()))?;
            let after = programme::ranking(s, &tried, today).map_err(problem)?;
            let moved = if tried == saved {
                Vec::new()
            } else {
                let before = programme::ranking(s, &saved, today).map_err(problem)?;
                moves(&before, &after)
            };
            Ok(Json(
                json!({"criteria": tried.0, "ranking": after, "moved": moved}),
            ))
        })
        .await
}

/// Query of `GET /api/planning/ranking`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RankingParams {
    /// json (default), csv, xlsx or geojson (the map layer: remaining polygons with rank and score).
    format: Option<String>,
}

fn geojson(ranked: &[Ranked], shapes: &BTreeMap<String, geo_types::MultiPolygon<f64>>) -> Value {
    let features: Vec<Value> = ranked
        .iter()
        .filter_map(|r| {
            let g = shapes.get(&r.item)?;
            Some(json!({
                "type": "Feature",
                "id": r.item,
                "geometry": geojson::Geometry::from(g),
                "properties": {"rank": r.rank, "score": r.score, "local_id": r.local_id,
                               "name": r.name, "remaining_m2": r.remaining_m2},
            }))
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

/// The ranking under the saved criteria: JSON, CSV, XLSX, or GeoJSON for the map.
#[utoipa::path(get, path = "/api/planning/ranking", operation_id = "planning_ranking",
    tag = "planning", params(RankingParams),
    responses((status = 200, description = "The ranking", content(
                  (super::schemas::RankingDoc = "application/json"),
                  (super::schemas::FeatureCollectionDoc = "application/geo+json"),
                  (String = "text/csv"),
                  (super::schemas::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 422, body = crate::error::Problem)))]
pub async fn ranking(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let p: RankingParams = query(q.as_deref())?;
    let format = p.format.unwrap_or_else(|| "json".into());
    if !["json", "csv", "xlsx", "geojson"].contains(&format.as_str()) {
        return Err(ApiError::field(
            "format",
            format!("unknown format `{format}`; use json, csv, xlsx or geojson"),
        ));
    }
    let today = Utc::now().date_naive();
    state
        .db
        .read(move |s| {
            let (criteria, _) = programme::criteria(s).map_err(problem)?;
            let stem = format!("safeground-ranking-{today}");
            if format == "geojson" {
                let hazards = programme::open_hazards(s).map_err(problem)?;
                let ev = programme::evidence(s, today).map_err(problem)?;
                let ranked = safeground_planning::priority::rank(&hazards, &ev, &criteria)
                    .map_err(planning)?;
                let shapes = (hazards.into_iter())
                    .filter_map(|h| Some((h.item, h.shape?)))
                    .collect();
                let mut resp = Json(geojson(&ranked, &shapes)).into_response();
                resp.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/geo+json"),
                );
                return Ok(resp);
            }
            let ranked = programme::ranking(s, &criteria, today).map_err(problem)?;
            Ok(match format.as_str() {
                "csv" => file(
                    safeground_planning::export::ranking_csv(&ranked).into_bytes(),
                    "text/csv; charset=utf-8",
                    format!("{stem}.csv"),
                ),
                "xlsx" => file(
                    safeground_planning::export::ranking_xlsx(&ranked)
                        .map_err(ApiError::internal)?,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    format!("{stem}.xlsx"),
                ),
                _ => Json(json!({"criteria": criteria.0, "ranking": ranked})).into_response(),
            })
        })
        .await
}

/// Query of `GET /api/planning/forecast`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ForecastParams {
    /// The deadline (default: the saved Article 5 deadline).
    deadline: Option<NaiveDate>,
    /// Monte Carlo runs (default 1000, at most 20000).
    runs: Option<u32>,
    /// Seed of the draws (default 1): the same seed gives the same figures.
    seed: Option<u64>,
    /// Working days per team per year (default: the saved setting).
    days_per_year: Option<f64>,
    /// First day (default today).
    start: Option<NaiveDate>,
}

/// The Monte Carlo completion forecast: P50/P90 per admin area and for the country, the
/// chance of meeting the deadline and the capacity needed; 422 when there is not enough data
/// (a team without productivity for its asset type names it).
#[utoipa::path(get, path = "/api/planning/forecast", operation_id = "planning_forecast",
    tag = "planning", params(ForecastParams),
    responses((status = 200, body = safeground_planning::programme::ProgrammeForecast), (status = 422, body = crate::error::Problem)))]
pub async fn forecast(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    let p: ForecastParams = query(q.as_deref())?;
    state
        .db
        .read(move |s| {
            let saved = s.planning_settings()?;
            let request = ForecastRequest {
                start: p.start.unwrap_or_else(|| Utc::now().date_naive()),
                deadline: p.deadline.or(saved.article5_deadline),
                runs: p.runs.unwrap_or(1000),
                seed: p.seed.unwrap_or(1),
                days_per_year: p.days_per_year.unwrap_or(saved.days_per_year),
            };
            let f = programme::programme_forecast(s, &request).map_err(problem)?;
            Ok(Json(serde_json::to_value(f).map_err(ApiError::internal)?))
        })
        .await
}

/// Query of `GET /api/planning/risk`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RiskParams {
    /// kde (kernel density baseline, default) or gbt (gradient-boosted trees).
    model: Option<String>,
    /// Cell size, m (default 2000).
    cell_m: Option<f64>,
    /// First year of the time split's test period (default: chosen from the events).
    split_year: Option<i32>,
}

/// A risk model's scores on a grid (GeoJSON cells with score 0–1 and decile) and its
/// validation by spatial block cross-validation and a time split. A model ranks where to
/// survey; it never opens or closes a hazard.
#[utoipa::path(get, path = "/api/planning/risk", operation_id = "planning_risk",
    tag = "planning", params(RiskParams),
    responses((status = 200, body = super::schemas::RiskDoc), (status = 422, body = crate::error::Problem)))]
pub async fn risk(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    let p: RiskParams = query(q.as_deref())?;
    let code = p.model.unwrap_or_else(|| "kde".into());
    let kind = ModelKind::from_code(&code).ok_or_else(|| {
        ApiError::field("model", format!("unknown model `{code}`; use kde or gbt"))
    })?;
    if let Some(y) = p.split_year
        && !(1900..=2200).contains(&y)
    {
        return Err(ApiError::field(
            "split_year",
            "use a year from 1900 to 2200",
        ));
    }
    let mut spec = RiskSpec {
        cell_m: 2000.0,
        split_year: p.split_year,
        ..RiskSpec::default()
    };
    if let Some(c) = p.cell_m {
        if !(c.is_finite() && (100.0..=20_000.0).contains(&c)) {
            return Err(ApiError::field("cell_m", "use 100 to 20000 m"));
        }
        spec.cell_m = c;
    }
    state
        .db
        .read(move |s| {
            let data = programme::risk_data(s).map_err(problem)?;
            let map = safeground_planning::risk::risk_map(kind, &data, &spec).map_err(planning)?;
            Ok(Json(json!({
                "model": kind.code(),
                "label": kind.label(),
                "validation": map.validation,
                "cells": map.cells_geojson(),
            })))
        })
        .await
}

/// The layers criteria measure against.
#[utoipa::path(get, path = "/api/planning/layers", operation_id = "planning_layers",
    tag = "planning", responses((status = 200, body = super::schemas::LayersDoc)))]
pub async fn layers(State(state): State<AppState>, who: Principal) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    let layers = state.db.read(|s| Ok(s.planning_layers()?)).await?;
    Ok(Json(json!({ "layers": layers })))
}

/// A layer's features (GeoJSON FeatureCollection).
#[utoipa::path(get, path = "/api/planning/layers/{name}", operation_id = "planning_layer",
    tag = "planning", params(("name" = String, Path, description = "Layer name")),
    responses((status = 200, content((super::schemas::FeatureCollectionDoc = "application/geo+json"))),
              (status = 404, body = crate::error::Problem)))]
pub async fn layer(
    State(state): State<AppState>,
    who: Principal,
    Path(name): Path<String>,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let text = state
        .db
        .read(move |s| {
            s.planning_layer(&name)?
                .ok_or_else(|| ApiError::not_found(format!("no layer `{name}`")))
        })
        .await?;
    let mut resp = text.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    Ok(resp)
}

/// A layer imported.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LayerDoc {
    /// Name.
    name: String,
    /// Features.
    features: usize,
}

/// Imports or replaces a layer (planners): a GeoJSON FeatureCollection in WGS 84; 422 names
/// the feature that is not readable.
#[utoipa::path(put, path = "/api/planning/layers/{name}", operation_id = "planning_put_layer",
    tag = "planning", request_body = Object, params(("name" = String, Path, description = "Layer name")),
    responses((status = 200, body = LayerDoc), (status = 403, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn put_layer(
    State(state): State<AppState>,
    who: Principal,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<LayerDoc>> {
    planner(&who)?;
    let text = body.to_string();
    let (_, features) =
        programme::parse_layer(&text).map_err(|e| ApiError::field("layer", e.to_string()))?;
    state
        .db
        .write(move |s| {
            s.put_planning_layer(&who.username, &name, &text, features)?;
            Ok(Json(LayerDoc { name, features }))
        })
        .await
}

/// Deletes a layer (planners).
#[utoipa::path(delete, path = "/api/planning/layers/{name}", operation_id = "planning_delete_layer",
    tag = "planning", params(("name" = String, Path, description = "Layer name")),
    responses((status = 204, description = "Deleted"), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem)))]
pub async fn delete_layer(
    State(state): State<AppState>,
    who: Principal,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    planner(&who)?;
    let deleted = state
        .db
        .write(move |s| Ok(s.delete_planning_layer(&who.username, &name)?))
        .await?;
    if deleted {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("no such layer"))
    }
}
