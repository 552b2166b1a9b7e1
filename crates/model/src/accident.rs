//! Accidents (reference §2.6).

use chrono::NaiveDate;
use geo_types::Point;
use serde::{Deserialize, Serialize};

use crate::vocab::OrdnanceCategory;
use crate::{ItemRef, ValidationContext, ValidationErrors};

/// An accident with explosive ordnance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accident {
    /// Local id.
    pub local_id: String,
    /// Date of the accident.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Whether the date is known (false: date is an estimate or absent).
    #[serde(default = "yes")]
    pub date_known: bool,
    /// Admin area P-code.
    #[serde(default)]
    pub admin_pcode: Option<String>,
    /// Category of the device.
    #[serde(default)]
    pub device_category: Option<OrdnanceCategory>,
    /// Where, WGS 84.
    #[serde(default, with = "crate::geometry::option_point_geojson")]
    pub location: Option<Point<f64>>,
    /// What happened.
    #[serde(default)]
    pub description: Option<String>,
    /// Hazard where it happened.
    #[serde(default)]
    pub hazard: Option<ItemRef>,
}

fn yes() -> bool {
    true
}

impl Accident {
    /// Rules (reference §6.3): local id required; the date, required unless `date_known` is
    /// false, not after today nor the date of information; location in WGS 84 range.
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        crate::rules::check(crate::ItemKind::Accident, self, ctx, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::fixtures::{accident, ctx, d, failing_fields};

    #[test]
    fn date_rules() {
        let mut a = accident();
        a.date = Some(d("2026-01-16"));
        assert_eq!(failing_fields(Record::Accident(a.clone())), ["date"]);
        a.date = None;
        assert_eq!(failing_fields(Record::Accident(a.clone())), ["date"]);
        a.date_known = false;
        assert_eq!(Record::Accident(a).validate(&ctx()), Ok(()));
    }

    #[test]
    fn date_known_defaults_to_true() {
        let r: Record =
            serde_json::from_str(r#"{"kind":"accident","local_id":"A","date":"2025-01-01"}"#)
                .expect("json");
        assert!(matches!(
            r,
            Record::Accident(Accident {
                date_known: true,
                ..
            })
        ));
    }

    #[test]
    fn location_in_wgs84() {
        let mut a = accident();
        a.location = Some(Point::new(13.1, 103.2));
        assert_eq!(failing_fields(Record::Accident(a)), ["location"]);
    }
}
