//! Geodesic area and perimeter on the WGS 84 ellipsoid.
//!
//! Area is computed as the exact area of the polygon whose edges are straight in the authalic
//! (equal-area) cylindrical projection `(λ, q(φ))` — a shoelace sum, tens of ns a vertex. The
//! geodesic edges differ from those straight edges by thin slivers that mostly cancel around a
//! ring; when their estimated net effect could exceed 1e-8 of the area, each edge long enough
//! to matter gets its exact correction (Karney's per-edge area term `S12` minus the authalic
//! trapezoid). The result
//! agrees with GeographicLib's `PolygonArea` to better than 1e-6 relative (see
//! `tests/reference.rs`) while running Karney's inverse only on the few long edges.

use geo_types::{Coord, LineString, MultiPolygon, Point, Polygon};
use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic, capability};

const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_223_563;
/// Mean radius, m (only for error estimates).
const R: f64 = 6_371_008.8;

fn e2() -> f64 {
    F * (2.0 - F)
}

/// Authalic function q(φ) (Snyder 3-12), for φ in degrees.
fn q(lat_deg: f64) -> f64 {
    let e2 = e2();
    let e = e2.sqrt();
    let s = lat_deg.to_radians().sin();
    (1.0 - e2) * (s / (1.0 - e2 * s * s) - (1.0 / (2.0 * e)) * ((1.0 - e * s) / (1.0 + e * s)).ln())
}

/// Signed area of one ring in m² (positive when counter-clockwise), closed or not.
fn ring_area(ring: &LineString<f64>, geodesic: &Geodesic) -> f64 {
    let c = &ring.0;
    let n = if c.len() > 1 && c[0] == c[c.len() - 1] {
        c.len() - 1
    } else {
        c.len()
    };
    if n < 3 {
        return 0.0;
    }
    // Pass 1: authalic shoelace relative to the first vertex (keeps the sums small), and an
    // estimate of the slivers between each geodesic edge and the straight authalic edge: about
    // dx·L²·tan φ / (12 R) for an edge of length L with east–west extent dx. Opposite edges
    // bow the same way, so the slivers largely cancel around a ring.
    let x0 = c[0].x.to_radians();
    let tan0 = c[0].y.to_radians().tan();
    let cos0 = c[0].y.to_radians().cos();
    let qs: Vec<f64> = c[..n].iter().map(|p| q(p.y)).collect();
    let y0 = qs[0];
    let (mut acc, mut sliver_sum, mut sliver_abs) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let j = (i + 1) % n;
        let (xi, yi) = (c[i].x.to_radians() - x0, qs[i] - y0);
        let (xj, yj) = (c[j].x.to_radians() - x0, qs[j] - y0);
        acc += xi * yj - xj * yi;
        let dx = (xj - xi) * R * cos0;
        let dy = (c[j].y - c[i].y).to_radians() * R;
        let s = dx * (dx * dx + dy * dy);
        sliver_sum += s;
        sliver_abs += s.abs();
    }
    let authalic = acc * A * A / 4.0;
    let scale = (tan0.abs() + 0.01) / (12.0 * R);
    // Skip the exact pass when the net sliver, with a 10 % allowance on every edge's estimate,
    // is below 1e-8 of the area (or below 1e-6 m²).
    if (sliver_sum.abs() + 0.1 * sliver_abs) * scale <= (1e-8 * authalic.abs()).max(1e-6) {
        return authalic;
    }

    // Pass 2: exact per-edge correction (Karney's S12 minus the authalic trapezoid) on every
    // edge whose sliver could matter; slivers below 1e-5 m² are the rounding noise of S12
    // itself (GeographicLib's areas are accurate to about 0.1 m² on a whole-Earth scale).
    let budget = (1e-9 * authalic.abs() / n as f64).max(1e-5);
    let mut correction = 0.0;
    for i in 0..n {
        let j = (i + 1) % n;
        let (p, r) = (c[i], c[j]);
        let dx = (r.x - p.x).to_radians() * R * cos0;
        let dy = (r.y - p.y).to_radians() * R;
        if 2.0 * dx.abs() * (dx * dx + dy * dy) * scale > budget {
            let s12 = edge_s12(geodesic, p, r);
            let trapezoid = 0.5 * A * A * (r.x - p.x).to_radians() * 0.5 * (qs[i] + qs[j]);
            correction += trapezoid - s12;
        }
    }
    authalic + correction
}

/// Karney's S12 for one edge: area between the geodesic and the equator (GeographicLib's sign).
fn edge_s12(geodesic: &Geodesic, p: Coord<f64>, r: Coord<f64>) -> f64 {
    let out = geodesic._gen_inverse(p.y, p.x, r.y, r.x, capability::AREA | capability::STANDARD);
    out.9
}

