//! The ordnance reference library (issue 25): a page per model of the catalogue, written on the
//! regional hub by its administrators and published in its signed reference set.
//!
//! Rules: pages are written only in a hub programme ("ordnance pages are edited on the regional
//! hub") and only by an enabled administrator; a page is of a model of the hub's catalogue in
//! force (built-in, and the models of the latest reference set it published) and is stored
//! under the model's designation; every field is checked ([`OrdnancePage::check`]) before
//! anything is written, and the row and its audit line (`reference.page.edit`,
//! `reference.page.delete`) go in one transaction. Each read of render-safe notes is audited
//! `reference.render_safe.read` by [`OrdnancePageStore::audit_render_safe_read`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use safeground_model::{Catalogue, CatalogueEntry, ItemKind, OrdnancePage};
use serde_json::Value;

use crate::{AccountStore, Flow, HubStore, ReferenceStore, Result, Role, StoreError};

/// A page as the hub keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPage {
    /// The page (its model is the catalogue's designation).
    pub page: OrdnancePage,
    /// When it was last written.
    pub updated_at: DateTime<Utc>,
    /// Who wrote it.
    pub updated_by: String,
}

/// The hub's ordnance reference pages.
pub trait OrdnancePageStore {
    /// The catalogue pages are written against: the built-in models and those of the latest
    /// reference set this programme published.
    fn page_catalogue(&self) -> Result<Catalogue>;
    /// Creates or replaces the page of `page.model` (matched as the catalogue matches names),
    /// stored under the model's designation; an enabled hub administrator only; audited
    /// `reference.page.edit`. [`StoreError::Invalid`] names every broken rule.
    fn put_page(&mut self, actor: &str, page: &OrdnancePage) -> Result<StoredPage>;
    /// The page of `model` (any name the catalogue knows it by).
    fn page(&self, model: &str) -> Result<Option<StoredPage>>;
    /// Every page, by model.
    fn pages(&self) -> Result<Vec<StoredPage>>;
    /// Deletes the page of `model` (an enabled hub administrator; audited); false when there
    /// was none.
    fn delete_page(&mut self, actor: &str, model: &str) -> Result<bool>;
    /// Records that `actor` read the render-safe notes of `model`.
    fn audit_render_safe_read(&mut self, actor: &str, model: &str) -> Result<()>;
}

/// A page row: (page JSON, updated at, updated by).
pub(crate) type PageRow = (String, DateTime<Utc>, String);

/// The rows behind [`OrdnancePageStore`], per backend.
pub(crate) trait PageRows {
    /// The row of `model` (its designation), or every row by model.
    fn page_rows(&self, model: Option<&str>) -> Result<Vec<PageRow>>;
    /// Writes (Some) or deletes (None) the row of `model` and an audit line in one
    /// transaction; true when a row was written or deleted.
    fn write_page_row(
        &mut self,
        actor: &str,
        model: &str,
        page: Option<&str>,
        action: &str,
    ) -> Result<bool>;
    /// Appends an audit line.
    fn page_audit(&mut self, actor: &str, action: &str, target: &str) -> Result<()>;
}

/// The refusal of a page written outside a hub.
pub fn not_on_a_hub() -> StoreError {
    StoreError::Federation(
        "ordnance pages are edited on the regional hub; this programme reads them from the \
         reference set it adopted"
            .into(),
    )
}

/// Fails unless the programme is a hub and `actor` an enabled administrator.
fn editor<S: AccountStore + HubStore + ?Sized>(store: &S, actor: &str) -> Result<()> {
    if !store.is_hub()? {
        return Err(not_on_a_hub());
    }
    let account = store
        .account(actor)?
        .filter(|a| !a.disabled)
        .ok_or_else(|| StoreError::Account(format!("no enabled account `{actor}`")))?;
    if account.role != Role::Administrator {
        return Err(StoreError::Account(format!(
            "only the hub's administrators edit ordnance pages; `{actor}` is {}",
            account.role
        )));
    }
    Ok(())
}

