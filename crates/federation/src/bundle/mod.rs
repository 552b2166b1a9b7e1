//! Signed bundles: what a node shares with the hub, as one file (USB stick, e-mail) or one
//! response of the feed.
//!
//! # Format (version 1)
//!
//! ```text
//! offset  size   content
//! 0       8      magic  89 'S' 'G' 'B' 0D 0A 1A 0A
//! 8       2      format version, u16 big-endian (1)
//! 10      P      payload: gzip of JSON lines, one entry a line (see below)
//! 10+P    M      manifest: JSON, UTF-8
//! 10+P+M  64     ed25519 signature of DOMAIN ‖ bytes 0..10 ‖ manifest
//! end-12  4      M, u32 big-endian
//! end-8   8      end marker  'S' 'G' 'B' '-' 'E' 'N' 'D' 0A
//! ```
//!
//! `DOMAIN` is `safeground-federation-bundle\0`, so a bundle's signature can never be taken
//! for any other message signed by the same key. The manifest comes last (as a zip's central
//! directory does) so that the writer streams entries straight to its output and learns the
//! counts and the payload's SHA-256 as it goes; the reader seeks to the end for it.
//!
//! The manifest ([`Manifest`]):
//!
//! ```json
//! {"format": 1, "node": "KHM", "seq_from": 1, "seq_to": 3,
//!  "counts": {"hazard": {"upsert": 2, "tombstone": 1}}, "withheld": 0,
//!  "payload_bytes": 412, "payload_sha256": "9f2c…", "compression": "gzip",
//!  "created_at": "2026-12-06T09:00:00Z"}
//! ```
//!
//! A payload line ([`Entry`]); a tombstone has no record, and a withheld entry (an outbox entry
//! the node's policy does not share) carries its seq alone, so that nothing about the record
//! leaks, not even its kind:
//!
//! ```json
//! {"seq": 1, "kind": "hazard", "item": "0b6f…", "revision": 2, "op": "upsert", "record": {…}}
//! {"seq": 2, "kind": "hazard", "item": "77a1…", "revision": 5, "op": "tombstone"}
//! {"seq": 3, "op": "withheld"}
//! ```
//!
//! Entries run in consecutive sequence order, `seq_from` to `seq_to`, no gap: every outbox
//! entry of the range is there, shared or withheld, so the hub's checkpoint advances over
//! what it is not given and a gap always means something is missing. The reader
//! ([`BundleReader`]) checks the end marker, the node, the signature and the payload's size
//! before reading a byte of the payload; then one streaming pass checks the payload's SHA-256
//! and every entry (order, counts, shape) and a second one yields them, checking them again.
//! Memory stays constant in the number of entries on both sides (one line at a time).

mod check;
mod hashio;
mod read;
mod write;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use safeground_model::ItemKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::NodeId;

pub use read::{BundleReader, Entries, VerifiedBundle};
pub use write::BundleWriter;

/// First bytes of every bundle (PNG-style: a high byte, then CR LF, ^Z, LF to catch
/// text-mode transfers).
pub const MAGIC: [u8; 8] = [0x89, b'S', b'G', b'B', 0x0D, 0x0A, 0x1A, 0x0A];

/// Last bytes of every bundle.
pub const END_MARKER: [u8; 8] = *b"SGB-END\n";

/// The format version written and read.
pub const FORMAT_VERSION: u16 = 1;

/// Signed before the header and the manifest.
const DOMAIN: &[u8] = b"safeground-federation-bundle\0";

/// Magic and version.
const HEADER_LEN: u64 = 10;

/// Manifest length and end marker.
const FOOTER_LEN: u64 = 12;

/// An ed25519 signature.
const SIGNATURE_LEN: u64 = 64;

/// The largest manifest accepted (a manifest is a few hundred bytes).
const MAX_MANIFEST: u64 = 1 << 20;

