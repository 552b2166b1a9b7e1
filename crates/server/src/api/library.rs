//! The document library: upload (streamed to disk under a size limit, its kind told from its
//! bytes, encrypted/damaged/duplicate files refused, nothing half-stored), versions, links to
//! videos, descriptions, downloads, and full-text search over documents and the programme's
//! records in the region's languages. Every logged-in user reads; administrators, approvers,
//! reviewers and training officers add and edit.

use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use safeground_library::{Folder, Received};
use safeground_search::{Filters, Query as SearchQuery};
use safeground_store::Role;
use safeground_store::library::{
    ACCESS, DocumentMeta, DocumentVersion, LibraryDocument, VersionContent,
};
use serde::{Deserialize, Serialize};

use super::params::query;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::library::{Library, file_content, library_error, link_content};
use crate::state::AppState;

/// A document's description, as sent with an upload (query parameters) or an edit (JSON).
#[derive(Debug, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub struct DescribeDocument {
    /// Title as written on the document.
    title: String,
    /// Language: en, km, lo, th, my, vi or az.
    language: String,
    /// ISO 3166-1 alpha-3 code of the country it is about (KHM, LAO, THA, VNM, MMR, AZE…).
    country: Option<String>,
    /// national_standard, sop, lessons_learned, research, risk_education_material or
    /// training_material.
    doc_type: String,
    /// IMAS number of its topic (09.10).
    imas_topic: Option<String>,
    /// public, regional or national.
    access: String,
    /// The issuing organisation.
    organisation: Option<String>,
}

impl From<DescribeDocument> for DocumentMeta {
    fn from(d: DescribeDocument) -> Self {
        DocumentMeta {
            title: d.title,
            language: d.language,
            country: d.country,
            doc_type: d.doc_type,
            imas_topic: d.imas_topic,
            access: d.access,
            organisation: d.organisation,
        }
    }
}

/// What comes with the bytes of a version (query parameters).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionParams {
    /// The file's name (for downloads).
    file_name: Option<String>,
    /// A link (https://…) instead of a file, e.g. to a video: the body is then empty.
    link: Option<String>,
    /// What changed in this version.
    note: Option<String>,
}

/// The query string of an upload: the description and the version's fields side by side.
#[derive(Debug, Deserialize)]
struct UploadParams {
    #[serde(flatten)]
    describe: DescribeDocument,
    #[serde(flatten)]
    version: VersionParams,
}

/// One version of a document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Version {
    /// 1, 2, …
    version: i64,
    /// The uploaded file's name.
    file_name: Option<String>,
    /// Media type (text/uri-list for a link).
    media_type: String,
    /// Bytes (0 for a link).
    size_bytes: i64,
    /// SHA-256 of the file.
    sha256: Option<String>,
    /// The link, for a version without a file.
    link: Option<String>,
    /// What changed.
    note: Option<String>,
    /// Who added it.
    uploaded_by: String,
    /// When.
    uploaded_at: DateTime<Utc>,
    /// Where to download the file (none for a link).
    href: Option<String>,
}

/// A library document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Document {
    /// Id.
    id: i64,
    /// UUID (stable across programmes).
    uuid: String,
    /// Title.
    title: String,
    /// Language code.
    language: String,
    /// Country code.
    country: Option<String>,
    /// Type.
    doc_type: String,
    /// IMAS topic.
    imas_topic: Option<String>,
    /// public, regional or national.
    access: String,
    /// Issuing organisation.
    organisation: Option<String>,
    /// Who added it.
    created_by: String,
    /// When.
    created_at: DateTime<Utc>,
    /// Versions, oldest first (the last is current).
    versions: Vec<Version>,
    /// The node that owns it when it was received from another programme (read-only here);
    /// null: this programme's own.
    owner: Option<String>,
}

impl Document {
    /// The document with the node that owns it (none: this programme's own).
    fn owned_by(mut self, owner: Option<String>) -> Self {
        self.owner = owner;
        self
    }
}

fn version(id: i64, v: DocumentVersion) -> Version {
    let href = v
        .content
        .sha256
        .as_ref()
        .map(|_| format!("/api/library/{id}/versions/{}/file", v.version));
    Version {
        version: v.version,
        file_name: v.content.file_name,
        media_type: v.content.media_type,
        size_bytes: v.content.size_bytes,
        sha256: v.content.sha256,
        link: v.content.link,
        note: v.content.note,
        uploaded_by: v.uploaded_by,
        uploaded_at: v.uploaded_at,
        href,
    }
}

