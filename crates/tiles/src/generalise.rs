//! Per-zoom generalisation, computed once per feature.
//!
//! Douglas–Peucker keeps a vertex at tolerance `e` exactly when the vertex and every split point
//! above it in the recursion lie farther than `e` from their chords; the recursion itself does
//! not depend on `e`. So one run at tolerance 0 gives every vertex an *importance* (the largest
//! tolerance that keeps it), and the generalised copy for any zoom is the set of vertices whose
//! importance exceeds one tile pixel at that zoom: the per-zoom copies of every zoom at the cost
//! of one `f32` per vertex. Rings keep at least three distinct vertices. A ring or line also gets
//! the lowest zoom at which it is at least one pixel in size (area of one square pixel, length
//! of one pixel); below it, it is dropped.

use geo_types::{Coord, LineString};

use crate::MAX_ZOOM;
use crate::mercator::pixel_size;
use crate::shape::Shape;

/// Generalisation of one line string or ring.
#[derive(Debug, Clone)]
pub(crate) struct Path {
    /// Importance of each vertex in metres (infinite for the end points).
    importance: Vec<f32>,
    /// Rings only: vertices at least this important are always kept (the two most important
    /// inner vertices), so that a ring keeps three distinct vertices.
    floor: f32,
    /// Lowest zoom at which the path is at least a pixel in size; `MAX_ZOOM + 1` for never.
    pub(crate) min_zoom: u8,
}

impl Path {
    fn line(line: &LineString<f64>) -> Self {
        let length: f64 = line
            .0
            .windows(2)
            .map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y))
            .sum();
        Self {
            importance: importance(&line.0),
            floor: f32::INFINITY,
            min_zoom: min_zoom(|px| length >= px),
        }
    }

    fn ring(ring: &LineString<f64>) -> Self {
        let importance = importance(&ring.0);
        let mut inner: Vec<f32> = importance
            .get(1..importance.len().saturating_sub(1))
            .unwrap_or_default()
            .to_vec();
        inner.sort_unstable_by(|a, b| b.total_cmp(a));
        let area = ring_area(ring).abs();
        Self {
            importance,
            floor: inner.get(1).copied().unwrap_or(f32::NEG_INFINITY),
            min_zoom: min_zoom(|px| area >= px * px),
        }
    }

    /// The coordinates kept at tolerance `tolerance` (metres).
    pub(crate) fn filter<'a>(
        &'a self,
        coords: &'a [Coord<f64>],
        tolerance: f32,
    ) -> impl Iterator<Item = Coord<f64>> + 'a {
        coords
            .iter()
            .zip(&self.importance)
            .filter(move |&(_, &imp)| imp > tolerance || imp >= self.floor)
            .map(|(c, _)| *c)
    }
}

/// Generalisation of a feature: one [`Path`] per line, or per ring in polygon order (each
/// exterior followed by its holes). Empty for points.
#[derive(Debug, Clone, Default)]
pub(crate) struct Generalisation {
    pub(crate) paths: Vec<Path>,
    /// Lowest zoom at which any line or exterior ring is shown (0 for points).
    pub(crate) min_zoom: u8,
}

impl Generalisation {
    pub(crate) fn new(shape: &Shape) -> Self {
        match shape {
            Shape::Points(_) => Self::default(),
            Shape::Lines(lines) => {
                let paths: Vec<Path> = lines.iter().map(Path::line).collect();
                let min_zoom = paths
                    .iter()
                    .map(|p| p.min_zoom)
                    .min()
                    .unwrap_or(MAX_ZOOM + 1);
                Self { paths, min_zoom }
            }
            Shape::Polygons(polygons) => {
                let mut paths = Vec::new();
                let mut min = MAX_ZOOM + 1;
                for polygon in polygons {
                    let exterior = Path::ring(polygon.exterior());
                    min = min.min(exterior.min_zoom);
                    paths.push(exterior);
                    paths.extend(polygon.interiors().iter().map(Path::ring));
                }
                Self {
                    paths,
                    min_zoom: min,
                }
            }
        }
    }
}

/// Douglas–Peucker tolerance for zoom `z`: one tile pixel, in metres.
pub(crate) fn tolerance(z: u8) -> f32 {
    pixel_size(z) as f32
}

