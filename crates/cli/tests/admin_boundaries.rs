//! Admin boundaries end to end: OCHA COD-AB layers (level 0 and 1) imported with the ready
//! `cod-adm0`/`cod-adm1` mappings, then hazards without an admin area imported and approved:
//! each is assigned to the province whose boundary holds it, and the land-release summary
//! counts them by province instead of one "(none)" row. A hazard with a sign-flipped
//! longitude lies outside the programme area: refused with the distance, unless accepted.

mod common;

use common::{ok, s, safeground, write_collection};
use serde_json::{Value, json};

/// A rectangle feature with `properties`.
fn rectangle(properties: Value, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> Value {
    json!({
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [[
            [x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]
        ]]}
    })
}

#[test]
fn hazards_are_assigned_to_the_province_whose_boundary_holds_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    let adm0 = dir.path().join("khm_adm0.geojson");
    let adm1 = dir.path().join("khm_adm1.geojson");
    let hazards = dir.path().join("hazards.geojson");
    write_collection(
        &adm0,
        vec![rectangle(
            json!({"ADM0_PCODE": "KH", "ADM0_EN": "Cambodia", "validOn": "2023/01/12"}),
            (103.0, 13.0, 104.0, 14.0),
        )],
    );
    write_collection(
        &adm1,
        vec![
            rectangle(
                json!({"ADM1_PCODE": "KH02", "ADM1_EN": "Battambang", "ADM0_PCODE": "KH"}),
                (103.0, 13.0, 103.5, 14.0),
            ),
            rectangle(
                json!({"ADM1_PCODE": "KH22", "ADM1_EN": "Oddar Meanchey", "ADM0_PCODE": "KH"}),
                (103.5, 13.0, 104.0, 14.0),
            ),
        ],
    );
    let hazard = |id: &str, x: f64| {
        rectangle(
            json!({"local_id": id, "class": "CHA"}),
            (x, 13.5, x + 0.001, 13.501),
        )
    };
    write_collection(
        &hazards,
        vec![
            hazard("W-1", 103.1),
            hazard("W-2", 103.2),
            hazard("E-1", 103.8),
        ],
    );
    ok(&["init", s(&db)]);
    for (file, mapping) in [(&adm0, "cod-adm0"), (&adm1, "cod-adm1")] {
        let out = ok(&[
            "import",
            s(&db),
            s(file),
            "--mapping",
            mapping,
            "--approve-as-migration",
        ]);
        assert!(out.contains("approved as migration"), "{out}");
    }
    ok(&["import", s(&db), s(&hazards), "--date", "2024-01-15"]);
    ok(&["approve", s(&db), "--all", "--actor", "approver"]);

    let rows: Vec<Value> =
        serde_json::from_str(&ok(&["summary", s(&db), "--format", "json"])).expect("json");
    let hazards_in = |pcode: &str| {
        rows.iter()
            .find(|r| r["admin_pcode"] == pcode)
            .map(|r| r["hazards"].clone())
    };
    assert_eq!(hazards_in("KH02"), Some(json!(2)), "{rows:?}");
    assert_eq!(hazards_in("KH22"), Some(json!(1)), "{rows:?}");
    assert_eq!(
        hazards_in(""),
        None,
        "no hazard left without an area: {rows:?}"
    );
    let shown = ok(&["hazard", s(&db), "HAZ-000003"]);
    assert!(shown.contains("KH22"), "{shown}");

    // The other side of the world (longitude -103.1), and 0.1° east of the country.
    let far = dir.path().join("far.geojson");
    write_collection(
        &far,
        vec![hazard("FLIP-1", -103.1), hazard("EAST-1", 104.1)],
    );
    let refused = safeground(&["import", s(&db), s(&far), "--date", "2024-01-16"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("FLIP-1") && stderr.contains("outside the programme area"),
        "{stderr}"
    );
    // The hazard's interior point is 0.1005° of longitude east of the boundary at 13.5005° N:
    // 10.88 km (0.1005 × 111.32 km × cos 13.5005°); the distance is stated.
    assert!(stderr.contains("10.9 km outside"), "{stderr}");
    let out = ok(&[
        "import",
        s(&db),
        s(&far),
        "--date",
        "2024-01-16",
        "--accept-outside-programme-area",
    ]);
    assert!(out.contains("imported 2 records"), "{out}");

    // A field report (`submit`) is checked the same way: nothing submitted, then accepted.
    let report = dir.path().join("find.json");
    let find = json!({
        "title": "EO spot task", "date_of_information": "2024-02-01",
        "entries": [{"record": {"kind": "eo_find", "local_id": "E-1", "category": "ap_mine",
            "quantity": 1, "location": {"type": "Point", "coordinates": [-103.5, 13.5]}}}]
    });
    std::fs::write(&report, find.to_string()).expect("write");
    let refused = safeground(&["submit", s(&db), s(&report)]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{stderr}");
    assert!(
        stderr.contains("entries[0].record.location: lies") && stderr.contains("km outside"),
        "{stderr}"
    );
    let out = ok(&[
        "submit",
        s(&db),
        s(&report),
        "--accept-outside-programme-area",
    ]);
    assert!(out.contains("submitted 1 reports"), "{out}");
}
