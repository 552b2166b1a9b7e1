//! Repair keeps the area as drawn and says so: figures before and after against GeographicLib
//! (`tests/fixtures/geodesic_reference.json` and its `PolygonArea` directly), refusal beyond
//! the allowed change, holes left touching their exterior, and random invalid input that is
//! either refused with a reason or repaired into a shape the write check accepts.

use geographiclib_rs::{Geodesic, PolygonArea, Winding};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use safeground_geo::{
    CheckOptions, GeoError, RawPolygon, RepairOptions, Severity, check, raw_polygons, repair,
    repair_with,
};
use serde_json::Value;

/// GeographicLib's area of a simple ring, m².
fn karney(ring: &[[f64; 2]]) -> f64 {
    let g = Geodesic::wgs84();
    let mut pa = PolygonArea::new(&g, Winding::CounterClockwise);
    for c in ring {
        pa.add_point(c[1], c[0]);
    }
    pa.compute(true).1.abs()
}

/// A fixture ring (open) and its GeographicLib area.
fn fixture(name: &str) -> (Vec<[f64; 2]>, f64) {
    let f: Value = serde_json::from_str(include_str!("fixtures/geodesic_reference.json"))
        .expect("fixture JSON");
    let p = f["polygons"]
        .as_array()
        .expect("polygons")
        .iter()
        .find(|p| p["name"] == name)
        .expect("fixture present");
    let mut ring: Vec<[f64; 2]> = p["rings"][0]
        .as_array()
        .expect("ring")
        .iter()
        .map(|c| [c[0].as_f64().expect("x"), c[1].as_f64().expect("y")])
        .collect();
    ring.pop(); // the closing point
    (ring, p["area_m2"].as_f64().expect("area"))
}

fn no_errors(polygons: &[RawPolygon]) -> bool {
    check(polygons, &CheckOptions::default())
        .iter()
        .all(|i| i.severity != Severity::Error)
}

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want
}

#[test]
fn a_ring_drawn_twice_keeps_its_area_and_says_so() {
    // A 40 m star (199 vertices, 3,244.6 m²) walked round twice: odd-even repair loses it all.
    let (star, want) = fixture("Battambang star r=40 m");
    let twice: Vec<[f64; 2]> = star.iter().chain(&star).copied().collect();
    let r = repair(&[vec![twice]]).expect("repaired");
    assert!(
        close(r.area_before_m2, want, 1e-6),
        "{} vs {want}",
        r.area_before_m2
    );
    assert!(
        close(r.area_after_m2, want, 1e-6),
        "{} vs {want}",
        r.area_after_m2
    );
    assert!(no_errors(&raw_polygons(&r.geometry)));
    let last = r.actions.last().expect("an area line");
    assert_eq!(
        last, "area 3,244.6 m² → 3,244.6 m² (+0.00 %)",
        "{:?}",
        r.actions
    );
}

#[test]
fn a_bowtie_keeps_both_lobes_as_geographiclib_measures_them() {
    // 30 m across, the size of the parcels that lost most of their area to the old repair.
    let (sq, _) = fixture("Battambang square 10 m");
    let scale = |c: [f64; 2]| {
        [
            sq[0][0] + 3.0 * (c[0] - sq[0][0]),
            sq[0][1] + 3.0 * (c[1] - sq[0][1]),
        ]
    };
    let [a, b, c, d] = [scale(sq[0]), scale(sq[1]), scale(sq[2]), scale(sq[3])];
    // a→c→b→d crosses itself at the middle of the square.
    let bowtie = vec![a, c, b, d, a];
    let mid = [(a[0] + c[0]) / 2.0, (a[1] + c[1]) / 2.0];
    let want = karney(&[a, b, mid]) + karney(&[c, d, mid]);
    let r = repair(&[vec![bowtie]]).expect("repaired");
    assert_eq!(r.geometry.0.len(), 2);
    assert!(
        close(r.area_before_m2, want, 1e-5),
        "{} vs {want}",
        r.area_before_m2
    );
    assert!(
        close(r.area_after_m2, want, 1e-5),
        "{} vs {want}",
        r.area_after_m2
    );
    assert!(
        r.actions.iter().any(|a| a.contains("self-intersecting")),
        "{:?}",
        r.actions
    );
    assert!(
        r.actions.last().expect("line").starts_with("area 450."),
        "{:?}",
        r.actions
    );
}

