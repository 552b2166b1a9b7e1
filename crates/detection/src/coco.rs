//! COCO detection results, in pixels of the image the detector ran on: either a results array
//! `[{image_id, category_id, bbox: [x, y, w, h], score}]` or a dataset `{images, annotations,
//! categories}` whose annotations carry `score`.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::read::{
    FileRead, confidence_problem, georef_box, json_f64, json_text, reject_percentages,
};
use crate::{DetectionError, Dropped, ImageGeoreference, ReadOptions};

/// Reads COCO results and georeferences the boxes through `opts.image`.
pub(crate) fn read(v: &Value, opts: &ReadOptions) -> Result<FileRead, DetectionError> {
    let image = opts.image.ok_or(DetectionError::NoImage)?;
    let empty = Map::new();
    let (top, annotations) = match v {
        Value::Array(a) => (&empty, a),
        Value::Object(o) => (
            o,
            o.get("annotations")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    DetectionError::Format("COCO object without an `annotations` array".into())
                })?,
        ),
        _ => {
            return Err(DetectionError::Format(
                "COCO must be an array or an object".into(),
            ));
        }
    };
    let names = class_names(top, opts.classes);
    let keep = chosen_image(top, annotations, image)?;

    let mut out = FileRead {
        model: named(top, "model"),
        // `version` at the top names the model's version; inside `info` it is the dataset's.
        version: named(top, "model_version").or_else(|| top.get("version").and_then(json_text)),
        items: Vec::new(),
        dropped: Vec::new(),
    };
    let mut confs = Vec::new();
    let mut ours = Vec::new();
    for (i, a) in annotations.iter().enumerate() {
        let record = i + 1;
        if let Some(k) = &keep {
            let reason = match a.get("image_id").and_then(json_text) {
                None => Some("no image_id".to_owned()),
                Some(id) if id != *k => {
                    Some(format!("on image {id}, not the orthophoto (image {k})"))
                }
                Some(_) => None,
            };
            if let Some(reason) = reason {
                out.dropped.push(Dropped { record, reason });
                continue;
            }
        }
        let score = a.get("score").filter(|s| !s.is_null()).ok_or(DetectionError::NoConfidence {
            record,
            hint: "`score` in every annotation; annotations without scores are ground truth, not detector output",
        })?;
        if let Some(c) = json_f64(score) {
            confs.push((record, c));
        }
        ours.push((record, a, score));
    }
    reject_percentages(&confs)?;

    for (record, a, score) in ours {
        match annotation(a, score, &names, image, opts.min_confidence, record) {
            Ok(d) => out.items.push(d),
            Err(reason) => out.dropped.push(Dropped { record, reason }),
        }
    }
    Ok(out)
}

/// Class names by category id: the file's categories, else the options' names by index.
enum Names<'a> {
    Categories(HashMap<String, String>),
    ByIndex(&'a [String]),
    Ids,
}

fn class_names<'a>(top: &Map<String, Value>, classes: Option<&'a [String]>) -> Names<'a> {
    if let Some(cats) = top
        .get("categories")
        .and_then(Value::as_array)
        .filter(|c| !c.is_empty())
    {
        let map = cats
            .iter()
            .filter_map(|c| {
                Some((
                    c.get("id").and_then(json_text)?,
                    c.get("name").and_then(json_text)?,
                ))
            })
            .collect();
        return Names::Categories(map);
    }
    classes.map_or(Names::Ids, Names::ByIndex)
}

/// A value named at the top of the file or in its `info` object.
fn named(top: &Map<String, Value>, key: &str) -> Option<String> {
    top.get(key)
        .and_then(json_text)
        .or_else(|| top.get("info")?.get(key).and_then(json_text))
}

/// The image id whose annotations belong to the orthophoto, or `None` to keep them all.
fn chosen_image(
    top: &Map<String, Value>,
    annotations: &[Value],
    image: &dyn ImageGeoreference,
) -> Result<Option<String>, DetectionError> {
    let (w, h) = image.size();
    let images = top
        .get("images")
        .and_then(Value::as_array)
        .filter(|i| !i.is_empty());
    let Some(images) = images else {
        let ids: BTreeSet<String> = annotations
            .iter()
            .filter_map(|a| a.get("image_id").and_then(json_text))
            .collect();
        if ids.len() > 1 {
            return Err(DetectionError::Image(format!(
                "results for {} images (ids {}) and no `images` list to tell which is the {w}×{h} px orthophoto: split the file per image",
                ids.len(),
                ids.into_iter().collect::<Vec<_>>().join(", ")
            )));
        }
        return Ok(None);
    };
    let describe = |i: &Value| {
        let id = i
            .get("id")
            .and_then(json_text)
            .unwrap_or_else(|| "?".into());
        let file = i.get("file_name").and_then(json_text).unwrap_or_default();
        let size = match (
            i.get("width").and_then(json_f64),
            i.get("height").and_then(json_f64),
        ) {
            (Some(iw), Some(ih)) => format!("{iw}×{ih} px"),
            _ => "size not given".into(),
        };
        format!("{id} ({file}, {size})")
    };
    if images.len() == 1 && images[0].get("width").is_none() {
        return Ok(images[0].get("id").and_then(json_text));
    }
    let matching: Vec<&Value> = images
        .iter()
        .filter(|i| {
            i.get("width").and_then(json_f64) == Some(f64::from(w))
                && i.get("height").and_then(json_f64) == Some(f64::from(h))
        })
        .collect();
    match matching.as_slice() {
        [one] => one
            .get("id")
            .and_then(json_text)
            .map(Some)
            .ok_or_else(|| DetectionError::Image(format!("image {} has no id", describe(one)))),
        [] => Err(DetectionError::Image(format!(
            "no image in the file is {w}×{h} px, the orthophoto's size; it has: {}",
            images.iter().map(describe).collect::<Vec<_>>().join("; ")
        ))),
        several => Err(DetectionError::Image(format!(
            "ambiguous: images {} are all {w}×{h} px like the orthophoto; split the file per image",
            several
                .iter()
                .map(|i| describe(i))
                .collect::<Vec<_>>()
                .join("; ")
        ))),
    }
}

fn annotation(
    a: &Value,
    score: &Value,
    names: &Names,
    image: &dyn ImageGeoreference,
    min: f64,
    record: usize,
) -> Result<crate::Detection, String> {
    let id = a
        .get("category_id")
        .and_then(json_text)
        .ok_or("no category_id")?;
    let class = match names {
        Names::Categories(map) => map
            .get(&id)
            .cloned()
            .ok_or_else(|| format!("unknown category id {id} (not in `categories`)"))?,
        Names::ByIndex(list) => id
            .parse::<usize>()
            .ok()
            .and_then(|i| list.get(i))
            .cloned()
            .ok_or_else(|| format!("unknown class id {id} ({} class names given)", list.len()))?,
        Names::Ids => id,
    };
    let bbox: Vec<f64> = a
        .get("bbox")
        .and_then(Value::as_array)
        .map(|b| b.iter().filter_map(json_f64).collect())
        .unwrap_or_default();
    let bbox: [f64; 4] = bbox.try_into().map_err(|_| {
        format!(
            "bbox {} is not [x, y, w, h]",
            a.get("bbox").unwrap_or(&Value::Null)
        )
    })?;
    let confidence = json_f64(score).ok_or_else(|| format!("score {score} is not a number"))?;
    if let Some(problem) = confidence_problem(confidence, min) {
        return Err(problem);
    }
    georef_box(image, class, confidence, bbox, record).map_err(|d| d.reason)
}
