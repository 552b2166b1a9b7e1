//! The embedded SQLite backend (the default): one file, WAL mode, one writer.

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
mod hub_training;
mod import;
mod items;
mod library;
mod library_exchange;
mod ordnance_pages;
mod outbox;
mod planning;
mod reference;
mod reports;
mod streams;
mod training;
mod transfer;

use std::path::Path;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use rusqlite::{
    Connection, OptionalExtension, Params, Row, Transaction, TransactionBehavior, params,
};

use crate::{AsOf, Result, StoreError};

const SCHEMA: &str = include_str!("schema.sql");
const SCHEMA_VERSION: &str = "16";
const APPLICATION: &str = "safeground";
/// Page size of new database files, bytes.
const PAGE_SIZE: i64 = 16_384;

/// A connection or transaction seen through the backend-independent workflow traits
/// ([`crate::engine::Reads`], [`crate::engine::Writes`]).
pub(crate) struct Sql<'a>(pub(crate) &'a Connection);

/// A Safeground programme stored in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.conn.path())
            .finish()
    }
}

impl SqliteStore {
    /// Creates a new database file; fails if the file already holds one.
    pub fn create(path: &Path) -> Result<Self> {
        if path.exists() {
            return Err(StoreError::Schema(format!(
                "{} already exists; open it instead, or choose another file name",
                path.display()
            )));
        }
        let mut store = SqliteStore {
            conn: Connection::open(path)?,
        };
        // 16 KiB pages (SQLite's default is 4 KiB): a hazard's JSON record and WKB span a few
        // kilobytes, and larger pages spill fewer of them into overflow chains. Measured on the
        // import of 100,000 hazards: ~20 % less wall time, the same file size. It only takes
        // effect before the file's first page is written, so it comes first.
        store.conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        store.configure()?;
        store.init_schema()?;
        Ok(store)
    }

    /// Opens an existing database created by [`SqliteStore::create`].
    pub fn open(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Err(StoreError::Schema(format!(
                "{} does not exist; create it with `safeground init {}`",
                path.display(),
                path.display()
            )));
        }
        let mut store = SqliteStore {
            conn: Connection::open(path)?,
        };
        store.configure()?;
        store.check_schema()?;
        Ok(store)
    }

    /// An in-memory database (tests).
    pub fn in_memory() -> Result<Self> {
        let mut store = SqliteStore {
            conn: Connection::open_in_memory()?,
        };
        store.configure()?;
        store.init_schema()?;
        Ok(store)
    }

    fn configure(&self) -> Result<()> {
        // WAL + synchronous=NORMAL: a killed process never leaves a half-applied transaction.
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.conn.busy_timeout(std::time::Duration::from_secs(10))?;
        Ok(())
    }

    fn init_schema(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute_batch(SCHEMA)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('application', ?1), ('schema_version', ?2)",
            params![APPLICATION, SCHEMA_VERSION],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn check_schema(&mut self) -> Result<()> {
        let app: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'application'",
                [],
                |r| r.get(0),
            )
            .optional()
            .unwrap_or(None);
        if app.as_deref() != Some(APPLICATION) {
            return Err(StoreError::Schema(format!(
                "{} is not a Safeground database",
                self.conn.path().unwrap_or("the file")
            )));
        }
        let version: String = self.conn.query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )?;
        if let Some(from) = [
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
        ]
        .iter()
        .position(|v| *v == version)
        {
            self.upgrade_from(from + 1)?;
        } else if version != SCHEMA_VERSION {
            return Err(StoreError::Schema(format!(
                "database schema version {version} is not supported by this Safeground \
                 (expects {SCHEMA_VERSION}); upgrade Safeground"
            )));
        }
        Ok(())
    }

    /// Upgrades schema `from` (1–15) to the current one in one transaction, each step applying
    /// to every older version: 1 → report revisions; 2 → user accounts and import checkpoints
    /// (new tables); 3 → hazard names; 4 → versions' geometry column (older versions keep
    /// their geometry in the record, which reads as before); 5 → victims' personal data moved
    /// out of report bodies into `report_personal_data`; 6 → account requests, 7 → break-glass
    /// grants (new tables); 8 → items' UUIDs and the outbox, filled with every version
    /// ([`outbox::upgrade`]); 9 → the hub's tables (new, empty); 10 → the outbox entries'
    /// cause (every existing one an approval), the policy terms and withdrawals; 11 → the
    /// library and the training register, 12 → ordnance pages, hub training summaries and
    /// library origins, 13 → planning tasks, settings and layers, 14 → field submissions and
    /// attachments, 15 → evidence: orthophotos, detection runs, detections, machine tracks and
    /// the hub's detector summaries (new tables).
    fn upgrade_from(&mut self, from: usize) -> Result<()> {
        let tx = self.write_tx()?;
        if from == 1 {
            tx.execute_batch("ALTER TABLE report ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;")?;
        }
        // Before the schema, whose index on it needs the column.
        outbox::add_item_uuids(&tx)?;
        // Every table added since (the schema holds only `IF NOT EXISTS` statements).
        tx.execute_batch(SCHEMA)?;
        // Columns of existing tables (the schema's `IF NOT EXISTS` skips those tables).
        add_column_if_missing(
            &tx,
            "outbox",
            "cause",
            "TEXT NOT NULL DEFAULT 'approval' \
             CHECK (cause IN ('approval', 'withdrawal', 'reshare', 'policy'))",
        )?;
        add_column_if_missing(&tx, "federation_node", "policy_terms", "TEXT")?;
        outbox::upgrade(&tx)?;
        add_hazard_names(&tx)?;
        add_column_if_missing(&tx, "item_version", "geometry", "BLOB")?;
        reports::move_personal_data_out_of_bodies(&tx)?;
        tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'schema_version'",
            [SCHEMA_VERSION],
        )?;
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn write_tx(&mut self) -> Result<Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }
}

