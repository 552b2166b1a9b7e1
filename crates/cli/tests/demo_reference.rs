//! The national demo (`safeground demo`, no hub) adopts the reference data of a demo ARMAC
//! hub: its ordnance reference pages are served as adopted, with their drawings, and with
//! found counts of this programme's own approved EO finds under its node id (KHM).

mod common;
mod pull_node;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{ok, s};
use pull_node::{Node, serve, user_token};

/// GET `path` with a bearer token: (status line and headers, body bytes).
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

/// EO items per model in the current version of every EO find, by plain SQL (not the
/// store's code).
fn items_per_model(db: &std::path::Path) -> BTreeMap<String, u64> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare(
            "SELECT json_extract(v.record, '$.model'), json_extract(v.record, '$.quantity') \
             FROM item i JOIN item_version v ON v.id = (SELECT id FROM item_version \
             WHERE item_id = i.id ORDER BY valid_from DESC, recorded_at DESC LIMIT 1) \
             WHERE i.kind = 'eo_find'",
        )
        .expect("prepare");
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?))
        })
        .expect("query");
    let mut counts = BTreeMap::new();
    for row in rows {
        if let (Some(model), quantity) = row.expect("row") {
            *counts.entry(model).or_default() += u64::try_from(quantity).expect("a quantity");
        }
    }
    counts
}

#[test]
fn the_national_demo_serves_adopted_reference_pages_with_its_own_found_counts() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let db = d.join("demo.sqlite");
    let out = ok(&[
        "demo",
        "--db",
        s(&db),
        "--hazards",
        "40",
        "--seed",
        "3",
        "--no-serve",
    ]);
    assert!(
        out.contains("reference data signed by a demo ARMAC key made for this demo"),
        "{out}"
    );
    // No hub key is written beside the demo.
    let keys: Vec<_> = (std::fs::read_dir(d).expect("dir").flatten())
        .filter(|e| e.path().extension().is_some_and(|x| x == "key"))
        .collect();
    assert!(keys.is_empty(), "{keys:?}");

    let listed = ok(&["reference", "pages", s(&db)]);
    assert!(
        listed.starts_with("10 ordnance reference page(s) of reference version 1 from ARMAC"),
        "{listed}"
    );
    let shown = ok(&["federation", "reference", s(&db)]);
    assert!(shown.contains("PFM-1\tap_mine\t"), "{shown}");

    // Served as any node's adopted reference data (the node key only lets `serve` start).
    let key = d.join("khm.key");
    ok(&[
        "federation",
        "init",
        s(&db),
        "--node",
        "KHM",
        "--name",
        "Cambodia (CMAA)",
        "--key",
        s(&key),
    ]);
    let (child, port) = serve(&db, &key);
    let served = Node {
        child,
        port,
        db: db.clone(),
        key,
        card: d.join("unused"),
        token_file: d.join("unused.token"),
    };
    let token = user_token(&served, "reader", "viewer");
    let (head, body) = get(port, "/api/reference/pages", &token);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let list = json(&body);
    assert_eq!(list["source"], "adopted", "{list}");
    assert_eq!(list["version"], 1);
    let rows = list["pages"].as_array().expect("pages");
    assert!(rows.len() >= 8, "{list}");
    assert!(rows.iter().all(|r| r["photo"].is_string()), "{list}");

    // Found counts: this programme's own finds, under its node id, for every model it found.
    let counts = items_per_model(&db);
    let mut checked = 0;
    for row in rows {
        let model = row["model"].as_str().expect("model");
        let expected = counts.get(model).copied().unwrap_or(0);
        assert_eq!(row["found_total"], expected, "{model}: {row}");
        if expected == 0 {
            continue;
        }
        let (head, body) = get(
            port,
            &format!("/api/reference/pages/{}", model.replace(' ', "%20")),
            &token,
        );
        assert!(head.starts_with("HTTP/1.1 200"), "{model}: {head}");
        let page = json(&body);
        assert_eq!(
            page["found"],
            serde_json::json!([{"node": "KHM", "name": "Cambodia (CMAA)", "items": expected}]),
            "{page}"
        );
        assert!(page["found_at"].is_string(), "{page}");
        checked += 1;
    }
    assert!(checked >= 3, "models the demo found have pages: {counts:?}");

    // The drawings are served, byte for byte.
    let drawings = safeground_demo::ordnance_pages::pages().expect("demo pages");
    let pmn2 = (drawings.iter())
        .find(|p| p.page.model == "PMN-2")
        .expect("PMN-2 page");
    let (_, body) = get(port, "/api/reference/pages/PMN-2", &token);
    let sha = json(&body)["photos"][0]["sha256"]
        .as_str()
        .expect("photo")
        .to_owned();
    let (head, bytes) = get(port, &format!("/api/reference/photos/{sha}"), &token);
    assert!(
        head.to_lowercase().contains("content-type: image/png"),
        "{head}"
    );
    assert_eq!(bytes, pmn2.drawings[0].1);

    // The catalogue in force offers the regional models to the find form.
    let (_, body) = get(port, "/api/reference", &token);
    let catalogue = json(&body);
    assert_eq!(catalogue["hub"], "ARMAC");
    let pfm = (catalogue["ordnance"].as_array().expect("ordnance").iter())
        .find(|m| m["model"] == "PFM-1")
        .cloned()
        .expect("PFM-1 listed");
    assert_eq!(pfm["source"], "reference");
    drop(served);
}
