//! The library beside the programme: its folder of files and its search index, opened on
//! first use. The index is derived data, kept with a small state file saying what it holds
//! (each document's version and description, the store's `last_change` its records were read
//! at): it is built from the store when it is missing; a document is indexed again when it is
//! new or changed; records (hazards, accidents, activities… — never victims or their
//! assistance) are re-read item by item when an approval gave them a newer version.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use safeground_library::{Folder, LibraryError, Received, extract_text};
use safeground_model::{ItemKind, Record};
use safeground_search::{Entry, Hits, Language, Query, SearchError, SearchIndex};
use safeground_store::library::{DocumentMeta, LibraryDocument, VersionContent};
use safeground_store::{AsOf, Backend, Flow, Location, StoreError};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};

/// Largest upload by default, bytes (`serve --library-max-mb`).
pub const DEFAULT_MAX_BYTES: u64 = 100 * 1024 * 1024;

/// Kinds of record searched beside the documents (victims and their assistance are left out:
/// their records are about people).
const SEARCHED_KINDS: [ItemKind; 7] = [
    ItemKind::Hazard,
    ItemKind::Activity,
    ItemKind::EoFind,
    ItemKind::Accident,
    ItemKind::RiskEducation,
    ItemKind::QaVisit,
    ItemKind::Organisation,
];

/// Where the library lives, opened on first use.
pub struct LibraryCell {
    dir: Option<PathBuf>,
    /// Largest upload, bytes.
    pub max_bytes: u64,
    opened: OnceLock<Result<Arc<Library>, String>>,
}

impl LibraryCell {
    /// The library in `dir`, or beside the SQLite file of `location` (`demo.sqlite` →
    /// `demo.library/`); a PostgreSQL programme needs `dir`.
    pub fn new(dir: Option<PathBuf>, location: &Location, max_bytes: u64) -> Self {
        let dir = library_dir(dir, location);
        LibraryCell {
            dir,
            max_bytes,
            opened: OnceLock::new(),
        }
    }

    /// The library, opening its folder and index the first time (call from a blocking thread).
    pub fn get(&self) -> ApiResult<Arc<Library>> {
        let opened = self.opened.get_or_init(|| {
            let Some(dir) = &self.dir else {
                return Err(
                    "this server has no library folder: the programme is in PostgreSQL, \
                            so start it with --library-dir DIR (a folder the server may write)"
                        .to_owned(),
                );
            };
            Library::open(dir.clone())
                .map(Arc::new)
                .map_err(|e| e.to_string())
        });
        opened
            .clone()
            .map_err(|e| ApiError::unavailable(format!("the library is unavailable: {e}")))
    }
}

/// The library folder of the programme at `location`: `dir` when given, else beside its SQLite
/// file (`demo.sqlite` → `demo.library/`); none for PostgreSQL without `dir`.
pub fn library_dir(dir: Option<PathBuf>, location: &Location) -> Option<PathBuf> {
    dir.or_else(|| match location {
        Location::Sqlite(path) => Some(path.with_extension("library")),
        Location::Postgres(_) => None,
    })
}

/// The hashes of the files the programme's records name: its library documents' versions and,
/// on a hub, the photos of its ordnance reference pages (backups and `migrate` copy them all).
pub fn file_hashes(store: &dyn Backend) -> Result<Vec<String>, StoreError> {
    let mut hashes: Vec<String> = store
        .library_documents()?
        .into_iter()
        .flat_map(|d| d.versions)
        .filter_map(|v| v.content.sha256)
        .collect();
    hashes.extend(
        (store.pages()?.into_iter())
            .flat_map(|p| p.page.photos)
            .map(|photo| photo.sha256),
    );
    hashes.sort();
    hashes.dedup();
    Ok(hashes)
}

/// The library's folder and index.
pub struct Library {
    /// Its files.
    pub folder: Folder,
    index: Mutex<Indexed>,
}

struct Indexed {
    index: SearchIndex,
    /// What the index holds, saved beside it after each commit.
    state: IndexState,
    /// Where `state` is saved (inside the index's folder: deleting the index deletes it).
    state_path: PathBuf,
    /// Whether the documents were checked against the store since opening.
    documents_checked: bool,
}

