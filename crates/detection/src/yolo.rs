//! YOLO txt detector output: one line `class cx cy w h conf` per detection, the box normalised
//! 0..1 to the size of the image the detector ran on.

use crate::read::{confidence_problem, georef_box, reject_percentages};
use crate::{Detection, DetectionError, Dropped, ReadOptions};

const LINE_FORM: &str = "`class cx cy w h conf`";

struct Line {
    record: usize,
    class_id: usize,
    boxed: [f64; 4],
    confidence: f64,
}

/// Reads the lines; blank lines and `#` comments are skipped.
pub(crate) fn read(
    text: &str,
    opts: &ReadOptions,
) -> Result<(Vec<Detection>, Vec<Dropped>), DetectionError> {
    let image = opts.image.ok_or(DetectionError::NoImage)?;
    let mut dropped = Vec::new();
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let record = i + 1;
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        match parse(raw, record)? {
            Ok(l) => lines.push(l),
            Err(reason) => dropped.push(Dropped { record, reason }),
        }
    }
    let confs: Vec<(usize, f64)> = lines.iter().map(|l| (l.record, l.confidence)).collect();
    reject_percentages(&confs)?;

    let (w, h) = image.size();
    let (w, h) = (f64::from(w), f64::from(h));
    let mut items = Vec::new();
    for l in lines {
        let class = match opts.classes {
            Some(names) => match names.get(l.class_id) {
                Some(n) => n.clone(),
                None => {
                    dropped.push(Dropped {
                        record: l.record,
                        reason: format!(
                            "line {}: unknown class id {} ({} class names given)",
                            l.record,
                            l.class_id,
                            names.len()
                        ),
                    });
                    continue;
                }
            },
            None => l.class_id.to_string(),
        };
        if let Some(problem) = confidence_problem(l.confidence, opts.min_confidence) {
            dropped.push(Dropped {
                record: l.record,
                reason: format!("line {}: {problem}", l.record),
            });
            continue;
        }
        let [cx, cy, bw, bh] = l.boxed;
        let pixel = [(cx - bw / 2.0) * w, (cy - bh / 2.0) * h, bw * w, bh * h];
        match georef_box(image, class, l.confidence, pixel, l.record) {
            Ok(d) => items.push(d),
            Err(mut d) => {
                d.reason = format!("line {}: {}", l.record, d.reason);
                dropped.push(d);
            }
        }
    }
    dropped.sort_by_key(|d| d.record);
    Ok((items, dropped))
}

/// One line: `Err` for a missing confidence (the whole file), `Ok(Err)` for a malformed line.
fn parse(raw: &str, record: usize) -> Result<Result<Line, String>, DetectionError> {
    let fields: Vec<&str> = raw.split_whitespace().collect();
    if fields.len() == 5 {
        return Err(DetectionError::NoConfidence {
            record,
            hint: "a sixth column on every line; five columns are a label file",
        });
    }
    if fields.len() != 6 {
        return Ok(Err(format!(
            "line {record}: expected {LINE_FORM}, got {} fields: `{raw}`",
            fields.len()
        )));
    }
    let Ok(class_id) = fields[0].parse::<usize>() else {
        return Ok(Err(format!(
            "line {record}: class `{}` is not a class id (0, 1, 2…)",
            fields[0]
        )));
    };
    let mut nums = [0.0; 5];
    for (n, f) in nums.iter_mut().zip(&fields[1..]) {
        match f.parse::<f64>() {
            Ok(v) => *n = v,
            Err(_) => return Ok(Err(format!("line {record}: `{f}` is not a number"))),
        }
    }
    let [cx, cy, bw, bh, confidence] = nums;
    Ok(Ok(Line {
        record,
        class_id,
        boxed: [cx, cy, bw, bh],
        confidence,
    }))
}
