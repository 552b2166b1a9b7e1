//! Sizes a busy survey reaches: run with `cargo test -p safeground-detection --test scale --
//! --ignored --nocapture` to print the timings.

use std::fmt::Write;
use std::time::Instant;

use geo_types::{MultiPolygon, polygon};
use safeground_detection::{
    ReadOptions, Scored, Surveyed, Verdict, Wgs84GeoTransform, metrics, read_detections,
};

const IMG: Wgs84GeoTransform = Wgs84GeoTransform {
    width: 40_000,
    height: 30_000,
    geotransform: [103.2, 1e-6, 0.0, 13.1, 0.0, -1e-6],
};

/// A deterministic spread of values in 0..1.
fn u(i: usize, k: usize) -> f64 {
    ((i * 7919 + k * 104_729) % 10_007) as f64 / 10_007.0
}

#[test]
#[ignore = "timing; run with --ignored --nocapture"]
fn read_and_score_at_scale() {
    let opts = ReadOptions {
        model: Some("m"),
        model_version: Some("1"),
        image: Some(&IMG),
        ..Default::default()
    };
    let n = 100_000;
    let mut yolo = String::new();
    for i in 0..n {
        let _ = writeln!(
            yolo,
            "{} {:.6} {:.6} 0.001 0.001 {:.4}",
            i % 3,
            u(i, 1),
            u(i, 2),
            u(i, 3)
        );
    }
    let t = Instant::now();
    let d = read_detections(yolo.as_bytes(), None, &opts).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "YOLO {n} lines ({} MB): {:?}, kept {}",
        yolo.len() / 1_000_000,
        t.elapsed(),
        d.items.len()
    );

    let coco: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"image_id":1,"category_id":{},"bbox":[{:.1},{:.1},20,20],"score":{:.4}}}"#,
                i % 3,
                u(i, 1) * 39_000.0,
                u(i, 2) * 29_000.0,
                u(i, 3)
            )
        })
        .collect();
    let coco = format!("[{}]", coco.join(","));
    let t = Instant::now();
    let d = read_detections(coco.as_bytes(), None, &opts).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "COCO {n} results ({} MB): {:?}, kept {}",
        coco.len() / 1_000_000,
        t.elapsed(),
        d.items.len()
    );

    let scored: Vec<Scored> = d
        .items
        .iter()
        .enumerate()
        .take(20_000)
        .map(|(i, x)| Scored {
            model: "m".into(),
            model_version: "1".into(),
            class: x.class.clone(),
            confidence: x.confidence,
            verdict: if u(i, 4) < x.confidence {
                Verdict::Confirmed
            } else {
                Verdict::FalsePositive
            },
            lon: x.lon,
            lat: x.lat,
        })
        .collect();
    // 1,000 finds 1.1 m north of confirmed detections, 1,000 scattered.
    let near: Vec<(f64, f64)> = scored
        .iter()
        .filter(|s| s.verdict == Verdict::Confirmed)
        .take(1_000)
        .map(|s| (s.lon, s.lat + 1e-5))
        .collect();
    let finds: Vec<(f64, f64)> = (0..1_000)
        .map(|i| (103.2 + u(i, 5) * 0.04, 13.1 - u(i, 6) * 0.03))
        .chain(near)
        .collect();
    let surveyed = [Surveyed {
        model: "m".into(),
        model_version: "1".into(),
        footprint: MultiPolygon(vec![
            polygon![(x: 103.2, y: 13.07), (x: 103.24, y: 13.07), (x: 103.24, y: 13.1), (x: 103.2, y: 13.1)],
        ]),
    }];
    let t = Instant::now();
    let rows = metrics(&scored, &surveyed, &finds, 5.0);
    println!(
        "metrics: {} detections, {} finds, {} rows: {:?}; recall {:?}",
        scored.len(),
        finds.len(),
        rows.len(),
        t.elapsed(),
        rows[0].recall
    );
}
