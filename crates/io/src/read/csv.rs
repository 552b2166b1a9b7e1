//! CSV (or `;`- or tab-separated) with a header row: every cell a string (empty cells null), geometry null (the importer
//! builds it from columns).

use std::path::Path;

use encoding_rs::Encoding;
use serde_json::{Map, Value};

use super::{SourceRecord, column_names, encoding, feature, read_bytes};
use crate::IoError;

/// A row: its spreadsheet row number, and its cells by column or why it cannot be read.
pub(super) type Row = (usize, Result<Map<String, Value>, String>);

/// A parsed CSV: its column names and its rows.
pub(super) struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

/// The records of a CSV file, labelled "row N" (the header is row 1).
pub(super) fn read(
    path: &Path,
    encoding: Option<&'static Encoding>,
) -> Result<Vec<SourceRecord>, IoError> {
    let text = encoding::decode(&read_bytes(path)?, encoding, path)?;
    let table = parse(&text, &path.display().to_string())?;
    Ok(table
        .rows
        .into_iter()
        .map(|(row, cells)| SourceRecord {
            label: format!("row {row}"),
            feature: cells.map(|p| feature(p, Value::Null)),
        })
        .collect())
}

/// Parses CSV text (separated by `,`, or `;` or tabs when its header line has more of
/// those); `what` names it in messages. A missing header is a usage error; a row
/// with the wrong number of fields is an error of that row only.
pub(super) fn parse(text: &str, what: &str) -> Result<Table, IoError> {
    // Excel in many locales separates with `;`; a tab-separated export has tabs.
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|d| header_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(str::to_string).collect(),
        Some(Err(e)) => return Err(super::usage(format!("{what}: cannot read the header: {e}"))),
        None => Vec::new(),
    };
    // Trailing blank names (a trailing comma, as GDAL and Excel write) name no column.
    let named = header
        .iter()
        .rposition(|h| !h.trim().is_empty())
        .map_or(0, |i| i + 1);
    let columns = column_names(header.into_iter().take(named).collect(), what)?;
    let mut rows = Vec::new();
    for (i, record) in records.enumerate() {
        let row = i + 2;
        let cells = match record {
            Err(e) => Err(format!("row {row} cannot be read: {e}")),
            Ok(r)
                if r.len() < columns.len()
                    || r.iter().skip(columns.len()).any(|f| !f.is_empty()) =>
            {
                Err(format!(
                    "row {row} has {} fields, the header has {}",
                    r.len(),
                    columns.len()
                ))
            }
            Ok(r) => Ok(columns
                .iter()
                .zip(r.iter())
                .map(|(c, v)| {
                    let v = if v.is_empty() {
                        Value::Null
                    } else {
                        Value::String(v.to_string())
                    };
                    (c.clone(), v)
                })
                .collect()),
        };
        rows.push((row, cells));
    }
    Ok(Table { columns, rows })
}
