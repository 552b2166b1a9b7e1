//! Library documents through the federation: a node's regional DOCX and public PDF reach the
//! hub (`federation export-library` → `hub import-library`) and another node (`hub
//! export-library` → `federation adopt-library`), where search finds them; national documents
//! never leave; a replay changes nothing; an altered file or manifest is refused with nothing
//! written; a node's own documents are skipped when the hub's package comes back.

mod common;
mod pull_node;

use std::io::{Read, Write};
use std::path::Path;

use common::{ok, s, safeground};
use safeground_library::samples;

/// A programme with node identity `node`; its card file.
fn node(dir: &Path, name: &str, node: &str) -> (String, String, String) {
    let db = dir.join(format!("{name}.sqlite"));
    let key = dir.join(format!("{name}.key"));
    let card = dir.join(format!("{name}.card.json"));
    ok(&["init", s(&db)]);
    let printed = ok(&[
        "federation",
        "init",
        s(&db),
        "--node",
        node,
        "--name",
        name,
        "--key",
        s(&key),
    ]);
    std::fs::write(&card, printed).expect("card");
    (s(&db).to_owned(), s(&key).to_owned(), s(&card).to_owned())
}

fn add(db: &str, file: &Path, title: &str, language: &str, access: &str) -> String {
    ok(&[
        "library",
        "add",
        db,
        s(file),
        "--title",
        title,
        "--language",
        language,
        "--doc-type",
        "sop",
        "--access",
        access,
        "--country",
        "LAO",
    ])
}

/// Files in the library folder's `objects/`.
fn objects(db: &str) -> usize {
    let root = Path::new(db).with_extension("library").join("objects");
    let Ok(dirs) = std::fs::read_dir(root) else {
        return 0;
    };
    dirs.map(|d| {
        std::fs::read_dir(d.expect("entry").path())
            .expect("prefix dir")
            .count()
    })
    .sum()
}

fn files_of(package: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(package.join("files"))
        .expect("files/")
        .map(|e| e.expect("entry").path())
        .collect();
    v.sort();
    v
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.join("files")).expect("mkdir");
    std::fs::copy(from.join("manifest.json"), to.join("manifest.json")).expect("manifest");
    for f in files_of(from) {
        std::fs::copy(&f, to.join("files").join(f.file_name().expect("name"))).expect("file");
    }
}

