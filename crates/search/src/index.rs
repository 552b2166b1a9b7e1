//! The index: schema, opening, writing, searching.

use std::path::{Path, PathBuf};

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term,
};

use crate::analysis::{self, Analyzer};
use crate::query::Plan;
use crate::{Entry, Hit, Hits, Query, SearchError, snippet};

/// Writer memory budget of an index in a directory (split between the writer's threads).
const WRITER_MEMORY: usize = 96_000_000;
/// Writer memory budget of an in-memory index (one thread).
const WRITER_MEMORY_RAM: usize = 24_000_000;
/// The largest page a search may ask for.
const MAX_LIMIT: usize = 1000;

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) kind: Field,
    pub(crate) language: Field,
    pub(crate) country: Field,
    pub(crate) doc_type: Field,
    pub(crate) imas_topic: Field,
    pub(crate) access: Field,
    pub(crate) organisation: Field,
    pub(crate) title: Field,
    pub(crate) body: Field,
    pub(crate) stems: Field,
    pub(crate) grams: Field,
}

fn text_options(analyzer: Analyzer, record: IndexRecordOption, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer.name())
            .set_index_option(record),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        language: b.add_text_field("language", STRING),
        country: b.add_text_field("country", STRING),
        doc_type: b.add_text_field("doc_type", STRING),
        imas_topic: b.add_text_field("imas_topic", STRING),
        access: b.add_text_field("access", STRING),
        organisation: b.add_text_field("organisation", STRING),
        title: b.add_text_field("title", text_options(Analyzer::Words, positions, true)),
        body: b.add_text_field("body", text_options(Analyzer::Words, positions, true)),
        stems: b.add_text_field(
            "stems",
            text_options(Analyzer::Stems, IndexRecordOption::WithFreqs, false),
        ),
        grams: b.add_text_field("grams", text_options(Analyzer::Grams, positions, false)),
    };
    (b.build(), fields)
}

/// A full-text index of entries, in a directory or in memory.
pub struct SearchIndex {
    writer: IndexWriter,
    reader: IndexReader,
    fields: Fields,
    dir: Option<PathBuf>,
    words: TextAnalyzer,
    /// Stems one folded word (query words, highlights).
    stems: TextAnalyzer,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if needed. Holds the
    /// directory's writer lock until dropped.
    pub fn open_or_create(dir: &Path) -> Result<Self, SearchError> {
        let shown = dir.display().to_string();
        std::fs::create_dir_all(dir).map_err(|source| SearchError::Io {
            dir: shown.clone(),
            source,
        })?;
        let directory = MmapDirectory::open(dir).map_err(|e| SearchError::Corrupt {
            dir: shown.clone(),
            detail: e.to_string(),
        })?;
        let (schema, fields) = schema();
        let index = Index::open_or_create(directory, schema).map_err(|e| open_error(&shown, e))?;
        Self::with_index(index, fields, Some(dir.to_path_buf()), WRITER_MEMORY, None)
    }

