//! The view model handed to the typst template as JSON: every string formatted,
//! every bar length computed, so the template only lays things out.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::PdfError;
use crate::input::{Chart, Column, Kind, Report, Table};
use crate::labels::Labels;
use crate::map::{self, MapView};

/// Okabe–Ito colours, readable by colour-blind readers; cycled for more series.
const SERIES_COLOURS: [&str; 7] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#555555",
];
/// Shown for a missing or null value.
const MISSING: &str = "–";

/// Everything the template needs.
#[derive(Serialize)]
pub struct View<'a> {
    pub lang: &'static str,
    pub title: &'a str,
    pub header_date: String,
    pub labels: PageLabels,
    pub params: Vec<[String; 2]>,
    pub suppression: Option<String>,
    pub map: Option<MapView>,
    pub charts: Vec<ChartView>,
    pub tables: Vec<TableView>,
}

/// The fixed strings used by the template itself.
#[derive(Serialize)]
pub struct PageLabels {
    page: &'static str,
    of: &'static str,
    generated_by: &'static str,
    remaining: &'static str,
    total: &'static str,
    no_map: &'static str,
}

#[derive(Serialize)]
pub struct ChartView {
    title: String,
    stacked: bool,
    series: Vec<SeriesView>,
    groups: Vec<GroupView>,
    ticks: Vec<TickView>,
    note: Option<&'static str>,
}

#[derive(Serialize)]
struct SeriesView {
    title: String,
    colour: &'static str,
}

#[derive(Serialize)]
struct GroupView {
    label: String,
    bars: Vec<BarView>,
    /// The sum shown after a stacked bar.
    total: String,
}

#[derive(Serialize)]
struct BarView {
    /// Bar length as a share of the axis.
    fraction: f64,
    colour: &'static str,
    text: String,
}

#[derive(Serialize)]
struct TickView {
    fraction: f64,
    text: String,
}

#[derive(Serialize)]
pub struct TableView {
    title: String,
    counts: String,
    columns: Vec<ColumnView>,
    rows: Vec<Vec<String>>,
    total: Option<Vec<String>>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct ColumnView {
    title: String,
    numeric: bool,
}

impl<'a> View<'a> {
    /// Prepares a checked report for the template.
    pub fn new(report: &'a Report) -> Result<Self, PdfError> {
        let labels = report.language.labels();
        let p = &report.parameters;
        let date = |d: &Option<String>| d.as_deref().map(|d| labels.date_text(d));
        let mut params = vec![[labels.as_of.to_string(), labels.date_text(&p.as_of)]];
        let optional = [
            (
                labels.known_at,
                p.known_at.as_deref().map(|t| timestamp_text(t, labels)),
            ),
            (
                labels.period,
                period(date(&p.from).as_deref(), date(&p.to).as_deref()),
            ),
            (labels.admin_area, p.admin_area.clone()),
            (labels.organisation, p.organisation.clone()),
            (labels.treaty_deadline, date(&p.treaty_deadline)),
        ];
        for (label, value) in optional {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                params.push([label.to_string(), value]);
            }
        }
        Ok(View {
            lang: report.language.code(),
            title: &report.title,
            header_date: format!("{} {}", labels.as_of, labels.date_text(&p.as_of)),
            labels: PageLabels {
                page: labels.page,
                of: labels.of,
                generated_by: labels.generated_by,
                remaining: labels.remaining,
                total: labels.total,
                no_map: labels.no_map,
            },
            params,
            suppression: p.suppression_threshold.map(|n| labels.suppression_note(n)),
            map: map::build(report.map.as_ref(), labels)?,
            charts: report
                .charts
                .iter()
                .filter_map(|chart| Some(chart_view(chart, report.table(&chart.table)?, labels)))
                .collect(),
            tables: report
                .tables
                .iter()
                .map(|t| table_view(t, labels))
                .collect(),
        })
    }
}

fn period(from: Option<&str>, to: Option<&str>) -> Option<String> {
    match (from, to) {
        (None, None) => None,
        (from, to) => Some(
            format!("{} – {}", from.unwrap_or(""), to.unwrap_or(""))
                .trim()
                .into(),
        ),
    }
}

