//! The ordnance reference library (issue 25): a page per ordnance model of the catalogue —
//! photos, dimensions, fuzing, identification features, hazards, where in the region it was
//! found — edited by the regional hub's administrators and published in its signed reference
//! set, read by every logged-in user of the hub and of its nodes.
//!
//! * **On the hub** the pages are its table (`OrdnancePageStore`); the found counts are live,
//!   from the EO finds its nodes share; photos are files of the hub's library folder.
//! * **On a node** the pages, counts and photos are those of the reference set it adopted:
//!   photos are served from the adopted document itself (its bytes were checked against their
//!   SHA-256 when it was verified), so a node needs no library folder for them.
//! * **Render-safe notes** are served only to EOD officers and, on the hub, to administrators
//!   (who write them); every read is audited `reference.render_safe.read`. Others get
//!   `render_safe: null` and `render_safe_withheld: true`.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use safeground_federation::ReferenceSet;
use safeground_federation::reference::MAX_PHOTO_BYTES;
use safeground_library::{FileKind, Received};
use safeground_model::{Catalogue, Dimensions, OrdnancePage, PagePhoto};
use safeground_store::ordnance_pages::{FoundCount, found_counts};
use safeground_store::{Backend, Role};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::library::library_error;
use crate::state::AppState;

/// Sizes and weights of a model (what is not known is left out).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PageDimensions {
    /// Length, mm.
    #[serde(default)]
    length_mm: Option<f64>,
    /// Width, mm.
    #[serde(default)]
    width_mm: Option<f64>,
    /// Height, mm.
    #[serde(default)]
    height_mm: Option<f64>,
    /// Diameter, mm.
    #[serde(default)]
    diameter_mm: Option<f64>,
    /// Total weight, g.
    #[serde(default)]
    weight_g: Option<f64>,
    /// Main charge, g.
    #[serde(default)]
    explosive_g: Option<f64>,
    /// Main charge's explosive ("TNT").
    #[serde(default)]
    explosive: Option<String>,
}

impl From<Dimensions> for PageDimensions {
    fn from(d: Dimensions) -> Self {
        PageDimensions {
            length_mm: d.length_mm,
            width_mm: d.width_mm,
            height_mm: d.height_mm,
            diameter_mm: d.diameter_mm,
            weight_g: d.weight_g,
            explosive_g: d.explosive_g,
            explosive: d.explosive,
        }
    }
}

impl From<PageDimensions> for Dimensions {
    fn from(d: PageDimensions) -> Self {
        Dimensions {
            length_mm: d.length_mm,
            width_mm: d.width_mm,
            height_mm: d.height_mm,
            diameter_mm: d.diameter_mm,
            weight_g: d.weight_g,
            explosive_g: d.explosive_g,
            explosive: d.explosive,
        }
    }
}

/// A page as an editor sends it (`PUT`); the model comes from the path, photos are added and
/// removed one by one. The read-only fields of a page as `GET` gives it (model, category,
/// description, aliases, photos, found, found_at, editable, render_safe_withheld) may be sent
/// back and are ignored; any other field is refused.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PageEdit {
    /// What the model is, in a few sentences.
    summary: String,
    /// Sizes and weights.
    dimensions: PageDimensions,
    /// How it is fuzed.
    fuzing: String,
    /// Features that tell it apart.
    identification: Vec<String>,
    /// What makes it dangerous.
    hazards: String,
    /// Render-safe notes (EOD officers read them).
    render_safe: Option<String>,
    #[schema(ignore)]
    model: IgnoredAny,
    #[schema(ignore)]
    category: IgnoredAny,
    #[schema(ignore)]
    description: IgnoredAny,
    #[schema(ignore)]
    aliases: IgnoredAny,
    #[schema(ignore)]
    photos: IgnoredAny,
    #[schema(ignore)]
    found: IgnoredAny,
    #[schema(ignore)]
    found_at: IgnoredAny,
    #[schema(ignore)]
    editable: IgnoredAny,
    #[schema(ignore)]
    render_safe_withheld: IgnoredAny,
}

/// A photo of a page.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoView {
    /// SHA-256 of the file (`GET /api/reference/photos/{sha256}`).
    sha256: String,
    /// image/png, image/jpeg or image/webp.
    media_type: String,
    /// What it shows.
    caption: String,
}

