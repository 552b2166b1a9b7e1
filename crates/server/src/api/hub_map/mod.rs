//! The regional hub's map (issue 24): vector tiles of what the national nodes share, their
//! TileJSON with each node's extent, and the hazards near a border. Only on a hub database;
//! readers only.
//!
//! * `GET /api/hub/tiles/{z}/{x}/{y}.mvt`: layers `hazards` (node, local_id, name, status,
//!   class, area_m2) and `eo-finds` (node, local_id, category, quantity). Below zoom 12 the
//!   tiny-polygon squares and the one-point-per-pixel thinning are done per node, so every
//!   node with data in a tile is drawn there, however far apart the nodes lie.
//! * `GET /api/hub/tiles.json`: TileJSON 3.0 with the bounds of the region's data and
//!   `nodes`, each node's name, counts and bounds.
//! * `GET /api/hub/border-hazards?within_m=5000`: see [`border`].
//!
//! The layers are built once from the shared records and rebuilt when a node's checkpoint has
//! moved (a bundle was imported). A national viewer gets a map of their own node alone (and so
//! no border pairs): `Principal::node_scope`.

mod border;
mod layers;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

pub use layers::HubMapCache;

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::tiles::{tile_coords, tile_response};

/// The default of `within_m`, metres.
pub const DEFAULT_WITHIN_M: f64 = 5000.0;
/// The largest `within_m` accepted, metres.
pub const MAX_WITHIN_M: f64 = 50_000.0;

/// One vector tile of the hub's map (XYZ scheme), `application/vnd.mapbox-vector-tile`.
#[utoipa::path(get, path = "/api/hub/tiles/{z}/{x}/{y}", tag = "federation", operation_id = "hub_tile",
    params(("z" = u8, Path, description = "Zoom level (0–22)"),
           ("x" = u32, Path, description = "Column, 0 to 2^z − 1 from the antimeridian eastwards"),
           ("y" = String, Path, description = "Row from the north, with `.mvt` (or without)", example = "0.mvt")),
    responses((status = 200, description = "The tile (Mapbox Vector Tile 2.1): layers `hazards` and `eo-finds`",
               content_type = "application/vnd.mapbox-vector-tile", body = Vec<u8>),
              (status = 304, description = "Not modified (If-None-Match)"),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 404, description = "Not a regional hub, or a tile outside the zoom's grid",
               body = crate::error::Problem)))]
pub async fn tile(
    State(state): State<AppState>,
    who: Principal,
    Path((z, x, y)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let (z, x, y) = tile_coords(&z, &x, &y)?;
    let map = layers::map(&state.hub_map, who.node_scope()).await?;
    let tag = format!("\"hub-{}-{z}-{x}-{y}\"", map.tag());
    tile_response(
        &headers,
        &tag,
        "private, max-age=0, must-revalidate",
        move || {
            safeground_tiles::encode_tile(&[map.hazards.as_ref(), map.eo_finds.as_ref()], z, x, y)
                .map_err(|e| ApiError::not_found(e.to_string()))
        },
    )
    .await
}

/// A node on the hub's map.
#[derive(Debug, Serialize, ToSchema)]
pub struct MapNodeDoc {
    /// Node id (`KHM`).
    pub node: String,
    /// The programme's name.
    pub name: String,
    /// Shared hazards with a geometry.
    pub hazards: u64,
    /// Shared EO finds with a location.
    pub eo_finds: u64,
    /// West, south, east, north of its data; null when it shares none.
    pub bounds: Option<[f64; 4]>,
}

/// The hub map's TileJSON 3.0 document, with its nodes.
#[derive(Serialize, ToSchema)]
pub struct HubTileJson {
    /// Always `3.0.0`.
    pub tilejson: &'static str,
    /// `regional hub`.
    pub name: &'static str,
    /// URL template of the tiles.
    pub tiles: Vec<String>,
    /// Lowest zoom.
    pub minzoom: u8,
    /// Highest zoom.
    pub maxzoom: u8,
    /// West, south, east, north of the region's data (the whole world when there is none).
    pub bounds: [f64; 4],
    /// `hazards` and `eo-finds`, with their fields.
    pub vector_layers: Vec<crate::api::schemas::VectorLayer>,
    /// The nodes, by node id.
    pub nodes: Vec<MapNodeDoc>,
}

/// TileJSON 3.0 of the hub's map, with the bounds of the region's data and its nodes.
#[utoipa::path(get, path = "/api/hub/tiles.json", tag = "federation", operation_id = "hub_tilejson",
    responses((status = 200, description = "TileJSON 3.0 (`hazards`, `eo-finds`) with `nodes`: \
               each node's name, counts and bounds", body = HubTileJson),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 404, description = "This programme is not a regional hub",
               body = crate::error::Problem)))]
