//! The demo's admin areas have boundaries (provinces as rectangles, the country holding them)
//! and every demo hazard lies inside its province's boundary, so the store's admin assignment
//! and the dashboard's choropleth work on the demo, in each country of the regional demo too.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use geo_types::MultiPolygon;
use safeground_demo::Country;
use safeground_model::Record;

/// (min lon, min lat, max lon, max lat) of a rectangle's vertices.
fn extent(mp: &MultiPolygon<f64>) -> [f64; 4] {
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for c in mp.0.iter().flat_map(|p| p.exterior().0.iter()) {
        b = [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)];
    }
    b
}

#[test]
fn admin_areas_have_boundaries_and_hold_their_hazards() {
    for country in [Country::CAMBODIA, Country::LAO, Country::AZERBAIJAN] {
        areas_hold_hazards(country);
    }
}

fn areas_hold_hazards(country: Country) {
    let day = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
    let programme = safeground_demo::generate_in(country, 600, 7, day);
    let mut boundaries = std::collections::BTreeMap::new();
    let mut hazards = Vec::new();
    for entry in programme.reports.iter().flat_map(|r| &r.entries) {
        match &entry.record {
            Record::AdminArea(a) => {
                let g = a
                    .geometry
                    .clone()
                    .expect("every demo admin area has a boundary");
                assert!(safeground_geo::geodesic_area(&g) > 1e8, "{}", a.pcode);
                boundaries.insert(a.pcode.clone(), (a.level, g));
            }
            Record::Hazard(h) => hazards.push(h.clone()),
            _ => {}
        }
    }
    assert_eq!(boundaries.len(), 1 + safeground_demo::PROVINCES.len());
    let country_extent = extent(&boundaries[country.code].1);
    for p in safeground_demo::PROVINCES {
        let (level, g) = &boundaries[&format!("{}{}", country.code, &p.pcode[2..])];
        assert_eq!(*level, 1);
        let b = extent(g);
        // Rectangles: the province's extent is inside the country's.
        let c = country_extent;
        assert!(b[0] >= c[0] && b[1] >= c[1] && b[2] <= c[2] && b[3] <= c[3]);
    }
    assert!(hazards.len() >= 600);
    for h in &hazards {
        let pcode = h.admin_pcode.as_deref().unwrap();
        let b = extent(&boundaries[pcode].1);
        let shape = h.geometry.as_ref().unwrap();
        // A rectangle is convex: a polygon whose vertices are all in it lies inside it.
        for c in shape.0.iter().flat_map(|p| p.exterior().0.iter()) {
            assert!(
                c.x > b[0] && c.x < b[2] && c.y > b[1] && c.y < b[3],
                "{} ({pcode}) has a vertex at {c:?}, outside {b:?}",
                h.local_id
            );
        }
    }
}
