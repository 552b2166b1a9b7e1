//! Packs written and read back with the `pmtiles` crate's reader: header, tiles (gunzipped and
//! decoded with geozero's prost types), basemap merging from MBTiles and PMTiles, refusals.

use std::collections::BTreeSet;
use std::f64::consts::PI;
use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

use flate2::Compression as Level;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use geo_types::{Geometry, LineString, Point, Polygon, coord};
use geozero::mvt::{Message, Tile};
use pmtiles::{AsyncPmTilesReader, Compression, PmTilesWriter, TileCoord, TileType};
use safeground_tile_pack::{Area, Basemap, MAX_TILES, PackError, PackSummary, pack};
use safeground_tiles::{LayerIndex, PropertyValue, TileFeature, encode_tile};

/// A few kilometres of Phnom Penh's outskirts, around the programme's features.
const AREA: &str = "104.90,11.54,104.93,11.57";
/// A wider area (20 km), where many basemap tiles hold water only.
const WIDE: &str = "104.80,11.45,105.00,11.65";
/// The basemap's zooms (the pack goes two zooms beyond).
const BASEMAP_ZOOMS: std::ops::RangeInclusive<u8> = 10..=12;

fn feature(id: u64, geometry: impl Into<Geometry<f64>>) -> TileFeature {
    TileFeature {
        id,
        geometry: geometry.into(),
        properties: vec![("status", PropertyValue::String("suspected".into()))],
    }
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
    Polygon::new(
        LineString(vec![
            coord! { x: x0, y: y0 },
            coord! { x: x1, y: y0 },
            coord! { x: x1, y: y1 },
            coord! { x: x0, y: y1 },
            coord! { x: x0, y: y0 },
        ]),
        vec![],
    )
}

/// The programme's three layers, inside [`AREA`].
fn programme() -> Vec<LayerIndex> {
    vec![
        LayerIndex::new(
            "hazards",
            vec![feature(1, rect(104.905, 11.545, 104.910, 11.550))],
        ),
        LayerIndex::new(
            "released-areas",
            vec![feature(2, rect(104.920, 11.560, 104.925, 11.565))],
        ),
        LayerIndex::new("eo-finds", vec![feature(3, Point::new(104.915, 11.555))]),
    ]
}

/// A basemap's layers: water everywhere around the area, one road across it.
fn basemap_layers() -> Vec<LayerIndex> {
    vec![
        LayerIndex::new("water", vec![feature(10, rect(104.0, 11.0, 106.0, 12.0))]),
        LayerIndex::new(
            "transportation",
            vec![feature(
                11,
                LineString(vec![
                    coord! { x: 104.80, y: 11.555 },
                    coord! { x: 105.00, y: 11.555 },
                ]),
            )],
        ),
    ]
}

/// The XYZ tiles of `area` at zoom `z`.
fn tiles_of(area: &Area, z: u8) -> Vec<(u32, u32)> {
    let n = f64::from(1u32 << z);
    let tile = |lon: f64, lat: f64| {
        let lat = lat.to_radians();
        let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
        let y = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0 * n).floor() as u32;
        (x, y)
    };
    let (x0, y1) = tile(area.min_lon, area.min_lat);
    let (x1, y0) = tile(area.max_lon, area.max_lat);
    (x0..=x1)
        .flat_map(|x| (y0..=y1).map(move |y| (x, y)))
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Level::default());
    std::io::Write::write_all(&mut encoder, bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("tile gunzips");
    out
}

/// Writes an MBTiles basemap of [`basemap_layers`] over `area`: gzipped pbf tiles, TMS rows.
fn vector_mbtiles(path: &Path, area: &Area) {
    let db = rusqlite::Connection::open(path).expect("sqlite");
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         INSERT INTO metadata VALUES ('format', 'pbf'), ('minzoom', '10'), ('maxzoom', '12'),
           ('attribution', '© OpenStreetMap contributors');",
    )
    .expect("schema");
    let layers = basemap_layers();
    let refs: Vec<&LayerIndex> = layers.iter().collect();
    for z in BASEMAP_ZOOMS {
        for (x, y) in tiles_of(area, z) {
            let tile = encode_tile(&refs, z, x, y).expect("tile");
            let row = (1u32 << z) - 1 - y;
            db.execute(
                "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![z, x, row, gzip(&tile)],
            )
            .expect("insert");
        }
    }
}

