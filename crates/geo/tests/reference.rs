//! Conformance against independently computed reference values: GeographicLib polygon areas
//! and perimeters, PROJ UTM coordinates and GEOTRANS MGRS references, made by
//! `tests/fixtures/make_geodesic_fixtures.py` (see the `made_with` field of the JSON).

use geo_types::{Coord, LineString, MultiPolygon, Point, Polygon};
use safeground_geo::{Hemisphere, Mgrs, Utm, geodesic_area, geodesic_perimeter};
use serde_json::Value;

fn fixtures() -> Value {
    let text = include_str!("fixtures/geodesic_reference.json");
    serde_json::from_str(text).expect("fixture JSON")
}

fn ring(v: &Value) -> LineString<f64> {
    LineString(
        v.as_array()
            .expect("ring")
            .iter()
            .map(|c| Coord {
                x: c[0].as_f64().expect("x"),
                y: c[1].as_f64().expect("y"),
            })
            .collect(),
    )
}

#[test]
fn geodesic_area_and_perimeter_match_geographiclib() {
    let f = fixtures();
    let polygons = f["polygons"].as_array().expect("polygons");
    assert!(polygons.len() >= 30);
    let (mut worst, mut worst_name) = (0.0f64, String::new());
    for p in polygons {
        let rings = p["rings"].as_array().expect("rings");
        let mp = MultiPolygon(vec![Polygon::new(
            ring(&rings[0]),
            rings[1..].iter().map(ring).collect(),
        )]);
        let want = p["area_m2"].as_f64().expect("area");
        let got = geodesic_area(&mp);
        let rel = (got - want).abs() / want;
        // GeographicLib's own area carries ~1e-5 m² of rounding (its S12 terms are areas to the
        // equator), which is above 1e-6 relative only for polygons of a few m².
        assert!(
            rel <= 1e-6 || (got - want).abs() <= 2e-5,
            "{}: {got} m² vs GeographicLib {want} m² (relative {rel:e})",
            p["name"]
        );
        if want >= 100.0 && rel > worst {
            worst = rel;
            worst_name = p["name"].to_string();
        }
        let want_p = p["perimeter_m"].as_f64().expect("perimeter");
        let got_p = geodesic_perimeter(&mp);
        assert!(
            (got_p - want_p).abs() <= 1e-9 * want_p,
            "{}: perimeter {got_p} vs {want_p}",
            p["name"]
        );
    }
    eprintln!("worst relative area error (polygons ≥ 100 m²): {worst:e} ({worst_name})");
    assert!(worst < 1e-6, "worst relative area error {worst:e}");
}

#[test]
fn utm_matches_proj() {
    for p in fixtures()["utm"].as_array().expect("utm") {
        let point = Point::new(
            p["lon"].as_f64().expect("lon"),
            p["lat"].as_f64().expect("lat"),
        );
        let zone = p["zone"].as_u64().expect("zone") as u8;
        let hemisphere = if p["south"].as_bool() == Some(true) {
            Hemisphere::South
        } else {
            Hemisphere::North
        };
        let u = Utm::from_wgs84_in_zone(point, zone, hemisphere).expect("utm");
        let standard = Utm::from_wgs84(point).expect("standard zone");
        assert_eq!((standard.zone, standard.hemisphere), (zone, hemisphere));
        let (e, n) = (
            p["easting"].as_f64().expect("e"),
            p["northing"].as_f64().expect("n"),
        );
        assert!(
            (u.easting - e).abs() < 1e-3 && (u.northing - n).abs() < 1e-3,
            "{point:?}: {u} vs {e} {n}"
        );
        let back = Utm {
            zone,
            hemisphere,
            easting: e,
            northing: n,
        }
        .to_wgs84()
        .expect("back");
        assert!(
            safeground_geo::geodesic_distance(back, point) < 1e-3,
            "{point:?} -> {back:?}"
        );
    }
}

#[test]
fn mgrs_matches_geotrans() {
    for p in fixtures()["mgrs"].as_array().expect("mgrs") {
        let point = Point::new(
            p["lon"].as_f64().expect("lon"),
            p["lat"].as_f64().expect("lat"),
        );
        let want = p["mgrs"].as_str().expect("mgrs");
        let got = Mgrs::from_wgs84(point, 5).expect("mgrs").to_string();
        assert_eq!(got, want, "{point:?}");
        let back = want
            .parse::<Mgrs>()
            .expect("parse")
            .to_wgs84()
            .expect("back");
        assert!(
            safeground_geo::geodesic_distance(back, point) < 1.0,
            "{want} -> {back:?}"
        );
    }
}
