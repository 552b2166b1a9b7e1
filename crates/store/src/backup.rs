//! Backups of a whole programme, taken while it is in use, and their restore.
//!
//! A backup holds everything: reports in every status, items and versions, victims' personal
//! data, the audit log, accounts, sessions and tokens, import checkpoints. It is taken from
//! ONE snapshot while other connections go on writing, and verified before it gets its name:
//!
//! * **SQLite**: SQLite's online backup API copies every page inside one read transaction of
//!   the source (writers go on in the WAL; the copy never restarts); in that same transaction
//!   the row count and SHA-256 of every table ([`crate::transfer::checksums`]) are taken. The
//!   copy is then opened read-only and must pass `PRAGMA integrity_check`, the store's
//!   invariants (`safeground check`) and give the same checksums. It is one self-contained
//!   file (rollback journal, no `-wal`).
//! * **PostgreSQL**: `pg_dump --format=custom` under a snapshot exported by a repeatable-read
//!   transaction in which the checksums are taken; the archive is verified with
//!   `pg_restore --list` (readable, with the data of every table).
//!
//! Both write to a temporary name beside the output and rename it at the end: a failure or a
//! crash never leaves a partial backup under the output's name. A restore goes into a new or
//! empty programme only, and is verified after it.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::transfer::TableSum;
use crate::{Location, Result, StoreError};

/// What a backup file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupFormat {
    /// A copy of an SQLite programme file.
    Sqlite,
    /// A `pg_dump` archive in its custom format.
    PostgresCustom,
}

impl std::fmt::Display for BackupFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BackupFormat::Sqlite => "SQLite database file",
            BackupFormat::PostgresCustom => "pg_dump custom-format archive",
        })
    }
}

/// A backup taken (or a restore done) and verified.
#[derive(Debug, Clone)]
pub struct BackupReport {
    /// The backup's format.
    pub format: BackupFormat,
    /// Its size in bytes.
    pub bytes: u64,
    /// Row count and SHA-256 of every table, as the snapshot (or the restored programme)
    /// holds them.
    pub tables: Vec<TableSum>,
    /// How long it took.
    pub duration: Duration,
    /// What was checked, in words (`integrity_check ok, invariants ok, checksums equal`).
    pub verified: String,
}

impl BackupReport {
    /// The number of rows in every table together.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// Options of [`backup`].
#[derive(Debug, Clone, Copy, Default)]
pub struct BackupOptions {
    /// Replace an existing output file (refused otherwise).
    pub force: bool,
}

/// Backs up the programme at `from` into the file `out` (see the module documentation),
/// verifying the copy before it gets its name. Refuses an existing `out` unless
/// [`BackupOptions::force`].
pub fn backup(from: &Location, out: &Path, options: BackupOptions) -> Result<BackupReport> {
    if out.exists() && !options.force {
        return Err(StoreError::Transfer(format!(
            "{} already exists; choose another name, or add --force to replace it",
            out.display()
        )));
    }
    if out.is_dir() {
        return Err(StoreError::Transfer(format!(
            "{} is a folder; name the backup file to write",
            out.display()
        )));
    }
    let partial = Partial::new(out)?;
    let report = match from {
        Location::Sqlite(path) => {
            if same_file(path, out) {
                return Err(StoreError::Transfer(format!(
                    "{} is the programme itself; write the backup to another file",
                    out.display()
                )));
            }
            crate::sqlite::backup::backup(path, partial.path())?
        }
        Location::Postgres(url) => crate::postgres::backup::backup(url, partial.path())?,
    };
    partial.finish()?;
    Ok(report)
}

/// Restores the backup file `backup` into `to`, which must hold no programme data (a new
/// SQLite file or one without data; a PostgreSQL database without Safeground's tables, as
/// `createdb` makes it), and verifies the restored programme. An SQLite backup restores into
/// SQLite and a `pg_dump` archive into PostgreSQL (`safeground migrate` moves a programme
/// between them afterwards).
pub fn restore(backup: &Path, to: &Location) -> Result<BackupReport> {
    let format = format_of(backup)?;
    match (format, to) {
        (BackupFormat::Sqlite, Location::Sqlite(path)) => {
            if same_file(backup, path) {
                return Err(StoreError::Transfer(format!(
                    "{} is the backup itself; restore it into another file",
                    path.display()
                )));
            }
            crate::sqlite::backup::restore(backup, path)
        }
        (BackupFormat::PostgresCustom, Location::Postgres(url)) => {
            crate::postgres::backup::restore(backup, url)
        }
        (format, to) => Err(StoreError::Transfer(format!(
            "{} is a {format}, which restores into {}, not into {to}; restore it there, then \
             copy it with `safeground migrate`",
            backup.display(),
            match format {
                BackupFormat::Sqlite => "an SQLite file",
                BackupFormat::PostgresCustom => "a PostgreSQL database",
            }
        ))),
    }
}

/// The format of a backup file, from its first bytes.
pub fn format_of(path: &Path) -> Result<BackupFormat> {
    let mut head = [0u8; 16];
    let n = File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| io_error(&format!("reading the backup {}", path.display()), e))?;
    if n == 16 && &head == b"SQLite format 3\0" {
        Ok(BackupFormat::Sqlite)
    } else if n >= 5 && &head[..5] == b"PGDMP" {
        Ok(BackupFormat::PostgresCustom)
    } else {
        Err(StoreError::Transfer(format!(
            "{} is not a Safeground backup (neither an SQLite file nor a pg_dump custom-format \
             archive); give a file written by `safeground backup`",
            path.display()
        )))
    }
}

