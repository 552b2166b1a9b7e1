//! The queryables of a collection (OGC API - Features Part 3): the properties its items can be
//! filtered on with `name=value`, as a JSON Schema.

use serde_json::{Map, Value, json};

use safeground_io::Collection;

/// What a queryable holds, for its description.
fn describe(name: &str) -> &'static str {
    match name {
        "class" => "Hazard class code (sha, cha, ...)",
        "status" => "Status code",
        "admin_pcode" => "P-code of the administrative area",
        "organisation" => "Organisation code",
        "method" => "Land-release method code (cancelled, reduced, cleared)",
        "activity_type" => "Activity type code",
        "hazard" => "Item id of the hazard",
        "activity" => "Item id of the activity",
        "asset_type" => "Code of the asset type of the released land",
        "category" => "Explosive ordnance category code",
        "model" => "Explosive ordnance model",
        "device_type" => "Code of the device that caused the accident",
        _ => "Property of the feature",
    }
}

/// The JSON Schema of the queryables of `c`, served under `base` (`http://host/ogc`).
pub fn schema(c: &Collection, base: &str) -> Value {
    let properties: Map<String, Value> = c
        .queryables
        .iter()
        .map(|q| {
            (
                (*q).to_owned(),
                json!({"title": q, "description": describe(q), "type": "string"}),
            )
        })
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{base}/collections/{}/queryables", c.id),
        "type": "object",
        "title": c.title,
        "description": format!(
            "Properties of {} usable as `name=value` filters on items (text compared ignoring \
             case); `bbox` and `datetime` filter on the geometry and the date.",
            c.id
        ),
        "properties": properties,
        "additionalProperties": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_queryable_of_the_collection() {
        for c in safeground_io::COLLECTIONS {
            let doc = schema(&c, "http://h/ogc");
            let props = doc["properties"].as_object().expect("properties");
            assert_eq!(props.len(), c.queryables.len(), "{}", c.id);
            for q in c.queryables {
                assert_eq!(props[*q]["type"], "string", "{}: {q}", c.id);
            }
        }
    }
}
