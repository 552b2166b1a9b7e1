//! Reports from the offline field app (`PUT /api/submissions/{uuid}`, stored once whatever the
//! retries) and the files that reports and items carry.

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use safeground_model::ItemKind;
use safeground_store::field::{Attachment, SubmissionOutcome};
use serde_json::json;

use super::reports::visible_report;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::field::{self, MAX_FILE_BYTES, MAX_SUBMISSION_BYTES, Upload};
use crate::state::AppState;

/// Stores a report from the field app under the device's UUID: created and submitted for review
/// with its photos in one transaction. The same submission sent again answers 200 with the
/// report stored the first time; other content under a used UUID is refused (409).
#[utoipa::path(put, path = "/api/submissions/{uuid}", tag = "reports",
    params(("uuid" = String, Path, description = "The UUID the device gave the entry")),
    request_body(content = super::schemas::SubmissionBody, description = "The submission as JSON, or \
        `multipart/form-data` with a `submission` part (this JSON) and one part per file",
        content_type = "application/json"),
    responses((status = 201, description = "Stored and submitted for review", body = super::schemas::SubmissionAnswer),
              (status = 200, description = "Already stored (a retry): the report stored then", body = super::schemas::SubmissionAnswer),
              (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem),
              (status = 409, description = "The UUID was used for another submission", body = crate::error::Problem),
              (status = 413, description = "Over 25 MB, or a file over 10 MB", body = crate::error::Problem),
              (status = 422, description = "A field or file is refused; the fields name the entry", body = crate::error::Problem)))]
pub async fn put(
    State(state): State<AppState>,
    who: Principal,
    Path(uuid): Path<String>,
    request: Request,
) -> ApiResult<Response> {
    who.require(crate::auth::Permission::WriteReports)?;
    field::check_uuid(&uuid)?;
    let (json, uploads) = read_body(request, &state).await?;
    let prepared = field::prepare(&uuid, &json, uploads)?;
    let report = super::geometry::check_before_writing(prepared.report().clone()).await?;
    let prepared = prepared.with_report(report);
    let outcome = state
        .db
        .write(move |s| field::store(s, &who, &prepared))
        .await?;
    let (status, created) = match outcome {
        SubmissionOutcome::Created(_) => (StatusCode::CREATED, true),
        SubmissionOutcome::AlreadyStored(_) => (StatusCode::OK, false),
    };
    let body = json!({"uuid": uuid, "report": outcome.report(), "created": created});
    let mut resp = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/reports/{}", outcome.report())) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// The submission's JSON and its file parts, under the size limits.
async fn read_body(request: Request, state: &AppState) -> ApiResult<(Vec<u8>, Vec<Upload>)> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("application/json") {
        let bytes = axum::body::to_bytes(request.into_body(), MAX_SUBMISSION_BYTES)
            .await
            .map_err(|_| too_large())?;
        return Ok((bytes.to_vec(), Vec::new()));
    }
    if !content_type.starts_with("multipart/form-data") {
        return Err(ApiError::status_only(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the submission as application/json, or as multipart/form-data with a \
             `submission` part and one part per file",
        ));
    }
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| ApiError::bad_request(format!("the multipart body cannot be read: {e}")))?;
    let mut json = None;
    let mut uploads = Vec::new();
    let mut total = 0usize;
    while let Some(mut part) = multipart.next_field().await.map_err(interrupted)? {
        let name = part.name().unwrap_or_default().to_owned();
        let file_name = part.file_name().map(str::to_owned);
        let mut bytes = Vec::new();
        while let Some(chunk) = part.chunk().await.map_err(interrupted)? {
            total += chunk.len();
            if total > MAX_SUBMISSION_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
            if name != "submission" && bytes.len() > MAX_FILE_BYTES {
                return Err(ApiError::too_large(format!(
                    "the file part `{name}` is over {MAX_FILE_BYTES} bytes; resize the photo"
                )));
            }
        }
        if name == "submission" {
            json = Some(bytes);
        } else {
            uploads.push(Upload {
                part: name,
                file_name,
                bytes,
            });
        }
    }
    let json = json.ok_or_else(|| {
        ApiError::field(
            "submission",
            "no `submission` part was sent; send the entry's JSON in it",
        )
    })?;
    Ok((json, uploads))
}

fn too_large() -> ApiError {
    ApiError::too_large(format!(
        "a submission may have at most {MAX_SUBMISSION_BYTES} bytes with its files; send fewer or smaller photos"
    ))
}

fn interrupted(e: axum::extract::multipart::MultipartError) -> ApiError {
    ApiError::bad_request(format!(
        "the upload was interrupted or malformed ({e}); send it again"
    ))
}

/// The files of a report.
#[utoipa::path(get, path = "/api/reports/{id}/attachments", operation_id = "report_attachments",
    tag = "reports", params(("id" = i64, Path, description = "Report id")),
    responses((status = 200, body = Vec<Attachment>), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem)))]
pub async fn of_report(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<Attachment>>> {
    who.require(crate::auth::Permission::Read)?;
    let list = state
        .db
        .read(move |s| {
            visible_report(s, &who, id)?;
            Ok(s.attachments(id)?)
        })
        .await?;
    Ok(Json(list))
}

/// The files of an approved record (accident files only for writers and personal-data roles).
#[utoipa::path(get, path = "/api/items/{kind}/{local_id}/attachments", operation_id = "item_attachments",
    tag = "items", params(("kind" = String, Path, description = "Record kind (`eo_find`, `activity`, …)"),
                          ("local_id" = String, Path, description = "The record's local id")),
    responses((status = 200, body = Vec<Attachment>), (status = 403, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn of_item(
    State(state): State<AppState>,
    who: Principal,
    Path((kind, local_id)): Path<(String, String)>,
) -> ApiResult<Json<Vec<Attachment>>> {
    let kind: ItemKind = kind
        .parse()
        .map_err(|e: safeground_model::vocab::UnknownValue| {
            ApiError::field("kind", e.to_string())
        })?;
    if !field::may_see_item_files(&who, kind) {
        return Err(ApiError::forbidden(
            "files of accidents are shown to report writers and personal-data roles only",
        ));
    }
    let list = state
        .db
        .read(move |s| Ok(s.item_attachments(kind, &local_id)?))
        .await?;
    Ok(Json(list))
}

/// A file, for those who may read its report: photos shown inline, other files downloaded.
#[utoipa::path(get, path = "/api/attachments/{id}", operation_id = "get_attachment", tag = "reports",
    params(("id" = i64, Path, description = "Attachment id")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream", body = Vec<u8>),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    who.require(crate::auth::Permission::Read)?;
    let (meta, bytes) = state
        .db
        .read(move |s| {
            let (meta, bytes) = s.attachment(id)?;
            visible_report(s, &who, meta.report)?;
            Ok((meta, bytes))
        })
        .await?;
    let mut resp = (StatusCode::OK, Body::from(bytes)).into_response();
    let h = resp.headers_mut();
    let media = HeaderValue::from_str(&meta.media_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, media);
    let disposition = if meta.media_type.starts_with("image/") {
        "inline"
    } else {
        "attachment"
    };
    let ascii: String = meta
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename=\"{ascii}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", meta.sha256)) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(resp)
}
