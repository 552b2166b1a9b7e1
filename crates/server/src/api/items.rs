//! Approved items: current and "as of" reads, versions, links, personal data (audited, by
//! role), proposed edits with optimistic concurrency, hazard state and the land-release summary.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use safeground_model::{ItemKind, Record};
use safeground_store::{AsOf, Backend, Flow, ItemVersion, NewReport, Reconcile, ReportEntry};
use serde::Deserialize;
use serde_json::{Value, json};

use super::params::{AsOfParams, limit, query};
use super::quasi;
use super::schemas::{HazardStateDoc, LandReleaseSummary};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::json::{ApiJson, check_if_match, etag};
use crate::state::AppState;

fn version_json(v: &ItemVersion) -> Value {
    json!({
        "item": v.item,
        "kind": v.record.kind().code(),
        "report": v.report,
        "valid_from": v.valid_from,
        "recorded_at": v.recorded_at,
        "record": v.record,
    })
}

/// A version's JSON as `who` may see it (victims' and accidents' quasi-identifiers
/// generalised for roles without victim access, [`super::quasi`]).
fn version_doc(who: &Principal, v: &ItemVersion) -> Value {
    let mut doc = version_json(v);
    quasi::generalise_version(who, &mut doc);
    doc
}

/// Applies the figures' small-number suppression to the victims among `docs` (versions' JSON)
/// for roles without victim access.
fn suppress_victims(s: &dyn Backend, who: &Principal, docs: &mut [Value]) -> ApiResult<()> {
    let victim = |d: &Value| d["kind"] == "victim";
    if quasi::exact(who) || !docs.iter().any(victim) {
        return Ok(());
    }
    let groups = quasi::victim_groups(s)?;
    for d in docs.iter_mut().filter(|d| victim(d)) {
        if let Some(record) = d.get_mut("record").and_then(Value::as_object_mut) {
            quasi::suppress_victim(&groups, record);
        }
    }
    Ok(())
}

fn with_etag(mut resp: Response, tag: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(tag) {
        resp.headers_mut().insert(header::ETAG, v);
    }
    resp
}

/// Query of the item list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemListParams {
    /// Item kind: hazard, activity, eo_find, accident, victim, organisation, team, admin_area,
    /// risk_education, qa_visit.
    kind: String,
    /// Items with an id greater than this (next page).
    after: Option<String>,
    /// Page size (default 100, at most 1000).
    limit: Option<usize>,
}

/// Lists the current version of the items of a kind, in id order.
#[utoipa::path(get, path = "/api/items", operation_id = "list_items", tag = "items", params(ItemListParams),
    responses((status = 200, body = super::schemas::ItemPage), (status = 422, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    let p: ItemListParams = query(q.as_deref())?;
    let kind: ItemKind = p
        .kind
        .parse()
        .map_err(|e: safeground_model::UnknownValue| ApiError::field("kind", e.to_string()))?;
    let page = limit(p.limit, 100, 1000)?;
    state
        .db
        .read(move |s| {
            let mut items = Vec::with_capacity(page);
            s.for_each_current(kind, p.after.as_deref(), &mut |v| {
                items.push(version_doc(&who, &v));
                Ok(if items.len() >= page {
                    Flow::Stop
                } else {
                    Flow::Continue
                })
            })?;
            let next = (items.len() == page)
                .then(|| {
                    items
                        .last()
                        .and_then(|v| v["item"].as_str().map(str::to_owned))
                })
                .flatten();
            suppress_victims(s, &who, &mut items)?;
            Ok(Json(json!({ "items": items, "next_after": next })))
        })
        .await
}

/// Reads an item as of a date (default: current). ETag = its number of versions.
#[utoipa::path(get, path = "/api/items/{id}", operation_id = "get_item", tag = "items",
    params(("id" = String, Path, description = "Item id, e.g. HAZ-000012"), AsOfParams),
    responses((status = 200, body = super::schemas::ItemDoc), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let as_of = query::<AsOfParams>(q.as_deref())?.as_of()?;
    state
        .db
        .read(move |s| {
            let n = s.version_count(&id)?;
            if n == 0 {
                return Err(ApiError::not_found(format!("item {id} does not exist")));
            }
            let v = s.item_as_of(&id, as_of)?.ok_or_else(|| {
                ApiError::not_found(format!("item {id} did not exist at the time asked"))
            })?;
            let mut doc = version_doc(&who, &v);
            if !quasi::exact(&who) && v.record.kind() == ItemKind::Victim {
                suppress_victims(s, &who, std::slice::from_mut(&mut doc))?;
            }
            doc["version"] = json!(n);
            Ok(with_etag(Json(doc).into_response(), &etag("v", n)))
        })
        .await
}

/// Every version of an item.
#[utoipa::path(get, path = "/api/items/{id}/versions", tag = "items",
    params(("id" = String, Path, description = "Item id")),
    responses((status = 200, body = super::schemas::ItemVersions), (status = 404, body = crate::error::Problem)))]