/// Where in the region the model was found.
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundView {
    /// Node id (`KHM`).
    node: String,
    /// The programme's name.
    name: String,
    /// EO items found.
    items: u64,
}

impl From<FoundCount> for FoundView {
    fn from(f: FoundCount) -> Self {
        FoundView {
            node: f.node,
            name: f.name,
            items: f.items,
        }
    }
}

/// One ordnance reference page.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageView {
    /// Designation ("PMN-2").
    model: String,
    /// Ordnance category code.
    category: String,
    /// The catalogue's short description.
    description: String,
    /// Other names it is known by.
    aliases: Vec<String>,
    /// What it is.
    summary: String,
    /// Sizes and weights.
    dimensions: PageDimensions,
    /// How it is fuzed.
    fuzing: String,
    /// Features that tell it apart.
    identification: Vec<String>,
    /// What makes it dangerous.
    hazards: String,
    /// Render-safe notes: EOD officers (and the hub's administrators) only.
    render_safe: Option<String>,
    /// True when the page has render-safe notes this user may not read.
    render_safe_withheld: bool,
    /// Photos and drawings.
    photos: Vec<PhotoView>,
    /// EO items of the model per node, from the finds shared with the hub.
    found: Vec<FoundView>,
    /// When those counts were taken (on the hub: now).
    found_at: Option<DateTime<Utc>>,
    /// Whether this user edits the page.
    editable: bool,
}

/// One row of the list of pages.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageRow {
    /// Designation.
    model: String,
    /// Ordnance category code.
    category: String,
    /// The catalogue's short description.
    description: String,
    /// What it is.
    summary: String,
    /// SHA-256 of its first photo.
    photo: Option<String>,
    /// EO items found in the region.
    found_total: u64,
}

/// The ordnance reference library.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageList {
    /// `hub` (this programme writes the pages), `adopted` (from the hub's reference set) or
    /// `none` (no reference set adopted yet).
    source: String,
    /// The reference version: published (hub) or adopted (node); 0 when none.
    version: u64,
    /// Whether this user edits pages (a hub administrator).
    editable: bool,
    /// The pages, by category then model.
    pages: Vec<PageRow>,
}

/// A photo's caption (query parameter of an upload).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PhotoParams {
    /// What the photo shows.
    #[serde(default)]
    caption: String,
}

/// The pages where this programme reads them.
enum Source {
    /// A hub: its pages, the found counts now, its latest version published.
    Hub {
        pages: Vec<OrdnancePage>,
        found: std::collections::BTreeMap<String, Vec<FoundCount>>,
        catalogue: Catalogue,
        version: u64,
    },
    /// A node: the reference set adopted.
    Adopted { set: Box<ReferenceSet> },
    /// Nothing adopted yet.
    None,
}

fn load(s: &dyn Backend) -> ApiResult<Source> {
    if s.is_hub()? {
        let catalogue = s.page_catalogue()?;
        let pages = s.pages()?.into_iter().map(|p| p.page).collect();
        let found = found_counts(s, &catalogue)?;
        let version = s.published_reference()?.map_or(0, |(v, _)| v);
        return Ok(Source::Hub {
            pages,
            found,
            catalogue,
            version,
        });
    }
    let held = s.reference()?;
    match &held.document {
        Some(d) if held.version > 0 => Ok(Source::Adopted {
            set: Box::new(ReferenceSet::adopted(d).map_err(ApiError::internal)?),
        }),
        _ => Ok(Source::None),
    }
}

/// The catalogue entry of `model`: designation, category, description, aliases.
fn entry(catalogue: &Catalogue, model: &str) -> Option<(String, String, String, Vec<String>)> {
    let (designation, category, description) = catalogue.lookup(model)?;
    let aliases = (catalogue.entries().iter())
        .find(|e| e.model == designation)
        .map(|e| e.aliases.clone())
        .unwrap_or_default();
    Some((
        designation.to_owned(),
        category.code().to_owned(),
        description.to_owned(),
        aliases,
    ))
}

fn adopted_catalogue(set: &ReferenceSet) -> ApiResult<Catalogue> {
    set.catalogue().map_err(ApiError::internal)
}

/// Whether `who` edits pages here (a hub administrator).
fn editor(who: &Principal, hub: bool) -> bool {
    hub && who.role == Role::Administrator
}

/// Whether `who` reads render-safe notes here.
fn reads_render_safe(who: &Principal, hub: bool) -> bool {
    who.role == Role::EodOfficer || editor(who, hub)
}

