//! The report workflow over HTTP, by role and organisation, with optimistic concurrency and
//! field-naming errors.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use common::{Fixture, hazard_report, square};
use safeground_store::ProgrammeStore;
use serde_json::{Value, json};

async fn draft(f: &Fixture, user: &str, body: &Value) -> (i64, String) {
    let r = f.post("/api/reports", Some(user), body).await.expect(201);
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.header("location").unwrap(), format!("/api/reports/{id}"));
    (id, r.header("etag").unwrap())
}

#[tokio::test]
async fn drafts_are_edited_with_if_match_and_stale_edits_are_refused() {
    let f = Fixture::new();
    let body = hazard_report("T-1", None, square(103.1, 13.0, 200.0));
    let (id, etag) = draft(&f, "halo-entry", &body).await;
    assert_eq!(etag, "\"r1\"");
    let got = f
        .get(&format!("/api/reports/{id}"), Some("halo-entry"))
        .await
        .expect(200);
    assert_eq!(
        got.json()["organisation"],
        "ORG-HALO",
        "defaults to the user's organisation"
    );
    assert_eq!(got.json()["status"], "draft");

    let mut edited = body.clone();
    edited["title"] = json!("NTS T-1, corrected");
    let uri = format!("/api/reports/{id}");
    f.put(&uri, Some("halo-entry"), None, &edited)
        .await
        .expect(428);
    let ok = f
        .put(&uri, Some("halo-entry"), Some("\"r1\""), &edited)
        .await
        .expect(200);
    assert_eq!(ok.header("etag").unwrap(), "\"r2\"");
    // A second editor still holding r1 is refused and changes nothing.
    let mut other = body.clone();
    other["title"] = json!("someone else's title");
    let stale = f
        .put(&uri, Some("halo-entry"), Some("\"r1\""), &other)
        .await
        .expect(412);
    assert_eq!(stale.json()["type"], "/problems/stale-etag");
    let now = f.get(&uri, Some("halo-entry")).await.json();
    assert_eq!(now["title"], "NTS T-1, corrected");
    // Submitting with a stale ETag is refused too.
    f.raw(
        Method::POST,
        &format!("{uri}/submit"),
        Some("halo-entry"),
        &[("if-match", "\"r1\"")],
        vec![],
    )
    .await
    .expect(412);
    f.raw(
        Method::POST,
        &format!("{uri}/submit"),
        Some("halo-entry"),
        &[("if-match", "\"r2\"")],
        vec![],
    )
    .await
    .expect(200);
    f.put(&uri, Some("halo-entry"), Some("\"r3\""), &edited)
        .await
        .expect(409);
}

