//! A file's kind from its first bytes.

use serde::Serialize;

/// The kinds of file the library takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// Portable Document Format.
    Pdf,
    /// Word document (Office Open XML).
    Docx,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// WebP image.
    Webp,
}

impl FileKind {
    /// The kind of a file starting with `head` (its first bytes, at least 12 where the file
    /// has them); a ZIP is taken as DOCX here and confirmed when its text is read.
    pub fn sniff(head: &[u8]) -> Option<FileKind> {
        if head.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if head.starts_with(b"PK\x03\x04") {
            Some(FileKind::Docx)
        } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
            Some(FileKind::Webp)
        } else {
            None
        }
    }

    /// The media type served with the file.
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Webp => "image/webp",
        }
    }

    /// Its usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpg",
            FileKind::Webp => "webp",
        }
    }

    /// The kind named by `media_type` (as stored).
    pub fn from_media_type(media_type: &str) -> Option<FileKind> {
        [
            FileKind::Pdf,
            FileKind::Docx,
            FileKind::Png,
            FileKind::Jpeg,
            FileKind::Webp,
        ]
        .into_iter()
        .find(|k| k.media_type() == media_type)
    }

    /// A short description of bytes that are no known kind, for the refusal.
    pub fn describe_unknown(head: &[u8]) -> String {
        if head.is_empty() {
            return "empty".into();
        }
        let text = head
            .iter()
            .take(64)
            .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace());
        if text {
            "plain text or HTML".into()
        } else {
            let hex: Vec<String> = head.iter().take(4).map(|b| format!("{b:02x}")).collect();
            format!("starts with bytes {}", hex.join(" "))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_bytes() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"PK\x03\x04rest"), Some(FileKind::Docx));
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(FileKind::Png)
        );
        assert_eq!(
            FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(FileKind::Jpeg)
        );
        assert_eq!(
            FileKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(FileKind::Webp)
        );
        assert_eq!(FileKind::sniff(b"<html>"), None);
        assert_eq!(FileKind::describe_unknown(b"<html>"), "plain text or HTML");
        assert_eq!(
            FileKind::describe_unknown(&[0, 1, 2, 3, 4]),
            "starts with bytes 00 01 02 03"
        );
        for k in [
            FileKind::Pdf,
            FileKind::Docx,
            FileKind::Png,
            FileKind::Jpeg,
            FileKind::Webp,
        ] {
            assert_eq!(FileKind::from_media_type(k.media_type()), Some(k));
        }
    }
}
