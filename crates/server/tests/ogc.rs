//! OGC API - Features over HTTP: landing, conformance, collections, items with paging and
//! filters, single features, HTML, access control.
#![allow(clippy::unwrap_used)]

mod common;

use common::Fixture;
use safeground_model::ItemKind;
use safeground_server::ServerConfig;
use safeground_store::{AsOf, ProgrammeStore};
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
    let released = common::released_areas(&store);
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

/// A link of a document by relation (and media type when given).
fn link<'a>(doc: &'a Value, rel: &str, media: Option<&str>) -> Option<&'a str> {
    doc["links"]
        .as_array()?
        .iter()
        .find(|l| l["rel"] == rel && media.is_none_or(|m| l["type"] == m))
        .and_then(|l| l["href"].as_str())
}

#[tokio::test]
async fn paths_with_a_trailing_slash_answer_the_same() {
    let f = Fixture::new();
    for (path, bare) in [
        ("/ogc/", "/ogc"),
        ("/ogc/conformance/", "/ogc/conformance"),
        ("/ogc/collections/", "/ogc/collections"),
        ("/ogc/collections/hazards/", "/ogc/collections/hazards"),
        (
            "/ogc/collections/hazards/queryables/",
            "/ogc/collections/hazards/queryables",
        ),
        (
            "/ogc/collections/hazards/items/?limit=3",
            "/ogc/collections/hazards/items?limit=3",
        ),
        (
            "/ogc/collections/hazards/items/HAZ-000001/",
            "/ogc/collections/hazards/items/HAZ-000001",
        ),
    ] {
        let slashed = f.get(path, Some("viewer")).await.expect(200).json();
        let plain = f.get(bare, Some("viewer")).await.expect(200).json();
        assert_eq!(slashed["links"], plain["links"], "{path}");
        assert_eq!(slashed["features"], plain["features"], "{path}");
    }
    let api = f.get("/ogc/api/", None).await.expect(200);
    assert!(api.header("content-type").unwrap().contains("openapi"));
}

