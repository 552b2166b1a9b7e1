//! A basemap layer read from a GeoJSON FeatureCollection (WGS 84): every feature's geometry,
//! its id and its string, number and boolean properties, as a [`LayerIndex`].

use std::collections::BTreeSet;
use std::sync::{Mutex, PoisonError};

use geo_types::{Coord, Geometry};
use geojson::{GeoJson, JsonValue, feature::Id};
use safeground_tiles::{LayerIndex, PropertyValue, TileFeature};

use crate::PackError;

/// Property names seen so far: [`TileFeature`] takes `'static` keys, so each distinct name is
/// leaked once per process and reused after.
static KEYS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

/// Reads layer `name` from the text of a GeoJSON FeatureCollection of any geometries (WGS 84
/// longitude, latitude).
///
/// Properties become tile properties: strings, booleans, integers (as integers) and other
/// numbers (as doubles); nulls are left out and arrays or objects are kept as their JSON text.
/// A feature's numeric id (a non-negative integer) is its tile feature id, else its position.
///
/// # Errors
/// [`PackError::GeoJson`] when the text is not a FeatureCollection, holds no feature, or a
/// feature has no geometry or coordinates off the globe (naming the feature's position,
/// `features[i]`, and why).
pub fn geojson_layer(name: &str, text: &str) -> Result<LayerIndex, PackError> {
    let fail = |reason: String| PackError::GeoJson {
        layer: name.to_owned(),
        reason,
    };
    let geojson: GeoJson = text
        .parse()
        .map_err(|e| fail(format!("it is not GeoJSON ({e})")))?;
    let GeoJson::FeatureCollection(collection) = geojson else {
        return Err(fail("it is not a GeoJSON FeatureCollection".into()));
    };
    if collection.features.is_empty() {
        return Err(fail("it has no features".into()));
    }
    let mut features = Vec::with_capacity(collection.features.len());
    for (i, feature) in collection.features.into_iter().enumerate() {
        let at = |reason: String| fail(format!("features[{i}] is refused: {reason}"));
        let Some(geometry) = feature.geometry else {
            return Err(at("it has no geometry".into()));
        };
        let geometry: Geometry<f64> = geometry
            .try_into()
            .map_err(|e| at(format!("its geometry cannot be read ({e})")))?;
        if let Some(c) = first_off_globe(&geometry) {
            return Err(at(format!(
                "({}, {}) is not a WGS 84 longitude, latitude (swapped, or projected \
                 coordinates?); reproject the file to EPSG:4326",
                c.x, c.y
            )));
        }
        let id = match &feature.id {
            Some(Id::Number(n)) => n.as_u64(),
            _ => None,
        };
        let properties = feature
            .properties
            .into_iter()
            .flatten()
            .filter_map(|(key, value)| Some((interned(&key), property(value)?)))
            .collect();
        features.push(TileFeature {
            id: id.unwrap_or(i as u64),
            geometry,
            properties,
        });
    }
    Ok(LayerIndex::new(name, features))
}

/// The tile property of a JSON value; `None` for null.
fn property(value: JsonValue) -> Option<PropertyValue> {
    Some(match value {
        JsonValue::Null => return None,
        JsonValue::Bool(b) => PropertyValue::Bool(b),
        JsonValue::String(s) => PropertyValue::String(s),
        JsonValue::Number(n) => match n.as_i64() {
            Some(i) => PropertyValue::Int(i),
            None => PropertyValue::Double(n.as_f64().unwrap_or(f64::NAN)),
        },
        other @ (JsonValue::Array(_) | JsonValue::Object(_)) => {
            PropertyValue::String(other.to_string())
        }
    })
}

/// The `'static` copy of property name `key`.
fn interned(key: &str) -> &'static str {
    let mut keys = KEYS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = keys.get(key) {
        return known;
    }
    let leaked: &'static str = Box::leak(key.to_owned().into_boxed_str());
    keys.insert(leaked);
    leaked
}

