//! The report workflow through the CLI: import, approve, submit a clearance report as JSON,
//! link it to its hazard, approve it, and see the land-release summary change.

mod common;
use common::{ok, s, safeground, square_feature, write_collection};

fn clearance_report(lon: f64, lat: f64, side: f64) -> serde_json::Value {
    let dx = side / (111_320.0 * lat.to_radians().cos());
    let dy = side / 110_574.0;
    serde_json::json!({
        "organisation": null,
        "title": "Clearance progress",
        "source": "form",
        "date_of_information": "2024-06-01",
        "entries": [{
            "record": {
                "kind": "activity",
                "local_id": "ACT-1",
                "activity_type": "progress",
                "status": "ongoing",
                "start_date": "2024-05-01",
                "end_date": "2024-05-30",
                "released_areas": [{
                    "method": "cleared",
                    "asset_type": "mine_detection_dog",
                    "geometry": {"type": "Polygon", "coordinates": [[
                        [lon, lat], [lon + dx, lat], [lon + dx, lat + dy], [lon, lat + dy], [lon, lat]
                    ]]}
                }]
            }
        }]
    })
}

fn summary_total(db: &std::path::Path) -> serde_json::Value {
    let json = ok(&["summary", s(db), "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
    rows.last().cloned().expect("total row")
}

#[test]
fn clearance_report_linked_and_approved_reduces_the_remaining_area() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    let hazards = dir.path().join("h.geojson");
    write_collection(
        &hazards,
        vec![square_feature("KH02-HA-1", 103.2, 13.1, 200.0)],
    );
    ok(&["init", s(&db)]);
    ok(&["import", s(&db), s(&hazards), "--date", "2024-01-15"]);
    ok(&["approve", s(&db), "--all", "--actor", "approver"]);
    let before = summary_total(&db);

    let report = dir.path().join("clearance.json");
    std::fs::write(&report, clearance_report(103.2, 13.1, 100.0).to_string()).expect("write");
    let out = ok(&["submit", s(&db), s(&report)]);
    assert!(out.contains("submitted 1 reports: [2]"), "{out}");
    // Without a link the activity is approved but releases nothing from the hazard; link first.
    let wrong = safeground(&["link", s(&db), "2", "0", "hazard", "HAZ-000999"]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("HAZ-000999 does not exist"));
    ok(&["link", s(&db), "2", "0", "hazard", "HAZ-000001"]);
    let before_approval = chrono::Utc::now().to_rfc3339();
    ok(&["approve", s(&db), "2", "--actor", "approver"]);

    let after = summary_total(&db);
    let cleared = after["cleared_m2"].as_f64().expect("cleared");
    let original = before["remaining_m2"].as_f64().expect("remaining");
    assert!(
        (cleared / original - 0.25).abs() < 1e-3,
        "a quarter cleared: {cleared} of {original}"
    );
    assert!((after["remaining_m2"].as_f64().expect("remaining") + cleared - original).abs() < 1e-3);

    // As of before the clearance, nothing was cleared.
    let json = ok(&[
        "summary",
        s(&db),
        "--format",
        "json",
        "--as-of",
        "2024-05-31",
    ]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
    assert_eq!(rows.last().expect("total")["cleared_m2"], 0.0);

    // As the database knew it before the clearance was approved: the same as before.
    let json = ok(&[
        "summary",
        s(&db),
        "--format",
        "json",
        "--known-at",
        &before_approval,
    ]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
    assert_eq!(rows.last().expect("total")["cleared_m2"], 0.0);
    assert_eq!(
        rows.last().expect("total")["remaining_m2"],
        before["remaining_m2"]
    );

    let hazard = ok(&["hazard", s(&db), "HAZ-000001"]);
    assert!(
        hazard.contains("Confirmed hazardous area / Worked on"),
        "{hazard}"
    );
    ok(&["check", s(&db)]);
}

#[test]
fn malformed_report_json_names_the_report_and_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    ok(&["init", s(&db)]);
    let mut bad = clearance_report(103.2, 13.1, 100.0);
    bad["entries"][0]["record"]["status"] = "finished-ish".into();
    let file = dir.path().join("bad.json");
    std::fs::write(
        &file,
        serde_json::json!([clearance_report(103.2, 13.1, 10.0), bad]).to_string(),
    )
    .expect("write");
    let out = safeground(&["submit", s(&db), s(&file)]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("report 1 of"), "{err}");
    assert!(err.contains("finished-ish"), "{err}");
    assert!(ok(&["reports", s(&db)]).is_empty(), "nothing was submitted");

    // Valid JSON that breaks a rule: the error names the report, entry and field.
    let mut late = clearance_report(103.2, 13.1, 100.0);
    late["entries"][0]["record"]["end_date"] = "2024-07-01".into();
    std::fs::write(&file, late.to_string()).expect("write");
    let out = safeground(&["submit", s(&db), s(&file)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("reports[0].entries[0].record.end_date"),
        "{err}"
    );
}

#[test]
fn four_eyes_refuses_approving_ones_own_report_unless_single_approver() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    let hazards = dir.path().join("h.geojson");
    write_collection(
        &hazards,
        vec![
            square_feature("KH02-HA-1", 103.2, 13.1, 200.0),
            square_feature("KH02-HA-2", 103.3, 13.1, 200.0),
        ],
    );
    ok(&["init", s(&db)]);
    ok(&["import", s(&db), s(&hazards), "--actor", "sokha"]);

    let refused = safeground(&["approve", s(&db), "1", "--actor", "SOKHA"]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("report 1 was created by sokha and submitted by sokha")
            && stderr.contains("second approver")
            && stderr.contains("--single-approver"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&refused.stdout).contains("approved 0 of 1 reports"));

    ok(&["approve", s(&db), "1", "--actor", "dara"]);
    let out = ok(&[
        "approve",
        s(&db),
        "2",
        "--actor",
        "sokha",
        "--single-approver",
    ]);
    assert!(out.contains("approved 1 of 1 reports"), "{out}");
    ok(&["check", s(&db)]);
}
