//! Login, sessions, API tokens, rate limiting, user administration and the audit log.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use common::{Fixture, PASSWORD};
use safeground_server::ServerConfig;
use serde_json::json;

async fn login(f: &Fixture, user: &str, password: &str) -> common::Reply {
    f.post(
        "/api/login",
        None,
        &json!({"username": user, "password": password}),
    )
    .await
}

fn session_cookie(r: &common::Reply) -> String {
    let set = r.header("set-cookie").expect("set-cookie");
    set.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn login_sets_a_strict_httponly_cookie_and_logout_revokes_it() {
    let f = Fixture::new();
    let r = login(&f, "halo-entry", PASSWORD).await.expect(200);
    let set = r.header("set-cookie").unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert_eq!(r.json()["role"], "data_entry");
    let cookie = session_cookie(&r);
    let me = f
        .raw(Method::GET, "/api/me", None, &[("cookie", &cookie)], vec![])
        .await
        .expect(200);
    assert_eq!(me.json()["organisation"], "ORG-HALO");
    assert_eq!(me.json()["national"], false);
    assert_eq!(me.json()["may"]["approve"], false);
    f.raw(
        Method::POST,
        "/api/logout",
        None,
        &[
            ("cookie", &cookie),
            ("host", "mines.example.org"),
            ("origin", "http://mines.example.org"),
        ],
        vec![],
    )
    .await
    .expect(204);
    f.raw(Method::GET, "/api/me", None, &[("cookie", &cookie)], vec![])
        .await
        .expect(401);
    let audit: Vec<String> = f.store_audit_actions();
    assert!(audit.contains(&"login.success".to_owned()));
    assert!(audit.contains(&"account.logout".to_owned()));
}

trait AuditActions {
    fn store_audit_actions(&self) -> Vec<String>;
}

impl AuditActions for Fixture {
    fn store_audit_actions(&self) -> Vec<String> {
        use safeground_store::ProgrammeStore;
        self.store()
            .audit_log()
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    }
}

#[tokio::test]
async fn failed_logins_are_refused_alike_audited_and_rate_limited() {
    let f = Fixture::with_config(ServerConfig {
        max_login_failures: 3,
        ..ServerConfig::default()
    });
    let unknown = login(&f, "nobody", "whatever-password").await.expect(401);
    let wrong = login(&f, "viewer", "wrong-password-x").await.expect(401);
    assert_eq!(
        unknown.json()["detail"],
        wrong.json()["detail"],
        "no user enumeration"
    );
    login(&f, "viewer", "wrong-password-y").await.expect(401);
    login(&f, "viewer", "wrong-password-z").await.expect(401);
    let limited = login(&f, "viewer", PASSWORD).await.expect(429);
    assert!(limited.header("retry-after").is_some());
    assert_eq!(
        limited.header("content-type").unwrap(),
        "application/problem+json"
    );
    // Another user is not affected.
    login(&f, "mag-viewer", PASSWORD).await.expect(200);
    let failures = f
        .store_audit_actions()
        .iter()
        .filter(|a| *a == "login.failure")
        .count();
    assert_eq!(failures, 5, "every failed or refused attempt is audited");
}

#[tokio::test]
async fn api_tokens_act_as_their_user_until_the_account_is_disabled() {
    let f = Fixture::new();
    let r = f
        .post(
            "/api/tokens",
            Some("mag-entry"),
            &json!({"label": "kobo sync"}),
        )
        .await
        .expect(201);
    let token = r.json()["token"].as_str().unwrap().to_owned();
    let auth = format!("Bearer {token}");
    let me = f
        .raw(
            Method::GET,
            "/api/me",
            None,
            &[("authorization", &auth)],
            vec![],
        )
        .await
        .expect(200);
    assert_eq!(me.json()["username"], "mag-entry");
    f.post("/api/tokens", Some("mag-entry"), &json!({"label": " "}))
        .await
        .expect(422);
    f.post("/api/users/mag-entry/disable", Some("admin"), &json!({}))
        .await
        .expect(204);
    f.raw(
        Method::GET,
        "/api/me",
        None,
        &[("authorization", &auth)],
        vec![],
    )
    .await
    .expect(401);
    f.raw(
        Method::GET,
        "/api/me",
        None,
        &[("authorization", "Bearer not-a-token")],
        vec![],
    )
    .await
    .expect(401);
    f.get("/api/me", None).await.expect(401);
}

#[tokio::test]
async fn administrators_manage_users_and_others_cannot() {
    let f = Fixture::new();
    for user in ["approver", "halo-entry", "va", "viewer"] {
        f.get("/api/users", Some(user)).await.expect(403);
        f.post("/api/users", Some(user), &json!({"username": "x", "display_name": "X", "organisation": "ORG-HALO", "role": "viewer"})).await.expect(403);
        f.get("/api/audit", Some(user)).await.expect(403);
    }
    let list = f.get("/api/users", Some("admin")).await.expect(200);
    assert_eq!(
        list.json()["users"].as_array().unwrap().len(),
        common::USERS.len()
    );
    let created = f
        .post("/api/users", Some("admin"), &json!({"username": "npa-entry", "display_name": "NPA", "organisation": "ORG-NPA", "role": "data_entry"}))
        .await
        .expect(201);
    let password = created.json()["password"].as_str().unwrap().to_owned();
    login(&f, "npa-entry", &password).await.expect(200);
    let bad_role = f
        .post("/api/users", Some("admin"), &json!({"username": "y", "display_name": "Y", "organisation": "ORG-HALO", "role": "superuser"}))
        .await
        .expect(422);
    assert_eq!(bad_role.json()["errors"][0]["field"], "role");
    f.post("/api/users", Some("admin"), &json!({"username": "npa-entry", "display_name": "NPA", "organisation": "ORG-NPA", "role": "viewer"}))
        .await
        .expect(400);
    f.post("/api/users", Some("admin"), &json!({"username": "short", "display_name": "S", "organisation": "ORG-NPA", "role": "viewer", "password": "short"}))
        .await
        .expect(422);
    let reset = f
        .post("/api/users/npa-entry/password", Some("admin"), &json!({}))
        .await
        .expect(200);
    let new_password = reset.json()["password"].as_str().unwrap().to_owned();
    login(&f, "npa-entry", &password).await.expect(401);
    login(&f, "npa-entry", &new_password).await.expect(200);
    f.post("/api/users/admin/disable", Some("admin"), &json!({}))
        .await
        .expect(409);
    f.post("/api/users/ghost/disable", Some("admin"), &json!({}))
        .await
        .expect(400);
    f.post("/api/users/npa-entry/disable", Some("admin"), &json!({}))
        .await
        .expect(204);
    login(&f, "npa-entry", &new_password).await.expect(401);
    f.post("/api/users/npa-entry/enable", Some("admin"), &json!({}))
        .await
        .expect(204);
    login(&f, "npa-entry", &new_password).await.expect(200);
    let audit = f.get("/api/audit", Some("admin")).await.expect(200).json();
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "account.create",
        "account.password_reset",
        "account.disable",
        "account.enable",
        "login.success",
        "login.failure",
    ] {
        assert!(actions.contains(&a), "{a} missing from the audit log");
    }
}