/// What a pack reads back as.
struct ReadBack {
    min_zoom: u8,
    max_zoom: u8,
    bounds: [f64; 4],
    tile_type: TileType,
    compression: Compression,
    addressed: u64,
    contents: u64,
    metadata: serde_json::Value,
    /// Layer names of every tile present, by z/x/y.
    tiles: Vec<((u8, u32, u32), Vec<String>)>,
}

/// Reads a pack back with the `pmtiles` crate, visiting every tile of `area` at its zooms.
fn read_back(path: &Path, area: &Area) -> ReadBack {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let reader = AsyncPmTilesReader::new_with_path(path)
            .await
            .expect("a PMTiles archive");
        let header = reader.get_header();
        let metadata = reader.get_metadata().await.expect("metadata");
        let mut tiles = Vec::new();
        for z in header.min_zoom..=header.max_zoom {
            for (x, y) in tiles_of(area, z) {
                let coord = TileCoord::new(z, x, y).expect("coord");
                if let Some(bytes) = reader.get_tile(coord).await.expect("tile read") {
                    let tile = Tile::decode(gunzip(&bytes).as_slice()).expect("an MVT tile");
                    let names = tile.layers.iter().map(|l| l.name.clone()).collect();
                    tiles.push(((z, x, y), names));
                }
            }
        }
        ReadBack {
            min_zoom: header.min_zoom,
            max_zoom: header.max_zoom,
            bounds: [
                header.min_longitude,
                header.min_latitude,
                header.max_longitude,
                header.max_latitude,
            ],
            tile_type: header.tile_type,
            compression: header.tile_compression,
            addressed: header.n_addressed_tiles().map_or(0, |n| n.get()),
            contents: header.n_tile_contents().map_or(0, |n| n.get()),
            metadata: serde_json::from_str(&metadata).expect("metadata JSON"),
            tiles,
        }
    })
}

/// Packs [`programme`] (and `basemap`) over `area` at zooms 10..=14 into `path`.
fn pack_to(path: &Path, basemap: Option<&Basemap>, area: &Area) -> PackSummary {
    let layers = programme();
    let refs: Vec<&LayerIndex> = layers.iter().collect();
    let mut out = File::create(path).expect("output");
    pack(&refs, basemap, area, 10, 14, &mut out).expect("pack")
}

fn layer_ids(metadata: &serde_json::Value) -> BTreeSet<String> {
    metadata["vector_layers"]
        .as_array()
        .expect("vector_layers")
        .iter()
        .map(|l| l["id"].as_str().expect("id").to_owned())
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn pack_without_basemap_reads_back() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("pack.pmtiles");
    let area: Area = AREA.parse().expect("area");
    let summary = pack_to(&path, None, &area);
    let back = read_back(&path, &area);

    assert_eq!((back.min_zoom, back.max_zoom), (10, 14));
    assert_eq!(summary.zooms, (10, 14));
    assert_eq!(back.bounds, [104.90, 11.54, 104.93, 11.57]);
    assert_eq!(back.tile_type, TileType::Mvt);
    assert_eq!(back.compression, Compression::Gzip);
    assert_eq!(summary.tiles, back.tiles.len() as u64);
    assert_eq!(back.addressed, summary.tiles);
    assert_eq!(summary.basemap_tiles, 0);
    assert_eq!(summary.bytes, std::fs::metadata(&path).expect("size").len());
    // Empty tiles are left out: at z14 the area has more tiles than the three features touch.
    let z14 = tiles_of(&area, 14).len();
    let present14 = back.tiles.iter().filter(|(c, _)| c.0 == 14).count();
    assert!(present14 > 0 && present14 < z14, "{present14} of {z14}");
    for ((z, x, y), names) in &back.tiles {
        assert!(!names.is_empty(), "{z}/{x}/{y} is empty");
        for name in names {
            assert!(
                ["hazards", "released-areas", "eo-finds"].contains(&name.as_str()),
                "{name}"
            );
        }
    }
    // At z10 one tile holds all three layers.
    let z10: Vec<_> = back.tiles.iter().filter(|(c, _)| c.0 == 10).collect();
    assert_eq!(z10.len(), 1);
    assert_eq!(z10[0].1, ["hazards", "released-areas", "eo-finds"]);
    assert_eq!(
        layer_ids(&back.metadata),
        set(&["hazards", "released-areas", "eo-finds"])
    );
    assert!(back.metadata.get("attribution").is_none());
}

