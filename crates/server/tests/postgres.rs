//! The server on PostgreSQL/PostGIS (`safeground serve --database postgres://…`): the same
//! fixture programme on both backends answers the same JSON, features, tiles and figures, and
//! the report workflow writes through. Skipped (reason printed) without a test server; CI sets
//! SAFEGROUND_TEST_POSTGRES and SAFEGROUND_REQUIRE_POSTGRES=1.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Fixture, hazard_report, square, tile_of};
use serde_json::{Value, json};

#[test]
fn both_backends_answer_alike_and_postgres_takes_writes() {
    // The PostgreSQL client blocks: set up and drop the database outside the async runtime
    // (the server itself calls the store on tokio's blocking pool).
    let Some((pg, _db)) = Fixture::postgres() else {
        return;
    };
    let lite = Fixture::new();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(compare_then_write(&lite, &pg));
}

async fn compare_then_write(lite: &Fixture, pg: &Fixture) {
    for uri in [
        "/api/hazards",
        "/api/dashboard?as_of=2024-12-31",
        "/api/records?kind=assistance&limit=1000",
        "/ogc/collections/hazards/items?limit=25",
        "/ogc/collections/activities/items?limit=25&status=completed",
        "/api/figures?as_of=2025-12-31&donor=ORG-DONOR-JP",
        "/api/export/victims?format=geojson",
    ] {
        let a = lite.get(uri, Some("viewer")).await.expect(200).json();
        let b = pg.get(uri, Some("viewer")).await.expect(200).json();
        assert_ne!(a, Value::Null, "{uri}");
        assert_eq!(a, b, "{uri} differs between SQLite and PostgreSQL");
    }
    let (x, y) = tile_of(103.2, 13.1, 8);
    let tile = format!("/tiles/hazards/8/{x}/{y}.mvt");
    assert_eq!(
        lite.get(&tile, Some("viewer")).await.expect(200).bytes,
        pg.get(&tile, Some("viewer")).await.expect(200).bytes,
        "{tile}"
    );

    let before = pg.get("/api/dashboard", Some("viewer")).await.json();
    let r = pg
        .post(
            "/api/reports?submit=true",
            Some("approver"),
            &hazard_report("PG-1", None, square(103.5, 13.3, 300.0)),
        )
        .await
        .expect(201);
    let id = r.json()["id"].as_i64().unwrap();
    pg.post(
        &format!("/api/reports/{id}/approve"),
        Some("approver"),
        &json!({}),
    )
    .await
    .expect(200);
    let after = pg.get("/api/dashboard", Some("viewer")).await.json();
    assert_eq!(
        after["totals"]["hazards"].as_u64().unwrap(),
        before["totals"]["hazards"].as_u64().unwrap() + 1
    );
    let all = pg
        .get("/ogc/collections/hazards/items?limit=10000", Some("viewer"))
        .await
        .expect(200)
        .json();
    let found: Vec<&Value> = all["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["local_id"] == "PG-1")
        .collect();
    assert_eq!(found.len(), 1);
    let area = found[0]["properties"]["remaining_m2"]
        .as_f64()
        .unwrap_or(f64::NAN);
    assert!((area - 90_000.0).abs() < 900.0, "{area}");
}
