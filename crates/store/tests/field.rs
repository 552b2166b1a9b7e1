//! Offline field capture (every backend runs the suite unchanged): a submission is stored once
//! however often it is retried, a changed one under the same uuid clashes, a bad one writes
//! nothing, files go to their entry (never to a victim), read back byte-exact with their
//! SHA-256, list on the approved item, and travel with transfers and backups. Two devices
//! retrying at once on PostgreSQL store one report.

#[macro_use]
mod common;

use safeground_model::ItemKind;
use safeground_store::backup::{self, BackupOptions};
use safeground_store::field::{FieldFile, FieldSubmission, SubmissionOutcome, VICTIM_PHOTO};
use safeground_store::postgres::testing::ScratchDatabase;
use safeground_store::transfer::{self, Dump};
use safeground_store::{
    ApproveOptions, FieldStore, Location, NewReport, ProgrammeStore, ReportFilter, ReportStatus,
    SqliteStore, StoreError,
};
use sha2::{Digest, Sha256};

backends!(
    a_submission_is_stored_once_and_other_content_under_its_uuid_clashes,
    an_invalid_submission_writes_nothing,
    files_on_missing_or_victim_entries_are_refused_and_nothing_is_written,
    attachments_read_back_byte_exact_with_their_sha256,
    an_approved_items_files_are_listed_newest_first,
);

const UUID: &str = "0b6f1f52-8c1e-4c5a-9d0e-3f2a1b4c5d6e";
const OTHER_UUID: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

fn report(title: &str, entries: serde_json::Value) -> NewReport {
    serde_json::from_value(serde_json::json!({
        "title": title, "date_of_information": "2024-02-05", "entries": entries,
    }))
    .expect("report")
}

fn eo_find(local_id: &str, quantity: u32) -> serde_json::Value {
    serde_json::json!({"reconcile": {"action": "new"}, "record": {"kind": "eo_find",
        "local_id": local_id, "category": "ap_mine", "quantity": quantity,
        "found_date": "2024-02-01"}})
}

/// Two EO finds.
fn finds() -> NewReport {
    report(
        "EO spot task",
        serde_json::json!([eo_find("EO-1", 2), eo_find("EO-2", 1)]),
    )
}

/// An accident and its victim (with personal data).
fn accident() -> NewReport {
    report(
        "accident",
        serde_json::json!([
            {"reconcile": {"action": "new"}, "record": {"kind": "accident", "local_id": "ACC-1",
                "date": "2024-02-01", "date_known": true}},
            {"reconcile": {"action": "new"}, "record": {"kind": "victim", "local_id": "VIC-1",
                "accident": "ACC-1", "sex": "female", "outcome": "injured"},
             "personal_data": {"full_name": "Sok Chenda"}},
        ]),
    )
}

fn file(part: &str, entry: usize, bytes: &[u8]) -> FieldFile {
    FieldFile {
        part: part.into(),
        entry,
        name: format!("{part}.jpg"),
        media_type: "image/jpeg".into(),
        caption: Some(format!("{part} in place")),
        bytes: bytes.to_vec(),
    }
}