#[test]
fn mbtiles_basemap_is_merged_up_to_its_max_zoom() {
    let dir = tempfile::tempdir().expect("dir");
    let area: Area = WIDE.parse().expect("area");
    let mbtiles = dir.path().join("basemap.mbtiles");
    vector_mbtiles(&mbtiles, &area);
    let basemap = Basemap::open(&mbtiles).expect("vector basemap");
    assert_eq!((basemap.min_zoom(), basemap.max_zoom()), (10, 12));
    assert_eq!(basemap.attribution(), Some("© OpenStreetMap contributors"));

    let path = dir.path().join("pack.pmtiles");
    let summary = pack_to(&path, Some(&basemap), &area);
    let back = read_back(&path, &area);

    // Up to z12 every tile of the area is there, with the basemap's water.
    for z in BASEMAP_ZOOMS {
        let at_z: Vec<_> = back.tiles.iter().filter(|(c, _)| c.0 == z).collect();
        assert_eq!(at_z.len(), tiles_of(&area, z).len(), "zoom {z}");
        for ((z, x, y), names) in at_z {
            assert!(
                names.contains(&"water".to_owned()),
                "{z}/{x}/{y}: {names:?}"
            );
        }
    }
    // The programme and basemap layers share one tile.
    let z10 = &back
        .tiles
        .iter()
        .find(|(c, names)| c.0 == 10 && names.contains(&"hazards".to_owned()))
        .expect("z10")
        .1;
    assert_eq!(
        z10,
        &[
            "hazards",
            "released-areas",
            "eo-finds",
            "water",
            "transportation"
        ]
    );
    // Above the basemap's max zoom: programme layers only (no overzoom).
    for ((z, _, _), names) in back.tiles.iter().filter(|(c, _)| c.0 > 12) {
        assert!(!names.contains(&"water".to_owned()), "zoom {z}");
    }
    let basemap_count = back.tiles.iter().filter(|(c, _)| c.0 <= 12).count() as u64;
    assert_eq!(summary.basemap_tiles, basemap_count);
    assert_eq!(summary.tiles, back.tiles.len() as u64);
    assert_eq!(
        layer_ids(&back.metadata),
        set(&[
            "hazards",
            "released-areas",
            "eo-finds",
            "water",
            "transportation"
        ])
    );
    assert_eq!(back.metadata["attribution"], "© OpenStreetMap contributors");
    // Water-only tiles are identical and stored once.
    assert!(
        back.contents < back.addressed,
        "{} contents for {} tiles",
        back.contents,
        back.addressed
    );
}

