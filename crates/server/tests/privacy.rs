//! Privacy and separation of duties over HTTP: a bounded, paged audit log; four-eyes approval;
//! no administrator path to victims' personal data without a second person; drafts that keep
//! personal data they do not show; quasi-identifiers generalised for roles without victim
//! access.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Fixture, hazard_report, square};
use safeground_server::ServerConfig;
use serde_json::json;

#[tokio::test]
async fn a_huge_failed_login_name_is_cut_and_the_audit_log_is_paged() {
    let f = Fixture::new();
    let huge = "n".repeat(4 << 20);
    let r = f
        .post(
            "/api/login",
            None,
            &json!({"username": huge, "password": "wrong-password-1"}),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let mut seen = 0;
    let mut next = Some("/api/audit?limit=5".to_owned());
    while let Some(uri) = next {
        let page = f.get(&uri, Some("admin")).await.expect(200).json();
        let entries = page["entries"].as_array().unwrap();
        assert!(entries.len() <= 5, "a page holds at most its limit");
        for e in entries {
            let size = e.to_string().len();
            assert!(
                size < 2_000,
                "an audit line of {size} bytes: {}",
                &e.to_string()[..200]
            );
        }
        seen += entries.len();
        assert!(page["total"].as_u64().unwrap() >= seen as u64);
        next = page["links"]["next"].as_str().map(str::to_owned);
    }
    assert!(seen > 5, "more than one page was read ({seen} lines)");
    let asked = f
        .get("/api/audit?limit=1000000&action=login.", Some("admin"))
        .await
        .expect(200)
        .json();
    assert!(asked["entries"].as_array().unwrap().len() <= 1000);
    assert!(
        (asked["entries"].as_array().unwrap().iter())
            .all(|e| e["action"].as_str().unwrap().starts_with("login."))
    );
    f.get("/api/audit?since=yesterday", Some("admin"))
        .await
        .expect(422);
}

/// A report created and submitted at once by `user`; its id.
async fn submitted_by(f: &Fixture, user: &str, local_id: &str) -> i64 {
    let body = hazard_report(local_id, None, square(103.2, 13.05, 120.0));
    let r = f
        .post("/api/reports?submit=true", Some(user), &body)
        .await
        .expect(201)
        .json();
    r["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_approver_cannot_approve_their_own_report_a_second_approver_can() {
    let f = Fixture::new();
    let id = submitted_by(&f, "approver", "FOUR-EYES-1").await;
    let refused = f.approve(id, "approver").await.expect(403).json();
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("second approver"),
        "{refused}"
    );
    assert_eq!(
        f.get(&format!("/api/reports/{id}"), Some("approver"))
            .await
            .expect(200)
            .json()["status"],
        "submitted"
    );
    f.approve(id, "admin").await.expect(200);
}

#[tokio::test]
async fn four_eyes_approval_can_be_turned_off() {
    let f = Fixture::with_config(ServerConfig {
        four_eyes: false,
        ..ServerConfig::default()
    });
    let id = submitted_by(&f, "approver", "FOUR-EYES-2").await;
    f.approve(id, "approver").await.expect(200);
}

fn victim_draft() -> serde_json::Value {
    json!({
        "title": "Accident KH02-ACC-RT", "date_of_information": "2025-06-02",
        "entries": [
            {"record": {"kind": "accident", "local_id": "KH02-ACC-RT", "date": "2025-06-01",
                        "date_known": true, "admin_pcode": "KH02", "device_category": "ap_mine",
                        "location": {"type": "Point", "coordinates": [103.2, 13.1]}}},
            {"record": {"kind": "victim", "local_id": "KH02-ACC-RT-V1", "accident": "KH02-ACC-RT",
                        "sex": "female", "age_at_accident": 34, "outcome": "injured",
                        "activity_at_time": "farming", "deminer": false},
             "personal_data": {"full_name": "Srey Mom", "address": "Phum Thmey"}}
        ]
    })
}

#[tokio::test]
async fn a_draft_read_and_sent_back_without_personal_data_keeps_them() {
    let f = Fixture::new();
    let id = f
        .post("/api/reports", Some("halo-entry"), &victim_draft())
        .await
        .expect(201)
        .json()["id"]
        .as_i64()
        .unwrap();
    let uri = format!("/api/reports/{id}");
    let read = f.get(&uri, Some("halo-entry")).await.expect(200);
    let mut doc = read.json();
    assert_eq!(doc["entries"][1]["personal_data_withheld"], true);
    doc["title"] = json!("Accident KH02-ACC-RT, corrected");
    let etag = read.header("etag").unwrap();
    f.put(&uri, Some("halo-entry"), Some(&etag), &doc)
        .await
        .expect(200);
    // Sending it without the flag, or with other personal data, changes nothing either.
    let read = f.get(&uri, Some("halo-entry")).await.expect(200);
    let mut doc = read.json();
    doc["entries"][1]["personal_data"] = json!({"full_name": "Someone Else"});
    f.put(
        &uri,
        Some("halo-entry"),
        Some(&read.header("etag").unwrap()),
        &doc,
    )
    .await
    .expect(200);
    let va = f.get(&uri, Some("va")).await.expect(200).json();
    assert_eq!(va["title"], "Accident KH02-ACC-RT, corrected");
    assert_eq!(va["entries"][1]["personal_data"]["full_name"], "Srey Mom");
    assert_eq!(va["entries"][1]["personal_data"]["address"], "Phum Thmey");
    // The victim-assistance officer may change them.
    let read = f.get(&uri, Some("va")).await.expect(200);
    let mut doc = read.json();
    doc["entries"][1]["personal_data"]["address"] = json!("Phum Chas");
    f.put(&uri, Some("va"), Some(&read.header("etag").unwrap()), &doc)
        .await
        .expect(200);
    let va = f.get(&uri, Some("va")).await.expect(200).json();
    assert_eq!(va["entries"][1]["personal_data"]["address"], "Phum Chas");
}

/// Every current item of a kind as `user` reads it, page after page.
async fn all_items(f: &Fixture, user: &str, kind: &str) -> Vec<serde_json::Value> {
    let (mut out, mut after) = (Vec::new(), String::new());
    loop {
        let page = f
            .get(
                &format!("/api/items?kind={kind}&limit=1000{after}"),
                Some(user),
            )
            .await
            .expect(200)
            .json();
        out.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_after"].as_str() {
            Some(next) => after = format!("&after={next}"),
            None => return out,
        }
    }
}

