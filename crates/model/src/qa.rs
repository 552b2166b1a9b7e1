//! Quality assurance and quality control visits (reference §2.10).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::vocab::{NonConformityCategory, QaType};
use crate::{ItemRef, ValidationContext, ValidationErrors};

/// A finding of a QA/QC visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NonConformity {
    /// Severity.
    pub category: NonConformityCategory,
    /// What was wrong.
    pub description: String,
    /// What must be done.
    #[serde(default)]
    pub corrective_action: Option<String>,
    /// Whether it has been put right.
    #[serde(default)]
    pub closed: bool,
}

/// A QA or QC visit to an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QaVisit {
    /// Local id.
    pub local_id: String,
    /// QA or QC.
    pub qa_type: QaType,
    /// Activity inspected.
    #[serde(default)]
    pub activity: Option<ItemRef>,
    /// Inspecting organisation.
    #[serde(default)]
    pub organisation: Option<ItemRef>,
    /// Date of the visit.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Findings.
    #[serde(default)]
    pub non_conformities: Vec<NonConformity>,
}

impl QaVisit {
    /// Rules (reference §2.10, §6.3): local id required; date not after today nor the date of
    /// information; every non-conformity described.
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        crate::rules::check(crate::ItemKind::QaVisit, self, ctx, e);
    }
}

#[cfg(test)]
mod tests {
    use crate::Record;
    use crate::fixtures::{d, failing_fields, qa_visit};

    #[test]
    fn non_conformity_described() {
        let mut q = qa_visit();
        q.non_conformities[0].description = String::new();
        assert_eq!(
            failing_fields(Record::QaVisit(q)),
            ["non_conformities[0].description"]
        );
    }

    #[test]
    fn date_not_after_the_date_of_information() {
        let mut q = qa_visit();
        q.date = Some(d("2026-01-16"));
        assert_eq!(failing_fields(Record::QaVisit(q)), ["date"]);
    }
}
