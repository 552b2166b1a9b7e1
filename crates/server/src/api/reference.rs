//! Reference data (issue 24): on a regional hub, the latest signed reference set it published,
//! which its national nodes pull (`safeground federation pull-reference`); on any programme,
//! the ordnance catalogue in force — built-in models and those of the reference set adopted —
//! which the EO find form offers.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use safeground_model::{CatalogueEntry, ORDNANCE_CATALOGUE};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// One ordnance model of the catalogue in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrdnanceModelEntry {
    /// Designation ("PMN-2").
    pub model: String,
    /// Ordnance category code (ap_mine, at_mine, submunition, uxo, …).
    pub category: String,
    /// Short description.
    pub description: String,
    /// Other names it is written under.
    pub aliases: Vec<String>,
    /// `built-in`, or `reference` (from the hub's reference set adopted; on a hub, also from
    /// the latest set it published).
    pub source: String,
}

/// The ordnance catalogue in force, and the reference data adopted.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferenceData {
    /// The hub trusted for reference data (its node id), if any.
    pub hub: Option<String>,
    /// The reference version adopted (0: none).
    pub version: u64,
    /// When it was adopted.
    pub adopted_at: Option<DateTime<Utc>>,
    /// On a hub, the latest reference version it published, whose models are listed too (0:
    /// none published, or not a hub).
    pub published_version: u64,
    /// Every model a find may name: the built-in ones, then the reference set's (on a hub, then
    /// those of the latest set it published), each once. A find of a model listed here must
    /// have its category.
    pub ordnance: Vec<OrdnanceModelEntry>,
    /// The reference set's code lists: vocabulary → term → code, which imports translate.
    pub codes: safeground_model::CodeLists,
}

/// The ordnance catalogue in force: the built-in models and those of the reference set this
/// programme adopted from its regional hub, with the version and when it was adopted. On a hub,
/// also the models of the latest reference set it published (the catalogue its ordnance pages
/// are written under, [`safeground_store::OrdnancePageStore::page_catalogue`]); each model once.
#[utoipa::path(get, path = "/api/reference", tag = "federation",
    responses((status = 200, description = "The catalogue in force", body = ReferenceData),
              (status = 401, description = "Not logged in", body = crate::error::Problem)))]
pub async fn catalogue(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<ReferenceData>> {
    who.require(Permission::Read)?;
    let (held, published_version, published) = state
        .db
        .read(|s| {
            let (version, models) = match s.is_hub()? {
                true => (
                    s.published_reference()?.map_or(0, |(v, _)| v),
                    s.page_catalogue()?.entries().to_vec(),
                ),
                false => (0, Vec::new()),
            };
            Ok((s.reference()?, version, models))
        })
        .await?;
    let builtin = ORDNANCE_CATALOGUE.iter().map(|m| OrdnanceModelEntry {
        model: m.model.to_owned(),
        category: m.category.code().to_owned(),
        description: m.description.to_owned(),
        aliases: Vec::new(),
        source: "built-in".into(),
    });
    let mut ordnance: Vec<OrdnanceModelEntry> = builtin.collect();
    for m in held.ordnance.iter().chain(&published) {
        add_model(&mut ordnance, m);
    }
    let codes = match &held.document {
        Some(d) => {
            (safeground_federation::ReferenceSet::adopted(d))
                .map_err(ApiError::internal)?
                .codes
        }
        None => Default::default(),
    };
    Ok(Json(ReferenceData {
        codes,
        hub: held.hub,
        version: held.version,
        adopted_at: held.adopted_at,
        published_version,
        ordnance,
    }))
}

/// How models are told apart: letters and digits only, lower case ("PMN-2" is "pmn 2"), as
/// the catalogue compares them.
fn model_key(model: &str) -> String {
    (model.chars())
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Adds a reference set's model to `list` (source `reference`), or, when the list has it
/// already (built-in, or in another set), its other names to the entry listed.
fn add_model(list: &mut Vec<OrdnanceModelEntry>, m: &CatalogueEntry) {
    let key = model_key(&m.model);
    match list.iter_mut().find(|e| model_key(&e.model) == key) {
        Some(listed) => {
            for alias in &m.aliases {
                if !listed.aliases.contains(alias) {
                    listed.aliases.push(alias.clone());
                }
            }
        }
        None => list.push(OrdnanceModelEntry {
            model: m.model.clone(),
            category: m.category.code().to_owned(),
            description: m.description.clone(),
            aliases: m.aliases.clone(),
            source: "reference".into(),
        }),
    }
}

/// The latest reference set this hub published, signed with the hub's key (verify it with
/// the hub's card). Any user of the hub may fetch it: a national node pulls it with a token of
/// its national viewer account. 404 when nothing is published or this is no hub.
#[utoipa::path(get, path = "/api/hub/reference", tag = "federation",
    responses((status = 200, description = "The signed reference document (JSON: format, \
                  payload, signature)", content_type = "application/json", body = crate::api::schemas::SignedDocumentDoc),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 404, description = "Not a hub, or nothing published yet",
               body = crate::error::Problem)))]
pub async fn published(State(state): State<AppState>, who: Principal) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let latest = state
        .db
        .read(|s| {
            if !s.is_hub()? {
                return Err(ApiError::not_found(
                    "this programme is not a regional hub, so it publishes no reference data",
                ));
            }
            Ok(s.published_reference()?)
        })
        .await?;
    let Some((_, document)) = latest else {
        return Err(ApiError::not_found(
            "this hub has published no reference data yet: `safeground hub publish-reference`",
        ));
    };
    let mut response = document.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}
