//! Shapes shared by the overlay and area-only tests: metre offsets near Battambang
//! (103.2, 13.1) turned into lon/lat rectangles and rings, and a seeded generator.
#![allow(dead_code)] // each test crate uses its own subset

use geo_types::{Coord, LineString, MultiPolygon, Polygon};

pub const LON0: f64 = 103.2;
pub const LAT0: f64 = 13.1;

/// A lon/lat rectangle from metres east/north of (103.2, 13.1).
pub fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
    let m_lon = 111_320.0 * LAT0.to_radians().cos();
    let c = |x: f64, y: f64| Coord {
        x: LON0 + x / m_lon,
        y: LAT0 + y / 110_574.0,
    };
    Polygon::new(
        LineString(vec![c(x0, y0), c(x1, y0), c(x1, y1), c(x0, y1), c(x0, y0)]),
        vec![],
    )
}

/// A self-intersecting "figure of eight" hazard of about 100 m.
pub fn bowtie() -> MultiPolygon<f64> {
    mp(vec![Polygon::new(
        LineString::from(vec![
            (103.2, 13.1),
            (103.201, 13.101),
            (103.201, 13.1),
            (103.2, 13.101),
            (103.2, 13.1),
        ]),
        vec![],
    )])
}

pub fn mp(polys: Vec<Polygon<f64>>) -> MultiPolygon<f64> {
    MultiPolygon(polys)
}

pub fn with_hole(outer: Polygon<f64>, hole: Polygon<f64>) -> Polygon<f64> {
    Polygon::new(outer.exterior().clone(), vec![hole.exterior().clone()])
}

/// Uniform numbers in [0, 1) from a fixed seed (xorshift64).
pub fn uniform(mut seed: u64) -> impl FnMut() -> f64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Metres east/north of (103.2, 13.1) to lon/lat.
pub fn at(x: f64, y: f64) -> (f64, f64) {
    (
        LON0 + x / (111_320.0 * LAT0.to_radians().cos()),
        LAT0 + y / 110_574.0,
    )
}

pub fn ring(points: &[(f64, f64)]) -> MultiPolygon<f64> {
    let mut c: Vec<(f64, f64)> = points.iter().map(|&(x, y)| at(x, y)).collect();
    c.push(c[0]);
    mp(vec![Polygon::new(LineString::from(c), vec![])])
}
