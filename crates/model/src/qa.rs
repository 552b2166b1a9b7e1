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
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        e.require("local_id", &self.local_id);
        e.not_after("date", self.date, ctx.today, "today");
        for (i, n) in self.non_conformities.iter().enumerate() {
            e.require(
                &format!("non_conformities[{i}].description"),
                &n.description,
            );
        }
    }
}
