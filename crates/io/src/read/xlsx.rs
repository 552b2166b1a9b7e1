//! XLSX workbooks: one sheet (`layer`, else the first) with a header row; cells as strings,
//! numbers, booleans or ISO dates, empty cells null. KoboToolbox exports put each repeat group
//! in its own sheet (`_parent_index` → the parent sheet's `_index`, `_parent_table_name`): those
//! rows are attached to their parents as arrays under the repeat sheet's name.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::AssertUnwindSafe;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use serde_json::{Map, Value, json};

use super::xlsform::Repeats;
use super::{ReadOptions, SourceRecord, column_names, feature, read_bytes, usage};
use crate::IoError;

/// A sheet: its column names and its non-empty rows (sheet row number, cells by column).
struct Sheet {
    columns: Vec<String>,
    rows: Vec<(usize, Map<String, Value>)>,
}

/// The records of one sheet, labelled "row N" (sheet row numbers).
pub(super) fn read(path: &Path, options: &ReadOptions) -> Result<Vec<SourceRecord>, IoError> {
    let bytes = read_bytes(path)?;
    // Last resort: calamine 0.38 overflows (a panic where overflow checks are on, as in debug
    // builds) on absurd cell references such as `AAAAAAAAA1` in a damaged sheet; such a
    // workbook is refused rather than crashing the import.
    std::panic::catch_unwind(AssertUnwindSafe(|| read_workbook(bytes, path, options)))
        .unwrap_or_else(|_| {
            Err(usage(format!(
                "{} is not a readable XLSX workbook (its content is damaged); check that the \
                 file is complete",
                path.display()
            )))
        })
}

fn read_workbook(
    bytes: Vec<u8>,
    path: &Path,
    options: &ReadOptions,
) -> Result<Vec<SourceRecord>, IoError> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
        usage(format!(
            "{} is not a readable XLSX workbook ({e}); check that the file is complete",
            path.display()
        ))
    })?;
    let names = book.sheet_names();
    let main = match options.layer.as_deref() {
        Some(l) => names.iter().find(|n| *n == l),
        None => names.first(),
    }
    .cloned()
    .ok_or_else(|| {
        usage(format!(
            "{} has no sheet `{}`; its sheets: {}",
            path.display(),
            options.layer.as_deref().unwrap_or_default(),
            names.join(", ")
        ))
    })?;
    let sheet = read_sheet(&mut book, &main, path)?;
    let mut repeats = Repeats::default();
    if sheet.columns.iter().any(|c| c == "_index") {
        for name in names.iter().filter(|n| **n != main) {
            let Ok(child) = read_sheet(&mut book, name, path) else {
                continue;
            };
            let linked = ["_parent_index", "_parent_table_name"]
                .iter()
                .all(|c| child.columns.iter().any(|k| k == c));
            if !linked {
                continue;
            }
            for (_, cells) in child.rows {
                let table = cells.get("_parent_table_name").and_then(Value::as_str);
                let index = cells.get("_parent_index").and_then(key_text);
                if let (Some(table), Some(index)) = (table, index) {
                    let table = sheet_of(table, &names);
                    repeats.add(format!("{table}\n{index}"), name, cells);
                }
            }
        }
    }
    let key_of = |sheet: &str, row: &Map<String, Value>| {
        row.get("_index")
            .and_then(key_text)
            .map(|i| format!("{sheet}\n{i}"))
    };
    Ok(sheet
        .rows
        .into_iter()
        .map(|(row, mut cells)| {
            if let Some(key) = key_of(&main, &cells) {
                repeats.attach(&mut cells, &key, &key_of, 0);
            }
            SourceRecord {
                label: format!("row {row}"),
                feature: Ok(feature(cells, Value::Null)),
            }
        })
        .collect())
}

/// Excel's last column (XFD) and row, 0-based: cells beyond are damage.
const MAX_COL: u32 = 16_383;
const MAX_ROW: u32 = 1_048_575;

