//! The document library's records: a document (title, language, country, type, IMAS topic,
//! access) and its versions (a stored file named by its SHA-256, or a link to a video), each
//! with the text extracted for search. A file is in the library once: a second upload of the
//! same bytes is refused naming the document that holds it. Every write is audited in its own
//! transaction. The files themselves live in the library folder (`safeground-library`).

use chrono::{DateTime, Utc};
use safeground_model::{ItemKind, ValidationErrors};
use serde::{Deserialize, Serialize};

use crate::{Result, StoreError};

/// The languages a document may be written in (those of the UI and of search).
pub const LANGUAGES: [&str; 7] = ["en", "km", "lo", "th", "my", "vi", "az"];
/// Document types.
pub const DOC_TYPES: [&str; 6] = [
    "national_standard",
    "sop",
    "lessons_learned",
    "research",
    "risk_education_material",
    "training_material",
];
/// Who may read a document: everyone the hub shares with (`public`), the region's programmes
/// through the hub (`regional`), or this programme only (`national`).
pub const ACCESS: [&str; 3] = ["public", "regional", "national"];
/// Longest title, characters.
pub const MAX_TITLE_CHARS: usize = 300;

/// What describes a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Title as written on the document.
    pub title: String,
    /// Language code (one of [`LANGUAGES`]).
    pub language: String,
    /// ISO 3166-1 alpha-3 code of the country it is about (`KHM`), if any.
    pub country: Option<String>,
    /// Type (one of [`DOC_TYPES`]).
    pub doc_type: String,
    /// IMAS number of its topic (`09.10`, `12.10`), if any.
    pub imas_topic: Option<String>,
    /// Access (one of [`ACCESS`]).
    pub access: String,
    /// The organisation that issued it, if any.
    pub organisation: Option<String>,
}

/// One version's content: a stored file, or a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionContent {
    /// The uploaded file's name.
    pub file_name: Option<String>,
    /// Media type (`application/pdf`; `text/uri-list` for a link).
    pub media_type: String,
    /// Size in bytes (0 for a link).
    pub size_bytes: i64,
    /// SHA-256 of the file (none for a link).
    pub sha256: Option<String>,
    /// The link (video, web page), for a version without a file.
    pub link: Option<String>,
    /// What changed in this version.
    pub note: Option<String>,
}

/// A stored version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentVersion {
    /// 1, 2, …
    pub version: i64,
    /// Its content.
    #[serde(flatten)]
    pub content: VersionContent,
    /// Who added it.
    pub uploaded_by: String,
    /// When.
    pub uploaded_at: DateTime<Utc>,
}

/// A document with its versions (oldest first; the last is current).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LibraryDocument {
    /// Local id.
    pub id: i64,
    /// Its UUID (stable across programmes when it is shared).
    pub uuid: String,
    /// Its description.
    #[serde(flatten)]
    pub meta: DocumentMeta,
    /// Who added it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Its versions, oldest first.
    pub versions: Vec<DocumentVersion>,
}

impl LibraryDocument {
    /// The current version.
    pub fn current(&self) -> Option<&DocumentVersion> {
        self.versions.last()
    }
}

/// A document and the text of its current version, for the search index.
#[derive(Debug, Clone)]
pub struct IndexedDocument {
    /// The document.
    pub document: LibraryDocument,
    /// The text of its current version.
    pub text: String,
}

/// Rows of the library, per backend; each write and its audit line in one transaction.
pub(crate) trait LibraryRows {
    /// Inserts a document and its first version; its id. The caller has checked for a
    /// duplicate; the unique index refuses one that raced in.
    fn insert_document(
        &mut self,
        actor: &str,
        uuid: &str,
        meta: &DocumentMeta,
        content: &VersionContent,
        text: &str,
    ) -> Result<i64>;
    /// Appends a version to document `id`; its number.
    fn insert_version(
        &mut self,
        actor: &str,
        id: i64,
        content: &VersionContent,
        text: &str,
    ) -> Result<i64>;
    /// Replaces the description of document `id`.
    fn update_meta(&mut self, actor: &str, id: i64, meta: &DocumentMeta) -> Result<()>;
    /// Documents (one, when `id` is given), newest first, with their versions.
    fn document_rows(&self, id: Option<i64>) -> Result<Vec<LibraryDocument>>;
    /// The document and version holding the file `sha256` or the link `link`.
    fn holder_of(&self, sha256: Option<&str>, link: Option<&str>) -> Result<Option<(i64, i64)>>;
    /// The text of each document's current version (one document's, when `id` is given), by
    /// document id.
    fn current_texts(&self, id: Option<i64>) -> Result<Vec<(i64, String)>>;
    /// Ids and kind codes of the items with a version written after version `after` (the
    /// store's `last_change` then), in id order.
    fn changed_item_rows(&self, after: i64) -> Result<Vec<(String, String)>>;
}

