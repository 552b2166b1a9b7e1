//! The demo's library: documents of the region in its seven languages, written as real files
//! (DOCX, PDF) or video links, stored through the same path as an upload, then indexed.

use std::io::Write;
use std::path::Path;

use safeground_demo::library::{DOCUMENTS, DemoFile, SECOND_EDITION};
use safeground_library::samples;
use safeground_server::library::LibraryCell;
use safeground_store::library::DocumentMeta;
use safeground_store::{Location, SqliteStore};

use crate::library::{Source, commit};

const ACTOR: &str = "admin";

/// Adds the demo library beside `db` (in `db`'s `.library` folder); how many documents.
pub fn populate(db: &Path, store: &mut SqliteStore) -> anyhow::Result<usize> {
    let cell = LibraryCell::new(None, &Location::Sqlite(db.to_owned()), u64::MAX);
    let library = cell.get()?;
    let mut first = None;
    for d in DOCUMENTS {
        let meta = DocumentMeta {
            title: d.title.into(),
            language: d.language.into(),
            country: d.country.map(Into::into),
            doc_type: d.doc_type.into(),
            imas_topic: d.imas_topic.map(Into::into),
            access: d.access.into(),
            organisation: Some(d.organisation.into()),
        };
        let bytes = match d.file {
            DemoFile::Docx => samples::docx(d.paragraphs),
            DemoFile::Pdf => samples::pdf(d.paragraphs),
            DemoFile::Link(_) => Vec::new(),
        };
        let source = match d.file {
            DemoFile::Link(url) => Source::Link(url.to_owned()),
            _ => Source::Bytes(&bytes, d.file_name),
        };
        let doc = commit(&library, store, source, None, u64::MAX, |s, c, t| {
            s.add_document(ACTOR, &meta, c, t)
        })?;
        first.get_or_insert(doc.id);
    }
    if let Some(id) = first {
        let bytes = samples::pdf(SECOND_EDITION);
        commit(
            &library,
            store,
            Source::Bytes(&bytes, "cmas-07-11-land-release-2.pdf"),
            Some("second edition: released land outside hazards".to_owned()),
            u64::MAX,
            |s, c, t| s.add_document_version(ACTOR, id, c, t),
        )?;
    }
    Ok(DOCUMENTS.len())
}

/// Prints what the demo library holds.
pub fn print(count: usize, db: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "Library: {count} documents in English, Khmer, Lao, Thai, Vietnamese, Burmese and \
         Azerbaijani (files in {}), searchable on the Library page or with `safeground library \
         search {} WORD`.",
        db.with_extension("library").display(),
        db.display()
    )?;
    Ok(())
}
