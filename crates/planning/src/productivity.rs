//! Productivity: m² released per working day, from approved activities, as distributions.
//!
//! One sample is one activity's land released by one method with one asset type, divided by
//! the activity's working days (every day from its start to its end date, both included, as the
//! hub's regional figures count them). An activity without both dates, or planned or aborted,
//! gives no sample. Samples are grouped by method × asset type × contamination class (the
//! contamination of the hazard worked on: its single type, `mixed` for several, `unknown` when
//! none is recorded), optionally per organisation, and each group is summarised by its median
//! and quartiles: planners see the spread, not only a mean.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use safeground_model::{Activity, ActivityStatus, AssetType, ContaminationType, ReleaseMethod};
use serde::Serialize;

/// The contamination class of a hazard, for grouping productivity.
pub fn contamination_class(types: &[ContaminationType]) -> String {
    match types {
        [] => "unknown".into(),
        [one] => one.code().into(),
        _ => "mixed".into(),
    }
}

/// One activity's output by one method with one asset type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkSample {
    /// Activity local id.
    pub activity: String,
    /// Release method.
    pub method: ReleaseMethod,
    /// Asset that did the work (None when the form does not say).
    pub asset_type: Option<AssetType>,
    /// Contamination class of the hazard worked on ([`contamination_class`]).
    pub class: String,
    /// Organisation (local id or item id, as the caller names it).
    pub organisation: Option<String>,
    /// m² released.
    pub m2: f64,
    /// Working days (start to end, both included).
    pub days: u32,
    /// Last day of work.
    pub end_date: NaiveDate,
}

impl WorkSample {
    /// m² per working day.
    pub fn m2_per_day(&self) -> f64 {
        self.m2 / f64::from(self.days)
    }
}

/// The samples of one activity: one per (method, asset type) it released land by, with the
/// released m² given by `area` (geodesic area, or the form's figure for an empty polygon).
pub fn samples_of(
    activity: &Activity,
    class: &str,
    organisation: Option<String>,
    area: impl Fn(&safeground_model::ReleasedArea) -> f64,
) -> Vec<WorkSample> {
    if matches!(
        activity.status,
        ActivityStatus::Planned | ActivityStatus::Aborted
    ) {
        return Vec::new();
    }
    let (Some(start), Some(end)) = (activity.start_date, activity.end_date) else {
        return Vec::new();
    };
    let Ok(days) = u32::try_from((end - start).num_days() + 1) else {
        return Vec::new();
    };
    if days == 0 {
        return Vec::new();
    }
    let mut by_key: BTreeMap<(ReleaseMethod, Option<AssetType>), f64> = BTreeMap::new();
    for r in &activity.released_areas {
        *by_key.entry((r.method, r.asset_type)).or_default() += area(r);
    }
    by_key
        .into_iter()
        .filter(|(_, m2)| *m2 > 0.0)
        .map(|((method, asset_type), m2)| WorkSample {
            activity: activity.local_id.clone(),
            method,
            asset_type,
            class: class.to_owned(),
            organisation: organisation.clone(),
            m2,
            days,
            end_date: end,
        })
        .collect()
}

/// Median, quartiles and range of a set of values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Distribution {
    /// Number of samples.
    pub samples: usize,
    /// Smallest.
    pub min: f64,
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    /// Largest.
    pub max: f64,
}

impl Distribution {
    /// The distribution of `values` (None when empty or any value is not finite). Quartiles
    /// interpolate linearly between order statistics (Hyndman–Fan type 7, as R and NumPy do).
    pub fn of(values: &[f64]) -> Option<Self> {
        if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        Some(Self {
            samples: v.len(),
            min: v[0],
            q1: quantile(&v, 0.25),
            median: quantile(&v, 0.5),
            q3: quantile(&v, 0.75),
            max: v[v.len() - 1],
        })
    }
}

/// The `p` quantile of sorted, non-empty values (type 7).
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// What samples are grouped by besides method and asset type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Grouping {
    /// One group per contamination class.
    pub by_class: bool,
    /// One group per organisation.
    pub by_organisation: bool,
}

