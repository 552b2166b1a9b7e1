//! Operations planning over HTTP: task orders (403 for non-planners, 422 naming each field, 409
//! when a team is booked twice), status and links, teams with capacity, productivity, the
//! ranking whose contributions add up to each score (JSON, CSV, XLSX, GeoJSON) and who moved
//! when a weight changes, criteria checked before they are saved, a forecast a fixed seed
//! reproduces, the risk models' validation or a clear 422, and layers.
#![allow(clippy::unwrap_used)]

mod common;

use common::Fixture;
use safeground_store::ProgrammeStore;
use serde_json::{Value, json};

fn task_ids(v: &Value) -> Vec<String> {
    v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["task_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn planners_write_tasks_and_a_team_is_never_booked_twice() {
    let f = Fixture::new();
    let demo = f.add_planning();
    let tasks = f
        .get("/api/planning/tasks", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(task_ids(&tasks).len(), demo.tasks);
    let statuses: Vec<&str> = (tasks["tasks"].as_array().unwrap().iter())
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    for s in ["planned", "issued", "in_progress", "suspended", "completed"] {
        assert!(
            statuses.contains(&s),
            "no {s} task in the demo: {statuses:?}"
        );
    }
    let done = (tasks["tasks"].as_array().unwrap().iter())
        .find(|t| t["status"] == "completed")
        .unwrap();
    assert!(done["actual"]["released_m2"].as_f64().unwrap() > 0.0);
    assert_eq!(done["actual"]["days_late"], 3);
    assert_eq!(done["next"], json!([]));

    let teams = f
        .get("/api/planning/teams", Some("viewer"))
        .await
        .expect(200)
        .json();
    let team = (teams["teams"].as_array().unwrap().iter())
        .find(|t| t["releases_land"] == true && t["capacity_m2_per_day"].is_number())
        .unwrap()["team"]
        .as_str()
        .unwrap()
        .to_owned();
    let ranking = f
        .post("/api/planning/ranking", Some("viewer"), &json!({}))
        .await
        .expect(200)
        .json();
    let hazard = ranking["ranking"][0]["local_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let new = json!({"team": team, "hazards": [hazard], "method": "clearance",
                     "planned_start": "2031-01-05", "planned_end": "2031-02-05"});
    let body = f
        .post("/api/planning/tasks", Some("viewer"), &new)
        .await
        .expect(403)
        .json();
    assert!(body["detail"].as_str().unwrap().contains("only planners"));
    let made = f
        .post("/api/planning/tasks", Some("planner"), &new)
        .await
        .expect(201)
        .json();
    let id = made["task_id"].as_str().unwrap().to_owned();
    assert_eq!(made["status"], "planned");
    assert_eq!(made["next"], json!(["issued"]));
    let clash = json!({"team": team, "hazards": [hazard], "method": "clearance",
                       "planned_start": "2031-02-01", "planned_end": "2031-03-01"});
    let body = f
        .post("/api/planning/tasks", Some("planner"), &clash)
        .await
        .expect(409)
        .json();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("is booked from 2031-01-05 to 2031-02-05 by {id}")),
        "{body}"
    );
    let bad = json!({"team": "NO-SUCH-TEAM", "hazards": ["NOPE"], "method": "clearance",
                     "assets": ["machine"], "planned_start": "2031-03-01", "planned_end": "2031-02-01"});
    let body = f
        .post("/api/planning/tasks", Some("planner"), &bad)
        .await
        .expect(422)
        .json();
    let fields: Vec<&str> = (body["errors"].as_array().unwrap().iter())
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["team", "hazards[0]", "planned_end"]);
    let unknown = json!({"team": team, "hazards": [hazard], "method": "dig",
                         "planned_start": "2031-03-01", "planned_end": "2031-03-02"});
    f.post("/api/planning/tasks", Some("planner"), &unknown)
        .await
        .expect(422);
    let moved = f
        .post(
            &format!("/api/planning/tasks/{id}/status"),
            Some("planner"),
            &json!({"status": "completed"}),
        )
        .await
        .expect(422)
        .json();
    assert_eq!(moved["errors"][0]["field"], "status", "{moved}");
    assert!(
        (moved["errors"][0]["message"].as_str().unwrap()).contains("it can become issued"),
        "{moved}"
    );
    let issued = f
        .post(
            &format!("/api/planning/tasks/{id}/status"),
            Some("planner"),
            &json!({"status": "issued", "comment": "signed by the director"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(issued["history"][1]["comment"], "signed by the director");
    f.post(
        "/api/planning/tasks/TASK-9999/status",
        Some("planner"),
        &json!({"status": "issued"}),
    )
    .await
    .expect(404);
    f.post(
        &format!("/api/planning/tasks/{id}/activities"),
        Some("planner"),
        &json!({"activity": "NO-SUCH-ACTIVITY"}),
    )
    .await
    .expect(422);
    let audit: Vec<String> = (f.store().audit_log().unwrap().into_iter())
        .map(|a| a.action)
        .filter(|a| a.starts_with("planning.task"))
        .collect();
    assert!(audit.ends_with(&["planning.task.add".into(), "planning.task.status".into()]));
}

#[tokio::test]
async fn the_ranking_explains_every_score_and_shows_who_moved() {
    let f = Fixture::new();
    f.add_planning();
    let criteria = f
        .get("/api/planning/criteria", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(criteria["saved"], true);
    assert!(
        criteria["toml"]
            .as_str()
            .unwrap()
            .contains("near_settlement")
    );
    let r = f
        .post("/api/planning/ranking", Some("viewer"), &json!({}))
        .await
        .expect(200)
        .json();
    let rows = r["ranking"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert_eq!(r["moved"], json!([]));
    let mut last = f64::INFINITY;
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["rank"], i + 1);
        let score = row["score"].as_f64().unwrap();
        let sum: f64 = (row["contributions"].as_array().unwrap().iter())
            .map(|c| c["points"].as_f64().unwrap())
            .sum();
        assert!((sum - score).abs() < 1e-9, "{row}");
        assert!(score <= last);
        last = score;
    }
    let tried = f
        .post(
            "/api/planning/ranking",
            Some("viewer"),
            &json!({"weights": {"small_first": 20}}),
        )
        .await
        .expect(200)
        .json();
    assert!(!tried["moved"].as_array().unwrap().is_empty());
    let body = f
        .post(
            "/api/planning/ranking",
            Some("viewer"),
            &json!({"weights": {"nope": 1}}),
        )
        .await
        .expect(422)
        .json();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("no criterion `nope`")
    );

    let csv = f
        .get("/api/planning/ranking?format=csv", Some("viewer"))
        .await
        .expect(200);
    let text = String::from_utf8(csv.bytes).unwrap();
    assert!(
        text.starts_with(
            "rank,item,local_id,name,admin_pcode,remaining_m2,score,points:casualties"
        )
    );
    assert_eq!(text.lines().count(), rows.len() + 1);
    let xlsx = f
        .get("/api/planning/ranking?format=xlsx", Some("viewer"))
        .await
        .expect(200);
    assert_eq!(&xlsx.bytes[..2], b"PK");
    let map = f
        .get("/api/planning/ranking?format=geojson", Some("viewer"))
        .await
        .expect(200);
    assert_eq!(
        map.header("content-type").as_deref(),
        Some("application/geo+json")
    );
    let fc = map.json();
    assert_eq!(fc["features"][0]["properties"]["rank"], 1);
    assert_eq!(fc["features"][0]["geometry"]["type"], "MultiPolygon");

    // Criteria are checked before they are saved, by planners only.
    let bad = json!({"toml": "[[criterion]]\nid = 'x'\nkind = 'eo_finds_within'\nweight = 1\nkm = 0\nyears = 1"});
    f.raw(
        axum::http::Method::PUT,
        "/api/planning/criteria",
        Some("viewer"),
        &[],
        serde_json::to_vec(&bad).unwrap(),
    )
    .await
    .expect(403);
    let body = f
        .raw(
            axum::http::Method::PUT,
            "/api/planning/criteria",
            Some("planner"),
            &[],
            serde_json::to_vec(&bad).unwrap(),
        )
        .await
        .expect(422)
        .json();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("criterion `x`: km"),
        "{body}"
    );
}

