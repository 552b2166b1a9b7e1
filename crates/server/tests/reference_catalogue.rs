//! A hub's catalogue in force (`GET /api/reference`): the built-in models, those of the
//! reference set it adopted and those of the latest set it published, each model once, so its
//! UI links published-only models to their pages and offers them for a new page. On SQLite,
//! and on PostgreSQL where a test server is configured (`SAFEGROUND_TEST_POSTGRES`).
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Utc;
use common::Fixture;
use safeground_federation::reference::ordnance_from_csv;
use safeground_federation::{NodeId, NodeKey, ReferenceSet};
use safeground_store::Backend;
use serde_json::{Value, json};

/// The hub's own reference set, `version`: `csv` its models.
fn published(version: u64, csv: &str) -> String {
    let key = NodeKey::generate(NodeId::new("SEAHUB").unwrap()).unwrap();
    let set = ReferenceSet {
        publisher: key.node().clone(),
        version,
        published_at: Utc::now(),
        ordnance: ordnance_from_csv(&format!("model,category,description,aliases\n{csv}")).unwrap(),
        codes: Default::default(),
        pages: Vec::new(),
    };
    set.sign(&key).unwrap()
}

/// The catalogue's entry of `model`, and how many entries name it.
fn entry(catalogue: &Value, model: &str) -> (Value, usize) {
    let named: Vec<&Value> = (catalogue["ordnance"].as_array().unwrap().iter())
        .filter(|m| m["model"] == model)
        .collect();
    (
        named.first().map_or(Value::Null, |m| (*m).clone()),
        named.len(),
    )
}

fn page(model: &str) -> Value {
    json!({
        "model": model,
        "summary": "Soviet directional fragmentation anti-personnel mine.",
        "dimensions": {"width_mm": 220, "height_mm": 155, "weight_g": 2000},
        "fuzing": "Tripwire or command initiated.",
        "identification": ["Curved olive-green plastic case", "Two pairs of folding legs"],
        "hazards": "Fragments thrown forward over some 50 m."
    })
}

/// The hub's store writes (outside the async runtime: the PostgreSQL client blocks), then its
/// catalogue over HTTP.
fn the_hub_lists_what_it_published(f: &Fixture, store: &mut dyn Backend) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    store.make_hub("test").unwrap();
    runtime.block_on(before_publishing(f));
    // The hub adopted PFM-1 ("butterfly mine") from its own regional hub, and publishes PFM-1
    // again with another name, MON-50, and PMN-2 (built-in) with another name.
    let (key, set, doc) = common::armac_reference();
    let card = key.card("ARMAC").unwrap().to_json();
    store.trust_hub("test", "ARMAC", &card).unwrap();
    (store.adopt_reference("test", set.version, &doc, &set.ordnance)).unwrap();
    let v1 = published(1, "MON-50,ap_mine,Soviet directional mine,\n");
    store.publish_reference("test", 1, &v1).unwrap();
    let v2 = published(
        2,
        "PFM-1,ap_mine,Soviet scatterable mine,green parrot\n\
         MON-50,ap_mine,Soviet directional fragmentation AP mine,\n\
         PMN-2,ap_mine,Soviet blast AP mine,pmn two\n",
    );
    store.publish_reference("test", 2, &v2).unwrap();
    runtime.block_on(after_publishing(f));
}

async fn before_publishing(f: &Fixture) {
    let before = f
        .get("/api/reference", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(entry(&before, "MON-50").1, 0);
    assert_eq!(before["published_version"], 0);
    // Not in the catalogue yet: no page can be written of it.
    f.put(
        "/api/reference/pages/MON-50",
        Some("admin"),
        None,
        &page("MON-50"),
    )
    .await
    .expect(404);
}

async fn after_publishing(f: &Fixture) {
    let after = f
        .get("/api/reference", Some("viewer"))
        .await
        .expect(200)
        .json();
    let (mon, n) = entry(&after, "MON-50");
    assert_eq!(n, 1, "{after}");
    assert_eq!(mon["source"], "reference");
    assert_eq!(mon["category"], "ap_mine");
    // The latest published version's description.
    assert_eq!(
        mon["description"],
        "Soviet directional fragmentation AP mine"
    );
    let (pfm, n) = entry(&after, "PFM-1");
    assert_eq!(n, 1, "{after}");
    assert_eq!(pfm["source"], "reference");
    assert_eq!(pfm["aliases"], json!(["butterfly mine", "green parrot"]));
    let (pmn, n) = entry(&after, "PMN-2");
    assert_eq!(n, 1, "{after}");
    assert_eq!(pmn["source"], "built-in");
    assert_eq!(pmn["aliases"], json!(["pmn two"]));
    let mut models: Vec<&str> = (after["ordnance"].as_array().unwrap().iter())
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    let listed = models.len();
    models.sort_unstable();
    models.dedup();
    assert_eq!(models.len(), listed, "no model twice: {after}");
    // The adopted version and its hub are still what the catalogue reports.
    assert_eq!(
        (after["hub"].as_str(), after["version"].as_u64()),
        (Some("ARMAC"), Some(1))
    );
    assert_eq!(after["published_version"], 2);

    // A published-only model the catalogue lists can be given a page (the page check uses the
    // same catalogue).
    let written = f
        .put(
            "/api/reference/pages/MON-50",
            Some("admin"),
            None,
            &page("MON-50"),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(written["model"], "MON-50");
    assert_eq!(written["category"], "ap_mine");
}

#[test]
fn a_hub_lists_the_models_it_published_once_each() {
    let f = Fixture::new();
    the_hub_lists_what_it_published(&f, &mut f.store());
}

#[test]
fn a_hub_on_postgres_lists_the_models_it_published_once_each() {
    let Some((f, db)) = Fixture::postgres() else {
        return;
    };
    the_hub_lists_what_it_published(&f, &mut db.connect().unwrap());
}
