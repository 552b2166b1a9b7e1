//! The national node's side of regional federation: a range of the programme's outbox as a
//! signed bundle, written alike by the feed (`GET /api/federation/feed`) and by `safeground
//! federation export`. Every outbox entry of the range is in the bundle: an upsert of the
//! record as the sharing policy de-identifies it, or a withheld entry (its seq alone) where
//! the policy does not share its kind or the item is withdrawn, so the hub's checkpoint moves
//! on without a gap; tombstones of withdrawn items and of kinds no longer shared
//! (`shared_entry`). The hub's side reads such a bundle with [`ReadBundle`].

use std::io::{Read, Seek, Write};

use safeground_federation::policy::VictimGroups;
use safeground_federation::{
    BundleReader, BundleWriter, Entry, FederationError, Manifest, NodeCard, NodeKey, Operation,
    Policy, VerifiedBundle, sequence,
};
use safeground_model::ItemKind;
use safeground_store::hub::{
    BundleSummary, EntriesError, IncomingBundle, SharedChange, SharedEntry,
};
use safeground_store::{Backend, Cause, Flow, OutboxEntry, PolicyAlignment, StoreError};

/// What a node shares and signs with: its key and its sharing policy.
#[derive(Debug)]
pub struct Sharing {
    /// The node's private key (from its 0600 key file).
    pub key: NodeKey,
    /// The sharing policy (the safe default unless a policy file was given).
    pub policy: Policy,
}

/// Why a bundle could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ShareError {
    /// Reading the programme failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// De-identifying, signing or writing failed.
    #[error(transparent)]
    Federation(#[from] FederationError),
    /// The programme's node id is not set, or not the key's.
    #[error("{0}")]
    Node(String),
}

/// Checks that the programme's node id is set and is the key's node.
pub fn check_node(store: &dyn Backend, key: &NodeKey) -> Result<(), ShareError> {
    match store.node()? {
        None => Err(ShareError::Node(format!(
            "this programme has no node id yet: run `safeground federation init DB --node {} \
             …` (or set the node id of the key {} was made for)",
            key.node(),
            key.node()
        ))),
        Some(node) if node.code != key.node().as_str() => Err(ShareError::Node(format!(
            "the key is node {}'s but this programme is node {}: use {}'s key file",
            key.node(),
            node.code,
            node.code
        ))),
        Some(_) => Ok(()),
    }
}

