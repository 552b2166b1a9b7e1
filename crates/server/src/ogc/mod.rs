//! OGC API - Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) at `/ogc`: landing page,
//! conformance, collections, items (streamed: memory stays constant on any collection size)
//! and single features. Access follows the roles; collections listed as public layers can be
//! read anonymously.

mod filter;
mod html;
mod openapi;

use std::io::Write;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use safeground_store::Flow;
use serde_json::{Value, json};

use filter::ItemsQuery;
pub use safeground_io::COLLECTIONS;
use safeground_io::{Collection, Feature, collection, for_each_feature};

use crate::auth::{MaybePrincipal, Permission};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::stream::write_error;
use crate::tiles::base_url;

const GEOJSON: &str = "application/geo+json";

/// Whether the client asked for HTML (`f=html`, or a browser's Accept header).
fn wants_html(headers: &HeaderMap, f: Option<&str>) -> ApiResult<bool> {
    match f {
        Some("html") => Ok(true),
        Some("json") => Ok(false),
        Some(other) => Err(ApiError::bad_request(format!(
            "f=`{other}` is not a format here: json or html"
        ))),
        None => Ok(headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.starts_with("text/html"))),
    }
}

fn format_param(raw: Option<&str>) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw.unwrap_or(""))
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "f")
        .map(|(_, v)| v)
}

fn json_with_type(doc: Value, content_type: &'static str) -> Response {
    let mut resp = Json(doc).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

fn check_access(state: &AppState, who: &MaybePrincipal, c: &Collection) -> ApiResult<()> {
    if state.is_public(c.id) {
        return Ok(());
    }
    match &who.0 {
        Some(p) => p.require(Permission::Read),
        None => Err(ApiError::unauthenticated()),
    }
}

fn find(id: &str) -> ApiResult<&'static Collection> {
    collection(id).ok_or_else(|| {
        let ids: Vec<_> = COLLECTIONS.iter().map(|c| c.id).collect();
        ApiError::not_found(format!(
            "no collection `{id}`; collections: {}",
            ids.join(", ")
        ))
    })
}

/// Landing page.
#[utoipa::path(get, path = "/ogc", tag = "ogc", responses((status = 200, body = Value)))]
pub async fn landing(headers: HeaderMap, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let base = format!("{}/ogc", base_url(&headers));
    let doc = json!({
        "title": "Safeground — mine action data",
        "description": "Hazardous areas, land release, explosive ordnance, accidents and risk \
                        education of a national mine action programme (OGC API - Features).",
        "links": [
            {"href": format!("{base}?f=json"), "rel": "self", "type": "application/json", "title": "This document"},
            {"href": format!("{base}?f=html"), "rel": "alternate", "type": "text/html", "title": "This document as HTML"},
            {"href": format!("{base}/api"), "rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0", "title": "API definition"},
            {"href": format!("{base}/conformance"), "rel": "conformance", "type": "application/json", "title": "Conformance classes"},
            {"href": format!("{base}/collections"), "rel": "data", "type": "application/json", "title": "Collections"},
        ],
    });
    if wants_html(&headers, format_param(q.as_deref()).as_deref())? {
        return Ok(Html(html::landing(&doc)).into_response());
    }
    Ok(Json(doc).into_response())
}

/// Conformance classes.
#[utoipa::path(get, path = "/ogc/conformance", tag = "ogc", responses((status = 200, body = Value)))]
pub async fn conformance() -> Json<Value> {
    Json(json!({
        "conformsTo": [
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        ]
    }))
}

/// The OpenAPI 3.0 definition of the OGC API part.
#[utoipa::path(get, path = "/ogc/api", tag = "ogc", responses((status = 200, body = Value)))]
pub async fn api(headers: HeaderMap) -> Response {
    json_with_type(
        openapi::document(&format!("{}/ogc", base_url(&headers))),
        "application/vnd.oai.openapi+json;version=3.0",
    )
}

