//! The programme area: where a programme works, from its admin boundaries (the areas of the
//! shallowest level that has boundaries, usually the country). A record placed beyond it (a
//! sign-flipped longitude puts a hazard on the other side of the world) is refused with the
//! distance unless the user accepts it explicitly.

use geo::{BoundingRect, Closest, ClosestPoint, Contains};
use geo_types::{MultiPolygon, Point, Rect};
use safeground_model::{ItemKind, Record};

use crate::{Flow, NewReport, ProgrammeStore, Result};

/// How far outside the boundaries a place may lie and still be taken as inside: published
/// boundaries are generalised (1:250,000 and smaller scales) and border minefields lie on the
/// line, so a few hundred metres off is the boundary's error, not the record's.
pub const MARGIN_M: f64 = 1_000.0;

/// The union of the programme's outermost admin boundaries.
#[derive(Debug, Clone)]
pub struct ProgrammeArea {
    /// P-codes of the areas that make it up.
    pub pcodes: Vec<String>,
    shapes: Vec<(Rect<f64>, MultiPolygon<f64>)>,
}

/// A place of a report beyond the programme area.
#[derive(Debug, Clone, PartialEq)]
pub struct OutsideProgrammeArea {
    /// 0-based entry of the report.
    pub entry: usize,
    /// The record's field (`geometry`, `location`, `released_areas[0].geometry`).
    pub field: String,
    /// Geodesic distance to the programme area, m.
    pub distance_m: f64,
}

impl OutsideProgrammeArea {
    /// What is wrong and what to do, without the field; `accept` says how to accept it
    /// anyway (`--accept-outside-programme-area`).
    pub fn reason(&self, accept: &str) -> String {
        format!(
            "lies {} outside the programme area; check the coordinates (a longitude or \
             latitude with the wrong sign, or swapped?), or accept it explicitly ({accept})",
            distance_text(self.distance_m)
        )
    }
}

impl std::fmt::Display for OutsideProgrammeArea {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let reason = self.reason("--accept-outside-programme-area");
        write!(f, "entries[{}].record.{}: {reason}", self.entry, self.field)
    }
}

fn distance_text(m: f64) -> String {
    if m < 1_000.0 {
        format!("{m:.0} m")
    } else if m < 100_000.0 {
        format!("{:.1} km", m / 1000.0)
    } else {
        format!("{:.0} km", m / 1000.0)
    }
}

impl ProgrammeArea {
    /// The programme area of `store`: `None` while no admin area has a boundary (nothing is
    /// then refused).
    pub fn load<S: ProgrammeStore + ?Sized>(store: &S) -> Result<Option<ProgrammeArea>> {
        let mut areas: Vec<(u8, String, MultiPolygon<f64>)> = Vec::new();
        store.for_each_current(ItemKind::AdminArea, None, &mut |v| {
            if let Record::AdminArea(a) = v.record
                && let Some(shape) = a.geometry
            {
                areas.push((a.level, a.pcode, shape));
            }
            Ok(Flow::Continue)
        })?;
        let Some(top) = areas.iter().map(|(level, ..)| *level).min() else {
            return Ok(None);
        };
        let (pcodes, shapes) = (areas.into_iter())
            .filter(|(level, ..)| *level == top)
            .filter_map(|(_, pcode, shape)| Some((pcode, (shape.bounding_rect()?, shape))))
            .unzip();
        Ok(Some(ProgrammeArea { pcodes, shapes }))
    }

    /// Geodesic distance from `point` to the area, m (0 inside).
    pub fn distance_m(&self, point: Point<f64>) -> f64 {
        let mut best = f64::INFINITY;
        for (rect, shape) in &self.shapes {
            let in_box = (rect.min().x..=rect.max().x).contains(&point.x())
                && (rect.min().y..=rect.max().y).contains(&point.y());
            if in_box && shape.contains(&point) {
                return 0.0;
            }
            // The nearest boundary point in degrees, then the geodesic distance to it: close
            // to the true nearest point wherever the distance matters (near the boundary).
            let nearest = match shape.closest_point(&point) {
                Closest::Intersection(p) | Closest::SinglePoint(p) => p,
                Closest::Indeterminate => continue,
            };
            best = best.min(safeground_geo::geodesic_distance(point, nearest));
        }
        best
    }

    /// Every place of `report` more than [`MARGIN_M`] outside the area.
    pub fn check_report(&self, report: &NewReport) -> Vec<OutsideProgrammeArea> {
        let mut out = Vec::new();
        for (entry, e) in report.entries.iter().enumerate() {
            for (field, place) in places(&e.record) {
                let distance_m = self.distance_m(place);
                if distance_m > MARGIN_M {
                    out.push(OutsideProgrammeArea {
                        entry,
                        field,
                        distance_m,
                    });
                }
            }
        }
        out
    }
}

/// The places of a record that must lie in the programme area, with their fields.
fn places(record: &Record) -> Vec<(String, Point<f64>)> {
    let mut out = Vec::new();
    match record {
        Record::Hazard(h) => {
            out.extend(
                h.geometry
                    .as_ref()
                    .and_then(safeground_geo::inner_point)
                    .map(|p| ("geometry".into(), p)),
            );
        }
        Record::Activity(a) => {
            for (i, r) in a.released_areas.iter().enumerate() {
                if let Some(p) = safeground_geo::inner_point(&r.geometry) {
                    out.push((format!("released_areas[{i}].geometry"), p));
                }
            }
        }
        Record::EoFind(r) => out.extend(r.location.map(|p| ("location".into(), p))),
        Record::Accident(r) => out.extend(r.location.map(|p| ("location".into(), p))),
        Record::RiskEducation(r) => out.extend(r.location.map(|p| ("location".into(), p))),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    fn cambodia_box() -> ProgrammeArea {
        let shape = MultiPolygon(vec![polygon![
            (x: 102.3, y: 10.4), (x: 107.6, y: 10.4), (x: 107.6, y: 14.7), (x: 102.3, y: 14.7)
        ]]);
        ProgrammeArea {
            pcodes: vec!["KH".into()],
            shapes: vec![(shape.bounding_rect().expect("box"), shape)],
        }
    }

    #[test]
    fn inside_is_zero_and_outside_is_the_geodesic_distance() {
        let area = cambodia_box();
        assert_eq!(area.distance_m(Point::new(103.2, 13.1)), 0.0);
        // Due east of the box at the equator-ish latitude 13.1: 0.1° of longitude.
        let east = area.distance_m(Point::new(107.7, 13.1));
        let expected =
            safeground_geo::geodesic_distance(Point::new(107.7, 13.1), Point::new(107.6, 13.1));
        assert!(
            (east - expected).abs() < 1e-6 * expected,
            "{east} vs {expected}"
        );
        assert!((10_700.0..10_900.0).contains(&east), "{east}");
        // The sign-flipped longitude: the other side of the world.
        assert!(area.distance_m(Point::new(-103.2, 13.1)) > 10_000_000.0);
    }
}
