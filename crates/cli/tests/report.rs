//! `safeground report`: the figures and treaty tables of a demo programme in every format, the
//! same bytes for the same past as-of point, refusals of bad parameters.

mod common;

use common::{ok, s, safeground};

#[test]
fn every_format_and_the_same_bytes_for_a_past_as_of() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    let db = d.join("demo.sqlite");
    ok(&["demo", "--db", s(&db), "--hazards", "25", "--no-serve"]);
    let json = ok(&[
        "report",
        s(&db),
        "--format",
        "json",
        "--out",
        "-",
        "--as-of",
        "2024-12-31",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    let ids: Vec<&str> = report["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    for id in [
        "land_release_by_admin_area",
        "land_release_outside_hazards",
        "apmbc_form_c",
        "ccm_contaminated",
        "eo_destroyed",
        "eo_found",
        "casualties",
        "accidents",
        "article5",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert_eq!(report["parameters"]["as_of"], "2024-12-31");
    assert_eq!(report["parameters"]["suppression_threshold"], 5);

    let first = d.join("a.xlsx");
    ok(&[
        "report",
        s(&db),
        "--out",
        s(&first),
        "--as-of",
        "2024-12-31",
    ]);
    let csv = d.join("csv");
    ok(&[
        "report",
        s(&db),
        "--format",
        "csv",
        "--out",
        s(&csv),
        "--as-of",
        "2024-12-31",
    ]);
    assert_eq!(std::fs::read_dir(&csv).expect("csv dir").count(), ids.len());
    // Land released outside recorded hazards: every demo release lies inside its hazard.
    let outside = std::fs::read_to_string(csv.join("land_release_outside_hazards.csv"))
        .expect("outside hazards");
    assert!(
        outside
            .lines()
            .last()
            .is_some_and(|l| l.contains("not in the hazard-based land-release figures")),
        "{outside}"
    );
    // Each table's CSV ends with what it counts; the Article 7 forms name what they count.
    let form = std::fs::read_to_string(csv.join("apmbc_form_f_g.csv")).expect("form F/G");
    let last = form.lines().last().expect("a last row");
    assert!(
        last.contains("Form G: mines destroyed") && last.contains("destroyed date in the period"),
        "{last}"
    );
    let pdf = d.join("r.pdf");
    ok(&[
        "report",
        s(&db),
        "--format",
        "pdf",
        "--out",
        s(&pdf),
        "--language",
        "km",
    ]);
    assert!(std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF"));

    // New data approved later does not change a report for a past as-of point.
    let later = d.join("later.geojson");
    common::write_collection(
        &later,
        vec![common::square_feature("LATE-1", 103.5, 13.5, 300.0)],
    );
    ok(&[
        "import",
        s(&db),
        s(&later),
        "--approve-as-migration",
        "--date",
        "2025-06-01",
    ]);
    let second = d.join("b.xlsx");
    ok(&[
        "report",
        s(&db),
        "--out",
        s(&second),
        "--as-of",
        "2024-12-31",
    ]);
    assert_eq!(
        std::fs::read(&first).expect("a"),
        std::fs::read(&second).expect("b"),
        "the same past report must be byte-identical"
    );

    let bad = safeground(&[
        "report",
        s(&db),
        "--format",
        "docx",
        "--out",
        s(&d.join("x")),
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("xlsx, pdf, csv or json"));
}
