//! Round trip through the command line: a programme exported whole as a GeoPackage and
//! imported into an empty database gives the same items, versions and land-release figures.

mod common;

use common::{ok, s, safeground};
use safeground_model::ItemKind;
use safeground_store::{AsOf, ProgrammeStore, SqliteStore};

#[test]
fn export_then_import_gives_the_same_programme() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let db = d.join("demo.sqlite");
    ok(&["demo", "--db", s(&db), "--hazards", "25", "--no-serve"]);
    let archive = d.join("all.gpkg");
    ok(&["export", s(&db), "--format", "gpkg", "--out", s(&archive)]);

    let copy = d.join("copy.sqlite");
    ok(&["init", s(&copy)]);
    // Restoring approves the archived reports as they were: it must be asked for.
    let refused = safeground(&["import", s(&copy), s(&archive)]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--approve-as-migration"));
    let out = ok(&["import", s(&copy), s(&archive), "--approve-as-migration"]);
    assert!(out.contains("restored"), "{out}");

    let a = SqliteStore::open(&db).expect("open");
    let b = SqliteStore::open(&copy).expect("open");
    for kind in ItemKind::ALL {
        let items = a.items_of_kind(*kind).expect("items");
        assert_eq!(items, b.items_of_kind(*kind).expect("items"), "{kind:?}");
        for item in &items {
            let (va, vb) = (a.versions(item).expect("v"), b.versions(item).expect("v"));
            assert_eq!(va.len(), vb.len(), "{item}");
            for (x, y) in va.iter().zip(&vb) {
                assert_eq!(
                    (x.valid_from, &x.record),
                    (y.valid_from, &y.record),
                    "{item}"
                );
            }
        }
    }
    for hazard in a.items_of_kind(ItemKind::Hazard).expect("hazards") {
        let (x, y) = (
            a.hazard_state(&hazard, AsOf::now()).expect("a").expect("a"),
            b.hazard_state(&hazard, AsOf::now()).expect("b").expect("b"),
        );
        assert_eq!(
            (
                x.original_m2,
                x.cancelled_m2,
                x.reduced_m2,
                x.cleared_m2,
                x.remaining_m2
            ),
            (
                y.original_m2,
                y.cancelled_m2,
                y.reduced_m2,
                y.cleared_m2,
                y.remaining_m2
            ),
            "{hazard}"
        );
    }
    let summary = |p: &std::path::Path| ok(&["summary", s(p), "--format", "csv"]);
    assert_eq!(summary(&db), summary(&copy));
    ok(&["check", s(&copy)]);
}
