//! The report workflow over HTTP: create draft, edit (If-Match), submit, review, reconcile,
//! link, approve, reject. Operators see and act only on their organisation's reports; the
//! national authority on all. Victims' personal data are withheld from roles without the
//! personal-data permission.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use safeground_model::{ItemKind, Record};
use safeground_store::{
    ApproveOptions, Backend, Flow, NewReport, ProgrammeArea, Reconcile, Report, ReportFilter,
    ReportStatus, StoreError,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::params::{limit, query, report_id};
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::json::{ApiJson, check_if_match, etag};
use crate::state::AppState;

/// ETag of a report revision.
fn report_etag(r: &Report) -> String {
    etag("r", r.revision)
}

/// Loads a report the principal may see, or fails (404 unknown, 403 other organisation).
pub(super) fn visible_report(s: &dyn Backend, who: &Principal, id: i64) -> ApiResult<Report> {
    let r = s.report(id)?;
    if !who.sees_organisation(r.content.organisation.as_deref()) {
        return Err(ApiError::forbidden(format!(
            "report {id} belongs to another organisation ({}); you see only {}'s reports",
            r.content.organisation.as_deref().unwrap_or("none"),
            who.organisation
        )));
    }
    Ok(r)
}

/// The JSON of a report as this principal may see it: victims' personal data are withheld
/// unless the role allows them. The flag says whether personal data are included, in which
/// case the caller must audit the read before answering.
fn report_doc(who: &Principal, r: &Report) -> ApiResult<(Value, bool)> {
    let mut doc = serde_json::to_value(r).map_err(ApiError::internal)?;
    // Readers who write no reports get victims' and accidents' quasi-identifiers generalised
    // (writers edit and review the exact record).
    if !who.can(Permission::WriteReports)
        && let Some(entries) = doc.get_mut("entries").and_then(Value::as_array_mut)
    {
        for e in entries.iter_mut().filter_map(|e| e.get_mut("record")) {
            super::quasi::generalise_record(e);
        }
    }
    let has_personal = r.content.entries.iter().any(|e| e.personal_data.is_some());
    if has_personal && !who.can(Permission::PersonalData) {
        if let Some(entries) = doc.get_mut("entries").and_then(Value::as_array_mut) {
            for e in entries.iter_mut().filter_map(Value::as_object_mut) {
                if e.remove("personal_data").is_some() {
                    e.insert("personal_data_withheld".into(), Value::Bool(true));
                }
            }
        }
        return Ok((doc, false));
    }
    Ok((doc, has_personal))
}

fn audit_personal_read(s: &mut dyn Backend, who: &Principal, id: i64) -> ApiResult<()> {
    s.record_audit(
        &who.username,
        "personal_data.read",
        &format!("report:{id}"),
        who.personal_read_detail().as_deref(),
    )?;
    Ok(())
}

/// A report response with its ETag (and Location when created).
fn respond(doc: Value, revision: i64, id: i64, status: StatusCode) -> Response {
    let mut resp = (status, Json(doc)).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag("r", revision)) {
        resp.headers_mut().insert(header::ETAG, v);
    }
    if status == StatusCode::CREATED
        && let Ok(v) = HeaderValue::from_str(&format!("/api/reports/{id}"))
    {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// A report response built inside a write (personal-data reads audited in it).
fn report_response(
    s: &mut dyn Backend,
    who: &Principal,
    r: &Report,
    status: StatusCode,
    extra: Option<Value>,
) -> ApiResult<Response> {
    let (doc, audited) = report_doc(who, r)?;
    if audited {
        audit_personal_read(s, who, r.id)?;
    }
    let body = match extra {
        Some(result) => json!({ "report": doc, "result": result }),
        None => doc,
    };
    Ok(respond(body, r.revision, r.id, status))
}

/// Sets and checks the organisation of a report written by `who`.
pub(crate) fn own_organisation(who: &Principal, report: &mut NewReport) -> ApiResult<()> {
    match report.organisation.as_deref() {
        None => report.organisation = Some(who.organisation.clone()),
        Some(o) if who.sees_organisation(Some(o)) => {}
        Some(o) => {
            return Err(ApiError::forbidden(format!(
                "you may write reports only for your organisation ({}), not {o}",
                who.organisation
            )));
        }
    }
    Ok(())
}

/// The organisation field of a record that says whose work it is (activity, risk-education
/// session, victim-assistance service, QA visit).
fn work_organisation(record: &mut Record) -> Option<&mut Option<String>> {
    match record {
        Record::Activity(a) => Some(&mut a.organisation),
        Record::RiskEducation(r) => Some(&mut r.organisation),
        Record::Assistance(a) => Some(&mut a.organisation),
        Record::QaVisit(q) => Some(&mut q.organisation),
        _ => None,
    }
}

/// Records that do not name the organisation whose work they are get the report's
/// organisation (by default the writer's own), when that is an organisation of the programme:
/// a data-entry user's activity is their organisation's, and an approver who enters a report
/// for another organisation names it on the report.
pub(crate) fn fill_work_organisation(s: &dyn Backend, report: &mut NewReport) -> ApiResult<()> {
    let Some(org) = report.organisation.clone() else {
        return Ok(());
    };
    let mut unnamed = report
        .entries
        .iter_mut()
        .filter_map(|e| work_organisation(&mut e.record))
        .filter(|o| o.is_none())
        .peekable();
    if unnamed.peek().is_none() {
        return Ok(());
    }
    let mut known = false;
    s.for_each_current(ItemKind::Organisation, None, &mut |v| {
        if let Record::Organisation(o) = &v.record
            && (o.local_id == org || v.item == org)
        {
            known = true;
            return Ok(Flow::Stop);
        }
        Ok(Flow::Continue)
    })?;
    if known {
        for o in unnamed {
            *o = Some(org.clone());
        }
    }
    Ok(())
}

/// Query of the report list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// draft, submitted, approved or rejected.
    status: Option<String>,
    /// Organisation local id (national authority only; others always see their own).
    organisation: Option<String>,
    /// Reports with an id greater than this (next page).
    after: Option<i64>,
    /// Page size (default 100, at most 1000).
    limit: Option<usize>,
}

/// Lists reports (without entries).
#[utoipa::path(get, path = "/api/reports", operation_id = "list_reports", tag = "reports", params(ListParams),
    responses((status = 200, description = "Reports, oldest first", body = super::schemas::ReportList),
              (status = 401, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    let p: ListParams = query(q.as_deref())?;
    let status = p
        .status
        .as_deref()
        .map(|s| {
            ReportStatus::from_code(s).ok_or_else(|| {
                ApiError::field(
                    "status",
                    format!("`{s}` is not a status: draft, submitted, approved or rejected"),
                )
            })
        })
        .transpose()?;
    let organisation = if who.national {
        p.organisation
    } else {
        if p.organisation
            .as_deref()
            .is_some_and(|o| o != who.organisation)
        {
            return Err(ApiError::forbidden(format!(
                "you see only your organisation's reports ({})",
                who.organisation
            )));
        }
        Some(who.organisation.clone())
    };
    let filter = ReportFilter {
        status,
        organisation,
        after: p.after,
        limit: limit(p.limit, 100, 1000)?,
    };
    let page = filter.limit;
    let reports = state.db.read(move |s| Ok(s.list_reports(&filter)?)).await?;
    let next = (reports.len() == page)
        .then(|| reports.last().map(|r| r.id))
        .flatten();
    Ok(Json(json!({ "reports": reports, "next_after": next })))
}

/// Query of report creation.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CreateParams {
    /// `true`: validate and submit at once (nothing is written when invalid).
    submit: Option<String>,
    /// `true`: submit places more than 1 km outside the programme area too.
    accept_outside_programme_area: Option<String>,
}

/// Query of submission.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmitParams {
    /// `true`: submit places more than 1 km outside the programme area too (by default they
    /// are refused with the distance).
    accept_outside_programme_area: Option<String>,
}

