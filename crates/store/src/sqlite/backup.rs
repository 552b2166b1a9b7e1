//! SQLite backups (see [`crate::backup`]): the online backup API inside one read transaction
//! of the source, checksums of that snapshot, and a verified copy.

use std::path::Path;
use std::time::Instant;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::transfer::dump_table;
use super::{APPLICATION, SCHEMA_VERSION, SqliteStore};
use crate::backup::{BackupFormat, BackupReport, Partial, compare, size_of};
use crate::transfer::{self, Dump, RowSink, TABLES, TableSum};
use crate::{ProgrammeStore, Result, StoreError};

/// The tables of a connection as seen by its open read transaction (no transaction of its own).
struct InTransaction<'a>(&'a Connection);

impl Dump for InTransaction<'_> {
    fn dump(&self, f: &mut RowSink<'_>) -> Result<()> {
        for table in TABLES {
            dump_table(self.0, table, f)?;
        }
        Ok(())
    }
}

/// Copies every page of `from` (in its current transaction, if any) into `to` in one step.
fn copy_pages(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = Backup::new(from, to)?;
    match backup.step(-1)? {
        StepResult::Done => Ok(()),
        other => Err(StoreError::Transfer(format!(
            "the copy did not complete ({other:?}); another process holds a lock on the \
             file: try again"
        ))),
    }
}

/// Backs up the programme file `source` into the new file `copy`.
pub(crate) fn backup(source: &Path, copy: &Path) -> Result<BackupReport> {
    let started = Instant::now();
    // Opening checks that it is a programme (and upgrades an older schema, as every command).
    let store = SqliteStore::open(source)?;
    let mut target = Connection::open(copy)?;
    let snapshot = {
        // One read transaction: the pages copied and the rows summed are the same snapshot,
        // whatever other connections commit meanwhile (they go on in the WAL).
        let tx = store.conn.unchecked_transaction()?;
        tx.query_row("SELECT count(*) FROM meta", [], |r| r.get::<_, i64>(0))?;
        copy_pages(&tx, &mut target)?;
        let sums = transfer::checksums(&InTransaction(&tx))?;
        tx.finish()?;
        sums
    };
    // A self-contained file: a rollback journal, so no `-wal` ever belongs to it.
    let mode: String = target.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(StoreError::Transfer(format!(
            "the copy stayed in journal mode {mode}; nothing was written"
        )));
    }
    target.close().map_err(|(_, e)| StoreError::Database(e))?;
    let verified = verify(copy, &snapshot, "backup")?;
    Ok(BackupReport {
        format: BackupFormat::Sqlite,
        bytes: size_of(copy)?,
        tables: snapshot,
        duration: started.elapsed(),
        verified,
    })
}

/// Opens a copy read-only and checks it: integrity, programme and schema, the store's
/// invariants and, when `expected` is given, every table's checksum.
fn verify(path: &Path, expected: &[TableSum], what: &str) -> Result<String> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    integrity(&conn, what)?;
    let version = schema_of(&conn, path)?;
    if version != SCHEMA_VERSION {
        return Err(StoreError::Transfer(format!(
            "verification failed: the {what} has schema version {version}, not {SCHEMA_VERSION}"
        )));
    }
    let store = SqliteStore { conn };
    invariants(&store, what)?;
    compare(expected, &transfer::checksums(&store)?, what)?;
    Ok("integrity_check ok, invariants ok, row counts and SHA-256 of every table equal".into())
}

/// `PRAGMA integrity_check` must answer `ok`.
fn integrity(conn: &Connection, what: &str) -> Result<()> {
    let answer: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if answer != "ok" {
        return Err(StoreError::Transfer(format!(
            "verification failed: SQLite's integrity check of the {what} says: {answer}"
        )));
    }
    Ok(())
}

/// The store's invariants (`safeground check`) must hold.
fn invariants(store: &SqliteStore, what: &str) -> Result<()> {
    let problems = store.check_consistency()?;
    if !problems.is_empty() {
        return Err(StoreError::Transfer(format!(
            "verification failed: the {what} breaks the store's invariants: {}",
            problems.join("; ")
        )));
    }
    Ok(())
}

/// The schema version of a Safeground file; refuses any other file.
fn schema_of(conn: &Connection, path: &Path) -> Result<String> {
    let value = |key: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .unwrap_or(None))
    };
    if value("application")?.as_deref() != Some(APPLICATION) {
        return Err(StoreError::Transfer(format!(
            "{} is not a Safeground programme",
            path.display()
        )));
    }
    value("schema_version")?.ok_or_else(|| StoreError::corrupt("meta", "no schema_version"))
}

/// Refuses a target that holds programme data.
fn ensure_empty(target: &Path) -> Result<()> {
    let store = SqliteStore::open(target)?;
    let mut full = Vec::new();
    for table in TABLES {
        let n: i64 =
            store
                .conn
                .query_row(&format!("SELECT count(*) FROM {}", table.name), [], |r| {
                    r.get(0)
                })?;
        if n > 0 {
            full.push(format!("{}: {n} rows", table.name));
        }
    }
    if full.is_empty() {
        return Ok(());
    }
    Err(StoreError::Transfer(format!(
        "{} holds a programme ({}); restore into a new file (or one without data), never over \
         a programme in use",
        target.display(),
        full.join(", ")
    )))
}

/// Restores the backup file `backup` into `target` (a new file, or a programme without data,
/// which is replaced) and verifies the result.
pub(crate) fn restore(backup: &Path, target: &Path) -> Result<BackupReport> {
    let started = Instant::now();
    if target.exists() {
        ensure_empty(target)?;
    }
    let source = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    integrity(&source, "backup")?;
    let version = schema_of(&source, backup)?;
    let partial = Partial::new(target)?;
    let mut copy = Connection::open(partial.path())?;
    let tx = source.unchecked_transaction()?;
    copy_pages(&tx, &mut copy)?;
    // The backup's own checksums, from the same read transaction as the pages copied. A backup
    // of an older schema is upgraded when opened below, which changes its rows: it is checked
    // for integrity and invariants only.
    let expected = if version == SCHEMA_VERSION {
        Some(transfer::checksums(&InTransaction(&tx))?)
    } else {
        None
    };
    tx.finish()?;
    copy.close().map_err(|(_, e)| StoreError::Database(e))?;
    // Opened as every command opens it: WAL mode, an older schema upgraded.
    let restored = SqliteStore::open(partial.path())?;
    integrity(&restored.conn, "restored programme")?;
    invariants(&restored, "restored programme")?;
    let tables = transfer::checksums(&restored)?;
    let verified = match &expected {
        Some(expected) => {
            compare(expected, &tables, "restored programme")?;
            "integrity_check ok, invariants ok, row counts and SHA-256 of every table equal to \
             the backup's"
                .to_owned()
        }
        None => format!(
            "integrity_check ok, invariants ok (the backup's schema version {version} was \
             upgraded to {SCHEMA_VERSION})"
        ),
    };
    // Closing checkpoints the WAL into the file and removes it, so the file moves alone.
    restored
        .conn
        .close()
        .map_err(|(_, e)| StoreError::Database(e))?;
    let bytes = size_of(partial.path())?;
    partial.finish()?;
    Ok(BackupReport {
        format: BackupFormat::Sqlite,
        bytes,
        tables,
        duration: started.elapsed(),
        verified,
    })
}
