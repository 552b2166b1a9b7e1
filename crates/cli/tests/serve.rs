//! `safeground users` and `safeground serve` through the binary: accounts, login over real
//! HTTP, graceful shutdown on SIGTERM.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{ok, s, safeground};

fn password_line(out: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix("password: "))
        .expect("a generated password is printed")
        .to_owned()
}

#[test]
fn users_are_added_listed_reset_and_disabled() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("p.sqlite");
    ok(&["init", s(&db)]);
    let out = ok(&[
        "users",
        "add",
        s(&db),
        "sokha",
        "--role",
        "data-entry",
        "--organisation",
        "ORG-HALO",
        "--name",
        "Sokha",
    ]);
    assert!(
        out.contains("created sokha (data_entry, ORG-HALO)"),
        "{out}"
    );
    let first = password_line(&out);
    assert_eq!(first.len(), 16);
    let dup = safeground(&[
        "users",
        "add",
        s(&db),
        "SOKHA",
        "--role",
        "viewer",
        "--organisation",
        "ORG-HALO",
    ]);
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));
    let bad = safeground(&[
        "users",
        "add",
        s(&db),
        "x",
        "--role",
        "boss",
        "--organisation",
        "ORG-HALO",
    ]);
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("victim_assistance"),
        "lists the roles"
    );
    let short = Command::new(env!("CARGO_BIN_EXE_safeground"))
        .args([
            "users",
            "add",
            s(&db),
            "dara",
            "--role",
            "viewer",
            "--organisation",
            "ORG-MAG",
        ])
        .env("SAFEGROUND_PASSWORD", "short")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
    let common = Command::new(env!("CARGO_BIN_EXE_safeground"))
        .args([
            "users",
            "add",
            s(&db),
            "dara",
            "--role",
            "viewer",
            "--organisation",
            "ORG-MAG",
        ])
        .env("SAFEGROUND_PASSWORD", "Password2025!")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&common.stderr).contains("most common passwords"));
    let list = ok(&["users", "list", s(&db)]);
    assert!(
        list.contains("sokha") && list.contains("data_entry") && list.contains("active"),
        "{list}"
    );
    let second = password_line(&ok(&["users", "reset-password", s(&db), "sokha"]));
    assert_ne!(first, second);
    ok(&["users", "disable", s(&db), "sokha"]);
    assert!(ok(&["users", "list", s(&db)]).contains("disabled"));
    ok(&["users", "enable", s(&db), "sokha"]);
    let ghost = safeground(&["users", "disable", s(&db), "ghost"]);
    assert!(String::from_utf8_lossy(&ghost.stderr).contains("no user `ghost`"));
}

fn http(port: u16, request: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    let mut out = String::new();
    stream.read_to_string(&mut out).ok()?;
    Some(out)
}

#[test]
fn serve_answers_logs_in_over_http_and_stops_gracefully() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("p.sqlite");
    ok(&["init", s(&db)]);
    let password = password_line(&ok(&[
        "users",
        "add",
        s(&db),
        "admin",
        "--role",
        "administrator",
        "--organisation",
        "ORG-CMAA",
    ]));
    let refused = safeground(&["serve", s(&db), "--public-layers", "victims"]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a layer"));

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_safeground"))
        .args([
            "serve",
            s(&db),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--log-json",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let started = Instant::now();
    let health = loop {
        if let Some(r) = http(
            port,
            "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        ) {
            break r;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let body = format!(r#"{{"username":"admin","password":"{password}"}}"#);
    let login = http(
        port,
        &format!(
            "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .expect("login");
    assert!(login.starts_with("HTTP/1.1 200"), "{login}");
    assert!(
        login.to_lowercase().contains("set-cookie: sg_session="),
        "{login}"
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(e) = child.try_wait().expect("wait") {
            break e;
        }
        assert!(Instant::now() < deadline, "no graceful exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "exit status {exit:?}");
    let mut logs = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut logs)
        .expect("logs");
    assert!(
        logs.contains("\"message\":\"shutting down"),
        "structured logs: {logs}"
    );
    assert!(logs.contains("/api/login"), "requests are logged: {logs}");
}

#[test]
fn export_writes_files_and_refuses_bad_requests() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("d.sqlite");
    ok(&["demo", "--db", s(&db), "--hazards", "20", "--no-serve"]);
    let geojson = dir.path().join("h.geojson");
    let out = ok(&[
        "export",
        s(&db),
        "--collection",
        "hazards",
        "--out",
        s(&geojson),
    ]);
    assert!(out.contains("hazards: 20 features"), "{out}");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&geojson).expect("read")).expect("json");
    assert_eq!(v["features"].as_array().expect("features").len(), 20);
    let gpkg = dir.path().join("all.gpkg");
    let out = ok(&["export", s(&db), "--format", "gpkg", "--out", s(&gpkg)]);
    assert!(out.contains("risk-education:"), "{out}");
    let csv = ok(&[
        "export",
        s(&db),
        "--collection",
        "eo-finds",
        "--format",
        "csv",
        "--out",
        "-",
    ]);
    assert!(csv.lines().nth(1).expect("hxl row").starts_with("#geo+wkt"));
    let bad = safeground(&["export", s(&db), "--format", "csv", "--out", "-"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("say which --collection"));
    let shp = dir.path().join("h.shp.zip");
    assert!(
        ok(&[
            "export",
            s(&db),
            "--collection",
            "hazards",
            "--format",
            "shp",
            "--out",
            s(&shp)
        ])
        .contains("hazards: 20 features")
    );
    let xlsx = dir.path().join("all.xlsx");
    assert!(ok(&["export", s(&db), "--format", "xlsx", "--out", s(&xlsx)]).contains("eo-finds:"));
    let bad = safeground(&["export", s(&db), "--collection", "minefields", "--out", "-"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no collection `minefields`"));
    let again = safeground(&["export", s(&db), "--format", "gpkg", "--out", s(&gpkg)]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}
