//! Getting a programme's data in. A source file (read by `safeground-io`: GeoJSON,
//! GeoPackage, Shapefile, KML/KMZ, CSV, XLSX, KoboToolbox/ODK submissions) is turned into
//! reports by a [`Mapping`] (TOML or YAML; ready ones ship for IMSMA NG exports and the XLSForm
//! forms), checked record by record (a bad record is refused with the row, field, column and
//! reason and never stops the good ones), checked against the programme (a local id already there
//! is not written again; a suspected twin, same date, type and place under another local id, is
//! held for review), then written in batches, each one transaction with a checkpoint keyed by
//! the file, the mapping and the options, so an interrupted import resumes.

mod build;
mod coords;
mod duplicates;
mod forms;
mod mapping;
mod run;
mod value;

pub use build::{BuildOptions, Built, Refusal, build};
pub use coords::parse_angle;
pub use duplicates::{Duplicates, Verdict};
pub use forms::{FORMS, write_xlsform};
pub use mapping::{
    BUILTIN, EntrySpec, FieldRule, FieldSpec, GeometrySource, ListSpec, Mapping, OneOrMany,
    ReportSpec, ValueType,
};
pub use run::{
    DEFAULT_BATCH_SIZE, Held, Job, Outcome, Plan, RunOptions, Stage, Written, checkpoint_key,
    checkpoint_key_of_file, import, plan, write,
};

/// What can stop an import as a whole.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The mapping file is wrong.
    #[error("mapping: {0}")]
    Mapping(String),
    /// The source file cannot be read.
    #[error(transparent)]
    Io(#[from] safeground_io::IoError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] safeground_store::StoreError),
    /// `--strict` and something was refused.
    #[error("{0}")]
    Strict(String),
}