fn is_true(v: Option<&str>) -> bool {
    matches!(v, Some("true" | "1"))
}

/// Refuses a report with a place more than 1 km outside the programme area (the outermost admin
/// boundaries), naming each entry's field and the distance, unless `accept`.
pub(crate) fn within_programme_area(
    s: &dyn Backend,
    report: &NewReport,
    accept: bool,
) -> ApiResult<()> {
    if accept {
        return Ok(());
    }
    let Some(area) = ProgrammeArea::load(s)? else {
        return Ok(());
    };
    let outside: Vec<_> = (area.check_report(report).into_iter())
        .map(|o| safeground_model::FieldError {
            field: format!("entries[{}].record.{}", o.entry, o.field),
            message: o.reason("accept_outside_programme_area=true"),
        })
        .collect();
    if outside.is_empty() {
        return Ok(());
    }
    Err(StoreError::Invalid(safeground_model::ValidationErrors(outside)).into())
}

/// Creates a draft report (the organisation defaults to the user's, and so does the
/// organisation of an activity, session, service or QA visit that names none), or with
/// `?submit=true` creates and submits it in one transaction.
#[utoipa::path(post, path = "/api/reports", tag = "reports", request_body = Value, params(CreateParams),
    responses((status = 201, description = "Draft created; ETag and Location set", body = super::schemas::ReportDoc),
              (status = 403, body = crate::error::Problem),
              (status = 422, description = "A field is malformed", body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
    ApiJson(mut report): ApiJson<NewReport>,
) -> ApiResult<Response> {
    who.require(Permission::WriteReports)?;
    own_organisation(&who, &mut report)?;
    let params = query::<CreateParams>(q.as_deref())?;
    let submit = is_true(params.submit.as_deref());
    let accept = is_true(params.accept_outside_programme_area.as_deref());
    if submit {
        report = super::geometry::check_before_writing(report).await?;
    }
    state
        .db
        .write(move |s| {
            fill_work_organisation(s, &mut report)?;
            let id = if submit {
                within_programme_area(s, &report, accept)?;
                // Created and submitted in one transaction: an invalid report writes nothing.
                s.submit_batch(&who.username, std::slice::from_ref(&report))
                    .map_err(|e| {
                        ApiError::from(e)
                            .map_fields(|f| f.strip_prefix("reports[0].").unwrap_or(f).to_owned())
                    })?
                    .first()
                    .copied()
                    .ok_or_else(|| ApiError::internal("submit_batch returned no id"))?
            } else {
                s.create_report(&who.username, &report)?
            };
            let r = s.report(id)?;
            report_response(s, &who, &r, StatusCode::CREATED, None)
        })
        .await
}

/// Reads a report (ETag = its revision).
#[utoipa::path(get, path = "/api/reports/{id}", operation_id = "get_report", tag = "reports",
    params(("id" = i64, Path, description = "Report id")),
    responses((status = 200, body = super::schemas::ReportDoc), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let id = report_id(&id)?;
    let reader = who.clone();
    let (doc, revision, audited) = state
        .db
        .read(move |s| {
            let r = visible_report(s, &reader, id)?;
            let (mut doc, audited) = report_doc(&reader, &r)?;
            doc["training_warnings"] = super::training::report_warnings(s, &r)?;
            Ok((doc, r.revision, audited))
        })
        .await?;
    if audited {
        state
            .db
            .write(move |s| audit_personal_read(s, &who, id))
            .await?;
    }
    Ok(respond(doc, revision, id, StatusCode::OK))
}

/// Replaces a draft; needs `If-Match` with the ETag read. Personal data withheld from the
/// writer stay as stored.
#[utoipa::path(put, path = "/api/reports/{id}", tag = "reports", request_body = Value,
    params(("id" = i64, Path, description = "Report id"),
           ("If-Match" = String, Header, description = "ETag of the revision edited")),
    responses((status = 200, body = super::schemas::ReportDoc), (status = 409, body = crate::error::Problem),
              (status = 412, description = "Changed since read", body = crate::error::Problem),
              (status = 428, body = crate::error::Problem)))]
