//! `repair` through the importer: the notes give each repaired polygon's area before and
//! after, a repair that would change the area by more than allowed refuses the record (naming
//! it and the field, with both areas), and raising the limit lets it through.

use chrono::NaiveDate;
use safeground_import::{BuildOptions, Built, Mapping, build};
use serde_json::{Value, json};

fn options(max_percent: f64) -> BuildOptions {
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).expect("date");
    BuildOptions {
        organisation: None,
        default_date: today,
        today,
        repair: true,
        repair_max_area_change_percent: max_percent,
        source_name: "repair.geojson".into(),
    }
}

/// The corners of a square `side` metres wide at (103.2 + `east` degrees, 13.1),
/// counter-clockwise from the south-west.
fn square(east: f64, side: f64) -> Vec<[f64; 2]> {
    let (lon, lat) = (103.2 + east, 13.1);
    let dx = side / (111_320.0 * f64::to_radians(lat).cos());
    let dy = side / 110_574.0;
    vec![
        [lon, lat],
        [lon + dx, lat],
        [lon + dx, lat + dy],
        [lon, lat + dy],
    ]
}

fn hazard(id: &str, geometry: Value) -> Value {
    json!({"type": "Feature",
           "properties": {"local_id": id, "class": "SHA", "admin_pcode": "KH02"},
           "geometry": geometry})
}

fn run(feature: &Value, max_percent: f64) -> Built {
    let (mapping, _) = Mapping::load_builtin("safeground-hazard").expect("mapping");
    build(&mapping, &options(max_percent), "feature 3", feature)
}

#[test]
fn a_repaired_polygon_notes_its_area_before_and_after() {
    // A 30 m square walked round twice: the old repair kept a fraction of it.
    let sq = square(0.0, 30.0);
    let twice: Vec<[f64; 2]> = sq.iter().chain(&sq).chain(&sq[..1]).copied().collect();
    let feature = hazard("TWICE", json!({"type": "Polygon", "coordinates": [twice]}));
    let Built::Report(_, notes) = run(&feature, 1.0) else {
        panic!("repaired")
    };
    let line = notes
        .iter()
        .find(|n| n.starts_with("geometry: repaired: area "))
        .unwrap_or_else(|| panic!("{notes:?}"));
    // 30 m × 30 m by the spherical metres-per-degree above: 900.3 m² on WGS 84.
    assert!(
        line.starts_with("geometry: repaired: area 900.") && line.ends_with("(+0.00 %)"),
        "{line}"
    );
}

#[test]
fn a_repair_beyond_the_limit_refuses_the_record_with_both_areas() {
    // A 100 m square with a 40 m hole drawn half outside its east edge: as drawn, the hole
    // takes 1,600 m² off; the repaired polygon loses only the half inside (+9.5 %).
    let sq = square(0.0, 100.0);
    let (dx, dy) = ((sq[1][0] - sq[0][0]) / 100.0, (sq[3][1] - sq[0][1]) / 100.0);
    let at = |x: f64, y: f64| [sq[0][0] + x * dx, sq[0][1] + y * dy];
    let shell = vec![sq[0], sq[1], sq[2], sq[3], sq[0]];
    let hole = vec![
        at(80.0, 30.0),
        at(80.0, 70.0),
        at(120.0, 70.0),
        at(120.0, 30.0),
        at(80.0, 30.0),
    ];
    let both = json!({"type": "Polygon", "coordinates": [shell, hole]});
    let feature = hazard("HALF-OUT", both);
    let Built::Refused(r) = run(&feature, 1.0) else {
        panic!("refused")
    };
    assert_eq!(r.record, "feature 3");
    assert_eq!(r.local_id.as_deref(), Some("HALF-OUT"));
    assert_eq!(r.field.as_deref(), Some("geometry"));
    assert!(
        r.reason.contains("repair would change the area from 8,40")
            && r.reason.contains("more than the 1 % allowed")
            && r.reason.contains("--repair-max-area-change"),
        "{}",
        r.reason
    );
    // Allowing 10 % lets it through, and the note gives the same figures.
    let Built::Report(_, notes) = run(&feature, 10.0) else {
        panic!("allowed")
    };
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("geometry: repaired: area 8,40") && n.contains("(+9.5")),
        "{notes:?}"
    );
}

#[test]
fn a_hole_touching_its_exterior_is_stored_valid() {
    let sq = square(0.0, 100.0);
    let mid = [(sq[0][0] + sq[1][0]) / 2.0, sq[0][1]];
    let (dx, dy) = (sq[1][0] - sq[0][0], sq[3][1] - sq[0][1]);
    let hole = vec![
        mid,
        [mid[0] + 0.2 * dx, mid[1] + 0.3 * dy],
        [mid[0] - 0.2 * dx, mid[1] + 0.3 * dy],
        mid,
    ];
    let shell = vec![sq[0], sq[1], sq[2], sq[3], sq[0]];
    let feature = hazard(
        "HOLE",
        json!({"type": "Polygon", "coordinates": [shell, hole]}),
    );
    let (mapping, _) = Mapping::load_builtin("safeground-hazard").expect("mapping");
    let strict = BuildOptions {
        repair: false,
        ..options(1.0)
    };
    let Built::Refused(r) = build(&mapping, &strict, "feature 3", &feature) else {
        panic!("refused without --repair")
    };
    assert!(
        r.reason.contains("a hole must lie strictly inside"),
        "{}",
        r.reason
    );
    let Built::Report(report, notes) = run(&feature, 1.0) else {
        panic!("repaired")
    };
    assert!(
        notes.iter().any(|n| n.contains("into the hole")),
        "{notes:?}"
    );
    assert!(safeground_store::validate_report(&report, strict.today).is_ok());
}

#[test]
fn one_latitude_first_vertex_is_swapped_back_alone() {
    let mut ring = square(0.0, 100.0);
    ring[2] = [ring[2][1], ring[2][0]];
    ring.push(ring[0]);
    let feature = hazard(
        "ONE-SWAPPED",
        json!({"type": "Polygon", "coordinates": [ring]}),
    );
    let (mapping, _) = Mapping::load_builtin("safeground-hazard").expect("mapping");
    let strict = BuildOptions {
        repair: false,
        ..options(1.0)
    };
    let Built::Refused(r) = build(&mapping, &strict, "feature 3", &feature) else {
        panic!("refused without --repair")
    };
    assert!(r.reason.contains("look swapped"), "{}", r.reason);
    let Built::Report(_, notes) = run(&feature, 1.0) else {
        panic!("repaired")
    };
    assert!(
        notes
            .iter()
            .any(|n| n.ends_with("longitude/latitude at vertex 3")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("geometry: repaired: area 10,0") && n.ends_with("(+0.00 %)")),
        "{notes:?}"
    );
}
