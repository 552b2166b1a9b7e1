//! The text of a library file, for search: PDF through `pdf-extract` (which reads fonts'
//! ToUnicode maps, so Khmer or Thai text comes back as text), DOCX from its
//! `word/document.xml`; images carry no text.

use std::io::{BufReader, Read};
use std::path::Path;

use pdf_extract::{Document, OutputError, PlainTextOutput, output_doc};
use quick_xml::Reader;
use quick_xml::events::Event;

use crate::{FileKind, LibraryError};

/// Most bytes of text kept per file (the rest is not searchable).
pub const MAX_TEXT_BYTES: usize = 4 << 20;

/// Most bytes a DOCX's document part may inflate to (a larger one is a ZIP bomb, not a
/// document).
const MAX_DOCX_XML: u64 = 256 << 20;

/// The text of the file at `path` of kind `kind` (empty for images), at most
/// [`MAX_TEXT_BYTES`]; encrypted and damaged files are refused.
pub fn extract_text(kind: FileKind, path: &Path) -> Result<String, LibraryError> {
    let text = match kind {
        FileKind::Pdf => pdf_text(path)?,
        FileKind::Docx => docx_text(path)?,
        FileKind::Png | FileKind::Jpeg | FileKind::Webp => String::new(),
    };
    Ok(truncate(tidy(&text), MAX_TEXT_BYTES))
}

fn pdf_text(path: &Path) -> Result<String, LibraryError> {
    let corrupt = |detail: String| LibraryError::Corrupt {
        kind: "PDF",
        detail,
    };
    let mut doc = Document::load(path).map_err(|e| corrupt(e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(LibraryError::Encrypted);
    }
    if doc.is_encrypted() || doc.trailer.get(b"Encrypt").is_ok() {
        // Readable without a password but still protected: its text may be unreadable and
        // readers may refuse to copy it; the library keeps open documents only.
        return Err(LibraryError::Encrypted);
    }
    if doc.get_pages().is_empty() {
        return Err(corrupt("it has no pages".into()));
    }
    let mut text = String::new();
    // pdf-extract panics on some malformed content streams rather than returning an error.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut out = PlainTextOutput::new(&mut text);
        output_doc(&doc, &mut out)
    }));
    match result {
        Ok(Ok(())) => Ok(text),
        Ok(Err(OutputError::PdfError(e))) => Err(corrupt(e.to_string())),
        Ok(Err(e)) => Err(corrupt(e.to_string())),
        Err(_) => Err(corrupt("its text could not be read".into())),
    }
}

fn docx_text(path: &Path) -> Result<String, LibraryError> {
    let corrupt = |detail: String| LibraryError::Corrupt {
        kind: "DOCX",
        detail,
    };
    let file = std::fs::File::open(path).map_err(|e| LibraryError::io(path, e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| corrupt(e.to_string()))?;
    let part = match zip.by_name("word/document.xml") {
        Ok(part) => part,
        Err(zip::result::ZipError::FileNotFound) => {
            return Err(LibraryError::Unsupported {
                found: "a ZIP archive that is no Word document".into(),
            });
        }
        Err(e) => return Err(corrupt(e.to_string())),
    };
    let mut reader = Reader::from_reader(BufReader::new(part.take(MAX_DOCX_XML)));
    let mut text = String::new();
    let mut in_text = false;
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| corrupt(format!("word/document.xml: {e}")))?;
        match event {
            Event::Start(e) if e.local_name().into_inner() == "t" => in_text = true,
            Event::End(e) => match e.local_name().into_inner() {
                "t" => in_text = false,
                "p" => text.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().into_inner() {
                "tab" => text.push('\t'),
                "br" | "cr" => text.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(&t.xml10_content()),
            Event::CData(c) if in_text => text.push_str(&c),
            Event::GeneralRef(r) if in_text => match r.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                _ => text
                    .push_str(quick_xml::escape::resolve_predefined_entity(&r).unwrap_or_default()),
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
        if text.len() > MAX_TEXT_BYTES {
            break;
        }
    }
    Ok(text)
}

/// Runs of blank lines and trailing spaces removed.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_owned()
}

/// `text` cut to at most `max` bytes at a character boundary.
fn truncate(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tidies_and_truncates_at_char_boundaries() {
        assert_eq!(tidy("a  \n\n\n\nb\n"), "a\n\nb");
        assert_eq!(truncate("ខ្មែរ".into(), 4), "ខ");
        assert_eq!(truncate("abc".into(), 10), "abc");
    }
}