#[test]
fn spikes_repeats_and_a_little_loop_cost_no_area() {
    let (sq, want) = fixture("Battambang square 100 m");
    let [a, b, c, d] = [sq[0], sq[1], sq[2], sq[3]];
    let mid_ab = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
    let spike = [mid_ab[0], mid_ab[1] - 0.0005];
    let ring = vec![a, a, mid_ab, spike, mid_ab, b, b, c, d];
    let r = repair(&[vec![ring]]).expect("repaired");
    assert!(
        close(r.area_after_m2, want, 1e-6),
        "{} vs {want}",
        r.area_after_m2
    );
    assert!(close(r.area_before_m2, want, 1e-6));
    assert!(r.actions.iter().any(|a| a.contains("repeated points")));
}

#[test]
fn a_larger_change_than_allowed_is_refused_with_the_figures() {
    // The same 100 m square twice in one multipolygon, the copy moved half a side east: drawn
    // as 2 × 10,006.8 m², the union is three quarters of that.
    let (sq, want) = fixture("Battambang square 100 m");
    let dx = (sq[1][0] - sq[0][0]) / 2.0;
    let moved: Vec<[f64; 2]> = sq.iter().map(|c| [c[0] + dx, c[1]]).collect();
    let both = [vec![sq.clone()], vec![moved]];
    let e = repair(&both).expect_err("a quarter less is too much");
    let GeoError::AreaChange {
        before_m2,
        after_m2,
        max_percent,
    } = e.clone()
    else {
        panic!("{e:?}")
    };
    assert!(close(before_m2, 2.0 * want, 1e-6));
    assert!(close(after_m2, 1.5 * want, 1e-4), "{after_m2}");
    assert_eq!(max_percent, 1.0);
    let text = e.to_string();
    assert!(text.contains("from 20,013.7 m² to 15,010."), "{text}");
    assert!(
        text.contains("(−25.0") && text.contains("more than the 1 % allowed"),
        "{text}"
    );
    // Allowing 30 % lets it through, saying the same figures.
    let r = repair_with(
        &both,
        &RepairOptions {
            max_area_change_percent: 30.0,
        },
    )
    .expect("allowed");
    assert_eq!(r.geometry.0.len(), 1);
    assert!(
        r.actions.iter().any(|a| a.contains("merged 2 polygons")),
        "{:?}",
        r.actions
    );
    assert!(
        r.actions
            .last()
            .expect("line")
            .starts_with("area 20,013.7 m² → 15,010.")
    );
    assert!(
        repair_with(
            &both,
            &RepairOptions {
                max_area_change_percent: f64::NAN
            }
        )
        .is_err()
    );
}

