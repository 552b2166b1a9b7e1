//! `safeground submit` of an outbox the field app exported: each entry stored once with its
//! photo, however often the file is submitted; a refused entry is named and the rest stored.

mod common;

use base64::Engine;
use common::{ok, s, safeground};
use serde_json::json;

/// A tiny valid PNG (1×1, grey).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b,
    0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x01, 0x48, 0xaf, 0xa4, 0x71, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

fn entry(uuid: &str, local_id: &str, quantity: u32, photo: bool) -> serde_json::Value {
    let attachments = if photo {
        json!([{"part": "photo-0", "entry": 0}])
    } else {
        json!([])
    };
    let files = if photo {
        json!([{"part": "photo-0", "name": "IMG_0001.png", "media_type": "image/png",
                "data_base64": base64::engine::general_purpose::STANDARD.encode(PNG)}])
    } else {
        json!([])
    };
    json!({
        "uuid": uuid, "created_at": "2025-03-01T08:00:00Z",
        "submission": {
            "report": {"title": format!("Outbox {local_id}"), "source": "field app",
                       "date_of_information": "2025-03-01",
                       "entries": [{"record": {"kind": "eo_find", "local_id": local_id,
                                               "category": "uxo", "quantity": quantity,
                                               "location": {"mgrs": "48PUV7765331043"}}}]},
            "form_version": "",
            "attachments": attachments
        },
        "files": files
    })
}

#[test]
fn an_exported_outbox_is_submitted_once_with_its_photos() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite");
    ok(&[
        "demo",
        "--db",
        s(&db),
        "--hazards",
        "60",
        "--seed",
        "5",
        "--no-serve",
    ]);
    let file = dir.path().join("safeground-outbox.json");
    let export = json!({
        "format": "safeground-outbox", "version": 1, "exported_at": "2025-03-01T09:00:00Z",
        "entries": [
            entry("0b6c4a2e-3f1d-4c8e-9a7b-5d2e1f0a9c3b", "OUTBOX-EO-1", 2, true),
            entry("1b6c4a2e-3f1d-4c8e-9a7b-5d2e1f0a9c3b", "OUTBOX-EO-2", 0, false),
        ]
    });
    std::fs::write(&file, serde_json::to_vec(&export).expect("json")).expect("write");

    let first = safeground(&["submit", s(&db), s(&file), "--actor", "halo-entry"]);
    let text = String::from_utf8_lossy(&first.stdout);
    assert_eq!(
        first.status.code(),
        Some(1),
        "one entry is refused:\n{text}"
    );
    assert!(text.contains("stored and submitted"), "{text}");
    assert!(
        text.contains("entries[0].record.quantity: must be at least 1"),
        "{text}"
    );
    assert!(
        text.contains("1 stored, 0 already stored, 1 refused"),
        "{text}"
    );

    // Sent again (say, from another device that had the same export): nothing new.
    let again = safeground(&["submit", s(&db), s(&file), "--actor", "halo-entry"]);
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(
        text.contains("0 stored, 1 already stored, 1 refused"),
        "{text}"
    );
    let reports = ok(&["reports", s(&db)]);
    assert_eq!(
        reports.matches("Outbox OUTBOX-EO-1").count(),
        1,
        "{reports}"
    );
    assert!(!reports.contains("OUTBOX-EO-2"), "{reports}");

    // The photo is in the store, byte for byte.
    use safeground_store::{FieldStore, ProgrammeStore, ReportFilter};
    let store = safeground_store::SqliteStore::open(&db).expect("open");
    let all = ReportFilter {
        limit: usize::MAX,
        ..ReportFilter::default()
    };
    let id = store
        .list_reports(&all)
        .expect("reports")
        .into_iter()
        .find(|r| r.title == "Outbox OUTBOX-EO-1")
        .expect("the report")
        .id;
    let files = store.attachments(id).expect("attachments");
    assert_eq!(files.len(), 1);
    assert_eq!(store.attachment(files[0].id).expect("file").1, PNG);

    // Not a writer: every entry refused; no such user: refused before anything is read.
    let viewer = safeground(&["submit", s(&db), s(&file), "--actor", "mag-viewer"]);
    assert!(!viewer.status.success());
    let nobody = safeground(&["submit", s(&db), s(&file), "--actor", "nobody"]);
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("no user `nobody`"));
}
