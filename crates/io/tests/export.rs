//! Exports of every collection, read back by our own parsers and, when installed, by GDAL
//! (`ogrinfo`) as an independent reader: same feature counts, no warnings.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use chrono::Utc;
use safeground_io::{
    COLLECTIONS, Format, Source, export, export_geopackage, export_shapefile, export_xlsx,
    for_each_feature,
};
use safeground_model::{ItemKind, Record};
use safeground_store::{ApproveOptions, Flow, ProgrammeStore, SqliteStore};

fn programme(dir: &std::path::Path) -> SqliteStore {
    let path = dir.join("p.sqlite");
    let mut store = SqliteStore::create(&path).unwrap();
    let programme = safeground_demo::generate(30, 11, Utc::now().date_naive());
    for id in store.submit_batch("t", &programme.reports).unwrap() {
        store
            .approve_report("t", id, &ApproveOptions::default())
            .unwrap();
    }
    store
}

fn expected(store: &SqliteStore, source: Source) -> u64 {
    match source {
        Source::Hazards => store.items_of_kind(ItemKind::Hazard).unwrap().len() as u64,
        Source::Items(k) => store.items_of_kind(k).unwrap().len() as u64,
        Source::ReleasedAreas => {
            let mut n = 0;
            store
                .for_each_current(ItemKind::Activity, None, &mut |v| {
                    if let Record::Activity(a) = v.record {
                        n += a.released_areas.len() as u64;
                    }
                    Ok(Flow::Continue)
                })
                .unwrap();
            n
        }
    }
}

fn gdal() -> bool {
    let ok = Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("SAFEGROUND_REQUIRE_GDAL").is_err(),
            "SAFEGROUND_REQUIRE_GDAL is set but ogrinfo is missing"
        );
        eprintln!("skipped the GDAL checks: ogrinfo (Debian gdal-bin) is not installed");
    }
    ok
}

/// Features GDAL reads in a file (all layers, or one).
fn gdal_count(path: &std::path::Path, layer: Option<&str>) -> u64 {
    let mut cmd = Command::new("ogrinfo");
    // The first row of a sheet is its header (GDAL guesses otherwise when every cell is text).
    cmd.args([
        "-ro",
        "-al",
        "-geom=NO",
        "--config",
        "OGR_XLSX_HEADERS",
        "FORCE",
    ])
    .arg(path);
    if let Some(l) = layer {
        cmd.arg(l);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "ogrinfo failed on {}: {stderr}",
        path.display()
    );
    assert!(
        !stderr.contains("Warning") && !stderr.contains("ERROR"),
        "GDAL complained about {}: {stderr}",
        path.display()
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("OGRFeature("))
        .count() as u64
}

#[test]
fn every_collection_exports_in_every_format_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = programme(dir.path());
    let with_gdal = gdal();
    for c in COLLECTIONS.iter() {
        let n = expected(&store, c.source);
        assert!(n > 0, "{} is empty", c.id);
        for format in [Format::GeoJson, Format::Csv, Format::Kml] {
            let path = dir.path().join(format!("{}.{}", c.id, format.extension()));
            let mut file = std::fs::File::create(&path).unwrap();
            assert_eq!(
                export(&store, c, format, &mut file).unwrap(),
                n,
                "{} {format:?}",
                c.id
            );
            drop(file);
            let text = std::fs::read_to_string(&path).unwrap();
            match format {
                Format::GeoJson => {
                    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(v["features"].as_array().unwrap().len() as u64, n);
                }
                Format::Csv => {
                    let mut lines = text.lines();
                    assert!(lines.next().unwrap().starts_with("WKT,id,"));
                    assert!(lines.next().unwrap().starts_with("#geo+wkt,#meta+id,"));
                    assert_eq!(lines.count() as u64, n);
                }
                _ => assert_eq!(text.matches("<Placemark").count() as u64, n),
            }
            if with_gdal {
                // GDAL reads the HXL row of a CSV as one more record.
                let extra = u64::from(format == Format::Csv);
                assert_eq!(
                    gdal_count(&path, None),
                    n + extra,
                    "GDAL on {}",
                    path.display()
                );
            }
        }
    }
    let gpkg = dir.path().join("all.gpkg");
    let all: Vec<_> = COLLECTIONS.iter().collect();
    let counts = export_geopackage(&store, &all, &gpkg).unwrap();
    for (id, n) in &counts {
        let c = safeground_io::collection(id).unwrap();
        assert_eq!(*n, expected(&store, c.source));
        if with_gdal {
            assert_eq!(
                gdal_count(&gpkg, Some(&id.replace('-', "_"))),
                *n,
                "GDAL on the GeoPackage layer {id}"
            );
        }
    }
    // Zipped shapefiles (features with a geometry) and one workbook with a sheet each.
    for c in COLLECTIONS.iter() {
        let path = dir.path().join(format!("{}.shp.zip", c.id));
        let mut with_geometry = 0u64;
        for_each_feature(&store, c.source, None, &mut |f| {
            with_geometry += u64::from(f.geometry.is_some());
            Ok::<_, safeground_store::StoreError>(Flow::Continue)
        })
        .unwrap();
        assert_eq!(
            export_shapefile(&store, c, &path).unwrap(),
            with_geometry,
            "{}",
            c.id
        );
        if with_gdal {
            let vsi = std::path::PathBuf::from(format!("/vsizip/{}", path.display()));
            assert_eq!(
                gdal_count(&vsi, None),
                with_geometry,
                "GDAL on {}",
                path.display()
            );
        }
    }
    let xlsx = dir.path().join("all.xlsx");
    for (id, n) in export_xlsx(&store, &all, &xlsx).unwrap() {
        let c = safeground_io::collection(id).unwrap();
        assert_eq!(n, expected(&store, c.source));
        if with_gdal {
            assert_eq!(gdal_count(&xlsx, Some(id)), n, "GDAL on the sheet {id}");
        }
    }
    // An existing file is never overwritten, and a failed export leaves nothing behind.
    let err = export_geopackage(&store, &all, &gpkg).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert!(!dir.path().join("all.gpkg.partial").exists());
    assert!("mapinfo".parse::<Format>().is_err());
}

#[test]
fn exports_carry_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = programme(dir.path());
    let mut names = Vec::new();
    for v in store.items_of_kind(ItemKind::Victim).unwrap() {
        if let Some(p) = store
            .victim_personal_data("t", &v, safeground_store::AsOf::now())
            .unwrap()
        {
            names.push(p.full_name);
        }
    }
    assert!(!names.is_empty());
    for c in COLLECTIONS.iter() {
        let mut out = Vec::new();
        export(&store, c, Format::Csv, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        for n in &names {
            assert!(!text.contains(n.as_str()), "{n} in {}", c.id);
        }
    }
}
