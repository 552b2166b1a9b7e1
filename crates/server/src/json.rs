//! JSON bodies whose errors name the field, and ETag helpers.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A JSON request body. Syntax errors are 400; a value of the wrong shape is 422 naming the
/// field path (`entries[0].record.released_areas[1].method`).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> ApiResult<Self> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                let mut err = ApiError::bad_request(format!(
                    "the request body is larger than the limit of {} bytes",
                    state.config.max_body_bytes
                ));
                err.set_status(axum::http::StatusCode::PAYLOAD_TOO_LARGE);
                err
            } else {
                ApiError::bad_request(e.body_text())
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

/// Parses JSON, naming the field at fault.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::bad_request(format!("the body is not valid JSON: {inner}"))
        } else if path == "." {
            ApiError::field("body", inner.to_string())
        } else {
            ApiError::field(path, inner.to_string())
        }
    })
}

/// Parses an optional JSON body: empty means the default.
pub fn parse_or_default<T: DeserializeOwned + Default>(bytes: &[u8]) -> ApiResult<T> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        Ok(T::default())
    } else {
        parse(bytes)
    }
}

/// A strong ETag from a revision or version number.
pub fn etag(prefix: &str, n: impl std::fmt::Display) -> String {
    format!("\"{prefix}{n}\"")
}

/// The If-Match header, if any.
pub fn if_match(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// Checks If-Match against the current ETag: 412 when it differs; 428 when `required` and
/// absent.
pub fn check_if_match(headers: &HeaderMap, current: &str, required: bool) -> ApiResult<()> {
    match if_match(headers) {
        None if required => Err(ApiError::precondition_required()),
        None => Ok(()),
        Some("*") => Ok(()),
        Some(sent) if sent.split(',').any(|t| t.trim() == current) => Ok(()),
        Some(_) => Err(ApiError::stale(current)),
    }
}
