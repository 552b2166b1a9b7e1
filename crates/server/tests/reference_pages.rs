//! The ordnance reference library over HTTP: the hub's administrators write pages and add
//! photos; render-safe notes reach EOD officers only, audited; bad input is refused naming the
//! field with nothing stored; a node shows the pages, photos and found counts of the reference
//! set it adopted.
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use common::{Fixture, PASSWORD};
use safeground_server::auth::password::{hash_password, secret_digest};
use safeground_store::{
    AccountStore, CredentialKind, NewAccount, OrdnancePageStore, ProgrammeStore, Role,
};
use serde_json::{Value, json};

/// A PNG signature and some bytes (the library tells a file's kind from its first bytes).
fn png(n: u8) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend([n; 64]);
    b
}

/// Adds an EOD officer `eod` with the fixture's token scheme.
fn add_eod(f: &Fixture) {
    let mut store = f.store();
    store
        .add_account(
            "test",
            &NewAccount {
                username: "eod".into(),
                display_name: "EOD officer".into(),
                organisation: "ORG-CMAA".into(),
                role: Role::EodOfficer,
                password_hash: hash_password(PASSWORD).unwrap(),
            },
        )
        .unwrap();
    store
        .add_credential(
            "eod",
            &secret_digest(&common::token("eod")),
            CredentialKind::ApiToken,
            Some("tests"),
            None,
        )
        .unwrap();
}

fn body() -> Value {
    json!({
        "summary": "Soviet circular blast anti-personnel mine with a rubber pressure cover.",
        "dimensions": {"diameter_mm": 121, "height_mm": 54, "weight_g": 420,
                       "explosive_g": 100, "explosive": "TG-40"},
        "fuzing": "Integral mechanical pressure fuze with an arming delay.",
        "identification": ["Black rubber pressure cover with a cross", "Arming plug on the side"],
        "hazards": "Blast; initiated by a pressure of some 25 kg.",
        "render_safe": "Do not attempt render-safe: destroy in situ by qualified EOD personnel \
                        per national SOP."
    })
}

fn audited(f: &Fixture, action: &str) -> Vec<(String, String)> {
    (f.store().audit_log().unwrap().into_iter())
        .filter(|e| e.action == action)
        .map(|e| (e.actor, e.target))
        .collect()
}

