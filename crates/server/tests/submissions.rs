//! The field app's submissions: stored once whatever the retries, with their photos, refused
//! whole when a rule or a file is wrong; the forms' rules served for offline use.

mod common;

use axum::http::Method;
use common::Fixture;
use serde_json::{Value, json};

const UUID: &str = "0b6c4a2e-3f1d-4c8e-9a7b-5d2e1f0a9c3b";

/// A tiny valid PNG (1×1, grey).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b,
    0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x01, 0x48, 0xaf, 0xa4, 0x71, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

fn submission(local_id: &str, quantity: u32, location: Value) -> Value {
    json!({
        "report": {
            "title": format!("Field EO {local_id}"), "source": "field app",
            "date_of_information": "2025-03-01",
            "entries": [{"record": {"kind": "eo_find", "local_id": local_id, "category": "uxo",
                                    "quantity": quantity, "found_date": "2025-02-20",
                                    "location": location}}]
        },
        "form_version": "0000000000000000",
        "attachments": []
    })
}

/// A multipart body with the submission and one PNG part named `photo-0`.
fn multipart(submission: &Value, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "sgboundary7f3a";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\ncontent-disposition: form-data; name=\"submission\"\r\n\
             content-type: application/json\r\n\r\n{submission}\r\n--{boundary}\r\n\
             content-disposition: form-data; name=\"photo-0\"; filename=\"DCIM/IMG_0001.png\"\r\n\
             content-type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn put_multipart(
    f: &Fixture,
    uuid: &str,
    user: &str,
    s: &Value,
    file: &[u8],
) -> common::Reply {
    let (content_type, body) = multipart(s, file);
    f.raw(
        Method::PUT,
        &format!("/api/submissions/{uuid}"),
        Some(user),
        &[("content-type", &content_type)],
        body,
    )
    .await
}

fn reports_titled(f: &Fixture, title: &str) -> usize {
    use safeground_store::{ProgrammeStore, ReportFilter};
    let store = f.store();
    let all = ReportFilter {
        limit: usize::MAX,
        ..ReportFilter::default()
    };
    store
        .list_reports(&all)
        .expect("present")
        .iter()
        .filter(|r| r.title == title)
        .count()
}

