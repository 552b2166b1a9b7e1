//! A Shamos–Hoey plane sweep that finds a pair of segments meeting where they must not, in
//! O(n log n) exact orientation tests and at most a few pair tests per segment, whatever the
//! shape (a 300,000-vertex comb included).
//!
//! The sweep moves over the endpoints in lexicographic (x, then y) order, which is an
//! infinitesimally rotated vertical line: no segment is vertical to it. The segments that
//! cross the line are kept ordered from bottom to top. As long as no two of them meet other
//! than at a shared endpoint, that order does not change between events, so two segments
//! that meet become neighbours in it (or meet at an event point) before the sweep passes the
//! first point where they do; every pair that becomes neighbours is tested.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use geo_types::Line;

use crate::star::orient;

#[cfg(test)]
thread_local! {
    /// How many pairs [`first_fault`] has tested on this thread (tests prove the sweep linear
    /// with it).
    pub(crate) static PAIR_TESTS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Lexicographic order of points (x, then y); the coordinates are finite and `-0.0` has
/// been made `0.0`.
fn lex(p: [f64; 2], q: [f64; 2]) -> Ordering {
    p[0].total_cmp(&q[0]).then(p[1].total_cmp(&q[1]))
}

/// `-0.0` as `0.0`, so that equal points compare equal under [`lex`].
fn normal(x: f64, y: f64) -> [f64; 2] {
    [x + 0.0, y + 0.0]
}

/// A segment directed from its lexicographically smaller end `lo` to `hi`.
#[derive(Debug, Clone, Copy)]
struct Seg {
    lo: [f64; 2],
    hi: [f64; 2],
    id: usize,
}

/// An entry of the sweep's ordered set: a segment, or a point that probes it (it sorts above
/// every segment it lies strictly above, below every other).
#[derive(Debug, Clone, Copy)]
enum Key {
    Seg(Seg),
    Below([f64; 2]),
}

/// `Greater` when the exact orientation says "above".
fn above(o: i32) -> Ordering {
    0.cmp(&o).reverse()
}

/// Bottom-to-top order of two segments that both cross the sweep line and do not meet other
/// than at a shared endpoint: the later-starting one is placed by the side of the other on
/// which it starts (by where it goes when both start at one point).
fn seg_order(a: &Seg, b: &Seg) -> Ordering {
    let o = match lex(a.lo, b.lo) {
        Ordering::Greater => above(orient(b.lo, b.hi, a.lo)),
        Ordering::Less => above(orient(a.lo, a.hi, b.lo)).reverse(),
        Ordering::Equal => Ordering::Equal,
    };
    // Segments starting together (or touching, which the sweep reports before it matters)
    // are placed by where they go.
    o.then_with(|| above(orient(b.lo, b.hi, a.hi)))
        .then(a.id.cmp(&b.id))
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> Ordering {
        match (self, other) {
            (Key::Seg(a), Key::Seg(b)) if a.id == b.id => Ordering::Equal,
            (Key::Seg(a), Key::Seg(b)) => seg_order(a, b),
            (Key::Below(p), Key::Seg(t)) => {
                if orient(t.lo, t.hi, *p) > 0 {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (Key::Seg(_), Key::Below(_)) => other.cmp(self).reverse(),
            (Key::Below(p), Key::Below(q)) => lex(*p, *q),
        }
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Key {}

fn seg_id(k: &Key) -> Option<usize> {
    match k {
        Key::Seg(s) => Some(s.id),
        Key::Below(_) => None,
    }
}

/// The first pair of `segments` (by index, in no promised order) for which `test` gives an
/// answer, or `None` when `test` answers for no pair.
///
/// `test` must answer for every pair of segments that meet other than at an endpoint of both
/// (a crossing, an endpoint on the other's interior, a collinear overlap) and for some pair of
/// every set of more than two segment ends at one point; it may answer or not for segments
/// that only share an endpoint, and is called on few other pairs: at most a handful per
/// segment. Zero-length segments are skipped.
pub(crate) fn first_fault<T>(
    segments: &[Line<f64>],
    mut test: impl FnMut(usize, usize) -> Option<T>,
) -> Option<T> {
    let mut pair = |a: usize, b: usize| {
        #[cfg(test)]
        PAIR_TESTS.with(|c| c.set(c.get() + 1));
        test(a, b)
    };
    let segs: Vec<Seg> = segments
        .iter()
        .enumerate()
        .map(|(id, l)| {
            let (p, q) = (normal(l.start.x, l.start.y), normal(l.end.x, l.end.y));
            let (lo, hi) = if lex(p, q) == Ordering::Greater {
                (q, p)
            } else {
                (p, q)
            };
            Seg { lo, hi, id }
        })
        .filter(|s| lex(s.lo, s.hi) != Ordering::Equal)
        .collect();
    // (point, starts here, segment): each segment starts at `lo` and ends at `hi`.
    let mut events: Vec<([f64; 2], bool, usize)> = Vec::with_capacity(2 * segs.len());
    for (k, s) in segs.iter().enumerate() {
        events.push((s.lo, true, k));
        events.push((s.hi, false, k));
    }
    events.sort_unstable_by(|a, b| lex(a.0, b.0));
    let mut set = BTreeSet::new();
    let mut at = 0;
    let mut ends: Vec<usize> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    while at < events.len() {
        let p = events[at].0;
        ends.clear();
        starts.clear();
        while at < events.len() && lex(events[at].0, p) == Ordering::Equal {
            let (_, start, k) = events[at];
            if start {
                starts.push(k);
            } else {
                ends.push(k);
            }
            at += 1;
        }
        // The segments with an end here: two at a ring's vertex (which may fold back), more
        // where a ring touches itself.
        let here: Vec<usize> = ends.iter().chain(&starts).map(|&k| segs[k].id).collect();
        for (x, &a) in here.iter().enumerate() {
            for &b in &here[x + 1..] {
                if let Some(found) = pair(a, b) {
                    return Some(found);
                }
            }
        }
        for &k in &ends {
            set.remove(&Key::Seg(segs[k]));
        }
        // The segments just below and just above this point; none may pass through it.
        let probe = Key::Below(p);
        let below = set.range(..probe).next_back().and_then(seg_id);
        let above = match set.range(probe..).next() {
            Some(Key::Seg(t)) if orient(t.lo, t.hi, p) == 0 => {
                for &a in &here {
                    if let Some(found) = pair(t.id, a) {
                        return Some(found);
                    }
                }
                Some(t.id)
            }
            other => other.and_then(seg_id),
        };
        // The segments starting here go between them, in the order they leave the point
        // (their pairs were tested above); each pair that becomes neighbours is tested.
        let mut fresh: Vec<Key> = starts.iter().map(|&k| Key::Seg(segs[k])).collect();
        fresh.sort_unstable();
        let lowest = fresh.first().and_then(seg_id);
        let highest = fresh.last().and_then(seg_id);
        let new_pairs = match (lowest, highest) {
            (Some(lo), Some(hi)) => [below.map(|b| (b, lo)), above.map(|a| (hi, a))],
            _ => [below.zip(above), None],
        };
        for (a, b) in new_pairs.into_iter().flatten() {
            if let Some(found) = pair(a, b) {
                return Some(found);
            }
        }
        set.extend(fresh);
    }
    None
}
