//! Text extraction and refusals on real files made here: a PDF written with lopdf's object
//! model, a DOCX zipped by hand, and damaged or protected variants of both.

use std::io::Write;

use pdf_extract::{Dictionary, Document, Object, Stream, dictionary};
use safeground_library::{FileKind, Folder, LibraryError, extract_text};

/// A one-page PDF showing `line` in Helvetica.
fn pdf(line: &str) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let content = format!("BT /F1 24 Tf 72 700 Td ({line}) Tj ET");
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A DOCX whose body holds `paragraphs`.
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
        .collect();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
    .unwrap();
    zip.finish().unwrap();
    buf.into_inner()
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
        "Quality management &amp; QA",
        "ការបោសសម្អាតមីន",
        "Rà phá bom mìn tại Quảng Trị",
    ]))
    .unwrap();
    assert_eq!(
        text,
        "Quality management & QA\nការបោសសម្អាតមីន\nRà phá bom mìn tại Quảng Trị"
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
