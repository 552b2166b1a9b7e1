//! Geometry helpers for forms: a polygon from turning points (lat/lon, UTM, MGRS, or bearing
//! and distance from a benchmark or the previous point) or from pasted/drawn GeoJSON, with its
//! geodesic area, perimeter, closing error and geocheck findings. The UI previews with this;
//! the same rules run again when the report is submitted.

use axum::Json;
use geo_types::{MultiPolygon, Point};
use safeground_geo::{
    CheckOptions, MAX_FIELD_VERTICES, Mgrs, Severity, TurningPoint, Utm, too_many_vertices,
    vertex_count,
};
use serde::Deserialize;

use super::schemas::{GeometryIssue, GeometryPreview, PointPreview, PolygonPreview};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;

/// A position given one of the ways field teams write them.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Position {
    /// Decimal degrees.
    LatLon {
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
    },
    /// `48P 304855 1448889` or `48 north 304855 1448889`.
    Utm {
        /// UTM text.
        utm: String,
    },
    /// `48PTV0485548889`.
    Mgrs {
        /// MGRS text.
        mgrs: String,
    },
}

/// A turning point: a position, or a bearing and distance.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Corner {
    /// Bearing (degrees from true north) and distance (m).
    Leg {
        /// Bearing, degrees.
        bearing_deg: f64,
        /// Distance, m.
        distance_m: f64,
        /// From the benchmark rather than the previous point.
        #[serde(default)]
        from_benchmark: bool,
    },
    /// An absolute position.
    At(Position),
}

/// What to preview.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Preview {
    /// Benchmark of bearing/distance legs.
    benchmark: Option<Position>,
    /// Turning points in order.
    #[serde(default)]
    points: Vec<Corner>,
    /// Or a GeoJSON Polygon/MultiPolygon (pasted or drawn).
    #[schema(value_type = Object)]
    geometry: Option<geojson::Geometry>,
    /// Or one position to convert to a GeoJSON Point (EO spot, accident, session).
    point: Option<Position>,
}

fn position(p: &Position, field: &str) -> ApiResult<TurningPoint> {
    Ok(match p {
        Position::LatLon { lat, lon } => TurningPoint::LatLon {
            lat: *lat,
            lon: *lon,
        },
        Position::Utm { utm } => TurningPoint::Utm(
            utm.parse::<Utm>()
                .map_err(|e| ApiError::field(field, e.to_string()))?,
        ),
        Position::Mgrs { mgrs } => TurningPoint::Mgrs(
            mgrs.parse::<Mgrs>()
                .map_err(|e| ApiError::field(field, e.to_string()))?,
        ),
    })
}

fn point_of(tp: TurningPoint, field: &str) -> ApiResult<Point<f64>> {
    match tp {
        TurningPoint::LatLon { lat, lon } => Ok(Point::new(lon, lat)),
        TurningPoint::Utm(u) => u
            .to_wgs84()
            .map_err(|e| ApiError::field(field, e.to_string())),
        TurningPoint::Mgrs(m) => m
            .to_wgs84()
            .map_err(|e| ApiError::field(field, e.to_string())),
        TurningPoint::BearingDistance { .. } => {
            Err(ApiError::field(field, "a benchmark is a position"))
        }
    }
}

/// A position written `{lat, lon}`, `{utm}` or `{mgrs}` (as the field app keeps what was
/// typed offline) as a WGS 84 point; errors name `field`.
pub(crate) fn field_point(value: serde_json::Value, field: &str) -> ApiResult<Point<f64>> {
    let p: Position = serde_json::from_value(value).map_err(|_| {
        ApiError::field(
            field,
            "is not a position; give {\"lat\", \"lon\"}, {\"utm\"} or {\"mgrs\"}, or a GeoJSON Point",
        )
    })?;
    point_of(position(&p, field)?, field)
}

/// Builds and measures a polygon for a form.
#[utoipa::path(post, path = "/api/geometry/preview", tag = "items", request_body = Preview,
    responses((status = 200, description = "The point, or the polygon measured and checked", body = GeometryPreview),
              (status = 422, description = "A turning point or the geometry is unusable", body = crate::error::Problem)))]
