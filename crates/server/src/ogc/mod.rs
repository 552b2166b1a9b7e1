//! OGC API - Features Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) at `/ogc`: landing page,
//! conformance, collections with their extent, items (streamed: memory stays constant on any
//! collection size) with `numberMatched`, single features, and the queryables of Part 3. Access
//! follows the roles; collections listed as public layers can be read anonymously. Every path
//! also answers with a trailing slash (`/ogc/`), as clients that join paths send it.

mod filter;
mod html;
mod openapi;
mod queryables;
mod schemas;
mod summary;

use std::io::Write;

use axum::Json;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use safeground_store::{Backend, Flow};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use filter::ItemsQuery;
pub use safeground_io::COLLECTIONS;
use safeground_io::quasi::for_each_feature_seen;
use safeground_io::{Collection, Feature, collection};

use crate::auth::{MaybePrincipal, Permission};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::stream::write_error;
use crate::tiles::base_url;
use schemas::OgcFormat;
pub use summary::Summaries;
use summary::Summary;

const GEOJSON: &str = "application/geo+json";
const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
/// Link relation of a collection's queryables (OGC API - Features Part 3).
const REL_QUERYABLES: &str = "http://www.opengis.net/def/rel/ogc/1.0/queryables";

/// The OGC API routes with their OpenAPI description, and the same paths with a trailing slash.
pub fn routes() -> OpenApiRouter<AppState> {
    let slashed = Router::new()
        .route("/ogc/", get(landing))
        .route("/ogc/conformance/", get(conformance))
        .route("/ogc/api/", get(api))
        .route("/ogc/collections/", get(collections))
        .route("/ogc/collections/{collection}/", get(collection_doc))
        .route("/ogc/collections/{collection}/queryables/", get(queryables))
        .route("/ogc/collections/{collection}/items/", get(items))
        .route("/ogc/collections/{collection}/items/{feature}/", get(item));
    OpenApiRouter::new()
        .routes(routes!(landing))
        .routes(routes!(conformance))
        .routes(routes!(api))
        .routes(routes!(collections))
        .routes(routes!(collection_doc))
        .routes(routes!(queryables))
        .routes(routes!(items))
        .routes(routes!(item))
        .merge(OpenApiRouter::from(slashed))
}

/// The format the client asked for: `f`, else HTML for a browser's Accept header.
fn format(headers: &HeaderMap, f: Option<&str>) -> ApiResult<OgcFormat> {
    match f {
        Some("html") => Ok(OgcFormat::Html),
        Some("json") => Ok(OgcFormat::Json),
        Some(other) => Err(ApiError::bad_request(format!(
            "f=`{other}` is not a format here: json or html"
        ))),
        None => Ok(
            if headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|a| a.starts_with("text/html"))
            {
                OgcFormat::Html
            } else {
                OgcFormat::Json
            },
        ),
    }
}

/// Whether the client asked for HTML.
fn wants_html(headers: &HeaderMap, f: Option<&str>) -> ApiResult<bool> {
    Ok(format(headers, f)? == OgcFormat::Html)
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

/// Whether `who` reads victims' and accidents' quasi-identifiers generalised (anyone without
/// victim access, anonymous readers of public layers included).
fn generalised(who: &MaybePrincipal) -> bool {
    !who.0.as_ref().is_some_and(crate::api::quasi::exact)
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
#[utoipa::path(get, path = "/ogc", tag = "ogc", operation_id = "ogcLandingPage",
    description = "Title, description and links to the API definition, the conformance \
                   declaration and the collections (OGC API - Features). Also at `/ogc/`.",
    params(("f" = inline(Option<schemas::OgcFormat>), Query, description = "Output format: `json` (the \
            default) or `html` (also chosen by a browser's `Accept: text/html`)")), security((), ("session" = []), ("bearer" = [])),
    responses((status = 200, description = "The landing page (JSON, or HTML for `f=html`)",
               content((schemas::OgcLandingPage = "application/json"), (String = "text/html"))),
              (status = 400, description = "Unknown `f`", body = crate::error::Problem,
               content_type = "application/problem+json")))]
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
            {"href": format!("{base}/api?f=html"), "rel": "service-doc", "type": "text/html", "title": "API documentation"},
            {"href": format!("{base}/conformance"), "rel": "conformance", "type": "application/json", "title": "Conformance classes"},
            {"href": format!("{base}/collections"), "rel": "data", "type": "application/json", "title": "Collections"},
        ],
    });
    if wants_html(&headers, format_param(q.as_deref()).as_deref())? {
        return Ok(Html(html::landing(&doc)).into_response());
    }
    Ok(Json(doc).into_response())
}