fn not_in_catalogue(model: &str) -> ApiError {
    ApiError::not_found(format!(
        "`{model}` is not a model of the ordnance catalogue in force"
    ))
}

fn no_page(model: &str) -> ApiError {
    ApiError::not_found(format!("there is no reference page of {model} yet"))
}

/// Builds the view of `page`; `render_safe` says whether its notes are served.
#[allow(clippy::too_many_arguments)]
fn view(
    catalogue: &Catalogue,
    page: OrdnancePage,
    found: Vec<FoundCount>,
    found_at: Option<DateTime<Utc>>,
    render_safe: bool,
    editable: bool,
) -> PageView {
    let (model, category, description, aliases) = entry(catalogue, &page.model).unwrap_or((
        page.model.clone(),
        String::new(),
        String::new(),
        Vec::new(),
    ));
    let withheld = page.render_safe.is_some() && !render_safe;
    PageView {
        model,
        category,
        description,
        aliases,
        summary: page.summary,
        dimensions: page.dimensions.into(),
        fuzing: page.fuzing,
        identification: page.identification,
        hazards: page.hazards,
        render_safe: if render_safe { page.render_safe } else { None },
        render_safe_withheld: withheld,
        photos: (page.photos.into_iter())
            .map(|p| PhotoView {
                sha256: p.sha256,
                media_type: p.media_type,
                caption: p.caption,
            })
            .collect(),
        found: found.into_iter().map(Into::into).collect(),
        found_at,
        editable,
    }
}

/// A page and whether render-safe notes were served (to audit), read where this programme
/// reads pages.
fn read_page(s: &dyn Backend, who: &Principal, model: &str) -> ApiResult<(PageView, bool)> {
    match load(s)? {
        Source::Hub {
            pages,
            mut found,
            catalogue,
            ..
        } => {
            let (designation, ..) =
                entry(&catalogue, model).ok_or_else(|| not_in_catalogue(model))?;
            let page = (pages.into_iter())
                .find(|p| p.model == designation)
                .ok_or_else(|| no_page(&designation))?;
            let serve = reads_render_safe(who, true) && page.render_safe.is_some();
            let counts = found.remove(&designation).unwrap_or_default();
            let editable = editor(who, true);
            Ok((
                view(&catalogue, page, counts, Some(Utc::now()), serve, editable),
                serve,
            ))
        }
        Source::Adopted { set } => {
            let catalogue = adopted_catalogue(&set)?;
            let (designation, ..) =
                entry(&catalogue, model).ok_or_else(|| not_in_catalogue(model))?;
            let published = (set.pages.into_iter())
                .find(|p| p.page.model == designation)
                .ok_or_else(|| no_page(&designation))?;
            let serve = reads_render_safe(who, false) && published.page.render_safe.is_some();
            let found = (published.found.into_iter())
                .map(|f| FoundCount {
                    node: f.node,
                    name: f.name,
                    items: f.items,
                })
                .collect();
            Ok((
                view(
                    &catalogue,
                    published.page,
                    found,
                    published.found_at,
                    serve,
                    false,
                ),
                serve,
            ))
        }
        Source::None => Err(ApiError::not_found(format!(
            "this programme has adopted no reference set from its regional hub, so it has no \
             reference page of {model}"
        ))),
    }
}

/// Reads the page, auditing a read of its render-safe notes first.
async fn page_for(state: &AppState, who: Principal, model: String) -> ApiResult<PageView> {
    let reader = who.clone();
    let m = model.clone();
    let (page, served) = state.db.read(move |s| read_page(s, &reader, &m)).await?;
    if served {
        let (actor, target) = (who.username.clone(), page.model.clone());
        state
            .db
            .write(move |s| Ok(s.audit_render_safe_read(&actor, &target)?))
            .await?;
    }
    Ok(page)
}

/// The ordnance reference library: one row per page, by category then model. On the hub, its
/// pages with live found counts; on a node, those of the reference set it adopted.
#[utoipa::path(get, path = "/api/reference/pages",
    operation_id = "list_reference_pages", tag = "federation",
    responses((status = 200, description = "The pages", body = PageList),
              (status = 401, description = "Not logged in", body = crate::error::Problem)))]
