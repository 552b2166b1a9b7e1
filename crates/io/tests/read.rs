//! `read_source` on every source format, from small files made here (and a KoboToolbox JSON
//! export in `fixtures/`): labels, values, coordinates after reprojection, repeat nesting, and
//! malformed files refused with a message or, record by record, set aside.
#![allow(clippy::unwrap_used)]

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::path::{Path, PathBuf};

use safeground_io::{
    IoError, ReadOptions, Reprojection, SourceRecord, SourceRecords, open_source, read_source,
};
use serde_json::{Value, json};

use fixtures::UTM48;

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn read(path: &Path) -> Vec<SourceRecord> {
    read_with(path, &ReadOptions::default())
}

fn read_with(path: &Path, options: &ReadOptions) -> Vec<SourceRecord> {
    read_source(path, options).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The message of a whole-file refusal.
fn refusal(path: &Path, options: &ReadOptions) -> String {
    match read_source(path, options) {
        Err(IoError::Usage(m)) => m,
        other => panic!("{}: expected a usage error, got {other:?}", path.display()),
    }
}

fn labels(records: &[SourceRecord]) -> Vec<&str> {
    records.iter().map(|r| r.label.as_str()).collect()
}

fn ok(r: &SourceRecord) -> &Value {
    r.feature
        .as_ref()
        .unwrap_or_else(|e| panic!("{}: {e}", r.label))
}

fn layer(name: &str) -> ReadOptions {
    ReadOptions {
        layer: Some(name.into()),
        ..Default::default()
    }
}

fn encoding(label: &str) -> ReadOptions {
    ReadOptions {
        encoding: Some(label.into()),
        ..Default::default()
    }
}

fn assert_near(position: &Value, lon: f64, lat: f64, tolerance: f64) {
    let (x, y) = (position[0].as_f64().unwrap(), position[1].as_f64().unwrap());
    assert!(
        (x - lon).abs() <= tolerance && (y - lat).abs() <= tolerance,
        "({x}, {y}) is not ({lon}, {lat}) ± {tolerance}"
    );
}

/// Cuts a file's bytes in half.
fn truncated(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    write(dir, name, &bytes[..bytes.len() / 2])
}

#[test]
fn geojson_mixed_geometries_and_bad_features() {
    let dir = tempfile::tempdir().unwrap();
    let records = read(&write(dir.path(), "h.GEOJSON", fixtures::geojson()));
    assert_eq!(records.len(), 6);
    assert_eq!(labels(&records)[..2], ["feature 1", "feature 2"]);
    let types: Vec<&str> = records[..3]
        .iter()
        .map(|r| ok(r)["geometry"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["Polygon", "Point", "LineString"]);
    assert_eq!(ok(&records[0])["id"], "h1");
    assert_eq!(ok(&records[0])["properties"]["area"], 1200.5);
    assert_eq!(ok(&records[2])["properties"], json!({}));
    // Huge coordinates pass through: the importer judges them.
    assert_eq!(ok(&records[3])["geometry"]["coordinates"][0], 1e308);
    assert!(ok(&records[4])["geometry"].is_null());
    assert!(records[5].feature.as_ref().unwrap_err().contains("Feature"));
}

#[test]
fn geojson_with_a_legacy_crs_is_reprojected() {
    let dir = tempfile::tempdir().unwrap();
    let (lon, lat, e, n) = UTM48[0];
    let fc = json!({"type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}},
        "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [e, n]}}]});
    let records = read(&write(dir.path(), "u.geojson", fc.to_string()));
    assert_near(&ok(&records[0])["geometry"]["coordinates"], lon, lat, 1e-8);
    let bad = json!({"type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}}, "features": []});
    let m = refusal(
        &write(dir.path(), "b.geojson", bad.to_string()),
        &ReadOptions::default(),
    );
    assert!(m.contains("ogr2ogr -t_srs EPSG:4326"), "{m}");
}

#[test]
fn truncated_or_foreign_json_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let m = refusal(
        &truncated(dir.path(), "t.geojson", &fixtures::geojson()),
        &ReadOptions::default(),
    );
    assert!(
        m.contains("not valid JSON") && m.contains("complete"),
        "{m}"
    );
    let m = refusal(
        &write(dir.path(), "o.geojson", r#"{"type": "Topology"}"#),
        &ReadOptions::default(),
    );
    assert!(m.contains("FeatureCollection"), "{m}");
    let m = refusal(
        &write(dir.path(), "o.json", r#"{"type": "Topology"}"#),
        &ReadOptions::default(),
    );
    assert!(m.contains("submission export"), "{m}");
    let m = refusal(&write(dir.path(), "x.txt", "a,b"), &ReadOptions::default());
    assert!(m.contains("unknown format"), "{m}");
    let m = refusal(&dir.path().join("missing.csv"), &ReadOptions::default());
    assert!(m.contains("cannot read"), "{m}");
}

#[test]
fn kobo_json_submissions() {
    let dir = tempfile::tempdir().unwrap();
    let records = read(&write(dir.path(), "kobo.json", fixtures::kobo_json()));
    assert_eq!(
        labels(&records),
        [
            "submission 1 (5e0a7c2e-8f4b-4b8e-9a51-0c1d2e3f4a5b)",
            "submission 2 (uuid:7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d)",
            "submission 3"
        ]
    );
    let f = ok(&records[0]);
    assert!(f["geometry"].is_null());
    let p = &f["properties"];
    assert_eq!(p["group_loc/village"], "Kâmpóng Chhnang");
    assert_eq!(p["group_loc/gps"], "12.2501 104.6672 12.0 4.5");
    assert_eq!(p["_geolocation"], json!([12.2501, 104.6672]));
    let finds = p["group_hazard/finds"].as_array().unwrap();
    assert_eq!(finds.len(), 2);
    assert_eq!(finds[1]["group_hazard/finds/item"], "UXO");
    assert!(records[2].feature.is_err());
}

#[test]
fn odk_json_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let odata = json!({"@odata.context": "x", "value": [
        {"__id": "uuid:c3", "meta": {"instanceID": "uuid:c3"}, "loc": {"village": "Takeo"}}
    ]});
    let records = read(&write(dir.path(), "odata.json", odata.to_string()));
    assert_eq!(labels(&records), ["submission 1 (uuid:c3)"]);
    assert_eq!(ok(&records[0])["properties"]["loc"]["village"], "Takeo");
    let array = json!([{"meta": {"instanceID": "uuid:d4"}}, {"a": 1}]);
    let records = read(&write(dir.path(), "array.json", array.to_string()));
    assert_eq!(labels(&records), ["submission 1 (uuid:d4)", "submission 2"]);
}

#[test]
fn kml_placemarks_folders_and_geometries() {
    let dir = tempfile::tempdir().unwrap();
    let records = read(&write(dir.path(), "s.kml", fixtures::kml()));
    assert_eq!(
        labels(&records),
        [
            "placemark 1 (CHA-1)",
            "placemark 2 (CHA-2 & spot)",
            "placemark 3",
            "placemark 4 (bad)",
            "placemark 5 (Road)"
        ]
    );
    let cha1 = ok(&records[0]);
    let p = &cha1["properties"];
    assert_eq!(p["folder"], "Hazards");
    assert_eq!(p["status"], "active");
    assert_eq!(p["area_m2"], "1200");
    assert_eq!(p["description"], "<b>Minefield</b> near road");
    let rings = cha1["geometry"]["coordinates"].as_array().unwrap();
    assert_eq!(rings.len(), 2, "outer ring and hole");
    assert_eq!(rings[0][1], json!([103.1, 13.0]), "heights dropped");
    let multi = &ok(&records[1])["geometry"];
    assert_eq!(multi["type"], "GeometryCollection");
    assert_eq!(multi["geometries"][0]["coordinates"], json!([103.2, 13.1]));
    assert_eq!(multi["geometries"][1]["type"], "Polygon");
    assert_eq!(ok(&records[2])["properties"]["folder"], "EO");
    assert!(ok(&records[2])["properties"]["name"].is_null());
    let e = records[3].feature.as_ref().unwrap_err();
    assert!(e.contains("105.9;20.9"), "{e}");
    let road = ok(&records[4]);
    assert!(road["properties"]["folder"].is_null());
    assert_eq!(road["geometry"]["type"], "LineString");

    let eo = read_with(&dir.path().join("s.kml"), &layer("EO"));
    assert_eq!(labels(&eo), ["placemark 3", "placemark 4 (bad)"]);
    let m = refusal(&dir.path().join("s.kml"), &layer("Nope"));
    assert!(m.contains("Hazards, EO"), "{m}");
}

#[test]
fn kml_latin1_declared_and_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let (text, _, _) = encoding_rs::WINDOWS_1252.encode(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><kml><Placemark><name>Kâmpóng</name>\
         <Point><coordinates>1,2</coordinates></Point></Placemark></kml>",
    );
    let records = read(&write(dir.path(), "l.kml", &text));
    assert_eq!(ok(&records[0])["properties"]["name"], "Kâmpóng");
    let kml = fixtures::kml();
    let m = refusal(
        &truncated(dir.path(), "t.kml", kml.as_bytes()),
        &ReadOptions::default(),
    );
    assert!(m.contains("not well-formed KML"), "{m}");
}

#[test]
fn kmz_reads_its_kml() {
    let dir = tempfile::tempdir().unwrap();
    let kml = fixtures::kml();
    let kmz = fixtures::zip(&[("files/icon.png", b"png"), ("doc.kml", kml.as_bytes())]);
    let records = read(&write(dir.path(), "s.kmz", &kmz));
    assert_eq!(records.len(), 5);
    assert_eq!(ok(&records[0])["properties"]["folder"], "Hazards");
    let m = refusal(
        &truncated(dir.path(), "t.kmz", &kmz),
        &ReadOptions::default(),
    );
    assert!(m.contains("zip"), "{m}");
    let empty = fixtures::zip(&[("readme.txt", b"hi")]);
    let m = refusal(&write(dir.path(), "e.kmz", empty), &ReadOptions::default());
    assert!(m.contains("no .kml"), "{m}");
}

#[test]
fn csv_rows_cells_and_field_counts() {
    let dir = tempfile::tempdir().unwrap();
    let records = read(&write(dir.path(), "p.csv", fixtures::csv()));
    assert_eq!(labels(&records), ["row 2", "row 3", "row 4", "row 5"]);
    let p = &ok(&records[0])["properties"];
    assert_eq!(p["id"], "1", "BOM stripped from the first column name");
    assert_eq!(p["village"], "Kâmpóng Chhnang");
    assert_eq!(p["note"], "two\nlines");
    assert!(ok(&records[0])["geometry"].is_null());
    let p = &ok(&records[1])["properties"];
    assert!(p["easting"].is_null());
    assert_eq!(p["northing"], "1e308");
    assert_eq!(p["note"], "NaN");
    assert_eq!(
        records[2].feature.as_ref().unwrap_err(),
        "row 4 has 3 fields, the header has 5"
    );
    assert_eq!(ok(&records[3])["properties"]["village"], "Battambang");

    // Excel in French and other locales separates with semicolons.
    let records = read(&write(dir.path(), "s.csv", "a;b\n1,5;2\n"));
    assert_eq!(ok(&records[0])["properties"], json!({"a": "1,5", "b": "2"}));

    // A trailing comma after the header (GDAL, Excel) names no column.
    let records = read(&write(dir.path(), "t.csv", "a,b,\n1,2\n3,4,\n5,6,7\n"));
    assert_eq!(ok(&records[0])["properties"], json!({"a": "1", "b": "2"}));
    assert_eq!(ok(&records[1])["properties"], json!({"a": "3", "b": "4"}));
    assert_eq!(
        records[2].feature.as_ref().unwrap_err(),
        "row 4 has 3 fields, the header has 2"
    );
}

#[test]
fn csv_encodings() {
    let dir = tempfile::tempdir().unwrap();
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode("id,village\n1,Pursat\n2,Kâmpóng\n");
    let path = write(dir.path(), "l.csv", &latin);
    let m = refusal(&path, &ReadOptions::default());
    assert!(
        m.contains("line 3") && m.contains("--encoding windows-1252"),
        "{m}"
    );
    let records = read_with(&path, &encoding("windows-1252"));
    assert_eq!(ok(&records[1])["properties"]["village"], "Kâmpóng");
    let m = refusal(&path, &encoding("klingon"));
    assert!(m.contains("unknown encoding `klingon`"), "{m}");
    let mut utf16 = vec![0xff, 0xfe];
    for unit in "id,village\n1,Kâmpóng\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let records = read(&write(dir.path(), "u.csv", utf16));
    assert_eq!(ok(&records[0])["properties"]["village"], "Kâmpóng");
}

#[test]
fn csv_without_header_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("e.csv", ""), ("n.csv", "\n\n"), ("c.csv", ",,\n1,2,3\n")] {
        let m = refusal(&write(dir.path(), name, text), &ReadOptions::default());
        assert!(m.contains("no header row"), "{m}");
    }
    let m = refusal(
        &write(dir.path(), "d.csv", "a,b,a\n1,2,3\n"),
        &ReadOptions::default(),
    );
    assert!(m.contains("`a` twice"), "{m}");
}

#[test]
fn xlsx_kobo_export_with_nested_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "kobo.xlsx", fixtures::kobo_xlsx());
    let records = read(&path);
    assert_eq!(labels(&records), ["row 2", "row 4"], "empty row 3 skipped");
    let p = &ok(&records[0])["properties"];
    assert_eq!(p["start"], "2024-03-01T10:22:00");
    assert_eq!(p["today"], "2024-03-01");
    assert_eq!(p["village"], "Kâmpóng");
    assert_eq!(p["count"], json!(3));
    assert_eq!(p["area"], json!(1200.5));
    assert_eq!(p["verified"], true);
    let finds = p["finds"].as_array().unwrap();
    assert_eq!(finds.len(), 2);
    assert_eq!(finds[0]["item"], "PMN-2");
    assert_eq!(finds[1]["photos"][0]["photo"], "p1.jpg");
    let p = &ok(&records[1])["properties"];
    assert!(p["start"].is_null());
    assert_eq!(p["finds"][0]["item"], "AT");

    let finds = read_with(&path, &layer("finds"));
    assert_eq!(labels(&finds), ["row 2", "row 3", "row 4"]);
    assert_eq!(ok(&finds[1])["properties"]["photos"][0]["photo"], "p1.jpg");
    let m = refusal(&path, &layer("Sheet9"));
    assert!(m.contains("Hazard survey, finds, photos"), "{m}");
    let m = refusal(
        &truncated(dir.path(), "t.xlsx", &fixtures::kobo_xlsx()),
        &ReadOptions::default(),
    );
    assert!(m.contains("not a readable XLSX"), "{m}");
}

#[test]
fn odk_central_zip_with_nested_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let zip = fixtures::odk_zip();
    let records = read(&write(dir.path(), "odk.ZIP", &zip));
    assert_eq!(
        labels(&records),
        [
            "submission 1 (uuid:a1)",
            "submission 2 (uuid:b2)",
            "1 repeat rows"
        ]
    );
    let p = &ok(&records[0])["properties"];
    assert_eq!(p["gps-Latitude"], "12.5");
    let finds = p["finds"].as_array().unwrap();
    assert_eq!(finds.len(), 2);
    assert_eq!(finds[0]["item"], "PMN-2");
    assert!(finds[1]["depth"].is_null());
    assert_eq!(finds[0]["photos"][0]["photo"], "p1.jpg");
    assert_eq!(ok(&records[1])["properties"]["finds"][0]["item"], "AT mine");
    assert!(
        records[2]
            .feature
            .as_ref()
            .unwrap_err()
            .contains("PARENT_KEY")
    );
    let m = refusal(
        &truncated(dir.path(), "t.zip", &zip),
        &ReadOptions::default(),
    );
    assert!(m.contains("not a readable zip"), "{m}");
    let m = refusal(
        &write(dir.path(), "n.zip", fixtures::zip(&[("a.txt", b"x")])),
        &ReadOptions::default(),
    );
    assert!(m.contains("neither a shapefile"), "{m}");
}

