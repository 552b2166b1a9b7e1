//! The regional demo places its Lao-like programme right north of the Cambodia-like one, so
//! that the hub's border-hazards report and map have hazards near a border to show.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use geo_types::MultiPolygon;
use safeground_demo::Country;
use safeground_model::Record;

/// The hazards of a demo programme as they stand at the end (a later report's geometry
/// replaces an earlier one), by local id.
fn hazards(country: Country, seed: u64) -> Vec<(String, MultiPolygon<f64>)> {
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let programme = safeground_demo::generate_in(country, 3000, seed, day);
    (programme.reports.iter().flat_map(|r| &r.entries))
        .filter_map(|e| match &e.record {
            Record::Hazard(h) => Some((h.local_id.clone(), h.geometry.clone()?)),
            _ => None,
        })
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_iter()
        .collect()
}

fn lat_range(mp: &MultiPolygon<f64>) -> (f64, f64) {
    let ys = mp.0.iter().flat_map(|p| p.exterior().0.iter()).map(|c| c.y);
    ys.fold((f64::MAX, f64::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)))
}

/// The shortest geodesic distance between a vertex of `a` and one of `b`: at least the
/// distance between the polygons.
fn vertex_distance(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> f64 {
    let vertices = |m: &MultiPolygon<f64>| {
        m.0.iter()
            .flat_map(|p| p.exterior().0.clone())
            .collect::<Vec<_>>()
    };
    let (va, vb) = (vertices(a), vertices(b));
    let mut best = f64::MAX;
    for p in &va {
        for q in &vb {
            best = best.min(safeground_geo::geodesic_distance((*p).into(), (*q).into()));
        }
    }
    best
}

#[test]
fn the_regional_demo_has_hazards_within_5_km_of_the_other_country() {
    // `safeground demo --regional` with its defaults: 3,000 hazards, seed 2026 for Cambodia
    // (node 0) and 2027 for Lao PDR (node 1).
    let khm = hazards(Country::CAMBODIA, 2026);
    let lao = hazards(Country::LAO, 2027);
    let north: Vec<_> = khm.iter().filter(|(_, g)| lat_range(g).1 > 14.3).collect();
    let south: Vec<_> = lao.iter().filter(|(_, g)| lat_range(g).0 < 14.55).collect();
    let mut near = Vec::new();
    for (k, a) in &north {
        for (l, b) in &south {
            let d = vertex_distance(a, b);
            assert!(d > 0.0, "{k} and {l} touch: the countries must not overlap");
            if d <= 5000.0 {
                near.push((k.clone(), l.clone(), d.round()));
            }
        }
    }
    assert!(near.len() >= 2, "border pairs within 5 km: {near:?}");
    // Every Lao hazard lies north of every Cambodian one: the border runs between them.
    let khm_north = khm
        .iter()
        .map(|(_, g)| lat_range(g).1)
        .fold(f64::MIN, f64::max);
    let lao_south = lao
        .iter()
        .map(|(_, g)| lat_range(g).0)
        .fold(f64::MAX, f64::min);
    assert!(khm_north < lao_south, "{khm_north} ≥ {lao_south}");
    eprintln!("{} pairs within 5 km: {near:?}", near.len());
}
