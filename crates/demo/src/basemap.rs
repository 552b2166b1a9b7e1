//! The demo's own vector basemap, as a programme without one would make it from its GeoJSON
//! layers: `boundary` (the admin areas' outlines), `transportation` (the national roads of the
//! planning demo) and `place` (its villages), in OpenMapTiles' layer names, written as an
//! MBTiles file over the programme's extent for offline map packs.

use std::path::Path;

use geo_types::{Geometry, LineString, MultiLineString};
use safeground_model::{ItemKind, Record};
use safeground_store::{Flow, ProgrammeStore, StoreError};
use safeground_tile_pack::{Area, PackError, PackSummary, geojson_layer, write_mbtiles};
use safeground_tiles::{LayerIndex, PropertyValue, TileFeature};

use crate::planning::{ROADS, settlements};

/// The attribution written into the demo's basemap.
pub const ATTRIBUTION: &str = "Safeground demo (synthetic)";
/// The highest zoom of the demo's basemap (zoom 0 is the lowest).
pub const MAX_ZOOM: u8 = 12;

/// Why the demo's basemap could not be written.
#[derive(Debug, thiserror::Error)]
pub enum BasemapError {
    /// The admin areas could not be read.
    #[error("the demo's admin areas cannot be read: {0}")]
    Store(#[from] StoreError),
    /// A layer could not be read, or the file could not be written.
    #[error("the demo's basemap: {0}")]
    Pack(#[from] PackError),
}

/// Writes the demo's basemap of `store`'s programme to the MBTiles file `path` (replaced):
/// layers `boundary`, `transportation` and `place` over the programme's extent (its admin
/// areas, roads and villages) at zooms 0 to [`MAX_ZOOM`], attributed [`ATTRIBUTION`].
///
/// # Errors
/// [`BasemapError::Store`] when the admin areas cannot be read, [`BasemapError::Pack`] when
/// the file cannot be written.
pub fn write_basemap<S: ProgrammeStore + ?Sized>(
    store: &S,
    path: &Path,
) -> Result<PackSummary, BasemapError> {
    let (villages, _) = settlements();
    let layers = [
        LayerIndex::new("boundary", outlines(store)?),
        geojson_layer("transportation", ROADS)?,
        geojson_layer("place", &villages)?,
    ];
    let [mut w, mut s, mut e, mut n]: [f64; 4] = [180.0, 90.0, -180.0, -90.0];
    for [lw, ls, le, ln] in layers.iter().filter_map(LayerIndex::bounds) {
        (w, s, e, n) = (w.min(lw), s.min(ls), e.max(le), n.max(ln));
    }
    let area = Area::new(w, s, e, n)?;
    let refs: Vec<&LayerIndex> = layers.iter().collect();
    Ok(write_mbtiles(
        &refs,
        &area,
        0,
        MAX_ZOOM,
        path,
        Some(ATTRIBUTION),
    )?)
}

/// The outlines (rings as lines) of the admin areas with a boundary, with their `name`,
/// `pcode` and OpenMapTiles' `admin_level` (2 for the country, 4 for a province, …).
fn outlines<S: ProgrammeStore + ?Sized>(store: &S) -> Result<Vec<TileFeature>, StoreError> {
    let mut features = Vec::new();
    store.for_each_current(ItemKind::AdminArea, None, &mut |v| {
        if let Record::AdminArea(area) = v.record
            && let Some(geometry) = area.geometry
        {
            let rings: Vec<LineString<f64>> = geometry
                .into_iter()
                .flat_map(|p| {
                    let (exterior, interiors) = p.into_inner();
                    std::iter::once(exterior).chain(interiors)
                })
                .collect();
            features.push(TileFeature {
                id: features.len() as u64 + 1,
                geometry: Geometry::MultiLineString(MultiLineString(rings)),
                properties: vec![
                    ("name", PropertyValue::String(area.name)),
                    ("pcode", PropertyValue::String(area.pcode)),
                    (
                        "admin_level",
                        PropertyValue::Int(2 + 2 * i64::from(area.level)),
                    ),
                ],
            });
        }
        Ok(Flow::Continue)
    })?;
    Ok(features)
}