/// The lowest zoom whose pixel size (metres) satisfies `big_enough`, `MAX_ZOOM + 1` if none.
fn min_zoom(big_enough: impl Fn(f64) -> bool) -> u8 {
    (0..=MAX_ZOOM)
        .find(|&z| big_enough(pixel_size(z)))
        .unwrap_or(MAX_ZOOM + 1)
}

/// Douglas–Peucker importance of each vertex (see the module documentation). Iterative, so
/// that long lines cannot overflow the stack; ties pick the last farthest vertex, as `geo` does.
fn importance(coords: &[Coord<f64>]) -> Vec<f32> {
    let n = coords.len();
    let mut out = vec![0.0f32; n];
    if n == 0 {
        return out;
    }
    out[0] = f32::INFINITY;
    out[n - 1] = f32::INFINITY;
    let mut stack = vec![(0usize, n - 1, f32::INFINITY)];
    while let Some((a, b, cap)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (mut far, mut max) = (a + 1, -1.0f64);
        for (i, c) in coords.iter().enumerate().take(b).skip(a + 1) {
            let d = segment_distance(*c, coords[a], coords[b]);
            if d >= max {
                far = i;
                max = d;
            }
        }
        let value = (max as f32).min(cap);
        out[far] = value;
        stack.push((a, far, value));
        stack.push((far, b, value));
    }
    out
}

/// Euclidean distance from `p` to the segment `a`–`b` (to `a` when the segment is a point).
fn segment_distance(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p.x - (a.x + t * dx)).hypot(p.y - (a.y + t * dy))
}

/// Signed planar area of a closed ring (shoelace), relative to its first vertex for precision.
pub(crate) fn ring_area(ring: &LineString<f64>) -> f64 {
    let Some(o) = ring.0.first() else {
        return 0.0;
    };
    let twice: f64 = ring
        .0
        .windows(2)
        .map(|w| (w[0].x - o.x) * (w[1].y - o.y) - (w[1].x - o.x) * (w[0].y - o.y))
        .sum();
    twice / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Simplify;
    use geo_types::{LineString, Polygon};

    fn circle(r: f64, n: usize) -> LineString<f64> {
        let mut ring = LineString(
            (0..n)
                .map(|i| {
                    let a = i as f64 / n as f64 * std::f64::consts::TAU;
                    let wobble = 1.0 + 0.05 * (7.0 * a).sin();
                    Coord {
                        x: 11_600_000.0 + r * wobble * a.cos(),
                        y: 1_300_000.0 + r * a.sin(),
                    }
                })
                .collect(),
        );
        ring.close();
        ring
    }

    #[test]
    fn importance_reproduces_douglas_peucker() {
        let ring = circle(1000.0, 200);
        let path = Path::line(&ring);
        for e in [0.5, 2.0, 9.5, 38.0, 150.0] {
            let ours: Vec<Coord<f64>> = path.filter(&ring.0, e as f32).collect();
            let geo = ring.simplify(e);
            assert_eq!(ours, geo.0, "tolerance {e}");
        }
    }

    #[test]
    fn low_zooms_keep_fewer_vertices_and_small_rings_drop() {
        let ring = circle(1000.0, 200);
        let g = Generalisation::new(&Shape::Polygons(vec![Polygon::new(ring.clone(), vec![])]));
        let count = |z: u8| g.paths[0].filter(&ring.0, tolerance(z)).count();
        assert!(
            count(8) < count(16) / 4,
            "z8 {}, z16 {}",
            count(8),
            count(16)
        );
        // About 3.1 km²: one square pixel is 1.5 km² at z3, 6.0 km² at z2.
        assert_eq!(g.min_zoom, 3);
        // Rings never fall below three distinct vertices.
        assert_eq!(g.paths[0].filter(&ring.0, 1e9).count(), 4);
    }

    #[test]
    fn points_are_never_generalised() {
        let g = Generalisation::new(&Shape::Points(vec![Coord { x: 0.0, y: 0.0 }]));
        assert!(g.paths.is_empty());
        assert_eq!(g.min_zoom, 0);
    }

    #[test]
    fn ring_area_is_signed() {
        let ccw = LineString::from(vec![
            (0.0, 0.0),
            (2.0, 0.0),
            (2.0, 2.0),
            (0.0, 2.0),
            (0.0, 0.0),
        ]);
        assert_eq!(ring_area(&ccw), 4.0);
        let mut cw = ccw.clone();
        cw.0.reverse();
        assert_eq!(ring_area(&cw), -4.0);
    }
}
