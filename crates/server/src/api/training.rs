//! The training and certification register: people (names, contacts and national ID numbers
//! for training officers only, every read audited), course sessions by IMAS competency,
//! enrolments, assessments, certificates (suspended or withdrawn with a reason, expired from
//! the date), participation figures for every role (counts only, also as CSV), and the
//! warnings about a report's activities whose team lacks valid certificates. The public check
//! of a certificate code is in [`super::certificate_check`].

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use safeground_model::{Record, Sex};
use safeground_store::training::{
    Certificate, Competency, CourseSession, FigureRow, NewAssessment, NewCertificate,
    NewCourseSession, NewPerson, Person, PersonalDetails, activity_requirements,
};
use safeground_store::{Backend, Report, Role, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;

/// Fails with 403 unless `who` is a training officer.
fn officer(who: &Principal) -> ApiResult<()> {
    if who.role == Role::TrainingOfficer {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "only a training officer keeps the training register (you are {}); ask one",
            who.role
        )))
    }
}

/// Fails with 403 unless `who` reads the register's lists: a training officer or an
/// administrator (without personal data); every role reads the figures.
fn reader(who: &Principal) -> ApiResult<()> {
    who.require(Permission::Read)?;
    if matches!(who.role, Role::TrainingOfficer | Role::Administrator) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "the training register is read by training officers and administrators (you are \
             {}); the figures are open to you at GET /api/training/figures",
            who.role
        )))
    }
}

/// The store's refusals of a state (duplicate, already enrolled, already suspended) as 409.
fn refused(e: StoreError) -> ApiError {
    match e {
        StoreError::Account(m) => ApiError::conflict(m),
        other => other.into(),
    }
}

fn competency(value: &str) -> ApiResult<Competency> {
    value
        .parse()
        .map_err(|e: String| ApiError::field("competency", e))
}

/// One competency of the course vocabulary.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourseDoc {
    /// Code (`manual_deminer`).
    code: &'static str,
    /// English label.
    label: &'static str,
}

/// The courses, by IMAS competency.
#[utoipa::path(get, path = "/api/training/courses", operation_id = "training_courses",
    tag = "training", responses((status = 200, body = Vec<CourseDoc>),
                                (status = 401, body = crate::error::Problem)))]
pub async fn courses(who: Principal) -> ApiResult<Json<Vec<CourseDoc>>> {
    who.require(Permission::Read)?;
    Ok(Json(
        Competency::ALL
            .iter()
            .map(|c| CourseDoc {
                code: c.code(),
                label: c.label(),
            })
            .collect(),
    ))
}

/// A person to register.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewPersonDoc {
    /// Person id (`P-000123` or a UUID).
    person_id: String,
    /// Organisation local id.
    organisation: String,
    /// `female`, `male` or `unknown`.
    sex: String,
    /// Year of birth.
    birth_year: i32,
    /// Team local id.
    #[serde(default)]
    team: Option<String>,
    /// Full name (personal data).
    name: String,
    /// Telephone or e-mail (personal data).
    #[serde(default)]
    contact: Option<String>,
    /// National ID number (personal data).
    #[serde(default)]
    national_id: Option<String>,
}

/// A person of the register; `personal` only for a training officer who asked for it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonDoc {
    person_id: String,
    organisation: String,
    sex: String,
    birth_year: i32,
    /// Age band this year.
    age_band: &'static str,
    team: Option<String>,
    /// Name, contact and national ID (training officers with `?personal=true`, audited).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    personal: Option<PersonalDetails>,
}

fn person_doc(p: Person, personal: Option<PersonalDetails>) -> PersonDoc {
    let year = chrono::Datelike::year(&Utc::now());
    PersonDoc {
        age_band: safeground_store::training::age_band(p.birth_year, year),
        person_id: p.person_id,
        organisation: p.organisation,
        sex: p.sex.code().to_owned(),
        birth_year: p.birth_year,
        team: p.team,
        personal,
    }
}

#[derive(Debug, Default, Deserialize)]
struct PeopleQuery {
    personal: Option<bool>,
}

/// People of the register; with `?personal=true` a training officer also gets names, contacts
/// and national IDs (the read is audited).
#[utoipa::path(get, path = "/api/training/people", operation_id = "training_people",
    tag = "training",
    params(("personal" = Option<bool>, Query, description = "Include personal data (training officers)")),
    responses((status = 200, body = Vec<PersonDoc>), (status = 401, body = crate::error::Problem),
              (status = 403, body = crate::error::Problem)))]
