//! The regional report: the figures as report tables with a column per country (its title
//! saying when the hub received its newest record) and one for the region, for the XLSX writer
//! of `safeground-report` and the PDF renderer of `safeground-report-pdf`.

use std::collections::BTreeSet;

use safeground_report::{Cell, Column, ColumnKind, Report, ReportParams, Row, Table};
use serde_json::Value;

use crate::figures::{Figures, RegionalFigures};
use crate::publish::round2;
use crate::{Published, SUPPRESS_BELOW};

/// The regional report of `f`, as of the day it was computed, in English.
pub fn regional_report(f: &RegionalFigures) -> Report {
    let mut params = ReportParams::as_of(f.generated_at.date_naive());
    params.suppression_threshold = u32::try_from(f.suppress_below).ok();
    let all: Vec<&Figures> = (f.countries.iter().map(|c| &c.figures))
        .chain([&f.region])
        .collect();
    let mut tables = vec![
        summary(f, &all),
        land_release(f, &all),
        eo_destroyed(f, &all),
        casualties(f, &all),
        risk_education(f, &all),
        productivity(f, &all),
    ];
    tables.extend(crate::training::tables(f, &all));
    Report {
        title: "Regional mine action report".to_owned(),
        params,
        tables,
        charts: Vec::new(),
        map: Value::Null,
    }
}

/// A table whose first columns are `keys` (text) and then a column per country and the region.
pub(crate) fn table(
    id: &str,
    title: &str,
    counts: &str,
    keys: &[(&str, &str)],
    kind: ColumnKind,
    f: &RegionalFigures,
) -> Table {
    let mut columns: Vec<Column> = (keys.iter())
        .map(|(k, t)| Column::new(*k, *t, ColumnKind::Text))
        .collect();
    for c in &f.countries {
        let received = c.received_at.map_or_else(
            || "nothing received".to_owned(),
            |t| format!("received {}", t.format("%Y-%m-%d %H:%M UTC")),
        );
        let title = format!("{} {} ({received})", c.node, c.name);
        columns.push(Column::new(c.node.clone(), title, kind));
    }
    columns.push(Column::new("region", "Region", kind));
    Table {
        id: id.to_owned(),
        title: title.to_owned(),
        counts: counts.to_owned(),
        columns,
        rows: Vec::new(),
        total: None,
        notes: Vec::new(),
    }
}

