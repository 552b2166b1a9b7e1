//! Records of any kind as flat rows for lists: searchable, filterable on any top-level field,
//! sortable and paged by the database. Records never carry victims' personal data (those live
//! apart); victims' and accidents' quasi-identifiers are generalised for roles without victim
//! access ([`super::quasi`]).

use axum::Json;
use axum::extract::{RawQuery, State};
use safeground_model::ItemKind;
use safeground_store::{ItemVersion, RecordListQuery, is_field_name};
use serde_json::{Map, Value, json};

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

fn flat(v: &Value) -> Value {
    match v {
        Value::Object(_) | Value::Array(_) => Value::String(v.to_string()),
        other => other.clone(),
    }
}

/// Lists records of a kind: `kind` (required), `q` (text in any field), `sort`, `order`,
/// `offset`, `limit` (≤ 1000), and `field=value` filters on top-level fields (`*` at either end
/// is a wildcard); text compares ignoring the case of ASCII letters.
#[utoipa::path(get, path = "/api/records", operation_id = "list_records", tag = "items",
    params(("kind" = String, Query, description = "activity, eo_find, accident, victim, risk_education, qa_visit, ..."),
           ("q" = Option<String>, Query, description = "Text found in any field (ignoring the case of ASCII letters)"),
           ("sort" = Option<String>, Query, description = "Top-level field to sort by (default `id`)", example = "id"),
           ("order" = Option<String>, Query, description = "`asc` (default) or `desc`", example = "asc"),
           ("offset" = Option<u64>, Query, description = "Rows to skip (default 0)"),
           ("limit" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "Page size (default 50; served between 1 and 1000)")),
    responses((status = 200, description = "`total` and one page of flat `rows`",
               body = super::schemas::RecordPage),
              (status = 422, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::field("query", e.to_string()))?;
    let mut kind = None;
    let (mut q, mut sort, mut desc, mut offset, mut limit) =
        (None, "id".to_owned(), false, 0usize, 50usize);
    let mut filters = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "kind" => {
                kind = Some(
                    v.parse::<ItemKind>()
                        .map_err(|e| ApiError::field("kind", e.to_string()))?,
                );
            }
            "q" => q = Some(v).filter(|s| !s.is_empty()),
            "sort" => sort = super::params::sort_field(&v)?,
            "order" => {
                desc = match v.as_str() {
                    "asc" => false,
                    "desc" => true,
                    o => {
                        return Err(ApiError::field(
                            "order",
                            format!("`{o}` is not asc or desc"),
                        ));
                    }
                }
            }
            "offset" => offset = super::params::offset_text(&v)?,
            "limit" => {
                limit = v
                    .parse::<usize>()
                    .map_err(|_| ApiError::field("limit", "not a number"))?
                    .clamp(1, 1000)
            }
            _ => filters.push((k, v)),
        }
    }
    let kind = kind.ok_or_else(|| ApiError::field("kind", "say which kind of record to list"))?;
    if let Some((field, _)) = filters.iter().find(|(k, _)| !is_field_name(k)) {
        return Err(ApiError::field(
            field,
            format!("`{field}` is not a field: fields are letters, digits and _"),
        ));
    }
    super::quasi::check_list_query(&who, kind, q.as_deref(), &sort, &filters)?;
    let list = RecordListQuery {
        kind,
        text: q,
        filters,
        sort,
        descending: desc,
        offset,
        limit,
    };
    state
        .db
        .read(move |s| {
            let page = s.record_list(&list)?;
            let generalise = super::quasi::has_quasi(kind) && !super::quasi::exact(&who);
            let row = |v: &ItemVersion| {
                let mut r = row(v);
                if generalise {
                    super::quasi::generalise_row(kind, &mut r);
                }
                r
            };
            // The id first, then the date, then the record's fields in name order.
            let mut columns: Vec<String> = page
                .first
                .as_ref()
                .map(|v| row(v).keys().cloned().collect())
                .unwrap_or_default();
            columns.sort_by_key(|c| (c != "id", c != "date_of_information", c.clone()));
            if !columns.is_empty() && !columns.contains(&list.sort) {
                return Err(ApiError::field(
                    "sort",
                    format!(
                        "`{}` is not a field; use one of {}",
                        list.sort,
                        columns.join(", ")
                    ),
                ));
            }
            let mut rows: Vec<Map<String, Value>> = page.versions.iter().map(row).collect();
            if generalise && kind == ItemKind::Victim {
                let groups = super::quasi::victim_groups(s)?;
                for r in &mut rows {
                    super::quasi::suppress_victim(&groups, r);
                }
            }
            Ok(Json(
                json!({ "kind": kind.code(), "total": page.total, "columns": columns, "rows": rows }),
            ))
        })
        .await
}

/// A record's flat row: its id, its date of information and its top-level fields (objects and
/// arrays as JSON text), without geometry.
fn row(v: &ItemVersion) -> Map<String, Value> {
    let mut row = Map::new();
    row.insert("id".into(), json!(v.item));
    row.insert("date_of_information".into(), json!(v.valid_from));
    if let Ok(Value::Object(rec)) = serde_json::to_value(&v.record) {
        for (k, val) in rec
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "kind" | "geometry" | "released_areas"))
        {
            row.insert(k.clone(), flat(val));
        }
    }
    row
}
