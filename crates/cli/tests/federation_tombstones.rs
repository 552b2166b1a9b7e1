//! Tombstones end to end: a national node (the demo programme) shares with a hub by bundle
//! files; an item withdrawn from sharing disappears from the hub and comes back when shared
//! again; a kind the policy no longer shares disappears, and a kind shared under other terms
//! (coarser coordinates) is sent again and replaced at the hub. The node's outbox stays one
//! gap-free sequence, which the hub's continuity check proves at every import.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::{ok, s, safeground};
use safeground_federation::policy::EXAMPLE_TOML;
use safeground_model::ItemKind;
use safeground_store::hub::SharedRecord;
use safeground_store::{FederationStore, Flow, HubStore, ProgrammeStore, SqliteStore};

struct Federation {
    dir: tempfile::TempDir,
    node: PathBuf,
    key: PathBuf,
    hub: PathBuf,
    bundles: u32,
}

impl Federation {
    /// The demo programme as node KHM, registered at a new hub.
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let node = dir.path().join("khm.sqlite");
        let key = dir.path().join("khm.key");
        let hub = dir.path().join("hub.sqlite");
        ok(&[
            "demo",
            "--db",
            s(&node),
            "--hazards",
            "30",
            "--seed",
            "11",
            "--no-serve",
        ]);
        let card = ok(&[
            "federation",
            "init",
            s(&node),
            "--node",
            "KHM",
            "--name",
            "Cambodia",
            "--key",
            s(&key),
        ]);
        let card_file = dir.path().join("khm.json");
        std::fs::write(&card_file, card).expect("card");
        ok(&["hub", "init", s(&hub)]);
        ok(&["hub", "add-node", s(&hub), s(&card_file)]);
        Federation {
            dir,
            node,
            key,
            hub,
            bundles: 0,
        }
    }

    /// Exports since the last export (under `policy`, a TOML text; none: the default) and
    /// imports the bundle at the hub; returns what the export said.
    fn share(&mut self, policy: Option<&str>) -> String {
        self.bundles += 1;
        let bundle = self.dir.path().join(format!("{}.sgb", self.bundles));
        let mut args = vec![
            "federation".to_owned(),
            "export".into(),
            s(&self.node).into(),
            "--key".into(),
            s(&self.key).into(),
            "--since".into(),
            "last".into(),
            "--out".into(),
            s(&bundle).into(),
        ];
        if let Some(text) = policy {
            let file = self
                .dir
                .path()
                .join(format!("policy-{}.toml", self.bundles));
            std::fs::write(&file, text).expect("policy");
            args.extend(["--policy".into(), s(&file).into()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let said = ok(&args);
        if bundle.exists() {
            ok(&["hub", "import", s(&self.hub), s(&bundle)]);
        }
        said
    }

    /// The hub's records of `kind`, by item UUID.
    fn at_hub(&self, kind: ItemKind) -> BTreeMap<String, SharedRecord> {
        let hub = SqliteStore::open(&self.hub).expect("hub");
        let mut got = BTreeMap::new();
        hub.for_each_shared_record(kind, Some("KHM"), &mut |r| {
            got.insert(r.item.clone(), r);
            Ok(Flow::Continue)
        })
        .expect("records");
        got
    }

    /// The node's items of `kind` with a version: item id → UUID.
    fn items(&self, kind: ItemKind) -> BTreeMap<String, String> {
        let node = SqliteStore::open(&self.node).expect("node");
        let mut got = BTreeMap::new();
        node.for_each_outbox(0, &mut |e| {
            if e.kind == kind {
                got.insert(e.item, e.uuid);
            }
            Ok(Flow::Continue)
        })
        .expect("outbox");
        got
    }
}

/// The example policy with `[kinds.KIND]` and its lines removed.
fn without(kind: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in EXAMPLE_TOML.lines() {
        if line.starts_with('[') {
            skipping = line == format!("[kinds.{kind}]");
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The largest number of decimal places of any coordinate in `v`.
fn decimals(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Number(n) if n.is_f64() => {
            n.to_string().split('.').nth(1).map_or(0, str::len)
        }
        serde_json::Value::Array(a) => a.iter().map(decimals).max().unwrap_or(0),
        serde_json::Value::Object(o) => o.values().map(decimals).max().unwrap_or(0),
        _ => 0,
    }
}

#[test]
fn withdrawn_items_and_narrowed_policies_reach_the_hub_as_tombstones() {
    let mut f = Federation::new();
    f.share(None);
    let hazards = f.items(ItemKind::Hazard);
    let finds = f.items(ItemKind::EoFind);
    assert!(hazards.len() >= 30 && !finds.is_empty());
    assert_eq!(f.at_hub(ItemKind::Hazard).len(), hazards.len());
    assert_eq!(f.at_hub(ItemKind::EoFind).len(), finds.len());

    // Withdrawn: the hub deletes it; listed on the node with its reason.
    let (item, uuid) = hazards
        .iter()
        .next()
        .map(|(i, u)| (i.clone(), u.clone()))
        .expect("one");
    let said = ok(&[
        "federation",
        "withdraw",
        s(&f.node),
        &item,
        "--reason",
        "disputed survey",
        "--actor",
        "admin",
    ]);
    assert!(
        said.contains(&format!("{item} withdrawn from sharing")),
        "{said}"
    );
    let out = safeground(&[
        "federation",
        "withdraw",
        s(&f.node),
        &item,
        "--reason",
        "again",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("already"), "{err}");
    let listed = ok(&["federation", "withdrawn", s(&f.node)]);
    assert!(
        listed.starts_with(&format!("{item}\thazard\t"))
            && listed.contains("\tadmin\tdisputed survey"),
        "{listed}"
    );
    let said = f.share(None);
    assert!(said.contains("1 withdrawn"), "{said}");
    let held = f.at_hub(ItemKind::Hazard);
    assert_eq!(held.len(), hazards.len() - 1);
    assert!(!held.contains_key(&uuid));

    // Shared again: back, at its current revision.
    let said = ok(&["federation", "reshare", s(&f.node), &item]);
    assert!(said.contains("shared again"), "{said}");
    assert!(ok(&["federation", "withdrawn", s(&f.node)]).is_empty());
    f.share(None);
    let held = f.at_hub(ItemKind::Hazard);
    assert_eq!(held.len(), hazards.len());
    let node = SqliteStore::open(&f.node).expect("node");
    let revisions = node.versions(&item).expect("versions").len() as u64;
    assert_eq!(held[&uuid].revision, revisions);
    drop(node);

    // A kind no longer shared: a tombstone for each of its items.
    let said = f.share(Some(&without("eo_find")));
    assert!(
        said.contains(&format!(
            "no longer shares eo_find: {} tombstones",
            finds.len()
        )),
        "{said}"
    );
    assert!(f.at_hub(ItemKind::EoFind).is_empty());
    assert_eq!(f.at_hub(ItemKind::Hazard).len(), hazards.len());

    // Shared again, and hazards at 3 decimal places: both kinds re-sent and replaced.
    let coarser = EXAMPLE_TOML.replacen(
        "[kinds.hazard]\nprecision = 5",
        "[kinds.hazard]\nprecision = 3",
        1,
    );
    assert_ne!(
        coarser, EXAMPLE_TOML,
        "the example names the hazards' precision"
    );
    assert!(decimals(&held[&uuid].record["geometry"]) > 3);
    let said = f.share(Some(&coarser));
    assert!(
        said.contains("shares hazard, eo_find newly or under other terms"),
        "{said}"
    );
    assert_eq!(f.at_hub(ItemKind::EoFind).len(), finds.len());
    let held = f.at_hub(ItemKind::Hazard);
    assert_eq!(held.len(), hazards.len());
    assert!(held.values().all(|r| decimals(&r.record["geometry"]) <= 3));

    // Nothing changed: nothing re-sent; the node's outbox is consistent.
    let said = f.share(Some(&coarser));
    assert!(said.contains("nothing to share"), "{said}");
    let node = SqliteStore::open(&f.node).expect("node");
    assert_eq!(
        node.check_consistency().expect("check"),
        Vec::<String>::new()
    );
}
