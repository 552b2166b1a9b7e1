//! A basemap written from GeoJSON layers by `write_mbtiles`: read back with `Basemap::open` and
//! SQLite (MBTiles 1.3 metadata, TMS rows, gzip), merged by `pack`, refusals leaving no file.

use std::io::{Cursor, Read};
use std::path::Path;

use flate2::read::GzDecoder;
use geozero::mvt::{Message, Tile};
use pmtiles::{AsyncPmTilesReader, TileCoord};
use safeground_tile_pack::{
    Area, Basemap, MAX_TILES, PackError, geojson_layer, pack, write_mbtiles,
};
use safeground_tiles::{LayerIndex, PropertyValue, TileFeature};

/// A few kilometres of Phnom Penh.
const AREA: &str = "104.90,11.54,104.93,11.57";

const ROADS: &str = r#"{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"name":"National Road 5","lanes":2,"paved":true},
   "geometry":{"type":"LineString","coordinates":[[104.90,11.54],[104.93,11.57]]}}]}"#;

const PLACES: &str = r#"{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"name":"Village 1","population":1200.5},
   "geometry":{"type":"Point","coordinates":[104.915,11.555]}}]}"#;

fn layers() -> Vec<LayerIndex> {
    vec![
        geojson_layer("transportation", ROADS).expect("roads"),
        geojson_layer("place", PLACES).expect("places"),
    ]
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    GzDecoder::new(bytes).read_to_end(&mut out).expect("gzip");
    out
}

fn names(tile: &[u8]) -> Vec<String> {
    let tile = Tile::decode(tile).expect("an MVT tile");
    tile.layers.iter().map(|l| l.name.clone()).collect()
}

/// Files in `dir`.
fn files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn written_basemap_reads_back_and_is_merged_into_packs() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("basemap.mbtiles");
    let area: Area = AREA.parse().expect("area");
    let layers = layers();
    let refs: Vec<&LayerIndex> = layers.iter().collect();
    let summary =
        write_mbtiles(&refs, &area, 8, 12, &path, Some("© demo")).expect("basemap written");
    assert_eq!(summary.zooms, (8, 12));
    assert!(summary.tiles >= 5, "{summary:?}");
    assert_eq!(summary.basemap_tiles, summary.tiles);
    assert_eq!(summary.bytes, std::fs::metadata(&path).expect("file").len());
    assert_eq!(
        files(dir.path()),
        ["basemap.mbtiles"],
        "no temporary file left"
    );

    // MBTiles 1.3 metadata and TMS rows.
    let db = rusqlite::Connection::open(&path).expect("sqlite");
    let meta = |name: &str| -> String {
        db.query_row("SELECT value FROM metadata WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .unwrap_or_else(|e| panic!("metadata {name}: {e}"))
    };
    assert_eq!(meta("format"), "pbf");
    assert_eq!(meta("minzoom"), "8");
    assert_eq!(meta("maxzoom"), "12");
    assert_eq!(meta("bounds"), "104.9,11.54,104.93,11.57");
    assert!(meta("center").starts_with("104.915,11.555,"));
    assert_eq!(meta("attribution"), "© demo");
    assert!(!meta("name").is_empty());
    let json: serde_json::Value = serde_json::from_str(&meta("json")).expect("json");
    let vector_layers = json["vector_layers"].as_array().expect("vector_layers");
    assert_eq!(vector_layers.len(), 2);
    assert_eq!(vector_layers[0]["id"], "transportation");
    assert_eq!(
        vector_layers[0]["fields"],
        serde_json::json!({"name": "String", "lanes": "Number", "paved": "Boolean"})
    );
    assert_eq!(vector_layers[0]["minzoom"], 8);
    assert_eq!(vector_layers[0]["maxzoom"], 12);
    assert_eq!(vector_layers[1]["id"], "place");
    assert_eq!(
        vector_layers[1]["fields"],
        serde_json::json!({"name": "String", "population": "Number"})
    );
    // Phnom Penh's village at z12 is XYZ tile 3241/1915: TMS row 4095 - 1915.
    let stored: Vec<u8> = db
        .query_row(
            "SELECT tile_data FROM tiles WHERE zoom_level = 12 AND tile_column = 3241 \
             AND tile_row = 2180",
            [],
            |r| r.get(0),
        )
        .expect("the village's tile");
    assert_eq!(&stored[..2], &[0x1f, 0x8b], "gzipped");
    drop(db);

    let basemap = Basemap::open(&path).expect("a vector basemap");
    assert_eq!((basemap.min_zoom(), basemap.max_zoom()), (8, 12));
    assert_eq!(basemap.attribution(), Some("© demo"));
    let tile = basemap.tile(12, 3241, 1915).expect("read").expect("a tile");
    assert_eq!(names(&tile), ["transportation", "place"]);
    assert_eq!(basemap.tile(13, 6482, 3830).expect("read"), None);

    // A pack merges it under the programme's layers.
    let hazards = LayerIndex::new(
        "hazards",
        vec![TileFeature {
            id: 1,
            geometry: geo_types::Point::new(104.916, 11.556).into(),
            properties: vec![("status", PropertyValue::String("suspected".into()))],
        }],
    );
    let mut out = Cursor::new(Vec::new());
    let packed = pack(&[&hazards], Some(&basemap), &area, 10, 13, &mut out).expect("pack");
    assert!(packed.basemap_tiles > 0, "{packed:?}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (tile, attribution) = runtime.block_on(async {
        let reader = AsyncPmTilesReader::new_with_path(write_to(dir.path(), out.into_inner()))
            .await
            .expect("pmtiles");
        let coord = TileCoord::new(12, 3241, 1915).expect("coord");
        let tile = reader.get_tile(coord).await.expect("read").expect("tile");
        let metadata: serde_json::Value =
            serde_json::from_str(&reader.get_metadata().await.expect("metadata")).expect("json");
        (tile, metadata["attribution"].clone())
    });
    assert_eq!(
        names(&gunzip(&tile)),
        ["hazards", "transportation", "place"]
    );
    assert_eq!(attribution, "© demo");
}