/// The document library.
pub trait LibraryStore {
    /// Adds a document with its first version (audited `library.add`); refuses an invalid
    /// description or content, and a file or link already in the library.
    fn add_document(
        &mut self,
        actor: &str,
        meta: &DocumentMeta,
        content: &VersionContent,
        text: &str,
    ) -> Result<LibraryDocument>;
    /// Adds a version to document `id` (audited `library.version`).
    fn add_document_version(
        &mut self,
        actor: &str,
        id: i64,
        content: &VersionContent,
        text: &str,
    ) -> Result<LibraryDocument>;
    /// Changes the description of document `id` (audited `library.edit`).
    fn edit_document(
        &mut self,
        actor: &str,
        id: i64,
        meta: &DocumentMeta,
    ) -> Result<LibraryDocument>;
    /// Document `id`.
    fn library_document(&self, id: i64) -> Result<Option<LibraryDocument>>;
    /// Every document, newest first.
    fn library_documents(&self) -> Result<Vec<LibraryDocument>>;
    /// Every document with its current text, for (re)building the search index.
    fn library_for_index(&self) -> Result<Vec<IndexedDocument>>;
    /// The text of document `id`'s current version (none if there is no such document), to
    /// index one document again.
    fn library_document_text(&self, id: i64) -> Result<Option<String>>;
    /// Items of `kinds` with a version approved after the store's `last_change` was `after`,
    /// in id order: what the search index re-reads to catch up.
    fn items_changed_after(&self, after: i64, kinds: &[ItemKind]) -> Result<Vec<String>>;
    /// The document and version holding the file of `sha256`, if any.
    fn library_file_holder(&self, sha256: &str) -> Result<Option<(i64, i64)>>;
}

fn invalid(errors: ValidationErrors) -> StoreError {
    StoreError::Invalid(errors)
}

/// Checks a description; the trimmed one.
pub fn checked_meta(meta: &DocumentMeta) -> Result<DocumentMeta> {
    let mut e = ValidationErrors::default();
    let title = meta.title.trim().to_owned();
    let chars = title.chars().count();
    if chars == 0 {
        e.add("title", "give the document's title".to_owned());
    } else if chars > MAX_TITLE_CHARS {
        e.add(
            "title",
            format!("keep the title under {MAX_TITLE_CHARS} characters; {chars} given"),
        );
    }
    let one_of = |e: &mut ValidationErrors, field: &str, value: &str, allowed: &[&str]| {
        if !allowed.contains(&value) {
            e.add(
                field,
                format!(
                    "unknown {field} `{value}`; use one of {}",
                    allowed.join(", ")
                ),
            );
        }
    };
    let language = meta.language.trim().to_lowercase();
    one_of(&mut e, "language", &language, &LANGUAGES);
    let doc_type = meta.doc_type.trim().to_lowercase();
    one_of(&mut e, "doc_type", &doc_type, &DOC_TYPES);
    let access = meta.access.trim().to_lowercase();
    one_of(&mut e, "access", &access, &ACCESS);
    let country = non_empty(&meta.country).map(|c| c.to_uppercase());
    if let Some(c) = &country
        && !(c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()))
    {
        e.add(
            "country",
            format!("`{c}` is no ISO 3166-1 alpha-3 code (three letters, e.g. KHM, LAO, AZE)"),
        );
    }
    let imas_topic = non_empty(&meta.imas_topic);
    if let Some(t) = &imas_topic
        && !is_imas_number(t)
    {
        e.add(
            "imas_topic",
            format!("`{t}` is no IMAS number; write it like 09.10 or 07.11.1"),
        );
    }
    if !e.is_empty() {
        return Err(invalid(e));
    }
    Ok(DocumentMeta {
        title,
        language,
        country,
        doc_type,
        imas_topic,
        access,
        organisation: non_empty(&meta.organisation),
    })
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// `NN.NN` or `NN.NN.N(N)`.
fn is_imas_number(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    let digits = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit())
    };
    match parts.as_slice() {
        [a, b] => digits(a, 2..=2) && digits(b, 2..=2),
        [a, b, c] => digits(a, 2..=2) && digits(b, 2..=2) && digits(c, 1..=2),
        _ => false,
    }
}

