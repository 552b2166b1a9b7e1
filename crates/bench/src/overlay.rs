//! The Safeground side of W2: per hazard, `safeground_geo::remaining_area` (the geodesic area of
//! hazard − ⋃ released, from one walk along the boundaries), summed per admin area.
//!
//! Parallel over hazards on plain `std::thread::scope` workers (the workspace's geometry crate
//! has no rayon): workers take blocks of hazards from a shared counter and write per-hazard
//! areas, which are then summed per admin area in hazard order, so the result is bit-identical
//! for any number of threads.

use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, anyhow};

use crate::generate::Dataset;

/// Hazards a worker takes at a time.
const BLOCK: usize = 64;

/// Remaining geodesic area (m²) of every hazard, in hazard order, on `threads` threads.
pub fn remaining_per_hazard(ds: &Dataset, threads: usize) -> Result<Vec<f64>> {
    let next = AtomicUsize::new(0);
    let work = || -> Result<Vec<(usize, Vec<f64>)>> {
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(BLOCK, Ordering::Relaxed);
            if start >= ds.hazards.len() {
                return Ok(done);
            }
            let block = &ds.hazards[start..(start + BLOCK).min(ds.hazards.len())];
            let areas = block
                .iter()
                .map(|h| {
                    let released: Vec<_> = h.releases.iter().collect();
                    safeground_geo::remaining_area(&h.geometry, &released)
                        .with_context(|| format!("hazard {}", h.id))
                })
                .collect::<Result<Vec<f64>>>()?;
            done.push((start, areas));
        }
    };
    let blocks = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.max(1)).map(|_| s.spawn(work)).collect();
        workers
            .into_iter()
            .map(|w| w.join().map_err(|_| anyhow!("a worker thread panicked"))?)
            .collect::<Result<Vec<_>>>()
    })?;
    let mut out = vec![0.0; ds.hazards.len()];
    for (start, areas) in blocks.into_iter().flatten() {
        out[start..start + areas.len()].copy_from_slice(&areas);
    }
    Ok(out)
}

/// Sums per-hazard values per admin area (index `admin - 1`), in hazard order.
pub fn per_admin(ds: &Dataset, per_hazard: &[f64]) -> Vec<f64> {
    let mut sums = vec![0.0; ds.admins];
    for (h, v) in ds.hazards.iter().zip(per_hazard) {
        if let Some(s) = usize::try_from(h.admin - 1)
            .ok()
            .and_then(|i| sums.get_mut(i))
        {
            *s += v;
        }
    }
    sums
}

/// Geodesic area (m²) of every hazard as drawn, in hazard order (the "area only" part of the
/// time breakdown).
pub fn hazard_areas(ds: &Dataset) -> Vec<f64> {
    ds.hazards
        .iter()
        .map(|h| safeground_geo::geodesic_area(&h.geometry))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{Hazard, generate};
    use geo_types::{MultiPolygon, polygon};

    /// A lon/lat box; its geodesic area near the equator is a²(1 − e²)·Δλ·Δφ to ~1e-9.
    fn boxed(w: f64, s: f64, e: f64, n: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![
            polygon![(x: w, y: s), (x: e, y: s), (x: e, y: n), (x: w, y: n)],
        ])
    }

    #[test]
    fn tiny_dataset_matches_hand_computed_areas() {
        // WGS 84: a = 6 378 137 m, e² = 0.006 694 379 990 14.
        let d = 0.001f64.to_radians();
        let full = 6_378_137f64.powi(2) * (1.0 - 0.006_694_379_990_14) * d * d;
        let ds = Dataset {
            admins: 2,
            hazards: vec![
                // Admin 1: a 0.001° box straddling the equator, its western half released twice
                // (overlapping), plus a release far away that must be ignored.
                Hazard {
                    id: 1,
                    admin: 1,
                    geometry: boxed(103.0, -0.0005, 103.001, 0.0005),
                    releases: vec![
                        boxed(102.9995, -0.001, 103.0005, 0.0),
                        boxed(102.9995, -0.0002, 103.0005, 0.001),
                        boxed(104.0, 1.0, 104.001, 1.001),
                    ],
                },
                // Admin 2: the same box with nothing released, and one fully released.
                Hazard {
                    id: 2,
                    admin: 2,
                    geometry: boxed(105.0, -0.0005, 105.001, 0.0005),
                    releases: vec![],
                },
                Hazard {
                    id: 3,
                    admin: 2,
                    geometry: boxed(106.0, -0.0005, 106.001, 0.0005),
                    releases: vec![boxed(105.999, -0.001, 106.002, 0.001)],
                },
            ],
        };
        for threads in [1, 2] {
            let sums = per_admin(&ds, &remaining_per_hazard(&ds, threads).expect("overlay"));
            assert!(
                (sums[0] - full / 2.0).abs() < 1e-6 * full,
                "{} vs {}",
                sums[0],
                full / 2.0
            );
            assert!(
                (sums[1] - full).abs() < 1e-6 * full,
                "{} vs {full}",
                sums[1]
            );
        }
    }

    #[test]
    fn thread_count_does_not_change_the_result() {
        let ds = generate(200, 600, 3);
        let one = remaining_per_hazard(&ds, 1).expect("overlay");
        assert_eq!(one, remaining_per_hazard(&ds, 2).expect("overlay"));
        let drawn = hazard_areas(&ds);
        assert!(
            one.iter()
                .zip(&drawn)
                .all(|(r, a)| *r >= 0.0 && *r <= a * (1.0 + 1e-9))
        );
        assert!(one.iter().sum::<f64>() < drawn.iter().sum::<f64>());
    }
}
