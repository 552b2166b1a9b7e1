//! `safeground hub`: a hub created, a node registered, bundles imported (again: nothing to do),
//! refused bundles exiting with code 2 and a message naming what is wrong, the node listing.
//! On PostgreSQL too when SAFEGROUND_TEST_POSTGRES is set.

mod common;

use std::path::Path;

use common::{ok, postgres_url, s, safeground};
use safeground_federation::{BundleWriter, Entry, NodeId, NodeKey};
use safeground_model::ItemKind;

/// Writes a bundle of hazards `from..=to` of `key`'s node to `path`.
fn bundle(key: &NodeKey, path: &Path, from: u64, to: u64) {
    let mut w = BundleWriter::new(Vec::new(), key).expect("writer");
    for seq in from..=to {
        let item = format!("00000000-0000-4000-8000-{seq:012}");
        let record = serde_json::json!({"kind": "hazard", "local_id": format!("HAZ-{seq}")});
        (w.push(&Entry::upsert(seq, ItemKind::Hazard, &item, 1, record))).expect("push");
    }
    std::fs::write(path, w.finish().expect("finish").0).expect("write");
}

/// Runs `safeground args`, expecting exit code 2; returns stderr.
fn refused(args: &[&str]) -> String {
    let out = safeground(args);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn hub_commands(db: &str, dir: &Path) {
    let key = NodeKey::generate(NodeId::new("KHM").expect("id")).expect("key");
    let card = dir.join("khm.json");
    std::fs::write(&card, key.card("Cambodia (CMAA)").expect("card").to_json()).expect("card");
    let (first, second, gap) = (dir.join("1.sgb"), dir.join("2.sgb"), dir.join("3.sgb"));
    bundle(&key, &first, 1, 10);
    bundle(&key, &second, 6, 20);
    bundle(&key, &gap, 25, 30);

    ok(&["hub", "init", db]);
    let said = ok(&["hub", "nodes", db]);
    assert!(said.contains("no node registered yet"), "{said}");
    let said = refused(&["hub", "import", db, s(&first)]);
    assert!(
        said.contains("unknown node KHM") && said.contains("hub add-node"),
        "{said}"
    );
    let said = ok(&["hub", "add-node", db, s(&card)]);
    assert!(
        said.contains("node KHM (Cambodia (CMAA)) registered"),
        "{said}"
    );
    let said = ok(&["hub", "add-node", db, s(&card)]);
    assert!(said.contains("already registered"), "{said}");

    let said = ok(&["hub", "import", db, s(&first), s(&second)]);
    assert!(said.contains("node KHM seq 1–10: 10 applied"), "{said}");
    assert!(
        said.contains("node KHM seq 6–20: 10 applied") && said.contains("5 held already"),
        "{said}"
    );
    let said = ok(&["hub", "import", db, s(&second)]);
    assert!(said.contains("nothing to do: already held"), "{said}");

    let said = refused(&["hub", "import", db, s(&gap), s(&first)]);
    assert!(
        said.contains("missing sequence 21–24 from node KHM"),
        "{said}"
    );
    assert!(said.contains("not imported: 1 later file(s)"), "{said}");
    let mut tampered = std::fs::read(&gap).expect("read");
    tampered[40] ^= 1;
    std::fs::write(&gap, tampered).expect("write");
    let said = refused(&["hub", "import", db, s(&gap)]);
    assert!(said.contains("refused"), "{said}");

    let said = ok(&["hub", "nodes", db]);
    let row = said
        .lines()
        .find(|l| l.starts_with("KHM"))
        .expect("KHM's row");
    assert!(
        row.contains("Cambodia (CMAA)") && row.contains(" 20 "),
        "{row}"
    );
    assert!(
        row.trim_end().ends_with(" 0"),
        "lag of a bundle just imported: {row}"
    );
}

#[test]
fn a_hub_on_sqlite_registers_imports_and_refuses() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("hub.sqlite");
    hub_commands(s(&db), dir.path());
}

#[test]
fn a_hub_on_postgres_registers_imports_and_refuses() {
    let Some(db) = safeground_store::postgres::testing::ScratchDatabase::create()
        .expect("PostgreSQL test database")
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    hub_commands(&postgres_url(&db), dir.path());
}
