//! Answers of the training register written from the store's types.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A course session.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseSessionDoc {
    /// Session id.
    pub id: i64,
    /// The competency taught (eod_1 … medic).
    pub competency: String,
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

/// The assessment of a participant.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentDoc {
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
    /// Who assessed.
    pub assessor: String,
}

/// One row of the participation figures: counts only.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingFigureDoc {
    /// Organisation.
    pub organisation: String,
    /// Competency.
    pub competency: String,
    /// female, male or unknown.
    pub sex: String,
    /// under_25, 25_34, 35_44, 45_54 or 55_plus.
    pub age_band: String,
    /// Year.
    pub year: i32,
    /// Participants enrolled in sessions starting that year.
    pub participants: u64,
    /// Certificates issued that year.
    pub certificates: u64,
}

/// A team named by an activity whose members lack a valid certificate for that work on its
/// day (never blocks approval).
#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingWarningDoc {
    /// Index of the activity's entry in the report.
    pub entry: usize,
    /// The activity's local id.
    pub local_id: String,
    /// The team.
    pub team: String,
    /// The competency the work needs.
    pub competency: String,
    /// The day checked (start, else end, else the report's date).
    pub day: NaiveDate,
    /// Registered members of the team.
    pub members: usize,
    /// How many of them lack a valid certificate.
    pub lacking: usize,
    /// The warning, naming the people and why.
    pub message: String,
}
