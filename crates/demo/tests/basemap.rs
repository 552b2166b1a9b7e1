//! The demo's basemap: written from an approved demo store's admin areas with the planning
//! demo's roads and villages, read back as a vector basemap over the programme's extent.

use chrono::NaiveDate;
use safeground_demo::basemap::{ATTRIBUTION, MAX_ZOOM, write_basemap};
use safeground_model::Record;
use safeground_store::{ApproveOptions, ProgrammeStore, SqliteStore};
use safeground_tile_pack::Basemap;

/// Whether the MVT bytes hold a layer called `name` (layer names are stored verbatim).
fn has(tile: &[u8], name: &str) -> bool {
    tile.windows(name.len()).any(|w| w == name.as_bytes())
}

#[test]
fn demo_basemap_has_boundaries_roads_and_villages() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = SqliteStore::create(&dir.path().join("demo.sqlite")).expect("store");
    let day = NaiveDate::from_ymd_opt(2025, 12, 31).expect("date");
    let programme = safeground_demo::generate(20, 7, day);
    // The reports of organisations and admin areas only.
    let reference: Vec<_> = programme
        .reports
        .iter()
        .filter(|r| {
            r.entries
                .iter()
                .all(|e| matches!(e.record, Record::AdminArea(_) | Record::Organisation(_)))
        })
        .cloned()
        .collect();
    let ids = store
        .submit_batch("officer", &reference)
        .expect("submitted");
    let options = ApproveOptions {
        comment: None,
        allow_backdated: false,
        four_eyes: false,
    };
    for id in ids {
        store
            .approve_report("manager", id, &options)
            .expect("approved");
    }

    let path = dir.path().join("demo.basemap.mbtiles");
    let summary = write_basemap(&store, &path).expect("basemap");
    assert_eq!(summary.zooms, (0, MAX_ZOOM));
    assert!(summary.tiles > 100, "{summary:?}");
    let basemap = Basemap::open(&path).expect("a vector basemap");
    assert_eq!((basemap.min_zoom(), basemap.max_zoom()), (0, MAX_ZOOM));
    assert_eq!(basemap.attribution(), Some(ATTRIBUTION));
    let world = basemap.tile(0, 0, 0).expect("read").expect("the z0 tile");
    for layer in ["boundary", "transportation", "place"] {
        assert!(has(&world, layer), "{layer} at z0");
    }
    // Phnom Penh, where the national roads 5 and 6 meet (104.92, 11.57), at z12.
    let city = basemap
        .tile(12, 3241, 1915)
        .expect("read")
        .expect("a z12 tile");
    assert!(has(&city, "transportation"));
    assert!(has(&city, "National Road 6"));
}
