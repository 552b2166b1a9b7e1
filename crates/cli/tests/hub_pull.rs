//! `safeground hub pull` against a real `safeground serve` node on loopback: the hub pulled
//! page by page holds what `federation export` + `hub import` give; a second pull has nothing
//! to do, a later approval comes alone; a connection cut mid-page writes nothing of that page
//! and a rerun completes; HTTPS through a TLS-terminating proxy with a self-signed certificate
//! works with --ca-cert and fails clearly without; a wrong token, a user who may not pull, a
//! node behind the hub (409), a wrong node and a closed port are told apart. On a PostgreSQL
//! hub too when SAFEGROUND_TEST_POSTGRES is set.

mod common;
mod pull_node;

use std::path::Path;
use std::process::{Command, Output};

use common::{ok, postgres_url, s, square_feature, write_collection};
use pull_node::{Node, cutting_proxy, free_port, node, serve, tls_proxy, user_token};
use safeground_model::ItemKind;
use safeground_store::{Flow, Location};

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

/// `safeground hub pull DB --node NODE URL --token-file TOKEN`, expecting exit code `code`:
/// (stdout, stderr).
fn pull_exits(code: i32, db: &str, node: &str, url: &str, token: &str) -> (String, String) {
    exits(
        code,
        &[
            "hub",
            "pull",
            db,
            "--node",
            node,
            url,
            "--token-file",
            token,
        ],
    )
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
    let (_, err) = pull_exits(1, cut, "KHM", &url, s(&wrong));
    assert!(
        err.contains(": 401: the node did not accept the API token from the token file")
            && err.contains("POST /api/tokens"),
        "{err}"
    );
    // A valid token of a user who is no administrator of the national authority.
    std::fs::write(&wrong, user_token(&node, "viewer", "viewer")).expect("write");
    let (_, err) = pull_exits(1, cut, "KHM", &url, s(&wrong));
    assert!(
        err.contains(": 403: the token from the token file")
            && err.contains("must be an administrator of node KHM's national authority"),
        "{err}"
    );
    std::fs::write(&wrong, "\n").expect("write");
    let (_, err) = pull_exits(1, cut, "KHM", &url, s(&wrong));
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
    let (_, err) = pull_exits(2, other, "LAO", &url, token);
    assert!(
        err.contains("refused: the page is a bundle of node KHM, not of node LAO"),
        "{err}"
    );
    let (_, err) = pull_exits(2, other, "KHM", &url, token);
    assert!(
        err.contains("node KHM is not registered in this hub"),
        "{err}"
    );
    assert!(shared(other).is_empty());

    // A copy of the node's programme now; then the node approves one more hazard, which the
    // next pull brings alone.
    let copy = dir.path().join("copy.sqlite");
    (rusqlite::Connection::open(&node.db).expect("open"))
        .backup(rusqlite::MAIN_DB, &copy, None)
        .expect("copy the node's programme");
    let head = checkpoint(cut);
    let features = dir.path().join("new.geojson");
    write_collection(
        &features,
        vec![square_feature("HAZ-NEW-1", 104.9, 12.5, 200.0)],
    );
    ok(&[
        "import",
        s(&node.db),
        s(&features),
        "--date",
        "2025-01-15",
        "--approve-as-migration",
        "--accept-outside-programme-area",
    ]);
    let (said, _) = pull_exits(0, cut, "KHM", &url, token);
    assert!(
        said.contains(&format!("node KHM seq {}–", head + 1)),
        "{said}"
    );
    let ahead = checkpoint(cut);
    assert!(ahead > head, "{said}");
    // The copy served as the node (restored from an older backup): the hub is ahead, 409.
    let (mut server, port) = serve(&copy, &node.key);
    let served = format!("http://127.0.0.1:{port}");
    let pulled = run(&[
        "hub",
        "pull",
        cut,
        "--node",
        "KHM",
        &served,
        "--token-file",
        token,
    ]);
    let _ = server.kill();
    let _ = server.wait();
    let err = String::from_utf8_lossy(&pulled.stderr);
    assert_eq!(pulled.status.code(), Some(1), "{err}");
    let says = format!("the node says: after={ahead} is beyond this programme's outbox, which ");
    assert!(
        err.contains(": 409: the node refused the hub's checkpoint or is not node KHM")
            && err.contains(&format!("{says}ends at {head}")),
        "{err}"
    );
    assert_eq!(checkpoint(cut), ahead);

    // Nothing listening; a server that is not a node.
    let closed = format!("http://127.0.0.1:{}", free_port());
    let (_, err) = pull_exits(1, cut, "KHM", &closed, token);
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

    let (_, err) = pull_exits(1, db, "KHM", &url, token);
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