#[test]
fn a_hole_touching_the_exterior_comes_out_valid() {
    let (sq, _) = fixture("Battambang square 100 m");
    let [a, b, c, d] = [sq[0], sq[1], sq[2], sq[3]];
    let lerp =
        |p: [f64; 2], q: [f64; 2], t: f64| [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
    let mid_ab = lerp(a, b, 0.5);
    let inner = |s: f64, t: f64| lerp(lerp(a, b, s), lerp(d, c, s), t);
    // A triangular hole with its tip on the southern edge: OGC-valid, refused by the write
    // check, and the repair must not hand back anything the check refuses.
    let hole = vec![mid_ab, inner(0.7, 0.3), inner(0.3, 0.3), mid_ab];
    let drawn = [vec![vec![a, b, c, d, a], hole.clone()]];
    assert!(!no_errors(&drawn));
    let want = karney(&[a, b, c, d]) - karney(&hole[..3]);
    let r = repair(&drawn).expect("repaired");
    assert!(no_errors(&raw_polygons(&r.geometry)), "{:?}", r.geometry);
    assert_eq!(
        r.geometry.0[0].interiors().len(),
        1,
        "the hole stays a hole"
    );
    assert!(close(r.area_before_m2, want, 1e-6));
    assert!(
        close(r.area_after_m2, want, 1e-5),
        "{} vs {want}",
        r.area_after_m2
    );
    assert!(
        r.actions.iter().any(|a| a.contains("into the hole")),
        "{:?}",
        r.actions
    );
    // The same hole drawn as a loop of the exterior ring (round the square, then round the
    // triangle the other way): the region it winds around has the same hole.
    let looped = vec![a, mid_ab, inner(0.3, 0.3), inner(0.7, 0.3), mid_ab, b, c, d];
    let r = repair(&[vec![looped]]).expect("repaired");
    assert!(no_errors(&raw_polygons(&r.geometry)), "{:?}", r.geometry);
    assert!(
        close(r.area_after_m2, want, 1e-5),
        "{} vs {want}",
        r.area_after_m2
    );
}

#[test]
fn latitude_first_vertices_are_swapped_one_by_one() {
    let (sq, want) = fixture("Battambang square 100 m");
    let mut one = sq.clone();
    one[2] = [one[2][1], one[2][0]];
    let r = repair(&[vec![one]]).expect("repaired");
    assert!(
        r.actions.iter().any(|a| a.ends_with("at vertex 3")),
        "{:?}",
        r.actions
    );
    assert!(close(r.area_after_m2, want, 1e-6));
    let far = vec![[103.2, 13.1], [203.2, 13.1], [103.2, 13.2]];
    let e = repair(&[vec![far]]).expect_err("out of range");
    assert!(e.to_string().contains("vertex 2 (203.2, 13.1)"), "{e}");
}

/// Rings on a coarse grid about 100 m across near Battambang, so that crossings, shared
/// vertices, collinear runs, spikes and holes touching or outside their exterior are common.
fn tangle(rng: &mut SmallRng) -> Vec<RawPolygon> {
    let step = 0.0002; // about 22 m
    (0..rng.random_range(1..4))
        .map(|_| {
            (0..rng.random_range(1..4))
                .map(|_| {
                    let n = rng.random_range(3..10);
                    let mut ring: Vec<[f64; 2]> = (0..n)
                        .map(|_| {
                            [
                                103.2 + step * f64::from(rng.random_range(0..6)),
                                13.1 + step * f64::from(rng.random_range(0..6)),
                            ]
                        })
                        .collect();
                    if rng.random_bool(0.5) {
                        ring.push(ring[0]);
                    }
                    ring
                })
                .collect()
        })
        .collect()
}

#[test]
fn random_invalid_shapes_are_repaired_into_valid_ones_or_refused_with_a_reason() {
    let mut rng = SmallRng::seed_from_u64(22);
    let any = RepairOptions {
        max_area_change_percent: f64::INFINITY,
    };
    let (mut repaired, mut refused, mut invalid) = (0, 0, 0);
    for _ in 0..3000 {
        let drawn = tangle(&mut rng);
        if no_errors(&drawn) {
            continue;
        }
        invalid += 1;
        match repair_with(&drawn, &any) {
            Ok(r) => {
                let left: Vec<_> = check(&raw_polygons(&r.geometry), &CheckOptions::default())
                    .into_iter()
                    .filter(|i| i.severity == Severity::Error)
                    .collect();
                assert!(left.is_empty(), "{drawn:?} → {:?}: {left:?}", r.geometry);
                assert!(r.area_after_m2 > 0.0);
                assert!(r.actions.last().is_some_and(|a| a.starts_with("area ")));
                // Within the default limit, the default repair gives the same answer.
                let change = (r.area_after_m2 - r.area_before_m2).abs() / r.area_before_m2;
                assert_eq!(
                    repair(&drawn).is_ok(),
                    change <= 0.01,
                    "{drawn:?}: {change}"
                );
                repaired += 1;
            }
            Err(e) => {
                assert!(e.to_string().len() > 20, "{drawn:?}: {e}");
                refused += 1;
            }
        }
    }
    eprintln!("{invalid} invalid: {repaired} repaired, {refused} refused");
    assert!(repaired > 500, "{repaired} repaired of {invalid}");
}
