//! A national node served on loopback for `hub pull`'s tests, and proxies in front of it: one
//! that cuts an answer in the middle, one that terminates TLS with a self-signed certificate.
//! Shared by `hub_pull` and `reference` (which serves a hub with it).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::{ok, s};

/// A national node served on loopback: programme KHM with its key, served with
/// `--node-key`, and an API token of an administrator of its national authority.
pub struct Node {
    pub child: Child,
    pub port: u16,
    pub db: PathBuf,
    pub key: PathBuf,
    pub card: PathBuf,
    pub token_file: PathBuf,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    /// The node's address.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// A free loopback port.
pub fn free_port() -> u16 {
    (TcpListener::bind("127.0.0.1:0").expect("bind"))
        .local_addr()
        .expect("addr")
        .port()
}

/// One HTTP/1.1 exchange (Connection: close); the whole answer.
fn http(port: u16, request: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    let mut out = String::new();
    stream.read_to_string(&mut out).ok()?;
    Some(out)
}

/// A POST of JSON; the answer.
fn post(port: u16, path: &str, auth: &str, body: &str) -> String {
    http(
        port,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .expect("answer")
}

/// Starts `safeground serve DB --node-key KEY` on a free loopback port; returns once it
/// answers `/health`.
pub fn serve(db: &Path, key: &Path) -> (Child, u16) {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_safeground"))
        .args([
            "serve",
            s(db),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--node-key",
            s(key),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let started = Instant::now();
    while http(
        port,
        "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .is_none()
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "server did not start"
        );
        assert!(child.try_wait().expect("wait").is_none(), "serve exited");
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, port)
}

/// Starts node KHM (a demo programme) in `dir`.
pub fn node(dir: &Path) -> Node {
    let db = dir.join("node.sqlite");
    ok(&[
        "demo",
        "--db",
        s(&db),
        "--hazards",
        "30",
        "--seed",
        "11",
        "--no-serve",
    ]);
    let (key, card) = (dir.join("khm.key"), dir.join("khm.json"));
    let printed = ok(&[
        "federation",
        "init",
        s(&db),
        "--node",
        "KHM",
        "--name",
        "Cambodia (CMAA)",
        "--key",
        s(&key),
    ]);
    std::fs::write(&card, printed).expect("card");
    let (child, port) = serve(&db, &key);
    let node = Node {
        child,
        port,
        db,
        key,
        card,
        token_file: dir.join("token"),
    };
    let token = user_token(&node, "feedadmin", "administrator");
    std::fs::write(&node.token_file, format!("{token}\n")).expect("token file");
    node
}

/// An API token of a new user `username` of the national authority (ORG-CMAA) with `role`:
/// added with `users add`, logged in, `POST /api/tokens`.
pub fn user_token(node: &Node, username: &str, role: &str) -> String {
    let added = ok(&[
        "users",
        "add",
        s(&node.db),
        username,
        "--role",
        role,
        "--organisation",
        "ORG-CMAA",
    ]);
    let password = added
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .expect("a generated password is printed");
    let login = post(
        node.port,
        "/api/login",
        "",
        &format!(r#"{{"username":"{username}","password":"{password}"}}"#),
    );
    let session = login
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            let value = value.trim().strip_prefix("sg_session=")?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.split(';').next().unwrap_or_default().to_owned())
        })
        .expect("a session cookie");
    let made = post(
        node.port,
        "/api/tokens",
        &format!("Authorization: Bearer {session}\r\n"),
        r#"{"label":"ARMAC hub","expires_in_days":30}"#,
    );
    let body = made.split("\r\n\r\n").nth(1).expect("a body");
    let token: serde_json::Value = serde_json::from_str(body).expect("JSON");
    token["token"].as_str().expect("the token").to_owned()
}

/// A loopback proxy to `port` serving one request per connection; the `cut`th request's
/// answer is cut in the middle (half of its bytes, then the connection closes).
pub fn cutting_proxy(port: u16, cut: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let local = listener.local_addr().expect("addr").port();
    let seen = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let n = seen.fetch_add(1, Ordering::SeqCst) + 1;
            std::thread::spawn(move || relay(client, port, n == cut));
        }
    });
    local
}

/// Relays one request (forcing `Connection: close`) and its answer, half of it if `cut`.
fn relay(mut client: TcpStream, port: u16, cut: bool) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match client.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let text = String::from_utf8_lossy(&head);
    let mut lines: Vec<&str> = (text.split("\r\n"))
        .filter(|l| !l.is_empty() && !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("Connection: close");
    let request = format!("{}\r\n\r\n", lines.join("\r\n"));
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", port)) else {
        return;
    };
    if server.write_all(request.as_bytes()).is_err() {
        return;
    }
    let mut answer = Vec::new();
    let _ = server.read_to_end(&mut answer);
    let sent = if cut { answer.len() / 2 } else { answer.len() };
    let _ = client.write_all(&answer[..sent]);
    let _ = client.shutdown(Shutdown::Both);
}

/// A TLS-terminating proxy to `port` on loopback with a self-signed certificate for
/// `localhost`; its port and the certificate (PEM).
pub fn tls_proxy(port: u16) -> (u16, String) {
    use tokio_rustls::rustls;
    use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("cert");
    let pem = made.cert.pem();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
    // The process's provider from the crate features: ring alone (tokio-rustls and ureq).
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![made.cert.der().clone()], key)
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let local = listener.local_addr().expect("addr").port();
    listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let Ok(mut server) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await
                    else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
                });
            }
        });
    });
    (local, pem)
}