#[test]
fn geopackage_in_utm_is_reprojected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("u.gpkg");
    fixtures::gpkg(&path, 32648, None);
    let records = read(&path);
    assert_eq!(labels(&records), ["feature 1", "feature 2", "feature 3"]);
    let (lon, lat, _, _) = UTM48[0];
    let polygon = ok(&records[0]);
    assert_eq!(polygon["properties"]["name"], "H1");
    assert_near(&polygon["geometry"]["coordinates"][0][0], lon, lat, 1e-8);
    let (lon, lat, _, _) = UTM48[1];
    assert_near(&ok(&records[1])["geometry"]["coordinates"], lon, lat, 1e-8);
    assert!(
        records[2]
            .feature
            .as_ref()
            .unwrap_err()
            .contains("geometry")
    );

    let visits = read_with(&path, &layer("visits"));
    assert_eq!(ok(&visits[0])["properties"]["hazard"], "H1");
    assert!(ok(&visits[0])["geometry"].is_null());
    let m = refusal(&path, &layer("nope"));
    assert!(m.contains("hazards, visits"), "{m}");
    let m = refusal(
        &truncated(dir.path(), "t.gpkg", &std::fs::read(&path).unwrap()),
        &ReadOptions::default(),
    );
    assert!(m.contains("GeoPackage"), "{m}");
}