/// Adds column `column` of type `sql_type` to `table` unless the table has it already (an
/// upgrade step that a file already upgraded skips).
fn add_column_if_missing(
    conn: &Connection,
    table: &str,
    column: &str,
    sql_type: &str,
) -> Result<()> {
    let present: i64 = conn
        .prepare("SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2")?
        .query_row([table, column], |r| r.get(0))?;
    if present == 0 {
        conn.execute_batch(&format!(
            "ALTER TABLE {table} ADD COLUMN {column} {sql_type}"
        ))?;
    }
    Ok(())
}

/// Schema 4's `hazard_current.name` (the register searches and sorts on it, streams of hazard
/// states read it), added when missing and filled from each hazard's version in force.
fn add_hazard_names(conn: &Connection) -> Result<()> {
    add_column_if_missing(conn, "hazard_current", "name", "TEXT")?;
    conn.execute_batch(
        "UPDATE hazard_current SET name = coalesce( \
             (SELECT json_extract(v.record, '$.name') FROM item_version v \
              WHERE v.item_id = hazard_current.item_id AND v.valid_from = hazard_current.valid_from \
              AND v.recorded_at = hazard_current.recorded_at LIMIT 1), \
             (SELECT i.local_id FROM item i WHERE i.id = hazard_current.item_id)) \
         WHERE name IS NULL",
    )?;
    Ok(())
}

/// Fixed-width UTC timestamp (`2025-03-01T08:30:00.123456Z`): sorts lexicographically in
/// time order.
pub(crate) fn fmt_time(t: DateTime<Utc>) -> String {
    // Written digit by digit: chrono's `format` parses its pattern on every call, which was 5 %
    // of a bulk import's writing thread. Years outside 0–9999 and leap seconds take chrono.
    let micros = t.nanosecond() / 1000;
    if !(0..=9999).contains(&t.year()) || micros >= 1_000_000 {
        return t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    }
    let mut s = String::with_capacity(27);
    push_date(&mut s, t.date_naive());
    s.push('T');
    push_digits(&mut s, t.hour(), 2);
    s.push(':');
    push_digits(&mut s, t.minute(), 2);
    s.push(':');
    push_digits(&mut s, t.second(), 2);
    s.push('.');
    push_digits(&mut s, micros, 6);
    s.push('Z');
    s
}

/// Appends `YYYY-MM-DD` (a year in 0–9999).
fn push_date(s: &mut String, d: NaiveDate) {
    push_digits(s, d.year().unsigned_abs(), 4);
    s.push('-');
    push_digits(s, d.month(), 2);
    s.push('-');
    push_digits(s, d.day(), 2);
}

/// Appends the last `width` decimal digits of `n`, zero-padded.
fn push_digits(s: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u32.pow(place)) % 10;
        s.push(char::from(b'0' + digit as u8));
    }
}

