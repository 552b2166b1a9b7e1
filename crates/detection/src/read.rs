//! Reading a detector's file: format sniffing, the model's name, and the checks every format
//! shares (confidence range, percentages, pixel boxes georeferenced through the image).

use geo_types::{LineString, Polygon};
use serde_json::Value;

use crate::{
    Detection, DetectionError, DetectionFormat, Detections, Dropped, ImageGeoreference, ReadOptions,
};

/// Reads a detector's output and georeferences it.
///
/// `format: None` sniffs it: a JSON FeatureCollection or Feature is GeoJSON, other JSON with
/// `annotations` or an array of results is COCO, text is YOLO. Bad records are listed in
/// [`Detections::dropped`]; only problems with the whole file are errors.
///
/// ```
/// use safeground_detection::{ReadOptions, read_detections};
/// let file = br#"{"type":"FeatureCollection","features":[{"type":"Feature",
///   "geometry":{"type":"Point","coordinates":[103.2,13.1]},
///   "properties":{"class":"PMN-2","confidence":0.91}}]}"#;
/// let opts = ReadOptions { model: Some("mine-yolo"), model_version: Some("3.1"), ..Default::default() };
/// let d = read_detections(file, None, &opts)?;
/// assert_eq!((d.items[0].class.as_str(), d.items[0].lon), ("PMN-2", 103.2));
/// # Ok::<(), safeground_detection::DetectionError>(())
/// ```
pub fn read_detections(
    bytes: &[u8],
    format: Option<DetectionFormat>,
    opts: &ReadOptions,
) -> Result<Detections, DetectionError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| DetectionError::Format(format!("the file is not UTF-8 text: {e}")))?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(DetectionError::Format("the file is empty".into()));
    }
    let looks_json = matches!(text.trim_start().chars().next(), Some('{' | '['));
    // Parsed once, for sniffing and reading alike.
    let json = if looks_json {
        Some(parse_json(text)?)
    } else {
        None
    };
    let format = match (format, &json) {
        (Some(f), _) => f,
        (None, Some(v)) => sniff_json(v)?,
        (None, None) => DetectionFormat::Yolo,
    };
    let (model, version, items, dropped) = match (format, &json) {
        (DetectionFormat::Yolo, Some(_)) => {
            return Err(DetectionError::Format(
                "this is JSON, not YOLO txt: read it as geojson or coco".into(),
            ));
        }
        (DetectionFormat::Yolo, None) => {
            let (items, dropped) = crate::yolo::read(text, opts)?;
            (None, None, items, dropped)
        }
        (DetectionFormat::GeoJson | DetectionFormat::Coco, None) => {
            return Err(DetectionError::Format(format!(
                "{format} must be JSON, and this file does not start with {{ or ["
            )));
        }
        (DetectionFormat::GeoJson, Some(v)) => {
            let r = crate::geojson::read(v, opts)?;
            (r.model, r.version, r.items, r.dropped)
        }
        (DetectionFormat::Coco, Some(v)) => {
            let r = crate::coco::read(v, opts)?;
            (r.model, r.version, r.items, r.dropped)
        }
    };
    let model = pick(opts.model, model).ok_or(DetectionError::NoModel)?;
    let model_version = pick(opts.model_version, version).ok_or(DetectionError::NoModel)?;
    Ok(Detections {
        model,
        model_version,
        format,
        items,
        dropped,
    })
}

