//! One test per geocheck rule, checking that the message names polygon, ring and vertex.

use geo::Rect;
use geo_types::Coord;
use safeground_geo::{
    CheckOptions, RawPolygon, Rule, Severity, check, repair, validated_multipolygon,
};

fn square() -> Vec<[f64; 2]> {
    vec![
        [103.2, 13.1],
        [103.21, 13.1],
        [103.21, 13.11],
        [103.2, 13.11],
        [103.2, 13.1],
    ]
}

fn issues(polygons: &[RawPolygon]) -> Vec<(Rule, String)> {
    check(polygons, &CheckOptions::default())
        .into_iter()
        .map(|i| (i.rule, i.message))
        .collect()
}

fn only(polygons: &[RawPolygon], rule: Rule, mentions: &[&str]) {
    let found = issues(polygons);
    assert!(
        found.iter().any(|(r, _)| *r == rule),
        "expected {rule:?}, got {found:?}"
    );
    let (_, message) = found.iter().find(|(r, _)| *r == rule).expect("rule");
    for m in mentions {
        assert!(message.contains(m), "`{message}` should mention `{m}`");
    }
}

#[test]
fn valid_square_has_no_issue() {
    assert!(issues(&[vec![square()]]).is_empty());
    assert!(validated_multipolygon(&[vec![square()]], &CheckOptions::default()).is_ok());
}

#[test]
fn unclosed_ring() {
    let mut ring = square();
    ring.pop();
    only(
        &[vec![ring]],
        Rule::UnclosedRing,
        &[
            "polygon 1, ring 1",
            "not closed",
            "last vertex 4 (103.200000 13.110000)",
        ],
    );
}

#[test]
fn too_few_vertices() {
    only(
        &[vec![vec![[103.2, 13.1], [103.21, 13.1], [103.2, 13.1]]]],
        Rule::TooFewVertices,
        &["polygon 1, ring 1", "2 distinct"],
    );
}

#[test]
fn duplicate_consecutive_point() {
    let mut ring = square();
    ring.insert(2, ring[1]);
    only(
        &[vec![ring]],
        Rule::DuplicateConsecutivePoint,
        &[
            "polygon 1, ring 1",
            "vertex 3 repeats vertex 2 (103.21, 13.1)",
        ],
    );
}

#[test]
fn self_intersection_names_edges_and_point() {
    let bowtie = vec![
        [103.2, 13.1],
        [103.21, 13.11],
        [103.21, 13.1],
        [103.2, 13.11],
        [103.2, 13.1],
    ];
    only(
        &[vec![bowtie]],
        Rule::SelfIntersection,
        &[
            "polygon 1, ring 1 (exterior)",
            "edges 1–2 and 3–4",
            "103.205000 13.105000",
        ],
    );
}

#[test]
fn spike_is_a_self_intersection() {
    let spike = vec![
        [103.2, 13.1],
        [103.21, 13.1],
        [103.22, 13.1],
        [103.21, 13.1],
        [103.21, 13.11],
        [103.2, 13.1],
    ];
    only(
        &[vec![spike]],
        Rule::SelfIntersection,
        &["polygon 1, ring 1", "103.210000 13.100000"],
    );
}

/// A fold at the first vertex is found between the closing edge and the first edge, and a
/// nearly straight vertex is not mistaken for one.
#[test]
fn spike_at_the_closing_vertex_and_straight_vertices() {
    let folded_at_start = vec![
        [103.22, 13.1],
        [103.21, 13.1],
        [103.21, 13.11],
        [103.2, 13.11],
        [103.2, 13.1],
        [103.22, 13.1],
    ];
    only(
        &[vec![folded_at_start]],
        Rule::SelfIntersection,
        &["edges 1–2 and 5–1", "folds back on itself (spike)"],
    );
    // (103.21, 13.1) lies a hair off the line between its neighbours: a valid vertex.
    let straight = vec![
        [103.2, 13.1],
        [103.21, 13.100_000_000_001],
        [103.22, 13.1],
        [103.22, 13.11],
        [103.2, 13.11],
        [103.2, 13.1],
    ];
    let issues = check(&[vec![straight]], &CheckOptions::default());
    assert!(issues.is_empty(), "{issues:?}");
}

#[test]
fn hole_crossing_or_outside_its_shell() {
    let crossing = vec![
        [103.205, 13.105],
        [103.215, 13.105],
        [103.215, 13.108],
        [103.205, 13.105],
    ];
    only(
        &[vec![square(), crossing]],
        Rule::RingsCross,
        &["polygon 1, ring 2 (hole 1)", "meets the exterior"],
    );
    let outside = vec![
        [103.3, 13.3],
        [103.31, 13.3],
        [103.31, 13.31],
        [103.3, 13.3],
    ];
    only(
        &[vec![square(), outside]],
        Rule::RingsCross,
        &["hole 1", "outside"],
    );
}

