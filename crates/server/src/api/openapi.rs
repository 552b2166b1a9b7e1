//! The rules the whole OpenAPI document follows, applied once the routes are collected: the
//! two ways to authenticate (session cookie, bearer token) as security schemes required by
//! default, every error as an RFC 9457 problem (`application/problem+json`, also the `default`
//! response of each operation), and a description on every response.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::auth::SESSION_COOKIE;

const PROBLEM_REF: &str = "#/components/schemas/Problem";
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The document as served at `/api/openapi.json`.
pub fn complete(doc: &utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(doc).unwrap_or_default();
    doc["components"]["securitySchemes"] = json!({
        "session": {
            "type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
            "description": "The session cookie set by `POST /api/login` (browsers); writes \
                            with it must come from the server's own origin."
        },
        "bearer": {
            "type": "http", "scheme": "bearer",
            "description": "An API token from `POST /api/tokens`, sent as \
                            `Authorization: Bearer <token>` (scripts, GIS clients)."
        },
    });
    doc["components"]["responses"]["Problem"] = json!({
        "description": "An error, as problem details (RFC 9457): `detail` says what happened \
                        and what to do; `errors` names the fields at fault.",
        "content": {"application/problem+json": {"schema": {"$ref": PROBLEM_REF}}},
    });
    doc["security"] = json!([{"session": []}, {"bearer": []}]);
    if let Some(paths) = doc["paths"].as_object_mut() {
        for item in paths.values_mut() {
            for method in METHODS {
                if let Some(op) = item.get_mut(method) {
                    complete_operation(op);
                }
            }
        }
    }
    doc
}

fn complete_operation(op: &mut Value) {
    let Some(responses) = op["responses"].as_object_mut() else {
        return;
    };
    for (status, response) in responses.iter_mut() {
        if response.get("$ref").is_some() {
            continue;
        }
        if response.get("description").is_none_or(|d| d == "") {
            let reason = status
                .parse::<u16>()
                .ok()
                .and_then(|s| StatusCode::from_u16(s).ok())
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Answer");
            response["description"] = json!(reason);
        }
        if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
            let is_problem = content
                .get("application/json")
                .is_some_and(|c| c["schema"]["$ref"] == PROBLEM_REF);
            if is_problem && let Some(c) = content.remove("application/json") {
                content.insert("application/problem+json".into(), c);
            }
        }
    }
    responses
        .entry("default")
        .or_insert_with(|| json!({"$ref": "#/components/responses/Problem"}));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_problems_and_every_response_is_described() {
        let mut op = json!({"responses": {
            "200": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "404": {"content": {"application/json": {"schema": {"$ref": PROBLEM_REF}}}},
        }});
        complete_operation(&mut op);
        assert_eq!(op["responses"]["200"]["description"], "OK");
        assert_eq!(op["responses"]["404"]["description"], "Not Found");
        assert!(op["responses"]["404"]["content"]["application/problem+json"].is_object());
        assert!(op["responses"]["404"]["content"]["application/json"].is_null());
        assert_eq!(
            op["responses"]["default"]["$ref"],
            "#/components/responses/Problem"
        );
    }
}