/// Writes the bundle of the outbox entries after `after` through `through` (which must hold at
/// least one entry: `after < through <= outbox_head`) to `out`, streaming; gives `out` back
/// with the signed manifest.
pub fn write_bundle<W: Write>(
    store: &dyn Backend,
    sharing: &Sharing,
    after: u64,
    through: u64,
    out: W,
) -> Result<(W, Manifest), ShareError> {
    let groups = if sharing.policy.shares(ItemKind::Victim) {
        safeground_io::quasi::victim_groups(store)?
    } else {
        VictimGroups::new()
    };
    let mut writer = BundleWriter::new(out, &sharing.key)?;
    let mut failed: Option<ShareError> = None;
    store.for_each_outbox(after, &mut |e| {
        if e.seq > through {
            return Ok(Flow::Stop);
        }
        let pushed = match shared_entry(&sharing.policy, &groups, e) {
            Ok(entry) => writer.push(&entry).map_err(ShareError::from),
            Err(err) => Err(err),
        };
        match pushed {
            Ok(()) => Ok(Flow::Continue),
            Err(err) => {
                failed = Some(err);
                Ok(Flow::Stop)
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    Ok(writer.finish()?)
}

/// What an outbox entry becomes in a bundle under `policy`:
/// * a version (an approval, a re-share, a re-send under a changed policy): an upsert of the
///   de-identified record if its kind is shared and the item is not withdrawn now, otherwise a
///   withheld entry;
/// * a tombstone of a withdrawal: a tombstone if its kind is shared now (otherwise the hub
///   never had the item, or a policy tombstone removed it: withheld);
/// * a tombstone of a policy change: always a tombstone (the kind was shared before).
fn shared_entry(
    policy: &Policy,
    groups: &VictimGroups,
    e: OutboxEntry,
) -> Result<Entry, ShareError> {
    let Some(version) = e.version else {
        let sent = e.cause == Cause::Policy || policy.shares(e.kind);
        return Ok(if sent {
            Entry::tombstone(e.seq, e.kind, &e.uuid, e.revision)
        } else {
            Entry::withheld(e.seq)
        });
    };
    if e.withdrawn {
        return Ok(Entry::withheld(e.seq));
    }
    let mut record = serde_json::to_value(&version.record).map_err(|err| StoreError::Corrupt {
        what: format!("the record of outbox entry {}", e.seq),
        detail: err.to_string(),
    })?;
    // The item id, which other records name; shared only by the kinds whose allow-list has it
    // (hazards, accidents: the hub joins activities and victims to them).
    if let Some(fields) = record.as_object_mut() {
        fields.insert("id".into(), e.item.clone().into());
    }
    Ok(policy.entry(e.seq, e.kind, &e.uuid, e.revision, &record, groups)?)
}

/// Aligns the outbox with the sharing policy before a bundle is written (see
/// [`FederationStore::align_policy`](safeground_store::FederationStore::align_policy)): a
/// kind no longer shared gets its tombstones, a kind newly shared or shared under other terms
/// its records re-sent. `actor` is audited.
pub fn align_policy(
    store: &mut dyn Backend,
    actor: &str,
    policy: &Policy,
) -> Result<PolicyAlignment, ShareError> {
    Ok(store.align_policy(actor, &policy.all_terms())?)
}

/// A signed bundle read by the federation crate (from a file or the feed), as the hub's store
/// imports it ([`HubStore::import_bundle`](safeground_store::HubStore::import_bundle)).
pub struct ReadBundle<R> {
    node: String,
    opened: Option<BundleReader<R>>,
    verified: Option<VerifiedBundle<R>>,
}

impl<R: Read + Seek> ReadBundle<R> {
    /// Reads the bundle's manifest (verified later, against the node's registered card).
    pub fn new(inner: R) -> Result<Self, FederationError> {
        let reader = BundleReader::open(inner)?;
        Ok(ReadBundle {
            node: reader.manifest().node.to_string(),
            opened: Some(reader),
            verified: None,
        })
    }
}

impl<R: Read + Seek> IncomingBundle for ReadBundle<R> {
    fn node(&self) -> &str {
        &self.node
    }

    fn verify(&mut self, card: &str) -> Result<BundleSummary, String> {
        let card = NodeCard::from_json(card).map_err(|e| e.to_string())?;
        let reader = self
            .opened
            .take()
            .ok_or("the bundle was verified already; open it again")?;
        let verified = reader.verify(&card).map_err(|e| e.to_string())?;
        let m = verified.manifest();
        let summary = BundleSummary {
            seq_from: m.seq_from,
            seq_to: m.seq_to,
            sha256: m.payload_sha256.clone(),
        };
        self.verified = Some(verified);
        Ok(summary)
    }

    fn decide(&self, checkpoint: u64) -> Result<Option<u64>, String> {
        let m = self
            .verified
            .as_ref()
            .ok_or("the bundle is not verified")?
            .manifest();
        let decision = sequence::decide(checkpoint, m).map_err(|e| e.to_string())?;
        Ok(decision.first_seq(m))
    }

    fn entries(
        &mut self,
        f: &mut dyn FnMut(SharedEntry) -> safeground_store::Result<()>,
    ) -> Result<(), EntriesError> {
        let bundle = |e: FederationError| EntriesError::Bundle(e.to_string());
        let verified = (self.verified.take())
            .ok_or_else(|| EntriesError::Bundle("the bundle is not verified".into()))?;
        for entry in verified.entries().map_err(bundle)? {
            let mut e = entry.map_err(bundle)?;
            let no_item = || EntriesError::Bundle(format!("entry seq {} names no item", e.seq));
            let change = match e.operation {
                Operation::Withheld => SharedChange::Withheld,
                Operation::Upsert => {
                    let (kind, item, revision) = e.target().ok_or_else(no_item)?;
                    let item = item.to_owned();
                    let record = e.record.take().ok_or_else(|| {
                        EntriesError::Bundle(format!("upsert seq {} has no record", e.seq))
                    })?;
                    SharedChange::Upsert {
                        kind,
                        item,
                        revision,
                        record,
                    }
                }
                Operation::Tombstone => SharedChange::Tombstone {
                    item: e.target().ok_or_else(no_item)?.1.to_owned(),
                },
            };
            f(SharedEntry { seq: e.seq, change }).map_err(EntriesError::Store)?;
        }
        Ok(())
    }
}

/// Applies the regional code lists of the reference set the programme adopted (none before
/// one is) to an import's `mapping`; gives the mapping text to key the import's checkpoint
/// with, which names the lists applied, so that new lists make a new import.
pub fn apply_adopted_codes(
    store: &dyn Backend,
    mapping: &mut safeground_import::Mapping,
    mapping_text: String,
) -> Result<String, ShareError> {
    let Some(document) = store.reference()?.document else {
        return Ok(mapping_text);
    };
    let set = safeground_federation::ReferenceSet::adopted(&document)?;
    if set.codes.is_empty() || mapping.add_codes(&set.codes) == 0 {
        return Ok(mapping_text);
    }
    Ok(format!(
        "{mapping_text}\n# regional code lists, reference version {}: {}",
        set.version,
        serde_json::to_string(&set.codes).unwrap_or_default()
    ))
}
