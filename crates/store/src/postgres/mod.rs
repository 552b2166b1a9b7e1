//! The PostgreSQL/PostGIS backend: the same contract as [`crate::SqliteStore`], for national
//! programmes that run a database server (several web servers, GIS users reading the tables
//! with SQL or QGIS).
//!
//! One connection (the synchronous `postgres` client). Every write transaction first takes a
//! transaction-level advisory lock, so writers are serialised exactly as SQLite's single writer
//! (`BEGIN IMMEDIATE`): ids, transaction times and checkpoints are decided by one writer at a
//! time, whatever the number of processes. Reads do not take the lock.

mod account_requests;
mod accounts;
mod approval;
mod audit_log;
pub(crate) mod backup;
mod break_glass;
mod bulk;
mod consistency;
mod evidence;
mod field;
mod hub;
mod hub_batch;
mod hub_training;
mod import;
mod items;
mod library;
mod library_exchange;
mod migrations;
mod ordnance_pages;
mod outbox;
mod planning;
mod reference;
mod reports;
mod streams;
pub mod testing;
#[cfg(test)]
mod tests;
mod training;
mod transfer;

use std::cell::{RefCell, RefMut};

use chrono::{DateTime, NaiveDate, Utc};
use postgres::{Client, GenericClient, NoTls, Transaction};

use crate::{AsOf, Result, StoreError};

/// Key of the advisory lock every write transaction holds (one writer at a time).
const WRITER_LOCK: i64 = 0x5AFE_6800;

/// A Safeground programme stored in a PostgreSQL database with PostGIS.
pub struct PostgresStore {
    client: RefCell<Client>,
}

impl PostgresStore {
    /// True once the client has seen its connection close.
    pub(crate) fn is_closed(&self) -> bool {
        self.client.try_borrow().is_ok_and(|c| c.is_closed())
    }
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

/// Adds what was being done to a PostgreSQL error.
pub(crate) trait Doing<T> {
    /// Maps the error to [`StoreError::Postgres`] naming `what` was being done.
    fn doing(self, what: &str) -> Result<T>;
}

impl<T> Doing<T> for std::result::Result<T, postgres::Error> {
    fn doing(self, what: &str) -> Result<T> {
        self.map_err(|e| StoreError::postgres(what, e))
    }
}

impl PostgresStore {
    /// Connects to `url` (a `postgresql://` URL or `host=… user=… dbname=…`) and brings the
    /// schema up to date: creates it in an empty database (with `CREATE EXTENSION IF NOT EXISTS
    /// postgis`), upgrades an older one, refuses a newer one.
    pub fn connect(url: &str) -> Result<Self> {
        let mut store = Self::connect_only(url)?;
        migrations::migrate(store.client.get_mut())?;
        Ok(store)
    }

    /// Creates the schema in a database that has none yet; fails if the database already holds
    /// a Safeground programme (as [`crate::SqliteStore::create`] fails on an existing file).
    pub fn create(url: &str) -> Result<Self> {
        let mut store = Self::connect_only(url)?;
        if let Some(v) = migrations::current_version(store.client.get_mut())? {
            return Err(StoreError::Schema(format!(
                "the database already holds a Safeground programme (schema version {v}); open \
                 it instead, or choose another database"
            )));
        }
        migrations::migrate(store.client.get_mut())?;
        Ok(store)
    }

    /// Opens a database created by [`PostgresStore::create`], upgrading an older schema; fails
    /// if the database holds no Safeground programme.
    pub fn open(url: &str) -> Result<Self> {
        let mut store = Self::connect_only(url)?;
        if migrations::current_version(store.client.get_mut())?.is_none() {
            return Err(StoreError::Schema(
                "the database holds no Safeground programme; create it with `safeground init`"
                    .into(),
            ));
        }
        migrations::migrate(store.client.get_mut())?;
        Ok(store)
    }

    fn connect_only(url: &str) -> Result<Self> {
        let config: postgres::Config = url.parse().doing("reading the connection string")?;
        Self::connect_config(&config)
    }

    pub(crate) fn connect_config(config: &postgres::Config) -> Result<Self> {
        let client = config.connect(NoTls).doing("connecting to PostgreSQL")?;
        Ok(PostgresStore {
            client: RefCell::new(client),
        })
    }

    /// The connection, for a read. Fails instead of panicking if a read is already using it
    /// (a streaming callback never holds it: rows are read in pages).
    pub(crate) fn client(&self) -> Result<RefMut<'_, Client>> {
        self.client
            .try_borrow_mut()
            .map_err(|_| StoreError::Postgres {
                doing: "reading".into(),
                message: "the connection is in use by another read of this store".into(),
                source: None,
            })
    }

    /// Starts a write transaction holding the writer lock.
    pub(crate) fn write_tx(&mut self) -> Result<Transaction<'_>> {
        write_tx(self.client.get_mut())
    }

    /// `ANALYZE` of `tables` after a bulk write. Until autovacuum gets to them (a minute or
    /// more), the planner takes a table for the size it had before: right after 200,000 EO
    /// finds were imported into a new programme, a join of `item_link` with `item` was planned
    /// as nested scans and ran for minutes instead of 0.1 s.
    pub(crate) fn analyze(&mut self, tables: &[&str]) -> Result<()> {
        self.client
            .get_mut()
            .batch_execute(&format!("ANALYZE {}", tables.join(", ")))
            .doing("refreshing the planner's statistics after a bulk write")
    }
}

/// Starts a write transaction on `client` holding the writer lock.
pub(crate) fn write_tx(client: &mut Client) -> Result<Transaction<'_>> {
    let mut tx = client.transaction().doing("starting a transaction")?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITER_LOCK])
        .doing("waiting for the writer lock")?;
    Ok(tx)
}

/// A connection or transaction seen through the backend-independent workflow traits
/// ([`crate::engine::Reads`], [`crate::engine::Writes`]).
pub(crate) struct Pg<'a, C: GenericClient>(pub(crate) &'a mut C);

/// A date as a PostgreSQL `date` can hold it: [`AsOf::now`]'s far future becomes 9999-12-31.
pub(crate) fn clamp_date(d: NaiveDate) -> NaiveDate {
    let max = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    let min = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN);
    d.clamp(min, max)
}

/// The valid-time and transaction-time bounds of an [`AsOf`] (None: no transaction-time bound).
pub(crate) fn as_of_bounds(as_of: AsOf) -> (NaiveDate, Option<DateTime<Utc>>) {
    (clamp_date(as_of.date), as_of.known_at)
}

/// Appends to the audit log inside the caller's transaction, each field cut to its bound.
pub(crate) fn audit<C: GenericClient>(
    c: &mut C,
    actor: &str,
    action: &str,
    target: &str,
    detail: Option<&str>,
) -> Result<()> {
    let a = crate::audit::BoundedAudit::new(actor, action, target, detail);
    c.execute(
        "INSERT INTO audit (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
        &[&Utc::now(), &a.actor, &a.action, &a.target, &a.detail],
    )
    .doing("writing the audit log")?;
    Ok(())
}
