//! A feature's geometry normalised to one MVT geometry type and projected to Web Mercator.

use geo_types::{Coord, Geometry, LineString, Polygon};

use crate::mercator::project;

/// Geometry of one MVT type, in Web Mercator metres. Never empty.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// One or more points.
    Points(Vec<Coord<f64>>),
    /// One or more line strings of at least two coordinates.
    Lines(Vec<LineString<f64>>),
    /// One or more polygons with closed exteriors of at least four coordinates.
    Polygons(Vec<Polygon<f64>>),
}

/// Flattened members of a WGS 84 geometry, sorted by dimension.
#[derive(Default)]
struct Parts {
    points: Vec<Coord<f64>>,
    lines: Vec<LineString<f64>>,
    polygons: Vec<Polygon<f64>>,
}

impl Parts {
    fn add(&mut self, geometry: Geometry<f64>) {
        match geometry {
            Geometry::Point(p) => self.points.push(p.0),
            Geometry::MultiPoint(mp) => self.points.extend(mp.0.into_iter().map(|p| p.0)),
            Geometry::Line(l) => self.lines.push(LineString(vec![l.start, l.end])),
            Geometry::LineString(ls) => self.lines.push(ls),
            Geometry::MultiLineString(mls) => self.lines.extend(mls.0),
            Geometry::Polygon(p) => self.polygons.push(p),
            Geometry::MultiPolygon(mp) => self.polygons.extend(mp.0),
            Geometry::Rect(r) => self.polygons.push(r.to_polygon()),
            Geometry::Triangle(t) => self.polygons.push(t.to_polygon()),
            Geometry::GeometryCollection(gc) => {
                for g in gc.0 {
                    self.add(g);
                }
            }
        }
    }
}

impl Shape {
    /// Validates and projects a WGS 84 geometry. `None` when any coordinate is non-finite or out
    /// of range, or when nothing usable is left (empty geometry, lines of fewer than two
    /// coordinates, polygons whose exterior has fewer than four). A geometry collection keeps its
    /// members of the highest dimension only.
    pub(crate) fn from_wgs84(geometry: Geometry<f64>) -> Option<Shape> {
        let mut parts = Parts::default();
        parts.add(geometry);
        if !parts.polygons.is_empty() {
            let mut polygons = Vec::with_capacity(parts.polygons.len());
            for polygon in parts.polygons {
                let (exterior, interiors) = polygon.into_inner();
                let exterior = project_ring(exterior)?;
                let mut holes = Vec::with_capacity(interiors.len());
                for hole in interiors {
                    holes.push(project_ring(hole)?);
                }
                if exterior.0.len() >= 4 {
                    holes.retain(|h| h.0.len() >= 4);
                    polygons.push(Polygon::new(exterior, holes));
                }
            }
            (!polygons.is_empty()).then_some(Shape::Polygons(polygons))
        } else if !parts.lines.is_empty() {
            let mut lines = Vec::with_capacity(parts.lines.len());
            for line in parts.lines {
                let line = project_line(line)?;
                if line.0.len() >= 2 {
                    lines.push(line);
                }
            }
            (!lines.is_empty()).then_some(Shape::Lines(lines))
        } else if !parts.points.is_empty() {
            let points = parts
                .points
                .into_iter()
                .map(|c| project(c.x, c.y))
                .collect::<Option<Vec<_>>>()?;
            Some(Shape::Points(points))
        } else {
            None
        }
    }

    /// Bounding box `[min x, min y, max x, max y]` of the coordinates.
    pub(crate) fn bbox(&self) -> [f64; 4] {
        let mut b = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut add = |c: &Coord<f64>| {
            b[0] = b[0].min(c.x);
            b[1] = b[1].min(c.y);
            b[2] = b[2].max(c.x);
            b[3] = b[3].max(c.y);
        };
        match self {
            Shape::Points(points) => points.iter().for_each(&mut add),
            Shape::Lines(lines) => lines.iter().flat_map(|l| &l.0).for_each(&mut add),
            Shape::Polygons(polygons) => polygons
                .iter()
                .flat_map(|p| p.exterior().0.iter())
                .for_each(&mut add),
        }
        b
    }
}

/// Projects a line string, dropping consecutive duplicates.
fn project_line(line: LineString<f64>) -> Option<LineString<f64>> {
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(line.0.len());
    for c in line.0 {
        let p = project(c.x, c.y)?;
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    Some(LineString(out))
}

/// Projects a ring, dropping consecutive duplicates and closing it.
fn project_ring(ring: LineString<f64>) -> Option<LineString<f64>> {
    let mut ring = project_line(ring)?;
    ring.close();
    Some(ring)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{GeometryCollection, Point, point, polygon};

    #[test]
    fn collections_keep_the_highest_dimension() {
        let gc = Geometry::GeometryCollection(GeometryCollection(vec![
            Point::new(104.0, 12.0).into(),
            polygon![(x: 104.0, y: 12.0), (x: 104.1, y: 12.0), (x: 104.1, y: 12.1)].into(),
        ]));
        assert!(matches!(Shape::from_wgs84(gc), Some(Shape::Polygons(p)) if p.len() == 1));
    }

    #[test]
    fn invalid_input_is_rejected() {
        assert!(Shape::from_wgs84(point!(x: f64::NAN, y: 0.0).into()).is_none());
        assert!(Shape::from_wgs84(point!(x: 1e300, y: 0.0).into()).is_none());
        assert!(Shape::from_wgs84(LineString::<f64>(vec![]).into()).is_none());
        let dot = LineString(vec![Coord { x: 1.0, y: 1.0 }, Coord { x: 1.0, y: 1.0 }]);
        assert!(Shape::from_wgs84(dot.into()).is_none());
        let sliver = polygon![(x: 1.0, y: 1.0), (x: 2.0, y: 2.0)];
        assert!(Shape::from_wgs84(sliver.into()).is_none());
        assert!(
            Shape::from_wgs84(Geometry::GeometryCollection(GeometryCollection(vec![]))).is_none()
        );
        let polar = point!(x: 0.0, y: 89.0);
        assert!(matches!(
            Shape::from_wgs84(polar.into()),
            Some(Shape::Points(_))
        ));
    }
}
