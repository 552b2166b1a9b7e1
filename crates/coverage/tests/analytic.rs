//! Coverage against analytic expectations: straight swaths of known length and width, whose
//! areas are L·W by construction (planar formulas in metres; the positions are laid out
//! with geodesics from an origin, so no projection of this crate is involved).

use geo_types::{LineString, Point, Polygon};
use safeground_coverage::{CoverageError, Fix, coverage};
use safeground_geo::destination;

const ORIGIN: (f64, f64) = (105.0, 12.0);

/// Local east/north metres from the origin to lon/lat (geodesic east, then north).
fn at(x: f64, y: f64) -> (f64, f64) {
    let p = destination(Point::new(ORIGIN.0, ORIGIN.1), 90.0, x);
    let p = destination(p, 0.0, y);
    (p.x(), p.y())
}

/// Fixes every `step` m along y = `y` from x0 to x1, one a second from `t0`.
fn lane(x0: f64, x1: f64, y: f64, step: f64, t0: f64, engaged: Option<bool>) -> Vec<Fix> {
    let n = ((x1 - x0).abs() / step).round() as usize;
    (0..=n)
        .map(|i| {
            let x = x0 + (x1 - x0) * i as f64 / n as f64;
            let (lon, lat) = at(x, y);
            Fix {
                time: t0 + i as f64 * 0.5,
                lon,
                lat,
                heading: None,
                engaged,
                accuracy_m: None,
                record: i + 1,
            }
        })
        .collect()
}

/// A box in local metres as a WGS 84 polygon.
fn boxed(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
    let ring: Vec<(f64, f64)> = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        .iter()
        .map(|&(x, y)| at(x, y))
        .collect();
    Polygon::new(LineString::from(ring), vec![])
}

fn near(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs()
}

const L: f64 = 100.0;
const W: f64 = 1.5;

#[test]
fn a_straight_swath_is_length_times_width() {
    let fixes = lane(0.0, L, 0.0, 0.5, 0.0, Some(true));
    let task = boxed(-50.0, -50.0, 150.0, 50.0);
    let c = coverage(&fixes, W, &task).expect("coverage");
    assert!(near(c.processed_m2, L * W, 1e-3), "{}", c.processed_m2);
    assert!(near(c.task_m2, 200.0 * 100.0, 1e-3), "{}", c.task_m2);
    assert!(near(c.gap_m2, 200.0 * 100.0 - L * W, 1e-3), "{}", c.gap_m2);
    assert!(c.processed_outside_m2 < 1e-6);
    assert!(c.overlap_m2 < 1e-6);
    assert!(near(c.engaged_length_m, L, 1e-3));
    assert!(near(c.coverage_pct, 100.0 * L * W / 20_000.0, 1e-3));
    assert_eq!((c.passes, c.fixes_used), (1, fixes.len()));
}

#[test]
fn a_task_that_is_the_swath_is_fully_covered() {
    let fixes = lane(0.0, L, 0.0, 0.5, 0.0, None);
    let task = boxed(0.0, -W / 2.0, L, W / 2.0);
    let c = coverage(&fixes, W, &task).expect("coverage");
    assert!((c.coverage_pct - 100.0).abs() < 0.1, "{}", c.coverage_pct);
    assert!(c.gap_m2 < 1e-3 * L * W, "{}", c.gap_m2);
    assert!(
        c.processed_outside_m2 < 1e-3 * L * W,
        "{}",
        c.processed_outside_m2
    );
}

#[test]
fn two_passes_overlapping_by_half_a_metre() {
    // East along y = 0, a disengaged U-turn, west along y = 1.0: swaths overlap 0.5 m.
    let mut fixes = lane(0.0, L, 0.0, 0.5, 0.0, Some(true));
    fixes.extend(lane(L, L, 0.5, 0.5, 101.0, Some(false)));
    fixes.extend(lane(L, 0.0, 1.0, 0.5, 102.0, Some(true)));
    let task = boxed(-10.0, -10.0, L + 10.0, 10.0);
    let c = coverage(&fixes, W, &task).expect("coverage");
    assert!(near(c.overlap_m2, L * 0.5, 1e-3), "{}", c.overlap_m2);
    assert!(
        near(c.processed_m2, L * (2.0 * W - 0.5), 1e-3),
        "{}",
        c.processed_m2
    );
    assert_eq!(c.passes, 2);
}

#[test]
fn an_engaged_u_turn_outside_the_task_splits_passes_and_keeps_the_overlap() {
    // Same lanes, joined by an engaged turn 5 m beyond the task's east edge.
    let mut fixes = lane(0.0, L + 5.0, 0.0, 0.5, 0.0, Some(true));
    let (lon, lat) = at(L + 5.5, 0.5);
    fixes.push(Fix {
        time: fixes.last().map_or(0.0, |f| f.time) + 0.5,
        lon,
        lat,
        heading: None,
        engaged: Some(true),
        accuracy_m: None,
        record: 0,
    });
    fixes.extend(lane(L + 5.0, 0.0, 1.0, 0.5, 110.0, Some(true)));
    let task = boxed(0.0, -10.0, L, 10.0);
    let c = coverage(&fixes, W, &task).expect("coverage");
    assert!(near(c.overlap_m2, L * 0.5, 1e-3), "{}", c.overlap_m2);
    assert!(
        near(c.processed_m2, L * (2.0 * W - 0.5), 1e-3),
        "{}",
        c.processed_m2
    );
    assert!(c.processed_outside_m2 > 5.0 * (2.0 * W - 0.5));
    assert!(c.passes >= 2);
}

