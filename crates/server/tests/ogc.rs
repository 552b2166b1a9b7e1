//! OGC API - Features over HTTP: landing, conformance, collections, items with paging and
//! filters, single features, HTML, access control.
#![allow(clippy::unwrap_used)]

mod common;

use common::Fixture;
use safeground_model::{ItemKind, Record};
use safeground_server::ServerConfig;
use safeground_store::{AsOf, Flow, ProgrammeStore};
use serde_json::Value;

/// Follows `next` links from `uri` and returns every feature.
async fn all_features(f: &Fixture, uri: &str, user: Option<&str>) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next = Some(uri.to_owned());
    while let Some(u) = next {
        let r = f.get(&u, user).await.expect(200);
        assert_eq!(r.header("content-type").unwrap(), "application/geo+json");
        let page = r.json();
        let features = page["features"].as_array().unwrap();
        assert_eq!(
            page["numberReturned"].as_u64().unwrap() as usize,
            features.len()
        );
        out.extend(features.iter().cloned());
        next = page["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
            .map(|l| {
                l["href"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("http://localhost")
                    .to_owned()
            });
    }
    out
}

fn count_current(store: &safeground_store::SqliteStore, kind: ItemKind) -> usize {
    store.items_of_kind(kind).unwrap().len()
}

#[tokio::test]
async fn landing_conformance_collections_and_api() {
    let f = Fixture::new();
    let landing = f.get("/ogc", None).await.expect(200).json();
    let rels: Vec<&str> = landing["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    for rel in ["self", "service-desc", "conformance", "data"] {
        assert!(rels.contains(&rel), "{rel}");
    }
    let conf = f.get("/ogc/conformance", None).await.expect(200).json();
    assert!(
        conf["conformsTo"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_str().unwrap().ends_with("/conf/geojson"))
    );
    let colls = f.get("/ogc/collections", None).await.expect(200).json();
    let ids: Vec<&str> = colls["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "hazards",
            "released-areas",
            "activities",
            "eo-finds",
            "accidents",
            "risk-education"
        ]
    );
    f.get("/ogc/collections/hazards", None).await.expect(200);
    f.get("/ogc/collections/minefields", None).await.expect(404);
    let api = f.get("/ogc/api", None).await.expect(200);
    assert!(api.header("content-type").unwrap().contains("openapi"));
    assert_eq!(api.json()["openapi"], "3.0.3");
    assert!(api.json()["paths"]["/collections/eo-finds/items"].is_object());
    let html = f
        .raw(
            axum::http::Method::GET,
            "/ogc/collections",
            None,
            &[("accept", "text/html")],
            vec![],
        )
        .await
        .expect(200);
    assert!(String::from_utf8_lossy(&html.bytes).contains("<table>"));
}

#[tokio::test]
async fn every_collection_pages_through_all_its_features() {
    let f = Fixture::new();
    let store = f.store();
    let mut released = 0;
    store
        .for_each_current(ItemKind::Activity, None, &mut |v| {
            if let Record::Activity(a) = v.record {
                released += a.released_areas.len();
            }
            Ok(Flow::Continue)
        })
        .unwrap();
    let expected = [
        ("hazards", count_current(&store, ItemKind::Hazard)),
        ("released-areas", released),
        ("activities", count_current(&store, ItemKind::Activity)),
        ("eo-finds", count_current(&store, ItemKind::EoFind)),
        ("accidents", count_current(&store, ItemKind::Accident)),
        (
            "risk-education",
            count_current(&store, ItemKind::RiskEducation),
        ),
    ];
    for (id, n) in expected {
        assert!(n > 0, "{id} is empty in the fixture");
        let features = all_features(
            &f,
            &format!("/ogc/collections/{id}/items?limit=7"),
            Some("mag-viewer"),
        )
        .await;
        assert_eq!(features.len(), n, "{id}");
        let mut ids: Vec<&str> = features.iter().map(|x| x["id"].as_str().unwrap()).collect();
        ids.dedup();
        assert_eq!(ids.len(), n, "{id}: no duplicates across pages");
        // A single feature reads back the same.
        let one = &features[n / 2];
        let fid = one["id"].as_str().unwrap();
        let single = f
            .get(
                &format!("/ogc/collections/{id}/items/{fid}"),
                Some("viewer"),
            )
            .await
            .expect(200)
            .json();
        assert_eq!(single["properties"], one["properties"], "{id}/{fid}");
    }
    f.get("/ogc/collections/hazards/items/HAZ-999999", Some("viewer"))
        .await
        .expect(404);
    f.get(
        "/ogc/collections/released-areas/items/ACT-000001.99",
        Some("viewer"),
    )
    .await
    .expect(404);
}

