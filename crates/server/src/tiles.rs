//! Vector tiles (MVT 2.1) of hazards, released areas and EO finds, with TileJSON. Layers are
//! prepared once from the store and rebuilt when an approval has changed the data; tiles carry
//! an ETag so that clients revalidate cheaply. No personal data ever reaches a tile.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use geo_types::Geometry;
use safeground_io::quasi;
use safeground_model::{ItemKind, Record};
use safeground_store::{Backend, Flow};
use safeground_tiles::{LayerIndex, PropertyValue, TileFeature, encode_tile};
use serde_json::{Value, json};

use crate::auth::{MaybePrincipal, Permission};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The tile layers served, with the properties each carries and their TileJSON types.
pub const LAYERS: [(&str, &[(&str, &str)]); 4] = [
    (
        "hazards",
        &[
            ("id", "String"),
            ("class", "String"),
            ("status", "String"),
            ("admin_pcode", "String"),
            ("organisation", "String"),
            ("original_m2", "Number"),
            ("cancelled_m2", "Number"),
            ("reduced_m2", "Number"),
            ("cleared_m2", "Number"),
            ("remaining_m2", "Number"),
            ("date", "String"),
        ],
    ),
    (
        "released-areas",
        &[
            ("id", "String"),
            ("activity", "String"),
            ("hazard", "String"),
            ("activity_type", "String"),
            ("status", "String"),
            ("method", "String"),
            ("asset", "String"),
            ("area_m2", "Number"),
            ("date", "String"),
        ],
    ),
    (
        "eo-finds",
        &[
            ("id", "String"),
            ("category", "String"),
            ("model", "String"),
            ("quantity", "Number"),
            ("found_date", "String"),
        ],
    ),
    (
        "accidents",
        &[
            ("id", "String"),
            ("date", "String"),
            ("device_category", "String"),
            ("admin_pcode", "String"),
        ],
    ),
];

/// The key of the exact accidents layer, served as `accidents` to readers with victim access.
const EXACT_ACCIDENTS: &str = "accidents (exact)";

/// How often the store is asked whether data changed (changes through this server's API are
/// seen at once).
const RECHECK: Duration = Duration::from_secs(2);

struct Built {
    generation: i64,
    checked: Instant,
    layers: HashMap<&'static str, Arc<LayerIndex>>,
}

/// The prepared tile layers, rebuilt when the data change.
#[derive(Clone)]
pub struct TileCache {
    db: Db,
    built: Arc<RwLock<Option<Arc<Built>>>>,
    stale: Arc<AtomicBool>,
    rebuild: Arc<tokio::sync::Mutex<()>>,
}

