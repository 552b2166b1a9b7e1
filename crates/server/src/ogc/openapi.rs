//! The OpenAPI 3.0 definition of the OGC API - Features part, generated from the collection
//! table so that it always lists what is served: each collection's paths, its filters
//! (its queryables as parameters) and every error as problem details.

use serde_json::{Map, Value, json};

use super::COLLECTIONS;
use super::filter::{DEFAULT_LIMIT, MAX_LIMIT};

/// The responses of an operation whose 200 is `schema` in `media` (and HTML with `f=html`).
fn responses(desc: &str, media: &str, schema: &str) -> Value {
    let problem = |d: &str| {
        json!({"description": d, "content": {"application/problem+json": {
            "schema": {"$ref": "#/components/schemas/Problem"}}}})
    };
    json!({
        "200": {"description": desc, "content": {
            media: {"schema": {"$ref": format!("#/components/schemas/{schema}")}},
            "text/html": {"schema": {"type": "string"}},
        }},
        "400": problem("A parameter is malformed or unknown"),
        "401": problem("The collection is not public: log in or send a token"),
        "404": problem("No such collection or feature"),
        "default": problem("Another error"),
    })
}

fn format_param() -> Value {
    json!({"name": "f", "in": "query", "required": false,
           "description": "Output format: json (the default) or html",
           "schema": {"type": "string", "enum": ["json", "html"]}})
}

fn get(summary: &str, id: &str, params: Vec<Value>, responses: Value) -> Value {
    json!({"get": {"summary": summary, "description": summary, "operationId": id,
                   "parameters": params, "responses": responses}})
}

/// Schemas of the answers (the members clients rely on; others may be present).
fn schemas() -> Value {
    let links = json!({"type": "array", "items": {"$ref": "#/components/schemas/Link"}});
    json!({
        "Link": {"type": "object", "required": ["href", "rel"], "properties": {
            "href": {"type": "string"}, "rel": {"type": "string"},
            "type": {"type": "string"}, "title": {"type": "string"}}},
        "LandingPage": {"type": "object", "required": ["links"], "properties": {
            "title": {"type": "string"}, "description": {"type": "string"}, "links": links}},
        "Conformance": {"type": "object", "required": ["conformsTo"], "properties": {
            "conformsTo": {"type": "array", "items": {"type": "string"}}}},
        "Collection": {"type": "object", "required": ["id", "links"], "properties": {
            "id": {"type": "string"}, "title": {"type": "string"},
            "description": {"type": "string"}, "itemType": {"type": "string"},
            "crs": {"type": "array", "items": {"type": "string"}},
            "extent": {"type": "object"}, "links": links}},
        "Collections": {"type": "object", "required": ["links", "collections"], "properties": {
            "links": links,
            "collections": {"type": "array", "items": {"$ref": "#/components/schemas/Collection"}}}},
        "Feature": {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
            "type": {"type": "string", "enum": ["Feature"]}, "id": {"type": "string"},
            "geometry": {"type": "object", "nullable": true},
            "properties": {"type": "object", "nullable": true}, "links": links}},
        "FeatureCollection": {"type": "object", "required": ["type", "features"], "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": {"$ref": "#/components/schemas/Feature"}},
            "numberMatched": {"type": "integer", "minimum": 0},
            "numberReturned": {"type": "integer", "minimum": 0},
            "timeStamp": {"type": "string", "format": "date-time"}, "links": links}},
        "Queryables": {"type": "object", "description": "A JSON Schema of the properties",
            "required": ["type", "properties"], "properties": {
            "$schema": {"type": "string"}, "$id": {"type": "string"},
            "type": {"type": "string", "enum": ["object"]}, "title": {"type": "string"},
            "description": {"type": "string"},
            "properties": {"type": "object", "additionalProperties": {"type": "object"}},
            "additionalProperties": {"type": "boolean"}}},
        "Problem": {"type": "object", "required": ["type", "title", "status", "detail"],
            "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                           "status": {"type": "integer"}, "detail": {"type": "string"}}},
    })
}

/// The document, with `base` (`http://host/ogc`) as its server.
pub fn document(base: &str) -> Value {
    let mut paths = Map::new();
    paths.insert(
        "/".into(),
        get(
            "Landing page",
            "getLandingPage",
            vec![format_param()],
            responses("Landing page", "application/json", "LandingPage"),
        ),
    );
    paths.insert(
        "/conformance".into(),
        get(
            "Conformance classes",
            "getConformance",
            vec![format_param()],
            responses("Conformance classes", "application/json", "Conformance"),
        ),
    );
    paths.insert(
        "/collections".into(),
        get(
            "Feature collections",
            "getCollections",
            vec![format_param()],
            responses("Collections", "application/json", "Collections"),
        ),
    );
    for c in COLLECTIONS {
        let mut params = vec![
            json!({"name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
                   "description": "west,south,east,north in CRS84",
                   "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}}),
            json!({"name": "datetime", "in": "query", "required": false,
                   "description": "A date or an interval (`2024-01-01/..`) on the feature's date",
                   "schema": {"type": "string"}}),
            json!({"name": "limit", "in": "query", "required": false,
                   "description": "Page size",
                   "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}}),
            json!({"name": "after", "in": "query", "required": false,
                   "description": "Resume after this feature id (next link)",
                   "schema": {"type": "string"}}),
            format_param(),
        ];
        params.extend(c.queryables.iter().map(|q| {
            json!({"name": q, "in": "query", "required": false,
                   "description": format!("Only features whose `{q}` is this (ignoring case)"),
                   "schema": {"type": "string"}})
        }));
        paths.insert(
            format!("/collections/{}", c.id),
            get(
                c.title,
                &format!("describe-{}", c.id),
                vec![format_param()],
                responses("Collection", "application/json", "Collection"),
            ),
        );
        paths.insert(
            format!("/collections/{}/queryables", c.id),
            get(
                &format!("Queryables of {}", c.id),
                &format!("queryables-{}", c.id),
                Vec::new(),
                responses("Queryables", "application/schema+json", "Queryables"),
            ),
        );
        paths.insert(
            format!("/collections/{}/items", c.id),
            get(
                &format!("{} (features)", c.title),
                &format!("items-{}", c.id),
                params,
                responses("Features", "application/geo+json", "FeatureCollection"),
            ),
        );
        paths.insert(
            format!("/collections/{}/items/{{featureId}}", c.id),
            get(
                &format!("One of {}", c.title),
                &format!("item-{}", c.id),
                vec![
                    json!({"name": "featureId", "in": "path", "required": true,
                           "description": "Feature id", "schema": {"type": "string"}}),
                    format_param(),
                ],
                responses("Feature", "application/geo+json", "Feature"),
            ),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Safeground OGC API - Features",
            "description": "Hazardous areas, land release, explosive ordnance, accidents and \
                            risk education of a mine action programme. Errors are problem \
                            details (RFC 9457).",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "servers": [{"url": base}],
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
        "security": [{}, {"session": []}, {"bearer": []}],
    })
}