/// Checks a version's content: a file (name, media type, size, hash) or an http(s) link.
fn checked_content(content: &VersionContent) -> Result<VersionContent> {
    let mut e = ValidationErrors::default();
    let mut c = content.clone();
    c.file_name = non_empty(&c.file_name);
    c.note = non_empty(&c.note);
    c.link = non_empty(&c.link);
    match (&c.sha256, &c.link) {
        (Some(sha), None) => {
            if !(sha.len() == 64 && sha.chars().all(|ch| ch.is_ascii_hexdigit())) {
                e.add("sha256", format!("`{sha}` is no SHA-256 in hex"));
            }
            if c.size_bytes <= 0 {
                e.add("file", "the file is empty; choose it again".to_owned());
            }
        }
        (None, Some(link)) => {
            let ok = (link.starts_with("https://") || link.starts_with("http://"))
                && link.len() > 10
                && !link.chars().any(char::is_whitespace);
            if !ok {
                e.add(
                    "link",
                    format!("`{link}` is no web address; give an https:// link to the video"),
                );
            }
            c.media_type = "text/uri-list".into();
            c.size_bytes = 0;
        }
        (Some(_), Some(_)) => e.add("link", "give either a file or a link, not both".to_owned()),
        (None, None) => e.add("file", "give a file or a link".to_owned()),
    }
    if !e.is_empty() {
        return Err(invalid(e));
    }
    Ok(c)
}

fn duplicate(content: &VersionContent, holder: (i64, i64)) -> StoreError {
    let what = if content.link.is_some() {
        "this link"
    } else {
        "a file with the same content"
    };
    StoreError::Duplicate(format!(
        "the library already holds {what}: document {} version {}; add a new version there only \
         if the content changed",
        holder.0, holder.1
    ))
}

impl<S: LibraryRows> LibraryStore for S {
    fn add_document(
        &mut self,
        actor: &str,
        meta: &DocumentMeta,
        content: &VersionContent,
        text: &str,
    ) -> Result<LibraryDocument> {
        let meta = checked_meta(meta)?;
        let content = checked_content(content)?;
        if let Some(holder) = self.holder_of(content.sha256.as_deref(), content.link.as_deref())? {
            return Err(duplicate(&content, holder));
        }
        let uuid = crate::outbox::new_uuid()?;
        let id = self.insert_document(actor, &uuid, &meta, &content, text)?;
        self.library_document(id)?.ok_or_else(|| {
            StoreError::corrupt(format!("library document {id}"), "not found after insert")
        })
    }

    fn add_document_version(
        &mut self,
        actor: &str,
        id: i64,
        content: &VersionContent,
        text: &str,
    ) -> Result<LibraryDocument> {
        let content = checked_content(content)?;
        if self.library_document(id)?.is_none() {
            return Err(StoreError::ItemNotFound(format!("library document {id}")));
        }
        if let Some(holder) = self.holder_of(content.sha256.as_deref(), content.link.as_deref())? {
            return Err(duplicate(&content, holder));
        }
        self.insert_version(actor, id, &content, text)?;
        self.library_document(id)?
            .ok_or_else(|| StoreError::ItemNotFound(format!("library document {id}")))
    }

    fn edit_document(
        &mut self,
        actor: &str,
        id: i64,
        meta: &DocumentMeta,
    ) -> Result<LibraryDocument> {
        let meta = checked_meta(meta)?;
        if self.library_document(id)?.is_none() {
            return Err(StoreError::ItemNotFound(format!("library document {id}")));
        }
        self.update_meta(actor, id, &meta)?;
        self.library_document(id)?
            .ok_or_else(|| StoreError::ItemNotFound(format!("library document {id}")))
    }

