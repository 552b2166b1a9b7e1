//! The OpenAPI 3.0 definition of the OGC API - Features part, generated from the collection
//! table so that it always lists what is served.

use serde_json::{Value, json};

use super::COLLECTIONS;

/// The document, with `base` (`http://host/ogc`) as its server.
pub fn document(base: &str) -> Value {
    let mut paths = serde_json::Map::new();
    let ok = |desc: &str, media: &str| {
        json!({"200": {"description": desc, "content": {media: {"schema": {"type": "object"}}}},
               "400": {"description": "Bad request (problem details)"},
               "401": {"description": "Login required"},
               "404": {"description": "Not found"}})
    };
    paths.insert("/".into(), json!({"get": {"summary": "Landing page", "operationId": "getLandingPage", "responses": ok("Landing page", "application/json")}}));
    paths.insert("/conformance".into(), json!({"get": {"summary": "Conformance classes", "operationId": "getConformance", "responses": ok("Conformance", "application/json")}}));
    paths.insert("/collections".into(), json!({"get": {"summary": "Collections", "operationId": "getCollections", "responses": ok("Collections", "application/json")}}));
    for c in COLLECTIONS {
        let mut params = vec![
            json!({"name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
                   "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}}),
            json!({"name": "datetime", "in": "query", "required": false, "schema": {"type": "string"}}),
            json!({"name": "limit", "in": "query", "required": false,
                   "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}}),
            json!({"name": "after", "in": "query", "required": false, "schema": {"type": "string"}}),
            json!({"name": "f", "in": "query", "required": false, "schema": {"type": "string", "enum": ["json", "html"]}}),
        ];
        params.extend(c.queryables.iter().map(
            |q| json!({"name": q, "in": "query", "required": false, "schema": {"type": "string"}}),
        ));
        paths.insert(
            format!("/collections/{}", c.id),
            json!({"get": {"summary": c.title, "operationId": format!("describe-{}", c.id), "responses": ok("Collection", "application/json")}}),
        );
        paths.insert(
            format!("/collections/{}/items", c.id),
            json!({"get": {"summary": format!("{} (features)", c.title), "operationId": format!("items-{}", c.id),
                           "parameters": params, "responses": ok("Features", "application/geo+json")}}),
        );
        paths.insert(
            format!("/collections/{}/items/{{featureId}}", c.id),
            json!({"get": {"summary": format!("One of {}", c.title), "operationId": format!("item-{}", c.id),
                           "parameters": [{"name": "featureId", "in": "path", "required": true, "schema": {"type": "string"}}],
                           "responses": ok("Feature", "application/geo+json")}}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Safeground OGC API - Features", "version": env!("CARGO_PKG_VERSION")},
        "servers": [{"url": base}],
        "paths": paths,
    })
}
