//! The land-release overlay: remaining hazard = hazard − ⋃ released areas.
//!
//! One overlay operation does it all: the released polygons, oriented consistently, form the
//! clip shape under the non-zero fill rule, so overlapping releases need no prior union.

use geo::algorithm::bool_ops::{BooleanOps, FillRule, OpType};
use geo::orient::{Direction, Orient};
use geo::{BoundingRect, Rect};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};

use crate::{GeoError, geodesic_area};

/// The part of a hazard not yet released, with its geodesic area.
#[derive(Debug, Clone, PartialEq)]
pub struct Remaining {
    /// Hazard minus everything released (may be empty).
    pub geometry: MultiPolygon<f64>,
    /// Its geodesic area, m².
    pub area_m2: f64,
}

/// Drops non-finite and repeated points and degenerate rings; orients exteriors CCW, holes CW.
pub(crate) fn sanitise(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    fn ring(ls: &LineString<f64>) -> Option<LineString<f64>> {
        let mut pts: Vec<Coord<f64>> = Vec::with_capacity(ls.0.len());
        for c in ls.0.iter().filter(|c| c.x.is_finite() && c.y.is_finite()) {
            if pts.last() != Some(c) {
                pts.push(*c);
            }
        }
        if pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        (pts.len() >= 3).then(|| {
            pts.push(pts[0]);
            LineString(pts)
        })
    }
    let polys =
        mp.0.iter()
            .filter_map(|p| {
                let exterior = ring(p.exterior())?;
                let holes = p.interiors().iter().filter_map(ring).collect();
                Some(Polygon::new(exterior, holes))
            })
            .collect();
    MultiPolygon(polys).orient(Direction::Default)
}

fn touches(a: &Rect<f64>, b: &Rect<f64>) -> bool {
    a.min().x <= b.max().x
        && b.min().x <= a.max().x
        && a.min().y <= b.max().y
        && b.min().y <= a.max().y
}

/// Hazard minus the union of `released` (any method), with the geodesic area of the result.
///
/// Never panics: non-finite coordinates and degenerate rings are dropped first, released areas
/// away from the hazard are skipped, and a failure inside the overlay engine is returned as
/// [`GeoError::Overlay`].
///
/// ```
/// use geo_types::{MultiPolygon, polygon};
/// let hazard = MultiPolygon(vec![polygon![(x: 103.20, y: 13.10), (x: 103.21, y: 13.10), (x: 103.21, y: 13.11), (x: 103.20, y: 13.11)]]);
/// let west = MultiPolygon(vec![polygon![(x: 103.20, y: 13.10), (x: 103.205, y: 13.10), (x: 103.205, y: 13.11), (x: 103.20, y: 13.11)]]);
/// let r = safeground_geo::remaining(&hazard, &[&west]).unwrap();
/// let half = safeground_geo::geodesic_area(&hazard) / 2.0;
/// assert!((r.area_m2 - half).abs() < 1e-3 * half);
/// ```
pub fn remaining(
    hazard: &MultiPolygon<f64>,
    released: &[&MultiPolygon<f64>],
) -> Result<Remaining, GeoError> {
    for (what, mp) in
        std::iter::once(("hazard", hazard)).chain(released.iter().map(|r| ("released area", *r)))
    {
        if let Some(c) =
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|r| r.0.iter())
                .find(|c| c.x.abs() > 180.0 || c.y.abs() > 90.0)
        {
            return Err(GeoError::Input(format!(
                "{what} has a coordinate ({}, {}) outside WGS 84 longitude/latitude",
                c.x, c.y
            )));
        }
    }
    let subject = sanitise(hazard);
    let Some(bbox) = subject.bounding_rect() else {
        return Ok(Remaining {
            geometry: MultiPolygon(vec![]),
            area_m2: 0.0,
        });
    };
    let clip: Vec<Polygon<f64>> = released
        .iter()
        .flat_map(|r| sanitise(r).0)
        .filter(|p| p.bounding_rect().is_some_and(|b| touches(&b, &bbox)))
        .collect();
    let geometry = if clip.is_empty() {
        subject
    } else {
        let clip = MultiPolygon(clip);
        std::panic::catch_unwind(|| {
            subject.boolean_op_with_fill_rule(&clip, OpType::Difference, FillRule::NonZero)
        })
        .map_err(|_| GeoError::Overlay("the boolean operation panicked".into()))?
    };
    let area_m2 = geodesic_area(&geometry);
    Ok(Remaining { geometry, area_m2 })
}
