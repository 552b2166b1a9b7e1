//! The store's side of regional federation (issue 24): the programme's node id, the global
//! identity of every item, and the outbox of what it shares.
//!
//! * **Global identity.** Every item has a random (v4) UUID from its creation; items made
//!   before schema 9 (SQLite) or migration 7 (PostgreSQL) got one when the database was
//!   upgraded. An item's revision is its version's number, 1, 2, 3 … in approval order. A
//!   shared record is therefore (node, item UUID, revision).
//! * **Outbox.** The approval engine appends one entry per approved item version in the
//!   approval's own transaction (direct approvals, import batches and staged approvals alike):
//!   what is approved is in the outbox, and what is rolled back is not. Upgrading an existing
//!   database puts every version it already holds into the outbox, in approval order, so a
//!   first export shares the whole programme.
//! * **Gap-free sequence.** `seq` is the largest one plus 1, decided inside the write
//!   transaction, and every write transaction of either backend is serialised (SQLite's single
//!   writer, PostgreSQL's writer advisory lock): no two transactions ever hold seqs at once,
//!   so seqs commit in their order, and a rolled-back transaction gives its seqs back. A hub
//!   that has entry *n* has every entry before it; a gap is never a missing approval.
//! * **Node id.** Set once before the first export; it may be set again to the same code, but
//!   changing it is refused once an export recorded that it shared entries
//!   ([`FederationStore::record_export`]): the hub knows the records under that node id.
//!
//! * **Tombstones and re-sent records** are outbox entries too, appended in a write
//!   transaction, so they take their place in the one sequence the hub checks:
//!   - [`FederationStore::withdraw`] withdraws an item from sharing (an administrator's
//!     decision, with a reason): a tombstone at its current revision; its versions stay
//!     withheld while it is withdrawn, and [`FederationStore::reshare`] sends its current
//!     version again.
//!   - [`FederationStore::align_policy`] compares the policy's terms per kind with the terms
//!     the node last shared under: a kind no longer shared gets a tombstone per item, a kind
//!     newly shared or shared under other terms (precision, free text, threshold) a re-sent
//!     upsert of each item's current version, which the hub stores in place of the revision
//!     it holds. The first alignment only records the terms.
//!
//! Callers: `safeground federation export` and the feed `GET /api/federation/feed`, through
//! `safeground_server::federation::write_bundle`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use safeground_model::ItemKind;

use crate::{Flow, ItemVersion, Result, StoreError};

/// A programme's node in a federation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Node id (`KHM`, `LAO1`, …): 3–8 characters, an upper-case letter then upper-case
    /// letters or digits, as the federation crate's node ids.
    pub code: String,
    /// The last outbox seq an export recorded as shared (0: nothing shared yet).
    pub shared_through: u64,
}

/// Why an outbox entry was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// An approved version (an upsert; one per version).
    Approval,
    /// An administrator withdrew the item from sharing (a tombstone).
    Withdrawal,
    /// A withdrawn item is shared again: its current version (an upsert).
    Reshare,
    /// The sharing policy changed for the item's kind: a tombstone (no longer shared) or the
    /// current version re-sent under the new terms (an upsert).
    Policy,
}

impl Cause {
    /// The code stored in `outbox.cause`.
    pub fn code(self) -> &'static str {
        match self {
            Cause::Approval => "approval",
            Cause::Withdrawal => "withdrawal",
            Cause::Reshare => "reshare",
            Cause::Policy => "policy",
        }
    }

    /// Reads a stored code.
    pub(crate) fn from_code(code: &str) -> Result<Cause> {
        Ok(match code {
            "approval" => Cause::Approval,
            "withdrawal" => Cause::Withdrawal,
            "reshare" => Cause::Reshare,
            "policy" => Cause::Policy,
            other => return Err(StoreError::corrupt("outbox.cause", other)),
        })
    }
}

