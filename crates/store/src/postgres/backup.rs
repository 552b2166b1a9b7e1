//! PostgreSQL backups (see [`crate::backup`]): `pg_dump --format=custom` under a snapshot that
//! a repeatable-read transaction exports and in which the tables' checksums are taken;
//! `pg_restore` into a database without Safeground's tables, in one transaction.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use postgres::{IsolationLevel, Transaction};

use super::transfer::dump_tables;
use super::{Doing, PostgresStore, migrations};
use crate::backup::{BackupFormat, BackupReport, io_error, size_of};
use crate::transfer::{self, Dump, RowSink, TABLES};
use crate::{ProgrammeStore, Result, StoreError};

/// Where Debian and Ubuntu install each PostgreSQL version's programs.
const DEBIAN_BIN: &str = "/usr/lib/postgresql";

/// The tables as a transaction sees them (its snapshot).
struct InSnapshot<'a, 'b>(RefCell<&'a mut Transaction<'b>>);

impl Dump for InSnapshot<'_, '_> {
    fn dump(&self, f: &mut RowSink<'_>) -> Result<()> {
        let mut tx = self.0.borrow_mut();
        dump_tables(&mut tx, f)
    }
}

/// The major version of the server (15 for 15.8).
fn server_major(store: &PostgresStore) -> Result<u32> {
    let num: String = store
        .client()?
        .query_one("SHOW server_version_num", &[])
        .doing("reading the server's version")?
        .get(0);
    num.trim()
        .parse::<u32>()
        .map(|n| n / 10_000)
        .map_err(|e| StoreError::corrupt("server_version_num", e))
}

/// The major version a PostgreSQL program says it is (`pg_dump (PostgreSQL) 15.18` → 15).
fn tool_major(path: &Path) -> Option<u32> {
    let out = Command::new(path).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split_whitespace().last()?;
    let digits: String = version.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// `name` (pg_dump, pg_restore) of the server's major version, or else the oldest newer one,
/// from `/usr/lib/postgresql/*/bin` or PATH.
fn tool(name: &str, server: u32) -> Result<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(dirs) = std::fs::read_dir(DEBIAN_BIN) {
        candidates.extend(dirs.flatten().map(|d| d.path().join("bin").join(name)));
    }
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path).map(|d| d.join(name)));
    }
    let mut found: Vec<(u32, PathBuf)> = candidates
        .into_iter()
        .filter(|p| p.is_file())
        .filter_map(|p| tool_major(&p).map(|v| (v, p)))
        .collect();
    found.sort_by_key(|(v, _)| *v);
    let seen: Vec<String> = found
        .iter()
        .map(|(v, p)| format!("{} ({v})", p.display()))
        .collect();
    found
        .into_iter()
        .find(|(v, _)| *v >= server)
        .map(|(_, p)| p)
        .ok_or_else(|| {
            StoreError::Transfer(format!(
                "{name} of PostgreSQL {server} or newer is needed and was not found on PATH nor \
                 in {DEBIAN_BIN}/*/bin{}; install PostgreSQL's client programs (Debian: \
                 `apt-get install postgresql-client-{server}`)",
                if seen.is_empty() {
                    String::new()
                } else {
                    format!(" (found only {})", seen.join(", "))
                }
            ))
        })
}

