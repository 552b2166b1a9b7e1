//! An upload streamed to a temporary file: size limit and SHA-256 as the bytes arrive.

use std::io::Write;
use std::path::Path;

use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

use crate::{FileKind, LibraryError};

/// Bytes kept from the start of the file to tell its kind.
const HEAD: usize = 16;

/// An upload in progress. Dropping it (or a refusal) removes the temporary file.
pub struct Intake {
    file: NamedTempFile,
    hasher: Sha256,
    size: u64,
    limit: u64,
    head: Vec<u8>,
}

/// A complete upload, not yet in the folder (dropping it removes the file).
pub struct Received {
    /// The temporary file.
    pub(crate) file: NamedTempFile,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Its kind, told from its first bytes.
    pub kind: FileKind,
}

impl Received {
    /// Where the bytes are while the upload is checked.
    pub fn path(&self) -> &Path {
        self.file.path()
    }
}

impl Intake {
    /// Starts an upload into a temporary file in `dir`, refusing more than `limit` bytes.
    pub fn new(dir: &Path, limit: u64) -> Result<Self, LibraryError> {
        std::fs::create_dir_all(dir).map_err(|e| LibraryError::io(dir, e))?;
        let file = tempfile::Builder::new()
            .prefix("upload-")
            .tempfile_in(dir)
            .map_err(|e| LibraryError::io(dir, e))?;
        Ok(Intake {
            file,
            hasher: Sha256::new(),
            size: 0,
            limit,
            head: Vec::with_capacity(HEAD),
        })
    }

    /// Appends the next bytes; refuses (and the caller drops the intake) past the limit.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), LibraryError> {
        self.size += bytes.len() as u64;
        if self.size > self.limit {
            return Err(LibraryError::TooLarge { limit: self.limit });
        }
        if self.head.len() < HEAD {
            let take = (HEAD - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
        }
        self.hasher.update(bytes);
        let path = self.file.path().to_owned();
        self.file
            .write_all(bytes)
            .map_err(|e| LibraryError::io(&path, e))
    }

    /// Ends the upload: the file flushed to disk, its hash and kind; an empty file or one of
    /// no known kind is refused.
    pub fn finish(mut self) -> Result<Received, LibraryError> {
        if self.size == 0 {
            return Err(LibraryError::Empty);
        }
        let kind = FileKind::sniff(&self.head).ok_or_else(|| LibraryError::Unsupported {
            found: FileKind::describe_unknown(&self.head),
        })?;
        let path = self.file.path().to_owned();
        self.file
            .as_file_mut()
            .sync_all()
            .map_err(|e| LibraryError::io(&path, e))?;
        let sha256 = self
            .hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Received {
            file: self.file,
            sha256,
            size: self.size,
            kind,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hashes_counts_and_limits() {
        let dir = tempfile::tempdir().unwrap();
        let mut intake = Intake::new(dir.path(), 100).unwrap();
        intake.write(b"%PDF-1.4\n").unwrap();
        intake.write(b"rest").unwrap();
        let r = intake.finish().unwrap();
        assert_eq!(r.size, 13);
        assert_eq!(r.kind, FileKind::Pdf);
        // sha256("%PDF-1.4\nrest"), computed with `printf '%%PDF-1.4\nrest' | sha256sum`.
        assert_eq!(
            r.sha256,
            "ff9d983965066d07869ee69864105e53e1ccb7f600d6cac9deb197723a29c0c1"
        );
        let mut big = Intake::new(dir.path(), 10).unwrap();
        assert!(matches!(
            big.write(&[0u8; 11]),
            Err(LibraryError::TooLarge { limit: 10 })
        ));
        drop(big);
        drop(r);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no file left"
        );
    }
}
