//! `safeground migrate`: the demo programme goes to PostgreSQL and back (or to another SQLite
//! file) and the commands that read it answer the same. The PostgreSQL part skips (saying why)
//! without SAFEGROUND_TEST_POSTGRES, unless SAFEGROUND_REQUIRE_POSTGRES=1.

mod common;

use std::path::Path;

use common::{ok, postgres_url, s, safeground};
use safeground_store::postgres::testing::ScratchDatabase;
use safeground_store::{ProgrammeStore, SqliteStore};

/// What the reading commands print about a database (its own path left out).
fn answers(db: &Path) -> Vec<String> {
    let db = s(db);
    let mut out = vec![
        ok(&["check", db]).replace(db, "DB"),
        ok(&["summary", db]),
        ok(&["summary", db, "--format", "json"]),
        ok(&["hazard", db, "HAZ-000001"]),
        ok(&["users", "list", db]),
    ];
    for status in ["draft", "submitted", "approved", "rejected"] {
        out.push(ok(&["reports", db, "--status", status]));
    }
    out
}

fn demo(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("demo.sqlite");
    ok(&["demo", "--db", s(&db), "--hazards", "30", "--no-serve"]);
    db
}

/// The last audit entry of a SQLite programme: (actor, action).
fn last_audit(db: &Path) -> (String, String) {
    let store = SqliteStore::open(db).expect("open");
    let last = store.audit_log().expect("audit").pop().expect("an entry");
    (last.actor, last.action)
}

/// The file names under `dir`, at any depth.
fn walk(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            names.extend(walk(&path));
        } else {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names
}

fn migrate(from: &str, to: &str, extra: &[&str]) -> String {
    let mut args = vec!["migrate", "--from", from, "--to", to];
    args.extend(extra);
    let out = ok(&args);
    assert!(out.contains("verified"), "{out}");
    out
}

#[test]
fn sqlite_to_sqlite_answers_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());
    let copy = dir.path().join("copy.sqlite");
    let out = migrate(s(&db), &format!("sqlite:{}", s(&copy)), &["--as", "sokha"]);
    assert!(out.contains("item_version"), "{out}");
    assert_eq!(answers(&copy), answers(&db));
    // The library's files came along, and the copy's library finds its documents.
    let files = |db: &Path| {
        let mut names: Vec<_> = walk(&db.with_extension("library").join("objects"));
        names.sort();
        names
    };
    assert!(!files(&db).is_empty());
    assert_eq!(files(&copy), files(&db));
    assert!(
        out.contains(&format!("library: {} file(s)", files(&db).len())),
        "{out}"
    );
    let found = ok(&["library", "search", s(&copy), "land release"]);
    assert!(
        found.contains("Cambodian Mine Action Standard: Land release"),
        "{found}"
    );
    assert_eq!(
        last_audit(&copy),
        ("sokha".to_owned(), "programme.migrate".to_owned())
    );

    // The copy is not empty any more: a second migration into it is refused, naming why.
    let again = safeground(&["migrate", "--from", s(&db), "--to", s(&copy)]);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("not empty"), "{err}");
    assert!(err.contains("empty database"), "{err}");
}

#[test]
fn a_missing_source_says_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = safeground(&[
        "migrate",
        "--from",
        s(&dir.path().join("nothing.sqlite")),
        "--to",
        s(&dir.path().join("to.sqlite")),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("opening the source") && err.contains("does not exist"),
        "{err}"
    );
}

#[test]
fn sqlite_to_postgres_and_back_answers_the_same() {
    let Some(pg) = ScratchDatabase::create().expect("PostgreSQL test database") else {
        return;
    };
    let url = postgres_url(&pg);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());
    // Without a library folder for PostgreSQL the files are not copied, and it says so.
    let scratch = ScratchDatabase::create().expect("PostgreSQL test database");
    if let Some(other) = &scratch {
        let out = migrate(&format!("sqlite:{}", s(&db)), &postgres_url(other), &[]);
        assert!(out.contains("--to-library-dir"), "{out}");
    }
    let pg_library = dir.path().join("pg.library");
    migrate(
        &format!("sqlite:{}", s(&db)),
        &url,
        &["--to-library-dir", s(&pg_library)],
    );
    let back = dir.path().join("back.sqlite");
    migrate(
        &url,
        &format!("sqlite:{}", s(&back)),
        &["--from-library-dir", s(&pg_library)],
    );
    let mut there = walk(&back.with_extension("library").join("objects"));
    let mut here = walk(&db.with_extension("library").join("objects"));
    there.sort();
    here.sort();
    assert_eq!(there, here);

    assert_eq!(answers(&back), answers(&db));
    // Both copies are in the audit log: PostgreSQL's (copied back), then the way back.
    let store = SqliteStore::open(&back).expect("open");
    let migrations: Vec<_> = (store.audit_log().expect("audit").into_iter())
        .filter(|a| a.action == "programme.migrate")
        .map(|a| (a.actor, a.target))
        .collect();
    assert_eq!(migrations.len(), 2, "{migrations:?}");
    assert!(migrations.iter().all(|(actor, _)| actor == "migrate"));
    assert!(!migrations[0].1.contains("sqlite:"), "{migrations:?}");

    let again = safeground(&["migrate", "--from", s(&db), "--to", &url]);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("not empty"), "{err}");
}
