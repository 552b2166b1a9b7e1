//! Metrics on a fixture whose answers are worked out by hand in the comments.

use geo_types::{MultiPolygon, polygon};
use safeground_detection::{ModelMetrics, Scored, Surveyed, Verdict, metrics};

const F1: (f64, f64) = (103.001, 13.001);
const F2: (f64, f64) = (103.003, 13.003);
const F3: (f64, f64) = (103.005, 13.005);
const F4: (f64, f64) = (103.007, 13.007);
/// Outside every footprint.
const F5: (f64, f64) = (103.02, 13.02);

fn s(
    model: &str,
    v: &str,
    class: &str,
    c: f64,
    verdict: Verdict,
    at: (f64, f64),
    dlat: f64,
) -> Scored {
    Scored {
        model: model.into(),
        model_version: v.into(),
        class: class.into(),
        confidence: c,
        verdict,
        lon: at.0,
        lat: at.1 + dlat,
    }
}

fn square(x0: f64, x1: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![
        polygon![(x: x0, y: 13.0), (x: x1, y: 13.0), (x: x1, y: 13.01), (x: x0, y: 13.01)],
    ])
}

fn surveyed(model: &str, v: &str, x0: f64, x1: f64) -> Surveyed {
    Surveyed {
        model: model.into(),
        model_version: v.into(),
        footprint: square(x0, x1),
    }
}

fn fixture() -> (Vec<Scored>, Vec<Surveyed>, Vec<(f64, f64)>) {
    use Verdict::*;
    // 1e-5 degree of latitude is about 1.1 m here.
    let scored = vec![
        s("A", "1", "PMN-2", 0.95, Confirmed, F1, 2e-5), //  1: 2.2 m from F1
        s("A", "1", "PMN-2", 0.85, Confirmed, F2, 1e-5), //  2: 1.1 m from F2
        s(
            "A",
            "1",
            "PMN-2",
            0.82,
            FalsePositive,
            (103.009, 13.001),
            0.0,
        ), // 3
        s("A", "1", "PMN-2", 0.45, Confirmed, F1, 3e-5), //  4: 3.3 m from F1, which 1 takes
        s(
            "A",
            "1",
            "PMN-2",
            0.15,
            FalsePositive,
            (103.009, 13.002),
            0.0,
        ), // 5
        s("A", "1", "PMN-2", 0.30, Pending, (103.009, 13.003), 0.0), // 6
        s("A", "1", "UXO", 0.91, Confirmed, F3, 10e-5),  //  7: 11.1 m from F3, beyond 5 m
        s("A", "1", "UXO", 0.75, Confirmed, F4, 0.0),    //  8: on F4
        s("A", "1", "UXO", 0.55, FalsePositive, (103.009, 13.004), 0.0), // 9
        s("A", "1", "UXO", 0.25, NotVerifiable, (103.009, 13.005), 0.0), // 10
        // Model B confirmed the find outside every footprint but surveyed nothing recorded.
        s("B", "1", "UXO", 0.60, Confirmed, F5, 0.0),
    ];
    // A v1 flew two orthophotos (west and east halves); A v2 flew the whole square, found nothing.
    let surveyed = vec![
        surveyed("A", "1", 103.0, 103.004),
        surveyed("A", "1", 103.004, 103.01),
        surveyed("A", "2", 103.0, 103.01),
    ];
    (scored, surveyed, vec![F1, F2, F3, F4, F5])
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

fn find<'a>(rows: &'a [ModelMetrics], m: &str, v: &str, c: &str) -> &'a ModelMetrics {
    rows.iter()
        .find(|r| r.model == m && r.model_version == v && r.class == c)
        .unwrap_or_else(|| panic!("no row {m} {v} {c}"))
}

#[test]
fn rows_and_order() {
    let (scored, surveyed, finds) = fixture();
    let rows = metrics(&scored, &surveyed, &finds, 5.0);
    let keys: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r.model.as_str(), r.model_version.as_str(), r.class.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("A", "1", "*"),
            ("A", "1", "PMN-2"),
            ("A", "1", "UXO"),
            ("A", "2", "*"),
            ("B", "1", "*"),
            ("B", "1", "UXO")
        ]
    );
}

