//! Land released per year and method, and productivity (m² per working day by method and
//! asset type, pooled and per activity for the quartiles), from a country's shared activities.

use std::collections::BTreeSet;

use chrono::Datelike;
use safeground_model::{Activity, ActivityStatus};
use safeground_planning::programme::released_m2;

use crate::figures::Tally;

/// Whether an activity in this status has released land (planned and aborted work has not),
/// as the national land-release accounting says.
pub(crate) fn releases_land(status: ActivityStatus) -> bool {
    !matches!(status, ActivityStatus::Planned | ActivityStatus::Aborted)
}

/// Adds an activity's released land (per year and method) and, when it has a start and an
/// end date, its productivity (per method and asset type; its days once per group).
pub(crate) fn add_activity(t: &mut Tally, a: &Activity) {
    if !releases_land(a.status) || a.released_areas.is_empty() {
        return;
    }
    let year = a.end_date.or(a.start_date).map(|d| d.year());
    let days = match (a.start_date, a.end_date) {
        (Some(start), Some(end)) if end >= start => {
            u64::try_from((end - start).num_days() + 1).ok()
        }
        _ => None,
    };
    let mut groups = BTreeSet::new();
    for r in &a.released_areas {
        let m2 = released_m2(r);
        *t.released.entry((year, r.method)).or_default() += m2;
        if days.is_some() {
            let key = (r.method, r.asset_type);
            t.productivity.entry(key).or_default().0 += m2;
            groups.insert(key);
        }
    }
    if let Some(days) = days {
        for key in groups {
            let cell = t.productivity.entry(key).or_default();
            cell.1 += days;
            let m2: f64 = (a.released_areas.iter())
                .filter(|r| (r.method, r.asset_type) == key)
                .map(released_m2)
                .sum();
            t.rates.entry(key).or_default().push(m2 / days as f64);
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use geo_types::{MultiPolygon, polygon};
    use safeground_model::{ActivityType, AssetType, ReleaseMethod, ReleasedArea};

    use super::*;

    fn day(s: &str) -> Option<NaiveDate> {
        Some(s.parse().expect("date"))
    }

    /// A square of 0.001° on the equator: 111.32 m × 110.57 m ≈ 12,308 m² on the ellipsoid.
    fn square() -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: 0.0, y: 0.0), (x: 0.001, y: 0.0), (x: 0.001, y: 0.001), (x: 0.0, y: 0.001),
            (x: 0.0, y: 0.0)
        ]])
    }

    fn area(
        method: ReleaseMethod,
        asset: Option<AssetType>,
        reported: Option<f64>,
    ) -> ReleasedArea {
        ReleasedArea {
            method,
            asset_type: asset,
            technical_asset_used: false,
            clearance_depth_cm: None,
            reported_area_m2: reported,
            geometry: if reported.is_some() {
                MultiPolygon(vec![])
            } else {
                square()
            },
        }
    }

    fn activity(
        status: ActivityStatus,
        start: &str,
        end: &str,
        areas: Vec<ReleasedArea>,
    ) -> Activity {
        Activity {
            local_id: "A-1".into(),
            activity_type: ActivityType::Clearance,
            status,
            organisation: None,
            team: None,
            donor: None,
            hazard: None,
            hazards: vec![],
            admin_pcode: None,
            start_date: day(start),
            end_date: day(end),
            released_areas: areas,
            assets: vec![],
            comment: None,
        }
    }

    #[test]
    fn released_land_goes_to_the_end_dates_year_by_method() {
        let mut t = Tally::default();
        let cleared = area(
            ReleaseMethod::Cleared,
            Some(AssetType::Manual),
            Some(1000.0),
        );
        let reduced = area(ReleaseMethod::Reduced, None, Some(500.0));
        // 2023-12-22 to 2024-01-10: 20 days, ended in 2024.
        let a = activity(
            ActivityStatus::Completed,
            "2023-12-22",
            "2024-01-10",
            vec![cleared.clone(), reduced, cleared],
        );
        add_activity(&mut t, &a);
        // Planned work released nothing.
        let planned = area(ReleaseMethod::Cleared, None, Some(9999.0));
        add_activity(
            &mut t,
            &activity(
                ActivityStatus::Planned,
                "2024-01-01",
                "2024-01-02",
                vec![planned],
            ),
        );
        assert_eq!(t.released.len(), 2);
        assert_eq!(t.released[&(Some(2024), ReleaseMethod::Cleared)], 2000.0);
        assert_eq!(t.released[&(Some(2024), ReleaseMethod::Reduced)], 500.0);
        // Productivity: 2000 m² of manual clearance in 20 days, the days counted once.
        let manual = t.productivity[&(ReleaseMethod::Cleared, Some(AssetType::Manual))];
        assert_eq!(manual, (2000.0, 20));
        assert_eq!(t.productivity[&(ReleaseMethod::Reduced, None)], (500.0, 20));
    }

    #[test]
    fn a_polygon_counts_with_its_geodesic_area_and_undated_work_has_no_productivity() {
        let mut t = Tally::default();
        let mut a = activity(
            ActivityStatus::Completed,
            "2022-05-01",
            "2022-05-01",
            vec![area(ReleaseMethod::Cancelled, None, None)],
        );
        a.end_date = None;
        add_activity(&mut t, &a);
        let m2 = t.released[&(Some(2022), ReleaseMethod::Cancelled)];
        // 0.001° of longitude at the equator is 111.319 m, of latitude 110.574 m.
        assert!((m2 - 111.319 * 110.574).abs() < 20.0, "{m2}");
        assert!(t.productivity.is_empty());
    }
}
