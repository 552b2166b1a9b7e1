//! The public check of a certificate code: anyone, without logging in, learns whether the
//! certificate is valid, expired, suspended or withdrawn, its competency, organisation and
//! last day of validity — never a name or a person id. An unknown code answers 404 after the
//! same lookup.

use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// What the public check tells.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CertificateCheck {
    /// Competency code (`manual_deminer`).
    competency: String,
    /// Its English label.
    competency_label: String,
    /// valid, expired, suspended or withdrawn, today.
    status: &'static str,
    /// Last day of validity (YYYY-MM-DD).
    valid_until: chrono::NaiveDate,
    /// The organisation the holder works for.
    organisation: Option<String>,
}

/// Checks a certificate code (no login).
#[utoipa::path(get, path = "/api/certificates/{code}", operation_id = "check_certificate",
    tag = "training", security(()),
    params(("code" = String, Path, description = "The code printed on the certificate")),
    responses((status = 200, body = CertificateCheck),
              (status = 404, description = "No certificate has this code", body = crate::error::Problem)))]
pub async fn check(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<CertificateCheck>> {
    let found = state
        .db
        .read(move |s| {
            let c = s.certificate_by_code(&code)?;
            let people = s.trainees()?;
            Ok(c.map(|c| {
                let organisation = people
                    .into_iter()
                    .find(|p| p.person_id == c.person_id)
                    .map(|p| p.organisation);
                (c, organisation)
            }))
        })
        .await?;
    let Some((c, organisation)) = found else {
        return Err(ApiError::not_found(
            "no certificate has this code; check it letter by letter (the letters I, L, O and \
             U are never used)",
        ));
    };
    Ok(Json(CertificateCheck {
        competency: c.competency.code().to_owned(),
        competency_label: c.competency.label().to_owned(),
        status: c.state_on(Utc::now().date_naive()).code(),
        valid_until: c.expires_on,
        organisation,
    }))
}
