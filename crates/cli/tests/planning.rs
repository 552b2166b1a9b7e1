//! `safeground plan` on the demo programme: the demo's tasks in every status, a planner adds a
//! task and is refused a double booking, moves and links it; the ranking's points add up to
//! each score and a changed weight lists who moved; the forecast is the same for the same seed;
//! both risk models validate; productivity, settings and layers; refusals say what to do.

mod common;

use common::{ok, refused, s, safeground};

#[test]
fn a_planner_plans_the_demo_programme_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite");
    ok(&[
        "demo",
        "--db",
        s(&db),
        "--hazards",
        "400",
        "--seed",
        "11",
        "--no-serve",
    ]);
    let db = s(&db);

    let list = ok(&["plan", "task", "list", db]);
    for status in ["planned", "issued", "in_progress", "suspended", "completed"] {
        assert!(list.contains(status), "no {status} task:\n{list}");
    }
    // A team free next decade, on the top-ranked hazard.
    let team = list
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().nth(1))
        .expect("a team")
        .to_owned();
    let ranking = ok(&["plan", "rank", db, "--top", "3"]);
    let hazard = ranking
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().nth(1))
        .expect("a hazard")
        .to_owned();
    let add = |start: &str, end: &str| {
        safeground(&[
            "plan",
            "task",
            "add",
            db,
            "--actor",
            "planner",
            "--team",
            &team,
            "--hazard",
            &hazard,
            "--method",
            "clearance",
            "--start",
            start,
            "--end",
            end,
        ])
    };
    let added = add("2036-01-01", "2036-01-31");
    assert!(added.status.success(), "{added:?}");
    let id = String::from_utf8_lossy(&added.stdout)
        .split(':')
        .next()
        .expect("task id")
        .to_owned();
    refused(&add("2036-01-31", "2036-02-20"), &format!("by {id}"));
    let out = safeground(&[
        "plan",
        "task",
        "add",
        db,
        "--actor",
        "mag-viewer",
        "--team",
        &team,
        "--hazard",
        &hazard,
        "--method",
        "clearance",
        "--start",
        "2037-01-01",
        "--end",
        "2037-01-02",
    ]);
    refused(&out, "only planners and administrators");
    let out = safeground(&[
        "plan",
        "task",
        "add",
        db,
        "--actor",
        "planner",
        "--team",
        &team,
        "--hazard",
        &hazard,
        "--method",
        "digging",
        "--start",
        "2037-01-01",
        "--end",
        "2037-01-02",
    ]);
    refused(&out, "--method");
    assert!(
        ok(&[
            "plan", "task", "status", db, "--actor", "planner", &id, "issued"
        ])
        .contains("issued")
    );
    refused(
        &safeground(&[
            "plan",
            "task",
            "status",
            db,
            "--actor",
            "planner",
            &id,
            "completed",
        ]),
        "it can become",
    );

    // The ranking: points add up to the score; a weight change lists who moved.
    let top = ok(&["plan", "rank", db, "--top", "5"]);
    for line in top.lines().skip(1).take(5) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let score: f64 = cols[3].parse().expect("score");
        let points: f64 = line
            .split("  ")
            .last()
            .expect("contributions")
            .split(" + ")
            .filter_map(|p| p.split_whitespace().last()?.parse::<f64>().ok())
            .sum();
        assert!((points - score).abs() < 0.02, "{line}");
    }
    let csv = std::path::Path::new(db).with_extension("ranking.csv");
    let moved = ok(&[
        "plan",
        "rank",
        db,
        "--weight",
        "small_first=9",
        "--out",
        s(&csv),
    ]);
    assert!(moved.contains("hazards moved"), "{moved}");
    assert!(
        std::fs::read_to_string(&csv)
            .expect("csv")
            .starts_with("rank,item,local_id")
    );
    refused(
        &safeground(&["plan", "rank", db, "--weight", "luck=1"]),
        "no criterion `luck`",
    );

    // The forecast: the same seed, the same figures.
    let f = |seed: &str| {
        ok(&[
            "plan",
            "forecast",
            db,
            "--runs",
            "200",
            "--seed",
            seed,
            "--start",
            "2027-01-01",
            "--json",
        ])
    };
    let a: serde_json::Value = serde_json::from_str(&f("5")).expect("json");
    let b: serde_json::Value = serde_json::from_str(&f("5")).expect("json");
    assert_eq!(a, b);
    assert_eq!(a["deadline"], "2030-12-31");
    assert!(a["country"]["p50"].is_string());
    let text = ok(&["plan", "forecast", db, "--runs", "100"]);
    assert!(text.contains("country: P50"), "{text}");
    // The Article 5 report carries the forecast against the saved deadline.
    let report: serde_json::Value =
        serde_json::from_str(&ok(&["report", db, "--format", "json", "--out", "-"]))
            .expect("report json");
    let table = (report["tables"].as_array().expect("tables").iter())
        .find(|t| t["id"] == "completion_forecast")
        .expect("a forecast table");
    assert_eq!(table["rows"][0]["admin_pcode"], "Country", "{table}");

    for model in ["kde", "gbt"] {
        let out = ok(&["plan", "risk", db, "--model", model, "--cell-m", "4000"]);
        assert!(out.contains("spatial block CV  AUC"), "{out}");
        assert!(out.contains("never opens or closes a hazard"));
    }
    refused(
        &safeground(&["plan", "risk", db, "--model", "oracle"]),
        "use kde or gbt",
    );

    assert!(ok(&["plan", "productivity", db, "--by", "organisation"]).contains("median"));
    let settings = ok(&[
        "plan",
        "settings",
        db,
        "--actor",
        "planner",
        "--days-per-year",
        "240",
    ]);
    assert!(
        settings.contains("working days per team per year: 240"),
        "{settings}"
    );
    let layer = std::path::Path::new(db).with_extension("wells.geojson");
    std::fs::write(
        &layer,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
            "geometry":{"type":"Point","coordinates":[103.1,13.0]}}]}"#,
    )
    .expect("layer");
    assert!(
        ok(&[
            "plan",
            "layer",
            db,
            "wells",
            s(&layer),
            "--actor",
            "planner"
        ])
        .contains("1 features")
    );
    std::fs::write(&layer, r#"{"type":"Feature"}"#).expect("layer");
    refused(
        &safeground(&[
            "plan",
            "layer",
            db,
            "wells",
            s(&layer),
            "--actor",
            "planner",
        ]),
        "FeatureCollection",
    );
}
