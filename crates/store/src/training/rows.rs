//! What each backend stores of the register: each write with its audit line, in one
//! transaction.

use chrono::NaiveDate;

use super::{Assessment, Certificate, CertificateStatus, CourseSession, Person, PersonalDetails};
use crate::Result;

/// An audit line written with a training row, in its transaction.
pub(crate) struct TrainingAudit<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub target: String,
    pub detail: String,
}

/// The rows of the register, per backend; each write and its audit line in one transaction.
pub(crate) trait TrainingRows {
    /// Stores a person and the personal details apart; false when the id is taken.
    fn insert_person(
        &mut self,
        p: &Person,
        personal: &PersonalDetails,
        audit: &TrainingAudit<'_>,
    ) -> Result<bool>;
    /// Every person, by id.
    fn person_rows(&self) -> Result<Vec<Person>>;
    /// The personal details of `person` (every person when None), audited in the same
    /// transaction.
    fn personal_rows(
        &mut self,
        person: Option<&str>,
        audit: &TrainingAudit<'_>,
    ) -> Result<Vec<(String, PersonalDetails)>>;
    /// Stores a session with its instructors; its id.
    fn insert_session(&mut self, s: &CourseSession, audit: &TrainingAudit<'_>) -> Result<i64>;
    /// Every session with instructors and participants, newest first.
    fn session_rows(&self) -> Result<Vec<CourseSession>>;
    /// Enrols `person` in `session`; false when enrolled already.
    fn insert_enrolment(
        &mut self,
        session: i64,
        person: &str,
        audit: &TrainingAudit<'_>,
    ) -> Result<bool>;
    /// Stores an assessment; None when the participant was assessed in that session already.
    fn insert_assessment(
        &mut self,
        a: &Assessment,
        actor: &str,
        audit: &TrainingAudit<'_>,
    ) -> Result<Option<i64>>;
    /// Every assessment, by id.
    fn assessment_rows(&self) -> Result<Vec<Assessment>>;
    /// Stores a certificate; its id.
    fn insert_certificate(&mut self, c: &Certificate, audit: &TrainingAudit<'_>) -> Result<i64>;
    /// Certificates (the one of `code` only, when given), by id.
    fn certificate_rows(&self, code: Option<&str>) -> Result<Vec<Certificate>>;
    /// Sets the status of certificate `id` if its status is one of `from`; whether it was.
    fn set_certificate_status(
        &mut self,
        id: i64,
        from: &[CertificateStatus],
        to: CertificateStatus,
        reason: &str,
        date: NaiveDate,
        audit: &TrainingAudit<'_>,
    ) -> Result<bool>;
}
