//! A node's identity: its id, its ed25519 key pair and the card others verify it with.
//!
//! The private key lives in one file only, written with mode 0600 and never overwritten:
//!
//! ```json
//! {"format": "safeground-node-key/1", "node": "KHM", "secret": "<base64 of the 32-byte seed>"}
//! ```
//!
//! It is never serialised anywhere else (`NodeKey` implements neither `Serialize` nor a
//! `Debug` that shows it). The card is public: node id, name, public key (base64), created.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::FederationError;

/// Format tag of the key file.
const KEY_FORMAT: &str = "safeground-node-key/1";

/// A node's id: an ISO 3166-1 alpha-3 code (`KHM`, `LAO`, `AZE`) or a regional code of 3 to 8
/// upper-case letters and digits starting with a letter (`ARMAC`).
///
/// ```
/// use safeground_federation::NodeId;
/// assert_eq!(NodeId::new("KHM")?.as_str(), "KHM");
/// assert!(NodeId::new("khm").is_err());
/// # Ok::<(), safeground_federation::FederationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NodeId(String);

impl NodeId {
    /// Checks and wraps a node id.
    pub fn new(value: &str) -> Result<Self, FederationError> {
        let ok = (3..=8).contains(&value.len())
            && value.starts_with(|c: char| c.is_ascii_uppercase())
            && value
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if ok {
            Ok(NodeId(value.to_owned()))
        } else {
            Err(FederationError::InvalidNodeId {
                value: value.to_owned(),
            })
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for NodeId {
    type Error = FederationError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        NodeId::new(&value)
    }
}

impl From<NodeId> for String {
    fn from(id: NodeId) -> String {
        id.0
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A node's private signing key, with the node it belongs to.
pub struct NodeKey {
    node: NodeId,
    signing: SigningKey,
}

impl fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NodeKey")
            .field("node", &self.node)
            .field("fingerprint", &fingerprint(&self.signing.verifying_key()))
            .finish_non_exhaustive()
    }
}

/// The key file's contents (the secret wiped from memory when dropped).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    format: String,
    node: NodeId,
    secret: Zeroizing<String>,
}

impl NodeKey {
    /// A new key pair for `node`, from the operating system's random source.
    pub fn generate(node: NodeId) -> Result<Self, FederationError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut()).map_err(|e| FederationError::Io {
            what: "drawing a random key".into(),
            source: std::io::Error::other(e.to_string()),
        })?;
        Ok(NodeKey {
            node,
            signing: SigningKey::from_bytes(&seed),
        })
    }

    /// Generates a key pair for `node` and writes its private key to a new file at `path`,
    /// mode 0600; refuses to overwrite an existing file.
    ///
    /// ```
    /// use safeground_federation::{NodeId, NodeKey};
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("khm.key");
    /// let key = NodeKey::create(&path, NodeId::new("KHM")?)?;
    /// assert!(NodeKey::create(&path, NodeId::new("KHM")?).is_err(), "never overwritten");
    /// assert_eq!(NodeKey::load(&path)?.card("Cambodia")?.public_key, key.card("Cambodia")?.public_key);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(path: &Path, node: NodeId) -> Result<Self, FederationError> {
        let key = NodeKey::generate(node)?;
        let mut seed = key.signing.to_bytes();
        let secret = Zeroizing::new(BASE64.encode(seed));
        seed.zeroize();
        let mut text = Zeroizing::new(
            serde_json::to_string(&KeyFile {
                format: KEY_FORMAT.into(),
                node: key.node.clone(),
                secret,
            })
            .map_err(|e| FederationError::Io {
                what: "encoding the key file".into(),
                source: e.into(),
            })?,
        );
        text.push('\n');
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                FederationError::KeyFileExists {
                    path: path.to_owned(),
                }
            } else {
                FederationError::Io {
                    what: format!("creating {}", path.display()),
                    source: e,
                }
            }
        })?;
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all());
        if let Err(e) = written {
            // A partial key file would block the next try (never overwritten): remove it.
            drop(file);
            let _ = std::fs::remove_file(path);
            return Err(FederationError::Io {
                what: format!("writing {}", path.display()),
                source: e,
            });
        }
        Ok(key)
    }

    /// Reads a key file written by [`NodeKey::create`]; refuses one that group or others may
    /// read (on Unix).
    pub fn load(path: &Path) -> Result<Self, FederationError> {
        let mut file =
            File::open(path).map_err(FederationError::io(format!("opening {}", path.display())))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = file
                .metadata()
                .map_err(FederationError::io(format!("reading {}", path.display())))?;
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(FederationError::KeyFileTooOpen {
                    path: path.to_owned(),
                    mode,
                });
            }
        }
        let mut text = Zeroizing::new(String::new());
        (&mut file)
            .take(4096)
            .read_to_string(&mut text)
            .map_err(FederationError::io(format!("reading {}", path.display())))?;
        let invalid = |reason: String| FederationError::KeyFileInvalid {
            path: path.to_owned(),
            reason,
        };
        let parsed: KeyFile = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        if parsed.format != KEY_FORMAT {
            return Err(invalid(format!(
                "format `{}`, expected `{KEY_FORMAT}`",
                parsed.format
            )));
        }
        let bytes = Zeroizing::new(BASE64.decode(parsed.secret.trim()).unwrap_or_default());
        let seed: Zeroizing<[u8; 32]> = Zeroizing::new(
            bytes
                .as_slice()
                .try_into()
                .map_err(|_| invalid("the secret is not 32 bytes of base64".into()))?,
        );
        Ok(NodeKey {
            node: parsed.node,
            signing: SigningKey::from_bytes(&seed),
        })
    }

    /// The node this key belongs to.
    pub fn node(&self) -> &NodeId {
        &self.node
    }

    /// The public card of this node, created now.
    pub fn card(&self, name: &str) -> Result<NodeCard, FederationError> {
        NodeCard::new(
            self.node.clone(),
            name,
            &self.signing.verifying_key(),
            Utc::now(),
        )
    }

    /// The fingerprint of the public key (see [`NodeCard::fingerprint`]).
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.signing.verifying_key())
    }

    /// Signs `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> Signature {
        self.signing.sign(message)
    }
}

