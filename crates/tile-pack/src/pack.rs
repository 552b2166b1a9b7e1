//! Writing a pack: the tiles covering the area at every zoom, in tile-id order, each the
//! programme layers merged with the basemap's tile, into a PMTiles v3 archive.

use std::io::{Seek, SeekFrom, Write};

use pmtiles::{Compression, PmTilesWriter, TileCoord, TileType};
use safeground_tiles::{LayerIndex, MAX_ZOOM, encode_tile};
use serde_json::json;

use crate::area::tile_id;
use crate::{Area, Basemap, MAX_TILES, PackError, mvt};

/// What a pack holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackSummary {
    /// Tiles written (non-empty; identical tiles stored once count each time).
    pub tiles: u64,
    /// Size of the archive in bytes.
    pub bytes: u64,
    /// Zoom range `(min, max)` of the pack.
    pub zooms: (u8, u8),
    /// Tiles that hold basemap layers.
    pub basemap_tiles: u64,
}

/// Writes the pack of `area` at zooms `min_zoom..=max_zoom` to `out`, which must be empty
/// (a new file or an empty buffer): the archive is written from position 0.
///
/// Each tile covering the area (XYZ) is `layers` encoded by [`encode_tile`], followed by the
/// layers of `basemap`'s tile at the same z/x/y (up to the basemap's highest zoom; a basemap
/// layer named like a programme layer is left out). Empty tiles are left out, identical tiles
/// are stored once (runs share one copy), tiles are gzip-compressed Mapbox Vector Tiles, and
/// the metadata names the layers present (`vector_layers`) and the basemap's attribution.
///
/// # Errors
/// [`PackError::Area`] or [`PackError::Zooms`] for invalid input, [`PackError::TooManyTiles`]
/// when the area needs more than [`MAX_TILES`] tiles, [`PackError::Basemap`] when a basemap tile
/// cannot be read or is not a vector tile, [`PackError::Write`] or [`PackError::Output`] when
/// `out` fails.
pub fn pack(
    layers: &[&LayerIndex],
    basemap: Option<&Basemap>,
    area: &Area,
    min_zoom: u8,
    max_zoom: u8,
    out: &mut (impl Write + Seek),
) -> Result<PackSummary, PackError> {
    check(area, min_zoom, max_zoom)?;
    let mut coords = Vec::new();
    for z in min_zoom..=max_zoom {
        let range = area.tiles(z);
        for x in range.x0..=range.x1 {
            for y in range.y0..=range.y1 {
                coords.push((tile_id(z, x, y)?, z, x, y));
            }
        }
    }
    coords.sort_unstable_by_key(|c| c.0);

    let mut writer = PmTilesWriter::new(TileType::Mvt)
        .tile_compression(Compression::Gzip)
        .internal_compression(Compression::Gzip)
        .min_zoom(min_zoom)
        .max_zoom(max_zoom)
        .bounds(area.min_lon, area.min_lat, area.max_lon, area.max_lat)
        .center(
            (area.min_lon + area.max_lon) / 2.0,
            (area.min_lat + area.max_lat) / 2.0,
        )
        .center_zoom(min_zoom)
        .create(&mut *out)?;
    let mut names: Vec<String> = Vec::new();
    let (mut tiles, mut basemap_tiles) = (0u64, 0u64);
    for (_, z, x, y) in coords {
        let programme = encode_tile(layers, z, x, y)?;
        let base = match basemap {
            Some(basemap) => basemap.tile(z, x, y)?,
            None => None,
        };
        let tile = match (base, basemap) {
            (Some(base), Some(basemap)) if !base.is_empty() => {
                let merged = mvt::merge(&programme, &base).map_err(|reason| PackError::Basemap {
                    path: basemap.path().to_path_buf(),
                    reason: format!(
                        "tile {z}/{x}/{y} is not a Mapbox Vector Tile ({reason}): give a vector \
                         basemap (OpenMapTiles-style MBTiles or PMTiles v3)"
                    ),
                })?;
                if merged.len() > programme.len() {
                    basemap_tiles += 1;
                }
                merged
            }
            _ => programme,
        };
        if tile.is_empty() {
            continue;
        }
        // Both parts were scanned by `merge` or written by `encode_tile`: the scan succeeds.
        for layer in mvt::layers(&tile).unwrap_or_default() {
            if !names.contains(&layer.name) {
                names.push(layer.name);
            }
        }
        writer.add_tile(TileCoord::new(z, x, y)?, &tile)?;
        tiles += 1;
    }
    writer.set_metadata(metadata(area, min_zoom, max_zoom, &names, basemap).to_string());
    writer.finalize()?;
    let bytes = out.seek(SeekFrom::End(0))?;
    Ok(PackSummary {
        tiles,
        bytes,
        zooms: (min_zoom, max_zoom),
        basemap_tiles,
    })
}

/// Checks the area, the zoom range and that the tiles needed are at most [`MAX_TILES`].
///
/// # Errors
/// [`PackError::Area`], [`PackError::Zooms`] or [`PackError::TooManyTiles`].
pub(crate) fn check(area: &Area, min_zoom: u8, max_zoom: u8) -> Result<(), PackError> {
    area.check()?;
    if min_zoom > max_zoom || max_zoom > MAX_ZOOM {
        return Err(PackError::Zooms {
            min: min_zoom,
            max: max_zoom,
            limit: MAX_ZOOM,
        });
    }
    let needed = area.tile_count(min_zoom, max_zoom);
    if needed > MAX_TILES {
        return Err(too_many(area, min_zoom, max_zoom, needed));
    }
    Ok(())
}

/// The archive's metadata (TileJSON fields).
fn metadata(
    area: &Area,
    min_zoom: u8,
    max_zoom: u8,
    names: &[String],
    basemap: Option<&Basemap>,
) -> serde_json::Value {
    let layers: Vec<serde_json::Value> = names
        .iter()
        .map(|id| json!({ "id": id, "fields": {} }))
        .collect();
    let mut metadata = json!({
        "name": format!("Safeground offline pack {area}"),
        "format": "pbf",
        "type": "overlay",
        "generator": "safeground",
        "minzoom": min_zoom,
        "maxzoom": max_zoom,
        "bounds": [area.min_lon, area.min_lat, area.max_lon, area.max_lat],
        "vector_layers": layers,
    });
    if let Some(attribution) = basemap.and_then(Basemap::attribution) {
        metadata["attribution"] = json!(attribution);
    }
    metadata
}

/// The refusal of an area that needs `needed` tiles, with the highest max zoom that fits.
fn too_many(area: &Area, min_zoom: u8, max_zoom: u8, needed: u64) -> PackError {
    let fits = (min_zoom..max_zoom)
        .rev()
        .find(|&z| area.tile_count(min_zoom, z) <= MAX_TILES);
    let advice = match fits {
        Some(z) => format!(
            "give a max zoom of at most {z} ({} tiles) or a smaller area",
            area.tile_count(min_zoom, z)
        ),
        None => format!(
            "give a smaller area (zoom {min_zoom} alone needs {} tiles) or a lower min zoom",
            area.tile_count(min_zoom, min_zoom)
        ),
    };
    PackError::TooManyTiles {
        tiles: needed,
        limit: MAX_TILES,
        min_zoom,
        max_zoom,
        advice,
    }
}
