//! `safeground import --repair`: each repaired polygon's area before and after on stderr, the
//! stored area the one drawn, a repair that would change the area by more than
//! `--repair-max-area-change` refused with both areas, and a larger limit letting it in.

mod common;
use common::{ok, s, safeground, write_collection};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use safeground_geo::geodesic_area;
use serde_json::{Value, json};

/// A point `x`, `y` metres east and north of (103.2 + `east` degrees, 13.1).
fn at(east: f64, x: f64, y: f64) -> [f64; 2] {
    let lat: f64 = 13.1;
    [
        103.2 + east + x / (111_320.0 * lat.to_radians().cos()),
        lat + y / 110_574.0,
    ]
}

fn hazard(id: &str, rings: Vec<Vec<[f64; 2]>>) -> Value {
    json!({"type": "Feature",
           "properties": {"local_id": id, "class": "SHA", "admin_pcode": "KH02"},
           "geometry": {"type": "Polygon", "coordinates": rings}})
}

/// Geodesic area of simple rings (exterior, then holes), m².
fn area(rings: &[Vec<[f64; 2]>]) -> f64 {
    let ls = |r: &Vec<[f64; 2]>| LineString(r.iter().map(|c| Coord { x: c[0], y: c[1] }).collect());
    let p = Polygon::new(ls(&rings[0]), rings[1..].iter().map(ls).collect());
    geodesic_area(&MultiPolygon(vec![p]))
}

fn suspected_m2(db: &str) -> f64 {
    ok(&["approve", db, "--all", "--actor", "approver"]);
    let rows: Value =
        serde_json::from_str(&ok(&["summary", db, "--format", "json"])).expect("json");
    let total = rows.as_array().and_then(|a| a.last()).expect("total row");
    total["suspected_m2"].as_f64().expect("number")
}

#[test]
fn repair_states_areas_keeps_what_was_drawn_and_refuses_large_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.sqlite");
    let file = dir.path().join("parcels.geojson");
    // A 30 m parcel walked round twice (the old repair kept about a sixth of such shapes).
    let sq = [
        at(0.0, 0.0, 0.0),
        at(0.0, 30.0, 0.0),
        at(0.0, 30.0, 30.0),
        at(0.0, 0.0, 30.0),
    ];
    let twice: Vec<[f64; 2]> = sq.iter().chain(&sq).chain(&sq[..1]).copied().collect();
    // A 30 m bowtie: two triangles meeting in the middle.
    let b = |x, y| at(0.001, x, y);
    let bowtie = vec![
        b(0.0, 0.0),
        b(30.0, 30.0),
        b(30.0, 0.0),
        b(0.0, 30.0),
        b(0.0, 0.0),
    ];
    let bowtie_m2 = area(&[vec![b(0.0, 0.0), b(15.0, 15.0), b(0.0, 30.0), b(0.0, 0.0)]])
        + area(&[vec![
            b(30.0, 0.0),
            b(30.0, 30.0),
            b(15.0, 15.0),
            b(30.0, 0.0),
        ]]);
    // A 100 m square with a triangular hole whose tip touches the southern edge.
    let h = |x, y| at(0.002, x, y);
    let touching = vec![
        vec![
            h(0.0, 0.0),
            h(100.0, 0.0),
            h(100.0, 100.0),
            h(0.0, 100.0),
            h(0.0, 0.0),
        ],
        vec![h(50.0, 0.0), h(70.0, 30.0), h(30.0, 30.0), h(50.0, 0.0)],
    ];
    // A 100 m square with a 40 m hole drawn half outside its east edge: +9.5 % once repaired.
    let o = |x, y| at(0.004, x, y);
    let half_out = vec![
        vec![
            o(0.0, 0.0),
            o(100.0, 0.0),
            o(100.0, 100.0),
            o(0.0, 100.0),
            o(0.0, 0.0),
        ],
        vec![
            o(80.0, 30.0),
            o(80.0, 70.0),
            o(120.0, 70.0),
            o(120.0, 30.0),
            o(80.0, 30.0),
        ],
    ];
    let kept = area(&[sq.to_vec()]) + bowtie_m2 + area(&touching);
    write_collection(
        &file,
        vec![
            hazard("TWICE", vec![twice]),
            hazard("BOWTIE", vec![bowtie]),
            hazard("TOUCHING", touching),
            hazard("HALF-OUT", half_out.clone()),
        ],
    );
    ok(&["init", s(&db)]);
    let args = [
        "import",
        s(&db),
        s(&file),
        "--date",
        "2024-01-15",
        "--repair",
    ];
    let out = safeground(&args);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(stdout.contains("imported 3 records"), "{stdout}\n{stderr}");
    for (label, m2) in [
        ("feature 1 (TWICE)", area(&[sq.to_vec()])),
        ("feature 2 (BOWTIE)", bowtie_m2),
    ] {
        let line = format!("{label}: geometry: repaired: area {m2:.1} m² → {m2:.1} m² (+0.00 %)");
        assert!(stderr.contains(&line), "{line}\n{stderr}");
    }
    assert!(
        stderr.contains("feature 3 (TOUCHING): geometry: repaired: polygon 1, hole 1: moved"),
        "{stderr}"
    );
    let refused = stderr
        .lines()
        .find(|l| l.contains("feature 4 (HALF-OUT): geometry"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        refused.contains("repair would change the area from 8,40")
            && refused.contains("(+9.5")
            && refused.contains("more than the 1 % allowed"),
        "{refused}"
    );
    let stored = suspected_m2(s(&db));
    assert!((stored - kept).abs() < 1e-4 * kept, "{stored} vs {kept}");

    // Allowing 10 % takes the fourth in, at its repaired area.
    let mut more = args.to_vec();
    more.extend(["--repair-max-area-change", "10%"]);
    let out = safeground(&more);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("feature 4 (HALF-OUT): geometry: repaired: area 8,40"),
        "{stderr}"
    );
    let inside = area(&[
        half_out[0].clone(),
        vec![
            o(80.0, 30.0),
            o(80.0, 70.0),
            o(100.0, 70.0),
            o(100.0, 30.0),
            o(80.0, 30.0),
        ],
    ]);
    let stored = suspected_m2(s(&db));
    assert!(
        (stored - kept - inside).abs() < 1e-4 * stored,
        "{stored} vs {}",
        kept + inside
    );

    let out = safeground(&["import", s(&db), s(&file), "--repair-max-area-change=-5"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a percentage"));
}