#[tokio::test]
async fn a_viewer_cannot_derive_any_victims_birth_year_and_small_groups_are_suppressed() {
    let f = Fixture::new();
    let victims = all_items(&f, "viewer", "victim").await;
    let accidents = all_items(&f, "viewer", "accident").await;
    assert!(!victims.is_empty() && !accidents.is_empty());
    // Birth year = accident date − age: neither an exact age nor an exact date is given.
    for v in &victims {
        assert!(v["record"].get("age_at_accident").is_none(), "{v}");
        assert_eq!(v["valid_from"].as_str().map(str::len), Some(7), "{v}");
    }
    for a in &accidents {
        assert!(a["record"].get("date").is_none(), "{a}");
        if let Some(x) = a["record"]["location"]["coordinates"][0].as_f64() {
            assert!(((x * 100.0).round() - x * 100.0).abs() < 1e-6, "{a}");
        }
    }
    let rows = f
        .get("/api/records?kind=victim&limit=1000", Some("viewer"))
        .await
        .expect(200)
        .json();
    let rows = rows["rows"].as_array().unwrap();
    assert!(rows.iter().all(|r| r.get("age_at_accident").is_none()));
    // Each group shown (sex, age band, outcome) holds at least 5 victims, as in the figures.
    let key = |r: &serde_json::Value| {
        (
            r["sex"].to_string(),
            r["age_band"].to_string(),
            r["outcome"].to_string(),
        )
    };
    for r in rows.iter().filter(|r| r["sex"] != "withheld") {
        let same = rows.iter().filter(|o| key(o) == key(r)).count();
        assert!(same >= 5, "a group of {same} shown: {r}");
    }
    // Counting by exact age or date is refused.
    for q in [
        "kind=victim&age_at_accident=34",
        "kind=victim&sort=age_at_accident",
        "kind=accident&date=2025-06-01",
        "kind=victim&q=34",
    ] {
        f.get(&format!("/api/records?{q}"), Some("viewer"))
            .await
            .expect(403);
    }
    // The victim-assistance officer sees them exactly.
    let exact = all_items(&f, "va", "victim").await;
    assert!(
        exact
            .iter()
            .any(|v| v["record"]["age_at_accident"].is_u64())
    );
}