impl From<LibraryDocument> for Document {
    fn from(d: LibraryDocument) -> Self {
        let id = d.id;
        Document {
            id,
            uuid: d.uuid,
            title: d.meta.title,
            language: d.meta.language,
            country: d.meta.country,
            doc_type: d.meta.doc_type,
            imas_topic: d.meta.imas_topic,
            access: d.meta.access,
            organisation: d.meta.organisation,
            created_by: d.created_by,
            created_at: d.created_at,
            versions: d.versions.into_iter().map(|v| version(id, v)).collect(),
            owner: None,
        }
    }
}

/// Every document, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DocumentList {
    /// The documents.
    documents: Vec<Document>,
    /// Whether the user may add and edit documents.
    may_edit: bool,
    /// Largest upload, bytes.
    max_upload_bytes: u64,
}

/// Query of a search.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What to find: every word must match; "double quotes" for a phrase.
    q: String,
    /// The query's language, if known (en, km, lo, th, my, vi, az): English stemming is used
    /// for en and when none is given.
    lang: Option<String>,
    /// document, hazard, activity, eo_find, accident, risk_education, qa_visit, organisation.
    kind: Option<String>,
    /// Documents in this language only.
    language: Option<String>,
    /// Country code.
    country: Option<String>,
    /// Document type.
    doc_type: Option<String>,
    /// IMAS topic.
    imas_topic: Option<String>,
    /// public, regional or national.
    access: Option<String>,
    /// Hits per page (1–100, default 20).
    limit: Option<usize>,
    /// Hits to skip.
    offset: Option<usize>,
}

/// One search hit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    /// `document:12` or a record's id (HAZ-000123).
    id: String,
    /// document, hazard, accident, …
    kind: String,
    /// Title.
    title: String,
    /// Relevance (comparable within one search only).
    score: f32,
    /// A passage around the matches, plain text.
    snippet: String,
    /// Byte ranges [start, end) of the matches in `snippet`.
    highlights: Vec<(usize, usize)>,
    /// Byte ranges of the matches in `title`.
    title_highlights: Vec<(usize, usize)>,
    /// Where the UI shows it (`#/library/12`, `#/items/HAZ-000123`).
    link: String,
}

/// Search results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// Matching entries in all.
    total: usize,
    /// This page, best first.
    hits: Vec<SearchHit>,
}

/// Whether `who` adds and edits library documents.
pub fn may_edit(who: &Principal) -> bool {
    matches!(
        who.role,
        Role::Administrator | Role::Approver | Role::Reviewer | Role::TrainingOfficer
    )
}

fn require_edit(who: &Principal) -> ApiResult<()> {
    if may_edit(who) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "your role ({}) reads the library; administrators, approvers, reviewers and \
             training officers add and edit documents",
            who.role
        )))
    }
}

fn doc_id(id: &str) -> ApiResult<i64> {
    id.parse()
        .map_err(|_| ApiError::not_found(format!("`{id}` is not a library document id (a number)")))
}

async fn library(state: &AppState) -> ApiResult<Arc<Library>> {
    let cell = state.library.clone();
    tokio::task::spawn_blocking(move || cell.get())
        .await
        .map_err(ApiError::internal)?
}

/// The body streamed into the library folder: never whole in memory, refused past the limit.
async fn receive(folder: &Folder, limit: u64, body: Body) -> ApiResult<Received> {
    let mut intake = folder.intake(limit).map_err(library_error)?;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(format!("the upload was interrupted ({e}); send it again"))
        })?;
        intake.write(&chunk).map_err(library_error)?;
    }
    intake.finish().map_err(library_error)
}

/// The version's content and text: a link (empty body) or the uploaded file, checked and
/// its text extracted (not yet in the folder).
async fn content(
    lib: &Library,
    limit: u64,
    params: &VersionParams,
    body: Body,
) -> ApiResult<(VersionContent, String, Option<Received>)> {
    if let Some(link) = &params.link {
        let mut stream = body.into_data_stream();
        if let Some(Ok(chunk)) = stream.next().await
            && !chunk.is_empty()
        {
            return Err(ApiError::field(
                "link",
                "give either a file or a link, not both (the body must be empty with link=)",
            ));
        }
        let content = link_content(link.clone(), params.note.clone());
        return Ok((content, String::new(), None));
    }
    let received = receive(&lib.folder, limit, body).await?;
    let (file_name, note) = (params.file_name.clone(), params.note.clone());
    let (received, content) = tokio::task::spawn_blocking(move || {
        let content = file_content(&received, file_name, note);
        (received, content)
    })
    .await
    .map_err(ApiError::internal)?;
    let (content, text) = content.map_err(library_error)?;
    Ok((content, text, Some(received)))
}

