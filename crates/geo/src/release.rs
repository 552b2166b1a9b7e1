//! The land-release overlay: remaining hazard = hazard − ⋃ released areas.
//!
//! One overlay operation does it all: the released polygons, oriented consistently, form the
//! clip shape under the non-zero fill rule, so overlapping releases need no prior union. The
//! overlay is i_overlay's (the engine behind `geo`'s `BooleanOps`), called directly so that
//! rings go in as they are cleaned, without a `geo` copy in between, and so that each thread
//! reuses one overlay's buffers from hazard to hazard.
//!
//! Where only the area is wanted, [`remaining_area`] walks the boundaries instead
//! (`boundary_walk.rs`) and comes back to this overlay only for the cases the walk declines.

use std::cell::RefCell;

use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay::ContourDirection;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::core::solver::Solver;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};

use crate::{GeoError, geodesic_area};

/// A ring as the overlay takes it: open (no repeated closing point), at least three points.
type Ring = Vec<[f64; 2]>;
/// A polygon as the overlay takes it: exterior counter-clockwise first, then holes clockwise.
pub(crate) type Shape = Vec<Ring>;

thread_local! {
    /// The overlay each thread reuses: its segment and graph buffers outlive one hazard.
    static OVERLAY: RefCell<FloatOverlay<[f64; 2], f64>> =
        RefCell::new(FloatOverlay::new_empty(OPTIONS, Solver::AUTO, 256));
}

/// OGC output, keeping every vertex as drawn even where it lies on a straight line: each
/// edge's area is that of the geodesic between its ends, so dropping the middle vertex of a
/// straight 1 km edge would move the area by ~2 m².
const OPTIONS: OverlayOptions<f64> = OverlayOptions {
    preserve_input_collinear: true,
    output_direction: ContourDirection::CounterClockwise,
    preserve_output_collinear: true,
    min_output_area: 0.0,
    ogc: true,
    clean_result: false,
};

/// The part of a hazard not yet released, with its geodesic area.
#[derive(Debug, Clone, PartialEq)]
pub struct Remaining {
    /// Hazard minus everything released (may be empty).
    pub geometry: MultiPolygon<f64>,
    /// Its geodesic area, m².
    pub area_m2: f64,
}

/// A ring without non-finite or repeated points, open, wound counter-clockwise (`ccw`) or
/// clockwise; `None` when fewer than three points are left.
fn clean_ring(ls: &LineString<f64>, ccw: bool) -> Option<Ring> {
    let mut pts: Ring = Vec::with_capacity(ls.0.len());
    for c in ls.0.iter().filter(|c| c.x.is_finite() && c.y.is_finite()) {
        let p = [c.x, c.y];
        if pts.last() != Some(&p) {
            pts.push(p);
        }
    }
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    if pts.len() < 3 {
        return None;
    }
    // Twice the signed planar area, relative to the first point to keep the sums small.
    let [x0, y0] = pts[0];
    let twice_area: f64 = pts
        .windows(2)
        .chain(std::iter::once([pts[pts.len() - 1], pts[0]].as_slice()))
        .map(|w| (w[0][0] - x0) * (w[1][1] - y0) - (w[1][0] - x0) * (w[0][1] - y0))
        .sum();
    if (twice_area > 0.0) != ccw && twice_area != 0.0 {
        pts.reverse();
    }
    Some(pts)
}

/// Cleans every polygon of `mp`: drops non-finite and repeated points and degenerate rings,
/// winds exteriors counter-clockwise and holes clockwise.
fn clean(mp: &MultiPolygon<f64>) -> impl Iterator<Item = Shape> + '_ {
    mp.0.iter().filter_map(clean_polygon)
}

fn clean_polygon(p: &Polygon<f64>) -> Option<Shape> {
    let mut shape = vec![clean_ring(p.exterior(), true)?];
    shape.extend(p.interiors().iter().filter_map(|r| clean_ring(r, false)));
    Some(shape)
}

/// Longitude/latitude bounds of some shapes' exteriors: `[west, south, east, north]`.
fn bounds<'a>(shapes: impl IntoIterator<Item = &'a Shape>) -> Option<[f64; 4]> {
    shapes
        .into_iter()
        .flat_map(|s| s[0].iter())
        .fold(None, |b, &[x, y]| {
            Some(match b {
                None => [x, y, x, y],
                Some([w, s, e, n]) => [w.min(x), s.min(y), e.max(x), n.max(y)],
            })
        })
}