pub async fn list(State(state): State<AppState>, who: Principal) -> ApiResult<Json<PageList>> {
    who.require(Permission::Read)?;
    let editable_role = who.role == Role::Administrator;
    let list = state
        .db
        .read(move |s| {
            let row =
                |catalogue: &Catalogue, page: &OrdnancePage, found_total: u64| {
                    let (model, category, description, _) = entry(catalogue, &page.model)
                        .unwrap_or((page.model.clone(), String::new(), String::new(), Vec::new()));
                    PageRow {
                        model,
                        category,
                        description,
                        summary: page.summary.clone(),
                        photo: page.photos.first().map(|p| p.sha256.clone()),
                        found_total,
                    }
                };
            let total = |f: &[FoundCount]| f.iter().map(|c| c.items).sum::<u64>();
            let (source, version, editable, mut pages) = match load(s)? {
                Source::Hub {
                    pages,
                    found,
                    catalogue,
                    version,
                } => {
                    let rows = (pages.iter())
                        .map(|p| {
                            let n = found.get(&p.model).map_or(0, |f| total(f));
                            row(&catalogue, p, n)
                        })
                        .collect();
                    ("hub", version, editable_role, rows)
                }
                Source::Adopted { set } => {
                    let catalogue = adopted_catalogue(&set)?;
                    let rows = (set.pages.iter())
                        .map(|p| {
                            let n = p.found.iter().map(|f| f.items).sum();
                            row(&catalogue, &p.page, n)
                        })
                        .collect();
                    ("adopted", set.version, false, rows)
                }
                Source::None => ("none", 0, false, Vec::new()),
            };
            pages.sort_by(|a: &PageRow, b: &PageRow| {
                (&a.category, &a.model).cmp(&(&b.category, &b.model))
            });
            Ok(PageList {
                source: source.into(),
                version,
                editable,
                pages,
            })
        })
        .await?;
    Ok(Json(list))
}

/// One reference page; the model is matched as the catalogue matches names (case, spaces,
/// hyphens, other names). Render-safe notes are served to EOD officers and the hub's
/// administrators only, each read audited `reference.render_safe.read`.
#[utoipa::path(get, path = "/api/reference/pages/{model}",
    operation_id = "get_reference_page", tag = "federation",
    params(("model" = String, Path, description = "Designation or other name (PMN-2, pmn 2)")),
    responses((status = 200, description = "The page", body = PageView),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 404, description = "No such model, or no page of it",
               body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    who: Principal,
    Path(model): Path<String>,
) -> ApiResult<Json<PageView>> {
    who.require(Permission::Read)?;
    Ok(Json(page_for(&state, who, model).await?))
}

/// Refuses an edit outside a hub (409) or by another role than administrator (403); the
/// model's designation and its page, if any.
fn edit_target(
    s: &dyn Backend,
    who: &Principal,
    model: &str,
) -> ApiResult<(String, Option<OrdnancePage>)> {
    if !s.is_hub()? {
        return Err(ApiError::conflict(
            "ordnance pages are edited on the regional hub; this programme reads them from \
             the reference set it adopted",
        ));
    }
    if !editor(who, true) {
        return Err(ApiError::forbidden(format!(
            "your role ({}) reads the ordnance reference; the hub's administrators edit it",
            who.role
        )));
    }
    let catalogue = s.page_catalogue()?;
    let (designation, ..) = entry(&catalogue, model).ok_or_else(|| not_in_catalogue(model))?;
    let held = s.page(&designation)?.map(|p| p.page);
    Ok((designation, held))
}

/// Writes `page` as `actor` and reads it back as `who` sees it.
fn write_and_view(
    s: &mut dyn Backend,
    who: &Principal,
    page: &OrdnancePage,
) -> ApiResult<(PageView, bool)> {
    s.put_page(&who.username, page)?;
    read_page(s, who, &page.model)
}

/// Creates or replaces a page (a hub administrator): the page's fields; its photos are kept.
/// 422 names every invalid field (`dimensions.length_mm`), nothing stored then.
#[utoipa::path(put, path = "/api/reference/pages/{model}",
    operation_id = "put_reference_page", tag = "federation",
    params(("model" = String, Path, description = "Designation or other name")),
    request_body = PageEdit,
    responses((status = 200, description = "The page written", body = PageView),
              (status = 403, description = "Not a hub administrator", body = crate::error::Problem),
              (status = 404, description = "Not a model of the catalogue", body = crate::error::Problem),
              (status = 409, description = "Not a hub: pages are edited on the regional hub",
               body = crate::error::Problem),
              (status = 422, description = "Invalid fields", body = crate::error::Problem)))]