#[tokio::test]
async fn health_ready_openapi_and_unknown_paths() {
    let f = Fixture::new();
    f.get("/health", None).await.expect(200);
    let ready = f.get("/ready", None).await.expect(200);
    assert!(ready.json()["data_generation"].as_i64().unwrap() > 0);
    let doc = f.get("/api/openapi.json", None).await.expect(200).json();
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/login",
        "/api/reports",
        "/api/reports/{id}",
        "/api/reports/{id}/approve",
        "/api/reports/{id}/entries/{entry}/reconcile",
        "/api/items/{id}",
        "/api/items/{id}/personal-data",
        "/api/users",
        "/ogc/collections/{collection}/items",
        "/tiles/{layer}/{z}/{x}/{y}",
    ] {
        assert!(
            paths.contains_key(p),
            "{p} missing from the OpenAPI document"
        );
    }
    let missing = f.get("/api/nothing-here", Some("admin")).await.expect(404);
    assert_eq!(
        missing.header("content-type").unwrap(),
        "application/problem+json"
    );
}

async fn login_from(f: &Fixture, address: &str, user: &str, password: &str) -> common::Reply {
    f.raw(
        Method::POST,
        "/api/login",
        None,
        &[("x-forwarded-for", address)],
        serde_json::to_vec(&json!({"username": user, "password": password})).unwrap(),
    )
    .await
}