#[test]
fn all_classes_row() {
    let (scored, surveyed, finds) = fixture();
    let rows = metrics(&scored, &surveyed, &finds, 5.0);
    let r = find(&rows, "A", "1", "*");
    // Confirmed 1, 2, 4, 7, 8; false positives 3, 5, 9; 10 not verifiable; 6 pending.
    assert_eq!(
        (
            r.detections,
            r.confirmed,
            r.false_positive,
            r.not_verifiable,
            r.pending
        ),
        (10, 5, 3, 1, 1)
    );
    // precision = 5 / (5 + 3) = 0.625
    assert!(close(r.precision, 0.625));
    // F1..F4 lie in the union of the two halves, F5 outside. F1 <- 1 (2.2 m; 4 at 3.3 m is not
    // used twice), F2 <- 2, F4 <- 8; F3's only confirmed detection (7) is 11 m away: 3 of 4.
    assert_eq!((r.finds_in_footprint, r.finds_matched), (4, 3));
    assert!(close(r.recall, 0.75));
    // Verified (8) by bin: 0.1: {0.15 FP}; 0.4: {0.45 C}; 0.5: {0.55 FP}; 0.7: {0.75 C};
    // 0.8: {0.85 C, 0.82 FP}; 0.9: {0.95 C, 0.91 C}.
    let counts: Vec<usize> = r.calibration.iter().map(|b| b.count).collect();
    assert_eq!(counts, [0, 1, 0, 0, 1, 1, 0, 1, 2, 2]);
    let b8 = &r.calibration[8];
    assert!((b8.from, b8.to) == (0.8, 0.9) && (b8.mean_confidence - 0.835).abs() < 1e-12);
    assert!((b8.confirmed_share - 0.5).abs() < 1e-12);
    assert!((r.calibration[9].mean_confidence - 0.93).abs() < 1e-12);
    // ECE = 2/8·|0.93−1| + 2/8·|0.835−0.5| + 1/8·(|0.75−1| + |0.55−0| + |0.45−1| + |0.15−0|)
    //     = 0.0175 + 0.08375 + 0.125 · 1.5 = 0.28875
    assert!(close(r.expected_calibration_error, 0.28875));
}

#[test]
fn class_rows() {
    let (scored, surveyed, finds) = fixture();
    let rows = metrics(&scored, &surveyed, &finds, 5.0);
    let p = find(&rows, "A", "1", "PMN-2");
    // 1..6: confirmed 1, 2, 4; FP 3, 5; pending 6 -> precision 3/5.
    assert_eq!(
        (
            p.detections,
            p.confirmed,
            p.false_positive,
            p.pending,
            p.not_verifiable
        ),
        (6, 3, 2, 1, 0)
    );
    assert!(close(p.precision, 0.6));
    // F1 <- 1, F2 <- 2 (4 is spare): 2 of 4.
    assert_eq!((p.finds_in_footprint, p.finds_matched), (4, 2));
    assert!(close(p.recall, 0.5));
    // ECE over 5: 1/5·|0.95−1| + 2/5·|0.835−0.5| + 1/5·|0.45−1| + 1/5·|0.15−0|
    //           = 0.01 + 0.134 + 0.11 + 0.03 = 0.284
    assert!(close(p.expected_calibration_error, 0.284));

    let u = find(&rows, "A", "1", "UXO");
    // 7..10: confirmed 7, 8; FP 9; 10 not verifiable -> 2/3. Only F4 <- 8.
    assert_eq!(
        (
            u.detections,
            u.confirmed,
            u.false_positive,
            u.not_verifiable
        ),
        (4, 2, 1, 1)
    );
    assert!(close(u.precision, 2.0 / 3.0));
    assert_eq!(u.finds_matched, 1);
    assert!(close(u.recall, 0.25));
    // ECE over 3: (|0.91−1| + |0.75−1| + |0.55−0|) / 3 = 0.89 / 3
    assert!(close(u.expected_calibration_error, 0.89 / 3.0));
}

#[test]
fn radius_and_models_without_survey_or_detections() {
    let (scored, surveyed, finds) = fixture();
    // At 12 m, 7 reaches F3 (11.1 m): all four finds.
    let rows = metrics(&scored, &surveyed, &finds, 12.0);
    assert_eq!(find(&rows, "A", "1", "*").finds_matched, 4);
    assert!(close(find(&rows, "A", "1", "*").recall, 1.0));

    // A v2 surveyed the square and found nothing: recall 0, nothing verified.
    let a2 = find(&rows, "A", "2", "*");
    assert_eq!(
        (a2.detections, a2.finds_in_footprint, a2.finds_matched),
        (0, 4, 0)
    );
    assert!(close(a2.recall, 0.0));
    assert_eq!((a2.precision, a2.expected_calibration_error), (None, None));
    assert!(a2.calibration.iter().all(|b| b.count == 0));

    // B confirmed F5 but has no surveyed footprint: no recall to give.
    let b = find(&rows, "B", "1", "*");
    assert_eq!((b.finds_in_footprint, b.recall), (0, None));
    assert!(close(b.precision, 1.0));
}

#[test]
fn serialises_with_snake_case_and_geojson_footprints() {
    let (scored, surveyed, finds) = fixture();
    let json = serde_json::to_value(&scored[2]).unwrap_or_default();
    assert_eq!(json["verdict"], "false_positive");
    let sv = serde_json::to_value(&surveyed[0]).unwrap_or_default();
    assert_eq!(sv["footprint"]["type"], "MultiPolygon");
    let back: Surveyed = serde_json::from_value(sv).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, surveyed[0]);
    let rows = metrics(&scored, &surveyed, &finds, 5.0);
    let r = serde_json::to_value(&rows[0]).unwrap_or_default();
    assert_eq!(r["class"], "*");
    assert_eq!(r["calibration"].as_array().map(Vec::len), Some(10));
}
