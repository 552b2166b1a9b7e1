//! The hub's library for its nodes over HTTP (issue 25): the signed manifest of its public
//! and regional documents (its own and those its nodes sent), and each file it names, which a
//! node downloads and adopts (`safeground federation pull-library`). National documents and
//! their files are never served here.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use safeground_federation::library_package::is_sha256;

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::library_exchange::build_package;
use crate::state::AppState;

fn not_a_hub() -> ApiError {
    ApiError::not_found("this programme is not a regional hub, so it shares no library")
}

/// The hub's library package manifest, signed with the hub's key now (verify it with the
/// hub's card): every public and regional document with its versions and owner. Any user of
/// the hub may fetch it (a node pulls it with its national viewer's token). 503 when the hub
/// was started without its key (`serve --node-key`).
#[utoipa::path(get, path = "/api/hub/library/manifest", operation_id = "hub_library_manifest",
    tag = "federation",
    responses((status = 200, description = "The signed library manifest (JSON: format, \
                  payload, signature)", content_type = "application/json", body = crate::api::schemas::SignedDocumentDoc),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 404, description = "Not a hub", body = crate::error::Problem),
              (status = 503, description = "The hub's key is not loaded",
               body = crate::error::Problem)))]
pub async fn manifest(State(state): State<AppState>, who: Principal) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let Some(sharing) = state.config.sharing.clone() else {
        return Err(ApiError::unavailable(
            "the hub signs its library manifest with its node key: start it with `safeground \
             serve --node-key FILE`",
        ));
    };
    let manifest = state
        .db
        .read(move |s| {
            if !s.is_hub()? {
                return Err(not_a_hub());
            }
            let package = build_package(s, &sharing.key, true)?;
            package
                .sign(&sharing.key)
                .map_err(|e| ApiError::internal(e.to_string()))
        })
        .await?;
    let mut response = manifest.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}

/// A file of the hub's library manifest, by its SHA-256 (streamed). 404 for a file no public
/// or regional document names.
#[utoipa::path(get, path = "/api/hub/library/files/{sha256}", operation_id = "hub_library_file",
    tag = "federation",
    params(("sha256" = String, Path, description = "The file's SHA-256, lower-case hex")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream",
                  body = Vec<u8>),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 404, description = "Not a hub, or no shared document names this file",
               body = crate::error::Problem)))]
pub async fn file(
    State(state): State<AppState>,
    who: Principal,
    Path(sha256): Path<String>,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    if !is_sha256(&sha256) {
        return Err(ApiError::not_found(format!(
            "`{sha256}` is not a SHA-256 (64 lower-case hex digits)"
        )));
    }
    let sha = sha256.clone();
    let size = state
        .db
        .read(move |s| {
            if !s.is_hub()? {
                return Err(not_a_hub());
            }
            Ok(s.library_shareable(true)?
                .into_iter()
                .flat_map(|(d, _)| d.versions)
                .find(|v| v.content.sha256.as_deref() == Some(sha.as_str()))
                .map(|v| v.content.size_bytes))
        })
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "no public or regional document of this hub names the file {sha256}"
            ))
        })?;
    let cell = state.library.clone();
    let lib = tokio::task::spawn_blocking(move || cell.get())
        .await
        .map_err(ApiError::internal)??;
    let path = lib.folder.path(&sha256);
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| ApiError::internal(format!("library file {sha256}: {e}")))?;
    let stream = futures_util::stream::unfold(file, |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(buf), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    })
    .boxed();
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_LENGTH, size.to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