    /// An empty index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        Self::with_index(index, fields, None, WRITER_MEMORY_RAM, Some(1))
    }

    fn with_index(
        index: Index,
        fields: Fields,
        dir: Option<PathBuf>,
        memory: usize,
        threads: Option<usize>,
    ) -> Result<Self, SearchError> {
        analysis::register(index.tokenizers());
        let shown = dir
            .as_ref()
            .map_or_else(|| "memory".to_string(), |d| d.display().to_string());
        let writer = match threads {
            Some(n) => index.writer_with_num_threads(n, memory),
            None => index.writer(memory),
        }
        .map_err(|e| open_error(&shown, e))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| open_error(&shown, e))?;
        Ok(SearchIndex {
            writer,
            reader,
            fields,
            dir,
            words: Analyzer::Words.build(),
            stems: analysis::stemmer(),
        })
    }

    /// Adds an entry, or replaces the entry with the same id. Visible after [`Self::commit`].
    pub fn upsert(&mut self, entry: &Entry) -> Result<(), SearchError> {
        validate(entry)?;
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.id, &entry.id);
        doc.add_text(f.kind, &entry.kind);
        doc.add_text(f.language, entry.language.code());
        doc.add_text(f.access, &entry.access);
        for (field, value) in [
            (f.country, &entry.country),
            (f.doc_type, &entry.doc_type),
            (f.imas_topic, &entry.imas_topic),
            (f.organisation, &entry.organisation),
        ] {
            if let Some(value) = value {
                doc.add_text(field, value);
            }
        }
        doc.add_text(f.title, &entry.title);
        doc.add_text(f.body, &entry.body);
        for text in [&entry.title, &entry.body] {
            doc.add_text(f.stems, text);
            doc.add_text(f.grams, text);
        }
        self.writer
            .delete_term(Term::from_field_text(f.id, &entry.id));
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Removes the entry with this id (nothing if there is none). Visible after
    /// [`Self::commit`].
    pub fn remove(&mut self, id: &str) -> Result<(), SearchError> {
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, id));
        Ok(())
    }

    /// Writes the pending changes and makes them visible to searches.
    pub fn commit(&mut self) -> Result<(), SearchError> {
        self.writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Number of committed entries.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether no entry is committed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes used: the files of the index directory, or the segments of an in-memory index.
    pub fn size_on_disk(&self) -> Result<u64, SearchError> {
        match &self.dir {
            Some(dir) => {
                let io = |source| SearchError::Io {
                    dir: dir.display().to_string(),
                    source,
                };
                let mut total = 0;
                for file in std::fs::read_dir(dir).map_err(io)? {
                    let meta = file.map_err(io)?.metadata().map_err(io)?;
                    if meta.is_file() {
                        total += meta.len();
                    }
                }
                Ok(total)
            }
            None => {
                let usage =
                    self.reader
                        .searcher()
                        .space_usage()
                        .map_err(|source| SearchError::Io {
                            dir: "memory".into(),
                            source,
                        })?;
                Ok(usage.total().get_bytes())
            }
        }
    }

    /// Searches: every word of the text must match; filters and the caller's access levels
    /// apply. Errors on an empty or unreadable query.
    pub fn search(&self, query: &Query) -> Result<Hits, SearchError> {
        let mut words = self.words.clone();
        let mut stems = self.stems.clone();
        let plan = Plan::new(query, &mut words, &mut stems)?;
        if query.allowed_access.is_empty() || query.limit == 0 {
            return Ok(Hits {
                total: 0,
                hits: Vec::new(),
            });
        }
        let tantivy_query = plan.to_query(query, &self.fields);
        let searcher = self.reader.searcher();
        let limit = query.limit.min(MAX_LIMIT);
        let collector = (
            Count,
            TopDocs::with_limit(limit)
                .and_offset(query.offset)
                .order_by_score(),
        );
        let (total, top) = searcher.search(&*tantivy_query, &collector)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            hits.push(self.hit(&searcher, address, score, &plan, &mut words, &mut stems)?);
        }
        Ok(Hits { total, hits })
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        score: f32,
        plan: &Plan,
        words: &mut TextAnalyzer,
        stems: &mut TextAnalyzer,
    ) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field: Field| -> String {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let title = text(self.fields.title);
        let body = text(self.fields.body);
        let title_highlights = snippet::highlights(&title, plan, words, stems);
        let (snippet, highlights) = snippet::snippet(&body, plan, words, stems);
        Ok(Hit {
            id: text(self.fields.id),
            kind: text(self.fields.kind),
            title,
            score,
            snippet,
            highlights,
            title_highlights,
        })
    }
}

/// Refuses entries that cannot be found or filtered correctly.
fn validate(entry: &Entry) -> Result<(), SearchError> {
    let bad = |field, problem: &str| SearchError::InvalidEntry {
        id: entry.id.clone(),
        field,
        problem: problem.to_string(),
    };
    if entry.id.trim().is_empty() {
        return Err(bad("id", "is empty"));
    }
    if entry.kind.trim().is_empty() {
        return Err(bad("kind", "is empty"));
    }
    if entry.access.trim().is_empty() {
        return Err(bad(
            "access",
            "is empty (give public, regional or national)",
        ));
    }
    if entry.title.trim().is_empty() && entry.body.trim().is_empty() {
        return Err(bad("title", "and body are both empty: nothing to search"));
    }
    Ok(())
}

/// Names what went wrong opening an index.
fn open_error(dir: &str, error: TantivyError) -> SearchError {
    match error {
        TantivyError::LockFailure(..) => SearchError::Locked(dir.to_string()),
        TantivyError::DataCorruption(_)
        | TantivyError::SchemaError(_)
        | TantivyError::IncompatibleIndex(_)
        | TantivyError::OpenReadError(_)
        | TantivyError::DeserializeError(_) => SearchError::Corrupt {
            dir: dir.to_string(),
            detail: error.to_string(),
        },
        other => SearchError::Engine(other),
    }
}
