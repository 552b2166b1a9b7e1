//! An O(n) proof that a ring is simple, for the common case: a ring that is star-shaped about
//! the mean of its vertices. Field polygons (survey boundaries, hazard outlines) mostly are;
//! the callers fall back to a pairwise check of the edges when the proof fails.

use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo_types::Coord;

/// `[x, y]` as a `geo` coordinate.
pub(crate) fn coord(p: [f64; 2]) -> Coord<f64> {
    Coord { x: p[0], y: p[1] }
}

fn sign(o: Orientation) -> i32 {
    match o {
        Orientation::CounterClockwise => 1,
        Orientation::Clockwise => -1,
        Orientation::Collinear => 0,
    }
}

/// The exact side of `p` from the line a→b: 1 left, −1 right, 0 on it.
pub(crate) fn orient(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> i32 {
    sign(RobustKernel::orient2d(coord(a), coord(b), coord(p)))
}

/// The orientation (1 counter-clockwise, −1 clockwise) of a ring that is star-shaped about the
/// mean of its vertices: every edge turns the same way about that point and the ring winds
/// once around it, which proves the ring simple in O(n) exact tests.
pub(crate) fn star_orientation(ring: &[[f64; 2]]) -> Option<i32> {
    if ring.len() < 3 {
        return None;
    }
    let n = ring.len() as f64;
    let c = ring
        .iter()
        .fold([0.0, 0.0], |s, p| [s[0] + p[0] / n, s[1] + p[1] / n]);
    let mut turn = 0;
    let mut winding = 0;
    for (i, &a) in ring.iter().enumerate() {
        let b = ring[(i + 1) % ring.len()];
        let o = orient(c, a, b);
        if o == 0 || (turn != 0 && o != turn) {
            return None;
        }
        turn = o;
        // Winding about c (c is on no edge's line, so ties on y are the only care).
        if a[1] <= c[1] && b[1] > c[1] && o > 0 {
            winding += 1;
        } else if a[1] > c[1] && b[1] <= c[1] && o < 0 {
            winding -= 1;
        }
    }
    (winding == turn).then_some(turn)
}