/// Geodesic area of a polygon in m²: exterior minus holes, whatever the ring orientation.
///
/// ```
/// use geo_types::polygon;
/// // The 1 km² test square of STACK.md §1.2.1 near Battambang: 993,333.1 m² (SpatiaLite agrees).
/// let p = polygon![(x: 103.20, y: 13.10), (x: 103.2092, y: 13.10), (x: 103.2092, y: 13.109), (x: 103.20, y: 13.109)];
/// assert!((safeground_geo::polygon_area(&p) - 993_333.1).abs() < 0.1);
/// ```
pub fn polygon_area(p: &Polygon<f64>) -> f64 {
    let g = Geodesic::wgs84();
    let outer = ring_area(p.exterior(), &g).abs();
    let holes: f64 = p.interiors().iter().map(|h| ring_area(h, &g).abs()).sum();
    (outer - holes).max(0.0)
}

/// Geodesic area of a multipolygon in m² (sum of its polygons).
pub fn geodesic_area(mp: &MultiPolygon<f64>) -> f64 {
    let g = Geodesic::wgs84();
    mp.0.iter()
        .map(|p| {
            let outer = ring_area(p.exterior(), &g).abs();
            let holes: f64 = p.interiors().iter().map(|h| ring_area(h, &g).abs()).sum();
            (outer - holes).max(0.0)
        })
        .sum()
}

fn ring_length(ring: &LineString<f64>, g: &Geodesic) -> f64 {
    ring.0
        .windows(2)
        .map(|w| {
            let s: f64 = g.inverse(w[0].y, w[0].x, w[1].y, w[1].x);
            s
        })
        .sum()
}

/// Geodesic perimeter in metres: every ring, exterior and holes.
pub fn geodesic_perimeter(mp: &MultiPolygon<f64>) -> f64 {
    let g = Geodesic::wgs84();
    mp.0.iter()
        .map(|p| {
            ring_length(p.exterior(), &g)
                + p.interiors()
                    .iter()
                    .map(|h| ring_length(h, &g))
                    .sum::<f64>()
        })
        .sum()
}

/// Geodesic distance between two points, m.
pub fn geodesic_distance(a: Point<f64>, b: Point<f64>) -> f64 {
    Geodesic::wgs84().inverse(a.y(), a.x(), b.y(), b.x())
}

/// The point at `distance_m` metres from `from` along bearing `bearing_deg` (clockwise from
/// true north), on the ellipsoid.
pub fn destination(from: Point<f64>, bearing_deg: f64, distance_m: f64) -> Point<f64> {
    let (lat, lon): (f64, f64) =
        Geodesic::wgs84().direct(from.y(), from.x(), bearing_deg, distance_m);
    Point::new(lon, lat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geographiclib_rs::{PolygonArea, Winding};

    fn karney(p: &Polygon<f64>) -> f64 {
        let g = Geodesic::wgs84();
        let mut pa = PolygonArea::new(&g, Winding::CounterClockwise);
        for c in &p.exterior().0[..p.exterior().0.len() - 1] {
            pa.add_point(c.y, c.x);
        }
        pa.compute(true).1.abs()
    }

    /// The shortcut that skips the exact pass must never cost accuracy: compare with Karney on
    /// irregular polygons of 3–200 vertices, 10 m–20 km across, from the equator to 60°.
    #[test]
    fn shortcut_agrees_with_karney_on_irregular_polygons() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rnd = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut worst = 0.0f64;
        for _ in 0..3000 {
            let lat = -60.0 + 120.0 * rnd();
            let lon = -170.0 + 340.0 * rnd();
            let r = 10.0 * (rnd() * 7.6).exp(); // 10 m – 20 km
            let n = 3 + (rnd() * 198.0) as usize;
            let stretch = 1.0 + 4.0 * rnd();
            let mut ring: Vec<Coord<f64>> = (0..n)
                .map(|i| {
                    let a = (i as f64 + rnd() * 0.9) / n as f64 * std::f64::consts::TAU;
                    let k = r * (0.3 + 0.7 * rnd());
                    Coord {
                        x: lon + k * a.cos() * stretch / (111_320.0 * lat.to_radians().cos()),
                        y: lat + k * a.sin() / 110_574.0,
                    }
                })
                .collect();
            ring.push(ring[0]);
            let p = Polygon::new(LineString(ring), vec![]);
            let want = karney(&p);
            if want < 100.0 {
                continue; // below GeographicLib's own rounding at 1e-6 relative
            }
            let rel = (polygon_area(&p) - want).abs() / want;
            // GeographicLib's own result carries ~1e-4 m² of rounding on small many-vertex rings.
            if (polygon_area(&p) - want).abs() > 5e-4 {
                worst = worst.max(rel);
            }
        }
        assert!(worst < 2e-7, "worst relative difference {worst:e}");
    }
}