    fn library_document(&self, id: i64) -> Result<Option<LibraryDocument>> {
        Ok(self.document_rows(Some(id))?.into_iter().next())
    }

    fn library_documents(&self) -> Result<Vec<LibraryDocument>> {
        self.document_rows(None)
    }

    fn library_for_index(&self) -> Result<Vec<IndexedDocument>> {
        let mut texts: std::collections::HashMap<i64, String> =
            self.current_texts(None)?.into_iter().collect();
        Ok(self
            .document_rows(None)?
            .into_iter()
            .map(|document| IndexedDocument {
                text: texts.remove(&document.id).unwrap_or_default(),
                document,
            })
            .collect())
    }

    fn library_document_text(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .current_texts(Some(id))?
            .into_iter()
            .next()
            .map(|(_, t)| t))
    }

    fn items_changed_after(&self, after: i64, kinds: &[ItemKind]) -> Result<Vec<String>> {
        Ok(self
            .changed_item_rows(after)?
            .into_iter()
            .filter(|(_, kind)| kinds.iter().any(|k| k.code() == kind))
            .map(|(item, _)| item)
            .collect())
    }

    fn library_file_holder(&self, sha256: &str) -> Result<Option<(i64, i64)>> {
        self.holder_of(Some(sha256), None)
    }
}

/// The audit detail of a version: file name and hash, or the link.
pub(crate) fn audit_detail(content: &VersionContent) -> String {
    match (&content.sha256, &content.link) {
        (Some(sha), _) => format!(
            "{} ({} bytes, sha256 {sha})",
            content.file_name.as_deref().unwrap_or("file"),
            content.size_bytes
        ),
        (None, Some(link)) => format!("link {link}"),
        (None, None) => String::new(),
    }
}

/// The audit target of document `id`.
pub(crate) fn target(id: i64) -> String {
    format!("library:{id}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn meta() -> DocumentMeta {
        DocumentMeta {
            title: " National Mine Action Standard 09.10 ".into(),
            language: "KM".into(),
            country: Some("khm".into()),
            doc_type: "national_standard".into(),
            imas_topic: Some("09.10".into()),
            access: "regional".into(),
            organisation: Some(" ".into()),
        }
    }

    #[test]
    fn descriptions_are_trimmed_and_checked() {
        let m = checked_meta(&meta()).unwrap();
        assert_eq!(m.title, "National Mine Action Standard 09.10");
        assert_eq!(
            (m.language.as_str(), m.country.as_deref()),
            ("km", Some("KHM"))
        );
        assert_eq!(m.organisation, None);
        let bad = DocumentMeta {
            title: "".into(),
            language: "fr".into(),
            country: Some("Cambodia".into()),
            doc_type: "memo".into(),
            imas_topic: Some("9.1".into()),
            access: "secret".into(),
            organisation: None,
        };
        let err = checked_meta(&bad).unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)));
        let text = err.to_string();
        for field in [
            "title",
            "language",
            "country",
            "doc_type",
            "imas_topic",
            "access",
        ] {
            assert!(text.contains(field), "{field} not named: {text}");
        }
        assert!(is_imas_number("07.11.1") && !is_imas_number("07.11.123"));
    }

    #[test]
    fn content_is_a_file_or_a_link() {
        let link = VersionContent {
            file_name: None,
            media_type: String::new(),
            size_bytes: 5,
            sha256: None,
            link: Some("https://video.example.org/mre-khmer".into()),
            note: None,
        };
        let c = checked_content(&link).unwrap();
        assert_eq!((c.media_type.as_str(), c.size_bytes), ("text/uri-list", 0));
        let bad = VersionContent {
            link: Some("javascript:alert(1)".into()),
            ..link.clone()
        };
        assert!(checked_content(&bad).is_err());
        let none = VersionContent { link: None, ..link };
        assert!(
            checked_content(&none)
                .unwrap_err()
                .to_string()
                .contains("file or a link")
        );
    }
}