#[test]
fn geopackage_with_a_wkt_definition() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("i.gpkg");
    fixtures::gpkg(&path, 100_001, Some(fixtures::PRJ_INDIAN_1960));
    let records = read(&path);
    let (_, _, e, n) = UTM48[1];
    let (lon, lat) = Reprojection::from_epsg(3148)
        .unwrap()
        .to_wgs84(e, n)
        .unwrap();
    assert_near(&ok(&records[1])["geometry"]["coordinates"], lon, lat, 1e-9);
    let path = dir.path().join("x.gpkg");
    fixtures::gpkg(&path, 100_002, Some(fixtures::PRJ_UNKNOWN));
    let m = refusal(&path, &ReadOptions::default());
    assert!(
        m.contains("Hotine") && m.contains("ogr2ogr -t_srs EPSG:4326"),
        "{m}"
    );
}

#[test]
fn shapefiles_in_utm_and_indian_1960() {
    let dir = tempfile::tempdir().unwrap();
    fixtures::shapefile(dir.path(), "utm", Some(fixtures::PRJ_UTM48), false);
    let records = read(&dir.path().join("utm.shp"));
    assert_eq!(labels(&records), ["feature 1", "feature 2"]);
    for (r, (lon, lat, _, _)) in records.iter().zip(UTM48) {
        assert_near(&ok(r)["geometry"]["coordinates"], lon, lat, 1e-8);
    }
    assert_eq!(ok(&records[0])["properties"]["village"], "Kâmpóng");

    let zipped = fixtures::zipped_shapefile(dir.path(), "utm");
    let records = read(&write(dir.path(), "utm.zip", &zipped));
    assert_near(
        &ok(&records[1])["geometry"]["coordinates"],
        UTM48[1].0,
        UTM48[1].1,
        1e-8,
    );
    let m = refusal(
        &truncated(dir.path(), "t.zip", &zipped),
        &ReadOptions::default(),
    );
    assert!(m.contains("not a readable zip"), "{m}");

    fixtures::shapefile(dir.path(), "indian", Some(fixtures::PRJ_INDIAN_1960), true);
    let records = read(&dir.path().join("indian.shp"));
    let r = Reprojection::from_epsg(3148).unwrap();
    for (rec, (_, _, e, n)) in records.iter().zip(UTM48) {
        let (lon, lat) = r.to_wgs84(e, n).unwrap();
        assert_near(&ok(rec)["geometry"]["coordinates"], lon, lat, 1e-9);
    }
    assert_eq!(
        ok(&records[0])["properties"]["village"],
        "Kâmpóng",
        ".cpg 1252 honoured"
    );
}

