//! Geometry checks on write: the GICHD geocheck rules (reference §6.1), run on raw rings as they
//! arrive from the field, each with a message that names polygon, ring and vertex (1-based).

use geo::algorithm::kernels::{Kernel, Orientation, RobustKernel};
use geo::algorithm::line_intersection::{LineIntersection, line_intersection};
use geo::{Contains, Rect};
use geo_types::{Coord, Line, LineString, MultiPolygon, Point, Polygon};

use crate::geodesic_distance;
use crate::star::star_orientation;
use crate::sweep::first_fault;

/// One ring as received: `[lon, lat]` pairs, possibly unclosed.
pub type RawRing = Vec<[f64; 2]>;
/// One polygon as received: exterior first, then holes.
pub type RawPolygon = Vec<RawRing>;

/// The rings of a parsed multipolygon, as [`check`] reads them.
pub fn raw_polygons(mp: &geo_types::MultiPolygon<f64>) -> Vec<RawPolygon> {
    mp.0.iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|ring| ring.0.iter().map(|c| [c.x, c.y]).collect())
                .collect()
        })
        .collect()
}

/// Which rule a geometry breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// First and last vertex differ.
    UnclosedRing,
    /// Fewer than 3 distinct vertices.
    TooFewVertices,
    /// The same point twice in a row.
    DuplicateConsecutivePoint,
    /// Edges of a ring cross or touch, or the ring folds back on itself.
    SelfIntersection,
    /// A hole crosses its shell or lies outside it.
    RingsCross,
    /// Consecutive vertices further apart than the configured gap (advisory).
    VertexGap,
    /// Longitude beyond ±180 or latitude beyond ±90.
    OutOfRange,
    /// Latitude and longitude appear swapped.
    SwappedLatLon,
    /// A coordinate is NaN or infinite.
    NonFinite,
    /// No polygon or no ring at all.
    EmptyGeometry,
    /// More vertices than [`CheckOptions::max_vertices`].
    TooManyVertices,
}

/// How serious an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The geometry cannot be stored as it is.
    Error,
    /// Worth a look; stored anyway.
    Warning,
}

/// One problem found, located and explained.
#[derive(Debug, Clone, PartialEq)]
pub struct GeometryIssue {
    /// The rule broken.
    pub rule: Rule,
    /// Error or warning.
    pub severity: Severity,
    /// 0-based polygon index.
    pub polygon: usize,
    /// 0-based ring index (0 = exterior).
    pub ring: usize,
    /// 0-based vertex index, where one vertex is to blame.
    pub vertex: Option<usize>,
    /// A full sentence naming polygon, ring and vertex (1-based) and what to do.
    pub message: String,
}

impl std::fmt::Display for GeometryIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Settings of the checks.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOptions {
    /// Largest allowed distance between consecutive vertices, m (geocheck: 5,000).
    pub max_vertex_gap_m: f64,
    /// The programme's extent: a point outside it whose swapped coordinates lie inside is
    /// reported as swapped.
    pub extent: Option<Rect<f64>>,
    /// Most vertices (of all rings, as received) one geometry may have; more is an error and
    /// nothing else is checked. Defaults to [`MAX_FIELD_VERTICES`].
    pub max_vertices: usize,
}

/// Most vertices of a field geometry (a hazard's or a released area's polygon) that the API
/// previews or accepts in a report, and that a report's validation accepts. A surveyed
/// boundary has tens to a few thousand turning points and a traced one (GPS track, digitised
/// map) rarely over 20,000; 100,000 leaves room for those while bounding the work of one
/// request (the checks take well under a second at this size) and its stored size (~3 MB of
/// JSON).
pub const MAX_FIELD_VERTICES: usize = 100_000;

/// Most vertices of one geometry a file import reads. Higher than [`MAX_FIELD_VERTICES`]
/// because an import also brings administrative boundaries and programme areas, and real
/// national or province boundaries have over 100,000 vertices (some several hundred thousand);
/// an import is a batch job run by an administrator, not a request any viewer can send.
/// Imported hazards and released areas still meet [`MAX_FIELD_VERTICES`] when their reports
/// are validated.
pub const MAX_IMPORTED_VERTICES: usize = 2_000_000;

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            max_vertex_gap_m: 5_000.0,
            extent: None,
            max_vertices: MAX_FIELD_VERTICES,
        }
    }
}