fn touches(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

pub(crate) fn to_geo(shapes: Vec<Shape>) -> MultiPolygon<f64> {
    let ring = |r: Ring| {
        let mut coords: Vec<Coord<f64>> = Vec::with_capacity(r.len() + 1);
        coords.extend(r.iter().map(|&[x, y]| Coord { x, y }));
        if let Some(&first) = coords.first() {
            coords.push(first);
        }
        LineString(coords)
    };
    MultiPolygon(
        shapes
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(|s| {
                let mut rings = s.into_iter().map(ring);
                let exterior = rings.next().unwrap_or_else(|| LineString(vec![]));
                Polygon::new(exterior, rings.collect())
            })
            .collect(),
    )
}

/// Refuses coordinates outside WGS 84 longitude/latitude.
fn check_range(what: &str, mp: &MultiPolygon<f64>) -> Result<(), GeoError> {
    match mp
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.0.iter())
        .find(|c| c.x.abs() > 180.0 || c.y.abs() > 90.0)
    {
        Some(c) => Err(GeoError::Input(format!(
            "{what} has a coordinate ({}, {}) outside WGS 84 longitude/latitude",
            c.x, c.y
        ))),
        None => Ok(()),
    }
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
    let (subject, clip) = prepare(hazard, released)?;
    let geometry = if clip.is_empty() {
        to_geo(subject)
    } else {
        difference(&subject, &clip)?
    };
    let area_m2 = geodesic_area(&geometry);
    Ok(Remaining { geometry, area_m2 })
}

/// The geodesic area of hazard − ⋃ `released`, m²: [`remaining`]'s `area_m2` without building
/// the remaining polygon, about three times faster (the boundaries are walked once and their
/// pieces summed, see `boundary_walk.rs`). Agrees with [`remaining`] to rounding; a ring that
/// is not simple, or edges of one shape that cancel along a stretch, are left to the same
/// overlay.
///
/// ```
/// use geo_types::{MultiPolygon, polygon};
/// let hazard = MultiPolygon(vec![polygon![(x: 103.20, y: 13.10), (x: 103.21, y: 13.10), (x: 103.21, y: 13.11), (x: 103.20, y: 13.11)]]);
/// let west = MultiPolygon(vec![polygon![(x: 103.20, y: 13.10), (x: 103.205, y: 13.10), (x: 103.205, y: 13.11), (x: 103.20, y: 13.11)]]);
/// let east = polygon![(x: 103.205, y: 13.10), (x: 103.21, y: 13.10), (x: 103.21, y: 13.11), (x: 103.205, y: 13.11)];
/// let area = safeground_geo::remaining_area(&hazard, &[&west]).unwrap();
/// assert!((area - safeground_geo::polygon_area(&east)).abs() < 1e-6);
/// ```
pub fn remaining_area(
    hazard: &MultiPolygon<f64>,
    released: &[&MultiPolygon<f64>],
) -> Result<f64, GeoError> {
    let (subject, clip) = prepare(hazard, released)?;
    if clip.is_empty() {
        return Ok(geodesic_area(&to_geo(subject)));
    }
    match crate::boundary_walk::remaining_area(&subject, &clip) {
        Some(area) => Ok(area.max(0.0)),
        None => Ok(geodesic_area(&difference(&subject, &clip)?)),
    }
}

/// Checks the coordinates, cleans every ring and drops released polygons away from the hazard.
fn prepare(
    hazard: &MultiPolygon<f64>,
    released: &[&MultiPolygon<f64>],
) -> Result<(Vec<Shape>, Vec<Shape>), GeoError> {
    check_range("hazard", hazard)?;
    for r in released {
        check_range("released area", r)?;
    }
    let subject: Vec<Shape> = clean(hazard).collect();
    let Some(bbox) = bounds(&subject) else {
        return Ok((subject, vec![]));
    };
    let clip: Vec<Shape> = released
        .iter()
        .flat_map(|r| clean(r))
        .filter(|s| bounds([s]).is_some_and(|b| touches(&b, &bbox)))
        .collect();
    Ok((subject, clip))
}

/// `subject` − `clip` by i_overlay, on this thread's reused overlay.
fn difference(subject: &[Shape], clip: &[Shape]) -> Result<MultiPolygon<f64>, GeoError> {
    let shapes = std::panic::catch_unwind(|| {
        OVERLAY.with(|cell| {
            let mut overlay = cell.borrow_mut();
            overlay.reinit_with_subj_and_clip(subject, clip);
            overlay.overlay(OverlayRule::Difference, FillRule::NonZero)
        })
    })
    .map_err(|_| GeoError::Overlay("the boolean operation panicked".into()))?;
    Ok(to_geo(shapes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_are_cleaned_closed_open_and_wound_as_asked() {
        // Clockwise, with a repeated point, a NaN and the closing point.
        let cw = LineString::from(vec![
            (0.0, 0.0),
            (0.0, 1.0),
            (0.0, 1.0),
            (f64::NAN, 0.5),
            (1.0, 1.0),
            (1.0, 0.0),
            (0.0, 0.0),
        ]);
        let ccw = clean_ring(&cw, true).expect("a ring");
        assert_eq!(ccw, vec![[1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]);
        let kept = clean_ring(&cw, false).expect("a ring");
        assert_eq!(kept, vec![[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0]]);
        let degenerate = LineString::from(vec![(0.0, 0.0), (1.0, 1.0), (0.0, 0.0)]);
        assert_eq!(clean_ring(&degenerate, true), None);
    }
}