pub async fn put(
    State(state): State<AppState>,
    who: Principal,
    Path(model): Path<String>,
    ApiJson(edit): ApiJson<PageEdit>,
) -> ApiResult<Json<PageView>> {
    let writer = who.clone();
    let (page, served) = state
        .db
        .write(move |s| {
            let (designation, held) = edit_target(s, &writer, &model)?;
            let page = OrdnancePage {
                model: designation,
                summary: edit.summary,
                dimensions: edit.dimensions.into(),
                fuzing: edit.fuzing,
                identification: edit.identification,
                hazards: edit.hazards,
                render_safe: edit.render_safe.filter(|r| !r.is_empty()),
                photos: held.map(|p| p.photos).unwrap_or_default(),
            };
            write_and_view(s, &writer, &page)
        })
        .await?;
    audit_served(&state, &who, &page, served).await?;
    Ok(Json(page))
}

async fn audit_served(
    state: &AppState,
    who: &Principal,
    page: &PageView,
    served: bool,
) -> ApiResult<()> {
    if served {
        let (actor, target) = (who.username.clone(), page.model.clone());
        state
            .db
            .write(move |s| Ok(s.audit_render_safe_read(&actor, &target)?))
            .await?;
    }
    Ok(())
}

/// The body streamed into the library folder under `limit` bytes, refused unless a photo.
async fn receive_photo(
    folder: &safeground_library::Folder,
    limit: u64,
    body: Body,
) -> ApiResult<Received> {
    let mut intake = folder.intake(limit).map_err(library_error)?;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(format!("the upload was interrupted ({e}); send it again"))
        })?;
        intake.write(&chunk).map_err(library_error)?;
    }
    let received = intake.finish().map_err(library_error)?;
    if !matches!(
        received.kind,
        FileKind::Png | FileKind::Jpeg | FileKind::Webp
    ) {
        return Err(ApiError::field(
            "file",
            format!(
                "a {} is not a photo; give a PNG, JPEG or WebP image",
                received.kind.media_type()
            ),
        ));
    }
    Ok(received)
}

/// Adds a photo to a page (a hub administrator): the body is the image (PNG, JPEG or WebP,
/// told from its bytes; at most 2 MiB, the most a published page carries), stored in the
/// hub's library folder by its SHA-256. 201 with the page; 422 on `file` for anything else.
#[utoipa::path(post, path = "/api/reference/pages/{model}/photos",
    operation_id = "add_reference_page_photo", tag = "federation",
    params(("model" = String, Path, description = "Designation or other name"), PhotoParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
                 description = "The image's bytes"),
    responses((status = 201, description = "The page with the photo", body = PageView),
              (status = 403, body = crate::error::Problem),
              (status = 404, description = "No such model, or no page of it yet",
               body = crate::error::Problem),
              (status = 409, body = crate::error::Problem),
              (status = 413, description = "Larger than 2 MiB", body = crate::error::Problem),
              (status = 422, description = "Not a photo (`file`), or a 13th photo (`photos`)",
               body = crate::error::Problem)))]
pub async fn add_photo(
    State(state): State<AppState>,
    who: Principal,
    Path(model): Path<String>,
    Query(params): Query<PhotoParams>,
    body: Body,
) -> ApiResult<Response> {
    // Refuse before reading the body.
    let (checker, m) = (who.clone(), model.clone());
    state
        .db
        .read(move |s| {
            let (designation, held) = edit_target(s, &checker, &m)?;
            held.map(|_| ()).ok_or_else(|| {
                ApiError::not_found(format!(
                    "there is no reference page of {designation} yet: write the page, then add \
                     photos"
                ))
            })
        })
        .await?;
    let cell = state.library.clone();
    let lib = tokio::task::spawn_blocking(move || cell.get())
        .await
        .map_err(ApiError::internal)??;
    let limit = state.library.max_bytes.min(MAX_PHOTO_BYTES as u64);
    let received = receive_photo(&lib.folder, limit, body).await?;
    let photo = PagePhoto {
        sha256: received.sha256.clone(),
        media_type: received.kind.media_type().to_owned(),
        caption: params.caption.trim().to_owned(),
    };
    let folder = lib.folder.clone();
    let sha = photo.sha256.clone();
    let writer = who.clone();
    let written = state
        .db
        .write(move |s| {
            let new = folder.store(received).map_err(library_error)?;
            let result = (|| {
                let (_, held) = edit_target(s, &writer, &model)?;
                let mut page = held.ok_or_else(|| no_page(&model))?;
                page.photos.push(photo);
                write_and_view(s, &writer, &page)
            })();
            if result.is_err() && new {
                let _ = folder.remove(&sha);
            }
            result
        })
        .await?;
    audit_served(&state, &who, &written.0, written.1).await?;
    Ok((StatusCode::CREATED, Json(written.0)).into_response())
}