/// What an index was last brought up to date with.
#[derive(Debug, Default, Serialize, Deserialize)]
struct IndexState {
    /// The store's `last_change` when the records were last brought up to date.
    records_at: Option<i64>,
    /// Each indexed document as it was indexed.
    documents: BTreeMap<i64, DocumentMark>,
}

/// What a document's index entry was made of: another mark means it is indexed again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct DocumentMark {
    uuid: String,
    version: i64,
    meta: DocumentMeta,
}

impl DocumentMark {
    fn of(d: &LibraryDocument) -> Self {
        DocumentMark {
            uuid: d.uuid.clone(),
            version: d.current().map_or(0, |v| v.version),
            meta: d.meta.clone(),
        }
    }
}

/// What one catching up of the index with the store re-indexed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatchUp {
    /// Documents (new, changed or gone).
    pub documents: usize,
    /// Records re-read.
    pub records: usize,
    /// Whether every record was re-read (first use, or more changed than is worth reading one
    /// by one).
    pub all_records: bool,
}

/// Past this many changed records, every record is streamed again rather than read one by one.
const RECORDS_ONE_BY_ONE: usize = 2_000;

impl Library {
    fn open(dir: PathBuf) -> Result<Self, SearchError> {
        let index_dir = dir.join("search-index");
        let index = SearchIndex::open_or_create(&index_dir)?;
        let state_path = index_dir.join("safeground-state.json");
        let state = if index.is_empty() {
            IndexState::default()
        } else {
            load_state(&state_path)
        };
        Ok(Library {
            folder: Folder::new(dir),
            index: Mutex::new(Indexed {
                index,
                state,
                state_path,
                documents_checked: false,
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Indexed> {
        self.index.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores the file of `received` (if any) in the folder, then runs `write` (the metadata
    /// transaction, which refuses a file the library holds already, naming its document) and
    /// indexes the document it returns; a file new to the folder is removed again when `write`
    /// fails: nothing is half-stored. Runs under the store's writer.
    pub fn commit_version(
        &self,
        store: &mut dyn Backend,
        received: Option<Received>,
        text: &str,
        write: impl FnOnce(&mut dyn Backend) -> Result<LibraryDocument, StoreError>,
    ) -> ApiResult<LibraryDocument> {
        let mut new_file = None;
        if let Some(received) = received {
            let sha = received.sha256.clone();
            if self.folder.store(received).map_err(library_error)? {
                new_file = Some(sha);
            }
        }
        let doc = match write(store) {
            Ok(doc) => doc,
            Err(e) => {
                if let Some(sha) = new_file
                    && let Err(r) = self.folder.remove(&sha)
                {
                    tracing::warn!(error = %r, "could not remove the file of a refused upload");
                }
                return Err(e.into());
            }
        };
        // The document is stored; a failed index update is repaired by the next catching up.
        if let Err(e) = self.index_document(&doc, text) {
            tracing::warn!(error = ?e, "could not index library document {}", doc.id);
        }
        Ok(doc)
    }

    /// Searches, first bringing the index up to date with `store`.
    pub fn search(&self, store: &dyn Backend, query: &Query) -> ApiResult<Hits> {
        let mut ix = self.lock();
        sync(&mut ix, store, false)?;
        ix.index.search(query).map_err(search_error)
    }

    /// Brings the index up to date with `store`: the documents once per opening (only those new
    /// or changed since they were indexed), the records whenever an approval changed the
    /// programme (only the items with a newer version). What it re-indexed.
    pub fn catch_up(&self, store: &dyn Backend) -> ApiResult<CatchUp> {
        let mut ix = self.lock();
        sync(&mut ix, store, false)
    }

    /// Indexes `document` (just added or changed) with the text of its current version.
    pub fn index_document(&self, document: &LibraryDocument, text: &str) -> ApiResult<()> {
        let mut ix = self.lock();
        let indexed = ix
            .index
            .upsert(&document_entry(document, text))
            .and_then(|()| ix.index.commit());
        if let Err(e) = indexed {
            // Checked again against the store at the next search.
            ix.documents_checked = false;
            return Err(search_error(e));
        }
        ix.state
            .documents
            .insert(document.id, DocumentMark::of(document));
        save_state(&ix);
        Ok(())
    }

    /// Rebuilds the whole index from `store` (every document and record indexed again); how
    /// many entries it holds.
    pub fn rebuild(&self, store: &dyn Backend) -> ApiResult<u64> {
        let mut ix = self.lock();
        sync(&mut ix, store, true)?;
        Ok(ix.index.len())
    }
}

/// The saved state of an index; none (everything indexed again) when it is missing or
/// unreadable.
fn load_state(path: &Path) -> IndexState {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "{} is unreadable: the search index is rebuilt", path.display());
            IndexState::default()
        }),
        Err(_) => IndexState::default(),
    }
}

/// Saves the state after a commit (written aside, then renamed): a state lost or older than the
/// index only makes the next catching up re-index more.
fn save_state(ix: &Indexed) {
    let saved = serde_json::to_vec(&ix.state)
        .map_err(std::io::Error::other)
        .and_then(|bytes| {
            let aside = ix.state_path.with_extension("json.new");
            std::fs::write(&aside, bytes)?;
            std::fs::rename(&aside, &ix.state_path)
        });
    if let Err(e) = saved {
        tracing::warn!(error = %e, "could not save {}", ix.state_path.display());
    }
}

/// Brings the documents (once per opening, or all with `all`) and the records (after each
/// change) up to date.
fn sync(ix: &mut Indexed, store: &dyn Backend, all: bool) -> ApiResult<CatchUp> {
    let mut done = CatchUp::default();
    if all {
        ix.state.records_at = None;
    }
    if all || !ix.documents_checked {
        done.documents = sync_documents(ix, store, all)?;
        ix.documents_checked = true;
    }
    let change = store.last_change()?;
    let (records, all_records) = match ix.state.records_at {
        Some(at) if at == change => return Ok(done),
        // Only the items with a newer version, unless so many changed that streaming is cheaper.
        Some(at) if at < change => {
            let changed = store.items_changed_after(at, &SEARCHED_KINDS)?;
            if changed.len() <= RECORDS_ONE_BY_ONE {
                for item in &changed {
                    match store.item_as_of(item, AsOf::now())? {
                        Some(v) => ix.index.upsert(&record_entry(&v.item, &v.record)),
                        None => ix.index.remove(item),
                    }
                    .map_err(search_error)?;
                }
                (changed.len(), false)
            } else {
                (all_records(ix, store)?, true)
            }
        }
        // Never indexed, or the store is older than the index (another programme restored).
        _ => (all_records(ix, store)?, true),
    };
    // Versions of unsearched kinds only (victims, assistance) leave the index as it was.
    if records > 0 || all_records {
        ix.index.commit().map_err(search_error)?;
    }
    ix.state.records_at = Some(change);
    save_state(ix);
    done.records = records;
    done.all_records = all_records;
    Ok(done)
}

/// Indexes the documents new or changed since they were indexed (every one with `all`) and
/// removes those the store no longer holds; how many.
fn sync_documents(ix: &mut Indexed, store: &dyn Backend, all: bool) -> ApiResult<usize> {
    let docs = store.library_documents()?;
    let mut gone: BTreeMap<i64, DocumentMark> = std::mem::take(&mut ix.state.documents);
    let mut count = 0;
    for d in &docs {
        let mark = DocumentMark::of(d);
        let was = gone.remove(&d.id);
        if !all && was.as_ref() == Some(&mark) {
            ix.state.documents.insert(d.id, mark);
            continue;
        }
        let text = store.library_document_text(d.id)?.unwrap_or_default();
        ix.index
            .upsert(&document_entry(d, &text))
            .map_err(search_error)?;
        ix.state.documents.insert(d.id, mark);
        count += 1;
    }
    for id in gone.keys() {
        ix.index.remove(&document_key(*id)).map_err(search_error)?;
        count += 1;
    }
    if count > 0 {
        ix.index.commit().map_err(search_error)?;
        save_state(ix);
    }
    Ok(count)
}

/// Streams every searched record into the index; how many.
fn all_records(ix: &mut Indexed, store: &dyn Backend) -> ApiResult<usize> {
    let mut count = 0;
    for kind in SEARCHED_KINDS {
        let mut failed = None;
        store.for_each_current(kind, None, &mut |v| {
            if let Err(e) = ix.index.upsert(&record_entry(&v.item, &v.record)) {
                failed = Some(e);
                return Ok(Flow::Stop);
            }
            count += 1;
            Ok(Flow::Continue)
        })?;
        if let Some(e) = failed {
            return Err(search_error(e));
        }
    }
    Ok(count)
}

/// The content of a version made of `received` (its text extracted; encrypted and damaged
/// files refused) and the text.
pub fn file_content(
    received: &Received,
    file_name: Option<String>,
    note: Option<String>,
) -> Result<(VersionContent, String), LibraryError> {
    let text = extract_text(received.kind, received.path())?;
    let content = VersionContent {
        file_name,
        media_type: received.kind.media_type().to_owned(),
        size_bytes: i64::try_from(received.size).unwrap_or(i64::MAX),
        sha256: Some(received.sha256.clone()),
        link: None,
        note,
    };
    Ok((content, text))
}

/// The content of a version that is a link (checked by the store).
pub fn link_content(link: String, note: Option<String>) -> VersionContent {
    VersionContent {
        file_name: None,
        media_type: String::new(),
        size_bytes: 0,
        sha256: None,
        link: Some(link),
        note,
    }
}

/// A refused file: too large (413), a disk error (500), or the file's fault (422 on `file`).
pub fn library_error(e: LibraryError) -> ApiError {
    match e {
        LibraryError::TooLarge { .. } => ApiError::too_large(e.to_string()),
        LibraryError::Io { .. } => ApiError::internal(e),
        other => ApiError::field("file", other.to_string()),
    }
}

/// The index id of library document `id`.
pub fn document_key(id: i64) -> String {
    format!("document:{id}")
}

fn document_entry(d: &LibraryDocument, text: &str) -> Entry {
    let language = d.meta.language.parse().unwrap_or(Language::En);
    let mut e = Entry::new(
        document_key(d.id),
        "document",
        d.meta.title.clone(),
        text,
        language,
        d.meta.access.clone(),
    );
    e.country = d.meta.country.clone();
    e.doc_type = Some(d.meta.doc_type.clone());
    e.imas_topic = d.meta.imas_topic.clone();
    e.organisation = d.meta.organisation.clone();
    e
}

/// A record as searchable text: its kind, id and every text of its fields.
fn record_entry(item: &str, record: &Record) -> Entry {
    let kind = record.kind();
    let mut texts = Vec::new();
    if let Ok(value) = serde_json::to_value(record) {
        collect_texts(&value, &mut texts);
    }
    let title = texts
        .iter()
        .find(|t| !t.is_empty() && t.as_str() != item)
        .map_or_else(|| item.to_owned(), |t| format!("{item} {t}"));
    Entry::new(
        item,
        kind.code(),
        format!("{}: {title}", kind.label()),
        texts.join("\n"),
        Language::En,
        "national",
    )
}

/// Every string in `value` except geometries (coordinates carry no words).
fn collect_texts(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if !s.trim().is_empty() => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_texts(v, out)),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if k != "geometry" && k != "location" && k != "released_areas" {
                    collect_texts(v, out);
                }
            }
        }
        _ => {}
    }
}

/// A search failure: the query's fault (422) or the index's (503, with what to do).
pub fn search_error(e: SearchError) -> ApiError {
    match e {
        SearchError::EmptyQuery | SearchError::QueryParse(_) | SearchError::UnknownLanguage(_) => {
            ApiError::field("q", e.to_string())
        }
        other => ApiError::unavailable(other.to_string()),
    }
}
