//! The regional hub's map: tiles holding every node's hazards at the zooms the map fits the
//! region in, TileJSON with the region's bounds, the border report against hand-computed
//! distances, a rebuild when a bundle arrives, and who may read them.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::NaiveDate;
use common::{Fixture, tile_of};
use geozero::mvt::{Message, Tile};
use safeground_federation::{NodeId, NodeKey, Policy};
use safeground_server::federation::{ReadBundle, Sharing, write_bundle};
use safeground_store::hub::NewHubNode;
use safeground_store::{
    ApproveOptions, FederationStore, HubStore, NewReport, ProgrammeStore, ReportEntry, SqliteStore,
};
use serde_json::{Value, json};

/// The `node` property of every feature of `layer` in a tile.
fn nodes_in(bytes: &[u8], layer: &str) -> Vec<String> {
    let tile = Tile::decode(bytes).expect("a valid MVT");
    let Some(l) = tile.layers.iter().find(|l| l.name == layer) else {
        return Vec::new();
    };
    let key = l.keys.iter().position(|k| k == "node").unwrap() as u32;
    (l.features.iter())
        .map(|f| {
            let v = f.tags.chunks(2).find(|kv| kv[0] == key).unwrap()[1];
            l.values[v as usize].string_value.clone().unwrap()
        })
        .collect()
}