/// An RFC 3339 UTC timestamp as the day in the language's form, `hh:mm:ss UTC`; anything
/// else as given.
fn timestamp_text(text: &str, labels: &Labels) -> String {
    match (text.get(..10), text.get(11..19)) {
        (Some(date), Some(time)) if text.as_bytes()[10] == b'T' && text.ends_with('Z') => {
            format!("{} {time} UTC", labels.date_text(date))
        }
        _ => text.to_string(),
    }
}

/// A value formatted for a column of `kind`.
pub fn format_value(value: Option<&Value>, kind: Kind, labels: &Labels) -> String {
    match value {
        None | Some(Value::Null) => MISSING.to_string(),
        Some(Value::String(s)) if kind == Kind::Date => labels.date_text(s),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => {
            let v = n.as_f64().unwrap_or(0.0);
            match kind {
                Kind::Count | Kind::AreaM2 => match n.as_i64() {
                    Some(i) => labels.integer(i.into()),
                    None => labels.integer(v.round() as i128),
                },
                Kind::Percent => format!("{}%", labels.decimal(v, 1)),
                Kind::Text | Kind::Date => n.to_string(),
            }
        }
        Some(other) => other.to_string(),
    }
}

fn table_view(table: &Table, labels: &Labels) -> TableView {
    let row = |values: &Map<String, Value>| -> Vec<String> {
        table
            .columns
            .iter()
            .map(|c| format_value(values.get(&c.key), c.kind, labels))
            .collect()
    };
    TableView {
        title: table.title.clone(),
        counts: table.counts.clone(),
        columns: table
            .columns
            .iter()
            .map(|c| ColumnView {
                title: c.title.clone(),
                numeric: c.kind.is_numeric(),
            })
            .collect(),
        rows: table.rows.iter().map(row).collect(),
        // A total row leaves blank what it does not sum.
        total: table.total.as_ref().map(|total| {
            table
                .columns
                .iter()
                .map(|c| match total.get(&c.key) {
                    None | Some(Value::Null) => String::new(),
                    value => format_value(value, c.kind, labels),
                })
                .collect()
        }),
        notes: table.notes.clone(),
    }
}

