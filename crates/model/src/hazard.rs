//! Hazardous areas (reference §2.3, §2.15).

use chrono::NaiveDate;
use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};

use crate::vocab::{ContaminationType, EvidenceType, HazardClass, HazardStatus};
use crate::{ItemRef, ValidationContext, ValidationErrors};

/// Why, when and how a hazard's status changed (NG "Status Changed Reason/Date/Comment").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    /// Why.
    pub reason: String,
    /// When.
    pub date: NaiveDate,
    /// Free comment.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A hazardous area: indication, SHA, CHA, ammunition storage or EOD spot task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hazard {
    /// Local id used by field teams ("KH02-HA-00012").
    pub local_id: String,
    /// Name (village or place).
    pub name: String,
    /// Class.
    pub class: HazardClass,
    /// Status as reported.
    pub status: HazardStatus,
    /// Reason for a status other than open.
    #[serde(default)]
    pub status_change: Option<StatusChange>,
    /// Organisation that reported it.
    #[serde(default)]
    pub organisation: Option<ItemRef>,
    /// P-code of the admin area.
    #[serde(default)]
    pub admin_pcode: Option<String>,
    /// Evidence of contamination.
    #[serde(default)]
    pub evidence: Vec<EvidenceType>,
    /// Contamination types.
    #[serde(default)]
    pub contamination: Vec<ContaminationType>,
    /// Area written on the form, m² (the computed area comes from the geometry).
    #[serde(default)]
    pub reported_area_m2: Option<f64>,
    /// Date the hazard was first recorded.
    #[serde(default)]
    pub first_recorded: Option<NaiveDate>,
    /// Polygon(s), WGS 84.
    #[serde(default, with = "crate::geometry::option_multipolygon_geojson")]
    pub geometry: Option<MultiPolygon<f64>>,
    /// Free comment.
    #[serde(default)]
    pub comment: Option<String>,
}

impl Hazard {
    /// Rules (reference §6.2–§6.4): local id and name required; reported area finite and ≥ 0;
    /// dates not after today nor the date of information; a status other than open needs a
    /// status change with a reason (§2.15 "Status Changed Reason/Date/Comment"); vertices in
    /// WGS 84 range. No geometry is required: SHA/CHA polygons may follow in a later report, and
    /// EOD spot tasks and ammunition storage are often points only (§2.14).
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        e.require_id("local_id", &self.local_id);
        e.require("name", &self.name);
        e.area("reported_area_m2", self.reported_area_m2);
        e.not_after(
            "first_recorded",
            self.first_recorded,
            ctx.date_of_information,
            "the date of information",
        );
        e.not_after("first_recorded", self.first_recorded, ctx.today, "today");
        e.multipolygon("geometry", self.geometry.as_ref());
        match &self.status_change {
            Some(sc) => {
                e.require("status_change.reason", &sc.reason);
                e.not_after("status_change.date", Some(sc.date), ctx.today, "today");
                e.not_after(
                    "status_change.date",
                    Some(sc.date),
                    ctx.date_of_information,
                    "the date of information",
                );
            }
            None if self.status != HazardStatus::Open => e.add(
                "status_change",
                format!(
                    "a hazard reported as {} needs a status change with reason and date",
                    self.status.label().to_lowercase()
                ),
            ),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::fixtures::{ctx, d, failing_fields, fails_on, hazard};

    #[test]
    fn required_text_and_trimmed_id() {
        let mut h = hazard();
        h.name = " ".into();
        fails_on(Record::Hazard(h.clone()), "name");
        h.local_id = "H1 ".into();
        fails_on(Record::Hazard(h), "local_id");
    }

    #[test]
    fn area_finite_and_not_negative() {
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let mut h = hazard();
            h.reported_area_m2 = Some(bad);
            fails_on(Record::Hazard(h), "reported_area_m2");
        }
    }

    #[test]
    fn first_recorded_not_after_the_date_of_information() {
        let mut h = hazard();
        h.first_recorded = Some(d("2026-01-20"));
        assert_eq!(
            failing_fields(Record::Hazard(h.clone())),
            ["first_recorded"]
        );
        h.first_recorded = Some(d("2026-02-20"));
        assert_eq!(
            failing_fields(Record::Hazard(h)),
            ["first_recorded", "first_recorded"]
        );
    }

    #[test]
    fn status_other_than_open_needs_a_status_change_with_a_reason() {
        for status in [
            HazardStatus::WorkedOn,
            HazardStatus::Closed,
            HazardStatus::HandedOver,
        ] {
            let mut h = hazard();
            h.status = status;
            h.status_change = None;
            fails_on(Record::Hazard(h), "status_change");
        }
        let mut h = hazard();
        if let Some(sc) = &mut h.status_change {
            sc.reason = String::new();
            sc.date = d("2026-01-16");
        }
        let f = failing_fields(Record::Hazard(h));
        assert_eq!(f, ["status_change.reason", "status_change.date"]);
        let mut h = hazard();
        h.status = HazardStatus::Open;
        h.status_change = None;
        assert_eq!(Record::Hazard(h).validate(&ctx()), Ok(()));
    }

    #[test]
    fn geometry_is_optional_but_must_be_wgs84() {
        for class in HazardClass::ALL {
            let mut h = hazard();
            h.class = *class;
            h.geometry = None;
            assert_eq!(Record::Hazard(h).validate(&ctx()), Ok(()), "{class:?}");
        }
        let mut h = hazard();
        h.geometry = Some(geo_types::MultiPolygon(vec![geo_types::Polygon::new(
            geo_types::LineString::from(vec![
                (500_000.0, 1_450_000.0),
                (500_100.0, 1_450_000.0),
                (500_000.0, 1_450_100.0),
                (500_000.0, 1_450_000.0),
            ]),
            vec![],
        )]));
        fails_on(Record::Hazard(h), "geometry");
    }
}
