//! Versioned, idempotent migrations. `schema_version` records every migration applied; each
//! missing one is applied in one transaction under an advisory lock, so concurrent servers
//! starting at once migrate exactly once, and a database of a newer Safeground is refused.

use postgres::Client;

use super::Doing;
use crate::{Result, StoreError};

/// The migrations, in order: (version, SQL). Never edit a released one; add the next.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("sql/001_initial.sql")),
    (2, include_str!("sql/002_lz4_compression.sql")),
    (3, include_str!("sql/003_hazard_name.sql")),
    (4, include_str!("sql/004_report_personal_data.sql")),
    (5, include_str!("sql/005_account_request.sql")),
    (6, include_str!("sql/006_break_glass.sql")),
    (7, include_str!("sql/007_federation.sql")),
    (8, include_str!("sql/008_hub.sql")),
    (9, include_str!("sql/009_federation_withdrawals.sql")),
    (10, include_str!("sql/010_library.sql")),
    (11, include_str!("sql/011_training.sql")),
    (12, include_str!("sql/012_reference_pages_exchange.sql")),
    (13, include_str!("sql/013_planning.sql")),
    (14, include_str!("sql/014_field.sql")),
    (15, include_str!("sql/015_evidence.sql")),
];

/// Key of the advisory lock held while migrating.
const MIGRATION_LOCK: i64 = 0x5AFE_6801;

/// The newest schema version this Safeground knows.
pub(crate) fn latest() -> i32 {
    MIGRATIONS.last().map_or(0, |(v, _)| *v)
}

/// The schema version of the database (None: no Safeground schema).
pub(crate) fn current_version(client: &mut Client) -> Result<Option<i32>> {
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
        .doing("reading the schema version")?
        .get(0);
    if !exists {
        return Ok(None);
    }
    Ok(client
        .query_one("SELECT max(version) FROM schema_version", &[])
        .doing("reading the schema version")?
        .get(0))
}

/// Applies every migration the database lacks; refuses a schema newer than [`latest`].
pub(crate) fn migrate(client: &mut Client) -> Result<()> {
    let mut tx = client.transaction().doing("starting the migration")?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .doing("waiting for the migration lock")?;
    // Checked first rather than `CREATE TABLE IF NOT EXISTS`, whose notice would be logged on
    // every connection the server opens.
    let exists: bool = tx
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
        .and_then(|row| row.try_get(0))
        .doing("looking for the schema_version table")?;
    if !exists {
        tx.batch_execute(
            "CREATE TABLE schema_version (
                 version    integer PRIMARY KEY,
                 applied_at timestamptz NOT NULL DEFAULT now()
             )",
        )
        .doing("creating the schema_version table")?;
    }
    let current: i32 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])
        .doing("reading the schema version")?
        .get(0);
    if current > latest() {
        return Err(StoreError::Schema(format!(
            "database schema version {current} is newer than this Safeground supports \
             (expects {}); upgrade Safeground",
            latest()
        )));
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        tx.batch_execute(sql)
            .doing(&format!("applying migration {version}"))?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[version],
        )
        .doing(&format!("recording migration {version}"))?;
    }
    tx.commit().doing("committing the migration")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::postgres::testing::ScratchDatabase;
    use crate::{AccountStore, PostgresStore};

    fn scratch() -> Option<ScratchDatabase> {
        ScratchDatabase::create().expect("PostgreSQL test database")
    }

    #[test]
    fn migrations_are_idempotent_and_recorded_once() {
        let Some(db) = scratch() else { return };
        let url = db.config();
        let mut client = db.client().expect("client");
        assert_eq!(current_version(&mut client).expect("version"), None);
        migrate(&mut client).expect("first");
        migrate(&mut client).expect("second run changes nothing");
        drop(PostgresStore::connect_config(&url).expect("connect"));
        let rows: Vec<i32> = client
            .query("SELECT version FROM schema_version ORDER BY version", &[])
            .expect("versions")
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(rows, (1..=latest()).collect::<Vec<_>>());
        let postgis: bool = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')",
                &[],
            )
            .expect("extension")
            .get(0);
        assert!(postgis);
    }

    #[test]
    fn a_newer_schema_is_refused_and_left_alone() {
        let Some(db) = scratch() else { return };
        let mut client = db.client().expect("client");
        migrate(&mut client).expect("migrate");
        let newer = latest() + 1;
        client
            .execute(
                "INSERT INTO schema_version (version) VALUES ($1)",
                &[&newer],
            )
            .expect("pretend a newer Safeground migrated it");
        let err = migrate(&mut client).expect_err("newer schema");
        assert!(
            matches!(&err, StoreError::Schema(m) if m.contains("upgrade Safeground")),
            "{err}"
        );
        let err = db.connect().expect_err("connect refuses too");
        assert!(matches!(err, StoreError::Schema(_)), "{err}");
        assert_eq!(current_version(&mut client).expect("version"), Some(newer));
    }

    #[test]
    fn create_needs_an_empty_database_and_open_an_existing_one() {
        let Some(db) = scratch() else { return };
        let url = config_string(&db);
        let err = PostgresStore::open(&url).expect_err("nothing to open yet");
        assert!(matches!(err, StoreError::Schema(_)), "{err}");
        let mut store = PostgresStore::create(&url).expect("create");
        store
            .record_audit("tester", "test.mark", "db", None)
            .expect("write");
        drop(store);
        let err = PostgresStore::create(&url).expect_err("already created");
        assert!(err.to_string().contains("already holds"), "{err}");
        let store = PostgresStore::open(&url).expect("open");
        assert_eq!(
            crate::ProgrammeStore::audit_log(&store)
                .expect("audit")
                .len(),
            1
        );
    }

    #[test]
    fn errors_name_what_was_being_done() {
        let err = PostgresStore::connect("host=/nonexistent-safeground-socket port=1 user=x")
            .expect_err("no server there");
        let text = err.to_string();
        assert!(text.contains("connecting to PostgreSQL"), "{text}");
        let err = PostgresStore::connect("port=not-a-number").expect_err("bad string");
        assert!(err.to_string().contains("connection string"), "{err}");
    }

    /// The scratch database as a key-value connection string.
    fn config_string(db: &ScratchDatabase) -> String {
        let base = std::env::var(crate::postgres::testing::URL_VAR).unwrap_or_default();
        if base.contains("://") {
            let sep = if base.contains('?') { '&' } else { '?' };
            format!("{base}{sep}dbname={}", db.name())
        } else {
            format!("{base} dbname={}", db.name())
        }
    }
}