pub async fn people(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Vec<PersonDoc>>> {
    reader(&who)?;
    let q: PeopleQuery = super::params::query(q.as_deref())?;
    let personal = q.personal.unwrap_or(false);
    if personal {
        officer(&who)?;
    }
    let docs = state
        .db
        .write(move |s| {
            let people = s.trainees()?;
            let mut details = if personal {
                s.trainee_personal(&who.username, None)?
            } else {
                Vec::new()
            };
            Ok(people
                .into_iter()
                .map(|p| {
                    let d = details
                        .iter()
                        .position(|(id, _)| *id == p.person_id)
                        .map(|i| details.swap_remove(i).1);
                    person_doc(p, d)
                })
                .collect())
        })
        .await?;
    Ok(Json(docs))
}

/// Registers a person (training officers).
#[utoipa::path(post, path = "/api/training/people", operation_id = "training_add_person",
    tag = "training", request_body = NewPersonDoc,
    responses((status = 201, body = PersonDoc), (status = 403, body = crate::error::Problem),
              (status = 409, description = "The person id is taken", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn add_person(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(p): ApiJson<NewPersonDoc>,
) -> ApiResult<Response> {
    officer(&who)?;
    let sex: Sex = p
        .sex
        .parse()
        .map_err(|e: safeground_model::UnknownValue| ApiError::field("sex", e.to_string()))?;
    let person = NewPerson {
        person_id: p.person_id,
        organisation: p.organisation,
        sex,
        birth_year: p.birth_year,
        team: p.team,
        personal: PersonalDetails {
            name: p.name,
            contact: p.contact,
            national_id: p.national_id,
        },
    };
    let added = state
        .db
        .write(move |s| s.add_trainee(&who.username, &person).map_err(refused))
        .await?;
    Ok((StatusCode::CREATED, Json(person_doc(added, None))).into_response())
}

/// A course session to record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewSessionDoc {
    /// Competency code (`GET /api/training/courses`).
    competency: String,
    /// Organisation giving it.
    organisation: String,
    /// Where.
    place: String,
    /// First day (YYYY-MM-DD).
    start_date: NaiveDate,
    /// Last day, on or after the first.
    end_date: NaiveDate,
    /// Instructors' person ids.
    #[serde(default)]
    instructors: Vec<String>,
}

/// Course sessions, newest first.
#[utoipa::path(get, path = "/api/training/sessions", operation_id = "training_sessions",
    tag = "training", responses((status = 200, body = Vec<super::schemas::CourseSessionDoc>),
                                (status = 403, body = crate::error::Problem)))]
pub async fn sessions(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<Vec<CourseSession>>> {
    reader(&who)?;
    Ok(Json(state.db.read(|s| Ok(s.course_sessions()?)).await?))
}

/// Records a course session (training officers).
#[utoipa::path(post, path = "/api/training/sessions", operation_id = "training_add_session",
    tag = "training", request_body = NewSessionDoc,
    responses((status = 201, body = super::schemas::CourseSessionDoc), (status = 403, body = crate::error::Problem),
              (status = 422, description = "Unknown competency, end before start, unknown instructor",
               body = crate::error::Problem)))]
pub async fn add_session(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(n): ApiJson<NewSessionDoc>,
) -> ApiResult<Response> {
    officer(&who)?;
    let session = NewCourseSession {
        competency: competency(&n.competency)?,
        organisation: n.organisation,
        place: n.place,
        start_date: n.start_date,
        end_date: n.end_date,
        instructors: n.instructors,
    };
    let added = state
        .db
        .write(move |s| {
            s.add_course_session(&who.username, &session)
                .map_err(refused)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(added)).into_response())
}

/// A participant to enrol.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EnrolDoc {
    /// Person id, of the session's organisation.
    person_id: String,
}

fn session_id(id: &str) -> ApiResult<i64> {
    id.parse()
        .map_err(|_| ApiError::not_found(format!("`{id}` is not a session id (a number)")))
}

/// Enrols a participant in a session (training officers).
#[utoipa::path(post, path = "/api/training/sessions/{id}/participants",
    operation_id = "training_enrol", tag = "training", request_body = EnrolDoc,
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 200, description = "The session", body = super::schemas::CourseSessionDoc),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "Enrolled already", body = crate::error::Problem),
              (status = 422, description = "Unknown person, or of another organisation",
               body = crate::error::Problem)))]
