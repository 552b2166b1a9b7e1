//! Library documents received from another programme (issue 25): a node's `regional` and
//! `public` documents at its hub, and the hub's (its own and its nodes') at every node.
//!
//! A received document keeps its UUID and version numbers; `library_origin` names the node
//! that owns it (only the owner adds versions or edits it; the receiver holds it read-only) and
//! when its newest version arrived. A document without an origin row is the programme's own.
//!
//! Receiving is planned first ([`LibraryExchangeStore::plan_library_receipt`]: what is new,
//! what is held, what must be refused) so that the caller copies only the files it needs, then
//! written in one transaction ([`LibraryExchangeStore::receive_library`]) that plans again and
//! refuses a document that changed in between. Nothing is written when any document is refused.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::library::{DocumentMeta, LibraryDocument, LibraryRows, VersionContent, checked_meta};
use crate::{Result, StoreError};

/// A document as another programme sends it (all its versions, oldest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingDocument {
    /// Its UUID, the same in every programme.
    pub uuid: String,
    /// The node that owns it.
    pub owner: String,
    /// Its description.
    pub meta: DocumentMeta,
    /// Its versions, 1, 2, … in order.
    pub versions: Vec<IncomingVersion>,
}

/// A version as another programme sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingVersion {
    /// 1, 2, …
    pub version: i64,
    /// A file (by its SHA-256) or a link.
    pub content: VersionContent,
    /// When its owner added it.
    pub uploaded_at: DateTime<Utc>,
}

impl IncomingDocument {
    /// How the document is named in errors.
    pub fn named(&self) -> String {
        format!("document {} ({})", self.uuid, self.meta.title.trim())
    }
}

/// What receiving a document does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// This programme owns it: the copy in the package is not taken.
    Own,
    /// New here: stored with every version.
    New,
    /// Held: versions from `first_new` on are added (none when only the description changed),
    /// and the description replaced when `meta_changed`.
    Update {
        /// Local id.
        id: i64,
        /// The first version not held (one past the last when none is new).
        first_new: i64,
        /// Whether the description differs from the one held.
        meta_changed: bool,
    },
    /// Held as it is: nothing to do.
    Unchanged,
}

impl Plan {
    /// The versions of `doc` this plan stores.
    pub fn new_versions<'a>(&self, doc: &'a IncomingDocument) -> &'a [IncomingVersion] {
        match self {
            Plan::New => &doc.versions,
            Plan::Update { first_new, .. } => {
                let from = usize::try_from(first_new - 1).unwrap_or(usize::MAX);
                doc.versions.get(from..).unwrap_or(&[])
            }
            Plan::Own | Plan::Unchanged => &[],
        }
    }
}

/// What receiving did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LibraryReceipt {
    /// Documents new here.
    pub added: usize,
    /// Documents held that gained versions or a new description.
    pub updated: usize,
    /// Versions stored.
    pub versions: usize,
    /// Documents held as they are.
    pub unchanged: usize,
    /// Documents this programme owns, not taken.
    pub own: usize,
    /// Local ids of the documents added or updated (to index them).
    pub changed: Vec<i64>,
}

/// One document to write, planned.
pub(crate) struct Change<'a> {
    /// The document.
    pub doc: &'a IncomingDocument,
    /// Its description, checked.
    pub meta: DocumentMeta,
    /// Local id when held.
    pub id: Option<i64>,
    /// The last version held (0 when new): the write refuses the document if this moved.
    pub held: i64,
    /// Whether the description is written.
    pub meta_changed: bool,
    /// The versions to add, each with its text.
    pub versions: Vec<(&'a IncomingVersion, &'a str)>,
}

