//! The report JSON as produced by `safeground-report`, deserialised and checked.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::PdfError;

/// Language of the fixed strings and number formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    En,
    /// Khmer.
    Km,
    /// Lao.
    Lo,
    /// Thai.
    Th,
    /// Vietnamese.
    Vi,
    /// Burmese.
    My,
    /// Azerbaijani.
    Az,
}

#[cfg(test)]
impl Language {
    /// Every language the renderer has strings and fonts for.
    pub const ALL: [Language; 7] = [
        Language::En,
        Language::Km,
        Language::Lo,
        Language::Th,
        Language::Vi,
        Language::My,
        Language::Az,
    ];
}

/// A whole report.
#[derive(Debug, Deserialize)]
pub struct Report {
    pub title: String,
    pub language: Language,
    pub parameters: Parameters,
    #[serde(default)]
    pub tables: Vec<Table>,
    #[serde(default)]
    pub charts: Vec<Chart>,
    #[serde(default)]
    pub map: Option<Value>,
}

/// The parameters the report was run with.
#[derive(Debug, Deserialize)]
pub struct Parameters {
    pub as_of: String,
    pub known_at: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub admin_area: Option<String>,
    pub organisation: Option<String>,
    pub treaty_deadline: Option<String>,
    pub suppression_threshold: Option<u64>,
}

/// One table.
#[derive(Debug, Deserialize)]
pub struct Table {
    pub id: String,
    pub title: String,
    /// What the table counts (one line under its title).
    #[serde(default)]
    pub counts: String,
    pub columns: Vec<Column>,
    #[serde(default)]
    pub rows: Vec<Map<String, Value>>,
    #[serde(default)]
    pub total: Option<Map<String, Value>>,
    #[serde(default)]
    pub notes: Vec<String>,
}

/// One column of a table.
#[derive(Debug, Deserialize)]
pub struct Column {
    pub key: String,
    pub title: String,
    pub kind: Kind,
}

/// How a column's values are formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Count,
    AreaM2,
    Date,
    Percent,
}

impl Kind {
    /// Whether the column holds numbers (right-aligned, charted).
    pub fn is_numeric(self) -> bool {
        matches!(self, Kind::Count | Kind::AreaM2 | Kind::Percent)
    }
}

/// A bar chart of some columns of a table.
#[derive(Debug, Deserialize)]
pub struct Chart {
    pub table: String,
    pub x: String,
    pub series: Vec<String>,
    /// Stack the series in one bar per x value instead of grouping them.
    #[serde(default)]
    pub stacked: bool,
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Report {
    /// Deserialises and checks a report: the as-of date parses and charts refer to
    /// existing tables and columns.
    pub fn from_json(value: &Value) -> Result<Self, PdfError> {
        let report = Report::deserialize(value)?;
        report.as_of()?;
        for chart in &report.charts {
            let table = report.table(&chart.table).ok_or_else(|| {
                PdfError::Invalid(format!("chart refers to unknown table {:?}", chart.table))
            })?;
            for key in std::iter::once(&chart.x).chain(&chart.series) {
                if table.column(key).is_none() {
                    return Err(PdfError::Invalid(format!(
                        "chart of table {:?} refers to unknown column {key:?}",
                        table.id
                    )));
                }
            }
        }
        Ok(report)
    }

    /// The as-of date.
    pub fn as_of(&self) -> Result<Date, PdfError> {
        parse_date(&self.parameters.as_of).ok_or_else(|| {
            PdfError::Invalid(format!(
                "parameters.as_of {:?} is not a YYYY-MM-DD date",
                self.parameters.as_of
            ))
        })
    }

    /// The table with this id.
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }
}

impl Table {
    /// The column with this key.
    pub fn column(&self, key: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.key == key)
    }
}

/// Parses `YYYY-MM-DD` (a time part after `T` or a space is ignored).
pub fn parse_date(text: &str) -> Option<Date> {
    let date = text.get(..10)?;
    if text.len() > 10 && !text[10..].starts_with(['T', ' ']) {
        return None;
    }
    let mut parts = date.split('-');
    let year: i32 = parts.next().filter(|p| p.len() == 4)?.parse().ok()?;
    let month: u8 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    let day: u8 = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then_some(Date { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2025-12-31"),
            Some(Date {
                year: 2025,
                month: 12,
                day: 31
            })
        );
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2025-02-29").is_none());
        assert!(parse_date("2025-13-01").is_none());
        assert!(parse_date("2025-1-01").is_none());
        assert!(parse_date("2025-01-01T00:00:00Z").is_some());
        assert!(parse_date("2025-01-01x").is_none());
        assert!(parse_date("២០២៥-០១-០១").is_none());
    }
}
