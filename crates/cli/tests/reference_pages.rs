//! The ordnance reference library end to end: the regional demo's hub has pages for the common
//! models, published with its found counts and drawings and adopted by every node; the hub
//! edits a page and adds a photo, publishes, a node adopts the file, and the node's API shows
//! the page, the photo's bytes and the found counts; render-safe notes only for EOD officers.

mod common;
mod pull_node;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use common::{ok, s, safeground};
use pull_node::{Node, serve, user_token};

/// A PNG signature and some bytes (the library tells a file's kind from its first bytes).
fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend((0..200u8).map(|i| i.wrapping_mul(7)));
    b
}

/// GET `path` with a bearer token: (status line, body bytes).
fn get(port: u16, path: &str, token: &str) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Connection: close\r\n\r\n"
    )
    .expect("request");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("answer");
    let split = (answer.windows(4))
        .position(|w| w == b"\r\n\r\n")
        .expect("headers");
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    (head, answer[split + 4..].to_vec())
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).expect("JSON")
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
}

#[test]
fn the_hub_edits_pages_and_its_nodes_show_them_with_photos_and_found_counts() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let (hub, key) = (d.join("hub.sqlite"), d.join("safeground-demo-ARMAC.key"));
    let (node, node_key) = (
        d.join("safeground-demo-KHM.sqlite"),
        d.join("safeground-demo-KHM.key"),
    );
    let said = ok(&[
        "demo",
        "--regional",
        "--db",
        s(&hub),
        "--hazards",
        "12",
        "--seed",
        "5",
        "--no-serve",
    ]);
    assert!(said.contains("8 ordnance reference pages"), "{said}");
    let listed = ok(&["reference", "pages", s(&node)]);
    assert!(
        listed.starts_with("8 ordnance reference page(s) of reference version 1 from ARMAC"),
        "{listed}"
    );
    assert!(listed.contains("BLU-26\t1 photo(s)"), "{listed}");

    // A bad page is refused naming the field; nothing stored.
    let bad = d.join("bad.json");
    write(
        &bad,
        r#"{"summary": "x", "dimensions": {"length_mm": -1}, "fuzing": "f",
            "identification": ["i"], "hazards": "h"}"#,
    );
    let out = safeground(&[
        "reference",
        "page",
        "set",
        s(&hub),
        "PMN",
        "--file",
        s(&bad),
        "--actor",
        "admin",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("dimensions.length_mm"),
        "{err}"
    );
    let shown = ok(&["reference", "page", "show", s(&hub), "PMN"]);
    assert!(shown.contains("Bakelite"), "unchanged: {shown}");
    // Only an administrator writes.
    let page = d.join("page.json");
    write(
        &page,
        r#"{"summary": "Edited: Chinese minimum-metal blast AP mine.",
            "dimensions": {"diameter_mm": 78, "height_mm": 38, "weight_g": 140},
            "fuzing": "Integral pressure fuze.",
            "identification": ["Small green plastic cylinder"],
            "hazards": "Blast; hard to detect.",
            "render_safe": "Destroy in situ by qualified EOD personnel."}"#,
    );
    let out = safeground(&[
        "reference",
        "page",
        "set",
        s(&hub),
        "type 72a",
        "--file",
        s(&page),
        "--actor",
        "analyst",
    ]);
    assert!(!out.status.success());
    let said = ok(&[
        "reference",
        "page",
        "set",
        s(&hub),
        "type 72a",
        "--file",
        s(&page),
        "--actor",
        "admin",
    ]);
    assert!(said.contains("page of Type 72A written"), "{said}");
    let photo = d.join("photo.png");
    std::fs::write(&photo, png()).expect("photo");
    let said = ok(&[
        "reference",
        "page",
        "photo",
        s(&hub),
        "Type 72A",
        s(&photo),
        "--caption",
        "Found near Pailin",
        "--actor",
        "admin",
    ]);
    assert!(said.contains("2 photo(s)"), "{said}");
    let text = d.join("text.png");
    write(&text, "not an image");
    let out = safeground(&[
        "reference",
        "page",
        "photo",
        s(&hub),
        "Type 72A",
        s(&text),
        "--actor",
        "admin",
    ]);
    assert!(!out.status.success());

    // Published (models and terms of version 1 kept), adopted by file at a node.
    let said = ok(&["hub", "publish-reference", s(&hub), "--key", s(&key)]);
    assert!(
        said.contains("reference version 2 published by ARMAC: 9 ordnance models")
            && said.contains("10 ordnance reference pages"),
        "{said}"
    );
    let file = d.join("v2.json");
    ok(&["hub", "reference-file", s(&hub), "--out", s(&file)]);
    let said = ok(&["federation", "adopt-reference", s(&node), s(&file)]);
    assert!(
        said.contains("reference version 2 from ARMAC adopted"),
        "{said}"
    );
    let shown = ok(&["reference", "page", "show", s(&node), "TYPE-72A"]);
    assert!(
        shown.contains("Edited: Chinese") && shown.contains("Found near Pailin"),
        "{shown}"
    );
    assert!(
        shown.contains("found in") && shown.contains("withheld"),
        "{shown}"
    );
    ok(&[
        "users",
        "add",
        s(&node),
        "deminer",
        "--role",
        "eod_officer",
        "--organisation",
        "ORG-CMAA",
    ]);
    let shown = ok(&[
        "reference",
        "page",
        "show",
        s(&node),
        "Type 72A",
        "--render-safe",
        "--actor",
        "deminer",
    ]);
    assert!(
        shown.contains("Render-safe notes: Destroy in situ"),
        "{shown}"
    );

    // The node's API: the page, the photo's bytes, the found counts.
    let (child, port) = serve(&node, &node_key);
    let served = Node {
        child,
        port,
        db: node.clone(),
        key: node_key.clone(),
        card: d.join("unused"),
        token_file: d.join("unused.token"),
    };
    let token = user_token(&served, "reader", "viewer");
    let (head, body) = get(port, "/api/reference/pages", &token);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let list = json(&body);
    assert_eq!(list["source"], "adopted");
    assert_eq!(list["version"], 2);
    let rows = list["pages"].as_array().expect("pages");
    assert_eq!(rows.len(), 10);
    let found: u64 = rows.iter().filter_map(|r| r["found_total"].as_u64()).sum();
    assert!(
        found > 0,
        "found counts from the hub's shared finds: {list}"
    );
    let (_, body) = get(port, "/api/reference/pages/Type%2072A", &token);
    let page = json(&body);
    assert_eq!(
        page["summary"],
        "Edited: Chinese minimum-metal blast AP mine."
    );
    assert_eq!(page["render_safe"], serde_json::Value::Null);
    assert_eq!(page["render_safe_withheld"], true);
    assert!(page["found_at"].is_string(), "{page}");
    let sha = page["photos"][1]["sha256"].as_str().expect("photo");
    let (head, bytes) = get(port, &format!("/api/reference/photos/{sha}"), &token);
    assert!(
        head.to_lowercase().contains("content-type: image/png"),
        "{head}"
    );
    assert_eq!(bytes, png());
    drop(served);
}
