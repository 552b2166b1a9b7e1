//! `safeground library`: the document library from the command line — add documents (files
//! or video links) and versions, list them, search documents and records, rebuild the index.
//! The same checks and the same all-or-nothing storing as `POST /api/library`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use safeground_search::{Filters, Query};
use safeground_server::library::{
    DEFAULT_MAX_BYTES, Library, LibraryCell, file_content, library_error, link_content,
};
use safeground_store::library::{
    ACCESS, DocumentMeta, LibraryDocument, VersionContent, checked_meta,
};
use safeground_store::{AnyStore, Backend, Location, Result as StoreResult};

/// Where the library is and who acts.
#[derive(Args, Debug)]
pub struct LibraryAt {
    /// Database: a file, `sqlite:PATH`, or `postgres://…`.
    pub db: Location,
    /// The library's folder (default: beside the SQLite file, `demo.library/`).
    #[arg(long, env = "SAFEGROUND_LIBRARY_DIR")]
    pub library_dir: Option<PathBuf>,
    /// Name written in the audit log.
    #[arg(long, default_value = "cli")]
    pub actor: String,
}

/// A document's description.
#[derive(Args, Debug)]
pub struct Describe {
    /// Title as written on the document.
    #[arg(long)]
    pub title: String,
    /// Language: en, km, lo, th, my, vi or az.
    #[arg(long)]
    pub language: String,
    /// national_standard, sop, lessons_learned, research, risk_education_material,
    /// training_material.
    #[arg(long)]
    pub doc_type: String,
    /// public, regional or national.
    #[arg(long, default_value = "national")]
    pub access: String,
    /// ISO 3166-1 alpha-3 code of the country it is about.
    #[arg(long)]
    pub country: Option<String>,
    /// IMAS number of its topic (09.10).
    #[arg(long)]
    pub imas_topic: Option<String>,
    /// The issuing organisation.
    #[arg(long)]
    pub organisation: Option<String>,
}

/// Actions of `safeground library`.
#[derive(Subcommand, Debug)]
pub enum LibraryCommand {
    /// Add a document: a file (PDF, DOCX, PNG, JPEG, WebP) or, with --link, a video link.
    Add {
        #[command(flatten)]
        at: LibraryAt,
        #[command(flatten)]
        describe: Describe,
        /// The file (omit with --link).
        #[arg(required_unless_present = "link", conflicts_with = "link")]
        file: Option<PathBuf>,
        /// A link (https://…) instead of a file.
        #[arg(long)]
        link: Option<String>,
        /// Largest file accepted, MiB.
        #[arg(long, default_value_t = DEFAULT_MAX_BYTES / (1024 * 1024))]
        max_mb: u64,
    },
    /// Add a version to document ID: a new file or, with --link, a link.
    Version {
        #[command(flatten)]
        at: LibraryAt,
        /// Document id.
        id: i64,
        /// The file (omit with --link).
        #[arg(required_unless_present = "link", conflicts_with = "link")]
        file: Option<PathBuf>,
        /// A link (https://…) instead of a file.
        #[arg(long)]
        link: Option<String>,
        /// What changed.
        #[arg(long)]
        note: Option<String>,
        /// Largest file accepted, MiB.
        #[arg(long, default_value_t = DEFAULT_MAX_BYTES / (1024 * 1024))]
        max_mb: u64,
    },
    /// List every document, newest first.
    List {
        /// Database.
        db: Location,
    },
    /// Search documents and records (every word must match; "quotes" for a phrase).
    Search {
        #[command(flatten)]
        at: LibraryAt,
        /// What to find.
        query: String,
        /// document, hazard, activity, eo_find, accident, risk_education, qa_visit, organisation.
        #[arg(long)]
        kind: Option<String>,
        /// Documents in this language only.
        #[arg(long)]
        language: Option<String>,
        /// Country code.
        #[arg(long)]
        country: Option<String>,
        /// Document type.
        #[arg(long)]
        doc_type: Option<String>,
        /// Hits shown.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// Rebuild the search index from the database (after restoring a backup, or when the
    /// index was deleted).
    Reindex {
        #[command(flatten)]
        at: LibraryAt,
    },
}

fn open(at: &LibraryAt) -> anyhow::Result<(AnyStore, std::sync::Arc<Library>)> {
    let store = at.db.open().with_context(|| format!("opening {}", at.db))?;
    let cell = LibraryCell::new(at.library_dir.clone(), &at.db, DEFAULT_MAX_BYTES);
    Ok((store, cell.get()?))
}

/// What a version is made of.
pub(crate) enum Source<'a> {
    /// The file at this path.
    Path(&'a Path),
    /// A file's bytes and its name.
    Bytes(&'a [u8], &'a str),
    /// A link (https://…) instead of a file.
    Link(String),
}

/// A file streamed from `reader` into the library's intake (never whole in memory), refused
/// past `max_bytes`; `shown` names it in errors.
fn receive(
    library: &Library,
    reader: &mut dyn Read,
    shown: &str,
    max_bytes: u64,
) -> anyhow::Result<safeground_library::Received> {
    let mut intake = library.folder.intake(max_bytes).map_err(library_error)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader
            .read(&mut buf)
            .with_context(|| format!("reading {shown}"))?;
        if n == 0 {
            break;
        }
        intake
            .write(&buf[..n])
            .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    }
    intake.finish().map_err(|e| anyhow::anyhow!("{shown}: {e}"))
}

