//! Vector tiles over HTTP: content, ETag revalidation, access, TileJSON, refresh after approval.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use common::{Fixture, hazard_report, square, tile_of};
use geozero::mvt::{Message, Tile};
use safeground_server::ServerConfig;
use serde_json::json;

fn decode(bytes: &[u8]) -> Tile {
    Tile::decode(bytes).expect("a valid MVT")
}

fn feature_ids(tile: &Tile, layer: &str) -> Vec<String> {
    let Some(l) = tile.layers.iter().find(|l| l.name == layer) else {
        return Vec::new();
    };
    assert_eq!(l.version, 2);
    assert_eq!(l.extent, Some(4096));
    let id_key = l.keys.iter().position(|k| k == "id").unwrap() as u32;
    l.features
        .iter()
        .map(|f| {
            let i = f.tags.chunks(2).find(|kv| kv[0] == id_key).unwrap()[1];
            l.values[i as usize].string_value.clone().unwrap()
        })
        .collect()
}

#[tokio::test]
async fn tiles_hold_the_features_of_their_area_and_revalidate_with_etags() {
    let f = Fixture::new();
    let hazards = f.store().current_hazards().unwrap();
    // The largest hazard: smaller ones are under a pixel at z6 and only appear from z10 on.
    let h = hazards
        .iter()
        .filter(|h| h.geometry.is_some())
        .max_by(|a, b| a.original_m2.total_cmp(&b.original_m2))
        .unwrap();
    let p = h.geometry.as_ref().unwrap().0[0].exterior().0[0];
    for z in [6u8, 10, 14] {
        let (x, y) = tile_of(p.x, p.y, z);
        let r = f
            .get(
                &format!("/tiles/hazards/{z}/{x}/{y}.mvt"),
                Some("mag-viewer"),
            )
            .await
            .expect(200);
        assert_eq!(
            r.header("content-type").unwrap(),
            "application/vnd.mapbox-vector-tile"
        );
        let ids = feature_ids(&decode(&r.bytes), "hazards");
        assert!(ids.contains(&h.item), "z{z}: {} not in {ids:?}", h.item);
        let etag = r.header("etag").unwrap();
        let again = f
            .raw(
                Method::GET,
                &format!("/tiles/hazards/{z}/{x}/{y}.mvt"),
                Some("mag-viewer"),
                &[("if-none-match", &etag)],
                vec![],
            )
            .await
            .expect(304);
        assert!(again.bytes.is_empty());
    }
    // A tile far away (mid-Atlantic) is empty.
    let (x, y) = tile_of(-30.0, 0.0, 10);
    let empty = f
        .get(&format!("/tiles/hazards/10/{x}/{y}.mvt"), Some("viewer"))
        .await
        .expect(200);
    assert!(decode(&empty.bytes).layers.is_empty());
    // EO points and released areas.
    let eo = f
        .get("/ogc/collections/eo-finds/items?limit=1", Some("viewer"))
        .await
        .json();
    let c = &eo["features"][0]["geometry"]["coordinates"];
    let (x, y) = tile_of(c[0].as_f64().unwrap(), c[1].as_f64().unwrap(), 12);
    let t = f
        .get(&format!("/tiles/eo-finds/12/{x}/{y}.mvt"), Some("viewer"))
        .await
        .expect(200);
    assert!(
        feature_ids(&decode(&t.bytes), "eo-finds")
            .contains(&eo["features"][0]["id"].as_str().unwrap().to_owned())
    );
    let ra = f
        .get(
            "/ogc/collections/released-areas/items?limit=1",
            Some("viewer"),
        )
        .await
        .json();
    let c = &ra["features"][0]["geometry"]["coordinates"][0][0][0];
    let (x, y) = tile_of(c[0].as_f64().unwrap(), c[1].as_f64().unwrap(), 13);
    let t = f
        .get(
            &format!("/tiles/released-areas/13/{x}/{y}.mvt"),
            Some("viewer"),
        )
        .await
        .expect(200);
    assert!(
        feature_ids(&decode(&t.bytes), "released-areas")
            .contains(&ra["features"][0]["id"].as_str().unwrap().to_owned())
    );
}

