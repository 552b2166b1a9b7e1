//! Land-release overlay cases: holes, multipolygons, touching and overlapping releases,
//! releases outside the hazard or covering it, vertices as drawn, and dirty input that must
//! never panic.

mod common;
#[path = "../benches/synthetic.rs"]
mod synthetic;

use common::{bowtie, mp, rect, ring, with_hole};
use geo_types::{LineString, MultiPolygon, Polygon};
use safeground_geo::{geodesic_area, remaining, remaining_area};

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1.0)
}

#[test]
fn no_release_leaves_the_hazard() {
    let h = mp(vec![rect(0., 0., 100., 100.)]);
    let r = remaining(&h, &[]).expect("overlay");
    assert!(close(r.area_m2, geodesic_area(&h), 1e-12));
}

#[test]
fn hazard_with_hole_minus_half() {
    let h = mp(vec![with_hole(
        rect(0., 0., 100., 100.),
        rect(40., 40., 60., 60.),
    )]);
    let west = mp(vec![rect(0., 0., 50., 100.)]);
    let r = remaining(&h, &[&west]).expect("overlay");
    assert!(
        close(r.area_m2, geodesic_area(&h) / 2.0, 1e-5),
        "{}",
        r.area_m2
    );
    assert!(
        r.geometry.0.iter().all(|p| p.interiors().is_empty()),
        "the hole was cut in half"
    );
}

#[test]
fn multipolygon_hazard_one_part_cleared() {
    let h = mp(vec![rect(0., 0., 100., 100.), rect(300., 0., 400., 100.)]);
    let first = mp(vec![rect(-10., -10., 110., 110.)]);
    let r = remaining(&h, &[&first]).expect("overlay");
    assert_eq!(r.geometry.0.len(), 1);
    let want = geodesic_area(&mp(vec![rect(300., 0., 400., 100.)]));
    assert!(close(r.area_m2, want, 1e-7), "{} vs {want}", r.area_m2);
}

#[test]
fn touching_releases_cover_the_hazard_exactly() {
    let h = mp(vec![rect(0., 0., 100., 100.)]);
    let a = mp(vec![rect(0., 0., 50., 100.)]);
    let b = mp(vec![rect(50., 0., 100., 100.)]);
    let r = remaining(&h, &[&a, &b]).expect("overlay");
    assert!(r.area_m2.abs() < 1e-6, "{}", r.area_m2);
    assert!(r.geometry.0.is_empty());
}

#[test]
fn overlapping_releases_count_once() {
    let h = mp(vec![rect(0., 0., 100., 100.)]);
    let a = mp(vec![rect(0., 0., 60., 100.)]);
    let b = mp(vec![rect(40., 0., 80., 100.)]);
    let r = remaining(&h, &[&a, &b]).expect("overlay");
    assert!(
        close(r.area_m2, 0.2 * geodesic_area(&h), 1e-5),
        "{}",
        r.area_m2
    );
}

#[test]
fn release_covering_everything_leaves_nothing() {
    let h = mp(vec![with_hole(
        rect(0., 0., 100., 100.),
        rect(40., 40., 60., 60.),
    )]);
    let all = mp(vec![rect(-50., -50., 150., 150.)]);
    let r = remaining(&h, &[&all]).expect("overlay");
    assert_eq!(r.area_m2, 0.0);
    assert!(r.geometry.0.is_empty());
}

#[test]
fn release_outside_changes_nothing() {
    let h = mp(vec![rect(0., 0., 100., 100.)]);
    let far = mp(vec![rect(1000., 1000., 1100., 1100.)]);
    let r = remaining(&h, &[&far]).expect("overlay");
    assert!(close(r.area_m2, geodesic_area(&h), 1e-12));
}

#[test]
fn release_with_a_hole_leaves_the_hole() {
    let h = mp(vec![rect(0., 0., 100., 100.)]);
    let ring = mp(vec![with_hole(
        rect(-10., -10., 110., 110.),
        rect(25., 25., 75., 75.),
    )]);
    let r = remaining(&h, &[&ring]).expect("overlay");
    assert!(
        close(
            r.area_m2,
            geodesic_area(&mp(vec![rect(25., 25., 75., 75.)])),
            1e-9
        ),
        "{}",
        r.area_m2
    );
}

#[test]
fn orientation_of_input_rings_does_not_matter() {
    let h = mp(vec![rect(0., 0., 100., 100.)]);
    let mut cw = rect(0., 0., 50., 100.);
    cw.exterior_mut(|ls| ls.0.reverse());
    let r = remaining(&h, &[&mp(vec![cw])]).expect("overlay");
    assert!(close(r.area_m2, geodesic_area(&h) / 2.0, 1e-9));
}

