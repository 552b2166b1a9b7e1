//! Offline map packs: an area's hazards, released areas and EO finds, with the programme's
//! vector basemap when the server has one, in one PMTiles file the field app keeps on the
//! device (`GET /api/tiles/pack`, `safeground tiles pack`). Accidents are never packed: a
//! device may be lost.

use std::io::Cursor;
use std::path::Path;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use safeground_store::Backend;
use safeground_tile_pack::{Area, Basemap, PackError, PackSummary, pack};
use safeground_tiles::LayerIndex;
use serde::Deserialize;

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The layers a pack carries.
pub const PACKED_LAYERS: [&str; 3] = ["hazards", "released-areas", "eo-finds"];
/// Highest zoom of a pack unless asked otherwise (a 20 m hazard is a few pixels wide).
pub const DEFAULT_MAX_ZOOM: u8 = 16;

/// Why a pack could not be made.
#[derive(Debug, thiserror::Error)]
pub enum OfflineMapError {
    /// The programme's layers could not be read.
    #[error("{0}")]
    Store(ApiError),
    /// The area, zooms or basemap are unusable, or the pack could not be written.
    #[error(transparent)]
    Pack(#[from] PackError),
}

impl From<OfflineMapError> for ApiError {
    /// Area and zoom problems are the client's (422 naming the parameter); a basemap the
    /// server was given that cannot be used is the server's (logged, answered without detail).
    fn from(e: OfflineMapError) -> Self {
        match e {
            OfflineMapError::Store(e) => e,
            OfflineMapError::Pack(e) => match e {
                PackError::Area { .. } | PackError::TooManyTiles { .. } => {
                    ApiError::field("bbox", e.to_string())
                }
                PackError::Zooms { .. } => ApiError::field("maxzoom", e.to_string()),
                other => ApiError::internal(other),
            },
        }
    }
}

/// Packs `store`'s layers over `area` (zooms 0..=`max_zoom`) with the basemap file, if any.
pub fn pack_programme(
    store: &dyn Backend,
    area: &Area,
    max_zoom: u8,
    basemap: Option<&Path>,
    out: &mut (impl std::io::Write + std::io::Seek),
) -> Result<PackSummary, OfflineMapError> {
    let layers = crate::tiles::build_layers(store).map_err(OfflineMapError::Store)?;
    let chosen: Vec<&LayerIndex> = PACKED_LAYERS
        .iter()
        .filter_map(|name| layers.get(name).map(AsRef::as_ref))
        .collect();
    let basemap = basemap.map(Basemap::open).transpose()?;
    Ok(pack(&chosen, basemap.as_ref(), area, 0, max_zoom, out)?)
}

/// The area and zooms of a pack.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PackParams {
    /// `minlon,minlat,maxlon,maxlat`, WGS 84 degrees.
    bbox: String,
    /// Highest zoom (default 16, at most 18).
    maxzoom: Option<u8>,
}

/// An offline map of an area as one PMTiles file: the programme's hazards, released areas and
/// EO finds (and its vector basemap when the server has one), zooms 0 to `maxzoom`.
#[utoipa::path(get, path = "/api/tiles/pack", operation_id = "offline_map_pack", tag = "tiles",
    params(PackParams),
    responses((status = 200, description = "A PMTiles v3 archive of vector tiles",
               content_type = "application/vnd.pmtiles", body = Vec<u8>),
              (status = 401, body = crate::error::Problem),
              (status = 422, description = "The area or zoom is unusable, or needs too many tiles",
               body = crate::error::Problem)))]
pub async fn download(
    State(state): State<AppState>,
    who: Principal,
    Query(q): Query<PackParams>,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let area: Area = q
        .bbox
        .parse()
        .map_err(|e: PackError| ApiError::from(OfflineMapError::from(e)))?;
    let max_zoom = q.maxzoom.unwrap_or(DEFAULT_MAX_ZOOM);
    let basemap = state.config.offline_basemap.clone();
    let name = format!(
        "safeground-{:.3}_{:.3}_{:.3}_{:.3}.pmtiles",
        area.min_lon, area.min_lat, area.max_lon, area.max_lat
    );
    let bytes = state
        .db
        .read(move |s| {
            let mut out = Cursor::new(Vec::new());
            pack_programme(s, &area, max_zoom, basemap.as_deref(), &mut out)
                .map_err(ApiError::from)?;
            Ok(out.into_inner())
        })
        .await?;
    let mut resp = crate::api::download(bytes, "application/vnd.pmtiles", name);
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(resp)
}
