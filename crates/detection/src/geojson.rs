//! GeoJSON detector output: a FeatureCollection of Point or Polygon features in WGS84.

use geo::Centroid;
use geo_types::{Geometry, Polygon};
use serde_json::{Map, Value};

use crate::read::{FileRead, confidence_problem, json_f64, json_text, reject_percentages};
use crate::{Detection, DetectionError, Dropped, ReadOptions};

const CLASS_KEYS: [&str; 4] = ["class", "label", "category", "name"];
const CONFIDENCE_KEYS: [&str; 3] = ["confidence", "score", "probability"];
const VERSION_KEYS: [&str; 2] = ["model_version", "version"];

/// Reads a FeatureCollection (or a single Feature).
pub(crate) fn read(v: &Value, opts: &ReadOptions) -> Result<FileRead, DetectionError> {
    let top = v
        .as_object()
        .ok_or_else(|| DetectionError::Format("GeoJSON must be an object".into()))?;
    check_crs(top)?;
    let features: Vec<&Value> = match top.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => top
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| DetectionError::Format("FeatureCollection without `features`".into()))?
            .iter()
            .collect(),
        Some("Feature") => vec![v],
        _ => {
            return Err(DetectionError::Format(
                "GeoJSON detections must be a FeatureCollection of Point or Polygon features"
                    .into(),
            ));
        }
    };
    let empty = Map::new();
    let props: Vec<&Map<String, Value>> = features
        .iter()
        .map(|f| {
            f.get("properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty)
        })
        .collect();

    // Confidences first: a missing one or percentages reject the whole file.
    let mut confs = Vec::new();
    for (i, p) in props.iter().enumerate() {
        match first(p, &CONFIDENCE_KEYS) {
            None => {
                return Err(DetectionError::NoConfidence {
                    record: i + 1,
                    hint: "property confidence, score or probability",
                });
            }
            Some(c) => {
                if let Some(c) = json_f64(c) {
                    confs.push((i + 1, c));
                }
            }
        }
    }
    reject_percentages(&confs)?;

    let model = if opts.model.is_some() {
        None
    } else {
        file_value(top, &props, &["model"])?
    };
    let version = if opts.model_version.is_some() {
        None
    } else {
        file_value(top, &props, &VERSION_KEYS)?
    };

    let mut out = FileRead {
        model,
        version,
        items: Vec::new(),
        dropped: Vec::new(),
    };
    for (i, (f, p)) in features.iter().zip(&props).enumerate() {
        match feature(f, p, i + 1, opts.min_confidence) {
            Ok(d) => out.items.push(d),
            Err(reason) => out.dropped.push(Dropped {
                record: i + 1,
                reason,
            }),
        }
    }
    Ok(out)
}

/// Only WGS84 is accepted (RFC 7946); an old-style `crs` naming anything else is refused.
fn check_crs(top: &Map<String, Value>) -> Result<(), DetectionError> {
    let Some(name) = top
        .get("crs")
        .and_then(|c| c.pointer("/properties/name"))
        .and_then(Value::as_str)
    else {
        return Ok(());
    };
    if name.contains("CRS84") || name.ends_with(":4326") || name.ends_with("::4326") {
        Ok(())
    } else {
        Err(DetectionError::Format(format!(
            "the GeoJSON is in {name}; detections must be WGS84 lon/lat (RFC 7946): reproject it first"
        )))
    }
}

fn first<'a>(p: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|k| p.get(*k).filter(|v| !v.is_null()))
}

/// A value named at the top of the file, else by the features, which must agree.
fn file_value(
    top: &Map<String, Value>,
    props: &[&Map<String, Value>],
    keys: &[&str],
) -> Result<Option<String>, DetectionError> {
    if let Some(v) = first(top, keys).and_then(json_text) {
        return Ok(Some(v));
    }
    let mut seen: Option<String> = None;
    for p in props {
        if let Some(v) = first(p, keys).and_then(json_text) {
            match &seen {
                Some(s) if *s != v => {
                    return Err(DetectionError::Format(format!(
                        "the file mixes {} `{s}` and `{v}`: import one model version per file, or name it with --model/--model-version",
                        keys[0]
                    )));
                }
                Some(_) => {}
                None => seen = Some(v),
            }
        }
    }
    Ok(seen)
}

fn feature(
    f: &Value,
    p: &Map<String, Value>,
    record: usize,
    min: f64,
) -> Result<Detection, String> {
    let class = first(p, &CLASS_KEYS)
        .and_then(json_text)
        .ok_or("no class (property class, label, category or name)")?;
    let geometry = f
        .get("geometry")
        .filter(|g| !g.is_null())
        .ok_or("no geometry")?;
    let geometry: geojson::Geometry =
        serde_json::from_value(geometry.clone()).map_err(|e| format!("bad geometry: {e}"))?;
    let geometry = Geometry::<f64>::try_from(geometry).map_err(|e| format!("bad geometry: {e}"))?;
    let (lon, lat, footprint) = match geometry {
        Geometry::Point(pt) => (pt.x(), pt.y(), None),
        Geometry::Polygon(poly) => located(poly)?,
        Geometry::MultiPolygon(mut mp) if mp.0.len() == 1 => located(mp.0.remove(0))?,
        other => {
            return Err(format!(
                "geometry {} not supported: use Point or Polygon",
                kind(&other)
            ));
        }
    };
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(format!(
            "({lon}, {lat}) is not WGS84 lon/lat (projected coordinates?); GeoJSON must be WGS84"
        ));
    }
    let raw = first(p, &CONFIDENCE_KEYS).ok_or("no confidence")?;
    let confidence = json_f64(raw).ok_or_else(|| format!("confidence {raw} is not a number"))?;
    if let Some(problem) = confidence_problem(confidence, min) {
        return Err(problem);
    }
    Ok(Detection {
        class,
        confidence,
        lon,
        lat,
        footprint,
        pixel_bbox: None,
        record,
    })
}

fn located(poly: Polygon<f64>) -> Result<(f64, f64, Option<Polygon<f64>>), String> {
    let c = poly.centroid().ok_or("empty polygon")?;
    Ok((c.x(), c.y(), Some(poly)))
}

fn kind(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::Line(_) | Geometry::LineString(_) => "LineString",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiPolygon(_) => "MultiPolygon with several parts",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        _ => "other",
    }
}
