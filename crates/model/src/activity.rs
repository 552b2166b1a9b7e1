//! Activities and the land they release (reference §2.4, §2.16, §6.2).

use chrono::NaiveDate;
use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};

use crate::vocab::{ActivityStatus, ActivityType, AssetType, ReleaseMethod};
use crate::{ItemRef, ValidationContext, ValidationErrors};

/// A polygon released by an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleasedArea {
    /// Cancelled, reduced or cleared.
    pub method: ReleaseMethod,
    /// Asset that did the work.
    #[serde(default)]
    pub asset_type: Option<AssetType>,
    /// Reduced with a technical asset (NG v6 splits reduced into with/without).
    #[serde(default)]
    pub technical_asset_used: bool,
    /// Clearance depth, cm.
    #[serde(default)]
    pub clearance_depth_cm: Option<u32>,
    /// Area written on the form, m².
    #[serde(default)]
    pub reported_area_m2: Option<f64>,
    /// The released polygon(s), WGS 84.
    #[serde(with = "crate::geometry::multipolygon_geojson")]
    pub geometry: MultiPolygon<f64>,
}

/// A survey, clearance or other operation, usually linked to a hazard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Local id.
    pub local_id: String,
    /// Type.
    pub activity_type: ActivityType,
    /// Status.
    pub status: ActivityStatus,
    /// Operator.
    #[serde(default)]
    pub organisation: Option<ItemRef>,
    /// Team.
    #[serde(default)]
    pub team: Option<ItemRef>,
    /// Donor that funded the work (an organisation of type donor).
    #[serde(default)]
    pub donor: Option<ItemRef>,
    /// Hazard worked on.
    #[serde(default)]
    pub hazard: Option<ItemRef>,
    /// Further hazards worked on, besides `hazard`: one activity may release parts of several
    /// hazards (each is credited only with the part inside it). When an activity that releases
    /// land names no hazard, approval fills this with every hazard its released polygons
    /// overlap.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<ItemRef>,
    /// Admin area P-code.
    #[serde(default)]
    pub admin_pcode: Option<String>,
    /// First day of work.
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    /// Last day of work.
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// Land released.
    #[serde(default)]
    pub released_areas: Vec<ReleasedArea>,
    /// Assets used.
    #[serde(default)]
    pub assets: Vec<AssetType>,
    /// Free comment.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Whether an activity type may release land by a method (reference §6.2, with the outcome
/// reports of §2.4):
///
/// | method    | activity types                                                        |
/// |-----------|-----------------------------------------------------------------------|
/// | cancelled | NTS, cancellation report                                              |
/// | reduced   | TS, road verification, and the progress/completion reports of a TS     |
/// | cleared   | clearance, BAC, road clearance, and progress/completion reports        |
///
/// Progress and completion reports carry the land released by the tasked activity they report
/// on, so they may reduce or clear but never cancel. EOD spot tasks, post-clearance
/// assessments, road assessments, stockpile destruction and handover certificates release no
/// land.
pub fn method_allowed(activity: ActivityType, method: ReleaseMethod) -> bool {
    use ActivityType as A;
    match method {
        ReleaseMethod::Cancelled => matches!(activity, A::Nts | A::Cancellation),
        ReleaseMethod::Reduced => {
            matches!(
                activity,
                A::Ts | A::RoadVerification | A::Progress | A::Completion
            )
        }
        ReleaseMethod::Cleared => matches!(
            activity,
            A::Clearance | A::Bac | A::RoadClearance | A::Progress | A::Completion
        ),
    }
}

