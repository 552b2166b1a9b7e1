//! XLSX workbooks (rust_xlsxwriter): one sheet per collection, a header row, then one row per
//! feature with its geometry as WKT in the last column.

use std::path::Path;

use rust_xlsxwriter::{Workbook, XlsxError};
use safeground_store::Flow;
use serde_json::Value;

use crate::IoError;
use crate::collections::Feature;
use crate::csv_hxl::wkt;
use crate::export::Selection;

fn xerr(e: XlsxError) -> IoError {
    IoError::Usage(format!("cannot write the workbook: {e}"))
}

/// Excel's limit on the text of a cell.
const MAX_CELL: usize = 32_767;

/// Writes the selections into a new workbook at `path`; returns the rows per collection.
pub(crate) fn write(
    selections: &[Selection<'_>],
    path: &Path,
) -> Result<Vec<(&'static str, u64)>, IoError> {
    if path.exists() {
        return Err(IoError::Usage(format!(
            "{} already exists; choose a new file name",
            path.display()
        )));
    }
    let mut book = Workbook::new();
    let mut counts = Vec::new();
    for sel in selections {
        let cols = sel.columns()?;
        let sheet = book.add_worksheet();
        sheet.set_name(sel.collection.id).map_err(xerr)?;
        sheet.write_string(0, 0, "id").map_err(xerr)?;
        for (i, (k, _)) in cols.iter().enumerate() {
            sheet.write_string(0, (i + 1) as u16, k).map_err(xerr)?;
        }
        let wkt_col = (cols.len() + 1) as u16;
        sheet.write_string(0, wkt_col, "WKT").map_err(xerr)?;
        let mut row = 0u32;
        sel.for_each(&mut |f: Feature| {
            row += 1;
            sheet.write_string(row, 0, &f.id).map_err(xerr)?;
            for (i, (k, _)) in cols.iter().enumerate() {
                let col = (i + 1) as u16;
                match f.properties.get(k) {
                    None | Some(Value::Null) => {}
                    Some(Value::Number(n)) => {
                        sheet
                            .write_number(row, col, n.as_f64().unwrap_or(f64::NAN))
                            .map_err(xerr)?;
                    }
                    Some(Value::Bool(b)) => {
                        sheet.write_boolean(row, col, *b).map_err(xerr)?;
                    }
                    Some(Value::String(s)) => {
                        sheet.write_string(row, col, s).map_err(xerr)?;
                    }
                    Some(other) => {
                        sheet
                            .write_string(row, col, other.to_string())
                            .map_err(xerr)?;
                    }
                }
            }
            if let Some(g) = &f.geometry {
                let w = wkt(g);
                if w.len() <= MAX_CELL {
                    sheet.write_string(row, wkt_col, &w).map_err(xerr)?;
                }
            }
            Ok(Flow::Continue)
        })?;
        counts.push((sel.collection.id, u64::from(row)));
    }
    book.save(path).map_err(xerr)?;
    Ok(counts)
}