#[test]
fn pmtiles_basemap_is_merged() {
    let dir = tempfile::tempdir().expect("dir");
    let area: Area = AREA.parse().expect("area");
    let basemap_path = dir.path().join("basemap.pmtiles");
    let layers = basemap_layers();
    let refs: Vec<&LayerIndex> = layers.iter().collect();
    let mut writer = PmTilesWriter::new(TileType::Mvt)
        .tile_compression(Compression::Gzip)
        .min_zoom(10)
        .max_zoom(12)
        .metadata(r#"{"vector_layers":[],"attribution":"OpenMapTiles"}"#)
        .create(File::create(&basemap_path).expect("basemap file"))
        .expect("writer");
    let mut coords: Vec<(u8, u32, u32)> = BASEMAP_ZOOMS
        .flat_map(|z| tiles_of(&area, z).into_iter().map(move |(x, y)| (z, x, y)))
        .collect();
    coords.sort_by_key(|&(z, x, y)| {
        pmtiles::TileId::from(TileCoord::new(z, x, y).expect("coord")).value()
    });
    for (z, x, y) in coords {
        let tile = encode_tile(&refs, z, x, y).expect("tile");
        let coord = TileCoord::new(z, x, y).expect("coord");
        writer.add_tile(coord, &tile).expect("add");
    }
    writer.finalize().expect("finalize");

    let basemap = Basemap::open(&basemap_path).expect("vector basemap");
    assert_eq!((basemap.min_zoom(), basemap.max_zoom()), (10, 12));
    assert_eq!(basemap.attribution(), Some("OpenMapTiles"));
    let path = dir.path().join("pack.pmtiles");
    let summary = pack_to(&path, Some(&basemap), &area);
    let back = read_back(&path, &area);
    let z12 = tiles_of(&area, 12).len();
    assert_eq!(
        back.tiles
            .iter()
            .filter(|(c, names)| c.0 == 12 && names.contains(&"water".to_owned()))
            .count(),
        z12
    );
    assert!(summary.basemap_tiles >= z12 as u64);
    assert!(layer_ids(&back.metadata).contains("transportation"));
    assert_eq!(back.metadata["attribution"], "OpenMapTiles");
}

#[test]
fn a_basemap_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Basemap>();
}

#[test]
fn raster_basemaps_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    // Declared raster.
    let declared = dir.path().join("declared.mbtiles");
    let db = rusqlite::Connection::open(&declared).expect("sqlite");
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         INSERT INTO metadata VALUES ('format', 'png');",
    )
    .expect("schema");
    drop(db);
    // Without a format row: recognised from a tile.
    let sniffed = dir.path().join("sniffed.mbtiles");
    let db = rusqlite::Connection::open(&sniffed).expect("sqlite");
    db.execute_batch(
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);",
    )
    .expect("schema");
    db.execute(
        "INSERT INTO tiles VALUES (0, 0, 0, ?1)",
        rusqlite::params![png],
    )
    .expect("insert");
    drop(db);
    // A raster PMTiles archive.
    let raster_pmtiles = dir.path().join("raster.pmtiles");
    let mut writer = PmTilesWriter::new(TileType::Png)
        .create(File::create(&raster_pmtiles).expect("file"))
        .expect("writer");
    writer
        .add_tile(TileCoord::new(0, 0, 0).expect("coord"), &png)
        .expect("add");
    writer.finalize().expect("finalize");

    for (path, format) in [(declared, "png"), (sniffed, "png"), (raster_pmtiles, "png")] {
        match Basemap::open(&path) {
            Err(e @ PackError::RasterBasemap { .. }) => {
                let message = e.to_string();
                assert!(message.contains(format), "{message}");
                assert!(message.contains("give a vector basemap"), "{message}");
            }
            other => panic!("{}: {other:?}", path.display()),
        }
    }
}

#[test]
fn files_that_are_no_basemap_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a basemap").expect("write");
    let message = Basemap::open(&text).expect_err("refused").to_string();
    assert!(message.contains("neither an MBTiles"), "{message}");
    let missing = Basemap::open(dir.path().join("missing.mbtiles"))
        .expect_err("refused")
        .to_string();
    assert!(missing.contains("cannot be opened"), "{missing}");
    let sqlite = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&sqlite)
        .expect("sqlite")
        .execute_batch("CREATE TABLE t (a);")
        .expect("table");
    let message = Basemap::open(&sqlite).expect_err("refused").to_string();
    assert!(message.contains("without a `tiles` table"), "{message}");
}