/// The conformance classes this API implements.
pub const CONFORMS_TO: [&str; 6] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
];

/// Conformance classes.
#[utoipa::path(get, path = "/ogc/conformance", tag = "ogc", operation_id = "ogcConformance",
    description = "The conformance classes implemented: OGC API - Features Part 1 (core, \
                   GeoJSON, HTML, OpenAPI 3.0) and the queryables of Part 3.",
    security((), ("session" = []), ("bearer" = [])),
    responses((status = 200, description = "The conformance declaration",
               body = schemas::OgcConformance)))]
pub async fn conformance() -> Json<Value> {
    Json(json!({ "conformsTo": CONFORMS_TO }))
}

/// The OpenAPI 3.0 definition of the OGC API part.
#[utoipa::path(get, path = "/ogc/api", tag = "ogc", operation_id = "ogcApiDefinition",
    description = "The OpenAPI 3.0 definition of the OGC API part, listing every collection's \
                   paths and filters (`f=html`: as a page).",
    params(("f" = inline(Option<schemas::OgcFormat>), Query, description = "Output format: `json` (the \
            default) or `html` (also chosen by a browser's `Accept: text/html`)")), security((), ("session" = []), ("bearer" = [])),
    responses((status = 200, description = "The OpenAPI 3.0 document (or a page for `f=html`)",
               content((Object = "application/vnd.oai.openapi+json;version=3.0"),
                       (String = "text/html"))),
              (status = 400, description = "Unknown `f`", body = crate::error::Problem,
               content_type = "application/problem+json")))]
pub async fn api(headers: HeaderMap, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let doc = openapi::document(&format!("{}/ogc", base_url(&headers)));
    if wants_html(&headers, format_param(q.as_deref()).as_deref())? {
        return Ok(Html(html::api(&doc)).into_response());
    }
    Ok(json_with_type(
        doc,
        "application/vnd.oai.openapi+json;version=3.0",
    ))
}

/// A collection's description; `summary` (given to those who may read it) adds its extent.
fn collection_json(c: &Collection, base: &str, summary: Option<Summary>) -> Value {
    let coll = format!("{base}/collections/{}", c.id);
    let mut doc = json!({
        "id": c.id,
        "title": c.title,
        "description": c.description,
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            {"href": coll, "rel": "self", "type": "application/json", "title": "This collection"},
            {"href": format!("{coll}?f=html"), "rel": "alternate", "type": "text/html", "title": "This collection as HTML"},
            {"href": format!("{coll}/items"), "rel": "items", "type": GEOJSON, "title": c.title},
            {"href": format!("{coll}/items?f=html"), "rel": "items", "type": "text/html", "title": c.title},
            {"href": format!("{coll}/queryables"), "rel": REL_QUERYABLES, "type": "application/schema+json", "title": "Queryables"},
        ],
    });
    if let Some(extent) = summary.and_then(|s| s.extent()) {
        doc["extent"] = extent;
    }
    doc
}

/// The extents of `wanted`, for those of them `who` may read (one cached scan each).
async fn extents(
    state: &AppState,
    who: &MaybePrincipal,
    wanted: Vec<&'static Collection>,
) -> ApiResult<Vec<Option<Summary>>> {
    let readable: Vec<bool> = wanted
        .iter()
        .map(|c| check_access(state, who, c).is_ok())
        .collect();
    let cache = state.ogc_summaries.clone();
    let filter = safeground_io::Filter {
        generalised: generalised(who),
        ..Default::default()
    };
    state
        .db
        .read(move |s| {
            wanted
                .iter()
                .zip(readable)
                .map(|(c, ok)| ok.then(|| cache.summarise(s, c, &filter)).transpose())
                .collect()
        })
        .await
}

