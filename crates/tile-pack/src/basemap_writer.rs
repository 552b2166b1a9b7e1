//! Writing a programme's own vector basemap (its admin boundaries, roads, settlements, … as
//! [`LayerIndex`]es) as an MBTiles 1.3 file that [`Basemap::open`](crate::Basemap::open) reads
//! and packs merge.

use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use rusqlite::{Connection, params};
use safeground_tiles::{LayerIndex, encode_tile};
use serde_json::json;

use crate::pack::check;
use crate::{Area, PackError, PackSummary, mvt};

/// SQLite schema of MBTiles 1.3 (`tiles` as a plain table).
const SCHEMA: &str = "
    PRAGMA journal_mode = OFF;
    PRAGMA synchronous = OFF;
    CREATE TABLE metadata (name TEXT NOT NULL, value TEXT);
    CREATE UNIQUE INDEX name ON metadata (name);
    CREATE TABLE tiles (zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL,
                        tile_row INTEGER NOT NULL, tile_data BLOB NOT NULL);
    CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);";

/// Where and at which zooms a layer has features, and its fields.
struct Seen {
    name: String,
    fields: mvt::Fields,
    zooms: (u8, u8),
}

/// Writes `layers` over `area` at zooms `min_zoom..=max_zoom` to the vector MBTiles 1.3 file
/// `path` (replaced if it exists).
///
/// Each tile covering the area is the layers encoded by [`encode_tile`], gzip-compressed, at
/// its TMS row; empty tiles are left out. The metadata holds `name`, `format` (`pbf`),
/// `bounds`, `center`, `minzoom`, `maxzoom`, `type` (`baselayer`), `attribution` when given,
/// and `json` with the `vector_layers` present (their fields and zooms). The file is written
/// beside `path` under a temporary name and renamed when complete: a failure leaves no file at
/// `path`. Every tile written is a basemap tile (`basemap_tiles` = `tiles` in the summary).
///
/// # Errors
/// [`PackError::Area`], [`PackError::Zooms`] or [`PackError::TooManyTiles`] (more than
/// [`MAX_TILES`](crate::MAX_TILES)) for unusable input, [`PackError::Tile`] when a tile cannot
/// be encoded, [`PackError::MbTiles`] or [`PackError::Save`] when the file cannot be written.
pub fn write_mbtiles(
    layers: &[&LayerIndex],
    area: &Area,
    min_zoom: u8,
    max_zoom: u8,
    path: &Path,
    attribution: Option<&str>,
) -> Result<PackSummary, PackError> {
    check(area, min_zoom, max_zoom)?;
    let save = |reason: String| PackError::Save {
        path: path.to_path_buf(),
        reason,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".safeground-basemap-").suffix(".partial");
    // Readable like any new file (the umask applies), not by its owner only.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let partial = builder.tempfile_in(dir).map_err(|e| save(e.to_string()))?;
    let mut db = Connection::open(partial.path())?;
    db.execute_batch(SCHEMA)?;
    let tx = db.transaction()?;
    let mut seen: Vec<Seen> = Vec::new();
    let mut tiles = 0u64;
    {
        let mut insert = tx.prepare("INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)")?;
        for z in min_zoom..=max_zoom {
            let range = area.tiles(z);
            for x in range.x0..=range.x1 {
                for y in range.y0..=range.y1 {
                    let tile = encode_tile(layers, z, x, y)?;
                    if tile.is_empty() {
                        continue;
                    }
                    note_layers(&mut seen, &tile, z);
                    let row = (1i64 << z) - 1 - i64::from(y);
                    insert.execute(params![z, x, row, gzip(&tile)?])?;
                    tiles += 1;
                }
            }
        }
    }
    let mut put = tx.prepare("INSERT INTO metadata VALUES (?1, ?2)")?;
    for (name, value) in metadata(layers, &seen, area, min_zoom, max_zoom, attribution) {
        put.execute(params![name, value])?;
    }
    drop(put);
    tx.commit()?;
    db.close().map_err(|(_, e)| e)?;
    partial
        .as_file()
        .sync_all()
        .map_err(|e| save(e.to_string()))?;
    partial
        .persist(path)
        .map_err(|e| save(e.error.to_string()))?;
    let bytes = std::fs::metadata(path)
        .map_err(|e| save(e.to_string()))?
        .len();
    Ok(PackSummary {
        tiles,
        bytes,
        zooms: (min_zoom, max_zoom),
        basemap_tiles: tiles,
    })
}