fn submission<'a>(
    uuid: &'a str,
    digest: &'a str,
    report: &'a NewReport,
    files: &'a [FieldFile],
) -> FieldSubmission<'a> {
    FieldSubmission {
        uuid,
        digest,
        form_version: "0123456789abcdef",
        report,
        files,
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn report_count<S: ProgrammeStore + ?Sized>(store: &S) -> usize {
    let all = ReportFilter {
        limit: 1_000,
        ..Default::default()
    };
    store.list_reports(&all).expect("reports").len()
}

fn audited<S: ProgrammeStore + ?Sized>(store: &S, action: &str) -> Vec<String> {
    (store.audit_log().expect("audit").into_iter())
        .filter(|e| e.action == action)
        .map(|e| e.detail.unwrap_or_default())
        .collect()
}

fn invalid_fields(err: &StoreError) -> Vec<(String, String)> {
    match err {
        StoreError::Invalid(e) => (e.0.iter())
            .map(|f| (f.field.clone(), f.message.clone()))
            .collect(),
        other => panic!("not a validation error: {other}"),
    }
}

/// Nothing of a submission was written: no report, no attachment, no submission row.
fn nothing_written<S: ProgrammeStore + FieldStore>(store: &S, uuid: &str) {
    assert_eq!(report_count(store), 0);
    assert_eq!(store.field_submission(uuid).expect("read"), None);
    assert!(store.attachments(1).expect("files").is_empty());
    assert!(audited(store, "field.submission").is_empty());
    assert!(audited(store, "report.create").is_empty());
}

fn a_submission_is_stored_once_and_other_content_under_its_uuid_clashes<
    S: ProgrammeStore + FieldStore,
>(
    mut store: S,
) {
    let report = finds();
    let files = [file("photo-0", 0, b"\xFF\xD8first\xFF\xD9")];
    let first = store
        .submit_field("officer", &submission(UUID, "d1", &report, &files))
        .expect("first");
    let SubmissionOutcome::Created(id) = first else {
        panic!("{first:?}")
    };
    let stored = store.report(id).expect("report");
    assert_eq!(stored.status, ReportStatus::Submitted);
    assert_eq!(stored.submitted_by.as_deref(), Some("officer"));
    assert_eq!(stored.content.entries.len(), 2);
    assert_eq!(
        store.field_submission(UUID).expect("row"),
        Some((id, "d1".to_owned()))
    );
    // A retry (the answer was lost on the way back): the same report, nothing written.
    let again = store
        .submit_field("officer", &submission(UUID, "d1", &report, &files))
        .expect("retry");
    assert_eq!(again, SubmissionOutcome::AlreadyStored(id));
    assert_eq!(again.report(), id);
    assert_eq!(report_count(&store), 1);
    assert_eq!(store.attachments(id).expect("files").len(), 1);
    // Other content under the same uuid.
    let changed = finds();
    let err = store
        .submit_field("officer", &submission(UUID, "d2", &changed, &[]))
        .expect_err("clash");
    let StoreError::Clash(message) = &err else {
        panic!("{err}")
    };
    assert!(
        message.contains(UUID) && message.contains(&format!("report {id}")),
        "{message}"
    );
    assert_eq!(report_count(&store), 1);
    // Audited as submit_batch audits, once, and the submission with its uuid and files.
    assert_eq!(audited(&store, "report.create").len(), 1);
    assert_eq!(audited(&store, "report.submit").len(), 1);
    let field = audited(&store, "field.submission");
    assert_eq!(field.len(), 1);
    assert!(
        field[0].contains(UUID) && field[0].contains(&format!("report {id}")),
        "{field:?}"
    );
    assert!(field[0].contains("1 file"), "{field:?}");
    assert_eq!(store.field_submission(OTHER_UUID).expect("none"), None);
}

fn an_invalid_submission_writes_nothing<S: ProgrammeStore + FieldStore>(mut store: S) {
    let bad = report("bad", serde_json::json!([eo_find("", 0)]));
    let files = [file("photo-0", 0, b"jpeg")];
    let err = store
        .submit_field("officer", &submission(UUID, "d1", &bad, &files))
        .expect_err("invalid");
    let fields = invalid_fields(&err);
    assert!(
        fields
            .iter()
            .any(|(f, _)| f.starts_with("entries[0].record.")),
        "{fields:?}"
    );
    assert!(
        !fields.iter().any(|(f, _)| f.starts_with("reports[")),
        "{fields:?}"
    );
    nothing_written(&store, UUID);
    // Neither is a uuid that is not one.
    let good = finds();
    let err = store
        .submit_field("officer", &submission("NOT-A-UUID", "d1", &good, &[]))
        .expect_err("bad uuid");
    assert_eq!(invalid_fields(&err)[0].0, "uuid");
    nothing_written(&store, "NOT-A-UUID");
}

fn files_on_missing_or_victim_entries_are_refused_and_nothing_is_written<
    S: ProgrammeStore + FieldStore,
>(
    mut store: S,
) {
    let report = accident();
    let files = [
        file("photo-0", 0, b"accident site"),
        file("photo-1", 5, b"nowhere"),
        file("photo-2", 1, b"victim"),
    ];
    let err = store
        .submit_field("officer", &submission(UUID, "d1", &report, &files))
        .expect_err("refused");
    let fields = invalid_fields(&err);
    assert_eq!(fields.len(), 2, "{fields:?}");
    assert_eq!(fields[0].0, "attachments[1].entry");
    assert!(fields[0].1.contains("no entry 5"), "{fields:?}");
    assert_eq!(
        fields[1],
        ("attachments[2].entry".to_owned(), VICTIM_PHOTO.to_owned())
    );
    nothing_written(&store, UUID);
    // The accident's own photo is welcome.
    let outcome = store
        .submit_field("officer", &submission(UUID, "d1", &report, &files[..1]))
        .expect("accident photo");
    let on = store.attachments(outcome.report()).expect("files");
    assert_eq!(on.len(), 1);
    assert_eq!(
        (on[0].kind, on[0].local_id.as_str()),
        (ItemKind::Accident, "ACC-1")
    );
}

fn attachments_read_back_byte_exact_with_their_sha256<S: ProgrammeStore + FieldStore>(
    mut store: S,
) {
    let report = finds();
    let big: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let files = [
        file("photo-1", 1, &big),
        file("photo-0", 0, b"\x00\x01\x02\xFF"),
        FieldFile {
            caption: None,
            media_type: "application/pdf".into(),
            ..file("form", 0, b"%PDF-1.7")
        },
    ];
    let id = store
        .submit_field("officer", &submission(UUID, "d1", &report, &files))
        .expect("submit")
        .report();
    let listed = store.attachments(id).expect("files");
    let order: Vec<(usize, &str)> = (listed.iter())
        .map(|a| (a.entry, a.name.as_str()))
        .collect();
    assert_eq!(
        order,
        [(0, "photo-0.jpg"), (0, "form.jpg"), (1, "photo-1.jpg")]
    );
    for a in &listed {
        let sent = (files.iter())
            .find(|f| f.name == a.name)
            .expect("a file sent");
        let (read, bytes) = store.attachment(a.id).expect("read back");
        assert_eq!(&read, a);
        assert_eq!(bytes, sent.bytes, "{}", a.name);
        assert_eq!(a.size, sent.bytes.len() as u64);
        assert_eq!(a.sha256, sha256(&sent.bytes));
        assert_eq!(a.media_type, sent.media_type);
        assert_eq!(a.caption, sent.caption);
        assert_eq!((a.report, a.kind), (id, ItemKind::EoFind));
        assert_eq!(a.created_by, "officer");
    }
    assert_eq!(listed[2].local_id, "EO-2");
    let err = store.attachment(999_999).expect_err("unknown");
    assert!(
        matches!(&err, StoreError::NotFound(m) if m.contains("999999")),
        "{err}"
    );
    assert!(store.check_consistency().expect("check").is_empty());
}

fn an_approved_items_files_are_listed_newest_first<S: ProgrammeStore + FieldStore>(mut store: S) {
    let first = finds();
    let id = store
        .submit_field(
            "officer",
            &submission(UUID, "d1", &first, &[file("before", 0, b"one")]),
        )
        .expect("first")
        .report();
    // Submitted, not approved: no item has the file yet.
    assert!(
        (store.item_attachments(ItemKind::EoFind, "EO-1"))
            .expect("none yet")
            .is_empty()
    );
    store
        .approve_report("approver", id, &ApproveOptions::default())
        .expect("approve");
    let second = report("second visit", serde_json::json!([eo_find("EO-1", 2)]));
    let later = store
        .submit_field(
            "officer",
            &submission(OTHER_UUID, "d2", &second, &[file("after", 0, b"two")]),
        )
        .expect("second")
        .report();
    let names = |s: &S| -> Vec<String> {
        (s.item_attachments(ItemKind::EoFind, "EO-1").expect("files"))
            .into_iter()
            .map(|a| a.name)
            .collect()
    };
    assert_eq!(names(&store), ["before.jpg"]);
    store
        .approve_report("approver", later, &ApproveOptions::default())
        .expect("approve");
    assert_eq!(names(&store), ["after.jpg", "before.jpg"]);
    assert!(
        (store.item_attachments(ItemKind::EoFind, "EO-2"))
            .expect("none")
            .is_empty()
    );
    assert!(
        (store.item_attachments(ItemKind::Accident, "EO-1"))
            .expect("other kind")
            .is_empty()
    );
}

/// A programme holding two submissions with their files.
fn with_files<S: FieldStore>(store: &mut S) {
    let report = finds();
    let files = [
        file("photo-0", 0, b"\xFF\xD8a\xFF\xD9"),
        file("photo-1", 1, &[7; 70_000]),
    ];
    (store.submit_field("officer", &submission(UUID, "d1", &report, &files))).expect("first");
    let other = accident();
    (store.submit_field(
        "officer",
        &submission(OTHER_UUID, "d2", &other, &files[..1]),
    ))
    .expect("second");
}

/// What a programme holds of field capture, as text: equal text means equal answers.
fn field_reads<S: FieldStore + ?Sized>(store: &S) -> String {
    let mut out = String::new();
    for uuid in [UUID, OTHER_UUID] {
        out += &format!("{:?}\n", store.field_submission(uuid).expect("row"));
    }
    for report in [1, 2] {
        for a in store.attachments(report).expect("files") {
            out += &format!("{:?}\n", store.attachment(a.id).expect("file"));
        }
    }
    out
}

fn sums(store: &dyn Dump) -> Vec<transfer::TableSum> {
    transfer::checksums(store).expect("sums")
}

fn rows(store: &dyn Dump, table: &str) -> u64 {
    (sums(store).into_iter())
        .find(|s| s.table == table)
        .map_or(0, |s| s.rows)
}

#[test]
fn transfers_carry_submissions_and_files_both_ways() {
    let mut from = SqliteStore::in_memory().expect("store");
    with_files(&mut from);
    assert_eq!(rows(&from, "attachment"), 3);
    assert_eq!(rows(&from, "field_submission"), 2);
    let mut to = SqliteStore::in_memory().expect("store");
    transfer::copy(&from, &mut to).expect("copy");
    assert_eq!(field_reads(&to), field_reads(&from));
    let Some((_db, mut pg)) = ScratchDatabase::store().expect("PostgreSQL test database") else {
        return;
    };
    transfer::copy(&from, &mut pg).expect("to PostgreSQL");
    assert_eq!(field_reads(&pg), field_reads(&from));
    assert!(pg.check_consistency().expect("check").is_empty());
    let mut back = SqliteStore::in_memory().expect("store");
    transfer::copy(&pg, &mut back).expect("back");
    assert_eq!(sums(&back), sums(&from));
    // Ids continue after the copied attachments.
    let third = finds();
    let late = [file("late", 0, b"x")];
    let next = submission("9f3c2b1a-0d4e-4f5a-8b6c-7d8e9f0a1b2c", "d3", &third, &late);
    for store in [&mut pg as &mut dyn FieldStore, &mut back] {
        let id = store
            .submit_field("officer", &next)
            .expect("after the copy");
        assert_eq!(store.attachments(id.report()).expect("files")[0].id, 4);
    }
}

#[test]
fn sqlite_backups_restore_submissions_and_files() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("programme.sqlite");
    let mut store = SqliteStore::create(&path).expect("create");
    with_files(&mut store);
    let expected = field_reads(&store);
    drop(store);
    let out = dir.path().join("backup.sqlite");
    let taken =
        backup::backup(&Location::Sqlite(path), &out, BackupOptions::default()).expect("backup");
    assert!(
        taken
            .tables
            .iter()
            .any(|t| t.table == "attachment" && t.rows == 3)
    );
    let restored = Location::Sqlite(dir.path().join("restored.sqlite"));
    let done = backup::restore(&out, &restored).expect("restore");
    assert_eq!(done.tables, taken.tables);
    assert_eq!(
        field_reads(restored.open().expect("open").as_ref()),
        expected
    );
}

