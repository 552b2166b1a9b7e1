//! The library folder: files at their content address (`objects/ab/abcdef…`), uploads in
//! progress in `incoming/` on the same disk so that storing one is a rename.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::{Intake, LibraryError, Received};

/// A library folder (created on first use).
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
}

impl Folder {
    /// The folder at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Folder { root: root.into() }
    }

    /// The folder's root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Starts an upload of at most `limit` bytes.
    pub fn intake(&self, limit: u64) -> Result<Intake, LibraryError> {
        Intake::new(&self.root.join("incoming"), limit)
    }

    /// Where the file of hash `sha256` lives.
    pub fn path(&self, sha256: &str) -> PathBuf {
        let prefix = sha256.get(..2).unwrap_or("00");
        self.root.join("objects").join(prefix).join(sha256)
    }

    /// Moves `received` to its content address; true when the file is new (a caller whose
    /// metadata transaction then fails removes it with [`Folder::remove`]).
    pub fn store(&self, received: Received) -> Result<bool, LibraryError> {
        let path = self.path(&received.sha256);
        if path.exists() {
            return Ok(false);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| LibraryError::io(dir, e))?;
        }
        received
            .file
            .persist(&path)
            .map_err(|e| LibraryError::io(&path, e.error))?;
        if let Some(dir) = path.parent() {
            // The rename is durable once the directory is synced.
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(true)
    }

    /// Removes the file of `sha256` (after a failed transaction); a missing file is no error.
    pub fn remove(&self, sha256: &str) -> Result<(), LibraryError> {
        let path = self.path(sha256);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(LibraryError::io(&path, e)),
        }
    }

    /// Copies the files of `hashes` from this folder into `to` (a backup's or a restored
    /// programme's folder), each checked against its hash as it is copied and written under a
    /// temporary name first; files `to` holds already are skipped. (files copied, bytes).
    pub fn copy_to(&self, to: &Folder, hashes: &[String]) -> Result<(usize, u64), LibraryError> {
        let (mut files, mut bytes) = (0, 0);
        for sha in hashes {
            let target = to.path(sha);
            if target.exists() {
                continue;
            }
            let source = self.path(sha);
            let mut reader =
                std::fs::File::open(&source).map_err(|e| LibraryError::io(&source, e))?;
            let mut intake = to.intake(u64::MAX)?;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = std::io::Read::read(&mut reader, &mut buf)
                    .map_err(|e| LibraryError::io(&source, e))?;
                if n == 0 {
                    break;
                }
                intake.write(&buf[..n])?;
            }
            let received = intake.finish()?;
            if &received.sha256 != sha {
                return Err(LibraryError::Corrupt {
                    kind: "library",
                    detail: format!(
                        "{} does not match its name (its content hashes to {})",
                        source.display(),
                        received.sha256
                    ),
                });
            }
            bytes += received.size;
            to.store(received)?;
            files += 1;
        }
        Ok((files, bytes))
    }

    /// Hashes of stored files that `known` (the hashes the store references) does not name:
    /// left by a crash between storing a file and committing its metadata.
    pub fn orphans(&self, known: &HashSet<String>) -> Result<Vec<String>, LibraryError> {
        let objects = self.root.join("objects");
        let mut found = Vec::new();
        let Ok(prefixes) = std::fs::read_dir(&objects) else {
            return Ok(found);
        };
        for prefix in prefixes {
            let prefix = prefix.map_err(|e| LibraryError::io(&objects, e))?;
            let dir = prefix.path();
            for file in std::fs::read_dir(&dir).map_err(|e| LibraryError::io(&dir, e))? {
                let file = file.map_err(|e| LibraryError::io(&dir, e))?;
                let name = file.file_name().to_string_lossy().into_owned();
                if !known.contains(&name) {
                    found.push(name);
                }
            }
        }
        found.sort();
        Ok(found)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn stores_by_content_and_finds_orphans() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::new(dir.path());
        let upload = |bytes: &[u8]| {
            let mut i = folder.intake(1 << 20).unwrap();
            i.write(bytes).unwrap();
            i.finish().unwrap()
        };
        let a = upload(b"\x89PNG\r\n\x1a\nimage one");
        let sha = a.sha256.clone();
        assert!(folder.store(a).unwrap(), "new file");
        assert!(
            !folder.store(upload(b"\x89PNG\r\n\x1a\nimage one")).unwrap(),
            "same content"
        );
        assert_eq!(
            std::fs::read(folder.path(&sha)).unwrap(),
            b"\x89PNG\r\n\x1a\nimage one"
        );
        assert_eq!(folder.orphans(&HashSet::new()).unwrap(), vec![sha.clone()]);
        assert!(
            folder
                .orphans(&HashSet::from([sha.clone()]))
                .unwrap()
                .is_empty()
        );
        let copy = Folder::new(dir.path().join("copy"));
        assert_eq!(
            folder.copy_to(&copy, std::slice::from_ref(&sha)).unwrap(),
            (1, 17)
        );
        assert_eq!(
            folder.copy_to(&copy, std::slice::from_ref(&sha)).unwrap(),
            (0, 0),
            "kept"
        );
        assert_eq!(
            std::fs::read(copy.path(&sha)).unwrap(),
            std::fs::read(folder.path(&sha)).unwrap()
        );
        std::fs::write(folder.path(&sha), b"\x89PNG\r\n\x1a\ntampered").unwrap();
        let err = folder
            .copy_to(
                &Folder::new(dir.path().join("c2")),
                std::slice::from_ref(&sha),
            )
            .unwrap_err();
        assert!(err.to_string().contains("does not match its name"), "{err}");
        folder.remove(&sha).unwrap();
        folder.remove(&sha).unwrap();
        assert!(!folder.path(&sha).exists());
        let incoming = std::fs::read_dir(dir.path().join("incoming"))
            .unwrap()
            .count();
        assert_eq!(incoming, 0, "no upload left behind");
    }
}
