//! `safeground import`: a GeoJSON file mixing good and bad features.

mod common;
use common::{ok, postgres_url, s, safeground, square_feature, write_collection};
use safeground_store::postgres::testing::ScratchDatabase;

fn mixed_file(path: &std::path::Path) {
    let bowtie = serde_json::json!({
        "type": "Feature",
        "properties": {"local_id": "BOWTIE"},
        "geometry": {"type": "Polygon", "coordinates": [[
            [103.20, 13.10], [103.21, 13.11], [103.21, 13.10], [103.20, 13.11], [103.20, 13.10]
        ]]}
    });
    let null_geometry = serde_json::json!({
        "type": "Feature", "properties": {"local_id": "NULL-GEOM"}, "geometry": null
    });
    let swapped = serde_json::json!({
        "type": "Feature",
        "properties": {"local_id": "SWAPPED"},
        "geometry": {"type": "Polygon", "coordinates": [[
            [13.10, 103.20], [13.10, 103.21], [13.11, 103.21], [13.10, 103.20]
        ]]}
    });
    let point = serde_json::json!({
        "type": "Feature", "properties": {"local_id": "POINT"},
        "geometry": {"type": "Point", "coordinates": [103.2, 13.1]}
    });
    let bad_class = {
        let mut f = square_feature("BAD-CLASS", 103.3, 13.2, 50.0);
        f["properties"]["class"] = "minefield-ish".into();
        f
    };
    let mut good_1 = square_feature("GOOD-1", 103.20, 13.10, 100.0);
    good_1["properties"]["reported_area_m2"] = 13_000.0.into();
    write_collection(
        path,
        vec![
            good_1,
            bowtie,
            null_geometry,
            square_feature("GOOD-2", 103.25, 13.12, 250.0),
            swapped,
            point,
            bad_class,
        ],
    );
}

#[test]
fn mixed_file_imports_good_features_and_names_each_bad_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    let file = dir.path().join("hazards.geojson");
    mixed_file(&file);
    ok(&["init", s(&db)]);
    let out = safeground(&["import", s(&db), s(&file), "--date", "2024-01-15"]);
    assert_eq!(out.status.code(), Some(2), "bad features give exit code 2");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stdout.contains("imported 2 records"), "{stdout}");
    assert!(stdout.contains("refused 5"), "{stdout}");
    assert!(
        stderr.contains("feature 1 (GOOD-1): warning: reported area 13000 m² differs"),
        "{stderr}"
    );
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 5, "one line per bad feature:\n{stderr}");
    let expect = [
        ("feature 2 (BOWTIE)", "self-intersect"),
        ("feature 3 (NULL-GEOM)", "no geometry"),
        ("feature 5 (SWAPPED)", "swap"),
        ("feature 6 (POINT)", "Point"),
        ("feature 7 (BAD-CLASS)", "class"),
    ];
    for ((label, reason), line) in expect.iter().zip(&errors) {
        assert!(line.contains(label), "{line}");
        assert!(
            line.to_lowercase().contains(&reason.to_lowercase()),
            "{line} should explain `{reason}`"
        );
    }
    let queue = ok(&["reports", s(&db), "--status", "submitted"]);
    assert_eq!(queue.lines().count(), 2, "{queue}");
    ok(&["approve", s(&db), "--all", "--actor", "approver"]);
    let summary = ok(&["summary", s(&db), "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&summary).expect("json");
    let total = rows.as_array().and_then(|a| a.last()).expect("total row");
    assert_eq!(total["hazards"], 2);
    // 100 m and 250 m squares: 72,500 m² within 0.2 % (the squares are built with a spherical
    // metres-per-degree approximation, so only roughly square).
    let suspected = total["suspected_m2"].as_f64().expect("number");
    assert!(
        (suspected - 72_500.0).abs() / 72_500.0 < 2e-3,
        "{suspected}"
    );
    ok(&["check", s(&db)]);
}

#[test]
fn repair_flag_imports_the_bowtie_and_says_what_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    let file = dir.path().join("hazards.geojson");
    mixed_file(&file);
    ok(&["init", s(&db)]);
    let out = safeground(&[
        "import",
        s(&db),
        s(&file),
        "--date",
        "2024-01-15",
        "--repair",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("imported 4 records"), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("feature 2 (BOWTIE): geometry: repaired"),
        "{stderr}"
    );
}

#[test]
fn not_geojson_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    let file = dir.path().join("broken.geojson");
    std::fs::write(&file, b"{\"type\": \"FeatureCollection\", \"features\": [").expect("write");
    ok(&["init", s(&db)]);
    let out = safeground(&["import", s(&db), s(&file)]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not valid JSON"), "{stderr}");
    let queue = ok(&["reports", s(&db)]);
    assert!(queue.is_empty());
}

#[test]
fn dry_run_writes_nothing_and_the_error_report_names_each_refused_feature() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    let file = dir.path().join("hazards.geojson");
    let report = dir.path().join("refused.csv");
    mixed_file(&file);
    ok(&["init", s(&db)]);
    let out = safeground(&[
        "import",
        s(&db),
        s(&file),
        "--date",
        "2024-01-15",
        "--dry-run",
        "--errors",
        s(&report),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("dry run: 2 records would be imported"),
        "{stdout}"
    );
    assert!(stdout.contains("nothing was written"), "{stdout}");
    assert_eq!(
        ok(&["reports", s(&db), "--status", "submitted"])
            .lines()
            .count(),
        0
    );
    let csv = std::fs::read_to_string(&report).expect("error report");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("record,local_id,field,column,reason"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 5, "{csv}");
    assert!(
        rows[0].starts_with("\"feature 2\",\"BOWTIE\",\"geometry\""),
        "{csv}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("\"feature 7\",\"BAD-CLASS\",\"class\",\"class\"")),
        "{csv}"
    );
    // The same file imported for real writes the good features.
    let out = safeground(&["import", s(&db), s(&file), "--date", "2024-01-15"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 2 records"));
}

/// After an import into PostgreSQL the planner knows the tables' new sizes (its statistics are
/// refreshed at the end), so the first queries after it are not planned for empty tables.
#[test]
fn an_import_into_postgres_leaves_the_planner_knowing_the_new_rows() {
    let Some(pg) = ScratchDatabase::create().expect("PostgreSQL test database") else {
        return;
    };
    let url = postgres_url(&pg);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("hazards.geojson");
    let features = (0..12)
        .map(|i| square_feature(&format!("SQ-{i}"), 103.2 + 0.01 * f64::from(i), 13.1, 100.0))
        .collect();
    write_collection(&file, features);
    ok(&["init", &url]);
    let out = ok(&[
        "import",
        &url,
        s(&file),
        "--date",
        "2024-01-15",
        "--approve-as-migration",
    ]);
    assert!(out.contains("imported 12 records"), "{out}");
    let mut sql = pg.client().expect("client");
    for table in ["item", "item_version", "hazard_current"] {
        let planned: f32 = sql
            .query_one(
                "SELECT reltuples FROM pg_class WHERE oid = $1::text::regclass",
                &[&table],
            )
            .expect("reltuples")
            .get(0);
        assert_eq!(planned, 12.0, "{table} (-1: never analysed)");
    }
}
