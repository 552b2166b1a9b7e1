//! `safeground tiles basemap` (a vector basemap from GeoJSON layers) and `tiles pack` with it:
//! packs read back with `Basemap::open`, the demo's own basemap, refusals leaving no file.

mod common;

use std::path::Path;

use common::{ok, refused, s, safeground};
use safeground_tile_pack::Basemap;

/// The demo programme's provinces, and more.
const PROGRAMME: &str = "102.0,10.5,107.5,14.8";

/// Whether the MVT bytes hold a layer called `name` (layer names are stored verbatim).
fn has(tile: &[u8], name: &str) -> bool {
    tile.windows(name.len()).any(|w| w == name.as_bytes())
}

/// Writes `text` to `dir/name`, returning the path as text.
fn file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    s(&path).to_owned()
}

/// Files in `dir` whose names start with `prefix` or hold `partial`.
fn left(dir: &Path, prefix: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) || n.contains("partial"))
        .collect()
}

const ROADS: &str = r#"{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"name":"National Road 5","ref":5,"paved":true},
   "geometry":{"type":"LineString","coordinates":[[104.92,11.57],[103.52,12.75],[102.56,13.66]]}}]}"#;

const PLACES: &str = r#"{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"name":"Battambang"},"geometry":{"type":"Point","coordinates":[103.2,13.1]}},
  {"type":"Feature","properties":{"name":"Pailin"},"geometry":{"type":"Point","coordinates":[102.6,12.85]}}]}"#;

#[test]
fn basemap_from_geojson_is_packed_with_the_programme() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.sqlite");
    let demo = ok(&["demo", "--db", s(&db), "--hazards", "30", "--no-serve"]);
    // The demo writes its own basemap beside the database.
    let own = dir.path().join("demo.basemap.mbtiles");
    assert!(demo.contains("Offline basemap:"), "{demo}");
    assert!(demo.contains(s(&own)), "{demo}");
    let own = Basemap::open(&own).expect("the demo's basemap");
    assert_eq!(own.attribution(), Some("Safeground demo (synthetic)"));
    let z0 = own.tile(0, 0, 0).expect("read").expect("z0");
    assert!(
        ["boundary", "transportation", "place"]
            .iter()
            .all(|l| has(&z0, l))
    );

    let roads = file(dir.path(), "roads.geojson", ROADS);
    let places = file(dir.path(), "places.geojson", PLACES);
    let basemap = dir.path().join("programme.mbtiles");
    let text = ok(&[
        "tiles",
        "basemap",
        "--layer",
        &format!("transportation={roads}"),
        "--layer",
        &format!("place={places}"),
        "--bbox",
        PROGRAMME,
        "--maxzoom",
        "12",
        "--attribution",
        "© test roads",
        "--out",
        s(&basemap),
    ]);
    assert!(
        text.contains("transportation (1 features), place (2 features)"),
        "{text}"
    );
    let opened = Basemap::open(&basemap).expect("a vector basemap");
    assert_eq!((opened.min_zoom(), opened.max_zoom()), (0, 12));

    let pack = dir.path().join("x.pmtiles");
    let text = ok(&[
        "tiles",
        "pack",
        s(&db),
        "--basemap",
        s(&basemap),
        "--bbox",
        PROGRAMME,
        "--maxzoom",
        "12",
        "--out",
        s(&pack),
    ]);
    assert!(text.contains("basemap tiles merged"), "{text}");
    assert!(left(dir.path(), ".safeground").is_empty());
    let packed = Basemap::open(&pack).expect("the pack reads as a vector tileset");
    assert_eq!((packed.min_zoom(), packed.max_zoom()), (0, 12));
    assert_eq!(packed.attribution(), Some("© test roads"));
    let z0 = packed.tile(0, 0, 0).expect("read").expect("z0");
    for layer in ["hazards", "transportation", "place"] {
        assert!(has(&z0, layer), "{layer} in the pack's z0 tile");
    }
    // Battambang at z12 (103.2, 13.1): the road passes by, no hazard needed there.
    let town = packed.tile(12, 3222, 1897).expect("read").expect("z12");
    assert!(has(&town, "Battambang"));
}