pub async fn versions(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    state
        .db
        .read(move |s| {
            let versions = s.versions(&id)?;
            if versions.is_empty() {
                return Err(ApiError::not_found(format!("item {id} does not exist")));
            }
            let mut docs: Vec<Value> = versions.iter().map(|v| version_doc(&who, v)).collect();
            suppress_victims(s, &who, &mut docs)?;
            Ok(Json(json!({ "item": id, "versions": docs })))
        })
        .await
}

/// Items whose version at `as_of` refers to this one (activities of a hazard, victims of an
/// accident, ...).
#[utoipa::path(get, path = "/api/items/{id}/links", tag = "items",
    params(("id" = String, Path, description = "Item id"), AsOfParams),
    responses((status = 200, body = super::schemas::ItemLinks)))]
pub async fn links(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    let as_of = query::<AsOfParams>(q.as_deref())?.as_of()?;
    state
        .db
        .read(move |s| {
            let linked = s.linked_items(&id, as_of)?;
            let mut docs: Vec<Value> = (linked.iter())
                .map(|(field, v)| {
                    let mut doc = version_doc(&who, v);
                    doc["field"] = json!(field);
                    doc
                })
                .collect();
            suppress_victims(s, &who, &mut docs)?;
            Ok(Json(json!({ "item": id, "linked": docs })))
        })
        .await
}

/// A victim's personal data: victim-assistance officers only; every read is audited.
#[utoipa::path(get, path = "/api/items/{id}/personal-data", tag = "items",
    params(("id" = String, Path, description = "Victim id"), AsOfParams),
    responses((status = 200, body = super::schemas::PersonalDataDoc), (status = 403, body = crate::error::Problem)))]
pub async fn personal_data(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    who.require(Permission::PersonalData)?;
    let as_of = query::<AsOfParams>(q.as_deref())?.as_of()?;
    state
        .db
        .write(move |s| {
            match s.item_as_of(&id, as_of)? {
                Some(v) if v.record.kind() == ItemKind::Victim => {}
                Some(_) => return Err(ApiError::not_found(format!("{id} is not a victim"))),
                None => return Err(ApiError::not_found(format!("victim {id} does not exist"))),
            }
            let data = s.victim_personal_data(&who.username, &id, as_of)?;
            Ok(Json(json!({ "item": id, "personal_data": data })))
        })
        .await
}

/// A proposed new version of an item.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ItemEdit {
    /// Title of the report that carries the edit.
    title: Option<String>,
    /// Date of information of the new version.
    #[schema(value_type = String, format = Date)]
    date_of_information: NaiveDate,
    /// The full new record (same kind as the item).
    #[schema(value_type = Object)]
    record: Record,
}

