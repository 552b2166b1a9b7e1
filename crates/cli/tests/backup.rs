//! `safeground backup` and `safeground restore`: the demo programme is backed up while an
//! import writes into it, restored with the same tables (accounts, personal data, drafts, audit
//! log), and neither command overwrites anything; the programme archive says what it leaves
//! out. The PostgreSQL part skips (saying why) without SAFEGROUND_TEST_POSTGRES, unless
//! SAFEGROUND_REQUIRE_POSTGRES=1.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{ok, postgres_url, s, safeground, square_feature, write_collection};
use safeground_store::postgres::testing::ScratchDatabase;
use safeground_store::transfer;
use safeground_store::{ProgrammeStore, SqliteStore};

fn demo(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("demo.sqlite");
    ok(&["demo", "--db", s(&db), "--hazards", "30", "--no-serve"]);
    db
}

/// The table lines (name, rows, sha256) a backup or restore prints.
fn tables(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.split_whitespace().count() == 3 && !l.starts_with("table"))
        .map(str::to_owned)
        .collect()
}

fn last_audit(db: &Path) -> (String, String) {
    let store = SqliteStore::open(db).expect("open");
    let last = store.audit_log().expect("audit").pop().expect("an entry");
    (last.actor, last.action)
}

fn refused(args: &[&str]) -> String {
    let out = safeground(args);
    assert!(!out.status.success(), "{args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_backup_taken_during_an_import_restores_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());
    // An import approving 400 hazards in batches of 20 writes while the backup is taken.
    let features = (0..400)
        .map(|i| square_feature(&format!("BK{i}"), 104.0 + f64::from(i) * 0.002, 12.0, 40.0))
        .collect();
    let geojson = dir.path().join("more.geojson");
    write_collection(&geojson, features);
    let mut import = Command::new(env!("CARGO_BIN_EXE_safeground"))
        .args(["import", s(&db), s(&geojson), "--approve-as-migration"])
        .args(["--batch-size", "20", "--date", "2025-01-01"])
        .arg("--accept-outside-programme-area")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the import");
    // Once the import has committed its first batch, the backup is taken while it goes on.
    let hazards = || -> i64 {
        rusqlite::Connection::open(&db)
            .and_then(|c| c.query_row("SELECT count(*) FROM hazard_current", [], |r| r.get(0)))
            .unwrap_or(0)
    };
    let before = hazards();
    while hazards() == before && import.try_wait().expect("import").is_none() {
        std::thread::yield_now();
    }
    let out = dir.path().join("backup.sqlite");
    let taken = ok(&["backup", s(&db), s(&out), "--as", "sokha"]);
    let finished = import.wait_with_output().expect("import");
    assert!(
        finished.status.success(),
        "{}",
        String::from_utf8_lossy(&finished.stderr)
    );
    assert!(taken.contains("verified: integrity_check ok"), "{taken}");
    assert!(
        taken.contains("written ")
            && taken.contains(&format!(" rows in {} tables", transfer::TABLES.len())),
        "{taken}"
    );
    let sums = tables(&taken);
    for table in ["account", "victim_personal_data", "audit", "report"] {
        let line = sums.iter().find(|l| l.starts_with(&format!("{table} ")));
        assert!(line.is_some_and(|l| !l.contains(" 0 ")), "{table}: {taken}");
    }
    // Recorded in the programme's audit log (the import may have written after it).
    let audit = SqliteStore::open(&db)
        .expect("open")
        .audit_log()
        .expect("audit");
    let recorded = audit.iter().filter(|a| a.action == "programme.backup");
    assert_eq!(
        recorded
            .map(|a| (a.actor.as_str(), a.target.as_str()))
            .collect::<Vec<_>>(),
        [("sokha", s(&out))]
    );
    assert!(ok(&["check", s(&out)]).starts_with("ok:"));

    // An existing backup is kept unless --force.
    let err = refused(&["backup", s(&db), s(&out)]);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert!(ok(&["backup", s(&db), s(&out), "--force"]).contains("verified"));

    // Restored into a new file: the same tables as the snapshot, then the restore is audited.
    let first = dir.path().join("first.sqlite");
    let snapshot = ok(&["backup", s(&db), s(&first)]);
    let restored = dir.path().join("restored.sqlite");
    let done = ok(&["restore", s(&first), s(&restored)]);
    assert!(done.contains("verified: integrity_check ok"), "{done}");
    assert_eq!(tables(&done), tables(&snapshot));
    assert_eq!(
        last_audit(&restored),
        ("restore".to_owned(), "programme.restore".to_owned())
    );

    // Never over a programme with data.
    let err = refused(&["restore", s(&first), s(&db)]);
    assert!(err.contains("holds a programme"), "{err}");
    let err = refused(&["restore", s(&geojson), s(&dir.path().join("x.sqlite"))]);
    assert!(err.contains("not a Safeground backup"), "{err}");
}

#[test]
fn the_archive_says_what_it_does_not_hold() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());
    let gpkg = dir.path().join("archive.gpkg");
    let out = ok(&["export", s(&db), "--format", "gpkg", "--out", s(&gpkg)]);
    let limits = "it does not hold accounts, drafts and submitted reports, the audit log";
    assert!(
        out.contains(limits) && out.contains("safeground backup"),
        "{out}"
    );
    let description: String = rusqlite::Connection::open(&gpkg)
        .expect("open")
        .query_row(
            "SELECT description FROM gpkg_contents WHERE table_name = 'safeground_reports'",
            [],
            |r| r.get(0),
        )
        .expect("the archive's description");
    assert!(description.contains(limits), "{description}");
    assert!(description.contains("NOT included"), "{description}");

    let back = dir.path().join("back.sqlite");
    ok(&["init", s(&back)]);
    let out = ok(&["import", s(&back), s(&gpkg), "--approve-as-migration"]);
    assert!(out.contains(limits), "{out}");
}