pub async fn preview(
    who: Principal,
    ApiJson(req): ApiJson<Preview>,
) -> ApiResult<Json<GeometryPreview>> {
    who.require(Permission::Read)?;
    // Up to MAX_FIELD_VERTICES the checks take well under a second, but off the async
    // runtime, so that a big polygon never holds up other requests.
    tokio::task::spawn_blocking(move || measure(&req))
        .await
        .map_err(ApiError::internal)?
        .map(Json)
}

/// `field`'s vertex count against [`MAX_FIELD_VERTICES`]: a 422 naming the field when over.
fn within_vertex_limit(field: &str, count: usize) -> ApiResult<()> {
    if count > MAX_FIELD_VERTICES {
        return Err(ApiError::field(
            field,
            too_many_vertices(count, MAX_FIELD_VERTICES),
        ));
    }
    Ok(())
}

/// The preview's answer, computed on a blocking thread.
fn measure(req: &Preview) -> ApiResult<GeometryPreview> {
    if let Some(p) = &req.point {
        let point = point_of(position(p, "point")?, "point")?;
        return Ok(GeometryPreview::Point(PointPreview {
            point: geojson::Geometry::from(&point),
        }));
    }
    let (mp, closing) = match (&req.geometry, req.points.is_empty()) {
        (Some(g), true) => {
            let mp: MultiPolygon<f64> = match geo_types::Geometry::<f64>::try_from(g.clone()) {
                Ok(geo_types::Geometry::Polygon(p)) => MultiPolygon(vec![p]),
                Ok(geo_types::Geometry::MultiPolygon(m)) => m,
                Ok(_) => {
                    return Err(ApiError::field(
                        "geometry",
                        "must be a Polygon or MultiPolygon",
                    ));
                }
                Err(e) => return Err(ApiError::field("geometry", e.to_string())),
            };
            (mp, 0.0)
        }
        (None, false) => {
            within_vertex_limit("points", req.points.len())?;
            let benchmark = req
                .benchmark
                .as_ref()
                .map(|b| position(b, "benchmark").and_then(|tp| point_of(tp, "benchmark")))
                .transpose()?;
            let points = req
                .points
                .iter()
                .enumerate()
                .map(|(i, p)| match p {
                    Corner::Leg {
                        bearing_deg,
                        distance_m,
                        from_benchmark,
                    } => Ok(TurningPoint::BearingDistance {
                        bearing_deg: *bearing_deg,
                        distance_m: *distance_m,
                        from_benchmark: *from_benchmark,
                    }),
                    Corner::At(pos) => position(pos, &format!("points[{i}]")),
                })
                .collect::<ApiResult<Vec<_>>>()?;
            let t = safeground_geo::polygon_from_turning_points(benchmark, &points)
                .map_err(|e| ApiError::field("points", e.to_string()))?;
            (MultiPolygon(vec![t.polygon]), t.closing_error_m)
        }
        _ => {
            return Err(ApiError::field(
                "points",
                "give either turning points or a geometry",
            ));
        }
    };
    let raw = safeground_geo::raw_polygons(&mp);
    within_vertex_limit("geometry", vertex_count(&raw))?;
    let issues = safeground_geo::check(&raw, &CheckOptions::default())
        .iter()
        .map(|i| GeometryIssue {
            severity: if i.severity == Severity::Error {
                "error"
            } else {
                "warning"
            }
            .into(),
            message: i.to_string(),
        })
        .collect();
    Ok(GeometryPreview::Polygon(PolygonPreview {
        geometry: geojson::Geometry::from(&mp),
        area_m2: safeground_geo::geodesic_area(&mp),
        perimeter_m: safeground_geo::geodesic_perimeter(&mp),
        closing_error_m: closing,
        issues,
    }))
}

/// Checks the geometries of a report about to be submitted on a blocking thread, before the
/// store's single writer is taken: a report with a faulty geometry is refused without taking
/// it, and the writer's own validation finds the big valid ones already proved.
pub(crate) async fn check_before_writing(
    report: safeground_store::NewReport,
) -> ApiResult<safeground_store::NewReport> {
    tokio::task::spawn_blocking(move || {
        safeground_store::check_geometries(&report)
            .map_err(|e| ApiError::from(safeground_store::StoreError::Invalid(e)))?;
        Ok(report)
    })
    .await
    .map_err(ApiError::internal)?
}