#[tokio::test]
async fn every_page_says_how_many_features_match() {
    let f = Fixture::new();
    let all = all_features(
        &f,
        "/ogc/collections/hazards/items?limit=1000",
        Some("viewer"),
    )
    .await;
    let cha = all
        .iter()
        .filter(|h| h["properties"]["class"] == "cha")
        .count();
    assert!(cha > 0 && cha < all.len());
    for (query, expected) in [("limit=7", all.len()), ("class=cha&limit=3", cha)] {
        let mut next = Some(format!("/ogc/collections/hazards/items?{query}"));
        let mut pages = 0;
        while let Some(uri) = next {
            let page = f.get(&uri, Some("viewer")).await.expect(200).json();
            assert_eq!(page["numberMatched"], expected, "{uri}");
            assert!(
                link(&page, "alternate", Some("text/html")).is_some(),
                "{uri}"
            );
            next = link(&page, "next", None)
                .map(|h| h.trim_start_matches("http://localhost").to_owned());
            pages += 1;
        }
        assert!(pages > 1, "{query}");
    }
    // A new hazard changes the count at once.
    let r = f
        .post(
            "/api/reports?submit=true",
            Some("halo-entry"),
            &common::hazard_report("OGC-COUNT-1", None, common::square(103.5, 13.3, 300.0)),
        )
        .await
        .expect(201);
    let id = r.json()["id"].as_i64().unwrap();
    f.approve(id, "approver").await.expect(200);
    let page = f
        .get("/ogc/collections/hazards/items?limit=7", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(page["numberMatched"], all.len() + 1);
}

#[tokio::test]
async fn collections_have_their_extent_and_queryables() {
    let f = Fixture::new();
    let all = all_features(
        &f,
        "/ogc/collections/hazards/items?limit=1000",
        Some("viewer"),
    )
    .await;
    let coll = f
        .get("/ogc/collections/hazards", Some("viewer"))
        .await
        .expect(200)
        .json();
    let b: Vec<f64> = coll["extent"]["spatial"]["bbox"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(b.len(), 4);
    assert_eq!(
        coll["extent"]["spatial"]["crs"],
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    );
    for h in &all {
        for ring in h["geometry"]["coordinates"].as_array().unwrap() {
            for p in ring[0].as_array().unwrap() {
                let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
                assert!(x >= b[0] && y >= b[1] && x <= b[2] && y <= b[3], "{x},{y}");
            }
        }
    }
    let dates: Vec<&str> = all
        .iter()
        .map(|h| h["properties"]["date_of_information"].as_str().unwrap())
        .collect();
    let interval = &coll["extent"]["temporal"]["interval"][0];
    assert_eq!(
        interval[0].as_str().unwrap()[..10],
        **dates.iter().min().unwrap()
    );
    assert_eq!(
        interval[1].as_str().unwrap()[..10],
        **dates.iter().max().unwrap()
    );
    // The listing carries the same extents; without access to a collection, none is shown.
    let listing = f
        .get("/ogc/collections", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(listing["collections"][0]["extent"], coll["extent"]);
    let anonymous = f
        .get("/ogc/collections/hazards", None)
        .await
        .expect(200)
        .json();
    assert!(anonymous.get("extent").is_none());

    let queryables_href = link(
        &coll,
        "http://www.opengis.net/def/rel/ogc/1.0/queryables",
        Some("application/schema+json"),
    )
    .unwrap()
    .trim_start_matches("http://localhost")
    .to_owned();
    let q = f.get(&queryables_href, None).await.expect(200);
    assert_eq!(q.header("content-type").unwrap(), "application/schema+json");
    let schema = q.json();
    assert_eq!(schema["type"], "object");
    let names: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["admin_pcode", "class", "organisation", "status"]);
    // Every queryable works as a filter.
    for name in names {
        f.get(
            &format!("/ogc/collections/hazards/items?{name}=x&limit=1"),
            Some("viewer"),
        )
        .await
        .expect(200);
    }
    let missing = f
        .get("/ogc/collections/minefields/queryables", None)
        .await
        .expect(404);
    assert_eq!(
        missing.header("content-type").unwrap(),
        "application/problem+json"
    );
}

/// The checks of the OGC's test suite for Part 1 (ETS ogcapi-features-1.0) that concern links,
/// conformance, limits and errors.
#[tokio::test]
async fn links_conformance_limits_and_errors_follow_part_1() {
    let f = Fixture::new();
    let landing = f.get("/ogc", None).await.expect(200).json();
    for rel in [
        "self",
        "alternate",
        "service-desc",
        "service-doc",
        "conformance",
        "data",
    ] {
        assert!(link(&landing, rel, None).is_some(), "landing page: {rel}");
    }
    let doc = link(&landing, "service-doc", Some("text/html"))
        .unwrap()
        .trim_start_matches("http://localhost")
        .to_owned();
    let page = f.get(&doc, None).await.expect(200);
    assert!(String::from_utf8_lossy(&page.bytes).contains("/collections/hazards/items"));
    let conf = f.get("/ogc/conformance", None).await.expect(200).json();
    let classes: Vec<&str> = conf["conformsTo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for class in [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    ] {
        assert!(classes.contains(&class), "{class}");
    }
    let colls = f.get("/ogc/collections", None).await.expect(200).json();
    assert!(link(&colls, "self", Some("application/json")).is_some());
    assert!(link(&colls, "alternate", Some("text/html")).is_some());
    for c in colls["collections"].as_array().unwrap() {
        for (rel, media) in [
            ("self", "application/json"),
            ("alternate", "text/html"),
            ("items", "application/geo+json"),
            ("items", "text/html"),
        ] {
            assert!(link(c, rel, Some(media)).is_some(), "{}: {rel}", c["id"]);
        }
    }
    // A limit above the maximum is served at the maximum, not refused.
    let big = f
        .get("/ogc/collections/hazards/items?limit=20000", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert!(link(&big, "self", None).unwrap().contains("limit=10000"));
    // A feature has self, alternate and collection links; a missing one is a problem.
    let one = f
        .get("/ogc/collections/hazards/items/HAZ-000001", Some("viewer"))
        .await
        .expect(200)
        .json();
    for rel in ["self", "alternate", "collection"] {
        assert!(link(&one, rel, None).is_some(), "feature: {rel}");
    }
    let missing = f
        .get("/ogc/collections/hazards/items/HAZ-999999", Some("viewer"))
        .await
        .expect(404);
    assert_eq!(
        missing.header("content-type").unwrap(),
        "application/problem+json"
    );
}