#[tokio::test]
async fn an_item_read_generalised_and_sent_back_keeps_its_exact_values() {
    let f = Fixture::new();
    let exact = all_items(&f, "va", "victim").await;
    let victim = exact
        .iter()
        .find(|v| v["record"]["age_at_accident"].is_u64())
        .unwrap();
    let id = victim["item"].as_str().unwrap();
    let read = f
        .get(&format!("/api/items/{id}"), Some("halo-entry"))
        .await
        .expect(200);
    let mut record = read.json()["record"].clone();
    record.as_object_mut().unwrap().remove("age_band");
    let sent = f
        .put(
            &format!("/api/items/{id}"),
            Some("halo-entry"),
            Some(&read.header("etag").unwrap()),
            &json!({"date_of_information": "2026-01-15", "record": record}),
        )
        .await
        .expect(202)
        .json();
    let report = f
        .get(&format!("/api/reports/{}", sent["report"]), Some("va"))
        .await
        .expect(200)
        .json();
    assert_eq!(
        report["entries"][0]["record"]["age_at_accident"],
        victim["record"]["age_at_accident"]
    );
}

/// A second administrator with a fixture token.
fn second_admin(f: &Fixture) {
    use safeground_server::auth::password::secret_digest;
    use safeground_store::{AccountStore, CredentialKind, NewAccount, Role};
    let mut store = f.store();
    store
        .add_account(
            "fixture",
            &NewAccount {
                username: "admin2".into(),
                display_name: "Second administrator".into(),
                organisation: "ORG-CMAA".into(),
                role: Role::Administrator,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            },
        )
        .unwrap();
    store
        .add_credential(
            "admin2",
            &secret_digest(&common::token("admin2")),
            CredentialKind::ApiToken,
            Some("tests"),
            None,
        )
        .unwrap();
}

#[tokio::test]
async fn victim_assistance_accounts_and_their_passwords_need_a_second_administrator() {
    let f = Fixture::new();
    second_admin(&f);
    let new_va = json!({"username": "va2", "display_name": "VA two",
                        "organisation": "ORG-CMAA", "role": "victim_assistance"});
    let asked = f
        .post("/api/users", Some("admin"), &new_va)
        .await
        .expect(202)
        .json();
    assert!(asked.get("password").is_none(), "{asked}");
    let mut chosen = new_va.clone();
    chosen["password"] = json!("a-password-the-admin-knows-1");
    f.post("/api/users", Some("admin"), &chosen)
        .await
        .expect(422);
    let users = f.get("/api/users", Some("admin")).await.expect(200).json();
    assert!(
        !users.to_string().contains("\"va2\""),
        "created without a second person"
    );
    let id = asked["request"].as_i64().unwrap();
    let confirm = format!("/api/users/requests/{id}/confirm");
    f.post(&confirm, Some("admin"), &json!({}))
        .await
        .expect(403);
    let done = f
        .post(&confirm, Some("admin2"), &json!({}))
        .await
        .expect(200)
        .json();
    let password = done["password"].as_str().unwrap().to_owned();
    f.post(
        "/api/login",
        None,
        &json!({"username": "va2", "password": password}),
    )
    .await
    .expect(200);
    f.post(&confirm, Some("admin2"), &json!({}))
        .await
        .expect(404);

    // A reset of a victim-assistance password: never returned to the resetting administrator.
    let reset = f
        .post("/api/users/va/password", Some("admin"), &json!({}))
        .await
        .expect(202)
        .json();
    assert!(reset.get("password").is_none(), "{reset}");
    f.post(
        "/api/users/va/password",
        Some("admin"),
        &json!({"password": "a-password-the-admin-knows-1"}),
    )
    .await
    .expect(422);
    let id = reset["request"].as_i64().unwrap();
    let done = f
        .post(
            &format!("/api/users/requests/{id}/confirm"),
            Some("admin2"),
            &json!({}),
        )
        .await
        .expect(200)
        .json();
    f.post(
        "/api/login",
        None,
        &json!({"username": "va", "password": done["password"]}),
    )
    .await
    .expect(200);
    // Other accounts are still reset by one administrator.
    f.post("/api/users/viewer/password", Some("admin"), &json!({}))
        .await
        .expect(200);
    let log = f
        .get("/api/audit?action=account.request", Some("admin"))
        .await
        .expect(200)
        .json();
    let actions: Vec<&str> = (log["entries"].as_array().unwrap().iter())
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"account.request") && actions.contains(&"account.request_confirm"));
}