/// The longest payload line accepted (a hazard with a detailed polygon is a few MB).
const MAX_LINE: u64 = 256 << 20;

/// The only compression written.
const GZIP: &str = "gzip";

/// What a bundle holds, signed by its node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`FORMAT_VERSION`].
    pub format: u16,
    /// The node that wrote it.
    pub node: NodeId,
    /// Sequence of the first entry.
    pub seq_from: u64,
    /// Sequence of the last entry.
    pub seq_to: u64,
    /// Entries per item kind (withheld entries excepted).
    pub counts: BTreeMap<ItemKind, KindCounts>,
    /// Withheld entries (their kinds are not told).
    pub withheld: u64,
    /// Length of the compressed payload.
    pub payload_bytes: u64,
    /// SHA-256 of the compressed payload, lower-case hex.
    pub payload_sha256: String,
    /// `gzip`.
    pub compression: String,
    /// When the bundle was written.
    pub created_at: DateTime<Utc>,
}

impl Manifest {
    /// Number of entries.
    pub fn entries(&self) -> u64 {
        self.counts
            .values()
            .map(|c| c.upsert + c.tombstone)
            .sum::<u64>()
            + self.withheld
    }
}

/// Entries of one item kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindCounts {
    /// Versions shared.
    pub upsert: u64,
    /// Items withdrawn from sharing.
    pub tombstone: u64,
}

/// What an entry does at the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Store this revision of the item.
    Upsert,
    /// The item is no longer shared: remove it.
    Tombstone,
    /// An outbox entry the node does not share: only its seq is sent, so that the hub's
    /// checkpoint moves past it.
    Withheld,
}

/// One line of the payload: an outbox entry of the node. An upsert or a tombstone names its
/// item (kind, id, revision); a withheld entry carries its seq alone (see the constructors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The node's outbox sequence, from 1.
    pub seq: u64,
    /// The item's kind; none when withheld.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ItemKind>,
    /// The item's global id (UUID) at its node; none when withheld.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The item's revision (version number), from 1; none when withheld.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<u64>,
    /// Upsert, tombstone or withheld.
    #[serde(rename = "op")]
    pub operation: Operation,
    /// The de-identified record (see [`crate::Policy::deidentify`]); only for an upsert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Value>,
}

impl Entry {
    /// A revision of an item, shared as `record`.
    pub fn upsert(seq: u64, kind: ItemKind, item: &str, revision: u64, record: Value) -> Self {
        Entry {
            seq,
            kind: Some(kind),
            item: Some(item.to_owned()),
            revision: Some(revision),
            operation: Operation::Upsert,
            record: Some(record),
        }
    }

    /// An item withdrawn from sharing at `revision`.
    pub fn tombstone(seq: u64, kind: ItemKind, item: &str, revision: u64) -> Self {
        Entry {
            seq,
            kind: Some(kind),
            item: Some(item.to_owned()),
            revision: Some(revision),
            operation: Operation::Tombstone,
            record: None,
        }
    }

    /// An outbox entry not shared: its seq alone.
    pub fn withheld(seq: u64) -> Self {
        Entry {
            seq,
            kind: None,
            item: None,
            revision: None,
            operation: Operation::Withheld,
            record: None,
        }
    }

    /// The item an upsert or tombstone is about: kind, id, revision (none when withheld; a
    /// bundle's reader has checked that the others have all three).
    pub fn target(&self) -> Option<(ItemKind, &str, u64)> {
        Some((self.kind?, self.item.as_deref()?, self.revision?))
    }
}

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The message signed: domain, header, manifest.
fn signed_message(manifest: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(DOMAIN.len() + HEADER_LEN as usize + manifest.len());
    m.extend_from_slice(DOMAIN);
    m.extend_from_slice(&MAGIC);
    m.extend_from_slice(&FORMAT_VERSION.to_be_bytes());
    m.extend_from_slice(manifest);
    m
}

#[cfg(test)]
mod tests;
