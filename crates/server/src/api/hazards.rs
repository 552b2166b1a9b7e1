//! The hazard register: every hazard with its current land-release state, searchable,
//! filterable, sortable and paged (the UI's records list).

use axum::Json;
use axum::extract::{RawQuery, State};
use safeground_store::Flow;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::params::{limit, query};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Query of the hazard register.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HazardQuery {
    /// Text searched in the id, local id and name (case-insensitive).
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

/// One row of the register.
#[derive(Debug, Clone, Serialize)]
struct Row {
    id: String,
    local_id: String,
    name: String,
    class: &'static str,
    status: &'static str,
    admin_pcode: Option<String>,
    organisation: Option<String>,
    original_m2: f64,
    cancelled_m2: f64,
    reduced_m2: f64,
    cleared_m2: f64,
    remaining_m2: f64,
    date_of_information: chrono::NaiveDate,
}

const SORTS: [&str; 9] = [
    "id",
    "local_id",
    "name",
    "class",
    "status",
    "admin_pcode",
    "original_m2",
    "remaining_m2",
    "date_of_information",
];

/// Lists hazards with their current state.
#[utoipa::path(get, path = "/api/hazards", tag = "items", params(HazardQuery),
    responses((status = 200, description = "`total` matching and one page of `hazards`", body = Value),
              (status = 422, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    let p: HazardQuery = query(raw.as_deref())?;
    let sort = p.sort.clone().unwrap_or_else(|| "id".into());
    if !SORTS.contains(&sort.as_str()) {
        return Err(ApiError::field(
            "sort",
            format!("`{sort}` is not sortable; use one of {}", SORTS.join(", ")),
        ));
    }
    let desc = match p.order.as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(o) => {
            return Err(ApiError::field(
                "order",
                format!("`{o}` is not asc or desc"),
            ));
        }
    };
    let page = limit(p.limit, 50, 1000)?;
    let offset = p.offset.unwrap_or(0);
    state
        .db
        .read(move |s| {
            let needle =
                p.q.as_deref()
                    .map(str::to_lowercase)
                    .filter(|q| !q.is_empty());
            let mut rows = Vec::new();
            s.for_each_hazard_state(None, &mut |h| {
                let row = Row {
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
                };
                let keep = needle.as_ref().is_none_or(|q| {
                    row.id.to_lowercase().contains(q)
                        || row.local_id.to_lowercase().contains(q)
                        || row.name.to_lowercase().contains(q)
                }) && p.class.as_deref().is_none_or(|c| c == row.class)
                    && p.status.as_deref().is_none_or(|c| c == row.status)
                    && p.admin_pcode
                        .as_deref()
                        .is_none_or(|c| Some(c) == row.admin_pcode.as_deref())
                    && p.organisation
                        .as_deref()
                        .is_none_or(|c| Some(c) == row.organisation.as_deref());
                if keep {
                    rows.push(row);
                }
                Ok(Flow::Continue)
            })?;
            rows.sort_by(|a, b| {
                let o = match sort.as_str() {
                    "local_id" => a.local_id.cmp(&b.local_id),
                    "name" => a.name.cmp(&b.name),
                    "class" => a.class.cmp(b.class),
                    "status" => a.status.cmp(b.status),
                    "admin_pcode" => a.admin_pcode.cmp(&b.admin_pcode),
                    "original_m2" => a.original_m2.total_cmp(&b.original_m2),
                    "remaining_m2" => a.remaining_m2.total_cmp(&b.remaining_m2),
                    "date_of_information" => a.date_of_information.cmp(&b.date_of_information),
                    _ => std::cmp::Ordering::Equal,
                }
                .then_with(|| a.id.cmp(&b.id));
                if desc { o.reverse() } else { o }
            });
            let total = rows.len();
            let hazards: Vec<Row> = rows.into_iter().skip(offset).take(page).collect();
            Ok(Json(
                json!({ "total": total, "offset": offset, "hazards": hazards }),
            ))
        })
        .await
}
