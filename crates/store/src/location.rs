//! Where a programme lives: an SQLite file or a PostgreSQL database, and a store opened on
//! either behind one type.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::{
    AccountRequests, AccountStore, BreakGlassStore, FederationStore, HubDetectorStore, HubStore,
    HubTrainingStore, LibraryExchangeStore, LibraryStore, PostgresStore, ProgrammeStore,
    ReferenceStore, Result, SqliteStore, TrainingStore,
};

/// Any backend: both contracts, movable to a blocking thread.
pub trait Backend:
    ProgrammeStore
    + AccountStore
    + AccountRequests
    + BreakGlassStore
    + FederationStore
    + HubStore
    + HubTrainingStore
    + HubDetectorStore
    + ReferenceStore
    + TrainingStore
    + LibraryStore
    + crate::OrdnancePageStore
    + LibraryExchangeStore
    + crate::PlanningStore
    + crate::FieldStore
    + crate::EvidenceStore
    + Send
{
    /// True once the connection to the database server is known to be gone (the server
    /// restarted, an administrator or a firewall ended the session): the store will not work
    /// again and must be opened anew. Costs nothing; an embedded database never loses it.
    fn connection_lost(&self) -> bool {
        false
    }
}

impl Backend for SqliteStore {}

impl Backend for PostgresStore {
    fn connection_lost(&self) -> bool {
        self.is_closed()
    }
}

/// A store of either backend.
pub type AnyStore = Box<dyn Backend>;

/// A programme database: `sqlite:PATH` or a bare path for SQLite; `postgres://…`,
/// `postgresql://…` or a libpq `key=value` string (`host=… dbname=…`) for PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection string.
    Postgres(String),
}

impl FromStr for Location {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("give a database: a file path, sqlite:PATH or postgres://…".into());
        }
        if let Some(path) = s.strip_prefix("sqlite:") {
            return Ok(Location::Sqlite(PathBuf::from(
                path.trim_start_matches("//"),
            )));
        }
        let keyword = |k: &str| {
            s.split_whitespace()
                .any(|part| part.split_once('=').is_some_and(|(key, _)| key == k))
        };
        if s.starts_with("postgres://")
            || s.starts_with("postgresql://")
            || keyword("host")
            || keyword("dbname")
        {
            return Ok(Location::Postgres(s.to_owned()));
        }
        Ok(Location::Sqlite(PathBuf::from(s)))
    }
}

impl fmt::Display for Location {
    /// Shows the location without its password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "sqlite:{}", p.display()),
            Location::Postgres(s) => f.write_str(&redact(s)),
        }
    }
}

/// A connection string with its password replaced by `***`.
fn redact(s: &str) -> String {
    if let Some(rest) = s.split_once("://").map(|(_, r)| r)
        && let Some((credentials, _)) = rest.split_once('@')
        && let Some((_, password)) = credentials.split_once(':')
    {
        return s.replacen(&format!(":{password}@"), ":***@", 1);
    }
    s.split_whitespace()
        .map(|part| match part.split_once('=') {
            Some(("password", _)) => "password=***".to_owned(),
            _ => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Location {
    /// Opens an existing programme (upgrading an older schema).
    pub fn open(&self) -> Result<AnyStore> {
        Ok(match self {
            Location::Sqlite(p) => Box::new(SqliteStore::open(p)?),
            Location::Postgres(url) => Box::new(PostgresStore::open(url)?),
        })
    }

    /// Creates a new, empty programme; fails where one exists.
    pub fn create(&self) -> Result<AnyStore> {
        Ok(match self {
            Location::Sqlite(p) => Box::new(SqliteStore::create(p)?),
            Location::Postgres(url) => Box::new(PostgresStore::create(url)?),
        })
    }

    /// Whether this is a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Location::Postgres(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_recognised_and_shown_without_passwords() {
        let p = |s: &str| s.parse::<Location>().expect(s);
        assert_eq!(p("demo.sqlite"), Location::Sqlite("demo.sqlite".into()));
        assert_eq!(
            p("sqlite:/tmp/a b.sqlite"),
            Location::Sqlite("/tmp/a b.sqlite".into())
        );
        assert!(p("postgres://sg:secret@db.example.org/programme").is_postgres());
        assert!(p("postgresql://localhost/sg").is_postgres());
        assert!(p("host=/tmp/pg port=5433 user=postgres").is_postgres());
        assert!(p("dbname=sg").is_postgres());
        assert_eq!(
            p("postgres://sg:secret@db.example.org/programme").to_string(),
            "postgres://sg:***@db.example.org/programme"
        );
        assert_eq!(
            p("host=db user=sg password=secret dbname=p").to_string(),
            "host=db user=sg password=*** dbname=p"
        );
        assert_eq!(p("x.sqlite").to_string(), "sqlite:x.sqlite");
        assert!("  ".parse::<Location>().is_err());
    }
}
