//! Administrative areas with P-codes, any number of levels (reference §2.13).

use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};

use crate::ValidationErrors;

/// Deepest admin level accepted (0 = country).
pub const MAX_ADMIN_LEVEL: u8 = 5;

/// An administrative area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminArea {
    /// P-code ("KH02"), unique.
    pub pcode: String,
    /// Name.
    pub name: String,
    /// 0 = country, 1 = province, 2 = district, ...
    pub level: u8,
    /// P-code of the area one level up (required when level > 0).
    pub parent_pcode: Option<String>,
    /// The boundary, WGS 84 (from a boundary layer). Records without an admin area are
    /// assigned, on approval, to the deepest area whose boundary holds them.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::geometry::option_multipolygon_geojson"
    )]
    pub geometry: Option<MultiPolygon<f64>>,
}

impl AdminArea {
    /// Rules (reference §2.13): P-code (trimmed) and name required; level ≤
    /// [`MAX_ADMIN_LEVEL`]; a parent P-code, other than its own, below level 0 and none at
    /// level 0.
    pub(crate) fn check(&self, e: &mut ValidationErrors) {
        e.require_id("pcode", &self.pcode);
        e.require("name", &self.name);
        e.multipolygon("geometry", self.geometry.as_ref());
        if self.level > MAX_ADMIN_LEVEL {
            e.add(
                "level",
                format!(
                    "{} is deeper than the supported {MAX_ADMIN_LEVEL} levels",
                    self.level
                ),
            );
        }
        match (&self.parent_pcode, self.level) {
            (None, l) if l > 0 => e.add(
                "parent_pcode",
                "is required for an admin area below level 0",
            ),
            (Some(p), 0) if !p.is_empty() => {
                e.add("parent_pcode", "a level-0 area (country) has no parent")
            }
            (Some(p), l) if l > 0 && p.trim().is_empty() => e.add(
                "parent_pcode",
                "is empty; give the P-code of the area one level up",
            ),
            (Some(p), _) if *p == self.pcode => e.add(
                "parent_pcode",
                "is the area's own P-code; give the area one level up",
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::fixtures::{admin_area, ctx, failing_fields};

    #[test]
    fn pcode_level_and_parent() {
        let mut a = admin_area();
        a.pcode = String::new();
        assert_eq!(failing_fields(Record::AdminArea(a)), ["pcode"]);
        let mut a = admin_area();
        a.level = MAX_ADMIN_LEVEL + 1;
        assert_eq!(failing_fields(Record::AdminArea(a)), ["level"]);
        let mut a = admin_area();
        a.parent_pcode = None;
        assert_eq!(
            failing_fields(Record::AdminArea(a.clone())),
            ["parent_pcode"]
        );
        a.parent_pcode = Some("KH0201".into());
        assert_eq!(failing_fields(Record::AdminArea(a)), ["parent_pcode"]);
    }

    #[test]
    fn a_country_has_no_parent() {
        let country = AdminArea {
            pcode: "KH".into(),
            name: "Cambodia".into(),
            level: 0,
            parent_pcode: None,
            geometry: None,
        };
        assert_eq!(Record::AdminArea(country.clone()).validate(&ctx()), Ok(()));
        let mut c = country;
        c.parent_pcode = Some("ASIA".into());
        assert_eq!(failing_fields(Record::AdminArea(c)), ["parent_pcode"]);
    }
}
