//! From Web Mercator geometry to the integer grid of one tile: buffer test, clipping, snapping,
//! removal of repeated points, spikes and collapsed rings, repair of rings that snapping made
//! touch or cross, MVT winding.

use geo::BooleanOps;
use geo_types::{
    Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon, Rect,
};

use crate::generalise::{Generalisation, tolerance};
use crate::mercator::TileTransform;
use crate::rect_clip::{Bounds, clip_line, clip_ring};
use crate::shape::Shape;
use crate::valid::{has_intersections, remove_collinear, repair};
use crate::{BUFFER, EXTENT};

/// Lowest tile coordinate kept (the buffer's outer edge).
const LO: f64 = -(BUFFER as f64);
/// Highest tile coordinate kept.
const HI: f64 = (EXTENT + BUFFER) as f64;
/// The buffered tile.
const BUFFERED: Bounds = [LO, LO, HI, HI];
/// Most rounds of repair per feature; what is still invalid after them is kept as it is.
const REPAIR_ROUNDS: usize = 3;

/// Where a bounding box lies relative to the buffered tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    Outside,
    Inside,
    Crossing,
}

/// The part of a feature in the buffered tile of `t` at zoom `z`, generalised for `z`, in
/// integer tile coordinates (stored as `f64`, y down), ready for the MVT writer: no repeated
/// consecutive points, lines of at least two distinct points, closed rings of at least three
/// distinct points and non-zero area, exterior rings of positive and holes of negative area
/// (MVT 2.1, §4.3.4.4). `None` when nothing is left. `bbox` is the Mercator bounding box of
/// `shape`.
pub(crate) fn tile_geometry(
    shape: &Shape,
    generalisation: &Generalisation,
    bbox: [f64; 4],
    t: &TileTransform,
    z: u8,
) -> Option<Geometry<f64>> {
    if z < generalisation.min_zoom {
        return None;
    }
    let tol = tolerance(z);
    let paths = &generalisation.paths;
    match shape {
        Shape::Points(points) => tile_points(points, t),
        Shape::Lines(lines) => {
            let placement = placement(bbox, t);
            if placement == Placement::Outside {
                return None;
            }
            // Generalised lines in (unrounded) tile coordinates.
            let pixels = lines
                .iter()
                .zip(paths)
                .filter(|(_, path)| z >= path.min_zoom)
                .map(|(line, path)| path.filter(&line.0, tol).map(|c| t.tile_coord(c)));
            if placement == Placement::Inside {
                lines_geometry(pixels.filter_map(snap_line).collect())
            } else {
                // Lines are cut exactly here; nothing is left for a boolean operation to do.
                let mut clipped = Vec::new();
                for coords in pixels {
                    clip_line(coords, BUFFERED, &mut clipped);
                }
                let snapped = clipped
                    .iter()
                    .filter_map(|l| snap_line(l.0.iter().copied()));
                lines_geometry(snapped.collect())
            }
        }
        Shape::Polygons(polygons) => {
            let placement = placement(bbox, t);
            if placement == Placement::Outside {
                return None;
            }
            // Generalised rings in (unrounded) tile coordinates, holes shown at `z` only.
            // Inside the buffered tile they are snapped at once; crossing it, clipped first.
            let mut snapped: Vec<Polygon<f64>> = Vec::with_capacity(polygons.len());
            let mut crossing: Vec<Polygon<f64>> = Vec::new();
            let mut next = 0;
            for polygon in polygons {
                let rings = paths.get(next..next + 1 + polygon.interiors().len())?;
                next += rings.len();
                let (exterior, hole_paths) = rings.split_first()?;
                if z < exterior.min_zoom {
                    continue;
                }
                let ring = exterior
                    .filter(&polygon.exterior().0, tol)
                    .map(|c| t.tile_coord(c));
                let holes = polygon
                    .interiors()
                    .iter()
                    .zip(hole_paths)
                    .filter(|(_, p)| z >= p.min_zoom)
                    .map(|(hole, p)| p.filter(&hole.0, tol).map(|c| t.tile_coord(c)));
                if placement == Placement::Inside {
                    snapped.extend(snap_polygon(ring, holes));
                } else {
                    let holes = holes.map(|h| LineString(h.collect())).collect();
                    crossing.push(Polygon::new(LineString(ring.collect()), holes));
                }
            }
            if placement == Placement::Crossing {
                // Cut exactly first (keeps i_overlay's integer grid fine), then let the
                // intersection remove the cut's border bridges and rebuild valid rings.
                let cut: Vec<Polygon<f64>> = crossing
                    .iter()
                    .filter_map(|p| {
                        let exterior = clip_ring(&p.exterior().0, BUFFERED);
                        let holes = p
                            .interiors()
                            .iter()
                            .map(|h| LineString(clip_ring(&h.0, BUFFERED)))
                            .filter(|h| h.0.len() >= 4)
                            .collect();
                        (exterior.len() >= 4).then(|| Polygon::new(LineString(exterior), holes))
                    })
                    .collect();
                if cut.is_empty() {
                    return None;
                }
                snapped = snap_polygons(&MultiPolygon(cut).intersection(&buffered_tile()).0);
            }
            // Simplification or snapping made rings touch or cross: rebuild and snap again
            // (new crossing points are snapped too, so this may take another round).
            for _ in 0..REPAIR_ROUNDS {
                if !has_intersections(&snapped) {
                    break;
                }
                snapped = snap_polygons(&repair(snapped).0);
            }
            polygons_geometry(snapped)
        }
    }
}

