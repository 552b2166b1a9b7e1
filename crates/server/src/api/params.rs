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

/// The largest accepted `offset`: a row count the databases can hold (SQL takes 64-bit signed
/// offsets).
pub const MAX_OFFSET: usize = i64::MAX as usize;

/// Checks a requested offset (rows to skip).
pub fn offset(requested: Option<usize>) -> ApiResult<usize> {
    match requested {
        Some(n) if n > MAX_OFFSET => Err(ApiError::field(
            "offset",
            format!("must be at most {MAX_OFFSET} (rows to skip)"),
        )),
        n => Ok(n.unwrap_or(0)),
    }
}

/// Parses an `offset` given as text.
pub fn offset_text(raw: &str) -> ApiResult<usize> {
    let n = raw.parse().map_err(|_| {
        ApiError::field(
            "offset",
            format!("`{raw}` is not a number of rows (0 to {MAX_OFFSET})"),
        )
    })?;
    offset(Some(n))
}

/// Checks a `sort` that names a record field: letters, digits and `_`.
pub fn sort_field(raw: &str) -> ApiResult<String> {
    let ok = !raw.is_empty()
        && raw.len() <= 64
        && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(ApiError::field(
            "sort",
            format!("`{raw}` is not a field name: use letters, digits and _ (e.g. id)"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_sort_fields_are_bounded() {
        assert_eq!(offset(None).ok(), Some(0));
        assert_eq!(offset_text("12").ok(), Some(12));
        assert!(offset_text("9223372036854775808").is_err());
        assert!(offset_text("-1").is_err());
        assert!(sort_field("\\").is_err());
        assert!(sort_field("").is_err());
        assert_eq!(
            sort_field("date_of_information").ok().as_deref(),
            Some("date_of_information")
        );
    }
}