/// Numeric part of an item id (`HAZ-000123` → 123), the MVT feature id.
fn numeric_id(item: &str) -> u64 {
    item.rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn s(v: &str) -> PropertyValue {
    PropertyValue::String(v.to_owned())
}

pub(crate) fn build_layers(
    store: &dyn Backend,
) -> ApiResult<HashMap<&'static str, Arc<LayerIndex>>> {
    let mut hazards = Vec::new();
    store.for_each_hazard_state(None, &mut |h| {
        if let Some(g) = h.geometry {
            let mut props = vec![
                ("id", s(&h.item)),
                ("class", s(h.class.code())),
                ("status", s(h.status.code())),
                ("original_m2", PropertyValue::Double(h.original_m2.round())),
                (
                    "cancelled_m2",
                    PropertyValue::Double(h.cancelled_m2.round()),
                ),
                ("reduced_m2", PropertyValue::Double(h.reduced_m2.round())),
                ("cleared_m2", PropertyValue::Double(h.cleared_m2.round())),
                (
                    "remaining_m2",
                    PropertyValue::Double(h.remaining_m2.round()),
                ),
            ];
            if let Some(a) = &h.admin_pcode {
                props.push(("admin_pcode", s(a)));
            }
            if let Some(o) = &h.organisation {
                props.push(("organisation", s(o)));
            }
            hazards.push(TileFeature {
                id: numeric_id(&h.item),
                geometry: Geometry::MultiPolygon(g),
                properties: props,
            });
        }
        Ok(Flow::Continue)
    })?;
    let mut released = Vec::new();
    store.for_each_current(ItemKind::Activity, None, &mut |v| {
        if let Record::Activity(a) = v.record {
            for (i, r) in a.released_areas.into_iter().enumerate() {
                let mut props = vec![
                    ("id", s(&format!("{}.{i}", v.item))),
                    ("activity", s(&v.item)),
                    ("activity_type", s(a.activity_type.code())),
                    ("status", s(a.status.code())),
                    ("method", s(r.method.code())),
                    (
                        "area_m2",
                        PropertyValue::Double(safeground_geo::geodesic_area(&r.geometry).round()),
                    ),
                ];
                if let Some(h) = &a.hazard {
                    props.push(("hazard", s(h)));
                }
                if let Some(asset) = r.asset_type {
                    props.push(("asset", s(asset.code())));
                }
                if let Some(d) = a.end_date.or(a.start_date) {
                    props.push(("date", s(&d.to_string())));
                }
                released.push(TileFeature {
                    id: numeric_id(&v.item) * 1000 + i as u64,
                    geometry: Geometry::MultiPolygon(r.geometry),
                    properties: props,
                });
            }
        }
        Ok(Flow::Continue)
    })?;
    let mut finds = Vec::new();
    store.for_each_current(ItemKind::EoFind, None, &mut |v| {
        if let Record::EoFind(e) = v.record
            && let Some(p) = e.location
        {
            let mut props = vec![
                ("id", s(&v.item)),
                ("category", s(e.category.code())),
                ("quantity", PropertyValue::Int(i64::from(e.quantity))),
            ];
            if let Some(m) = &e.model {
                props.push(("model", s(m)));
            }
            if let Some(d) = e.found_date {
                props.push(("found_date", s(&d.to_string())));
            }
            finds.push(TileFeature {
                id: numeric_id(&v.item),
                geometry: Geometry::Point(p),
                properties: props,
            });
        }
        Ok(Flow::Continue)
    })?;
    // Accidents twice: exact for readers with victim access, and generalised (month, point on
    // the 0.01° grid) for everyone else, as the API and OGC collections give them.
    let (mut accidents, mut generalised) = (Vec::new(), Vec::new());
    store.for_each_current(ItemKind::Accident, None, &mut |v| {
        if let Record::Accident(a) = v.record
            && let Some(p) = a.location
        {
            // Where and when, with the device: never who (victims live apart).
            let mut props = vec![("id", s(&v.item))];
            if let Some(c) = a.device_category {
                props.push(("device_category", s(c.code())));
            }
            if let Some(pc) = &a.admin_pcode {
                props.push(("admin_pcode", s(pc)));
            }
            let mut coarse = props.clone();
            if let Some(d) = a.date {
                props.push(("date", s(&d.to_string())));
                coarse.push(("date", s(&d.format("%Y-%m").to_string())));
            }
            let id = numeric_id(&v.item);
            let (x, y) = (quasi::grid(p.x()), quasi::grid(p.y()));
            generalised.push(TileFeature {
                id,
                geometry: Geometry::Point(geo_types::Point::new(x, y)),
                properties: coarse,
            });
            accidents.push(TileFeature {
                id,
                geometry: Geometry::Point(p),
                properties: props,
            });
        }
        Ok(Flow::Continue)
    })?;
    let mut layers = HashMap::new();
    layers.insert(
        "accidents",
        Arc::new(LayerIndex::new("accidents", generalised)),
    );
    layers.insert(
        EXACT_ACCIDENTS,
        Arc::new(LayerIndex::new("accidents", accidents)),
    );
    layers.insert("hazards", Arc::new(LayerIndex::new("hazards", hazards)));
    layers.insert(
        "released-areas",
        Arc::new(LayerIndex::new("released-areas", released)),
    );
    layers.insert("eo-finds", Arc::new(LayerIndex::new("eo-finds", finds)));
    Ok(layers)
}

