//! Errors as RFC 9457 problem details (`application/problem+json`), naming the field when a
//! field is at fault. Internal failures are logged and answered without their details.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use safeground_store::StoreError;
use serde::Serialize;

/// One field at fault.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// Path of the field, e.g. `entries[0].record.geometry`.
    pub field: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// A problem details document (RFC 9457).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem (`/problems/validation`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// What happened in this case.
    pub detail: String,
    /// The fields at fault, when known.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// An error answered to a client.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    slug: &'static str,
    title: &'static str,
    detail: String,
    errors: Vec<FieldProblem>,
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, slug: &'static str, title: &'static str, detail: String) -> Self {
        ApiError {
            status,
            slug,
            title,
            detail,
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// 400: the request cannot be read.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Bad request",
            detail.into(),
        )
    }

    /// 422 on one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let field = field.into();
        let message = message.into();
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Invalid data",
            format!("{field}: {message}"),
        );
        e.errors.push(FieldProblem { field, message });
        e
    }

    /// 401: no valid session or token.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Authentication required",
            "log in (POST /api/login) or send an API token as `Authorization: Bearer <token>`"
                .into(),
        )
    }

    /// 401: wrong user name or password (the same answer for both).
    pub fn login_refused() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "login-refused",
            "Login refused",
            "wrong user name or password".into(),
        )
    }

    /// 422 about the data as a whole (not enough approved data for a figure): what is
    /// missing and what to do.
    pub fn not_enough_data(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not-enough-data",
            "Not enough data",
            detail.into(),
        )
    }

    /// 403: the role or organisation does not allow this.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Not allowed",
            detail.into(),
        )
    }

    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            detail.into(),
        )
    }

    /// 409: the state of the resource does not allow this.
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Conflict", detail.into())
    }

    /// 412: the ETag sent in If-Match is not the current one.
    pub fn stale(current: &str) -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "stale-etag",
            "Changed by someone else",
            format!(
                "the resource has changed since you read it (current ETag {current}); read it \
                 again, re-apply your change and send the new ETag in If-Match"
            ),
        )
    }

    /// 428: an edit without If-Match.
    pub fn precondition_required() -> Self {
        Self::new(
            StatusCode::PRECONDITION_REQUIRED,
            "if-match-required",
            "If-Match required",
            "send the ETag you read in an If-Match header, so that concurrent edits are detected"
                .into(),
        )
    }

    /// 429: too many failed logins; `whom` says for what (this user from this address, or
    /// this address).
    pub fn too_many_attempts(retry_after_s: u64, whom: &str) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-attempts",
            "Too many failed logins",
            format!(
                "too many failed logins for {whom}; wait {retry_after_s} s, or ask an \
                 administrator to reset the password"
            ),
        );
        e.retry_after = Some(retry_after_s);
        e
    }

    /// 503: the database connection was lost during the request (it has been replaced; the
    /// request can be retried). Logged with its cause.
    pub fn database_unavailable(cause: impl std::fmt::Display) -> Self {
        tracing::warn!(error = %cause, "database connection lost");
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "database-unavailable",
            "Database unavailable",
            "the connection to the database was lost during this request; retry it".into(),
        );
        e.retry_after = Some(1);
        e
    }

    /// 503: a part of the service cannot work now (`detail` says why and what to do).
    pub fn unavailable(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service unavailable",
            detail.into(),
        )
    }

    /// 413: the upload is larger than the server takes.
    pub fn too_large(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "Too large",
            detail.into(),
        )
    }

    /// 500: logged with its cause, answered without it.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "the server could not complete the request; it has been logged".into(),
        )
    }

    /// An error answered with `status` (413, 405, ...), for responses that carry only a status
    /// or a plain-text rejection: the title is the status's reason phrase.
    pub fn status_only(status: StatusCode, detail: impl Into<String>) -> Self {
        let slug = match status {
            StatusCode::BAD_REQUEST => "bad-request",
            StatusCode::NOT_FOUND => "not-found",
            StatusCode::METHOD_NOT_ALLOWED => "method-not-allowed",
            StatusCode::REQUEST_TIMEOUT => "timeout",
            StatusCode::PAYLOAD_TOO_LARGE => "payload-too-large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
            StatusCode::UNPROCESSABLE_ENTITY => "validation",
            _ => "http",
        };
        Self::new(
            status,
            slug,
            status.canonical_reason().unwrap_or("Error"),
            detail.into(),
        )
    }

    /// Rewrites the field paths (e.g. from a store's report paths to the request body's).
    pub fn map_fields(mut self, f: impl Fn(&str) -> String) -> Self {
        for e in &mut self.errors {
            e.field = f(&e.field);
        }
        self
    }

    /// Replaces the detail (keeping the fields at fault).
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    /// Changes the HTTP status (keeping the message).
    pub fn set_status(&mut self, status: StatusCode) {
        self.status = status;
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl std::fmt::Display for ApiError {
    /// The detail and each field's problem, for command-line tools that share the handlers'
    /// code.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)?;
        for e in &self.errors {
            if !self.detail.contains(&e.message) {
                write!(f, "\n  {}: {}", e.field, e.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let detail = e.to_string();
        match e {
            StoreError::Invalid(errors) => {
                let mut a = Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation",
                    "Invalid data",
                    format!("{} field(s) are invalid", errors.0.len()),
                );
                a.errors = errors
                    .0
                    .into_iter()
                    .map(|f| FieldProblem {
                        field: f.field,
                        message: f.message,
                    })
                    .collect();
                a
            }
            StoreError::ReportNotFound(_)
            | StoreError::ItemNotFound(_)
            | StoreError::NotFound(_) => Self::not_found(detail),
            StoreError::WrongStatus { .. } => Self::conflict(detail),
            StoreError::SecondApproverNeeded { .. } => Self::forbidden(detail),
            StoreError::Conflict { entry, .. } | StoreError::StaleUpdate { entry, .. } => {
                let mut a = Self::conflict(detail.clone());
                a.errors.push(FieldProblem {
                    field: format!("entries[{entry}].reconcile"),
                    message: detail,
                });
                a
            }
            StoreError::Reconcile { entry, field, .. } => {
                Self::field(format!("entries[{entry}].{field}"), detail)
            }
            StoreError::Duplicate(_) | StoreError::Clash(_) => Self::conflict(detail),
            StoreError::WrongKind { .. } => Self::field("item", detail),
            StoreError::Geometry { .. } => Self::field("geometry", detail),
            StoreError::Account(_) => {
                let mut a = Self::bad_request(detail);
                a.slug = "account";
                a.title = "Account request refused";
                a
            }
            other => Self::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Problem {
            kind: format!("/problems/{}", self.slug),
            title: self.title.to_owned(),
            status: self.status.as_u16(),
            detail: self.detail,
            errors: self.errors,
        };
        let json = serde_json::to_vec(&body).unwrap_or_default();
        let mut resp = (self.status, json).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(s) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        resp
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
