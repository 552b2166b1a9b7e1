//! HTTP hardening: no 500 on odd parameters, problem details for every error, security headers
//! on every response, Origin check on cookie writes, forwarded headers only when trusted.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use common::Fixture;
use safeground_server::ServerConfig;
use serde_json::json;

fn assert_problem(r: &common::Reply, status: u16) {
    assert_eq!(
        r.status.as_u16(),
        status,
        "body: {}",
        String::from_utf8_lossy(&r.bytes)
    );
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/problem+json"),
        "status {status}: {}",
        String::from_utf8_lossy(&r.bytes)
    );
    let p = r.json();
    for k in ["type", "title", "detail"] {
        assert!(p[k].is_string(), "{k} missing in {p}");
    }
    assert_eq!(p["status"], status);
}

#[tokio::test]
async fn odd_sort_and_huge_offsets_are_422_naming_the_parameter() {
    let f = Fixture::new();
    for uri in [
        "/api/records?kind=activity&sort=%5C",
        "/api/records?kind=accident&sort=%5C",
        "/api/hazards?sort=%5C",
    ] {
        let r = f.get(uri, Some("viewer")).await;
        assert_problem(&r, 422);
        assert!(
            r.json()["detail"].as_str().unwrap().contains("sort"),
            "{uri}"
        );
    }
    for uri in [
        "/api/records?kind=hazard&offset=9223372036854775808",
        "/api/records?kind=activity&offset=18446744073709551615",
        "/api/hazards?offset=9223372036854775808",
        "/api/hazards?offset=9223372036854775807",
        "/api/reports?offset=9223372036854775808",
        "/api/audit?offset=9223372036854775808",
    ] {
        let r = f.get(uri, Some("admin")).await;
        assert!(
            r.status.as_u16() < 500,
            "{uri}: {}",
            String::from_utf8_lossy(&r.bytes)
        );
        if r.status.as_u16() != 200 {
            assert_problem(&r, r.status.as_u16());
            assert!(
                r.json()["detail"].as_str().unwrap().contains("offset"),
                "{uri}"
            );
        }
    }
}

#[tokio::test]
async fn a_long_import_file_name_is_refused_by_name() {
    let f = Fixture::new();
    let name = format!("{}.geojson", "a".repeat(300));
    let r = f
        .raw(
            Method::POST,
            &format!("/api/import?filename={name}&dry_run=true"),
            Some("halo-entry"),
            &[],
            br#"{"type":"FeatureCollection","features":[]}"#.to_vec(),
        )
        .await;
    assert_problem(&r, 422);
    assert!(r.json()["detail"].as_str().unwrap().contains("filename"));
}

#[tokio::test]
async fn every_error_is_problem_details() {
    let f = Fixture::with_config(safeground_server::ServerConfig {
        max_body_bytes: 1024,
        ..safeground_server::ServerConfig::default()
    });
    // 413 from the body limit.
    let big = f
        .raw(
            Method::POST,
            "/api/import?filename=x.geojson",
            Some("halo-entry"),
            &[],
            vec![b' '; 4096],
        )
        .await;
    assert_problem(&big, 413);
    // 400: a path that is not UTF-8 once decoded.
    let r = f.get("/api/items/%FF%FE", Some("viewer")).await;
    assert_problem(&r, 400);
    // 405, keeping Allow.
    let r = f.raw(Method::DELETE, "/api/login", None, &[], vec![]).await;
    assert_problem(&r, 405);
    assert!(r.header("allow").is_some());
    // 404 of unknown routes under /api and /ogc.
    assert_problem(&f.get("/api/no-such-thing", Some("viewer")).await, 404);
    assert_problem(&f.get("/ogc/no/such/thing", Some("viewer")).await, 404);
    // A body that is not JSON, a query that does not parse.
    let r = f
        .raw(Method::POST, "/api/login", None, &[], b"{not json".to_vec())
        .await;
    assert!(r.status.is_client_error());
    assert_problem(&r, r.status.as_u16());
    let r = f.get("/api/hazards?limit=abc", Some("viewer")).await;
    assert!(r.status.is_client_error());
    assert_problem(&r, r.status.as_u16());
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let f = Fixture::new();
    for (uri, user) in [
        ("/", None),
        ("/api/me", Some("viewer")),
        ("/api/me", None),
        ("/api/no-such-thing", None),
        ("/ogc?f=html", Some("viewer")),
        ("/health", None),
    ] {
        let r = f.get(uri, user).await;
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert!(csp.contains("default-src 'self'"), "{uri}: {csp}");
        assert_eq!(
            r.header("x-frame-options").as_deref(),
            Some("DENY"),
            "{uri}"
        );
        assert_eq!(
            r.header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{uri}"
        );
        assert_eq!(
            r.header("referrer-policy").as_deref(),
            Some("same-origin"),
            "{uri}"
        );
        assert!(
            r.header("strict-transport-security").is_none(),
            "plain http"
        );
    }
    let tls = Fixture::with_config(safeground_server::ServerConfig {
        secure_cookies: true,
        ..safeground_server::ServerConfig::default()
    });
    let r = tls.get("/health", None).await;
    assert!(r.header("strict-transport-security").is_some());
}

