//! Geodesic area and perimeter on the WGS 84 ellipsoid.
//!
//! Area is computed as the exact area of the polygon whose edges are straight in the authalic
//! (equal-area) cylindrical projection `(λ, q(φ))` — a shoelace sum, tens of ns a vertex — plus
//! the thin sliver between each geodesic edge and its straight authalic counterpart. Each
//! sliver has a closed form, `−dx·(dx² + 3dy²)·tan φ / 12N` with `dx = Δλ·N·cos φ`,
//! `dy = Δφ·M` (N, M the ellipsoid's radii of curvature, all at the edge's middle), which
//! agrees with Karney's exact per-edge term to within `|sliver|·(1e-4 + (L/N)²·(1 + tan²φ))`
//! for edges up to 50 km and latitudes up to 80° (measured with GeographicLib, see
//! `sliver_model_is_within_its_bound` below). Only edges whose bound is too large for 1e-9 of
//! the area — long edges, polar latitudes — get the exact correction (Karney's `S12` minus
//! the authalic trapezoid). Short edges are in fact better served by the closed form: the
//! exact term is a difference of areas to the equator and carries up to ~7e-3 m² of
//! rounding. The result agrees with GeographicLib's `PolygonArea` to better than 1e-7
//! relative (see `tests/reference.rs`) at about 35 ns per vertex (`benches/geometry.rs`).

use geo_types::{Coord, LineString, MultiPolygon, Point, Polygon};
use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic, capability};

const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_223_563;
const E2: f64 = F * (2.0 - F);

/// Edges longer than this (as `(L/N)²`, i.e. 50 km) always get Karney's exact term: the
/// closed-form sliver was only verified up to there.
const MODEL_MAX_L2: f64 = (50_000.0 / A) * (50_000.0 / A);
/// Nor is the closed form used poleward of 80° (tan² 80° ≈ 32.2).
const MODEL_MAX_TAN2: f64 = 32.2;
/// Share of the ring's area that the closed-form slivers may leave uncertain in all.
const AREA_TOLERANCE: f64 = 1e-9;
/// Rounding noise of one edge's exact term: S12 is an area to the equator (10⁸–10⁹ m² for a
/// 100 m edge) and carries up to ~7e-3 m² of rounding in geographiclib-rs (measured from
/// 80°S to 80°N in `sliver_model_is_within_its_bound`). An edge whose closed-form bound is
/// below this is better served by the closed form.
const EXACT_NOISE_M2: f64 = 1e-2;

/// Authalic function q(φ) (Snyder 3-12), from sin φ.
fn q_from_sin(s: f64) -> f64 {
    let e = E2.sqrt();
    (1.0 - E2) * (s / (1.0 - E2 * s * s) - (1.0 / (2.0 * e)) * ((1.0 - e * s) / (1.0 + e * s)).ln())
}

/// What the area sums need of one vertex.
#[derive(Clone, Copy)]
struct Vertex {
    /// Longitude, radians.
    lambda: f64,
    /// Latitude, radians.
    phi: f64,
    /// Authalic q(φ).
    q: f64,
    cos: f64,
    tan: f64,
    /// Prime-vertical radius of curvature N, m.
    n: f64,
    /// Meridional radius of curvature M, m.
    m: f64,
}

impl Vertex {
    fn new(c: Coord<f64>) -> Vertex {
        let phi = c.y.to_radians();
        let (sin, cos) = phi.sin_cos();
        let w2 = 1.0 - E2 * sin * sin;
        let n = A / w2.sqrt();
        Vertex {
            lambda: c.x.to_radians(),
            phi,
            q: q_from_sin(sin),
            cos,
            tan: sin / cos,
            n,
            m: n * (1.0 - E2) / w2,
        }
    }
}

/// The closed-form sliver of edge p→r (signed as a correction to a counter-clockwise ring's
/// authalic area), a bound on its error, and whether the edge is within the range where that
/// bound was verified.
fn edge_sliver(p: &Vertex, r: &Vertex) -> (f64, f64, bool) {
    let (cos, tan) = (0.5 * (p.cos + r.cos), 0.5 * (p.tan + r.tan));
    let (n, m) = (0.5 * (p.n + r.n), 0.5 * (p.m + r.m));
    let dx = (r.lambda - p.lambda) * n * cos;
    let dy = (r.phi - p.phi) * m;
    let sliver = -dx * (dx * dx + 3.0 * dy * dy) * tan / (12.0 * n);
    let l2 = (dx * dx + dy * dy) / (n * n);
    let tan2 = tan * tan;
    let bound = sliver.abs() * (1e-4 + l2 * (1.0 + tan2));
    let modelled = l2 <= MODEL_MAX_L2 && tan2 <= MODEL_MAX_TAN2;
    (sliver, bound, modelled)
}