#[test]
fn postgres_backup_and_restore_round_trip() {
    let Some(source) = ScratchDatabase::create().expect("PostgreSQL test database") else {
        return;
    };
    let Some(target) = ScratchDatabase::create().expect("PostgreSQL test database") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());
    let (from, to) = (postgres_url(&source), postgres_url(&target));
    ok(&["migrate", "--from", s(&db), "--to", &from]);
    let dump = dir.path().join("programme.pgdump");
    let taken = ok(&["backup", &from, s(&dump)]);
    assert!(taken.contains("verified: pg_restore --list"), "{taken}");
    assert!(taken.contains("pg_dump custom-format archive"), "{taken}");
    let done = ok(&["restore", s(&dump), &to]);
    assert!(done.contains("verified"), "{done}");
    assert_eq!(tables(&done), tables(&taken));
    assert!(ok(&["check", &to]).starts_with("ok:"));

    let err = refused(&["restore", s(&dump), &to]);
    assert!(err.contains("holds a programme"), "{err}");
    let err = refused(&["restore", s(&dump), s(&dir.path().join("x.sqlite"))]);
    assert!(err.contains("safeground migrate"), "{err}");
}

/// The file names under `dir`, at any depth, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            if entry.path().is_dir() {
                dirs.push(entry.path());
            } else {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    names
}

/// A hub's backup carries the photos of its ordnance reference pages with the library's files:
/// every file of the hub's library folder is named by a record and copied.
#[test]
fn a_hub_backup_carries_its_reference_page_photos() {
    let dir = tempfile::tempdir().expect("tempdir");
    let hub = dir.path().join("hub.sqlite");
    ok(&[
        "demo",
        "--regional",
        "--db",
        s(&hub),
        "--hazards",
        "12",
        "--seed",
        "5",
        "--no-serve",
    ]);
    let held = files_under(&hub.with_extension("library").join("objects"));
    assert!(held.len() >= 8, "the hub's pages hold drawings: {held:?}");
    let out = dir.path().join("hub-backup.sqlite");
    let said = ok(&["backup", s(&hub), s(&out)]);
    assert!(
        said.contains(&format!("library: {} file(s)", held.len())),
        "{said}"
    );
    assert_eq!(
        files_under(&out.with_extension("library").join("objects")),
        held
    );
}

/// The demo's orthophoto goes beside the backup and comes back with the restore, checked
/// against its SHA-256; a changed file is refused with what to do.
#[test]
fn a_backup_carries_the_orthophotos() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo(dir.path());
    let held = files_under(&db.with_extension("evidence"));
    assert_eq!(held.len(), 1, "the demo's orthophoto: {held:?}");
    let out = dir.path().join("backup.sqlite");
    let said = ok(&["backup", s(&db), s(&out)]);
    assert!(said.contains("evidence: 1 orthophoto file(s)"), "{said}");
    assert_eq!(files_under(&out.with_extension("evidence")), held);
    let restored = dir.path().join("restored.sqlite");
    let said = ok(&["restore", s(&out), s(&restored)]);
    assert!(said.contains("evidence: 1 orthophoto file(s)"), "{said}");
    assert_eq!(files_under(&restored.with_extension("evidence")), held);
    let listed = ok(&["evidence", "orthophotos", s(&restored)]);
    assert!(listed.contains("EPSG:326"), "{listed}");
    // An orthophoto changed on disk since it was added is not copied as if it were the same.
    let file = std::fs::read_dir(db.with_extension("evidence").join("orthophotos"))
        .expect("folder")
        .next()
        .expect("a file")
        .expect("entry")
        .path();
    let mut bytes = std::fs::read(&file).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&file, bytes).expect("write");
    let error = refused(&["backup", s(&db), s(&dir.path().join("second.sqlite"))]);
    assert!(error.contains("has changed since it was added"), "{error}");
}