#[tokio::test]
async fn failed_logins_from_one_address_do_not_lock_the_user_out_elsewhere() {
    let f = Fixture::with_config(ServerConfig {
        max_login_failures: 3,
        max_login_failures_per_address: 6,
        trust_proxy: true,
        ..ServerConfig::default()
    });
    let attacker = "203.0.113.7";
    for i in 0..3 {
        login_from(&f, attacker, "viewer", &format!("guess-number-{i}"))
            .await
            .expect(401);
    }
    // The attacker now waits, even with the right password ...
    let r = login_from(&f, attacker, "viewer", PASSWORD)
        .await
        .expect(429);
    assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() > 0);
    // ... but the user, from their own address, logs in.
    login_from(&f, "198.51.100.20", "viewer", PASSWORD)
        .await
        .expect(200);
    // An address has a budget across user names.
    for user in ["admin", "approver", "va"] {
        login_from(&f, attacker, user, "guess-number-x")
            .await
            .expect(401);
    }
    login_from(&f, attacker, "reviewer", PASSWORD)
        .await
        .expect(429);
    login_from(&f, "198.51.100.21", "reviewer", PASSWORD)
        .await
        .expect(200);
}

#[tokio::test]
async fn without_a_trusted_proxy_the_peer_address_counts_not_x_forwarded_for() {
    use axum::extract::ConnectInfo;
    use tower::ServiceExt;
    let f = Fixture::with_config(ServerConfig {
        max_login_failures: 2,
        ..ServerConfig::default()
    });
    let send = |peer: [u8; 4], forwarded: &str, password: &str| {
        let mut req = axum::http::Request::post("/api/login")
            .header("content-type", "application/json")
            .header("x-forwarded-for", forwarded)
            .body(axum::body::Body::from(
                serde_json::to_vec(&json!({"username": "viewer", "password": password})).unwrap(),
            ))
            .unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(std::net::SocketAddr::from((peer, 40000))));
        f.app.clone().oneshot(req)
    };
    for i in 0..2 {
        let r = send([192, 0, 2, 1], &format!("10.0.0.{i}"), "wrong-password-q")
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    // A forged X-Forwarded-For does not make a new address.
    let r = send([192, 0, 2, 1], "10.0.0.99", PASSWORD).await.unwrap();
    assert_eq!(r.status(), 429);
    let r = send([192, 0, 2, 2], "10.0.0.1", PASSWORD).await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn users_list_and_revoke_their_own_sessions_and_expiring_tokens() {
    own_sessions_and_tokens(&Fixture::new()).await;
}

#[test]
fn users_list_and_revoke_their_own_sessions_and_tokens_on_postgres() {
    // The PostgreSQL client blocks: set up and drop the database outside the async runtime.
    let Some((f, _db)) = Fixture::postgres() else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(own_sessions_and_tokens(&f));
}

async fn own_sessions_and_tokens(f: &Fixture) {
    for days in [0, 367] {
        let r = f
            .post(
                "/api/tokens",
                Some("mag-entry"),
                &json!({"label": "qgis", "expires_in_days": days}),
            )
            .await
            .expect(422);
        assert_eq!(r.json()["errors"][0]["field"], "expires_in_days");
    }
    let made = f
        .post("/api/tokens", Some("mag-entry"), &json!({"label": "qgis"}))
        .await
        .expect(201)
        .json();
    let expires: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(made["expires_at"].clone()).unwrap();
    let days = (expires - chrono::Utc::now()).num_days();
    assert!((89..=90).contains(&days), "{days} days");
    let id = made["id"].as_str().unwrap().to_owned();
    let auth = format!("Bearer {}", made["token"].as_str().unwrap());

    let r = login(f, "mag-entry", PASSWORD).await.expect(200);
    let cookie = session_cookie(&r);
    let list = f
        .raw(
            Method::GET,
            "/api/tokens",
            None,
            &[("cookie", &cookie)],
            vec![],
        )
        .await
        .expect(200)
        .json();
    let tokens = list["tokens"].as_array().unwrap();
    let session = tokens.iter().find(|t| t["current"] == true).unwrap();
    assert_eq!(session["kind"], "session");
    assert!(session["expires_at"].is_string());
    let listed = tokens.iter().find(|t| t["id"] == id.as_str()).unwrap();
    assert_eq!(listed["kind"], "api_token");
    assert_eq!(listed["label"], "qgis");
    assert!(
        list.to_string()
            .find(made["token"].as_str().unwrap())
            .is_none()
    );

    // Someone else cannot revoke it; its owner can.
    f.raw(
        Method::DELETE,
        &format!("/api/tokens/{id}"),
        Some("halo-entry"),
        &[],
        vec![],
    )
    .await
    .expect(404);
    f.raw(
        Method::GET,
        "/api/me",
        None,
        &[("authorization", &auth)],
        vec![],
    )
    .await
    .expect(200);
    f.raw(
        Method::DELETE,
        &format!("/api/tokens/{id}"),
        None,
        &[
            ("cookie", &cookie),
            ("host", "mines.example.org"),
            ("origin", "http://mines.example.org"),
        ],
        vec![],
    )
    .await
    .expect(204);
    f.raw(
        Method::GET,
        "/api/me",
        None,
        &[("authorization", &auth)],
        vec![],
    )
    .await
    .expect(401);
    f.raw(
        Method::DELETE,
        "/api/tokens/not-an-id",
        Some("mag-entry"),
        &[],
        vec![],
    )
    .await
    .expect(404);
    // Logging out everywhere revokes the other tokens too.
    let other = f
        .post("/api/tokens", Some("mag-entry"), &json!({"label": "kobo"}))
        .await
        .expect(201)
        .json();
    let other = format!("Bearer {}", other["token"].as_str().unwrap());
    let fixture_token = format!("Bearer {}", common::token("mag-entry"));
    f.raw(
        Method::POST,
        "/api/logout?all=true",
        None,
        &[
            ("cookie", &cookie),
            ("host", "mines.example.org"),
            ("origin", "http://mines.example.org"),
        ],
        vec![],
    )
    .await
    .expect(204);
    for auth in [&other, &fixture_token] {
        f.raw(
            Method::GET,
            "/api/me",
            None,
            &[("authorization", auth)],
            vec![],
        )
        .await
        .expect(401);
    }
    f.raw(Method::GET, "/api/me", None, &[("cookie", &cookie)], vec![])
        .await
        .expect(401);
}

#[tokio::test]
async fn common_weak_and_user_name_passwords_are_refused() {
    let f = Fixture::new();
    for (password, why) in [
        ("P@ssw0rd2024!", "common"),
        ("qwertyuiop1234", "common"),
        ("aaaaaaaaaaaa", "kind"),
        ("npa-entry-2025", "user name"),
        ("abc12", "12"),
    ] {
        let r = f
            .post("/api/users", Some("admin"), &json!({"username": "npa-entry", "display_name": "NPA", "organisation": "ORG-NPA", "role": "viewer", "password": password}))
            .await
            .expect(422);
        assert_eq!(r.json()["errors"][0]["field"], "password", "{password}");
        assert!(
            r.json()["detail"].as_str().unwrap().contains(why),
            "{password}: {}",
            r.json()["detail"]
        );
    }
    f.post("/api/users", Some("admin"), &json!({"username": "npa-entry", "display_name": "NPA", "organisation": "ORG-NPA", "role": "viewer", "password": "Kampot-rain-season-7"}))
        .await
        .expect(201);
    f.post(
        "/api/users/npa-entry/password",
        Some("admin"),
        &json!({"password": "Password12345"}),
    )
    .await
    .expect(422);
}
