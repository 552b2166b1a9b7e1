//! A point inside a polygon in O(n log n) whatever its shape (a 100,000-vertex comb included),
//! for code that needs one place of a geometry.

use geo_types::{MultiPolygon, Point};

/// A point inside `mp` (even-odd rule over all rings): the middle of the widest span inside
/// along a horizontal line halfway between two vertex latitudes near the middle of the
/// geometry's height, so that the line passes through no vertex. `None` for an empty or flat
/// geometry.
pub fn inner_point(mp: &MultiPolygon<f64>) -> Option<Point<f64>> {
    let rings: Vec<&[geo_types::Coord<f64>]> =
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|r| r.0.as_slice())
            .collect();
    let mut ys: Vec<f64> = rings
        .iter()
        .flat_map(|r| r.iter().map(|c| c.y))
        .filter(|y| y.is_finite())
        .collect();
    ys.sort_unstable_by(f64::total_cmp);
    ys.dedup();
    if ys.len() < 2 {
        return None;
    }
    let k = (ys.len() / 2).max(1);
    let y = (ys[k - 1] + ys[k]) / 2.0;
    // Where each edge crosses the line (no vertex lies on it).
    let mut xs: Vec<f64> = Vec::new();
    for r in &rings {
        for w in r.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a.y < y) != (b.y < y) {
                xs.push(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x));
            }
        }
    }
    xs.sort_unstable_by(f64::total_cmp);
    xs.chunks_exact(2)
        .max_by(|p, q| (p[1] - p[0]).total_cmp(&(q[1] - q[0])))
        .map(|span| Point::new((span[0] + span[1]) / 2.0, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Contains;
    use geo_types::{LineString, Polygon};

    fn polygon(exterior: &[(f64, f64)], holes: &[&[(f64, f64)]]) -> MultiPolygon<f64> {
        let ring = |r: &[(f64, f64)]| LineString::from(r.to_vec());
        MultiPolygon(vec![Polygon::new(
            ring(exterior),
            holes.iter().map(|h| ring(h)).collect(),
        )])
    }

    #[test]
    fn the_point_lies_inside_combs_holes_and_parts() {
        let comb = polygon(
            &[
                (0., 0.),
                (100., 0.),
                (100., 100.),
                (70., 100.),
                (70., 10.),
                (30., 10.),
                (30., 100.),
                (0., 100.),
                (0., 0.),
            ],
            &[],
        );
        let holed = polygon(
            &[(0., 0.), (10., 0.), (10., 10.), (0., 10.), (0., 0.)],
            &[&[(1., 1.), (9., 1.), (9., 9.), (1., 9.), (1., 1.)]],
        );
        for mp in [comb, holed] {
            let p = inner_point(&mp).expect("a point");
            assert!(mp.contains(&p), "{p:?}");
        }
        assert_eq!(inner_point(&MultiPolygon(vec![])), None);
    }
}
