//! Progress against a plan or treaty deadline, with a projected completion date, nationally
//! ([progress]) and per admin area for an APMBC Article 5 extension request ([article5]).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use safeground_model::ContaminationType;
use safeground_store::land_release::CLOSED_TOLERANCE_M2;

use crate::i18n;
use crate::land::{ByClass, admin_cells, sha_cha_columns};
use crate::snapshot::{HazardData, Snapshot};
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{Language, ReportParams};

/// Days in an average year.
const YEAR_DAYS: f64 = 365.25;

/// The last three full calendar years up to the as-of date, oldest first.
pub(crate) fn last_full_years(as_of: NaiveDate) -> [i32; 3] {
    let year_ends = as_of.month() == 12 && as_of.day() == 31;
    let last = if year_ends {
        as_of.year()
    } else {
        as_of.year() - 1
    };
    [last - 2, last - 1, last]
}

/// When the remaining area would be released at the recent pace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Outlook {
    /// Nothing remains.
    Complete,
    /// Projected completion date.
    Projected(NaiveDate),
    /// Nothing released recently (or completion beyond the calendar): no projection.
    NotProjectable,
}

/// The projection of one remaining area.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Projection {
    /// Mean area released per year over the three years, m².
    pub mean: f64,
    /// When it would be finished.
    pub outlook: Outlook,
    /// Whether the deadline is met (None: no deadline).
    pub met: Option<bool>,
    /// Area to release per year from the as-of date to meet the deadline (None: no deadline,
    /// or it has passed).
    pub required: Option<f64>,
}

/// Projects `remaining` m² from `reference` at the mean of `released` per year.
pub(crate) fn project(
    remaining: f64,
    released: &[f64; 3],
    reference: NaiveDate,
    deadline: Option<NaiveDate>,
) -> Projection {
    let mean = released.iter().sum::<f64>() / 3.0;
    let outlook = if remaining <= CLOSED_TOLERANCE_M2 {
        Outlook::Complete
    } else if mean <= 0.0 {
        Outlook::NotProjectable
    } else {
        let days = (remaining / mean * YEAR_DAYS).ceil();
        match u64::try_from(days as i64)
            .ok()
            .and_then(|d| reference.checked_add_days(Days::new(d)))
            .filter(|d| d.year() <= 9999)
        {
            Some(d) => Outlook::Projected(d),
            None => Outlook::NotProjectable,
        }
    };
    let met = deadline.map(|dl| match outlook {
        Outlook::Complete => true,
        Outlook::Projected(d) => d <= dl,
        Outlook::NotProjectable => false,
    });
    let required = deadline
        .filter(|dl| *dl > reference && remaining > CLOSED_TOLERANCE_M2)
        .map(|dl| remaining / ((dl - reference).num_days() as f64 / YEAR_DAYS));
    Projection {
        mean,
        outlook,
        met,
        required,
    }
}

/// Area released in each of `years` by the hazards' credits (whatever the period).
fn released_in<'a>(hazards: impl Iterator<Item = &'a HazardData>, years: [i32; 3]) -> [f64; 3] {
    let mut out = [0.0; 3];
    for h in hazards {
        for c in &h.credits {
            if let Some(i) = years.iter().position(|y| *y == c.valid_from.year()) {
                out[i] += c.area_m2;
            }
        }
    }
    out
}

fn outlook_text(l: Language, o: Outlook) -> Option<String> {
    match o {
        Outlook::Complete => Some(l.pick("complete", "បានបញ្ចប់").to_owned()),
        Outlook::Projected(_) => None,
        Outlook::NotProjectable => Some(
            l.pick(
                "cannot be projected: no land released in the last three full years",
                "មិនអាចព្យាករបាន៖ គ្មានដីដែលបានដោះលែងក្នុងរយៈពេលបីឆ្នាំពេញចុងក្រោយ",
            )
            .to_owned(),
        ),
    }
}

fn met_text(l: Language, met: bool) -> String {
    if met {
        l.pick("met", "ទាន់ពេល").to_owned()
    } else {
        l.pick("not met", "មិនទាន់ពេល").to_owned()
    }
}

