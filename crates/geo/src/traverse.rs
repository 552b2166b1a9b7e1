//! Polygons from turning points, as field teams survey them (reference §3.6): absolute
//! positions (lat/lon, UTM, MGRS) or bearing and distance from a benchmark or from the
//! previous turning point, computed on the ellipsoid.

use geo_types::{Coord, LineString, Point, Polygon};

use crate::{GeoError, Mgrs, Utm, destination, geodesic_distance};

/// One turning point of a survey.
#[derive(Debug, Clone, PartialEq)]
pub enum TurningPoint {
    /// Decimal degrees.
    LatLon {
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
    },
    /// A UTM position.
    Utm(Utm),
    /// An MGRS reference (its cell centre is used).
    Mgrs(Mgrs),
    /// Bearing (degrees from true north) and distance (m) from the benchmark or the previous
    /// turning point (the benchmark for the first point when there is no previous one).
    BearingDistance {
        /// Bearing, degrees clockwise from true north, 0 ≤ b < 360.
        bearing_deg: f64,
        /// Distance, m.
        distance_m: f64,
        /// Measured from the benchmark rather than from the previous point.
        from_benchmark: bool,
    },
}

/// A surveyed polygon.
#[derive(Debug, Clone, PartialEq)]
pub struct Traverse {
    /// The closed polygon.
    pub polygon: Polygon<f64>,
    /// When the survey came back to its start, how far its last point missed the first, m;
    /// 0 when the ring was closed by joining the last point to the first.
    pub closing_error_m: f64,
}

/// A last point closer to the first than this share of the perimeter is taken as the survey's
/// return to its start (and measures the closing error).
const RETURN_SHARE: f64 = 0.02;

