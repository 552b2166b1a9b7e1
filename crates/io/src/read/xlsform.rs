//! XLSForm submission exports: KoboToolbox / ODK JSON (a JSON array, Kobo's API
//! `{"count", "results": [...]}` or ODK Central OData `{"value": [...]}`), and ODK Central's
//! "all data" zip of CSVs (the main CSV, and one CSV per repeat group linked by
//! `PARENT_KEY` → `KEY`). Geometry is null: the importer builds it from the answers.

use std::collections::HashMap;
use std::path::Path;

use encoding_rs::Encoding;
use serde_json::{Map, Value};

use super::csv::{Table, parse};
use super::zipped::Archive;
use super::{ReadOptions, SourceRecord, encoding, feature, has_ext, usage};
use crate::IoError;

/// Deepest repeat nesting followed (real forms nest two or three deep).
const MAX_NESTING: usize = 16;

/// Records of a JSON submission export: keys kept verbatim (group paths such as
/// `group_loc/gps`; Kobo's repeats are already arrays of objects).
pub(super) fn read_json(root: Value, path: &Path) -> Result<Vec<SourceRecord>, IoError> {
    let submissions = match root {
        Value::Array(a) => a,
        Value::Object(mut o) => match (o.remove("results"), o.remove("value")) {
            (Some(Value::Array(a)), _) | (_, Some(Value::Array(a))) => a,
            _ => return Err(not_an_export(path)),
        },
        _ => return Err(not_an_export(path)),
    };
    Ok(submissions
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let n = i + 1;
            match s {
                Value::Object(answers) => SourceRecord {
                    label: match submission_id(&answers) {
                        Some(id) => format!("submission {n} ({id})"),
                        None => format!("submission {n}"),
                    },
                    feature: Ok(feature(answers, Value::Null)),
                },
                _ => SourceRecord {
                    label: format!("submission {n}"),
                    feature: Err("a submission is not a JSON object".into()),
                },
            }
        })
        .collect())
}

fn not_an_export(path: &Path) -> IoError {
    usage(format!(
        "{} is neither a GeoJSON FeatureCollection nor an XLSForm submission export (a JSON \
         array of submissions, KoboToolbox's {{\"results\": [...]}} or ODK Central's \
         {{\"value\": [...]}})",
        path.display()
    ))
}

/// The instance id of a submission: `_uuid` (Kobo), `meta/instanceID`, or `__id` (OData).
fn submission_id(answers: &Map<String, Value>) -> Option<&str> {
    ["_uuid", "meta/instanceID", "__id"]
        .iter()
        .find_map(|k| answers.get(*k))
        .or_else(|| answers.get("meta")?.get("instanceID"))
        .and_then(Value::as_str)
}

