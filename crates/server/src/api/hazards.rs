//! The hazard register: every hazard with its current land-release state, searchable,
//! filterable, sortable and paged by the database (the UI's records list).

use axum::Json;
use axum::extract::{RawQuery, State};
use safeground_store::{RegisterQuery, RegisterSort};
use serde::{Deserialize, Serialize};

use super::params::{limit, query};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Query of the hazard register.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HazardQuery {
    /// Text searched in the id, local id and name (ignoring the case of ASCII letters).
    q: Option<String>,
    /// sha or cha.
    class: Option<String>,
    /// open, worked_on, closed or handed_over.
    status: Option<String>,
    /// Admin area P-code.
    admin_pcode: Option<String>,
    /// Organisation item id.
    organisation: Option<String>,
    /// id, local_id, name, class, status, admin_pcode, original_m2, remaining_m2 or
    /// date_of_information.
    sort: Option<String>,
    /// asc or desc.
    order: Option<String>,
    /// Rows to skip.
    offset: Option<usize>,
    /// Page size (default 50, at most 1000).
    limit: Option<usize>,
}

/// One hazard of the register, with its current land-release state.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = HazardRow)]
pub struct Row {
    /// Item id.
    id: String,
    /// The operator's own id.
    local_id: String,
    /// Name.
    name: String,
    /// Class code (sha, cha).
    class: &'static str,
    /// Status code (open, worked_on, closed, handed_over).
    status: &'static str,
    /// Admin area P-code.
    admin_pcode: Option<String>,
    /// Organisation item id.
    organisation: Option<String>,
    /// Geodesic area of the polygon, m².
    original_m2: f64,
    /// Cancelled by non-technical survey, m².
    cancelled_m2: f64,
    /// Reduced by technical survey, m².
    reduced_m2: f64,
    /// Cleared, m².
    cleared_m2: f64,
    /// Still suspected or confirmed, m².
    remaining_m2: f64,
    /// Date of information of the current version.
    date_of_information: chrono::NaiveDate,
}

/// One page of the register.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = HazardPage)]
pub struct Page {
    /// Hazards matching the filters, all pages together.
    total: usize,
    /// Rows skipped.
    offset: usize,
    /// This page.
    hazards: Vec<Row>,
}

/// Lists hazards with their current state.
#[utoipa::path(get, path = "/api/hazards", operation_id = "list_hazards", tag = "items", params(HazardQuery),
    responses((status = 200, description = "`total` matching and one page of `hazards`", body = Page),
              (status = 422, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Page>> {
    who.require(Permission::Read)?;
    let p: HazardQuery = query(raw.as_deref())?;
    let sort = match p.sort.as_deref() {
        None => RegisterSort::Id,
        Some(s) => s.parse().map_err(|e: String| ApiError::field("sort", e))?,
    };
    let descending = match p.order.as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(o) => {
            return Err(ApiError::field(
                "order",
                format!("`{o}` is not asc or desc"),
            ));
        }
    };
    let register = RegisterQuery {
        text: p.q.filter(|q| !q.is_empty()),
        class: p
            .class
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e| ApiError::field("class", format!("{e}")))?,
        status: p
            .status
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|e| ApiError::field("status", format!("{e}")))?,
        admin_pcode: p.admin_pcode,
        organisation: p.organisation,
        sort,
        descending,
        offset: super::params::offset(p.offset)?,
        limit: limit(p.limit, 50, 1000)?,
    };
    state
        .db
        .read(move |s| {
            let page = s.hazard_register(&register)?;
            let hazards: Vec<Row> = page
                .hazards
                .into_iter()
                .map(|h| Row {
                    local_id: h.local_id,
                    name: h.name,
                    class: h.class.code(),
                    status: h.status.code(),
                    admin_pcode: h.admin_pcode,
                    organisation: h.organisation,
                    original_m2: h.original_m2,
                    cancelled_m2: h.cancelled_m2,
                    reduced_m2: h.reduced_m2,
                    cleared_m2: h.cleared_m2,
                    remaining_m2: h.remaining_m2,
                    date_of_information: h.valid_from,
                    id: h.item,
                })
                .collect();
            Ok(Json(Page {
                total: page.total,
                offset: register.offset,
                hazards,
            }))
        })
        .await
}
