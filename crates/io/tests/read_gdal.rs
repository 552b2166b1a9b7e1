//! Files written by GDAL (`ogr2ogr`), an independent writer, read back by `read_source`: KML, a
//! GeoPackage and a Shapefile in WGS 84 / UTM 48N (EPSG:32648), a Shapefile in Indian 1960 /
//! UTM 48N (EPSG:3148) and a CSV with X/Y columns. Skipped when GDAL is not installed, unless
//! `SAFEGROUND_REQUIRE_GDAL=1` (as in CI).
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use safeground_io::{ReadOptions, SourceRecord, read_source};
use serde_json::{Value, json};

/// Whether `ogr2ogr` runs; without it the test is skipped, or fails under
/// `SAFEGROUND_REQUIRE_GDAL=1`.
fn gdal() -> bool {
    let found = Command::new("ogr2ogr")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("SAFEGROUND_REQUIRE_GDAL").as_deref() != Ok("1"),
            "SAFEGROUND_REQUIRE_GDAL=1 but ogr2ogr (GDAL) is not installed"
        );
        println!("skipped: ogr2ogr (GDAL) is not installed");
    }
    found
}

fn ogr2ogr(dir: &Path, args: &[&str]) {
    let out = Command::new("ogr2ogr")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn polygon(name: &str, lon: f64, lat: f64) -> Value {
    let ring = json!([
        [lon, lat],
        [lon + 0.013, lat + 0.001],
        [lon + 0.011, lat + 0.017],
        [lon - 0.002, lat + 0.012],
        [lon, lat]
    ]);
    json!({"type": "Feature", "properties": {"name": name},
           "geometry": {"type": "Polygon", "coordinates": [ring]}})
}

fn point(name: &str, lon: f64, lat: f64) -> Value {
    json!({"type": "Feature", "properties": {"name": name},
           "geometry": {"type": "Point", "coordinates": [lon, lat]}})
}

fn originals() -> (Vec<Value>, Vec<Value>) {
    (
        vec![
            polygon("P1", 103.21, 13.12),
            polygon("P2", 104.55, 12.48),
            polygon("P3", 105.07, 11.93),
        ],
        vec![point("E1", 103.2, 13.1), point("E2", 105.9, 20.9)],
    )
}

fn collection(features: &[Value]) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// Every position of a GeoJSON geometry.
fn positions(geometry: &Value, out: &mut Vec<(f64, f64)>) {
    if let Some(parts) = geometry.get("geometries").and_then(Value::as_array) {
        parts.iter().for_each(|g| positions(g, out));
        return;
    }
    fn walk(c: &Value, out: &mut Vec<(f64, f64)>) {
        match c.as_array() {
            Some(a) if a.first().is_some_and(Value::is_number) => {
                out.push((a[0].as_f64().unwrap(), a[1].as_f64().unwrap()));
            }
            Some(a) => a.iter().for_each(|c| walk(c, out)),
            None => {}
        }
    }
    walk(&geometry["coordinates"], out);
}

/// The read features match the expected ones in order: same names and, within `tolerance`
/// degrees, the same positions (ring order and orientation aside: Shapefiles turn rings
/// clockwise).
fn assert_same(what: &str, read: &[SourceRecord], expected: &[Value], tolerance: f64) {
    assert_eq!(read.len(), expected.len(), "{what}: feature count");
    for (r, e) in read.iter().zip(expected) {
        let f = r
            .feature
            .as_ref()
            .unwrap_or_else(|err| panic!("{what} {}: {err}", r.label));
        assert_eq!(
            f["properties"]["name"], e["properties"]["name"],
            "{what} {}",
            r.label
        );
        let (mut got, mut want) = (Vec::new(), Vec::new());
        positions(&f["geometry"], &mut got);
        positions(&e["geometry"], &mut want);
        assert_eq!(got.len(), want.len(), "{what} {}: positions", r.label);
        for w in &want {
            assert!(
                got.iter()
                    .any(|g| (g.0 - w.0).abs() <= tolerance && (g.1 - w.1).abs() <= tolerance),
                "{what} {}: {w:?} not within {tolerance}° of {got:?}",
                r.label
            );
        }
    }
}

fn read(path: &Path) -> Vec<SourceRecord> {
    read_source(path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn files_written_by_gdal_read_back() {
    if !gdal() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (polygons, points) = originals();
    let all: Vec<Value> = polygons.iter().chain(&points).cloned().collect();
    std::fs::write(d.join("all.geojson"), collection(&all)).unwrap();
    std::fs::write(d.join("polygons.geojson"), collection(&polygons)).unwrap();
    std::fs::write(d.join("points.geojson"), collection(&points)).unwrap();

    ogr2ogr(d, &["-f", "KML", "all.kml", "all.geojson"]);
    assert_same("KML", &read(&d.join("all.kml")), &all, 1e-6);

    ogr2ogr(
        d,
        &[
            "-f",
            "GPKG",
            "-t_srs",
            "EPSG:32648",
            "utm.gpkg",
            "all.geojson",
        ],
    );
    assert_same(
        "GeoPackage EPSG:32648",
        &read(&d.join("utm.gpkg")),
        &all,
        1e-6,
    );

    // A Shapefile holds one geometry type: polygons and points in two files.
    for (name, features) in [("polygons", &polygons), ("points", &points)] {
        let shp = format!("{name}_utm.shp");
        ogr2ogr(
            d,
            &[
                "-f",
                "ESRI Shapefile",
                "-t_srs",
                "EPSG:32648",
                &shp,
                &format!("{name}.geojson"),
            ],
        );
        assert_same("Shapefile EPSG:32648", &read(&d.join(&shp)), features, 1e-6);
    }

    // Indian 1960: GDAL 3.6 (PROJ 9) converts WGS 84 → EPSG:3148 with EPSG's Indian 1960
    // transformations only inside their areas of use (Viet Nam); elsewhere, as in Cambodia, it
    // falls back to a "ballpark" conversion without datum shift. Safeground applies EPSG:3148's
    // TOWGS84 (198, 881, 317) everywhere, to an ESRI .prj naming D_Indian_1960 as to EPSG:3148
    // itself, so positions GDAL wrote can differ from the originals by the whole shift (about
    // 400 m). The reference is therefore GDAL's own conversion of the written file back to WGS
    // 84 with exactly that TOWGS84; against the originals only that bound is checked.
    let indian_1960 = "+proj=utm +zone=48 +a=6377276.345 +rf=300.8017 \
                       +towgs84=198,881,317,0,0,0,0 +units=m +no_defs";
    for (name, features) in [("polygons", &polygons), ("points", &points)] {
        let shp = format!("{name}_3148.shp");
        ogr2ogr(
            d,
            &[
                "-f",
                "ESRI Shapefile",
                "-t_srs",
                "EPSG:3148",
                &shp,
                &format!("{name}.geojson"),
            ],
        );
        let back = format!("{name}_3148_back.geojson");
        ogr2ogr(
            d,
            &[
                "-f",
                "GeoJSON",
                "-lco",
                "COORDINATE_PRECISION=12",
                "-s_srs",
                indian_1960,
                "-t_srs",
                "EPSG:4326",
                &back,
                &shp,
            ],
        );
        let reference: Vec<Value> = read(&d.join(&back))
            .into_iter()
            .map(|r| r.feature.unwrap())
            .collect();
        let records = read(&d.join(&shp));
        assert_same("Shapefile EPSG:3148 vs GDAL", &records, &reference, 1e-6);
        assert_same("Shapefile EPSG:3148 vs originals", &records, features, 1e-2);
    }

    ogr2ogr(
        d,
        &[
            "-f",
            "CSV",
            "-lco",
            "GEOMETRY=AS_XY",
            "points.csv",
            "points.geojson",
        ],
    );
    let csv: Vec<Value> = read(&d.join("points.csv"))
        .into_iter()
        .map(|r| {
            let f = r.feature.unwrap();
            let p = &f["properties"];
            let n = |k: &str| p[k].as_str().unwrap().parse::<f64>().unwrap();
            point(p["name"].as_str().unwrap(), n("X"), n("Y"))
        })
        .collect();
    let as_records: Vec<SourceRecord> = csv
        .into_iter()
        .map(|f| SourceRecord {
            label: "csv".into(),
            feature: Ok(f),
        })
        .collect();
    assert_same("CSV AS_XY", &as_records, &points, 1e-6);
}
