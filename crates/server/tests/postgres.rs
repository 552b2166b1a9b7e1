//! The server on PostgreSQL/PostGIS (`safeground serve --database postgres://…`): the same
//! fixture programme on both backends answers the same JSON, features, tiles and figures, and
//! the report workflow writes through. Skipped (reason printed) without a test server; CI sets
//! SAFEGROUND_TEST_POSTGRES and SAFEGROUND_REQUIRE_POSTGRES=1.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Fixture, hazard_report, square, tile_of};
use serde_json::Value;

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

/// Ends every other session on the scratch database, as a restart of PostgreSQL or an
/// administrator's `pg_terminate_backend` would; returns how many were ended.
fn terminate_sessions(connection_string: &str) -> i64 {
    let mut admin = postgres::Client::connect(connection_string, postgres::NoTls).unwrap();
    admin
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0)
}

/// Sends `request` until it gets `ok`, at most `attempts` times; every other answer must be a
/// 503 with Retry-After. Returns the number of 503s.
async fn until_healed<F, Fut>(attempts: usize, ok: u16, request: F) -> usize
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = common::Reply>,
{
    for i in 0..attempts {
        let r = request().await;
        if r.status.as_u16() == ok {
            return i;
        }
        assert_eq!(
            r.status.as_u16(),
            503,
            "{}",
            String::from_utf8_lossy(&r.bytes)
        );
        assert_eq!(r.header("retry-after").as_deref(), Some("1"));
        assert_eq!(r.json()["type"], "/problems/database-unavailable");
    }
    panic!("still no {ok} after {attempts} attempts");
}

#[test]
fn lost_connections_are_replaced_without_a_restart() {
    let Some((pg, db)) = Fixture::postgres() else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let hazards = || pg.get("/api/hazards", Some("viewer"));
    let before = runtime.block_on(hazards()).expect(200).json();
    // The fixture holds one writer and two readers.
    assert!(terminate_sessions(&db.connection_string()) >= 3);
    // Each reader fails the one request that finds it dead (503), then is replaced.
    let failed = runtime.block_on(until_healed(8, 200, hazards));
    // At least the first request finds a dead connection: nothing polls an idle one.
    assert!((1..=2 * 2).contains(&failed), "{failed} failed reads");
    assert_eq!(runtime.block_on(hazards()).expect(200).json(), before);
    for _ in 0..4 {
        runtime.block_on(hazards()).expect(200);
    }
    // The writer heals the same way, then takes the write.
    let report = hazard_report("HEAL-1", None, square(103.6, 13.4, 200.0));
    let failed = runtime.block_on(until_healed(3, 201, || {
        pg.post("/api/reports", Some("approver"), &report)
    }));
    assert!(failed <= 1, "{failed} failed writes");
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
        let mut a = lite.get(uri, Some("viewer")).await.expect(200).json();
        let mut b = pg.get(uri, Some("viewer")).await.expect(200).json();
        assert_ne!(a, Value::Null, "{uri}");
        // OGC responses carry the time they were written, which may fall in different seconds.
        for response in [&mut a, &mut b] {
            if let Some(page) = response.as_object_mut() {
                page.remove("timeStamp");
            }
        }
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
    pg.approve(id, "admin").await.expect(200);
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