/// Adds a document: the body is the file (PDF, DOCX, PNG, JPEG, WebP; streamed, at most the
/// server's limit), or empty with `link=` for a video. The description comes as query
/// parameters. 201 with the document.
#[utoipa::path(post, path = "/api/library", operation_id = "add_library_document",
    tag = "library", params(DescribeDocument, VersionParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
                 description = "The file's bytes (empty with link=)"),
    responses((status = 201, body = Document),
              (status = 403, body = crate::error::Problem),
              (status = 409, description = "The same file or link is in the library already",
               body = crate::error::Problem),
              (status = 413, description = "Larger than the limit", body = crate::error::Problem),
              (status = 422, description = "A description field, or the file: unsupported, \
                                            encrypted, damaged, empty", body = crate::error::Problem)))]
pub async fn add(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
    body: Body,
) -> ApiResult<Response> {
    require_edit(&who)?;
    let p: UploadParams = query(q.as_deref())?;
    // The description is checked before the bytes are read.
    let meta = safeground_store::library::checked_meta(&DocumentMeta::from(p.describe))?;
    let lib = library(&state).await?;
    let (c, text, received) = content(&lib, state.library.max_bytes, &p.version, body).await?;
    let doc = state
        .db
        .write(move |s| {
            lib.commit_version(s, received, &text, |s| {
                s.add_document(&who.username, &meta, &c, &text)
            })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(Document::from(doc))).into_response())
}

/// Adds a version to a document: the body is the new file, or empty with `link=`.
#[utoipa::path(post, path = "/api/library/{id}/versions", operation_id = "add_library_version",
    tag = "library",
    params(("id" = i64, Path, description = "Document id"), VersionParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Document),
              (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, body = crate::error::Problem),
              (status = 413, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn add_version(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    body: Body,
) -> ApiResult<Response> {
    require_edit(&who)?;
    let id = doc_id(&id)?;
    let params: VersionParams = query(q.as_deref())?;
    if state
        .db
        .read(move |s| {
            crate::library_exchange::ensure_own(s, id)?;
            Ok(s.library_document(id)?)
        })
        .await?
        .is_none()
    {
        return Err(ApiError::not_found(format!("no library document {id}")));
    }
    let lib = library(&state).await?;
    let (c, text, received) = content(&lib, state.library.max_bytes, &params, body).await?;
    let doc = state
        .db
        .write(move |s| {
            lib.commit_version(s, received, &text, |s| {
                s.add_document_version(&who.username, id, &c, &text)
            })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(Document::from(doc))).into_response())
}

/// Every document, newest first.
#[utoipa::path(get, path = "/api/library", operation_id = "list_library", tag = "library",
    responses((status = 200, body = DocumentList), (status = 401, body = crate::error::Problem)))]
pub async fn list(State(state): State<AppState>, who: Principal) -> ApiResult<Json<DocumentList>> {
    who.require(Permission::Read)?;
    let (docs, mut owners) = state
        .db
        .read(|s| Ok((s.library_documents()?, s.library_owners()?)))
        .await?;
    Ok(Json(DocumentList {
        documents: docs
            .into_iter()
            .map(|d| {
                let owner = owners.remove(&d.id);
                Document::from(d).owned_by(owner)
            })
            .collect(),
        may_edit: may_edit(&who),
        max_upload_bytes: state.library.max_bytes,
    }))
}

/// One document with its versions.
#[utoipa::path(get, path = "/api/library/{id}", operation_id = "get_library_document",
    tag = "library", params(("id" = i64, Path, description = "Document id")),
    responses((status = 200, body = Document), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Document>> {
    who.require(Permission::Read)?;
    let id = doc_id(&id)?;
    let doc = state
        .db
        .read(move |s| Ok((s.library_document(id)?, s.library_owner(id)?)))
        .await?;
    match doc {
        (Some(d), owner) => Ok(Json(Document::from(d).owned_by(owner))),
        (None, _) => Err(ApiError::not_found(format!("no library document {id}"))),
    }
}

/// Changes a document's description.
#[utoipa::path(put, path = "/api/library/{id}", operation_id = "edit_library_document",
    tag = "library", params(("id" = i64, Path, description = "Document id")),
    request_body = DescribeDocument,
    responses((status = 200, body = Document), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "A document received from another programme: only \
                                            its owner edits it", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn edit(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<DescribeDocument>,
) -> ApiResult<Json<Document>> {
    require_edit(&who)?;
    let id = doc_id(&id)?;
    let meta = DocumentMeta::from(req);
    let lib = library(&state).await?;
    let doc = state
        .db
        .write(move |s| {
            crate::library_exchange::ensure_own(s, id)?;
            let text = s.library_document_text(id)?.unwrap_or_default();
            lib.commit_version(s, None, &text, |s| {
                s.edit_document(&who.username, id, &meta)
            })
        })
        .await?;
    Ok(Json(Document::from(doc)))
}

/// A version's file, with its media type, as an attachment.
#[utoipa::path(get, path = "/api/library/{id}/versions/{version}/file",
    operation_id = "download_library_file", tag = "library",
    params(("id" = i64, Path, description = "Document id"),
           ("version" = i64, Path, description = "Version number")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
              (status = 404, body = crate::error::Problem)))]
