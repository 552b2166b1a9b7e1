//! Why a file was refused.

/// A refused or failed library file.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// The upload passed the size limit.
    #[error(
        "the file is larger than the limit of {limit} bytes; split it, compress its images, or ask an administrator to raise `--library-max-mb`"
    )]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The upload was empty.
    #[error("the file is empty; choose the file again")]
    Empty,
    /// Not a kind the library takes.
    #[error(
        "unsupported file type ({found}); the library takes PDF, DOCX, PNG, JPEG and WebP files — for a video, give a link instead"
    )]
    Unsupported {
        /// What the first bytes looked like.
        found: String,
    },
    /// An encrypted PDF (its text cannot be read, nor checked).
    #[error("the PDF is encrypted or password-protected; save an unprotected copy and upload that")]
    Encrypted,
    /// A file whose structure is broken.
    #[error(
        "the {kind} file is damaged and cannot be read ({detail}); export it again from the program that made it"
    )]
    Corrupt {
        /// PDF, DOCX, PNG…
        kind: &'static str,
        /// The reader's message.
        detail: String,
    },
    /// A disk error in the library folder.
    #[error("library folder {path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

impl LibraryError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        LibraryError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}