/// An I/O error as a store error naming what was being done.
pub(crate) fn io_error(doing: &str, e: std::io::Error) -> StoreError {
    StoreError::Transfer(format!("{doing}: {e}"))
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A file being written under a temporary name beside its final one; removed when dropped
/// unless [`Partial::finish`] renamed it.
pub(crate) struct Partial {
    path: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Partial {
    /// A temporary name beside `target` (a stale one from a crashed run is removed).
    pub(crate) fn new(target: &Path) -> Result<Self> {
        let name = target
            .file_name()
            .ok_or_else(|| {
                StoreError::Transfer(format!("{} does not name a file", target.display()))
            })?
            .to_string_lossy();
        let path = target.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let partial = Partial {
            path,
            target: target.to_owned(),
            done: false,
        };
        partial.remove();
        Ok(partial)
    }

    /// The temporary path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes the file to disk and gives it its final name.
    pub(crate) fn finish(mut self) -> Result<()> {
        let doing = format!("writing {}", self.target.display());
        File::open(&self.path)
            .and_then(|f| f.sync_all())
            .map_err(|e| io_error(&doing, e))?;
        std::fs::rename(&self.path, &self.target).map_err(|e| io_error(&doing, e))?;
        if let Some(dir) = self.target.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Makes the rename itself durable; not every platform can open a folder.
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        self.done = true;
        Ok(())
    }

    fn remove(&self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.done {
            self.remove();
        }
    }
}

/// Compares the checksums of a snapshot with those of its copy; names the first table that
/// differs.
pub(crate) fn compare(snapshot: &[TableSum], copy: &[TableSum], what: &str) -> Result<()> {
    for (a, b) in snapshot.iter().zip(copy) {
        if a != b {
            return Err(StoreError::Transfer(format!(
                "verification failed: table {} has {} rows (sha256 {}) in the snapshot but {} \
                 rows (sha256 {}) in the {what}; nothing was written",
                a.table, a.rows, a.sha256, b.rows, b.sha256
            )));
        }
    }
    if snapshot.len() != copy.len() {
        return Err(StoreError::Transfer(format!(
            "verification failed: the {what} has {} tables, the snapshot {}",
            copy.len(),
            snapshot.len()
        )));
    }
    Ok(())
}

/// The size of a file in bytes.
pub(crate) fn size_of(path: &Path) -> Result<u64> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| io_error(&format!("reading {}", path.display()), e))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_file_is_removed_unless_finished() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.sqlite");
        let p = Partial::new(&out).unwrap();
        std::fs::write(p.path(), b"half").unwrap();
        drop(p);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

        let p = Partial::new(&out).unwrap();
        std::fs::write(p.path(), b"whole").unwrap();
        p.finish().unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"whole");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn formats_are_told_by_their_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let f = |bytes: &[u8]| {
            let p = dir.path().join("f");
            std::fs::write(&p, bytes).unwrap();
            format_of(&p)
        };
        assert_eq!(
            f(b"SQLite format 3\0and pages").unwrap(),
            BackupFormat::Sqlite
        );
        assert_eq!(
            f(b"PGDMP\x01\x0e\x00").unwrap(),
            BackupFormat::PostgresCustom
        );
        let err = f(b"<gpkg?>").unwrap_err().to_string();
        assert!(err.contains("not a Safeground backup"), "{err}");
    }
}