/// Stores one version of `source` through `write` (which adds the document or the version),
/// all or nothing, as an upload does: the file checked and its text extracted, then
/// [`Library::commit_version`].
pub(crate) fn commit(
    library: &Library,
    store: &mut dyn Backend,
    source: Source<'_>,
    note: Option<String>,
    max_bytes: u64,
    write: impl FnOnce(&mut dyn Backend, &VersionContent, &str) -> StoreResult<LibraryDocument>,
) -> anyhow::Result<LibraryDocument> {
    let file = |reader: &mut dyn Read, name: Option<String>, shown: &str| {
        let received = receive(library, reader, shown, max_bytes)?;
        let (content, text) = file_content(&received, name, note.clone())
            .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
        anyhow::Ok((content, text, Some(received)))
    };
    let (content, text, received) = match source {
        Source::Path(path) => {
            let shown = path.display().to_string();
            let mut reader =
                std::fs::File::open(path).with_context(|| format!("opening {shown}"))?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            file(&mut reader, name, &shown)?
        }
        Source::Bytes(mut bytes, name) => file(&mut bytes, Some(name.to_owned()), name)?,
        Source::Link(link) => (link_content(link, note.clone()), String::new(), None),
    };
    Ok(library.commit_version(store, received, &text, |s| write(s, &content, &text))?)
}

/// The source given on the command line: a file or `--link`.
fn source(file: Option<&Path>, link: Option<String>) -> anyhow::Result<Source<'_>> {
    match (file, link) {
        (Some(path), None) => Ok(Source::Path(path)),
        (None, Some(link)) => Ok(Source::Link(link)),
        _ => bail!("give a file or --link, not both"),
    }
}

fn describe(d: &LibraryDocument) -> String {
    let v = d.current();
    format!(
        "{:>5}  {:<2}  {:<3}  {:<24} {:<8}  v{}  {}{}",
        d.id,
        d.meta.language,
        d.meta.country.as_deref().unwrap_or("-"),
        d.meta.doc_type,
        d.meta.access,
        v.map_or(0, |v| v.version),
        d.meta.title,
        v.and_then(|v| v.content.link.as_deref())
            .map(|l| format!("  <{l}>"))
            .unwrap_or_default()
    )
}

/// Runs a `library` action.
pub fn run(action: LibraryCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match action {
        LibraryCommand::Add {
            at,
            describe: d,
            file,
            link,
            max_mb,
        } => {
            let meta = checked_meta(&DocumentMeta {
                title: d.title,
                language: d.language,
                country: d.country,
                doc_type: d.doc_type,
                imas_topic: d.imas_topic,
                access: d.access,
                organisation: d.organisation,
            })?;
            let (mut store, library) = open(&at)?;
            let doc = commit(
                &library,
                store.as_mut(),
                source(file.as_deref(), link)?,
                None,
                max_mb * 1024 * 1024,
                |s, c, t| s.add_document(&at.actor, &meta, c, t),
            )?;
            writeln!(out, "added document {}: {}", doc.id, describe(&doc).trim())?;
        }
        LibraryCommand::Version {
            at,
            id,
            file,
            link,
            note,
            max_mb,
        } => {
            let (mut store, library) = open(&at)?;
            // A document received from another programme is read-only here.
            safeground_server::library_exchange::ensure_own(store.as_ref(), id)?;
            let doc = commit(
                &library,
                store.as_mut(),
                source(file.as_deref(), link)?,
                note,
                max_mb * 1024 * 1024,
                |s, c, t| s.add_document_version(&at.actor, id, c, t),
            )?;
            writeln!(
                out,
                "document {id} is now at version {}",
                doc.current().map_or(0, |v| v.version)
            )?;
        }
        LibraryCommand::List { db } => {
            let store = db.open().with_context(|| format!("opening {db}"))?;
            let docs = store.library_documents()?;
            let owners = store.library_owners()?;
            writeln!(
                out,
                "{:>5}  {:<2}  {:<3}  {:<24} {:<8}  ver title",
                "id", "la", "cty", "type", "access"
            )?;
            for d in &docs {
                match owners.get(&d.id) {
                    // Received from another programme: read-only here.
                    Some(owner) => writeln!(out, "{}  (from {owner})", describe(d))?,
                    None => writeln!(out, "{}", describe(d))?,
                }
            }
            writeln!(out, "{} document(s)", docs.len())?;
        }
        LibraryCommand::Search {
            at,
            query,
            kind,
            language,
            country,
            doc_type,
            limit,
        } => {
            let (store, library) = open(&at)?;
            let mut q = Query::new(query, ACCESS.iter().map(|a| (*a).to_owned()).collect());
            q.filters = Filters {
                kind,
                language: language.map(|l| l.parse()).transpose()?,
                country: country.map(|c| c.to_uppercase()),
                doc_type,
                ..Filters::default()
            };
            q.limit = limit.clamp(1, 100);
            let hits = library.search(store.as_ref(), &q)?;
            for h in &hits.hits {
                writeln!(out, "{:<16} {:<14} {}", h.id, h.kind, h.title)?;
                if !h.snippet.is_empty() {
                    writeln!(out, "    {}", marked(&h.snippet, &h.highlights))?;
                }
            }
            writeln!(out, "{} match(es)", hits.total)?;
        }
        LibraryCommand::Reindex { at } => {
            let (store, library) = open(&at)?;
            let entries = library.rebuild(store.as_ref())?;
            writeln!(out, "search index rebuilt: {entries} entries")?;
        }
    }
    Ok(())
}

/// `snippet` with each highlighted range in [brackets].
fn marked(snippet: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(a, b) in ranges {
        if a < at
            || b > snippet.len()
            || !snippet.is_char_boundary(a)
            || !snippet.is_char_boundary(b)
        {
            continue;
        }
        out.push_str(&snippet[at..a]);
        out.push('[');
        out.push_str(&snippet[a..b]);
        out.push(']');
        at = b;
    }
    out.push_str(&snippet[at..]);
    out.replace('\n', " ")
}