#[tokio::test]
async fn tiles_carry_no_personal_data_and_follow_access_rules() {
    let f = Fixture::new();
    f.get("/tiles/hazards/6/50/30.mvt", None).await.expect(401);
    f.get("/tiles/hazards.json", None).await.expect(401);
    f.get("/tiles/victims/6/50/30.mvt", Some("viewer"))
        .await
        .expect(404);
    f.get("/tiles/hazards/23/0/0.mvt", Some("viewer"))
        .await
        .expect(404);
    f.get("/tiles/hazards/3/8/0.mvt", Some("viewer"))
        .await
        .expect(404);
    f.get("/tiles/hazards/x/0/0.mvt", Some("viewer"))
        .await
        .expect(404);
    let tj = f
        .get("/tiles/hazards.json", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(tj["tilejson"], "3.0.0");
    assert!(
        tj["tiles"][0]
            .as_str()
            .unwrap()
            .ends_with("/tiles/hazards/{z}/{x}/{y}.mvt")
    );
    let b = tj["bounds"].as_array().unwrap();
    assert!(
        b[0].as_f64().unwrap() > 100.0 && b[2].as_f64().unwrap() < 110.0,
        "bounds of the data: {b:?}"
    );
    let public = Fixture::with_config(ServerConfig {
        public_layers: vec!["hazards".into()],
        ..ServerConfig::default()
    });
    let r = public
        .get("/tiles/hazards/0/0/0.mvt", None)
        .await
        .expect(200);
    assert!(r.header("cache-control").unwrap().starts_with("public"));
    public
        .get("/tiles/eo-finds/0/0/0.mvt", None)
        .await
        .expect(401);
    // Property keys of every layer: nothing personal.
    for layer in ["hazards", "released-areas", "eo-finds", "accidents"] {
        let t = decode(
            &f.get(&format!("/tiles/{layer}/0/0/0.mvt"), Some("viewer"))
                .await
                .expect(200)
                .bytes,
        );
        for l in &t.layers {
            for k in &l.keys {
                assert!(
                    !["full_name", "address", "contact", "date_of_birth"].contains(&k.as_str()),
                    "{layer}: {k}"
                );
            }
        }
    }
}

#[tokio::test]
async fn an_approval_changes_the_tiles_and_their_etag() {
    let f = Fixture::new();
    let (lon, lat) = (103.123, 12.987);
    let (x, y) = tile_of(lon, lat, 14);
    let uri = format!("/tiles/hazards/14/{x}/{y}.mvt");
    let before = f.get(&uri, Some("viewer")).await.expect(200);
    let r = f
        .post(
            "/api/reports",
            Some("approver"),
            &hazard_report("TILE-1", None, square(lon, lat, 100.0)),
        )
        .await
        .expect(201);
    let id = r.json()["id"].as_i64().unwrap();
    f.post(
        &format!("/api/reports/{id}/submit"),
        Some("approver"),
        &json!({}),
    )
    .await
    .expect(200);
    let done = f.approve(id, "admin").await.expect(200);
    let item = done.json()["result"]["items"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let after = f
        .raw(
            Method::GET,
            &uri,
            Some("viewer"),
            &[("if-none-match", &before.header("etag").unwrap())],
            vec![],
        )
        .await
        .expect(200);
    assert_ne!(after.header("etag"), before.header("etag"));
    assert!(feature_ids(&decode(&after.bytes), "hazards").contains(&item));
}

/// The `date` values of a tile's accidents.
fn accident_dates(tile: &Tile) -> Vec<String> {
    let Some(l) = tile.layers.iter().find(|l| l.name == "accidents") else {
        return Vec::new();
    };
    let Some(key) = l.keys.iter().position(|k| k == "date") else {
        return Vec::new();
    };
    l.features
        .iter()
        .filter_map(|f| f.tags.chunks(2).find(|kv| kv[0] == key as u32))
        .filter_map(|kv| l.values[kv[1] as usize].string_value.clone())
        .collect()
}

#[tokio::test]
async fn accident_tiles_give_months_to_readers_without_victim_access() {
    let f = Fixture::new();
    let seen = f
        .get("/tiles/accidents/0/0/0.mvt", Some("viewer"))
        .await
        .expect(200);
    let viewer = accident_dates(&decode(&seen.bytes));
    assert!(!viewer.is_empty());
    assert!(viewer.iter().all(|d| d.len() == 7), "{viewer:?}");
    let exact = f
        .get("/tiles/accidents/0/0/0.mvt", Some("va"))
        .await
        .expect(200);
    let va = accident_dates(&decode(&exact.bytes));
    assert_eq!(va.len(), viewer.len());
    assert!(va.iter().all(|d| d.len() == 10), "{va:?}");
    // Each variant has its own ETag, so a shared cache never mixes them.
    assert_ne!(seen.header("etag"), exact.header("etag"));
}
