//! Library documents flowing up to the hub and down to the nodes (issue 25): writing a
//! signed library package folder (`manifest.json` and `files/<sha256>`) of the programme's
//! `public` and `regional` documents, and receiving one: the manifest verified with the
//! publisher's card, every file streamed into the library folder while its SHA-256 is
//! checked, its text extracted again for search, the records written in one transaction
//! ([`LibraryExchangeStore::receive_library`]) and the documents indexed. A refused package
//! leaves nothing: no record, and no file new to the folder.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;
use safeground_federation::library_package::{
    FILES, LibraryPackage, MANIFEST, MAX_MANIFEST, PackageDocument, PackageVersion, is_sha256,
};
use safeground_federation::{NodeCard, NodeKey};
use safeground_library::{Folder, LibraryError, Received, extract_text};
use safeground_store::library::{DocumentMeta, LibraryDocument, VersionContent};
use safeground_store::library_exchange::{IncomingDocument, IncomingVersion, LibraryReceipt};

use safeground_store::{Backend, StoreError};
use sha2::{Digest, Sha256};

use crate::auth::password::hex;
use crate::error::ApiError;
use crate::library::Library;

/// Why a package could not be written or received; nothing was kept.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// The package is refused (signature, a file, a document): what and which.
    #[error("library package refused: {0}")]
    Refused(String),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Reading or writing a file failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The library folder failed.
    #[error("library folder: {0}")]
    Library(LibraryError),
}

impl From<ExchangeError> for ApiError {
    fn from(e: ExchangeError) -> Self {
        match e {
            ExchangeError::Refused(_) | ExchangeError::Store(StoreError::Federation(_)) => {
                ApiError::conflict(e.to_string())
            }
            ExchangeError::Store(s) => s.into(),
            other => ApiError::internal(other),
        }
    }
}

fn refused(message: impl Into<String>) -> ExchangeError {
    ExchangeError::Refused(message.into())
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ExchangeError {
    let what = what.into();
    move |source| ExchangeError::Io { what, source }
}

/// Refuses (409) a change to document `id` when it was received from another programme: only
/// its owner adds versions or edits it, and its changes arrive with the owner's next package.
pub fn ensure_own(store: &dyn Backend, id: i64) -> Result<(), ApiError> {
    match store.library_owner(id)? {
        None => Ok(()),
        Some(owner) => Err(ApiError::conflict(format!(
            "document {id} was received from {owner}: only {owner} adds versions to it or \
             changes its description; its changes arrive with {owner}'s next library package"
        ))),
    }
}

/// Which way a package goes, and so whose card verifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A node's package at its hub: verified with the node's registered card; every document
    /// must be the node's own.
    Up,
    /// The hub's package at a node: verified with the trusted hub's card; the node's own
    /// documents in it are skipped.
    Down,
}

/// What a written package holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Documents in it.
    pub documents: usize,
    /// Files copied.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
}

/// The package of the programme's `public` and `regional` documents, each with its owner
/// (the programme's own are the key's node's), and with the documents it received when
/// `with_received` (a hub's package for its nodes). National documents are never in it.
pub fn build_package(
    store: &dyn Backend,
    key: &NodeKey,
    with_received: bool,
) -> Result<LibraryPackage, ExchangeError> {
    crate::federation::check_node(store, key).map_err(|e| refused(e.to_string()))?;
    let mut documents = Vec::new();
    for (d, owner) in store.library_shareable(with_received)? {
        let owner = match owner {
            Some(o) => safeground_federation::NodeId::new(&o).map_err(|e| {
                refused(format!(
                    "document {} has owner `{o}` in library_origin: {e}",
                    d.uuid
                ))
            })?,
            None => key.node().clone(),
        };
        documents.push(package_document(d, owner));
    }
    Ok(LibraryPackage {
        publisher: key.node().clone(),
        generated_at: Utc::now(),
        documents,
    })
}