/// Removes a photo from a page (a hub administrator); the file stays in the library folder
/// (another page or document may hold the same bytes). 200 with the page.
#[utoipa::path(delete, path = "/api/reference/pages/{model}/photos/{sha256}",
    operation_id = "delete_reference_page_photo",
    tag = "federation",
    params(("model" = String, Path, description = "Designation or other name"),
           ("sha256" = String, Path, description = "The photo's SHA-256")),
    responses((status = 200, description = "The page without the photo", body = PageView),
              (status = 403, body = crate::error::Problem),
              (status = 404, description = "No such page or photo", body = crate::error::Problem),
              (status = 409, body = crate::error::Problem)))]
pub async fn delete_photo(
    State(state): State<AppState>,
    who: Principal,
    Path((model, sha256)): Path<(String, String)>,
) -> ApiResult<Json<PageView>> {
    let writer = who.clone();
    let (page, served) = state
        .db
        .write(move |s| {
            let (designation, held) = edit_target(s, &writer, &model)?;
            let mut page = held.ok_or_else(|| no_page(&designation))?;
            let before = page.photos.len();
            page.photos.retain(|p| p.sha256 != sha256);
            if page.photos.len() == before {
                return Err(ApiError::not_found(format!(
                    "the page of {designation} has no photo {sha256}"
                )));
            }
            write_and_view(s, &writer, &page)
        })
        .await?;
    audit_served(&state, &who, &page, served).await?;
    Ok(Json(page))
}

/// Where a photo's bytes are: a file of the hub's library folder, or in the adopted set.
enum PhotoAt {
    Folder(String),
    Bytes(Vec<u8>, String),
}

/// A photo of a reference page (only files that a page shows are served).
#[utoipa::path(get, path = "/api/reference/photos/{sha256}",
    operation_id = "get_reference_photo", tag = "federation",
    params(("sha256" = String, Path, description = "The photo's SHA-256")),
    responses((status = 200, description = "The image, cached for a year (its address is its \
                  content)", content_type = "image/png"),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 404, description = "No page shows this photo", body = crate::error::Problem)))]
pub async fn photo(
    State(state): State<AppState>,
    who: Principal,
    Path(sha256): Path<String>,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let sha = sha256.clone();
    let at = state
        .db
        .read(move |s| {
            let missing = || ApiError::not_found(format!("no reference page shows photo {sha}"));
            if s.is_hub()? {
                let media_type = (s.pages()?.into_iter())
                    .flat_map(|p| p.page.photos)
                    .find(|p| p.sha256 == sha)
                    .map(|p| p.media_type)
                    .ok_or_else(missing)?;
                return Ok(PhotoAt::Folder(media_type));
            }
            let held = s.reference()?;
            let set = match &held.document {
                Some(d) => ReferenceSet::adopted(d).map_err(ApiError::internal)?,
                None => return Err(missing()),
            };
            let (bytes, media_type) = set.photo(&sha).ok_or_else(missing)?;
            Ok(PhotoAt::Bytes(bytes, media_type))
        })
        .await?;
    let (bytes, media_type) = match at {
        PhotoAt::Bytes(b, t) => (b, t),
        PhotoAt::Folder(t) => {
            let cell = state.library.clone();
            let lib = tokio::task::spawn_blocking(move || cell.get())
                .await
                .map_err(ApiError::internal)??;
            let path = lib.folder.path(&sha256);
            let bytes = tokio::fs::read(&path).await.map_err(|e| {
                ApiError::internal(format!(
                    "photo {sha256} is missing from the library folder ({e})"
                ))
            })?;
            (bytes, t)
        }
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&media_type).map_err(ApiError::internal)?,
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    Ok(response)
}
