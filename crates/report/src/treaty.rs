//! The treaty tables: APMBC Article 7 Form C (mined areas) and Forms F/G (land released and
//! mines destroyed), CCM Article 7 Form F (contaminated areas and clearance), laid out as the
//! recommended Article 5 tables C-1 and F-1 (reference §4.1, §4.2).

use std::collections::{BTreeMap, BTreeSet};

use safeground_model::{ContaminationType, OrdnanceCategory};

use crate::i18n;
use crate::land::{ByClass, Released, admin_cells, sha_cha_columns};
use crate::progress::is_sha_or_cha;
use crate::snapshot::{Destroyed, Snapshot};
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{Language, ReportParams};

/// The note that says what a mined area is.
pub(crate) fn mined_area_note(l: Language) -> String {
    l.pick(
        "Mined areas: SHA and CHA (indications count as SHA) whose contamination includes \
         anti-personnel mines; ammunition storage and EOD spot tasks are not mined areas.",
        "តំបន់មានមីន៖ តំបន់សង្ស័យ និងតំបន់បញ្ជាក់ (ការចង្អុលបង្ហាញរាប់ជាតំបន់សង្ស័យ) \
         ដែលការបំពុលរួមមានមីនប្រឆាំងមនុស្ស។ ឃ្លាំងគ្រាប់រំសេវ និងភារកិច្ច EOD មិនមែនជាតំបន់មានមីនទេ។",
    )
    .to_owned()
}

fn cmr_note(l: Language) -> String {
    l.pick(
        "Cluster munition contaminated areas: SHA and CHA (indications count as SHA) whose \
         contamination includes cluster munition remnants.",
        "តំបន់បំពុលដោយគ្រាប់បែកចង្កោម៖ តំបន់សង្ស័យ និងតំបន់បញ្ជាក់ (ការចង្អុលបង្ហាញរាប់ជាតំបន់សង្ស័យ) \
         ដែលការបំពុលរួមមានសំណល់គ្រាប់បែកចង្កោម។",
    )
    .to_owned()
}

/// Remaining areas of the hazards contaminated by `kind`, per admin area (Table C-1 layout).
fn contaminated(
    id: &str,
    title: &str,
    snap: &Snapshot,
    p: &ReportParams,
    kind: ContaminationType,
    with_types: bool,
) -> Table {
    let l = p.language;
    let mut columns = i18n::admin_columns(l);
    columns.extend(sha_cha_columns(l));
    columns.extend([
        Column::new(
            "total_areas",
            l.pick("Total areas (number)", "តំបន់សរុប (ចំនួន)"),
            ColumnKind::Count,
        ),
        Column::new(
            "total_m2",
            l.pick("Total area (m²)", "ផ្ទៃដីសរុប (ម²)"),
            ColumnKind::AreaM2,
        ),
    ]);
    if with_types {
        columns.push(Column::new(
            "contamination",
            l.pick("Contamination type", "ប្រភេទការបំពុល"),
            ColumnKind::Text,
        ));
    }
    let mut t = Table::new(id, title, columns);
    let mut rows: BTreeMap<&str, (ByClass, BTreeSet<String>)> = BTreeMap::new();
    for h in snap
        .hazards
        .iter()
        .filter(|h| h.has(kind) && is_sha_or_cha(h) && h.is_remaining())
    {
        let row = rows.entry(h.pcode()).or_default();
        row.0.add(&h.state);
        row.1.insert(i18n::contamination(l, &h.contamination));
    }
    let cells = |c: &ByClass| {
        let mut v = c.sha_cha_cells();
        v.push(Cell::Count(c.sha + c.cha));
        v.push(Cell::Area(c.sha_m2 + c.cha_m2));
        v
    };
    let mut total = ByClass::default();
    for (pcode, (c, types)) in &rows {
        total.plus(c);
        let mut row = admin_cells(snap, pcode, l);
        row.extend(cells(c));
        if with_types {
            row.push(Cell::Text(
                types.iter().cloned().collect::<Vec<_>>().join("; "),
            ));
        }
        t.rows.push(row);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l)), Cell::Empty];
    total_row.extend(cells(&total));
    if with_types {
        total_row.push(Cell::Empty);
    }
    t.total = Some(total_row);
    t.notes = vec![crate::land::remaining_note(l), i18n::admin_note(l)];
    t
}

