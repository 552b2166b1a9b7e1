//! Break-glass over HTTP: only national approvers and administrators open emergency access,
//! saying why; while it is open they read victims' personal data, every read audited naming
//! the grant; once closed the access is gone; someone else reviews it; `--no-break-glass`
//! turns it off. Runs on SQLite and, when configured, PostgreSQL.
#![allow(clippy::unwrap_used)]

mod common;

use common::Fixture;
use safeground_server::ServerConfig;
use serde_json::{Value, json};

const REASON: &str = "Referral of the Srey Mom family to the rehabilitation centre, asked by MoSVY";

fn victim_report() -> Value {
    json!({
        "title": "Accident KH02-ACC-BG", "date_of_information": "2025-06-02",
        "entries": [
            {"record": {"kind": "accident", "local_id": "KH02-ACC-BG", "date": "2025-06-01",
                        "date_known": true, "admin_pcode": "KH02", "device_category": "ap_mine",
                        "location": {"type": "Point", "coordinates": [103.2, 13.1]}}},
            {"record": {"kind": "victim", "local_id": "KH02-ACC-BG-V1", "accident": "KH02-ACC-BG",
                        "sex": "female", "age_at_accident": 34, "outcome": "injured",
                        "activity_at_time": "farming", "deminer": false},
             "personal_data": {"full_name": "Srey Mom", "address": "Phum Thmey"}}
        ]
    })
}

/// An approved accident report with a victim's personal data: (report id, victim id).
async fn approved_victim(f: &Fixture) -> (i64, String) {
    let r = f
        .post("/api/reports", Some("reviewer"), &victim_report())
        .await
        .expect(201);
    let id = r.json()["id"].as_i64().unwrap();
    f.post(
        &format!("/api/reports/{id}/submit"),
        Some("reviewer"),
        &json!({}),
    )
    .await
    .expect(200);
    let approved = f
        .post(
            &format!("/api/reports/{id}/approve"),
            Some("admin"),
            &json!({}),
        )
        .await
        .expect(200);
    let victim = approved.json()["result"]["items"][1]
        .as_str()
        .unwrap()
        .to_owned();
    (id, victim)
}

/// The audit lines of `action` (newest first) as (actor, target, detail).
async fn audit(f: &Fixture, action: &str) -> Vec<(String, String, String)> {
    let page = f
        .get(
            &format!("/api/audit?action={action}&limit=100"),
            Some("admin"),
        )
        .await
        .expect(200)
        .json();
    (page["entries"].as_array().unwrap().iter())
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            (text("actor"), text("target"), text("detail"))
        })
        .collect()
}