/// Rows of received documents, per backend.
pub(crate) trait LibraryExchangeRows {
    /// Document id → the node that owns it, for every received document.
    fn origin_rows(&self) -> Result<Vec<(i64, String)>>;
    /// The local id of the document of `uuid`.
    fn id_of_uuid(&self, uuid: &str) -> Result<Option<i64>>;
    /// Writes `changes` in one transaction, each audited `library.receive` as `actor`; their
    /// local ids. Refused, writing nothing, when a held document's last version moved.
    fn write_received(
        &mut self,
        actor: &str,
        from: &str,
        changes: &[Change<'_>],
    ) -> Result<Vec<i64>>;
}

/// Receiving and sharing library documents.
pub trait LibraryExchangeStore {
    /// Document id → the node that owns it, for the received documents (the others are this
    /// programme's own).
    fn library_owners(&self) -> Result<HashMap<i64, String>>;
    /// The node that owns document `id`, when it was received (none: this programme's own).
    fn library_owner(&self, id: i64) -> Result<Option<String>>;
    /// The `public` and `regional` documents this programme may send, each with its owner
    /// (none: its own), newest first; received ones only when `with_received` (a hub's).
    fn library_shareable(
        &self,
        with_received: bool,
    ) -> Result<Vec<(LibraryDocument, Option<String>)>>;
    /// What receiving `docs` would do, per document; refused naming the document and field
    /// when one is invalid, is this programme's own under another owner, is owned here by
    /// another node, or disagrees with a version held. `local` is this programme's node id.
    fn plan_library_receipt(
        &self,
        local: Option<&str>,
        docs: &[IncomingDocument],
    ) -> Result<Vec<Plan>>;
    /// Receives `docs` from node `from` in one transaction (audited as `actor`), with the
    /// text of each file by its SHA-256 (links have none); refused as
    /// [`LibraryExchangeStore::plan_library_receipt`] refuses, and when a file a version needs
    /// has no text given.
    fn receive_library(
        &mut self,
        actor: &str,
        from: &str,
        local: Option<&str>,
        docs: &[IncomingDocument],
        texts: &HashMap<String, String>,
    ) -> Result<LibraryReceipt>;
}

fn refused(message: String) -> StoreError {
    StoreError::Federation(message)
}

/// Whether two versions have the same content (the file, or the link).
fn same_content(a: &VersionContent, b: &VersionContent) -> bool {
    a.sha256 == b.sha256 && a.link == b.link
}

impl<S: LibraryRows + LibraryExchangeRows> LibraryExchangeStore for S {
    fn library_owners(&self) -> Result<HashMap<i64, String>> {
        Ok(self.origin_rows()?.into_iter().collect())
    }

    fn library_owner(&self, id: i64) -> Result<Option<String>> {
        Ok(self.library_owners()?.remove(&id))
    }

    fn library_shareable(
        &self,
        with_received: bool,
    ) -> Result<Vec<(LibraryDocument, Option<String>)>> {
        let mut owners = self.library_owners()?;
        Ok(self
            .document_rows(None)?
            .into_iter()
            .filter(|d| d.meta.access == "public" || d.meta.access == "regional")
            .map(|d| {
                let owner = owners.remove(&d.id);
                (d, owner)
            })
            .filter(|(_, owner)| with_received || owner.is_none())
            .collect())
    }

    fn plan_library_receipt(
        &self,
        local: Option<&str>,
        docs: &[IncomingDocument],
    ) -> Result<Vec<Plan>> {
        let owners = self.library_owners()?;
        let mut plans = Vec::with_capacity(docs.len());
        for doc in docs {
            plans.push(plan_one(self, &owners, local, doc)?);
        }
        Ok(plans)
    }

