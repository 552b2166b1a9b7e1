//! Plain HTML views of the OGC API (for people following links in a browser).

use serde_json::Value;

use safeground_io::{Collection, Feature};

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t} — Safeground</title><style>body{{font-family:system-ui,sans-serif;margin:1.5rem;}}\
         table{{border-collapse:collapse;font-size:.9rem}}td,th{{border:1px solid #ccc;padding:.25rem .5rem;\
         text-align:left;vertical-align:top}}</style></head><body><h1>{t}</h1>{body}</body></html>",
        t = esc(title)
    )
}

fn links(doc: &Value) -> String {
    let items: String = doc["links"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            format!(
                "<li><a href=\"{}\">{}</a> ({})</li>",
                esc(l["href"].as_str().unwrap_or("")),
                esc(l["title"]
                    .as_str()
                    .unwrap_or(l["rel"].as_str().unwrap_or(""))),
                esc(l["type"].as_str().unwrap_or(""))
            )
        })
        .collect();
    format!("<ul>{items}</ul>")
}

/// The landing page.
pub fn landing(doc: &Value) -> String {
    page(
        doc["title"].as_str().unwrap_or("Safeground"),
        &format!(
            "<p>{}</p>{}",
            esc(doc["description"].as_str().unwrap_or("")),
            links(doc)
        ),
    )
}

/// The collections list.
pub fn collections(doc: &Value) -> String {
    let rows: String = doc["collections"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let id = c["id"].as_str().unwrap_or("");
            // The collection's own link to its HTML items: right whatever URL showed this list.
            let href = c["links"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|l| l["rel"] == "items" && l["type"] == "text/html")
                .and_then(|l| l["href"].as_str())
                .unwrap_or("");
            format!(
                "<tr><td><a href=\"{}\">{}</a></td><td>{}</td></tr>",
                esc(href),
                esc(c["title"].as_str().unwrap_or(id)),
                esc(c["description"].as_str().unwrap_or(""))
            )
        })
        .collect();
    page(
        "Collections",
        &format!("<table><tr><th>Collection</th><th>Description</th></tr>{rows}</table>"),
    )
}

/// The API definition as a page: each path with what it does (the landing page's
/// `service-doc`).
pub fn api(doc: &Value) -> String {
    let rows: String = doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(path, item)| {
            let op = &item["get"];
            format!(
                "<tr><td><code>GET {}</code></td><td>{}</td><td>{}</td></tr>",
                esc(path),
                esc(op["summary"].as_str().unwrap_or("")),
                esc(op["description"].as_str().unwrap_or(""))
            )
        })
        .collect();
    page(
        doc["info"]["title"].as_str().unwrap_or("API"),
        &format!(
            "<p>{}</p><p>Base URL: <code>{base}</code>. The machine-readable definition is the \
             OpenAPI 3.0 document at <a href=\"{base}/api?f=json\">{base}/api?f=json</a>.</p>\
             <table><tr><th>Request</th><th>Summary</th><th>Description</th></tr>{rows}</table>",
            esc(doc["info"]["description"].as_str().unwrap_or("")),
            base = esc(doc["servers"][0]["url"].as_str().unwrap_or(""))
        ),
    )
}

/// A page of features as a table.
pub fn items(c: &Collection, features: &[Feature], next: Option<&str>, base: &str) -> String {
    let mut keys: Vec<&String> = features.iter().flat_map(|f| f.properties.keys()).collect();
    keys.sort();
    keys.dedup();
    let head: String = keys
        .iter()
        .map(|k| format!("<th>{}</th>", esc(k)))
        .collect();
    let rows: String = features
        .iter()
        .map(|f| {
            let cells: String = keys
                .iter()
                .map(|k| {
                    let v = match f.properties.get(*k) {
                        Some(Value::String(s)) => s.clone(),
                        Some(Value::Null) | None => String::new(),
                        Some(v) => v.to_string(),
                    };
                    format!("<td>{}</td>", esc(&v))
                })
                .collect();
            format!(
                "<tr><td><a href=\"{base}/{id}?f=html\">{id}</a></td>{cells}</tr>",
                base = esc(base),
                id = esc(&f.id)
            )
        })
        .collect();
    let next = next
        .map(|q| {
            format!(
                "<p><a rel=\"next\" href=\"{}?{}\">Next page</a></p>",
                esc(base),
                esc(q)
            )
        })
        .unwrap_or_default();
    page(
        c.title,
        &format!(
            "<p>{}</p><p>{} features on this page. <a href=\"{}?f=json\">GeoJSON</a></p>\
             <table><tr><th>id</th>{head}</tr>{rows}</table>{next}",
            esc(c.description),
            features.len(),
            esc(base)
        ),
    )
}