/// A row: its key texts, then one cell per country and the region.
pub(crate) fn row<'a>(
    keys: &[String],
    all: &[&'a Figures],
    value: impl Fn(&'a Figures) -> Cell,
) -> Row {
    let mut r: Row = keys.iter().map(|k| Cell::Text(k.clone())).collect();
    r.extend(all.iter().map(|f| value(f)));
    r
}

pub(crate) fn published(p: &Published) -> Cell {
    match p {
        Published::Count(n) => Cell::Count(*n),
        Published::Suppressed(s) => Cell::Suppressed(s.clone()),
    }
}

fn year(y: Option<i32>) -> String {
    y.map_or_else(|| "Unknown".to_owned(), |y| y.to_string())
}

fn summary(f: &RegionalFigures, all: &[&Figures]) -> Table {
    let mut t = table(
        "regional_summary",
        "The region at a glance",
        "Every record the countries share with the hub, all years.",
        &[("figure", "Figure")],
        ColumnKind::Count,
        f,
    );
    let k = |s: &str| vec![s.to_owned()];
    t.rows = vec![
        row(&k("Hazards remaining"), all, |f| {
            Cell::Count(f.hazards_remaining)
        }),
        row(&k("Remaining contaminated area (m²)"), all, |f| {
            Cell::Area(f.remaining_m2)
        }),
        row(&k("Land released (m²)"), all, |f| {
            Cell::Area(round2(f.released.iter().map(|r| r.m2).sum()))
        }),
        row(&k("EO items destroyed"), all, |f| {
            Cell::Count(f.eo_destroyed.iter().map(|e| e.items).sum())
        }),
        row(&k("Casualties (killed and injured)"), all, |f| {
            published(&f.casualties_total)
        }),
        row(&k("Risk education: direct beneficiaries"), all, |f| {
            Cell::Count(f.risk_education.iter().map(|r| r.direct).sum())
        }),
        row(&k("Risk education: indirect beneficiaries"), all, |f| {
            Cell::Count(f.risk_education.iter().map(|r| r.indirect).sum())
        }),
    ];
    t.notes = vec![
        "Remaining: hazards not closed nor handed over, each hazard's polygon (geodesic area) \
         less the land its shared activities released, as the national reports count it."
            .to_owned(),
    ];
    t
}

fn land_release(f: &RegionalFigures, all: &[&Figures]) -> Table {
    let mut t = table(
        "regional_land_release",
        "Land released by year and method (m²)",
        "Released polygons of activities that released land, by the year of the activity's end \
         date (else its start date).",
        &[("year", "Year"), ("method", "Method")],
        ColumnKind::AreaM2,
        f,
    );
    let keys: BTreeSet<_> = all
        .iter()
        .flat_map(|f| f.released.iter().map(|r| (r.year, r.method)))
        .collect();
    for (y, m) in keys {
        t.rows.push(row(&[year(y), m.label().to_owned()], all, |f| {
            let m2 = f.released.iter().find(|r| (r.year, r.method) == (y, m));
            Cell::Area(m2.map_or(0.0, |r| r.m2))
        }));
    }
    t.total = Some(row(&["Total".to_owned(), String::new()], all, |f| {
        Cell::Area(round2(f.released.iter().map(|r| r.m2).sum()))
    }));
    t.notes = vec![
        "Each polygon counts with its own geodesic area (the area on the form where it has no \
         polygon); polygons of different activities that overlap are not netted."
            .to_owned(),
    ];
    t
}

fn eo_destroyed(f: &RegionalFigures, all: &[&Figures]) -> Table {
    let mut t = table(
        "regional_eo_destroyed",
        "Explosive ordnance items destroyed by year",
        "EO finds with a destroyed date, by its year; their quantities added up.",
        &[("year", "Year")],
        ColumnKind::Count,
        f,
    );
    let years: BTreeSet<i32> = all
        .iter()
        .flat_map(|f| f.eo_destroyed.iter().map(|e| e.year))
        .collect();
    for y in years {
        t.rows.push(row(&[y.to_string()], all, |f| {
            let e = f.eo_destroyed.iter().find(|e| e.year == y);
            Cell::Count(e.map_or(0, |e| e.items))
        }));
    }
    t.total = Some(row(&["Total".to_owned()], all, |f| {
        Cell::Count(f.eo_destroyed.iter().map(|e| e.items).sum())
    }));
    t
}

fn casualties(f: &RegionalFigures, all: &[&Figures]) -> Table {
    let mut t = table(
        "regional_casualties",
        "Casualties by year, sex and age band",
        "Victims shared with the hub, by the year of their accident's month.",
        &[
            ("year", "Year"),
            ("sex", "Sex"),
            ("age_band", "Age band"),
            ("outcome", "Outcome"),
        ],
        ColumnKind::Count,
        f,
    );
    let keys: BTreeSet<_> = all
        .iter()
        .flat_map(|f| f.casualties.iter().map(|c| (c.year, &c.sex, &c.age_band)))
        .collect();
    for (y, sex, band) in keys {
        for outcome in ["Killed", "Injured"] {
            let keys = [year(y), sex.clone(), band.clone(), outcome.to_owned()];
            t.rows.push(row(&keys, all, |f| {
                let c =
                    (f.casualties.iter()).find(|c| (c.year, &c.sex, &c.age_band) == (y, sex, band));
                c.map_or(Cell::Count(0), |c| {
                    published(if outcome == "Killed" {
                        &c.killed
                    } else {
                        &c.injured
                    })
                })
            }));
        }
    }
    let mut keys = vec!["Total".to_owned()];
    keys.resize(4, String::new());
    t.total = Some(row(&keys, all, |f| published(&f.casualties_total)));
    t.notes = vec![
        format!(
            "Counts from 1 to {} are published as \"<{SUPPRESS_BELOW}\"; \"x\" marks a total \
             withheld because it would give a suppressed count away (the region's cells are \
             totals of the countries' counts). \"withheld\": the node withheld the victim's sex \
             and age band (a group smaller than its threshold).",
            SUPPRESS_BELOW - 1
        ),
        "A victim whose accident is not shared, or has no month, is under \"Unknown\".".to_owned(),
    ];
    t
}

fn risk_education(f: &RegionalFigures, all: &[&Figures]) -> Table {
    let mut t = table(
        "regional_risk_education",
        "Risk education beneficiaries by year",
        "Risk-education sessions, by the year of their date.",
        &[("year", "Year"), ("reach", "Reach")],
        ColumnKind::Count,
        f,
    );
    let years: BTreeSet<Option<i32>> = all
        .iter()
        .flat_map(|f| f.risk_education.iter().map(|r| r.year))
        .collect();
    for y in years {
        for (reach, direct) in [("Direct", true), ("Indirect", false)] {
            t.rows.push(row(&[year(y), reach.to_owned()], all, |f| {
                let r = f.risk_education.iter().find(|r| r.year == y);
                Cell::Count(r.map_or(0, |r| if direct { r.direct } else { r.indirect }))
            }));
        }
    }
    t.notes = vec!["Direct and indirect beneficiaries are counted apart, never added.".to_owned()];
    t
}

fn productivity(f: &RegionalFigures, all: &[&Figures]) -> Table {
    let mut t = table(
        "regional_productivity",
        "Productivity: m² released per working day, by method and asset type",
        "Activities with a start and an end date that released land: their released area over \
         their working days (end − start + 1).",
        &[("method", "Method"), ("asset", "Asset type")],
        ColumnKind::AreaM2,
        f,
    );
    let keys: BTreeSet<_> = all
        .iter()
        .flat_map(|f| f.productivity.iter().map(|p| (p.method, p.asset_type)))
        .collect();
    for (m, a) in keys {
        let asset = a.map_or_else(|| "Not recorded".to_owned(), |a| a.label().to_owned());
        t.rows.push(row(&[m.label().to_owned(), asset], all, |f| {
            let p = (f.productivity.iter()).find(|p| (p.method, p.asset_type) == (m, a));
            p.map_or(Cell::Empty, |p| Cell::Area(p.m2_per_day))
        }));
    }
    t.notes = vec![
        "An activity's days count once for each method and asset type it released land with; \
         the region's figure is its countries' area over their days, not an average of rates."
            .to_owned(),
    ];
    t
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use safeground_model::ReleaseMethod;

    use super::*;
    use crate::figures::{CountryFigures, Released};

    #[test]
    fn a_column_per_country_with_its_arrival_and_one_for_the_region() {
        let figures = |m2: f64| Figures {
            released: vec![Released {
                year: Some(2024),
                method: ReleaseMethod::Cleared,
                m2,
            }],
            ..Figures::default()
        };
        let t0 = Utc.with_ymd_and_hms(2026, 5, 4, 3, 2, 1).single();
        let f = RegionalFigures {
            generated_at: Utc
                .with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
                .single()
                .expect("t"),
            suppress_below: 5,
            countries: vec![
                CountryFigures {
                    node: "KHM".into(),
                    name: "Cambodia".into(),
                    received_at: t0,
                    figures: figures(10.0),
                },
                CountryFigures {
                    node: "LAO".into(),
                    name: "Lao PDR".into(),
                    received_at: None,
                    figures: Figures::default(),
                },
            ],
            region: figures(10.0),
        };
        let r = regional_report(&f);
        let t = r.table("regional_land_release").expect("table");
        let titles: Vec<&str> = t.columns.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Year",
                "Method",
                "KHM Cambodia (received 2026-05-04 03:02 UTC)",
                "LAO Lao PDR (nothing received)",
                "Region"
            ]
        );
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.cell(0, "KHM"), Some(&Cell::Area(10.0)));
        assert_eq!(t.cell(0, "LAO"), Some(&Cell::Area(0.0)));
        assert_eq!(t.total_cell("region"), Some(&Cell::Area(10.0)));
        assert_eq!(r.params.as_of.date.to_string(), "2026-06-01");
    }
}