fn package_document(d: LibraryDocument, owner: safeground_federation::NodeId) -> PackageDocument {
    PackageDocument {
        uuid: d.uuid,
        title: d.meta.title,
        language: d.meta.language,
        country: d.meta.country,
        doc_type: d.meta.doc_type,
        imas_topic: d.meta.imas_topic,
        access: d.meta.access,
        organisation: d.meta.organisation,
        owner,
        versions: d
            .versions
            .into_iter()
            .map(|v| PackageVersion {
                version: v.version,
                file_name: v.content.file_name,
                media_type: v.content.media_type,
                size_bytes: v.content.size_bytes,
                sha256: v.content.sha256,
                link: v.content.link,
                note: v.content.note,
                uploaded_at: v.uploaded_at,
            })
            .collect(),
    }
}

/// Writes the package ([`build_package`]) signed with `key` to the new folder `out`: first
/// into `out.partial`, each file copied from the library `folder` while its SHA-256 is checked,
/// the manifest last, then renamed to `out`. An existing `out` is never overwritten.
pub fn write_package(
    store: &dyn Backend,
    folder: &Folder,
    key: &NodeKey,
    with_received: bool,
    out: &Path,
) -> Result<Written, ExchangeError> {
    if out.exists() {
        return Err(refused(format!(
            "{} exists: a package is never overwritten; choose another --out or move it away",
            out.display()
        )));
    }
    let package = build_package(store, key, with_received)?;
    let manifest = package
        .sign(key)
        .map_err(|e| refused(format!("{e} (nothing written)")))?;
    let partial = PathBuf::from(format!("{}.partial", out.display()));
    if partial.exists() {
        return Err(refused(format!(
            "{} exists (left by an interrupted export?): remove it and export again",
            partial.display()
        )));
    }
    let written = (|| {
        let files = partial.join(FILES);
        std::fs::create_dir_all(&files).map_err(io(format!("creating {}", files.display())))?;
        let mut bytes = 0;
        let hashes = package.files();
        for sha in &hashes {
            bytes += copy_checked(&folder.path(sha), &files.join(sha), sha)?;
        }
        let path = partial.join(MANIFEST);
        let mut f = File::create(&path).map_err(io(format!("creating {}", path.display())))?;
        f.write_all(manifest.as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(io(format!("writing {}", path.display())))?;
        std::fs::rename(&partial, out).map_err(io(format!(
            "renaming {} to {}",
            partial.display(),
            out.display()
        )))?;
        Ok(Written {
            documents: package.documents.len(),
            files: hashes.len(),
            bytes,
        })
    })();
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    written
}

/// Copies `from` to `to` while hashing it; refused when it does not hash to `sha`. Its size.
fn copy_checked(from: &Path, to: &Path, sha: &str) -> Result<u64, ExchangeError> {
    let mut reader = File::open(from).map_err(io(format!(
        "opening the library file {} (named by a document of this programme)",
        from.display()
    )))?;
    let mut writer =
        BufWriter::new(File::create(to).map_err(io(format!("creating {}", to.display())))?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(io(format!("reading {}", from.display())))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        writer
            .write_all(&buf[..n])
            .map_err(io(format!("writing {}", to.display())))?;
        size += n as u64;
    }
    let f = writer
        .into_inner()
        .map_err(|e| io(format!("writing {}", to.display()))(e.into_error()))?;
    f.sync_all()
        .map_err(io(format!("writing {}", to.display())))?;
    let found = hex(&hasher.finalize());
    if found != sha {
        return Err(refused(format!(
            "the library file {} does not match its name (it hashes to {found}): the library \
             folder is damaged; restore the file from a backup",
            from.display()
        )));
    }
    Ok(size)
}

/// Reads the manifest of the package folder `dir` (refusing a larger one than accepted).
pub fn read_manifest(dir: &Path) -> Result<String, ExchangeError> {
    let path = dir.join(MANIFEST);
    let f = File::open(&path).map_err(|e| {
        refused(format!(
            "{}: {e} (a library package is a folder with {MANIFEST} and {FILES}/)",
            path.display()
        ))
    })?;
    let mut text = String::new();
    f.take(MAX_MANIFEST as u64 + 1)
        .read_to_string(&mut text)
        .map_err(|e| refused(format!("{}: {e}", path.display())))?;
    if text.len() > MAX_MANIFEST {
        return Err(refused(format!(
            "{} is larger than the {MAX_MANIFEST} bytes accepted",
            path.display()
        )));
    }
    Ok(text)
}

/// The card that verifies a package of `publisher` going `direction`: the registered node's
/// at a hub, the trusted hub's at a node.
pub fn card_for(
    store: &dyn Backend,
    direction: Direction,
    publisher: &str,
) -> Result<NodeCard, ExchangeError> {
    let card = match direction {
        Direction::Up => {
            if !store.is_hub()? {
                return Err(refused(
                    "this programme is not a hub: a node's library package is imported by its \
                     hub (`safeground hub import-library`)",
                ));
            }
            store
                .hub_nodes()?
                .into_iter()
                .find(|n| n.node == publisher)
                .map(|n| n.card)
                .ok_or_else(|| {
                    refused(format!(
                        "from unknown node {publisher}: register its card first (`safeground \
                         hub add-node`)"
                    ))
                })?
        }
        Direction::Down => {
            let state = store.reference()?;
            match (state.hub, state.card) {
                (Some(hub), Some(card)) if hub == publisher => card,
                (Some(hub), Some(_)) => {
                    return Err(refused(format!(
                        "published by {publisher}, but the hub trusted is {hub}"
                    )));
                }
                _ => {
                    return Err(refused(
                        "no hub is trusted yet: `safeground federation trust-hub DB CARD.json` \
                         first",
                    ));
                }
            }
        }
    };
    NodeCard::from_json(&card).map_err(|e| refused(e.to_string()))
}

/// Verifies the package folder `dir` going `direction` and receives it into `store` and the
/// library `folder` (see the module's description), audited as `actor`; the documents are
/// indexed in `index` when given. Without it (a running server holds the index) they are
/// indexed when the server next opens its index, or by `safeground library reindex`.
pub fn receive_package(
    store: &mut dyn Backend,
    folder: &Folder,
    index: Option<&Library>,
    dir: &Path,
    direction: Direction,
    actor: &str,
) -> Result<LibraryReceipt, ExchangeError> {
    let manifest = read_manifest(dir)?;
    let publisher =
        LibraryPackage::claimed_publisher(&manifest).map_err(|e| refused(e.to_string()))?;
    let card = card_for(&*store, direction, publisher.as_str())?;
    let package = LibraryPackage::verify(&manifest, &card).map_err(|e| refused(e.to_string()))?;
    let local = store.node()?.map(|n| n.code);
    if local.as_deref() == Some(package.publisher.as_str()) {
        return Err(refused(format!(
            "the package is this programme's own ({})",
            package.publisher
        )));
    }
    if direction == Direction::Up
        && let Some(d) = package
            .documents
            .iter()
            .find(|d| d.owner != package.publisher)
    {
        return Err(refused(format!(
            "{}: field owner is {}, but a node sends only its own documents ({})",
            d.named(),
            d.owner,
            package.publisher
        )));
    }
    let docs = incoming_documents(&package);
    let plans = store.plan_library_receipt(local.as_deref(), &docs)?;
    // Every file a new version needs, checked and its text extracted, before anything is kept.
    let mut received: Vec<Received> = Vec::new();
    let mut texts = HashMap::new();
    for (doc, plan) in docs.iter().zip(&plans) {
        for v in plan.new_versions(doc) {
            let Some(sha) = &v.content.sha256 else {
                continue;
            };
            if texts.contains_key(sha) {
                continue;
            }
            let (file, text) = take_file(folder, dir, doc, v, sha)?;
            texts.insert(sha.clone(), text);
            received.push(file);
        }
    }
    let mut new_files = Vec::new();
    for file in received {
        let sha = file.sha256.clone();
        match folder.store(file) {
            Ok(true) => new_files.push(sha),
            Ok(false) => {}
            Err(e) => {
                remove_files(folder, &new_files);
                return Err(ExchangeError::Library(e));
            }
        }
    }
    let from = package.publisher.as_str();
    let receipt = match store.receive_library(actor, from, local.as_deref(), &docs, &texts) {
        Ok(r) => r,
        Err(e) => {
            remove_files(folder, &new_files);
            return Err(e.into());
        }
    };
    // The records are stored; a failed index update is repaired by the next catching up.
    let Some(library) = index else {
        return Ok(receipt);
    };
    for id in &receipt.changed {
        if let Some(d) = store.library_document(*id)? {
            let text = d
                .current()
                .and_then(|v| v.content.sha256.as_ref())
                .and_then(|sha| texts.get(sha))
                .map_or("", String::as_str);
            let text = if text.is_empty() {
                current_text(&*store, *id)?
            } else {
                text.to_owned()
            };
            if let Err(e) = library.index_document(&d, &text) {
                tracing::warn!(error = ?e, "could not index received library document {id}");
            }
        }
    }
    Ok(receipt)
}

/// The text of document `id`'s current version as stored.
fn current_text(store: &dyn Backend, id: i64) -> Result<String, ExchangeError> {
    Ok(store.library_document_text(id)?.unwrap_or_default())
}

fn remove_files(folder: &Folder, hashes: &[String]) {
    for sha in hashes {
        if let Err(e) = folder.remove(sha) {
            tracing::warn!(error = %e, "could not remove the file of a refused library package");
        }
    }
}

/// Streams `files/<sha>` of the package into the library's incoming folder, checking its size,
/// hash and kind, and extracts its text.
fn take_file(
    folder: &Folder,
    dir: &Path,
    doc: &IncomingDocument,
    v: &IncomingVersion,
    sha: &str,
) -> Result<(Received, String), ExchangeError> {
    let named = format!("{} version {}", doc.named(), v.version);
    if !is_sha256(sha) {
        return Err(refused(format!(
            "{named}: field sha256 `{sha}` is not a SHA-256"
        )));
    }
    let path = dir.join(FILES).join(sha);
    let mut reader = File::open(&path).map_err(|e| {
        refused(format!(
            "{named}: the file {FILES}/{sha} cannot be read ({e}); copy the whole package again"
        ))
    })?;
    let limit = u64::try_from(v.content.size_bytes).unwrap_or(0);
    let mut intake = folder.intake(limit).map_err(ExchangeError::Library)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(|e| refused(format!("{named}: reading {FILES}/{sha}: {e}")))?;
        if n == 0 {
            break;
        }
        intake.write(&buf[..n]).map_err(|e| match e {
            LibraryError::TooLarge { .. } => refused(format!(
                "{named}: {FILES}/{sha} is larger than field size_bytes ({limit}): the file was \
                 altered or damaged"
            )),
            other => ExchangeError::Library(other),
        })?;
    }
    let file = intake
        .finish()
        .map_err(|e| refused(format!("{named}: {FILES}/{sha}: {e}")))?;
    if file.sha256 != sha {
        return Err(refused(format!(
            "{named}: {FILES}/{sha} does not match field sha256 (its content hashes to {}): the \
             file was altered or damaged; copy the package again",
            file.sha256
        )));
    }
    if file.size != limit {
        return Err(refused(format!(
            "{named}: {FILES}/{sha} is {} bytes, field size_bytes says {limit}",
            file.size
        )));
    }
    if file.kind.media_type() != v.content.media_type {
        return Err(refused(format!(
            "{named}: field media_type is {}, but the file is {}",
            v.content.media_type,
            file.kind.media_type()
        )));
    }
    let text = extract_text(file.kind, file.path())
        .map_err(|e| refused(format!("{named}: {FILES}/{sha}: {e}")))?;
    Ok((file, text))
}

/// A package's documents as the store receives them.
pub fn incoming_documents(package: &LibraryPackage) -> Vec<IncomingDocument> {
    package.documents.iter().map(incoming).collect()
}

/// A package's document as the store receives it.
fn incoming(d: &PackageDocument) -> IncomingDocument {
    IncomingDocument {
        uuid: d.uuid.clone(),
        owner: d.owner.to_string(),
        meta: DocumentMeta {
            title: d.title.clone(),
            language: d.language.clone(),
            country: d.country.clone(),
            doc_type: d.doc_type.clone(),
            imas_topic: d.imas_topic.clone(),
            access: d.access.clone(),
            organisation: d.organisation.clone(),
        },
        versions: d
            .versions
            .iter()
            .map(|v| IncomingVersion {
                version: v.version,
                content: VersionContent {
                    file_name: v.file_name.clone(),
                    media_type: v.media_type.clone(),
                    size_bytes: v.size_bytes,
                    sha256: v.sha256.clone(),
                    link: v.link.clone(),
                    note: v.note.clone(),
                },
                uploaded_at: v.uploaded_at,
            })
            .collect(),
    }
}
