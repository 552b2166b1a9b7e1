//! Errors of import and export.

use safeground_store::StoreError;

/// What can go wrong when reading or writing a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IoError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The file could not be written.
    #[error("cannot write: {0}")]
    Write(#[from] std::io::Error),
    /// The GeoPackage could not be written.
    #[error("cannot write the GeoPackage: {0}")]
    GeoPackage(#[from] rusqlite::Error),
    /// A format, collection or option that does not exist.
    #[error("{0}")]
    Usage(String),
}
