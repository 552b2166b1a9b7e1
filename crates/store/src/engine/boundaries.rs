//! Admin boundaries: a record approved without an admin area is assigned to the deepest admin
//! area whose boundary holds it (a hazard's or a release's interior point, an event's
//! location), so figures by province or district count it where it lies.

use geo::{BoundingRect, Contains, InteriorPoint};
use geo_types::{MultiPolygon, Point, Rect};
use safeground_model::{ItemKind, Record};

use super::Reads;
use crate::{AsOf, Result};

/// One admin area with a boundary.
#[derive(Debug, Clone)]
struct Boundary {
    pcode: String,
    level: u8,
    bounds: Rect<f64>,
    shape: MultiPolygon<f64>,
}

/// The current boundaries of a programme's admin areas (those that have one).
#[derive(Debug, Clone, Default)]
pub(crate) struct Boundaries(Vec<Boundary>);

impl Boundaries {
    /// Reads the current version of every admin area and keeps those with a boundary.
    pub(crate) fn load<R: Reads + ?Sized>(db: &mut R) -> Result<Boundaries> {
        let mut out = Vec::new();
        for item in db.items_of_kind(ItemKind::AdminArea)? {
            if let Some(v) = db.item_as_of(&item, AsOf::now())?
                && let Record::AdminArea(area) = v.record
                && let Some(shape) = area.geometry
                && let Some(bounds) = shape.bounding_rect()
            {
                out.push(Boundary {
                    pcode: area.pcode,
                    level: area.level,
                    bounds,
                    shape,
                });
            }
        }
        // Deepest first, then by P-code: the first that holds a point is the answer.
        out.sort_by(|a, b| b.level.cmp(&a.level).then_with(|| a.pcode.cmp(&b.pcode)));
        Ok(Boundaries(out))
    }

    /// Whether no admin area has a boundary (nothing can then be assigned).
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The P-code of the deepest area holding `point` (ties: the smallest P-code).
    pub(crate) fn area_at(&self, point: Point<f64>) -> Option<&str> {
        let inside = |b: &Rect<f64>| {
            (b.min().x..=b.max().x).contains(&point.x())
                && (b.min().y..=b.max().y).contains(&point.y())
        };
        (self.0.iter())
            .find(|b| inside(&b.bounds) && b.shape.contains(&point))
            .map(|b| b.pcode.as_str())
    }
}

/// Whether `record` is of a kind assigned to an admin area and has none yet; cheap (no geometry
/// work), so the boundaries are read, and a place computed, only for such records.
pub(crate) fn lacks_admin_area(record: &Record) -> bool {
    match record {
        Record::Hazard(h) => h.admin_pcode.is_none(),
        Record::Activity(a) => a.admin_pcode.is_none(),
        Record::Accident(a) => a.admin_pcode.is_none(),
        Record::RiskEducation(r) => r.admin_pcode.is_none(),
        _ => false,
    }
}

/// Where a record lies, for its admin area: the location of an event, a point inside a
/// hazard's polygons or an activity's released land; `None` for records without a place or
/// with an admin area already.
pub(crate) fn place_of_unassigned(record: &Record) -> Option<Point<f64>> {
    match record {
        Record::Hazard(h) if h.admin_pcode.is_none() => h.geometry.as_ref()?.interior_point(),
        Record::Activity(a) if a.admin_pcode.is_none() => {
            let first = a.released_areas.iter().find(|r| !r.geometry.0.is_empty())?;
            first.geometry.interior_point()
        }
        Record::Accident(a) if a.admin_pcode.is_none() => a.location,
        Record::RiskEducation(r) if r.admin_pcode.is_none() => r.location,
        _ => None,
    }
}

/// Sets the record's admin area to `pcode`.
pub(crate) fn assign(record: &mut Record, pcode: &str) {
    let slot = match record {
        Record::Hazard(h) => &mut h.admin_pcode,
        Record::Activity(a) => &mut a.admin_pcode,
        Record::Accident(a) => &mut a.admin_pcode,
        Record::RiskEducation(r) => &mut r.admin_pcode,
        _ => return,
    };
    *slot = Some(pcode.to_owned());
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    fn square(pcode: &str, level: u8, x0: f64, y0: f64, side: f64) -> Boundary {
        let shape = MultiPolygon(vec![polygon![
            (x: x0, y: y0), (x: x0 + side, y: y0), (x: x0 + side, y: y0 + side), (x: x0, y: y0 + side)
        ]]);
        Boundary {
            pcode: pcode.into(),
            level,
            bounds: shape.bounding_rect().expect("bounds"),
            shape,
        }
    }

    #[test]
    fn the_deepest_area_holding_a_point_wins() {
        let mut areas = vec![
            square("KH", 0, 100.0, 10.0, 10.0),
            square("KH01", 1, 100.0, 10.0, 5.0),
            square("KH0101", 2, 100.0, 10.0, 1.0),
        ];
        areas.sort_by_key(|a| std::cmp::Reverse(a.level));
        let b = Boundaries(areas);
        assert_eq!(b.area_at(Point::new(100.5, 10.5)), Some("KH0101"));
        assert_eq!(b.area_at(Point::new(103.0, 13.0)), Some("KH01"));
        assert_eq!(b.area_at(Point::new(108.0, 18.0)), Some("KH"));
        assert_eq!(
            b.area_at(Point::new(-108.0, 18.0)),
            None,
            "sign-flipped longitude"
        );
    }
}
