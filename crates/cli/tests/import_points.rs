//! Point records from spreadsheets with user-written mapping files (TOML and YAML): decimal
//! degrees, degrees-minutes-seconds, UTM and MGRS give the same positions; duplicates, strict
//! mode, a legacy migration, a file in Windows-1252 and a per-record error report.

mod common;

use std::path::Path;

use common::{ok, s, safeground};

/// Three EO finds near Battambang, as (id, lon, lat).
const FINDS: [(&str, f64, f64); 3] = [
    ("EO-A", 103.2, 13.1),
    ("EO-B", 103.215_5, 13.087_25),
    ("EO-C", 102.991_2, 12.904_4),
];

fn dms(x: f64, pos: char, neg: char) -> String {
    let h = if x < 0.0 { neg } else { pos };
    // Whole milliseconds of arc, then degrees, minutes and seconds.
    let ms = (x.abs() * 3_600_000.0).round() as u64;
    let (d, m, sec) = (
        ms / 3_600_000,
        ms / 60_000 % 60,
        (ms % 60_000) as f64 / 1000.0,
    );
    format!("{d}°{m:02}'{sec:06.3}\"{h}")
}

const DMS_MAPPING: &str = r#"
name = "eo-log-dms"
description = "Operator EO log with DMS coordinates"
kind = "eo_find"

[report]
date_of_information = { column = "Date found", type = "date", format = "%d/%m/%Y" }

[fields]
local_id = "Find ID"
category = { column = "Type", values = { "AP" = "ap_mine", "Cluster" = "submunition" } }
quantity = { column = "Qty", type = "integer" }
found_date = { column = "Date found", type = "date", format = "%d/%m/%Y" }
location = { geometry = "lonlat", lon = "Longitude", lat = "Latitude", required = true }
"#;

const UTM_MAPPING: &str = r#"
name: eo-log-utm
kind: eo_find
report:
  date_of_information: { column: found, type: date }
fields:
  local_id: id
  category: { value: uxo }
  quantity: { value: 1 }
  found_date: { column: found, type: date }
  location: { geometry: utm, zone: zone, easting: x, northing: y }
"#;

const MGRS_MAPPING: &str = r#"
kind = "eo_find"
[fields]
local_id = "id"
category = { value = "uxo" }
quantity = { value = 1 }
location = { geometry = "mgrs", column = "grid" }
"#;

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
}