/// One entry of the outbox: a version of an item to share (an upsert), or a tombstone.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    /// Position in the outbox, from 1, gap-free.
    pub seq: u64,
    /// The item's id in this programme (`HAZ-000123`).
    pub item: String,
    /// The item's kind.
    pub kind: ItemKind,
    /// The item's global id (a v4 UUID, lower-case).
    pub uuid: String,
    /// The version's number among the item's versions, from 1, in approval order (for a
    /// tombstone: the item's revision when it was written).
    pub revision: u64,
    /// The version, with its whole record (a hazard's polygons included); none for a
    /// tombstone. Victims' personal data are never part of it.
    pub version: Option<ItemVersion>,
    /// Why the entry was written.
    pub cause: Cause,
    /// Whether the item is withdrawn from sharing now (its upserts are withheld).
    pub withdrawn: bool,
}

/// An item withdrawn from sharing.
#[derive(Debug, Clone, PartialEq)]
pub struct Withdrawal {
    /// The item's id (`HAZ-000123`).
    pub item: String,
    /// Its kind.
    pub kind: ItemKind,
    /// Its local id (the operator's reference).
    pub local_id: String,
    /// Why it was withdrawn.
    pub reason: String,
    /// Who withdrew it.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The terms each shared kind is shared under (kinds not shared are absent), as
/// `safeground_federation::Policy::terms` gives them: any change re-sends the kind.
pub type PolicyTerms = BTreeMap<ItemKind, String>;

/// What aligning the outbox with a sharing policy appended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyAlignment {
    /// Whether this was the node's first alignment (terms recorded, nothing appended).
    pub first: bool,
    /// Kinds no longer shared: a tombstone for each of their items.
    pub withdrawn_kinds: Vec<ItemKind>,
    /// Kinds newly shared or shared under changed terms: their current versions re-sent.
    pub resent_kinds: Vec<ItemKind>,
    /// Tombstones appended.
    pub tombstones: u64,
    /// Upserts appended.
    pub upserts: u64,
}

/// The kinds to tombstone and to re-send when the terms move from `old` to `new`.
pub(crate) fn policy_changes(
    old: &PolicyTerms,
    new: &PolicyTerms,
) -> (Vec<ItemKind>, Vec<ItemKind>) {
    let gone = old.keys().filter(|k| !new.contains_key(k)).copied();
    let changed = new
        .iter()
        .filter(|(k, t)| old.get(k) != Some(t))
        .map(|(k, _)| *k);
    (gone.collect(), changed.collect())
}

/// The stored terms (JSON) decoded.
pub(crate) fn decode_terms(json: &str) -> Result<PolicyTerms> {
    serde_json::from_str(json).map_err(|e| StoreError::corrupt("federation_node.policy_terms", e))
}

/// The terms as stored.
pub(crate) fn encode_terms(terms: &PolicyTerms) -> String {
    serde_json::to_string(terms).unwrap_or_else(|_| "{}".into())
}

/// The audit detail of an alignment.
pub(crate) fn alignment_detail(a: &PolicyAlignment) -> String {
    let kinds = |ks: &[ItemKind]| ks.iter().map(|k| k.code()).collect::<Vec<_>>().join(", ");
    format!(
        "no longer shared: [{}] ({} tombstones); re-sent: [{}] ({} upserts)",
        kinds(&a.withdrawn_kinds),
        a.tombstones,
        kinds(&a.resent_kinds),
        a.upserts
    )
}

/// Refuses to withdraw `item` when it does not exist (`withdrawn` none) or is withdrawn
/// already; `withdrawn` says whether it is.
pub(crate) fn withdrawal_check(item: &str, withdrawn: Option<bool>) -> Result<()> {
    match withdrawn {
        None => Err(StoreError::ItemNotFound(item.to_owned())),
        Some(true) => Err(StoreError::Federation(format!(
            "{item} is withdrawn from sharing already; share it again first to change the reason"
        ))),
        Some(false) => Ok(()),
    }
}

/// Checks a withdrawal's reason: required, one line of at most 500 characters.
pub(crate) fn check_reason(reason: &str) -> Result<&str> {
    let r = reason.trim();
    if r.is_empty() || r.chars().count() > 500 {
        return Err(StoreError::Federation(
            "give the reason for withdrawing the item from sharing (1 to 500 characters): the \
             audit log and the Sharing page show it"
                .into(),
        ));
    }
    Ok(r)
}

