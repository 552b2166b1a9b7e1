//! The training and certification register: people (trainees and instructors) with their
//! personal data kept apart, course sessions by IMAS competency, enrolments, assessments and
//! certificates with unguessable codes for the public check.
//!
//! Rules: only an enabled `training_officer` account writes, and only it reads a person's
//! name, contact and national ID number (every read audited, `training_personal.read`); a
//! session ends on or after its start; a participant belongs to the session's organisation
//! and is enrolled once; a certificate needs a passed assessment of that person in a session
//! of that competency, expires after it is issued, and is suspended or withdrawn with a reason
//! and a date, audited. "Expired" is never stored: it is derived from the expiry date.
//! Every write and its audit line go in one transaction.

mod rows;
mod types;
mod warnings;

use chrono::{Datelike, NaiveDate, Utc};
use safeground_model::ValidationErrors;

use crate::{AccountStore, Result, Role, StoreError};

pub(crate) use rows::{TrainingAudit, TrainingRows};
pub use types::*;
pub use warnings::{Requirement, TeamWarning, activity_requirements, requirements};

/// The training and certification register.
pub trait TrainingStore {
    /// Registers a person (a training officer; audited `training.person.add`, without the
    /// personal data).
    fn add_trainee(&mut self, actor: &str, person: &NewPerson) -> Result<Person>;
    /// Every person, by id, without personal data.
    fn trainees(&self) -> Result<Vec<Person>>;
    /// The personal details of `person` (every person when None), for a training officer
    /// only; every read audited `training_personal.read`.
    fn trainee_personal(
        &mut self,
        actor: &str,
        person: Option<&str>,
    ) -> Result<Vec<(String, PersonalDetails)>>;
    /// Records a course session (a training officer; audited).
    fn add_course_session(
        &mut self,
        actor: &str,
        session: &NewCourseSession,
    ) -> Result<CourseSession>;
    /// Every course session, newest first.
    fn course_sessions(&self) -> Result<Vec<CourseSession>>;
    /// Enrols a participant (a training officer; audited).
    fn enrol(&mut self, actor: &str, session: i64, person: &str) -> Result<CourseSession>;
    /// Records an assessment of an enrolled participant (a training officer; audited).
    fn assess(&mut self, actor: &str, assessment: &NewAssessment) -> Result<Assessment>;
    /// Every assessment, by id.
    fn assessments(&self) -> Result<Vec<Assessment>>;
    /// Issues a certificate resting on a passed assessment of that competency (a training
    /// officer; audited `training.certify`).
    fn certify(&mut self, actor: &str, certificate: &NewCertificate) -> Result<Certificate>;
    /// Every certificate, by id.
    fn certificates(&self) -> Result<Vec<Certificate>>;
    /// The certificate of a public-check code (case, spaces and dashes ignored).
    fn certificate_by_code(&self, code: &str) -> Result<Option<Certificate>>;
    /// Suspends a valid certificate from `date` saying why (audited `training.suspend`).
    fn suspend_certificate(
        &mut self,
        actor: &str,
        code: &str,
        reason: &str,
        date: NaiveDate,
    ) -> Result<Certificate>;
    /// Withdraws a valid or suspended certificate from `date` saying why (audited
    /// `training.withdraw`).
    fn withdraw_certificate(
        &mut self,
        actor: &str,
        code: &str,
        reason: &str,
        date: NaiveDate,
    ) -> Result<Certificate>;
    /// Participants and certificates by organisation × competency × sex × age band × year.
    fn training_figures(&self) -> Result<Vec<FigureRow>>;
    /// The warnings about `team` doing work that needs `needs` on `day`: one per requirement
    /// some registered member of the team does not meet.
    fn team_warnings(
        &self,
        team: &str,
        needs: &[Requirement],
        day: NaiveDate,
    ) -> Result<Vec<TeamWarning>>;
}

pub(crate) fn invalid(field: &str, message: String) -> StoreError {
    let mut e = ValidationErrors::default();
    e.add(field, message);
    StoreError::Invalid(e)
}

fn refused(message: String) -> StoreError {
    StoreError::Account(message)
}