#[test]
fn too_many_tiles_are_refused_with_a_zoom_that_fits() {
    let layers = programme();
    let refs: Vec<&LayerIndex> = layers.iter().collect();
    // Cambodia at z16: millions of tiles.
    let area: Area = "102.3,10.4,107.6,14.7".parse().expect("area");
    let mut out = Cursor::new(Vec::new());
    let error = pack(&refs, None, &area, 0, 16, &mut out).expect_err("refused");
    let PackError::TooManyTiles { tiles, limit, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(*tiles > MAX_TILES);
    assert_eq!(*limit, 200_000);
    let message = error.to_string();
    assert!(message.contains(&tiles.to_string()), "{message}");
    assert!(message.contains("max zoom of at most 14"), "{message}");
    assert!(out.get_ref().is_empty(), "nothing written");
    // Zooms 0..=14 need 65,734 tiles; 0..=15 would need 259,900.
    assert!(message.contains("(65734 tiles)"), "{message}");
    assert_eq!(*tiles, 1_034_795);
}

#[test]
fn invalid_input_is_refused() {
    let layers = programme();
    let refs: Vec<&LayerIndex> = layers.iter().collect();
    let area: Area = AREA.parse().expect("area");
    let mut out = Cursor::new(Vec::new());
    let zooms = pack(&refs, None, &area, 12, 10, &mut out).expect_err("refused");
    assert!(matches!(zooms, PackError::Zooms { .. }), "{zooms:?}");
    let too_deep = pack(&refs, None, &area, 10, 23, &mut out).expect_err("refused");
    assert!(too_deep.to_string().contains("at most 22"), "{too_deep}");
    let swapped = Area {
        min_lon: 11.54,
        min_lat: 104.9,
        max_lon: 11.57,
        max_lat: 104.93,
    };
    let error = pack(&refs, None, &swapped, 10, 12, &mut out).expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("minlat 104.9 is outside -90..90"),
        "{error}"
    );
    let parse = "104.9;11.5;105;11.6".parse::<Area>().expect_err("refused");
    assert!(parse.to_string().contains("expected 4 numbers"), "{parse}");
}

#[test]
fn area_without_data_gives_a_valid_empty_pack() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("empty.pmtiles");
    let area: Area = "-30.0,-10.0,-29.9,-9.9".parse().expect("area");
    let layers = programme();
    let refs: Vec<&LayerIndex> = layers.iter().collect();
    let summary = pack(
        &refs,
        None,
        &area,
        8,
        10,
        &mut File::create(&path).expect("file"),
    )
    .expect("pack");
    assert_eq!(summary.tiles, 0);
    let back = read_back(&path, &area);
    assert!(back.tiles.is_empty());
    assert!(layer_ids(&back.metadata).is_empty());
}

/// A tile of one empty layer named `name`, as raw protobuf.
fn named_tile(name: &str) -> Vec<u8> {
    let mut layer = vec![0x78, 2, 0x0a, u8::try_from(name.len()).expect("short")];
    layer.extend_from_slice(name.as_bytes());
    let mut tile = vec![0x1a, u8::try_from(layer.len()).expect("short")];
    tile.extend_from_slice(&layer);
    tile
}

#[test]
fn pmtiles_basemap_with_leaf_directories_reads_every_tile() {
    // 160 × 160 distinct tiles at z14: more entries than a root directory holds.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("big.pmtiles");
    let mut coords: Vec<(u64, u32, u32)> = (13_000..13_160)
        .flat_map(|x| (7_000..7_160).map(move |y| (x, y)))
        .map(|(x, y)| {
            let id = pmtiles::TileId::from(TileCoord::new(14, x, y).expect("coord")).value();
            (id, x, y)
        })
        .collect();
    coords.sort_unstable();
    let mut writer = PmTilesWriter::new(TileType::Mvt)
        .tile_compression(Compression::Gzip)
        .min_zoom(14)
        .max_zoom(14)
        .create(File::create(&path).expect("file"))
        .expect("writer");
    for &(_, x, y) in &coords {
        let coord = TileCoord::new(14, x, y).expect("coord");
        writer
            .add_tile(coord, &named_tile(&format!("{x}-{y}")))
            .expect("add");
    }
    writer.finalize().expect("finalize");

    let basemap = Basemap::open(&path).expect("vector basemap");
    for &(_, x, y) in &coords {
        let tile = basemap.tile(14, x, y).expect("read").expect("present");
        assert_eq!(tile, named_tile(&format!("{x}-{y}")), "14/{x}/{y}");
    }
    assert_eq!(basemap.tile(14, 12_999, 7_000).expect("read"), None);
    assert_eq!(basemap.tile(14, 13_000, 7_160).expect("read"), None);
    assert_eq!(basemap.tile(13, 6_500, 3_500).expect("read"), None);
}