#[test]
fn a_track_half_outside_the_task() {
    let fixes = lane(0.0, L, 0.0, 0.5, 0.0, Some(true));
    let task = boxed(-100.0, -10.0, L / 2.0, 10.0);
    let c = coverage(&fixes, W, &task).expect("coverage");
    assert!(
        near(c.processed_m2, L / 2.0 * W, 1e-3),
        "{}",
        c.processed_m2
    );
    assert!(
        near(c.processed_outside_m2, L / 2.0 * W, 1e-3),
        "{}",
        c.processed_outside_m2
    );
}

#[test]
fn lanes_too_far_apart_leave_a_gap() {
    // Lanes 2 m apart with a 1.5 m tool: a 0.5 m strip between them is missed.
    let mut fixes = lane(0.0, L, 0.0, 0.5, 0.0, Some(true));
    fixes.extend(lane(L, 0.0, 2.0, 0.5, 200.0, Some(true)));
    let task = boxed(0.0, -W / 2.0, L, 2.0 + W / 2.0);
    let c = coverage(&fixes, W, &task).expect("coverage");
    assert!(near(c.gap_m2, 0.5 * L, 1e-3), "{}", c.gap_m2);
    let big: Vec<f64> = c
        .gaps
        .0
        .iter()
        .map(|p| safeground_geo::geodesic_area(&geo_types::MultiPolygon(vec![p.clone()])))
        .collect();
    assert_eq!(big.iter().filter(|a| **a > 1e-3).count(), 1, "{big:?}");
    assert!(
        near(c.coverage_pct, 100.0 * 3.0 / 3.5, 1e-3),
        "{}",
        c.coverage_pct
    );
    assert!(c.overlap_m2 < 1e-6);
}

#[test]
fn no_engaged_fixes_leave_the_whole_task_a_gap() {
    let fixes = lane(0.0, L, 0.0, 0.5, 0.0, Some(false));
    let task = boxed(0.0, 0.0, 10.0, 10.0);
    let c = coverage(&fixes, W, &task).expect("coverage");
    assert_eq!(c.processed_m2, 0.0);
    assert_eq!(c.coverage_pct, 0.0);
    assert!(near(c.gap_m2, c.task_m2, 1e-9));
    assert_eq!(c.fixes_used, 0);
    let c = coverage(&[], W, &task).expect("coverage of nothing");
    assert!(near(c.gap_m2, 100.0, 1e-3));
}

#[test]
fn bad_width_or_task_is_an_error() {
    let fixes = lane(0.0, L, 0.0, 0.5, 0.0, None);
    let task = boxed(0.0, 0.0, 10.0, 10.0);
    for w in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            coverage(&fixes, w, &task),
            Err(CoverageError::InvalidWidth(_))
        ));
    }
    let empty = Polygon::new(LineString::new(vec![]), vec![]);
    assert!(matches!(
        coverage(&fixes, W, &empty),
        Err(CoverageError::InvalidTask(_))
    ));
    let flat = Polygon::new(
        LineString::from(vec![(1.0, 1.0), (2.0, 1.0), (1.0, 1.0), (1.0, 1.0)]),
        vec![],
    );
    let r = coverage(&fixes, W, &flat);
    assert!(
        matches!(r, Err(CoverageError::InvalidTask(_))),
        "{:?}",
        r.map(|c| c.task_m2)
    );
}

#[test]
fn figures_serialize_without_geometry() {
    let fixes = lane(0.0, 10.0, 0.0, 0.5, 0.0, None);
    let c = coverage(&fixes, W, &boxed(0.0, -5.0, 10.0, 5.0)).expect("coverage");
    let json = serde_json::to_value(&c).expect("json");
    assert!(json.get("processed_m2").is_some());
    assert!(json.get("processed").is_none());
}

#[test]
fn a_hole_in_the_task_is_not_task() {
    // A 10 m × 20 m hole straddles the track: 10 m of swath fall in it (outside the task).
    let fixes = lane(0.0, L, 0.0, 0.5, 0.0, Some(true));
    let outer = boxed(-10.0, -10.0, L + 10.0, 10.0);
    let hole = boxed(40.0, -10.0 + 5.0, 50.0, 5.0);
    let task = Polygon::new(outer.exterior().clone(), vec![hole.exterior().clone()]);
    let c = coverage(&fixes, W, &task).expect("coverage");
    assert!(
        near(c.task_m2, 120.0 * 20.0 - 10.0 * 10.0, 1e-3),
        "{}",
        c.task_m2
    );
    assert!(
        near(c.processed_m2, (L - 10.0) * W, 1e-3),
        "{}",
        c.processed_m2
    );
    assert!(
        near(c.processed_outside_m2, 10.0 * W, 1e-3),
        "{}",
        c.processed_outside_m2
    );
}

#[test]
fn a_task_of_two_polygons_counts_both_and_not_the_ground_between() {
    // The swath crosses two 30 m boxes with 40 m of ground between them (of a 100 m line).
    let fixes = lane(0.0, 100.0, 0.0, 0.5, 0.0, Some(true));
    let task = geo_types::MultiPolygon(vec![
        boxed(10.0, -5.0, 40.0, 5.0),
        boxed(60.0, -5.0, 90.0, 5.0),
    ]);
    let c = safeground_coverage::coverage_of_area(&fixes, W, &task).expect("coverage");
    assert!(near(c.task_m2, 2.0 * 30.0 * 10.0, 1e-3), "{}", c.task_m2);
    assert!(
        near(c.processed_m2, 2.0 * 30.0 * W, 1e-3),
        "{}",
        c.processed_m2
    );
    assert!(
        near(c.processed_outside_m2, 40.0 * W, 1e-3),
        "{}",
        c.processed_outside_m2
    );
    assert!(
        near(c.gap_m2, c.task_m2 - c.processed_m2, 1e-3),
        "{}",
        c.gap_m2
    );
}
