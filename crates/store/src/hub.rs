//! The regional hub's side of federation (issue 24): a hub is a programme database that also
//! holds what national nodes share with it.
//!
//! * **Marked once.** `safeground hub init` creates a programme and marks it as a hub (the
//!   one row of table `hub`: a backend-neutral mark that transfers and backups carry, unlike
//!   SQLite's `meta`). Nodes are registered only in a hub.
//! * **Nodes.** A node is registered by its card (node id, name, ed25519 public key), kept as
//!   JSON in `hub_node` with its checkpoint (the last seq applied). A second, different card
//!   for a known node is refused: key rotation is not supported yet.
//! * **Bundles.** [`HubStore::import_bundle`] verifies a bundle against its node's registered
//!   card, decides with the checkpoint (replay: nothing to do; gap: refused naming the missing
//!   range; overlap: applied from the first entry the hub lacks), then streams the entries in
//!   ONE write transaction: an upsert stores a revision at least as new as the one held (an
//!   equal one is the record re-sent, e.g. under a changed sharing policy; an older one is
//!   ignored), a tombstone deletes, a withheld entry only advances the sequence. The
//!   checkpoint, the last bundle's time and SHA-256 and an audit entry `hub.import` are written
//!   in the same transaction, so a refused bundle, an error or a killed process leaves nothing
//!   of it: rerun the import and the hub ends in the same state.
//!
//! The store cannot see the federation crate (which builds on `safeground-io`, itself on the
//! store): callers give a bundle through [`IncomingBundle`], implemented over the federation
//! crate's `BundleReader`.

use chrono::{DateTime, Utc};
use safeground_model::ItemKind;
use serde_json::Value;

use crate::outbox::check_node_code;
use crate::{Flow, Result, StoreError};

/// A node as registered at the hub.
#[derive(Debug, Clone, PartialEq)]
pub struct HubNode {
    /// Node id (`KHM`).
    pub node: String,
    /// The programme's name, from its card.
    pub name: String,
    /// The node card, canonical JSON (node, name, public key, created).
    pub card: String,
    /// The last seq applied (0: no bundle yet).
    pub checkpoint: u64,
    /// When the last bundle was applied.
    pub last_bundle_at: Option<DateTime<Utc>>,
    /// The SHA-256 (hex) of the last bundle's payload, as its signed manifest gives it.
    pub last_bundle_sha256: Option<String>,
    /// When the node was registered.
    pub added_at: DateTime<Utc>,
}

/// A node card to register: its node id and name, and the whole card as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct NewHubNode {
    /// Node id (`KHM`).
    pub node: String,
    /// The programme's name.
    pub name: String,
    /// The card, JSON.
    pub card: String,
}

/// What a verified bundle holds, as its signed manifest says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleSummary {
    /// Seq of the first entry.
    pub seq_from: u64,
    /// Seq of the last entry.
    pub seq_to: u64,
    /// SHA-256 (hex) of the payload.
    pub sha256: String,
}

/// One entry of a bundle, as the hub applies it.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedEntry {
    /// The node's outbox seq.
    pub seq: u64,
    /// What it does.
    pub change: SharedChange,
}

/// What an entry does at the hub.
#[derive(Debug, Clone, PartialEq)]
pub enum SharedChange {
    /// Store this revision of the item, unless the hub holds a newer one.
    Upsert {
        /// The item's kind.
        kind: ItemKind,
        /// The item's UUID at its node.
        item: String,
        /// The revision, from 1.
        revision: u64,
        /// The de-identified record.
        record: Value,
    },
    /// The item is no longer shared: delete it.
    Tombstone {
        /// The item's UUID at its node.
        item: String,
    },
    /// Nothing shared for this seq (the node's policy withheld it): only the sequence moves.
    Withheld,
}

