//! The programme archive carries the files of its approved reports (table
//! `safeground_attachments`, an attributes table of the GeoPackage) and its restore attaches
//! them again, byte-exact, to the restored reports' entries; a file whose bytes no longer have
//! their SHA-256 refuses the restore before anything is written; an archive written before files
//! were archived still restores. Every scenario runs on SQLite and, when
//! SAFEGROUND_TEST_POSTGRES is set, on PostgreSQL (skipped with the reason printed when not).

use std::path::Path;
use std::process::Command;

use safeground_io::archive::FILES_TABLE;
use safeground_io::{COLLECTIONS, Filter, export_geopackage, read_archive, restore};
use safeground_model::ItemKind;
use safeground_store::field::{FieldFile, FieldSubmission};
use safeground_store::postgres::testing::ScratchDatabase;
use safeground_store::{
    ApproveOptions, Backend, NewReport, ReportFilter, ReportId, ReportStatus, SqliteStore,
};

/// Runs each scenario with a source and an empty target store of each backend.
macro_rules! backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() {
                let dir = tempfile::tempdir().expect("dir");
                let store = || super::SqliteStore::in_memory().expect("store");
                super::$name(store(), store(), dir.path());
            })*
        }
        mod postgres {
            $(#[test] fn $name() {
                let dir = tempfile::tempdir().expect("dir");
                let scratch = || super::ScratchDatabase::store().expect("PostgreSQL test database");
                let (Some((_a, source)), Some((_b, target))) = (scratch(), scratch()) else {
                    return;
                };
                super::$name(source, target, dir.path());
            })*
        }
    };
}

backends!(
    the_archive_carries_the_approved_reports_files_and_restores_them,
    a_tampered_file_refuses_the_restore_and_nothing_is_written,
    an_archive_without_files_still_restores,
);

fn report(title: &str, entries: serde_json::Value) -> NewReport {
    serde_json::from_value(serde_json::json!({
        "title": title, "date_of_information": "2024-02-05",
        "entries": entries,
    }))
    .expect("report")
}

fn eo_find(local_id: &str) -> serde_json::Value {
    serde_json::json!({"reconcile": {"action": "new"}, "record": {"kind": "eo_find",
        "local_id": local_id, "category": "ap_mine", "quantity": 1,
        "found_date": "2024-02-01"}})
}

fn photo(part: &str, entry: usize, caption: Option<&str>, bytes: Vec<u8>) -> FieldFile {
    FieldFile {
        part: part.into(),
        entry,
        name: format!("IMG_{part}.jpg"),
        media_type: "image/jpeg".into(),
        caption: caption.map(Into::into),
        bytes,
    }
}

fn field_report<S: Backend>(
    store: &mut S,
    uuid: &str,
    report: &NewReport,
    files: &[FieldFile],
) -> ReportId {
    let s = FieldSubmission {
        uuid,
        digest: "d1",
        form_version: "0123456789abcdef",
        report,
        files,
    };
    store.submit_field("officer", &s).expect("submit").report()
}

/// A programme: a field submission of two EO finds with two photos and an accident with its
/// victim, approved; a third field submission with a photo left submitted. Gives the id of the
/// approved report with photos.
fn programme<S: Backend>(store: &mut S) -> ReportId {
    let finds = report(
        "EO spot task",
        serde_json::json!([eo_find("EO-1"), eo_find("EO-2")]),
    );
    let photos = [
        photo(
            "0001",
            0,
            Some("AP mine in place"),
            b"\xFF\xD8first\xFF\xD9".to_vec(),
        ),
        photo(
            "0002",
            1,
            None,
            (0..90_000u32).map(|i| (i % 251) as u8).collect(),
        ),
    ];
    let with_photos = field_report(
        store,
        "0b6f1f52-8c1e-4c5a-9d0e-3f2a1b4c5d6e",
        &finds,
        &photos,
    );
    let accident = report(
        "accident",
        serde_json::json!([
            {"reconcile": {"action": "new"}, "record": {"kind": "accident", "local_id": "ACC-1",
                "date": "2024-02-01", "date_known": true}},
            {"reconcile": {"action": "new"}, "record": {"kind": "victim", "local_id": "VIC-1",
                "accident": "ACC-1", "sex": "female", "outcome": "injured"},
             "personal_data": {"full_name": "Sok Chenda"}},
        ]),
    );
    let accident = store
        .submit_batch("officer", &[accident])
        .expect("accident")[0];
    for id in [with_photos, accident] {
        store
            .approve_report("approver", id, &ApproveOptions::default())
            .expect("approve");
    }
    let pending = report("not yet approved", serde_json::json!([eo_find("EO-3")]));
    field_report(
        store,
        "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        &pending,
        &[photo("0003", 0, None, b"pending".to_vec())],
    );
    with_photos
}

/// The programme of `source` exported as an archive at `dir/programme.gpkg`.
fn archive<S: Backend>(source: &mut S, dir: &Path) -> (ReportId, std::path::PathBuf) {
    let id = programme(source);
    let gpkg = dir.join("programme.gpkg");
    let all: Vec<_> = COLLECTIONS.iter().collect();
    export_geopackage(source, &all, &Filter::default(), None, &gpkg).expect("export");
    (id, gpkg)
}

/// A file as it reads back: entry, kind, local id, name, media type, sha256, caption, bytes.
type Read = (
    usize,
    ItemKind,
    String,
    String,
    String,
    String,
    Option<String>,
    Vec<u8>,
);

