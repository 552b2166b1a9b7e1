//! The demo's library: documents of the region in its seven languages, written as real files
//! (DOCX, PDF) or video links, stored through the same path as an upload, then indexed.

use std::io::Write;
use std::path::Path;

use safeground_demo::library::{DOCUMENTS, DemoFile, SECOND_EDITION};
use safeground_library::samples;
use safeground_server::library::{Library, LibraryCell, file_content, link_content};
use safeground_store::library::{DocumentMeta, VersionContent};
use safeground_store::{Location, SqliteStore};

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
            DemoFile::Docx => Some(samples::docx(d.paragraphs)),
            DemoFile::Pdf => Some(samples::pdf(d.paragraphs)),
            DemoFile::Link(_) => None,
        };
        let link = match d.file {
            DemoFile::Link(url) => Some(url),
            _ => None,
        };
        let doc = add(
            &library,
            store,
            bytes,
            link,
            d.file_name,
            None,
            |s, c, t| s.add_document(ACTOR, &meta, c, t),
        )?;
        first.get_or_insert(doc);
    }
    if let Some(id) = first {
        add(
            &library,
            store,
            Some(samples::pdf(SECOND_EDITION)),
            None,
            "cmas-07-11-land-release-2.pdf",
            Some("second edition: released land outside hazards"),
            |s, c, t| s.add_document_version(ACTOR, id, c, t),
        )?;
    }
    Ok(DOCUMENTS.len())
}

/// Stores one version (file bytes or link) all or nothing; the document's id.
fn add(
    library: &Library,
    store: &mut SqliteStore,
    bytes: Option<Vec<u8>>,
    link: Option<&str>,
    file_name: &str,
    note: Option<&str>,
    write: impl FnOnce(
        &mut dyn safeground_store::Backend,
        &VersionContent,
        &str,
    ) -> safeground_store::Result<safeground_store::library::LibraryDocument>,
) -> anyhow::Result<i64> {
    let note = note.map(str::to_owned);
    let (content, text, received) = match (bytes, link) {
        (Some(bytes), _) => {
            let mut intake = library.folder.intake(u64::MAX)?;
            intake.write(&bytes)?;
            let received = intake.finish()?;
            let (content, text) = file_content(&received, Some(file_name.to_owned()), note)?;
            (content, text, Some(received))
        }
        (None, Some(link)) => (link_content(link.to_owned(), note), String::new(), None),
        (None, None) => anyhow::bail!("demo document {file_name} has neither file nor link"),
    };
    let doc = library.commit_version(store, received, &text, |s| write(s, &content, &text))?;
    Ok(doc.id)
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
