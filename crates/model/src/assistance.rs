//! Victim-assistance services delivered (reference §2.8).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::vocab::{AssistanceType, Sex};
use crate::{ItemRef, ValidationContext, ValidationErrors};

/// One victim-assistance service delivered to a survivor, an indirect victim or a group of
/// them (NG's Assistance item). Sex and age are recorded for SADD reporting; names and contacts
/// stay with the victim's personal data, never here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assistance {
    /// Local id.
    pub local_id: String,
    /// The victim assisted, when recorded as a victim of an accident.
    #[serde(default)]
    pub victim: Option<ItemRef>,
    /// The organisation that delivered the service.
    #[serde(default)]
    pub organisation: Option<ItemRef>,
    /// The donor that funded it (an organisation of type donor).
    #[serde(default)]
    pub donor: Option<ItemRef>,
    /// Date the service was delivered.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Admin area P-code where the person lives.
    #[serde(default)]
    pub admin_pcode: Option<String>,
    /// The service.
    pub service: AssistanceType,
    /// Sex of the person assisted (unknown for a mixed group).
    #[serde(default = "unknown_sex")]
    pub sex: Sex,
    /// Age in years when assisted.
    #[serde(default)]
    pub age: Option<u8>,
    /// Number of persons the service reached (1 for one survivor).
    #[serde(default = "one")]
    pub persons: u32,
    /// Free comment (no personal data).
    #[serde(default)]
    pub comment: Option<String>,
}

fn unknown_sex() -> Sex {
    Sex::Unknown
}

fn one() -> u32 {
    1
}

impl Assistance {
    /// Rules (reference §2.8, §6.3): local id required; date not after today nor the date of
    /// information; at least one person; age plausible.
    pub(crate) fn check(&self, ctx: &ValidationContext, e: &mut ValidationErrors) {
        crate::rules::check(crate::ItemKind::Assistance, self, ctx, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Record;
    use crate::fixtures::{assistance, ctx};

    #[test]
    fn minimal_json_defaults_to_one_person_of_unknown_sex() {
        let r: Record = serde_json::from_str(
            r#"{"kind":"assistance","local_id":"VA1","service":"Prosthesis"}"#,
        )
        .expect("minimal assistance");
        let Record::Assistance(a) = &r else {
            panic!("not assistance: {r:?}")
        };
        assert_eq!(
            (a.service, a.sex, a.persons),
            (AssistanceType::Rehabilitation, Sex::Unknown, 1)
        );
        assert_eq!(r.validate(&ctx()), Ok(()));
    }

    #[test]
    fn rules_name_the_field() {
        let mut a = assistance();
        a.persons = 0;
        a.age = Some(130);
        a.date = Some(ctx().today.succ_opt().expect("tomorrow"));
        let e = Record::Assistance(a)
            .validate(&ctx())
            .expect_err("three broken rules");
        assert_eq!(e.on("persons").count(), 1, "{e}");
        assert_eq!(e.on("age").count(), 1, "{e}");
        assert!(e.on("date").count() >= 1, "{e}");
    }
}