/// The EO finds of a database as (id, lon, lat), from its GeoJSON export.
fn positions(db: &Path) -> Vec<(String, f64, f64)> {
    let text = ok(&[
        "export",
        s(db),
        "--collection",
        "eo-finds",
        "--format",
        "geojson",
        "--out",
        "-",
    ]);
    let fc: serde_json::Value = serde_json::from_str(&text).expect("geojson");
    let mut out: Vec<(String, f64, f64)> = fc["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| {
            let c = &f["geometry"]["coordinates"];
            (
                f["properties"]["local_id"].as_str().expect("id").to_owned(),
                c[0].as_f64().expect("x"),
                c[1].as_f64().expect("y"),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn dms_utm_and_mgrs_spreadsheets_give_the_same_positions() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    // DMS, with d/m/Y dates and coded types.
    let mut csv = String::from("Find ID,Type,Qty,Date found,Latitude,Longitude\n");
    for (i, (id, lon, lat)) in FINDS.iter().enumerate() {
        let kind = if i == 1 { "Cluster" } else { "AP" };
        csv.push_str(&format!(
            "{id},{kind},{},0{}/03/2024,\"{}\",\"{}\"\n",
            i + 1,
            i + 1,
            dms(*lat, 'N', 'S').replace('"', "\"\""),
            dms(*lon, 'E', 'W').replace('"', "\"\"")
        ));
    }
    write(&d.join("eo.csv"), &csv);
    write(&d.join("eo-dms.toml"), DMS_MAPPING);
    let db = d.join("p.sqlite");
    ok(&["init", s(&db)]);
    let out = ok(&[
        "import",
        s(&db),
        s(&d.join("eo.csv")),
        "--mapping",
        s(&d.join("eo-dms.toml")),
        "--approve-as-migration",
    ]);
    assert!(
        out.contains("imported 3 records as approved as migration"),
        "{out}"
    );
    let dms_positions = positions(&db);
    assert_eq!(dms_positions.len(), 3);
    for ((id, lon, lat), (got_id, x, y)) in FINDS.iter().zip(&dms_positions) {
        assert_eq!(id, got_id);
        // Seconds written with 3 decimals: 0.0005" ≈ 1.5 cm.
        assert!(
            (x - lon).abs() < 2e-7 && (y - lat).abs() < 2e-7,
            "{id}: {x} {y}"
        );
    }

    // UTM 48N (YAML mapping): zone, easting and northing computed here with the geo crate's
    // UTM, independently of the importer's parsing.
    let mut csv = String::from("id,found,zone,x,y\n");
    for (id, lon, lat) in FINDS {
        let u = safeground_geo::Utm::from_wgs84(geo_types::Point::new(lon, lat)).expect("utm");
        csv.push_str(&format!(
            "{id}-U,2024-03-05,{}N,{:.3},{:.3}\n",
            u.zone, u.easting, u.northing
        ));
    }
    write(&d.join("eo-utm.csv"), &csv);
    write(&d.join("eo-utm.yaml"), UTM_MAPPING);
    // Same places, other ids, another day and type: other finds, not twins of the DMS ones.
    let errors = d.join("errors.csv");
    let dry = ok(&[
        "import",
        s(&db),
        s(&d.join("eo-utm.csv")),
        "--mapping",
        s(&d.join("eo-utm.yaml")),
        "--approve-as-migration",
        "--dry-run",
        "--errors",
        s(&errors),
    ]);
    assert!(
        dry.contains("dry run: 3 records would be imported")
            && dry.contains("would not be written 0"),
        "{dry}"
    );
    let report = std::fs::read_to_string(&errors).expect("errors");
    assert_eq!(report.lines().count(), 1, "{report}");
    // In an empty database they import, at the same positions (UTM printed to the millimetre).
    let db2 = d.join("utm.sqlite");
    ok(&["init", s(&db2)]);
    ok(&[
        "import",
        s(&db2),
        s(&d.join("eo-utm.csv")),
        "--mapping",
        s(&d.join("eo-utm.yaml")),
        "--approve-as-migration",
    ]);
    for ((_, lon, lat), (_, x, y)) in FINDS.iter().zip(positions(&db2)) {
        assert!((x - lon).abs() < 1e-7 && (y - lat).abs() < 1e-7, "{x} {y}");
    }

    // MGRS at 1 m precision names the south-west corner of the metre square.
    let mut csv = String::from("id,grid\n");
    for (id, lon, lat) in FINDS {
        let m = safeground_geo::Mgrs::from_wgs84(geo_types::Point::new(lon, lat), 5).expect("mgrs");
        csv.push_str(&format!("{id}-M,{m}\n"));
    }
    write(&d.join("eo-mgrs.csv"), &csv);
    write(&d.join("eo-mgrs.toml"), MGRS_MAPPING);
    let db3 = d.join("mgrs.sqlite");
    ok(&["init", s(&db3)]);
    ok(&[
        "import",
        s(&db3),
        s(&d.join("eo-mgrs.csv")),
        "--mapping",
        s(&d.join("eo-mgrs.toml")),
        "--approve-as-migration",
        "--date",
        "2024-03-05",
    ]);
    for ((_, lon, lat), (_, x, y)) in FINDS.iter().zip(positions(&db3)) {
        assert!((x - lon).abs() < 2e-5 && (y - lat).abs() < 2e-5, "{x} {y}");
    }
}

#[test]
fn bad_rows_are_named_and_strict_mode_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    write(&d.join("eo-dms.toml"), DMS_MAPPING);
    let csv = "Find ID,Type,Qty,Date found,Latitude,Longitude\n\
               OK-1,AP,1,01/03/2024,13.1,103.2\n\
               BAD-DATE,AP,1,31/02/2024,13.1,103.3\n\
               BAD-TYPE,Dragon,1,01/03/2024,13.1,103.4\n\
               NO-LAT,AP,1,01/03/2024,,103.5\n\
               SWAPPED,AP,1,01/03/2024,103.6,13.1\n\
               OK-2,AP,2,02/03/2024,13.2,103.2\n";
    write(&d.join("eo.csv"), csv);
    let db = d.join("p.sqlite");
    ok(&["init", s(&db)]);
    let mapping = d.join("eo-dms.toml");
    let strict = safeground(&[
        "import",
        s(&db),
        s(&d.join("eo.csv")),
        "--mapping",
        s(&mapping),
        "--strict",
    ]);
    assert!(!strict.status.success());
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(
        err.contains("--strict") && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(
        ok(&["reports", s(&db), "--status", "submitted"])
            .lines()
            .count(),
        0
    );

    let errors = d.join("errors.csv");
    let out = safeground(&[
        "import",
        s(&db),
        s(&d.join("eo.csv")),
        "--mapping",
        s(&mapping),
        "--errors",
        s(&errors),
    ]);
    assert_eq!(out.status.code(), Some(2), "refusals give exit code 2");
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 2 records"));
    let report = std::fs::read_to_string(&errors).expect("errors");
    let rows: Vec<&str> = report.lines().skip(1).collect();
    let expect = [
        (
            "\"row 3\",\"BAD-DATE\",\"found_date\",\"Date found\"",
            "not a date",
        ),
        ("\"row 4\",\"BAD-TYPE\",\"category\",\"Type\"", "Dragon"),
        ("\"row 5\",\"NO-LAT\",\"location\",\"Latitude\"", "missing"),
        ("\"row 6\",\"SWAPPED\",\"location\",\"Latitude\"", "outside"),
    ];
    assert_eq!(rows.len(), expect.len(), "{report}");
    for (row, (start, reason)) in rows.iter().zip(expect) {
        assert!(row.starts_with(start) && row.contains(reason), "{row}");
    }
    assert_eq!(
        ok(&["reports", s(&db), "--status", "submitted"])
            .lines()
            .count(),
        2
    );
}

#[test]
fn a_windows_1252_file_needs_its_encoding_named() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let mapping = r#"
kind = "hazard"
title = "NTS {village}"
[fields]
local_id = "id"
name = "village"
class = { value = "sha" }
status = { value = "open" }
geometry = { geometry = "wkt", column = "wkt", required = true }
"#;
    write(&d.join("h.toml"), mapping);
    // "Kâmpóng Préah" in Windows-1252: â = 0xE2, ó = 0xF3, é = 0xE9.
    let bytes = b"id,village,wkt\nH-1,K\xe2mp\xf3ng Pr\xe9ah,\"POLYGON((103.2 13.1,103.21 13.1,103.21 13.11,103.2 13.1))\"\n".to_vec();
    std::fs::write(d.join("h.csv"), bytes).expect("write");
    let db = d.join("p.sqlite");
    ok(&["init", s(&db)]);
    let refused = safeground(&[
        "import",
        s(&db),
        s(&d.join("h.csv")),
        "--mapping",
        s(&d.join("h.toml")),
    ]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("--encoding"), "{err}");
    ok(&[
        "import",
        s(&db),
        s(&d.join("h.csv")),
        "--mapping",
        s(&d.join("h.toml")),
        "--encoding",
        "windows-1252",
        "--approve-as-migration",
        "--date",
        "2024-01-01",
    ]);
    let text = ok(&["reports", s(&db), "--status", "approved"]);
    assert!(text.contains("NTS Kâmpóng Préah"), "{text}");
}

#[test]
fn ready_forms_and_a_kobo_export_through_the_command_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let listed = ok(&["mappings"]);
    for name in [
        "imsma-ng-hazard",
        "imsma-ng-hazard-reduction",
        "xlsform-accident",
        "xlsform-risk-education",
    ] {
        assert!(listed.contains(name), "{listed}");
    }
    let written = ok(&["forms", s(&d.join("forms"))]);
    assert_eq!(written.lines().count(), 5, "{written}");
    for line in written.lines() {
        let bytes = std::fs::read(line).expect("form written");
        assert!(bytes.starts_with(b"PK"), "{line} is not an xlsx (zip)");
    }
    // A KoboToolbox JSON export of the accident form: accidents with their victims, the
    // victims' personal data kept apart; the bad submissions are named.
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures/kobo_accident.json");
    let db = d.join("p.sqlite");
    ok(&["init", s(&db)]);
    let errors = d.join("errors.csv");
    let out = safeground(&[
        "import",
        s(&db),
        s(&fixture),
        "--mapping",
        "xlsform-accident",
        "--errors",
        s(&errors),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("as submitted reports with mapping xlsform-accident"),
        "{stdout}"
    );
    let report = std::fs::read_to_string(&errors).expect("errors");
    assert!(
        report
            .lines()
            .skip(1)
            .all(|l| l.starts_with("\"submission ")),
        "{report}"
    );
    let queue = ok(&["reports", s(&db), "--status", "submitted"]);
    assert!(queue.lines().count() >= 2, "{queue}");
    // Re-running the same file finds nothing left to do (its checkpoint is at the end).
    let again = ok(&[
        "import",
        s(&db),
        s(&fixture),
        "--mapping",
        "xlsform-accident",
    ]);
    assert!(again.contains("already imported"), "{again}");
}
