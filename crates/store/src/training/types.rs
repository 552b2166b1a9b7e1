//! The register's records: competencies, people, sessions, assessments, certificates and the
//! rows of the figures.

use chrono::{DateTime, NaiveDate, Utc};
use safeground_model::Sex;
use serde::{Deserialize, Serialize};

use crate::{Result, StoreError};

/// An IMAS competency a course teaches and a certificate attests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Competency {
    /// EOD level 1.
    #[serde(rename = "eod_1")]
    Eod1,
    /// EOD level 2.
    #[serde(rename = "eod_2")]
    Eod2,
    /// EOD level 3.
    #[serde(rename = "eod_3")]
    Eod3,
    /// EOD level 4.
    #[serde(rename = "eod_4")]
    Eod4,
    /// Manual deminer.
    ManualDeminer,
    /// Mine detection dog handler.
    MddHandler,
    /// Non-technical survey.
    Nts,
    /// Explosive ordnance risk education facilitator.
    RiskEducationFacilitator,
    /// Medic.
    Medic,
}

impl Competency {
    /// Every competency.
    pub const ALL: [Competency; 9] = [
        Competency::Eod1,
        Competency::Eod2,
        Competency::Eod3,
        Competency::Eod4,
        Competency::ManualDeminer,
        Competency::MddHandler,
        Competency::Nts,
        Competency::RiskEducationFacilitator,
        Competency::Medic,
    ];

    /// Stable code (stored, CLI, API).
    pub fn code(self) -> &'static str {
        match self {
            Competency::Eod1 => "eod_1",
            Competency::Eod2 => "eod_2",
            Competency::Eod3 => "eod_3",
            Competency::Eod4 => "eod_4",
            Competency::ManualDeminer => "manual_deminer",
            Competency::MddHandler => "mdd_handler",
            Competency::Nts => "nts",
            Competency::RiskEducationFacilitator => "risk_education_facilitator",
            Competency::Medic => "medic",
        }
    }

    /// English label.
    pub fn label(self) -> &'static str {
        match self {
            Competency::Eod1 => "EOD level 1",
            Competency::Eod2 => "EOD level 2",
            Competency::Eod3 => "EOD level 3",
            Competency::Eod4 => "EOD level 4",
            Competency::ManualDeminer => "Manual deminer",
            Competency::MddHandler => "Mine detection dog handler",
            Competency::Nts => "Non-technical survey",
            Competency::RiskEducationFacilitator => "Risk education facilitator",
            Competency::Medic => "Medic",
        }
    }

    /// The stored code `code` of `owner`'s row; an unknown one is corrupt data.
    pub(crate) fn stored(code: &str, owner: impl FnOnce() -> String) -> Result<Competency> {
        code.parse()
            .map_err(|e: String| StoreError::corrupt(owner(), e))
    }
}

impl std::fmt::Display for Competency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Competency {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let wanted = s.trim().to_lowercase().replace(['-', ' '], "_");
        Competency::ALL
            .into_iter()
            .find(|c| c.code() == wanted)
            .ok_or_else(|| {
                let codes: Vec<_> = Competency::ALL.iter().map(|c| c.code()).collect();
                format!("unknown competency `{s}`; use one of {}", codes.join(", "))
            })
    }
}

/// A person's name, contact and national ID number: read only by training officers, audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDetails {
    /// Full name.
    pub name: String,
    /// Telephone or e-mail.
    #[serde(default)]
    pub contact: Option<String>,
    /// National ID card number.
    #[serde(default)]
    pub national_id: Option<String>,
}

/// A trainee or instructor, without personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Person id (`P-000123` or a UUID).
    pub person_id: String,
    /// Organisation local id (`ORG-HALO`).
    pub organisation: String,
    /// Sex.
    pub sex: Sex,
    /// Year of birth (the age band is derived from it).
    pub birth_year: i32,
    /// The Team item (local id) the person works in.
    pub team: Option<String>,
    /// When the person was registered.
    pub created_at: DateTime<Utc>,
}

/// A person to register, with personal data.
#[derive(Debug, Clone)]
pub struct NewPerson {
    /// Person id (`P-000123` or a UUID).
    pub person_id: String,
    /// Organisation local id.
    pub organisation: String,
    /// Sex.
    pub sex: Sex,
    /// Year of birth.
    pub birth_year: i32,
    /// Team local id.
    pub team: Option<String>,
    /// Name, contact, national ID number.
    pub personal: PersonalDetails,
}

/// A course session: a course of one competency given by an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseSession {
    /// Session id.
    pub id: i64,
    /// The competency taught.
    pub competency: Competency,
    /// Organisation giving it.
    pub organisation: String,
    /// Where.
    pub place: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// Instructors (person ids).
    pub instructors: Vec<String>,
    /// Participants enrolled (person ids).
    pub participants: Vec<String>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// A course session to record.
#[derive(Debug, Clone)]
pub struct NewCourseSession {
    /// The competency taught.
    pub competency: Competency,
    /// Organisation giving it.
    pub organisation: String,
    /// Where.
    pub place: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// Instructors (person ids).
    pub instructors: Vec<String>,
}