#[tokio::test]
async fn a_submission_is_stored_once_however_often_it_is_sent() {
    let f = Fixture::new();
    let mut s = submission("FIELD-EO-1", 2, json!({"lat": 13.1, "lon": 103.2}));
    s["attachments"] = json!([{"part": "photo-0", "entry": 0, "caption": "the find"}]);
    let first = put_multipart(&f, UUID, "halo-entry", &s, PNG)
        .await
        .expect(201)
        .json();
    assert_eq!(first["created"], true);
    let id = first["report"].as_i64().expect("present");
    // A retry after a cut connection: the same report, nothing new.
    let again = put_multipart(&f, UUID, "halo-entry", &s, PNG)
        .await
        .expect(200)
        .json();
    assert_eq!(
        (again["report"].as_i64(), again["created"].as_bool()),
        (Some(id), Some(false))
    );
    assert_eq!(reports_titled(&f, "Field EO FIELD-EO-1"), 1);
    // Submitted for review, the position converted, the photo kept byte for byte.
    let report = f
        .get(&format!("/api/reports/{id}"), Some("halo-entry"))
        .await
        .expect(200)
        .json();
    assert_eq!(report["status"], "submitted");
    assert_eq!(
        report["entries"][0]["record"]["location"]["coordinates"],
        json!([103.2, 13.1])
    );
    let files = f
        .get(&format!("/api/reports/{id}/attachments"), Some("reviewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(files[0]["name"], "IMG_0001.png");
    assert_eq!(files[0]["media_type"], "image/png");
    assert_eq!(files[0]["caption"], "the find");
    let file_id = files[0]["id"].as_i64().expect("present");
    let got = f
        .get(&format!("/api/attachments/{file_id}"), Some("reviewer"))
        .await
        .expect(200);
    assert_eq!(got.bytes, PNG);
    assert_eq!(got.header("content-type").as_deref(), Some("image/png"));
    f.get("/api/attachments/999999", Some("reviewer"))
        .await
        .expect(404);
    // Another operator sees neither the report's files nor the file.
    f.get(&format!("/api/attachments/{file_id}"), Some("mag-entry"))
        .await
        .expect(403);
    f.get(
        &format!("/api/reports/{id}/attachments"),
        Some("mag-viewer"),
    )
    .await
    .expect(403);
    // Once approved, the EO find's page lists its photo.
    f.approve(id, "approver").await.expect(200);
    let item = f
        .get("/api/items/eo_find/FIELD-EO-1/attachments", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(item.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn other_content_under_a_used_uuid_is_refused() {
    let f = Fixture::new();
    let s = submission(
        "FIELD-EO-2",
        1,
        json!({"type": "Point", "coordinates": [103.2, 13.1]}),
    );
    let uri = format!("/api/submissions/{UUID}");
    f.put(&uri, Some("halo-entry"), None, &s).await.expect(201);
    let other = submission("FIELD-EO-3", 1, json!(null));
    let e = f
        .put(&uri, Some("halo-entry"), None, &other)
        .await
        .expect(409)
        .json();
    assert!(
        e["detail"].as_str().expect("present").contains("new UUID"),
        "{e}"
    );
    assert_eq!(reports_titled(&f, "Field EO FIELD-EO-3"), 0);
}

#[tokio::test]
async fn a_broken_rule_writes_nothing_and_names_the_entry_field() {
    let f = Fixture::new();
    let s = submission("FIELD-EO-4", 0, json!(null));
    let uri = format!("/api/submissions/{UUID}");
    let e = f
        .put(&uri, Some("halo-entry"), None, &s)
        .await
        .expect(422)
        .json();
    assert_eq!(e["errors"][0]["field"], "entries[0].record.quantity");
    assert_eq!(e["errors"][0]["message"], "must be at least 1");
    // Filled with an older form: the detail says so and what to do.
    assert!(
        e["detail"]
            .as_str()
            .expect("present")
            .contains("forms changed"),
        "{e}"
    );
    assert_eq!(reports_titled(&f, "Field EO FIELD-EO-4"), 0);
    // Fixed, the same UUID is stored (nothing was kept of the refused one).
    let fixed = submission("FIELD-EO-4", 1, json!(null));
    f.put(&uri, Some("halo-entry"), None, &fixed)
        .await
        .expect(201);
    // A UTM position that cannot be read names its field.
    let bad = submission("FIELD-EO-5", 1, json!({"utm": "not a position"}));
    let uuid = "1b6c4a2e-3f1d-4c8e-9a7b-5d2e1f0a9c3b";
    let e = f
        .put(
            &format!("/api/submissions/{uuid}"),
            Some("halo-entry"),
            None,
            &bad,
        )
        .await
        .expect(422)
        .json();
    assert_eq!(e["errors"][0]["field"], "entries[0].record.location");
}

#[tokio::test]
async fn files_are_checked_and_uuids_must_be_uuids() {
    let f = Fixture::new();
    let mut s = submission("FIELD-EO-6", 1, json!(null));
    s["attachments"] = json!([{"part": "photo-0", "entry": 0}]);
    // Not an image.
    let e = put_multipart(
        &f,
        UUID,
        "halo-entry",
        &s,
        b"<html><script>x</script></html>",
    )
    .await
    .expect(422)
    .json();
    assert_eq!(e["errors"][0]["field"], "attachments[0]");
    // An attachment of an entry that does not exist.
    s["attachments"] = json!([{"part": "photo-0", "entry": 3}]);
    let e = put_multipart(&f, UUID, "halo-entry", &s, PNG)
        .await
        .expect(422)
        .json();
    assert_eq!(e["errors"][0]["field"], "attachments[0].entry", "{e}");
    // A part no attachment names.
    s["attachments"] = json!([]);
    put_multipart(&f, UUID, "halo-entry", &s, PNG)
        .await
        .expect(422);
    assert_eq!(reports_titled(&f, "Field EO FIELD-EO-6"), 0);
    // Not a UUID; not a writer; not logged in.
    f.put("/api/submissions/..%2Fx", Some("halo-entry"), None, &s)
        .await
        .expect(422);
    f.put(
        &format!("/api/submissions/{UUID}"),
        Some("viewer"),
        None,
        &s,
    )
    .await
    .expect(403);
    f.put(&format!("/api/submissions/{UUID}"), None, None, &s)
        .await
        .expect(401);
}

#[tokio::test]
async fn the_forms_rules_are_served_with_a_version() {
    let f = Fixture::new();
    let doc = f
        .get("/api/forms", Some("halo-entry"))
        .await
        .expect(200)
        .json();
    assert_eq!(doc["version"].as_str().map(str::len), Some(16));
    let eo = doc["rules"]["eo_find"].as_array().expect("present");
    assert!(
        eo.iter()
            .any(|r| r["rule"] == "min" && r["field"] == "quantity")
    );
    assert!(
        doc["vocabularies"]["ordnance_category"]
            .as_array()
            .is_some()
    );
    f.get("/api/forms", None).await.expect(401);
}