fn collection_json(c: &Collection, base: &str) -> Value {
    json!({
        "id": c.id,
        "title": c.title,
        "description": c.description,
        "itemType": "feature",
        "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
        "links": [
            {"href": format!("{base}/collections/{}", c.id), "rel": "self", "type": "application/json"},
            {"href": format!("{base}/collections/{}/items", c.id), "rel": "items", "type": GEOJSON, "title": c.title},
            {"href": format!("{base}/collections/{}/items?f=html", c.id), "rel": "items", "type": "text/html", "title": c.title},
        ],
    })
}

/// The collections.
#[utoipa::path(get, path = "/ogc/collections", tag = "ogc", responses((status = 200, body = Value)))]
pub async fn collections(headers: HeaderMap, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let base = format!("{}/ogc", base_url(&headers));
    let doc = json!({
        "links": [{"href": format!("{base}/collections"), "rel": "self", "type": "application/json"}],
        "collections": COLLECTIONS.iter().map(|c| collection_json(c, &base)).collect::<Vec<_>>(),
    });
    if wants_html(&headers, format_param(q.as_deref()).as_deref())? {
        return Ok(Html(html::collections(&doc)).into_response());
    }
    Ok(Json(doc).into_response())
}

/// One collection.
#[utoipa::path(get, path = "/ogc/collections/{collection}", tag = "ogc",
    params(("collection" = String, Path)), responses((status = 200, body = Value)))]
pub async fn collection_doc(
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let c = find(&id)?;
    let doc = collection_json(c, &format!("{}/ogc", base_url(&headers)));
    if wants_html(&headers, format_param(q.as_deref()).as_deref())? {
        return Ok(Html(html::collections(&json!({ "collections": [doc] }))).into_response());
    }
    Ok(Json(doc).into_response())
}

/// Items of a collection, streamed as GeoJSON (or a page of HTML).
#[utoipa::path(get, path = "/ogc/collections/{collection}/items", tag = "ogc",
    params(("collection" = String, Path),
           ("bbox" = Option<String>, Query, description = "west,south,east,north (CRS84)"),
           ("datetime" = Option<String>, Query, description = "date or interval, e.g. 2024-01-01/.."),
           ("limit" = Option<usize>, Query, description = "page size, default 100, at most 10000"),
           ("after" = Option<String>, Query, description = "resume after this feature id (next link)")),
    responses((status = 200, content_type = "application/geo+json", body = Value),
              (status = 400, body = crate::error::Problem)))]
pub async fn items(
    State(state): State<AppState>,
    who: MaybePrincipal,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let c = find(&id)?;
    check_access(&state, &who, c)?;
    let q = ItemsQuery::parse(raw.as_deref(), c)?;
    let base = format!("{}/ogc/collections/{}/items", base_url(&headers), c.id);
    if wants_html(&headers, q.format.as_deref())? {
        let (features, next) = page(&state, c, q).await?;
        return Ok(Html(html::items(c, &features, next.as_deref(), &base)).into_response());
    }
    Ok(stream(state, c, q, base))
}

/// Collects one page (for HTML).
async fn page(
    state: &AppState,
    c: &'static Collection,
    mut q: ItemsQuery,
) -> ApiResult<(Vec<Feature>, Option<String>)> {
    q.limit = q.limit.min(1000);
    state
        .db
        .read(move |s| {
            let mut out = Vec::new();
            let mut more = false;
            for_each_feature::<_, ApiError>(s, c.source, q.after.as_deref(), &mut |f| {
                if !q.matches(&f) {
                    return Ok(Flow::Continue);
                }
                if out.len() == q.limit {
                    more = true;
                    return Ok(Flow::Stop);
                }
                out.push(f);
                Ok(Flow::Continue)
            })?;
            let next = more
                .then(|| out.last().map(|f: &Feature| q.query_string(Some(&f.id))))
                .flatten();
            Ok((out, next))
        })
        .await
}