/// [apmbc_form_c]
pub(crate) fn apmbc_form_c(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = contaminated(
        "apmbc_form_c",
        l.pick(
            "APMBC Article 7 Form C: mined areas known or suspected to contain anti-personnel mines",
            "អនុសញ្ញាអូតាវ៉ា មាត្រា ៧ ទម្រង់ C៖ តំបន់ដែលដឹង ឬសង្ស័យថាមានមីនប្រឆាំងមនុស្ស",
        ),
        snap,
        p,
        ContaminationType::ApMines,
        true,
    );
    t.notes.insert(0, mined_area_note(l));
    t
}

/// [ccm_contaminated]
pub(crate) fn ccm_contaminated(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = contaminated(
        "ccm_contaminated",
        l.pick(
            "CCM Article 7 Form F: areas contaminated by cluster munition remnants",
            "អនុសញ្ញាស្ដីពីគ្រាប់បែកចង្កោម មាត្រា ៧ ទម្រង់ F៖ តំបន់បំពុលដោយសំណល់គ្រាប់បែកចង្កោម",
        ),
        snap,
        p,
        ContaminationType::Cmr,
        false,
    );
    t.notes.insert(0, cmr_note(l));
    t
}

/// A count of EO destroyed in a column of a clearance table.
struct EoColumn {
    key: &'static str,
    title: &'static str,
    counts: fn(&Destroyed) -> bool,
}

/// Land released in the period in the hazards contaminated by `kind`, and the EO destroyed in them,
/// per admin area (Table F-1 layout).
fn clearance(
    id: &str,
    title: &str,
    snap: &Snapshot,
    p: &ReportParams,
    kind: ContaminationType,
    eo: &[EoColumn],
) -> Table {
    let l = p.language;
    let mut columns = i18n::admin_columns(l);
    let area = |key: &str, en, km| Column::new(key, l.pick(en, km), ColumnKind::AreaM2);
    columns.extend([
        area(
            "cancelled_m2",
            "Cancelled through non-technical survey (m²)",
            "បានលុបចោលតាមរយៈការស្ទង់មិនមែនបច្ចេកទេស (ម²)",
        ),
        area(
            "reduced_m2",
            "Reduced through technical survey (m²)",
            "បានកាត់បន្ថយតាមរយៈការស្ទង់បច្ចេកទេស (ម²)",
        ),
        area("cleared_m2", "Cleared (m²)", "បានបោសសម្អាត (ម²)"),
        area(
            "released_m2",
            "Total released (m²)",
            "ដីដែលបានដោះលែងសរុប (ម²)",
        ),
    ]);
    columns.extend(
        eo.iter()
            .map(|c| Column::new(c.key, c.title, ColumnKind::Count)),
    );
    let mut t = Table::new(id, title, columns);
    let mut rows: BTreeMap<&str, (Released, Vec<u64>)> = BTreeMap::new();
    let zero = || (Released::default(), vec![0; eo.len()]);
    for h in snap.hazards.iter().filter(|h| h.has(kind)) {
        for c in h.credits.iter().filter(|c| p.in_period(c.valid_from)) {
            rows.entry(h.pcode()).or_insert_with(zero).0.add(c);
        }
    }
    for d in snap
        .destroyed
        .iter()
        .filter(|d| d.contamination.contains(&kind))
    {
        for (i, col) in eo.iter().enumerate() {
            if (col.counts)(d) {
                rows.entry(d.pcode.as_str()).or_insert_with(zero).1[i] += u64::from(d.quantity);
            }
        }
    }
    let cells = |r: &Released, n: &[u64]| {
        let mut v = vec![
            Cell::Area(r.cancelled),
            Cell::Area(r.reduced()),
            Cell::Area(r.cleared),
            Cell::Area(r.total()),
        ];
        v.extend(n.iter().map(|k| Cell::Count(*k)));
        v
    };
    let (mut total, mut total_n) = zero();
    for (pcode, (r, n)) in &rows {
        total.plus(r);
        for (acc, k) in total_n.iter_mut().zip(n) {
            *acc += k;
        }
        let mut row = admin_cells(snap, pcode, l);
        row.extend(cells(r, n));
        t.rows.push(row);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l)), Cell::Empty];
    total_row.extend(cells(&total, &total_n));
    t.total = Some(total_row);
    let mut notes = crate::land::release_notes(l);
    notes.push(
        l.pick(
            "EO destroyed: items with a destroyed date in the period, found in these hazards.",
            "សម្ភារៈផ្ទុះដែលបានបំផ្លាញ៖ សម្ភារៈដែលមានកាលបរិច្ឆេទបំផ្លាញក្នុងរយៈពេលនេះ ដែលបានរកឃើញក្នុងតំបន់គ្រោះថ្នាក់ទាំងនេះ។",
        )
        .to_owned(),
    );
    t.notes = notes;
    t
}

