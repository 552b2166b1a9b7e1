//! Tests of the geometry checks; the quadratic pairwise self-intersection check they replaced
//! is kept here as the reference of the sweep.

use proptest::prelude::*;

use super::*;
use crate::sweep::PAIR_TESTS;

/// Rings on a coarse grid (so collinear edges, straight-on vertices, shared points and
/// spikes are common): whenever the star proof passes, the sweep finds nothing either.
#[test]
fn the_star_proof_never_passes_a_ring_the_sweep_faults() {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let (mut proved, mut faulted) = (0, 0);
    for _ in 0..20_000 {
        let len = 3 + next(8) as usize;
        let mut ring: Vec<[f64; 2]> = Vec::with_capacity(len);
        if next(2) == 0 {
            // Around a centre, by angle, radii on the grid: mostly stars, some not.
            let mut angles: Vec<u64> = (0..len).map(|_| next(16)).collect();
            angles.sort_unstable();
            for a in angles {
                let t = a as f64 * std::f64::consts::TAU / 16.0;
                let r = 1.0 + next(4) as f64;
                ring.push([(r * t.cos()).round(), (r * t.sin()).round()]);
            }
        } else {
            ring.extend((0..len).map(|_| [next(5) as f64, next(5) as f64]));
        }
        let mut issues = Vec::new();
        let mut r = Reporter {
            issues: &mut issues,
            polygon: 0,
            ring: 0,
        };
        sweep_self_intersection(&ring, &mut r);
        if star_orientation(&ring).is_some() {
            proved += 1;
            assert!(issues.is_empty(), "{ring:?}: {issues:?}");
        } else if !issues.is_empty() {
            faulted += 1;
        }
    }
    assert!(
        proved > 1_000 && faulted > 1_000,
        "{proved} proved, {faulted} faulted"
    );
}