async fn cookie_of(f: &Fixture, user: &str) -> String {
    let r = f
        .post(
            "/api/login",
            None,
            &json!({"username": user, "password": common::PASSWORD}),
        )
        .await
        .expect(200);
    let set = r.header("set-cookie").unwrap();
    set.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn cookie_writes_need_this_servers_origin_and_tokens_do_not() {
    let f = Fixture::new();
    let cookie = cookie_of(&f, "halo-entry").await;
    let host = ("host", "mines.example.org");
    let body = serde_json::to_vec(&json!({"label": "qgis"})).unwrap();
    for origin in [
        None,
        Some(("origin", "https://evil.example.com")),
        Some(("origin", "null")),
        Some(("referer", "http://mines.example.org.evil.com/form")),
    ] {
        let mut headers = vec![("cookie", cookie.as_str()), host];
        headers.extend(origin);
        let r = f
            .raw(Method::POST, "/api/tokens", None, &headers, body.clone())
            .await;
        assert_problem(&r, 403);
    }
    // Reads need no Origin.
    f.raw(
        Method::GET,
        "/api/me",
        None,
        &[("cookie", &cookie), host],
        vec![],
    )
    .await
    .expect(200);
    for same in [
        ("origin", "http://mines.example.org"),
        ("referer", "http://mines.example.org/#/import"),
    ] {
        f.raw(
            Method::POST,
            "/api/tokens",
            None,
            &[("cookie", &cookie), host, same],
            body.clone(),
        )
        .await
        .expect(201);
    }
    // A bearer token is not sent by browsers on their own: no Origin needed.
    f.raw(
        Method::POST,
        "/api/tokens",
        Some("halo-entry"),
        &[("origin", "https://evil.example.com")],
        body.clone(),
    )
    .await
    .expect(201);
    // With a public URL, the Origin must be that URL.
    let public = Fixture::with_config(ServerConfig {
        public_url: Some("https://mines.example.org".into()),
        ..ServerConfig::default()
    });
    let cookie = cookie_of(&public, "halo-entry").await;
    for (origin, status) in [
        ("http://mines.example.org", 403),
        ("https://mines.example.org", 201),
    ] {
        let r = public
            .raw(
                Method::POST,
                "/api/tokens",
                None,
                &[("cookie", &cookie), host, ("origin", origin)],
                body.clone(),
            )
            .await;
        assert_eq!(r.status.as_u16(), status, "{origin}");
    }
}

async fn ogc_self_link(f: &Fixture, headers: &[(&str, &str)]) -> common::Reply {
    f.raw(Method::GET, "/ogc?f=json", Some("viewer"), headers, vec![])
        .await
}

fn self_href(r: &common::Reply) -> String {
    r.json()["links"][0]["href"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn forwarded_headers_are_read_only_when_trusted_and_only_http_or_https() {
    let untrusted = Fixture::new();
    let r = ogc_self_link(
        &untrusted,
        &[
            ("host", "mines.example.org"),
            ("x-forwarded-proto", "javascript"),
            ("x-forwarded-host", "evil.example.com"),
        ],
    )
    .await
    .expect(200);
    assert!(
        self_href(&r).starts_with("http://mines.example.org/ogc"),
        "{}",
        self_href(&r)
    );
    let r = ogc_self_link(&untrusted, &[("host", "a.org/<script>")]).await;
    assert_problem(&r, 422);

    let trusted = Fixture::with_config(ServerConfig {
        trust_proxy: true,
        ..ServerConfig::default()
    });
    for bad in ["javascript", "data", "ftp"] {
        let r = ogc_self_link(
            &trusted,
            &[("host", "mines.example.org"), ("x-forwarded-proto", bad)],
        )
        .await;
        assert_problem(&r, 422);
    }
    let r = ogc_self_link(
        &trusted,
        &[
            ("host", "10.0.0.5:8080"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "mines.example.org"),
        ],
    )
    .await
    .expect(200);
    assert!(self_href(&r).starts_with("https://mines.example.org/ogc"));

    let public = Fixture::with_config(ServerConfig {
        public_url: Some("https://mines.example.org".into()),
        ..ServerConfig::default()
    });
    let r = ogc_self_link(
        &public,
        &[
            ("host", "evil.example.com"),
            ("x-forwarded-proto", "javascript"),
        ],
    )
    .await
    .expect(200);
    assert!(self_href(&r).starts_with("https://mines.example.org/ogc"));
}
