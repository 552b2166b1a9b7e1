//! The document library over HTTP: uploads streamed under a limit, their kind told from the
//! bytes, encrypted/damaged/duplicate/oversized files refused with nothing stored, versions and
//! links, downloads with their media type, roles, and search across documents and records in
//! Khmer, Thai and Vietnamese (words inside unspaced text, diacritics optional).
#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use common::Fixture;
use safeground_library::samples;
use safeground_server::ServerConfig;
use safeground_store::ProgrammeStore;
use serde_json::{Value, json};

const DESCRIBE: &str = "title=Standard%20operating%20procedure%20for%20manual%20clearance\
                        &language=en&country=KHM&doc_type=sop&imas_topic=09.10&access=regional\
                        &organisation=CMAA&file_name=sop-manual.pdf";

async fn upload(f: &Fixture, query: &str, user: &str, body: Vec<u8>) -> common::Reply {
    f.raw(
        Method::POST,
        &format!("/api/library?{query}"),
        Some(user),
        &[("content-type", "application/octet-stream")],
        body,
    )
    .await
}

fn files_in(f: &Fixture) -> usize {
    let objects = f.path.with_extension("library").join("objects");
    let Ok(dirs) = std::fs::read_dir(objects) else {
        return 0;
    };
    dirs.map(|d| std::fs::read_dir(d.unwrap().path()).unwrap().count())
        .sum()
}

