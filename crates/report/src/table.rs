//! The generic table every report section is: typed columns, rows of cells, a total row, a
//! one-line statement of what it counts and notes.

use chrono::NaiveDate;

/// What a column holds, which decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text.
    Text,
    /// A whole number (or a suppressed count).
    Count,
    /// An area in m².
    AreaM2,
    /// A day.
    Date,
    /// A percentage (0–100).
    Percent,
}

impl ColumnKind {
    /// Stable code ("text", "count", "area_m2", "date", "percent").
    pub fn code(self) -> &'static str {
        match self {
            ColumnKind::Text => "text",
            ColumnKind::Count => "count",
            ColumnKind::AreaM2 => "area_m2",
            ColumnKind::Date => "date",
            ColumnKind::Percent => "percent",
        }
    }
}

/// A column: stable key, title in the report's language, kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Stable key (the same in every language).
    pub key: String,
    /// Title in the report's language.
    pub title: String,
    /// What it holds.
    pub kind: ColumnKind,
}

impl Column {
    /// A column of `kind`.
    pub fn new(key: impl Into<String>, title: impl Into<String>, kind: ColumnKind) -> Self {
        Column {
            key: key.into(),
            title: title.into(),
            kind,
        }
    }
}

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A count.
    Count(u64),
    /// An area, m² (unrounded; writers round to 0.01).
    Area(f64),
    /// A day.
    Date(NaiveDate),
    /// A percentage (0–100).
    Percent(f64),
    /// A count withheld from publication: "<5", or "x" for a total that would reveal one.
    Suppressed(String),
}

impl Cell {
    /// The count, if this is one.
    pub fn count(&self) -> Option<u64> {
        match self {
            Cell::Count(n) => Some(*n),
            _ => None,
        }
    }

    /// The area, if this is one.
    pub fn area(&self) -> Option<f64> {
        match self {
            Cell::Area(a) => Some(*a),
            _ => None,
        }
    }

    /// The text, if this is text or a suppressed count.
    pub fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(s) | Cell::Suppressed(s) => Some(s),
            _ => None,
        }
    }
}

/// A row: one cell per column, in column order.
pub type Row = Vec<Cell>;

/// One table of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Stable id ("land_release_by_admin_area").
    pub id: String,
    /// Title in the report's language.
    pub title: String,
    /// One line saying what the table counts: which records, which date decides the period,
    /// what is left out.
    pub counts: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows, in a deterministic order.
    pub rows: Vec<Row>,
    /// The total row, if the table has one.
    pub total: Option<Row>,
    /// Definitions and caveats.
    pub notes: Vec<String>,
}

impl Table {
    /// An empty table.
    pub(crate) fn new(id: &str, title: &str, columns: Vec<Column>) -> Self {
        Table {
            id: id.to_owned(),
            title: title.to_owned(),
            counts: String::new(),
            columns,
            rows: Vec::new(),
            total: None,
            notes: Vec::new(),
        }
    }

    /// Index of the column with `key`.
    pub fn column_index(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// The cell of row `row` in column `key`.
    pub fn cell(&self, row: usize, key: &str) -> Option<&Cell> {
        self.rows.get(row)?.get(self.column_index(key)?)
    }

    /// The cell of the total row in column `key`.
    pub fn total_cell(&self, key: &str) -> Option<&Cell> {
        self.total.as_ref()?.get(self.column_index(key)?)
    }

    /// The first row whose column `key` holds the text `value`.
    pub fn row_where(&self, key: &str, value: &str) -> Option<&Row> {
        let i = self.column_index(key)?;
        self.rows
            .iter()
            .find(|r| r.get(i).and_then(Cell::text) == Some(value))
    }
}
