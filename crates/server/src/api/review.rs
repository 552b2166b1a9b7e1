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
use serde_json::{Value, json};

use super::params::report_id;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The land-release preview of a report: one row per (activity entry, hazard), with the
/// hazard, its remaining area and polygon now and after approval, and the released polygons.
#[utoipa::path(get, path = "/api/reports/{id}/land-release", tag = "reports",
    params(("id" = i64, Path, description = "Report id")),
    responses(
        (status = 200, description = "Per activity entry and hazard: `hazard`, `local_id`, `name`, \
            `class`, `status`, `original_m2`, `remaining_before_m2`, `remaining_after_m2`, \
            `released_m2` and GeoJSON `geometry`, `remaining_before`, `remaining_after`, \
            `released`", body = Value),
        (status = 403, description = "Not a reviewer, or another organisation's report", body = crate::error::Problem),
        (status = 404, description = "No such report", body = crate::error::Problem)))]
pub async fn land_release(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
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
                        Some(now) => Some(safeground_geo::remaining(now, &released).map_err(
                            |e| ApiError::internal(format!("remaining area of {hazard}: {e}")),
                        )?),
                        None => None,
                    };
                    let after_m2 = after.as_ref().map_or(st.remaining_m2, |a| a.area_m2);
                    rows.push(json!({
                        "entry": entry,
                        "hazard": st.item,
                        "local_id": st.local_id,
                        "name": st.name,
                        "class": st.class.code(),
                        "status": st.status.code(),
                        "original_m2": st.original_m2,
                        "remaining_before_m2": st.remaining_m2,
                        "remaining_after_m2": after_m2,
                        "released_m2": (st.remaining_m2 - after_m2).max(0.0),
                        "geometry": st.geometry.as_ref().map(geojson::Geometry::from),
                        "remaining_before": st.remaining.as_ref().map(geojson::Geometry::from),
                        "remaining_after": after.as_ref().map(|a| geojson::Geometry::from(&a.geometry)),
                        "released": released.iter().map(|g| geojson::Geometry::from(*g)).collect::<Vec<_>>(),
                    }));
                }
            }
            Ok(Json(json!({ "id": r.id, "hazards": rows })))
        })
        .await
}
