//! Library documents received from another programme, over HTTP: the document JSON names the
//! owner (null for the programme's own), received documents are read-only (409 naming the
//! owner on an edit or a new version), and a hub serves its signed library manifest and the
//! files of its public and regional documents only.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::Method;
use common::Fixture;
use safeground_federation::library_package::LibraryPackage;
use safeground_federation::{NodeId, NodeKey, Policy};
use safeground_library::samples;
use safeground_server::ServerConfig;
use safeground_server::federation::Sharing;
use safeground_store::library::{DocumentMeta, VersionContent};
use safeground_store::library_exchange::{IncomingDocument, IncomingVersion};
use safeground_store::{FederationStore, LibraryExchangeStore};
use serde_json::json;

fn upload_query(title: &str, access: &str) -> String {
    format!("/api/library?title={title}&language=en&doc_type=sop&access={access}&file_name=f.pdf")
}

async fn upload(f: &Fixture, title: &str, access: &str, text: &str) -> serde_json::Value {
    f.raw(
        Method::POST,
        &upload_query(title, access),
        Some("admin"),
        &[("content-type", "application/octet-stream")],
        samples::pdf(&[text]),
    )
    .await
    .expect(201)
    .json()
}

#[tokio::test]
async fn received_documents_name_their_owner_and_are_read_only() {
    let f = Fixture::new();
    let own = upload(&f, "Own%20SOP", "regional", "our own procedure").await;
    assert_eq!(own["owner"], json!(null));
    let received = IncomingDocument {
        uuid: "5c3a9e1d-7b2f-4c1a-9e8d-2f6b4a1c0d9e".into(),
        owner: "LAO".into(),
        meta: DocumentMeta {
            title: "NRA risk education video".into(),
            language: "lo".into(),
            country: Some("LAO".into()),
            doc_type: "risk_education_material".into(),
            imas_topic: None,
            access: "public".into(),
            organisation: Some("NRA".into()),
        },
        versions: vec![IncomingVersion {
            version: 1,
            content: VersionContent {
                file_name: None,
                media_type: "text/uri-list".into(),
                size_bytes: 0,
                sha256: None,
                link: Some("https://video.example.org/nra-mre".into()),
                note: None,
            },
            uploaded_at: chrono::Utc::now(),
        }],
    };
    let got = f
        .store()
        .receive_library("test", "ARMAC", None, &[received], &HashMap::new())
        .unwrap();
    let id = got.changed[0];

    let list = f
        .get("/api/library", Some("viewer"))
        .await
        .expect(200)
        .json();
    let owners: Vec<_> = list["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_i64().unwrap(), d["owner"].clone()))
        .collect();
    assert!(owners.contains(&(id, json!("LAO"))), "{owners:?}");
    assert!(
        owners.contains(&(own["id"].as_i64().unwrap(), json!(null))),
        "{owners:?}"
    );
    let doc = f
        .get(&format!("/api/library/{id}"), Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(doc["owner"], "LAO");
    assert_eq!(doc["versions"][0]["uploaded_by"], "LAO");

    // Read-only: no edit, no new version; nothing changes.
    let edit = json!({"title": "Renamed", "language": "lo", "doc_type": "sop", "access": "public"});
    let r = f
        .put(&format!("/api/library/{id}"), Some("admin"), None, &edit)
        .await
        .expect(409)
        .json();
    assert!(
        r["detail"].as_str().unwrap().contains("received from LAO"),
        "{r}"
    );
    let r = f
        .raw(
            Method::POST,
            &format!("/api/library/{id}/versions?link=https://video.example.org/other"),
            Some("admin"),
            &[],
            Vec::new(),
        )
        .await
        .expect(409)
        .json();
    assert!(r["detail"].as_str().unwrap().contains("only LAO"), "{r}");
    let after = f
        .get(&format!("/api/library/{id}"), Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(after, doc);
    // The programme's own document is still edited as before.
    let edit =
        json!({"title": "Own SOP, 2nd", "language": "en", "doc_type": "sop", "access": "regional"});
    f.put(
        &format!("/api/library/{}", own["id"]),
        Some("admin"),
        None,
        &edit,
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn a_hub_serves_its_signed_manifest_and_shared_files_only() {
    // No hub: nothing to serve.
    let plain = Fixture::new();
    plain
        .get("/api/hub/library/manifest", Some("viewer"))
        .await
        .expect(503);

    let key = NodeKey::generate(NodeId::new("ARMAC").unwrap()).unwrap();
    let card = key.card("ARMAC").unwrap();
    let hub = Fixture::with_config(ServerConfig {
        sharing: Some(Arc::new(Sharing {
            key,
            policy: Policy::default(),
        })),
        ..ServerConfig::default()
    });
    hub.get("/api/hub/library/manifest", Some("viewer"))
        .await
        .expect(404);
    hub.make_hub();
    hub.store().set_node("test", "ARMAC").unwrap();
    let public = upload(&hub, "Regional%20guide", "public", "battle area clearance").await;
    let national = upload(&hub, "Budget%20memo", "national", "internal budget").await;

    let manifest = hub
        .get("/api/hub/library/manifest", Some("khm-viewer"))
        .await
        .expect(200);
    let text = String::from_utf8(manifest.bytes).unwrap();
    let package = LibraryPackage::verify(&text, &card).unwrap();
    assert_eq!(package.documents.len(), 1);
    assert_eq!(package.documents[0].title, "Regional guide");
    assert_eq!(package.documents[0].owner.as_str(), "ARMAC");

    let sha = public["versions"][0]["sha256"].as_str().unwrap();
    let file = hub
        .get(&format!("/api/hub/library/files/{sha}"), Some("khm-viewer"))
        .await
        .expect(200);
    assert_eq!(file.bytes, samples::pdf(&["battle area clearance"]));
    let sha = national["versions"][0]["sha256"].as_str().unwrap();
    hub.get(&format!("/api/hub/library/files/{sha}"), Some("khm-viewer"))
        .await
        .expect(404);
    hub.get("/api/hub/library/files/..%2F..%2Fetc", Some("khm-viewer"))
        .await
        .expect(404);
    hub.get("/api/hub/library/manifest", None).await.expect(401);
}