/// Fails unless `actor` is an enabled training officer.
fn officer<S: AccountStore + ?Sized>(store: &S, actor: &str) -> Result<()> {
    let account = store
        .account(actor)?
        .filter(|a| !a.disabled)
        .ok_or_else(|| refused(format!("no enabled account `{actor}`")))?;
    if account.role != Role::TrainingOfficer {
        return Err(refused(format!(
            "only a training officer keeps the training register and reads its personal \
             data; `{actor}` is {}",
            account.role
        )));
    }
    Ok(())
}

/// Checks an id-like value (person id, organisation, team): 1–64 characters of letters,
/// digits, `-`, `_`, `.`.
fn check_id(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() || v.len() > 64 {
        return Err(invalid(
            field,
            format!("give 1 to 64 characters; `{v}` given"),
        ));
    }
    if !v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(invalid(
            field,
            format!("`{v}` may hold only letters, digits, `-`, `_` and `.`"),
        ));
    }
    Ok(v.to_owned())
}

fn check_text(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(field, "is required".into()));
    }
    if v.chars().count() > max {
        return Err(invalid(field, format!("keep it under {max} characters")));
    }
    Ok(v.to_owned())
}

fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| check_text(field, v, max))
        .transpose()
}

/// Normalises a public-check code: upper case, spaces and dashes dropped.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Crockford's base32 alphabet (no I, L, O, U).
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new certificate code: 20 characters of Crockford base32 (100 random bits).
fn new_code() -> Result<String> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::corrupt("random source", format!("no random bytes: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(CROCKFORD[usize::from(b & 31)]))
        .collect())
}

fn person_of<S: TrainingRows + ?Sized>(store: &S, field: &str, id: &str) -> Result<Person> {
    store
        .person_rows()?
        .into_iter()
        .find(|p| p.person_id == id.trim())
        .ok_or_else(|| {
            invalid(
                field,
                format!(
                    "no person `{}` in the training register; register them first",
                    id.trim()
                ),
            )
        })
}

fn session_of<S: TrainingRows + ?Sized>(store: &S, id: i64) -> Result<CourseSession> {
    store
        .session_rows()?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| invalid("session", format!("no course session {id}")))
}

fn check_reason(reason: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.chars().count() < 5 {
        return Err(invalid(
            "reason",
            "say why (at least 5 characters): the incident, the decision, who decided".into(),
        ));
    }
    check_text("reason", reason, 1000)
}