/// Streams a GeoJSON FeatureCollection: a blocking task reads row by row and writes through a
/// small bounded channel, so memory stays constant and a slow client slows the read.
fn stream(state: AppState, c: &'static Collection, q: ItemsQuery, base: String) -> Response {
    let (mut w, body) = crate::stream::channel();
    tokio::task::spawn_blocking(move || {
        let mut returned = 0usize;
        let mut last: Option<String> = None;
        let mut more = false;
        let result = state.db.read_blocking(|s| {
            w.write_all(br#"{"type":"FeatureCollection","features":["#)
                .map_err(write_error)?;
            for_each_feature::<_, ApiError>(s, c.source, q.after.as_deref(), &mut |f| {
                if !q.matches(&f) {
                    return Ok(Flow::Continue);
                }
                if returned == q.limit {
                    more = true;
                    return Ok(Flow::Stop);
                }
                if returned > 0 {
                    w.write_all(b",").map_err(write_error)?;
                }
                serde_json::to_writer(&mut w, &f.to_json()).map_err(|e| write_error(e.into()))?;
                returned += 1;
                last = Some(f.id);
                Ok(Flow::Continue)
            })
        });
        if let Err(e) = result {
            // A client that went away ends here too; nothing more to send.
            w.fail(e.status().to_string());
            return;
        }
        let mut links = vec![
            json!({"href": format!("{base}?{}", q.query_string(None)), "rel": "self", "type": GEOJSON}),
        ];
        if more && let Some(last) = &last {
            links.push(json!({"href": format!("{base}?{}", q.query_string(Some(last))), "rel": "next", "type": GEOJSON}));
        }
        let tail = json!({
            "numberReturned": returned,
            "timeStamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "links": links,
        })
        .to_string();
        let _ = w
            .write_all(b"],")
            .and_then(|()| w.write_all(tail.trim_start_matches('{').as_bytes()))
            .and_then(|()| w.flush());
    });
    let mut resp = Response::new(body);
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(GEOJSON));
    resp
}

/// One feature.
#[utoipa::path(get, path = "/ogc/collections/{collection}/items/{feature}", tag = "ogc",
    params(("collection" = String, Path), ("feature" = String, Path)),
    responses((status = 200, content_type = "application/geo+json", body = Value),
              (status = 404, body = crate::error::Problem)))]
pub async fn item(
    State(state): State<AppState>,
    who: MaybePrincipal,
    headers: HeaderMap,
    Path((id, fid)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let c = find(&id)?;
    check_access(&state, &who, c)?;
    let html = wants_html(&headers, format_param(q.as_deref()).as_deref())?;
    let base = format!("{}/ogc/collections/{}/items", base_url(&headers), c.id);
    let wanted = fid.clone();
    let found = state
        .db
        .read(move |s| {
            // Resume just before the wanted feature and take it if it comes next.
            let trim_last = |id: &str| id.get(..id.len().saturating_sub(1)).map(str::to_owned);
            let after = match wanted.split_once('.') {
                Some((act, i)) => match i.parse::<usize>() {
                    Ok(0) => trim_last(act),
                    Ok(i) => Some(format!("{act}.{}", i - 1)),
                    Err(_) => return Ok(None),
                },
                None => trim_last(&wanted),
            };
            let wanted_item = wanted.split('.').next().unwrap_or_default().to_owned();
            let mut found = None;
            for_each_feature::<_, ApiError>(s, c.source, after.as_deref(), &mut |f| {
                if f.id == wanted {
                    found = Some(f);
                    return Ok(Flow::Stop);
                }
                let item = f.id.split('.').next().unwrap_or_default();
                Ok(if item > wanted_item.as_str() {
                    Flow::Stop
                } else {
                    Flow::Continue
                })
            })?;
            Ok(found)
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no feature `{fid}` in {}", c.id)))?;
    if html {
        return Ok(Html(html::items(c, std::slice::from_ref(&found), None, &base)).into_response());
    }
    let mut doc = found.to_json();
    doc["links"] = json!([
        {"href": format!("{base}/{}", found.id), "rel": "self", "type": GEOJSON},
        {"href": base.trim_end_matches("/items"), "rel": "collection", "type": "application/json"},
    ]);
    Ok(json_with_type(doc, GEOJSON))
}
