//! The library's files: an upload is streamed to a temporary file in the library folder while
//! its size is checked against a limit and its SHA-256 computed ([`Intake`]); its kind is told
//! from its first bytes, never from its name ([`FileKind`]); its text is extracted for search
//! ([`extract_text`]: PDF, DOCX; images have none), refusing encrypted or corrupt files; then
//! it is moved to its content address in the folder ([`Folder`]). Nothing is half-stored: a
//! refused upload leaves no file, and a stored file is only referenced once the metadata
//! transaction that names it commits (an orphan left by a crash in between is harmless and
//! named by `Folder::orphans`).

mod error;
mod extract;
mod folder;
mod intake;
mod kind;
pub mod samples;

pub use error::LibraryError;
pub use extract::{MAX_TEXT_BYTES, extract_text};
pub use folder::Folder;
pub use intake::{Intake, Received};
pub use kind::FileKind;