pub async fn update(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(mut report): ApiJson<NewReport>,
) -> ApiResult<Response> {
    who.require(Permission::WriteReports)?;
    let id = report_id(&id)?;
    own_organisation(&who, &mut report)?;
    state
        .db
        .write(move |s| {
            let current = visible_report(s, &who, id)?;
            check_if_match(&headers, &report_etag(&current), true)?;
            super::personal::keep_withheld(&who, &current, &mut report);
            fill_work_organisation(s, &mut report)?;
            s.update_draft(&who.username, id, &report)?;
            let r = s.report(id)?;
            report_response(s, &who, &r, StatusCode::OK, None)
        })
        .await
}

/// Runs a workflow action on a report the principal may act on, checking If-Match if sent.
async fn act(
    state: AppState,
    who: Principal,
    id: String,
    headers: HeaderMap,
    needs: Permission,
    action: impl FnOnce(&mut dyn Backend, &Principal, i64) -> ApiResult<Option<Value>> + Send + 'static,
) -> ApiResult<Response> {
    who.require(needs)?;
    let id = report_id(&id)?;
    state
        .db
        .write(move |s| {
            let current = visible_report(s, &who, id)?;
            check_if_match(&headers, &report_etag(&current), false)?;
            let extra = action(s, &who, id)?;
            let r = s.report(id)?;
            report_response(s, &who, &r, StatusCode::OK, extra)
        })
        .await
}