impl TileCache {
    /// An empty cache over a database; layers are built on first use.
    pub fn new(db: Db) -> Self {
        TileCache {
            db,
            built: Arc::new(RwLock::new(None)),
            stale: Arc::new(AtomicBool::new(true)),
            rebuild: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// Marks the layers for a check against the store (after an approval).
    pub fn invalidate(&self) {
        self.stale.store(true, Ordering::Release);
    }

    fn current(&self) -> Option<Arc<Built>> {
        self.built.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The layers, rebuilt first if the data changed.
    async fn layers(&self) -> ApiResult<Arc<Built>> {
        if let Some(b) = self.current()
            && !self.stale.load(Ordering::Acquire)
            && b.checked.elapsed() < RECHECK
        {
            return Ok(b);
        }
        let _guard = self.rebuild.lock().await;
        let existing = self.current();
        if let Some(b) = &existing
            && !self.stale.load(Ordering::Acquire)
            && b.checked.elapsed() < RECHECK
        {
            return Ok(b.clone());
        }
        self.stale.store(false, Ordering::Release);
        let previous = existing.as_ref().map(|b| b.generation);
        let fresh = self
            .db
            .read(move |s| {
                let generation = s.last_change()?;
                if previous == Some(generation) {
                    return Ok((generation, None));
                }
                let started = Instant::now();
                let layers = build_layers(s)?;
                tracing::info!(
                    generation,
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "tile layers built"
                );
                Ok((generation, Some(layers)))
            })
            .await?;
        let built = match (fresh, existing) {
            ((generation, Some(layers)), _) => Arc::new(Built {
                generation,
                checked: Instant::now(),
                layers,
            }),
            ((generation, None), Some(old)) => Arc::new(Built {
                generation,
                checked: Instant::now(),
                layers: old.layers.clone(),
            }),
            ((_, None), None) => return Err(ApiError::internal("tile layers missing")),
        };
        *self.built.write().unwrap_or_else(|p| p.into_inner()) = Some(built.clone());
        Ok(built)
    }
}

fn check_access(state: &AppState, who: &MaybePrincipal, layer: &str) -> ApiResult<()> {
    if state.is_public(layer) {
        return Ok(());
    }
    match &who.0 {
        Some(p) => p.require(Permission::Read),
        None => Err(ApiError::unauthenticated()),
    }
}

fn known_layer(layer: &str) -> ApiResult<&'static str> {
    LAYERS
        .iter()
        .map(|(name, _)| *name)
        .find(|n| *n == layer)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "no tile layer `{layer}`; layers: hazards, released-areas, eo-finds, accidents"
            ))
        })
}

/// One vector tile (XYZ scheme), `application/vnd.mapbox-vector-tile`.
#[utoipa::path(get, path = "/tiles/{layer}/{z}/{x}/{y}", tag = "tiles",
    params(("layer" = String, Path, description = "hazards, released-areas or eo-finds"),
           ("z" = u8, Path, description = "Zoom level (0–22 in the TileJSON)"),
           ("x" = u32, Path, description = "Column, 0 to 2^z − 1 from the antimeridian eastwards"),
           ("y" = String, Path, description = "Row from the north, with `.mvt` (or `.pbf`)", example = "0.mvt")),
    responses((status = 200, description = "The tile (Mapbox Vector Tile 2.1)",
               content_type = "application/vnd.mapbox-vector-tile", body = Vec<u8>),
              (status = 304, description = "Not modified (If-None-Match)"),
              (status = 401, description = "The layer is not public: log in or send a token",
               body = crate::error::Problem),
              (status = 404, description = "No such layer, or a tile outside the zoom's grid",
               body = crate::error::Problem)))]