pub(crate) fn parse_time(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::corrupt("timestamp", format!("{s}: {e}")))
}

pub(crate) fn fmt_date(d: NaiveDate) -> String {
    // Dates past 9999 (AsOf::now) are clamped so that text comparison stays correct.
    let max = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    let d = d.min(max);
    if d.year() < 0 {
        return d.format("%Y-%m-%d").to_string();
    }
    let mut s = String::with_capacity(10);
    push_date(&mut s, d);
    s
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| StoreError::corrupt("date", format!("{s}: {e}")))
}

/// The valid-time and transaction-time bounds of an [`AsOf`] as stored text.
pub(crate) fn as_of_bounds(as_of: AsOf) -> (String, String) {
    let known = as_of
        .known_at
        .map(fmt_time)
        .unwrap_or_else(|| "9999-12-31T23:59:59.999999Z".to_owned());
    (fmt_date(as_of.date), known)
}

/// Appends to the audit log inside the caller's transaction, each field cut to its bound.
pub(crate) fn audit(
    conn: &Connection,
    actor: &str,
    action: &str,
    target: &str,
    detail: Option<&str>,
) -> Result<()> {
    let a = crate::audit::BoundedAudit::new(actor, action, target, detail);
    conn.execute(
        "INSERT INTO audit (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![fmt_time(Utc::now()), a.actor, a.action, a.target, a.detail],
    )?;
    Ok(())
}

/// The rows of a query, each read as the tuple `R` (its columns in order) and decoded.
pub(crate) fn decoded_rows<R, T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    decode: fn(R) -> Result<T>,
) -> Result<Vec<T>>
where
    R: for<'r> TryFrom<&'r Row<'r>, Error = rusqlite::Error>,
{
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt
        .query_map(params, |r| R::try_from(r))?
        .collect::<rusqlite::Result<Vec<R>>>()?;
    rows.into_iter().map(decode).collect()
}

/// The row of a query (`None` without one), read as the tuple `R` and decoded.
pub(crate) fn decoded_row<R, T>(
    conn: &Connection,
    sql: &str,
    params: impl Params,
    decode: fn(R) -> Result<T>,
) -> Result<Option<T>>
where
    R: for<'r> TryFrom<&'r Row<'r>, Error = rusqlite::Error>,
{
    conn.query_row(sql, params, |r| R::try_from(r))
        .optional()?
        .map(decode)
        .transpose()
}

pub(crate) use items::{
    hazard_state, item_as_of, items_of_kind, linked_items, release_credits, version_count, versions,
};
pub(crate) use reports::load_report;

impl SqliteStore {
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn page_size(path: &Path) -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn times_and_dates_are_written_as_chrono_writes_them() {
        let mut t = DateTime::<Utc>::from_timestamp(-62_300_000_000, 0).unwrap();
        let step = chrono::Duration::seconds(86_400 * 919 + 3_671)
            + chrono::Duration::nanoseconds(1_234_567);
        for _ in 0..4000 {
            assert_eq!(fmt_time(t), t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string());
            let d = t.date_naive();
            let clamped = d.min(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap());
            assert_eq!(fmt_date(d), clamped.format("%Y-%m-%d").to_string());
            t += step;
        }
        for far in [NaiveDate::MIN, NaiveDate::MAX] {
            let clamped = far.min(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap());
            assert_eq!(fmt_date(far), clamped.format("%Y-%m-%d").to_string());
        }
        let before_year_0 = NaiveDate::from_ymd_opt(-1, 12, 31).unwrap();
        assert_eq!(fmt_date(before_year_0), "-0001-12-31");
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap()
            .and_utc();
        assert_eq!(
            fmt_time(leap),
            leap.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
        );
    }

    #[test]
    fn new_files_get_16_kib_pages_and_older_files_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.sqlite");
        drop(SqliteStore::create(&path).unwrap());
        assert_eq!(page_size(&path), PAGE_SIZE);

        // A file made by an earlier release, with SQLite's default 4 KiB pages, opens as it is.
        let old = Connection::open(&path).unwrap();
        old.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM;")
            .unwrap();
        drop(old);
        assert_eq!(page_size(&path), 4096);
        drop(SqliteStore::open(&path).unwrap());
        assert_eq!(page_size(&path), 4096);
    }
}