#[test]
fn dirty_input_never_panics() {
    let h = mp(vec![rect(0., 0., 100., 100.)]);
    let bowtie = bowtie();
    let nan = mp(vec![Polygon::new(
        LineString::from(vec![
            (f64::NAN, 13.1),
            (103.2, f64::INFINITY),
            (103.3, 13.2),
            (103.2, 13.1),
        ]),
        vec![],
    )]);
    let empty = mp(vec![Polygon::new(LineString(vec![]), vec![])]);
    let sliver = mp(vec![Polygon::new(
        LineString::from(vec![
            (103.2, 13.1),
            (103.3, 13.1),
            (103.25, 13.1),
            (103.2, 13.1),
        ]),
        vec![],
    )]);
    let huge = mp(vec![Polygon::new(
        LineString::from(vec![
            (-1e300, -1e300),
            (1e300, -1e300),
            (1e300, 1e300),
            (-1e300, -1e300),
        ]),
        vec![],
    )]);
    for dirty in [&bowtie, &nan, &empty, &sliver, &huge] {
        let as_release = remaining(&h, &[dirty]);
        if let Ok(r) = as_release {
            assert!(r.area_m2.is_finite() && r.area_m2 >= 0.0);
        }
        let as_hazard = remaining(dirty, &[&h]);
        if let Ok(r) = as_hazard {
            assert!(r.area_m2.is_finite() && r.area_m2 >= 0.0);
        }
    }
    let r = remaining(&empty, &[&h]).expect("empty hazard");
    assert_eq!(r.area_m2, 0.0);
}

/// The single non-zero-fill overlay gives the same area as union-then-difference (the
/// textbook way, geo's `BooleanOps`) on 300 synthetic hazards with 3 overlapping clearances.
#[test]
fn one_overlay_equals_union_then_difference() {
    use geo::BooleanOps;
    for (
        case,
        synthetic::Case {
            hazard,
            clearances: released,
        },
    ) in synthetic::cases(300, 7).into_iter().enumerate()
    {
        let refs: Vec<&MultiPolygon<f64>> = released.iter().collect();
        let got = remaining(&hazard, &refs).expect("overlay");
        let union = released[0].union(&released[1]).union(&released[2]);
        let want = geodesic_area(&hazard.difference(&union));
        assert!(
            // i_overlay snaps to an integer grid per operation: two operations and one differ
            // by rounding only (~1e-9 of the hazard at worst).
            (got.area_m2 - want).abs() <= 1e-7 * geodesic_area(&hazard),
            "case {case}: {} vs {want}",
            got.area_m2
        );
    }
}

/// A dirty hazard (bowtie) against overlapping releases: an answer or an error, no panic.
#[test]
fn bowtie_hazard_with_overlapping_releases_does_not_panic() {
    let bowtie = bowtie();
    let a = mp(vec![rect(0., 0., 60., 60.)]);
    let b = mp(vec![rect(30., 30., 120., 120.)]);
    if let Ok(r) = remaining(&bowtie, &[&a, &b]) {
        assert!(r.area_m2.is_finite() && r.area_m2 >= 0.0);
    }
}

/// A vertex the surveyor put on a straight line stays: each geodesic edge runs between the
/// points as drawn, so dropping the middle of the 1 km edge would move the area by ~2 m².
#[test]
fn collinear_vertices_as_drawn_are_kept() {
    let h = ring(&[
        (0., 0.),
        (500., 0.),
        (1000., 0.),
        (1000., 1000.),
        (0., 1000.),
    ]);
    let corner = mp(vec![rect(800., 800., 1200., 1200.)]);
    let left = ring(&[
        (0., 0.),
        (500., 0.),
        (1000., 0.),
        (1000., 800.),
        (800., 800.),
        (800., 1000.),
        (0., 1000.),
    ]);
    let want = geodesic_area(&left);
    let overlay = remaining(&h, &[&corner]).expect("overlay");
    assert_eq!(
        overlay.geometry.0[0].exterior().0.len(),
        8,
        "{:?}",
        overlay.geometry
    );
    for got in [
        overlay.area_m2,
        remaining_area(&h, &[&corner]).expect("walk"),
    ] {
        // The overlay rounds to its integer grid: ~5e-4 m² here.
        assert!((got - want).abs() < 1e-2, "{got} vs {want}");
    }
}