fn files<S: Backend>(store: &S, report: ReportId) -> Vec<Read> {
    (store.attachments(report).expect("list").into_iter())
        .map(|a| {
            let (a, bytes) = store.attachment(a.id).expect("read");
            let got = (a.entry, a.kind, a.local_id, a.name, a.media_type, a.sha256);
            (got.0, got.1, got.2, got.3, got.4, got.5, a.caption, bytes)
        })
        .collect()
}

fn report_count<S: Backend>(store: &S) -> usize {
    let all = ReportFilter {
        limit: 1_000,
        ..ReportFilter::default()
    };
    store.list_reports(&all).expect("reports").len()
}

fn gdal_reads_the_files_table(path: &Path) {
    let present = Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        eprintln!("skipped the GDAL check: ogrinfo (Debian gdal-bin) is not installed");
        return;
    }
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so"])
        .arg(path)
        .arg(FILES_TABLE)
        .output()
        .expect("ogrinfo");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && !stderr.contains("Warning") && !stderr.contains("ERROR"),
        "GDAL on the files table: {stderr}"
    );
    assert!(stdout.contains("Feature Count: 2"), "{stdout}");
    assert!(stdout.contains("bytes: Binary"), "{stdout}");
}

fn the_archive_carries_the_approved_reports_files_and_restores_them<S: Backend>(
    mut source: S,
    mut target: S,
    dir: &Path,
) {
    let (id, gpkg) = archive(&mut source, dir);
    let conn = rusqlite::Connection::open(&gpkg).expect("open");
    let registered: String = conn
        .query_row(
            "SELECT data_type FROM gpkg_contents WHERE table_name = ?1",
            [FILES_TABLE],
            |r| r.get(0),
        )
        .expect("registered");
    assert_eq!(registered, "attributes");
    drop(conn);
    gdal_reads_the_files_table(&gpkg);

    let archived = read_archive(&gpkg).expect("read").expect("an archive");
    assert_eq!(archived.len(), 2, "the submitted report is left out");
    let with_photos = (archived.iter())
        .find(|r| r.id == id)
        .expect("archived report");
    assert_eq!(with_photos.files.len(), 2);
    assert!(
        archived
            .iter()
            .filter(|r| r.id != id)
            .all(|r| r.files.is_empty())
    );

    let summary = restore(&mut target, "migration", &archived).expect("restore");
    assert_eq!((summary.reports, summary.files), (2, 2));
    let approved = target
        .reports_with_status(ReportStatus::Approved)
        .expect("approved");
    let restored = (approved.iter().copied())
        .find(|&r| !target.attachments(r).expect("list").is_empty())
        .expect("a restored report with files");
    let expected = files(&source, id);
    assert_eq!(files(&target, restored), expected);
    assert_eq!(expected[0].3, "IMG_0001.jpg");
    assert_eq!(expected[0].6.as_deref(), Some("AP mine in place"));
    assert_eq!((expected[1].0, expected[1].1), (1, ItemKind::EoFind));
    assert_eq!(expected[1].2, "EO-2");
    assert_eq!(
        target.report(restored).expect("report").content.entries,
        source.report(id).expect("report").content.entries
    );
    let by: Vec<_> = (target.attachments(restored).expect("list").into_iter())
        .map(|a| a.created_by)
        .collect();
    assert_eq!(by, ["migration", "migration"]);
    let audited = (target.audit_log().expect("audit").into_iter())
        .filter(|e| e.action == "field.attachments.restore")
        .count();
    assert_eq!(audited, 1);
    assert!(target.check_consistency().expect("check").is_empty());
}

fn a_tampered_file_refuses_the_restore_and_nothing_is_written<S: Backend>(
    mut source: S,
    mut target: S,
    dir: &Path,
) {
    let (_, gpkg) = archive(&mut source, dir);
    let conn = rusqlite::Connection::open(&gpkg).expect("open");
    let changed = conn
        .execute(
            &format!(
                "UPDATE {FILES_TABLE} SET bytes = CAST('not the photo' AS BLOB) \
                 WHERE name = 'IMG_0002.jpg'"
            ),
            [],
        )
        .expect("tamper");
    assert_eq!(changed, 1);
    drop(conn);
    let archived = read_archive(&gpkg).expect("read").expect("an archive");
    let err = restore(&mut target, "migration", &archived)
        .expect_err("a tampered file")
        .to_string();
    assert!(err.contains("nothing was written"), "{err}");
    assert!(err.contains("`IMG_0002.jpg`"), "{err}");
    assert!(err.contains("SHA-256"), "{err}");
    assert_eq!(report_count(&target), 0);
    assert!(target.attachments(1).expect("list").is_empty());
    assert!(
        target
            .items_of_kind(ItemKind::EoFind)
            .expect("items")
            .is_empty()
    );
}

fn an_archive_without_files_still_restores<S: Backend>(mut source: S, mut target: S, dir: &Path) {
    let (_, gpkg) = archive(&mut source, dir);
    let conn = rusqlite::Connection::open(&gpkg).expect("open");
    conn.execute_batch(&format!(
        "DROP TABLE {FILES_TABLE}; DELETE FROM gpkg_contents WHERE table_name = '{FILES_TABLE}';"
    ))
    .expect("an older archive");
    drop(conn);
    let archived = read_archive(&gpkg).expect("read").expect("an archive");
    assert!(archived.iter().all(|r| r.files.is_empty()));
    let summary = restore(&mut target, "migration", &archived).expect("restore");
    assert_eq!((summary.reports, summary.files), (2, 0));
    assert_eq!(report_count(&target), 2);
    assert_eq!(
        target.items_of_kind(ItemKind::EoFind).expect("items").len(),
        2
    );
}
