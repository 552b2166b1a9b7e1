//! Helpers shared by the CLI's integration tests.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `safeground` with `args`.
pub fn safeground(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safeground"))
        .args(args)
        .output()
        .expect("run safeground")
}

/// Asserts that a run failed and that its standard error says `needle`.
pub fn refused(out: &Output, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains(needle), "{err}");
}

/// Runs `safeground` and asserts success; returns stdout.
pub fn ok(args: &[&str]) -> String {
    let out = safeground(args);
    assert!(
        out.status.success(),
        "safeground {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A square hazard feature `side` metres wide at (lon, lat).
pub fn square_feature(id: &str, lon: f64, lat: f64, side: f64) -> serde_json::Value {
    let dx = side / (111_320.0 * lat.to_radians().cos());
    let dy = side / 110_574.0;
    serde_json::json!({
        "type": "Feature",
        "properties": {"local_id": id, "class": "SHA", "admin_pcode": "KH02"},
        "geometry": {"type": "Polygon", "coordinates": [[
            [lon, lat], [lon + dx, lat], [lon + dx, lat + dy], [lon, lat + dy], [lon, lat]
        ]]}
    })
}

/// Writes a FeatureCollection.
pub fn write_collection(path: &Path, features: Vec<serde_json::Value>) {
    let fc = serde_json::json!({"type": "FeatureCollection", "features": features});
    std::fs::write(path, serde_json::to_vec(&fc).expect("json")).expect("write");
}

/// Path as &str.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The connection string of a scratch PostgreSQL database (`SAFEGROUND_TEST_POSTGRES` plus its
/// name), as a user would pass it to `safeground`.
pub fn postgres_url(db: &safeground_store::postgres::testing::ScratchDatabase) -> String {
    let base = std::env::var(safeground_store::postgres::testing::URL_VAR)
        .expect("set when a scratch database exists");
    if base.contains("://") {
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}dbname={}", db.name())
    } else {
        format!("{base} dbname={}", db.name())
    }
}