    fn receive_library(
        &mut self,
        actor: &str,
        from: &str,
        local: Option<&str>,
        docs: &[IncomingDocument],
        texts: &HashMap<String, String>,
    ) -> Result<LibraryReceipt> {
        let plans = self.plan_library_receipt(local, docs)?;
        let mut receipt = LibraryReceipt::default();
        let mut changes = Vec::new();
        for (doc, plan) in docs.iter().zip(&plans) {
            let (id, held, meta_changed) = match plan {
                Plan::Own => {
                    receipt.own += 1;
                    continue;
                }
                Plan::Unchanged => {
                    receipt.unchanged += 1;
                    continue;
                }
                Plan::New => {
                    receipt.added += 1;
                    (None, 0, true)
                }
                Plan::Update {
                    id,
                    first_new,
                    meta_changed,
                } => {
                    receipt.updated += 1;
                    (Some(*id), first_new - 1, *meta_changed)
                }
            };
            let mut versions = Vec::new();
            for v in plan.new_versions(doc) {
                let text = match &v.content.sha256 {
                    Some(sha) => texts.get(sha).map(String::as_str).ok_or_else(|| {
                        refused(format!(
                            "{} version {}: the file {sha} was not received",
                            doc.named(),
                            v.version
                        ))
                    })?,
                    None => "",
                };
                versions.push((v, text));
            }
            receipt.versions += versions.len();
            changes.push(Change {
                doc,
                meta: checked_meta(&doc.meta)?,
                id,
                held,
                meta_changed,
                versions,
            });
        }
        if !changes.is_empty() {
            receipt.changed = self.write_received(actor, from, &changes)?;
        }
        Ok(receipt)
    }
}

/// Plans one document (see [`LibraryExchangeStore::plan_library_receipt`]).
fn plan_one<S: LibraryRows + LibraryExchangeRows>(
    store: &S,
    owners: &HashMap<i64, String>,
    local: Option<&str>,
    doc: &IncomingDocument,
) -> Result<Plan> {
    let named = doc.named();
    if local == Some(doc.owner.as_str()) {
        return Ok(Plan::Own);
    }
    let meta = checked_meta(&doc.meta).map_err(|e| match e {
        StoreError::Invalid(errors) => refused(format!("{named}: {errors}")),
        other => other,
    })?;
    if meta.access == "national" {
        return Err(refused(format!(
            "{named}: field access is national; national documents never leave a programme"
        )));
    }
    for (i, v) in doc.versions.iter().enumerate() {
        if v.version != i as i64 + 1 {
            return Err(refused(format!(
                "{named}: field versions: version {} where {} was expected",
                v.version,
                i + 1
            )));
        }
    }
    let Some(id) = store.id_of_uuid(&doc.uuid)? else {
        for v in &doc.versions {
            held_elsewhere(store, &named, v, None)?;
        }
        return Ok(Plan::New);
    };
    match owners.get(&id) {
        None => {
            return Err(refused(format!(
                "{named}: this programme holds its own document of that UUID (document {id}); \
                 a copy owned by {} cannot replace it",
                doc.owner
            )));
        }
        Some(owner) if owner != &doc.owner => {
            return Err(refused(format!(
                "{named}: field owner is {}, but the document held here (document {id}) is \
                 owned by {owner}",
                doc.owner
            )));
        }
        Some(_) => {}
    }
    let held = store
        .document_rows(Some(id))?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::ItemNotFound(format!("library document {id}")))?;
    if held.versions.len() > doc.versions.len() {
        return Err(refused(format!(
            "{named}: field versions: {} version(s) here, only {} in the package (versions are \
             never removed)",
            held.versions.len(),
            doc.versions.len()
        )));
    }
    for (h, v) in held.versions.iter().zip(&doc.versions) {
        if !same_content(&h.content, &v.content) {
            return Err(refused(format!(
                "{named} version {}: field sha256/link differs from the version held here",
                v.version
            )));
        }
    }
    let first_new = held.versions.len() as i64 + 1;
    let new = doc.versions.get(held.versions.len()..).unwrap_or_default();
    for v in new {
        held_elsewhere(store, &named, v, Some(id))?;
    }
    let meta_changed = meta != held.meta;
    if new.is_empty() && !meta_changed {
        return Ok(Plan::Unchanged);
    }
    Ok(Plan::Update {
        id,
        first_new,
        meta_changed,
    })
}

/// Refuses a version whose file or link another document holds here.
fn held_elsewhere<S: LibraryRows>(
    store: &S,
    named: &str,
    v: &IncomingVersion,
    own: Option<i64>,
) -> Result<()> {
    let holder = store.holder_of(v.content.sha256.as_deref(), v.content.link.as_deref())?;
    if let Some((doc, version)) = holder
        && Some(doc) != own
    {
        let field = if v.content.link.is_some() {
            "link"
        } else {
            "sha256"
        };
        return Err(refused(format!(
            "{named} version {}: field {field}: document {doc} version {version} here holds the \
             same content",
            v.version
        )));
    }
    Ok(())
}

/// The audit detail of a received document.
pub(crate) fn audit_detail(from: &str, change: &Change<'_>) -> String {
    let versions = match (change.versions.first(), change.versions.last()) {
        (Some(a), Some(b)) if a.0.version == b.0.version => format!("version {}", a.0.version),
        (Some(a), Some(b)) => format!("versions {}–{}", a.0.version, b.0.version),
        _ => "description".to_owned(),
    };
    format!(
        "{} ({}) owned by {}, from {from}: {versions}",
        change.meta.title, change.doc.uuid, change.doc.owner
    )
}

/// The refusal of a document that changed between planning and writing.
pub(crate) fn moved(change: &Change<'_>, found: i64) -> StoreError {
    refused(format!(
        "{}: it changed while the package was read (version {found} is held now, {} was \
         planned); receive the package again",
        change.doc.named(),
        change.held
    ))
}