/// Validates a draft fully and submits it for review.
#[utoipa::path(post, path = "/api/reports/{id}/submit", tag = "reports",
    params(("id" = i64, Path, description = "Report id"), SubmitParams),
    responses((status = 200, body = super::schemas::ReportDoc),
              (status = 422, description = "Invalid fields, each named", body = crate::error::Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let params = query::<SubmitParams>(q.as_deref())?;
    let accept = is_true(params.accept_outside_programme_area.as_deref());
    // The draft's geometries checked before the writer is taken; the writer reports errors.
    let draft = report_id(&id)?;
    if who.can(Permission::WriteReports)
        && let Ok(r) = state.db.read(move |s| Ok(s.report(draft)?.content)).await
    {
        let _ = super::geometry::check_before_writing(r).await;
    }
    act(
        state,
        who,
        id,
        headers,
        Permission::WriteReports,
        move |s, who, id| {
            within_programme_area(s, &s.report(id)?.content, accept)?;
            s.submit_report(&who.username, id)?;
            Ok(None)
        },
    )
    .await
}

/// The review view of a submitted report: each entry beside the current version of the item
/// it updates, with the version number to send as `base_version`.
#[utoipa::path(get, path = "/api/reports/{id}/review", operation_id = "review_report", tag = "reports",
    params(("id" = i64, Path, description = "Report id")),
    responses((status = 200, body = super::schemas::ReviewView), (status = 403, body = crate::error::Problem)))]
pub async fn review(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    who.require(Permission::Review)?;
    let id = report_id(&id)?;
    state
        .db
        .read(move |s| {
            let r = visible_report(s, &who, id)?;
            let mut entries = Vec::new();
            for (i, e) in r.content.entries.iter().enumerate() {
                let current = match &e.reconcile {
                    Reconcile::Update { item, .. } => {
                        match s.item_as_of(item, safeground_store::AsOf::now())? {
                            Some(v) => json!({
                                "item": v.item,
                                "version": s.version_count(&v.item)?,
                                "valid_from": v.valid_from,
                                "record": v.record,
                            }),
                            None => Value::Null,
                        }
                    }
                    Reconcile::New => Value::Null,
                };
                entries.push(json!({
                    "index": i,
                    "kind": e.record.kind().code(),
                    "local_id": e.record.local_id(),
                    "reconcile": e.reconcile,
                    "reported": e.record,
                    "current": current,
                    "references": e.record.references().into_iter().map(|(f, r)| json!({"field": f, "target": r})).collect::<Vec<_>>(),
                }));
            }
            Ok(Json(json!({
                "id": r.id, "status": r.status, "revision": r.revision,
                "organisation": r.content.organisation, "title": r.content.title,
                "date_of_information": r.content.date_of_information,
                "entries": entries,
                "training_warnings": super::training::report_warnings(s, &r)?,
            })))
        })
        .await
}

/// How to reconcile one entry.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReconcileBody {
    /// `new` or `update`.
    action: String,
    /// Item updated (id or unique local id), for `update`.
    item: Option<String>,
    /// The item's version the update is based on (from its ETag or the review view).
    base_version: Option<u32>,
}

/// Sets how one entry becomes an item: new, or an update of an existing item.
#[utoipa::path(post, path = "/api/reports/{id}/entries/{entry}/reconcile", tag = "reports",
    request_body = ReconcileBody,
    params(("id" = i64, Path, description = "Report id"), ("entry" = usize, Path, description = "0-based entry")),
    responses((status = 200, body = super::schemas::ReportDoc), (status = 422, body = crate::error::Problem)))]
