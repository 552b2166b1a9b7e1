//! Realistic hazard shapes: irregular, sometimes elongated, star-shaped polygons, and the
//! wedges of them that survey and clearance release (wedges lie exactly inside the hazard,
//! touch each other, and together cover it).

use geo_types::{Coord, LineString, MultiPolygon, Point, Polygon};
use rand::Rng;
use rand::rngs::SmallRng;

const M_PER_DEG_LAT: f64 = 110_574.0;
const M_PER_DEG_LON_EQ: f64 = 111_320.0;

/// A hazard outline: centre and boundary vertices in counter-clockwise angular order.
#[derive(Debug, Clone)]
pub struct Outline {
    /// Centre (every vertex is visible from it).
    pub centre: Coord<f64>,
    /// Boundary vertices, CCW, not repeated at the end.
    pub vertices: Vec<Coord<f64>>,
}

impl Outline {
    /// A random outline around (lon, lat): log-uniform mean radius 25–650 m, 6–40 vertices,
    /// stretched up to 3:1 in a random direction (size distribution of real hazards: many small
    /// ones, a few of tens of hectares).
    pub fn random(rng: &mut SmallRng, lon: f64, lat: f64) -> Outline {
        let radius = 25.0 * (rng.random::<f64>() * (650.0f64 / 25.0).ln()).exp();
        let n = rng.random_range(6..=40);
        let stretch = 1.0 + 2.0 * rng.random::<f64>().powi(2);
        let theta = rng.random::<f64>() * std::f64::consts::PI;
        let (st, ct) = theta.sin_cos();
        let m_per_deg_lon = M_PER_DEG_LON_EQ * lat.to_radians().cos();
        let vertices = (0..n)
            .map(|i| {
                let a = (i as f64 + rng.random::<f64>() * 0.8) / n as f64 * std::f64::consts::TAU;
                let k = radius * (0.55 + 0.45 * rng.random::<f64>());
                // Elongate along x, then rotate: a linear map keeps the shape star-shaped.
                let (x, y) = (k * a.cos() * stretch, k * a.sin() / stretch.sqrt());
                let (x, y) = (x * ct - y * st, x * st + y * ct);
                Coord {
                    x: lon + x / m_per_deg_lon,
                    y: lat + y / M_PER_DEG_LAT,
                }
            })
            .collect();
        Outline {
            centre: Coord { x: lon, y: lat },
            vertices,
        }
    }

    /// The whole outline as a polygon.
    pub fn polygon(&self) -> MultiPolygon<f64> {
        let mut ring = self.vertices.clone();
        ring.push(self.vertices[0]);
        MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])
    }

    /// The wedge between boundary vertices `from` and `to` (indices modulo n, `to` included):
    /// the centre, then the vertices. Consecutive wedges share an edge.
    pub fn wedge(&self, from: usize, to: usize) -> MultiPolygon<f64> {
        let n = self.vertices.len();
        if to - from >= n {
            return self.polygon();
        }
        let mut ring = vec![self.centre];
        ring.extend((from..=to).map(|i| self.vertices[i % n]));
        ring.push(self.centre);
        MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])
    }

    /// A point strictly inside the first triangle (centre, v[from], v[from + 1]) of a wedge.
    pub fn point_in_wedge(&self, rng: &mut SmallRng, from: usize) -> Point<f64> {
        let n = self.vertices.len();
        let (a, b, c) = (
            self.vertices[from % n],
            self.vertices[(from + 1) % n],
            self.centre,
        );
        let (mut s, mut t) = (rng.random::<f64>(), rng.random::<f64>());
        if s + t > 1.0 {
            (s, t) = (1.0 - s, 1.0 - t);
        }
        // Barycentric point, pulled 10 % towards the centroid so it never sits on an edge.
        let (wa, wb) = (0.9 * s + 0.1 / 3.0, 0.9 * t + 0.1 / 3.0);
        let wc = 1.0 - wa - wb;
        Point::new(
            wc * c.x + wa * a.x + wb * b.x,
            wc * c.y + wa * a.y + wb * b.y,
        )
    }
}