/// The ordnance models of a signed reference document (its payload's `ordnance`).
fn published_models(document: &str) -> Result<Vec<CatalogueEntry>> {
    let corrupt = |e: String| StoreError::corrupt("reference_published.document", e);
    let doc: Value = serde_json::from_str(document).map_err(|e| corrupt(e.to_string()))?;
    let payload =
        (doc.get("payload").and_then(Value::as_str)).ok_or_else(|| corrupt("no payload".into()))?;
    let set: Value = serde_json::from_str(payload).map_err(|e| corrupt(e.to_string()))?;
    match set.get("ordnance") {
        None => Ok(Vec::new()),
        Some(o) => serde_json::from_value(o.clone()).map_err(|e| corrupt(e.to_string())),
    }
}

fn decode(row: PageRow) -> Result<StoredPage> {
    let (json, updated_at, updated_by) = row;
    Ok(StoredPage {
        page: serde_json::from_str(&json).map_err(|e| StoreError::corrupt("ordnance_page", e))?,
        updated_at,
        updated_by,
    })
}

impl<S: PageRows + AccountStore + HubStore + ReferenceStore> OrdnancePageStore for S {
    fn page_catalogue(&self) -> Result<Catalogue> {
        let models = match self.published_reference()? {
            Some((_, document)) => published_models(&document)?,
            None => Vec::new(),
        };
        Catalogue::new(models).map_err(|e| StoreError::corrupt("reference_published", e))
    }

    fn put_page(&mut self, actor: &str, page: &OrdnancePage) -> Result<StoredPage> {
        editor(self, actor)?;
        let catalogue = self.page_catalogue()?;
        page.check(&catalogue).map_err(StoreError::Invalid)?;
        let mut page = page.clone();
        if let Some(designation) = page.designation(&catalogue) {
            page.model = designation;
        }
        let json = serde_json::to_string(&page).map_err(|e| StoreError::corrupt("page", e))?;
        self.write_page_row(actor, &page.model, Some(&json), "reference.page.edit")?;
        self.page(&page.model)?
            .ok_or_else(|| StoreError::corrupt("ordnance_page", "the page written is missing"))
    }

    fn page(&self, model: &str) -> Result<Option<StoredPage>> {
        let catalogue = self.page_catalogue()?;
        let Some((designation, _, _)) = catalogue.lookup(model) else {
            return Ok(None);
        };
        let row = self.page_rows(Some(designation))?.into_iter().next();
        row.map(decode).transpose()
    }

    fn pages(&self) -> Result<Vec<StoredPage>> {
        self.page_rows(None)?.into_iter().map(decode).collect()
    }

    fn delete_page(&mut self, actor: &str, model: &str) -> Result<bool> {
        editor(self, actor)?;
        let Some(held) = self.page(model)? else {
            return Ok(false);
        };
        self.write_page_row(actor, &held.page.model, None, "reference.page.delete")
    }

    fn audit_render_safe_read(&mut self, actor: &str, model: &str) -> Result<()> {
        self.page_audit(actor, "reference.render_safe.read", model)
    }
}

/// EO items of one model that a node shares with the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCount {
    /// The node's id (`KHM`).
    pub node: String,
    /// Its programme's name, from its card.
    pub name: String,
    /// EO items (the finds' quantities summed).
    pub items: u64,
}

/// On a hub: the EO items of each model (by its designation in `catalogue`; finds of models
/// it does not know are left out) per node, from the EO finds the nodes share, by node id.
/// Reads the shared finds once, in constant memory.
pub fn found_counts<S: HubStore + ?Sized>(
    store: &S,
    catalogue: &Catalogue,
) -> Result<BTreeMap<String, Vec<FoundCount>>> {
    let names: BTreeMap<String, String> = (store.hub_nodes()?.into_iter())
        .map(|n| (n.node, n.name))
        .collect();
    let mut counts: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    store.for_each_shared_record(ItemKind::EoFind, None, &mut |r| {
        let model = r.record.get("model").and_then(Value::as_str);
        if let Some((designation, _, _)) = model.and_then(|m| catalogue.lookup(m)) {
            let quantity = (r.record.get("quantity").and_then(Value::as_u64)).unwrap_or(1);
            *(counts.entry(designation.to_owned()).or_default())
                .entry(r.node)
                .or_default() += quantity;
        }
        Ok(Flow::Continue)
    })?;
    Ok(counts
        .into_iter()
        .map(|(model, per_node)| {
            let found = per_node
                .into_iter()
                .map(|(node, items)| FoundCount {
                    name: names.get(&node).cloned().unwrap_or_else(|| node.clone()),
                    node,
                    items,
                })
                .collect();
            (model, found)
        })
        .collect())
}