#[tokio::test]
async fn every_node_is_drawn_at_the_zooms_that_fit_the_region() {
    let hub = Fixture::new();
    hub.make_hub();
    let doc = hub
        .get("/api/hub/tiles.json", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(doc["tilejson"], "3.0.0");
    assert!(
        doc["tiles"][0]
            .as_str()
            .unwrap()
            .ends_with("/api/hub/tiles/{z}/{x}/{y}.mvt")
    );
    let layers: Vec<&str> = (doc["vector_layers"].as_array().unwrap().iter())
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(layers, ["hazards", "eo-finds"]);
    assert_eq!(doc["vector_layers"][0]["fields"]["node"], "String");
    let nodes = doc["nodes"].as_array().unwrap();
    let codes: Vec<&str> = nodes.iter().map(|n| n["node"].as_str().unwrap()).collect();
    assert_eq!(codes, ["AZE", "KHM", "LAO"]);
    let b: Vec<f64> = serde_json::from_value(doc["bounds"].clone()).unwrap();
    assert!(b[0] < 50.0 && b[2] > 100.0, "the region's bounds: {b:?}");
    for n in nodes {
        assert!(n["hazards"].as_u64().unwrap() >= 3, "{n}");
        let nb: Vec<f64> = serde_json::from_value(n["bounds"].clone()).unwrap();
        assert!(
            nb[0] >= b[0] && nb[1] >= b[1] && nb[2] <= b[2] && nb[3] <= b[3],
            "{n}"
        );
    }
    // Azerbaijan to Cambodia: the region spans some 60° of longitude, which a map of 390 to
    // 1366 px fits at zoom 2 or 3, where hazards are far below a pixel. Every node must be
    // drawn in the tiles over its own data at those zooms, and at closer ones.
    for z in [0u8, 1, 2, 3, 4, 6, 8] {
        for n in nodes {
            let nb: Vec<f64> = serde_json::from_value(n["bounds"].clone()).unwrap();
            let (x0, y0) = tile_of(nb[0], nb[3], z);
            let (x1, y1) = tile_of(nb[2], nb[1], z);
            let mut seen = std::collections::BTreeSet::new();
            for x in x0..=x1 {
                for y in y0..=y1 {
                    let r = hub
                        .get(&format!("/api/hub/tiles/{z}/{x}/{y}.mvt"), Some("viewer"))
                        .await;
                    assert_eq!(
                        r.header("content-type").as_deref(),
                        Some("application/vnd.mapbox-vector-tile")
                    );
                    seen.extend(nodes_in(&r.expect(200).bytes, "hazards"));
                }
            }
            let node = n["node"].as_str().unwrap();
            assert!(
                seen.contains(node),
                "zoom {z}: {node} not drawn over its data ({seen:?})"
            );
        }
    }
    // ETag revalidation.
    let first = hub
        .get("/api/hub/tiles/2/3/1.mvt", Some("viewer"))
        .await
        .expect(200);
    let tag = first.header("etag").unwrap();
    let again = hub
        .raw(
            axum::http::Method::GET,
            "/api/hub/tiles/2/3/1.mvt",
            Some("viewer"),
            &[("if-none-match", tag.as_str())],
            Vec::new(),
        )
        .await;
    assert_eq!(again.status, 304);
    hub.get("/api/hub/tiles/2/9/1.mvt", Some("viewer"))
        .await
        .expect(404);
}

/// A national programme of hand-placed square hazards `(local id, [w, s, e, n])` as node
/// `code`: its card and its whole outbox as one signed bundle.
fn node(dir: &std::path::Path, code: &str, hazards: &[(&str, [f64; 4])]) -> (NewHubNode, Vec<u8>) {
    let mut store = SqliteStore::create(&dir.join(format!("{code}.sqlite"))).unwrap();
    let entries = (hazards.iter())
        .map(|(id, [w, s, e, n])| {
            let record = serde_json::from_value(json!({
                "kind": "hazard", "local_id": id, "name": format!("Hazard {id}"),
                "class": "sha", "status": "open",
                "evidence": ["accident"], "contamination": ["ap_mines"],
                "geometry": {"type": "Polygon",
                    "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]},
            }))
            .unwrap();
            ReportEntry::new(record)
        })
        .collect();
    let report = NewReport {
        organisation: None,
        title: format!("Hazards of {code}"),
        source: None,
        date_of_information: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
        entries,
    };
    for id in store.submit_batch("test", &[report]).unwrap() {
        store
            .approve_report("test", id, &ApproveOptions::default())
            .unwrap();
    }
    store.set_node("test", code).unwrap();
    let sharing = Sharing {
        key: NodeKey::generate(NodeId::new(code).unwrap()).unwrap(),
        policy: Policy::default(),
    };
    let head = store.outbox_head().unwrap();
    let (bytes, _) = write_bundle(&store, &sharing, 0, head, Vec::new()).unwrap();
    let card = NewHubNode {
        node: code.into(),
        name: format!("{code} programme"),
        card: sharing.key.card(code).unwrap().to_json(),
    };
    (card, bytes)
}

fn import(hub: &Fixture, (card, bytes): (NewHubNode, Vec<u8>)) {
    let mut store = hub.store();
    assert!(store.add_node("test", &card).unwrap());
    let mut bundle = ReadBundle::new(std::io::Cursor::new(bytes)).unwrap();
    store.import_bundle("test", &mut bundle).unwrap();
}

fn pairs(doc: &Value) -> Vec<(String, String, String, f64)> {
    (doc["hazards"].as_array().unwrap().iter())
        .map(|h| {
            (
                h["local_id"].as_str().unwrap().to_owned(),
                h["other_node"].as_str().unwrap().to_owned(),
                h["other_local_id"].as_str().unwrap().to_owned(),
                h["distance_m"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn border_hazards_are_measured_geodesically_and_follow_new_bundles() {
    let hub = Fixture::new();
    hub.store().make_hub("test").unwrap();
    let dir = tempfile::tempdir().unwrap();
    // KHM-1 ends at 14.40° N; LAO-1 starts 0.03° further north (their longitudes overlap),
    // LAO-2 0.10° north. Meridian arcs at the mean latitude φ: 111,132.954 − 559.822 cos 2φ
    // + 1.175 cos 4φ metres per degree: φ = 14.415°: 110,643.3 m/° → 0.03° = 3,319.3 m;
    // φ = 14.45°: 110,643.6 m/° → 0.10° = 11,064.4 m.
    import(
        &hub,
        node(
            dir.path(),
            "KHM",
            &[("KHM-1", [103.00, 14.38, 103.02, 14.40])],
        ),
    );
    let lao = node(
        dir.path(),
        "LAO",
        &[
            ("LAO-1", [103.01, 14.43, 103.03, 14.45]),
            ("LAO-2", [102.99, 14.50, 103.00, 14.52]),
        ],
    );
    // One node: nobody is near another's hazards.
    let doc = hub
        .get("/api/hub/border-hazards", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(doc["within_m"], 5000.0);
    assert!(pairs(&doc).is_empty());
    // LAO's bundle arrives: its checkpoint moves and the map is rebuilt.
    import(&hub, lao);
    let doc = hub
        .get("/api/hub/border-hazards", Some("viewer"))
        .await
        .expect(200)
        .json();
    let got = pairs(&doc);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(
        (got[0].0.as_str(), got[0].1.as_str(), got[0].2.as_str()),
        ("KHM-1", "LAO", "LAO-1")
    );
    assert_eq!(
        (got[1].0.as_str(), got[1].1.as_str(), got[1].2.as_str()),
        ("LAO-1", "KHM", "KHM-1")
    );
    assert!((got[0].3 - 3319.0).abs() <= 2.0, "{got:?}");
    assert_eq!(doc["hazards"][0]["node"], "KHM");
    assert_eq!(doc["hazards"][0]["name"], "Hazard KHM-1");
    assert_eq!(doc["hazards"][0]["other_name"], "Hazard LAO-1");
    // Wider: LAO-2 is KHM-1's nearest only if nearer than LAO-1 (it is not), but it now has
    // KHM-1 within reach: 0.10° of meridian.
    let doc = hub
        .get("/api/hub/border-hazards?within_m=12000", Some("viewer"))
        .await
        .expect(200)
        .json();
    let got = pairs(&doc);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!((got[2].0.as_str(), got[2].2.as_str()), ("LAO-2", "KHM-1"));
    assert!((got[2].3 - 11064.0).abs() <= 5.0, "{got:?}");
    // Closer than any pair: none.
    let doc = hub
        .get("/api/hub/border-hazards?within_m=3000", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert!(pairs(&doc).is_empty());
    for bad in ["-1", "60000", "far"] {
        hub.get(
            &format!("/api/hub/border-hazards?within_m={bad}"),
            Some("viewer"),
        )
        .await
        .expect(422);
    }
    hub.get("/api/hub/border-hazards?radius=3", Some("viewer"))
        .await
        .expect(422);
    // The tiles follow the new bundle too: both nodes at z8 over the border.
    let (x, y) = tile_of(103.01, 14.41, 8);
    let r = hub
        .get(&format!("/api/hub/tiles/8/{x}/{y}"), Some("viewer"))
        .await;
    let mut seen = nodes_in(&r.expect(200).bytes, "hazards");
    seen.sort();
    seen.dedup();
    assert_eq!(seen, ["KHM", "LAO"]);
}

#[tokio::test]
async fn only_readers_of_a_hub_get_its_map() {
    let hub = Fixture::new();
    hub.make_hub();
    let plain = Fixture::new();
    for uri in [
        "/api/hub/tiles.json",
        "/api/hub/tiles/0/0/0.mvt",
        "/api/hub/border-hazards",
    ] {
        hub.get(uri, None).await.expect(401);
        hub.get(uri, Some("viewer")).await.expect(200);
        let off = plain.get(uri, Some("viewer")).await.expect(404).json();
        assert!(
            off["detail"]
                .as_str()
                .unwrap()
                .contains("not a regional hub"),
            "{off}"
        );
        plain.get(uri, None).await.expect(401);
    }
    // A national viewer's map holds their own node alone.
    let doc = hub
        .get("/api/hub/tiles.json", Some("khm-viewer"))
        .await
        .expect(200)
        .json();
    let nodes: Vec<&str> = (doc["nodes"].as_array().unwrap().iter())
        .map(|n| n["node"].as_str().unwrap())
        .collect();
    assert_eq!(nodes, ["KHM"]);
    for z in 0..=2u8 {
        for x in 0..(1u32 << z) {
            for y in 0..(1u32 << z) {
                let r = hub
                    .get(&format!("/api/hub/tiles/{z}/{x}/{y}"), Some("khm-viewer"))
                    .await;
                for node in nodes_in(&r.expect(200).bytes, "hazards") {
                    assert_eq!(node, "KHM", "tile {z}/{x}/{y}");
                }
            }
        }
    }
    let border = hub
        .get("/api/hub/border-hazards?within_m=50000", Some("khm-viewer"))
        .await;
    assert_eq!(border.expect(200).json()["hazards"], json!([]));
    // The analyst sees every node.
    let doc = hub
        .get("/api/hub/tiles.json", Some("analyst"))
        .await
        .expect(200)
        .json();
    assert_eq!(doc["nodes"].as_array().unwrap().len(), 3);
}
