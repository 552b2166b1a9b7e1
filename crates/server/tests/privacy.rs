//! Privacy and separation of duties over HTTP: a bounded, paged audit log; four-eyes approval;
//! no administrator path to victims' personal data without a second person; drafts that keep
//! personal data they do not show; quasi-identifiers generalised for roles without victim
//! access.
#![allow(clippy::unwrap_used)]

mod common;

use common::Fixture;
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
