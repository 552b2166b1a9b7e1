//! The library beside the programme: its folder of files and its search index, opened on
//! first use. The index is derived data: it is rebuilt from the store when it is missing, when
//! its documents differ from the store's, and its records (hazards, accidents, activities… —
//! never victims or their assistance) are re-read whenever an approval changed the programme.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use safeground_library::{Folder, LibraryError, Received, extract_text};
use safeground_model::{ItemKind, Record};
use safeground_search::{Entry, Hits, Language, Query, SearchError, SearchIndex};
use safeground_store::library::{IndexedDocument, LibraryDocument, VersionContent};
use safeground_store::{Backend, Flow, Location, StoreError};

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

/// The hashes of the files the programme's library records name.
pub fn file_hashes(store: &dyn Backend) -> Result<Vec<String>, StoreError> {
    let mut hashes: Vec<String> = store
        .library_documents()?
        .into_iter()
        .flat_map(|d| d.versions)
        .filter_map(|v| v.content.sha256)
        .collect();
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
    /// The store's `last_change` when the records were last indexed.
    records_at: Option<i64>,
    /// Whether the documents were checked against the store since opening.
    documents_checked: bool,
}

impl Library {
    fn open(dir: PathBuf) -> Result<Self, SearchError> {
        let index = SearchIndex::open_or_create(&dir.join("search-index"))?;
        Ok(Library {
            folder: Folder::new(dir),
            index: Mutex::new(Indexed {
                index,
                records_at: None,
                documents_checked: false,
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Indexed> {
        self.index.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores the file of `received` (if any) in the folder, then runs `write` (the metadata
    /// transaction) and indexes the document it returns; a file new to the folder is removed
    /// again when `write` fails, and a file the library holds already is refused naming its
    /// document: nothing is half-stored. Runs under the store's writer.
    pub fn commit_version(
        &self,
        store: &mut dyn Backend,
        received: Option<Received>,
        text: &str,
        write: impl FnOnce(&mut dyn Backend) -> Result<LibraryDocument, StoreError>,
    ) -> ApiResult<LibraryDocument> {
        let mut new_file = None;
        if let Some(received) = received {
            if let Some((doc, v)) = store.library_file_holder(&received.sha256)? {
                return Err(ApiError::conflict(format!(
                    "the library already holds a file with the same content: document {doc} \
                     version {v}; add a new version there only if the content changed"
                )));
            }
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
        // The document is stored; a failed index update is repaired by the next rebuild.
        if let Err(e) = self.index_document(&doc, text) {
            tracing::warn!(error = ?e, "could not index library document {}", doc.id);
        }
        Ok(doc)
    }

    /// Searches, first bringing the index up to date with `store`.
    pub fn search(&self, store: &dyn Backend, query: &Query) -> ApiResult<Hits> {
        let mut ix = self.lock();
        sync(&mut ix, store)?;
        ix.index.search(query).map_err(search_error)
    }

    /// Indexes `document` (just added or changed) with the text of its current version.
    pub fn index_document(&self, document: &LibraryDocument, text: &str) -> ApiResult<()> {
        let mut ix = self.lock();
        ix.index
            .upsert(&document_entry(document, text))
            .map_err(search_error)?;
        ix.index.commit().map_err(search_error)
    }

    /// Rebuilds the whole index from `store`; how many entries it holds.
    pub fn rebuild(&self, store: &dyn Backend) -> ApiResult<u64> {
        let mut ix = self.lock();
        ix.documents_checked = false;
        ix.records_at = None;
        sync(&mut ix, store)?;
        Ok(ix.index.len())
    }
}

/// Brings the documents (once per opening) and the records (after each change) up to date.
fn sync(ix: &mut Indexed, store: &dyn Backend) -> ApiResult<()> {
    if !ix.documents_checked {
        let docs: Vec<IndexedDocument> = store.library_for_index()?;
        for d in &docs {
            ix.index
                .upsert(&document_entry(&d.document, &d.text))
                .map_err(search_error)?;
        }
        ix.index.commit().map_err(search_error)?;
        ix.documents_checked = true;
    }
    let change = store.last_change()?;
    if ix.records_at != Some(change) {
        for kind in SEARCHED_KINDS {
            let mut failed = None;
            store.for_each_current(kind, None, &mut |v| {
                if let Err(e) = ix.index.upsert(&record_entry(&v.item, &v.record)) {
                    failed = Some(e);
                    return Ok(Flow::Stop);
                }
                Ok(Flow::Continue)
            })?;
            if let Some(e) = failed {
                return Err(search_error(e));
            }
        }
        ix.index.commit().map_err(search_error)?;
        ix.records_at = Some(change);
    }
    Ok(())
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