/// [apmbc_form_f_g]
pub(crate) fn apmbc_form_f_g(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = clearance(
        "apmbc_form_f_g",
        l.pick(
            "APMBC Article 7 Forms F and G: land released in mined areas and mines destroyed",
            "អនុសញ្ញាអូតាវ៉ា មាត្រា ៧ ទម្រង់ F និង G៖ ដីដែលបានដោះលែងក្នុងតំបន់មានមីន និងមីនដែលបានបំផ្លាញ",
        ),
        snap,
        p,
        ContaminationType::ApMines,
        &[
            EoColumn {
                key: "ap_mines_destroyed",
                title: l.pick("AP mines destroyed", "មីនប្រឆាំងមនុស្សដែលបានបំផ្លាញ"),
                counts: |d| d.category == OrdnanceCategory::ApMine,
            },
            EoColumn {
                key: "av_mines_destroyed",
                title: l.pick("AV mines destroyed", "មីនប្រឆាំងយានយន្តដែលបានបំផ្លាញ"),
                counts: |d| d.category == OrdnanceCategory::AtMine,
            },
            EoColumn {
                key: "other_eo_destroyed",
                title: l.pick("Other EO destroyed", "សម្ភារៈផ្ទុះផ្សេងទៀតដែលបានបំផ្លាញ"),
                counts: |d| {
                    !matches!(
                        d.category,
                        OrdnanceCategory::ApMine | OrdnanceCategory::AtMine
                    )
                },
            },
        ],
    );
    t.notes.insert(0, mined_area_note(l));
    t
}

/// [ccm_clearance]
pub(crate) fn ccm_clearance(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = clearance(
        "ccm_clearance",
        l.pick(
            "CCM Article 7 Form F: clearance of cluster munition contaminated areas",
            "អនុសញ្ញាស្ដីពីគ្រាប់បែកចង្កោម មាត្រា ៧ ទម្រង់ F៖ ការបោសសម្អាតតំបន់បំពុលដោយគ្រាប់បែកចង្កោម",
        ),
        snap,
        p,
        ContaminationType::Cmr,
        &[
            EoColumn {
                key: "submunitions_destroyed",
                title: l.pick("Submunitions destroyed", "គ្រាប់បែកតូចដែលបានបំផ្លាញ"),
                counts: |d| d.category == OrdnanceCategory::Submunition,
            },
            EoColumn {
                key: "other_eo_destroyed",
                title: l.pick("Other EO destroyed", "សម្ភារៈផ្ទុះផ្សេងទៀតដែលបានបំផ្លាញ"),
                counts: |d| d.category != OrdnanceCategory::Submunition,
            },
        ],
    );
    t.notes.insert(0, cmr_note(l));
    t
}