#[test]
fn shapefiles_without_a_usable_prj_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    fixtures::shapefile(dir.path(), "none", None, false);
    let m = refusal(&dir.path().join("none.shp"), &ReadOptions::default());
    assert!(
        m.contains("no .prj") && m.contains("ogr2ogr -t_srs EPSG:4326"),
        "{m}"
    );
    fixtures::shapefile(dir.path(), "odd", Some(fixtures::PRJ_UNKNOWN), false);
    let m = refusal(&dir.path().join("odd.shp"), &ReadOptions::default());
    assert!(
        m.contains("Hotine") && m.contains("ogr2ogr -t_srs EPSG:4326"),
        "{m}"
    );
    let m = refusal(
        &write(dir.path(), "cut.shp", b"\x00\x00\x27\x0a"),
        &ReadOptions::default(),
    );
    assert!(m.contains("no .prj"), "{m}");
}

/// Found by the fuzzer: a column name that is not UTF-8 in a damaged GeoPackage (rusqlite's
/// `column_names` panics on it).
#[test]
fn geopackage_with_a_column_name_that_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.gpkg");
    fixtures::gpkg(&path, 4326, None);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("ALTER TABLE hazards ADD COLUMN zzcolzz TEXT")
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.windows(7).position(|w| w == b"zzcolzz").unwrap();
    bytes[at + 4] = 0xff;
    std::fs::write(&path, bytes).unwrap();
    let records = read(&path);
    let p = &ok(&records[0])["properties"];
    assert_eq!(p["name"], "H1");
    assert!(p.get("zzco\u{fffd}zz").is_some(), "{p}");
}