/// A sheet's cells, read one by one (calamine's dense `Range` would allocate the bounding box of
/// the cells, which a damaged or odd sheet with a far-away cell makes huge).
fn read_sheet(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str, path: &Path) -> Result<Sheet, IoError> {
    let what = format!("sheet `{name}` of {}", path.display());
    let fail = |e: String| {
        usage(format!(
            "cannot read {what} ({e}); check that the file is complete"
        ))
    };
    let mut reader = book
        .worksheet_cells_reader(name)
        .map_err(|e| fail(e.to_string()))?;
    let mut cells: BTreeMap<u32, Vec<(u32, Value)>> = BTreeMap::new();
    while let Some(c) = reader.next_cell().map_err(|e| fail(e.to_string()))? {
        let (row, col) = c.get_position();
        if row > MAX_ROW || col > MAX_COL {
            return Err(fail("a cell lies beyond Excel's last row or column".into()));
        }
        let value = cell(&Data::from(c.get_value().clone()));
        if !value.is_null() {
            cells.entry(row).or_default().push((col, value));
        }
    }
    let mut rows = cells.into_iter();
    let header = rows.next().map(|(_, h)| h).unwrap_or_default();
    let width = header
        .iter()
        .map(|(c, _)| *c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut names = vec![String::new(); width];
    for (c, v) in header {
        names[c as usize] = match v {
            Value::String(s) => s,
            other => other.to_string(),
        };
    }
    let columns = column_names(names, &what)?;
    let rows = rows
        .map(|(row, values)| {
            let mut props: Map<String, Value> =
                columns.iter().map(|c| (c.clone(), Value::Null)).collect();
            for (c, v) in values {
                let key = columns
                    .get(c as usize)
                    .cloned()
                    .unwrap_or_else(|| format!("column {}", c + 1));
                props.insert(key, v);
            }
            (row as usize + 1, props)
        })
        .collect();
    Ok(Sheet { columns, rows })
}

/// The sheet a `_parent_table_name` names: Excel cuts sheet names to 31 characters.
fn sheet_of<'a>(table: &'a str, names: &'a [String]) -> &'a str {
    names
        .iter()
        .find(|n| *n == table || (n.chars().count() == 31 && table.starts_with(n.as_str())))
        .map_or(table, String::as_str)
}

/// An `_index` / `_parent_index` value as text: numbers without a fraction print alike.
fn key_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A cell as JSON: integral numbers without `.0`, dates as ISO 8601, errors as their text.
fn cell(c: &Data) -> Value {
    match c {
        Data::Empty => Value::Null,
        Data::String(s) if s.is_empty() => Value::Null,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => json!(s),
        Data::Int(i) => json!(i),
        Data::Float(f) => number(*f),
        Data::Bool(b) => json!(b),
        Data::Error(e) => json!(e.to_string()),
        Data::DateTime(d) if d.is_duration() => {
            let secs = (d.as_f64() * 86_400.0).round();
            if !secs.is_finite() || secs.abs() > 1e15 {
                return number(d.as_f64());
            }
            let secs = secs as i64;
            json!(format!(
                "PT{}H{}M{}S",
                secs / 3600,
                (secs % 3600).abs() / 60,
                (secs % 60).abs()
            ))
        }
        Data::DateTime(d) => {
            let (y, mo, day, h, mi, s, ms) = d.to_ymd_hms_milli();
            let time = if ms == 0 {
                format!("{h:02}:{mi:02}:{s:02}")
            } else {
                format!("{h:02}:{mi:02}:{s:02}.{ms:03}")
            };
            if (0.0..1.0).contains(&d.as_f64()) {
                json!(time)
            } else if (h, mi, s, ms) == (0, 0, 0, 0) {
                json!(format!("{y:04}-{mo:02}-{day:02}"))
            } else {
                json!(format!("{y:04}-{mo:02}-{day:02}T{time}"))
            }
        }
    }
}

/// A float as JSON: integral values as integers (`3`, not `3.0`).
fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        json!(f as i64)
    } else {
        json!(f)
    }
}