/// Federation reads and settings of a programme store.
pub trait FederationStore {
    /// The programme's node, once set.
    fn node(&self) -> Result<Option<Node>>;
    /// Sets the programme's node id (validated by [`check_node_code`]), audited as `actor`.
    /// Setting the same id again changes nothing; another id is refused once an export has
    /// been recorded.
    fn set_node(&mut self, actor: &str, code: &str) -> Result<()>;
    /// Records that an export shared the outbox through `seq` (the exporter calls it once its
    /// bundle is written); it never moves back. Refused without a node id or past the head.
    fn record_export(&mut self, seq: u64) -> Result<()>;
    /// The global id of an item (None: no such item).
    fn item_uuid(&self, item: &str) -> Result<Option<String>>;
    /// The last seq of the outbox (0 when empty).
    fn outbox_head(&self) -> Result<u64>;
    /// Gives every entry after `after_seq` to `f`, in seq order, in constant memory, until `f`
    /// answers [`Flow::Stop`].
    fn for_each_outbox(
        &self,
        after_seq: u64,
        f: &mut dyn FnMut(OutboxEntry) -> Result<Flow>,
    ) -> Result<()>;
    /// Withdraws `item` from sharing, audited as `actor` with `reason`: appends a tombstone at
    /// its current revision and returns its seq. Refused for an unknown or withdrawn item.
    fn withdraw(&mut self, actor: &str, item: &str, reason: &str) -> Result<u64>;
    /// Shares a withdrawn `item` again: appends an upsert of its current version and returns
    /// its seq. Refused for an item not withdrawn.
    fn reshare(&mut self, actor: &str, item: &str) -> Result<u64>;
    /// The items withdrawn from sharing, the latest first.
    fn withdrawals(&self) -> Result<Vec<Withdrawal>>;
    /// Aligns the outbox with the policy whose terms are `terms` (see [`PolicyAlignment`]),
    /// in one write transaction, audited as `actor` when it appends anything. Refused
    /// without a node id.
    fn align_policy(&mut self, actor: &str, terms: &PolicyTerms) -> Result<PolicyAlignment>;
}

/// Checks a node id: 3–8 characters, an upper-case ASCII letter then upper-case letters or
/// digits (`KHM`, `LAO`, `ARMAC1`).
pub fn check_node_code(code: &str) -> Result<()> {
    let ok = (3..=8).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(StoreError::Federation(format!(
            "`{code}` is not a node id: use 3 to 8 upper-case letters or digits starting with \
             a letter, such as the country's ISO code (KHM, LAO)"
        )))
    }
}

/// Whether setting `code` over the stored node `current` writes (true), changes nothing
/// (false) or is refused.
pub(crate) fn node_change(current: Option<&Node>, code: &str) -> Result<bool> {
    check_node_code(code)?;
    match current {
        None => Ok(true),
        Some(node) if node.code == code => Ok(false),
        Some(node) if node.shared_through == 0 => Ok(true),
        Some(node) => Err(StoreError::Federation(format!(
            "this programme has shared records as node {} (outbox through entry {}); its node \
             id can no longer change, since the hub knows those records under it. Keep {}, or \
             start a new programme for node {code}",
            node.code, node.shared_through, node.code
        ))),
    }
}

/// Checks an export mark against the node and the outbox head; returns the new mark.
pub(crate) fn export_mark(node: Option<&Node>, seq: u64, head: u64) -> Result<u64> {
    let Some(node) = node else {
        return Err(StoreError::Federation(
            "this programme has no node id; set one (safeground federation init) before \
             exporting"
                .into(),
        ));
    };
    if seq > head {
        return Err(StoreError::Federation(format!(
            "an export cannot have shared entry {seq}: the outbox ends at {head}"
        )));
    }
    Ok(node.shared_through.max(seq))
}