#[test]
fn bad_input_is_refused_with_what_is_wrong() {
    let dir = tempfile::tempdir().expect("dir");
    let roads = file(dir.path(), "roads.geojson", ROADS);
    let out = dir.path().join("b.mbtiles");
    let basemap = |layer: &str, bbox: &str| {
        safeground(&[
            "tiles",
            "basemap",
            "--layer",
            layer,
            "--bbox",
            bbox,
            "--out",
            s(&out),
        ])
    };
    let layer = format!("transportation={roads}");
    refused(
        &basemap(&layer, "11.5,104.8,11.6,105"),
        "minlat 104.8 is outside -90..90 (longitude and latitude swapped?)",
    );
    refused(&basemap(&layer, "104,11,105"), "expected 4 numbers");
    refused(&basemap(&roads, PROGRAMME), "is not NAME=FILE.geojson");
    let bad = file(
        dir.path(),
        "bad.geojson",
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[104,11]}},
          {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[491000,1290000]}}]}"#,
    );
    refused(
        &basemap(&format!("place={bad}"), PROGRAMME),
        "layer `place`: features[1] is refused: (491000, 1290000) is not a WGS 84 longitude",
    );
    refused(
        &safeground(&[
            "tiles",
            "basemap",
            "--layer",
            &layer,
            "--layer",
            &layer,
            "--bbox",
            PROGRAMME,
            "--out",
            s(&out),
        ]),
        "layer `transportation` is given twice",
    );
    assert!(!out.exists());
    assert!(left(dir.path(), ".safeground").is_empty());

    let db = dir.path().join("empty.sqlite");
    ok(&["init", s(&db)]);
    let pack = dir.path().join("x.pmtiles");
    refused(
        &safeground(&[
            "tiles",
            "pack",
            s(&db),
            "--bbox",
            "105,11,104,12",
            "--out",
            s(&pack),
        ]),
        "minlon 105 is not less than maxlon 104",
    );
    assert!(!pack.exists());
}

#[test]
fn raster_basemaps_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let raster = dir.path().join("raster.mbtiles");
    let sqlite = rusqlite::Connection::open(&raster).expect("sqlite");
    sqlite
        .execute_batch(
            "CREATE TABLE metadata (name TEXT, value TEXT);
             INSERT INTO metadata VALUES ('format', 'png'), ('minzoom', '0'), ('maxzoom', '5');
             CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,
                                 tile_data BLOB);
             INSERT INTO tiles VALUES (0, 0, 0, x'89504E470D0A1A0A');",
        )
        .expect("raster mbtiles");
    drop(sqlite);
    let db = dir.path().join("empty.sqlite");
    ok(&["init", s(&db)]);
    let pack = dir.path().join("x.pmtiles");
    refused(
        &safeground(&[
            "tiles",
            "pack",
            s(&db),
            "--basemap",
            s(&raster),
            "--bbox",
            PROGRAMME,
            "--maxzoom",
            "8",
            "--out",
            s(&pack),
        ]),
        "holds raster tiles (png): give a vector basemap",
    );
    assert!(!pack.exists());
}

#[test]
fn a_failed_pack_leaves_no_file() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("empty.sqlite");
    ok(&["init", s(&db)]);
    let pack = dir.path().join("x.pmtiles");
    // Refused before writing: too many tiles.
    refused(
        &safeground(&[
            "tiles",
            "pack",
            s(&db),
            "--bbox",
            "-180,-85,180,85",
            "--maxzoom",
            "16",
            "--out",
            s(&pack),
        ]),
        "more than the limit",
    );
    // Failing while writing: a basemap that is no vector tileset beyond its metadata.
    let broken = dir.path().join("broken.mbtiles");
    let sqlite = rusqlite::Connection::open(&broken).expect("sqlite");
    sqlite
        .execute_batch(
            "CREATE TABLE metadata (name TEXT, value TEXT);
             INSERT INTO metadata VALUES ('format', 'pbf'), ('minzoom', '0'), ('maxzoom', '2');
             CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,
                                 tile_data BLOB);
             INSERT INTO tiles VALUES (0, 0, 0, x'1a050a');",
        )
        .expect("broken mbtiles");
    drop(sqlite);
    refused(
        &safeground(&[
            "tiles",
            "pack",
            s(&db),
            "--basemap",
            s(&broken),
            "--bbox",
            PROGRAMME,
            "--maxzoom",
            "4",
            "--out",
            s(&pack),
        ]),
        "is not a Mapbox Vector Tile",
    );
    assert!(!pack.exists());
    assert_eq!(left(dir.path(), "x."), Vec::<String>::new());
    assert!(left(dir.path(), ".safeground").is_empty());
}