#[tokio::test]
async fn accidents_carry_no_personal_data() {
    let f = Fixture::new();
    let features = all_features(
        &f,
        "/ogc/collections/accidents/items?limit=1000",
        Some("va"),
    )
    .await;
    let mut names = Vec::new();
    let store = f.store();
    let mut s = store;
    for v in s.items_of_kind(ItemKind::Victim).unwrap() {
        if let Some(p) = s.victim_personal_data("test", &v, AsOf::now()).unwrap() {
            names.push(p.full_name);
        }
    }
    assert!(!names.is_empty());
    let text = serde_json::to_string(&features).unwrap();
    for n in &names {
        assert!(!text.contains(n.as_str()), "{n} leaked into OGC accidents");
    }
}

#[tokio::test]
async fn bbox_datetime_and_property_filters() {
    let f = Fixture::new();
    let all = all_features(
        &f,
        "/ogc/collections/hazards/items?limit=1000",
        Some("viewer"),
    )
    .await;
    // bbox around the first hazard's first vertex.
    let p = &all[0]["geometry"]["coordinates"][0][0][0];
    let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
    let near = all_features(
        &f,
        &format!(
            "/ogc/collections/hazards/items?bbox={},{},{},{}",
            x - 0.001,
            y - 0.001,
            x + 0.001,
            y + 0.001
        ),
        Some("viewer"),
    )
    .await;
    assert!(near.iter().any(|h| h["id"] == all[0]["id"]));
    assert!(near.len() < all.len());
    let none = all_features(
        &f,
        "/ogc/collections/hazards/items?bbox=0,0,1,1",
        Some("viewer"),
    )
    .await;
    assert!(none.is_empty());
    // Property filter.
    let cha: Vec<_> = all
        .iter()
        .filter(|h| h["properties"]["class"] == "cha")
        .collect();
    let filtered = all_features(
        &f,
        "/ogc/collections/hazards/items?class=cha&limit=5",
        Some("viewer"),
    )
    .await;
    assert_eq!(filtered.len(), cha.len());
    // datetime on the date of information.
    let dates: Vec<&str> = all
        .iter()
        .map(|h| h["properties"]["date_of_information"].as_str().unwrap())
        .collect();
    let pivot = dates[dates.len() / 2];
    let before = all_features(
        &f,
        &format!("/ogc/collections/hazards/items?datetime=../{pivot}"),
        Some("viewer"),
    )
    .await;
    assert_eq!(before.len(), dates.iter().filter(|d| **d <= pivot).count());
    let exact = all_features(
        &f,
        &format!("/ogc/collections/hazards/items?datetime={pivot}"),
        Some("viewer"),
    )
    .await;
    assert_eq!(exact.len(), dates.iter().filter(|d| **d == pivot).count());
    // Bad parameters are 400s naming the parameter.
    for q in [
        "bbox=1,2,3",
        "bbox=a,b,c,d",
        "datetime=soon",
        "limit=0",
        "limit=-3",
        "colour=red",
        "f=xml",
    ] {
        let r = f
            .get(
                &format!("/ogc/collections/hazards/items?{q}"),
                Some("viewer"),
            )
            .await
            .expect(400);
        assert_eq!(
            r.header("content-type").unwrap(),
            "application/problem+json",
            "{q}"
        );
    }
    let html = f
        .get(
            "/ogc/collections/eo-finds/items?f=html&limit=3",
            Some("viewer"),
        )
        .await
        .expect(200);
    let text = String::from_utf8_lossy(&html.bytes).to_string();
    assert!(
        text.contains("rel=\"next\""),
        "HTML pages link to the next page"
    );
}

#[tokio::test]
async fn access_follows_roles_and_public_layers() {
    let f = Fixture::new();
    f.get("/ogc/collections/hazards/items", None)
        .await
        .expect(401);
    f.get("/ogc/collections/hazards/items/HAZ-000001", None)
        .await
        .expect(401);
    let public = Fixture::with_config(ServerConfig {
        public_layers: vec!["hazards".into()],
        ..ServerConfig::default()
    });
    public
        .get("/ogc/collections/hazards/items?limit=2", None)
        .await
        .expect(200);
    public
        .get("/ogc/collections/accidents/items?limit=2", None)
        .await
        .expect(401);
    public
        .get("/ogc/collections/hazards/items", Some("viewer"))
        .await
        .expect(200);
}

#[tokio::test]
async fn compressed_streams_end_cleanly() {
    let f = Fixture::new();
    let r = f
        .raw(
            axum::http::Method::GET,
            "/ogc/collections/released-areas/items?limit=10000",
            Some("viewer"),
            &[("accept-encoding", "gzip")],
            vec![],
        )
        .await
        .expect(200);
    assert_eq!(r.header("content-encoding").as_deref(), Some("gzip"));
    assert!(r.bytes.len() > 100);
}
