//! Records of every kind, and what kind of item each becomes.

use serde::{Deserialize, Serialize};

use crate::{
    Accident, Activity, AdminArea, EoFind, Hazard, Organisation, QaVisit, RiskEducationSession,
    Team, ValidationContext, ValidationErrors, Victim,
};

crate::vocab::vocabulary! {
    /// The kinds of item the store keeps.
    ItemKind, "item kind" {
        Organisation => "organisation", "Organisation", [];
        Team => "team", "Team", [];
        AdminArea => "admin_area", "Admin area", [];
        Hazard => "hazard", "Hazard", [];
        Activity => "activity", "Activity", [];
        EoFind => "eo_find", "EO find", [];
        Accident => "accident", "Accident", [];
        Victim => "victim", "Victim", [];
        RiskEducation => "risk_education", "Risk education session", [];
        QaVisit => "qa_visit", "QA visit", [];
    }
}

impl ItemKind {
    /// Prefix of item ids ("HAZ" in "HAZ-000123").
    pub fn id_prefix(self) -> &'static str {
        match self {
            ItemKind::Organisation => "ORG",
            ItemKind::Team => "TEAM",
            ItemKind::AdminArea => "ADM",
            ItemKind::Hazard => "HAZ",
            ItemKind::Activity => "ACT",
            ItemKind::EoFind => "EO",
            ItemKind::Accident => "ACC",
            ItemKind::Victim => "VIC",
            ItemKind::RiskEducation => "RE",
            ItemKind::QaVisit => "QA",
        }
    }
}

/// One record of any kind; JSON carries a `"kind"` tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)]
pub enum Record {
    /// An organisation.
    Organisation(Organisation),
    /// A team.
    Team(Team),
    /// An admin area.
    AdminArea(AdminArea),
    /// A hazard.
    Hazard(Hazard),
    /// An activity.
    Activity(Activity),
    /// EO found.
    EoFind(EoFind),
    /// An accident.
    Accident(Accident),
    /// A victim (without personal data).
    Victim(Victim),
    /// A risk-education session.
    RiskEducation(RiskEducationSession),
    /// A QA/QC visit.
    QaVisit(QaVisit),
}

/// Reference fields of a record, as (field, slot).
macro_rules! refs {
    ($($field:literal => $slot:expr),* $(,)?) => {
        vec![$(($field, $slot)),*]
    };
}

impl Record {
    /// The kind of item this record becomes.
    pub fn kind(&self) -> ItemKind {
        match self {
            Record::Organisation(_) => ItemKind::Organisation,
            Record::Team(_) => ItemKind::Team,
            Record::AdminArea(_) => ItemKind::AdminArea,
            Record::Hazard(_) => ItemKind::Hazard,
            Record::Activity(_) => ItemKind::Activity,
            Record::EoFind(_) => ItemKind::EoFind,
            Record::Accident(_) => ItemKind::Accident,
            Record::Victim(_) => ItemKind::Victim,
            Record::RiskEducation(_) => ItemKind::RiskEducation,
            Record::QaVisit(_) => ItemKind::QaVisit,
        }
    }

    /// The local id (an admin area's P-code).
    pub fn local_id(&self) -> &str {
        match self {
            Record::Organisation(r) => &r.local_id,
            Record::Team(r) => &r.local_id,
            Record::AdminArea(r) => &r.pcode,
            Record::Hazard(r) => &r.local_id,
            Record::Activity(r) => &r.local_id,
            Record::EoFind(r) => &r.local_id,
            Record::Accident(r) => &r.local_id,
            Record::Victim(r) => &r.local_id,
            Record::RiskEducation(r) => &r.local_id,
            Record::QaVisit(r) => &r.local_id,
        }
    }

    fn slots(&mut self) -> Vec<(&'static str, &mut Option<String>)> {
        match self {
            Record::Organisation(_) | Record::AdminArea(_) => Vec::new(),
            Record::Team(_) => Vec::new(),
            Record::Hazard(r) => refs!["organisation" => &mut r.organisation],
            Record::Activity(r) => refs![
                "organisation" => &mut r.organisation,
                "team" => &mut r.team,
                "hazard" => &mut r.hazard,
            ],
            Record::EoFind(r) => refs!["activity" => &mut r.activity, "hazard" => &mut r.hazard],
            Record::Accident(r) => refs!["hazard" => &mut r.hazard],
            Record::Victim(r) => refs!["accident" => &mut r.accident],
            Record::RiskEducation(r) => refs!["organisation" => &mut r.organisation],
            Record::QaVisit(r) => refs![
                "activity" => &mut r.activity,
                "organisation" => &mut r.organisation,
            ],
        }
    }

    /// Every reference this record makes to another item: (field, reference).
    pub fn references(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        match self {
            Record::Team(t) => out.push(("organisation", t.organisation.as_str())),
            Record::Organisation(_) | Record::AdminArea(_) => {}
            Record::Hazard(r) => out.extend(r.organisation.as_deref().map(|v| ("organisation", v))),
            Record::Activity(r) => {
                out.extend(r.organisation.as_deref().map(|v| ("organisation", v)));
                out.extend(r.team.as_deref().map(|v| ("team", v)));
                out.extend(r.hazard.as_deref().map(|v| ("hazard", v)));
            }
            Record::EoFind(r) => {
                out.extend(r.activity.as_deref().map(|v| ("activity", v)));
                out.extend(r.hazard.as_deref().map(|v| ("hazard", v)));
            }
            Record::Accident(r) => out.extend(r.hazard.as_deref().map(|v| ("hazard", v))),
            Record::Victim(r) => out.extend(r.accident.as_deref().map(|v| ("accident", v))),
            Record::RiskEducation(r) => {
                out.extend(r.organisation.as_deref().map(|v| ("organisation", v)));
            }
            Record::QaVisit(r) => {
                out.extend(r.activity.as_deref().map(|v| ("activity", v)));
                out.extend(r.organisation.as_deref().map(|v| ("organisation", v)));
            }
        }
        out
    }

    /// Replaces every reference for which `resolve` returns a new value.
    pub fn map_references(&mut self, resolve: &mut dyn FnMut(&str) -> Option<String>) {
        if let Record::Team(t) = self {
            if let Some(new) = resolve(&t.organisation) {
                t.organisation = new;
            }
            return;
        }
        for (_, slot) in self.slots() {
            if let Some(current) = slot.as_deref()
                && let Some(new) = resolve(current)
            {
                *slot = Some(new);
            }
        }
    }

    /// Checks every field rule of reference §6 that needs no database.
    pub fn validate(&self, ctx: &ValidationContext) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        match self {
            Record::Organisation(r) => r.check(&mut e),
            Record::Team(r) => r.check(&mut e),
            Record::AdminArea(r) => r.check(&mut e),
            Record::Hazard(r) => r.check(ctx, &mut e),
            Record::Activity(r) => r.check(ctx, &mut e),
            Record::EoFind(r) => r.check(ctx, &mut e),
            Record::Accident(r) => r.check(ctx, &mut e),
            Record::Victim(r) => r.check(&mut e),
            Record::RiskEducation(r) => r.check(ctx, &mut e),
            Record::QaVisit(r) => r.check(ctx, &mut e),
        }
        e.into_result()
    }
}