fn search_ids(reply: &Value) -> Vec<String> {
    reply["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn documents_are_uploaded_versioned_downloaded_and_found() {
    let f = Fixture::new();
    let pdf = samples::pdf(&["Manual clearance drills for the Battambang minefields"]);
    let doc = upload(&f, DESCRIBE, "reviewer", pdf.clone())
        .await
        .expect(201)
        .json();
    let id = doc["id"].as_i64().unwrap();
    assert_eq!(doc["versions"][0]["media_type"], "application/pdf");
    assert_eq!(doc["versions"][0]["size_bytes"], pdf.len());
    let href = doc["versions"][0]["href"].as_str().unwrap().to_owned();
    let file = f.get(&href, Some("viewer")).await.expect(200);
    assert_eq!(file.bytes, pdf);
    assert_eq!(
        file.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(
        file.header("content-disposition")
            .unwrap()
            .contains("sop-manual.pdf")
    );

    // A Khmer version (DOCX) and a video link; the current text is searched.
    let khmer = samples::docx(&["ការបោសសម្អាតមីនដោយដៃនៅខេត្តបាត់ដំបង"]);
    let v2 = f
        .raw(
            Method::POST,
            &format!("/api/library/{id}/versions?file_name=sop-km.docx&note=Khmer%20edition"),
            Some("admin"),
            &[],
            khmer,
        )
        .await
        .expect(201)
        .json();
    assert_eq!(v2["versions"].as_array().unwrap().len(), 2);
    let thai = samples::docx(&["การเก็บกู้ทุ่นระเบิดในจังหวัดสระแก้ว"]);
    let q = "title=%E0%B8%81%E0%B8%B2%E0%B8%A3%E0%B9%80%E0%B8%81%E0%B9%87%E0%B8%9A\
             &language=th&country=THA&doc_type=lessons_learned&access=public";
    let th = upload(&f, q, "approver", thai).await.expect(201).json();
    let video = upload(
        &f,
        "title=Ti%E1%BA%BFng%20Vi%E1%BB%87t%20risk%20education&language=vi&doc_type=risk_education_material\
         &access=public&link=https%3A%2F%2Fvideo.example.org%2Fbom-min",
        "reviewer",
        Vec::new(),
    )
    .await
    .expect(201)
    .json();
    assert_eq!(video["versions"][0]["media_type"], "text/uri-list");
    assert!(video["versions"][0]["href"].is_null());

    // Khmer word inside an unspaced sentence; Thai word inside a compound; the first
    // version's English text is no longer current.
    let hits = f
        .get(
            "/api/library/search?q=%E1%9E%98%E1%9E%B8%E1%9E%93",
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(search_ids(&hits), [format!("document:{id}")]);
    assert_eq!(hits["hits"][0]["link"], format!("#/library/{id}"));
    let snippet = hits["hits"][0]["snippet"].as_str().unwrap();
    let (a, b) = (
        hits["hits"][0]["highlights"][0][0].as_u64().unwrap() as usize,
        hits["hits"][0]["highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(&snippet[a..b], "មីន");
    let hits = f
        .get(
            "/api/library/search?q=%E0%B8%A3%E0%B8%B0%E0%B9%80%E0%B8%9A%E0%B8%B4%E0%B8%94",
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(search_ids(&hits), [format!("document:{}", th["id"])]);
    let hits = f
        .get(
            "/api/library/search?q=Battambang%20minefields&kind=document",
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(hits["total"], 0, "{hits}");
    // Unaccented Vietnamese finds the accented title; filters apply.
    let hits = f
        .get(
            "/api/library/search?q=tieng%20viet&access=public",
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(search_ids(&hits), [format!("document:{}", video["id"])]);
    let hits = f
        .get(
            "/api/library/search?q=tieng%20viet&country=KHM",
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(hits["total"], 0);

    // Records are searched too: the fixture's hazards by id.
    let hazard = f.largest_remaining_hazard().item;
    let hits = f
        .get(
            &format!("/api/library/search?q={hazard}&kind=hazard"),
            Some("viewer"),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(search_ids(&hits), [hazard.as_str()]);
    assert_eq!(hits["hits"][0]["link"], format!("#/items/{hazard}"));

    let list = f
        .get("/api/library", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(list["documents"].as_array().unwrap().len(), 3);
    assert_eq!(list["may_edit"], false);

    // Editing the description re-indexes it.
    let edited = f
        .put(
            &format!("/api/library/{}", video["id"]),
            Some("reviewer"),
            None,
            &json!({"title": "Giáo dục nguy cơ bom mìn", "language": "vi",
                    "doc_type": "risk_education_material", "access": "national"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(edited["access"], "national");
    let hits = f
        .get("/api/library/search?q=giao%20duc", Some("viewer"))
        .await
        .expect(200)
        .json();
    assert_eq!(search_ids(&hits), [format!("document:{}", video["id"])]);
    let audit: Vec<String> = f
        .store()
        .audit_log()
        .unwrap()
        .into_iter()
        .filter(|a| a.target.starts_with("library:"))
        .map(|a| a.action)
        .collect();
    assert_eq!(
        audit,
        [
            "library.add",
            "library.version",
            "library.add",
            "library.add",
            "library.edit"
        ]
    );
}

#[tokio::test]
async fn bad_uploads_are_refused_and_store_nothing() {
    let config = ServerConfig {
        library_max_bytes: 4096,
        ..ServerConfig::default()
    };
    let f = Fixture::with_config(config);
    let pdf = samples::pdf(&["First edition"]);
    upload(&f, DESCRIBE, "reviewer", pdf.clone())
        .await
        .expect(201);
    assert_eq!(files_in(&f), 1);

    // The same bytes again: 409 naming the holder.
    let dup = upload(
        &f,
        &DESCRIBE.replace("regional", "public"),
        "reviewer",
        pdf.clone(),
    )
    .await;
    let dup = dup.expect(409).json();
    assert!(
        dup["detail"]
            .as_str()
            .unwrap()
            .contains("document 1 version 1"),
        "{dup}"
    );
    // Too large (the limit is 4 KiB here): 413.
    let big = upload(&f, DESCRIBE, "reviewer", {
        let mut b = b"%PDF-1.7\n".to_vec();
        b.resize(10_000, b' ');
        b
    })
    .await;
    assert!(
        big.expect(413).json()["detail"]
            .as_str()
            .unwrap()
            .contains("4096")
    );
    // Damaged, encrypted-like garbage, unknown kinds, empty: 422 naming the file.
    let damaged = upload(&f, DESCRIBE, "reviewer", pdf[..pdf.len() / 2].to_vec()).await;
    let damaged = damaged.expect(422).json();
    assert_eq!(damaged["errors"][0]["field"], "file");
    assert!(
        damaged["detail"].as_str().unwrap().contains("damaged"),
        "{damaged}"
    );
    let html = upload(&f, DESCRIBE, "reviewer", b"<html>hello</html>".to_vec()).await;
    assert!(
        html.expect(422).json()["detail"]
            .as_str()
            .unwrap()
            .contains("unsupported")
    );
    upload(&f, DESCRIBE, "reviewer", Vec::new())
        .await
        .expect(422);
    // Bad descriptions: every field named, before the body is read.
    let bad = upload(
        &f,
        "title=&language=fr&doc_type=memo&access=secret&country=Cambodia",
        "reviewer",
        samples::pdf(&["Other"]),
    )
    .await
    .expect(422)
    .json();
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["title", "language", "doc_type", "access", "country"]
    );
    // Roles: viewers read only; anonymous users nothing.
    upload(&f, DESCRIBE, "viewer", samples::pdf(&["x"]))
        .await
        .expect(403);
    f.get("/api/library", None).await.expect(401);
    f.get("/api/library/search?q=mine", None).await.expect(401);
    f.get("/api/library/search?q=%20", Some("viewer"))
        .await
        .expect(422);
    f.get("/api/library/search?q=mine&lang=xx", Some("viewer"))
        .await
        .expect(422);
    f.get("/api/library/99", Some("viewer")).await.expect(404);
    f.get("/api/library/1/versions/9/file", Some("viewer"))
        .await
        .expect(404);

    // Nothing of the refused uploads was kept: one file, one document, no stray upload.
    assert_eq!(files_in(&f), 1);
    let incoming = f.path.with_extension("library").join("incoming");
    assert_eq!(std::fs::read_dir(incoming).unwrap().count(), 0);
    let list = f
        .get("/api/library", Some("admin"))
        .await
        .expect(200)
        .json();
    assert_eq!(list["documents"].as_array().unwrap().len(), 1);
    assert_eq!(list["max_upload_bytes"], 4096);
}

#[tokio::test]
async fn uploads_larger_than_the_server_body_limit_stream_to_the_library() {
    // The general body limit (for JSON) is below the upload; the library's own limit applies.
    let config = ServerConfig {
        max_body_bytes: 1024,
        ..ServerConfig::default()
    };
    let f = Fixture::with_config(config);
    let lines: Vec<String> = (0..60)
        .map(|i| format!("Line {i} of the national standard on EOD"))
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let pdf = samples::pdf(&lines);
    assert!(pdf.len() > 1024);
    upload(&f, DESCRIBE, "reviewer", pdf).await.expect(201);
    // JSON endpoints keep the small limit.
    let big = json!({"title": "x".repeat(2000), "language": "en", "doc_type": "sop", "access": "national"});
    f.put("/api/library/1", Some("reviewer"), None, &big)
        .await
        .expect(413);
}

#[tokio::test]
async fn the_upload_query_names_a_missing_field_and_the_api_lists_every_one() {
    let f = Fixture::new();
    let pdf = samples::pdf(&["Marking of hazardous areas"]);
    let reply = upload(
        &f,
        "language=en&doc_type=sop&access=public",
        "reviewer",
        pdf,
    )
    .await
    .expect(422);
    let body = String::from_utf8_lossy(&reply.bytes).into_owned();
    assert!(body.contains("missing field `title`"), "{body}");
    assert_eq!(files_in(&f), 0);
    // A link with every field of the description and of the version: each one is stored.
    let doc = upload(
        &f,
        "title=Marking%20video&language=km&country=khm&doc_type=risk_education_material\
         &imas_topic=08.40&access=public&organisation=CMAC&file_name=ignored.txt\
         &link=https://video.example.org/marking&note=first%20cut",
        "reviewer",
        Vec::new(),
    )
    .await
    .expect(201)
    .json();
    assert_eq!(doc["country"], "KHM");
    assert_eq!(doc["imas_topic"], "08.40");
    assert_eq!(doc["organisation"], "CMAC");
    assert_eq!(
        doc["versions"][0]["link"],
        "https://video.example.org/marking"
    );
    assert_eq!(doc["versions"][0]["note"], "first cut");

    let api = f.get("/api/openapi.json", None).await.expect(200).json();
    let listed: Vec<&str> = api["paths"]["/api/library"]["post"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for field in [
        "title",
        "language",
        "country",
        "doc_type",
        "imas_topic",
        "access",
        "organisation",
        "file_name",
        "link",
        "note",
    ] {
        assert!(listed.contains(&field), "{field} not in {listed:?}");
    }
}