/// The options' value if given, else the file's; blank values count as missing.
fn pick(opt: Option<&str>, file: Option<String>) -> Option<String> {
    opt.map(str::to_owned)
        .or(file)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn parse_json(text: &str) -> Result<Value, DetectionError> {
    serde_json::from_str(text).map_err(|e| DetectionError::Format(format!("not valid JSON: {e}")))
}

fn sniff_json(v: &Value) -> Result<DetectionFormat, DetectionError> {
    match v {
        Value::Object(o) => match o.get("type").and_then(Value::as_str) {
            Some("FeatureCollection" | "Feature") => Ok(DetectionFormat::GeoJson),
            _ if o.contains_key("annotations") => Ok(DetectionFormat::Coco),
            _ => Err(DetectionError::Format(
                "JSON that is neither a GeoJSON FeatureCollection nor COCO (no `annotations`): name the format".into(),
            )),
        },
        Value::Array(a) if a.is_empty() || a.iter().any(|r| r.get("bbox").is_some()) => {
            Ok(DetectionFormat::Coco)
        }
        _ => Err(DetectionError::Format(
            "JSON of an unknown shape: expected a GeoJSON FeatureCollection or COCO results".into(),
        )),
    }
}

/// What a JSON reader found: the model named in the file (if any) and the records.
pub(crate) struct FileRead {
    /// Model named by the file.
    pub(crate) model: Option<String>,
    /// Model version named by the file.
    pub(crate) version: Option<String>,
    /// Detections kept.
    pub(crate) items: Vec<Detection>,
    /// Records dropped.
    pub(crate) dropped: Vec<Dropped>,
}

/// A number from JSON: numbers, and numeric strings (some exporters quote them).
pub(crate) fn json_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A text value from JSON: strings as they are, numbers as written.
pub(crate) fn json_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Fails when the confidences look like percentages: some above 1, none outside 0..100.
/// `confs` holds (record, confidence) of the records that have one.
pub(crate) fn reject_percentages(confs: &[(usize, f64)]) -> Result<(), DetectionError> {
    let first_above_one = confs.iter().find(|(_, c)| *c > 1.0);
    let all_in_percent = confs.iter().all(|(_, c)| (0.0..=100.0).contains(c));
    match first_above_one {
        Some(&(record, value)) if all_in_percent => Err(DetectionError::Percent { record, value }),
        _ => Ok(()),
    }
}

/// Why a confidence is not kept, if it is not: NaN, outside 0..1, below the minimum.
pub(crate) fn confidence_problem(c: f64, min: f64) -> Option<String> {
    if !c.is_finite() {
        Some(format!("confidence {c} is not a number"))
    } else if !(0.0..=1.0).contains(&c) {
        Some(format!("confidence {c} outside 0..1"))
    } else if c < min {
        Some(format!("confidence {c} below the minimum {min}"))
    } else {
        None
    }
}

/// Georeferences a pixel box `[x, y, w, h]` (top-left origin): the location is its centre, the
/// footprint its four corners. The box is dropped when its centre lies outside the image.
pub(crate) fn georef_box(
    image: &dyn ImageGeoreference,
    class: String,
    confidence: f64,
    bbox: [f64; 4],
    record: usize,
) -> Result<Detection, Dropped> {
    let drop = |reason: String| Dropped { record, reason };
    let [x, y, w, h] = bbox;
    if bbox.iter().any(|v| !v.is_finite()) {
        return Err(drop(format!("box {bbox:?} is not a number")));
    }
    if w <= 0.0 || h <= 0.0 {
        return Err(drop(format!("empty box: width {w} px, height {h} px")));
    }
    let (iw, ih) = image.size();
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    if !(0.0..=f64::from(iw)).contains(&cx) || !(0.0..=f64::from(ih)).contains(&cy) {
        let all = x + w < 0.0 || y + h < 0.0 || x > f64::from(iw) || y > f64::from(ih);
        let which = if all {
            "the whole box lies"
        } else {
            "its centre lies"
        };
        return Err(drop(format!(
            "box centre ({cx}, {cy}) px outside the {iw}×{ih} px image ({which} outside; a box is kept when its centre is inside)"
        )));
    }
    let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)];
    let mut ring = Vec::with_capacity(corners.len());
    for (px, py) in corners {
        let (lon, lat) = image
            .pixel_to_wgs84(px, py)
            .ok_or_else(|| drop(format!("pixel ({px}, {py}) could not be georeferenced")))?;
        ring.push((lon, lat));
    }
    let (lon, lat) = image.pixel_to_wgs84(cx, cy).ok_or_else(|| {
        drop(format!(
            "box centre ({cx}, {cy}) px could not be georeferenced"
        ))
    })?;
    Ok(Detection {
        class,
        confidence,
        lon,
        lat,
        footprint: Some(Polygon::new(LineString::from(ring), vec![])),
        pixel_bbox: Some(bbox),
        record,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Wgs84GeoTransform;

    const IMG: Wgs84GeoTransform = Wgs84GeoTransform {
        width: 1000,
        height: 500,
        geotransform: [103.0, 1e-5, 0.0, 13.0, 0.0, -1e-5],
    };

    #[test]
    fn percentages_are_told_apart_from_bad_values() {
        assert!(reject_percentages(&[(1, 0.5), (2, 0.9)]).is_ok());
        assert_eq!(
            reject_percentages(&[(1, 0.5), (2, 87.0)]),
            Err(DetectionError::Percent {
                record: 2,
                value: 87.0
            })
        );
        // One wild value among 0..1 values is a bad record, not a percentage file.
        assert!(reject_percentages(&[(1, 0.5), (2, 870.0)]).is_ok());
    }

    #[test]
    fn box_centre_rule() {
        let ok = georef_box(&IMG, "a".into(), 0.5, [990.0, 10.0, 20.0, 20.0], 1);
        assert!(ok.is_ok(), "centre 1000 is on the edge: kept");
        let Err(d) = georef_box(&IMG, "a".into(), 0.5, [995.0, 10.0, 20.0, 20.0], 2) else {
            panic!("centre outside must drop")
        };
        assert!(d.reason.contains("its centre lies outside"), "{}", d.reason);
        let Err(d) = georef_box(&IMG, "a".into(), 0.5, [2000.0, 10.0, 20.0, 20.0], 3) else {
            panic!("box outside must drop")
        };
        assert!(d.reason.contains("whole box"), "{}", d.reason);
        assert!(georef_box(&IMG, "a".into(), 0.5, [1.0, 1.0, 0.0, 2.0], 4).is_err());
    }

    /// An image whose transform fails east of column 500 (outside a projection's domain).
    struct HalfImage;
    impl ImageGeoreference for HalfImage {
        fn size(&self) -> (u32, u32) {
            (1000, 1000)
        }
        fn pixel_to_wgs84(&self, px: f64, py: f64) -> Option<(f64, f64)> {
            (px <= 500.0).then_some((px, -py))
        }
    }

    #[test]
    fn untransformable_boxes_are_dropped() {
        assert!(georef_box(&HalfImage, "a".into(), 0.5, [10.0, 10.0, 10.0, 10.0], 1).is_ok());
        let Err(d) = georef_box(&HalfImage, "a".into(), 0.5, [495.0, 10.0, 10.0, 10.0], 2) else {
            panic!("a corner east of 500 cannot be transformed")
        };
        assert_eq!(d.reason, "pixel (505, 10) could not be georeferenced");
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            sniff_json(&serde_json::json!({"type": "FeatureCollection", "features": []})).ok(),
            Some(DetectionFormat::GeoJson)
        );
        assert_eq!(
            sniff_json(&serde_json::json!({"annotations": []})).ok(),
            Some(DetectionFormat::Coco)
        );
        assert_eq!(
            sniff_json(&serde_json::json!([{"bbox": [0, 0, 1, 1]}])).ok(),
            Some(DetectionFormat::Coco)
        );
        assert!(sniff_json(&serde_json::json!({"a": 1})).is_err());
    }
}