/// The collections.
#[utoipa::path(get, path = "/ogc/collections", tag = "ogc", operation_id = "ogcCollections",
    description = "Every feature collection with its links and, for collections the caller \
                   may read, its extent (bounding box in CRS84 and time interval).",
    params(("f" = inline(Option<schemas::OgcFormat>), Query, description = "Output format: `json` (the \
            default) or `html` (also chosen by a browser's `Accept: text/html`)")), security((), ("session" = []), ("bearer" = [])),
    responses((status = 200, description = "The collections (JSON, or HTML for `f=html`)",
               content((schemas::OgcCollections = "application/json"), (String = "text/html"))),
              (status = 400, description = "Unknown `f`", body = crate::error::Problem,
               content_type = "application/problem+json")))]
pub async fn collections(
    State(state): State<AppState>,
    who: MaybePrincipal,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let html = wants_html(&headers, format_param(q.as_deref()).as_deref())?;
    let base = format!("{}/ogc", base_url(&headers));
    let summaries = extents(&state, &who, COLLECTIONS.iter().collect()).await?;
    let doc = json!({
        "links": [
            {"href": format!("{base}/collections"), "rel": "self", "type": "application/json", "title": "This document"},
            {"href": format!("{base}/collections?f=html"), "rel": "alternate", "type": "text/html", "title": "This document as HTML"},
        ],
        "collections": COLLECTIONS
            .iter()
            .zip(summaries)
            .map(|(c, s)| collection_json(c, &base, s))
            .collect::<Vec<_>>(),
    });
    if html {
        return Ok(Html(html::collections(&doc)).into_response());
    }
    Ok(Json(doc).into_response())
}

/// One collection.
#[utoipa::path(get, path = "/ogc/collections/{collection}", tag = "ogc",
    operation_id = "ogcCollection",
    description = "One feature collection: its links and, when the caller may read it, its \
                   extent.",
    params(("collection" = String, Path, description = "Collection id: `hazards`, \
            `released-areas`, `activities`, `eo-finds`, `accidents` or `risk-education`",
            example = "hazards"), ("f" = inline(Option<schemas::OgcFormat>), Query, description = "Output format: `json` (the \
            default) or `html` (also chosen by a browser's `Accept: text/html`)")), security((), ("session" = []), ("bearer" = [])),
    responses((status = 200, description = "The collection (JSON, or HTML for `f=html`)",
               content((schemas::OgcCollection = "application/json"), (String = "text/html"))),
              (status = 400, description = "Unknown `f`", body = crate::error::Problem,
               content_type = "application/problem+json"),
              (status = 404, description = "No such collection", body = crate::error::Problem,
               content_type = "application/problem+json")))]
pub async fn collection_doc(
    State(state): State<AppState>,
    who: MaybePrincipal,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let c = find(&id)?;
    let html = wants_html(&headers, format_param(q.as_deref()).as_deref())?;
    let summary = extents(&state, &who, vec![c]).await?.pop().flatten();
    let doc = collection_json(c, &format!("{}/ogc", base_url(&headers)), summary);
    if html {
        return Ok(Html(html::collections(&json!({ "collections": [doc] }))).into_response());
    }
    Ok(Json(doc).into_response())
}

/// The queryables of a collection (OGC API - Features Part 3).
#[utoipa::path(get, path = "/ogc/collections/{collection}/queryables", tag = "ogc",
    operation_id = "ogcQueryables",
    description = "The properties that items can be filtered on with `name=value` query \
                   parameters, as a JSON Schema (OGC API - Features Part 3).",
    params(("collection" = String, Path, description = "Collection id: `hazards`, \
            `released-areas`, `activities`, `eo-finds`, `accidents` or `risk-education`",
            example = "hazards")), security((), ("session" = []), ("bearer" = [])),
    responses((status = 200, description = "The queryables as a JSON Schema",
               content_type = "application/schema+json", body = schemas::Queryables),
              (status = 404, description = "No such collection", body = crate::error::Problem,
               content_type = "application/problem+json")))]
pub async fn queryables(headers: HeaderMap, Path(id): Path<String>) -> ApiResult<Response> {
    let c = find(&id)?;
    let doc = queryables::schema(c, &format!("{}/ogc", base_url(&headers)));
    Ok(json_with_type(doc, "application/schema+json"))
}