impl<S: AccountStore + TrainingRows> TrainingStore for S {
    fn add_trainee(&mut self, actor: &str, p: &NewPerson) -> Result<Person> {
        officer(self, actor)?;
        let person_id = check_id("person_id", &p.person_id)?;
        let organisation = check_id("organisation", &p.organisation)?;
        let team = p
            .team
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| check_id("team", t))
            .transpose()?;
        let this_year = Utc::now().year();
        if !(1930..=this_year - 14).contains(&p.birth_year) {
            return Err(invalid(
                "birth_year",
                format!(
                    "{} is no plausible year of birth of a trainee (1930–{})",
                    p.birth_year,
                    this_year - 14
                ),
            ));
        }
        let personal = PersonalDetails {
            name: check_text("name", &p.personal.name, 200)?,
            contact: optional_text("contact", p.personal.contact.as_deref(), 200)?,
            national_id: optional_text("national_id", p.personal.national_id.as_deref(), 64)?,
        };
        let person = Person {
            person_id,
            organisation,
            sex: p.sex,
            birth_year: p.birth_year,
            team,
            created_at: Utc::now(),
        };
        let audit = TrainingAudit {
            actor,
            action: "training.person.add",
            target: format!("training_person:{}", person.person_id),
            detail: format!(
                "{} ({}, team {})",
                person.organisation,
                person.sex.code(),
                person.team.as_deref().unwrap_or("none")
            ),
        };
        if !self.insert_person(&person, &personal, &audit)? {
            return Err(refused(format!(
                "person `{}` is already registered",
                person.person_id
            )));
        }
        Ok(person)
    }

    fn trainees(&self) -> Result<Vec<Person>> {
        self.person_rows()
    }

    fn trainee_personal(
        &mut self,
        actor: &str,
        person: Option<&str>,
    ) -> Result<Vec<(String, PersonalDetails)>> {
        officer(self, actor)?;
        if let Some(id) = person {
            person_of(self, "person_id", id)?;
        }
        let audit = TrainingAudit {
            actor,
            action: "training_personal.read",
            target: format!("training_person:{}", person.map_or("*", str::trim)),
            detail: if person.is_some() {
                "name, contact, national ID".into()
            } else {
                "names, contacts, national IDs of the register".into()
            },
        };
        self.personal_rows(person.map(str::trim), &audit)
    }

    fn add_course_session(&mut self, actor: &str, s: &NewCourseSession) -> Result<CourseSession> {
        officer(self, actor)?;
        let organisation = check_id("organisation", &s.organisation)?;
        let place = check_text("place", &s.place, 200)?;
        if s.end_date < s.start_date {
            return Err(invalid(
                "end_date",
                format!(
                    "the session ends ({}) before it starts ({})",
                    s.end_date, s.start_date
                ),
            ));
        }
        let mut instructors = Vec::new();
        for (i, id) in s.instructors.iter().enumerate() {
            let p = person_of(self, &format!("instructors[{i}]"), id)?;
            if !instructors.contains(&p.person_id) {
                instructors.push(p.person_id);
            }
        }
        let mut session = CourseSession {
            id: 0,
            competency: s.competency,
            organisation,
            place,
            start_date: s.start_date,
            end_date: s.end_date,
            instructors,
            participants: Vec::new(),
            created_at: Utc::now(),
        };
        let audit = TrainingAudit {
            actor,
            action: "training.session.add",
            target: "training_session".into(),
            detail: format!(
                "{} by {} at {}, {} to {}",
                session.competency, session.organisation, session.place, s.start_date, s.end_date
            ),
        };
        session.id = self.insert_session(&session, &audit)?;
        Ok(session)
    }

    fn course_sessions(&self) -> Result<Vec<CourseSession>> {
        self.session_rows()
    }

    fn enrol(&mut self, actor: &str, session: i64, person: &str) -> Result<CourseSession> {
        officer(self, actor)?;
        let s = session_of(self, session)?;
        let p = person_of(self, "person_id", person)?;
        if p.organisation != s.organisation {
            return Err(invalid(
                "person_id",
                format!(
                    "{} is of {}, session {session} is {}'s: enrol people of the organisation \
                     giving the session",
                    p.person_id, p.organisation, s.organisation
                ),
            ));
        }
        let audit = TrainingAudit {
            actor,
            action: "training.enrol",
            target: format!("training_session:{session}"),
            detail: p.person_id.clone(),
        };
        if !self.insert_enrolment(session, &p.person_id, &audit)? {
            return Err(refused(format!(
                "{} is already enrolled in session {session}",
                p.person_id
            )));
        }
        session_of(self, session)
    }

    fn assess(&mut self, actor: &str, a: &NewAssessment) -> Result<Assessment> {
        officer(self, actor)?;
        let s = session_of(self, a.session_id)?;
        let p = person_of(self, "person_id", &a.person_id)?;
        if !s.participants.contains(&p.person_id) {
            return Err(invalid(
                "person_id",
                format!(
                    "{} is not enrolled in session {}; enrol them first",
                    p.person_id, s.id
                ),
            ));
        }
        if let Some(score) = a.score
            && !(0.0..=100.0).contains(&score)
        {
            return Err(invalid(
                "score",
                format!("a score is 0 to 100; {score} given"),
            ));
        }
        if a.assessed_on < s.start_date {
            return Err(invalid(
                "assessed_on",
                format!(
                    "the assessment ({}) is before the session starts ({})",
                    a.assessed_on, s.start_date
                ),
            ));
        }
        let assessor = check_text("assessor", &a.assessor, 200)?;
        let mut assessment = Assessment {
            id: 0,
            session_id: s.id,
            person_id: p.person_id,
            passed: a.passed,
            score: a.score,
            assessed_on: a.assessed_on,
            assessor,
        };
        let audit = TrainingAudit {
            actor,
            action: "training.assess",
            target: format!("training_session:{}", s.id),
            detail: format!(
                "{} {} on {}",
                assessment.person_id,
                if a.passed { "passed" } else { "failed" },
                a.assessed_on
            ),
        };
        let Some(id) = self.insert_assessment(&assessment, actor, &audit)? else {
            return Err(refused(format!(
                "{} has already been assessed in session {}",
                assessment.person_id, s.id
            )));
        };
        assessment.id = id;
        Ok(assessment)
    }

    fn assessments(&self) -> Result<Vec<Assessment>> {
        self.assessment_rows()
    }

    fn certify(&mut self, actor: &str, c: &NewCertificate) -> Result<Certificate> {
        officer(self, actor)?;
        let p = person_of(self, "person_id", &c.person_id)?;
        if c.expires_on <= c.issued_on {
            return Err(invalid(
                "expires_on",
                format!(
                    "the certificate expires ({}) on or before its issue ({})",
                    c.expires_on, c.issued_on
                ),
            ));
        }
        let sessions = self.session_rows()?;
        let passed = self
            .assessment_rows()?
            .into_iter()
            .filter(|a| a.person_id == p.person_id && a.passed && a.assessed_on <= c.issued_on)
            .filter(|a| {
                sessions
                    .iter()
                    .any(|s| s.id == a.session_id && s.competency == c.competency)
            })
            .max_by_key(|a| (a.assessed_on, a.id))
            .ok_or_else(|| {
                invalid(
                    "competency",
                    format!(
                        "{} has passed no assessment in a {} session on or before {}: a \
                         certificate needs one",
                        p.person_id, c.competency, c.issued_on
                    ),
                )
            })?;
        let mut certificate = Certificate {
            id: 0,
            code: new_code()?,
            person_id: p.person_id,
            competency: c.competency,
            issued_on: c.issued_on,
            expires_on: c.expires_on,
            assessment_id: passed.id,
            status: CertificateStatus::Valid,
            status_reason: None,
            status_date: None,
            issued_by: actor.to_owned(),
        };
        let audit = TrainingAudit {
            actor,
            action: "training.certify",
            target: "training_certificate".into(),
            detail: format!(
                "{} {} {} to {} (assessment {})",
                certificate.person_id, certificate.competency, c.issued_on, c.expires_on, passed.id
            ),
        };
        certificate.id = self.insert_certificate(&certificate, &audit)?;
        Ok(certificate)
    }

    fn certificates(&self) -> Result<Vec<Certificate>> {
        self.certificate_rows(None)
    }

    fn certificate_by_code(&self, code: &str) -> Result<Option<Certificate>> {
        let code = normalise_code(code);
        if code.is_empty() || code.len() > 64 {
            return Ok(None);
        }
        Ok(self.certificate_rows(Some(&code))?.into_iter().next())
    }

    fn suspend_certificate(
        &mut self,
        actor: &str,
        code: &str,
        reason: &str,
        date: NaiveDate,
    ) -> Result<Certificate> {
        change_status(
            self,
            actor,
            code,
            reason,
            date,
            CertificateStatus::Suspended,
        )
    }

    fn withdraw_certificate(
        &mut self,
        actor: &str,
        code: &str,
        reason: &str,
        date: NaiveDate,
    ) -> Result<Certificate> {
        change_status(
            self,
            actor,
            code,
            reason,
            date,
            CertificateStatus::Withdrawn,
        )
    }

    fn training_figures(&self) -> Result<Vec<FigureRow>> {
        figures(
            &self.person_rows()?,
            &self.session_rows()?,
            &self.certificate_rows(None)?,
        )
    }

    fn team_warnings(
        &self,
        team: &str,
        needs: &[Requirement],
        day: NaiveDate,
    ) -> Result<Vec<TeamWarning>> {
        let members: Vec<Person> = self
            .person_rows()?
            .into_iter()
            .filter(|p| p.team.as_deref() == Some(team))
            .collect();
        if members.is_empty() || needs.is_empty() {
            return Ok(Vec::new());
        }
        let certificates = self.certificate_rows(None)?;
        Ok(warnings::check(team, &members, &certificates, needs, day))
    }
}

