//! Files put back on a report restored from a programme archive (every backend runs the suite
//! unchanged): attached to their entries byte-exact with the store's SHA-256, as stored by the
//! restoring actor, audited; a missing report, a missing entry or a victim's entry refuses the
//! whole call and writes nothing.

#[macro_use]
mod common;

use safeground_model::ItemKind;
use safeground_store::field::{self, FieldFile, VICTIM_PHOTO};
use safeground_store::{
    ApproveOptions, FieldStore, NewReport, ProgrammeStore, ReportId, SqliteStore, StoreError,
};

backends!(
    restored_files_go_to_their_entries_byte_exact,
    a_missing_report_or_a_bad_entry_refuses_every_file,
);

const RESTORE: &str = "field.attachments.restore";

fn approved<S: ProgrammeStore>(store: &mut S, entries: serde_json::Value) -> ReportId {
    let report: NewReport = serde_json::from_value(serde_json::json!({
        "title": "restored", "date_of_information": "2024-02-05", "entries": entries,
    }))
    .expect("report");
    let id = store.submit_batch("t", &[report]).expect("submit")[0];
    store
        .approve_report("t", id, &ApproveOptions::default())
        .expect("approve");
    id
}

fn eo_find(local_id: &str) -> serde_json::Value {
    serde_json::json!({"reconcile": {"action": "new"}, "record": {"kind": "eo_find",
        "local_id": local_id, "category": "ap_mine", "quantity": 1,
        "found_date": "2024-02-01"}})
}

fn file(name: &str, entry: usize, bytes: &[u8], caption: Option<&str>) -> FieldFile {
    FieldFile {
        part: format!("safeground_attachments:{name}"),
        entry,
        name: name.into(),
        media_type: "image/jpeg".into(),
        caption: caption.map(Into::into),
        bytes: bytes.to_vec(),
    }
}

fn restores<S: ProgrammeStore + ?Sized>(store: &S) -> Vec<String> {
    (store.audit_log().expect("audit").into_iter())
        .filter(|e| e.action == RESTORE)
        .map(|e| e.detail.unwrap_or_default())
        .collect()
}

fn restored_files_go_to_their_entries_byte_exact<S: ProgrammeStore + FieldStore>(mut store: S) {
    let id = approved(
        &mut store,
        serde_json::json!([eo_find("EO-1"), eo_find("EO-2")]),
    );
    let files = [
        file("IMG_0001.jpg", 1, b"\xFF\xD8second\xFF\xD9", Some("fuze")),
        file("IMG_0002.jpg", 0, &[9; 50_000], None),
    ];
    store
        .restore_attachments("migration", id, &files)
        .expect("restore");
    let listed = store.attachments(id).expect("list");
    let got: Vec<_> = (listed.iter())
        .map(|a| (a.entry, a.kind, a.local_id.as_str(), a.name.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (0, ItemKind::EoFind, "EO-1", "IMG_0002.jpg"),
            (1, ItemKind::EoFind, "EO-2", "IMG_0001.jpg"),
        ]
    );
    for a in &listed {
        let sent = (files.iter())
            .find(|f| f.name == a.name)
            .expect("sent file");
        let (read, bytes) = store.attachment(a.id).expect("read");
        assert_eq!(&read, a);
        assert_eq!(bytes, sent.bytes);
        assert_eq!(a.sha256, field::sha256_hex(&sent.bytes));
        assert_eq!(a.size, sent.bytes.len() as u64);
        assert_eq!(a.caption, sent.caption);
        assert_eq!(a.media_type, "image/jpeg");
        assert_eq!(a.created_by, "migration");
    }
    assert_eq!(
        restores(&store),
        [format!(
            "report {id}: 2 file(s) restored from a programme archive"
        )]
    );
    let on_item = store
        .item_attachments(ItemKind::EoFind, "EO-2")
        .expect("item files");
    assert_eq!(on_item.len(), 1);
    // No files: nothing written, nothing audited.
    store
        .restore_attachments("migration", id, &[])
        .expect("no files");
    assert_eq!(restores(&store).len(), 1);
}

fn a_missing_report_or_a_bad_entry_refuses_every_file<S: ProgrammeStore + FieldStore>(
    mut store: S,
) {
    let id = approved(
        &mut store,
        serde_json::json!([
            {"reconcile": {"action": "new"}, "record": {"kind": "accident", "local_id": "ACC-1",
                "date": "2024-02-01", "date_known": true}},
            {"reconcile": {"action": "new"}, "record": {"kind": "victim", "local_id": "VIC-1",
                "accident": "ACC-1", "sex": "female", "outcome": "injured"}},
        ]),
    );
    let good = file("scene.jpg", 0, b"scene", None);
    let err = store
        .restore_attachments("migration", id + 1, std::slice::from_ref(&good))
        .expect_err("no such report");
    assert!(
        matches!(err, StoreError::ReportNotFound(n) if n == id + 1),
        "{err}"
    );

    let bad = [
        good.clone(),
        file("victim.jpg", 1, b"victim", None),
        file("nowhere.jpg", 2, b"nowhere", None),
    ];
    let err = store
        .restore_attachments("migration", id, &bad)
        .expect_err("bad entries");
    let StoreError::Invalid(errors) = &err else {
        panic!("not a validation error: {err}");
    };
    let fields: Vec<_> = (errors.0.iter())
        .map(|e| (e.field.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(fields[0], ("attachments[1].entry", VICTIM_PHOTO));
    assert_eq!(fields[1].0, "attachments[2].entry");
    assert_eq!(fields.len(), 2);
    assert!(store.attachments(id).expect("list").is_empty());
    assert!(restores(&store).is_empty());
    assert!(field::check_files(&store.report(id).expect("report").content, &bad).is_err());
    assert!(field::check_files(&store.report(id).expect("report").content, &bad[..1]).is_ok());
}
