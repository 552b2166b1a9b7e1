//! Hazards near a border: for each shared hazard, the nearest hazard of every OTHER node within
//! a distance. Two countries' hazards a few km apart are where their programmes must agree on
//! who surveys and clears what, and where one's data may duplicate the other's.
//!
//! The distance is geodesic (WGS 84, `safeground_geo::geodesic_distance`) between the closest
//! points of the two polygons: 0 when they meet; otherwise the closest pair always has a vertex
//! of one polygon on one side, so it is found among each vertex's closest point on the other
//! polygon, located in a local equirectangular plane around the pair (an error far under a
//! metre at these distances) and then measured on the ellipsoid.

use geo::{Closest, ClosestPoint, Intersects, MapCoords};
use geo_types::{Coord, MultiPolygon, Point};

use super::layers::SharedHazard;

/// One degree of latitude is at least this long, metres (110,574 m at the equator).
const MIN_METRES_PER_DEGREE: f64 = 110_500.0;

/// A hazard within the distance of another node's hazard.
#[derive(Debug, Clone)]
pub struct BorderPair<'a> {
    /// The hazard.
    pub hazard: &'a SharedHazard,
    /// The other node's nearest hazard.
    pub other: &'a SharedHazard,
    /// Geodesic distance between them, metres (0: they meet).
    pub distance_m: f64,
}

/// `bbox` widened by `m` metres on every side (generously: never narrower than `m`).
fn widened(bbox: [f64; 4], m: f64) -> [f64; 4] {
    let dlat = m / MIN_METRES_PER_DEGREE;
    let lat = bbox[1].abs().max(bbox[3].abs()) + dlat;
    let dlon = if lat >= 89.0 {
        360.0
    } else {
        dlat / lat.to_radians().cos()
    };
    [
        bbox[0] - dlon,
        bbox[1] - dlat,
        bbox[2] + dlon,
        bbox[3] + dlat,
    ]
}

fn meets(a: [f64; 4], b: [f64; 4]) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

