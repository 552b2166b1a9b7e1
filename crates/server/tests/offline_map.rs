//! Offline map packs (`GET /api/tiles/pack`): a PMTiles file of an area's hazards, released
//! areas and EO finds that the field app keeps on the device.

mod common;

use common::{Fixture, tile_of};
use safeground_tile_pack::Basemap;

#[tokio::test]
async fn a_pack_holds_the_areas_hazards_and_reads_back() {
    let f = Fixture::new();
    let h = f.largest_remaining_hazard();
    let g = h.geometry.clone().expect("geometry");
    let p = geo::InteriorPoint::interior_point(&g).expect("point");
    let (lon, lat) = (p.x(), p.y());
    let bbox = format!(
        "{},{},{},{}",
        lon - 0.02,
        lat - 0.02,
        lon + 0.02,
        lat + 0.02
    );
    let reply = f
        .get(
            &format!("/api/tiles/pack?bbox={bbox}&maxzoom=14"),
            Some("halo-entry"),
        )
        .await
        .expect(200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/vnd.pmtiles")
    );
    assert!(
        reply
            .header("content-disposition")
            .expect("present")
            .contains(".pmtiles")
    );
    assert_eq!(&reply.bytes[..7], b"PMTiles");
    assert_eq!(reply.bytes[7], 3, "PMTiles version 3");
    // Read back with the pack crate's reader: the hazard's tile at z14 has the hazards layer
    // and never an accident.
    let dir = tempfile::tempdir().expect("present");
    let path = dir.path().join("pack.pmtiles");
    std::fs::write(&path, &reply.bytes).expect("present");
    let pack = Basemap::open(&path).expect("a PMTiles file");
    assert_eq!((pack.min_zoom(), pack.max_zoom()), (0, 14));
    let (x, y) = tile_of(lon, lat, 14);
    let tile = pack
        .tile(14, x, y)
        .expect("present")
        .expect("the hazard's tile");
    let has = |name: &[u8]| tile.windows(name.len()).any(|w| w == name);
    assert!(has(b"hazards"));
    assert!(!has(b"accidents"));
}

#[tokio::test]
async fn bad_areas_are_refused_with_what_to_do() {
    let f = Fixture::new();
    let e = f
        .get("/api/tiles/pack?bbox=11.5,104.8,11.6,104.9", Some("viewer"))
        .await
        .expect(422)
        .json();
    assert_eq!(e["errors"][0]["field"], "bbox");
    let e = f
        .get(
            "/api/tiles/pack?bbox=102.3,10.4,107.6,14.7&maxzoom=16",
            Some("viewer"),
        )
        .await
        .expect(422)
        .json();
    assert!(
        e["errors"][0]["message"]
            .as_str()
            .expect("present")
            .contains("max zoom"),
        "{e}"
    );
    f.get("/api/tiles/pack?bbox=104.8,11.5,104.9,11.6", None)
        .await
        .expect(401);
}
