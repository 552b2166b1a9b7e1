//! The OpenAPI documents (`/api/openapi.json`, `/ogc/api`) are valid and precise: checked here
//! for what they must hold (security schemes, problem details, a description on every
//! operation, response and parameter, a type on every parameter, unique operation ids, a schema
//! that says what each 2xx JSON answer holds), by `openapi-spec-validator`, by a bounded
//! `schemathesis` run against a live server, which must find no server error and no answer
//! that contradicts the document, and by `jsonschema` on the live answers of a report's
//! workflow, items, figures and exports.
//!
//! The tools come from PyPI (CI installs them into a virtual environment and points
//! `SAFEGROUND_PY_TOOLS` at its `bin`); without them those tests are skipped with a message,
//! unless `SAFEGROUND_REQUIRE_OPENAPI_TOOLS=1` (CI sets it) makes that a failure.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Command;

use common::Fixture;
use serde_json::Value;

/// A tool from `SAFEGROUND_PY_TOOLS`, else from PATH, that runs with `args`; None (test
/// skipped) when absent.
fn tool_with(name: &str, args: &[&str]) -> Option<PathBuf> {
    let path = match std::env::var_os("SAFEGROUND_PY_TOOLS") {
        Some(dir) => PathBuf::from(dir).join(name),
        None => PathBuf::from(name),
    };
    let found = Command::new(&path)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("SAFEGROUND_REQUIRE_OPENAPI_TOOLS").is_err(),
            "SAFEGROUND_REQUIRE_OPENAPI_TOOLS is set but `{name} {args:?}` failed (pip install \
             schemathesis openapi-spec-validator, which bring jsonschema, into a virtual \
             environment and set SAFEGROUND_PY_TOOLS to its bin)"
        );
        eprintln!("skipped: `{name} {args:?}` failed (the PyPI tools are not installed)");
    }
    found.then_some(path)
}

/// A tool that answers `--help`.
fn tool(name: &str) -> Option<PathBuf> {
    tool_with(name, &["--help"])
}

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// Every operation of a document as (method, path, operation).
fn operations(doc: &Value) -> Vec<(&str, &str, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                out.push((m, path.as_str(), op));
            }
        }
    }
    out
}

#[tokio::test]
async fn the_api_document_is_precise() {
    let f = Fixture::new();
    let doc = f.get("/api/openapi.json", None).await.expect(200).json();
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert!(doc["security"].as_array().is_some_and(|s| !s.is_empty()));
    let mut ids = HashSet::new();
    for (method, path, op) in operations(&doc) {
        let at = format!("{method} {path}");
        let id = op["operationId"].as_str().unwrap();
        assert!(ids.insert(id.to_owned()), "{at}: operationId `{id}` twice");
        assert!(
            op["summary"].is_string() || op["description"].is_string(),
            "{at}: no description"
        );
        for p in op["parameters"].as_array().into_iter().flatten() {
            let name = &p["name"];
            assert!(
                p["description"].is_string(),
                "{at}: parameter {name} undescribed"
            );
            assert!(
                p["schema"]["type"].is_string()
                    || p["schema"]["type"].is_array()
                    || p["schema"]["$ref"].is_string()
                    || p["schema"]["oneOf"].is_array(),
                "{at}: parameter {name} untyped: {}",
                p["schema"]
            );
        }
        for (status, r) in op["responses"].as_object().unwrap() {
            if r.get("$ref").is_some() {
                continue;
            }
            assert!(
                r["description"].is_string(),
                "{at} {status}: no description"
            );
            if status.starts_with('4') {
                for (media, c) in r["content"].as_object().into_iter().flatten() {
                    assert_eq!(media, "application/problem+json", "{at} {status}");
                    assert_eq!(c["schema"]["$ref"], "#/components/schemas/Problem");
                }
            }
        }
        assert_eq!(
            op["responses"]["default"]["$ref"], "#/components/responses/Problem",
            "{at}: errors not documented"
        );
    }
    assert!(ids.len() > 40, "{} operations", ids.len());
    // Codes come from the model: a record's kind is one of its item kinds.
    let kinds = &doc["components"]["schemas"]["RecordDoc"]["properties"]["kind"]["enum"];
    assert!(
        kinds
            .as_array()
            .is_some_and(|k| k.contains(&"eo_find".into())),
        "{kinds}"
    );
}

