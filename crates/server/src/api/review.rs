//! What approving a submitted report would do to land release, for its reviewer: for each
//! activity entry that releases land, each hazard it names with its remaining area now and once
//! approved. Read only; nothing is written.
//!
//! The remaining area after approval is the hazard's remaining polygon now minus the entry's
//! released polygons. That is exact for a new activity (the remaining area is the hazard minus
//! the union of all its releases, whatever their order); for an update of an activity it
//! assumes the new released polygons cover the previous ones. Planned and aborted activities
//! release nothing.

use axum::Json;
use axum::extract::{Path, State};
use geo_types::MultiPolygon;
use safeground_model::{ActivityStatus, Record};
use safeground_store::AsOf;
use serde::Serialize;
use utoipa::ToSchema;

use super::params::report_id;
use super::schemas::{GeoJsonGeometry, hazard_class, hazard_status};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What approving a report would do to land release.
#[derive(Serialize, ToSchema)]
pub struct LandReleasePreview {
    /// Report id.
    id: i64,
    /// One row per activity entry that releases land and hazard it names.
    hazards: Vec<HazardRelease>,
}

/// One hazard released by one activity entry of the report, now and once approved.
#[derive(Serialize, ToSchema)]
pub struct HazardRelease {
    /// Index of the activity entry in the report.
    entry: usize,
    /// Hazard id.
    hazard: String,
    /// The hazard's local id.
    local_id: String,
    /// The hazard's name.
    name: String,
    /// Class now.
    #[schema(schema_with = hazard_class)]
    class: String,
    /// Status now.
    #[schema(schema_with = hazard_status)]
    status: String,
    /// Geodesic area of the hazard polygon, m².
    original_m2: f64,
    /// What remains now, m².
    remaining_before_m2: f64,
    /// What would remain once the report is approved, m².
    remaining_after_m2: f64,
    /// What the entry would release of this hazard, m².
    released_m2: f64,
    /// The hazard polygon.
    #[schema(value_type = Option<GeoJsonGeometry>)]
    geometry: Option<geojson::Geometry>,
    /// What remains now.
    #[schema(value_type = Option<GeoJsonGeometry>)]
    remaining_before: Option<geojson::Geometry>,
    /// What would remain once approved.
    #[schema(value_type = Option<GeoJsonGeometry>)]
    remaining_after: Option<geojson::Geometry>,
    /// The entry's released polygons.
    #[schema(value_type = Vec<GeoJsonGeometry>)]
    released: Vec<geojson::Geometry>,
}

/// The land-release preview of a report: one row per (activity entry, hazard), with the
/// hazard, its remaining area and polygon now and after approval, and the released polygons.
#[utoipa::path(get, path = "/api/reports/{id}/land-release", tag = "reports",
    operation_id = "land_release_preview",
    params(("id" = i64, Path, description = "Report id")),
    responses(
        (status = 200, description = "The hazards the report's activities release, now and \
            once approved", body = LandReleasePreview),
        (status = 403, description = "Not a reviewer, or another organisation's report", body = crate::error::Problem),
        (status = 404, description = "No such report", body = crate::error::Problem)))]
pub async fn land_release(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<LandReleasePreview>> {
    who.require(Permission::Review)?;
    let id = report_id(&id)?;
    state
        .db
        .read(move |s| {
            let r = super::reports::visible_report(s, &who, id)?;
            let mut rows = Vec::new();
            for (entry, e) in r.content.entries.iter().enumerate() {
                let Record::Activity(a) = &e.record else {
                    continue;
                };
                if matches!(a.status, ActivityStatus::Planned | ActivityStatus::Aborted)
                    || a.released_areas.is_empty()
                {
                    continue;
                }
                let released: Vec<&MultiPolygon<f64>> =
                    a.released_areas.iter().map(|r| &r.geometry).collect();
                for hazard in a.hazard.iter().chain(&a.hazards) {
                    let Some(st) = s.hazard_state(hazard, AsOf::now())? else {
                        continue;
                    };
                    let after = match &st.remaining {
                        Some(now) => {
                            Some(safeground_geo::remaining(now, &released).map_err(|e| {
                                ApiError::internal(format!("remaining area of {hazard}: {e}"))
                            })?)
                        }
                        None => None,
                    };
                    let after_m2 = after.as_ref().map_or(st.remaining_m2, |a| a.area_m2);
                    rows.push(HazardRelease {
                        entry,
                        class: st.class.code().to_owned(),
                        status: st.status.code().to_owned(),
                        original_m2: st.original_m2,
                        remaining_before_m2: st.remaining_m2,
                        remaining_after_m2: after_m2,
                        released_m2: (st.remaining_m2 - after_m2).max(0.0),
                        geometry: st.geometry.as_ref().map(geojson::Geometry::from),
                        remaining_before: st.remaining.as_ref().map(geojson::Geometry::from),
                        remaining_after: after
                            .as_ref()
                            .map(|a| geojson::Geometry::from(&a.geometry)),
                        released: released
                            .iter()
                            .map(|g| geojson::Geometry::from(*g))
                            .collect(),
                        hazard: st.item,
                        local_id: st.local_id,
                        name: st.name,
                    });
                }
            }
            Ok(Json(LandReleasePreview {
                id: r.id,
                hazards: rows,
            }))
        })
        .await
}