#[test]
fn the_sphere_screen_never_changes_the_verdict() {
    // Edges from 4.90 to 5.10 km (and far ones), every 7° of bearing, 80°S to 80°N: the
    // screened answer must be Karney's.
    let mut checked = 0;
    for lat in (-80..=80).step_by(10) {
        for step in 0..52 {
            let bearing = f64::from(step) * 7.0;
            for d in [
                4_900.0, 4_960.0, 4_990.0, 5_000.5, 5_010.0, 5_050.0, 5_100.0, 90_000.0,
            ] {
                let a = Point::new(103.0, f64::from(lat));
                let b = crate::destination(a, bearing, d);
                let exact = geodesic_distance(a, b);
                let got = gap_over([a.x(), a.y()], [b.x(), b.y()], 5_000.0);
                assert_eq!(
                    got.is_some(),
                    exact > 5_000.0,
                    "lat {lat} bearing {bearing} d {d}"
                );
                if let Some(g) = got {
                    assert_eq!(g, exact);
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 17 * 52 * 8);
}

/// The pairwise self-intersection check the sweep replaced, as it was: the first faulting
/// pair in its order, `(i, j, adjacent, point)`.
fn pairwise_self_intersection(pts: &[[f64; 2]]) -> Option<(usize, usize, bool, Coord<f64>)> {
    let e = edges(pts);
    let n = e.len();
    if n < 3 {
        return None;
    }
    let mut found = None;
    each_candidate_pair(&e, &e, true, |i, j| {
        let adjacent = j == i + 1 || (i == 0 && j == n - 1);
        if adjacent {
            let (first, second) = if j == i + 1 {
                (e[i], e[j])
            } else {
                (e[j], e[i])
            };
            if RobustKernel::orient2d(first.start, first.end, second.end) != Orientation::Collinear
            {
                return true;
            }
        }
        let Some(hit) = line_intersection(e[i], e[j]) else {
            return true;
        };
        let point = match hit {
            LineIntersection::SinglePoint { intersection, .. } => {
                if adjacent {
                    return true;
                }
                intersection
            }
            LineIntersection::Collinear { intersection } => intersection.start,
        };
        found = Some((i, j, adjacent, point));
        false
    });
    found
}

/// The pairwise hole-against-shell check the sweep replaced, as it was.
fn pairwise_hole_meets_shell(
    shell: &[Line<f64>],
    hole: &[Line<f64>],
) -> Option<(usize, LineIntersection<f64>)> {
    let mut crossing = None;
    each_candidate_pair(shell, hole, false, |i, j| {
        crossing = line_intersection(shell[i], hole[j]).map(|x| (j, x));
        crossing.is_none()
    });
    crossing
}

/// How many pairs of `pts`'s edges fault, counted up to 2.
fn faulting_pairs_up_to_2(pts: &[[f64; 2]]) -> usize {
    let e = edges(pts);
    let mut count = 0;
    for i in 0..e.len() {
        for j in i + 1..e.len() {
            if edge_fault(&e, i, j).is_some() {
                count += 1;
                if count == 2 {
                    return count;
                }
            }
        }
    }
    count
}

fn sweep_issues(pts: &[[f64; 2]]) -> Vec<GeometryIssue> {
    let mut issues = Vec::new();
    let mut r = Reporter {
        issues: &mut issues,
        polygon: 0,
        ring: 0,
    };
    sweep_self_intersection(pts, &mut r);
    issues
}

fn reference_issues(pts: &[[f64; 2]]) -> Vec<GeometryIssue> {
    let mut issues = Vec::new();
    let mut r = Reporter {
        issues: &mut issues,
        polygon: 0,
        ring: 0,
    };
    if let Some(fault) = pairwise_self_intersection(pts) {
        report_self_intersection(pts, fault, &mut r);
    }
    issues
}

/// A ring on a small grid (collinear overlaps, touching vertices and crossings are common),
/// or anywhere in a unit square (general position), with repeated points and spikes added.
fn ring_strategy() -> impl Strategy<Value = Vec<[f64; 2]>> {
    let grid = (2u32..6).prop_flat_map(|side| {
        prop::collection::vec((0..side, 0..side), 3..12).prop_map(|v| {
            v.into_iter()
                .map(|(x, y)| [f64::from(x), f64::from(y)])
                .collect::<Vec<_>>()
        })
    });
    let anywhere = prop::collection::vec((0.0..1.0f64, 0.0..1.0f64), 3..12)
        .prop_map(|v| v.into_iter().map(|(x, y)| [x, y]).collect::<Vec<_>>());
    let base = prop_oneof![3 => grid, 1 => anywhere];
    // Edits: 0 none, 1 repeat a vertex, 2 a spike out and back, 3 back to an earlier vertex.
    (
        base,
        prop::collection::vec(
            (
                0u8..4,
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
            ),
            0..3,
        ),
    )
        .prop_map(|(mut ring, edits)| {
            for (kind, at, other) in edits {
                let k = at.index(ring.len());
                let p = ring[k];
                let q = ring[other.index(ring.len())];
                match kind {
                    1 => ring.insert(k, p),
                    2 => {
                        ring.insert(
                            k + 1,
                            [p[0] + 0.5 * (q[0] - p[0]), p[1] + 0.5 * (q[1] - p[1])],
                        );
                        ring.insert(k + 2, p);
                    }
                    3 => ring.insert(k + 1, q),
                    _ => {}
                }
            }
            ring
        })
}

/// A simple ring with integer vertices in 0..8: a rectangle, or a fan of 3 to 8 of the eight
/// compass directions (lengths 1 or 2) about a point, so that shells and holes often share
/// vertices and overlap along edges.
fn simple_ring_strategy() -> impl Strategy<Value = Vec<[f64; 2]>> {
    let rectangle = (0..7i32, 0..7i32, 1..4i32, 1..4i32).prop_map(|(x, y, w, h)| {
        let (x, y, w, h) = (f64::from(x), f64::from(y), f64::from(w), f64::from(h));
        vec![[x, y], [x + w, y], [x + w, y + h], [x, y + h]]
    });
    let fan = (
        2..6i32,
        2..6i32,
        prop::collection::vec((any::<bool>(), 1..3i32), 8),
    )
        .prop_map(|(cx, cy, rays)| {
            const DIRECTIONS: [(i32, i32); 8] = [
                (1, 0),
                (1, 1),
                (0, 1),
                (-1, 1),
                (-1, 0),
                (-1, -1),
                (0, -1),
                (1, -1),
            ];
            DIRECTIONS
                .iter()
                .zip(rays)
                .filter(|(_, (keep, _))| *keep)
                .map(|((dx, dy), (_, r))| [f64::from(cx + r * dx), f64::from(cy + r * dy)])
                .collect::<Vec<_>>()
        });
    prop_oneof![rectangle, fan].prop_filter("a simple ring", |ring| {
        distinct_up_to_3(ring) == 3 && reference_issues(ring).is_empty()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4_000, ..ProptestConfig::default() })]

    /// The sweep faults exactly the rings the pairwise check faults, naming a pair of edges
    /// that meet, and the very same message when only one pair does.
    #[test]
    fn the_sweep_gives_the_pairwise_checks_verdicts(ring in ring_strategy()) {
        let got = sweep_issues(&ring);
        let want = reference_issues(&ring);
        prop_assert_eq!(got.len(), want.len(), "{:?}: {:?} vs {:?}", ring, got, want);
        if let Some(issue) = got.first() {
            let e = edges(&ring);
            let i = issue.vertex.unwrap_or_default();
            let named = (i + 1..e.len()).any(|j| {
                edge_fault(&e, i, j).is_some_and(|(adjacent, point)| {
                    let mut again = Vec::new();
                    let mut r = Reporter { issues: &mut again, polygon: 0, ring: 0 };
                    report_self_intersection(&ring, (i, j, adjacent, point), &mut r);
                    again == got
                })
            });
            prop_assert!(named, "{:?}: {:?}", ring, got);
            if faulting_pairs_up_to_2(&ring) == 1 {
                prop_assert_eq!(&got, &want);
            }
        }
    }

    /// A hole meets its shell for the sweep exactly when it does for the pairwise check.
    #[test]
    fn holes_meet_the_shell_as_the_pairwise_check_says(
        shell in simple_ring_strategy(),
        hole in simple_ring_strategy(),
    ) {
        let (s, h) = (edges(&shell), edges(&hole));
        let got = hole_meets_shell(&s, &h);
        let want = pairwise_hole_meets_shell(&s, &h);
        prop_assert_eq!(got.is_some(), want.is_some(), "{:?} / {:?}", shell, hole);
    }
}

/// The width of a comb's teeth and gaps, degrees (0.02 m).
const COMB_DY: f64 = 2e-7;

/// A comb of `teeth` horizontal teeth (4 teeth + 2 vertices), each as long as the comb is
/// wide, so that every edge's x-range overlaps nearly every other's: the pairwise check
/// examined some n²/2 pairs. Tooth `twisted` (if any) crosses itself once.
fn comb(teeth: usize, twisted: Option<usize>) -> Vec<[f64; 2]> {
    let (x0, y0, dy) = (103.0, 13.0, COMB_DY);
    let (inner, tip) = (x0 + 1e-3, x0 + 1e-2);
    let y = |k: usize| y0 + k as f64 * dy;
    let mut ring = vec![[x0, y0]];
    for k in 0..teeth {
        let mut tooth = [[tip, y(2 * k)], [tip, y(2 * k + 1)]];
        if twisted == Some(k) {
            tooth.swap(0, 1);
        }
        ring.extend(tooth);
        ring.extend([[inner, y(2 * k + 1)], [inner, y(2 * k + 2)]]);
    }
    ring.push([x0, y(2 * teeth)]);
    ring.push([x0, y0]);
    ring
}

/// The options of an import, whose limit (2,000,000 vertices) lets a 300,000-vertex comb in.
fn imported() -> CheckOptions {
    CheckOptions {
        max_vertices: MAX_IMPORTED_VERTICES,
        ..CheckOptions::default()
    }
}

/// A 300,000-vertex comb is decided with a few edge-pair tests per edge (the pairwise check
/// needed about n²/2 = 4.5 × 10¹⁰), valid as it is and faulted at its one crossing.
#[test]
fn a_300000_vertex_comb_is_decided_in_linear_pair_tests() {
    let teeth = 75_000;
    let valid = comb(teeth, None);
    let n = valid.len() - 1;
    assert_eq!(n, 300_002);
    assert_eq!(star_orientation(open_ring(&valid)), None);
    PAIR_TESTS.with(|c| c.set(0));
    let issues = check(&[vec![valid]], &imported());
    let tests = PAIR_TESTS.with(std::cell::Cell::get);
    assert!(issues.is_empty(), "{:?}", issues.first());
    assert!(
        tests > 0 && tests < 50 * n as u64,
        "{tests} pair tests for {n} edges"
    );

    let k = 40_000;
    PAIR_TESTS.with(|c| c.set(0));
    let issues = check(&[vec![comb(teeth, Some(k))]], &imported());
    let tests = PAIR_TESTS.with(std::cell::Cell::get);
    assert!(tests < 50 * n as u64, "{tests} pair tests for {n} edges");
    assert_eq!(issues.len(), 1, "{issues:?}");
    let want = format!(
        "polygon 1, ring 1 (exterior): edges {}–{} and {}–{} meet at",
        4 * k + 1,
        4 * k + 2,
        4 * k + 3,
        4 * k + 4
    );
    assert!(
        issues[0].message.starts_with(&want),
        "{}",
        issues[0].message
    );
    assert!(issues[0].message.contains("crosses itself"));
}

/// A hole in a comb's last tooth is checked against the shell in linear pair tests too (the
/// pairwise check examined some n²/2 = 4.5 × 10⁸ pairs).
#[test]
fn a_hole_in_a_30000_vertex_comb_is_checked_in_linear_pair_tests() {
    let teeth = 7_500;
    let shell = comb(teeth, None);
    let n = shell.len() - 1;
    let (x, y) = (
        103.005,
        13.0 + (2 * teeth - 2) as f64 * COMB_DY + 0.5 * COMB_DY,
    );
    let hole = vec![[x, y], [x + 1e-3, y], [x + 1e-3, y + 0.2 * COMB_DY], [x, y]];
    PAIR_TESTS.with(|c| c.set(0));
    let issues = check(&[vec![shell.clone(), hole]], &imported());
    let tests = PAIR_TESTS.with(std::cell::Cell::get);
    assert!(issues.is_empty(), "{:?}", issues.first());
    assert!(tests < 50 * n as u64, "{tests} pair tests for {n} edges");
    // Across two teeth it crosses the shell.
    let tall = vec![[x, y], [x + 1e-3, y], [x + 1e-3, y - 3.0 * COMB_DY], [x, y]];
    let issues = check(&[vec![shell, tall]], &imported());
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].rule, Rule::RingsCross);
}

