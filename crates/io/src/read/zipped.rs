//! Zip archives (zipped Shapefiles, KMZ, ODK Central exports): entries read into memory by
//! name, never written to disk.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::usage;
use crate::IoError;

/// An open zip archive and the names of its files.
pub(super) struct Archive {
    zip: zip::ZipArchive<File>,
    names: Vec<String>,
    /// The archive's path, for messages.
    pub path: PathBuf,
}

impl Archive {
    /// Opens a zip; one that is not a zip, or is truncated, is a usage error.
    pub fn open(path: &Path) -> Result<Self, IoError> {
        let file =
            File::open(path).map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
        let zip = zip::ZipArchive::new(file).map_err(|e| {
            usage(format!(
                "{} is not a readable zip archive ({e}); check that the file is complete",
                path.display()
            ))
        })?;
        let names = zip
            .file_names()
            .filter_map(Result::ok)
            .filter(|n| !n.ends_with('/'))
            .map(|n| n.into_owned())
            .collect();
        Ok(Self {
            zip,
            names,
            path: path.to_path_buf(),
        })
    }

    /// Names of its files (not folders), in archive order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The bytes of one file.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, IoError> {
        let fail = |e: String| {
            usage(format!(
                "cannot read {name} in {} ({e}); check that the zip is complete",
                self.path.display()
            ))
        };
        let mut entry = self.zip.by_name(name).map_err(|e| fail(e.to_string()))?;
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| fail(e.to_string()))?;
        Ok(bytes)
    }
}