/// The buffered tile as a polygon in tile coordinates.
fn buffered_tile() -> Polygon<f64> {
    Rect::new(Coord { x: LO, y: LO }, Coord { x: HI, y: HI }).to_polygon()
}

/// Where the Mercator box `bbox` lies relative to the buffered tile.
fn placement(bbox: [f64; 4], t: &TileTransform) -> Placement {
    let nw = t.tile_coord(Coord {
        x: bbox[0],
        y: bbox[3],
    });
    let se = t.tile_coord(Coord {
        x: bbox[2],
        y: bbox[1],
    });
    if se.x < LO || nw.x > HI || se.y < LO || nw.y > HI {
        Placement::Outside
    } else if nw.x >= LO && se.x <= HI && nw.y >= LO && se.y <= HI {
        Placement::Inside
    } else {
        Placement::Crossing
    }
}

/// Rounds to the integer grid. Inputs are inside the buffered tile (clipped or tested), so the
/// result stays in `LO..=HI`; the clamp only guards against rounding noise of the clipper.
#[inline]
fn snap(c: Coord<f64>) -> Coord<f64> {
    Coord {
        x: nearest(c.x.clamp(LO, HI)),
        y: nearest(c.y.clamp(LO, HI)),
    }
}

/// `v` rounded to the nearest integer, halves up: `floor(v + 0.5)` through an integer cast,
/// which (unlike `f64::round` on baseline x86-64) needs no library call. `v` is small.
#[inline]
fn nearest(v: f64) -> f64 {
    let up = v + 0.5;
    let t = up as i64 as f64;
    if t > up { t - 1.0 } else { t }
}

/// Points inside the buffered tile, snapped, without duplicates.
fn tile_points(points: &[Coord<f64>], t: &TileTransform) -> Option<Geometry<f64>> {
    let inside = |p: &Coord<f64>| (LO..=HI).contains(&p.x) && (LO..=HI).contains(&p.y);
    if let [c] = points {
        let p = t.tile_coord(*c);
        return inside(&p).then(|| Point(snap(p)).into());
    }
    let mut kept: Vec<Coord<f64>> = points
        .iter()
        .map(|c| t.tile_coord(*c))
        .filter(inside)
        .map(snap)
        .collect();
    if kept.len() > 1 {
        kept.sort_unstable_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
        kept.dedup();
    }
    match kept.len() {
        0 => None,
        1 => Some(Point(kept[0]).into()),
        _ => Some(MultiPoint(kept.into_iter().map(Point).collect()).into()),
    }
}

/// Snaps coordinates and drops consecutive repeats.
fn snap_dedup(coords: impl Iterator<Item = Coord<f64>>) -> Vec<Coord<f64>> {
    let (lower, _) = coords.size_hint();
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(lower + 1);
    for c in coords.map(snap) {
        if out.last() != Some(&c) {
            out.push(c);
        }
    }
    out
}

/// A snapped line string, `None` when fewer than two distinct points are left.
fn snap_line(coords: impl Iterator<Item = Coord<f64>>) -> Option<LineString<f64>> {
    let out = snap_dedup(coords);
    (out.len() >= 2).then_some(LineString(out))
}

/// A snapped, closed ring and twice its signed area (shoelace in tile coordinates, y down:
/// positive means clockwise on screen, an MVT exterior ring). `None` when it collapses.
fn snap_ring(coords: impl Iterator<Item = Coord<f64>>) -> Option<(LineString<f64>, i64)> {
    let mut out = snap_dedup(coords);
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    remove_collinear(&mut out);
    // Three distinct points at least (plus the closing one added below).
    if out.len() < 3 {
        return None;
    }
    let twice_area = twice_signed_area(&out);
    if twice_area == 0 {
        return None;
    }
    out.push(out[0]);
    Some((LineString(out), twice_area))
}

