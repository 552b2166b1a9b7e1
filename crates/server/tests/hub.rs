//! `GET /api/hub/nodes` on a hub built here from real signed bundles of three national
//! programmes: every node with its checkpoint, records per kind and freshness; 404 on a
//! programme that is not a hub, 401 anonymous; `/api/config` says which it is.
#![allow(clippy::unwrap_used)]

mod common;

use common::Fixture;
use safeground_store::HubStore;

#[tokio::test]
async fn a_hub_lists_its_nodes_with_records_and_freshness() {
    let f = Fixture::new();
    let config = f.get("/api/config", None).await.expect(200).json();
    assert_eq!(config["hub"], false);
    let problem = f
        .get("/api/hub/nodes", Some("viewer"))
        .await
        .expect(404)
        .json();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("not a regional hub"),
        "{problem}"
    );

    let heads = f.make_hub();
    let hub = f.store();

    f.get("/api/hub/nodes", None).await.expect(401);
    let config = f.get("/api/config", None).await.expect(200).json();
    assert_eq!(config["hub"], true);
    let nodes = f
        .get("/api/hub/nodes", Some("viewer"))
        .await
        .expect(200)
        .json();
    let nodes = nodes.as_array().unwrap();
    let codes: Vec<&str> = nodes.iter().map(|n| n["node"].as_str().unwrap()).collect();
    assert_eq!(codes, ["AZE", "KHM", "LAO"]);
    let counts = hub.shared_record_counts().unwrap();
    for (code, head) in heads {
        let code = code.as_str();
        let n = nodes.iter().find(|n| n["node"] == code).unwrap();
        assert_eq!(n["checkpoint"], head, "{n}");
        assert_eq!(n["freshness"], "fresh", "{n}");
        assert_eq!(n["lag_days"], 0, "{n}");
        assert!(n["last_bundle_at"].is_string(), "{n}");
        assert!(n["fingerprint"].as_str().unwrap().len() > 8, "{n}");
        let mut total = 0;
        for c in counts.iter().filter(|c| c.node == code) {
            assert_eq!(n["records"][c.kind.code()], c.count, "{n}");
            total += c.count;
        }
        assert!(total > 0);
        assert_eq!(n["total_records"], total, "{n}");
        assert!(n["records"]["hazard"].as_u64().unwrap() >= 3, "{n}");
    }
}

#[tokio::test]
async fn a_national_viewer_sees_only_its_own_node_and_an_analyst_all() {
    let f = Fixture::new();
    f.make_hub();
    let codes = |v: serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| n["node"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = f.get("/api/hub/nodes", Some("analyst")).await.expect(200);
    assert_eq!(codes(all.json()), ["AZE", "KHM", "LAO"]);
    let own = f
        .get("/api/hub/nodes", Some("khm-viewer"))
        .await
        .expect(200);
    assert_eq!(codes(own.json()), ["KHM"]);
    // Hub roles only read.
    f.get("/api/users", Some("analyst")).await.expect(403);
}

#[tokio::test]
async fn a_national_viewers_dashboard_and_report_hold_only_its_own_country() {
    use calamine::{Reader, Xlsx};
    let f = Fixture::new();
    f.make_hub();
    let countries = |v: &serde_json::Value| -> Vec<String> {
        (v["countries"].as_array().unwrap().iter())
            .map(|c| c["node"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = f
        .get("/api/hub/dashboard", Some("analyst"))
        .await
        .expect(200);
    assert_eq!(countries(&all.json()), ["AZE", "KHM", "LAO"]);
    let own = f
        .get("/api/hub/dashboard", Some("khm-viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(countries(&own), ["KHM"]);
    // The region of a national viewer is their country alone.
    assert_eq!(
        own["region"]["remaining_m2"],
        own["countries"][0]["figures"]["remaining_m2"]
    );

    let xlsx = f
        .get("/api/hub/report.xlsx", Some("khm-viewer"))
        .await
        .expect(200);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.bytes)).unwrap();
    let range = book.worksheet_range("regional_land_release").unwrap();
    let titles: Vec<String> = (range.rows().nth(4).unwrap().iter())
        .map(|c| c.to_string())
        .collect();
    assert_eq!(titles.len(), 4, "year, method, KHM, region: {titles:?}");
    assert!(titles[2].starts_with("KHM"), "{titles:?}");
}