fn projection_note(l: Language) -> String {
    l.pick(
        "Projection: the remaining area divided by the mean area released per year (all \
         methods) over the last three full calendar years up to the as-of date, counted from \
         the as-of date. The period parameter does not apply.",
        "ការព្យាករ៖ ផ្ទៃដីនៅសល់ចែកនឹងមធ្យមភាគនៃផ្ទៃដីដែលបានដោះលែងក្នុងមួយឆ្នាំ (គ្រប់វិធីសាស្ត្រ) \
         ក្នុងរយៈពេលបីឆ្នាំពេញចុងក្រោយ រហូតដល់កាលបរិច្ឆេទរបាយការណ៍ ដោយរាប់ចាប់ពីកាលបរិច្ឆេទនោះ។ \
         រយៈពេលដែលបានជ្រើសរើសមិនអនុវត្តទេ។",
    )
    .to_owned()
}

/// [progress]: remaining, released per year, mean, projected completion, deadline.
pub(crate) fn progress(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let columns = vec![
        Column::new("indicator", l.pick("Indicator", "សូចនាករ"), ColumnKind::Text),
        Column::new(
            "area_m2",
            l.pick("Area (m²)", "ផ្ទៃដី (ម²)"),
            ColumnKind::AreaM2,
        ),
        Column::new("date", l.pick("Date", "កាលបរិច្ឆេទ"), ColumnKind::Date),
        Column::new("percent", l.pick("Percent", "ភាគរយ"), ColumnKind::Percent),
        Column::new(
            "assessment",
            l.pick("Assessment", "ការវាយតម្លៃ"),
            ColumnKind::Text,
        ),
    ];
    let mut t = Table::new(
        "progress",
        l.pick(
            "Progress and projected completion",
            "វឌ្ឍនភាព និងកាលបរិច្ឆេទបញ្ចប់ដែលបានព្យាករ",
        ),
        columns,
    );
    let years = last_full_years(p.as_of.date);
    let remaining: f64 = snap
        .hazards
        .iter()
        .filter(|h| h.is_remaining())
        .map(|h| h.state.remaining_m2)
        .sum();
    let released = released_in(snap.hazards.iter(), years);
    let pr = project(remaining, &released, p.as_of.date, p.treaty_deadline);
    let row = |label: String, area: Cell, date: Cell, pct: Cell, text: Option<String>| {
        vec![
            Cell::Text(label),
            area,
            date,
            pct,
            text.map_or(Cell::Empty, Cell::Text),
        ]
    };
    t.rows.push(row(
        l.pick("Remaining contaminated area", "ផ្ទៃដីបំពុលនៅសល់")
            .to_owned(),
        Cell::Area(remaining),
        Cell::Empty,
        Cell::Empty,
        None,
    ));
    for (y, r) in years.iter().zip(released) {
        t.rows.push(row(
            format!("{} {y}", l.pick("Land released in", "ដីដែលបានដោះលែងក្នុងឆ្នាំ")),
            Cell::Area(r),
            Cell::Empty,
            Cell::Empty,
            None,
        ));
    }
    t.rows.push(row(
        format!(
            "{} {}–{}",
            l.pick("Mean annual release", "មធ្យមភាគនៃការដោះលែងដីប្រចាំឆ្នាំ"),
            years[0],
            years[2]
        ),
        Cell::Area(pr.mean),
        Cell::Empty,
        Cell::Empty,
        None,
    ));
    let date = match pr.outlook {
        Outlook::Projected(d) => Cell::Date(d),
        _ => Cell::Empty,
    };
    t.rows.push(row(
        l.pick("Projected completion", "កាលបរិច្ឆេទបញ្ចប់ដែលបានព្យាករ")
            .to_owned(),
        Cell::Empty,
        date,
        Cell::Empty,
        outlook_text(l, pr.outlook),
    ));
    if let (Some(deadline), Some(met)) = (p.treaty_deadline, pr.met) {
        t.rows.push(row(
            l.pick("Treaty deadline", "ថ្ងៃផុតកំណត់តាមសន្ធិសញ្ញា").to_owned(),
            Cell::Empty,
            Cell::Date(deadline),
            Cell::Empty,
            Some(met_text(l, met)),
        ));
        if let Some(required) = pr.required {
            t.rows.push(row(
                l.pick(
                    "Annual release needed to meet the deadline (percent: recent pace)",
                    "ការដោះលែងដីប្រចាំឆ្នាំដែលត្រូវការដើម្បីទាន់ថ្ងៃផុតកំណត់ (ភាគរយ៖ ល្បឿនបច្ចុប្បន្ន)",
                )
                .to_owned(),
                Cell::Area(required),
                Cell::Empty,
                Cell::Percent(pr.mean / required * 100.0),
                None,
            ));
        }
    }
    t.notes = vec![projection_note(l), crate::land::remaining_note(l)];
    t
}