/// The geodesic distance between two polygons, metres (0 when they meet).
pub fn distance_m(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> f64 {
    if a.intersects(b) {
        return 0.0;
    }
    let Some(lat0) = super::layers::bbox_of(a).map(|bb| (bb[1] + bb[3]) / 2.0) else {
        return f64::INFINITY;
    };
    let k = lat0.to_radians().cos().max(1e-6);
    let project = |m: &MultiPolygon<f64>| m.map_coords(|c| Coord { x: c.x * k, y: c.y });
    let (pa, pb) = (project(a), project(b));
    let mut best = f64::INFINITY;
    let mut from = |vertices: &MultiPolygon<f64>, other: &MultiPolygon<f64>| {
        let rings = vertices
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
        for c in rings.flat_map(|r| r.0.iter()) {
            let p = Point::new(c.x, c.y);
            let q = match other.closest_point(&p) {
                Closest::Intersection(q) | Closest::SinglePoint(q) => q,
                Closest::Indeterminate => continue,
            };
            let d = safeground_geo::geodesic_distance(
                Point::new(p.x() / k, p.y()),
                Point::new(q.x() / k, q.y()),
            );
            best = best.min(d);
        }
    };
    from(&pa, &pb);
    from(&pb, &pa);
    best
}

/// Every hazard with a hazard of another node within `within_m` metres: one pair per hazard
/// and other node (its nearest hazard there), by distance, then node and local id.
pub fn border_pairs(shapes: &[SharedHazard], within_m: f64) -> Vec<BorderPair<'_>> {
    let mut order: Vec<usize> = (0..shapes.len()).collect();
    order.sort_by(|&i, &j| shapes[i].bbox[1].total_cmp(&shapes[j].bbox[1]));
    let mut pairs = Vec::new();
    for (i, hazard) in shapes.iter().enumerate() {
        let reach = widened(hazard.bbox, within_m);
        // Candidates: hazards of other nodes whose box meets the widened box (a sweep on the
        // southern edge: the boxes sorted by it, stopping past the reach's north).
        let mut nearest: Vec<(usize, f64)> = Vec::new();
        for &j in &order {
            let other = &shapes[j];
            if other.bbox[1] > reach[3] {
                break;
            }
            if i == j || other.node == hazard.node || !meets(reach, other.bbox) {
                continue;
            }
            let d = distance_m(&hazard.geometry, &other.geometry);
            if d > within_m {
                continue;
            }
            match nearest
                .iter_mut()
                .find(|(k, _)| shapes[*k].node == other.node)
            {
                Some(best) if best.1 <= d => {}
                Some(best) => *best = (j, d),
                None => nearest.push((j, d)),
            }
        }
        pairs.extend(nearest.into_iter().map(|(j, d)| BorderPair {
            hazard,
            other: &shapes[j],
            distance_m: d,
        }));
    }
    pairs.sort_by(|a, b| {
        (a.distance_m.total_cmp(&b.distance_m))
            .then_with(|| a.hazard.node.cmp(&b.hazard.node))
            .then_with(|| a.hazard.local_id.cmp(&b.hazard.local_id))
            .then_with(|| a.other.node.cmp(&b.other.node))
    });
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    fn hazard(node: &str, id: &str, w: f64, s: f64, e: f64, n: f64) -> SharedHazard {
        let geometry = MultiPolygon(vec![polygon![
            (x: w, y: s), (x: e, y: s), (x: e, y: n), (x: w, y: n), (x: w, y: s)
        ]]);
        SharedHazard {
            node: node.into(),
            local_id: id.into(),
            name: id.into(),
            bbox: [w, s, e, n],
            geometry,
        }
    }

    #[test]
    fn the_distance_is_geodesic_between_the_closest_points() {
        // Squares on one meridian, 0.03° of latitude apart at 14.4° N: a meridian arc of
        // 0.03 × 110,643 m (111,132.954 − 559.822 cos 2φ + 1.175 cos 4φ at φ = 14.415°).
        let a = hazard("KHM", "A", 103.0, 14.39, 103.01, 14.40);
        let b = hazard("LAO", "B", 103.005, 14.43, 103.015, 14.44);
        let d = distance_m(&a.geometry, &b.geometry);
        assert!((d - 3319.3).abs() < 1.0, "{d}");
        // Overlapping: 0.
        let c = hazard("LAO", "C", 103.005, 14.395, 103.02, 14.41);
        assert_eq!(distance_m(&a.geometry, &c.geometry), 0.0);
        // A diagonal gap: 0.01° east and 0.01° north of a's north-east corner.
        let e = hazard("LAO", "E", 103.02, 14.41, 103.03, 14.42);
        let corner =
            safeground_geo::geodesic_distance(Point::new(103.01, 14.40), Point::new(103.02, 14.41));
        assert!((distance_m(&a.geometry, &e.geometry) - corner).abs() < 1e-6);
    }

    #[test]
    fn pairs_name_each_other_node_once_and_skip_the_same_node() {
        let shapes = vec![
            hazard("KHM", "K1", 103.0, 14.39, 103.01, 14.40),
            hazard("KHM", "K2", 103.0, 14.41, 103.01, 14.415),
            hazard("LAO", "L1", 103.0, 14.43, 103.01, 14.44),
            hazard("LAO", "L2", 103.0, 14.45, 103.01, 14.46),
            hazard("AZE", "A1", 47.0, 40.0, 47.01, 40.01),
        ];
        let pairs = border_pairs(&shapes, 5000.0);
        let got: Vec<(&str, &str, i64)> = pairs
            .iter()
            .map(|p| {
                (
                    p.hazard.local_id.as_str(),
                    p.other.local_id.as_str(),
                    p.distance_m.round() as i64,
                )
            })
            .collect();
        // K2–L1: 0.015°; K1–L1: 0.03°; L2–K2: 0.035°; K2 is within 1.1 km of K1 (same node).
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!((got[0].0, got[0].1), ("K2", "L1"));
        assert_eq!((got[1].0, got[1].1), ("L1", "K2"));
        assert_eq!(got[0].2, got[1].2);
        assert!((got[0].2 - 1660).abs() <= 1, "{got:?}");
        assert_eq!((got[2].0, got[2].1), ("K1", "L1"));
        assert_eq!((got[3].0, got[3].1), ("L2", "K2"));
        assert!(border_pairs(&shapes, 1000.0).is_empty());
    }
}
