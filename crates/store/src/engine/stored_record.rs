//! How a version's record is stored: a hazard's polygons apart from the rest of the record, in
//! binary (WKB: SQLite's `item_version.geometry`, PostGIS's `item_version.geom`), and the rest
//! as JSON with `"geometry": null`.
//!
//! A hazard's polygons are most of its record: as JSON text they take 2.6× the bytes of WKB,
//! and writing and parsing their numbers was the largest cost of storing and reading a version
//! (on PostgreSQL, `jsonb` parses every coordinate as a `numeric`). Versions written before
//! schema 5 (SQLite) keep their geometry inside the JSON and read as before: a record's own
//! geometry always wins over the column's.

use geo_types::MultiPolygon;
use safeground_model::Record;
use safeground_model::geometry::multipolygon_geojson;

use crate::{Result, StoreError, wkb_codec};

/// A record as stored: its JSON (a hazard's geometry left out) and that geometry as WKB.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredRecord {
    /// The record as JSON, with `"geometry": null` for a hazard whose geometry is in
    /// `geometry`.
    pub json: String,
    /// A hazard's polygons, little-endian WKB; None for other kinds and hazards without any.
    pub geometry: Option<Vec<u8>>,
}

impl StoredRecord {
    /// Splits `record` into its stored form.
    pub(crate) fn of(record: &Record) -> Result<Self> {
        let json =
            |r: &Record| serde_json::to_string(r).map_err(|e| StoreError::corrupt("record", e));
        match record {
            Record::Hazard(h) if h.geometry.is_some() => {
                let geometry = h.geometry.as_ref().map(wkb_codec::encode).transpose()?;
                let mut bare = h.clone();
                bare.geometry = None;
                Ok(StoredRecord {
                    json: json(&Record::Hazard(bare))?,
                    geometry,
                })
            }
            _ => Ok(StoredRecord {
                json: json(record)?,
                geometry: None,
            }),
        }
    }
}

/// Reads a stored record: `json`, with a hazard's geometry taken from `geometry` (WKB) when the
/// JSON has none. `what` names the record in errors.
pub(crate) fn load(json: &str, geometry: Option<&[u8]>, what: &str) -> Result<Record> {
    let mut record: Record =
        serde_json::from_str(json).map_err(|e| StoreError::corrupt(what, e))?;
    if let (Record::Hazard(h), Some(wkb)) = (&mut record, geometry)
        && h.geometry.is_none()
    {
        h.geometry = Some(wkb_codec::decode(wkb).map_err(|e| named(e, what))?);
    }
    Ok(record)
}

/// The whole record of a stored one as a JSON document: `json` with its `geometry` (when
/// null) set from `geometry` (WKB). Every other field is kept as stored, so a programme copied
/// to another backend ([`crate::transfer`]) compares equal field for field.
pub(crate) fn whole_json(json: &str, geometry: Option<&[u8]>, what: &str) -> Result<String> {
    let Some(wkb) = geometry else {
        return Ok(json.to_owned());
    };
    let mut doc: serde_json::Value =
        serde_json::from_str(json).map_err(|e| StoreError::corrupt(what, e))?;
    if let Some(slot) = doc.get_mut("geometry").filter(|g| g.is_null()) {
        let mp = wkb_codec::decode(wkb).map_err(|e| named(e, what))?;
        *slot = multipolygon_geojson::serialize(&mp, serde_json::value::Serializer)
            .map_err(|e| StoreError::corrupt(what, e))?;
    }
    Ok(doc.to_string())
}

/// The stored form of a whole record given as a JSON document (the inverse of [`whole_json`]):
/// a hazard's geometry moved out to WKB, every other field kept as it is.
pub(crate) fn split_json(json: &str, what: &str) -> Result<StoredRecord> {
    let mut doc: serde_json::Value =
        serde_json::from_str(json).map_err(|e| StoreError::corrupt(what, e))?;
    let is_hazard = doc.get("kind").and_then(|k| k.as_str()) == Some("hazard");
    let slot = doc
        .get_mut("geometry")
        .filter(|g| is_hazard && !g.is_null());
    let Some(slot) = slot else {
        return Ok(StoredRecord {
            json: json.to_owned(),
            geometry: None,
        });
    };
    let mp: MultiPolygon<f64> =
        multipolygon_geojson::deserialize(slot.take()).map_err(|e| StoreError::corrupt(what, e))?;
    Ok(StoredRecord {
        json: doc.to_string(),
        geometry: Some(wkb_codec::encode(&mp)?),
    })
}