/// Writes a document to a file and runs `openapi-spec-validator` on it.
fn validate(validator: &PathBuf, name: &str, doc: &Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, serde_json::to_vec_pretty(doc).unwrap()).unwrap();
    let out = Command::new(validator)
        .args(["--validation-errors", "all"])
        .arg(&file)
        .output()
        .unwrap();
    // The validator repeats the whole document in some messages: keep their start.
    let report: String = String::from_utf8_lossy(&out.stdout)
        .lines()
        .chain(String::from_utf8_lossy(&out.stderr).lines())
        .map(|l| l.chars().take(400).collect::<String>() + "\n")
        .collect();
    assert!(
        out.status.success(),
        "{name} is not a valid OpenAPI document:\n{report}"
    );
}

#[tokio::test]
async fn openapi_spec_validator_accepts_both_documents() {
    let Some(validator) = tool("openapi-spec-validator") else {
        return;
    };
    let f = Fixture::new();
    let api = f.get("/api/openapi.json", None).await.expect(200).json();
    validate(&validator, "api.json", &api);
    let ogc = f.get("/ogc/api", None).await.expect(200).json();
    validate(&validator, "ogc.json", &ogc);
}

/// The fixture as federation node KHM (the feed enabled).
fn federation_node() -> Fixture {
    use safeground_federation::{NodeId, NodeKey, Policy};
    use safeground_store::FederationStore;
    let key = NodeKey::generate(NodeId::new("KHM").unwrap()).unwrap();
    let sharing = safeground_server::federation::Sharing {
        key,
        policy: Policy::default(),
    };
    let f = Fixture::with_config(safeground_server::ServerConfig {
        sharing: Some(std::sync::Arc::new(sharing)),
        ..Default::default()
    });
    f.store().set_node("test", "KHM").unwrap();
    f
}

/// A bounded schemathesis run (20 cases per operation, no stateful phase) against a live server
/// over the fixture programme (a federation node), as an administrator: no 5xx, and every
/// answer's status, media type and body as the document says. Logout and token revocation are
/// left out: they would end the run's own token.
async fn schemathesis(document: &str) {
    let Some(schemathesis) = tool("schemathesis") else {
        return;
    };
    let f = federation_node();
    let (listener, addr) = safeground_server::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    tokio::spawn(safeground_server::serve_on(f.state.clone(), listener));
    let reports = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(schemathesis);
    cmd.arg("run")
        .arg(format!("http://{addr}{document}"))
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,\
             response_schema_conformance",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "20",
            "--seed",
            "23",
            "--workers",
            "2",
            "--request-timeout",
            "30",
            "--no-color",
            "--exclude-path",
            "/api/logout",
            "--exclude-path-regex",
            "^/api/tokens/",
            "--generation-database",
            "none",
            "--report-dir",
        ])
        .arg(reports.path())
        .arg("-H")
        .arg(format!("Authorization: Bearer {}", common::token("admin")))
        .current_dir(reports.path());
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let tail: String = text
        .lines()
        .rev()
        .take(150)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        out.status.success(),
        "schemathesis found problems in {document}:\n{tail}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // It must have exercised the operations, not skipped them.
    let tested = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Tested: "))
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(0);
    assert!(
        tested >= 5,
        "schemathesis tested {tested} operations of {document}:\n{tail}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_and_no_undocumented_answer() {
    schemathesis("/api/openapi.json").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_the_ogc_api_as_its_document_says() {
    schemathesis("/ogc/api").await;
}

/// Checks an answer against a schema of the document: every required member present and no
/// member the schema does not describe.
fn assert_shape(doc: &Value, schema: &str, answer: &Value) {
    let s = &doc["components"]["schemas"][schema];
    let props = s["properties"].as_object().unwrap();
    for r in s["required"].as_array().into_iter().flatten() {
        assert!(
            answer.get(r.as_str().unwrap()).is_some(),
            "{schema}: {r} missing in {answer}"
        );
    }
    for k in answer.as_object().unwrap().keys() {
        assert!(
            props.contains_key(k),
            "{schema}: `{k}` undocumented in {answer}"
        );
    }
}

#[tokio::test]
async fn login_and_me_answer_as_documented() {
    let f = Fixture::new();
    let doc = f.get("/api/openapi.json", None).await.expect(200).json();
    let login = &doc["paths"]["/api/login"]["post"]["responses"]["200"]["content"]["application/json"]
        ["schema"]["$ref"];
    assert_eq!(login, "#/components/schemas/LoggedIn");
    let answer = f
        .post(
            "/api/login",
            None,
            &serde_json::json!({"username": "viewer", "password": common::PASSWORD}),
        )
        .await
        .expect(200)
        .json();
    assert_shape(&doc, "LoggedIn", &answer);
    let me = f.get("/api/me", Some("viewer")).await.expect(200).json();
    assert_shape(&doc, "Me", &me);
}

/// Whether a schema says nothing of its object's members: an object (or untyped) schema with no
/// properties, no reference, no composition and no typed additionalProperties.
fn free_form(doc: &Value, schema: &Value) -> bool {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return free_form(doc, &doc["components"]["schemas"][name]);
    }
    if ["allOf", "oneOf", "anyOf"]
        .iter()
        .any(|k| schema[k].is_array())
    {
        return false;
    }
    let ty = &schema["type"];
    if ty == "array" {
        return free_form(doc, &schema["items"]);
    }
    let object = ty.is_null()
        || ty == "object"
        || ty.as_array().is_some_and(|t| t.contains(&"object".into()));
    let typed_extra = schema["additionalProperties"].is_object()
        && !free_form(doc, &schema["additionalProperties"]);
    object
        && schema["properties"]
            .as_object()
            .is_none_or(|p| p.is_empty())
        && !typed_extra
}