/// How many vertices `polygons` has, all rings as received (closing points included).
pub fn vertex_count(polygons: &[RawPolygon]) -> usize {
    polygons.iter().flatten().map(Vec::len).sum()
}

/// The error for a geometry of `count` vertices, over `limit`.
pub fn too_many_vertices(count: usize, limit: usize) -> String {
    format!(
        "has {count} vertices, more than the {limit} allowed for one geometry; simplify it \
         (for example with ogr2ogr -simplify or QGIS's Simplify) or split it into several"
    )
}

struct Reporter<'a> {
    issues: &'a mut Vec<GeometryIssue>,
    polygon: usize,
    ring: usize,
}

impl Reporter<'_> {
    fn add(&mut self, rule: Rule, vertex: Option<usize>, text: String) {
        let severity = if rule == Rule::VertexGap {
            Severity::Warning
        } else {
            Severity::Error
        };
        let place = if self.ring == 0 {
            format!("polygon {}, ring 1 (exterior)", self.polygon + 1)
        } else {
            format!(
                "polygon {}, ring {} (hole {})",
                self.polygon + 1,
                self.ring + 1,
                self.ring
            )
        };
        self.issues.push(GeometryIssue {
            rule,
            severity,
            polygon: self.polygon,
            ring: self.ring,
            vertex,
            message: format!("{place}: {text}"),
        });
    }
}

fn coordinate_issue(c: [f64; 2], extent: Option<&Rect<f64>>) -> Option<Rule> {
    let [x, y] = c;
    let in_range = |x: f64, y: f64| x.abs() <= 180.0 && y.abs() <= 90.0;
    if !in_range(x, y) {
        return Some(if in_range(y, x) {
            Rule::SwappedLatLon
        } else {
            Rule::OutOfRange
        });
    }
    if let Some(e) = extent {
        let inside = |x: f64, y: f64| e.contains(&Point::new(x, y));
        if !inside(x, y) && inside(y, x) {
            return Some(Rule::SwappedLatLon);
        }
    }
    None
}

/// Distinct vertices of a ring without its closing point.
fn open_ring(ring: &RawRing) -> &[[f64; 2]] {
    if ring.len() > 1 && ring.first() == ring.last() {
        &ring[..ring.len() - 1]
    } else {
        ring
    }
}

fn edges(pts: &[[f64; 2]]) -> Vec<Line<f64>> {
    let n = pts.len();
    (0..n)
        .map(|i| {
            let (a, b) = (pts[i], pts[(i + 1) % n]);
            Line::new(Coord { x: a[0], y: a[1] }, Coord { x: b[0], y: b[1] })
        })
        .filter(|l| l.start != l.end)
        .collect()
}

fn fmt_point(c: Coord<f64>) -> String {
    format!("{:.6} {:.6}", c.x, c.y)
}

fn fmt_raw(c: [f64; 2]) -> String {
    fmt_point(Coord { x: c[0], y: c[1] })
}

/// Mean radius of the earth (IUGG), m.
const MEAN_RADIUS_M: f64 = 6_371_008.8;

/// The geodesic distance between two vertices when it exceeds `max_m`. A great-circle distance
/// on the mean sphere screens the edges first: on WGS 84 the geodesic is within 0.6 % of it,
/// so only edges within 1 % of the limit need Karney's exact (and 30 times dearer) solution.
fn gap_over(a: [f64; 2], b: [f64; 2], max_m: f64) -> Option<f64> {
    // Without trigonometry first: the haversine term is at most ((Δφ² + Δλ²) / 4), and
    // asin(s) ≤ 1.05 s for s ≤ 0.5, so the great circle is at most 1.05 R √(Δφ² + Δλ²).
    let (dphi, dlambda) = ((b[1] - a[1]).to_radians(), (b[0] - a[0]).to_radians());
    let d2 = dphi * dphi + dlambda * dlambda;
    let bound = 1.05 * MEAN_RADIUS_M;
    if d2 <= 1.0 && bound * bound * d2 < (0.99 * max_m) * (0.99 * max_m) {
        return None;
    }
    let (p1, p2) = (a[1].to_radians(), b[1].to_radians());
    let h = ((p2 - p1) / 2.0).sin().powi(2)
        + p1.cos() * p2.cos() * ((b[0] - a[0]).to_radians() / 2.0).sin().powi(2);
    let sphere = 2.0 * MEAN_RADIUS_M * h.sqrt().min(1.0).asin();
    if sphere < 0.99 * max_m {
        return None;
    }
    let d = geodesic_distance(Point::new(a[0], a[1]), Point::new(b[0], b[1]));
    (d > max_m).then_some(d)
}

