//! Reference data flowing down (issue 24): what a regional hub publishes for its nodes, signed,
//! and what a node adopted.
//!
//! * **On a hub**, [`ReferenceStore::publish_reference`] keeps every signed reference document
//!   it published, versions 1, 2, 3 … without a gap; the latest is what nodes pull.
//! * **On a node**, the hub is trusted once by its card ([`ReferenceStore::trust_hub`]); a
//!   document verified with that card (by the federation crate, which the store cannot see) is
//!   adopted by [`ReferenceStore::adopt_reference`] when it is newer than the one held. Its
//!   ordnance models then check every report submitted or imported ([`check_report`]), beside
//!   the built-in catalogue.
//! * **Records keep validating.** A reference may add models and names but never give a
//!   built-in model another category (`safeground_model::Catalogue::new`), and a node refuses
//!   a version under which any of its current EO finds would be invalid (a model moved to
//!   another category), naming the finds; nothing is written.

use chrono::{DateTime, Utc};
use safeground_model::{
    Catalogue, CatalogueEntry, FieldError, OrdnanceCategory, Record, ValidationErrors,
};

use crate::{NewReport, Result, StoreError};

/// The hub a node takes reference data from, and what it adopted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReferenceState {
    /// The hub's node id, once trusted.
    pub hub: Option<String>,
    /// The hub's card (JSON), once trusted.
    pub card: Option<String>,
    /// The version adopted (0: none yet).
    pub version: u64,
    /// The signed document adopted.
    pub document: Option<String>,
    /// Its ordnance models.
    pub ordnance: Vec<CatalogueEntry>,
    /// When it was adopted.
    pub adopted_at: Option<DateTime<Utc>>,
}

impl ReferenceState {
    /// The catalogue adopted (none before the first version).
    pub fn catalogue(&self) -> Result<Option<Catalogue>> {
        if self.version == 0 {
            return Ok(None);
        }
        Catalogue::new(self.ordnance.clone())
            .map(Some)
            .map_err(|e| StoreError::corrupt("reference_source.ordnance", e))
    }
}

/// What adopting a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adoption {
    /// The version was adopted, with this many models.
    Adopted {
        /// The version.
        version: u64,
        /// Models in it.
        models: usize,
    },
    /// The node holds this version or a newer one already: nothing written.
    UpToDate {
        /// The version held.
        held: u64,
    },
}

/// Reference data of a hub and of a node.
pub trait ReferenceStore {
    /// Trusts the hub `node` (its card, JSON, checked by the caller), audited as `actor`. The
    /// same card again changes nothing; another card for the same hub, or another hub, is
    /// refused once a version was adopted (key rotation is not supported yet).
    fn trust_hub(&mut self, actor: &str, node: &str, card: &str) -> Result<()>;
    /// The node's reference state.
    fn reference(&self) -> Result<ReferenceState>;
    /// Adopts `version` (a document verified with the trusted hub's card, and its ordnance
    /// models), audited as `actor`, unless one as new is held; refused when a current EO
    /// find would no longer validate.
    fn adopt_reference(
        &mut self,
        actor: &str,
        version: u64,
        document: &str,
        ordnance: &[CatalogueEntry],
    ) -> Result<Adoption>;
    /// On a hub: records a signed document as version `version`, which must be the latest
    /// published plus 1. Audited as `actor`.
    fn publish_reference(&mut self, actor: &str, version: u64, document: &str) -> Result<()>;
    /// On a hub: the latest version published and its signed document.
    fn published_reference(&self) -> Result<Option<(u64, String)>>;
}

/// The catalogue of an adopted version's models, or the refusal naming the version.
pub(crate) fn adopted_catalogue(version: u64, ordnance: &[CatalogueEntry]) -> Result<Catalogue> {
    Catalogue::new(ordnance.to_vec())
        .map_err(|e| StoreError::Federation(format!("reference version {version}: {e}")))
}

/// Checks the trust of `node` against the hub trusted already: Ok(true) to write, Ok(false)
/// when it is the same card.
pub(crate) fn trust_change(held: &ReferenceState, node: &str, card: &str) -> Result<bool> {
    match (&held.hub, &held.card) {
        (Some(h), Some(c)) if h == node && c == card => Ok(false),
        (Some(h), _) if held.version > 0 => Err(StoreError::Federation(format!(
            "this programme adopted reference data from hub {h} (version {}); trusting {} \
             under another card is not supported yet",
            held.version,
            if h == node { "it" } else { node }
        ))),
        _ => Ok(true),
    }
}

