//! GDAL as an independent client: `ogrinfo` with the OAPIF driver lists every collection and
//! reads all features of each; the MVT driver reads a tile and finds the expected hazards.
//! Needs `ogrinfo` (Debian `gdal-bin`): skipped with a message when absent, unless
//! `SAFEGROUND_REQUIRE_GDAL=1` (CI sets it) turns its absence into a failure.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use common::Fixture;
use safeground_model::ItemKind;
use safeground_store::ProgrammeStore;

fn gdal_available() -> bool {
    let found = Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("SAFEGROUND_REQUIRE_GDAL").is_err(),
            "SAFEGROUND_REQUIRE_GDAL is set but ogrinfo is not installed (apt-get install gdal-bin)"
        );
        eprintln!("skipped: ogrinfo (Debian gdal-bin) is not installed");
    }
    found
}

async fn ogrinfo(args: Vec<String>) -> String {
    let out = tokio::task::spawn_blocking(move || {
        Command::new("ogrinfo")
            .args(&args)
            .env(
                "GDAL_HTTP_HEADERS",
                format!("Authorization: Bearer {}", common::token("mag-viewer")),
            )
            .env("GDAL_HTTP_TIMEOUT", "60")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "ogrinfo failed: {stderr}\n{stdout}");
    assert!(
        !stderr.contains("ERROR"),
        "ogrinfo reported errors: {stderr}"
    );
    stdout
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gdal_reads_every_collection_and_a_tile() {
    if !gdal_available() {
        return;
    }
    let f = Fixture::new();
    let addr = f.listen().await;
    let base = format!("OAPIF:http://{addr}/ogc");

    let listing = ogrinfo(vec!["-ro".into(), "-q".into(), base.clone()]).await;
    for id in [
        "hazards",
        "released-areas",
        "activities",
        "eo-finds",
        "accidents",
        "risk-education",
    ] {
        assert!(
            listing.contains(&format!(": {id} ")),
            "{id} not listed:\n{listing}"
        );
    }

    let store = f.store();
    let count = |k: ItemKind| store.items_of_kind(k).unwrap().len();
    let released = common::released_areas(&store);
    let expected = [
        ("hazards", count(ItemKind::Hazard)),
        ("released-areas", released),
        ("activities", count(ItemKind::Activity)),
        ("eo-finds", count(ItemKind::EoFind)),
        ("accidents", count(ItemKind::Accident)),
        ("risk-education", count(ItemKind::RiskEducation)),
    ];
    for (id, n) in expected {
        // Small pages force GDAL through many `next` links.
        let out = ogrinfo(vec![
            "-ro".into(),
            "-al".into(),
            "-geom=NO".into(),
            "-oo".into(),
            "PAGE_SIZE=9".into(),
            base.clone(),
            id.into(),
        ])
        .await;
        let features = out.lines().filter(|l| l.starts_with("OGRFeature(")).count();
        assert_eq!(
            features, n,
            "{id}: GDAL read {features} features, the store holds {n}"
        );
    }

    // A z12 tile around the largest hazard, read by GDAL's MVT driver from a z/x/y.pbf file.
    let h = store
        .current_hazards()
        .unwrap()
        .into_iter()
        .max_by(|a, b| a.original_m2.total_cmp(&b.original_m2))
        .unwrap();
    let p = h.geometry.as_ref().unwrap().0[0].exterior().0[0];
    let z = 12u8;
    let (x, y) = common::tile_of(p.x, p.y, z);
    let tile = f
        .get(&format!("/tiles/hazards/{z}/{x}/{y}.mvt"), Some("viewer"))
        .await
        .expect(200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{z}/{x}/{y}.pbf"));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &tile.bytes).unwrap();
    let out = ogrinfo(vec!["-ro".into(), "-al".into(), path.display().to_string()]).await;
    assert!(out.contains("Layer name: hazards"), "{out}");
    assert!(
        out.contains(&format!("id (String) = {}", h.item)),
        "{} not found by GDAL:\n{out}",
        h.item
    );
    assert!(
        out.contains("MULTIPOLYGON") || out.contains("POLYGON"),
        "{out}"
    );
}

/// `ogr2ogr` copies the hazards into a GeoPackage at GDAL's default page size, over one
/// keep-alive connection (each page used to wait ~40 ms for a delayed ACK before
/// `TCP_NODELAY`; no timing is asserted here), and reads the count and extent the collection
/// advertises.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ogr2ogr_copies_the_hazards_to_a_geopackage() {
    if !gdal_available() {
        return;
    }
    let f = Fixture::new();
    let addr = f.listen().await;
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("hazards.gpkg");
    let source = format!("OAPIF:http://{addr}/ogc");
    let target = gpkg.display().to_string();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("ogr2ogr")
            .args(["-f", "GPKG", &target, &source, "hazards"])
            .env(
                "GDAL_HTTP_HEADERS",
                format!("Authorization: Bearer {}", common::token("viewer")),
            )
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "ogr2ogr failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info = ogrinfo(vec![
        "-ro".into(),
        "-so".into(),
        gpkg.display().to_string(),
        "hazards".into(),
    ])
    .await;
    assert!(
        info.contains(&format!("Feature Count: {}", common::HAZARDS)),
        "{info}"
    );
    // The OGC layer's metadata carries the collection's extent.
    let layer = ogrinfo(vec![
        "-ro".into(),
        "-so".into(),
        format!("OAPIF:http://{addr}/ogc"),
        "hazards".into(),
    ])
    .await;
    assert!(layer.contains("TEMPORAL_INTERVAL_MIN="), "{layer}");
}