#[test]
fn postgres_backups_restore_submissions_and_files() {
    let Some(source) = ScratchDatabase::create().expect("PostgreSQL test database") else {
        return;
    };
    let Some(target) = ScratchDatabase::create().expect("PostgreSQL test database") else {
        return;
    };
    let mut store = source.connect().expect("store");
    with_files(&mut store);
    let expected = field_reads(&store);
    drop(store);
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("programme.pgdump");
    let live = Location::Postgres(source.connection_string());
    let taken = backup::backup(&live, &out, BackupOptions::default()).expect("backup");
    assert!(
        taken
            .tables
            .iter()
            .any(|t| t.table == "field_submission" && t.rows == 2)
    );
    let restored = Location::Postgres(target.connection_string());
    let done = backup::restore(&out, &restored).expect("restore");
    assert_eq!(done.tables, taken.tables);
    assert_eq!(
        field_reads(restored.open().expect("open").as_ref()),
        expected
    );
}

/// Two devices (or a device and its retry) sending the same submission at once on
/// PostgreSQL: one report, the other answer names it.
#[test]
fn concurrent_retries_on_postgres_store_one_report() {
    let Some(db) = ScratchDatabase::create().expect("PostgreSQL test database") else {
        return;
    };
    let uuids = [
        "11111111-1111-4111-8111-111111111111",
        "22222222-2222-4222-8222-222222222222",
        "33333333-3333-4333-8333-333333333333",
        "44444444-4444-4444-8444-444444444444",
    ];
    let report = finds();
    let files = [file("photo-0", 0, &[1; 50_000])];
    let mut stores = [db.connect().expect("first"), db.connect().expect("second")];
    for uuid in uuids {
        let barrier = std::sync::Barrier::new(2);
        let outcomes: Vec<SubmissionOutcome> = std::thread::scope(|scope| {
            let threads: Vec<_> = (stores.iter_mut())
                .map(|store| {
                    let (barrier, report, files) = (&barrier, &report, &files);
                    scope.spawn(move || {
                        barrier.wait();
                        store
                            .submit_field("officer", &submission(uuid, "d1", report, files))
                            .expect("either stores it or finds it stored")
                    })
                })
                .collect();
            (threads.into_iter())
                .map(|t| t.join().expect("thread"))
                .collect()
        });
        let created = outcomes
            .iter()
            .filter(|o| matches!(o, SubmissionOutcome::Created(_)))
            .count();
        assert_eq!(created, 1, "{uuid}: {outcomes:?}");
        assert_eq!(outcomes[0].report(), outcomes[1].report(), "{uuid}");
    }
    assert_eq!(report_count(&stores[0]), uuids.len());
    assert_eq!(audited(&stores[0], "field.submission").len(), uuids.len());
}
