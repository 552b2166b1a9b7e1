//! Query-string parameters shared by several endpoints, parsed with errors naming the
//! parameter.

use chrono::{DateTime, NaiveDate, Utc};
use safeground_store::AsOf;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiResult};

/// Parses a query string into `T`, naming the parameter at fault.
pub fn query<T: DeserializeOwned>(raw: Option<&str>) -> ApiResult<T> {
    let raw = raw.unwrap_or("");
    serde_urlencoded::from_str(raw)
        .map_err(|e| ApiError::field("query", format!("bad query parameters: {e}")))
}

/// `as_of` (valid date) and `known_at` (transaction time) of bitemporal reads.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfParams {
    /// Valid time: the world as it was on this day (YYYY-MM-DD); default: now.
    pub as_of: Option<String>,
    /// Transaction time: as the database knew it at this instant (RFC 3339); default: now.
    pub known_at: Option<String>,
}

impl AsOfParams {
    /// The point in both times.
    pub fn as_of(&self) -> ApiResult<AsOf> {
        let date = match &self.as_of {
            None => NaiveDate::MAX,
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
                ApiError::field("as_of", format!("`{s}` is not a date (YYYY-MM-DD): {e}"))
            })?,
        };
        let known_at = self
            .known_at
            .as_deref()
            .map(|s| {
                DateTime::parse_from_rfc3339(s)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|e| {
                        ApiError::field(
                            "known_at",
                            format!("`{s}` is not an RFC 3339 time (2025-01-31T12:00:00Z): {e}"),
                        )
                    })
            })
            .transpose()?;
        Ok(AsOf { date, known_at })
    }
}

/// Parses a report id from the path.
pub fn report_id(raw: &str) -> ApiResult<i64> {
    raw.parse()
        .map_err(|_| ApiError::not_found(format!("`{raw}` is not a report id (a number)")))
}

/// Clamps a requested page size.
pub fn limit(requested: Option<usize>, default: usize, max: usize) -> ApiResult<usize> {
    match requested {
        None => Ok(default),
        Some(0) => Err(ApiError::field("limit", "must be at least 1")),
        Some(n) => Ok(n.min(max)),
    }
}