impl Activity {
    /// Rules (reference §6.2, §6.3): local id required; `start_date ≤ end_date`; dates not
    /// after today nor the date of information, except for a planned activity, whose dates are
    /// planned dates; released areas finite and ≥ 0, with a method the activity type can release
    /// by ([`method_allowed`]) and a non-empty polygon with WGS 84 vertices.
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        crate::rules::check(crate::ItemKind::Activity, self, ctx, e);
        for (i, h) in self.hazards.iter().enumerate() {
            if h.trim().is_empty() {
                e.add(
                    &format!("hazards[{i}]"),
                    "is empty; give a hazard id or remove it",
                );
            } else if self.hazard.as_deref() == Some(h.as_str()) || self.hazards[..i].contains(h) {
                e.add(
                    &format!("hazards[{i}]"),
                    format!("`{h}` is named twice; name each hazard once"),
                );
            }
        }
        if self.status != ActivityStatus::Planned {
            for (field, date) in [("start_date", self.start_date), ("end_date", self.end_date)] {
                e.not_after(field, date, ctx.today, "today");
                e.not_after(
                    field,
                    date,
                    ctx.date_of_information,
                    "the date of information",
                );
            }
        }
        for (i, r) in self.released_areas.iter().enumerate() {
            // Not a finite number: JSON cannot carry one, so only the record itself can show it
            // (an import's NaN); the shared rules check the rest.
            if r.reported_area_m2.is_some_and(|v| !v.is_finite()) {
                e.area(
                    &format!("released_areas[{i}].reported_area_m2"),
                    r.reported_area_m2,
                );
            }
            if !method_allowed(self.activity_type, r.method) {
                e.add(
                    &format!("released_areas[{i}].method"),
                    format!(
                        "land cannot be {} by a {}; use the activity type that releases it this way",
                        r.method.code(),
                        self.activity_type.label().to_lowercase()
                    ),
                );
            }
            if r.geometry.0.is_empty() {
                e.add(
                    &format!("released_areas[{i}].geometry"),
                    "is empty; draw the released polygon",
                );
            }
            e.multipolygon(&format!("released_areas[{i}].geometry"), Some(&r.geometry));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::fixtures::{activity, ctx, d, failing_fields, fails_on};

    #[test]
    fn start_not_after_end() {
        let mut a = activity();
        a.start_date = Some(d("2026-01-11"));
        assert_eq!(failing_fields(Record::Activity(a)), ["end_date"]);
    }

    #[test]
    fn no_dates_after_today_or_the_date_of_information() {
        let mut a = activity();
        a.end_date = Some(d("2026-01-20"));
        assert_eq!(failing_fields(Record::Activity(a.clone())), ["end_date"]);
        a.start_date = Some(d("2026-02-02"));
        a.end_date = None;
        assert_eq!(
            failing_fields(Record::Activity(a.clone())),
            ["start_date", "start_date"]
        );
        a.status = ActivityStatus::Planned;
        a.released_areas.clear();
        assert_eq!(
            Record::Activity(a).validate(&ctx()),
            Ok(()),
            "planned dates may be ahead"
        );
    }

    #[test]
    fn further_hazards_are_named_once() {
        let mut a = activity();
        a.hazards = vec!["H2".into(), "H3".into()];
        assert_eq!(Record::Activity(a.clone()).validate(&ctx()), Ok(()));
        a.hazards.push("H2".into());
        fails_on(Record::Activity(a.clone()), "hazards[2]");
        a.hazards = vec![a.hazard.clone().expect("fixture names a hazard")];
        fails_on(Record::Activity(a.clone()), "hazards[0]");
        a.hazards = vec![" ".into()];
        fails_on(Record::Activity(a), "hazards[0]");
    }

    #[test]
    fn released_area_checks() {
        let mut a = activity();
        a.released_areas[0].reported_area_m2 = Some(-5.0);
        fails_on(Record::Activity(a), "released_areas[0].reported_area_m2");
        let mut a = activity();
        a.released_areas.push(a.released_areas[0].clone());
        a.released_areas[1].geometry = geo_types::MultiPolygon(vec![]);
        fails_on(Record::Activity(a), "released_areas[1].geometry");
    }

    #[test]
    fn method_must_fit_the_activity_type() {
        let mut a = activity();
        a.released_areas[0].method = ReleaseMethod::Cancelled;
        fails_on(Record::Activity(a.clone()), "released_areas[0].method");
        a.activity_type = ActivityType::Nts;
        assert_eq!(Record::Activity(a).validate(&ctx()), Ok(()));
    }

    #[test]
    fn method_mapping() {
        use ActivityType as A;
        use ReleaseMethod as M;
        let allowed = |m| -> Vec<ActivityType> {
            A::ALL
                .iter()
                .copied()
                .filter(|a| method_allowed(*a, m))
                .collect()
        };
        assert_eq!(allowed(M::Cancelled), [A::Nts, A::Cancellation]);
        assert_eq!(
            allowed(M::Reduced),
            [A::Ts, A::Progress, A::Completion, A::RoadVerification]
        );
        assert_eq!(
            allowed(M::Cleared),
            [
                A::Clearance,
                A::Bac,
                A::Progress,
                A::Completion,
                A::RoadClearance
            ]
        );
    }
}