/// Proposes a new version of an item. Needs `If-Match` with the item's ETag; creates a
/// submitted report that updates the item *as of that version*: if another version is
/// approved first, this one conflicts instead of silently overwriting it.
#[utoipa::path(put, path = "/api/items/{id}", tag = "items", request_body = ItemEdit,
    params(("id" = String, Path, description = "Item id"),
           ("If-Match" = String, Header, description = "The item's ETag when read")),
    responses((status = 202, description = "Submitted for review", body = super::schemas::ProposedEdit),
              (status = 412, body = crate::error::Problem), (status = 428, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn propose(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(mut edit): ApiJson<ItemEdit>,
) -> ApiResult<Response> {
    who.require(Permission::WriteReports)?;
    state
        .db
        .write(move |s| {
            let n = s.version_count(&id)?;
            if n == 0 {
                return Err(ApiError::not_found(format!("item {id} does not exist")));
            }
            check_if_match(&headers, &etag("v", n), true)?;
            let current = s
                .item_as_of(&id, AsOf::now())?
                .ok_or_else(|| ApiError::not_found(format!("item {id} has no current version")))?;
            if current.record.kind() != edit.record.kind() {
                return Err(ApiError::field(
                    "record.kind",
                    format!(
                        "{id} is a {}, not a {}",
                        current.record.kind().code(),
                        edit.record.kind().code()
                    ),
                ));
            }
            quasi::keep_exact(&who, &current.record, &mut edit.record);
            let report = NewReport {
                organisation: Some(who.organisation.clone()),
                title: edit.title.unwrap_or_else(|| format!("Update of {id}")),
                source: Some(format!("api:PUT /api/items/{id}")),
                date_of_information: edit.date_of_information,
                entries: vec![ReportEntry {
                    record: edit.record,
                    reconcile: Reconcile::Update {
                        item: id.clone(),
                        base_version: Some(n),
                    },
                    personal_data: None,
                }],
            };
            // Created and submitted in one transaction: an invalid edit writes nothing.
            let rid = s
                .submit_batch(&who.username, std::slice::from_ref(&report))
                .map_err(|e| {
                    // Name fields as in this request's body (`record.geometry`).
                    ApiError::from(e).map_fields(|f| {
                        f.strip_prefix("reports[0].entries[0].")
                            .or_else(|| f.strip_prefix("reports[0]."))
                            .unwrap_or(f)
                            .to_owned()
                    })
                })?
                .first()
                .copied()
                .ok_or_else(|| ApiError::internal("submit_batch returned no id"))?;
            let mut resp = (
                StatusCode::ACCEPTED,
                Json(super::schemas::ProposedEdit {
                    report: rid,
                    item: id.clone(),
                    base_version: n,
                }),
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("/api/reports/{rid}")) {
                resp.headers_mut().insert(header::LOCATION, v);
            }
            Ok(resp)
        })
        .await
}

/// The derived land-release state of a hazard (remaining area and geometry, status).
#[utoipa::path(get, path = "/api/hazards/{id}/state", tag = "items",
    params(("id" = String, Path, description = "Hazard id"), AsOfParams),
    responses((status = 200, body = HazardStateDoc), (status = 404, body = crate::error::Problem)))]
pub async fn hazard_state(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<HazardStateDoc>> {
    who.require(Permission::Read)?;
    let as_of = query::<AsOfParams>(q.as_deref())?.as_of()?;
    state
        .db
        .read(move |s| {
            let st = s
                .hazard_state(&id, as_of)?
                .ok_or_else(|| ApiError::not_found(format!("hazard {id} does not exist then")))?;
            Ok(Json(HazardStateDoc {
                class: st.class.code().to_owned(),
                status: st.status.code().to_owned(),
                geometry: st.geometry.as_ref().map(geojson::Geometry::from),
                remaining: st.remaining.as_ref().map(geojson::Geometry::from),
                item: st.item,
                admin_pcode: st.admin_pcode,
                organisation: st.organisation,
                reported_m2: st.reported_m2,
                original_m2: st.original_m2,
                cancelled_m2: st.cancelled_m2,
                reduced_m2: st.reduced_m2,
                cleared_m2: st.cleared_m2,
                remaining_m2: st.remaining_m2,
            }))
        })
        .await
}

/// Land released and remaining per admin area, as of a date.
#[utoipa::path(get, path = "/api/summary", tag = "items", params(AsOfParams),
    responses((status = 200, body = LandReleaseSummary)))]
pub async fn summary(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<LandReleaseSummary>> {
    who.require(Permission::Read)?;
    let as_of = query::<AsOfParams>(q.as_deref())?.as_of()?;
    state
        .db
        .read(move |s| {
            Ok(Json(LandReleaseSummary {
                as_of: (as_of.date != NaiveDate::MAX).then_some(as_of.date),
                known_at: as_of.known_at,
                rows: s.land_release_summary(as_of)?,
            }))
        })
        .await
}