/// A libpq value, quoted.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The connection string for PostgreSQL's programs, without the password (given to them in
/// `PGPASSWORD`, so it never shows in the process list), and the password.
fn client_args(url: &str) -> Result<(String, Option<String>)> {
    let config: postgres::Config = url.parse().doing("reading the connection string")?;
    let mut parts = Vec::new();
    let hosts: Vec<String> = (config.get_hosts().iter())
        .map(|h| match h {
            postgres::config::Host::Tcp(h) => h.clone(),
            postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .collect();
    if !hosts.is_empty() {
        parts.push(format!("host={}", quote(&hosts.join(","))));
    }
    let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
    if !ports.is_empty() {
        parts.push(format!("port={}", ports.join(",")));
    }
    let pairs = [
        ("user", config.get_user()),
        ("dbname", config.get_dbname()),
        ("options", config.get_options()),
        ("application_name", config.get_application_name()),
    ];
    for (key, value) in pairs {
        if let Some(v) = value {
            parts.push(format!("{key}={}", quote(v)));
        }
    }
    let password = config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    Ok((parts.join(" "), password))
}

/// Runs a PostgreSQL program; fails with its own message.
fn run(mut command: Command, what: &str) -> Result<Vec<u8>> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| io_error(&format!("running {what}"), e))?;
    if !out.status.success() {
        return Err(StoreError::Transfer(format!(
            "{what} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}

/// A PostgreSQL program connecting as `url` says.
fn command(program: &Path, url: &str) -> Result<Command> {
    let (conninfo, password) = client_args(url)?;
    let mut c = Command::new(program);
    c.arg("--no-password").arg(format!("--dbname={conninfo}"));
    if let Some(p) = password {
        c.env("PGPASSWORD", p);
    }
    Ok(c)
}

/// Checks with `pg_restore --list` that the archive reads and holds the data of every table.
fn list(pg_restore: &Path, archive: &Path) -> Result<()> {
    let mut c = Command::new(pg_restore);
    c.arg("--list").arg(archive);
    let toc = String::from_utf8_lossy(&run(c, "pg_restore --list")?).into_owned();
    let has_data = |table: &str| {
        toc.lines().any(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            words
                .windows(4)
                .any(|w| w[0] == "TABLE" && w[1] == "DATA" && w[3] == table)
        })
    };
    let missing: Vec<&str> = (TABLES.iter().map(|t| t.name))
        .filter(|t| !has_data(t))
        .collect();
    if !missing.is_empty() {
        return Err(StoreError::Transfer(format!(
            "verification failed: the archive {} holds no data of {}",
            archive.display(),
            missing.join(", ")
        )));
    }
    Ok(())
}

/// Backs up the programme at `url` into the new file `out` with `pg_dump`.
pub(crate) fn backup(url: &str, out: &Path) -> Result<BackupReport> {
    let started = Instant::now();
    let store = PostgresStore::open(url)?;
    let major = server_major(&store)?;
    let pg_dump = tool("pg_dump", major)?;
    let pg_restore = tool("pg_restore", major)?;
    let mut client = store.client()?;
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .doing("starting the snapshot's transaction")?;
    let snapshot: String = tx
        .query_one("SELECT pg_export_snapshot()", &[])
        .doing("exporting the snapshot")?
        .get(0);
    let mut dump = command(&pg_dump, url)?;
    dump.arg("--format=custom")
        .arg(format!("--snapshot={snapshot}"))
        .arg("--file")
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let child = dump
        .spawn()
        .map_err(|e| io_error(&format!("running {}", pg_dump.display()), e))?;
    // pg_dump reads the snapshot while the transaction that exported it stays open; the same
    // snapshot is summed meanwhile.
    let sums = transfer::checksums(&InSnapshot(RefCell::new(&mut tx)));
    let finished = child
        .wait_with_output()
        .map_err(|e| io_error("waiting for pg_dump", e))?;
    let committed = tx.commit();
    let sums = sums?;
    committed.doing("ending the snapshot's transaction")?;
    if !finished.status.success() {
        return Err(StoreError::Transfer(format!(
            "pg_dump failed ({}): {}",
            finished.status,
            String::from_utf8_lossy(&finished.stderr).trim()
        )));
    }
    list(&pg_restore, out)?;
    Ok(BackupReport {
        format: BackupFormat::PostgresCustom,
        bytes: size_of(out)?,
        tables: sums,
        duration: started.elapsed(),
        verified: format!(
            "pg_restore --list reads it, with the data of all {} tables",
            TABLES.len()
        ),
    })
}

/// Refuses a database that holds Safeground's tables: `pg_restore` creates them.
fn ensure_without_programme(url: &str) -> Result<()> {
    let mut store = PostgresStore::connect_only(url)?;
    let client = store.client.get_mut();
    if migrations::current_version(client)?.is_none() {
        return Ok(());
    }
    let mut full = Vec::new();
    for table in TABLES {
        let n: i64 = client
            .query_one(&format!("SELECT count(*) FROM {}", table.name), &[])
            .doing(&format!("counting the rows of {}", table.name))?
            .get(0);
        if n > 0 {
            full.push(format!("{}: {n} rows", table.name));
        }
    }
    Err(StoreError::Transfer(if full.is_empty() {
        "the database already has Safeground's (empty) tables, which pg_restore creates itself; \
         restore into a database just made with `createdb`, without `safeground init`"
            .to_owned()
    } else {
        format!(
            "the database holds a programme ({}); restore into a new, empty database (made with \
             `createdb`), never over a programme in use",
            full.join(", ")
        )
    }))
}

/// Restores the `pg_dump` archive `archive` into the database at `url` (without Safeground's
/// tables) in one transaction, then verifies it.
pub(crate) fn restore(archive: &Path, url: &str) -> Result<BackupReport> {
    let started = Instant::now();
    ensure_without_programme(url)?;
    let major = server_major(&PostgresStore::connect_only(url)?)?;
    let pg_restore = tool("pg_restore", major)?;
    list(&pg_restore, archive)?;
    let mut restore = command(&pg_restore, url)?;
    restore
        .arg("--single-transaction")
        .arg("--exit-on-error")
        .arg("--no-owner")
        .arg(archive);
    run(restore, "pg_restore (nothing was restored)")?;
    let mut store = PostgresStore::open(url)?;
    let tables: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
    store.analyze(&tables)?;
    let problems = store.check_consistency()?;
    if !problems.is_empty() {
        return Err(StoreError::Transfer(format!(
            "verification failed: the restored programme breaks the store's invariants: {}",
            problems.join("; ")
        )));
    }
    Ok(BackupReport {
        format: BackupFormat::PostgresCustom,
        bytes: size_of(archive)?,
        tables: transfer::checksums(&store)?,
        duration: started.elapsed(),
        verified: "pg_restore in one transaction, invariants ok".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_stays_out_of_the_connection_string() {
        let (conninfo, password) =
            client_args("postgresql://sg:s3cret@db.example.org:5433/programme").expect("url");
        assert_eq!(password.as_deref(), Some("s3cret"));
        assert!(!conninfo.contains("s3cret"), "{conninfo}");
        assert!(conninfo.contains("host='db.example.org'"), "{conninfo}");
        assert!(conninfo.contains("port=5433"), "{conninfo}");
        assert!(conninfo.contains("dbname='programme'"), "{conninfo}");
        let (conninfo, password) =
            client_args("host=/tmp/pg port=5433 user=postgres dbname='o\\'k'").expect("libpq");
        assert_eq!(password, None);
        assert!(conninfo.contains("dbname='o\\'k'"), "{conninfo}");
    }
}