fn change_status<S: AccountStore + TrainingRows>(
    store: &mut S,
    actor: &str,
    code: &str,
    reason: &str,
    date: NaiveDate,
    to: CertificateStatus,
) -> Result<Certificate> {
    officer(store, actor)?;
    let reason = check_reason(reason)?;
    let c = store.certificate_by_code(code)?.ok_or_else(|| {
        invalid(
            "code",
            format!("no certificate with code `{}`", code.trim()),
        )
    })?;
    if date < c.issued_on {
        return Err(invalid(
            "date",
            format!(
                "{date} is before the certificate was issued ({})",
                c.issued_on
            ),
        ));
    }
    let (from, verb): (&[CertificateStatus], &str) = match to {
        CertificateStatus::Suspended => (&[CertificateStatus::Valid], "suspend"),
        _ => (
            &[CertificateStatus::Valid, CertificateStatus::Suspended],
            "withdraw",
        ),
    };
    let audit = TrainingAudit {
        actor,
        action: if to == CertificateStatus::Suspended {
            "training.suspend"
        } else {
            "training.withdraw"
        },
        target: format!("training_certificate:{}", c.id),
        detail: format!("{} {} from {date}: {reason}", c.person_id, c.competency),
    };
    if !store.set_certificate_status(c.id, from, to, &reason, date, &audit)? {
        return Err(refused(format!(
            "certificate {} is {}: it cannot be {verb}ed",
            c.code,
            c.status.code()
        )));
    }
    store
        .certificate_by_code(&c.code)?
        .ok_or_else(|| StoreError::corrupt("training_certificate", "vanished after its update"))
}