pub async fn tilejson(
    State(state): State<AppState>,
    who: Principal,
    headers: HeaderMap,
) -> ApiResult<Json<HubTileJson>> {
    who.require(Permission::Read)?;
    let map = layers::map(&state.hub_map, who.node_scope()).await?;
    let base = match &state.config.public_url {
        Some(u) => u.trim_end_matches('/').to_owned(),
        None => crate::tiles::base_url(&headers),
    };
    let vector_layers = layers::HUB_LAYERS
        .iter()
        .map(|(id, fields)| {
            let fields: serde_json::Map<String, Value> = (fields.iter())
                .map(|(k, t)| ((*k).to_owned(), json!(t)))
                .collect();
            crate::api::schemas::VectorLayer {
                id: (*id).to_owned(),
                fields: Value::Object(fields),
            }
        })
        .collect();
    let nodes: Vec<MapNodeDoc> = (map.nodes.iter())
        .map(|n| MapNodeDoc {
            node: n.node.clone(),
            name: n.name.clone(),
            hazards: n.hazards,
            eo_finds: n.eo_finds,
            bounds: n.bounds,
        })
        .collect();
    Ok(Json(HubTileJson {
        tilejson: "3.0.0",
        name: "regional hub",
        tiles: vec![format!("{base}/api/hub/tiles/{{z}}/{{x}}/{{y}}.mvt")],
        minzoom: 0,
        maxzoom: 22,
        bounds: map.bounds().unwrap_or([-180.0, -85.0511, 180.0, 85.0511]),
        vector_layers,
        nodes,
    }))
}

/// Query of `GET /api/hub/border-hazards`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BorderParams {
    /// Metres (default 5,000; at most 50,000).
    within_m: Option<f64>,
}

/// A hazard within the distance of another node's hazard.
#[derive(Debug, Serialize, ToSchema)]
pub struct BorderHazard {
    /// The node sharing the hazard.
    pub node: String,
    /// Its local id at that node.
    pub local_id: String,
    /// Its name.
    pub name: String,
    /// The other node.
    pub other_node: String,
    /// The other node's nearest hazard: its local id.
    pub other_local_id: String,
    /// Its name.
    pub other_name: String,
    /// Geodesic distance between the two polygons, whole metres (0: they meet).
    pub distance_m: f64,
}

/// The border report.
#[derive(Debug, Serialize, ToSchema)]
pub struct BorderHazards {
    /// The distance asked for, metres.
    pub within_m: f64,
    /// One row per hazard and other node with a hazard that near (the nearest), by distance.
    pub hazards: Vec<BorderHazard>,
}

/// Hazards near a border: each shared hazard with a hazard of another node within `within_m`
/// metres (geodesic distance between the polygons), with that node's nearest hazard.
#[utoipa::path(get, path = "/api/hub/border-hazards", tag = "federation",
    operation_id = "hub_border_hazards", params(BorderParams),
    responses((status = 200, description = "The pairs, by distance", body = BorderHazards),
              (status = 422, description = "within_m not a distance from 0 to 50,000 m, or an \
               unknown parameter",
               body = crate::error::Problem),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 404, description = "This programme is not a regional hub",
               body = crate::error::Problem)))]
pub async fn border_hazards(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<BorderHazards>> {
    who.require(Permission::Read)?;
    let p: BorderParams = super::params::query(q.as_deref())?;
    let within_m = p.within_m.unwrap_or(DEFAULT_WITHIN_M);
    if !(0.0..=MAX_WITHIN_M).contains(&within_m) {
        return Err(ApiError::field(
            "within_m",
            format!("{within_m} is not a distance from 0 to 50000 metres: give one in that range"),
        ));
    }
    let map = layers::map(&state.hub_map, who.node_scope()).await?;
    let hazards = tokio::task::spawn_blocking(move || {
        border::border_pairs(&map.shapes, within_m)
            .into_iter()
            .map(|p| BorderHazard {
                node: p.hazard.node.clone(),
                local_id: p.hazard.local_id.clone(),
                name: p.hazard.name.clone(),
                other_node: p.other.node.clone(),
                other_local_id: p.other.local_id.clone(),
                other_name: p.other.name.clone(),
                distance_m: p.distance_m.round(),
            })
            .collect()
    })
    .await
    .map_err(ApiError::internal)?;
    Ok(Json(BorderHazards { within_m, hazards }))
}