/// Writes `bytes` to `dir/pack.pmtiles`.
fn write_to(dir: &Path, bytes: Vec<u8>) -> std::path::PathBuf {
    let path = dir.join("pack.pmtiles");
    std::fs::write(&path, bytes).expect("pack file");
    path
}

#[test]
fn refusals_leave_no_file() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("basemap.mbtiles");
    let layers = layers();
    let refs: Vec<&LayerIndex> = layers.iter().collect();
    let world = Area::new(-180.0, -85.0, 180.0, 85.0).expect("world");
    match write_mbtiles(&refs, &world, 0, 14, &path, None) {
        Err(PackError::TooManyTiles { limit, .. }) => assert_eq!(limit, MAX_TILES),
        other => panic!("{other:?}"),
    }
    let area: Area = AREA.parse().expect("area");
    assert!(matches!(
        write_mbtiles(&refs, &area, 12, 10, &path, None),
        Err(PackError::Zooms { .. })
    ));
    let missing = dir.path().join("no such folder").join("basemap.mbtiles");
    let error = write_mbtiles(&refs, &area, 10, 12, &missing, None).expect_err("no folder");
    assert!(
        error.to_string().contains("could not be written"),
        "{error}"
    );
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
}

#[test]
fn an_existing_file_is_replaced() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("basemap.mbtiles");
    std::fs::write(&path, b"old").expect("old file");
    let layers = layers();
    let refs: Vec<&LayerIndex> = layers.iter().collect();
    let area: Area = AREA.parse().expect("area");
    write_mbtiles(&refs, &area, 0, 3, &path, None).expect("written");
    let basemap = Basemap::open(&path).expect("a basemap");
    assert_eq!(basemap.attribution(), None);
    assert_eq!(files(dir.path()), ["basemap.mbtiles"]);
}
