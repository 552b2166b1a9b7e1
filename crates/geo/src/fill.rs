//! The regions a ring encloses as drawn, and valid polygons rebuilt from them (for
//! [`crate::repair`]).
//!
//! A ring that crosses itself, goes round twice or folds back is read under the non-zero
//! winding rule: every region it winds around (in either direction, any number of times)
//! belongs to it, once; spikes and parts drawn back and forth enclose nothing. A polygon is
//! its exterior's region minus the union of its holes' regions, and a multipolygon is the
//! union of its polygons. i_overlay does the overlay (OGC output, every drawn vertex kept).

use geo::Contains;
use geo::algorithm::kernels::{Kernel, Orientation, RobustKernel};
use geo_types::{Coord, MultiPolygon, Point, Polygon};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay::ContourDirection;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::core::solver::Solver;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};

use crate::release::{Shape, to_geo};
use crate::{GeoError, geodesic_area};

/// An open ring of at least three distinct points, `[lon, lat]`.
pub(crate) type Ring = Vec<[f64; 2]>;

/// OGC output (no self-touching rings; a hole touching its exterior stays a hole), keeping
/// every vertex as drawn: each edge's area is that of the geodesic between its ends. Rings
/// under 1e-14 square degrees (about 1 cm²) are dropped: they are slivers of rounding where
/// edges of a tangle run along each other.
const OPTIONS: OverlayOptions<f64> = OverlayOptions {
    preserve_input_collinear: true,
    output_direction: ContourDirection::CounterClockwise,
    preserve_output_collinear: true,
    min_output_area: 1e-14,
    ogc: true,
    clean_result: false,
};

/// How far a hole vertex that touches the exterior is moved into the hole, degrees (about
/// 1 mm): enough for an exact test to tell the rings apart, too little to matter to an area.
const NUDGE_DEG: f64 = 1e-8;

fn overlay(run: impl FnOnce() -> Vec<Shape>) -> Result<Vec<Shape>, GeoError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
        .map_err(|_| GeoError::Repair("the overlay engine failed on this shape".into()))
}

/// The region one ring winds around (non-zero rule), as outer-counter-clockwise shapes.
pub(crate) fn ring_region(ring: &Ring) -> Result<Vec<Shape>, GeoError> {
    overlay(|| {
        FloatOverlay::with_subj_custom(ring, OPTIONS, Solver::AUTO)
            .overlay(OverlayRule::Subject, FillRule::NonZero)
    })
}

/// The geodesic area of the region a ring winds around, m².
pub(crate) fn ring_region_area(ring: &Ring) -> Result<f64, GeoError> {
    Ok(geodesic_area(&to_geo(ring_region(ring)?)))
}

/// One polygon as drawn (exterior first, then holes) rebuilt as valid shapes: the exterior's
/// region minus the union of the holes' regions.
fn polygon_region(rings: &[Ring]) -> Result<Vec<Shape>, GeoError> {
    let Some((exterior, holes)) = rings.split_first() else {
        return Ok(Vec::new());
    };
    let outer = ring_region(exterior)?;
    if holes.is_empty() || outer.is_empty() {
        return Ok(outer);
    }
    let mut cut: Vec<Shape> = Vec::new();
    for h in holes {
        cut.extend(ring_region(h)?);
    }
    // Every region is wound the same way, so overlapping holes add up under the non-zero rule.
    overlay(|| {
        FloatOverlay::with_subj_and_clip_custom(&outer, &cut, OPTIONS, Solver::AUTO)
            .overlay(OverlayRule::Difference, FillRule::NonZero)
    })
}

/// Polygons as drawn rebuilt as one valid multipolygon: the union of every polygon's region.
pub(crate) fn rebuild(polygons: &[Vec<Ring>]) -> Result<MultiPolygon<f64>, GeoError> {
    let mut all: Vec<Shape> = Vec::new();
    for p in polygons {
        all.extend(polygon_region(p)?);
    }
    if polygons.len() > 1 && all.len() > 1 {
        all = overlay(|| {
            FloatOverlay::with_subj_custom(&all, OPTIONS, Solver::AUTO)
                .overlay(OverlayRule::Subject, FillRule::NonZero)
        })?;
    }
    Ok(to_geo(all))
}

/// Whether `p` lies on segment a–b (exactly).
fn on_segment(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> bool {
    RobustKernel::orient2d(a, b, p) == Orientation::Collinear
        && p.x >= a.x.min(b.x)
        && p.x <= a.x.max(b.x)
        && p.y >= a.y.min(b.y)
        && p.y <= a.y.max(b.y)
}

/// The point a little way from hole vertex `v` (between its neighbours `a` and `b`) into the
/// hole, or `None` when no such point is found.
fn into_hole(
    hole: &Polygon<f64>,
    a: Coord<f64>,
    v: Coord<f64>,
    b: Coord<f64>,
) -> Option<Coord<f64>> {
    let unit = |c: Coord<f64>| {
        let l = c.x.hypot(c.y);
        (l > 0.0).then(|| Coord {
            x: c.x / l,
            y: c.y / l,
        })
    };
    let (ua, ub) = (unit(a - v)?, unit(b - v)?);
    let shortest = (a - v).x.hypot((a - v).y).min((b - v).x.hypot((b - v).y));
    let step = NUDGE_DEG.min(0.1 * shortest);
    // Along the bisector of the two edges, or across them where they run straight on.
    let d = unit(ua + ub).or_else(|| unit(Coord { x: -ua.y, y: ua.x }))?;
    [v + d * step, v - d * step]
        .into_iter()
        .find(|c| hole.contains(&Point(*c)))
}

/// Moves each hole vertex that lies on its polygon's exterior a hair's breadth into the hole,
/// so that no hole touches its exterior (which the write check refuses). Says what was moved.
pub(crate) fn separate_touching_holes(mp: &mut MultiPolygon<f64>, actions: &mut Vec<String>) {
    for (pi, polygon) in mp.0.iter_mut().enumerate() {
        if polygon.interiors().is_empty() {
            continue;
        }
        let shell: Vec<Coord<f64>> = polygon.exterior().0.clone();
        let mut moved_in = Vec::new();
        polygon.interiors_mut(|holes| {
            for (hi, hole) in holes.iter_mut().enumerate() {
                let n = hole.0.len().saturating_sub(1); // open length
                if n < 3 {
                    continue;
                }
                let as_polygon = Polygon::new(hole.clone(), vec![]);
                let mut moved = 0;
                for i in 0..n {
                    let v = hole.0[i];
                    let touches = shell.windows(2).any(|e| on_segment(v, e[0], e[1]));
                    if !touches {
                        continue;
                    }
                    let (a, b) = (hole.0[(i + n - 1) % n], hole.0[(i + 1) % n]);
                    if let Some(c) = into_hole(&as_polygon, a, v, b) {
                        hole.0[i] = c;
                        moved += 1;
                    }
                }
                if moved > 0 {
                    hole.0[n] = hole.0[0];
                    moved_in.push((hi, moved));
                }
            }
        });
        for (hi, moved) in moved_in {
            actions.push(format!(
                "polygon {}, hole {}: moved {moved} vertex(es) touching the exterior ring about 1 mm into the hole (a hole may not touch its polygon's boundary)",
                pi + 1,
                hi + 1
            ));
        }
    }
}
