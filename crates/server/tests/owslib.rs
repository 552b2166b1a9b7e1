//! OWSLib (the OGC's Python client library) as an independent client of the OGC API: it opens
//! the landing page (at `/ogc/`, with the trailing slash it always adds), the conformance
//! declaration, the collections, queryables, pages of items and one feature. Needs Python 3
//! with OWSLib (Debian `python3-owslib`): skipped with a message when absent, unless
//! `SAFEGROUND_REQUIRE_OWSLIB=1` (CI sets it) turns its absence into a failure.
#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use common::Fixture;
use safeground_model::ItemKind;
use safeground_store::ProgrammeStore;
use serde_json::Value;

/// The Python client: reads what OWSLib reads and prints it as one JSON object.
const CLIENT: &str = r#"
import json, sys
from owslib.ogcapi.features import Features

url, token = sys.argv[1], sys.argv[2]
api = Features(url, headers={"Authorization": "Bearer " + token})
out = {
    "landing_links": sorted(l["rel"] for l in api.links),
    "conformance": api.conformance()["conformsTo"],
    "feature_collections": api.feature_collections(),
    "openapi": api.api()["openapi"],
    "extent": api.collection("hazards").get("extent"),
    "queryables": sorted(api.collection_queryables("hazards")["properties"]),
}
page = api.collection_items("hazards", limit=5)
out["first_page"] = [f["id"] for f in page["features"]]
out["number_matched"] = page.get("numberMatched")
ids = []
after = None
while True:
    kwargs = {"limit": 9}
    if after:
        kwargs["after"] = after
    page = api.collection_items("eo-finds", **kwargs)
    ids += [f["id"] for f in page["features"]]
    nxt = [l for l in page["links"] if l["rel"] == "next"]
    if not nxt:
        break
    after = ids[-1]
out["eo_finds"] = ids
out["one"] = api.collection_item("hazards", out["first_page"][0])["id"]
out["filtered"] = api.collection_items("hazards", bbox=[0, 0, 1, 1])["numberReturned"]
print(json.dumps(out))
"#;

/// A Python with OWSLib: Debian's (where `python3-owslib` installs), else the one on PATH.
fn python_with_owslib() -> Option<&'static str> {
    let found = ["/usr/bin/python3", "python3"].into_iter().find(|py| {
        Command::new(py)
            .args(["-c", "import owslib.ogcapi.features"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var("SAFEGROUND_REQUIRE_OWSLIB").is_err(),
            "SAFEGROUND_REQUIRE_OWSLIB is set but Python's OWSLib is not installed \
             (apt-get install python3-owslib)"
        );
        eprintln!("skipped: OWSLib (Debian python3-owslib) is not installed");
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owslib_reads_landing_page_collections_and_items() {
    let Some(python) = python_with_owslib() else {
        return;
    };
    let f = Fixture::new();
    let addr = f.listen().await;
    let url = format!("http://{addr}/ogc");
    let out = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .args(["-c", CLIENT, &url, &common::token("viewer")])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the OWSLib client failed: {stderr}");
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();

    for rel in ["conformance", "data", "service-desc", "service-doc", "self"] {
        assert!(
            got["landing_links"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == rel),
            "{rel}: {got}"
        );
    }
    assert!(
        got["conformance"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_str().unwrap().ends_with("features-1/1.0/conf/core"))
    );
    assert_eq!(
        got["feature_collections"],
        serde_json::json!([
            "hazards",
            "released-areas",
            "activities",
            "eo-finds",
            "accidents",
            "risk-education"
        ])
    );
    assert_eq!(got["openapi"], "3.0.3");
    assert_eq!(
        got["extent"]["spatial"]["bbox"][0]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(
        got["queryables"],
        serde_json::json!(["admin_pcode", "class", "organisation", "status"])
    );
    assert_eq!(got["first_page"].as_array().unwrap().len(), 5);
    assert_eq!(got["number_matched"], common::HAZARDS);
    assert_eq!(got["one"], got["first_page"][0]);
    assert_eq!(got["filtered"], 0);
    let store = f.store();
    let eo = store.items_of_kind(ItemKind::EoFind).unwrap();
    let read: Vec<&str> = got["eo_finds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(read, eo, "OWSLib paged through every EO find once");
}