#[tokio::test]
async fn the_forecast_is_reproducible_and_names_what_is_missing() {
    let f = Fixture::new();
    f.add_planning();
    let q = "/api/planning/forecast?runs=300&seed=7&start=2027-01-01";
    let a = f.get(q, Some("viewer")).await.expect(200).json();
    let b = f.get(q, Some("viewer")).await.expect(200).json();
    assert_eq!(a, b);
    assert_eq!(a["deadline"], "2030-12-31", "the saved deadline");
    assert_eq!(a["runs"], 300);
    let p50 = a["country"]["p50"].as_str().unwrap();
    let p90 = a["country"]["p90"].as_str().unwrap();
    assert!(p50 <= p90, "{p50} {p90}");
    let runs: u64 = (a["by_year"].as_array().unwrap().iter())
        .map(|y| y[1].as_u64().unwrap())
        .sum();
    assert_eq!(runs, 300);
    assert!(!a["admin_areas"].as_array().unwrap().is_empty());
    assert!(a["needed"]["factor"].as_f64().unwrap() > 0.0);
    let body = f
        .get("/api/planning/forecast?runs=0", Some("viewer"))
        .await
        .expect(422)
        .json();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("runs must be 1 to 20000"),
        "{body}"
    );
    f.get("/api/planning/forecast?runs=x", Some("viewer"))
        .await
        .expect(422);

    // The Article 5 report of today carries the forecast (the saved deadline).
    let figures = f
        .get("/api/figures", Some("viewer"))
        .await
        .expect(200)
        .json();
    let ids: Vec<&str> = (figures["tables"].as_array().unwrap().iter())
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    let at = ids
        .iter()
        .position(|i| *i == "completion_forecast")
        .unwrap();
    assert_eq!(ids[at - 1], "article5");
    let past = f
        .get("/api/figures?as_of=2020-01-01", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert!(
        !past.to_string().contains("completion_forecast"),
        "no forecast of the past"
    );

    let dashboard = f
        .get("/api/dashboard", Some("viewer"))
        .await
        .expect(200)
        .json();
    let rows = dashboard["productivity"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["m2_per_day"]["median"].as_f64().unwrap() > 0.0)
    );

    let p = f
        .get("/api/planning/productivity?by=organisation", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert!(p["samples"].as_u64().unwrap() > 0);
    let row = &p["rows"][0];
    assert!(row["m2_per_day"]["q1"].as_f64() <= row["m2_per_day"]["median"].as_f64());
    assert!(row["organisation"].is_string());
    f.get("/api/planning/productivity?by=weather", Some("viewer"))
        .await
        .expect(422);

    let s = f
        .get("/api/planning/settings", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(
        s,
        json!({"article5_deadline": "2030-12-31", "days_per_year": 220.0})
    );
    let changed = json!({"article5_deadline": "2029-12-31", "days_per_year": 0});
    f.raw(
        axum::http::Method::PUT,
        "/api/planning/settings",
        Some("planner"),
        &[],
        serde_json::to_vec(&changed).unwrap(),
    )
    .await
    .expect(422);
}

#[tokio::test]
async fn risk_models_report_their_validation_or_say_what_is_missing() {
    let f = Fixture::new();
    f.add_planning();
    for model in ["kde", "gbt"] {
        let r = f
            .get(
                &format!("/api/planning/risk?model={model}&cell_m=5000"),
                Some("viewer"),
            )
            .await;
        match r.status.as_u16() {
            200 => {
                let v = r.json();
                assert_eq!(v["validation"]["model"], model);
                let auc = v["validation"]["spatial_cv"]["auc"].as_f64().unwrap();
                assert!((0.0..=1.0).contains(&auc));
                assert!(v["cells"]["features"][0]["properties"]["decile"].is_number());
            }
            422 => {
                let v = r.json();
                assert!(v["detail"].as_str().unwrap().contains("event"), "{v}");
            }
            other => panic!("{model}: {other} {}", String::from_utf8_lossy(&r.bytes)),
        }
    }
    f.get("/api/planning/risk?model=oracle", Some("viewer"))
        .await
        .expect(422);

    let layers = f
        .get("/api/planning/layers", Some("viewer"))
        .await
        .expect(200)
        .json();
    let names: Vec<&str> = (layers["layers"].as_array().unwrap().iter())
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["roads", "settlements"]);
    let bad = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [203.0, 12.0]}}]});
    let body = f
        .raw(
            axum::http::Method::PUT,
            "/api/planning/layers/wells",
            Some("planner"),
            &[],
            serde_json::to_vec(&bad).unwrap(),
        )
        .await
        .expect(422)
        .json();
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("features[0].geometry"),
        "{body}"
    );
    let good = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [103.0, 12.0]}}]});
    f.raw(
        axum::http::Method::PUT,
        "/api/planning/layers/wells",
        Some("planner"),
        &[],
        serde_json::to_vec(&good).unwrap(),
    )
    .await
    .expect(200);
    f.get("/api/planning/layers/wells", Some("viewer"))
        .await
        .expect(200);
    f.raw(
        axum::http::Method::DELETE,
        "/api/planning/layers/wells",
        Some("viewer"),
        &[],
        Vec::new(),
    )
    .await
    .expect(403);
    f.raw(
        axum::http::Method::DELETE,
        "/api/planning/layers/wells",
        Some("planner"),
        &[],
        Vec::new(),
    )
    .await
    .expect(204);
    f.get("/api/planning/layers/wells", Some("viewer"))
        .await
        .expect(404);
}
