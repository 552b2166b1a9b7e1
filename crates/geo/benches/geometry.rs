//! Geometry benchmark: geodesic area per vertex and hazard-minus-released overlays per case,
//! each compared in the same run with the alternative a user would otherwise get, and with the
//! PostGIS figures measured on this machine kind (`../shared/PERFORMANCE.md` §2.2–2.3).
//!
//! Run: `cargo bench -p safeground-geo` (release build, single thread).

mod synthetic;

use std::hint::black_box;
use std::time::{Duration, Instant};

use geo::BooleanOps;
use geo_types::MultiPolygon;
use geographiclib_rs::{Geodesic, PolygonArea, Winding};

/// PostGIS 3.3 `ST_Area(geom::geography)`, 1 worker, on this machine kind: µs per vertex.
const POSTGIS_AREA_US_PER_VERTEX: f64 = 1.9;
/// PostGIS `ST_Difference(h.geom, ST_Union(c.geom))` + `ST_Area`: µs per hazard-minus-3 case.
const POSTGIS_OVERLAY_US_PER_CASE: f64 = 840.0;
const RUNS: usize = 5;

fn best_of<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let r = black_box(f());
        best = best.min(t.elapsed());
        out = Some(r);
    }
    (best, out.expect("at least one run"))
}

fn karney_area(mp: &MultiPolygon<f64>) -> f64 {
    let g = Geodesic::wgs84();
    mp.0.iter()
        .map(|p| {
            let mut pa = PolygonArea::new(&g, Winding::CounterClockwise);
            for c in &p.exterior().0[..p.exterior().0.len() - 1] {
                pa.add_point(c.y, c.x);
            }
            pa.compute(true).1.abs()
        })
        .sum()
}

fn main() {
    let cases = synthetic::cases(2_000, 42);
    // Area: the first 1,000 hazards; overlay: all 2,000 cases.
    let hazards: Vec<&MultiPolygon<f64>> = cases.iter().take(1_000).map(|c| &c.hazard).collect();

    let vertices: usize = hazards.iter().map(|h| h.0[0].exterior().0.len() - 1).sum();
    let (ours, total) = best_of(|| {
        hazards
            .iter()
            .map(|h| safeground_geo::geodesic_area(h))
            .sum::<f64>()
    });
    let (karney, total_k) = best_of(|| hazards.iter().map(|h| karney_area(h)).sum::<f64>());
    let worst_polygon = hazards
        .iter()
        .map(|h| {
            let k = karney_area(h);
            (safeground_geo::geodesic_area(h) - k).abs() / k
        })
        .fold(0.0f64, f64::max);
    let ours_v = ours.as_secs_f64() * 1e6 / vertices as f64;
    let karney_v = karney.as_secs_f64() * 1e6 / vertices as f64;
    println!(
        "geodesic area: {} hazards, {vertices} vertices (best of {RUNS})",
        hazards.len()
    );
    println!(
        "  safeground-geo            {:>8.3} µs/vertex  total {:.6} km²",
        ours_v,
        total / 1e6
    );
    println!(
        "  GeographicLib (Karney)    {:>8.3} µs/vertex  total {:.6} km²  (relative difference {:.1e})",
        karney_v,
        total_k / 1e6,
        (total - total_k).abs() / total_k
    );
    println!("  worst single-polygon relative difference: {worst_polygon:.1e}");
    println!(
        "  PostGIS ST_Area(geography) {:>7.3} µs/vertex  (PERFORMANCE.md §2.2)",
        POSTGIS_AREA_US_PER_VERTEX
    );
    println!(
        "  ratios: {:.1}× faster than GeographicLib, {:.1}× faster than PostGIS; target ≤ 1 µs/vertex",
        karney_v / ours_v,
        POSTGIS_AREA_US_PER_VERTEX / ours_v
    );

    let (ours, rem) = best_of(|| {
        cases
            .iter()
            .map(|c| {
                let released: Vec<&MultiPolygon<f64>> = c.clearances.iter().collect();
                safeground_geo::remaining(&c.hazard, &released)
                    .map(|r| r.area_m2)
                    .unwrap_or(f64::NAN)
            })
            .sum::<f64>()
    });
    let (walk, rem_w) = best_of(|| {
        cases
            .iter()
            .map(|c| {
                let released: Vec<&MultiPolygon<f64>> = c.clearances.iter().collect();
                safeground_geo::remaining_area(&c.hazard, &released).unwrap_or(f64::NAN)
            })
            .sum::<f64>()
    });
    let (union_diff, rem_u) = best_of(|| {
        cases
            .iter()
            .map(|c| {
                let union = c.clearances[0]
                    .union(&c.clearances[1])
                    .union(&c.clearances[2]);
                safeground_geo::geodesic_area(&c.hazard.difference(&union))
            })
            .sum::<f64>()
    });
    let ours_c = ours.as_secs_f64() * 1e6 / cases.len() as f64;
    let union_c = union_diff.as_secs_f64() * 1e6 / cases.len() as f64;
    let walk_c = walk.as_secs_f64() * 1e6 / cases.len() as f64;
    println!(
        "hazard minus 3 released areas + geodesic area: {} cases (best of {RUNS})",
        cases.len()
    );
    println!(
        "  safeground-geo remaining()        {:>8.1} µs/case  Σ remaining {:.6} km²",
        ours_c,
        rem / 1e6
    );
    println!(
        "  safeground-geo remaining_area()   {:>8.1} µs/case  Σ remaining {:.6} km²  (relative difference {:.1e})",
        walk_c,
        rem_w / 1e6,
        (rem - rem_w).abs() / rem
    );
    println!(
        "  geo union-then-difference         {:>8.1} µs/case  Σ remaining {:.6} km²  (relative difference {:.1e})",
        union_c,
        rem_u / 1e6,
        (rem - rem_u).abs() / rem_u
    );
    println!(
        "  PostGIS ST_Difference(ST_Union)   {:>8.1} µs/case  (PERFORMANCE.md §2.3)",
        POSTGIS_OVERLAY_US_PER_CASE
    );
    println!(
        "  ratios: {:.2}× faster than union-then-difference, {:.1}× faster than PostGIS; target ≤ 170 µs/case",
        union_c / ours_c,
        POSTGIS_OVERLAY_US_PER_CASE / ours_c
    );
    println!(
        "  area only: {:.2}× faster than remaining(), {:.1}× faster than PostGIS",
        ours_c / walk_c,
        POSTGIS_OVERLAY_US_PER_CASE / walk_c
    );
}
