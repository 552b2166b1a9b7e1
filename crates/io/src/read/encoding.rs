//! Text encodings of source files: UTF-8 by default, a BOM honoured (UTF-8, UTF-16), or the
//! encoding the user names (any encoding_rs label, e.g. `windows-1252`).

use std::path::Path;

use encoding_rs::{Encoding, UTF_8};

use super::{ReadOptions, usage};
use crate::IoError;

/// The encoding `ReadOptions::encoding` names; an unknown label is a usage error.
pub(super) fn from_options(options: &ReadOptions) -> Result<Option<&'static Encoding>, IoError> {
    let Some(label) = options.encoding.as_deref() else {
        return Ok(None);
    };
    Encoding::for_label(label.trim().as_bytes())
        .map(Some)
        .ok_or_else(|| {
            usage(format!(
                "unknown encoding `{label}`; use a label such as utf-8, windows-1252, \
                 iso-8859-1, utf-16le or shift_jis"
            ))
        })
}

/// Text of a file's bytes: a BOM wins, then the given encoding, else strict UTF-8 (whose
/// first bad line is named, with the option that reads it).
pub(super) fn decode(
    bytes: &[u8],
    encoding: Option<&'static Encoding>,
    path: &Path,
) -> Result<String, IoError> {
    if let Some((bom, len)) = Encoding::for_bom(bytes) {
        let rest = &bytes[len..];
        if bom == UTF_8 {
            return strict_utf8(rest, path);
        }
        return bom
            .decode_without_bom_handling_and_without_replacement(rest)
            .map(|t| t.into_owned())
            .ok_or_else(|| {
                usage(format!(
                    "{} starts as {} but is not valid {}; check the file is complete",
                    path.display(),
                    bom.name(),
                    bom.name()
                ))
            });
    }
    match encoding {
        Some(e) if e != UTF_8 => Ok(e.decode_without_bom_handling(bytes).0.into_owned()),
        _ => strict_utf8(bytes, path),
    }
}

fn strict_utf8(bytes: &[u8], path: &Path) -> Result<String, IoError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            Err(usage(format!(
                "{} is not UTF-8 text: line {line} has bytes that are not (a file saved by \
                 Excel or older software is often windows-1252); give its encoding, e.g. \
                 --encoding windows-1252",
                path.display()
            )))
        }
    }
}
