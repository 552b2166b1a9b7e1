//! Remaining contamination of a country, by the national definition: each shared hazard's
//! state is derived by `safeground_store::land_release` from the hazard and the shared
//! activities that name it (`hazard` or `hazards`, by the node's item id, which hazards share
//! as `id`); a hazard remains unless that state is closed or handed over.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use safeground_model::{Activity, Hazard};
use safeground_store::Result;
use safeground_store::land_release::{LinkedActivity, derive_hazard_state};

use crate::figures::Tally;

/// The activities of one country, by the item id of each hazard they name.
#[derive(Default)]
pub(crate) struct Links {
    by_hazard: HashMap<String, Vec<LinkedActivity>>,
}

impl Links {
    /// Keeps `activity` (received at `received_at`) for each hazard it names, once each.
    pub fn add(&mut self, activity: &Activity, received_at: DateTime<Utc>) {
        let mut named: Vec<&String> = activity.hazard.iter().chain(&activity.hazards).collect();
        named.sort();
        named.dedup();
        for hazard in named {
            self.by_hazard
                .entry(hazard.clone())
                .or_default()
                .push(LinkedActivity {
                    // Shared records carry no date of information: the work's own dates order
                    // the releases (the order moves area between methods, never the
                    // remaining area, which is the hazard less the union of releases).
                    valid_from: activity
                        .end_date
                        .or(activity.start_date)
                        .unwrap_or(NaiveDate::MIN),
                    recorded_at: received_at,
                    activity: activity.clone(),
                });
        }
    }

    /// Adds hazard `hazard`, whose item id at its node is `id` (None: an older bundle that did
    /// not share ids: counted without its activities), to the remaining figures of `t`.
    pub fn add_hazard(
        &self,
        t: &mut Tally,
        item: &str,
        id: Option<&str>,
        hazard: &Hazard,
    ) -> Result<()> {
        let linked = id
            .and_then(|id| self.by_hazard.get(id))
            .map_or(&[][..], Vec::as_slice);
        // Every linked activity applies its transition: the shared version is the hazard's
        // latest, so none of its activities predates it for this purpose.
        let state = derive_hazard_state(item, hazard, NaiveDate::MIN, linked)?;
        if !state.status.is_closed() {
            t.hazards_remaining += 1;
            t.remaining_m2 += state.remaining_m2;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use geo_types::{MultiPolygon, polygon};
    use safeground_model::{
        ActivityStatus, ActivityType, HazardClass, HazardStatus, ReleaseMethod, ReleasedArea,
    };

    use super::*;

    fn rect(x0: f64, x1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: 0.0), (x: x1, y: 0.0), (x: x1, y: 0.001), (x: x0, y: 0.001), (x: x0, y: 0.0)
        ]])
    }

    fn hazard(geometry: Option<MultiPolygon<f64>>, reported: Option<f64>) -> Hazard {
        Hazard {
            local_id: "H-1".into(),
            name: "Village".into(),
            class: HazardClass::Cha,
            status: HazardStatus::Open,
            status_change: None,
            organisation: None,
            admin_pcode: None,
            evidence: vec![],
            contamination: vec![],
            reported_area_m2: reported,
            first_recorded: None,
            geometry,
            comment: None,
        }
    }

    fn activity(
        kind: ActivityType,
        hazard: &str,
        released: Option<MultiPolygon<f64>>,
        reported: Option<f64>,
    ) -> Activity {
        Activity {
            local_id: "A".into(),
            activity_type: kind,
            status: ActivityStatus::Completed,
            organisation: None,
            team: None,
            donor: None,
            hazard: Some(hazard.into()),
            hazards: vec![hazard.into()],
            admin_pcode: None,
            start_date: None,
            end_date: None,
            released_areas: released
                .map(|geometry| ReleasedArea {
                    method: ReleaseMethod::Cleared,
                    asset_type: None,
                    technical_asset_used: false,
                    clearance_depth_cm: None,
                    reported_area_m2: reported,
                    geometry,
                })
                .into_iter()
                .collect(),
            assets: vec![],
            comment: None,
        }
    }

    #[test]
    fn remaining_is_the_hazard_less_its_releases_and_closed_hazards_drop_out() {
        let now = Utc::now();
        let mut links = Links::default();
        // Half of HAZ-1 (0 to 0.002°) is cleared (0 to 0.001°).
        links.add(
            &activity(
                ActivityType::Clearance,
                "HAZ-1",
                Some(rect(0.0, 0.001)),
                None,
            ),
            now,
        );
        // HAZ-2 has no polygon: 1000 m² on the form, 1000 m² cleared, then a completion.
        let empty = MultiPolygon(vec![]);
        links.add(
            &activity(ActivityType::Clearance, "HAZ-2", Some(empty), Some(1000.0)),
            now,
        );
        links.add(
            &activity(ActivityType::Completion, "HAZ-2", None, None),
            now,
        );
        let mut t = Tally::default();
        let h1 = hazard(Some(rect(0.0, 0.002)), None);
        links
            .add_hazard(&mut t, "u1", Some("HAZ-1"), &h1)
            .expect("HAZ-1");
        let h2 = hazard(None, Some(1000.0));
        links
            .add_hazard(&mut t, "u2", Some("HAZ-2"), &h2)
            .expect("HAZ-2");
        // HAZ-3 without an id: all of its 400 m² remain.
        let h3 = hazard(None, Some(400.0));
        links.add_hazard(&mut t, "u3", None, &h3).expect("HAZ-3");
        assert_eq!(t.hazards_remaining, 2, "HAZ-2 is closed");
        // HAZ-1's remaining half is 0.001° × 0.001° at the equator ≈ 111.319 m × 110.574 m.
        let half = 111.319 * 110.574;
        assert!(
            (t.remaining_m2 - (half + 400.0)).abs() < 20.0,
            "{}",
            t.remaining_m2
        );
    }
}
