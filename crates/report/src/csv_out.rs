//! One table as CSV: a row of column titles, the rows, the total row, then what the table
//! counts.

use std::io::Write;

use crate::ReportError;
use crate::json::round2;
use crate::table::{Cell, Table};

/// A cell as CSV text: '.' decimals, areas and percentages rounded to 0.01, ISO dates.
fn text(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) | Cell::Suppressed(s) => s.clone(),
        Cell::Count(n) => n.to_string(),
        Cell::Area(v) | Cell::Percent(v) => format!("{:.2}", round2(*v)),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}

/// Writes `table` as CSV (UTF-8, comma separated): the first row holds the column titles in
/// the report's language, then the rows and the total when the table has one; the last row
/// says what the table counts (in its first cell, the others empty).
pub fn write_csv(table: &Table, out: impl Write) -> Result<(), ReportError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(table.columns.iter().map(|c| c.title.as_str()))?;
    for row in table.rows.iter().chain(&table.total) {
        w.write_record(row.iter().map(text))?;
    }
    let width = table.columns.len().max(1);
    w.write_record(
        std::iter::once(table.counts.as_str()).chain(std::iter::repeat_n("", width - 1)),
    )?;
    w.flush().map_err(csv::Error::from)?;
    Ok(())
}
