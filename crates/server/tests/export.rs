//! `GET /api/export/{collection}`: filters like OGC API items, the victims export without
//! personal data for every reader, and with them only for the victim-assistance role.
#![allow(clippy::unwrap_used)]

mod common;

use common::Fixture;
use safeground_model::ItemKind;
use safeground_store::{AsOf, ProgrammeStore};
use serde_json::Value;

fn ids(doc: &Value) -> Vec<String> {
    doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn exports_filter_like_ogc_items() {
    let f = Fixture::new();
    let all = ids(&f
        .get("/api/export/hazards", Some("viewer"))
        .await
        .expect(200)
        .json());
    let first = &f.get("/api/export/hazards", Some("viewer")).await.json()["features"][0];
    let [x, y] = [0, 1].map(|i| {
        first["geometry"]["coordinates"][0][0][0][i]
            .as_f64()
            .unwrap()
    });
    let date = first["properties"]["date_of_information"].as_str().unwrap();
    for q in [
        "class=cha".to_owned(),
        "class=SHA&status=open".to_owned(),
        format!("bbox={},{},{},{}", x - 1e-4, y - 1e-4, x + 1e-4, y + 1e-4),
        format!("datetime=../{date}"),
    ] {
        let export = ids(&f
            .get(&format!("/api/export/hazards?{q}"), Some("viewer"))
            .await
            .expect(200)
            .json());
        let ogc = ids(&f
            .get(
                &format!("/ogc/collections/hazards/items?{q}&limit=10000"),
                Some("viewer"),
            )
            .await
            .expect(200)
            .json());
        assert_eq!(export, ogc, "{q}");
        assert!(export.len() < all.len() || q.starts_with("datetime"), "{q}");
    }
    // Every format takes the filter.
    let cha = ids(&f
        .get("/api/export/hazards?class=cha", Some("viewer"))
        .await
        .json());
    let csv = f
        .get("/api/export/hazards?format=csv&class=cha", Some("viewer"))
        .await
        .expect(200);
    assert_eq!(
        String::from_utf8_lossy(&csv.bytes).lines().count(),
        cha.len() + 2
    );
    for format in ["gpkg", "shp", "xlsx", "kml"] {
        f.get(
            &format!("/api/export/hazards?format={format}&class=cha&datetime=2015-01-01/.."),
            Some("viewer"),
        )
        .await
        .expect(200);
    }
    // Bad or unknown parameters are 400s naming them.
    for (q, says) in [
        (
            "colour=red",
            "format, personal_data, bbox, datetime and the properties class",
        ),
        ("bbox=1,2,3", "bbox"),
        ("datetime=soon", "datetime"),
        ("personal_data=maybe", "personal_data"),
        ("category=uxo", "unknown parameter `category`"),
    ] {
        let r = f
            .get(&format!("/api/export/hazards?{q}"), Some("viewer"))
            .await
            .expect(400);
        assert_eq!(
            r.header("content-type").unwrap(),
            "application/problem+json"
        );
        let detail = r.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains(says), "{q}: {detail}");
    }
    let log = f.store().audit_log().unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "export" && e.detail.as_deref() == Some("geojson class=cha"))
    );
}

/// Victims' full names in the fixture.
fn names(f: &Fixture) -> Vec<String> {
    let mut store = f.store();
    let mut out = Vec::new();
    for v in store.items_of_kind(ItemKind::Victim).unwrap() {
        if let Some(p) = store.victim_personal_data("test", &v, AsOf::now()).unwrap() {
            out.push(p.full_name);
        }
    }
    assert!(!out.is_empty());
    out
}

#[tokio::test]
async fn victims_export_without_personal_data_for_any_reader() {
    let f = Fixture::new();
    let names = names(&f);
    let n = f.store().items_of_kind(ItemKind::Victim).unwrap().len();
    for (user, format) in [
        ("viewer", "geojson"),
        ("mag-viewer", "csv"),
        ("va", "geojson"),
        ("admin", "xlsx"),
    ] {
        let r = f
            .get(&format!("/api/export/victims?format={format}"), Some(user))
            .await
            .expect(200);
        let text = String::from_utf8_lossy(&r.bytes);
        for name in &names {
            assert!(!text.contains(name.as_str()), "{name} for {user}");
        }
        if format == "geojson" {
            let doc = r.json();
            assert_eq!(doc["features"].as_array().unwrap().len(), n);
            let p = &doc["features"][0]["properties"];
            assert!(
                p["outcome"].is_string() && p.get("full_name").is_none(),
                "{p}"
            );
        }
    }
    let killed = f
        .get("/api/export/victims?outcome=killed", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert!(
        killed["features"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["properties"]["outcome"] == "killed")
    );
    // Never an OGC collection, never a tile layer, never anonymous.
    f.get("/ogc/collections/victims/items", Some("va"))
        .await
        .expect(404);
    f.get("/tiles/victims/0/0/0", Some("va")).await.expect(404);
    f.get("/api/export/victims", None).await.expect(401);
}

#[tokio::test]
async fn personal_data_leave_only_for_the_victim_assistance_role() {
    let f = Fixture::new();
    let names = names(&f);
    for user in ["viewer", "admin", "approver", "reviewer", "halo-entry"] {
        let r = f
            .get(
                "/api/export/victims?format=xlsx&personal_data=true",
                Some(user),
            )
            .await
            .expect(403);
        assert_eq!(
            r.header("content-type").unwrap(),
            "application/problem+json"
        );
    }
    let csv = f
        .get(
            "/api/export/victims?format=csv&personal_data=true",
            Some("va"),
        )
        .await
        .expect(400);
    assert!(
        csv.json()["detail"]
            .as_str()
            .unwrap()
            .contains("HXL exports never carry personal data")
    );
    f.get(
        "/api/export/victims?format=kml&personal_data=true",
        Some("va"),
    )
    .await
    .expect(400);
    f.get("/api/export/hazards?personal_data=true", Some("va"))
        .await
        .expect(400);
    let log = f.store().audit_log().unwrap();
    assert!(log.iter().all(|e| e.action != "export.personal_data"));

    // The allowed path: the names are in the file, and the export is audited with the user.
    let gj = f
        .get(
            "/api/export/victims?format=geojson&personal_data=true",
            Some("va"),
        )
        .await
        .expect(200);
    let text = String::from_utf8_lossy(&gj.bytes);
    for name in &names {
        assert!(text.contains(name.as_str()), "{name} missing");
    }
    let xlsx = f
        .get(
            "/api/export/victims?format=xlsx&personal_data=true&outcome=injured",
            Some("va"),
        )
        .await
        .expect(200);
    assert!(xlsx.bytes.starts_with(b"PK"));
    let log = f.store().audit_log().unwrap();
    let audited: Vec<_> = log
        .iter()
        .filter(|e| e.action == "export.personal_data")
        .collect();
    assert_eq!(audited.len(), 2, "{audited:?}");
    assert!(audited.iter().all(|e| e.actor == "va"));
}