/// Records of an ODK Central zip: one per row of the main CSV (the one without `PARENT_KEY`;
/// `layer` picks one by file name when several lack it), with each repeat's rows as an array
/// under the repeat's name (the part of its file name after the last `-`).
pub(super) fn read_odk_zip(
    archive: &mut Archive,
    options: &ReadOptions,
    encoding: Option<&'static Encoding>,
) -> Result<Vec<SourceRecord>, IoError> {
    let path = archive.path.clone();
    let names: Vec<String> = archive
        .names()
        .iter()
        .filter(|n| has_ext(n, "csv") && !n.starts_with("__MACOSX"))
        .cloned()
        .collect();
    let mut tables = Vec::new();
    for name in names {
        let text = encoding::decode(&archive.read(&name)?, encoding, &path)?;
        let what = format!("{name} in {}", path.display());
        tables.push((name, parse(&text, &what)?));
    }
    let is_child = |t: &Table| t.columns.iter().any(|c| c == "PARENT_KEY");
    let mains: Vec<usize> = (0..tables.len())
        .filter(|&i| !is_child(&tables[i].1))
        .collect();
    let main = match options.layer.as_deref() {
        Some(l) => mains.iter().copied().find(|&i| stem(&tables[i].0) == l),
        None => mains.iter().copied().min_by_key(|&i| tables[i].0.len()),
    }
    .ok_or_else(|| {
        let found: Vec<&str> = mains.iter().map(|&i| stem(&tables[i].0)).collect();
        usage(format!(
            "{}: no main CSV{} (the one without a PARENT_KEY column); found: {}",
            path.display(),
            options
                .layer
                .as_deref()
                .map(|l| format!(" named `{l}`"))
                .unwrap_or_default(),
            found.join(", ")
        ))
    })?;
    let mut out = Vec::new();
    let mut repeats = Repeats::default();
    for (name, table) in tables.iter().filter(|(_, t)| is_child(t)) {
        let repeat = stem(name).rsplit('-').next().unwrap_or_default();
        for (row, cells) in &table.rows {
            match cells {
                Ok(c) => match c.get("PARENT_KEY").and_then(Value::as_str) {
                    Some(parent) => repeats.add(parent.to_string(), repeat, c.clone()),
                    None => out.push(child_error(*row, name, "its PARENT_KEY is empty".into())),
                },
                Err(e) => out.push(child_error(*row, name, e.clone())),
            }
        }
    }
    let mut records = Vec::new();
    for (row, cells) in &tables[main].1.rows {
        let n = row - 1;
        let record = match cells {
            Ok(cells) => {
                let mut answers = cells.clone();
                let key = answers
                    .get("KEY")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                if let Some(key) = &key {
                    repeats.attach(&mut answers, key, &odk_key, 0);
                }
                SourceRecord {
                    label: match key {
                        Some(k) => format!("submission {n} ({k})"),
                        None => format!("submission {n}"),
                    },
                    feature: Ok(feature(answers, Value::Null)),
                }
            }
            Err(e) => SourceRecord {
                label: format!("submission {n}"),
                feature: Err(e.clone()),
            },
        };
        records.push(record);
    }
    let orphans = repeats.unattached();
    if orphans > 0 {
        out.push(SourceRecord {
            label: format!("{orphans} repeat rows"),
            feature: Err(format!(
                "{orphans} rows of repeat CSVs have a PARENT_KEY that matches no submission"
            )),
        });
    }
    records.extend(out);
    Ok(records)
}

/// The `KEY` of an ODK Central row, which its repeats' `PARENT_KEY` names.
fn odk_key(_repeat: &str, row: &Map<String, Value>) -> Option<String> {
    row.get("KEY").and_then(Value::as_str).map(str::to_string)
}

/// The key of a row of a repeat (by the repeat's name), which its own repeats name as parent.
pub(super) type KeyOf = dyn Fn(&str, &Map<String, Value>) -> Option<String>;

/// Rows of repeat groups (ODK Central repeat CSVs, KoboToolbox repeat sheets), by the key of
/// their parent row; each is attached once at most, so cycles in bad data end.
#[derive(Default)]
pub(super) struct Repeats {
    by_parent: HashMap<String, Vec<usize>>,
    rows: Vec<(String, Map<String, Value>)>,
    used: Vec<bool>,
}

impl Repeats {
    /// A row of repeat `repeat` whose parent row has key `parent`.
    pub fn add(&mut self, parent: String, repeat: &str, cells: Map<String, Value>) {
        self.by_parent
            .entry(parent)
            .or_default()
            .push(self.rows.len());
        self.rows.push((repeat.to_string(), cells));
        self.used.push(false);
    }

    /// Adds the rows whose parent key is `key` to `answers` as arrays under their repeat's
    /// name, and theirs to them (`key_of` gives a row's own key).
    pub fn attach(
        &mut self,
        answers: &mut Map<String, Value>,
        key: &str,
        key_of: &KeyOf,
        depth: usize,
    ) {
        if depth >= MAX_NESTING {
            return;
        }
        let Some(ids) = self.by_parent.get(key).cloned() else {
            return;
        };
        for id in ids {
            if std::mem::replace(&mut self.used[id], true) {
                continue;
            }
            let (repeat, mut child) = self.rows[id].clone();
            if let Some(k) = key_of(&repeat, &child) {
                self.attach(&mut child, &k, key_of, depth + 1);
            }
            let slot = answers
                .entry(repeat)
                .or_insert_with(|| Value::Array(Vec::new()));
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            if let Value::Array(a) = slot {
                a.push(Value::Object(child));
            }
        }
    }

    /// How many rows no parent took.
    pub fn unattached(&self) -> usize {
        self.used.iter().filter(|u| !**u).count()
    }
}

fn child_error(row: usize, name: &str, why: String) -> SourceRecord {
    SourceRecord {
        label: format!("row {row} of {name}"),
        feature: Err(why),
    }
}

/// A file name without folders and extension.
fn stem(name: &str) -> &str {
    Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(name)
}
