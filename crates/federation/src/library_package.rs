//! Library documents flowing between a node and its hub: a *library package* is a folder with a
//! signed `manifest.json` and `files/<sha256>` for every file version it lists.
//!
//! Up, a node packages its own `regional` and `public` documents for the hub; down, the hub
//! packages its own and those its nodes sent, each keeping its `owner` (the node that adds
//! versions to it). `national` documents never leave a programme: a package naming one is
//! refused when signed and when verified.
//!
//! # Manifest (format 1)
//!
//! Signed like the reference set ([`crate::reference`]): `payload` is the package as a JSON
//! string, signed as it is with [`DOMAIN`] before it, so no canonical JSON is needed:
//!
//! ```json
//! {"format": 1, "payload": "{\"publisher\":\"LAO\",\"generated_at\":…,\"documents\":[…]}",
//!  "signature": "<ed25519 signature, base64>"}
//! ```
//!
//! The files are not in the manifest: each is checked against the SHA-256 the manifest gives
//! for it while it is copied in (by the receiver; this crate reads no files).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::signed::Signed;
use crate::{NodeCard, NodeId, NodeKey};

/// Signed before the payload (another domain than bundles' and reference sets').
pub const DOMAIN: &[u8] = b"safeground-federation-library\0";

/// The manifest's file name in a package folder.
pub const MANIFEST: &str = "manifest.json";

/// The folder of the files in a package folder.
pub const FILES: &str = "files";

/// The largest manifest accepted (thousands of documents take a few MB).
pub const MAX_MANIFEST: usize = 32 << 20;

/// Access levels that may leave a programme.
pub const SHAREABLE: [&str; 2] = ["public", "regional"];

/// A library package that cannot be written or read, saying what and which document.
#[derive(Debug, thiserror::Error)]
#[error("library package: {reason}")]
pub struct PackageError {
    /// What is wrong.
    pub reason: String,
}

fn invalid(reason: impl Into<String>) -> PackageError {
    PackageError {
        reason: reason.into(),
    }
}

/// What a package carries: documents of the publisher (up) or of the region (down).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryPackage {
    /// The node that signed it (its card verifies it).
    pub publisher: NodeId,
    /// When it was written.
    pub generated_at: DateTime<Utc>,
    /// The documents, each with all its versions.
    pub documents: Vec<PackageDocument>,
}

/// A document in a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageDocument {
    /// Its UUID, the same in every programme.
    pub uuid: String,
    /// Title.
    pub title: String,
    /// Language code (`en`, `km`, `lo`…).
    pub language: String,
    /// ISO 3166-1 alpha-3 code of the country it is about.
    #[serde(default)]
    pub country: Option<String>,
    /// Document type (`sop`, `national_standard`…).
    pub doc_type: String,
    /// IMAS number of its topic.
    #[serde(default)]
    pub imas_topic: Option<String>,
    /// `public` or `regional`.
    pub access: String,
    /// The organisation that issued it.
    #[serde(default)]
    pub organisation: Option<String>,
    /// The node that owns it: only it adds versions or edits it.
    pub owner: NodeId,
    /// Its versions, 1, 2, … in order.
    pub versions: Vec<PackageVersion>,
}

/// A version of a document in a package: a file (`sha256`, in `files/`) or a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageVersion {
    /// 1, 2, …
    pub version: i64,
    /// The file's name as uploaded.
    #[serde(default)]
    pub file_name: Option<String>,
    /// Media type (`application/pdf`; `text/uri-list` for a link).
    pub media_type: String,
    /// Size in bytes (0 for a link).
    pub size_bytes: i64,
    /// SHA-256 of the file, lower-case hex (the name of its file in `files/`).
    #[serde(default)]
    pub sha256: Option<String>,
    /// The link, for a version without a file.
    #[serde(default)]
    pub link: Option<String>,
    /// What changed in this version.
    #[serde(default)]
    pub note: Option<String>,
    /// When it was added at its owner.
    pub uploaded_at: DateTime<Utc>,
}

/// True for 64 lower-case hex digits (a file's name in a package is exactly this).
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl PackageDocument {
    /// How the document is named in errors: its UUID and title.
    pub fn named(&self) -> String {
        format!("document {} ({})", self.uuid, self.title)
    }
}

impl LibraryPackage {
    /// The hashes of the package's files, each once, in the order the documents give them.
    pub fn files(&self) -> Vec<&str> {
        let mut seen = HashSet::new();
        self.documents
            .iter()
            .flat_map(|d| &d.versions)
            .filter_map(|v| v.sha256.as_deref())
            .filter(|s| seen.insert(*s))
            .collect()
    }