/// Items of a collection, streamed as GeoJSON (or a page of HTML).
#[utoipa::path(get, path = "/ogc/collections/{collection}/items", tag = "ogc",
    operation_id = "ogcItems",
    description = "One page of a collection's features, streamed as a GeoJSON \
                   FeatureCollection, with `numberMatched`, `numberReturned` and a `next` link \
                   while more match. Filters: `bbox`, `datetime` and `name=value` on the \
                   collection's queryables (`/queryables`; other names are refused).",
    params(("collection" = String, Path, description = "Collection id: `hazards`, \
            `released-areas`, `activities`, `eo-finds`, `accidents` or `risk-education`",
            example = "hazards"),
           ("bbox" = Option<Vec<f64>>, Query, style = Form, explode = false, min_items = 4,
            max_items = 4, description = "Bounding box `west,south,east,north` in CRS84 \
            (longitude, latitude); west > east crosses the antimeridian. Features whose box \
            intersects it are kept.", example = json!([102.3, 12.5, 103.5, 13.9])),
           ("datetime" = Option<String>, Query, description = "A date (`2024-05-01`) or an \
            interval with `..` for an open end (`2024-01-01/..`, `../2024-12-31`) on the \
            feature's date", example = "2020-01-01/.."),
           ("limit" = Option<u32>, Query, minimum = 1, maximum = 10000, description = "Page \
            size (default 100; larger values are served as 10000)"),
           ("after" = Option<String>, Query, description = "Resume after this feature id \
            (as the `next` link does)", example = "HAZ-000100"),
           ("f" = inline(Option<schemas::OgcFormat>), Query, description = "Output format: `json` (the \
            default) or `html` (also chosen by a browser's `Accept: text/html`)")),
    security((), ("session" = []), ("bearer" = [])),
    responses((status = 200, description = "A page of features (GeoJSON, or HTML for `f=html`)",
               content((schemas::FeatureCollection = "application/geo+json"),
                       (String = "text/html"))),
              (status = 400, description = "A parameter is malformed or unknown",
               body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 401, description = "The collection is not public: log in or send a token",
               body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such collection", body = crate::error::Problem,
               content_type = "application/problem+json")))]
pub async fn items(
    State(state): State<AppState>,
    who: MaybePrincipal,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let c = find(&id)?;
    check_access(&state, &who, c)?;
    let mut q = ItemsQuery::parse(raw.as_deref(), c)?;
    q.filter.generalised = generalised(&who);
    let base = format!("{}/ogc/collections/{}/items", base_url(&headers), c.id);
    if wants_html(&headers, q.format.as_deref())? {
        let (features, next) = page(&state, c, q).await?;
        return Ok(Html(html::items(c, &features, next.as_deref(), &base)).into_response());
    }
    Ok(stream(state, c, q, base))
}