/// Every feature of an OGC collection as `user` reads it (following `next` links).
async fn ogc_features(f: &Fixture, user: &str, query: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut uri = format!("/ogc/collections/accidents/items?limit=1000{query}");
    loop {
        let page = f.get(&uri, Some(user)).await.expect(200).json();
        out.extend(page["features"].as_array().unwrap().iter().cloned());
        let next = page["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next");
        match next.and_then(|l| l["href"].as_str()) {
            Some(href) => {
                uri = href
                    .split_once("/ogc/")
                    .map(|(_, p)| format!("/ogc/{p}"))
                    .unwrap()
            }
            None => return out,
        }
    }
}

#[tokio::test]
async fn exports_and_the_ogc_accidents_give_a_viewer_no_exact_age_date_or_point() {
    let f = Fixture::new();
    let on_grid = |x: f64| ((x * 100.0).round() - x * 100.0).abs() < 1e-6;
    // Exports of victims and accidents, as a viewer.
    let victims = f
        .get("/api/export/victims?format=geojson", Some("viewer"))
        .await
        .expect(200)
        .json();
    let victims = victims["features"].as_array().unwrap();
    assert!(!victims.is_empty());
    for v in victims {
        assert!(v["properties"].get("age_at_accident").is_none(), "{v}");
        assert!(v["properties"].get("age_band").is_some(), "{v}");
    }
    let accidents = f
        .get("/api/export/accidents?format=geojson", Some("viewer"))
        .await
        .expect(200)
        .json();
    let accidents = accidents["features"].as_array().unwrap();
    assert!(!accidents.is_empty());
    for a in accidents {
        assert!(a["properties"].get("date").is_none(), "{a}");
        if let Some(x) = a["geometry"]["coordinates"][0].as_f64() {
            assert!(on_grid(x), "{a}");
        }
    }
    let csv = f
        .get("/api/export/victims?format=csv", Some("viewer"))
        .await
        .expect(200);
    assert!(!String::from_utf8_lossy(&csv.bytes).contains("age_at_accident"));
    // The OGC accidents, as a viewer: months and grid points; for `datetime` an accident is
    // dated the first of its month, so a one-day filter cannot narrow its date down.
    let seen = ogc_features(&f, "viewer", "").await;
    assert!(!seen.is_empty());
    for a in &seen {
        assert!(a["properties"].get("date").is_none(), "{a}");
        assert!(a["properties"]["date_month"].is_string(), "{a}");
        if let Some(x) = a["geometry"]["coordinates"][0].as_f64() {
            assert!(on_grid(x), "{a}");
        }
    }
    let exact = ogc_features(&f, "va", "").await;
    let dated = exact
        .iter()
        .find_map(|a| a["properties"]["date"].as_str().map(str::to_owned))
        .expect("the victim-assistance officer sees exact dates");
    let month = &dated[..7];
    let in_month = seen
        .iter()
        .filter(|a| a["properties"]["date_month"] == month)
        .count();
    let first = ogc_features(&f, "viewer", &format!("&datetime={month}-01")).await;
    assert_eq!(first.len(), in_month);
    if !dated.ends_with("-01") {
        let one_day = ogc_features(&f, "viewer", &format!("&datetime={dated}")).await;
        assert!(one_day.is_empty(), "a day's filter found {one_day:?}");
    }
    let one_day_exact = ogc_features(&f, "va", &format!("&datetime={dated}")).await;
    assert!(!one_day_exact.is_empty());
}