/// The assessment of a participant at the end of a session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Assessment id.
    pub id: i64,
    /// The session.
    pub session_id: i64,
    /// The participant.
    pub person_id: String,
    /// Passed or failed.
    pub passed: bool,
    /// Score, 0–100.
    pub score: Option<f64>,
    /// Day of the assessment.
    pub assessed_on: NaiveDate,
    /// Who assessed (a name or person id).
    pub assessor: String,
}

/// An assessment to record.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    /// The session.
    pub session_id: i64,
    /// The participant.
    pub person_id: String,
    /// Passed or failed.
    pub passed: bool,
    /// Score, 0–100.
    pub score: Option<f64>,
    /// Day of the assessment.
    pub assessed_on: NaiveDate,
    /// Who assessed.
    pub assessor: String,
}

/// What was decided about a certificate (expiry is derived, see [`Certificate::state_on`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    /// In force (until it expires).
    Valid,
    /// Suspended (may be withdrawn later).
    Suspended,
    /// Withdrawn for good.
    Withdrawn,
}

impl CertificateStatus {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "valid",
            CertificateStatus::Suspended => "suspended",
            CertificateStatus::Withdrawn => "withdrawn",
        }
    }

    pub(crate) fn stored(code: &str, owner: impl FnOnce() -> String) -> Result<Self> {
        match code {
            "valid" => Ok(CertificateStatus::Valid),
            "suspended" => Ok(CertificateStatus::Suspended),
            "withdrawn" => Ok(CertificateStatus::Withdrawn),
            other => Err(StoreError::corrupt(
                owner(),
                format!("unknown certificate status `{other}`"),
            )),
        }
    }
}

/// A certificate's state on a day, as the public check and the warnings report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateState {
    /// Valid on that day.
    Valid,
    /// Past its expiry date.
    Expired,
    /// Suspended on or before that day.
    Suspended,
    /// Withdrawn on or before that day.
    Withdrawn,
}

impl CertificateState {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            CertificateState::Valid => "valid",
            CertificateState::Expired => "expired",
            CertificateState::Suspended => "suspended",
            CertificateState::Withdrawn => "withdrawn",
        }
    }
}

/// A certificate of competency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Certificate {
    /// Certificate id.
    pub id: i64,
    /// Unguessable code of the public check (20 characters of Crockford base32).
    pub code: String,
    /// The holder.
    pub person_id: String,
    /// The competency attested.
    pub competency: Competency,
    /// Day of issue.
    pub issued_on: NaiveDate,
    /// Last day of validity.
    pub expires_on: NaiveDate,
    /// The passed assessment it rests on.
    pub assessment_id: i64,
    /// Valid, suspended or withdrawn.
    pub status: CertificateStatus,
    /// Why it was suspended or withdrawn.
    pub status_reason: Option<String>,
    /// From when it was suspended or withdrawn.
    pub status_date: Option<NaiveDate>,
    /// Who issued it.
    pub issued_by: String,
}

impl Certificate {
    /// Its state on `day`: withdrawn or suspended from the status date, else expired after
    /// the expiry date, else valid.
    pub fn state_on(&self, day: NaiveDate) -> CertificateState {
        let decided = self.status_date.is_none_or(|d| d <= day);
        match self.status {
            CertificateStatus::Withdrawn if decided => CertificateState::Withdrawn,
            CertificateStatus::Suspended if decided => CertificateState::Suspended,
            _ if day > self.expires_on => CertificateState::Expired,
            _ => CertificateState::Valid,
        }
    }
}

/// A certificate to issue.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    /// The holder.
    pub person_id: String,
    /// The competency attested.
    pub competency: Competency,
    /// Day of issue.
    pub issued_on: NaiveDate,
    /// Last day of validity.
    pub expires_on: NaiveDate,
}

/// One row of the participation figures: counts, never names or person ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureRow {
    /// Organisation.
    pub organisation: String,
    /// Competency.
    pub competency: Competency,
    /// Sex.
    pub sex: Sex,
    /// Age band (see [`age_band`]).
    pub age_band: &'static str,
    /// Year (of the session's start, of the certificate's issue).
    pub year: i32,
    /// Participants enrolled in sessions starting that year.
    pub participants: u64,
    /// Certificates issued that year.
    pub certificates: u64,
}

/// The age bands of the figures, youngest first.
pub const AGE_BANDS: [&str; 5] = ["under_25", "25_34", "35_44", "45_54", "55_plus"];

/// The age band of someone born in `birth_year`, in `year`.
pub fn age_band(birth_year: i32, year: i32) -> &'static str {
    match year - birth_year {
        ..25 => AGE_BANDS[0],
        25..35 => AGE_BANDS[1],
        35..45 => AGE_BANDS[2],
        45..55 => AGE_BANDS[3],
        _ => AGE_BANDS[4],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON form of a competency is its code, as the CSV, the CLI and the store write it.
    #[test]
    fn competencies_serialise_as_their_codes() {
        for c in Competency::ALL {
            let json = serde_json::to_value(c).expect("serialise");
            assert_eq!(json, serde_json::Value::from(c.code()));
            let back: Competency = serde_json::from_value(json).expect("deserialise");
            assert_eq!(back, c);
        }
    }
}
