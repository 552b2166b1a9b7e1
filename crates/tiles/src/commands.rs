//! MVT geometry command streams (MVT 2.1, §4.3) from geometry already on the integer grid.

use geo_types::{Coord, Geometry, LineString};

/// MVT geometry type `POINT`.
pub(crate) const POINT: u64 = 1;
/// MVT geometry type `LINESTRING`.
pub(crate) const LINESTRING: u64 = 2;
/// MVT geometry type `POLYGON`.
pub(crate) const POLYGON: u64 = 3;

const MOVE_TO: u32 = 1;
const LINE_TO: u32 = 2;
const CLOSE_PATH: u32 = 7;

/// Writes the command stream of `geometry` (integer-valued tile coordinates, as produced by
/// `clip::tile_geometry`) into `out` and returns the MVT geometry type. Rings are closed (last
/// coordinate = first); the closing coordinate becomes a ClosePath.
pub(crate) fn commands(geometry: &Geometry<f64>, out: &mut Vec<u32>) -> u64 {
    out.clear();
    let mut cursor = Cursor::default();
    match geometry {
        Geometry::Point(p) => {
            out.push(command(MOVE_TO, 1));
            cursor.push(p.0, out);
            POINT
        }
        Geometry::MultiPoint(mp) => {
            out.push(command(MOVE_TO, mp.0.len()));
            for p in &mp.0 {
                cursor.push(p.0, out);
            }
            POINT
        }
        Geometry::LineString(l) => {
            cursor.line(&l.0, out);
            LINESTRING
        }
        Geometry::MultiLineString(ml) => {
            for l in &ml.0 {
                cursor.line(&l.0, out);
            }
            LINESTRING
        }
        Geometry::Polygon(p) => {
            cursor.polygon(p.exterior(), p.interiors(), out);
            POLYGON
        }
        Geometry::MultiPolygon(mp) => {
            for p in &mp.0 {
                cursor.polygon(p.exterior(), p.interiors(), out);
            }
            POLYGON
        }
        // tile_geometry produces none of these.
        Geometry::Line(_)
        | Geometry::Rect(_)
        | Geometry::Triangle(_)
        | Geometry::GeometryCollection(_) => 0,
    }
}

/// A command integer: id in the low 3 bits, count above.
fn command(id: u32, count: usize) -> u32 {
    id | (u32::try_from(count).unwrap_or(u32::MAX >> 3) << 3)
}

/// Zigzag encoding of a signed parameter.
fn zigzag(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

/// The pen position: parameters are deltas from it, across parts.
#[derive(Default)]
struct Cursor {
    x: i32,
    y: i32,
}

impl Cursor {
    fn push(&mut self, c: Coord<f64>, out: &mut Vec<u32>) {
        // Coordinates are integers within the buffered tile, so the casts are exact.
        let (x, y) = (c.x as i32, c.y as i32);
        out.push(zigzag(x.wrapping_sub(self.x)));
        out.push(zigzag(y.wrapping_sub(self.y)));
        self.x = x;
        self.y = y;
    }

    fn line(&mut self, coords: &[Coord<f64>], out: &mut Vec<u32>) {
        let Some((first, rest)) = coords.split_first() else {
            return;
        };
        out.push(command(MOVE_TO, 1));
        self.push(*first, out);
        out.push(command(LINE_TO, rest.len()));
        for c in rest {
            self.push(*c, out);
        }
    }

    fn polygon(
        &mut self,
        exterior: &LineString<f64>,
        holes: &[LineString<f64>],
        out: &mut Vec<u32>,
    ) {
        for ring in std::iter::once(exterior).chain(holes) {
            // Without the closing coordinate.
            let open = ring.0.split_last().map_or(&[][..], |(_, open)| open);
            self.line(open, out);
            out.push(command(CLOSE_PATH, 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{MultiPoint, Point, Polygon};

    #[test]
    fn spec_examples() {
        // MVT 2.1 §4.3.5: point (25, 17).
        let mut out = Vec::new();
        assert_eq!(commands(&Point::new(25.0, 17.0).into(), &mut out), POINT);
        assert_eq!(out, vec![9, 50, 34]);
        // Multi point (5, 7), (3, 2).
        let mp = MultiPoint::from(vec![(5.0, 7.0), (3.0, 2.0)]);
        commands(&mp.into(), &mut out);
        assert_eq!(out, vec![17, 10, 14, 3, 9]);
        // Linestring (2,2) (2,10) (10,10).
        let l = LineString::from(vec![(2.0, 2.0), (2.0, 10.0), (10.0, 10.0)]);
        assert_eq!(commands(&l.into(), &mut out), LINESTRING);
        assert_eq!(out, vec![9, 4, 4, 18, 0, 16, 16, 0]);
        // Polygon (3,6) (8,12) (20,34) (3,6).
        let p = Polygon::new(
            LineString::from(vec![(3.0, 6.0), (8.0, 12.0), (20.0, 34.0)]),
            vec![],
        );
        assert_eq!(commands(&p.into(), &mut out), POLYGON);
        assert_eq!(out, vec![9, 6, 12, 18, 10, 12, 24, 44, 15]);
    }
}