pub async fn reconcile(
    State(state): State<AppState>,
    who: Principal,
    Path((id, entry)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ReconcileBody>,
) -> ApiResult<Response> {
    let entry = entry_index(&entry)?;
    let reconcile = match (body.action.as_str(), body.item) {
        ("new", _) => Reconcile::New,
        ("update", Some(item)) => Reconcile::Update {
            item,
            base_version: body.base_version,
        },
        ("update", None) => return Err(ApiError::field("item", "an update names the item")),
        (other, _) => {
            return Err(ApiError::field(
                "action",
                format!("`{other}` is not an action: new or update"),
            ));
        }
    };
    act(
        state,
        who,
        id,
        headers,
        Permission::Review,
        move |s, who, id| {
            s.reconcile_entry(&who.username, id, entry, reconcile)?;
            Ok(None)
        },
    )
    .await
}

/// A link of an entry's reference field to an item.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LinkBody {
    /// Reference field (`hazard`, `accident`, `activity`, `organisation`, ...).
    field: String,
    /// Item id.
    target: String,
}

/// Links a reference field of one entry to an existing item.
#[utoipa::path(post, path = "/api/reports/{id}/entries/{entry}/link", tag = "reports",
    request_body = LinkBody,
    params(("id" = i64, Path, description = "Report id"), ("entry" = usize, Path, description = "0-based entry")),
    responses((status = 200, body = super::schemas::ReportDoc), (status = 422, body = crate::error::Problem)))]
pub async fn link(
    State(state): State<AppState>,
    who: Principal,
    Path((id, entry)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LinkBody>,
) -> ApiResult<Response> {
    let entry = entry_index(&entry)?;
    act(
        state,
        who,
        id,
        headers,
        Permission::Review,
        move |s, who, id| {
            s.link_entry(&who.username, id, entry, &body.field, &body.target)?;
            Ok(None)
        },
    )
    .await
}

/// Approval options.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ApproveBody {
    /// Comment recorded with the approval.
    comment: Option<String>,
    /// Store updates dated before the current version as historical versions.
    #[serde(default)]
    allow_backdated: bool,
}

/// Approves a submitted report: versions, links and derived state in one transaction. With
/// four-eyes approval (the default) the user who created or submitted it may not (403).
#[utoipa::path(post, path = "/api/reports/{id}/approve", tag = "reports",
    request_body = ApproveBody,
    params(("id" = i64, Path, description = "Report id")),
    responses((status = 200, description = "The report and the items written", body = super::schemas::ApprovedReport),
              (status = 409, description = "Stale or conflicting update", body = crate::error::Problem)))]
pub async fn approve(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let body: ApproveBody = crate::json::parse_or_default(&body)?;
    let tiles = state.tiles.clone();
    let four_eyes = state.config.four_eyes;
    let resp = act(
        state,
        who,
        id,
        headers,
        Permission::Approve,
        move |s, who, id| {
            let done = s.approve_report(
                &who.username,
                id,
                &ApproveOptions {
                    comment: body.comment,
                    allow_backdated: body.allow_backdated,
                    four_eyes,
                },
            )?;
            Ok(Some(
                json!({ "items": done.items, "hazards_recomputed": done.hazards_recomputed }),
            ))
        },
    )
    .await?;
    tiles.invalidate();
    Ok(resp)
}

/// A rejection.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RejectBody {
    /// Why (required; the field team reads it).
    comment: String,
}

/// Rejects a submitted report with a comment.
#[utoipa::path(post, path = "/api/reports/{id}/reject", tag = "reports",
    request_body = RejectBody,
    params(("id" = i64, Path, description = "Report id")),
    responses((status = 200, body = super::schemas::ReportDoc), (status = 422, body = crate::error::Problem)))]
pub async fn reject(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RejectBody>,
) -> ApiResult<Response> {
    if body.comment.trim().is_empty() {
        return Err(ApiError::field(
            "comment",
            "say why the report is rejected; the field team reads it",
        ));
    }
    act(
        state,
        who,
        id,
        headers,
        Permission::Review,
        move |s, who, id| {
            s.reject_report(&who.username, id, &body.comment)?;
            Ok(None)
        },
    )
    .await
}

fn entry_index(raw: &str) -> ApiResult<usize> {
    raw.parse()
        .map_err(|_| ApiError::field("entry", format!("`{raw}` is not an entry index")))
}
