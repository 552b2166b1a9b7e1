//! Organisations, teams and assets (reference §2.11).

use serde::{Deserialize, Serialize};

use crate::vocab::{AssetType, OrganisationKind, TeamKind};
use crate::{ItemRef, ValidationErrors};

/// An organisation: the national authority, an operator, a donor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    /// Local id (e.g. "ORG-HALO").
    pub local_id: String,
    /// Full name.
    pub name: String,
    /// Acronym ("HALO").
    pub acronym: String,
    /// What kind of organisation it is (not `kind`: that is the record tag).
    pub organisation_type: OrganisationKind,
}

/// A team of an organisation, with its assets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    /// Local id.
    pub local_id: String,
    /// Name ("MDD team 3").
    pub name: String,
    /// Owning organisation.
    pub organisation: ItemRef,
    /// Kind of team.
    pub team_type: TeamKind,
    /// Dogs, rats, machines, manual sections.
    #[serde(default)]
    pub assets: Vec<Asset>,
}

/// One demining asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    /// Asset type.
    pub asset_type: AssetType,
    /// Dog's name, machine serial number, ...
    pub identifier: String,
}

impl Organisation {
    /// Rules (reference §2.11, §6.4): local id, name and acronym required.
    pub(crate) fn check(&self, e: &mut ValidationErrors) {
        e.require_id("local_id", &self.local_id);
        e.require("name", &self.name);
        e.require("acronym", &self.acronym);
    }
}

impl Team {
    /// Rules (reference §2.11, §6.4): local id and name required; a team belongs to an
    /// organisation; every asset identified.
    pub(crate) fn check(&self, e: &mut ValidationErrors) {
        e.require_id("local_id", &self.local_id);
        e.require("name", &self.name);
        e.require("organisation", &self.organisation);
        for (i, a) in self.assets.iter().enumerate() {
            e.require(&format!("assets[{i}].identifier"), &a.identifier);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Record;
    use crate::fixtures::{failing_fields, organisation, team};

    #[test]
    fn organisation_needs_its_names() {
        let mut o = organisation();
        o.acronym = String::new();
        o.name = " ".into();
        assert_eq!(failing_fields(Record::Organisation(o)), ["name", "acronym"]);
    }

    #[test]
    fn team_needs_an_organisation_and_identified_assets() {
        let mut t = team();
        t.organisation = String::new();
        t.assets[0].identifier = String::new();
        assert_eq!(
            failing_fields(Record::Team(t)),
            ["organisation", "assets[0].identifier"]
        );
    }
}