pub async fn enrol(
    State(state): State<AppState>,
    who: Principal,
    Path(id): Path<String>,
    ApiJson(e): ApiJson<EnrolDoc>,
) -> ApiResult<Json<CourseSession>> {
    officer(&who)?;
    let id = session_id(&id)?;
    let session = state
        .db
        .write(move |s| {
            if !s.course_sessions()?.iter().any(|x| x.id == id) {
                return Err(ApiError::not_found(format!("no course session {id}")));
            }
            s.enrol(&who.username, id, &e.person_id).map_err(refused)
        })
        .await?;
    Ok(Json(session))
}

/// An assessment to record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewAssessmentDoc {
    session_id: i64,
    person_id: String,
    passed: bool,
    /// 0–100.
    #[serde(default)]
    score: Option<f64>,
    assessed_on: NaiveDate,
    assessor: String,
}

/// Records the assessment of an enrolled participant (training officers).
#[utoipa::path(post, path = "/api/training/assessments", operation_id = "training_assess",
    tag = "training", request_body = NewAssessmentDoc,
    responses((status = 201, body = super::schemas::AssessmentDoc), (status = 403, body = crate::error::Problem),
              (status = 409, description = "Assessed already in that session", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn assess(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(a): ApiJson<NewAssessmentDoc>,
) -> ApiResult<Response> {
    officer(&who)?;
    let a = NewAssessment {
        session_id: a.session_id,
        person_id: a.person_id,
        passed: a.passed,
        score: a.score,
        assessed_on: a.assessed_on,
        assessor: a.assessor,
    };
    let done = state
        .db
        .write(move |s| s.assess(&who.username, &a).map_err(refused))
        .await?;
    Ok((StatusCode::CREATED, Json(done)).into_response())
}

/// A certificate, with its state today.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CertificateDoc {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    certificate: Certificate,
    /// valid, expired, suspended or withdrawn, today.
    state: &'static str,
}

fn certificate_doc(c: Certificate) -> CertificateDoc {
    CertificateDoc {
        state: c.state_on(Utc::now().date_naive()).code(),
        certificate: c,
    }
}

/// Certificates, with their state today.
#[utoipa::path(get, path = "/api/training/certificates", operation_id = "training_certificates",
    tag = "training", responses((status = 200, body = Vec<CertificateDoc>),
                                (status = 403, body = crate::error::Problem)))]
pub async fn certificates(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<Vec<CertificateDoc>>> {
    reader(&who)?;
    let all = state.db.read(|s| Ok(s.certificates()?)).await?;
    Ok(Json(all.into_iter().map(certificate_doc).collect()))
}

/// A certificate to issue.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewCertificateDoc {
    person_id: String,
    /// Competency code; the person must have passed an assessment in a session of it.
    competency: String,
    issued_on: NaiveDate,
    /// After `issued_on`.
    expires_on: NaiveDate,
}

/// Issues a certificate (training officers); it rests on a passed assessment of that
/// competency, else 422 naming `competency`.
#[utoipa::path(post, path = "/api/training/certificates", operation_id = "training_certify",
    tag = "training", request_body = NewCertificateDoc,
    responses((status = 201, body = CertificateDoc), (status = 403, body = crate::error::Problem),
              (status = 422, description = "No passed assessment, expiry before issue, unknown person",
               body = crate::error::Problem)))]
pub async fn certify(
    State(state): State<AppState>,
    who: Principal,
    ApiJson(c): ApiJson<NewCertificateDoc>,
) -> ApiResult<Response> {
    officer(&who)?;
    let c = NewCertificate {
        person_id: c.person_id,
        competency: competency(&c.competency)?,
        issued_on: c.issued_on,
        expires_on: c.expires_on,
    };
    let issued = state
        .db
        .write(move |s| s.certify(&who.username, &c).map_err(refused))
        .await?;
    Ok((StatusCode::CREATED, Json(certificate_doc(issued))).into_response())
}

/// A suspension or withdrawal.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StatusChangeDoc {
    /// Why (at least 5 characters).
    reason: String,
    /// From when (default today).
    #[serde(default)]
    date: Option<NaiveDate>,
}

