//! `safeground import` of files written by GDAL's `ogr2ogr` (an independent writer): a
//! GeoPackage layer, a Shapefile and a zipped Shapefile import like the GeoJSON they came from;
//! a projected GeoPackage and a Shapefile without `.prj` are refused with the command that
//! fixes them. Needs `ogr2ogr` (Debian gdal-bin): skipped with a message when absent, unless
//! `SAFEGROUND_REQUIRE_GDAL=1`.

mod common;

use std::process::Command;

use common::{ok, s, safeground, square_feature, write_collection};

fn ogr2ogr(args: &[&str]) {
    let out = Command::new("ogr2ogr")
        .args(args)
        .output()
        .expect("run ogr2ogr");
    assert!(
        out.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn files_written_by_ogr2ogr_import_correctly() {
    if Command::new("ogr2ogr").arg("--version").output().is_err() {
        assert!(
            std::env::var("SAFEGROUND_REQUIRE_GDAL").is_err(),
            "SAFEGROUND_REQUIRE_GDAL is set but ogr2ogr is missing"
        );
        eprintln!("skipped: ogr2ogr (Debian gdal-bin) is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let source = dir.path().join("hazards.geojson");
    write_collection(
        &source,
        (0..5)
            .map(|i| square_feature(&format!("GIS-{i}"), 103.2 + 0.01 * f64::from(i), 13.1, 80.0))
            .collect(),
    );
    let gpkg = dir.path().join("hazards.gpkg");
    ogr2ogr(&[
        "-f",
        "GPKG",
        s(&gpkg),
        s(&source),
        "-nln",
        "surveyed_hazards",
    ]);
    let shp = dir.path().join("hazards.shp");
    ogr2ogr(&["-f", "ESRI Shapefile", s(&shp), s(&source)]);
    let zipped = dir.path().join("hazards.shp.zip");
    ogr2ogr(&["-f", "ESRI Shapefile", s(&zipped), s(&source)]);
    let projected = dir.path().join("utm.gpkg");
    ogr2ogr(&[
        "-f",
        "GPKG",
        "-t_srs",
        "EPSG:32648",
        s(&projected),
        s(&source),
    ]);
    let projected_shp = dir.path().join("utm.shp");
    ogr2ogr(&[
        "-f",
        "ESRI Shapefile",
        "-t_srs",
        "EPSG:32648",
        s(&projected_shp),
        s(&source),
    ]);
    let kml = dir.path().join("hazards.kml");
    ogr2ogr(&["-f", "KML", s(&kml), s(&source)]);

    // Every file gives the same five hazards with the same geodesic area, whatever its format
    // and coordinate system (UTM 48N files are reprojected on import).
    let mut areas = Vec::new();
    for file in [&gpkg, &shp, &zipped, &projected, &projected_shp, &kml] {
        let db = dir.path().join(format!(
            "{}.sqlite",
            file.file_name().expect("name").to_string_lossy()
        ));
        ok(&["init", s(&db)]);
        let out = ok(&["import", s(&db), s(file), "--date", "2025-01-10"]);
        assert!(
            out.contains("imported 5 records"),
            "{}: {out}",
            file.display()
        );
        let reports = ok(&["reports", s(&db), "--status", "submitted"]);
        assert_eq!(reports.lines().count(), 5, "{}", file.display());
        assert!(reports.contains("GIS-3"), "local ids kept: {reports}");
        ok(&["approve", s(&db), "--all", "--actor", "approver"]);
        let summary = ok(&["summary", s(&db), "--format", "json"]);
        let rows: serde_json::Value = serde_json::from_str(&summary).expect("json");
        let total = rows.as_array().and_then(|a| a.last()).expect("total");
        areas.push(total["suspected_m2"].as_f64().expect("area"));
    }
    for a in &areas {
        assert!((a / areas[0] - 1.0).abs() < 1e-6, "{areas:?}");
    }
    let wrong_layer = safeground(&[
        "import",
        s(&dir.path().join("x.sqlite")),
        s(&gpkg),
        "--layer",
        "nope",
    ]);
    assert!(!wrong_layer.status.success());
    let db = dir.path().join("refusals.sqlite");
    ok(&["init", s(&db)]);
    let no_prj = dir.path().join("noprj.shp");
    ogr2ogr(&["-f", "ESRI Shapefile", s(&no_prj), s(&source)]);
    std::fs::remove_file(no_prj.with_extension("prj")).expect("remove prj");
    let refused = safeground(&["import", s(&db), s(&no_prj)]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("has no .prj"));
}
