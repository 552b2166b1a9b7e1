//! The query of an OGC API - Features items request: `bbox`, `datetime`, `limit`, paging and
//! property filters, each rejected with a message naming the parameter.

use chrono::NaiveDate;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use safeground_io::{Collection, Feature};

/// Default page size.
pub const DEFAULT_LIMIT: usize = 100;
/// Largest page size.
pub const MAX_LIMIT: usize = 10_000;

/// A parsed items query.
#[derive(Debug, Default)]
pub struct ItemsQuery {
    /// West, south, east, north (CRS84).
    pub bbox: Option<[f64; 4]>,
    /// Inclusive interval; open ends are None.
    pub datetime: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    /// Page size.
    pub limit: usize,
    /// Resume after this feature id.
    pub after: Option<String>,
    /// `name=value` equality filters on properties.
    pub properties: Vec<(String, String)>,
    /// Output format asked with `f`.
    pub format: Option<String>,
}

fn date(raw: &str, whole: &str) -> ApiResult<Option<NaiveDate>> {
    if raw.is_empty() || raw == ".." {
        return Ok(None);
    }
    let day = raw.get(..10).unwrap_or(raw);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            ApiError::bad_request(format!(
                "datetime `{whole}` is not an RFC 3339 date or interval (2024-01-31, \
             2024-01-01/2024-12-31, ../2024-12-31)"
            ))
        })
}

impl ItemsQuery {
    /// Parses the query string of an items request for `collection`.
    pub fn parse(raw: Option<&str>, collection: &Collection) -> ApiResult<Self> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| ApiError::bad_request(format!("bad query string: {e}")))?;
        let mut q = ItemsQuery {
            limit: DEFAULT_LIMIT,
            ..Default::default()
        };
        for (k, v) in pairs {
            match k.as_str() {
                "f" => q.format = Some(v),
                "limit" => {
                    let n: usize = v.parse().map_err(|_| {
                        ApiError::bad_request(format!("limit `{v}` is not a positive integer"))
                    })?;
                    if n == 0 {
                        return Err(ApiError::bad_request("limit must be at least 1"));
                    }
                    q.limit = n.min(MAX_LIMIT);
                }
                "after" => q.after = Some(v),
                "bbox" => {
                    let n: Vec<f64> = v
                        .split(',')
                        .map(|x| x.trim().parse::<f64>())
                        .collect::<Result<_, _>>()
                        .map_err(|_| {
                            ApiError::bad_request(format!(
                                "bbox `{v}` must be four numbers: west,south,east,north"
                            ))
                        })?;
                    let b: [f64; 4] = match n.as_slice() {
                        [w, s, e, n] => [*w, *s, *e, *n],
                        [w, s, _, e, n, _] => [*w, *s, *e, *n],
                        _ => {
                            return Err(ApiError::bad_request(format!(
                                "bbox `{v}` must be four numbers: west,south,east,north"
                            )));
                        }
                    };
                    if b.iter().any(|x| !x.is_finite())
                        || b[1] > b[3]
                        || b[1] < -90.0
                        || b[3] > 90.0
                    {
                        return Err(ApiError::bad_request(format!(
                            "bbox `{v}`: latitudes must be within -90..90 with south ≤ north"
                        )));
                    }
                    q.bbox = Some(b);
                }
                "datetime" => {
                    q.datetime = Some(match v.split_once('/') {
                        Some((a, b)) => (date(a, &v)?, date(b, &v)?),
                        None => {
                            let d = date(&v, &v)?;
                            (d, d)
                        }
                    });
                }
                other if collection.queryables.contains(&other) => q.properties.push((k, v)),
                other => {
                    return Err(ApiError::bad_request(format!(
                        "unknown parameter `{other}`; {} accepts f, bbox, datetime, limit, \
                         after and the properties {}",
                        collection.id,
                        collection.queryables.join(", ")
                    )));
                }
            }
        }
        Ok(q)
    }

    /// Whether a feature passes the filters.
    pub fn matches(&self, f: &Feature) -> bool {
        if let Some([w, s, e, n]) = self.bbox {
            let Some([fw, fs, fe, fn_]) = f.bbox() else {
                return false;
            };
            let lon_ok = if w <= e {
                fw <= e && fe >= w
            } else {
                // Crosses the antimeridian.
                fe >= w || fw <= e
            };
            if !(lon_ok && fs <= n && fn_ >= s) {
                return false;
            }
        }
        if let Some((from, to)) = self.datetime {
            let Some(d) = f.date else {
                return false;
            };
            if from.is_some_and(|x| d < x) || to.is_some_and(|x| d > x) {
                return false;
            }
        }
        self.properties
            .iter()
            .all(|(k, want)| match f.properties.get(k) {
                Some(Value::String(s)) => s.eq_ignore_ascii_case(want),
                Some(Value::Null) | None => false,
                Some(other) => serde_json::from_str::<Value>(want).is_ok_and(|w| &w == other),
            })
    }

    /// The query string of this request, or of the next page when `after` is given.
    pub fn query_string(&self, after: Option<&str>) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        if let Some(f) = &self.format {
            pairs.push(("f".into(), f.clone()));
        }
        if let Some(b) = self.bbox {
            pairs.push((
                "bbox".into(),
                b.iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            ));
        }
        if let Some((a, b)) = self.datetime {
            let s = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "..".into());
            pairs.push(("datetime".into(), format!("{}/{}", s(a), s(b))));
        }
        pairs.extend(self.properties.iter().cloned());
        pairs.push(("limit".into(), self.limit.to_string()));
        if let Some(after) = after.or(self.after.as_deref()) {
            pairs.push(("after".into(), after.to_owned()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}