#[test]
fn vertex_gap_is_a_warning() {
    let big = vec![[103.2, 13.1], [103.3, 13.1], [103.3, 13.2], [103.2, 13.1]];
    let found = check(&[vec![big.clone()]], &CheckOptions::default());
    let gap = found
        .iter()
        .find(|i| i.rule == Rule::VertexGap)
        .expect("gap");
    assert_eq!(gap.severity, Severity::Warning);
    assert!(
        gap.message
            .contains("polygon 1, ring 1 (exterior): vertices 1 (103.200000 13.100000) and 2"),
        "{}",
        gap.message
    );
    let (_, warnings) =
        validated_multipolygon(&[vec![big]], &CheckOptions::default()).expect("warnings only");
    assert!(!warnings.is_empty());
}

#[test]
fn out_of_range_and_swapped() {
    only(
        &[vec![vec![
            [200.0, 13.1],
            [103.21, 13.1],
            [103.21, 13.11],
            [200.0, 13.1],
        ]]],
        Rule::OutOfRange,
        &["polygon 1, ring 1", "vertex 1 (200, 13.1)", "out of range"],
    );
    let swapped: Vec<[f64; 2]> = square().into_iter().map(|[x, y]| [y, x]).collect();
    only(
        &[vec![swapped.clone()]],
        Rule::SwappedLatLon,
        &["polygon 1, ring 1", "vertex 1 (13.1, 103.2)", "swapped"],
    );
    // With a programme extent, swapped coordinates that are both in range are caught too.
    let azerbaijan = vec![[40.4, 47.1], [40.41, 47.1], [40.41, 47.11], [40.4, 47.1]];
    let opts = CheckOptions {
        extent: Some(Rect::new(
            Coord { x: 44.7, y: 38.3 },
            Coord { x: 50.9, y: 41.95 },
        )),
        ..CheckOptions::default()
    };
    let found = check(&[vec![azerbaijan]], &opts);
    assert!(
        found.iter().any(|i| i.rule == Rule::SwappedLatLon),
        "{found:?}"
    );
}

#[test]
fn non_finite_and_empty() {
    only(
        &[vec![vec![
            [f64::NAN, 13.1],
            [103.21, 13.1],
            [103.21, 13.11],
            [103.2, 13.1],
        ]]],
        Rule::NonFinite,
        &["polygon 1, ring 1", "vertex 1"],
    );
    only(&[], Rule::EmptyGeometry, &["no polygon"]);
    only(&[vec![]], Rule::EmptyGeometry, &["polygon 1"]);
}

#[test]
fn repair_fixes_and_explains() {
    let bowtie = vec![
        [103.2, 13.1],
        [103.21, 13.11],
        [103.21, 13.1],
        [103.2, 13.11],
    ];
    let fixed = repair(&[vec![bowtie]]).expect("repair");
    assert_eq!(fixed.geometry.0.len(), 2, "two triangles");
    assert!(
        fixed.actions.iter().any(|a| a.contains("closed the ring")),
        "{:?}",
        fixed.actions
    );
    assert!(
        fixed
            .actions
            .iter()
            .any(|a| a.contains("self-intersecting")),
        "{:?}",
        fixed.actions
    );
    let swapped: Vec<[f64; 2]> = square().into_iter().map(|[x, y]| [y, x]).collect();
    let fixed = repair(&[vec![swapped]]).expect("repair");
    assert!(fixed.actions.iter().any(|a| a.contains("swapped")));
    assert!(
        issues(&[vec![
            fixed.geometry.0[0]
                .exterior()
                .0
                .iter()
                .map(|c| [c.x, c.y])
                .collect()
        ]])
        .is_empty()
    );
    assert!(repair(&[vec![vec![[103.2, 13.1], [103.2, 13.1]]]]).is_err());
}

#[test]
fn a_geometry_over_the_vertex_limit_is_refused_unchecked() {
    // A bow tie of 5 vertices (closing point included): over a limit of 4 only the count is
    // reported, at the limit the rules run.
    let bowtie = vec![
        [103.20, 13.10],
        [103.21, 13.11],
        [103.21, 13.10],
        [103.20, 13.11],
        [103.20, 13.10],
    ];
    let polygons = [vec![bowtie]];
    let limit = |max_vertices| CheckOptions {
        max_vertices,
        ..CheckOptions::default()
    };
    let over = check(&polygons, &limit(4));
    assert_eq!(over.len(), 1, "{over:?}");
    assert_eq!(over[0].rule, Rule::TooManyVertices);
    assert_eq!(over[0].severity, Severity::Error);
    assert!(
        over[0]
            .message
            .starts_with("the geometry has 5 vertices, more than the 4 allowed"),
        "{}",
        over[0].message
    );
    let at = check(&polygons, &limit(5));
    assert_eq!(at[0].rule, Rule::SelfIntersection, "{at:?}");
    assert_eq!(
        CheckOptions::default().max_vertices,
        safeground_geo::MAX_FIELD_VERTICES
    );
}