/// A node's public card, exchanged with the hub: node id, name, public key, created.
///
/// ```
/// use safeground_federation::NodeCard;
/// let json = r#"{"node":"LAO","name":"NRA Lao PDR",
///   "public_key":"O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=","created":"2026-12-01T08:00:00Z"}"#;
/// let card = NodeCard::from_json(json)?;
/// assert_eq!(card.node.as_str(), "LAO");
/// assert_eq!(card.fingerprint().len(), 39);
/// # Ok::<(), safeground_federation::FederationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeCard {
    /// The node's id.
    pub node: NodeId,
    /// The programme's name.
    pub name: String,
    /// The ed25519 public key, base64 (32 bytes).
    pub public_key: String,
    /// When the key pair was made.
    pub created: DateTime<Utc>,
}

impl NodeCard {
    fn new(
        node: NodeId,
        name: &str,
        key: &VerifyingKey,
        created: DateTime<Utc>,
    ) -> Result<Self, FederationError> {
        let card = NodeCard {
            node,
            name: name.trim().to_owned(),
            public_key: BASE64.encode(key.to_bytes()),
            created,
        };
        card.check()?;
        Ok(card)
    }

    /// Reads and checks a card from its JSON.
    pub fn from_json(json: &str) -> Result<Self, FederationError> {
        let card: NodeCard =
            serde_json::from_str(json).map_err(|e| FederationError::InvalidCard {
                reason: e.to_string(),
            })?;
        card.check()?;
        Ok(card)
    }