#[tokio::test]
async fn the_hub_writes_pages_and_render_safe_notes_reach_eod_officers_only() {
    let f = Fixture::new();
    add_eod(&f);
    // Not a hub yet: 409 naming where pages are edited.
    let r = f
        .put("/api/reference/pages/PMN-2", Some("admin"), None, &body())
        .await;
    r.expect(409);
    let list = f.get("/api/reference/pages", Some("viewer")).await;
    assert_eq!(list.expect(200).json()["source"], "none");
    f.make_hub();
    f.put("/api/reference/pages/PMN-2", Some("viewer"), None, &body())
        .await
        .expect(403);
    f.put(
        "/api/reference/pages/Mystery-9",
        Some("admin"),
        None,
        &body(),
    )
    .await
    .expect(404);

    // A bad page: 422 naming each field, nothing stored.
    let mut bad = body();
    bad["dimensions"]["length_mm"] = json!(-5);
    bad["identification"] = json!([]);
    let r = f
        .put("/api/reference/pages/pmn%202", Some("admin"), None, &bad)
        .await;
    let problem = r.expect(422).json();
    let fields: Vec<&str> = (problem["errors"].as_array().unwrap().iter())
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["dimensions.length_mm", "identification"]);
    assert!(f.store().pages().unwrap().is_empty());

    // Written under its designation, whatever name the editor used.
    let page = f
        .put("/api/reference/pages/pmn%202", Some("admin"), None, &body())
        .await
        .expect(200)
        .json();
    assert_eq!(page["model"], "PMN-2");
    assert_eq!(page["category"], "ap_mine");
    assert_eq!(page["editable"], true);
    assert!(
        page["render_safe"]
            .as_str()
            .unwrap()
            .contains("destroy in situ")
    );

    // Photos: a non-image is refused on `file`; an image is stored and served.
    let uri = "/api/reference/pages/PMN-2/photos?caption=Top%20view";
    let r = f
        .raw(
            Method::POST,
            uri,
            Some("admin"),
            &[],
            b"%PDF-1.4 not a photo".to_vec(),
        )
        .await;
    assert_eq!(r.expect(422).json()["errors"][0]["field"], "file");
    let r = f
        .raw(
            Method::POST,
            uri,
            Some("admin"),
            &[],
            b"plain text".to_vec(),
        )
        .await;
    assert_eq!(r.expect(422).json()["errors"][0]["field"], "file");
    let r = f.raw(Method::POST, uri, Some("viewer"), &[], png(1)).await;
    r.expect(403);
    let page = f
        .raw(Method::POST, uri, Some("admin"), &[], png(1))
        .await
        .expect(201)
        .json();
    assert_eq!(page["photos"][0]["caption"], "Top view");
    let sha = page["photos"][0]["sha256"].as_str().unwrap().to_owned();
    let photo = f
        .get(&format!("/api/reference/photos/{sha}"), Some("viewer"))
        .await
        .expect(200);
    assert_eq!(photo.bytes, png(1));
    assert_eq!(photo.header("content-type").as_deref(), Some("image/png"));
    assert_eq!(
        photo.header("cache-control").as_deref(),
        Some("private, max-age=31536000, immutable")
    );
    f.get(
        &format!("/api/reference/photos/{}", "0".repeat(64)),
        Some("viewer"),
    )
    .await
    .expect(404);
    // The same photo twice: refused on the photo.
    let r = f.raw(Method::POST, uri, Some("admin"), &[], png(1)).await;
    assert_eq!(
        r.expect(422).json()["errors"][0]["field"],
        "photos[1].sha256"
    );

    // Editing keeps the photos; the page as read may be sent back (read-only fields ignored),
    // but an unknown field is refused.
    let mut edited = f
        .get("/api/reference/pages/PMN-2", Some("admin"))
        .await
        .expect(200)
        .json();
    edited["summary"] = json!("Edited summary.");
    let mut typo = edited.clone();
    typo["hazard"] = json!("typo");
    let r = f
        .put("/api/reference/pages/PMN-2", Some("admin"), None, &typo)
        .await;
    assert!(
        r.expect(422).json()["detail"]
            .as_str()
            .unwrap()
            .contains("hazard")
    );
    let page = f
        .put("/api/reference/pages/PMN-2", Some("admin"), None, &edited)
        .await
        .expect(200)
        .json();
    assert_eq!(page["photos"].as_array().unwrap().len(), 1);

    // A viewer: no render-safe notes, told they are withheld; nothing audited.
    let before = audited(&f, "reference.render_safe.read").len();
    let page = f
        .get("/api/reference/pages/pmn2", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(page["render_safe"], Value::Null);
    assert_eq!(page["render_safe_withheld"], true);
    assert_eq!(page["editable"], false);
    assert_eq!(audited(&f, "reference.render_safe.read").len(), before);
    // An EOD officer reads them, audited.
    let page = f
        .get("/api/reference/pages/PMN-2", Some("eod"))
        .await
        .expect(200)
        .json();
    assert!(
        page["render_safe"]
            .as_str()
            .unwrap()
            .contains("national SOP")
    );
    assert_eq!(page["render_safe_withheld"], false);
    let reads = audited(&f, "reference.render_safe.read");
    assert_eq!(
        reads.last().unwrap(),
        &("eod".to_owned(), "PMN-2".to_owned())
    );

    // The list: one row, found counts live from the shared finds.
    let list = f
        .get("/api/reference/pages", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(list["source"], "hub");
    assert_eq!(list["editable"], false);
    assert_eq!(list["pages"][0]["model"], "PMN-2");
    assert_eq!(list["pages"][0]["photo"], sha.as_str());
    let page = f
        .get("/api/reference/pages/PMN-2", Some("viewer"))
        .await
        .json();
    let found: u64 = (page["found"].as_array().unwrap().iter())
        .map(|c| c["items"].as_u64().unwrap())
        .sum();
    assert_eq!(list["pages"][0]["found_total"].as_u64(), Some(found));
    assert!(page["found_at"].is_string());
    f.get("/api/reference/pages/TM-62", Some("viewer"))
        .await
        .expect(404);

    // Removing the photo.
    let page = f
        .raw(
            Method::DELETE,
            &format!("/api/reference/pages/PMN-2/photos/{sha}"),
            Some("admin"),
            &[],
            Vec::new(),
        )
        .await
        .expect(200)
        .json();
    assert!(page["photos"].as_array().unwrap().is_empty());
    f.get(&format!("/api/reference/photos/{sha}"), Some("viewer"))
        .await
        .expect(404);
    assert_eq!(audited(&f, "reference.page.edit").len(), 4);
}

#[tokio::test]
async fn a_node_shows_the_pages_of_the_set_it_adopted() {
    use safeground_federation::reference::{FoundIn, PublishedPage};
    use safeground_store::reference::ReferenceStore;
    let f = Fixture::new();
    add_eod(&f);
    let (key, mut set, _) = common::armac_reference();
    let photo = png(7);
    let mut published = PublishedPage {
        page: serde_json::from_value(json!({"model": "PFM-1", "summary": "s", "fuzing": "f",
            "identification": ["i"], "hazards": "h"}))
        .unwrap(),
        found: vec![FoundIn {
            node: "LAO".into(),
            name: "Lao PDR (NRA)".into(),
            items: 31,
        }],
        found_at: Some(chrono::Utc::now()),
        photo_data: Default::default(),
    };
    let sha = published.insert_photo(&photo);
    let mut v = body();
    v["model"] = json!("PFM-1");
    let mut page: safeground_model::OrdnancePage = serde_json::from_value(v).unwrap();
    page.photos.push(safeground_model::PagePhoto {
        sha256: sha.clone(),
        media_type: "image/png".into(),
        caption: "Green plastic wing".into(),
    });
    published.page = page;
    set.pages.push(published);
    let doc = set.sign(&key).unwrap();
    let mut store = f.store();
    let card = key.card("ARMAC").unwrap().to_json();
    store.trust_hub("test", "ARMAC", &card).unwrap();
    store
        .adopt_reference("test", set.version, &doc, &set.ordnance)
        .unwrap();

    let list = f
        .get("/api/reference/pages", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(list["source"], "adopted");
    assert_eq!(list["version"], 1);
    assert_eq!(list["editable"], false);
    assert_eq!(list["pages"][0]["model"], "PFM-1");
    assert_eq!(list["pages"][0]["found_total"], 31);
    let page = f
        .get("/api/reference/pages/butterfly%20mine", Some("admin"))
        .await
        .expect(200)
        .json();
    assert_eq!(page["model"], "PFM-1");
    assert_eq!(page["aliases"], json!(["butterfly mine"]));
    assert_eq!(page["found"][0]["node"], "LAO");
    assert_eq!(
        page["render_safe"],
        Value::Null,
        "a node's admin is no EOD officer"
    );
    assert_eq!(page["render_safe_withheld"], true);
    let page = f
        .get("/api/reference/pages/PFM-1", Some("eod"))
        .await
        .expect(200)
        .json();
    assert!(page["render_safe"].is_string());
    assert_eq!(audited(&f, "reference.render_safe.read").len(), 1);
    let r = f
        .get(&format!("/api/reference/photos/{sha}"), Some("viewer"))
        .await
        .expect(200);
    assert_eq!(r.bytes, photo);
    f.get(&format!("/api/reference/photos/{sha}"), None)
        .await
        .expect(401);
    // Pages are edited on the hub only.
    f.put("/api/reference/pages/PFM-1", Some("admin"), None, &body())
        .await
        .expect(409);
}