async fn change(
    state: AppState,
    who: Principal,
    code: String,
    req: StatusChangeDoc,
    withdraw: bool,
) -> ApiResult<Json<CertificateDoc>> {
    officer(&who)?;
    let date = req.date.unwrap_or_else(|| Utc::now().date_naive());
    let c = state
        .db
        .write(move |s| {
            if s.certificate_by_code(&code)?.is_none() {
                return Err(ApiError::not_found(format!(
                    "no certificate with code `{code}`"
                )));
            }
            let r = if withdraw {
                s.withdraw_certificate(&who.username, &code, &req.reason, date)
            } else {
                s.suspend_certificate(&who.username, &code, &req.reason, date)
            };
            r.map_err(refused)
        })
        .await?;
    Ok(Json(certificate_doc(c)))
}

/// Suspends a valid certificate (training officers; audited with the reason).
#[utoipa::path(post, path = "/api/training/certificates/{code}/suspend",
    operation_id = "training_suspend", tag = "training", request_body = StatusChangeDoc,
    params(("code" = String, Path, description = "Certificate code")),
    responses((status = 200, body = CertificateDoc), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "Not valid", body = crate::error::Problem),
              (status = 422, description = "No reason, or a date before issue", body = crate::error::Problem)))]
pub async fn suspend(
    State(state): State<AppState>,
    who: Principal,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<StatusChangeDoc>,
) -> ApiResult<Json<CertificateDoc>> {
    change(state, who, code, req, false).await
}

/// Withdraws a valid or suspended certificate (training officers; audited with the reason).
#[utoipa::path(post, path = "/api/training/certificates/{code}/withdraw",
    operation_id = "training_withdraw", tag = "training", request_body = StatusChangeDoc,
    params(("code" = String, Path, description = "Certificate code")),
    responses((status = 200, body = CertificateDoc), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "Withdrawn already", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)))]
pub async fn withdraw(
    State(state): State<AppState>,
    who: Principal,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<StatusChangeDoc>,
) -> ApiResult<Json<CertificateDoc>> {
    change(state, who, code, req, true).await
}

#[derive(Debug, Default, Deserialize)]
struct FiguresQuery {
    format: Option<String>,
}

/// The figures as CSV text.
pub fn figures_csv(rows: &[FigureRow]) -> String {
    let mut out =
        String::from("organisation,competency,sex,age_band,year,participants,certificates\n");
    for r in rows {
        out += &format!(
            "{},{},{},{},{},{},{}\n",
            r.organisation.replace([',', '"', '\n'], " "),
            r.competency,
            r.sex.code(),
            r.age_band,
            r.year,
            r.participants,
            r.certificates
        );
    }
    out
}

/// Participants and certificates by organisation × competency × sex × age band × year: counts
/// only, no names or person ids (every role; `?format=csv` for a CSV file).
#[utoipa::path(get, path = "/api/training/figures", operation_id = "training_figures",
    tag = "training",
    params(("format" = Option<String>, Query, description = "json (default) or csv")),
    responses((status = 200, description = "The figures", content(
                  (Vec<super::schemas::TrainingFigureDoc> = "application/json"),
                  (String = "text/csv"))),
              (status = 401, body = crate::error::Problem)))]
pub async fn figures(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    who.require(Permission::Read)?;
    let q: FiguresQuery = super::params::query(q.as_deref())?;
    let rows = state.db.read(|s| Ok(s.training_figures()?)).await?;
    match q.format.as_deref() {
        None | Some("json") => Ok(Json(rows).into_response()),
        Some("csv") => {
            let mut resp = figures_csv(&rows).into_response();
            let h = resp.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"training-figures.csv\""),
            );
            Ok(resp)
        }
        Some(other) => Err(ApiError::field(
            "format",
            format!("format `{other}` is not available; use json or csv"),
        )),
    }
}

/// The training warnings of a report: for each activity naming a team, the competencies its
/// work needs that some registered member lacks on the activity's start date (or its end, or
/// the report's date). They inform the reviewer and never block approval.
pub fn report_warnings(s: &dyn Backend, r: &Report) -> ApiResult<Value> {
    let mut out = Vec::new();
    for (i, e) in r.content.entries.iter().enumerate() {
        let Record::Activity(a) = &e.record else {
            continue;
        };
        let Some(team) = a.team.as_deref() else {
            continue;
        };
        let needs = activity_requirements(a);
        let day = a
            .start_date
            .or(a.end_date)
            .unwrap_or(r.content.date_of_information);
        for w in s.team_warnings(team, &needs, day)? {
            out.push(json!({
                "entry": i,
                "local_id": a.local_id,
                "team": w.team,
                "competency": w.competency,
                "day": w.day,
                "members": w.members,
                "lacking": w.lacking.len(),
                "message": w.message,
            }));
        }
    }
    Ok(Value::Array(out))
}