async fn emergency_access_is_loud_time_boxed_and_reviewed(f: &Fixture) {
    let (report, victim) = approved_victim(f).await;
    let report_uri = format!("/api/reports/{report}");
    let personal_uri = format!("/api/items/{victim}/personal-data");
    let open = json!({"reason": REASON, "minutes": 15});

    // Viewers, data entry and an operator's approver cannot open a grant.
    for user in ["viewer", "halo-entry", "halo-approver", "reviewer", "va"] {
        let r = f
            .post("/api/break-glass", Some(user), &open)
            .await
            .expect(403);
        assert!(r.json()["detail"].as_str().unwrap().contains("national"));
    }
    let short = f
        .post(
            "/api/break-glass",
            Some("approver"),
            &json!({"reason": "  need it now  "}),
        )
        .await
        .expect(422)
        .json();
    assert_eq!(short["errors"][0]["field"], "reason", "{short}");
    f.post(
        "/api/break-glass",
        Some("approver"),
        &json!({"reason": REASON, "minutes": 500}),
    )
    .await
    .expect(422);
    f.get(&personal_uri, Some("approver")).await.expect(403);
    let me = f.get("/api/me", Some("approver")).await.expect(200).json();
    assert_eq!(me["may"]["break_glass"], true);
    assert_eq!(me["break_glass"], Value::Null);

    let grant = f
        .post("/api/break-glass", Some("approver"), &open)
        .await
        .expect(201)
        .json();
    let id = grant["id"].as_i64().unwrap();
    assert_eq!(grant["open"], true);
    assert_eq!(grant["holder"], "approver");
    f.post("/api/break-glass", Some("approver"), &open)
        .await
        .expect(409);
    let me = f.get("/api/me", Some("approver")).await.expect(200).json();
    assert_eq!(me["break_glass"]["id"], id);
    assert_eq!(me["may"]["personal_data"], true);

    // Reads under the grant, each audited naming it.
    let read = f
        .get(&report_uri, Some("approver"))
        .await
        .expect(200)
        .json();
    assert_eq!(read["entries"][1]["personal_data"]["full_name"], "Srey Mom");
    let read = f
        .get(&personal_uri, Some("approver"))
        .await
        .expect(200)
        .json();
    assert_eq!(read["personal_data"]["full_name"], "Srey Mom");
    f.get(
        "/api/export/victims?format=xlsx&personal_data=true",
        Some("approver"),
    )
    .await
    .expect(200);
    let named = format!("break-glass {id}: {REASON}");
    let exports = audit(f, "export.personal_data").await;
    assert!(
        (exports.iter()).any(|(a, _, d)| a == "approver" && d.ends_with(&named)),
        "the export is not audited under the grant: {exports:?}"
    );
    let reads = audit(f, "personal_data.read").await;
    for target in [format!("report:{report}"), victim.clone()] {
        assert!(
            (reads.iter()).any(|(a, t, d)| a == "approver" && *t == target && *d == named),
            "{target} not audited under the grant: {reads:?}"
        );
    }

    // The holder cannot review; nobody reviews an open grant; others see no grant of theirs.
    f.post(
        &format!("/api/break-glass/{id}/review"),
        Some("va"),
        &json!({"note": "too early"}),
    )
    .await
    .expect(409);
    let theirs = f
        .get("/api/break-glass", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(theirs["grants"], json!([]));
    f.post(
        &format!("/api/break-glass/{id}/close"),
        Some("viewer"),
        &json!({}),
    )
    .await
    .expect(403);

    let closed = f
        .post(
            &format!("/api/break-glass/{id}/close"),
            Some("approver"),
            &json!({}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(closed["open"], false);
    assert_eq!(closed["awaits_review"], true);
    f.get(&personal_uri, Some("approver")).await.expect(403);
    let withheld = f
        .get(&report_uri, Some("approver"))
        .await
        .expect(200)
        .json();
    assert_eq!(withheld["entries"][1]["personal_data_withheld"], true);

    f.post(
        &format!("/api/break-glass/{id}/review"),
        Some("approver"),
        &json!({"note": "all reads were for the referral"}),
    )
    .await
    .expect(403);
    let va_me = f.get("/api/me", Some("va")).await.expect(200).json();
    assert_eq!(va_me["break_glass_reviews"], 1);
    f.post(
        &format!("/api/break-glass/{id}/review"),
        Some("va"),
        &json!({"note": " "}),
    )
    .await
    .expect(422);
    let reviewed = f
        .post(
            &format!("/api/break-glass/{id}/review"),
            Some("va"),
            &json!({"note": "two reads, both for the referral"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(reviewed["reviewed_by"], "va");
    let all = f
        .get("/api/break-glass", Some("admin"))
        .await
        .expect(200)
        .json();
    assert_eq!(all["grants"][0]["id"], id);
    assert_eq!(all["awaiting_review"], 0);

    let lines: Vec<String> = (audit(f, "break_glass.").await.into_iter())
        .map(|(a, t, _)| format!("{a} {t}"))
        .collect();
    let target = format!("break_glass:{id}");
    for actor in ["va", "approver", "approver"] {
        assert!(lines.contains(&format!("{actor} {target}")), "{lines:?}");
    }
    assert_eq!(lines.len(), 3, "{lines:?}");
}

#[tokio::test]
async fn emergency_access_on_sqlite() {
    emergency_access_is_loud_time_boxed_and_reviewed(&Fixture::new()).await;
}

#[test]
fn emergency_access_on_postgres() {
    // The PostgreSQL client blocks: set up and drop the database outside the async runtime.
    let Some((pg, _db)) = Fixture::postgres() else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(emergency_access_is_loud_time_boxed_and_reviewed(&pg));
}

#[tokio::test]
async fn no_break_glass_turns_it_off() {
    let f = Fixture::with_config(ServerConfig {
        break_glass: false,
        ..ServerConfig::default()
    });
    let r = f
        .post(
            "/api/break-glass",
            Some("admin"),
            &json!({"reason": REASON}),
        )
        .await
        .expect(403);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap()
            .contains("--no-break-glass")
    );
    let me = f.get("/api/me", Some("admin")).await.expect(200).json();
    assert_eq!(me["may"]["break_glass"], false);
    assert_eq!(me["may"]["personal_data"], false);
}
