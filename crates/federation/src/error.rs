//! What can go wrong, each said with what is wrong and what to do.

use std::path::PathBuf;

use crate::NodeId;

/// An error of node identity, bundles, sequencing or the sharing policy.
#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    /// Reading or writing failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        source: std::io::Error,
    },
    /// `NodeKey::create` found a file where the key was to go.
    #[error(
        "{} already exists: a node key is never overwritten (move it away first if you really \
         mean to replace this node's identity)",
        path.display()
    )]
    KeyFileExists {
        /// The key file.
        path: PathBuf,
    },
    /// The key file may be read by other users.
    #[error(
        "{} is readable by group or others (mode {mode:03o}): run `chmod 600 {}` and try again",
        path.display(),
        path.display()
    )]
    KeyFileTooOpen {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The key file is not a node key.
    #[error("{} is not a Safeground node key: {reason}", path.display())]
    KeyFileInvalid {
        /// The key file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A node id that is not an upper-case code.
    #[error(
        "node id `{value}` is not valid: use an ISO 3166-1 alpha-3 code such as KHM, or a \
         regional code of 3 to 8 upper-case letters and digits starting with a letter (ARMAC)"
    )]
    InvalidNodeId {
        /// The value given.
        value: String,
    },
    /// A reference set that cannot be published or adopted.
    #[error("reference data: {reason}")]
    Reference {
        /// What is wrong.
        reason: String,
    },
    /// A training summary that cannot be signed or is refused.
    #[error("training summary: {reason}")]
    TrainingSummary {
        /// What is wrong.
        reason: String,
    },
    /// A detector summary that cannot be signed or is refused.
    #[error("detector summary: {reason}")]
    DetectorSummary {
        /// What is wrong.
        reason: String,
    },
    /// A node card that cannot be used.
    #[error("node card is not valid: {reason}")]
    InvalidCard {
        /// Why.
        reason: String,
    },
    /// The file is not a bundle at all.
    #[error("not a Safeground bundle: it does not start with the bundle signature bytes")]
    NotABundle,
    /// A bundle written by a newer (or unknown) format.
    #[error(
        "bundle format version {found} is not supported (this version reads {supported}): \
         upgrade Safeground on this side"
    )]
    UnsupportedVersion {
        /// The bundle's version.
        found: u16,
        /// The version read here.
        supported: u16,
    },
    /// The file ends before the bundle does.
    #[error(
        "bundle is truncated at byte {at}: {what} is missing; copy or download the bundle again"
    )]
    Truncated {
        /// The length of the file.
        at: u64,
        /// What is missing.
        what: &'static str,
    },
    /// The manifest cannot be read.
    #[error("bundle manifest is damaged or altered: {reason}")]
    ManifestInvalid {
        /// Why.
        reason: String,
    },
    /// The card given is not the bundle's node's.
    #[error(
        "bundle from node {bundle} but the card given is {card}: verify it with {bundle}'s card"
    )]
    WrongNode {
        /// The node the manifest names.
        bundle: NodeId,
        /// The node of the card given.
        card: NodeId,
    },
    /// No card is known for the bundle's node.
    #[error(
        "bundle from unknown node {node}: add its node card to the hub first (from a channel \
         you trust), then import again"
    )]
    UnknownNode {
        /// The node the manifest names.
        node: NodeId,
    },
    /// The signature is not the node's.
    #[error(
        "signature does not verify with node {node}'s key (fingerprint {fingerprint}): the \
         bundle was altered or signed by another key; ask {node} for a new bundle"
    )]
    BadSignature {
        /// The node.
        node: NodeId,
        /// The fingerprint of the key tried.
        fingerprint: String,
    },
    /// The payload's length is not the manifest's.
    #[error(
        "payload is {found} bytes but the signed manifest says {expected}: the bundle is \
         truncated or damaged; copy it again"
    )]
    PayloadSize {
        /// Bytes the manifest gives.
        expected: u64,
        /// Bytes found.
        found: u64,
    },
    /// The payload's digest is not the manifest's.
    #[error(
        "payload SHA-256 mismatch: the signed manifest says {expected}, the payload is \
         {found}; the bundle was altered or damaged, copy it again"
    )]
    PayloadDigest {
        /// Digest in the manifest, hex.
        expected: String,
        /// Digest of the payload, hex.
        found: String,
    },
    /// The payload changed between verification and reading.
    #[error(
        "the bundle file changed while it was being imported: nothing from it may be kept; \
         import it again"
    )]
    Changed,
    /// A payload line that is not an entry.
    #[error("payload line {line}: {reason}")]
    BadEntry {
        /// Line, from 1.
        line: u64,
        /// Why.
        reason: String,
    },
    /// Entries not consecutive in sequence.
    #[error(
        "entry seq out of order at line {line}: expected seq {expected}, found {found} (entries \
         run in consecutive sequence order)"
    )]
    SeqOutOfOrder {
        /// Line (or entry number when writing), from 1.
        line: u64,
        /// The seq that should come.
        expected: u64,
        /// The seq found.
        found: u64,
    },
    /// The payload's entries are not the manifest's.
    #[error("payload does not match the signed manifest: {reason}")]
    ManifestMismatch {
        /// What differs.
        reason: String,
    },
    /// A bundle without entries.
    #[error("a bundle needs at least one entry: there is nothing to share since the checkpoint")]
    EmptyBundle,
    /// Sequence numbers are missing between the hub's checkpoint and the bundle.
    #[error(
        "missing sequence {from}–{to} from node {node}: import the bundle(s) covering them \
         first (or export again from the hub's checkpoint {checkpoint})"
    )]
    Gap {
        /// The node.
        node: NodeId,
        /// The hub's last applied seq.
        checkpoint: u64,
        /// First missing seq.
        from: u64,
        /// Last missing seq.
        to: u64,
    },
    /// A sharing policy that cannot be used.
    #[error("sharing policy: `{key}`: {reason}")]
    Policy {
        /// The TOML key.
        key: String,
        /// Why, and what to write instead.
        reason: String,
    },
    /// A sharing policy that is not TOML of the expected shape.
    #[error("sharing policy is not valid: {reason}")]
    PolicyToml {
        /// The parser's message (line, column, key).
        reason: String,
    },
    /// A record to de-identify that is not a record of its kind.
    #[error("cannot share this {kind} record: {reason}")]
    NotARecord {
        /// The item kind.
        kind: safeground_model::ItemKind,
        /// Why.
        reason: String,
    },
}

impl FederationError {
    /// An I/O error, saying what was being done.
    pub(crate) fn io(what: impl Into<String>) -> impl Fn(std::io::Error) -> Self {
        let what = what.into();
        move |source| FederationError::Io {
            what: what.clone(),
            source,
        }
    }
}