/// A new time-ordered (version 7, RFC 9562) UUID, lower-case and hyphenated: 48 bits of Unix
/// milliseconds, then 74 random bits. Items created one after another get neighbouring UUIDs,
/// so the `item_uuid` index grows at its end instead of dirtying a random page per item
/// (a bulk import of EO finds wrote ~1,000 such pages per batch of 500).
pub(crate) fn new_uuid() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| {
        StoreError::Federation(format!(
            "the system gave no random bytes for an item's UUID ({e}); check the operating \
             system's random source and retry"
        ))
    })?;
    let millis = u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0);
    b[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// An outbox row as read: the columns of the outbox, its item and its withdrawal.
pub(crate) struct RawEntry {
    pub seq: i64,
    pub item: String,
    pub kind: String,
    pub uuid: String,
    pub revision: i64,
    pub cause: String,
    pub withdrawn: bool,
}

/// An outbox row decoded: seq and revision as stored (SQL integers).
pub(crate) fn entry(raw: RawEntry, version: Option<ItemVersion>) -> Result<OutboxEntry> {
    let unsigned = |n: i64, what: &str| {
        u64::try_from(n).map_err(|_| StoreError::corrupt(format!("outbox {what}"), n))
    };
    Ok(OutboxEntry {
        seq: unsigned(raw.seq, "seq")?,
        kind: raw
            .kind
            .parse::<ItemKind>()
            .map_err(|_| StoreError::corrupt("item.kind", &raw.kind))?,
        item: raw.item,
        uuid: raw.uuid,
        revision: unsigned(raw.revision, "revision")?,
        version,
        cause: Cause::from_code(&raw.cause)?,
        withdrawn: raw.withdrawn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_7_distinct_and_ordered_by_time() {
        let before = Utc::now().timestamp_millis();
        let a = new_uuid().expect("uuid");
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = new_uuid().expect("uuid");
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "7");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert!(a < b, "{a} then {b}");
        // The first 48 bits are the Unix time in milliseconds.
        let millis = i64::from_str_radix(&a.replace('-', "")[..12], 16).expect("hex");
        assert!(
            (before..before + 1_000).contains(&millis),
            "{millis} vs {before}"
        );
    }

    #[test]
    fn node_ids_are_checked_and_fixed_once_shared() {
        for bad in ["kh", "KH", "khm", "1KH", "KHM-1", "TOOLONGID"] {
            assert!(check_node_code(bad).is_err(), "{bad}");
        }
        let node = |shared_through| Node {
            code: "KHM".into(),
            shared_through,
        };
        assert!(node_change(None, "KHM").expect("new"));
        assert!(!node_change(Some(&node(5)), "KHM").expect("same"));
        assert!(node_change(Some(&node(0)), "LAO").expect("nothing shared"));
        let err = node_change(Some(&node(5)), "LAO").expect_err("shared");
        assert!(err.to_string().contains("no longer change"), "{err}");
        assert_eq!(export_mark(Some(&node(5)), 3, 9).expect("mark"), 5);
        assert!(export_mark(Some(&node(5)), 10, 9).is_err());
        assert!(export_mark(None, 1, 9).is_err());
    }

    #[test]
    fn policy_changes_name_the_kinds_gone_and_changed() {
        let terms = |pairs: &[(ItemKind, &str)]| -> PolicyTerms {
            pairs.iter().map(|(k, t)| (*k, (*t).to_owned())).collect()
        };
        let old = terms(&[
            (ItemKind::Hazard, "p5"),
            (ItemKind::EoFind, "p4"),
            (ItemKind::Victim, "t5"),
        ]);
        let new = terms(&[
            (ItemKind::Hazard, "p5"),
            (ItemKind::EoFind, "p3"),
            (ItemKind::Team, "p5"),
        ]);
        let (gone, changed) = policy_changes(&old, &new);
        assert_eq!(gone, [ItemKind::Victim]);
        assert_eq!(changed, [ItemKind::Team, ItemKind::EoFind]);
        assert_eq!(policy_changes(&new, &new), (vec![], vec![]));
        assert_eq!(decode_terms(&encode_terms(&new)).expect("round trip"), new);
        assert!(check_reason("  ").is_err());
        assert_eq!(
            check_reason(" duplicate record ").expect("ok"),
            "duplicate record"
        );
    }
}
