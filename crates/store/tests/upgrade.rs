//! A database written by schema version 1 (before report revisions and accounts) is upgraded in
//! place when opened, keeping its reports.

use safeground_store::{AccountStore, ProgrammeStore, SqliteStore};

#[test]
fn version_1_databases_are_upgraded_on_open() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("v1.sqlite");
    drop(SqliteStore::create(&path).expect("create"));
    {
        // Turn it back into what schema 1 looked like, with one report.
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(
            "DROP TABLE import_checkpoint; DROP TABLE credential; DROP TABLE login_failure; DROP TABLE account;
             ALTER TABLE report DROP COLUMN revision;
             UPDATE meta SET value = '1' WHERE key = 'schema_version';
             INSERT INTO report (organisation, title, date_of_information, status, body, created_by, created_at)
             VALUES ('ORG-HALO', 'old report', '2020-01-01', 'draft', '[]', 'someone', '2020-01-02T00:00:00.000000Z');",
        )
        .expect("downgrade");
    }
    let store = SqliteStore::open(&path).expect("upgrade on open");
    let r = store.report(1).expect("the old report is kept");
    assert_eq!(r.content.title, "old report");
    assert_eq!(r.revision, 1);
    assert!(store.accounts().expect("accounts table exists").is_empty());
    drop(store);
    let version: String = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .expect("version");
    assert_eq!(version, "3");
}
