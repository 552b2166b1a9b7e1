//! Throwaway databases for tests that run against PostgreSQL.
//!
//! The server comes from `SAFEGROUND_TEST_POSTGRES` (a connection string such as
//! `host=/tmp/pgsock port=5433 user=postgres`; the role must be allowed to create databases
//! and the PostGIS extension). Each [`ScratchDatabase`] is a new, uniquely named database that
//! is dropped with the value. Without the variable the tests skip, unless
//! `SAFEGROUND_REQUIRE_POSTGRES=1` (CI), where a missing server is an error.

use std::sync::atomic::{AtomicU32, Ordering};

use postgres::{Client, Config, NoTls};

use super::{Doing, PostgresStore};
use crate::{Result, StoreError};

/// Names the server tests use.
pub const URL_VAR: &str = "SAFEGROUND_TEST_POSTGRES";
/// When `1`, a missing server fails the tests instead of skipping them.
pub const REQUIRE_VAR: &str = "SAFEGROUND_REQUIRE_POSTGRES";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database created for one test and dropped (with its connections) when this is dropped.
#[derive(Debug)]
pub struct ScratchDatabase {
    admin: Config,
    name: String,
}

impl ScratchDatabase {
    /// A new empty database on the test server with a [`PostgresStore`] connected to it (schema
    /// created), or `Ok(None)` when no server is configured and none is required; the reason
    /// for skipping is printed.
    pub fn store() -> Result<Option<(ScratchDatabase, PostgresStore)>> {
        let Some(db) = Self::create()? else {
            return Ok(None);
        };
        let store = db.connect()?;
        Ok(Some((db, store)))
    }

    /// A new empty database (no schema), or `Ok(None)` when no server is configured and none
    /// is required.
    pub fn create() -> Result<Option<ScratchDatabase>> {
        let url = match std::env::var(URL_VAR) {
            Ok(url) if !url.trim().is_empty() => url,
            _ => {
                if std::env::var(REQUIRE_VAR).is_ok_and(|v| v == "1") {
                    return Err(StoreError::Schema(format!(
                        "{REQUIRE_VAR}=1 but {URL_VAR} is not set; start PostgreSQL with \
                         PostGIS and set {URL_VAR} (see .ci/run)"
                    )));
                }
                eprintln!(
                    "skipped: PostgreSQL tests need {URL_VAR} (e.g. `host=/tmp/pgsock port=5433 \
                     user=postgres`); see .ci/run"
                );
                return Ok(None);
            }
        };
        let mut admin: Config = url.parse().doing("reading SAFEGROUND_TEST_POSTGRES")?;
        admin.dbname("postgres");
        let name = format!(
            "sg_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            chrono::Utc::now().timestamp_micros()
        );
        let mut client = admin
            .connect(NoTls)
            .doing("connecting to the test server")?;
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .doing(&format!("creating test database {name}"))?;
        Ok(Some(ScratchDatabase { admin, name }))
    }

    /// The connection settings of this database.
    pub fn config(&self) -> Config {
        let mut c = self.admin.clone();
        c.dbname(&self.name);
        c
    }

    /// A libpq `key=value` connection string of this database, for
    /// [`Location::Postgres`](crate::Location::Postgres).
    pub fn connection_string(&self) -> String {
        let c = self.config();
        let mut parts = Vec::new();
        if let Some(host) = c.get_hosts().first() {
            parts.push(match host {
                postgres::config::Host::Tcp(h) => format!("host={h}"),
                postgres::config::Host::Unix(p) => format!("host={}", p.display()),
            });
        }
        if let Some(port) = c.get_ports().first() {
            parts.push(format!("port={port}"));
        }
        if let Some(user) = c.get_user() {
            parts.push(format!("user={user}"));
        }
        if let Some(password) = c.get_password() {
            parts.push(format!("password={}", String::from_utf8_lossy(password)));
        }
        parts.push(format!("dbname={}", self.name));
        parts.join(" ")
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A new connection to this database, for checks in SQL.
    pub fn client(&self) -> Result<Client> {
        self.config()
            .connect(NoTls)
            .doing(&format!("connecting to test database {}", self.name))
    }

    /// Connects a store to this database (as [`PostgresStore::connect`]).
    pub fn connect(&self) -> Result<PostgresStore> {
        let mut store = PostgresStore::connect_config(&self.config())?;
        super::migrations::migrate(store.client.get_mut())?;
        Ok(store)
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let dropped = self.admin.connect(NoTls).and_then(|mut c| {
            c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
        });
        if let Err(e) = dropped {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}
