//! What can go wrong when building or writing a report.

use safeground_store::StoreError;

/// An error of [`Report::build`](crate::Report::build) or of a writer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A parameter that cannot be used (unknown organisation, period ending before it starts).
    #[error("{0}")]
    Parameters(String),
    /// The store gave figures that do not fit together.
    #[error("inconsistent data: {0}")]
    Inconsistent(String),
    /// A CSV file could not be written.
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The workbook could not be written.
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}