fn figures(
    people: &[Person],
    sessions: &[CourseSession],
    certificates: &[Certificate],
) -> Result<Vec<FigureRow>> {
    use std::collections::BTreeMap;
    type Key = (String, Competency, &'static str, &'static str, i32);
    let mut rows: BTreeMap<Key, (u64, u64)> = BTreeMap::new();
    let by_id: std::collections::HashMap<&str, &Person> =
        people.iter().map(|p| (p.person_id.as_str(), p)).collect();
    let key = |p: &Person, competency, year: i32| -> Key {
        (
            p.organisation.clone(),
            competency,
            p.sex.code(),
            age_band(p.birth_year, year),
            year,
        )
    };
    for s in sessions {
        for id in &s.participants {
            if let Some(p) = by_id.get(id.as_str()) {
                rows.entry(key(p, s.competency, s.start_date.year()))
                    .or_default()
                    .0 += 1;
            }
        }
    }
    for c in certificates {
        if let Some(p) = by_id.get(c.person_id.as_str()) {
            rows.entry(key(p, c.competency, c.issued_on.year()))
                .or_default()
                .1 += 1;
        }
    }
    rows.into_iter()
        .map(|((organisation, competency, sex, band, year), (n, c))| {
            Ok(FigureRow {
                organisation,
                competency,
                sex: sex
                    .parse()
                    .map_err(|e| StoreError::corrupt("training figures", e))?,
                age_band: band,
                year,
                participants: n,
                certificates: c,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn competencies_parse_and_name_the_codes() {
        assert_eq!("EOD-1".parse::<Competency>(), Ok(Competency::Eod1));
        let err = "welder".parse::<Competency>().expect_err("unknown");
        assert!(err.contains("manual_deminer"), "{err}");
    }

    #[test]
    fn codes_are_long_and_random() {
        let a = new_code().expect("code");
        let b = new_code().expect("code");
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| CROCKFORD.contains(&c)));
        assert_eq!(normalise_code(" abcd-efgh "), "ABCDEFGH");
    }

    #[test]
    fn state_is_derived_from_the_dates() {
        let mut c = Certificate {
            id: 1,
            code: "X".into(),
            person_id: "P-1".into(),
            competency: Competency::Nts,
            issued_on: d("2024-01-01"),
            expires_on: d("2024-12-31"),
            assessment_id: 1,
            status: CertificateStatus::Valid,
            status_reason: None,
            status_date: None,
            issued_by: "o".into(),
        };
        assert_eq!(c.state_on(d("2024-12-31")), CertificateState::Valid);
        assert_eq!(c.state_on(d("2025-01-01")), CertificateState::Expired);
        c.status = CertificateStatus::Suspended;
        c.status_date = Some(d("2024-06-01"));
        assert_eq!(c.state_on(d("2024-05-31")), CertificateState::Valid);
        assert_eq!(c.state_on(d("2024-06-01")), CertificateState::Suspended);
        assert_eq!(age_band(1990, 2024), "25_34");
        assert_eq!(age_band(2001, 2024), "under_25");
    }
}