/// A bundle to import: a signed bundle file read by the federation crate.
pub trait IncomingBundle {
    /// The node its manifest names, not yet verified (to find the card to verify with).
    fn node(&self) -> &str;
    /// Verifies the bundle with `card`, the JSON of the node card the hub registered:
    /// signature, manifest and every entry. The error says what is wrong.
    fn verify(&mut self, card: &str) -> std::result::Result<BundleSummary, String>;
    /// The first seq to apply when the hub holds the node's entries through `checkpoint`
    /// (None: every entry is held already); an error names the missing range of a gap.
    fn decide(&self, checkpoint: u64) -> std::result::Result<Option<u64>, String>;
    /// Gives the verified entries to `f`, in seq order, one at a time; an error (the file
    /// changed since it was verified) comes at the point it is found, the end included.
    fn entries(
        &mut self,
        f: &mut dyn FnMut(SharedEntry) -> Result<()>,
    ) -> std::result::Result<(), EntriesError>;
}

/// Why streaming a bundle's entries stopped.
#[derive(Debug)]
pub enum EntriesError {
    /// The bundle: the message says what is wrong with it.
    Bundle(String),
    /// The store, writing an entry.
    Store(StoreError),
}

/// What importing one bundle did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleImport {
    /// The node.
    pub node: String,
    /// Seq of the bundle's first entry.
    pub seq_from: u64,
    /// Seq of its last entry.
    pub seq_to: u64,
    /// The first seq applied (None: the hub held every entry already; nothing was written).
    pub applied_from: Option<u64>,
    /// Revisions stored.
    pub upserted: u64,
    /// Items deleted by a tombstone (one the hub did not hold counts too).
    pub deleted: u64,
    /// Withheld entries (the sequence moved, nothing else).
    pub withheld: u64,
    /// Upserts of a revision older than the one held, ignored.
    pub older: u64,
    /// Entries before the first seq applied: held already.
    pub skipped: u64,
}

impl BundleImport {
    /// Nothing applied yet of `summary`'s bundle from `node`, applying from seq `first`.
    pub(crate) fn starting(node: &str, summary: &BundleSummary, first: u64) -> BundleImport {
        BundleImport {
            node: node.to_owned(),
            seq_from: summary.seq_from,
            seq_to: summary.seq_to,
            applied_from: Some(first),
            upserted: 0,
            deleted: 0,
            withheld: 0,
            older: 0,
            skipped: 0,
        }
    }
}

/// A record a node shares, as the hub holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedRecord {
    /// The node.
    pub node: String,
    /// The item's UUID at its node.
    pub item: String,
    /// The item's kind.
    pub kind: ItemKind,
    /// The revision held.
    pub revision: u64,
    /// The de-identified record.
    pub record: Value,
    /// When the hub received it.
    pub received_at: DateTime<Utc>,
    /// The node's seq of the entry.
    pub seq: u64,
}

/// How many records of a kind a node shares with the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedCount {
    /// The node.
    pub node: String,
    /// The item kind.
    pub kind: ItemKind,
    /// Records held.
    pub count: u64,
}

/// The hub's reads and writes of a programme store.
pub trait HubStore {
    /// Marks the programme as a hub (once; again changes nothing), audited as `actor`.
    fn make_hub(&mut self, actor: &str) -> Result<()>;
    /// Whether the programme is a hub.
    fn is_hub(&self) -> Result<bool>;
    /// Registers a node's card; true if added, false if this very card was registered already.
    /// Refused in a programme that is not a hub, and for a different card of a known node.
    fn add_node(&mut self, actor: &str, card: &NewHubNode) -> Result<bool>;
    /// The registered nodes, by node id.
    fn hub_nodes(&self) -> Result<Vec<HubNode>>;
    /// Verifies and applies one bundle in one transaction (see the module's documentation);
    /// [`StoreError::BundleRefused`] when the bundle is refused, nothing written then.
    fn import_bundle(
        &mut self,
        actor: &str,
        bundle: &mut dyn IncomingBundle,
    ) -> Result<BundleImport>;
    /// Gives every shared record of `kind` (of `node` only, if given) to `f`, by node and item
    /// UUID, in constant memory, until `f` answers [`Flow::Stop`].
    fn for_each_shared_record(
        &self,
        kind: ItemKind,
        node: Option<&str>,
        f: &mut dyn FnMut(SharedRecord) -> Result<Flow>,
    ) -> Result<()>;
    /// The number of shared records held per node and kind (none listed where none is held),
    /// by node and kind code.
    fn shared_record_counts(&self) -> Result<Vec<SharedCount>>;
}