/// Refuses a document that is not newer than the one held (Some: up to date) or out of order.
pub(crate) fn adoption_check(held: &ReferenceState, version: u64) -> Result<Option<Adoption>> {
    if held.hub.is_none() {
        return Err(StoreError::Federation(
            "no hub is trusted yet: run `safeground federation trust-hub DB HUB-CARD.json` with \
             the card the hub's operator gave you"
                .into(),
        ));
    }
    Ok((version <= held.version).then_some(Adoption::UpToDate { held: held.version }))
}

/// The SQL of every current EO find's item, model and category code (the current version:
/// greatest date of information, then latest approval), with `{model}` and `{category}` the
/// backend's JSON accessors of `v.record`.
pub(crate) const CURRENT_FINDS: &str = "SELECT i.id, {model}, {category} FROM item i \
     JOIN item_version v ON v.id = (SELECT id FROM item_version WHERE item_id = i.id \
     ORDER BY valid_from DESC, recorded_at DESC LIMIT 1) \
     WHERE i.kind = 'eo_find' AND {model} IS NOT NULL";

/// The finds of `rows` (item, model, category code) that `catalogue` would refuse: (item,
/// message).
pub(crate) fn conflicts(
    rows: impl IntoIterator<Item = (String, String, String)>,
    catalogue: &Catalogue,
) -> Vec<(String, String)> {
    rows.into_iter()
        .filter_map(|(item, model, category)| {
            let category = category.parse::<OrdnanceCategory>().ok()?;
            Some((item, catalogue.mismatch(&model, category)?))
        })
        .collect()
}

/// The refusal of a version under which `found` would no longer validate.
pub(crate) fn conflict_error(version: u64, found: &[(String, String)]) -> StoreError {
    let shown: Vec<String> = (found.iter().take(10))
        .map(|(item, m)| format!("{item}: {m}"))
        .collect();
    StoreError::Federation(format!(
        "reference version {version} not adopted: {} current EO find(s) would no longer \
         validate under it ({}{}). Ask the hub to correct the catalogue, or correct the finds \
         and adopt it again",
        found.len(),
        shown.join("; "),
        if found.len() > 10 { "; …" } else { "" }
    ))
}

/// Checks the EO finds of `report` against an adopted catalogue: a model it knows reported
/// under another category is an error on `entries[i].record.category`.
pub(crate) fn check_report(
    catalogue: Option<&Catalogue>,
    report: &NewReport,
) -> std::result::Result<(), ValidationErrors> {
    let Some(catalogue) = catalogue else {
        return Ok(());
    };
    let errors: Vec<FieldError> = (report.entries.iter().enumerate())
        .filter_map(|(i, e)| match &e.record {
            Record::EoFind(f) => {
                let message = catalogue.mismatch(f.model.as_deref()?, f.category)?;
                Some(FieldError {
                    field: format!("entries[{i}].record.category"),
                    message: format!("{message} (reference catalogue)"),
                })
            }
            _ => None,
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(errors))
    }
}

/// The JSON stored for the ordnance models.
pub(crate) fn encode_ordnance(ordnance: &[CatalogueEntry]) -> Result<String> {
    serde_json::to_string(ordnance).map_err(|e| StoreError::corrupt("reference ordnance", e))
}

/// The ordnance models as stored.
pub(crate) fn decode_ordnance(json: Option<&str>) -> Result<Vec<CatalogueEntry>> {
    match json {
        None => Ok(Vec::new()),
        Some(j) => {
            serde_json::from_str(j).map_err(|e| StoreError::corrupt("reference_source.ordnance", e))
        }
    }
}

/// Checks a publication's version against the latest published.
pub(crate) fn publication_check(latest: u64, version: u64) -> Result<()> {
    if version != latest + 1 {
        return Err(StoreError::Federation(format!(
            "reference version {version} cannot follow version {latest}: publish version {}",
            latest + 1
        )));
    }
    Ok(())
}