/// Calls `visit(i, j)` for the pairs of edges whose bounding boxes overlap (i < j when `same`;
/// i in `a`, j in `b` otherwise), by a sweep over min x, until `visit` returns false.
fn each_candidate_pair(
    a: &[Line<f64>],
    b: &[Line<f64>],
    same: bool,
    mut visit: impl FnMut(usize, usize) -> bool,
) {
    let key = |l: &Line<f64>, from_b: bool, i: usize| {
        (
            l.start.x.min(l.end.x),
            l.start.x.max(l.end.x),
            l.start.y.min(l.end.y),
            l.start.y.max(l.end.y),
            from_b,
            i,
        )
    };
    let mut all: Vec<(f64, f64, f64, f64, bool, usize)> = Vec::with_capacity(a.len() + b.len());
    all.extend(a.iter().enumerate().map(|(i, l)| key(l, false, i)));
    if !same {
        all.extend(b.iter().enumerate().map(|(i, l)| key(l, true, i)));
    }
    all.sort_unstable_by(|p, q| p.0.total_cmp(&q.0).then(p.5.cmp(&q.5)));
    for (k, p) in all.iter().enumerate() {
        for q in &all[k + 1..] {
            if q.0 > p.1 {
                break;
            }
            if q.2 > p.3 || p.2 > q.3 || (!same && p.4 == q.4) {
                continue;
            }
            let (i, j) = if same {
                (p.5.min(q.5), p.5.max(q.5))
            } else if p.4 {
                (q.5, p.5)
            } else {
                (p.5, q.5)
            };
            if !visit(i, j) {
                return;
            }
        }
    }
}
