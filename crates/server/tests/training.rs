//! The training register over HTTP: only the training officer writes and reads names (audited);
//! every role reads the figures (counts, no person ids); the public certificate check needs no
//! login and tells validity only; bad input is a 422 naming the field, a duplicate a 409; a
//! report whose activity names a team with an expired certificate carries a warning.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Fixture, token};
use safeground_server::auth::password::secret_digest;
use safeground_store::{AccountStore, CredentialKind, NewAccount, Role};
use serde_json::{Value, json};

/// Adds the training officer `trainer` (bearer token `token("trainer")`).
fn add_officer(f: &Fixture) {
    let mut store = f.store();
    store
        .add_account(
            "fixture",
            &NewAccount {
                username: "trainer".into(),
                display_name: "Fixture trainer".into(),
                organisation: "ORG-CMAA".into(),
                role: Role::TrainingOfficer,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            },
        )
        .unwrap();
    store
        .add_credential(
            "trainer",
            &secret_digest(&token("trainer")),
            CredentialKind::ApiToken,
            Some("tests"),
            None,
        )
        .unwrap();
}

fn person(id: &str, team: &str) -> Value {
    json!({"person_id": id, "organisation": "ORG-HALO", "sex": "male", "birth_year": 1985,
           "team": team, "name": format!("Name {id}"), "contact": "+855 12 000 000",
           "national_id": "0101"})
}

/// Registers, trains and certifies `id` in `team`; the certificate document.
async fn certified(f: &Fixture, id: &str, team: &str, issued: &str, expires: &str) -> Value {
    f.post("/api/training/people", Some("trainer"), &person(id, team))
        .await
        .expect(201);
    let s = f
        .post(
            "/api/training/sessions",
            Some("trainer"),
            &json!({"competency": "manual_deminer", "organisation": "ORG-HALO",
                    "place": "Battambang", "start_date": issued, "end_date": issued}),
        )
        .await
        .expect(201)
        .json();
    let sid = s["id"].as_i64().unwrap();
    f.post(
        &format!("/api/training/sessions/{sid}/participants"),
        Some("trainer"),
        &json!({"person_id": id}),
    )
    .await
    .expect(200);
    f.post(
        "/api/training/assessments",
        Some("trainer"),
        &json!({"session_id": sid, "person_id": id, "passed": true, "score": 75,
                "assessed_on": issued, "assessor": "Dara"}),
    )
    .await
    .expect(201);
    f.post(
        "/api/training/certificates",
        Some("trainer"),
        &json!({"person_id": id, "competency": "manual_deminer", "issued_on": issued,
                "expires_on": expires}),
    )
    .await
    .expect(201)
    .json()
}