/// The first coordinate that is not a finite longitude within ±180° and latitude within ±90°.
fn first_off_globe(geometry: &Geometry<f64>) -> Option<Coord<f64>> {
    let off = |c: &Coord<f64>| !(c.x.abs() <= 180.0 && c.y.abs() <= 90.0);
    let line = |l: &geo_types::LineString<f64>| l.0.iter().find(|c| off(c)).copied();
    let polygon = |p: &geo_types::Polygon<f64>| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .find_map(line)
    };
    match geometry {
        Geometry::Point(p) => Some(p.0).filter(off),
        Geometry::MultiPoint(m) => m.0.iter().map(|p| p.0).find(off),
        Geometry::Line(l) => [l.start, l.end].into_iter().find(off),
        Geometry::LineString(l) => line(l),
        Geometry::MultiLineString(m) => m.0.iter().find_map(line),
        Geometry::Polygon(p) => polygon(p),
        Geometry::MultiPolygon(m) => m.0.iter().find_map(polygon),
        Geometry::Rect(r) => [r.min(), r.max()].into_iter().find(off),
        Geometry::Triangle(t) => t.to_array().into_iter().find(off),
        Geometry::GeometryCollection(c) => c.0.iter().find_map(first_off_globe),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        match geojson_layer("roads", text) {
            Err(e) => e.to_string(),
            Ok(layer) => panic!("read {} features", layer.len()),
        }
    }

    #[test]
    fn features_of_any_geometry_are_read() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":7,"properties":{"name":"NR5","lanes":2,"width":7.5,
             "paved":true,"note":null,"refs":["a","b"]},
             "geometry":{"type":"LineString","coordinates":[[104.9,11.5],[104.6,12.0]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[104.9,11.5]}},
            {"type":"Feature","properties":null,"geometry":{"type":"Polygon",
             "coordinates":[[[104,11],[105,11],[105,12],[104,11]]]}}]}"#;
        let layer = geojson_layer("transportation", text).expect("layer");
        assert_eq!(layer.name(), "transportation");
        assert_eq!(layer.len(), 3);
        assert!(
            !safeground_tiles::encode_tile(&[&layer], 0, 0, 0)
                .expect("tile")
                .is_empty()
        );
        assert_eq!(
            property(serde_json::json!(["a", "b"])),
            Some(PropertyValue::String(r#"["a","b"]"#.into()))
        );
        assert_eq!(property(serde_json::json!(2)), Some(PropertyValue::Int(2)));
        assert_eq!(
            property(serde_json::json!(7.5)),
            Some(PropertyValue::Double(7.5))
        );
        assert_eq!(property(JsonValue::Null), None);
        assert!(std::ptr::eq(interned("lanes"), interned("lanes")));
    }

    #[test]
    fn bad_layers_and_features_are_refused_with_their_position() {
        assert!(error("{").contains("layer `roads`: it is not GeoJSON"));
        assert!(
            error(r#"{"type":"Point","coordinates":[1,2]}"#)
                .contains("not a GeoJSON FeatureCollection")
        );
        assert!(error(r#"{"type":"FeatureCollection","features":[]}"#).contains("no features"));
        let one = |feature: &str| {
            error(&format!(
                r#"{{"type":"FeatureCollection","features":[
                {{"type":"Feature","properties":{{}},"geometry":{{"type":"Point","coordinates":[1,2]}}}},
                {feature}]}}"#
            ))
        };
        let none = one(r#"{"type":"Feature","properties":{},"geometry":null}"#);
        assert!(
            none.contains("features[1] is refused: it has no geometry"),
            "{none}"
        );
        let swapped = one(
            r#"{"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon",
               "coordinates":[[[[11,104],[12,104],[12,105],[11,104]]]]}}"#,
        );
        assert!(
            swapped.contains("features[1] is refused: (11, 104) is not a WGS 84 longitude"),
            "{swapped}"
        );
        let projected = one(
            r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[491000,1290000]}}"#,
        );
        assert!(projected.contains("EPSG:4326"), "{projected}");
    }
}