/// The writes of an import, per backend, inside its transaction.
pub(crate) trait HubWrites {
    /// Stores a revision unless a newer one is held; true if stored.
    fn upsert(
        &mut self,
        node: &str,
        seq: u64,
        kind: ItemKind,
        item: &str,
        revision: u64,
        record: &Value,
    ) -> Result<bool>;
    /// Deletes an item.
    fn delete(&mut self, node: &str, item: &str) -> Result<()>;
}

/// A refused bundle, saying why.
pub(crate) fn refused(message: impl Into<String>) -> StoreError {
    StoreError::BundleRefused(message.into())
}

/// Checks a card before it is registered.
pub(crate) fn check_new_node(card: &NewHubNode) -> Result<()> {
    check_node_code(&card.node)?;
    let json: Value = serde_json::from_str(&card.card)
        .map_err(|e| StoreError::Federation(format!("the node card is not JSON: {e}")))?;
    if json.get("node").and_then(Value::as_str) != Some(card.node.as_str()) {
        return Err(StoreError::Federation(format!(
            "the node card is not node {}'s: give the card `safeground federation init` printed",
            card.node
        )));
    }
    Ok(())
}

/// Whether registering `card` over the stored card `current` of the same node writes (true),
/// changes nothing (false) or is refused.
pub(crate) fn node_card_change(current: Option<&str>, card: &NewHubNode) -> Result<bool> {
    let Some(current) = current else {
        return Ok(true);
    };
    let same = serde_json::from_str::<Value>(current).ok()
        == serde_json::from_str::<Value>(&card.card).ok();
    if same {
        Ok(false)
    } else {
        Err(StoreError::Federation(format!(
            "node {} is registered already with another card (another key or name): a node's \
             key cannot be replaced yet (key rotation is not supported); check with {} which \
             card is right",
            card.node, card.node
        )))
    }
}

/// The refusal of a programme that is not a hub.
pub(crate) fn not_a_hub() -> StoreError {
    StoreError::Federation(
        "this programme is not a regional hub: create a hub with `safeground hub init DB`".into(),
    )
}

/// The refusal of a bundle from a node without a card.
pub(crate) fn unknown_node(node: &str) -> StoreError {
    refused(format!(
        "bundle from unknown node {node}: register its node card first with `safeground hub \
         add-node DB CARD.json` (a card received from {node} through a channel you trust), then \
         import again"
    ))
}

/// Verifies `bundle` with `card`, its node's registered card (before the write transaction:
/// it reads the whole bundle once).
pub(crate) fn verify(bundle: &mut dyn IncomingBundle, card: &str) -> Result<BundleSummary> {
    bundle.verify(card).map_err(refused)
}

/// The first seq of `bundle` to apply given `checkpoint` (None: nothing to do), decided inside
/// the write transaction.
pub(crate) fn decide(bundle: &dyn IncomingBundle, checkpoint: u64) -> Result<Option<u64>> {
    bundle.decide(checkpoint).map_err(refused)
}

/// Streams the entries of `bundle` into `w` from seq `first` on, one at a time; checks that
/// they run from the summary's first seq to its last.
pub(crate) fn apply(
    node: &str,
    summary: &BundleSummary,
    first: u64,
    bundle: &mut dyn IncomingBundle,
    w: &mut dyn HubWrites,
) -> Result<BundleImport> {
    apply_in_batches(
        node,
        summary,
        first,
        bundle,
        1,
        &mut |e| e,
        &mut |batch, done| {
            for e in batch.iter() {
                match &e.change {
                    SharedChange::Upsert {
                        kind,
                        item,
                        revision,
                        record,
                    } => {
                        if w.upsert(node, e.seq, *kind, item, *revision, record)? {
                            done.upserted += 1;
                        } else {
                            done.older += 1;
                        }
                    }
                    SharedChange::Tombstone { item } => {
                        w.delete(node, item)?;
                        done.deleted += 1;
                    }
                    SharedChange::Withheld => done.withheld += 1,
                }
            }
            Ok(())
        },
    )
}