    /// Checks the structure: UUIDs once, only `public` and `regional` documents, versions
    /// 1, 2, … in order, each a file of a valid SHA-256 and size or a link, a file in one
    /// version only. Errors name the document and the field.
    pub fn check(&self) -> Result<(), PackageError> {
        let mut uuids = HashSet::new();
        let mut files = HashSet::new();
        for d in &self.documents {
            let named = d.named();
            if d.uuid.trim().is_empty() || d.uuid.len() > 64 {
                return Err(invalid(format!("{named}: field uuid is not a UUID")));
            }
            if !uuids.insert(d.uuid.as_str()) {
                return Err(invalid(format!("{named}: listed twice (field uuid)")));
            }
            if !SHAREABLE.contains(&d.access.as_str()) {
                return Err(invalid(format!(
                    "{named}: field access is `{}`; only public and regional documents leave a \
                     programme",
                    d.access
                )));
            }
            if d.versions.is_empty() {
                return Err(invalid(format!("{named}: field versions is empty")));
            }
            for (i, v) in d.versions.iter().enumerate() {
                let expected = i as i64 + 1;
                if v.version != expected {
                    return Err(invalid(format!(
                        "{named}: field versions: version {} where {expected} was expected \
                         (versions run 1, 2, … in order)",
                        v.version
                    )));
                }
                match (&v.sha256, &v.link) {
                    (Some(sha), None) => {
                        if !is_sha256(sha) {
                            return Err(invalid(format!(
                                "{named} version {}: field sha256 `{sha}` is not 64 lower-case \
                                 hex digits",
                                v.version
                            )));
                        }
                        if v.size_bytes <= 0 {
                            return Err(invalid(format!(
                                "{named} version {}: field size_bytes is {}",
                                v.version, v.size_bytes
                            )));
                        }
                        if !files.insert(sha.as_str()) {
                            return Err(invalid(format!(
                                "{named} version {}: field sha256: the file {sha} is named by \
                                 two versions",
                                v.version
                            )));
                        }
                    }
                    (None, Some(_)) => {}
                    _ => {
                        return Err(invalid(format!(
                            "{named} version {}: give either field sha256 or field link",
                            v.version
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// Signs the package with the publisher's key: the manifest to write. Refused when the key
    /// is not the publisher's or the package does not pass [`LibraryPackage::check`].
    pub fn sign(&self, key: &NodeKey) -> Result<String, PackageError> {
        if key.node() != &self.publisher {
            return Err(invalid(format!(
                "the key is node {}'s, the package is {}'s",
                key.node(),
                self.publisher
            )));
        }
        self.check()?;
        let payload = serde_json::to_string(self).map_err(|e| invalid(e.to_string()))?;
        Signed::seal(DOMAIN, key, payload).map_err(|e| invalid(e.to_string()))
    }

    /// The publisher a manifest names, read WITHOUT verifying it: only to choose the card to
    /// verify it with ([`LibraryPackage::verify`]).
    pub fn claimed_publisher(manifest: &str) -> Result<NodeId, PackageError> {
        #[derive(Deserialize)]
        struct Publisher {
            publisher: NodeId,
        }
        let doc: Signed = serde_json::from_str(manifest)
            .map_err(|e| invalid(format!("{MANIFEST} is not a signed library manifest: {e}")))?;
        let p: Publisher = serde_json::from_str(&doc.payload)
            .map_err(|e| invalid(format!("the payload names no publisher: {e}")))?;
        Ok(p.publisher)
    }

    /// Verifies a manifest with the publisher's card and reads it: its size, format, the
    /// signature (of the card's key, over the payload), the publisher (the card's node) and
    /// [`LibraryPackage::check`].
    pub fn verify(manifest: &str, card: &NodeCard) -> Result<LibraryPackage, PackageError> {
        let doc = Signed::read(
            manifest,
            MAX_MANIFEST,
            "manifest",
            &format!("{MANIFEST} is not a signed library manifest"),
        )
        .map_err(invalid)?;
        let key = card.verifying_key().map_err(|e| invalid(e.to_string()))?;
        if !doc.verifies(DOMAIN, &key).map_err(invalid)? {
            return Err(invalid(format!(
                "the signature does not verify with the key of {} ({}): the manifest was \
                 altered, or another node signed it",
                card.node,
                card.fingerprint()
            )));
        }
        let package: LibraryPackage = serde_json::from_str(&doc.payload)
            .map_err(|e| invalid(format!("the signed payload is not a library package: {e}")))?;
        if package.publisher != card.node {
            return Err(invalid(format!(
                "signed by {}, but the card given is {}'s",
                package.publisher, card.node
            )));
        }
        package.check()?;
        Ok(package)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str) -> NodeId {
        NodeId::new(id).expect("node id")
    }

    fn version(n: i64, sha: Option<&str>, link: Option<&str>) -> PackageVersion {
        PackageVersion {
            version: n,
            file_name: sha.map(|_| format!("sop-{n}.pdf")),
            media_type: if sha.is_some() {
                "application/pdf".into()
            } else {
                "text/uri-list".into()
            },
            size_bytes: if sha.is_some() { 1234 } else { 0 },
            sha256: sha.map(str::to_owned),
            link: link.map(str::to_owned),
            note: None,
            uploaded_at: Utc::now(),
        }
    }

    fn package(publisher: &str) -> LibraryPackage {
        LibraryPackage {
            publisher: node(publisher),
            generated_at: Utc::now(),
            documents: vec![PackageDocument {
                uuid: "6f1c2a3e-0000-4000-8000-000000000001".into(),
                title: "ມາດຕະຖານ ການກວດກູ້ (SOP)".into(),
                language: "lo".into(),
                country: Some("LAO".into()),
                doc_type: "sop".into(),
                imas_topic: Some("09.10".into()),
                access: "regional".into(),
                organisation: Some("NRA".into()),
                owner: node(publisher),
                versions: vec![
                    version(1, Some(&"a".repeat(64)), None),
                    version(2, None, Some("https://video.example.org/sop")),
                ],
            }],
        }
    }

    #[test]
    fn a_signed_package_verifies_with_the_publishers_card_only() {
        let key = NodeKey::generate(node("LAO")).expect("key");
        let card = key.card("Lao PDR (NRA)").expect("card");
        let manifest = package("LAO").sign(&key).expect("signed");
        let read = LibraryPackage::verify(&manifest, &card).expect("verified");
        assert_eq!(read.documents, package("LAO").documents_with(&read));
        assert_eq!(read.files(), vec!["a".repeat(64).as_str()]);
        assert_eq!(
            LibraryPackage::claimed_publisher(&manifest).expect("publisher"),
            node("LAO")
        );

        // The payload altered: refused.
        let tampered = manifest.replacen("\\\"sop\\\"", "\\\"research\\\"", 1);
        assert_ne!(tampered, manifest, "the test alters the payload");
        let e = LibraryPackage::verify(&tampered, &card).expect_err("refused");
        assert!(e.to_string().contains("does not verify"), "{e}");
        // Another node's card: refused.
        let khm = NodeKey::generate(node("KHM")).expect("key");
        let e = LibraryPackage::verify(&manifest, &khm.card("KHM").expect("card"))
            .expect_err("refused");
        assert!(e.to_string().contains("does not verify"), "{e}");
        // A key of another node than the publisher: refused at signing.
        assert!(package("LAO").sign(&khm).is_err());
        // Unsigned, or not a manifest at all.
        let unsigned = manifest.replacen("\"signature\"", "\"signatur\"", 1);
        assert!(LibraryPackage::verify(&unsigned, &card).is_err());
        let e = LibraryPackage::verify("[]", &card).expect_err("refused");
        assert!(
            e.to_string().contains("not a signed library manifest"),
            "{e}"
        );
        // The same reference domain does not verify a library manifest.
        assert_ne!(DOMAIN, b"safeground-federation-reference\0");
    }

    #[test]
    fn national_documents_and_bad_versions_are_refused_naming_them() {
        let key = NodeKey::generate(node("LAO")).expect("key");
        let mut p = package("LAO");
        p.documents[0].access = "national".into();
        let e = p.sign(&key).expect_err("national").to_string();
        assert!(
            e.contains("6f1c2a3e-0000-4000-8000-000000000001") && e.contains("field access"),
            "{e}"
        );

        let mut p = package("LAO");
        p.documents[0].versions[1].version = 3;
        let e = p.check().expect_err("gap").to_string();
        assert!(e.contains("version 3 where 2 was expected"), "{e}");

        let mut p = package("LAO");
        p.documents[0].versions[0].sha256 = Some("../../etc/passwd".into());
        let e = p.check().expect_err("path").to_string();
        assert!(e.contains("field sha256"), "{e}");

        let mut p = package("LAO");
        p.documents[0].versions[1].sha256 = Some("b".repeat(64));
        let e = p.check().expect_err("both").to_string();
        assert!(e.contains("either field sha256 or field link"), "{e}");

        let mut p = package("LAO");
        let twice = p.documents[0].clone();
        p.documents.push(twice);
        assert!(p.check().expect_err("twice").to_string().contains("twice"));
    }

    impl LibraryPackage {
        /// The documents with the upload times of `read` (times are not compared).
        fn documents_with(mut self, read: &LibraryPackage) -> Vec<PackageDocument> {
            for (d, r) in self.documents.iter_mut().zip(&read.documents) {
                for (v, rv) in d.versions.iter_mut().zip(&r.versions) {
                    v.uploaded_at = rv.uploaded_at;
                }
            }
            self.documents
        }
    }
}
