//! Programme reports over HTTP: `GET /api/figures` gives the figures and treaty tables of crate
//! `report` as JSON, an XLSX workbook, a PDF, or one table as CSV. Casualty counts are
//! suppressed below 5 unless a national-authority user asks otherwise.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use safeground_report::{Language, Report, ReportError, ReportParams};
use safeground_store::AsOf;
use serde::Deserialize;

use super::params::query;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Query of `GET /api/figures`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FigureParams {
    /// json (default), xlsx, pdf or csv (with `table`).
    format: Option<String>,
    /// The table of a CSV (its id, e.g. `land_release_by_admin_area`).
    table: Option<String>,
    /// The world as it was on this day (default: today).
    as_of: Option<NaiveDate>,
    /// As the database knew it at this instant (RFC 3339).
    known_at: Option<DateTime<Utc>>,
    /// First day of the period.
    from: Option<NaiveDate>,
    /// Last day of the period.
    to: Option<NaiveDate>,
    /// Admin area P-code (sub-areas included).
    admin_area: Option<String>,
    /// Operator (item id or local id).
    organisation: Option<String>,
    /// Donor (item id or local id): only the work it funded.
    donor: Option<String>,
    /// Deadline of the national plan or treaty obligation.
    treaty_deadline: Option<NaiveDate>,
    /// Casualty counts below this are shown as "<N" (default 5; 0 only for national users).
    suppress_below: Option<u32>,
    /// en (default), km, lo, th, vi, my or az.
    language: Option<String>,
}

fn report_error(e: ReportError) -> ApiError {
    match e {
        ReportError::Store(e) => ApiError::from(e),
        ReportError::Parameters(m) => ApiError::bad_request(m),
        other => ApiError::internal(other),
    }
}

/// Adds the completion forecast to a report of today (the current state) when a deadline is
/// given or saved in the planning settings.
fn add_forecast(store: &dyn safeground_store::Backend, report: &mut Report) -> ApiResult<()> {
    let today = Utc::now().date_naive();
    let p = &report.params;
    if p.as_of.date < today || p.as_of.known_at.is_some() {
        return Ok(());
    }
    let Some(deadline) = p
        .treaty_deadline
        .or(store.planning_settings()?.article5_deadline)
    else {
        return Ok(());
    };
    let f = safeground_planning::programme::report_forecast(store, today, Some(deadline)).map_err(
        |e| match e {
            safeground_planning::programme::ProgrammeError::Store(s) => ApiError::from(s),
            other => ApiError::internal(other),
        },
    )?;
    report.add_completion_forecast(&f);
    Ok(())
}

/// A download named `name`.
pub(crate) fn file(bytes: Vec<u8>, content_type: &'static str, name: String) -> Response {
    let mut resp = bytes.into_response();
    let headers = resp.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// The programme's figures and treaty tables.
#[utoipa::path(get, path = "/api/figures", tag = "items", params(FigureParams),
    responses((status = 200, description = "The report (JSON, XLSX, PDF or CSV)", content(
                  (super::schemas::FiguresDoc = "application/json"),
                  (super::schemas::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                  (super::schemas::FileBytes = "application/pdf"),
                  (String = "text/csv"))),
              (status = 400, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)))]
pub async fn figures(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let p: FigureParams = query(q.as_deref())?;
    let suppress = p.suppress_below.unwrap_or(5);
    if suppress < 5 && !who.national {
        return Err(ApiError::forbidden(
            "casualty figures below 5 are published suppressed; only a national-authority user \
             may lower the threshold",
        ));
    }
    let language = match p.language.as_deref() {
        None => Language::En,
        Some(code) => {
            Language::from_code(code).map_err(|e| ApiError::bad_request(e.to_string()))?
        }
    };
    let params = ReportParams {
        as_of: AsOf {
            date: p.as_of.unwrap_or_else(|| Utc::now().date_naive()),
            known_at: p.known_at,
        },
        from: p.from,
        to: p.to,
        admin_area: p.admin_area,
        organisation: p.organisation,
        donor: p.donor,
        treaty_deadline: p.treaty_deadline,
        suppression_threshold: (suppress > 0).then_some(suppress),
        language,
    };
    let format = p.format.unwrap_or_else(|| "json".into());
    let table = p.table;
    state
        .db
        .read(move |store| {
            let mut report = Report::build(store, &params).map_err(report_error)?;
            add_forecast(store, &mut report)?;
            let stem = format!("safeground-report-{}", params.as_of.date);
            match format.as_str() {
                "json" => Ok(axum::Json(safeground_report::to_json(&report)).into_response()),
                "xlsx" => {
                    let dir = tempfile::tempdir().map_err(ApiError::internal)?;
                    let path = dir.path().join("report.xlsx");
                    safeground_report::write_xlsx(&report, &path).map_err(report_error)?;
                    let bytes = std::fs::read(&path).map_err(ApiError::internal)?;
                    Ok(file(
                        bytes,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        format!("{stem}.xlsx"),
                    ))
                }
                "pdf" => {
                    let pdf =
                        safeground_report_pdf::render_pdf(&safeground_report::to_json(&report))
                            .map_err(ApiError::internal)?;
                    Ok(file(pdf, "application/pdf", format!("{stem}.pdf")))
                }
                "csv" => {
                    let ids = || {
                        report
                            .tables
                            .iter()
                            .map(|t| t.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    let id = table.ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "a CSV holds one table: add table=ID ({})",
                            ids()
                        ))
                    })?;
                    let t = report.table(&id).ok_or_else(|| {
                        ApiError::bad_request(format!("no table `{id}`; the tables are: {}", ids()))
                    })?;
                    let mut bytes = Vec::new();
                    safeground_report::write_csv(t, &mut bytes).map_err(report_error)?;
                    Ok(file(
                        bytes,
                        "text/csv; charset=utf-8",
                        format!("{stem}-{id}.csv"),
                    ))
                }
                other => Err(ApiError::bad_request(format!(
                    "format `{other}` is not available; use json, xlsx, pdf or csv"
                ))),
            }
        })
        .await
}