#[test]
fn regional_documents_reach_the_hub_and_the_other_nodes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (lao, lao_key, lao_card) = node(d, "lao", "LAO");
    let (khm, _khm_key, khm_card) = node(d, "khm", "KHM");
    let hub = d.join("hub.sqlite");
    let hub_key = d.join("armac.key");
    ok(&["hub", "init", s(&hub)]);
    let hub_card = ok(&[
        "federation",
        "init",
        s(&hub),
        "--node",
        "ARMAC",
        "--name",
        "ARMAC",
        "--key",
        s(&hub_key),
    ]);
    let hub_card_file = d.join("armac.card.json");
    std::fs::write(&hub_card_file, hub_card).expect("card");
    ok(&["hub", "add-node", s(&hub), &lao_card]);
    ok(&["hub", "add-node", s(&hub), &khm_card]);

    // LAO: a regional DOCX in Lao, a public PDF, a national DOCX.
    let sop = d.join("nra-sop.docx");
    std::fs::write(&sop, samples::docx(&["ການເກັບກູ້ລະເບີດບໍ່ທັນແຕກຢູ່ແຂວງຊຽງຂວາງ"])).expect("write");
    add(&lao, &sop, "NRA SOP clearance", "lo", "regional");
    let pdf = d.join("nra-report.pdf");
    std::fs::write(
        &pdf,
        samples::pdf(&["Xieng Khouang cluster munitions survey"]),
    )
    .expect("w");
    add(&lao, &pdf, "NRA survey report", "en", "public");
    let secret = d.join("nra-internal.docx");
    std::fs::write(&secret, samples::docx(&["internal staffing plan"])).expect("write");
    add(&lao, &secret, "NRA internal staffing", "en", "national");
    // The hub's own public document.
    let hub_pdf = d.join("armac-guide.pdf");
    std::fs::write(
        &hub_pdf,
        samples::pdf(&["Regional guide to battle area clearance"]),
    )
    .expect("w");
    add(s(&hub), &hub_pdf, "ARMAC regional guide", "en", "public");

    // Up: LAO's package holds its two shareable documents, never the national one.
    let up = d.join("lao-library");
    let out = ok(&[
        "federation",
        "export-library",
        &lao,
        "--key",
        &lao_key,
        "--out",
        s(&up),
    ]);
    assert!(
        out.contains("2 documents") && out.contains("2 files"),
        "{out}"
    );
    let manifest = std::fs::read_to_string(up.join("manifest.json")).expect("manifest");
    assert!(
        !manifest.contains("staffing") && !manifest.contains("national"),
        "{manifest}"
    );
    assert_eq!(files_of(&up).len(), 2);
    let again = safeground(&[
        "federation",
        "export-library",
        &lao,
        "--key",
        &lao_key,
        "--out",
        s(&up),
    ]);
    assert!(!again.status.success(), "a package is never overwritten");

    // A tampered manifest and an altered file: refused (exit code 2), nothing written.
    let hub_objects = objects(s(&hub));
    let hub_list = ok(&["library", "list", s(&hub)]);
    let tampered = d.join("tampered");
    copy_dir(&up, &tampered);
    let m = manifest.replacen("NRA SOP clearance", "NRA SOP clearancf", 1);
    std::fs::write(tampered.join("manifest.json"), m).expect("write");
    let r = safeground(&["hub", "import-library", s(&hub), s(&tampered)]);
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("does not verify"), "{err}");
    let altered = d.join("altered");
    copy_dir(&up, &altered);
    let victim = files_of(&altered).pop().expect("a file");
    let mut bytes = std::fs::read(&victim).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x20;
    std::fs::write(&victim, bytes).expect("write");
    let r = safeground(&["hub", "import-library", s(&hub), s(&altered)]);
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        err.contains("does not match field sha256") && err.contains("version 1"),
        "{err}"
    );
    assert_eq!(
        ok(&["library", "list", s(&hub)]),
        hub_list,
        "nothing written"
    );
    assert_eq!(objects(s(&hub)), hub_objects, "no file kept");

    // The package as written: both documents stored at the hub, found by search.
    let out = ok(&["hub", "import-library", s(&hub), s(&up)]);
    assert!(out.contains("2 documents added"), "{out}");
    let found = ok(&["library", "search", s(&hub), "ຊຽງຂວາງ"]);
    assert!(found.contains("NRA SOP clearance"), "{found}");
    let list = ok(&["library", "list", s(&hub)]);
    assert!(list.contains("3 document(s)"), "{list}");
    // A replay changes nothing.
    let out = ok(&["hub", "import-library", s(&hub), s(&up)]);
    assert!(
        out.contains("0 documents added") && out.contains("2 held already"),
        "{out}"
    );
    assert_eq!(ok(&["library", "list", s(&hub)]), list);
    // A node's package at another node (not its hub) is refused: no hub trusted.
    let r = safeground(&["federation", "adopt-library", &khm, s(&up)]);
    assert!(!r.status.success());

    // Down: the hub's package carries its own document and LAO's two, each with its owner.
    let down = d.join("armac-library");
    let out = ok(&[
        "hub",
        "export-library",
        s(&hub),
        "--key",
        s(&hub_key),
        "--out",
        s(&down),
    ]);
    assert!(out.contains("3 documents"), "{out}");
    let manifest = std::fs::read_to_string(down.join("manifest.json")).expect("manifest");
    assert!(manifest.contains("\\\"owner\\\":\\\"LAO\\\""), "{manifest}");
    ok(&["federation", "trust-hub", &khm, s(&hub_card_file)]);
    let out = ok(&["federation", "adopt-library", &khm, s(&down)]);
    assert!(out.contains("3 documents added"), "{out}");
    let found = ok(&["library", "search", &khm, "ຊຽງຂວາງ"]);
    assert!(found.contains("NRA SOP clearance"), "{found}");
    let found = ok(&["library", "search", &khm, "Khouang"]);
    assert!(found.contains("NRA survey report"), "{found}");
    let out = ok(&["federation", "adopt-library", &khm, s(&down)]);
    assert!(out.contains("3 held already"), "{out}");
    // Received documents are read-only at the receiver, and listed with their owner.
    let list = ok(&["library", "list", &khm]);
    assert!(list.contains("NRA SOP clearance  (from LAO)"), "{list}");
    let id = list
        .lines()
        .find(|l| l.contains("NRA SOP clearance"))
        .and_then(|l| l.split_whitespace().next())
        .expect("the document's id")
        .to_owned();
    let r = safeground(&[
        "library",
        "version",
        &khm,
        &id,
        "--link",
        "https://example.org/x",
    ]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        !r.status.success() && err.contains("received from LAO"),
        "{err}"
    );
    // LAO gets the hub's document; its own two are skipped.
    ok(&["federation", "trust-hub", &lao, s(&hub_card_file)]);
    let out = ok(&["federation", "adopt-library", &lao, s(&down)]);
    assert!(
        out.contains("1 documents added") && out.contains("2 of this programme's own skipped"),
        "{out}"
    );
    let list = ok(&["library", "list", &lao]);
    assert!(
        list.contains("4 document(s)") && list.contains("ARMAC regional guide"),
        "{list}"
    );
}