fn field(reply: &Value) -> &str {
    reply["errors"][0]["field"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn roles_personal_data_and_bad_input() {
    let f = Fixture::new();
    add_officer(&f);
    let p = person("P-000101", "ORG-HALO-MANUAL");
    f.post("/api/training/people", None, &p).await.expect(401);
    for who in ["admin", "va", "viewer"] {
        f.post("/api/training/people", Some(who), &p)
            .await
            .expect(403);
    }
    f.post("/api/training/people", Some("trainer"), &p)
        .await
        .expect(201);
    let dup = f.post("/api/training/people", Some("trainer"), &p).await;
    dup.expect(409);

    // Names for the officer only, the read audited.
    let plain = f
        .get("/api/training/people", Some("admin"))
        .await
        .expect(200);
    assert!(!plain.json().to_string().contains("Name P-000101"));
    f.get("/api/training/people?personal=true", Some("admin"))
        .await
        .expect(403);
    f.get("/api/training/people", Some("viewer"))
        .await
        .expect(403);
    let named = f
        .get("/api/training/people?personal=true", Some("trainer"))
        .await
        .expect(200)
        .json();
    assert_eq!(named[0]["personal"]["name"], "Name P-000101");
    let audit = f
        .get("/api/audit?action=training_personal.read", Some("admin"))
        .await
        .expect(200)
        .json();
    assert_eq!(audit["entries"][0]["actor"], "trainer", "{audit}");

    // Bad input: 422 naming the field, nothing stored.
    let fr = &f;
    let bad = |body: Value| async move {
        fr.post("/api/training/sessions", Some("trainer"), &body)
            .await
            .expect(422)
            .json()
    };
    let session = json!({"competency": "welding", "organisation": "ORG-HALO", "place": "X",
                         "start_date": "2025-01-10", "end_date": "2025-01-20"});
    assert_eq!(field(&bad(session.clone()).await), "competency");
    let mut backwards = session.clone();
    backwards["competency"] = json!("eod_1");
    backwards["end_date"] = json!("2025-01-01");
    assert_eq!(field(&bad(backwards).await), "end_date");
    assert_eq!(
        f.get("/api/training/sessions", Some("trainer"))
            .await
            .expect(200)
            .json(),
        json!([])
    );
    let mut other = person("P-000102", "ORG-MAG-MANUAL");
    other["organisation"] = json!("ORG-MAG");
    f.post("/api/training/people", Some("trainer"), &other)
        .await
        .expect(201);
    let mut ok = session.clone();
    ok["competency"] = json!("eod_1");
    let s = f
        .post("/api/training/sessions", Some("trainer"), &ok)
        .await
        .expect(201)
        .json();
    let enrol = format!("/api/training/sessions/{}/participants", s["id"]);
    let r = f
        .post(&enrol, Some("trainer"), &json!({"person_id": "P-000102"}))
        .await
        .expect(422)
        .json();
    assert_eq!(field(&r), "person_id", "{r}");
    f.post(&enrol, Some("trainer"), &json!({"person_id": "P-000101"}))
        .await
        .expect(200);
    f.post(&enrol, Some("trainer"), &json!({"person_id": "P-000101"}))
        .await
        .expect(409);
    f.post(
        "/api/training/sessions/9999/participants",
        Some("trainer"),
        &json!({"person_id": "P-000101"}),
    )
    .await
    .expect(404);
    let r = f
        .post(
            "/api/training/certificates",
            Some("trainer"),
            &json!({"person_id": "P-000101", "competency": "eod_1",
                    "issued_on": "2025-02-01", "expires_on": "2027-01-31"}),
        )
        .await
        .expect(422)
        .json();
    assert_eq!(field(&r), "competency", "no passed assessment: {r}");
}

#[tokio::test]
async fn public_check_figures_and_suspension() {
    let f = Fixture::new();
    add_officer(&f);
    let valid = certified(
        &f,
        "P-000201",
        "ORG-HALO-MANUAL",
        "2024-01-10",
        "2099-01-09",
    )
    .await;
    let expired = certified(
        &f,
        "P-000202",
        "ORG-HALO-MANUAL",
        "2020-01-10",
        "2022-01-09",
    )
    .await;
    assert_eq!(expired["state"], "expired");
    let code = valid["code"].as_str().unwrap();
    assert!(code.len() >= 16);

    let check = f
        .get(&format!("/api/certificates/{code}"), None)
        .await
        .expect(200)
        .json();
    assert_eq!(check["status"], "valid");
    assert_eq!(check["competency"], "manual_deminer");
    assert_eq!(check["valid_until"], "2099-01-09");
    let text = check.to_string();
    assert!(
        !text.contains("P-000201") && !text.contains("Name"),
        "nothing personal: {text}"
    );
    let unknown = f.get("/api/certificates/ZZZZZZZZZZZZZZZZZZZZ", None).await;
    assert_eq!(unknown.status.as_u16(), 404);
    assert_eq!(unknown.json()["status"], 404);

    let r = f
        .post(
            &format!("/api/training/certificates/{code}/suspend"),
            Some("trainer"),
            &json!({"reason": "", "date": "2025-01-10"}),
        )
        .await
        .expect(422)
        .json();
    assert_eq!(field(&r), "reason");
    f.post(
        &format!("/api/training/certificates/{code}/suspend"),
        Some("admin"),
        &json!({"reason": "QA finding of 9 January"}),
    )
    .await
    .expect(403);
    f.post(
        &format!("/api/training/certificates/{code}/suspend"),
        Some("trainer"),
        &json!({"reason": "QA finding of 9 January", "date": "2025-01-10"}),
    )
    .await
    .expect(200);
    f.post(
        &format!("/api/training/certificates/{code}/suspend"),
        Some("trainer"),
        &json!({"reason": "QA finding of 9 January", "date": "2025-01-10"}),
    )
    .await
    .expect(409);
    f.post(
        "/api/training/certificates/NOPE/withdraw",
        Some("trainer"),
        &json!({"reason": "no such certificate"}),
    )
    .await
    .expect(404);
    let check = f
        .get(&format!("/api/certificates/{code}"), None)
        .await
        .expect(200)
        .json();
    assert_eq!(check["status"], "suspended");

    // Figures for every role, counts only; CSV too.
    let figures = f
        .get("/api/training/figures", Some("viewer"))
        .await
        .expect(200)
        .json();
    let total: u64 = (figures.as_array().unwrap().iter())
        .map(|r| r["certificates"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 2);
    assert!(!figures.to_string().contains("P-0002"), "{figures}");
    let csv = f
        .get("/api/training/figures?format=csv", Some("mag-viewer"))
        .await
        .expect(200);
    let text = String::from_utf8_lossy(&csv.bytes).into_owned();
    assert!(
        text.starts_with("organisation,competency,sex,age_band,year"),
        "{text}"
    );
    f.get("/api/training/figures", None).await.expect(401);
}

#[tokio::test]
async fn a_report_on_a_team_with_an_expired_certificate_warns() {
    let f = Fixture::new();
    add_officer(&f);
    let team = "ORG-HALO-MANUAL";
    certified(&f, "P-000301", team, "2024-01-10", "2099-01-09").await;
    certified(&f, "P-000302", team, "2022-01-10", "2024-12-31").await;
    let report = json!({
        "title": "Clearance by HALO manual", "date_of_information": "2025-03-20",
        "entries": [{"record": {
            "kind": "activity", "local_id": "KH02-ACT-TRAIN", "activity_type": "clearance",
            "status": "completed", "organisation": "ORG-HALO", "team": team,
            "start_date": "2025-03-04", "end_date": "2025-03-18", "assets": ["manual"]}}]
    });
    let created = f
        .post("/api/reports", Some("halo-entry"), &report)
        .await
        .expect(201)
        .json();
    let id = created["id"].as_i64().unwrap();
    let doc = f
        .get(&format!("/api/reports/{id}"), Some("halo-entry"))
        .await
        .expect(200)
        .json();
    let warnings = doc["training_warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{doc}");
    let message = warnings[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "team ORG-HALO-MANUAL: 1 of 2 members hold no valid manual_deminer certificate on \
             2025-03-04 (P-000302 expired 2024-12-31)"
        ),
        "{message}"
    );
    f.post(
        &format!("/api/reports/{id}/submit"),
        Some("halo-entry"),
        &json!({}),
    )
    .await
    .expect(200);
    let review = f
        .get(&format!("/api/reports/{id}/review"), Some("reviewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(review["training_warnings"][0]["message"], message);
    // Warnings never block approval.
    f.approve(id, "approver").await.expect(200);
}