impl Grouping {
    /// The grouping named by comma-separated codes (`organisation`, `class`; empty parts
    /// ignored); the first unknown code otherwise.
    pub fn from_codes(codes: &str) -> Result<Self, String> {
        let mut g = Grouping::default();
        for part in codes.split(',').map(str::trim) {
            match part {
                "organisation" => g.by_organisation = true,
                "class" => g.by_class = true,
                "" => {}
                other => return Err(other.to_owned()),
            }
        }
        Ok(g)
    }
}

/// The productivity of one group.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ProductivityRow {
    /// Release method (cancelled, reduced, cleared).
    #[schema(value_type = String)]
    pub method: ReleaseMethod,
    /// Asset type code (None: not recorded).
    #[schema(value_type = Option<String>)]
    pub asset_type: Option<AssetType>,
    /// Contamination class, when grouped by it.
    pub class: Option<String>,
    /// Organisation, when grouped by it.
    pub organisation: Option<String>,
    /// m² per working day over the group's activities.
    pub m2_per_day: Distribution,
    /// m² released by the group.
    pub total_m2: f64,
    /// Working days of the group.
    pub total_days: u64,
}

type GroupKey = (
    ReleaseMethod,
    Option<AssetType>,
    Option<String>,
    Option<String>,
);

/// The productivity distributions of `samples`, one row per group, in method, asset type,
/// class and organisation order.
pub fn productivity(samples: &[WorkSample], grouping: Grouping) -> Vec<ProductivityRow> {
    let mut groups: BTreeMap<GroupKey, Vec<&WorkSample>> = BTreeMap::new();
    for s in samples {
        let key = (
            s.method,
            s.asset_type,
            grouping.by_class.then(|| s.class.clone()),
            grouping
                .by_organisation
                .then(|| s.organisation.clone().unwrap_or_else(|| "unknown".into())),
        );
        groups.entry(key).or_default().push(s);
    }
    groups
        .into_iter()
        .filter_map(|((method, asset_type, class, organisation), group)| {
            let rates: Vec<f64> = group.iter().map(|s| s.m2_per_day()).collect();
            Some(ProductivityRow {
                method,
                asset_type,
                class,
                organisation,
                m2_per_day: Distribution::of(&rates)?,
                total_m2: group.iter().map(|s| s.m2).sum(),
                total_days: group.iter().map(|s| u64::from(s.days)).sum(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use geo_types::MultiPolygon;
    use safeground_model::{ActivityType, ReleasedArea};

    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn released(method: ReleaseMethod, asset: AssetType, m2: f64) -> ReleasedArea {
        ReleasedArea {
            method,
            asset_type: Some(asset),
            technical_asset_used: false,
            clearance_depth_cm: None,
            reported_area_m2: Some(m2),
            geometry: MultiPolygon(vec![]),
        }
    }

    fn activity(id: &str, start: &str, end: &str, areas: Vec<ReleasedArea>) -> Activity {
        Activity {
            local_id: id.into(),
            activity_type: ActivityType::Clearance,
            status: ActivityStatus::Completed,
            organisation: None,
            team: None,
            donor: None,
            hazard: None,
            hazards: vec![],
            admin_pcode: None,
            start_date: Some(d(start)),
            end_date: Some(d(end)),
            released_areas: areas,
            assets: vec![],
            comment: None,
        }
    }

    fn form_area(r: &ReleasedArea) -> f64 {
        r.reported_area_m2.unwrap_or(0.0)
    }

    #[test]
    fn quartiles_interpolate_like_r_type_7() {
        let d = Distribution::of(&[1.0, 2.0, 3.0, 4.0]).expect("values");
        assert_eq!((d.q1, d.median, d.q3), (1.75, 2.5, 3.25));
        assert_eq!(Distribution::of(&[7.0]).map(|d| d.median), Some(7.0));
        assert!(Distribution::of(&[]).is_none());
        assert!(Distribution::of(&[1.0, f64::NAN]).is_none());
    }

    #[test]
    fn a_sample_per_method_and_asset_over_the_activitys_days() {
        // 10 days (1st to 10th): 2,000 m² manual, 5,000 m² machine, 1,000 m² more manual.
        let a = activity(
            "A1",
            "2025-03-01",
            "2025-03-10",
            vec![
                released(ReleaseMethod::Cleared, AssetType::Manual, 2000.0),
                released(ReleaseMethod::Cleared, AssetType::Machine, 5000.0),
                released(ReleaseMethod::Cleared, AssetType::Manual, 1000.0),
            ],
        );
        let s = samples_of(&a, "ap_mines", Some("ORG-1".into()), form_area);
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].asset_type, s[0].m2_per_day()),
            (Some(AssetType::Manual), 300.0)
        );
        assert_eq!(
            (s[1].asset_type, s[1].m2_per_day()),
            (Some(AssetType::Machine), 500.0)
        );
    }

    #[test]
    fn planned_undated_and_empty_work_gives_no_sample() {
        let mut a = activity(
            "A1",
            "2025-03-01",
            "2025-03-01",
            vec![released(ReleaseMethod::Cleared, AssetType::Manual, 0.0)],
        );
        assert!(samples_of(&a, "unknown", None, form_area).is_empty());
        a.released_areas[0].reported_area_m2 = Some(50.0);
        assert_eq!(
            samples_of(&a, "unknown", None, form_area)[0].m2_per_day(),
            50.0
        );
        a.status = ActivityStatus::Planned;
        assert!(samples_of(&a, "unknown", None, form_area).is_empty());
        a.status = ActivityStatus::Completed;
        a.end_date = None;
        assert!(samples_of(&a, "unknown", None, form_area).is_empty());
    }

    #[test]
    fn groups_by_method_asset_class_and_organisation() {
        let rate = |id: &str, asset, m2, org: &str, class: &str| {
            let a = activity(
                id,
                "2025-01-01",
                "2025-01-10",
                vec![released(ReleaseMethod::Cleared, asset, m2)],
            );
            samples_of(&a, class, Some(org.into()), form_area)
        };
        let samples: Vec<WorkSample> = [
            rate("A", AssetType::Manual, 1000.0, "HALO", "ap_mines"),
            rate("B", AssetType::Manual, 3000.0, "HALO", "uxo"),
            rate("C", AssetType::Manual, 2000.0, "MAG", "ap_mines"),
            rate("D", AssetType::MineDetectionDog, 9000.0, "MAG", "ap_mines"),
        ]
        .concat();
        let all = productivity(&samples, Grouping::default());
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].asset_type, Some(AssetType::Manual));
        assert_eq!(all[0].m2_per_day.median, 200.0);
        assert_eq!((all[0].total_m2, all[0].total_days), (6000.0, 30));
        let by_org = productivity(
            &samples,
            Grouping {
                by_class: false,
                by_organisation: true,
            },
        );
        let halo: Vec<_> = by_org
            .iter()
            .filter(|r| r.organisation.as_deref() == Some("HALO"))
            .collect();
        assert_eq!(halo.len(), 1);
        assert_eq!(halo[0].m2_per_day.samples, 2);
        let by_class = productivity(
            &samples,
            Grouping {
                by_class: true,
                by_organisation: false,
            },
        );
        assert_eq!(by_class.len(), 3);
    }

    #[test]
    fn groupings_are_read_from_codes() {
        let g = Grouping::from_codes("organisation, class").expect("codes");
        assert!(g.by_organisation && g.by_class);
        assert_eq!(Grouping::from_codes(""), Ok(Grouping::default()));
        assert_eq!(Grouping::from_codes("class,weather"), Err("weather".into()));
    }

    #[test]
    fn contamination_classes() {
        assert_eq!(contamination_class(&[]), "unknown");
        assert_eq!(contamination_class(&[ContaminationType::Cmr]), "cmr");
        assert_eq!(
            contamination_class(&[ContaminationType::Cmr, ContaminationType::Uxo]),
            "mixed"
        );
    }
}
