//! Approved items over HTTP: current and "as of" reads, versions, links, hazard state, summary,
//! and edits that never silently overwrite each other.
#![allow(clippy::unwrap_used)]

mod common;

use common::Fixture;
use safeground_model::ItemKind;
use safeground_store::ProgrammeStore;
use serde_json::json;

#[tokio::test]
async fn items_are_listed_read_as_of_and_versioned() {
    let f = Fixture::new();
    let store = f.store();
    let hazards = store.items_of_kind(ItemKind::Hazard).unwrap();
    let mut seen = Vec::new();
    let mut uri = "/api/items?kind=hazard&limit=7".to_owned();
    loop {
        let page = f.get(&uri, Some("mag-viewer")).await.expect(200).json();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["item"].as_str().unwrap().to_owned()),
        );
        match page["next_after"].as_str() {
            Some(after) => uri = format!("/api/items?kind=hazard&limit=7&after={after}"),
            None => break,
        }
    }
    assert_eq!(
        seen, hazards,
        "paging returns every hazard once, in id order"
    );
    f.get("/api/items?kind=minefield", Some("viewer"))
        .await
        .expect(422);
    f.get("/api/items?kind=hazard", None).await.expect(401);

    // A revisited hazard has several versions; "as of" its first date gives the first.
    let revisited = hazards
        .iter()
        .find(|h| store.version_count(h).unwrap() > 1)
        .expect("demo revisits hazards");
    let versions = f
        .get(&format!("/api/items/{revisited}/versions"), Some("viewer"))
        .await
        .expect(200)
        .json();
    let list = versions["versions"].as_array().unwrap();
    assert!(list.len() > 1);
    let first_date = list[0]["valid_from"].as_str().unwrap();
    let old = f
        .get(
            &format!("/api/items/{revisited}?as_of={first_date}"),
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(old["record"], list[0]["record"]);
    let now = f
        .get(&format!("/api/items/{revisited}"), Some("viewer"))
        .await
        .expect(200);
    assert_eq!(now.header("etag").unwrap(), format!("\"v{}\"", list.len()));
    f.get(
        &format!("/api/items/{revisited}?as_of=1990-01-01"),
        Some("viewer"),
    )
    .await
    .expect(404);
    let bad = f
        .get(
            &format!("/api/items/{revisited}?as_of=yesterday"),
            Some("viewer"),
        )
        .await
        .expect(422);
    assert_eq!(bad.json()["errors"][0]["field"], "as_of");
    f.get(
        &format!("/api/items/{revisited}?known_at=noon"),
        Some("viewer"),
    )
    .await
    .expect(422);
    // Transaction time: before anything was approved, nothing was known.
    f.get(
        &format!("/api/items/{revisited}?known_at=2000-01-01T00:00:00Z"),
        Some("viewer"),
    )
    .await
    .expect(404);
    let recorded = list.last().unwrap()["recorded_at"].as_str().unwrap();
    let known = f
        .get(
            &format!(
                "/api/items/{revisited}?known_at={}",
                recorded.replace('+', "%2B")
            ),
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(known["recorded_at"].as_str().unwrap(), recorded);
    f.get("/api/items/HAZ-999999", Some("viewer"))
        .await
        .expect(404);
    f.get("/api/items/HAZ-999999/versions", Some("viewer"))
        .await
        .expect(404);
}

#[tokio::test]
async fn hazard_state_links_and_summary_agree_with_the_store() {
    let f = Fixture::new();
    let store = f.store();
    let states = store.current_hazards().unwrap();
    let worked = states
        .iter()
        .find(|s| s.cleared_m2 > 0.0)
        .expect("a cleared hazard");
    let st = f
        .get(
            &format!("/api/hazards/{}/state", worked.item),
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    assert!((st["remaining_m2"].as_f64().unwrap() - worked.remaining_m2).abs() < 1e-6);
    assert!((st["cleared_m2"].as_f64().unwrap() - worked.cleared_m2).abs() < 1e-6);
    assert_eq!(st["remaining"]["type"], "MultiPolygon");
    let links = f
        .get(&format!("/api/items/{}/links", worked.item), Some("viewer"))
        .await
        .expect(200)
        .json();
    let linked = links["linked"].as_array().unwrap();
    assert!(
        linked
            .iter()
            .any(|l| l["field"] == "hazard" && l["kind"] == "activity")
    );
    let summary = f
        .get("/api/summary", Some("mag-viewer"))
        .await
        .expect(200)
        .json();
    let expected = store
        .land_release_summary(safeground_store::AsOf::now())
        .unwrap();
    let rows = summary["rows"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    let total: f64 = rows
        .iter()
        .map(|r| r["remaining_m2"].as_f64().unwrap())
        .sum();
    let want: f64 = expected.iter().map(|r| r.remaining_m2).sum();
    assert!((total - want).abs() < 1e-6);
    let past = f
        .get("/api/summary?as_of=2000-01-01", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert!(past["rows"].as_array().unwrap().is_empty());
    f.get("/api/hazards/HAZ-999999/state", Some("viewer"))
        .await
        .expect(404);
}

#[tokio::test]
async fn two_people_editing_one_item_never_overwrite_each_other() {
    let f = Fixture::new();
    let read = f
        .get("/api/items/HAZ-000002", Some("halo-entry"))
        .await
        .expect(200);
    let etag = read.header("etag").unwrap();
    let record = read.json()["record"].clone();
    let edit = |name: &str, date: &str| {
        let mut r = record.clone();
        r["name"] = json!(name);
        json!({"title": format!("rename to {name}"), "date_of_information": date, "record": r})
    };
    f.put(
        "/api/items/HAZ-000002",
        Some("halo-entry"),
        None,
        &edit("A", "2026-02-01"),
    )
    .await
    .expect(428);
    f.put(
        "/api/items/HAZ-000002",
        Some("mag-viewer"),
        Some(&etag),
        &edit("A", "2026-02-01"),
    )
    .await
    .expect(403);
    f.put(
        "/api/items/HAZ-000002",
        Some("halo-entry"),
        Some("\"v999\""),
        &edit("A", "2026-02-01"),
    )
    .await
    .expect(412);
    let a = f
        .put(
            "/api/items/HAZ-000002",
            Some("halo-entry"),
            Some(&etag),
            &edit("A", "2026-02-01"),
        )
        .await
        .expect(202);
    let b = f
        .put(
            "/api/items/HAZ-000002",
            Some("mag-entry"),
            Some(&etag),
            &edit("B", "2026-03-01"),
        )
        .await
        .expect(202);
    let ra = a.json()["report"].as_i64().unwrap();
    let rb = b.json()["report"].as_i64().unwrap();
    f.approve(ra, "approver").await.expect(200);
    let conflict = f.approve(rb, "approver").await.expect(409);
    assert!(
        conflict.json()["detail"]
            .as_str()
            .unwrap()
            .contains("version"),
        "{:?}",
        conflict.json()
    );
    let now = f.get("/api/items/HAZ-000002", Some("viewer")).await.json();
    assert_eq!(now["record"]["name"], "A", "B did not silently overwrite A");
    // An edit of the wrong kind, or an invalid one, writes nothing.
    let mut wrong = edit("C", "2026-04-01");
    wrong["record"]["kind"] = json!("eo_find");
    let before = f
        .store()
        .list_reports(&safeground_store::ReportFilter {
            limit: 100_000,
            ..Default::default()
        })
        .unwrap()
        .len();
    f.put(
        "/api/items/HAZ-000002",
        Some("halo-entry"),
        Some(&etag),
        &wrong,
    )
    .await;
    let mut invalid = edit("", "2026-04-01");
    invalid["record"]["geometry"] = json!({"type": "Polygon", "coordinates": [[[103.0, 13.0], [103.01, 13.01], [103.01, 13.0], [103.0, 13.01], [103.0, 13.0]]]});
    let new_etag = f
        .get("/api/items/HAZ-000002", Some("viewer"))
        .await
        .header("etag")
        .unwrap();
    let refused = f
        .put(
            "/api/items/HAZ-000002",
            Some("halo-entry"),
            Some(&new_etag),
            &invalid,
        )
        .await
        .expect(422);
    assert!(
        refused.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"].as_str().unwrap().starts_with("record.")),
        "{:?}",
        refused.json()
    );
    let after = f
        .store()
        .list_reports(&safeground_store::ReportFilter {
            limit: 100_000,
            ..Default::default()
        })
        .unwrap()
        .len();
    assert_eq!(before, after, "refused edits write nothing");
}

#[tokio::test]
async fn the_hazard_register_searches_filters_sorts_and_pages() {
    let f = Fixture::new();
    let states = f.store().current_hazards().unwrap();
    let all = f
        .get("/api/hazards?limit=1000", Some("mag-viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(all["total"].as_u64().unwrap() as usize, states.len());
    let rows = all["hazards"].as_array().unwrap();
    let pick = &rows[rows.len() / 2];
    let local = pick["local_id"].as_str().unwrap();
    let found = f
        .get(
            &format!("/api/hazards?q={}", local.to_lowercase()),
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    assert!(
        found["hazards"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["id"] == pick["id"])
    );
    let closed = f
        .get("/api/hazards?status=closed&limit=1000", Some("viewer"))
        .await
        .expect(200)
        .json();
    let n_closed = states
        .iter()
        .filter(|s| s.status.code() == "closed")
        .count();
    assert_eq!(closed["total"].as_u64().unwrap() as usize, n_closed);
    let sorted = f
        .get(
            "/api/hazards?sort=remaining_m2&order=desc&limit=5",
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    let values: Vec<f64> = sorted["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["remaining_m2"].as_f64().unwrap())
        .collect();
    let max = states.iter().map(|s| s.remaining_m2).fold(0.0, f64::max);
    assert_eq!(values[0], max);
    assert!(values.windows(2).all(|w| w[0] >= w[1]));
    let page2 = f
        .get("/api/hazards?limit=5&offset=5", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(page2["hazards"][0]["id"], rows[5]["id"]);
    f.get("/api/hazards?sort=colour", Some("viewer"))
        .await
        .expect(422);
    f.get("/api/hazards?order=sideways", Some("viewer"))
        .await
        .expect(422);
    f.get("/api/hazards?class=yellow", Some("viewer"))
        .await
        .expect(422);
    f.get("/api/hazards", None).await.expect(401);
}

#[tokio::test]
async fn the_ui_is_served_from_the_binary() {
    let f = Fixture::new();
    let index = f.get("/", None).await.expect(200);
    assert!(
        index
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        index
            .header("content-security-policy")
            .unwrap()
            .contains("default-src 'self'")
    );
    let html = String::from_utf8_lossy(&index.bytes).to_string();
    let script = html
        .split("src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(script.starts_with("/assets/"), "{html}");
    let js = f.get(&script, None).await.expect(200);
    assert!(js.header("cache-control").unwrap().contains("immutable"));
    assert!(!js.bytes.is_empty());
    f.get("/assets/nothing.js", None).await.expect(404);
    // The app shell's JavaScript, compressed as a browser receives it, stays small (the map
    // library loads with the first map view).
    let gz = f
        .raw(
            axum::http::Method::GET,
            &script,
            None,
            &[("accept-encoding", "gzip")],
            vec![],
        )
        .await
        .expect(200);
    assert_eq!(gz.header("content-encoding").as_deref(), Some("gzip"));
    assert!(
        gz.bytes.len() < 300 * 1024,
        "app shell is {} bytes compressed",
        gz.bytes.len()
    );
    // No basemap by default: the policy allows this server only.
    let config = f.get("/api/config", None).await.expect(200).json();
    assert!(config["basemap_url"].is_null());
    let with_basemap = Fixture::with_config(safeground_server::ServerConfig {
        basemap_url: Some("https://tiles.example.org/osm/{z}/{x}/{y}.png".into()),
        ..Default::default()
    });
    let csp = with_basemap
        .get("/", None)
        .await
        .header("content-security-policy")
        .unwrap();
    assert!(
        csp.contains("img-src 'self' data: blob: https://tiles.example.org;"),
        "{csp}"
    );
}
