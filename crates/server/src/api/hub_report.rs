//! The regional report (issue 24): `GET /api/hub/report.xlsx` and `GET /api/hub/report.pdf`
//! lay out the regional figures with a column per country, each titled with when the hub
//! received its newest record, and one for the region; the XLSX writer and PDF renderer are
//! the national reports'. Only on a hub database.

use axum::extract::State;
use axum::response::Response;
use safeground_region::regional_report;

use super::figures::file;
use super::hub_dashboard::figures;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The regional report as an XLSX workbook: one sheet per table.
#[utoipa::path(get, path = "/api/hub/report.xlsx", tag = "federation",
    responses((status = 200, description = "The regional report, a column per country",
               content((super::schemas::FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 403, description = "No read permission", body = crate::error::Problem),
              (status = 404, description = "This programme is not a regional hub",
               body = crate::error::Problem)))]
pub async fn report_xlsx(State(state): State<AppState>, who: Principal) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let f = figures(&state, who.node_scope()).await?;
    let report = regional_report(&f);
    let name = format!(
        "safeground-regional-report-{}.xlsx",
        report.params.as_of.date
    );
    let bytes = tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().map_err(ApiError::internal)?;
        let path = dir.path().join("report.xlsx");
        safeground_report::write_xlsx(&report, &path).map_err(ApiError::internal)?;
        std::fs::read(&path).map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(file(bytes, XLSX, name))
}

/// The regional report as a PDF.
#[utoipa::path(get, path = "/api/hub/report.pdf", tag = "federation",
    responses((status = 200, description = "The regional report, a column per country",
               content((super::schemas::FileBytes = "application/pdf"))),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 403, description = "No read permission", body = crate::error::Problem),
              (status = 404, description = "This programme is not a regional hub",
               body = crate::error::Problem)))]
pub async fn report_pdf(State(state): State<AppState>, who: Principal) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let f = figures(&state, who.node_scope()).await?;
    let report = regional_report(&f);
    let name = format!(
        "safeground-regional-report-{}.pdf",
        report.params.as_of.date
    );
    let pdf = tokio::task::spawn_blocking(move || {
        safeground_report_pdf::render_pdf(&safeground_report::to_json(&report))
            .map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(file(pdf, "application/pdf", name))
}
