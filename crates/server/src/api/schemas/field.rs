//! Schemas of the field app's documents: the forms' rules and submissions.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::Term;

/// One field rule (`safeground_model::rules::Rule`): `rule` says which, the other members
/// are those that rule has.
#[derive(Serialize, ToSchema)]
pub struct FormRule {
    /// `id`, `required`, `required_if`, `min`, `max`, `not_after`, `not_before`, `not_with`,
    /// `point`, `each` or `any_positive`.
    pub rule: String,
    /// Path of the field in the record.
    pub field: String,
    /// Message template (`{value}`, `{limit}`, `{other}`, `{x}`, `{y}`).
    pub message: Option<String>,
    /// `id`: message when blank.
    pub message_required: Option<String>,
    /// `required_if`: the boolean field that makes it required.
    pub when: Option<String>,
    /// `min`.
    pub min: Option<f64>,
    /// `max`.
    pub max: Option<f64>,
    /// `not_after`: `today` or `date_of_information`.
    pub limit: Option<String>,
    /// `not_before`, `not_with`: the other field.
    pub other: Option<String>,
    /// `not_with`: the value refused.
    pub value: Option<String>,
    /// `any_positive`: the number in each element.
    pub of: Option<String>,
    /// `each`: the rules of each element.
    #[schema(no_recursion)]
    pub rules: Option<Vec<FormRule>>,
}

/// The report forms' rules and vocabularies, for the field app to keep offline.
#[derive(Serialize, ToSchema)]
pub struct FormsDoc {
    /// Changes whenever the rules or the vocabularies change.
    pub version: String,
    /// Rules by record kind (`eo_find`, `accident`, `victim`, …).
    pub rules: BTreeMap<String, Vec<FormRule>>,
    /// Vocabularies by name, as `GET /api/vocabularies`.
    pub vocabularies: BTreeMap<String, Vec<Term>>,
}

/// A file of a submission.
#[derive(Serialize, ToSchema)]
pub struct SubmissionFile {
    /// Name of the multipart part holding the file.
    pub part: String,
    /// Index of the report entry the file belongs to (not a victim).
    pub entry: usize,
    /// File name.
    pub name: Option<String>,
    /// Caption.
    pub caption: Option<String>,
}

/// A report sent by the field app.
#[derive(Serialize, ToSchema)]
pub struct SubmissionBody {
    /// The report, as `POST /api/reports` takes it; a point may also be `{lat, lon}`,
    /// `{utm}` or `{mgrs}`.
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
    /// Version of `GET /api/forms` the entry was filled with.
    pub form_version: Option<String>,
    /// Places more than 1 km outside the programme area were confirmed by the user.
    pub accept_outside_programme_area: Option<bool>,
    /// Files, each in its own multipart part.
    pub attachments: Option<Vec<SubmissionFile>>,
}

/// Where a submission was stored.
#[derive(Serialize, ToSchema)]
pub struct SubmissionAnswer {
    /// The device's UUID.
    pub uuid: String,
    /// The report id.
    pub report: i64,
    /// False when it had been stored before (a retry).
    pub created: bool,
}