/// Found by the fuzzer: calamine overflows on an absurd cell reference in a damaged sheet (and,
/// where overflow wraps, its dense `Range` would allocate hundreds of gigabytes).
#[test]
fn xlsx_with_an_absurd_cell_reference_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = zip::ZipArchive::new(std::io::Cursor::new(fixtures::kobo_xlsx())).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..book.len() {
        let mut entry = book.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(bytes).unwrap();
            bytes = text.replace("r=\"A2\"", "r=\"AAAAAAAAAAAA2\"").into_bytes();
        }
        files.push((name, bytes));
    }
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), &b[..])).collect();
    let path = write(dir.path(), "a.xlsx", fixtures::zip(&refs));
    // Debug builds catch calamine's overflow; release builds see a cell past column XFD.
    let m = refusal(&path, &ReadOptions::default());
    assert!(m.contains("check that the file is complete"), "{m}");
}

/// A cell in Excel's last column and row does not make the reader allocate the whole sheet.
#[test]
fn xlsx_with_a_far_away_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "a").unwrap();
    sheet.write_string(1, 0, "1").unwrap();
    sheet.write_string(1_048_575, 16_383, "far").unwrap();
    let path = write(dir.path(), "far.xlsx", book.save_to_buffer().unwrap());
    let records = read(&path);
    assert_eq!(labels(&records), ["row 2", "row 1048576"]);
    assert_eq!(
        ok(&records[1])["properties"],
        json!({"a": null, "column 16384": "far"})
    );
}