/// `demo --regional`: Lao PDR's regional SOP is at the hub and at the other nodes, owned by
/// LAO, and found by a search in Lao there.
#[test]
fn the_regional_demo_shares_a_nodes_sop_with_the_region() {
    use safeground_store::{LibraryExchangeStore, LibraryStore, SqliteStore};

    let dir = tempfile::tempdir().expect("tempdir");
    let hub = dir.path().join("hub.sqlite");
    ok(&[
        "demo",
        "--regional",
        "--db",
        s(&hub),
        "--hazards",
        "10",
        "--no-serve",
    ]);
    for db in [
        "hub",
        "safeground-demo-KHM",
        "safeground-demo-AZE",
        "safeground-demo-LAO",
    ] {
        let path = dir.path().join(format!("{db}.sqlite"));
        let store = SqliteStore::open(&path).expect("open");
        let docs = store.library_documents().expect("documents");
        assert_eq!(docs.len(), 1, "{db}");
        assert_eq!(docs[0].meta.language, "lo", "{db}");
        let owner = store.library_owner(docs[0].id).expect("owner");
        let expected = (db != "safeground-demo-LAO").then(|| "LAO".to_owned());
        assert_eq!(owner, expected, "{db}");
        let found = ok(&["library", "search", s(&path), "ອັດຕະປື"]);
        assert!(found.contains("1 match(es)"), "{db}: {found}");
    }
}

/// A GET with a bearer token on loopback; the whole answer.
fn get(port: u16, path: &str, token: &str) -> String {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Connection: close\r\n\r\n"
    )
    .expect("request");
    let mut out = String::new();
    stream.read_to_string(&mut out).expect("answer");
    out
}

/// Over HTTP: the served hub's signed manifest and files, pulled by a node with its token;
/// national files are not served; a second pull downloads nothing.
#[test]
fn a_node_pulls_the_hubs_library_over_http() {
    use safeground_store::{LibraryStore, SqliteStore};

    let dir = tempfile::tempdir().expect("tempdir");
    let hub = dir.path().join("hub.sqlite");
    let key = dir.path().join("safeground-demo-ARMAC.key");
    let khm = dir.path().join("safeground-demo-KHM.sqlite");
    ok(&[
        "demo",
        "--regional",
        "--db",
        s(&hub),
        "--hazards",
        "10",
        "--no-serve",
    ]);
    // The hub's own documents: a public PDF and a national one (before it is served: the
    // server holds the search index).
    let guide = dir.path().join("guide.pdf");
    std::fs::write(
        &guide,
        samples::pdf(&["Regional battle area clearance guide"]),
    )
    .expect("w");
    add(s(&hub), &guide, "ARMAC regional guide", "en", "public");
    let memo = dir.path().join("memo.pdf");
    std::fs::write(&memo, samples::pdf(&["Internal budget memo"])).expect("w");
    add(s(&hub), &memo, "ARMAC budget memo", "en", "national");
    let national_sha = SqliteStore::open(&hub)
        .expect("hub")
        .library_documents()
        .expect("documents")
        .into_iter()
        .find(|d| d.meta.access == "national")
        .and_then(|d| d.versions[0].content.sha256.clone())
        .expect("national file");

    let (child, port) = pull_node::serve(&hub, &key);
    let served = pull_node::Node {
        child,
        port,
        db: hub.clone(),
        key: key.clone(),
        card: dir.path().join("unused"),
        token_file: dir.path().join("hub.token"),
    };
    let token = pull_node::user_token(&served, "khm-library", "viewer");
    std::fs::write(&served.token_file, &token).expect("token");
    let answer = get(
        port,
        &format!("/api/hub/library/files/{national_sha}"),
        &token,
    );
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    let answer = get(port, "/api/hub/library/manifest", &token);
    assert!(
        answer.starts_with("HTTP/1.1 200") && !answer.contains("budget"),
        "{answer}"
    );

    let pull = |expect: &str| {
        let said = ok(&[
            "federation",
            "pull-library",
            s(&khm),
            &served.url(),
            "--token-file",
            s(&served.token_file),
        ]);
        assert!(said.contains(expect), "{said}");
        said
    };
    // The node's own server runs meanwhile and holds its search index: the documents are
    // received all the same and indexed when the index is next opened.
    let (node_child, node_port) =
        pull_node::serve(&khm, &dir.path().join("safeground-demo-KHM.key"));
    let node_served = pull_node::Node {
        child: node_child,
        port: node_port,
        db: khm.clone(),
        key: dir.path().join("safeground-demo-KHM.key"),
        card: dir.path().join("unused"),
        token_file: dir.path().join("unused.token"),
    };
    // A search at the node opens (and holds) its index.
    let node_token = pull_node::user_token(&node_served, "khm-reader", "viewer");
    let answer = get(node_port, "/api/library/search?q=clearance", &node_token);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let said = pull("1 files downloaded");
    assert!(said.contains("held by the running server"), "{said}");
    pull("0 files downloaded");
    let said = ok(&[
        "federation",
        "pull-library",
        s(&khm),
        &served.url(),
        "--token-file",
        s(&served.token_file),
    ]);
    assert!(said.contains("2 held already"), "{said}");
    drop(node_served);
    drop(served);
    let list = ok(&["library", "list", s(&khm)]);
    assert!(
        list.contains("2 document(s)") && list.contains("ARMAC regional guide"),
        "{list}"
    );
    assert!(!list.contains("budget"), "{list}");
    let found = ok(&["library", "search", s(&khm), "battle"]);
    assert!(found.contains("ARMAC regional guide"), "{found}");
}