fn check_self_intersection(pts: &[[f64; 2]], r: &mut Reporter<'_>) {
    // Most field rings are star-shaped about their vertices' mean, which proves them simple in
    // O(n); the others go through the pairwise sweep, which also locates the fault.
    if star_orientation(pts).is_none() {
        sweep_self_intersection(pts, r);
    }
}

/// Whether edges `i` and `j` of a ring's `e` meet where they must not: anywhere when they
/// are not neighbours, beyond their shared vertex when they are (a spike). `Some((adjacent,
/// a point where they meet))` when they do.
fn edge_fault(e: &[Line<f64>], i: usize, j: usize) -> Option<(bool, Coord<f64>)> {
    let (i, j) = (i.min(j), i.max(j));
    let n = e.len();
    let adjacent = j == i + 1 || (i == 0 && j == n - 1);
    if adjacent {
        // Consecutive edges share a vertex; unless they turn back along one line, that
        // vertex is all they share (an exact orientation test, no intersection needed).
        let (first, second) = if j == i + 1 {
            (e[i], e[j])
        } else {
            (e[j], e[i])
        };
        if RobustKernel::orient2d(first.start, first.end, second.end) != Orientation::Collinear {
            return None;
        }
    }
    match line_intersection(e[i], e[j])? {
        // Sharing their common vertex is fine for neighbours.
        LineIntersection::SinglePoint { .. } if adjacent => None,
        LineIntersection::SinglePoint { intersection, .. } => Some((false, intersection)),
        LineIntersection::Collinear { intersection } => Some((adjacent, intersection.start)),
    }
}

/// Reports that edges `i` < `j` of the ring `pts` meet at `point`.
fn report_self_intersection(
    pts: &[[f64; 2]],
    (i, j, adjacent, point): (usize, usize, bool, Coord<f64>),
    r: &mut Reporter<'_>,
) {
    let what = if adjacent {
        "folds back on itself (spike)"
    } else {
        "crosses itself"
    };
    r.add(
        Rule::SelfIntersection,
        Some(i),
        format!(
            "edges {}–{} and {}–{} meet at {}: the ring {what} (self-intersection); redraw the boundary or run repair",
            i + 1, i + 2, j + 1, (j + 1) % pts.len() + 1, fmt_point(point)
        ),
    );
}

/// The self-intersection check by a plane sweep (O(n log n), a few edge pairs tested per
/// edge), reporting one fault found.
fn sweep_self_intersection(pts: &[[f64; 2]], r: &mut Reporter<'_>) {
    let e = edges(pts);
    if e.len() < 3 {
        return;
    }
    let found = first_fault(&e, |i, j| {
        edge_fault(&e, i, j).map(|(adjacent, point)| (i.min(j), i.max(j), adjacent, point))
    });
    if let Some(fault) = found {
        report_self_intersection(pts, fault, r);
    }
}

/// The first contact found between edges of different rings, each ring simple: `(ring a,
/// edge, ring b, edge, where)` with a < b, by one plane sweep over all their edges.
fn first_ring_contact(
    rings: &[Vec<Line<f64>>],
) -> Option<(usize, usize, usize, usize, LineIntersection<f64>)> {
    let all: Vec<Line<f64>> = rings.iter().flatten().copied().collect();
    let starts: Vec<usize> = rings
        .iter()
        .scan(0, |n, r| {
            let start = *n;
            *n += r.len();
            Some(start)
        })
        .collect();
    let place = |k: usize| {
        let ring = starts.partition_point(|&s| s <= k) - 1;
        (ring, k - starts[ring])
    };
    first_fault(&all, |a, b| {
        let ((ra, ea), (rb, eb)) = (place(a.min(b)), place(a.max(b)));
        if ra == rb {
            return None; // each ring is simple
        }
        let ((ra, ea), (rb, eb)) = if ra < rb {
            ((ra, ea), (rb, eb))
        } else {
            ((rb, eb), (ra, ea))
        };
        line_intersection(rings[ra][ea], rings[rb][eb]).map(|x| (ra, ea, rb, eb, x))
    })
}

