//! Reference data end to end: the regional demo's hub (ARMAC) publishes its ordnance models and
//! regional code lists and every node adopts them; an import at a node translates the region's
//! terms; a newer version travels by file (a tampered copy is refused, a second adoption changes
//! nothing) and over HTTP from the served hub.

mod common;
mod pull_node;

use std::path::Path;

use common::{ok, s, safeground};
use pull_node::{Node, serve, user_token};

/// The hub's key and a node's database written by `demo --regional` in `dir`.
fn paths(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    (
        dir.join("hub.sqlite"),
        dir.join("safeground-demo-ARMAC.key"),
        dir.join("safeground-demo-KHM.sqlite"),
    )
}

/// Publishes `csv` as the hub's next version; what it said.
fn publish(hub: &Path, key: &Path, csv: &str, dir: &Path) -> String {
    let file = dir.join("models.csv");
    std::fs::write(&file, csv).expect("csv");
    ok(&[
        "hub",
        "publish-reference",
        s(hub),
        "--key",
        s(key),
        "--ordnance",
        s(&file),
    ])
}

#[test]
fn a_hub_publishes_reference_data_and_its_nodes_adopt_it() {
    let dir = tempfile::tempdir().expect("dir");
    let (hub, key, node) = paths(dir.path());
    ok(&[
        "demo",
        "--regional",
        "--db",
        s(&hub),
        "--hazards",
        "12",
        "--seed",
        "5",
        "--no-serve",
    ]);
    // The demo's nodes adopted version 1.
    let shown = ok(&["federation", "reference", s(&node)]);
    assert!(
        shown.starts_with("reference version 1 from hub ARMAC"),
        "{shown}"
    );
    assert!(
        shown.contains("PFM-1\tap_mine\t") && shown.contains("butterfly mine"),
        "{shown}"
    );

    // Version 2 by file: verified with the hub's card the node trusts.
    let said = publish(
        &hub,
        &key,
        "model,category,description,aliases\nPFM-1,ap_mine,scatterable,butterfly mine\n\
         VS-50,ap_mine,Italian blast AP mine,\n",
        dir.path(),
    );
    assert!(
        said.contains("reference version 2 published by ARMAC: 2 ordnance models"),
        "{said}"
    );
    let file = dir.path().join("v2.json");
    ok(&["hub", "reference-file", s(&hub), "--out", s(&file)]);
    let text = std::fs::read_to_string(&file).expect("document");
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, text.replacen("Italian", "Italien", 1)).expect("write");
    let out = safeground(&["federation", "adopt-reference", s(&node), s(&tampered)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("does not verify"),
        "{err}"
    );
    let shown = ok(&["federation", "reference", s(&node)]);
    assert!(
        shown.starts_with("reference version 1"),
        "nothing adopted: {shown}"
    );
    let said = ok(&["federation", "adopt-reference", s(&node), s(&file)]);
    assert!(
        said.contains("reference version 2 from ARMAC adopted: 2 ordnance models"),
        "{said}"
    );
    let said = ok(&["federation", "adopt-reference", s(&node), s(&file)]);
    assert!(said.contains("up to date: version 2 is held"), "{said}");
    // A catalogue changing a built-in model's category is refused at the hub.
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "model,category\nPMN-2,at_mine\n").expect("csv");
    let out = safeground(&[
        "hub",
        "publish-reference",
        s(&hub),
        "--key",
        s(&key),
        "--ordnance",
        s(&file),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("built-in"), "{err}");

    // Version 3 pulled over HTTP with a token of the programme's account at the hub.
    publish(
        &hub,
        &key,
        "model,category,description,aliases\nPFM-1,ap_mine,scatterable,butterfly mine\n\
         VS-50,ap_mine,Italian blast AP mine,\nVS-1.6,at_mine,Italian blast AT mine,\n",
        dir.path(),
    );
    let (child, port) = serve(&hub, &key);
    let served = Node {
        child,
        port,
        db: hub.clone(),
        key: key.clone(),
        card: dir.path().join("unused"),
        token_file: dir.path().join("hub.token"),
    };
    let token = user_token(&served, "khm-puller", "viewer");
    std::fs::write(&served.token_file, token).expect("token");
    let said = ok(&[
        "federation",
        "pull-reference",
        s(&node),
        &served.url(),
        "--token-file",
        s(&served.token_file),
    ]);
    assert!(
        said.contains("reference version 3 from ARMAC adopted: 3 ordnance models"),
        "{said}"
    );
    std::fs::write(&served.token_file, "not-a-token").expect("token");
    let out = safeground(&[
        "federation",
        "pull-reference",
        s(&node),
        &served.url(),
        "--token-file",
        s(&served.token_file),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("401"), "{err}");
}