/// `open_source` walks a GeoPackage layer from any record on, with the labels and values
/// `read_source` gives, and stops when told to; other formats come read whole.
#[test]
fn geopackage_layers_are_walked_from_any_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.gpkg");
    fixtures::gpkg(&path, 32648, None);
    let whole = read(&path);
    let source = open_source(&path, &ReadOptions::default()).unwrap();
    assert!(matches!(source, SourceRecords::GeoPackage(_)));
    assert_eq!(source.len(), 3);
    let walk = |start: usize, stop_after: usize| {
        let mut seen = Vec::new();
        source
            .each(start, &mut |i, r| {
                seen.push((i, r.label.clone(), r.feature.clone()));
                seen.len() < stop_after
            })
            .unwrap();
        seen
    };
    let all = walk(0, usize::MAX);
    assert_eq!(all.len(), 3);
    for ((i, label, feature), r) in all.iter().zip(&whole) {
        assert_eq!(label, &r.label, "record {i}");
        assert_eq!(feature, &r.feature, "record {i}");
    }
    let rest = walk(1, usize::MAX);
    assert_eq!(
        rest.iter()
            .map(|(i, l, _)| (*i, l.as_str()))
            .collect::<Vec<_>>(),
        vec![(1, "feature 2"), (2, "feature 3")]
    );
    assert_eq!(walk(0, 1).len(), 1);
    assert!(walk(3, usize::MAX).is_empty());
    // A layer that does not exist is refused when opened, before any record is walked.
    let missing = open_source(
        &path,
        &ReadOptions {
            layer: Some("nope".into()),
            ..ReadOptions::default()
        },
    );
    assert!(matches!(missing, Err(IoError::Usage(m)) if m.contains("no layer `nope`")));
    // Other formats are read whole.
    let csv = write(dir.path(), "r.csv", "id,name\n1,a\n2,b\n");
    let source = open_source(&csv, &ReadOptions::default()).unwrap();
    assert!(matches!(&source, SourceRecords::Read(r) if r.len() == 2));
}