#[tokio::test]
async fn malformed_bodies_get_problem_details_naming_the_field() {
    let f = Fixture::new();
    let bad = f
        .raw(
            Method::POST,
            "/api/reports",
            Some("halo-entry"),
            &[],
            b"{\"title\": ".to_vec(),
        )
        .await
        .expect(400);
    assert_eq!(
        bad.header("content-type").unwrap(),
        "application/problem+json"
    );
    let mut body = hazard_report("T-2", None, square(103.1, 13.0, 200.0));
    body["entries"][0]["record"]["class"] = json!("very dangerous");
    let wrong = f
        .post("/api/reports", Some("halo-entry"), &body)
        .await
        .expect(422);
    let field = wrong.json()["errors"][0]["field"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(field.starts_with("entries[0].record"), "{field}");
    let mut no_date = hazard_report("T-3", None, square(103.1, 13.0, 200.0));
    no_date
        .as_object_mut()
        .unwrap()
        .remove("date_of_information");
    f.post("/api/reports", Some("halo-entry"), &no_date)
        .await
        .expect(422);
    assert_eq!(
        f.store()
            .list_reports(&safeground_store::ReportFilter {
                status: Some(safeground_store::ReportStatus::Draft),
                limit: 100,
                ..Default::default()
            })
            .unwrap()
            .len(),
        0,
        "nothing was written"
    );
}

#[tokio::test]
async fn invalid_geometry_is_refused_at_submission_naming_the_field() {
    let f = Fixture::new();
    let bowtie = json!({"type": "Polygon", "coordinates": [[[103.0, 13.0], [103.01, 13.01], [103.01, 13.0], [103.0, 13.01], [103.0, 13.0]]]});
    let (id, _) = draft(&f, "halo-entry", &hazard_report("T-4", None, bowtie)).await;
    let r = f
        .post(
            &format!("/api/reports/{id}/submit"),
            Some("halo-entry"),
            &json!({}),
        )
        .await
        .expect(422);
    let errors = r.json()["errors"].as_array().unwrap().clone();
    assert!(
        errors.iter().any(|e| e["field"]
            .as_str()
            .unwrap()
            .starts_with("entries[0].record.geometry")),
        "{errors:?}"
    );
    let still = f
        .get(&format!("/api/reports/{id}"), Some("halo-entry"))
        .await
        .json();
    assert_eq!(still["status"], "draft");
}

#[tokio::test]
async fn organisations_see_and_write_only_their_own_reports() {
    let f = Fixture::new();
    let (halo, _) = draft(
        &f,
        "halo-entry",
        &hazard_report("T-5", None, square(103.2, 13.1, 150.0)),
    )
    .await;
    // Writing for another organisation is refused.
    f.post(
        "/api/reports",
        Some("halo-entry"),
        &hazard_report("T-6", Some("ORG-MAG"), square(103.2, 13.1, 150.0)),
    )
    .await
    .expect(403);
    // The national authority writes for anyone.
    draft(
        &f,
        "approver",
        &hazard_report("T-7", Some("ORG-MAG"), square(103.2, 13.1, 150.0)),
    )
    .await;
    // MAG users cannot read HALO's report, nor act on it.
    f.get(&format!("/api/reports/{halo}"), Some("mag-viewer"))
        .await
        .expect(403);
    f.post(
        &format!("/api/reports/{halo}/submit"),
        Some("mag-entry"),
        &json!({}),
    )
    .await
    .expect(403);
    f.get("/api/reports?organisation=ORG-HALO", Some("mag-viewer"))
        .await
        .expect(403);
    let mag_list = f
        .get("/api/reports?limit=1000", Some("mag-viewer"))
        .await
        .expect(200)
        .json();
    let orgs: Vec<&str> = mag_list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["organisation"].as_str().unwrap())
        .collect();
    assert!(
        !orgs.is_empty() && orgs.iter().all(|o| *o == "ORG-MAG"),
        "{orgs:?}"
    );
    let national = f
        .get("/api/reports?limit=1000", Some("viewer"))
        .await
        .expect(200)
        .json();
    let mut all: Vec<&str> = national["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["organisation"].as_str().unwrap())
        .collect();
    all.sort();
    all.dedup();
    assert!(
        all.len() >= 3,
        "the national authority sees every organisation: {all:?}"
    );
    // Paging.
    let page = f
        .get("/api/reports?limit=2&status=approved", Some("viewer"))
        .await
        .expect(200)
        .json();
    let after = page["next_after"].as_i64().unwrap();
    let next = f
        .get(
            &format!("/api/reports?limit=2&status=approved&after={after}"),
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    assert!(next["reports"][0]["id"].as_i64().unwrap() > after);
    f.get("/api/reports?status=lost", Some("viewer"))
        .await
        .expect(422);
    // A HALO approver cannot approve another organisation's report.
    let (mag, _) = draft(
        &f,
        "mag-entry",
        &hazard_report("T-8", None, square(103.3, 13.1, 150.0)),
    )
    .await;
    f.post(
        &format!("/api/reports/{mag}/submit"),
        Some("mag-entry"),
        &json!({}),
    )
    .await
    .expect(200);
    f.approve(mag, "halo-approver").await.expect(403);
}

#[tokio::test]
async fn review_reconcile_link_approve_and_reject_follow_the_roles() {
    let f = Fixture::new();
    // An update of an existing hazard, written by HALO.
    let current = f
        .get("/api/items/HAZ-000001", Some("halo-entry"))
        .await
        .expect(200);
    let version = current.header("etag").unwrap();
    let mut record = current.json()["record"].clone();
    record["name"] = json!("Renamed after re-survey");
    let body = json!({
        "title": "Re-survey", "date_of_information": "2026-01-15",
        "entries": [{"record": record, "reconcile": {"action": "new"}}]
    });
    let (id, _) = draft(&f, "halo-entry", &body).await;
    let uri = format!("/api/reports/{id}");
    f.post(&format!("{uri}/submit"), Some("halo-entry"), &json!({}))
        .await
        .expect(200);
    // Data entry and viewers cannot review; reviewers cannot approve.
    f.get(&format!("{uri}/review"), Some("halo-entry"))
        .await
        .expect(403);
    f.post(
        &format!("{uri}/entries/0/reconcile"),
        Some("viewer"),
        &json!({"action": "new"}),
    )
    .await
    .expect(403);
    f.post(&format!("{uri}/approve"), Some("reviewer"), &json!({}))
        .await
        .expect(403);
    // The reviewer reconciles it as an update of HAZ-000001 at the version read.
    let n: u32 = version
        .trim_matches('"')
        .trim_start_matches('v')
        .parse()
        .unwrap();
    f.post(
        &format!("{uri}/entries/0/reconcile"),
        Some("reviewer"),
        &json!({"action": "update", "item": "HAZ-000001", "base_version": n}),
    )
    .await
    .expect(200);
    f.post(
        &format!("{uri}/entries/0/reconcile"),
        Some("reviewer"),
        &json!({"action": "merge"}),
    )
    .await
    .expect(422);
    f.post(
        &format!("{uri}/entries/7/reconcile"),
        Some("reviewer"),
        &json!({"action": "new"}),
    )
    .await
    .expect(422);
    let review = f
        .get(&format!("{uri}/review"), Some("reviewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(review["entries"][0]["current"]["item"], "HAZ-000001");
    assert_eq!(review["entries"][0]["current"]["version"], n);
    assert_eq!(
        review["entries"][0]["reported"]["name"],
        "Renamed after re-survey"
    );
    // Links: to an unknown item is refused naming the field.
    let bad = f
        .post(
            &format!("{uri}/entries/0/link"),
            Some("reviewer"),
            &json!({"field": "organisation", "target": "ORG-999999"}),
        )
        .await
        .expect(422);
    assert!(
        bad.json()["errors"][0]["field"]
            .as_str()
            .unwrap()
            .contains("organisation")
    );
    f.post(
        &format!("{uri}/entries/0/link"),
        Some("reviewer"),
        &json!({"field": "organisation", "target": "ORG-000002"}),
    )
    .await
    .expect(200);
    let approved = f
        .post(
            &format!("{uri}/approve"),
            Some("approver"),
            &json!({"comment": "checked on site"}),
        )
        .await
        .expect(200);
    assert_eq!(approved.json()["result"]["items"][0], "HAZ-000001");
    let after = f
        .get("/api/items/HAZ-000001", Some("viewer"))
        .await
        .expect(200);
    assert_eq!(after.json()["record"]["name"], "Renamed after re-survey");
    assert_ne!(after.header("etag").unwrap(), version);
    f.post(&format!("{uri}/approve"), Some("approver"), &json!({}))
        .await
        .expect(409);

    // Rejection needs a comment.
    let (id2, _) = draft(
        &f,
        "halo-entry",
        &hazard_report("T-9", None, square(103.4, 13.2, 120.0)),
    )
    .await;
    let uri2 = format!("/api/reports/{id2}");
    f.post(&format!("{uri2}/submit"), Some("halo-entry"), &json!({}))
        .await
        .expect(200);
    f.post(
        &format!("{uri2}/reject"),
        Some("reviewer"),
        &json!({"comment": "  "}),
    )
    .await
    .expect(422);
    f.post(
        &format!("{uri2}/reject"),
        Some("halo-entry"),
        &json!({"comment": "no"}),
    )
    .await
    .expect(403);
    let rejected = f
        .post(
            &format!("{uri2}/reject"),
            Some("reviewer"),
            &json!({"comment": "duplicate of HAZ-000003"}),
        )
        .await
        .expect(200);
    assert_eq!(rejected.json()["status"], "rejected");
    assert_eq!(
        rejected.json()["decision_comment"],
        "duplicate of HAZ-000003"
    );
}

fn victim_report() -> Value {
    json!({
        "title": "Accident KH02-ACC-TEST", "date_of_information": "2025-06-02",
        "entries": [
            {"record": {"kind": "accident", "local_id": "KH02-ACC-TEST", "date": "2025-06-01", "date_known": true,
                         "admin_pcode": "KH02", "device_category": "ap_mine",
                         "location": {"type": "Point", "coordinates": [103.2, 13.1]}}},
            {"record": {"kind": "victim", "local_id": "KH02-ACC-TEST-V1", "accident": "KH02-ACC-TEST",
                         "sex": "female", "age_at_accident": 34, "outcome": "injured", "activity_at_time": "farming", "deminer": false},
             "personal_data": {"full_name": "Srey Mom", "address": "Phum Thmey"}}
        ]
    })
}

#[tokio::test]
async fn personal_data_reach_only_victim_assistance_and_every_read_is_audited() {
    let f = Fixture::new();
    let (id, _) = draft(&f, "approver", &victim_report()).await;
    let uri = format!("/api/reports/{id}");
    for user in ["approver", "viewer", "admin", "reviewer"] {
        let r = f.get(&uri, Some(user)).await.expect(200);
        let text = String::from_utf8_lossy(&r.bytes).to_string();
        assert!(!text.contains("Srey Mom"), "{user} must not see the name");
        assert_eq!(r.json()["entries"][1]["personal_data_withheld"], true);
    }
    let va = f.get(&uri, Some("va")).await.expect(200);
    assert_eq!(
        va.json()["entries"][1]["personal_data"]["full_name"],
        "Srey Mom"
    );
    f.post(&format!("{uri}/submit"), Some("approver"), &json!({}))
        .await
        .expect(200);
    let approved = f
        .post(&format!("{uri}/approve"), Some("admin"), &json!({}))
        .await
        .expect(200);
    let text = String::from_utf8_lossy(&approved.bytes).to_string();
    assert!(
        !text.contains("Srey Mom"),
        "approval answer withholds personal data"
    );
    let victim = approved.json()["result"]["items"][1]
        .as_str()
        .unwrap()
        .to_owned();
    for user in ["approver", "viewer", "admin", "halo-entry"] {
        f.get(&format!("/api/items/{victim}/personal-data"), Some(user))
            .await
            .expect(403);
    }
    let read = f
        .get(&format!("/api/items/{victim}/personal-data"), Some("va"))
        .await
        .expect(200);
    assert_eq!(read.json()["personal_data"]["full_name"], "Srey Mom");
    f.get("/api/items/HAZ-000001/personal-data", Some("va"))
        .await
        .expect(404);
    let item = f
        .get(&format!("/api/items/{victim}"), Some("viewer"))
        .await
        .expect(200);
    assert!(!String::from_utf8_lossy(&item.bytes).contains("Srey Mom"));
    let log = f.store().audit_log().unwrap();
    let reads: Vec<_> = log
        .iter()
        .filter(|e| e.action == "personal_data.read")
        .map(|e| (e.actor.as_str(), e.target.as_str()))
        .collect();
    assert_eq!(reads.len(), 2, "{reads:?}");
    assert!(reads.iter().all(|(a, _)| *a == "va"));
    assert!(reads.iter().any(|(_, t)| *t == format!("report:{id}")));
    assert!(reads.iter().any(|(_, t)| *t == victim));
}

#[tokio::test]
async fn oversized_bodies_are_refused_and_change_nothing() {
    let f = Fixture::with_config(safeground_server::ServerConfig {
        max_body_bytes: 4096,
        ..Default::default()
    });
    let mut body = hazard_report("T-10", None, square(103.1, 13.0, 200.0));
    body["title"] = json!("x".repeat(10_000));
    let r = f.post("/api/reports", Some("halo-entry"), &body).await;
    assert_eq!(
        r.status.as_u16(),
        413,
        "{}",
        String::from_utf8_lossy(&r.bytes)
    );
    let drafts = f
        .store()
        .list_reports(&safeground_store::ReportFilter {
            status: Some(safeground_store::ReportStatus::Draft),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert!(drafts.is_empty());
}

/// With a country boundary in the programme, a report placing a hazard on the other side of
/// the world (a sign-flipped longitude) is refused on submission with the field and the
/// distance; the same report is accepted when the user says so.
#[tokio::test]
async fn a_place_outside_the_programme_area_is_refused_with_its_distance() {
    use safeground_model::{AdminArea, Record};
    use safeground_store::{ApproveOptions, NewReport, ReportEntry};
    let f = Fixture::new();
    let mut store = f.store();
    let ring = vec![
        (102.3, 10.4),
        (107.7, 10.4),
        (107.7, 14.7),
        (102.3, 14.7),
        (102.3, 10.4),
    ];
    let country = geo_types::MultiPolygon(vec![geo_types::Polygon::new(ring.into(), vec![])]);
    let boundary = NewReport {
        organisation: None,
        title: "Country boundary".into(),
        source: None,
        date_of_information: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        entries: vec![ReportEntry::new(Record::AdminArea(AdminArea {
            pcode: "KH".into(),
            name: "Cambodia".into(),
            level: 0,
            parent_pcode: None,
            geometry: Some(country),
        }))],
    };
    let id = store.submit_batch("test", &[boundary]).unwrap()[0];
    store
        .approve_report("test", id, &ApproveOptions::default())
        .unwrap();

    let flipped = hazard_report("FLIP-1", None, square(-103.1, 13.0, 200.0));
    let refused = f
        .post("/api/reports?submit=true", Some("halo-entry"), &flipped)
        .await
        .expect(422)
        .json();
    assert_eq!(refused["errors"][0]["field"], "entries[0].record.geometry");
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("km outside the programme area"),
        "{message}"
    );
    assert!(
        message.contains("accept_outside_programme_area=true"),
        "{message}"
    );
    // A draft is kept, but submitting it is refused the same way, then accepted when asked.
    let (id, _) = draft(&f, "halo-entry", &flipped).await;
    f.post(
        &format!("/api/reports/{id}/submit"),
        Some("halo-entry"),
        &json!({}),
    )
    .await
    .expect(422);
    let submitted = f
        .post(
            &format!("/api/reports/{id}/submit?accept_outside_programme_area=true"),
            Some("halo-entry"),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(submitted.json()["status"], "submitted");
    // Inside the country: accepted as before.
    let inside = hazard_report("IN-1", None, square(103.1, 13.0, 200.0));
    f.post("/api/reports?submit=true", Some("halo-entry"), &inside)
        .await
        .expect(201);
}