/// Twice the signed area of an open ring of integer-valued coordinates, exact.
fn twice_signed_area(ring: &[Coord<f64>]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            // Values are within ±4160, so the casts and products are exact.
            (a.x as i64) * (b.y as i64) - (b.x as i64) * (a.y as i64)
        })
        .sum()
}

/// Snapped polygons with MVT winding, without those that collapse.
fn snap_polygons(polygons: &[Polygon<f64>]) -> Vec<Polygon<f64>> {
    polygons
        .iter()
        .filter_map(|p| {
            snap_polygon(
                p.exterior().0.iter().copied(),
                p.interiors().iter().map(|r| r.0.iter().copied()),
            )
        })
        .collect()
}

/// A snapped polygon with MVT winding, `None` when the exterior collapses. Holes that collapse
/// are dropped.
fn snap_polygon<R: Iterator<Item = Coord<f64>>>(
    exterior: impl Iterator<Item = Coord<f64>>,
    interiors: impl Iterator<Item = R>,
) -> Option<Polygon<f64>> {
    let (mut exterior, area) = snap_ring(exterior)?;
    if area < 0 {
        exterior.0.reverse();
    }
    let holes = interiors
        .filter_map(snap_ring)
        .map(|(mut ring, area)| {
            if area > 0 {
                ring.0.reverse();
            }
            ring
        })
        .collect();
    Some(Polygon::new(exterior, holes))
}

fn lines_geometry(mut lines: Vec<LineString<f64>>) -> Option<Geometry<f64>> {
    match lines.len() {
        0 => None,
        1 => lines.pop().map(Geometry::LineString),
        _ => Some(MultiLineString(lines).into()),
    }
}

fn polygons_geometry(mut polygons: Vec<Polygon<f64>>) -> Option<Geometry<f64>> {
    match polygons.len() {
        0 => None,
        1 => polygons.pop().map(Geometry::Polygon),
        _ => Some(MultiPolygon(polygons).into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(coords: &[(f64, f64)]) -> Vec<Coord<f64>> {
        coords.iter().map(|&(x, y)| Coord { x, y }).collect()
    }

    #[test]
    fn rings_collapse_after_snapping() {
        // Three points that snap onto one line.
        let flat = ring(&[(0.1, 0.1), (5.2, 0.2), (10.3, -0.1), (0.1, 0.1)]);
        assert!(snap_ring(flat.into_iter()).is_none());
        // A tiny triangle that snaps to one point.
        let dot = ring(&[(0.1, 0.1), (0.2, 0.3), (0.3, 0.1), (0.1, 0.1)]);
        assert!(snap_ring(dot.into_iter()).is_none());
        let square = ring(&[
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]);
        let (snapped, area) = snap_ring(square.into_iter()).expect("kept");
        assert_eq!(area, 200);
        assert_eq!(snapped.0.len(), 5);
    }

    #[test]
    fn polygons_get_mvt_winding() {
        // Counter-clockwise on screen (negative area) exterior, and a hole wound the same way.
        let ext = ring(&[
            (0.0, 0.0),
            (0.0, 100.0),
            (100.0, 100.0),
            (100.0, 0.0),
            (0.0, 0.0),
        ]);
        let hole = ring(&[
            (10.0, 10.0),
            (10.0, 20.0),
            (20.0, 20.0),
            (20.0, 10.0),
            (10.0, 10.0),
        ]);
        let p = snap_polygon(ext.into_iter(), std::iter::once(hole.into_iter())).expect("kept");
        assert!(twice_signed_area(&p.exterior().0) > 0);
        assert!(twice_signed_area(&p.interiors()[0].0) < 0);
    }

    #[test]
    fn nearest_rounds_halves_up() {
        for (v, r) in [
            (0.4, 0.0),
            (0.5, 1.0),
            (-0.5, 0.0),
            (-0.51, -1.0),
            (-63.7, -64.0),
            (4159.5, 4160.0),
        ] {
            assert_eq!(nearest(v), r, "{v}");
        }
    }

    #[test]
    fn placement_of_boxes() {
        let t = TileTransform::new(0, 0, 0);
        let h = crate::mercator::HALF_WORLD;
        assert_eq!(placement([-1.0, -1.0, 1.0, 1.0], &t), Placement::Inside);
        assert_eq!(
            placement([-2.0 * h, -1.0, 1.0, 1.0], &t),
            Placement::Crossing
        );
        assert_eq!(
            placement([3.0 * h, 0.0, 4.0 * h, 1.0], &t),
            Placement::Outside
        );
    }
}
