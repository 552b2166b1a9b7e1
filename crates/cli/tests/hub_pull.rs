//! `safeground hub pull` against a real `safeground serve` node on loopback: the hub pulled
//! page by page holds what `federation export` + `hub import` give; a second pull has nothing
//! to do; a connection cut mid-page writes nothing of that page and a rerun completes; HTTPS
//! through a TLS-terminating proxy with a self-signed certificate works with --ca-cert and fails
//! clearly without; a wrong token, a wrong node and a closed port are told apart. On a
//! PostgreSQL hub too when SAFEGROUND_TEST_POSTGRES is set.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{ok, postgres_url, s};
use safeground_model::ItemKind;
use safeground_store::{Flow, Location};

/// A national node served on loopback: programme KHM with its key, served with
/// `--node-key`, and an API token of an administrator of its national authority.
struct Node {
    child: Child,
    port: u16,
    db: PathBuf,
    key: PathBuf,
    card: PathBuf,
    token_file: PathBuf,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Node {
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// A free loopback port.
fn free_port() -> u16 {
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

/// Starts node KHM (a demo programme) in `dir`.
fn node(dir: &Path) -> Node {
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
    let added = ok(&[
        "users",
        "add",
        s(&db),
        "feedadmin",
        "--role",
        "administrator",
        "--organisation",
        "ORG-CMAA",
    ]);
    let password = added
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .expect("a generated password is printed")
        .to_owned();
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_safeground"))
        .args([
            "serve",
            s(&db),
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--node-key",
            s(&key),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let mut node = Node {
        child,
        port,
        db,
        key,
        card,
        token_file: dir.join("token"),
    };
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
        assert!(
            node.child.try_wait().expect("wait").is_none(),
            "serve exited"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let login = post(
        port,
        "/api/login",
        "",
        &format!(r#"{{"username":"feedadmin","password":"{password}"}}"#),
    );
    let session = login
        .lines()
        .find_map(|l| {
            let l = l.to_ascii_lowercase();
            let v = l.strip_prefix("set-cookie: sg_session=")?;
            Some(v.split(';').next().unwrap_or_default().to_owned())
        })
        .expect("a session cookie");
    let made = post(
        port,
        "/api/tokens",
        &format!("Authorization: Bearer {session}\r\n"),
        r#"{"label":"ARMAC hub","expires_in_days":30}"#,
    );
    let body = made.split("\r\n\r\n").nth(1).expect("a body");
    let token: serde_json::Value = serde_json::from_str(body).expect("JSON");
    let token = token["token"].as_str().expect("the token").to_owned();
    std::fs::write(&node.token_file, format!("{token}\n")).expect("token file");
    node
}

/// Runs `safeground args` with SAFEGROUND_FEED_TOKEN unset.
fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safeground"))
        .args(args)
        .env_remove("SAFEGROUND_FEED_TOKEN")
        .output()
        .expect("run safeground")
}

/// Runs `safeground args`, expecting `code`; returns (stdout, stderr).
fn exits(code: i32, args: &[&str]) -> (String, String) {
    let out = run(args);
    let said = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert_eq!(out.status.code(), Some(code), "{args:?}: {said:?}");
    said
}

/// A new hub at `db` with node KHM registered.
fn hub(db: &str, node: &Node) {
    ok(&["hub", "init", db]);
    ok(&["hub", "add-node", db, s(&node.card)]);
}

/// Every shared record of a hub: (kind, node, item, revision, record), in order.
fn shared(db: &str) -> Vec<(ItemKind, String, String, u64, String)> {
    let store: Location = db.parse().expect("location");
    let store = store.open().expect("open");
    let mut all = Vec::new();
    for &kind in ItemKind::ALL {
        (store.for_each_shared_record(kind, None, &mut |r| {
            all.push((kind, r.node, r.item, r.revision, r.record.to_string()));
            Ok(Flow::Continue)
        }))
        .expect("shared records");
    }
    all
}

/// The hub's checkpoint for KHM.
fn checkpoint(db: &str) -> u64 {
    let store: Location = db.parse().expect("location");
    let nodes = store.open().expect("open").hub_nodes().expect("nodes");
    nodes
        .iter()
        .find(|n| n.node == "KHM")
        .expect("KHM")
        .checkpoint
}

/// What `federation export` + `hub import` give: the reference hub's shared records.
fn exported(node: &Node, dir: &Path) -> Vec<(ItemKind, String, String, u64, String)> {
    let bundle = dir.join("all.sgb");
    ok(&[
        "federation",
        "export",
        s(&node.db),
        "--key",
        s(&node.key),
        "--since",
        "0",
        "--out",
        s(&bundle),
    ]);
    let reference = dir.join("reference.sqlite");
    hub(s(&reference), node);
    ok(&["hub", "import", s(&reference), s(&bundle)]);
    shared(s(&reference))
}

/// A loopback proxy to `port` serving one request per connection; the `cut`th request's
/// answer is cut in the middle (half of its bytes, then the connection closes).
fn cutting_proxy(port: u16, cut: usize) -> u16 {
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
fn tls_proxy(port: u16) -> (u16, String) {
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

/// Pulls into a fresh hub at `db` (in pages of 40) and checks it against the export's.
fn pull_matches_export(db: &str, node: &Node, dir: &Path) {
    let reference = exported(node, dir);
    assert!(reference.len() > 100, "{}", reference.len());
    hub(db, node);
    let token = s(&node.token_file);
    let url = node.url();
    let (said, _) = exits(
        0,
        &[
            "hub",
            "pull",
            db,
            "--node",
            "KHM",
            &url,
            "--token-file",
            token,
            "--limit",
            "40",
        ],
    );
    let pages: Vec<&str> = said
        .lines()
        .filter(|l| l.starts_with("node KHM seq "))
        .collect();
    assert!(pages.len() > 2, "{said}");
    assert!(
        pages[0].starts_with("node KHM seq 1–40: 40 applied"),
        "{said}"
    );
    let head = checkpoint(db);
    assert!(
        said.contains(&format!(
            "node KHM: checkpoint {head} after {} page(s)",
            pages.len()
        )),
        "{said}"
    );
    assert_eq!(shared(db), reference);

    // Again: nothing to do (the token from the environment this time).
    let out = Command::new(env!("CARGO_BIN_EXE_safeground"))
        .args(["hub", "pull", db, "--node", "KHM", &url])
        .env(
            "SAFEGROUND_FEED_TOKEN",
            std::fs::read_to_string(token).expect("token"),
        )
        .output()
        .expect("run");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        said.contains(&format!(
            "nothing to do: the hub holds node KHM through seq {head}"
        )),
        "{said}"
    );
    assert_eq!(checkpoint(db), head);
}

#[test]
fn a_hub_pulls_a_node_over_http_resumes_after_a_cut_and_refuses_clearly() {
    let dir = tempfile::tempdir().expect("tmp");
    let node = node(dir.path());
    let db = dir.path().join("hub.sqlite");
    pull_matches_export(s(&db), &node, dir.path());
    let token = s(&node.token_file);

    // A cut in the middle of the second page: the first page is held, nothing of the second.
    let cut = dir.path().join("cut.sqlite");
    let cut = s(&cut);
    hub(cut, &node);
    let proxy = format!("http://127.0.0.1:{}", cutting_proxy(node.port, 2));
    let pull = [
        "hub",
        "pull",
        cut,
        "--node",
        "KHM",
        &proxy,
        "--token-file",
        token,
        "--limit",
        "40",
    ];
    let (said, err) = exits(1, &pull);
    assert!(said.contains("node KHM seq 1–40: 40 applied"), "{said}");
    assert!(
        err.contains("the connection broke after") && err.contains("nothing of this page"),
        "{err}"
    );
    assert_eq!(checkpoint(cut), 40);
    let held = shared(cut);
    assert!(!held.is_empty() && held.len() <= 40, "{}", held.len());
    // The rerun (the proxy cuts nothing more) continues from seq 40 and completes.
    let (said, _) = exits(0, &pull);
    assert!(said.contains("node KHM seq 41–80"), "{said}");
    assert_eq!(shared(cut), shared(s(&db)));

    // A wrong token, an empty token file, no token at all.
    let wrong = dir.path().join("wrong-token");
    std::fs::write(&wrong, "not-a-token").expect("write");
    let url = node.url();
    let (_, err) = exits(
        1,
        &[
            "hub",
            "pull",
            cut,
            "--node",
            "KHM",
            &url,
            "--token-file",
            s(&wrong),
        ],
    );
    assert!(
        err.contains(": 401: the node did not accept the API token from the token file")
            && err.contains("POST /api/tokens"),
        "{err}"
    );
    std::fs::write(&wrong, "\n").expect("write");
    let (_, err) = exits(
        1,
        &[
            "hub",
            "pull",
            cut,
            "--node",
            "KHM",
            &url,
            "--token-file",
            s(&wrong),
        ],
    );
    assert!(err.contains("must hold the API token alone"), "{err}");
    let (_, err) = exits(1, &["hub", "pull", cut, "--node", "KHM", &url]);
    assert!(
        err.contains("no API token") && err.contains("--token-file"),
        "{err}"
    );

    // A page of another node than --node: refused (exit code 2), nothing written.
    let other = dir.path().join("other.sqlite");
    let other = s(&other);
    ok(&["hub", "init", other]);
    let lao = dir.path().join("lao.key");
    let empty = dir.path().join("lao.sqlite");
    ok(&["init", s(&empty)]);
    let card = ok(&[
        "federation",
        "init",
        s(&empty),
        "--node",
        "LAO",
        "--name",
        "Lao PDR",
        "--key",
        s(&lao),
    ]);
    let lao_card = dir.path().join("lao.json");
    std::fs::write(&lao_card, card).expect("card");
    ok(&["hub", "add-node", other, s(&lao_card)]);
    let (_, err) = exits(
        2,
        &[
            "hub",
            "pull",
            other,
            "--node",
            "LAO",
            &url,
            "--token-file",
            token,
        ],
    );
    assert!(
        err.contains("refused: the page is a bundle of node KHM, not of node LAO"),
        "{err}"
    );
    let (_, err) = exits(
        2,
        &[
            "hub",
            "pull",
            other,
            "--node",
            "KHM",
            &url,
            "--token-file",
            token,
        ],
    );
    assert!(
        err.contains("node KHM is not registered in this hub"),
        "{err}"
    );
    assert!(shared(other).is_empty());

    // Nothing listening; a server that is not a node.
    let closed = format!("http://127.0.0.1:{}", free_port());
    let (_, err) = exits(
        1,
        &[
            "hub",
            "pull",
            cut,
            "--node",
            "KHM",
            &closed,
            "--token-file",
            token,
        ],
    );
    assert!(err.contains("connection refused"), "{err}");
    let (_, err) = exits(
        1,
        &[
            "hub",
            "pull",
            cut,
            "--node",
            "KHM",
            &format!("{url}/elsewhere"),
            "--token-file",
            token,
        ],
    );
    assert!(
        err.contains("serves no federation feed") || err.contains("not a bundle"),
        "{err}"
    );
}

#[test]
fn a_hub_pulls_over_https_with_the_node_certificate() {
    let dir = tempfile::tempdir().expect("tmp");
    let node = node(dir.path());
    let (port, pem) = tls_proxy(node.port);
    let cert = dir.path().join("node.pem");
    std::fs::write(&cert, pem).expect("pem");
    let db = dir.path().join("hub.sqlite");
    let db = s(&db);
    hub(db, &node);
    let url = format!("https://localhost:{port}");
    let token = s(&node.token_file);

    let (_, err) = exits(
        1,
        &[
            "hub",
            "pull",
            db,
            "--node",
            "KHM",
            &url,
            "--token-file",
            token,
        ],
    );
    assert!(
        err.contains("TLS with") && err.contains("--ca-cert FILE"),
        "{err}"
    );
    assert!(shared(db).is_empty());

    let (said, _) = exits(
        0,
        &[
            "hub",
            "pull",
            db,
            "--node",
            "KHM",
            &url,
            "--token-file",
            token,
            "--ca-cert",
            s(&cert),
        ],
    );
    assert!(said.contains("node KHM seq 1–"), "{said}");
    assert_eq!(shared(db), exported(&node, dir.path()));
}

#[test]
fn a_hub_on_postgres_pulls_a_node() {
    let Some(pg) = safeground_store::postgres::testing::ScratchDatabase::create()
        .expect("PostgreSQL test database")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let node = node(dir.path());
    pull_matches_export(&postgres_url(&pg), &node, dir.path());
}