/// Builds a polygon from turning points (numbered from 1 in errors, as on field forms).
///
/// Bearing/distance legs are solved on the ellipsoid (Karney's direct problem). When the last
/// point lands within 2 % of the traverse's length of the first, the survey is taken to have
/// returned to its start: the last point is dropped and its distance to the first is the
/// `closing_error_m`; otherwise the ring is closed by joining the last point to the first and
/// the closing error is 0.
///
/// ```
/// use geo_types::Point;
/// use safeground_geo::{TurningPoint, polygon_area, polygon_from_turning_points};
/// let leg = |bearing_deg, distance_m| TurningPoint::BearingDistance { bearing_deg, distance_m, from_benchmark: false };
/// // A 100 m square walked from a benchmark near Battambang, missing the start by 0.3 m.
/// let t = polygon_from_turning_points(
///     Some(Point::new(103.2, 13.1)),
///     &[leg(0.0, 100.0), leg(90.0, 100.0), leg(180.0, 100.0), leg(270.0, 100.0), leg(0.0, 100.3)],
/// ).unwrap();
/// assert!((polygon_area(&t.polygon) - 10_000.0).abs() < 0.5);
/// assert!((t.closing_error_m - 0.3).abs() < 0.01);
/// ```
pub fn polygon_from_turning_points(
    benchmark: Option<Point<f64>>,
    points: &[TurningPoint],
) -> Result<Traverse, GeoError> {
    let mut out: Vec<Point<f64>> = Vec::with_capacity(points.len());
    for (i, tp) in points.iter().enumerate() {
        let n = i + 1;
        let p = match tp {
            TurningPoint::LatLon { lat, lon } => {
                if !(lat.is_finite() && lon.is_finite()) || lat.abs() > 90.0 || lon.abs() > 180.0 {
                    return Err(GeoError::Input(format!(
                        "turning point {n}: ({lat}, {lon}) is not a latitude/longitude"
                    )));
                }
                Point::new(*lon, *lat)
            }
            TurningPoint::Utm(u) => u
                .to_wgs84()
                .map_err(|e| GeoError::Input(format!("turning point {n}: {e}")))?,
            TurningPoint::Mgrs(m) => m
                .to_wgs84()
                .map_err(|e| GeoError::Input(format!("turning point {n}: {e}")))?,
            TurningPoint::BearingDistance {
                bearing_deg,
                distance_m,
                from_benchmark,
            } => {
                if !bearing_deg.is_finite() || !(0.0..360.0).contains(bearing_deg) {
                    return Err(GeoError::Input(format!(
                        "turning point {n}: bearing {bearing_deg} must be in [0, 360) degrees"
                    )));
                }
                if !distance_m.is_finite() || *distance_m < 0.0 {
                    return Err(GeoError::Input(format!(
                        "turning point {n}: distance {distance_m} must be a length in metres ≥ 0"
                    )));
                }
                let origin = if *from_benchmark {
                    benchmark
                } else {
                    out.last().copied().or(benchmark)
                };
                let origin = origin.ok_or_else(|| {
                    GeoError::Input(format!(
                        "turning point {n}: measured from {} but there is none; give the benchmark position",
                        if *from_benchmark { "the benchmark" } else { "the previous point" }
                    ))
                })?;
                destination(origin, *bearing_deg, *distance_m)
            }
        };
        out.push(p);
    }
    let mut distinct: Vec<(u64, u64)> = out
        .iter()
        .map(|p| (p.x().to_bits(), p.y().to_bits()))
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 3 {
        return Err(GeoError::Input(format!(
            "a polygon needs at least 3 distinct turning points, got {}",
            distinct.len()
        )));
    }
    let perimeter: f64 = out.windows(2).map(|w| geodesic_distance(w[0], w[1])).sum();
    let mut closing_error_m = 0.0;
    if out.len() >= 4
        && let (Some(first), Some(last)) = (out.first().copied(), out.last().copied())
    {
        let gap = geodesic_distance(first, last);
        if gap <= RETURN_SHARE * perimeter {
            closing_error_m = gap;
            out.pop();
        }
    }
    let mut ring: Vec<Coord<f64>> = out.iter().map(|p| p.0).collect();
    ring.push(ring[0]);
    Ok(Traverse {
        polygon: Polygon::new(LineString(ring), vec![]),
        closing_error_m,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::polygon_area;

    fn bd(bearing_deg: f64, distance_m: f64) -> TurningPoint {
        TurningPoint::BearingDistance {
            bearing_deg,
            distance_m,
            from_benchmark: false,
        }
    }

    #[test]
    fn hundred_metre_square_from_a_benchmark() {
        let bm = Point::new(103.2, 13.1);
        let t = polygon_from_turning_points(
            Some(bm),
            &[
                TurningPoint::BearingDistance {
                    bearing_deg: 45.0,
                    distance_m: 20.0,
                    from_benchmark: true,
                },
                bd(0.0, 100.0),
                bd(90.0, 100.0),
                bd(180.0, 100.0),
            ],
        )
        .expect("traverse");
        let area = polygon_area(&t.polygon);
        assert!((area - 10_000.0).abs() < 0.5, "{area}");
        assert_eq!(t.closing_error_m, 0.0);
    }

    #[test]
    fn survey_back_to_start_reports_closing_error() {
        let t = polygon_from_turning_points(
            None,
            &[
                TurningPoint::LatLon {
                    lat: 13.1,
                    lon: 103.2,
                },
                bd(0.0, 100.0),
                bd(90.0, 100.0),
                bd(180.0, 100.0),
                bd(270.0, 100.3),
            ],
        )
        .expect("traverse");
        assert!(
            (t.closing_error_m - 0.3).abs() < 0.01,
            "{}",
            t.closing_error_m
        );
        assert_eq!(t.polygon.exterior().0.len(), 5); // 4 corners + closing point
    }

    #[test]
    fn utm_and_mgrs_points_mix_with_lat_lon() {
        let a = Point::new(103.2, 13.1);
        let u = Utm::from_wgs84(Point::new(103.201, 13.1)).expect("utm");
        let m = Mgrs::from_wgs84(Point::new(103.201, 13.101), 5).expect("mgrs");
        let t = polygon_from_turning_points(
            None,
            &[
                TurningPoint::LatLon {
                    lat: a.y(),
                    lon: a.x(),
                },
                TurningPoint::Utm(u),
                TurningPoint::Mgrs(m),
            ],
        )
        .expect("traverse");
        assert!(polygon_area(&t.polygon) > 5_000.0);
    }

    #[test]
    fn errors_name_the_turning_point() {
        let err = polygon_from_turning_points(None, &[bd(0.0, 10.0)]).expect_err("no origin");
        assert!(err.to_string().contains("turning point 1"), "{err}");
        let err = polygon_from_turning_points(
            Some(Point::new(103.2, 13.1)),
            &[bd(0.0, 10.0), bd(400.0, 10.0)],
        )
        .expect_err("bearing");
        assert!(err.to_string().contains("turning point 2"), "{err}");
        let err = polygon_from_turning_points(
            Some(Point::new(103.2, 13.1)),
            &[bd(0.0, 10.0), bd(0.0, 0.0)],
        )
        .expect_err("too few");
        assert!(err.to_string().contains("3 distinct"), "{err}");
    }
}