fn named(e: StoreError, what: &str) -> StoreError {
    match e {
        StoreError::Corrupt { detail, .. } => StoreError::corrupt(what, detail),
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn hazard() -> Record {
        serde_json::from_value(serde_json::json!({
            "kind": "hazard", "local_id": "H1", "name": "Ou Chrov 1", "class": "cha",
            "status": "open", "admin_pcode": "KH0201",
            "geometry": {"type": "MultiPolygon", "coordinates": [
                [[[103.2, 13.1], [103.21, 13.1], [103.21, 13.11], [103.2, 13.1]],
                 [[103.205, 13.101], [103.206, 13.101], [103.206, 13.102], [103.205, 13.101]]],
                [[[103.3, 13.2], [103.31000000000001, 13.2], [103.3, 13.21], [103.3, 13.2]]]]}
        }))
        .unwrap()
    }

    fn eo_find() -> Record {
        serde_json::from_value(serde_json::json!({
            "kind": "eo_find", "local_id": "EO1", "category": "uxo", "quantity": 2,
            "location": {"type": "Point", "coordinates": [103.2, 13.1]}
        }))
        .unwrap()
    }

    #[test]
    fn a_hazards_polygons_are_stored_apart_and_read_back_exactly() {
        let record = hazard();
        let Record::Hazard(h) = &record else { panic!() };
        assert!(h.geometry.is_some());
        let stored = StoredRecord::of(&record).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&stored.json).unwrap();
        assert_eq!(doc["geometry"], serde_json::Value::Null);
        assert_eq!(doc["kind"], "hazard");
        let wkb = stored.geometry.as_deref().unwrap();
        assert_eq!(load(&stored.json, Some(wkb), "v").unwrap(), record);
        // Without its column, the stored JSON is a hazard with no geometry.
        let Record::Hazard(bare) = load(&stored.json, None, "v").unwrap() else {
            panic!()
        };
        assert_eq!(bare.geometry, None);
    }

    #[test]
    fn old_versions_keep_their_geometry_in_the_record() {
        let record = hazard();
        let old = serde_json::to_string(&record).unwrap();
        assert_eq!(load(&old, None, "v").unwrap(), record);
        // The record's own geometry wins over a column's.
        let other = wkb_codec::encode(&MultiPolygon(vec![])).unwrap();
        assert_eq!(load(&old, Some(&other), "v").unwrap(), record);
    }

    #[test]
    fn other_kinds_and_hazards_without_polygons_are_stored_whole() {
        let mut record = hazard();
        if let Record::Hazard(h) = &mut record {
            h.geometry = None;
        }
        let stored = StoredRecord::of(&record).unwrap();
        assert_eq!(stored.geometry, None);
        assert_eq!(stored.json, serde_json::to_string(&record).unwrap());
        let point = eo_find();
        let stored = StoredRecord::of(&point).unwrap();
        assert_eq!(stored.geometry, None);
        assert_eq!(load(&stored.json, None, "v").unwrap(), point);
    }

    #[test]
    fn whole_and_split_json_are_inverse_and_keep_unknown_fields() {
        let record = hazard();
        let stored = StoredRecord::of(&record).unwrap();
        let whole = whole_json(&stored.json, stored.geometry.as_deref(), "v").unwrap();
        let a: serde_json::Value = serde_json::from_str(&whole).unwrap();
        let b = serde_json::to_value(&record).unwrap();
        assert_eq!(a, b);
        // A field this version does not know survives both ways.
        let mut doc = b.clone();
        doc["from_an_older_schema"] = serde_json::json!(1);
        let split = split_json(&doc.to_string(), "v").unwrap();
        assert_eq!(split.geometry, stored.geometry);
        let back: serde_json::Value =
            serde_json::from_str(&whole_json(&split.json, split.geometry.as_deref(), "v").unwrap())
                .unwrap();
        assert_eq!(back, doc);
    }

    #[test]
    fn a_broken_geometry_column_is_reported_by_name() {
        let stored = StoredRecord::of(&hazard()).unwrap();
        let err = load(&stored.json, Some(&[1, 2, 3]), "version 9").unwrap_err();
        assert!(err.to_string().contains("version 9"), "{err}");
    }
}