    /// The card as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    fn check(&self) -> Result<(), FederationError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(FederationError::InvalidCard {
                reason: "the name must be 1 to 200 characters".into(),
            });
        }
        self.verifying_key().map(|_| ())
    }

    /// The public key.
    pub(crate) fn verifying_key(&self) -> Result<VerifyingKey, FederationError> {
        let bytes: [u8; 32] = BASE64
            .decode(self.public_key.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| FederationError::InvalidCard {
                reason: format!(
                    "public_key of {} is not 32 bytes of base64 (an ed25519 public key)",
                    self.node
                ),
            })?;
        VerifyingKey::from_bytes(&bytes).map_err(|_| FederationError::InvalidCard {
            reason: format!("public_key of {} is not an ed25519 public key", self.node),
        })
    }

    /// The key's fingerprint, to compare by voice or on paper: the first 16 bytes of the
    /// SHA-256 of the public key, as 8 groups of 4 hex digits joined by `:`.
    pub fn fingerprint(&self) -> String {
        self.verifying_key()
            .map(|k| fingerprint(&k))
            .unwrap_or_else(|_| "invalid key".into())
    }
}

fn fingerprint(key: &VerifyingKey) -> String {
    let digest = Sha256::digest(key.to_bytes());
    digest[..16]
        .chunks(2)
        .map(|pair| format!("{:02x}{:02x}", pair[0], pair[1]))
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(s: &str) -> NodeId {
        NodeId::new(s).expect("node id")
    }

    #[test]
    fn node_ids_are_upper_case_codes() {
        for ok in ["KHM", "LAO", "AZE", "ARMAC", "X2024"] {
            assert!(NodeId::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "KH", "khm", "1KH", "K-HM", "ABCDEFGHI", "KHM "] {
            let e = NodeId::new(bad).expect_err(bad).to_string();
            assert!(e.contains("alpha-3"), "{e}");
        }
        assert!(serde_json::from_str::<NodeId>("\"kh\"").is_err());
    }

    #[test]
    fn a_key_file_is_private_and_never_overwritten() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("node.key");
        let key = NodeKey::create(&path, node("KHM")).expect("create");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = NodeKey::create(&path, node("KHM")).expect_err("exists");
        assert!(matches!(again, FederationError::KeyFileExists { .. }));
        let loaded = NodeKey::load(&path).expect("load");
        assert_eq!(loaded.node(), &node("KHM"));
        assert_eq!(loaded.fingerprint(), key.fingerprint());
        assert!(!format!("{loaded:?}").contains("secret"));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_readable_by_others_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("node.key");
        NodeKey::create(&path, node("LAO")).expect("create");
        for mode in [0o640, 0o604, 0o644] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
            let e = NodeKey::load(&path).expect_err("too open").to_string();
            assert!(e.contains(&format!("chmod 600 {}", path.display())), "{e}");
        }
    }

    #[test]
    fn a_damaged_key_file_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("node.key");
        NodeKey::create(&path, node("LAO")).expect("create");
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::remove_file(&path).expect("rm");
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&path).expect("open");
        f.write_all(text.replace("\"secret\":\"", "\"secret\":\"AA").as_bytes())
            .expect("write");
        let e = NodeKey::load(&path).expect_err("damaged").to_string();
        assert!(e.contains("not 32 bytes of base64"), "{e}");
    }

    #[test]
    fn a_card_round_trips_and_is_checked() {
        let key = NodeKey::generate(node("KHM")).expect("key");
        let card = key
            .card("  Cambodian Mine Action Authority ")
            .expect("card");
        assert_eq!(card.name, "Cambodian Mine Action Authority");
        assert_eq!(card.fingerprint(), key.fingerprint());
        let back = NodeCard::from_json(&card.to_json()).expect("parse");
        assert_eq!(back, card);
        assert_eq!(card.fingerprint().split(':').count(), 8);

        let mut bad = card.clone();
        bad.public_key = "not base64".into();
        let e = NodeCard::from_json(&bad.to_json())
            .expect_err("bad key")
            .to_string();
        assert!(e.contains("public_key of KHM"), "{e}");
        let mut bad = card.clone();
        bad.name = " ".into();
        assert!(NodeCard::from_json(&bad.to_json()).is_err());
        let json = card.to_json().replace("\"KHM\"", "\"kh\"");
        assert!(NodeCard::from_json(&json).is_err());
    }
}