/// Where a simple hole meets its simple shell, if it does: the hole's edge and the contact.
fn hole_meets_shell(
    shell: &[Line<f64>],
    hole: &[Line<f64>],
) -> Option<(usize, LineIntersection<f64>)> {
    first_ring_contact(&[shell.to_vec(), hole.to_vec()]).map(|(_, _, _, j, x)| (j, x))
}

/// How many distinct vertices `pts` has, counted up to 3 (one pass, no sort).
fn distinct_up_to_3(pts: &[[f64; 2]]) -> usize {
    let Some(&first) = pts.first() else {
        return 0;
    };
    let Some(&second) = pts.iter().find(|&&p| p != first) else {
        return 1;
    };
    if pts.iter().any(|&p| p != first && p != second) {
        3
    } else {
        2
    }
}

fn ring_to_linestring(pts: &[[f64; 2]]) -> LineString<f64> {
    let mut c: Vec<Coord<f64>> = pts.iter().map(|p| Coord { x: p[0], y: p[1] }).collect();
    if let Some(first) = c.first().copied() {
        c.push(first);
    }
    LineString(c)
}

/// Checks `polygons` against every rule; returns all issues found (empty = valid).
///
/// ```
/// use safeground_geo::{CheckOptions, Rule, check};
/// let bowtie = vec![[103.20, 13.10], [103.21, 13.11], [103.21, 13.10], [103.20, 13.11], [103.20, 13.10]];
/// let issues = check(&[vec![bowtie]], &CheckOptions::default());
/// assert_eq!(issues[0].rule, Rule::SelfIntersection);
/// assert!(issues[0].message.starts_with("polygon 1, ring 1 (exterior): edges 1–2 and 3–4 meet at 103.205000 13.105000"));
/// ```
pub fn check(polygons: &[RawPolygon], opts: &CheckOptions) -> Vec<GeometryIssue> {
    let mut issues = Vec::new();
    let count = vertex_count(polygons);
    if count > opts.max_vertices {
        issues.push(GeometryIssue {
            rule: Rule::TooManyVertices,
            severity: Severity::Error,
            polygon: 0,
            ring: 0,
            vertex: None,
            message: format!(
                "the geometry {}",
                too_many_vertices(count, opts.max_vertices)
            ),
        });
        return issues;
    }
    if polygons.is_empty() {
        issues.push(GeometryIssue {
            rule: Rule::EmptyGeometry,
            severity: Severity::Error,
            polygon: 0,
            ring: 0,
            vertex: None,
            message: "the geometry has no polygon; draw its boundary".into(),
        });
    }
    for (pi, polygon) in polygons.iter().enumerate() {
        if polygon.is_empty() {
            let mut r = Reporter {
                issues: &mut issues,
                polygon: pi,
                ring: 0,
            };
            r.add(Rule::EmptyGeometry, None, "has no ring".into());
            continue;
        }
        let mut ring_ok = vec![false; polygon.len()];
        for (ri, ring) in polygon.iter().enumerate() {
            let mut r = Reporter {
                issues: &mut issues,
                polygon: pi,
                ring: ri,
            };
            if let Some(v) = ring
                .iter()
                .position(|c| !(c[0].is_finite() && c[1].is_finite()))
            {
                r.add(
                    Rule::NonFinite,
                    Some(v),
                    format!(
                        "vertex {} is not a finite number pair; fix the coordinate",
                        v + 1
                    ),
                );
                continue;
            }
            if let Some((v, rule)) = ring
                .iter()
                .enumerate()
                .find_map(|(v, c)| coordinate_issue(*c, opts.extent.as_ref()).map(|rule| (v, rule)))
            {
                let c = ring[v];
                let text = if rule == Rule::SwappedLatLon {
                    format!(
                        "vertex {} ({}, {}) looks like latitude, longitude swapped; GeoJSON and Safeground expect longitude first",
                        v + 1,
                        c[0],
                        c[1]
                    )
                } else {
                    format!(
                        "vertex {} ({}, {}) is out of range (longitude ±180, latitude ±90)",
                        v + 1,
                        c[0],
                        c[1]
                    )
                };
                r.add(rule, Some(v), text);
                continue;
            }
            if ring.len() > 1 && ring.first() != ring.last() {
                r.add(
                    Rule::UnclosedRing,
                    Some(ring.len() - 1),
                    format!(
                        "the ring is not closed: its last vertex {} ({}) differs from its first ({}); repeat the first vertex at the end",
                        ring.len(),
                        fmt_raw(ring[ring.len() - 1]),
                        fmt_raw(ring[0])
                    ),
                );
            }
            let pts = open_ring(ring);
            for v in 1..pts.len() {
                if pts[v] == pts[v - 1] {
                    r.add(
                        Rule::DuplicateConsecutivePoint,
                        Some(v),
                        format!(
                            "vertex {} repeats vertex {} ({}, {}); delete the duplicate",
                            v + 1,
                            v,
                            pts[v][0],
                            pts[v][1]
                        ),
                    );
                }
            }
            let distinct = distinct_up_to_3(pts);
            if distinct < 3 {
                r.add(
                    Rule::TooFewVertices,
                    None,
                    format!("has {distinct} distinct vertices; a polygon needs at least 3"),
                );
                continue;
            }
            for v in 0..pts.len() {
                let (a, b) = (pts[v], pts[(v + 1) % pts.len()]);
                if let Some(d) = gap_over(a, b, opts.max_vertex_gap_m) {
                    r.add(
                        Rule::VertexGap,
                        Some(v),
                        format!(
                            "vertices {} ({}) and {} ({}) are {:.0} m apart (more than {:.0} m); check for a missing or mistyped turning point",
                            v + 1,
                            fmt_raw(a),
                            (v + 1) % pts.len() + 1,
                            fmt_raw(b),
                            d,
                            opts.max_vertex_gap_m
                        ),
                    );
                }
            }
            let before = r.issues.len();
            check_self_intersection(pts, &mut r);
            ring_ok[ri] = r.issues.len() == before;
        }
        // Holes must lie inside the shell without crossing it.
        if ring_ok.first() == Some(&true) && polygon.len() > 1 {
            let shell_pts = open_ring(&polygon[0]);
            let shell = Polygon::new(ring_to_linestring(shell_pts), vec![]);
            let shell_edges = edges(shell_pts);
            // One sweep over all rings first: when no two meet, no hole meets the shell.
            let rings: Vec<Vec<Line<f64>>> = std::iter::once(shell_edges.clone())
                .chain(
                    (polygon.iter().enumerate().skip(1))
                        .filter(|&(ri, _)| ring_ok[ri])
                        .map(|(_, hole)| edges(open_ring(hole))),
                )
                .collect();
            let holes_apart = first_ring_contact(&rings).is_none();
            for (ri, hole) in polygon.iter().enumerate().skip(1) {
                if !ring_ok[ri] {
                    continue;
                }
                let hole_pts = open_ring(hole);
                let hole_edges = edges(hole_pts);
                let crossing = if holes_apart {
                    None
                } else {
                    hole_meets_shell(&shell_edges, &hole_edges)
                };
                let mut r = Reporter {
                    issues: &mut issues,
                    polygon: pi,
                    ring: ri,
                };
                if let Some((j, x)) = crossing {
                    let at = match x {
                        LineIntersection::SinglePoint { intersection, .. } => intersection,
                        LineIntersection::Collinear { intersection } => intersection.start,
                    };
                    r.add(Rule::RingsCross, Some(j), format!("edge {}–{} meets the exterior ring at {}; a hole must lie strictly inside its polygon", j + 1, (j + 1) % hole_pts.len() + 1, fmt_point(at)));
                } else if !shell.contains(&Point::new(hole_pts[0][0], hole_pts[0][1])) {
                    r.add(
                        Rule::RingsCross,
                        Some(0),
                        "lies outside the exterior ring; a hole must lie inside its polygon".into(),
                    );
                }
            }
        }
    }
    issues
}

/// Checks and converts: `Ok` (with any warnings) only when no issue is an error.
pub fn validated_multipolygon(
    polygons: &[RawPolygon],
    opts: &CheckOptions,
) -> Result<(MultiPolygon<f64>, Vec<GeometryIssue>), Vec<GeometryIssue>> {
    let issues = check(polygons, opts);
    if issues.iter().any(|i| i.severity == Severity::Error) {
        return Err(issues);
    }
    let mp = MultiPolygon(
        polygons
            .iter()
            .map(|p| {
                let mut rings = p.iter().map(|r| ring_to_linestring(open_ring(r)));
                let exterior = rings.next().unwrap_or_else(|| LineString(vec![]));
                Polygon::new(exterior, rings.collect())
            })
            .collect(),
    );
    Ok((mp, issues))
}

#[cfg(test)]
mod tests;
