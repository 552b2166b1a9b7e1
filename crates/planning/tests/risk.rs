//! Risk models end to end: both validations on a synthetic clustered programme and on a
//! public data set with real coordinates (Colombia's landmine/MUSE accidents), the map layer,
//! determinism and the refusals.

use chrono::NaiveDate;
use geo_types::{LineString, MultiPolygon, Polygon};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use safeground_planning::PlanningError;
use safeground_planning::risk::{
    EventKind, ModelKind, PastEvent, RiskData, RiskSpec, Validation, risk_map, validate,
};

const KM_LAT: f64 = 1.0 / 111.32;

/// A 100 km × 100 km programme: 5,000 events over 2010–2019 from 15 persistent clusters
/// (85 %) and a uniform background, hazards around a third of the clusters, two roads.
fn clustered(seed: u64) -> RiskData {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (lon0, lat0) = (104.0, 12.0);
    let km_lon = KM_LAT / 12.0_f64.to_radians().cos();
    let centres: Vec<(f64, f64)> = (0..15)
        .map(|_| (rng.random_range(10.0..90.0), rng.random_range(10.0..90.0)))
        .collect();
    let mut events = Vec::new();
    for i in 0..5000 {
        let year = 2010 + i % 10;
        let (x, y) = if rng.random_bool(0.85) {
            let (cx, cy) = centres[rng.random_range(0..centres.len())];
            // Box–Muller, σ = 2.5 km.
            let (u1, u2): (f64, f64) = (rng.random_range(1e-9..1.0), rng.random_range(0.0..1.0));
            let r = (-2.0 * u1.ln()).sqrt() * 2.5;
            let t = std::f64::consts::TAU * u2;
            (
                (cx + r * t.cos()).clamp(0.0, 99.9),
                (cy + r * t.sin()).clamp(0.0, 99.9),
            )
        } else {
            (rng.random_range(0.0..99.9), rng.random_range(0.0..99.9))
        };
        let kind = if rng.random_bool(0.3) {
            EventKind::Accident
        } else {
            EventKind::EoFind
        };
        let date = NaiveDate::from_ymd_opt(year, rng.random_range(1..=12), 1).expect("date");
        events.push(PastEvent {
            lon: lon0 + x * km_lon,
            lat: lat0 + y * KM_LAT,
            date,
            kind,
        });
    }
    let hazards = centres
        .iter()
        .step_by(3)
        .map(|&(cx, cy)| {
            let (w, s) = (lon0 + (cx - 2.0) * km_lon, lat0 + (cy - 2.0) * KM_LAT);
            let (e, n) = (w + 4.0 * km_lon, s + 4.0 * KM_LAT);
            MultiPolygon(vec![Polygon::new(
                LineString::from(vec![(w, s), (e, s), (e, n), (w, n), (w, s)]),
                vec![],
            )])
        })
        .collect();
    let roads = vec![
        LineString::from(vec![
            (lon0, lat0 + 50.0 * KM_LAT),
            (lon0 + 100.0 * km_lon, lat0 + 40.0 * KM_LAT),
        ]),
        LineString::from(vec![
            (lon0 + 30.0 * km_lon, lat0),
            (lon0 + 35.0 * km_lon, lat0 + 100.0 * KM_LAT),
        ]),
    ];
    RiskData {
        events,
        hazards,
        roads,
    }
}

fn assert_sane(v: &Validation) {
    for m in [&v.spatial_cv, &v.time_split] {
        assert!(m.auc > 0.0 && m.auc <= 1.0, "{v:?}");
        assert!(
            m.precision_top_decile.is_finite() && (0.0..=1.0).contains(&m.precision_top_decile)
        );
        assert!(m.base_rate > 0.0 && m.base_rate < 1.0);
        assert!(m.positives > 0 && m.positives < m.cells);
        assert_eq!(m.cells, v.cells);
    }
    assert!(v.bandwidth_m.is_finite() && v.bandwidth_m > 0.0);
}

#[test]
fn both_models_rank_a_clustered_programme_better_than_chance() {
    let data = clustered(1);
    let spec = RiskSpec::default();
    let kde = validate(ModelKind::KernelDensity, &data, &spec).expect("kde");
    let gbt = validate(ModelKind::BoostedTrees, &data, &spec).expect("gbt");
    for v in [&kde, &gbt] {
        assert_sane(v);
        assert!(v.cells >= 10_000, "{}", v.cells);
        assert_eq!((v.folds, v.split_year, v.horizon_years), (5, 2017, 3));
        assert!(v.spatial_cv.auc > 0.7, "{v:?}");
        assert!(v.time_split.auc > 0.7, "{v:?}");
        // The top tenth holds more events than a random tenth would.
        assert!(
            v.spatial_cv.precision_top_decile > v.spatial_cv.base_rate,
            "{v:?}"
        );
    }
    assert_eq!(kde.model, "kde");
    assert_eq!(gbt.model, "gbt");
    // The learned model is at least as good as the baseline, give or take noise.
    assert!(
        gbt.spatial_cv.auc > kde.spatial_cv.auc - 0.02,
        "{gbt:?} vs {kde:?}"
    );
}