/// Every 2xx JSON answer of both documents has a schema that says what it holds.
#[tokio::test]
async fn every_json_answer_has_a_precise_schema() {
    let f = Fixture::new();
    let mut loose = Vec::new();
    for document in ["/api/openapi.json", "/ogc/api"] {
        let doc = f.get(document, None).await.expect(200).json();
        for (method, path, op) in operations(&doc) {
            for (status, r) in op["responses"].as_object().unwrap() {
                if !status.starts_with('2') {
                    continue;
                }
                let r = match r["$ref"].as_str() {
                    Some(name) => &doc["components"]["responses"][name.rsplit('/').next().unwrap()],
                    None => r,
                };
                for (media, c) in r["content"].as_object().into_iter().flatten() {
                    let json = media == "application/json" || media.ends_with("+json");
                    if json && free_form(&doc, &c["schema"]) {
                        loose.push(format!("{method} {path} {status} {media}"));
                    }
                }
            }
        }
    }
    assert!(
        loose.is_empty(),
        "{} free-form 2xx JSON answers:\n{}",
        loose.len(),
        loose.join("\n")
    );
}

/// Checks live answers against the schemas the API document gives them, with `jsonschema`
/// (Draft 2020-12, the dialect of OpenAPI 3.1) in the tools' Python: each case is (method,
/// path template, status, media type, answer).
fn assert_answers_match(python: &PathBuf, doc: &Value, cases: &[(&str, &str, u16, &str, Value)]) {
    let cases: Vec<Value> = cases
        .iter()
        .map(|(method, path, status, media, answer)| {
            let at = format!("{method} {path} {status} {media}");
            let schema = &doc["paths"][*path][*method]["responses"][status.to_string()]["content"]
                [*media]["schema"];
            assert!(schema.is_object(), "{at}: not documented");
            serde_json::json!({"at": at, "schema": schema, "instance": answer})
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cases.json");
    let input = serde_json::json!({"components": doc["components"], "cases": cases});
    std::fs::write(&file, serde_json::to_vec(&input).unwrap()).unwrap();
    let script = "import json, sys\n\
        from jsonschema import Draft202012Validator as V\n\
        d = json.load(open(sys.argv[1]))\n\
        bad = 0\n\
        for c in d['cases']:\n\
        \x20   root = dict(c['schema'], components=d['components'])\n\
        \x20   for e in V(root, format_checker=V.FORMAT_CHECKER).iter_errors(c['instance']):\n\
        \x20       bad += 1\n\
        \x20       print(c['at'], '/'.join(map(str, e.absolute_path)), e.message[:300])\n\
        sys.exit(1 if bad else 0)\n";
    let out = Command::new(python)
        .args(["-c", script])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "answers contradict the document:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The answers schemathesis seldom reaches with real ids (a report through its workflow,
/// items, their versions and links, the figures and exports) are as the document says.
#[tokio::test]
async fn real_answers_match_the_api_document() {
    let Some(python) = tool_with("python", &["-c", "import jsonschema"]) else {
        return;
    };
    let f = Fixture::new();
    f.add_planning();
    let doc = f.get("/api/openapi.json", None).await.expect(200).json();
    let json = "application/json";
    let mut cases = Vec::new();
    let mut get = async |path: &str, uri: &str, user: &str, media: &'static str| {
        let answer = f.get(uri, Some(user)).await.expect(200).json();
        cases.push(("get", path.to_owned(), 200, media, answer.clone()));
        answer
    };
    let reports = get("/api/reports", "/api/reports", "admin", json).await;
    let old = reports["reports"][0]["id"].as_i64().unwrap();
    get(
        "/api/reports/{id}",
        &format!("/api/reports/{old}"),
        "admin",
        json,
    )
    .await;
    let items = get("/api/items", "/api/items?kind=hazard", "admin", json).await;
    let hazard = items["items"][0]["item"].as_str().unwrap().to_owned();
    for (path, tail) in [
        ("/api/items/{id}", ""),
        ("/api/items/{id}/versions", "/versions"),
        ("/api/items/{id}/links", "/links"),
    ] {
        get(path, &format!("/api/items/{hazard}{tail}"), "viewer", json).await;
    }
    let uri = format!("/api/hazards/{hazard}/state");
    get("/api/hazards/{id}/state", &uri, "viewer", json).await;
    let victims = get("/api/items", "/api/items?kind=victim", "va", json).await;
    if let Some(victim) = victims["items"][0]["item"].as_str() {
        let uri = format!("/api/items/{victim}/personal-data");
        get("/api/items/{id}/personal-data", &uri, "va", json).await;
    }
    get("/api/summary", "/api/summary", "viewer", json).await;
    get("/api/dashboard", "/api/dashboard", "viewer", json).await;
    get("/api/figures", "/api/figures", "viewer", json).await;
    get(
        "/api/import/mappings",
        "/api/import/mappings",
        "halo-entry",
        json,
    )
    .await;
    get("/api/users/requests", "/api/users/requests", "admin", json).await;
    let geojson = "application/geo+json";
    // Planning, on the demo's plans.
    for (path, uri) in [
        ("/api/planning/tasks", "/api/planning/tasks"),
        ("/api/planning/teams", "/api/planning/teams"),
        (
            "/api/planning/productivity",
            "/api/planning/productivity?by=organisation,class",
        ),
        ("/api/planning/criteria", "/api/planning/criteria"),
        ("/api/planning/settings", "/api/planning/settings"),
        ("/api/planning/ranking", "/api/planning/ranking"),
        ("/api/planning/forecast", "/api/planning/forecast?runs=50"),
        ("/api/planning/layers", "/api/planning/layers"),
    ] {
        get(path, uri, "viewer", json).await;
    }
    get(
        "/api/planning/ranking",
        "/api/planning/ranking?format=geojson",
        "viewer",
        geojson,
    )
    .await;
    get(
        "/api/planning/layers/{name}",
        "/api/planning/layers/settlements",
        "viewer",
        geojson,
    )
    .await;
    get(
        "/api/export/{collection}",
        "/api/export/hazards",
        "viewer",
        geojson,
    )
    .await;

    let mut post = async |path: &str, uri: &str, user: &str, status: u16, body: Value| {
        let answer = f.post(uri, Some(user), &body).await.expect(status).json();
        cases.push(("post", path.to_owned(), status, json, answer.clone()));
        answer
    };
    let body = common::hazard_report("OA-1", None, common::square(103.1, 13.0, 200.0));
    let draft = post("/api/reports", "/api/reports", "halo-entry", 201, body).await;
    let id = draft["id"].as_i64().unwrap();
    let uri = format!("/api/reports/{id}/submit");
    post(
        "/api/reports/{id}/submit",
        &uri,
        "halo-entry",
        200,
        serde_json::json!({}),
    )
    .await;
    let uri = format!("/api/reports/{id}/approve");
    post(
        "/api/reports/{id}/approve",
        &uri,
        "approver",
        200,
        serde_json::json!({}),
    )
    .await;
    for point in [
        serde_json::json!({"point": {"lon": 103.1, "lat": 13.0}}),
        serde_json::json!({"geometry": common::square(103.1, 13.0, 200.0)}),
    ] {
        let (path, uri) = ("/api/geometry/preview", "/api/geometry/preview");
        post(path, uri, "viewer", 200, point).await;
    }
    let va = serde_json::json!({"username": "va2", "display_name": "VA two",
                                "organisation": "ORG-CMAA", "role": "victim_assistance"});
    post("/api/users", "/api/users", "admin", 202, va).await;
    let cases: Vec<_> = (cases.iter())
        .map(|(m, p, s, media, a)| (*m, p.as_str(), *s, *media, a.clone()))
        .collect();
    assert_answers_match(&python, &doc, &cases);
}
