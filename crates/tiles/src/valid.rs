//! Clean-up of rings after snapping to the tile grid, and detection of the polygons that
//! snapping (or simplification) made invalid: rings that touch or cross themselves or each
//! other. Such polygons are rebuilt with a boolean union (`geo`/i_overlay, OGC-valid output).
//! All coordinates here are integers stored as `f64`, within ±4160, so products are exact.

use geo::bool_ops::FillRule;
use geo::{BooleanOps, OpType};
use geo_types::{Coord, MultiPolygon, Polygon};

/// Twice the signed area of triangle a, b, c (positive when a → b → c turns like an MVT
/// exterior ring).
#[inline]
fn cross(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> i64 {
    let (abx, aby) = ((b.x - a.x) as i64, (b.y - a.y) as i64);
    let (acx, acy) = ((c.x - a.x) as i64, (c.y - a.y) as i64);
    abx * acy - aby * acx
}

/// Removes, in place, from an open ring every vertex in line with its neighbours:
/// straight-through vertices, zero-width spikes (a → b → a) and repeated points.
pub(crate) fn remove_collinear(ring: &mut Vec<Coord<f64>>) {
    // `ring[..w]` is the cleaned prefix; it never overtakes the read position.
    let mut w = 0;
    for r in 0..ring.len() {
        let c = ring[r];
        while w >= 2 && cross(ring[w - 2], ring[w - 1], c) == 0 {
            w -= 1;
        }
        if w == 0 || ring[w - 1] != c {
            ring[w] = c;
            w += 1;
        }
    }
    ring.truncate(w);
    // Around the start of the ring.
    loop {
        let n = ring.len();
        let last_redundant = (n >= 2 && ring[0] == ring[n - 1])
            || (n >= 3 && cross(ring[n - 2], ring[n - 1], ring[0]) == 0);
        if last_redundant {
            ring.pop();
        } else if n >= 3 && cross(ring[n - 1], ring[0], ring[1]) == 0 {
            ring.remove(0);
        } else {
            break;
        }
    }
}

/// An edge of a ring, in integer tile coordinates.
#[derive(Clone, Copy)]
struct Edge {
    a: (i64, i64),
    b: (i64, i64),
    min_x: i64,
    max_x: i64,
    min_y: i64,
    max_y: i64,
    /// Ring number, position in the ring, number of edges of the ring.
    ring: u32,
    index: u32,
    ring_len: u32,
}

impl Edge {
    /// Whether `self` and `other` follow each other in one ring (and so share a vertex).
    fn consecutive(&self, other: &Edge) -> bool {
        if self.ring != other.ring {
            return false;
        }
        let (i, j) = (self.index.min(other.index), self.index.max(other.index));
        j == i + 1 || (i == 0 && j + 1 == self.ring_len)
    }

    /// Whether the two segments meet at all: cross, touch or overlap.
    fn meets(&self, q: &Edge) -> bool {
        if self.max_x < q.min_x
            || q.max_x < self.min_x
            || self.max_y < q.min_y
            || q.max_y < self.min_y
        {
            return false;
        }
        let orient = |a: (i64, i64), b: (i64, i64), c: (i64, i64)| {
            ((b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)).signum()
        };
        let (d1, d2) = (orient(q.a, q.b, self.a), orient(q.a, q.b, self.b));
        let (d3, d4) = (orient(self.a, self.b, q.a), orient(self.a, self.b, q.b));
        if d1 * d2 < 0 && d3 * d4 < 0 {
            return true;
        }
        // Collinear cases: an endpoint on the other segment (both boxes overlap already).
        let on = |s: &Edge, c: (i64, i64)| {
            c.0 >= s.min_x && c.0 <= s.max_x && c.1 >= s.min_y && c.1 <= s.max_y
        };
        (d1 == 0 && on(q, self.a))
            || (d2 == 0 && on(q, self.b))
            || (d3 == 0 && on(self, q.a))
            || (d4 == 0 && on(self, q.b))
    }
}

/// Brute force below this many edges; a sweep over x above.
const SWEEP_FROM: usize = 32;

/// Whether the closed rings of `polygons` touch or cross themselves or each other anywhere
/// other than at the vertex shared by consecutive edges of a ring (a repeated vertex counts).
pub(crate) fn has_intersections(polygons: &[Polygon<f64>]) -> bool {
    let rings = polygons
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
    let mut edges: Vec<Edge> = Vec::new();
    for (ring, r) in rings.enumerate() {
        let ring_len = u32::try_from(r.0.len().saturating_sub(1)).unwrap_or(u32::MAX);
        let ring = u32::try_from(ring).unwrap_or(u32::MAX);
        for (index, w) in r.0.windows(2).enumerate() {
            let a = (w[0].x as i64, w[0].y as i64);
            let b = (w[1].x as i64, w[1].y as i64);
            edges.push(Edge {
                a,
                b,
                min_x: a.0.min(b.0),
                max_x: a.0.max(b.0),
                min_y: a.1.min(b.1),
                max_y: a.1.max(b.1),
                ring,
                index: u32::try_from(index).unwrap_or(u32::MAX),
                ring_len,
            });
        }
    }
    let clash = |p: &Edge, q: &Edge| !p.consecutive(q) && p.meets(q);
    if edges.len() < SWEEP_FROM {
        return edges
            .iter()
            .enumerate()
            .any(|(i, p)| edges[i + 1..].iter().any(|q| clash(p, q)));
    }
    edges.sort_unstable_by_key(|e| e.min_x);
    let mut active: Vec<Edge> = Vec::new();
    for e in edges {
        active.retain(|a| a.max_x >= e.min_x);
        if active.iter().any(|a| clash(a, &e)) {
            return true;
        }
        active.push(e);
    }
    false
}

/// An OGC-valid version of `polygons` (union with the non-zero rule: exterior rings are
/// positive and holes negative by now, so overlapping parts merge and holes stay holes).
pub(crate) fn repair(polygons: Vec<Polygon<f64>>) -> MultiPolygon<f64> {
    MultiPolygon(polygons).boolean_op_with_fill_rule(
        &MultiPolygon::<f64>(vec![]),
        OpType::Union,
        FillRule::NonZero,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::LineString;

    fn coords(c: &[(f64, f64)]) -> Vec<Coord<f64>> {
        c.iter().map(|&(x, y)| Coord { x, y }).collect()
    }

    fn polygon(c: &[(f64, f64)]) -> Polygon<f64> {
        Polygon::new(LineString(coords(c)), vec![])
    }

    #[test]
    fn spikes_and_straight_vertices_go() {
        let mut ring = coords(&[
            (0.0, 0.0),
            (5.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (12.0, 12.0),
            (10.0, 10.0),
            (0.0, 10.0),
        ]);
        remove_collinear(&mut ring);
        assert_eq!(
            ring,
            coords(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)])
        );
        // A spike at the start, and a flat ring that vanishes.
        let mut ring = coords(&[(0.0, 0.0), (-5.0, 0.0), (0.0, 0.0), (3.0, 0.0), (3.0, 3.0)]);
        remove_collinear(&mut ring);
        assert_eq!(ring.len(), 3);
        let mut flat = coords(&[(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)]);
        remove_collinear(&mut flat);
        assert!(flat.len() < 3);
    }

    #[test]
    fn touching_and_crossing_rings_are_found() {
        let square = polygon(&[
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]);
        assert!(!has_intersections(std::slice::from_ref(&square)));
        let bowtie = polygon(&[
            (0.0, 0.0),
            (10.0, 10.0),
            (10.0, 0.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]);
        assert!(has_intersections(std::slice::from_ref(&bowtie)));
        // Two lobes sharing one vertex.
        let pinch = polygon(&[
            (0.0, 0.0),
            (5.0, 5.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (5.0, 5.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]);
        assert!(has_intersections(&[pinch]));
        // A vertex on another edge.
        let touch = polygon(&[
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (5.0, 0.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]);
        assert!(has_intersections(&[touch]));
        let far = polygon(&[(20.0, 0.0), (30.0, 0.0), (30.0, 10.0), (20.0, 0.0)]);
        assert!(!has_intersections(&[square.clone(), far]));
        let overlapping = polygon(&[(5.0, 5.0), (15.0, 5.0), (15.0, 15.0), (5.0, 5.0)]);
        assert!(has_intersections(&[square, overlapping]));
        // Rings long enough for the sweep: a 64-gon, then the same with one vertex pulled
        // across the ring: onto a vertex, then out beyond the opposite side.
        let mut ring: Vec<(f64, f64)> = (0..64)
            .map(|i| {
                let a = f64::from(i) / 64.0 * std::f64::consts::TAU;
                ((1000.0 * a.cos()).round(), (1000.0 * a.sin()).round())
            })
            .collect();
        ring.push(ring[0]);
        assert!(!has_intersections(&[polygon(&ring)]));
        ring[10] = ring[40];
        assert!(has_intersections(&[polygon(&ring)]));
        ring[10] = (-1200.0, -400.0);
        assert!(has_intersections(&[polygon(&ring)]));
        let fixed = repair(vec![bowtie]);
        assert!(!fixed.0.is_empty());
    }
}
