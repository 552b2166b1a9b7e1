//! `GET /api/figures`: the report engine over HTTP — selections (organisation, donor), formats,
//! and small-number suppression that only national users may lower.
#![allow(clippy::unwrap_used)]

mod common;

use common::Fixture;
use serde_json::Value;

fn total<'a>(report: &'a Value, table: &str, key: &str) -> &'a Value {
    let t = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == table)
        .unwrap_or_else(|| panic!("no table {table}"));
    &t["total"][key]
}

#[tokio::test]
async fn figures_follow_the_selection_and_formats() {
    let f = Fixture::new();
    let all = f
        .get("/api/figures", Some("mag-viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(all["parameters"]["suppression_threshold"], 5);
    let released = |r: &Value| {
        total(r, "land_release_by_admin_area", "released_m2")
            .as_f64()
            .unwrap()
    };
    assert!(released(&all) > 0.0);
    assert!(
        total(&all, "victim_assistance", "services")
            .as_u64()
            .unwrap()
            > 0
    );

    let funded = f
        .get("/api/figures?donor=ORG-DONOR-JP", Some("mag-viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(funded["parameters"]["donor"], "ORG-DONOR-JP");
    assert!(released(&funded) < released(&all));
    let by_org = f
        .get("/api/figures?organisation=ORG-HALO", Some("mag-viewer"))
        .await
        .expect(200)
        .json();
    assert!(released(&by_org) < released(&all));

    let unknown = f
        .get("/api/figures?donor=ORG-NOBODY", Some("mag-viewer"))
        .await
        .expect(400)
        .json();
    assert!(
        unknown["detail"].as_str().unwrap().contains("ORG-NOBODY"),
        "{unknown}"
    );

    let xlsx = f
        .get(
            "/api/figures?format=xlsx&donor=ORG-DONOR-US",
            Some("mag-viewer"),
        )
        .await
        .expect(200);
    assert!(
        xlsx.header("content-type")
            .unwrap()
            .contains("spreadsheetml")
    );
    let csv = f
        .get(
            "/api/figures?format=csv&table=victim_assistance",
            Some("mag-viewer"),
        )
        .await
        .expect(200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    // EO found and accidents are tables of their own; every table says what it counts, the
    // Article 7 forms included, in JSON and in CSV.
    for t in all["tables"].as_array().unwrap() {
        assert!(!t["counts"].as_str().unwrap().is_empty(), "{}", t["id"]);
    }
    assert!(total(&all, "eo_found", "quantity").as_u64().unwrap() > 0);
    assert!(total(&all, "accidents", "accidents").as_u64().unwrap() > 0);
    let form = all["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "apmbc_form_f_g")
        .unwrap();
    assert!(
        form["counts"]
            .as_str()
            .unwrap()
            .contains("Form G: mines destroyed"),
        "{form}"
    );
    let found = f
        .get("/api/figures?format=csv&table=eo_found", Some("mag-viewer"))
        .await
        .expect(200);
    let text = String::from_utf8(found.bytes.clone()).unwrap();
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("\"EO finds with a found date in the period"),
        "{text}"
    );
    f.get("/api/figures?language=fr", Some("mag-viewer"))
        .await
        .expect(400);
    f.get("/api/figures", None).await.expect(401);
}

#[tokio::test]
async fn only_national_users_lower_the_suppression_threshold() {
    let f = Fixture::new();
    let refused = f
        .get("/api/figures?suppress_below=0", Some("mag-viewer"))
        .await
        .expect(403)
        .json();
    assert!(
        refused["detail"].as_str().unwrap().contains("national"),
        "{refused}"
    );
    let open = f
        .get("/api/figures?suppress_below=0", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(open["parameters"]["suppression_threshold"], Value::Null);
    assert!(total(&open, "casualties", "total").is_u64());
}
