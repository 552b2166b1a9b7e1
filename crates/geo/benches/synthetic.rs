//! The synthetic hazards of `../shared/PERFORMANCE.md` §4.3 (the PostGIS generator), ported:
//! star-shaped hazards of 5–200 vertices with log-uniform radius 50 m–2 km over a
//! Cambodia-sized extent, each with 3 overlapping star-shaped clearances of 5–64 vertices.

use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

/// One hazard and its three clearances.
pub struct Case {
    pub hazard: MultiPolygon<f64>,
    pub clearances: Vec<MultiPolygon<f64>>,
}

fn star(rng: &mut SmallRng, cx: f64, cy: f64, r: f64, nv: usize) -> MultiPolygon<f64> {
    let mut ring: Vec<Coord<f64>> = (0..nv)
        .map(|i| {
            let a = (i as f64 + rng.random::<f64>() * 0.8) / nv as f64 * std::f64::consts::TAU;
            let k = 0.6 + 0.4 * rng.random::<f64>();
            Coord {
                x: cx + r / (111_320.0 * cy.to_radians().cos()) * k * a.cos(),
                y: cy + r / 111_320.0 * k * a.sin(),
            }
        })
        .collect();
    ring.push(ring[0]);
    MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])
}

/// `n` cases from a fixed seed.
pub fn cases(n: usize, seed: u64) -> Vec<Case> {
    let mut rng = SmallRng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let cx = 102.3 + rng.random::<f64>() * 5.3;
            let cy = 10.4 + rng.random::<f64>() * 4.3;
            let r = 50.0 * (rng.random::<f64>() * 3.7).exp();
            let nv = 5 + rng.random_range(0..196);
            let hazard = star(&mut rng, cx, cy, r, nv);
            let clearances = (0..3)
                .map(|_| {
                    let ccx = cx + (rng.random::<f64>() * 2.0 - 1.0) * r / 111_320.0;
                    let ccy = cy + (rng.random::<f64>() * 2.0 - 1.0) * r / 111_320.0;
                    let cr = r * (0.4 + 0.5 * rng.random::<f64>());
                    let cnv = 5 + rng.random_range(0..60);
                    star(&mut rng, ccx, ccy, cr, cnv)
                })
                .collect();
            Case { hazard, clearances }
        })
        .collect()
}
