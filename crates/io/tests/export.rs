//! Exports of every collection, read back by our own parsers and, when installed, by GDAL
//! (`ogrinfo`) as an independent reader: same feature counts, no warnings.
#![allow(clippy::unwrap_used)]

use std::process::Command;

use chrono::Utc;
use safeground_io::PersonalData;
use safeground_io::{
    COLLECTIONS, Filter, Format, Source, export, export_geopackage, export_shapefile, export_xlsx,
    for_each_feature,
};
use safeground_model::{ItemKind, Record};
use safeground_store::{
    AccountStore, ApproveOptions, Flow, NewAccount, ProgrammeStore, Role, SqliteStore,
};

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
    let none = Filter::default();
    for c in COLLECTIONS.iter() {
        let n = expected(&store, c.source);
        assert!(n > 0, "{} is empty", c.id);
        for format in [Format::GeoJson, Format::Csv, Format::Kml] {
            let path = dir.path().join(format!("{}.{}", c.id, format.extension()));
            let mut file = std::fs::File::create(&path).unwrap();
            assert_eq!(
                export(&store, c, format, &none, None, &mut file).unwrap(),
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
    let counts = export_geopackage(&store, &all, &none, None, &gpkg).unwrap();
    for (id, n) in &counts {
        let Some(c) = safeground_io::collection(id) else {
            assert_eq!(*id, safeground_io::archive::TABLE, "the programme archive");
            if with_gdal {
                assert_eq!(gdal_count(&gpkg, Some(id)), *n, "GDAL on the archive");
            }
            continue;
        };
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
            export_shapefile(&store, c, &none, &path).unwrap(),
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
    for (id, n) in export_xlsx(&store, &all, &none, None, &xlsx).unwrap() {
        let c = safeground_io::collection(id).unwrap();
        assert_eq!(n, expected(&store, c.source));
        if with_gdal {
            assert_eq!(gdal_count(&xlsx, Some(id)), n, "GDAL on the sheet {id}");
        }
    }
    // An existing file is never overwritten, and a failed export leaves nothing behind.
    let err = export_geopackage(&store, &all, &none, None, &gpkg).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert!(!dir.path().join("all.gpkg.partial").exists());
    assert!("mapinfo".parse::<Format>().is_err());
}

/// Features of a GeoJSON export of `c` through `filter`.
fn geojson_ids(store: &SqliteStore, c: &safeground_io::Collection, filter: &Filter) -> Vec<String> {
    let mut out = Vec::new();
    let n = export(store, c, Format::GeoJson, filter, None, &mut out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let ids: Vec<String> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len() as u64, n);
    ids
}

#[test]
fn every_writer_keeps_only_the_filtered_features() {
    let dir = tempfile::tempdir().unwrap();
    let store = programme(dir.path());
    let hazards = safeground_io::collection("hazards").unwrap();
    let all = geojson_ids(&store, hazards, &Filter::default());
    // Property equality (ignoring case), a bounding box and a datetime interval.
    let mut cha = Filter::default();
    cha.add_where(hazards, "class=CHA").unwrap();
    let mut expected_cha = Vec::new();
    for_each_feature(&store, hazards.source, None, &mut |f| {
        if f.properties["class"] == "cha" {
            expected_cha.push(f.id);
        }
        Ok::<_, safeground_store::StoreError>(Flow::Continue)
    })
    .unwrap();
    assert!(!expected_cha.is_empty() && expected_cha.len() < all.len());
    assert_eq!(geojson_ids(&store, hazards, &cha), expected_cha);
    let first = store
        .hazard_state(&all[0], safeground_store::AsOf::now())
        .unwrap()
        .unwrap();
    let c = first.geometry.unwrap().0[0].exterior().0[0];
    let boxed = Filter {
        bbox: Some([c.x - 1e-4, c.y - 1e-4, c.x + 1e-4, c.y + 1e-4]),
        ..Filter::default()
    };
    let near = geojson_ids(&store, hazards, &boxed);
    assert!(near.contains(&all[0]) && near.len() < all.len(), "{near:?}");
    let dated = Filter {
        datetime: Some(Filter::parse_datetime(&format!("../{}", first.valid_from)).unwrap()),
        ..Filter::default()
    };
    let early = geojson_ids(&store, hazards, &dated);
    assert!(early.contains(&all[0]) && early.len() <= all.len());
    // Every other writer keeps the same features.
    let n = expected_cha.len() as u64;
    for format in [Format::Csv, Format::Kml] {
        let mut out = Vec::new();
        assert_eq!(
            export(&store, hazards, format, &cha, None, &mut out).unwrap(),
            n
        );
    }
    let shp = dir.path().join("cha.shp.zip");
    assert_eq!(export_shapefile(&store, hazards, &cha, &shp).unwrap(), n);
    let xlsx = dir.path().join("cha.xlsx");
    assert_eq!(
        export_xlsx(&store, &[hazards], &cha, None, &xlsx).unwrap(),
        [("hazards", n)]
    );
    // A filtered GeoPackage of every collection is not an archive.
    let gpkg = dir.path().join("cha.gpkg");
    let every: Vec<_> = COLLECTIONS.iter().collect();
    let counts = export_geopackage(&store, &every, &boxed, None, &gpkg).unwrap();
    assert_eq!(counts.len(), COLLECTIONS.len(), "{counts:?}");
    assert_eq!(counts[0], ("hazards", near.len() as u64));
    assert!(safeground_io::read_archive(&gpkg).unwrap().is_none());
    if gdal() {
        assert_eq!(gdal_count(&gpkg, Some("hazards")), near.len() as u64);
        assert_eq!(gdal_count(&xlsx, Some("hazards")), n);
    }
}

/// Every text a file holds: the cells of a GeoPackage, the members of a zip, or the file.
fn all_text(path: &std::path::Path) -> String {
    let name = path.to_string_lossy();
    if name.ends_with(".gpkg") {
        let conn = rusqlite::Connection::open(path).unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut text = String::new();
        for t in tables {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                for i in 0..n {
                    if let Ok(s) = row.get::<_, String>(i) {
                        text.push_str(&s);
                        text.push('\n');
                    }
                }
            }
        }
        return text;
    }
    if name.ends_with(".xlsx") || name.ends_with(".zip") {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut text = String::new();
        for i in 0..zip.len() {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut zip.by_index(i).unwrap(), &mut bytes).unwrap();
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
        return text;
    }
    std::fs::read_to_string(path).unwrap()
}

/// Victims' full names, read as the victim-assistance account.
fn victim_names(store: &mut SqliteStore) -> Vec<String> {
    let mut names = Vec::new();
    for v in store.items_of_kind(ItemKind::Victim).unwrap() {
        if let Some(p) = store
            .victim_personal_data("va", &v, safeground_store::AsOf::now())
            .unwrap()
        {
            names.push(p.full_name);
        }
    }
    assert!(!names.is_empty());
    names
}

fn accounts(store: &mut SqliteStore) {
    for (user, role, disabled) in [
        ("va", Role::VictimAssistance, false),
        ("va-gone", Role::VictimAssistance, true),
        ("admin", Role::Administrator, false),
    ] {
        store
            .add_account(
                "t",
                &NewAccount {
                    username: user.into(),
                    display_name: user.into(),
                    organisation: "ORG-CMAA".into(),
                    role,
                    password_hash: "not-a-hash".into(),
                },
            )
            .unwrap();
        if disabled {
            store.set_account_disabled("t", user, true).unwrap();
        }
    }
}

#[test]
fn exports_carry_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = programme(dir.path());
    let names = victim_names(&mut store);
    let none = Filter::default();
    let mut files = Vec::new();
    let victims = &safeground_io::VICTIMS;
    for c in COLLECTIONS.iter().chain([victims]) {
        for format in [Format::GeoJson, Format::Csv, Format::Kml] {
            let path = dir.path().join(format!("{}.{}", c.id, format.extension()));
            let mut file = std::fs::File::create(&path).unwrap();
            export(&store, c, format, &none, None, &mut file).unwrap();
            files.push(path);
        }
    }
    // Victims without personal data: outcome, sex, age, accident.
    let mut out = Vec::new();
    assert!(export(&store, victims, Format::GeoJson, &none, None, &mut out).unwrap() > 0);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let props = &v["features"][0]["properties"];
    assert!(
        props["outcome"].is_string() && props["accident"].is_string(),
        "{props}"
    );
    assert!(props.get("full_name").is_none(), "{props}");
    let every: Vec<_> = COLLECTIONS.iter().chain([victims]).collect();
    let archive = dir.path().join("all.gpkg");
    let counts = export_geopackage(&store, &every, &none, None, &archive).unwrap();
    assert!(counts.iter().any(|(id, n)| *id == "victims" && *n > 0));
    assert!(
        counts
            .iter()
            .any(|(id, _)| *id == safeground_io::archive::TABLE)
    );
    let xlsx = dir.path().join("all.xlsx");
    export_xlsx(&store, &every, &none, None, &xlsx).unwrap();
    files.extend([archive.clone(), xlsx]);
    for path in &files {
        let text = all_text(path);
        for n in &names {
            assert!(!text.contains(n.as_str()), "{n} in {}", path.display());
        }
    }
    let reports = safeground_io::read_archive(&archive).unwrap().unwrap();
    assert!(
        reports
            .iter()
            .flat_map(|r| &r.report.entries)
            .all(|e| e.personal_data.is_none())
    );
    // Victims have no geometry: no shapefile.
    let shp = dir.path().join("victims.shp.zip");
    assert!(export_shapefile(&store, victims, &none, &shp).is_err());
}

#[test]
fn personal_data_leave_only_for_a_victim_assistance_account() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = programme(dir.path());
    accounts(&mut store);
    let names = victim_names(&mut store);
    let none = Filter::default();
    let victims = &safeground_io::VICTIMS;
    for (user, format, why) in [
        ("nobody", Format::Xlsx, "no account"),
        ("va-gone", Format::Xlsx, "disabled"),
        ("admin", Format::Xlsx, "victim_assistance"),
        ("va", Format::Csv, "HXL exports never carry personal data"),
        ("va", Format::Kml, "not kml"),
    ] {
        let err = PersonalData::load(&mut store, user, format).unwrap_err();
        assert!(err.to_string().contains(why), "{user} {format:?}: {err}");
    }
    let refused = |store: &SqliteStore| {
        store
            .audit_log()
            .unwrap()
            .iter()
            .filter(|e| e.action == "export.personal_data")
            .count()
    };
    assert_eq!(refused(&store), 0, "refusals read nothing");
    let pd = PersonalData::load(&mut store, "va", Format::Xlsx).unwrap();
    assert_eq!(pd.username(), "va");
    let log = store.audit_log().unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "export.personal_data" && e.actor == "va")
    );
    // Only the victims (or the archive) carry them, never CSV.
    let hazards = safeground_io::collection("hazards").unwrap();
    let mut out = Vec::new();
    assert!(export(&store, hazards, Format::GeoJson, &none, Some(&pd), &mut out).is_err());
    assert!(export(&store, victims, Format::Csv, &none, Some(&pd), &mut out).is_err());
    let gpkg = dir.path().join("hazards.gpkg");
    assert!(export_geopackage(&store, &[hazards], &none, Some(&pd), &gpkg).is_err());
    // The allowed path: names in the victims export, as geojson, xlsx and gpkg.
    let geojson = dir.path().join("victims.geojson");
    let mut file = std::fs::File::create(&geojson).unwrap();
    export(
        &store,
        victims,
        Format::GeoJson,
        &none,
        Some(&pd),
        &mut file,
    )
    .unwrap();
    let xlsx = dir.path().join("victims.xlsx");
    export_xlsx(&store, &[victims], &none, Some(&pd), &xlsx).unwrap();
    let gpkg = dir.path().join("victims.gpkg");
    export_geopackage(&store, &[victims], &none, Some(&pd), &gpkg).unwrap();
    for path in [&geojson, &xlsx, &gpkg] {
        let text = all_text(path);
        for n in &names {
            assert!(text.contains(n.as_str()), "{n} not in {}", path.display());
        }
    }
    if gdal() {
        let n = store.items_of_kind(ItemKind::Victim).unwrap().len() as u64;
        assert_eq!(gdal_count(&gpkg, Some("victims")), n);
        assert_eq!(gdal_count(&xlsx, Some("victims")), n);
    }
}