pub async fn download(
    State(state): State<AppState>,
    who: Principal,
    Path((id, number)): Path<(String, String)>,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let id = doc_id(&id)?;
    let number: i64 = number
        .parse()
        .map_err(|_| ApiError::not_found(format!("`{number}` is no version number")))?;
    let doc = state.db.read(move |s| Ok(s.library_document(id)?)).await?;
    let missing = || ApiError::not_found(format!("document {id} has no version {number}"));
    let v = doc
        .and_then(|d| d.versions.into_iter().find(|v| v.version == number))
        .ok_or_else(missing)?;
    let Some(sha) = v.content.sha256 else {
        return Err(ApiError::not_found(format!(
            "version {number} of document {id} is a link, not a file: {}",
            v.content.link.unwrap_or_default()
        )));
    };
    let lib = library(&state).await?;
    let file = tokio::fs::File::open(lib.folder.path(&sha))
        .await
        .map_err(|e| ApiError::internal(format!("library file {sha} of document {id}: {e}")))?;
    let name = v
        .content
        .file_name
        .unwrap_or_else(|| format!("document-{id}-v{number}"))
        .replace(['"', '\\', '\r', '\n'], "_");
    let stream = tokio_util_stream(file);
    Ok((
        [
            (header::CONTENT_TYPE, v.content.media_type),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"; filename*=UTF-8''{}",
                    name.replace(|c: char| !c.is_ascii() || c.is_ascii_control(), "_"),
                    percent_encode(&name)
                ),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// The file as a stream of 64 KiB chunks.
fn tokio_util_stream(
    file: tokio::fs::File,
) -> impl futures_util::Stream<Item = std::io::Result<Vec<u8>>> {
    futures_util::stream::unfold(file, |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(buf), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    })
}

/// RFC 5987 encoding of a file name.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Searches the library's documents and the programme's records, in any of the region's
/// languages (Khmer, Lao, Thai and Burmese words are found inside unspaced text; Vietnamese
/// and Azerbaijani match without diacritics).
#[utoipa::path(get, path = "/api/library/search", operation_id = "search_library",
    tag = "library", params(SearchParams),
    responses((status = 200, body = SearchResults),
              (status = 401, body = crate::error::Problem),
              (status = 422, description = "Empty or unreadable query, unknown language",
               body = crate::error::Problem)))]
pub async fn search(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<SearchResults>> {
    who.require(Permission::Read)?;
    let p: SearchParams = query(q.as_deref())?;
    let parse_lang = |field: &str, v: &Option<String>| {
        v.as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse().map_err(|e: safeground_search::SearchError| {
                    ApiError::field(field, e.to_string())
                })
            })
            .transpose()
    };
    let mut sq = SearchQuery::new(p.q, ACCESS.iter().map(|a| (*a).to_owned()).collect());
    sq.language = parse_lang("lang", &p.lang)?;
    sq.filters = Filters {
        kind: p.kind.filter(|s| !s.is_empty()),
        language: parse_lang("language", &p.language)?,
        country: p
            .country
            .filter(|s| !s.is_empty())
            .map(|c| c.to_uppercase()),
        doc_type: p.doc_type.filter(|s| !s.is_empty()),
        imas_topic: p.imas_topic.filter(|s| !s.is_empty()),
        access: p.access.filter(|s| !s.is_empty()),
        organisation: None,
    };
    sq.limit = p.limit.unwrap_or(20).clamp(1, 100);
    sq.offset = p.offset.unwrap_or(0).min(10_000);
    let lib = library(&state).await?;
    let hits = state.db.read(move |s| lib.search(s, &sq)).await?;
    Ok(Json(SearchResults {
        total: hits.total,
        hits: hits
            .hits
            .into_iter()
            .map(|h| SearchHit {
                link: match h.id.strip_prefix("document:") {
                    Some(id) => format!("#/library/{id}"),
                    None => format!("#/items/{}", h.id),
                },
                id: h.id,
                kind: h.kind,
                title: h.title,
                score: h.score,
                snippet: h.snippet,
                highlights: h.highlights,
                title_highlights: h.title_highlights,
            })
            .collect(),
    }))
}