/// Remaining SHA/CHA of mined areas and their release in the three years, per admin area.
#[derive(Default)]
struct Art5Row {
    remaining: ByClass,
    released: [f64; 3],
}

/// [article5]: what an APMBC Article 5 extension request needs, per admin area.
pub(crate) fn article5(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let years = last_full_years(p.as_of.date);
    let mut columns = i18n::admin_columns(l);
    columns.extend(sha_cha_columns(l));
    columns.push(Column::new(
        "remaining_m2",
        l.pick("Total remaining (m²)", "ផ្ទៃនៅសល់សរុប (ម²)"),
        ColumnKind::AreaM2,
    ));
    for (i, y) in years.iter().enumerate() {
        columns.push(Column::new(
            format!("released_y{}", i + 1),
            format!("{} {y} (m²)", l.pick("Released", "បានដោះលែងក្នុងឆ្នាំ")),
            ColumnKind::AreaM2,
        ));
    }
    columns.extend([
        Column::new(
            "mean_annual_m2",
            l.pick("Mean annual release (m²)", "មធ្យមភាគប្រចាំឆ្នាំ (ម²)"),
            ColumnKind::AreaM2,
        ),
        Column::new(
            "projected_completion",
            l.pick("Projected completion", "កាលបរិច្ឆេទបញ្ចប់ដែលបានព្យាករ"),
            ColumnKind::Date,
        ),
        Column::new(
            "deadline_met",
            l.pick("Deadline met", "ទាន់ថ្ងៃផុតកំណត់"),
            ColumnKind::Text,
        ),
    ]);
    let mut t = Table::new(
        "article5",
        l.pick(
            "APMBC Article 5 extension request: remaining challenge, achievements and projection",
            "សំណើពន្យារពេលតាមមាត្រា ៥ នៃអនុសញ្ញាអូតាវ៉ា៖ បញ្ហាប្រឈមនៅសល់ សមិទ្ធផល និងការព្យាករ",
        ),
        columns,
    );
    let mut rows: BTreeMap<&str, Art5Row> = BTreeMap::new();
    for h in snap
        .hazards
        .iter()
        .filter(|h| h.has(ContaminationType::ApMines))
    {
        if h.is_remaining() && is_sha_or_cha(h) {
            rows.entry(h.pcode()).or_default().remaining.add(&h.state);
        }
        let released = released_in(std::iter::once(h), years);
        if released.iter().any(|r| *r != 0.0) {
            let row = rows.entry(h.pcode()).or_default();
            for (acc, r) in row.released.iter_mut().zip(released) {
                *acc += r;
            }
        }
    }
    let cells = |r: &Art5Row| {
        let remaining = r.remaining.sha_m2 + r.remaining.cha_m2;
        let pr = project(remaining, &r.released, p.as_of.date, p.treaty_deadline);
        let mut v = r.remaining.sha_cha_cells();
        v.push(Cell::Area(remaining));
        v.extend(r.released.iter().map(|a| Cell::Area(*a)));
        v.push(Cell::Area(pr.mean));
        v.push(match pr.outlook {
            Outlook::Projected(d) => Cell::Date(d),
            o => outlook_text(l, o).map_or(Cell::Empty, Cell::Text),
        });
        v.push(pr.met.map_or(Cell::Empty, |m| Cell::Text(met_text(l, m))));
        v
    };
    let mut total = Art5Row::default();
    for (pcode, r) in &rows {
        total.remaining.plus(&r.remaining);
        for (acc, a) in total.released.iter_mut().zip(r.released) {
            *acc += a;
        }
        let mut row = admin_cells(snap, pcode, l);
        row.extend(cells(r));
        t.rows.push(row);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l)), Cell::Empty];
    total_row.extend(cells(&total));
    t.total = Some(total_row);
    t.notes = vec![
        crate::treaty::mined_area_note(l),
        projection_note(l),
        i18n::admin_note(l),
    ];
    t
}

/// Whether a hazard is an SHA (or indication) or a CHA, the classes treaty forms report.
pub(crate) fn is_sha_or_cha(h: &HazardData) -> bool {
    use safeground_model::HazardClass as C;
    matches!(h.state.class, C::Sha | C::Cha | C::Indication)
}