#[test]
fn same_seed_same_figures() {
    let data = clustered(2);
    let spec = RiskSpec {
        seed: 11,
        ..RiskSpec::default()
    };
    for kind in ModelKind::ALL {
        let a = validate(kind, &data, &spec).expect("first");
        let b = validate(kind, &data, &spec).expect("second");
        assert_eq!(a, b);
    }
}

#[test]
fn the_map_layer_carries_scores_deciles_and_the_validation() {
    let data = clustered(3);
    let spec = RiskSpec {
        cell_m: 2000.0,
        block_cells: 5,
        ..RiskSpec::default()
    };
    for kind in ModelKind::ALL {
        let map = risk_map(kind, &data, &spec).expect("map");
        assert_eq!(map.cells.len(), map.validation.cells);
        assert_eq!(
            map.validation,
            validate(kind, &data, &spec).expect("validation")
        );
        assert!(
            map.cells
                .iter()
                .all(|c| (0.0..=1.0).contains(&c.score) && (1..=10).contains(&c.decile))
        );
        assert!(map.cells.iter().any(|c| c.score == 1.0));
        let top = map.cells.iter().filter(|c| c.decile == 1).count();
        assert!(top >= map.cells.len() / 10, "{top}");
        // Top-decile cells score at least as high as any bottom-decile cell.
        let low_top = map
            .cells
            .iter()
            .filter(|c| c.decile == 1)
            .map(|c| c.score)
            .fold(1.0, f64::min);
        let high_bottom = map
            .cells
            .iter()
            .filter(|c| c.decile == 10)
            .map(|c| c.score)
            .fold(0.0, f64::max);
        assert!(low_top >= high_bottom);
        let json = serde_json::to_value(&map).expect("json");
        assert!(json["validation"]["spatial_cv"]["auc"].is_number());
    }
}

#[test]
fn model_codes_round_trip() {
    for kind in ModelKind::ALL {
        assert_eq!(ModelKind::from_code(kind.code()), Some(kind));
        assert!(!kind.label().is_empty());
        assert_eq!(kind.model().name(), kind.code());
    }
    assert_eq!(ModelKind::from_code("forest"), None);
}

fn refusal(data: &RiskData, spec: &RiskSpec) -> String {
    match validate(ModelKind::BoostedTrees, data, spec) {
        Err(e @ PlanningError::NotEnoughData(_)) => e.to_string(),
        other => panic!("expected NotEnoughData, got {other:?}"),
    }
}

#[test]
fn too_little_data_is_refused_with_a_reason() {
    let mut data = clustered(4);
    data.events.truncate(12);
    let msg = refusal(&data, &RiskSpec::default());
    assert!(
        msg.contains("12 event(s)") && msg.contains("at least 30"),
        "{msg}"
    );

    let data = clustered(4);
    let late = RiskSpec {
        split_year: Some(2025),
        ..RiskSpec::default()
    };
    let msg = refusal(&data, &late);
    assert!(
        msg.contains("no event in or after the split year 2025"),
        "{msg}"
    );

    // Every later event in one corner: most folds hold no positive cell.
    let mut data = clustered(4);
    for e in data
        .events
        .iter_mut()
        .filter(|e| e.date >= NaiveDate::from_ymd_opt(2017, 1, 1).expect("date"))
    {
        e.lon = 104.01;
        e.lat = 12.01;
    }
    let msg = refusal(&data, &RiskSpec::default());
    assert!(
        msg.contains("holds no cell with an event in 2017–2019"),
        "{msg}"
    );
}

fn colombia() -> RiskData {
    let text = include_str!("fixtures/colombia_map_muse.csv");
    let events = text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            assert_eq!(f.len(), 4, "{line}");
            PastEvent {
                lon: f[0].parse().expect("lon"),
                lat: f[1].parse().expect("lat"),
                date: NaiveDate::parse_from_str(f[2], "%Y-%m-%d").expect("date"),
                kind: serde_json::from_value(serde_json::Value::String(f[3].into())).expect("kind"),
            }
        })
        .collect();
    RiskData {
        events,
        hazards: vec![],
        roads: vec![],
    }
}

#[test]
fn colombia_landmine_accidents_validate_both_models() {
    let data = colombia();
    assert_eq!(data.events.len(), 6541);
    let spec = RiskSpec {
        cell_m: 10_000.0,
        block_cells: 10,
        ..RiskSpec::default()
    };
    println!(
        "| model | validation | AUC | precision@top decile | base rate | positives | cells | split year |"
    );
    for kind in ModelKind::ALL {
        let v = validate(kind, &data, &spec).expect("validates");
        assert_sane(&v);
        assert_eq!(v, validate(kind, &data, &spec).expect("again"));
        for (name, m) in [("spatial CV", &v.spatial_cv), ("time split", &v.time_split)] {
            println!(
                "| {} | {name} | {:.3} | {:.3} | {:.4} | {} | {} | {} |",
                kind.code(),
                m.auc,
                m.precision_top_decile,
                m.base_rate,
                m.positives,
                m.cells,
                v.split_year
            );
        }
        println!(
            "{}: horizon {} years, {} blocks, bandwidth {:.0} m",
            kind.code(),
            v.horizon_years,
            v.blocks,
            v.bandwidth_m
        );
    }
}