pub async fn tile(
    State(state): State<AppState>,
    who: MaybePrincipal,
    Path((layer, z, x, y)): Path<(String, String, String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let layer = known_layer(&layer)?;
    check_access(&state, &who, layer)?;
    let (z, x, y) = tile_coords(&z, &x, &y)?;
    let built = state.tiles.layers().await?;
    let exact = layer == "accidents" && who.0.as_ref().is_some_and(crate::api::quasi::exact);
    let key = if exact { EXACT_ACCIDENTS } else { layer };
    let tag = format!("\"g{}-{key}-{z}-{x}-{y}\"", built.generation);
    let cache_control = if state.is_public(layer) {
        "public, max-age=0, must-revalidate"
    } else {
        "private, max-age=0, must-revalidate"
    };
    let index = built.layers.get(key).cloned();
    tile_response(&headers, &tag, cache_control, move || {
        let index = index.ok_or_else(|| ApiError::internal("layer not built"))?;
        encode_tile(&[&index], z, x, y).map_err(|e| ApiError::not_found(e.to_string()))
    })
    .await
}

/// The zoom, column and row of a tile's path (the row with `.mvt` or `.pbf`, or without); 404
/// for one that is not a number.
pub(crate) fn tile_coords(z: &str, x: &str, y: &str) -> ApiResult<(u8, u32, u32)> {
    let coord = |v: &str, name: &str| {
        v.parse::<u32>()
            .map_err(|_| ApiError::not_found(format!("tile {name} `{v}` is not a number")))
    };
    let z = u8::try_from(coord(z, "z")?).map_err(|_| ApiError::not_found("zoom out of range"))?;
    let y = (y.strip_suffix(".mvt"))
        .or_else(|| y.strip_suffix(".pbf"))
        .unwrap_or(y);
    Ok((z, coord(x, "x")?, coord(y, "y")?))
}

/// Answers a tile request: 304 when `If-None-Match` names `tag`, otherwise the tile `encode`
/// writes (on a blocking thread), each with the ETag `tag` and `cache_control`.
pub(crate) async fn tile_response(
    headers: &HeaderMap,
    tag: &str,
    cache_control: &str,
    encode: impl FnOnce() -> ApiResult<Vec<u8>> + Send + 'static,
) -> ApiResult<Response> {
    let mut resp = if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let bytes = tokio::task::spawn_blocking(encode)
            .await
            .map_err(ApiError::internal)??;
        let mut resp = bytes.into_response();
        insert(
            &mut resp,
            header::CONTENT_TYPE,
            "application/vnd.mapbox-vector-tile",
        );
        resp
    };
    insert(&mut resp, header::ETAG, tag);
    insert(&mut resp, header::CACHE_CONTROL, cache_control);
    Ok(resp)
}

fn insert(resp: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().insert(name, v);
    }
}

/// Base URL of this server as the client reached it.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("http");
    format!("{proto}://{host}")
}

/// TileJSON 3.0 of a layer.
#[utoipa::path(get, path = "/tiles/{layer}", tag = "tiles",
    params(("layer" = String, Path, description = "layer name, with `.json`")),
    responses((status = 200, description = "The layer's TileJSON", body = crate::api::TileJson),
              (status = 401, description = "The layer is not public: log in or send a token",
               body = crate::error::Problem),
              (status = 404, description = "No such layer", body = crate::error::Problem)))]
pub async fn tilejson(
    State(state): State<AppState>,
    who: MaybePrincipal,
    Path(layer): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    let name = layer.strip_suffix(".json").unwrap_or(&layer);
    let layer = known_layer(name)?;
    check_access(&state, &who, layer)?;
    let built = state.tiles.layers().await?;
    let index = built.layers.get(layer);
    let fields: serde_json::Map<String, Value> = LAYERS
        .iter()
        .find(|(n, _)| *n == layer)
        .map(|(_, f)| f.iter().map(|(k, t)| ((*k).to_owned(), json!(t))).collect())
        .unwrap_or_default();
    Ok(Json(json!({
        "tilejson": "3.0.0",
        "name": layer,
        "tiles": [format!("{}/tiles/{layer}/{{z}}/{{x}}/{{y}}.mvt", base_url(&headers))],
        "minzoom": 0,
        "maxzoom": 22,
        "bounds": index.and_then(|i| i.bounds()).unwrap_or([-180.0, -85.0511, 180.0, 85.0511]),
        "vector_layers": [{ "id": layer, "fields": fields }],
    })))
}
