//! Full-text search of the library's documents and the programme's records in the region's
//! languages: English, Khmer, Lao, Thai, Burmese, Vietnamese and Azerbaijani.
//!
//! A [`SearchIndex`] is a tantivy index (in a directory, or in memory for tests). Text is cut
//! into words by ICU's dictionary word segmenter, so Khmer, Lao, Thai and Burmese words are found
//! inside unspaced sentences, and mixed-script text (English inside Khmer) is segmented script by
//! script. Latin-script words are folded (Vietnamese tones and Azerbaijani letters: "Quang Tri"
//! finds "Quảng Trị", "temizleme" finds "təmizləmə"); the marks of Thai, Lao, Khmer and Burmese
//! are never stripped. A second field holds character trigrams of those four scripts, so part of
//! a dictionary compound is found (បាត់ដំបង inside ខេត្តបាត់ដំបង), and a third holds English
//! stems ("minefields" finds "minefield"). See `docs/search.md` for the design and measurements.
//!
//! ```
//! use safeground_search::{Entry, Language, Query, SearchIndex};
//! let mut index = SearchIndex::in_memory()?;
//! index.upsert(&Entry::new("d1", "document", "Clearance in Quảng Trị", "Rà phá bom mìn", Language::Vi, "public"))?;
//! index.commit()?;
//! let hits = index.search(&Query::new("quang tri", vec!["public".into()]))?;
//! assert_eq!(hits.hits[0].id, "d1");
//! # Ok::<(), safeground_search::SearchError>(())
//! ```

mod analysis;
mod index;
mod query;
mod snippet;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

pub use index::SearchIndex;

/// A language of the library: of a document, or of a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    En,
    /// Khmer.
    Km,
    /// Lao.
    Lo,
    /// Thai.
    Th,
    /// Burmese.
    My,
    /// Vietnamese.
    Vi,
    /// Azerbaijani.
    Az,
}

impl Language {
    /// Every language, in a fixed order.
    pub const ALL: [Language; 7] = [
        Language::En,
        Language::Km,
        Language::Lo,
        Language::Th,
        Language::My,
        Language::Vi,
        Language::Az,
    ];

    /// The ISO 639-1 code ("en", "km", …).
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Km => "km",
            Language::Lo => "lo",
            Language::Th => "th",
            Language::My => "my",
            Language::Vi => "vi",
            Language::Az => "az",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = SearchError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim().to_ascii_lowercase();
        Language::ALL
            .into_iter()
            .find(|l| l.code() == code)
            .ok_or_else(|| SearchError::UnknownLanguage(s.to_string()))
    }
}

/// One thing to find: a library document or a record (hazard, accident, …).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// Unique id; [`SearchIndex::upsert`] replaces an entry with the same id.
    pub id: String,
    /// What it is: "document", "hazard", "accident", …
    pub kind: String,
    /// Title (matches in it rank higher).
    pub title: String,
    /// Full text.
    pub body: String,
    /// Main language (the text may mix scripts: every script is segmented on its own).
    pub language: Language,
    /// Country code, if any.
    pub country: Option<String>,
    /// Document type, if any.
    pub doc_type: Option<String>,
    /// IMAS topic, if any.
    pub imas_topic: Option<String>,
    /// Who may see it: "public", "regional" or "national" (compared with
    /// [`Query::allowed_access`]).
    pub access: String,
    /// Owning organisation, if any.
    pub organisation: Option<String>,
}

impl Entry {
    /// An entry with no country, document type, IMAS topic or organisation.
    pub fn new(
        id: impl Into<String>,
        kind: impl Into<String>,
        title: impl Into<String>,
        body: impl Into<String>,
        language: Language,
        access: impl Into<String>,
    ) -> Self {
        Entry {
            id: id.into(),
            kind: kind.into(),
            title: title.into(),
            body: body.into(),
            language,
            country: None,
            doc_type: None,
            imas_topic: None,
            access: access.into(),
            organisation: None,
        }
    }
}

/// Exact-match filters; `None` does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Entry kind.
    pub kind: Option<String>,
    /// Entry language.
    pub language: Option<Language>,
    /// Country code.
    pub country: Option<String>,
    /// Document type.
    pub doc_type: Option<String>,
    /// IMAS topic.
    pub imas_topic: Option<String>,
    /// Access level (within `allowed_access`).
    pub access: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
}

/// A search. Every word must match (in the title or the body); `"double quotes"` ask for a
/// phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// What the user typed.
    pub text: String,
    /// Language of the query, if known: English stems are used for `En` and `None` only.
    pub language: Option<Language>,
    /// Exact filters.
    pub filters: Filters,
    /// Access levels the caller may see; always applied (empty: nothing is found).
    pub allowed_access: Vec<String>,
    /// At most this many hits.
    pub limit: usize,
    /// Skip this many hits (paging).
    pub offset: usize,
}

impl Query {
    /// A query with no filters, the first 20 hits.
    pub fn new(text: impl Into<String>, allowed_access: Vec<String>) -> Self {
        Query {
            text: text.into(),
            language: None,
            filters: Filters::default(),
            allowed_access,
            limit: 20,
            offset: 0,
        }
    }
}

/// The result of [`SearchIndex::search`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hits {
    /// How many entries match in all (beyond `limit`).
    pub total: usize,
    /// The page asked for, best first.
    pub hits: Vec<Hit>,
}

/// One matching entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// Entry id.
    pub id: String,
    /// Entry kind.
    pub kind: String,
    /// Entry title.
    pub title: String,
    /// Relevance (BM25; only comparable within one search).
    pub score: f32,
    /// A passage of the body around the matches, plain text (may start or end with "…").
    pub snippet: String,
    /// Byte ranges of the matches in `snippet`, sorted, not overlapping.
    pub highlights: Vec<(usize, usize)>,
    /// Byte ranges of the matches in `title`.
    pub title_highlights: Vec<(usize, usize)>,
}

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// A language code that is not one of ours.
    #[error("unknown language code {0:?}: use one of en, km, lo, th, my, vi, az")]
    UnknownLanguage(String),
    /// A query with no word in it.
    #[error("the search text is empty (or has only punctuation): type at least one word")]
    EmptyQuery,
    /// A query that cannot be read.
    #[error("cannot read the search text: {0}")]
    QueryParse(String),
    /// An entry that cannot be indexed.
    #[error("entry {id:?}: field {field}: {problem}")]
    InvalidEntry {
        /// Entry id (may be empty when that is the problem).
        id: String,
        /// Field name.
        field: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// Another process (or another `SearchIndex`) is writing to the index.
    #[error(
        "the search index in {0} is locked by another writer: stop the other Safeground process using it, or use another directory"
    )]
    Locked(String),
    /// The index files cannot be read as this version's index.
    #[error(
        "the search index in {dir} cannot be opened ({detail}): delete the directory and rebuild the index from the library"
    )]
    Corrupt {
        /// Index directory.
        dir: String,
        /// What tantivy said.
        detail: String,
    },
    /// Reading or writing index files failed.
    #[error("search index I/O in {dir}: {source}")]
    Io {
        /// Index directory.
        dir: String,
        /// The error.
        source: std::io::Error,
    },
    /// Any other failure of the search engine.
    #[error("search engine: {0}")]
    Engine(#[from] tantivy::TantivyError),
}
