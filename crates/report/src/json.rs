//! The report as JSON, in the shape the PDF renderer and the API read.

use serde_json::{Map, Value, json};

use crate::Report;
use crate::table::{Cell, Row, Table};

/// Rounds to 0.01 (areas and percentages as published), without a negative zero.
pub(crate) fn round2(v: f64) -> f64 {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

fn cell(c: &Cell) -> Value {
    match c {
        Cell::Empty => Value::Null,
        Cell::Text(s) | Cell::Suppressed(s) => Value::String(s.clone()),
        Cell::Count(n) => json!(n),
        Cell::Area(a) | Cell::Percent(a) => json!(round2(*a)),
        Cell::Date(d) => Value::String(d.format("%Y-%m-%d").to_string()),
    }
}

fn row(t: &Table, r: &Row) -> Value {
    let mut m = Map::new();
    for (c, v) in t.columns.iter().zip(r) {
        m.insert(c.key.clone(), cell(v));
    }
    Value::Object(m)
}

/// The report as JSON: title, language, parameters, tables (title, what it counts, columns,
/// rows keyed by column, total, notes), charts and the GeoJSON map of remaining hazards. Areas are rounded to
/// 0.01 m²; suppressed counts are strings ("<5", "x").
pub fn to_json(report: &Report) -> Value {
    let p = &report.params;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    json!({
        "title": report.title,
        "language": p.language.code(),
        "parameters": {
            "as_of": p.as_of.date.format("%Y-%m-%d").to_string(),
            "known_at": p.as_of.known_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
            "from": date(p.from),
            "to": date(p.to),
            "admin_area": p.admin_area,
            "organisation": p.organisation,
            "donor": p.donor,
            "treaty_deadline": date(p.treaty_deadline),
            "suppression_threshold": p.suppression_threshold,
        },
        "tables": report.tables.iter().map(|t| json!({
            "id": t.id,
            "title": t.title,
            "counts": t.counts,
            "columns": t.columns.iter().map(|c| json!({
                "key": c.key,
                "title": c.title,
                "kind": c.kind.code(),
            })).collect::<Vec<_>>(),
            "rows": t.rows.iter().map(|r| row(t, r)).collect::<Vec<_>>(),
            "total": t.total.as_ref().map(|r| row(t, r)),
            "notes": t.notes,
        })).collect::<Vec<_>>(),
        "charts": report.charts.iter().map(|c| json!({
            "table": c.table,
            "x": c.x,
            "series": c.series,
        })).collect::<Vec<_>>(),
        "map": report.map,
    })
}
