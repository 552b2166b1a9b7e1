use geo_types::{Point, polygon};

use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// A 0.01° square whose south-west corner is at (lon, lat).
fn square(lon: f64, lat: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![polygon![
        (x: lon, y: lat), (x: lon + 0.01, y: lat), (x: lon + 0.01, y: lat + 0.01),
        (x: lon, y: lat + 0.01), (x: lon, y: lat)
    ]])
}

fn hazard(id: &str, lon: f64, m2: f64, class: HazardClass) -> HazardFacts {
    HazardFacts {
        item: format!("HAZ-{id}"),
        local_id: id.into(),
        name: format!("Hazard {id}"),
        admin_pcode: None,
        class,
        evidence: vec![],
        contamination: vec![],
        remaining_m2: m2,
        shape: Some(square(lon, 12.0)),
    }
}

fn at(lon: f64, lat: f64, date: &str, count: u32) -> Occurrence {
    Occurrence {
        at: Coord { x: lon, y: lat },
        date: d(date),
        count,
    }
}

fn criteria(text: &str) -> Criteria {
    Criteria::from_toml(text).expect("criteria")
}

fn hazards() -> Vec<HazardFacts> {
    vec![
        hazard("A", 104.0, 10_000.0, HazardClass::Cha),
        hazard("B", 104.2, 50_000.0, HazardClass::Sha),
        hazard("C", 104.4, 90_000.0, HazardClass::Cha),
    ]
}

fn evidence() -> Evidence {
    Evidence {
        // Two accidents near A (3 and 1 casualties), one near C long ago, one near B.
        accidents: vec![
            at(104.005, 12.02, "2024-05-01", 3),
            at(104.005, 12.005, "2023-01-01", 1),
            at(104.405, 12.005, "1999-01-01", 7),
            at(104.205, 12.03, "2025-01-01", 2),
        ],
        finds: vec![at(104.205, 12.005, "2025-06-01", 10)],
        layers: BTreeMap::new(),
        as_of: d("2026-01-01"),
    }
}

const CASUALTIES_AND_CLASS: &str = "
[[criterion]]
id = 'casualties'
kind = 'casualties_within'
weight = 4
km = 5
years = 10

[[criterion]]
id = 'confirmed'
kind = 'has_class'
weight = 1
classes = ['cha']

[[criterion]]
id = 'small_first'
kind = 'remaining_area'
weight = 2
prefer = 'smaller'
";

#[test]
fn the_contributions_sum_to_the_score_and_explain_the_order() {
    let r = rank(&hazards(), &evidence(), &criteria(CASUALTIES_AND_CLASS)).expect("ranked");
    let order: Vec<&str> = r.iter().map(|x| x.local_id.as_str()).collect();
    // A: 4 casualties (max) → 4, CHA → 1, smallest → 2: 7. B: 2 casualties → 2, SHA → 0,
    // middle → 1: 3. C: accident outside the 10 years → 0, CHA 1, largest 0: 1.
    assert_eq!(order, ["A", "B", "C"]);
    assert_eq!(
        r.iter().map(|x| x.score).collect::<Vec<_>>(),
        [7.0, 3.0, 1.0]
    );
    for x in &r {
        let sum: f64 = x.contributions.iter().map(|c| c.points).sum();
        assert_eq!(sum, x.score, "{}", x.local_id);
        for c in &x.contributions {
            assert_eq!(c.points, c.weight * c.value);
            assert!((0.0..=1.0).contains(&c.value));
        }
    }
    assert_eq!(r[0].contributions[0].raw, 4.0);
    assert_eq!(
        r[2].contributions[0].raw, 0.0,
        "the 1999 accident is outside the look-back"
    );
}

#[test]
fn a_weight_change_shows_who_moved() {
    let c = criteria(CASUALTIES_AND_CLASS);
    let before = rank(&hazards(), &evidence(), &c).expect("ranked");
    let heavy = c
        .with_weights(&[("casualties".into(), 0.0), ("small_first".into(), 0.0)])
        .expect("weights");
    let after = rank(&hazards(), &evidence(), &heavy).expect("ranked");
    // Only the class counts now: A and C tie at 1, C first (larger remaining area), B last.
    let order: Vec<&str> = after.iter().map(|x| x.local_id.as_str()).collect();
    assert_eq!(order, ["C", "A", "B"]);
    let m = moves(&before, &after);
    assert_eq!(m.len(), 3);
    assert_eq!(
        (m[0].local_id.as_str(), m[0].from, m[0].to),
        ("C", Some(3), Some(1))
    );
    assert!(moves(&before, &before).is_empty());
}

#[test]
fn finds_count_quantities_and_layers_count_features() {
    let mut ev = evidence();
    ev.layers.insert(
        "villages".into(),
        vec![
            Geometry::Point(Point::new(104.41, 12.02)),
            Geometry::Point(Point::new(104.0, 12.0)),
        ],
    );
    let c = criteria(
        "[[criterion]]\nid='finds'\nkind='eo_finds_within'\nweight=1\nkm=1\nyears=5\n\
         [[criterion]]\nid='near'\nkind='near_layer'\nweight=1\nlayer='villages'\nkm=2\n\
         [[criterion]]\nid='requests'\nkind='layer_count_within'\nweight=1\nlayer='villages'\nkm=25",
    );
    let r = rank(&hazards(), &ev, &c).expect("ranked");
    let by = |id: &str| r.iter().find(|x| x.local_id == id).expect("hazard");
    assert_eq!(by("B").contributions[0].raw, 10.0);
    assert_eq!(
        by("A").contributions[1].value,
        1.0,
        "a village on A's corner"
    );
    // The village 0.01° north of C's north-east corner is ~1.1 km away: value ≈ 1 − 1.1/2.
    let c_near = by("C").contributions[1].value;
    assert!((0.4..0.5).contains(&c_near), "{c_near}");
    assert_eq!(by("B").contributions[1].value, 0.0);
    assert_eq!(
        by("B").contributions[1].raw,
        2000.0,
        "no village within 2 km: the distance"
    );
    assert_eq!(by("A").contributions[2].raw, 1.0);
    assert_eq!(
        by("B").contributions[2].raw,
        2.0,
        "both villages within 25 km of B (each ~21.8 km)"
    );
}

#[test]
fn a_missing_layer_is_refused_not_scored_zero() {
    let c = criteria("[[criterion]]\nid='roads'\nkind='near_layer'\nweight=1\nlayer='roads'\nkm=2");
    let e = rank(&hazards(), &evidence(), &c).expect_err("no layer");
    assert!(
        e.to_string()
            .contains("layer `roads`, which is not imported"),
        "{e}"
    );
}

#[test]
fn a_hazard_without_a_polygon_is_near_nothing() {
    let mut h = hazards();
    h[0].shape = None;
    let r = rank(&h, &evidence(), &criteria(CASUALTIES_AND_CLASS)).expect("ranked");
    let a = r.iter().find(|x| x.local_id == "A").expect("A");
    assert_eq!(a.contributions[0].raw, 0.0);
}
