//! Writing a bundle, one entry at a time.

use std::io::{BufWriter, Write};

use chrono::Utc;
use flate2::Compression;
use flate2::write::GzEncoder;

use super::check::Checker;
use super::hashio::HashWriter;
use super::{END_MARKER, Entry, FORMAT_VERSION, GZIP, MAGIC, Manifest, hex, signed_message};
use crate::{FederationError, NodeKey};

/// zlib level: 3 compresses JSON lines nearly as well as 6 at twice the speed.
const LEVEL: u32 = 3;

/// Writes a signed bundle to `W`, streaming: entries go straight through the compressor to the
/// output; the manifest and signature are written by [`BundleWriter::finish`].
///
/// ```
/// use safeground_federation::{BundleReader, BundleWriter, Entry, NodeId, NodeKey, Operation};
/// use safeground_model::ItemKind;
///
/// let key = NodeKey::generate(NodeId::new("KHM")?)?;
/// let mut w = BundleWriter::new(Vec::new(), &key)?;
/// let record = serde_json::json!({"kind": "hazard", "local_id": "HAZ-1"});
/// let uuid = "0b6f7c0e-2f53-4d9a-9a43-5b1e0f7d8c21";
/// w.push(&Entry::upsert(1, ItemKind::Hazard, uuid, 1, record))?;
/// w.push(&Entry::withheld(2))?; // not shared by the policy: its seq alone
/// let (bytes, manifest) = w.finish()?;
/// assert_eq!((manifest.seq_from, manifest.seq_to, manifest.withheld), (1, 2, 1));
///
/// let bundle = BundleReader::open(std::io::Cursor::new(bytes))?.verify(&key.card("Cambodia")?)?;
/// let entries: Vec<Entry> = bundle.entries()?.collect::<Result<_, _>>()?;
/// assert_eq!(entries[0].target(), Some((ItemKind::Hazard, uuid, 1)));
/// assert_eq!(entries[1].operation, Operation::Withheld);
/// # Ok::<(), safeground_federation::FederationError>(())
/// ```
pub struct BundleWriter<'k, W: Write> {
    key: &'k NodeKey,
    out: BufWriter<GzEncoder<HashWriter<W>>>,
    checker: Checker,
    line: Vec<u8>,
}

impl<'k, W: Write> BundleWriter<'k, W> {
    /// Starts a bundle of `key`'s node: writes the header.
    pub fn new(mut out: W, key: &'k NodeKey) -> Result<Self, FederationError> {
        out.write_all(&MAGIC)
            .and_then(|()| out.write_all(&FORMAT_VERSION.to_be_bytes()))
            .map_err(FederationError::io("writing the bundle header"))?;
        let gz = GzEncoder::new(HashWriter::new(out), Compression::new(LEVEL));
        Ok(BundleWriter {
            key,
            out: BufWriter::with_capacity(1 << 16, gz),
            checker: Checker::new(None),
            line: Vec::new(),
        })
    }

    /// Adds the next entry; its seq must follow the previous one's (the first may be any
    /// seq from 1).
    pub fn push(&mut self, entry: &Entry) -> Result<(), FederationError> {
        self.checker.check(entry)?;
        self.line.clear();
        serde_json::to_writer(&mut self.line, entry).map_err(|e| FederationError::BadEntry {
            line: self.checker.line(),
            reason: e.to_string(),
        })?;
        self.line.push(b'\n');
        self.out
            .write_all(&self.line)
            .map_err(FederationError::io("writing the bundle payload"))
    }

    /// Ends the payload, writes the manifest, its signature and the footer; gives back the
    /// output and the manifest. A bundle needs at least one entry.
    pub fn finish(self) -> Result<(W, Manifest), FederationError> {
        let summary = self
            .checker
            .into_summary()
            .ok_or(FederationError::EmptyBundle)?;
        let gz = self.out.into_inner().map_err(|e| FederationError::Io {
            what: "writing the bundle payload".into(),
            source: e.into_error(),
        })?;
        let hashed = gz
            .finish()
            .map_err(FederationError::io("ending the bundle payload"))?;
        let (mut out, payload_bytes, digest) = hashed.finish();
        let manifest = Manifest {
            format: FORMAT_VERSION,
            node: self.key.node().clone(),
            seq_from: summary.seq_from,
            seq_to: summary.seq_to,
            counts: summary.counts,
            withheld: summary.withheld,
            payload_bytes,
            payload_sha256: hex(&digest),
            compression: GZIP.into(),
            created_at: Utc::now(),
        };
        let bytes = serde_json::to_vec(&manifest).map_err(|e| FederationError::Io {
            what: "encoding the manifest".into(),
            source: e.into(),
        })?;
        let len = u32::try_from(bytes.len()).map_err(|_| FederationError::ManifestInvalid {
            reason: format!("{} bytes is too long", bytes.len()),
        })?;
        let signature = self.key.sign(&signed_message(&bytes));
        out.write_all(&bytes)
            .and_then(|()| out.write_all(&signature.to_bytes()))
            .and_then(|()| out.write_all(&len.to_be_bytes()))
            .and_then(|()| out.write_all(&END_MARKER))
            .and_then(|()| out.flush())
            .map_err(FederationError::io("writing the bundle manifest"))?;
        Ok((out, manifest))
    }
}
