//! The UI's read models over HTTP: dashboard figures (checked against independent sums over
//! the store), record lists, the geometry preview of forms, vocabularies, create-and-submit.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Fixture, hazard_report, square};
use safeground_model::{ItemKind, Record};
use safeground_store::{AsOf, Flow, ProgrammeStore};
use serde_json::{Value, json};

fn sum(rows: &Value, key: &str) -> f64 {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r[key].as_f64().unwrap())
        .sum()
}

#[tokio::test]
async fn dashboard_figures_match_the_store_and_follow_approvals() {
    let f = Fixture::new();
    let store = f.store();
    let d = f
        .get("/api/dashboard", Some("mag-viewer"))
        .await
        .expect(200)
        .json();
    let summary = store.land_release_summary(AsOf::now()).unwrap();
    let cleared: f64 = summary.iter().map(|r| r.cleared_m2).sum();
    let remaining: f64 = summary.iter().map(|r| r.remaining_m2).sum();
    assert!((d["totals"]["cleared_m2"].as_f64().unwrap() - cleared).abs() < 1e-6);
    assert!((d["totals"]["remaining_m2"].as_f64().unwrap() - remaining).abs() < 1e-6);
    // Per-year and per-asset credits add up exactly to the hazards' totals.
    for key in ["cancelled_m2", "reduced_m2", "cleared_m2"] {
        let total = d["totals"][key].as_f64().unwrap();
        assert!(
            (sum(&d["land_released_by_year"], key) - total).abs() < 1e-6 * total.max(1.0),
            "{key} by year"
        );
        assert!(
            (sum(&d["land_released_by_asset"], key) - total).abs() < 1e-6 * total.max(1.0),
            "{key} by asset"
        );
    }
    // EO destroyed and casualties, counted independently.
    let (mut destroyed, mut victims) = (0u64, 0u64);
    store
        .for_each_current(ItemKind::EoFind, None, &mut |v| {
            if let Record::EoFind(e) = v.record
                && e.destroyed_date.is_some()
            {
                destroyed += u64::from(e.quantity);
            }
            Ok(Flow::Continue)
        })
        .unwrap();
    store
        .for_each_current(ItemKind::Victim, None, &mut |_| {
            victims += 1;
            Ok(Flow::Continue)
        })
        .unwrap();
    assert_eq!(
        sum(&d["eo_destroyed_by_category"], "quantity") as u64,
        destroyed
    );
    let casualties = sum(&d["casualties"], "killed")
        + sum(&d["casualties"], "injured")
        + sum(&d["casualties"], "other");
    assert_eq!(casualties as u64, victims);
    assert!(sum(&d["risk_education_beneficiaries"], "direct") > 0.0);
    // A past date gives less; an approval changes the totals (no stale cache).
    let past = f
        .get("/api/dashboard?as_of=2016-12-31", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert!(past["totals"]["cleared_m2"].as_f64().unwrap() < cleared);
    let r = f
        .post(
            "/api/reports?submit=true",
            Some("approver"),
            &hazard_report("DASH-1", None, square(103.5, 13.3, 300.0)),
        )
        .await
        .expect(201);
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["status"], "submitted");
    f.approve(id, "admin").await.expect(200);
    let after = f
        .get("/api/dashboard", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(
        after["totals"]["hazards"].as_u64().unwrap(),
        d["totals"]["hazards"].as_u64().unwrap() + 1
    );
    assert!(after["totals"]["remaining_m2"].as_f64().unwrap() > remaining + 80_000.0);
    f.get("/api/dashboard", None).await.expect(401);
}

#[tokio::test]
async fn create_and_submit_is_all_or_nothing() {
    let f = Fixture::new();
    let mut bad = hazard_report("SUB-1", None, square(103.5, 13.3, 300.0));
    bad["entries"][0]["record"]["geometry"] = json!({"type": "Polygon", "coordinates": [[[103.0, 13.0], [103.01, 13.01], [103.01, 13.0], [103.0, 13.01], [103.0, 13.0]]]});
    let r = f
        .post("/api/reports?submit=true", Some("halo-entry"), &bad)
        .await
        .expect(422);
    assert_eq!(r.json()["errors"][0]["field"], "entries[0].record.geometry");
    let drafts = f
        .get("/api/reports?status=draft", Some("halo-entry"))
        .await
        .json();
    assert!(
        drafts["reports"].as_array().unwrap().is_empty(),
        "nothing written"
    );
}

#[tokio::test]
async fn records_are_searched_filtered_sorted_and_carry_no_personal_data() {
    let f = Fixture::new();
    let all = f
        .get("/api/records?kind=eo_find&limit=1000", Some("viewer"))
        .await
        .expect(200)
        .json();
    let n = f.store().items_of_kind(ItemKind::EoFind).unwrap().len();
    assert_eq!(all["total"].as_u64().unwrap() as usize, n);
    let ap = f
        .get(
            "/api/records?kind=eo_find&category=ap_mine&limit=1000",
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    assert!(
        ap["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["category"] == "ap_mine")
    );
    assert!(ap["total"].as_u64().unwrap() < all["total"].as_u64().unwrap());
    let sorted = f
        .get(
            "/api/records?kind=eo_find&sort=quantity&order=desc&limit=5",
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    let q: Vec<f64> = sorted["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["quantity"].as_f64().unwrap())
        .collect();
    assert!(q.windows(2).all(|w| w[0] >= w[1]));
    let victims = f
        .get("/api/records?kind=victim&limit=1000", Some("va"))
        .await
        .expect(200);
    for key in ["full_name", "address", "contact", "date_of_birth"] {
        assert!(
            !victims.json()["columns"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == key),
            "{key}"
        );
    }
    f.get("/api/records?kind=minefield", Some("viewer"))
        .await
        .expect(422);
    f.get("/api/records", Some("viewer")).await.expect(422);
    f.get("/api/records?kind=eo_find&sort=colour", Some("viewer"))
        .await
        .expect(422);
    f.get("/api/records?kind=eo_find&model%22)=x", Some("viewer"))
        .await
        .expect(422);
    f.get("/api/records?kind=eo_find", None).await.expect(401);
}

#[tokio::test]
async fn geometry_preview_builds_turning_point_polygons() {
    let f = Fixture::new();
    // A 100 m square walked from a benchmark, back to the start with 0.3 m of closing error.
    let legs = json!({"benchmark": {"lat": 13.1, "lon": 103.2}, "points": [
        {"bearing_deg": 0, "distance_m": 100}, {"bearing_deg": 90, "distance_m": 100},
        {"bearing_deg": 180, "distance_m": 100}, {"bearing_deg": 270, "distance_m": 100},
        {"bearing_deg": 0, "distance_m": 100.3}]});
    let p = f
        .post("/api/geometry/preview", Some("halo-entry"), &legs)
        .await
        .expect(200)
        .json();
    assert!(
        (p["area_m2"].as_f64().unwrap() - 10_000.0).abs() < 0.5,
        "{p}"
    );
    assert!((p["closing_error_m"].as_f64().unwrap() - 0.3).abs() < 0.01);
    assert_eq!(p["geometry"]["type"], "MultiPolygon");
    // UTM and MGRS positions.
    let pos = json!({"points": [{"utm": "48P 304855 1448889"}, {"utm": "48P 304955 1448889"}, {"mgrs": "48PTV0495548989"}, {"lat": 13.0967, "lon": 103.2}]});
    let p = f
        .post("/api/geometry/preview", Some("viewer"), &pos)
        .await
        .expect(200)
        .json();
    assert!(p["area_m2"].as_f64().unwrap() > 1000.0, "{p}");
    // Pasted GeoJSON with a self-intersection: measured, and the finding is reported.
    let bow = json!({"geometry": {"type": "Polygon", "coordinates": [[[103.0, 13.0], [103.01, 13.01], [103.01, 13.0], [103.0, 13.01], [103.0, 13.0]]]}});
    let p = f
        .post("/api/geometry/preview", Some("viewer"), &bow)
        .await
        .expect(200)
        .json();
    assert!(
        p["issues"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["severity"] == "error")
    );
    // Unusable input names the field.
    let r = f
        .post(
            "/api/geometry/preview",
            Some("viewer"),
            &json!({"points": [{"utm": "99Z 1 2"}, {"lat": 1, "lon": 1}, {"lat": 1, "lon": 2}]}),
        )
        .await
        .expect(422);
    assert_eq!(r.json()["errors"][0]["field"], "points[0]");
    f.post("/api/geometry/preview", Some("viewer"), &json!({}))
        .await
        .expect(422);
    f.post("/api/geometry/preview", None, &legs)
        .await
        .expect(401);
}

#[tokio::test]
async fn vocabularies_come_from_the_model() {
    let f = Fixture::new();
    let v = f
        .get("/api/vocabularies", Some("viewer"))
        .await
        .expect(200)
        .json();
    let methods: Vec<&str> = v["release_method"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["cancelled", "reduced", "cleared"]);
    assert!(
        v["asset_type"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["code"] == "mine_detection_rat")
    );
}

#[tokio::test]
async fn collections_export_as_files_and_exports_are_audited() {
    let f = Fixture::new();
    let n = f.store().items_of_kind(ItemKind::EoFind).unwrap().len();
    let csv = f
        .get("/api/export/eo-finds?format=csv", Some("mag-viewer"))
        .await
        .expect(200);
    assert!(
        csv.header("content-disposition")
            .unwrap()
            .contains("eo-finds.csv")
    );
    let text = String::from_utf8(csv.bytes.clone()).unwrap();
    assert_eq!(
        text.lines().nth(1).unwrap().split(',').next(),
        Some("#geo+wkt")
    );
    assert_eq!(text.lines().count(), n + 2);
    let gj = f
        .get("/api/export/eo-finds", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(gj["features"].as_array().unwrap().len(), n);
    let kml = f
        .get("/api/export/hazards?format=kml", Some("viewer"))
        .await
        .expect(200);
    assert!(String::from_utf8_lossy(&kml.bytes).contains("<Placemark"));
    let gpkg = f
        .get("/api/export/accidents?format=gpkg", Some("viewer"))
        .await
        .expect(200);
    assert!(gpkg.bytes.starts_with(b"SQLite format 3\0"));
    let shp = f
        .get("/api/export/eo-finds?format=shp", Some("viewer"))
        .await
        .expect(200);
    assert!(shp.bytes.starts_with(b"PK"));
    let xlsx = f
        .get("/api/export/eo-finds?format=xlsx", Some("viewer"))
        .await
        .expect(200);
    assert!(xlsx.bytes.starts_with(b"PK"));
    f.get("/api/export/eo-finds?format=mapinfo", Some("viewer"))
        .await
        .expect(422);
    // Victims export without personal data (crates/server/tests/export.rs has the rest).
    f.get("/api/export/victims", Some("va")).await.expect(200);
    f.get("/api/export/minefields", Some("va"))
        .await
        .expect(404);
    f.get("/api/export/eo-finds", None).await.expect(401);
    let log = f.store().audit_log().unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "export").count(), 7);
}

#[tokio::test]
async fn dashboard_counts_every_eo_find_and_every_accident() {
    let f = Fixture::new();
    let d = f
        .get("/api/dashboard", Some("viewer"))
        .await
        .expect(200)
        .json();
    // Counted independently: every find (destroyed or not) and every accident (with or
    // without victim records).
    let store = f.store();
    let (mut finds, mut items, mut accidents) = (0u64, 0u64, 0u64);
    store
        .for_each_current(ItemKind::EoFind, None, &mut |v| {
            if let Record::EoFind(e) = v.record {
                finds += 1;
                items += u64::from(e.quantity);
            }
            Ok(Flow::Continue)
        })
        .unwrap();
    store
        .for_each_current(ItemKind::Accident, None, &mut |_| {
            accidents += 1;
            Ok(Flow::Continue)
        })
        .unwrap();
    let found = &d["eo_found_by_category"];
    assert_eq!(sum(found, "records") as u64, finds);
    assert_eq!(sum(found, "quantity") as u64, items);
    assert_eq!(
        (sum(found, "disposed") + sum(found, "not_disposed")) as u64,
        items
    );
    let by_year = &d["accidents_by_year"];
    assert_eq!(sum(by_year, "accidents") as u64, accidents);
    assert_eq!(
        (sum(by_year, "with_victims") + sum(by_year, "without_victims")) as u64,
        accidents
    );

    // Finds without a destroyed date (one without any date) and accidents without victims.
    let report = json!({
        "title": "EO spot task and accidents", "source": "test", "date_of_information": "2025-03-01",
        "entries": [
            {"record": {"kind": "eo_find", "local_id": "DASH-EO-1", "category": "ied", "quantity": 4,
                        "found_date": "2025-02-01"}},
            {"record": {"kind": "eo_find", "local_id": "DASH-EO-2", "category": "ied", "quantity": 3}},
            {"record": {"kind": "accident", "local_id": "DASH-ACC-1", "date": "2025-02-10",
                        "admin_pcode": "KH02"}},
            {"record": {"kind": "accident", "local_id": "DASH-ACC-2", "date_known": false}}
        ]
    });
    let id = f
        .post("/api/reports?submit=true", Some("approver"), &report)
        .await
        .expect(201)
        .json()["id"]
        .as_i64()
        .unwrap();
    f.approve(id, "admin").await.expect(200);
    let after = f
        .get("/api/dashboard", Some("viewer"))
        .await
        .expect(200)
        .json();
    let row = |d: &Value, table: &str, key: &str, value: Value| -> Value {
        d[table]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r[key] == value)
            .cloned()
            .unwrap_or_else(|| json!({}))
    };
    let n = |r: &Value, k: &str| r[k].as_u64().unwrap_or(0);
    let (ied0, ied1) = (
        row(&d, "eo_found_by_category", "category", json!("ied")),
        row(&after, "eo_found_by_category", "category", json!("ied")),
    );
    assert_eq!(n(&ied1, "records"), n(&ied0, "records") + 2);
    assert_eq!(n(&ied1, "not_disposed"), n(&ied0, "not_disposed") + 7);
    assert_eq!(n(&ied1, "date_unknown"), n(&ied0, "date_unknown") + 1);
    assert_eq!(n(&ied1, "disposed"), n(&ied0, "disposed"));
    for year in [json!(2025), Value::Null] {
        let (a0, a1) = (
            row(&d, "accidents_by_year", "year", year.clone()),
            row(&after, "accidents_by_year", "year", year.clone()),
        );
        assert_eq!(n(&a1, "accidents"), n(&a0, "accidents") + 1, "{year}");
        assert_eq!(
            n(&a1, "without_victims"),
            n(&a0, "without_victims") + 1,
            "{year}"
        );
        assert_eq!(n(&a1, "killed"), n(&a0, "killed"), "{year}");
    }
    // EO destroyed leaves them out, as before.
    assert_eq!(
        sum(&after["eo_destroyed_by_category"], "quantity"),
        sum(&d["eo_destroyed_by_category"], "quantity")
    );
}

#[tokio::test]
async fn an_activity_entered_by_a_user_belongs_to_their_organisation_unless_named() {
    let f = Fixture::new();
    let report = |org: Option<&str>, record_org: Option<&str>| {
        json!({
            "organisation": org, "title": "NTS", "source": "web form",
            "date_of_information": "2025-03-01",
            "entries": [
                {"record": {"kind": "activity", "local_id": "ORG-ACT-1", "activity_type": "nts",
                            "status": "ongoing", "organisation": record_org}},
                {"record": {"kind": "risk_education", "local_id": "ORG-RE-1", "date": "2025-02-01"}},
                {"record": {"kind": "eo_find", "local_id": "ORG-EO-1", "category": "uxo", "quantity": 1}}
            ]
        })
    };
    let org = |r: &Value, i: usize| r["entries"][i]["record"]["organisation"].clone();
    // A data-entry user's activity and session are their organisation's.
    let mine = f
        .post("/api/reports", Some("halo-entry"), &report(None, None))
        .await
        .expect(201)
        .json();
    assert_eq!(mine["organisation"], "ORG-HALO");
    assert_eq!(org(&mine, 0), "ORG-HALO");
    assert_eq!(org(&mine, 1), "ORG-HALO");
    assert_eq!(
        org(&mine, 2),
        Value::Null,
        "an EO find has no organisation field"
    );
    // An approver of the national authority chooses the organisation on the report...
    let chosen = f
        .post(
            "/api/reports",
            Some("approver"),
            &report(Some("ORG-MAG"), None),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(org(&chosen, 0), "ORG-MAG");
    // ...and an organisation named on the record is kept.
    let named = f
        .post(
            "/api/reports",
            Some("approver"),
            &report(None, Some("ORG-HALO")),
        )
        .await
        .expect(201)
        .json();
    assert_eq!(named["organisation"], "ORG-CMAA");
    assert_eq!(org(&named, 0), "ORG-HALO");
    assert_eq!(org(&named, 1), "ORG-CMAA");
    // An edited draft is filled the same way.
    let id = mine["id"].as_i64().unwrap();
    let draft = f
        .get(&format!("/api/reports/{id}"), Some("halo-entry"))
        .await
        .expect(200);
    let etag = draft.header("etag").unwrap();
    let edited = f
        .put(
            &format!("/api/reports/{id}"),
            Some("halo-entry"),
            Some(&etag),
            &report(None, None),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(org(&edited, 0), "ORG-HALO");
}

/// A rectangle in degrees as geo-types, for areas computed apart from the server.
fn rectangle(w: f64, s: f64, e: f64, n: f64) -> geo_types::MultiPolygon<f64> {
    geo_types::MultiPolygon(vec![geo_types::Polygon::new(
        geo_types::LineString::from(vec![(w, s), (e, s), (e, n), (w, n), (w, s)]),
        vec![],
    )])
}

fn geojson(mp: &geo_types::MultiPolygon<f64>) -> Value {
    safeground_model::geometry::multipolygon_geojson::serialize(mp, serde_json::value::Serializer)
        .unwrap()
}

#[tokio::test]
async fn dashboard_serves_admin_boundaries_with_remaining_and_land_outside_hazards() {
    let f = Fixture::new();
    let d = f
        .get("/api/dashboard", Some("viewer"))
        .await
        .expect(200)
        .json();
    // The demo's provinces (level 1, the deepest with boundaries), each with the remaining
    // area of its row in the table.
    let features = d["admin_boundaries"]["features"].as_array().unwrap();
    assert_eq!(d["admin_boundaries"]["type"], "FeatureCollection");
    assert_eq!(features.len(), safeground_demo::PROVINCES.len());
    let rows = d["remaining_by_admin"].as_array().unwrap();
    for feature in features {
        let p = &feature["properties"];
        assert_eq!(p["level"], 1);
        assert!(feature["geometry"]["type"] == "MultiPolygon");
        let row = rows.iter().find(|r| r["admin_pcode"] == p["pcode"]);
        let (hazards, remaining) = row.map_or((0, 0.0), |r| {
            (
                r["hazards"].as_u64().unwrap(),
                r["remaining_m2"].as_f64().unwrap(),
            )
        });
        assert_eq!(p["hazards"].as_u64().unwrap(), hazards, "{}", p["pcode"]);
        assert!((p["remaining_m2"].as_f64().unwrap() - remaining).abs() < 1e-6);
        assert!(p["name"].as_str().is_some_and(|n| !n.is_empty()));
    }
    // The demo releases land only inside its hazards.
    let outside = &d["land_released_outside_hazards"];
    assert_eq!(outside["total"]["outside_m2"], 0.0);
    assert_eq!(outside["by_method"].as_array().unwrap().len(), 3);

    // A hazard, a clearance of it that reaches as far again east of it, and a survey naming
    // no hazard, far from every hazard.
    let (w, s, e, n) = (104.40, 12.30, 104.402, 12.302);
    let hazard = rectangle(w, s, e, n);
    let cleared = rectangle(w + 0.001, s, e + 0.001, n);
    let surveyed = rectangle(104.45, 12.35, 104.451, 12.351);
    let report = json!({
        "title": "Work outside hazards", "source": "test", "date_of_information": "2025-03-01",
        "entries": [
            {"record": {"kind": "hazard", "local_id": "DASH-OUT-H", "name": "Outside test",
                        "class": "cha", "status": "open", "admin_pcode": "KH02",
                        "evidence": ["accident"], "contamination": ["ap_mines"],
                        "geometry": geojson(&hazard)}},
            {"record": {"kind": "activity", "local_id": "DASH-OUT-CLR", "activity_type": "clearance",
                        "status": "completed", "hazard": "DASH-OUT-H", "admin_pcode": "KH02",
                        "released_areas": [{"method": "cleared", "geometry": geojson(&cleared)}]}},
            {"record": {"kind": "activity", "local_id": "DASH-OUT-NTS", "activity_type": "nts",
                        "status": "completed", "admin_pcode": "KH02",
                        "released_areas": [{"method": "cancelled", "geometry": geojson(&surveyed)}]}}
        ]
    });
    let id = f
        .post("/api/reports?submit=true", Some("approver"), &report)
        .await
        .expect(201)
        .json()["id"]
        .as_i64()
        .unwrap();
    f.approve(id, "admin").await.expect(200);
    let after = f
        .get("/api/dashboard", Some("viewer"))
        .await
        .expect(200)
        .json();
    let outside = &after["land_released_outside_hazards"];
    let method = |m: &str| {
        outside["by_method"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["method"] == m)
            .unwrap()
            .clone()
    };
    let east = safeground_geo::geodesic_area(&rectangle(e, s, e + 0.001, n));
    let far = safeground_geo::geodesic_area(&surveyed);
    let close = |a: &Value, b: f64| (a.as_f64().unwrap() - b).abs() <= 1e-6 * b;
    assert!(close(&method("cleared")["outside_m2"], east), "{outside}");
    assert_eq!(method("cleared")["activities"], 1);
    assert_eq!(method("cleared")["entirely_outside"], 0);
    assert!(close(&method("cancelled")["outside_m2"], far), "{outside}");
    assert_eq!(method("cancelled")["entirely_outside"], 1);
    assert!(close(&outside["total"]["outside_m2"], east + far));
    assert_eq!(outside["total"]["activities"], 2);
    assert_eq!(outside["total"]["entirely_outside"], 1);
    // The hazard-based figures credit the clearance only with the half inside the hazard.
    let west = safeground_geo::geodesic_area(&rectangle(w + 0.001, s, e, n));
    let gained = after["totals"]["cleared_m2"].as_f64().unwrap()
        - d["totals"]["cleared_m2"].as_f64().unwrap();
    assert!((gained - west).abs() <= 1e-6 * west, "{gained} vs {west}");
    // The new hazard's remainder is in KH02's boundary figures.
    let kh02 = |d: &Value| {
        d["admin_boundaries"]["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["pcode"] == "KH02")
            .unwrap()["properties"]["hazards"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(kh02(&after), kh02(&d) + 1);
}
