//! The query of an OGC API - Features items request: `limit`, paging, the output format and
//! the filters of [`safeground_io::Filter`] (`bbox`, `datetime`, properties), each rejected with
//! a message naming the parameter.

use crate::error::{ApiError, ApiResult};
use safeground_io::{Collection, Feature, Filter};

/// Default page size.
pub const DEFAULT_LIMIT: usize = 100;
/// Largest page size.
pub const MAX_LIMIT: usize = 10_000;

/// A parsed items query.
#[derive(Debug, Default)]
pub struct ItemsQuery {
    /// Which features are kept.
    pub filter: Filter,
    /// Page size.
    pub limit: usize,
    /// Resume after this feature id.
    pub after: Option<String>,
    /// Output format asked with `f`.
    pub format: Option<String>,
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
                other => {
                    let known = q
                        .filter
                        .set(collection, other, &v)
                        .map_err(|e| ApiError::bad_request(e.to_string()))?;
                    if !known {
                        return Err(ApiError::bad_request(format!(
                            "unknown parameter `{other}`; {} accepts f, limit, after, {}",
                            collection.id,
                            Filter::parameters(collection)
                        )));
                    }
                }
            }
        }
        Ok(q)
    }

    /// The same query asking for HTML (the `alternate` link of a page).
    pub fn html(&self) -> Self {
        ItemsQuery {
            filter: self.filter.clone(),
            limit: self.limit,
            after: self.after.clone(),
            format: Some("html".into()),
        }
    }

    /// Whether a feature passes the filters.
    pub fn matches(&self, f: &Feature) -> bool {
        self.filter.matches(f)
    }

    /// The query string of this request, or of the next page when `after` is given.
    pub fn query_string(&self, after: Option<&str>) -> String {
        let mut pairs: Vec<(String, String)> = Vec::new();
        if let Some(f) = &self.format {
            pairs.push(("f".into(), f.clone()));
        }
        pairs.extend(self.filter.query_pairs());
        pairs.push(("limit".into(), self.limit.to_string()));
        if let Some(after) = after.or(self.after.as_deref()) {
            pairs.push(("after".into(), after.to_owned()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}