/// Signed area of one ring in m² (positive when counter-clockwise), closed or not.
fn ring_area(ring: &LineString<f64>) -> f64 {
    let c = &ring.0;
    let n = if c.len() > 1 && c[0] == c[c.len() - 1] {
        c.len() - 1
    } else {
        c.len()
    };
    if n < 3 {
        return 0.0;
    }
    let vertices: Vec<Vertex> = c[..n].iter().map(|&p| Vertex::new(p)).collect();
    edges_area(&c[..n], &vertices, (0..n).map(|i| (i, (i + 1) % n)))
}

/// Signed area in m² enclosed by directed edges that form closed loops, in any order (each
/// loop counts positive when counter-clockwise): `edges` index `points`. Used for regions
/// whose boundary is known edge by edge but never assembled into rings.
pub(crate) fn loops_area(points: &[Coord<f64>], edges: &[(usize, usize)]) -> f64 {
    let vertices: Vec<Vertex> = points.iter().map(|&p| Vertex::new(p)).collect();
    edges_area(points, &vertices, edges.iter().copied())
}

/// The sum over directed edges of the authalic shoelace term (relative to the first edge's
/// start, to keep the sums small) and the sliver between each geodesic edge and its straight
/// authalic counterpart; `vertices[i]` is `points[i]` prepared.
fn edges_area(
    points: &[Coord<f64>],
    vertices: &[Vertex],
    edges: impl Iterator<Item = (usize, usize)> + Clone,
) -> f64 {
    let Some((origin, _)) = edges.clone().next() else {
        return 0.0;
    };
    let (x0, y0) = (vertices[origin].lambda, vertices[origin].q);
    // Pass 1: the shoelace and the closed-form slivers with their error bounds.
    let (mut acc, mut sliver, mut uncertain, mut largest, mut all_modelled, mut count) =
        (0.0, 0.0, 0.0, 0.0f64, true, 0usize);
    for (i, j) in edges.clone() {
        let (p, r) = (&vertices[i], &vertices[j]);
        acc += (p.lambda - x0) * (r.q - y0) - (r.lambda - x0) * (p.q - y0);
        let (s, bound, modelled) = edge_sliver(p, r);
        sliver += s;
        uncertain += bound;
        largest = largest.max(bound);
        all_modelled &= modelled;
        count += 1;
    }
    let authalic = acc * A * A / 4.0;
    if all_modelled && (uncertain <= AREA_TOLERANCE * authalic.abs() || largest <= EXACT_NOISE_M2) {
        return authalic + sliver;
    }

    // Pass 2: Karney's exact term (S12 minus the authalic trapezoid) for every edge outside
    // the closed form's range or whose bound exceeds its share of the tolerance (and the
    // exact term's own rounding noise).
    let geodesic = Geodesic::wgs84();
    let budget = (AREA_TOLERANCE * authalic.abs() / count as f64).max(EXACT_NOISE_M2);
    let mut correction = 0.0;
    for (i, j) in edges {
        let (p, r) = (&vertices[i], &vertices[j]);
        let (s, bound, modelled) = edge_sliver(p, r);
        if !modelled || bound > budget {
            let trapezoid = 0.5 * A * A * (r.lambda - p.lambda) * 0.5 * (p.q + r.q);
            correction += trapezoid - edge_s12(&geodesic, points[i], points[j]);
        } else {
            correction += s;
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
    let outer = ring_area(p.exterior()).abs();
    let holes: f64 = p.interiors().iter().map(|h| ring_area(h).abs()).sum();
    (outer - holes).max(0.0)
}

/// Geodesic area of a multipolygon in m²: the sum of [`polygon_area`] over its polygons
/// (holes subtracted, ring orientation ignored, never negative).
pub fn geodesic_area(mp: &MultiPolygon<f64>) -> f64 {
    mp.0.iter().map(polygon_area).sum()
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
///
/// ```
/// use geo_types::{MultiPolygon, polygon};
/// let p = polygon![(x: 103.20, y: 13.10), (x: 103.2092, y: 13.10), (x: 103.2092, y: 13.109), (x: 103.20, y: 13.109)];
/// // GeographicLib: 3,986.646 m.
/// assert!((safeground_geo::geodesic_perimeter(&MultiPolygon(vec![p])) - 3_986.646).abs() < 1e-3);
/// ```
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

/// Geodesic distance between two points on WGS 84, m (Karney's inverse problem).
///
/// ```
/// use geo_types::Point;
/// let d = safeground_geo::geodesic_distance(Point::new(103.2, 13.1), Point::new(103.2092, 13.109));
/// assert!((d - 1_409.493).abs() < 1e-3); // GeographicLib: 1,409.4928 m
/// ```
pub fn geodesic_distance(a: Point<f64>, b: Point<f64>) -> f64 {
    Geodesic::wgs84().inverse(a.y(), a.x(), b.y(), b.x())
}

/// The point at `distance_m` metres from `from` along bearing `bearing_deg` (clockwise from
/// true north), on the ellipsoid (Karney's direct problem).
///
/// ```
/// use geo_types::Point;
/// // 1 km due east of (103.2, 13.1): GeographicLib gives 103.2092216, 13.0999998.
/// let p = safeground_geo::destination(Point::new(103.2, 13.1), 90.0, 1_000.0);
/// assert!((p.x() - 103.209_221_6).abs() < 1e-7 && (p.y() - 13.099_999_8).abs() < 1e-7);
/// ```
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

    /// The closed-form sliver against Karney's exact per-edge term (S12 minus the authalic
    /// trapezoid), for edges of 100 m–50 km at every azimuth from 80°S to 80°N: the error
    /// stays within the bound that decides when Karney is needed, give or take the rounding
    /// noise of the exact term itself.
    #[test]
    fn sliver_model_is_within_its_bound() {
        let g = Geodesic::wgs84();
        let (mut worst, mut noise) = (0.0f64, 0.0f64);
        for lat in [
            0.0f64, 0.01, 0.5, 5.0, 13.0, 25.0, 40.0, 55.0, 70.0, 79.0, -0.2, -12.0, -45.0, -79.0,
        ] {
            for length in [100.0, 1_000.0, 5_000.0, 20_000.0, 49_000.0] {
                for az in (0..360).step_by(7) {
                    let p = Coord { x: 103.0, y: lat };
                    let (lat2, lon2): (f64, f64) =
                        g.direct(lat, 103.0, f64::from(az) + 0.5, length);
                    let r = Coord { x: lon2, y: lat2 };
                    let (vp, vr) = (Vertex::new(p), Vertex::new(r));
                    let (model, bound, modelled) = edge_sliver(&vp, &vr);
                    if !modelled {
                        continue;
                    }
                    let trapezoid = 0.5 * A * A * (vr.lambda - vp.lambda) * 0.5 * (vp.q + vr.q);
                    let exact = trapezoid - edge_s12(&g, p, r);
                    let err = (model - exact).abs();
                    assert!(
                        err <= bound + EXACT_NOISE_M2,
                        "lat {lat} az {az} L {length}: {model} vs {exact} (bound {bound})"
                    );
                    worst = worst.max(err / (bound + EXACT_NOISE_M2));
                    noise = noise.max(err - bound);
                }
            }
        }
        eprintln!(
            "worst error / (bound + noise): {worst:.3}; largest error beyond the bound {noise:e} m²"
        );
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
            let p = Polygon::new(LineString(ring.clone()), vec![]);
            let want = karney(&p);
            ring.reverse();
            let clockwise = polygon_area(&Polygon::new(LineString(ring), vec![]));
            assert!(
                (clockwise - polygon_area(&p)).abs() <= 1e-9 * want.max(1.0),
                "orientation"
            );
            if want < 100.0 {
                continue; // below GeographicLib's own rounding at 1e-6 relative
            }
            let rel = (polygon_area(&p) - want).abs() / want;
            // GeographicLib's own result carries ~1e-4 m² of rounding on small many-vertex rings.
            if (polygon_area(&p) - want).abs() > 5e-4 && rel > worst {
                worst = rel;
            }
        }
        assert!(worst < 2e-7, "worst relative difference {worst:e}");
    }

    /// Finite input never gives NaN or a negative area, even far outside longitude/latitude.
    #[test]
    fn out_of_range_finite_input_is_not_nan() {
        use geo_types::polygon;
        let cases = [
            polygon![(x: 103.0, y: 89.0), (x: 104.0, y: 90.0), (x: 105.0, y: 89.5)],
            polygon![(x: 103.0, y: 95.0), (x: 500.0, y: 13.0), (x: 105.0, y: -100.0)],
            polygon![(x: -1e300, y: -1e300), (x: 1e300, y: -1e300), (x: 1e300, y: 1e300)],
            polygon![(x: 0.0, y: 0.0), (x: 0.0, y: 0.0), (x: 0.0, y: 0.0)],
        ];
        for p in &cases {
            let a = polygon_area(p);
            assert!(a >= 0.0 && !a.is_nan(), "{p:?}: {a}");
        }
    }
}
