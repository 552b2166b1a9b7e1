//! Engaged segments of a track in the local plane: runs of engaged fixes without logging
//! gaps, simplified (Ramer–Douglas–Peucker) and split into passes at turns.

use crate::Fix;
use crate::tm::Tm;

/// A logging gap longer than this (seconds) ends a segment: the machine stopped logging and
/// the straight line across the gap is not evidence of work.
pub(crate) const MAX_GAP_S: f64 = 30.0;

/// Segments shorter than this (metres) never start a new pass: GNSS jitter of a standing
/// machine points every way.
const MIN_TURN_SEGMENT_M: f64 = 0.2;

/// Index ranges of `fixes` that form engaged segments of two fixes or more: consecutive
/// fixes with `engaged != Some(false)`, broken where time jumps by more than [`MAX_GAP_S`].
pub(crate) fn engaged_runs(fixes: &[Fix]) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    for (i, f) in fixes.iter().enumerate() {
        let engaged = f.engaged != Some(false);
        let broken = i > 0 && f.time - fixes[i - 1].time > MAX_GAP_S;
        if let Some(s) = start
            && (!engaged || broken)
        {
            if i - s >= 2 {
                runs.push(s..i);
            }
            start = None;
        }
        if engaged && start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start
        && fixes.len() - s >= 2
    {
        runs.push(s..fixes.len());
    }
    runs
}

/// Projects a run into the plane, dropping repeated points.
pub(crate) fn project(tm: &Tm, fixes: &[Fix]) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(fixes.len());
    for f in fixes {
        let p = tm.forward(f.lon, f.lat);
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    out
}

/// Length of a planar polyline, metres.
pub(crate) fn length(line: &[[f64; 2]]) -> f64 {
    line.windows(2)
        .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
        .sum()
}

/// Ramer–Douglas–Peucker simplification with tolerance `tol` (iterative, keeps both ends).
pub(crate) fn simplify(line: &[[f64; 2]], tol: f64) -> Vec<[f64; 2]> {
    let n = line.len();
    if n < 3 {
        return line.to_vec();
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack = vec![(0usize, n - 1)];
    let tol2 = tol * tol;
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (p, q) = (line[a], line[b]);
        let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
        let len2 = dx * dx + dy * dy;
        let mut worst = (0.0, 0);
        for (i, r) in line.iter().enumerate().take(b).skip(a + 1) {
            let (rx, ry) = (r[0] - p[0], r[1] - p[1]);
            // Distance to the segment (not the infinite line): a track that doubles back
            // within the span must keep its far point.
            let t = if len2 > 0.0 {
                ((rx * dx + ry * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (ex, ey) = (rx - t * dx, ry - t * dy);
            let d2 = ex * ex + ey * ey;
            if d2 > worst.0 {
                worst = (d2, i);
            }
        }
        if worst.0 > tol2 {
            keep[worst.1] = true;
            stack.push((a, worst.1));
            stack.push((worst.1, b));
        }
    }
    line.iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

/// A simplified segment split into passes where the heading turns by more than 90° from
/// the pass's first heading, and the corners where consecutive passes meet.
pub(crate) struct Passes {
    /// Polylines of two points or more.
    pub(crate) passes: Vec<Vec<[f64; 2]>>,
    /// `[before, corner, after]` at each split, to be stroked so the join is not lost.
    pub(crate) corners: Vec<[[f64; 2]; 3]>,
}

/// Splits a simplified polyline into passes (see [`Passes`]).
pub(crate) fn split_passes(line: &[[f64; 2]], out: &mut Passes) {
    if line.len() < 2 {
        return;
    }
    let mut current: Vec<[f64; 2]> = vec![line[0]];
    let mut reference: Option<[f64; 2]> = None;
    for w in line.windows(2) {
        let (dx, dy) = (w[1][0] - w[0][0], w[1][1] - w[0][1]);
        let len = dx.hypot(dy);
        if len >= MIN_TURN_SEGMENT_M {
            let dir = [dx / len, dy / len];
            match reference {
                None => reference = Some(dir),
                Some(r) if r[0] * dir[0] + r[1] * dir[1] < 0.0 && current.len() >= 2 => {
                    let before = current[current.len() - 2];
                    out.passes.push(std::mem::replace(&mut current, vec![w[0]]));
                    out.corners.push([before, w[0], w[1]]);
                    reference = Some(dir);
                }
                Some(_) => {}
            }
        }
        current.push(w[1]);
    }
    if current.len() >= 2 {
        out.passes.push(current);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(time: f64, engaged: Option<bool>) -> Fix {
        Fix {
            time,
            lon: 0.0,
            lat: 0.0,
            heading: None,
            engaged,
            accuracy_m: None,
            record: 0,
        }
    }

    #[test]
    fn runs_break_at_disengaged_fixes_and_logging_gaps() {
        let fixes = vec![
            fix(0.0, Some(true)),
            fix(1.0, None),
            fix(2.0, Some(false)),
            fix(3.0, Some(true)),
            fix(4.0, Some(true)),
            fix(100.0, Some(true)),
            fix(101.0, Some(true)),
            fix(102.0, Some(false)),
            fix(103.0, Some(true)),
        ];
        assert_eq!(engaged_runs(&fixes), vec![0..2, 3..5, 5..7]);
    }

    #[test]
    fn simplify_collapses_collinear_points_and_keeps_a_doubling_back() {
        let line: Vec<[f64; 2]> = (0..11).map(|i| [i as f64, 0.0]).collect();
        assert_eq!(simplify(&line, 0.01), vec![[0.0, 0.0], [10.0, 0.0]]);
        let back = vec![[0.0, 0.0], [10.0, 0.0], [5.0, 0.0]];
        assert_eq!(simplify(&back, 0.01).len(), 3);
    }

    #[test]
    fn a_u_turn_splits_into_two_passes() {
        let line = vec![
            [0.0, 0.0],
            [10.0, 0.0],
            [11.0, 1.0],
            [10.0, 2.0],
            [0.0, 2.0],
        ];
        let mut out = Passes {
            passes: Vec::new(),
            corners: Vec::new(),
        };
        split_passes(&line, &mut out);
        assert_eq!(out.passes.len(), 2);
        assert_eq!(out.passes[0], vec![[0.0, 0.0], [10.0, 0.0], [11.0, 1.0]]);
        assert_eq!(out.corners, vec![[[10.0, 0.0], [11.0, 1.0], [10.0, 2.0]]]);
    }
}
