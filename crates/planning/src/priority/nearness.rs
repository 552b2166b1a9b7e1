//! Distances between a hazard and nearby features, in metres.
//!
//! Coordinates are projected to a local equirectangular plane centred on the hazard
//! (x = Δlon · cos φ₀ · 111,320 m, y = Δlat · 110,574 m), where planar distances are within
//! 0.5 % of geodesic ones over the tens of kilometres a criterion looks at; a point inside the
//! hazard is at 0 m. A bounding-box test in degrees discards far features before any distance
//! is computed.

use geo::{BoundingRect, Distance, Euclidean, MapCoords};
use geo_types::{Coord, Geometry, MultiPolygon, Point, Rect};

const M_PER_DEG_LAT: f64 = 110_574.0;
const M_PER_DEG_LON_EQUATOR: f64 = 111_320.0;

/// A hazard ready for distance queries.
pub(crate) struct Near {
    origin: Coord<f64>,
    cos_lat: f64,
    shape: Geometry<f64>,
    bounds: Rect<f64>,
}

impl Near {
    /// The hazard's shape (None when it has no polygon: it can be near nothing).
    pub(crate) fn new(shape: &MultiPolygon<f64>) -> Option<Self> {
        let bounds = shape.bounding_rect()?;
        let origin = bounds.center();
        let cos_lat = origin.y.to_radians().cos().max(0.01);
        let mut near = Self {
            origin,
            cos_lat,
            shape: Geometry::Point(Point::new(0.0, 0.0)),
            bounds,
        };
        near.shape = Geometry::MultiPolygon(shape.map_coords(|c| near.project(c)));
        Some(near)
    }

    fn project(&self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: (c.x - self.origin.x) * self.cos_lat * M_PER_DEG_LON_EQUATOR,
            y: (c.y - self.origin.y) * M_PER_DEG_LAT,
        }
    }

    /// Whether `at` may lie within `km` of the hazard (a cheap test; false means surely not).
    pub(crate) fn may_be_within(&self, at: Coord<f64>, km: f64) -> bool {
        let dy = km * 1000.0 / M_PER_DEG_LAT;
        let dx = km * 1000.0 / (M_PER_DEG_LON_EQUATOR * self.cos_lat);
        at.x >= self.bounds.min().x - dx
            && at.x <= self.bounds.max().x + dx
            && at.y >= self.bounds.min().y - dy
            && at.y <= self.bounds.max().y + dy
    }

    /// Distance from the hazard to a point, m.
    pub(crate) fn to_point(&self, at: Coord<f64>) -> f64 {
        Euclidean.distance(&Geometry::Point(Point(self.project(at))), &self.shape)
    }

    /// Distance from the hazard to any geometry, m.
    pub(crate) fn to_geometry(&self, g: &Geometry<f64>) -> f64 {
        Euclidean.distance(&g.map_coords(|c| self.project(c)), &self.shape)
    }

    /// Whether any part of `g` may lie within `km` of the hazard.
    pub(crate) fn may_reach(&self, g: &Geometry<f64>, km: f64) -> bool {
        let Some(b) = g.bounding_rect() else {
            return false;
        };
        let dy = km * 1000.0 / M_PER_DEG_LAT;
        let dx = km * 1000.0 / (M_PER_DEG_LON_EQUATOR * self.cos_lat);
        b.max().x >= self.bounds.min().x - dx
            && b.min().x <= self.bounds.max().x + dx
            && b.max().y >= self.bounds.min().y - dy
            && b.min().y <= self.bounds.max().y + dy
    }
}

#[cfg(test)]
mod tests {
    use geo_types::{LineString, polygon};

    use super::*;

    /// A 0.01° square at 12° N (Cambodia): 1,089 m wide, 1,106 m tall.
    fn square() -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: 104.0, y: 12.0), (x: 104.01, y: 12.0), (x: 104.01, y: 12.01),
            (x: 104.0, y: 12.01), (x: 104.0, y: 12.0)
        ]])
    }

    #[test]
    fn inside_is_zero_and_outside_agrees_with_the_geodesic_distance() {
        let near = Near::new(&square()).expect("shape");
        assert_eq!(
            near.to_point(Coord {
                x: 104.005,
                y: 12.005
            }),
            0.0
        );
        // 0.02° east of the east edge at the same latitude.
        let at = Coord {
            x: 104.03,
            y: 12.005,
        };
        let geodesic = safeground_geo::geodesic_distance(Point::new(104.01, 12.005), Point(at));
        let planar = near.to_point(at);
        assert!(
            (planar - geodesic).abs() / geodesic < 0.005,
            "{planar} vs {geodesic}"
        );
        // 0.02° north of the north edge.
        let at = Coord {
            x: 104.005,
            y: 12.03,
        };
        let geodesic = safeground_geo::geodesic_distance(Point::new(104.005, 12.01), Point(at));
        assert!((near.to_point(at) - geodesic).abs() / geodesic < 0.005);
    }

    #[test]
    fn a_road_crossing_the_hazard_is_at_zero_and_the_box_test_is_safe() {
        let near = Near::new(&square()).expect("shape");
        let road = Geometry::LineString(LineString::from(vec![(103.9, 12.005), (104.1, 12.005)]));
        assert_eq!(near.to_geometry(&road), 0.0);
        assert!(near.may_reach(&road, 0.1));
        let far = Coord {
            x: 104.5,
            y: 12.005,
        };
        assert!(!near.may_be_within(far, 10.0));
        assert!(near.may_be_within(far, 60.0));
    }
}