/// Records the layers of `tile` (zoom `z`) and their fields in `seen`.
fn note_layers(seen: &mut Vec<Seen>, tile: &[u8], z: u8) {
    // `encode_tile` wrote the tile: the scan succeeds.
    for (name, fields) in mvt::fields(tile).unwrap_or_default() {
        let at = match seen.iter().position(|s| s.name == name) {
            Some(at) => at,
            None => {
                seen.push(Seen {
                    name,
                    fields: Vec::new(),
                    zooms: (z, z),
                });
                seen.len() - 1
            }
        };
        let Some(layer) = seen.get_mut(at) else {
            continue;
        };
        layer.zooms = (layer.zooms.0.min(z), layer.zooms.1.max(z));
        for (key, kind) in fields {
            match layer.fields.iter_mut().find(|(k, _)| *k == key) {
                Some((_, known)) if *known != kind => *known = "Mixed",
                Some(_) => {}
                None => layer.fields.push((key, kind)),
            }
        }
    }
}

/// The metadata rows of the file.
fn metadata(
    layers: &[&LayerIndex],
    seen: &[Seen],
    area: &Area,
    min_zoom: u8,
    max_zoom: u8,
    attribution: Option<&str>,
) -> Vec<(&'static str, String)> {
    // In the order of `layers`.
    let vector_layers: Vec<serde_json::Value> = layers
        .iter()
        .filter_map(|l| seen.iter().find(|s| s.name == l.name()))
        .map(|s| {
            let fields: serde_json::Map<String, serde_json::Value> = s
                .fields
                .iter()
                .map(|(k, kind)| (k.clone(), json!(kind)))
                .collect();
            json!({ "id": s.name, "fields": fields, "minzoom": s.zooms.0, "maxzoom": s.zooms.1 })
        })
        .collect();
    // The deepest zoom at which the area spans at most 2 × 2 tiles.
    let center_zoom = (min_zoom..=max_zoom)
        .rev()
        .find(|&z| area.tiles(z).count() <= 4)
        .unwrap_or(min_zoom);
    let names: Vec<&str> = layers.iter().map(|l| l.name()).collect();
    let mut rows = vec![
        ("name", format!("Safeground basemap {area}")),
        ("format", "pbf".to_owned()),
        ("type", "baselayer".to_owned()),
        ("version", "1".to_owned()),
        ("generator", "safeground".to_owned()),
        (
            "description",
            format!("Vector basemap of layers {}", names.join(", ")),
        ),
        (
            "bounds",
            format!(
                "{},{},{},{}",
                area.min_lon, area.min_lat, area.max_lon, area.max_lat
            ),
        ),
        (
            "center",
            format!(
                "{},{},{center_zoom}",
                (area.min_lon + area.max_lon) / 2.0,
                (area.min_lat + area.max_lat) / 2.0
            ),
        ),
        ("minzoom", min_zoom.to_string()),
        ("maxzoom", max_zoom.to_string()),
        (
            "json",
            json!({ "vector_layers": vector_layers }).to_string(),
        ),
    ];
    if let Some(attribution) = attribution {
        rows.push(("attribution", attribution.to_owned()));
    }
    rows
}

/// `bytes` gzip-compressed.
fn gzip(bytes: &[u8]) -> Result<Vec<u8>, PackError> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}