/// Streams the entries of `bundle` from seq `first` on to `write` in batches of at most `size`
/// upserts and tombstones, each made a `T` by `convert` as it comes, in seq order (withheld
/// entries are only counted); `write` applies a
/// batch as if entry by entry and counts what it did (it may take the batch's entries). Checks
/// that the entries run from the summary's first seq to its last. Memory is bounded by `size`,
/// whatever the bundle's size.
pub(crate) fn apply_in_batches<T>(
    node: &str,
    summary: &BundleSummary,
    first: u64,
    bundle: &mut dyn IncomingBundle,
    size: usize,
    convert: &mut dyn FnMut(SharedEntry) -> T,
    write: &mut dyn FnMut(&mut Vec<T>, &mut BundleImport) -> Result<()>,
) -> Result<BundleImport> {
    let mut done = BundleImport::starting(node, summary, first);
    let size = size.max(1);
    let mut batch: Vec<T> = Vec::with_capacity(size);
    let mut next = summary.seq_from;
    let streamed = bundle.entries(&mut |e| {
        if e.seq != next {
            return Err(refused(format!(
                "bundle entry seq {} where {next} was expected; nothing was written",
                e.seq
            )));
        }
        next += 1;
        if e.seq < first {
            done.skipped += 1;
            return Ok(());
        }
        if matches!(e.change, SharedChange::Withheld) {
            done.withheld += 1;
            return Ok(());
        }
        batch.push(convert(e));
        if batch.len() >= size {
            write(&mut batch, &mut done)?;
            batch.clear();
        }
        Ok(())
    });
    match streamed {
        Ok(()) => {}
        Err(EntriesError::Store(e)) => return Err(e),
        Err(EntriesError::Bundle(m)) => {
            return Err(refused(format!("{m}; nothing was written")));
        }
    }
    if next != summary.seq_to.saturating_add(1) {
        return Err(refused(format!(
            "bundle entries end at seq {} but its manifest says {}; nothing was written",
            next.saturating_sub(1),
            summary.seq_to
        )));
    }
    if !batch.is_empty() {
        write(&mut batch, &mut done)?;
    }
    Ok(done)
}

/// The audit detail of an import.
pub(crate) fn audit_detail(done: &BundleImport) -> String {
    format!(
        "seq {}–{} from {}: {} upserted, {} deleted, {} withheld, {} older ignored, {} held \
         already",
        done.seq_from,
        done.seq_to,
        done.applied_from.unwrap_or(done.seq_from),
        done.upserted,
        done.deleted,
        done.withheld,
        done.older,
        done.skipped
    )
}

/// What a bundle whose every entry is held comes to.
pub(crate) fn nothing_to_do(node: &str, summary: &BundleSummary) -> BundleImport {
    BundleImport {
        applied_from: None,
        skipped: summary.seq_to - summary.seq_from + 1,
        ..BundleImport::starting(node, summary, summary.seq_from)
    }
}

/// A stored card as canonical JSON (compact, keys sorted), the same from either backend.
pub(crate) fn canonical_card(text: &str) -> Result<String> {
    let mut card: Value =
        serde_json::from_str(text).map_err(|e| StoreError::corrupt("hub_node.card", e))?;
    card.sort_all_objects();
    Ok(card.to_string())
}

/// A stored seq, revision or checkpoint as an unsigned number.
pub(crate) fn unsigned(n: i64, what: &str) -> Result<u64> {
    u64::try_from(n).map_err(|_| StoreError::corrupt(what, n))
}

/// A seq, revision or checkpoint as SQL's bigint (none past `i64::MAX` exist).
pub(crate) fn sql_int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A stored item kind.
pub(crate) fn kind(code: &str) -> Result<ItemKind> {
    code.parse()
        .map_err(|_| StoreError::corrupt("shared_record.kind", code))
}
