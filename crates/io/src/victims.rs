//! Victims' personal data in exports. They leave the system only for an enabled account with
//! the victim-assistance role (or holding an open break-glass grant), asked for explicitly, in
//! the victims export or the programme archive, never as CSV with HXL hashtags; every such
//! export is audited as `export.personal_data` (and each victim's read as
//! `personal_data.read`; under a grant, both name it).

use std::collections::BTreeMap;

use chrono::Utc;
use safeground_model::{ItemKind, VictimPersonalData};
use safeground_store::{AccountStore, AsOf, BreakGlassStore, ProgrammeStore, Role};
use serde_json::{Map, Value, json};

use crate::{Format, IoError};

/// The current personal data of every victim, read for one authorised user.
#[derive(Debug, Clone)]
pub struct PersonalData {
    username: String,
    by_victim: BTreeMap<String, VictimPersonalData>,
}

impl PersonalData {
    /// Checks that personal data may be written in `format`: xlsx, geojson or gpkg only (HXL
    /// exports never carry them).
    pub fn check_format(format: Format) -> Result<(), IoError> {
        match format {
            Format::GeoJson | Format::Xlsx | Format::GeoPackage => Ok(()),
            Format::Csv => Err(IoError::Usage(
                "HXL exports never carry personal data; use xlsx, geojson or gpkg".into(),
            )),
            Format::Kml | Format::Shapefile => Err(IoError::Usage(format!(
                "personal data are exported as xlsx, geojson or gpkg, not {}",
                format.extension()
            ))),
        }
    }

    /// Checks that `username` names an enabled account with the victim-assistance role (or
    /// one holding an open break-glass grant, named in the audit) and that `format` may carry
    /// personal data, audits `export.personal_data`, then reads every victim's current
    /// personal data (each read audited by the store).
    pub fn load<S: ProgrammeStore + AccountStore + BreakGlassStore + ?Sized>(
        store: &mut S,
        username: &str,
        format: Format,
    ) -> Result<Self, IoError> {
        Self::check_format(format)?;
        let account = store.account(username)?.ok_or_else(|| {
            IoError::Usage(format!(
                "no account `{username}`: personal data are exported only for a \
                 victim_assistance account"
            ))
        })?;
        if account.disabled {
            return Err(IoError::Usage(format!(
                "the account `{username}` is disabled: it cannot export personal data"
            )));
        }
        let grant = store.active_break_glass(&account.username, Utc::now())?;
        if account.role != Role::VictimAssistance && grant.is_none() {
            return Err(IoError::Usage(format!(
                "`{username}` is a {} account: only a victim_assistance account (or the holder \
                 of an open break-glass grant) may export victims' personal data",
                account.role
            )));
        }
        let username = account.username;
        let detail = match &grant {
            Some(g) => format!("{} under {}", format.extension(), g.audit_detail()),
            None => format.extension().to_owned(),
        };
        store.record_audit(&username, "export.personal_data", "victims", Some(&detail))?;
        let mut by_victim = BTreeMap::new();
        for item in store.items_of_kind(ItemKind::Victim)? {
            if let Some(p) = store.victim_personal_data(&username, &item, AsOf::now())? {
                by_victim.insert(item, p);
            }
        }
        Ok(PersonalData {
            username,
            by_victim,
        })
    }

    /// The user the personal data were read for.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Adds a victim's personal fields to its feature properties.
    pub(crate) fn add_to(&self, victim: &str, properties: &mut Map<String, Value>) {
        let p = self.by_victim.get(victim);
        properties.insert("full_name".into(), json!(p.map(|p| &p.full_name)));
        properties.insert("address".into(), json!(p.and_then(|p| p.address.as_ref())));
        properties.insert("contact".into(), json!(p.and_then(|p| p.contact.as_ref())));
        properties.insert(
            "date_of_birth".into(),
            json!(p.and_then(|p| p.date_of_birth)),
        );
    }
}