/// Reads the features of `c` that match `q`, from `q.after` on, handing the first `q.limit`
/// to `take`; true when more match. With `count`, the read goes on past the page and every
/// match is added to it.
fn read_page(
    s: &dyn Backend,
    c: &Collection,
    q: &ItemsQuery,
    mut count: Option<&mut Summary>,
    take: &mut dyn FnMut(Feature) -> ApiResult<()>,
) -> ApiResult<bool> {
    let (mut returned, mut more) = (0usize, false);
    for_each_feature_seen::<_, ApiError>(
        s,
        c.source,
        q.after.as_deref(),
        q.filter.generalised,
        &mut |f| {
            if !q.matches(&f) {
                return Ok(Flow::Continue);
            }
            if let Some(summary) = count.as_deref_mut() {
                summary.add(&f);
            }
            if returned == q.limit {
                more = true;
                return Ok(if count.is_some() {
                    Flow::Continue
                } else {
                    Flow::Stop
                });
            }
            returned += 1;
            take(f)?;
            Ok(Flow::Continue)
        },
    )?;
    Ok(more)
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
            let more = read_page(s, c, &q, None, &mut |f| {
                out.push(f);
                Ok(())
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
///
/// `numberMatched` comes from the summaries kept per filter; on a first page whose filter has
/// none yet, the read goes on past the page to count (and keep) it; later pages of a filter
/// never seen leave it out.
fn stream(state: AppState, c: &'static Collection, q: ItemsQuery, base: String) -> Response {
    let (mut w, body) = crate::stream::channel();
    tokio::task::spawn_blocking(move || {
        let mut returned = 0usize;
        let mut last: Option<String> = None;
        let mut more = false;
        let mut matched: Option<u64> = None;
        let result = state.db.read_blocking(|s| {
            let generation = s.last_change()?;
            let key = summary::key(c, &q.filter);
            matched = state.ogc_summaries.get(&key, generation).map(|m| m.count);
            if matched.is_none() && q.filter.is_empty() {
                // Counted by the database, not by reading every feature past the page.
                matched = summary::plain_count(s, c.source)?;
            }
            let mut counting = (matched.is_none() && q.after.is_none()).then(Summary::default);
            w.write_all(br#"{"type":"FeatureCollection","features":["#)
                .map_err(write_error)?;
            more = read_page(s, c, &q, counting.as_mut(), &mut |f| {
                if returned > 0 {
                    w.write_all(b",").map_err(write_error)?;
                }
                f.write_geojson(&mut w).map_err(write_error)?;
                returned += 1;
                last = Some(f.id);
                Ok(())
            })?;
            if let Some(summary) = counting {
                matched = Some(summary.count);
                state.ogc_summaries.put(key, generation, summary);
            }
            Ok(())
        });
        if let Err(e) = result {
            // A client that went away ends here too; nothing more to send.
            w.fail(e.status().to_string());
            return;
        }
        let mut links = vec![
            json!({"href": format!("{base}?{}", q.query_string(None)), "rel": "self", "type": GEOJSON, "title": "This page"}),
            json!({"href": format!("{base}?{}", q.html().query_string(None)), "rel": "alternate", "type": "text/html", "title": "This page as HTML"}),
        ];
        if more && let Some(last) = &last {
            links.push(json!({"href": format!("{base}?{}", q.query_string(Some(last))), "rel": "next", "type": GEOJSON, "title": "Next page"}));
        }
        let mut tail = json!({
            "numberReturned": returned,
            "timeStamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "links": links,
        });
        if let Some(n) = matched {
            tail["numberMatched"] = json!(n);
        }
        let tail = tail.to_string();
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
    operation_id = "ogcFeature",
    description = "One feature by id (an item id such as `HAZ-000001`; a released area is \
                   `ACT-000012.0`).",
    params(("collection" = String, Path, description = "Collection id: `hazards`, \
            `released-areas`, `activities`, `eo-finds`, `accidents` or `risk-education`",
            example = "hazards"),
           ("feature" = String, Path, description = "Feature id", example = "HAZ-000001"),
           ("f" = inline(Option<schemas::OgcFormat>), Query, description = "Output format: `json` (the \
            default) or `html` (also chosen by a browser's `Accept: text/html`)")),
    security((), ("session" = []), ("bearer" = [])),
    responses((status = 200, description = "The feature (GeoJSON, or HTML for `f=html`)",
               content((schemas::Feature = "application/geo+json"), (String = "text/html"))),
              (status = 400, description = "Unknown `f`", body = crate::error::Problem,
               content_type = "application/problem+json"),
              (status = 401, description = "The collection is not public: log in or send a token",
               body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such collection or feature",
               body = crate::error::Problem, content_type = "application/problem+json")))]
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
    let generalised = generalised(&who);
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
            for_each_feature_seen::<_, ApiError>(
                s,
                c.source,
                after.as_deref(),
                generalised,
                &mut |f| {
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
                },
            )?;
            Ok(found)
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no feature `{fid}` in {}", c.id)))?;
    if html {
        return Ok(Html(html::items(c, std::slice::from_ref(&found), None, &base)).into_response());
    }
    let mut doc = found.to_json();
    doc["links"] = json!([
        {"href": format!("{base}/{}", found.id), "rel": "self", "type": GEOJSON, "title": "This feature"},
        {"href": format!("{base}/{}?f=html", found.id), "rel": "alternate", "type": "text/html", "title": "This feature as HTML"},
        {"href": base.trim_end_matches("/items"), "rel": "collection", "type": "application/json", "title": c.title},
    ]);
    Ok(json_with_type(doc, GEOJSON))
}
