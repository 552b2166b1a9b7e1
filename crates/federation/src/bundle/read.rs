//! Reading a bundle: the manifest first, then the node and signature, then the payload in two
//! streaming passes (verify, then yield).

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Take};

use ed25519_dalek::Signature;
use flate2::bufread::GzDecoder;

use super::check::Checker;
use super::hashio::HashReader;
use super::{
    END_MARKER, Entry, FOOTER_LEN, FORMAT_VERSION, GZIP, HEADER_LEN, MAGIC, MAX_LINE, MAX_MANIFEST,
    Manifest, SIGNATURE_LEN, hex, signed_message,
};
use crate::{FederationError, NodeCard};

/// A bundle opened but not verified: its manifest can be read to find the node's card, and
/// nothing else until [`BundleReader::verify`] succeeds.
pub struct BundleReader<R> {
    inner: R,
    /// Length of the file.
    len: u64,
    manifest: Manifest,
    manifest_bytes: Vec<u8>,
    signature: [u8; SIGNATURE_LEN as usize],
}

impl<R: Read + Seek> BundleReader<R> {
    /// Reads the header, the footer and the manifest; refuses a file that is not a bundle, a
    /// newer format, a truncated bundle and a manifest that is not JSON.
    pub fn open(mut inner: R) -> Result<Self, FederationError> {
        let io = FederationError::io("reading the bundle");
        let len = inner.seek(SeekFrom::End(0)).map_err(&io)?;
        let mut header = Vec::with_capacity(HEADER_LEN as usize);
        inner.seek(SeekFrom::Start(0)).map_err(&io)?;
        (&mut inner)
            .take(HEADER_LEN)
            .read_to_end(&mut header)
            .map_err(&io)?;
        let magic = header.len().min(MAGIC.len());
        if header[..magic] != MAGIC[..magic] {
            return Err(FederationError::NotABundle);
        }
        let (Some(&hi), Some(&lo)) = (header.get(8), header.get(9)) else {
            return Err(FederationError::Truncated {
                at: len,
                what: "the header",
            });
        };
        let version = u16::from_be_bytes([hi, lo]);
        if version != FORMAT_VERSION {
            return Err(FederationError::UnsupportedVersion {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        if len < HEADER_LEN + SIGNATURE_LEN + FOOTER_LEN {
            return Err(FederationError::Truncated {
                at: len,
                what: "the manifest, signature and end marker",
            });
        }
        let mut footer = [0u8; FOOTER_LEN as usize];
        inner
            .seek(SeekFrom::Start(len - FOOTER_LEN))
            .and_then(|_| inner.read_exact(&mut footer))
            .map_err(&io)?;
        if footer[4..] != END_MARKER {
            return Err(FederationError::Truncated {
                at: len,
                what: "the end marker (the manifest and signature with it)",
            });
        }
        let manifest_len = u64::from(u32::from_be_bytes([
            footer[0], footer[1], footer[2], footer[3],
        ]));
        let tail = manifest_len + SIGNATURE_LEN + FOOTER_LEN;
        if manifest_len > MAX_MANIFEST || HEADER_LEN + tail > len {
            return Err(FederationError::ManifestInvalid {
                reason: format!(
                    "its length field says {manifest_len} bytes, more than the bundle holds"
                ),
            });
        }
        let mut manifest_bytes = vec![0u8; manifest_len as usize];
        let mut signature = [0u8; SIGNATURE_LEN as usize];
        inner
            .seek(SeekFrom::Start(len - tail))
            .and_then(|_| inner.read_exact(&mut manifest_bytes))
            .and_then(|()| inner.read_exact(&mut signature))
            .map_err(&io)?;
        let manifest = serde_json::from_slice(&manifest_bytes).map_err(|e| {
            FederationError::ManifestInvalid {
                reason: e.to_string(),
            }
        })?;
        Ok(BundleReader {
            inner,
            len,
            manifest,
            manifest_bytes,
            signature,
        })
    }

    /// The manifest as read, NOT yet verified: use its `node` to find the card to verify with.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// [`BundleReader::verify`] with the card of the manifest's node among `cards`; refuses a
    /// node none of them is for.
    pub fn verify_known<'a>(
        self,
        cards: impl IntoIterator<Item = &'a NodeCard>,
    ) -> Result<VerifiedBundle<R>, FederationError> {
        let node = &self.manifest.node;
        let card = cards.into_iter().find(|c| &c.node == node);
        match card {
            Some(card) => self.verify(card),
            None => Err(FederationError::UnknownNode { node: node.clone() }),
        }
    }

    /// Checks that the bundle is `card`'s node's and signed by its key, that the manifest is
    /// consistent, and reads the payload once: its size, its SHA-256 and every entry (in
    /// consecutive order from `seq_from` to `seq_to`, the manifest's counts).
    pub fn verify(mut self, card: &NodeCard) -> Result<VerifiedBundle<R>, FederationError> {
        let m = &self.manifest;
        if card.node != m.node {
            return Err(FederationError::WrongNode {
                bundle: m.node.clone(),
                card: card.node.clone(),
            });
        }
        let key = card.verifying_key()?;
        let signature = Signature::from_bytes(&self.signature);
        key.verify_strict(&signed_message(&self.manifest_bytes), &signature)
            .map_err(|_| FederationError::BadSignature {
                node: card.node.clone(),
                fingerprint: card.fingerprint(),
            })?;
        check_manifest(m)?;
        let found =
            self.len - HEADER_LEN - self.manifest_bytes.len() as u64 - SIGNATURE_LEN - FOOTER_LEN;
        if found != m.payload_bytes {
            return Err(FederationError::PayloadSize {
                expected: m.payload_bytes,
                found,
            });
        }
        let mut scan = Scan::new(&mut self.inner, m)?;
        let lines = loop {
            match scan.next_entry() {
                Ok(Some(_)) => {}
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        let end = scan.end()?;
        if !end.digest_is(m) {
            return Err(FederationError::PayloadDigest {
                expected: m.payload_sha256.clone(),
                found: hex(&end.digest),
            });
        }
        lines?;
        end.matches(m)?;
        Ok(VerifiedBundle {
            inner: self.inner,
            manifest: self.manifest,
        })
    }
}

/// The rules of a signed manifest beyond its signature.
fn check_manifest(m: &Manifest) -> Result<(), FederationError> {
    let invalid = |reason: String| Err(FederationError::ManifestInvalid { reason });
    if m.format != FORMAT_VERSION {
        return invalid(format!(
            "format {} under a version {FORMAT_VERSION} header",
            m.format
        ));
    }
    if m.compression != GZIP {
        return invalid(format!("compression `{}` is not gzip", m.compression));
    }
    if m.seq_from == 0 || m.seq_to < m.seq_from {
        return invalid(format!("sequence range {}–{}", m.seq_from, m.seq_to));
    }
    if m.entries() != m.seq_to - m.seq_from + 1 {
        return invalid(format!(
            "{} entries for sequence {}–{}",
            m.entries(),
            m.seq_from,
            m.seq_to
        ));
    }
    Ok(())
}

/// A bundle whose signature, manifest and payload were verified.
pub struct VerifiedBundle<R> {
    inner: R,
    manifest: Manifest,
}

impl<R: Read + Seek> VerifiedBundle<R> {
    /// The verified manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The entries, streamed, each checked again; the last item is an error if the file
    /// changed since it was verified, so apply them in one transaction committed only after
    /// the iterator ended without error.
    pub fn entries(self) -> Result<Entries<R>, FederationError> {
        let scan = Scan::new(self.inner, &self.manifest)?;
        Ok(Entries {
            scan: Some(scan),
            manifest: self.manifest,
        })
    }
}

/// The entries of a verified bundle, in sequence order.
pub struct Entries<R> {
    scan: Option<Scan<R>>,
    manifest: Manifest,
}

impl<R: Read> Iterator for Entries<R> {
    type Item = Result<Entry, FederationError>;

    fn next(&mut self) -> Option<Self::Item> {
        let scan = self.scan.as_mut()?;
        match scan.next_entry() {
            Ok(Some(entry)) => Some(Ok(entry)),
            Err(e) => {
                self.scan = None;
                Some(Err(e))
            }
            Ok(None) => {
                let end = self.scan.take()?.end();
                let checked = end.and_then(|end| {
                    if end.digest_is(&self.manifest) {
                        end.matches(&self.manifest)
                    } else {
                        Err(FederationError::Changed)
                    }
                });
                checked.err().map(Err)
            }
        }
    }
}

/// The decompressor over the hashed payload.
type Payload<R> = BufReader<GzDecoder<BufReader<HashReader<Take<R>>>>>;

/// One pass over the payload.
struct Scan<R> {
    payload: Payload<R>,
    checker: Checker,
    line: Vec<u8>,
}

/// What a pass found once the payload was read to its end.
struct End {
    total: u64,
    digest: [u8; 32],
    trailing: u64,
    checker: Checker,
}

impl End {
    fn digest_is(&self, m: &Manifest) -> bool {
        self.total == m.payload_bytes && hex(&self.digest) == m.payload_sha256
    }

    fn matches(self, m: &Manifest) -> Result<(), FederationError> {
        if self.trailing > 0 {
            return Err(FederationError::ManifestMismatch {
                reason: format!("{} bytes follow the compressed payload", self.trailing),
            });
        }
        self.checker.matches(m)
    }
}

impl<R: Read + Seek> Scan<R> {
    fn new(mut inner: R, m: &Manifest) -> Result<Self, FederationError> {
        inner
            .seek(SeekFrom::Start(HEADER_LEN))
            .map_err(FederationError::io("reading the bundle payload"))?;
        let hashed = HashReader::new(inner.take(m.payload_bytes));
        let gz = GzDecoder::new(BufReader::with_capacity(1 << 16, hashed));
        Ok(Scan {
            payload: BufReader::with_capacity(1 << 16, gz),
            checker: Checker::new(Some(m.seq_from)),
            line: Vec::new(),
        })
    }
}

impl<R: Read> Scan<R> {
    /// The next entry, checked; none at the end of the payload.
    fn next_entry(&mut self) -> Result<Option<Entry>, FederationError> {
        let line = self.checker.line() + 1;
        let bad = |reason: String| FederationError::BadEntry { line, reason };
        self.line.clear();
        let n = (&mut self.payload)
            .take(MAX_LINE + 1)
            .read_until(b'\n', &mut self.line)
            .map_err(|e| bad(format!("the payload does not decompress: {e}")))?;
        if n == 0 {
            return Ok(None);
        }
        if self.line.pop() != Some(b'\n') {
            return Err(bad(if n as u64 > MAX_LINE {
                format!("longer than {MAX_LINE} bytes")
            } else {
                "the payload ends inside a line".into()
            }));
        }
        let entry: Entry = serde_json::from_slice(&self.line).map_err(|e| bad(e.to_string()))?;
        self.checker.check(&entry)?;
        Ok(Some(entry))
    }

    /// Reads what is left of the payload (after an error, too) and gives its digest.
    fn end(self) -> Result<End, FederationError> {
        let buffered = self.payload.into_inner().into_inner();
        let trailing = buffered.buffer().len() as u64;
        let (total, left, digest) = buffered
            .into_inner()
            .drain()
            .map_err(FederationError::io("reading the bundle payload"))?;
        Ok(End {
            total,
            digest,
            trailing: trailing + left,
            checker: self.checker,
        })
    }
}
