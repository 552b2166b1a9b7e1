//! Records of any kind as flat rows for lists: searchable, filterable on any top-level field,
//! sortable and paged. Records never carry victims' personal data (those live apart).

use axum::Json;
use axum::extract::{RawQuery, State};
use safeground_model::ItemKind;
use safeground_store::Flow;
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

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Whether a field's text matches a filter value: equal (ignoring case), or with `*` at the
/// start and/or end, containing / starting with / ending with it (`end_date=2019*`).
fn matches(value: &str, want: &str) -> bool {
    let value = value.to_lowercase();
    let want = want.to_lowercase();
    match (want.strip_prefix('*'), want.strip_suffix('*')) {
        (Some(rest), _) if rest.ends_with('*') => value.contains(rest.trim_end_matches('*')),
        (Some(rest), _) => value.ends_with(rest),
        (None, Some(rest)) => value.starts_with(rest),
        (None, None) => value == want,
    }
}

/// Lists records of a kind: `kind` (required), `q` (text in any field), `sort`, `order`,
/// `offset`, `limit` (≤ 1000), and `field=value` filters on top-level fields (`*` at either end
/// is a wildcard).
#[utoipa::path(get, path = "/api/records", tag = "items",
    params(("kind" = String, Query, description = "activity, eo_find, accident, victim, risk_education, qa_visit, ..."),
           ("q" = Option<String>, Query), ("sort" = Option<String>, Query), ("order" = Option<String>, Query),
           ("offset" = Option<usize>, Query), ("limit" = Option<usize>, Query)),
    responses((status = 200, description = "`total` and one page of flat `rows`", body = Value),
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
            "q" => q = Some(v.to_lowercase()).filter(|s| !s.is_empty()),
            "sort" => sort = v,
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
            "offset" => {
                offset = v
                    .parse()
                    .map_err(|_| ApiError::field("offset", "not a number"))?
            }
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
    state
        .db
        .read(move |s| {
            let mut rows: Vec<Map<String, Value>> = Vec::new();
            s.for_each_current(kind, None, &mut |v| {
                let mut row = Map::new();
                row.insert("id".into(), json!(v.item));
                row.insert("date_of_information".into(), json!(v.valid_from));
                if let Ok(Value::Object(rec)) = serde_json::to_value(&v.record) {
                    for (k, val) in rec.iter().filter(|(k, _)| {
                        !matches!(k.as_str(), "kind" | "geometry" | "released_areas")
                    }) {
                        row.insert(k.clone(), flat(val));
                    }
                }
                let keep = q.as_ref().is_none_or(|q| {
                    row.values()
                        .any(|v| text(Some(v)).to_lowercase().contains(q))
                }) && filters
                    .iter()
                    .all(|(k, want)| matches(&text(row.get(k)), want));
                if keep {
                    rows.push(row);
                }
                Ok(Flow::Continue)
            })?;
            // The id first, then the date, then the record's fields in name order.
            let mut columns: Vec<String> = rows
                .first()
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default();
            columns.sort_by_key(|c| (c != "id", c != "date_of_information", c.clone()));
            if !columns.is_empty() && !columns.contains(&sort) {
                return Err(ApiError::field(
                    "sort",
                    format!("`{sort}` is not a field; use one of {}", columns.join(", ")),
                ));
            }
            rows.sort_by(|a, b| {
                let (x, y) = (a.get(&sort), b.get(&sort));
                let o = match (x.and_then(Value::as_f64), y.and_then(Value::as_f64)) {
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    _ => text(x).cmp(&text(y)),
                }
                .then_with(|| text(a.get("id")).cmp(&text(b.get("id"))));
                if desc { o.reverse() } else { o }
            });
            let total = rows.len();
            let page: Vec<_> = rows.into_iter().skip(offset).take(limit).collect();
            Ok(Json(
                json!({ "kind": kind.code(), "total": total, "columns": columns, "rows": page }),
            ))
        })
        .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn filter_values_match_exactly_or_with_wildcards() {
        assert!(super::matches("AP_MINE", "ap_mine"));
        assert!(!super::matches("ap_mine_x", "ap_mine"));
        assert!(super::matches("2019-04-02", "2019*"));
        assert!(!super::matches("2018-04-02", "2019*"));
        assert!(super::matches("[\"manual\",\"machine\"]", "*manual*"));
        assert!(super::matches("ACT-000012", "*0012"));
    }
}
