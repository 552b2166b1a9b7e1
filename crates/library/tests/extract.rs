#![allow(clippy::unwrap_used)]
//! Text extraction and refusals on real files made here: a PDF written with lopdf's object
//! model, a DOCX zipped by hand, and damaged or protected variants of both.

use std::io::Write;

use pdf_extract::{Document, Object, dictionary};
use safeground_library::{FileKind, Folder, LibraryError, extract_text, samples};

fn pdf(line: &str) -> Vec<u8> {
    samples::pdf(&[line])
}

fn docx(paragraphs: &[&str]) -> Vec<u8> {
    samples::docx(paragraphs)
}

fn text_of(bytes: &[u8]) -> Result<String, LibraryError> {
    let dir = tempfile::tempdir().unwrap();
    let folder = Folder::new(dir.path());
    let mut intake = folder.intake(1 << 20)?;
    intake.write(bytes)?;
    let received = intake.finish()?;
    extract_text(received.kind, received.path())
}

#[test]
fn pdf_text_is_extracted() {
    let text = text_of(&pdf("Clearance of Ban Nakham minefield")).unwrap();
    assert!(
        text.contains("Clearance of Ban Nakham minefield"),
        "{text:?}"
    );
}

#[test]
fn docx_text_is_extracted_with_entities_and_scripts() {
    let text = text_of(&docx(&[
        "Quality management & QA <b>",
        "ការបោសសម្អាតមីន",
        "Rà phá bom mìn tại Quảng Trị",
    ]))
    .unwrap();
    assert_eq!(
        text,
        "Quality management & QA <b>\nការបោសសម្អាតមីន\nRà phá bom mìn tại Quảng Trị"
    );
}

#[test]
fn damaged_and_protected_files_are_refused() {
    let good = pdf("Truncated");
    let err = text_of(&good[..good.len() / 3]).unwrap_err();
    assert!(
        matches!(err, LibraryError::Corrupt { kind: "PDF", .. }),
        "{err}"
    );
    assert!(err.to_string().contains("damaged"), "{err}");

    // An /Encrypt dictionary whose key cannot be derived from an empty password.
    let mut doc = Document::load_mem(&pdf("Secret")).unwrap();
    let encrypt = doc.add_object(dictionary! {
        "Filter" => "Standard", "V" => 2, "R" => 3, "Length" => 128, "P" => -44,
        "O" => Object::string_literal(vec![7u8; 32]), "U" => Object::string_literal(vec![9u8; 32]),
    });
    doc.trailer.set("Encrypt", encrypt);
    doc.trailer.set(
        "ID",
        vec![
            Object::string_literal(vec![1u8; 16]),
            Object::string_literal(vec![1u8; 16]),
        ],
    );
    let mut protected = Vec::new();
    doc.save_to(&mut protected).unwrap();
    let err = text_of(&protected).unwrap_err();
    assert!(matches!(err, LibraryError::Encrypted), "{err}");
    assert!(err.to_string().contains("unprotected copy"), "{err}");

    let not_word = {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file("data.csv", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"a,b\n").unwrap();
        zip.finish().unwrap();
        buf.into_inner()
    };
    let err = text_of(&not_word).unwrap_err();
    assert!(err.to_string().contains("no Word document"), "{err}");

    let err = text_of(b"<html><body>not a document</body></html>").unwrap_err();
    assert!(err.to_string().contains("plain text or HTML"), "{err}");
    assert!(matches!(text_of(b""), Err(LibraryError::Empty)));
}

#[test]
fn images_have_no_text() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_eq!(FileKind::sniff(png), Some(FileKind::Png));
    assert_eq!(text_of(png).unwrap(), "");
}