fn chart_view(chart: &Chart, table: &Table, labels: &'static Labels) -> ChartView {
    let series: Vec<(&Column, &'static str)> = chart
        .series
        .iter()
        .filter_map(|key| table.column(key))
        .zip(SERIES_COLOURS.iter().cycle().copied())
        .collect();
    let x_kind = table.column(&chart.x).map_or(Kind::Text, |c| c.kind);
    let number = |row: &Map<String, Value>, key: &str| row.get(key).and_then(Value::as_f64);

    let mut incomplete = false;
    let mut max: f64 = 0.0;
    for row in &table.rows {
        let values = series.iter().map(|(c, _)| number(row, &c.key));
        incomplete |= values.clone().any(|v| v.is_none());
        let values = values.map(|v| v.unwrap_or(0.0).max(0.0));
        max = max.max(if chart.stacked {
            values.sum()
        } else {
            values.fold(0.0, f64::max)
        });
    }
    let (axis_max, ticks) = axis(max, labels);
    let single_kind = series
        .first()
        .map(|(c, _)| c.kind)
        .filter(|k| series.iter().all(|(c, _)| c.kind == *k));

    let groups = table
        .rows
        .iter()
        .map(|row| {
            let bars = series
                .iter()
                .map(|(c, colour)| BarView {
                    fraction: number(row, &c.key).unwrap_or(0.0).max(0.0) / axis_max,
                    colour,
                    text: format_value(row.get(&c.key), c.kind, labels),
                })
                .collect();
            let sum: f64 = series.iter().filter_map(|(c, _)| number(row, &c.key)).sum();
            GroupView {
                label: format_value(row.get(&chart.x), x_kind, labels),
                bars,
                total: match single_kind {
                    Some(kind) => format_value(Some(&Value::from(sum)), kind, labels),
                    None => labels.decimal(sum, 0),
                },
            }
        })
        .collect();
    ChartView {
        title: table.title.clone(),
        stacked: chart.stacked,
        series: series
            .iter()
            .map(|(c, colour)| SeriesView {
                title: c.title.clone(),
                colour,
            })
            .collect(),
        groups,
        ticks,
        note: incomplete.then_some(labels.suppressed_bars),
    }
}

/// A round axis maximum (a multiple of a 1, 2, 2.5 or 5 × 10ⁿ step, about four
/// steps) and its ticks.
fn axis(max: f64, labels: &Labels) -> (f64, Vec<TickView>) {
    let max = if max > 0.0 && max.is_finite() {
        max
    } else {
        1.0
    };
    let raw = max / 4.0;
    let magnitude = 10_f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|s| s * magnitude)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * magnitude);
    let steps = (max / step - 1e-9).ceil().max(1.0) as u32;
    let axis_max = step * f64::from(steps);
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as u32 + 1
    };
    let ticks = (0..=steps)
        .map(|i| {
            let value = step * f64::from(i);
            TickView {
                fraction: value / axis_max,
                text: labels.decimal(value, decimals),
            }
        })
        .collect();
    (axis_max, ticks)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::input::Language;
    use serde_json::json;

    #[test]
    fn values_by_kind() {
        let en = Language::En.labels();
        assert_eq!(
            format_value(Some(&json!(1234567)), Kind::Count, en),
            "1,234,567"
        );
        assert_eq!(
            format_value(Some(&json!(1234.6)), Kind::AreaM2, en),
            "1,235"
        );
        assert_eq!(format_value(Some(&json!("<5")), Kind::Count, en), "<5");
        assert_eq!(format_value(Some(&json!(null)), Kind::Count, en), "–");
        assert_eq!(format_value(None, Kind::Text, en), "–");
        assert_eq!(
            format_value(Some(&json!(45.25)), Kind::Percent, en),
            "45.3%"
        );
        assert_eq!(format_value(Some(&json!(2024)), Kind::Text, en), "2024");
        let km = Language::Km.labels();
        assert_eq!(
            format_value(Some(&json!(1234567)), Kind::AreaM2, km),
            "1.234.567"
        );
    }

    #[test]
    fn axis_is_round() {
        let en = Language::En.labels();
        let (max, ticks) = axis(8_700.0, en);
        assert_eq!(max, 10_000.0);
        let texts: Vec<&str> = ticks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["0", "2,500", "5,000", "7,500", "10,000"]);
        let (max, ticks) = axis(0.0, en);
        assert_eq!((max, ticks.len()), (1.0, 5));
        assert_eq!(ticks[1].text, "0.25");
        assert_eq!(axis(4.0, en).0, 4.0);
    }

    #[test]
    fn timestamps() {
        let en = Language::En.labels();
        assert_eq!(
            timestamp_text("2026-02-15T09:30:00.000000Z", en),
            "2026-02-15 09:30:00 UTC"
        );
        assert_eq!(
            timestamp_text("2026-02-15T09:30:00.000000Z", Language::Az.labels()),
            "15.02.2026 09:30:00 UTC"
        );
        assert_eq!(
            timestamp_text("2026-02-15T09:30:00+07:00", en),
            "2026-02-15T09:30:00+07:00"
        );
        assert_eq!(timestamp_text("2026-02-15", en), "2026-02-15");
    }

    #[test]
    fn a_table_says_what_it_counts() {
        let report = Report::from_json(&json!({
            "title": "R", "language": "en", "parameters": {"as_of": "2025-12-31"},
            "tables": [{"id": "apmbc_form_f_g", "title": "Forms F and G",
                "counts": "Form G: mines destroyed — AP/AT mine finds with a destroyed date in the period",
                "columns": [{"key": "n", "title": "N", "kind": "count"}], "rows": [{"n": 3}]},
                {"id": "old", "title": "Without a statement", "columns": []}]
        }))
        .expect("report");
        let view = serde_json::to_value(View::new(&report).expect("view")).expect("json");
        assert_eq!(
            view["tables"][0]["counts"],
            "Form G: mines destroyed — AP/AT mine finds with a destroyed date in the period"
        );
        assert_eq!(view["tables"][1]["counts"], "");
    }

    #[test]
    fn period_text() {
        assert_eq!(period(None, None), None);
        assert_eq!(
            period(Some("2025-01-01"), Some("2025-12-31")).unwrap(),
            "2025-01-01 – 2025-12-31"
        );
        assert_eq!(period(Some("2025-01-01"), None).unwrap(), "2025-01-01 –");
    }
}
