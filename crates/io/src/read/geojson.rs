//! GeoJSON FeatureCollections (a legacy `crs` member naming an EPSG code is honoured), and
//! `.json` files that are XLSForm submission exports instead.

use std::path::Path;

use serde_json::{Map, Value};

use super::{SourceRecord, feature, read_bytes, usage, xlsform};
use crate::IoError;
use crate::reproject::Reprojection;

/// The records of a GeoJSON file; with `submissions_too`, a JSON file that is not GeoJSON is
/// read as an XLSForm submission export.
pub(super) fn read(path: &Path, submissions_too: bool) -> Result<Vec<SourceRecord>, IoError> {
    let bytes = read_bytes(path)?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut root: Value = serde_json::from_slice(bytes).map_err(|e| {
        usage(format!(
            "{} is not valid JSON ({e}); check that the file is complete",
            path.display()
        ))
    })?;
    let kind = root.get("type").and_then(Value::as_str);
    match (kind, root.get("features")) {
        (Some("FeatureCollection"), Some(Value::Array(_))) => {
            let crs = crs_of(root.get("crs"), path)?;
            let Some(Value::Array(features)) = root.get_mut("features").map(Value::take) else {
                return Ok(Vec::new());
            };
            Ok(features
                .into_iter()
                .enumerate()
                .map(|(i, f)| SourceRecord {
                    label: format!("feature {}", i + 1),
                    feature: one(f, &crs),
                })
                .collect())
        }
        (Some("Feature"), _) => {
            let crs = crs_of(root.get("crs"), path)?;
            Ok(vec![SourceRecord {
                label: "feature 1".into(),
                feature: one(root, &crs),
            }])
        }
        _ if submissions_too => xlsform::read_json(root, path),
        _ => Err(usage(format!(
            "{} is not a GeoJSON FeatureCollection (expected \"type\": \"FeatureCollection\" \
             and a \"features\" array)",
            path.display()
        ))),
    }
}

/// The coordinate system of a legacy `crs` member, `{"type": "name", "properties": {"name":
/// "urn:ogc:def:crs:EPSG::32648"}}` (as ogr2ogr writes for non-WGS 84 data); WGS 84 without.
pub(super) fn crs_of(crs: Option<&Value>, path: &Path) -> Result<Reprojection, IoError> {
    let Some(name) = crs
        .and_then(|c| c.pointer("/properties/name"))
        .and_then(Value::as_str)
    else {
        return Ok(Reprojection::wgs84());
    };
    if name.contains("CRS84") || name.contains("CRS:84") {
        return Ok(Reprojection::wgs84());
    }
    let code = name
        .rsplit(':')
        .next()
        .and_then(|c| c.trim().parse::<u32>().ok())
        .filter(|_| name.to_uppercase().contains("EPSG"));
    match code {
        Some(code) => Reprojection::from_epsg(code).map_err(|e| {
            usage(format!(
                "{}: its crs `{name}`: {e}; {}",
                path.display(),
                super::reproject_hint(path)
            ))
        }),
        None => Err(usage(format!(
            "{}: its crs `{name}` is not an EPSG code; {}",
            path.display(),
            super::reproject_hint(path)
        ))),
    }
}

/// One feature, reprojected, as a plain Feature object (its `id` kept).
pub(super) fn one(f: Value, crs: &Reprojection) -> Result<Value, String> {
    if f.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err("not a GeoJSON Feature (\"type\": \"Feature\")".into());
    }
    let Value::Object(mut f) = f else {
        return Err("not a GeoJSON Feature (\"type\": \"Feature\")".into());
    };
    let properties = match f.remove("properties") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(p)) => p,
        Some(_) => return Err("its properties are not an object".into()),
    };
    let mut geometry = f.remove("geometry").unwrap_or(Value::Null);
    if !geometry.is_null() {
        if !geometry.is_object() {
            return Err("its geometry is not an object".into());
        }
        crs.geometry_to_wgs84(&mut geometry)
            .map_err(|e| e.to_string())?;
    }
    let mut out = feature(properties, geometry);
    if let (Some(id), Some(o)) = (f.remove("id"), out.as_object_mut()) {
        o.insert("id".into(), id);
    }
    Ok(out)
}
