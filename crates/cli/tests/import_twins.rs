//! `safeground import` decides twins by identity: EO finds at one place on other days are all
//! written; a find with the same date, type and place under another local id is held for review
//! (listed, exit code 3) and written with `--import-twins`; a rerun with other options (e.g.
//! `--repair`) plans again and writes only what was not written.

mod common;

use std::path::Path;

use common::{ok, s, safeground, square_feature, write_collection};

const MAPPING: &str = r#"
kind = "eo_find"
[fields]
local_id = "id"
category = "type"
quantity = { value = 1 }
found_date = { column = "found", type = "date" }
location = { geometry = "lonlat", lon = "lon", lat = "lat", required = true }
"#;

/// A CSV of EO finds as (id, type, found date) at one village centre.
fn finds(path: &Path, rows: &[(&str, &str, &str)]) {
    let mut csv = String::from("id,type,found,lon,lat\n");
    for (id, kind, found) in rows {
        csv.push_str(&format!("{id},{kind},{found},103.2,13.1\n"));
    }
    std::fs::write(path, csv).expect("write");
}

fn count(db: &Path, status: &str) -> usize {
    ok(&["reports", s(db), "--status", status]).lines().count()
}

#[test]
fn finds_at_one_place_on_other_days_are_all_written_and_a_true_twin_is_held() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let db = d.join("p.sqlite");
    let mapping = d.join("eo.toml");
    std::fs::write(&mapping, MAPPING).expect("write");
    ok(&["init", s(&db)]);
    // Finds at one village centre over 25 years: other events, all written.
    let first = d.join("finds.csv");
    finds(
        &first,
        &[
            ("E-1990", "ap_mine", "1990-02-01"),
            ("E-2015", "ap_mine", "2015-02-01"),
            ("E-2015-UXO", "uxo", "2015-02-01"),
            ("E-2016", "ap_mine", "2016-02-01"),
        ],
    );
    let out = safeground(&["import", s(&db), s(&first), "--mapping", s(&mapping)]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("imported 4 records"), "{stdout}");
    assert!(stdout.contains("not written 0"), "{stdout}");
    assert_eq!(count(&db, "submitted"), 4);

    // Another operator's log: the 2015 AP mine again under its own id (a suspected twin), a
    // find already imported (same id), and a new one.
    let second = d.join("operator.csv");
    finds(
        &second,
        &[
            ("OP-17", "ap_mine", "2015-02-01"),
            ("E-1990", "ap_mine", "1990-02-01"),
            ("OP-18", "ap_mine", "2020-05-01"),
        ],
    );
    let errors = d.join("errors.csv");
    let out = safeground(&[
        "import",
        s(&db),
        s(&second),
        "--mapping",
        s(&mapping),
        "--errors",
        s(&errors),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "twins held: {stdout}{stderr}");
    assert!(
        stdout.contains("imported 1 records")
            && stdout.contains(
                "not written 2: refused 0, held as suspected twins 1, already in the programme 1"
            )
            && stdout.contains("--import-twins"),
        "{stdout}"
    );
    assert!(
        stderr.contains("held: row 2 (OP-17): suspected twin of submitted report")
            && stderr.contains("(local id E-2015)")
            && stderr.contains("found date 2015-02-01, category ap_mine, place within 1 m"),
        "{stderr}"
    );
    let report = std::fs::read_to_string(&errors).expect("errors");
    let rows: Vec<&str> = report.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{report}");
    assert!(
        rows[0].starts_with("\"row 2\",\"OP-17\"") && rows[0].contains("suspected twin of"),
        "{report}"
    );
    assert!(
        rows[1].starts_with("\"row 3\",\"E-1990\"") && rows[1].contains("already in the programme"),
        "{report}"
    );
    assert_eq!(count(&db, "submitted"), 5);

    // Reviewed: another find after all. The same command with the flag writes it, and only it.
    let out = safeground(&[
        "import",
        s(&db),
        s(&second),
        "--mapping",
        s(&mapping),
        "--import-twins",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("imported 1 records")
            && stdout.contains("held as suspected twins 0, already in the programme 2"),
        "{stdout}"
    );
    assert_eq!(count(&db, "submitted"), 6);
    // The old name of the flag still works (nothing left to write).
    let out = ok(&[
        "import",
        s(&db),
        s(&second),
        "--mapping",
        s(&mapping),
        "--keep-duplicates",
    ]);
    assert!(out.contains("nothing to do"), "{out}");
}

#[test]
fn a_rerun_with_repair_writes_the_refused_records_and_nothing_twice() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let db = d.join("p.sqlite");
    let file = d.join("hazards.geojson");
    let bowtie = serde_json::json!({
        "type": "Feature",
        "properties": {"local_id": "BOWTIE"},
        "geometry": {"type": "Polygon", "coordinates": [[
            [103.20, 13.10], [103.21, 13.11], [103.21, 13.10], [103.20, 13.11], [103.20, 13.10]
        ]]}
    });
    write_collection(
        &file,
        vec![
            square_feature("GOOD-1", 103.30, 13.10, 100.0),
            bowtie,
            square_feature("GOOD-2", 103.35, 13.12, 250.0),
        ],
    );
    ok(&["init", s(&db)]);
    let import = |extra: &[&str]| {
        let mut args = vec!["import", s(&db), s(&file), "--date", "2024-01-15"];
        args.extend_from_slice(extra);
        safeground(&args)
    };
    let out = import(&[]);
    assert_eq!(out.status.code(), Some(2), "the bow tie is refused");
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 2 records"));
    assert_eq!(count(&db, "submitted"), 2);
    // The same command again: nothing left to do.
    let out = import(&[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to do"));
    // As the refusal advises, with --repair: planned again; only the bow tie is written.
    let out = import(&["--repair"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("imported 1 records")
            && stdout.contains("refused 0, held as suspected twins 0, already in the programme 2"),
        "{stdout}"
    );
    assert_eq!(count(&db, "submitted"), 3);
    // Twice with --repair: that run is done too; a batch size does not change the result.
    let out = import(&["--repair", "--batch-size", "1"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing to do"));
    assert_eq!(count(&db, "submitted"), 3);
}
