//! EO destroyed and found, casualties and accidents (with small-number suppression) and
//! risk-education beneficiaries.

use std::collections::BTreeMap;

use chrono::Datelike;
use safeground_model::{ActivityAtTimeOfAccident, AgeBand, AudienceReach, CasualtyOutcome};

use crate::i18n;
use crate::snapshot::Snapshot;
use crate::suppress::{Suppression, WITHHELD};
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{Language, ReportParams};

pub(crate) fn text(key: &str, l: Language, en: &'static str, km: &'static str) -> Column {
    Column::new(key, l.pick(en, km), ColumnKind::Text)
}

pub(crate) fn count(key: &str, l: Language, en: &'static str, km: &'static str) -> Column {
    Column::new(key, l.pick(en, km), ColumnKind::Count)
}

/// [eo_destroyed]: by category and model.
pub(crate) fn eo_destroyed(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "eo_destroyed",
        l.pick(
            "Explosive ordnance destroyed by category and model",
            "សម្ភារៈផ្ទុះដែលបានបំផ្លាញតាមប្រភេទ និងម៉ូដែល",
        ),
        vec![
            text("category", l, "Category", "ប្រភេទ"),
            text("model", l, "Model", "ម៉ូដែល"),
            count("finds", l, "Finds (records)", "ការរកឃើញ (កំណត់ត្រា)"),
            count("quantity", l, "Items destroyed", "ចំនួនដែលបានបំផ្លាញ"),
        ],
    );
    let mut rows: BTreeMap<_, (u64, u64)> = BTreeMap::new();
    for d in &snap.destroyed {
        let key = (d.category, d.model.is_none(), d.model.clone());
        let row = rows.entry(key).or_default();
        row.0 += 1;
        row.1 += u64::from(d.quantity);
    }
    let (mut finds, mut quantity) = (0, 0);
    for ((category, _, model), (f, q)) in rows {
        finds += f;
        quantity += q;
        t.rows.push(vec![
            Cell::Text(i18n::category(l, Some(category))),
            Cell::Text(model.unwrap_or_else(|| i18n::not_recorded(l))),
            Cell::Count(f),
            Cell::Count(q),
        ]);
    }
    t.total = Some(vec![
        Cell::Text(i18n::total(l)),
        Cell::Empty,
        Cell::Count(finds),
        Cell::Count(quantity),
    ]);
    t.notes = vec![
        l.pick(
            "EO finds with a destroyed date in the period, in the selected admin area (of the \
             hazard, or of the activity when no hazard is linked) and organisation (of the \
             activity, or of the hazard).",
            "ការរកឃើញសម្ភារៈផ្ទុះដែលមានកាលបរិច្ឆេទបំផ្លាញក្នុងរយៈពេលនេះ ក្នុងតំបន់រដ្ឋបាល (នៃតំបន់គ្រោះថ្នាក់ \
             ឬនៃសកម្មភាព បើគ្មានតំបន់គ្រោះថ្នាក់) និងអង្គការ (នៃសកម្មភាព ឬនៃតំបន់គ្រោះថ្នាក់) ដែលបានជ្រើសរើស។",
        )
        .to_owned(),
    ];
    t
}

/// [eo_found]: by category, found in the period or date unknown, with and without disposal.
pub(crate) fn eo_found(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "eo_found",
        l.pick(
            "Explosive ordnance found by category, with and without disposal",
            "សម្ភារៈផ្ទុះដែលបានរកឃើញតាមប្រភេទ ដែលបានចាត់ចែង និងមិនទាន់ចាត់ចែង",
        ),
        vec![
            text("category", l, "Category", "ប្រភេទ"),
            text("found", l, "Found", "បានរកឃើញ"),
            count("finds", l, "Finds (records)", "ការរកឃើញ (កំណត់ត្រា)"),
            count("quantity", l, "Items found", "ចំនួនដែលបានរកឃើញ"),
            count(
                "disposed",
                l,
                "Items with disposal recorded",
                "ចំនួនដែលបានកត់ត្រាការចាត់ចែង",
            ),
            count(
                "not_disposed",
                l,
                "Items without disposal recorded",
                "ចំនួនដែលមិនទាន់កត់ត្រាការចាត់ចែង",
            ),
        ],
    );
    let mut rows: BTreeMap<_, [u64; 4]> = BTreeMap::new();
    for f in &snap.found {
        let row = rows.entry((f.category, f.date_unknown)).or_default();
        let q = u64::from(f.quantity);
        row[0] += 1;
        row[1] += q;
        row[if f.disposed { 2 } else { 3 }] += q;
    }
    let mut total = [0u64; 4];
    for ((category, date_unknown), r) in rows {
        for (acc, v) in total.iter_mut().zip(r) {
            *acc += v;
        }
        let found = if date_unknown {
            l.pick("Date unknown", "មិនដឹងកាលបរិច្ឆេទ")
        } else {
            l.pick("In the period", "ក្នុងរយៈពេលនេះ")
        };
        let mut row = vec![
            Cell::Text(i18n::category(l, Some(category))),
            Cell::Text(found.to_owned()),
        ];
        row.extend(r.map(Cell::Count));
        t.rows.push(row);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l)), Cell::Empty];
    total_row.extend(total.map(Cell::Count));
    t.total = Some(total_row);
    t.notes = vec![
        l.pick(
            "A find without a found date cannot be placed in or out of the period: it is shown \
             under \"Date unknown\" in every report, unless its destroyed date is before the \
             period. Admin area and organisation as for EO destroyed.",
            "ការរកឃើញដែលគ្មានកាលបរិច្ឆេទរកឃើញ មិនអាចដាក់ក្នុង ឬក្រៅរយៈពេលនេះបានទេ៖ វាត្រូវបានបង្ហាញក្រោម \
             \"មិនដឹងកាលបរិច្ឆេទ\" ក្នុងរបាយការណ៍គ្រប់ច្បាប់ លើកលែងតែកាលបរិច្ឆេទបំផ្លាញរបស់វានៅមុនរយៈពេលនេះ។ \
             តំបន់រដ្ឋបាល និងអង្គការ ដូចសម្ភារៈផ្ទុះដែលបានបំផ្លាញ។",
        )
        .to_owned(),
    ];
    t
}

/// [accidents]: by year, with and without recorded victims, and the killed and injured
/// recorded.
pub(crate) fn accidents(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "accidents",
        l.pick(
            "Accidents by year, with and without recorded victims",
            "គ្រោះថ្នាក់តាមឆ្នាំ ដែលមាន និងគ្មានកំណត់ត្រាជនរងគ្រោះ",
        ),
        vec![
            text("year", l, "Year", "ឆ្នាំ"),
            count("accidents", l, "Accidents", "គ្រោះថ្នាក់"),
            count(
                "with_victims",
                l,
                "Accidents with recorded victims",
                "គ្រោះថ្នាក់ដែលមានកំណត់ត្រាជនរងគ្រោះ",
            ),
            count(
                "without_victims",
                l,
                "Accidents without recorded victims",
                "គ្រោះថ្នាក់ដែលគ្មានកំណត់ត្រាជនរងគ្រោះ",
            ),
            count("killed", l, "Killed", "ស្លាប់"),
            count("injured", l, "Injured", "របួស"),
        ],
    );
    // Accident counts are events; killed and injured are people, suppressed as casualties.
    let mut rows: BTreeMap<_, [u64; 5]> = BTreeMap::new();
    for a in &snap.accidents {
        let year = a.date.map(|d| d.year());
        let row = rows.entry((year.is_none(), year)).or_default();
        let victims = a.killed + a.injured;
        row[0] += 1;
        row[if victims > 0 { 1 } else { 2 }] += 1;
        row[3] += a.killed;
        row[4] += a.injured;
    }
    let s = Suppression {
        threshold: p.suppression_threshold,
    };
    let mut total = [0u64; 3];
    let (mut killed, mut injured) = (Vec::new(), Vec::new());
    for ((_, year), [n, with, without, k, i]) in rows {
        for (acc, v) in total.iter_mut().zip([n, with, without]) {
            *acc += v;
        }
        killed.push(k);
        injured.push(i);
        t.rows.push(vec![
            Cell::Text(year.map_or_else(|| i18n::unknown(l), |y| y.to_string())),
            Cell::Count(n),
            Cell::Count(with),
            Cell::Count(without),
            s.cell(k),
            s.cell(i),
        ]);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l))];
    total_row.extend(total.map(Cell::Count));
    total_row.extend([s.total(&killed), s.total(&injured)]);
    t.total = Some(total_row);
    t.notes = vec![
        l.pick(
            "An accident without a date is shown under \"Unknown\" in every report. Killed and \
             injured are the victims recorded for these accidents; the admin area is the \
             accident's, and the organisation and donor filters do not apply.",
            "គ្រោះថ្នាក់ដែលគ្មានកាលបរិច្ឆេទ ត្រូវបានបង្ហាញក្រោម \"មិនដឹង\" ក្នុងរបាយការណ៍គ្រប់ច្បាប់។ \
             ស្លាប់ និងរបួស គឺជាជនរងគ្រោះដែលបានកត់ត្រាសម្រាប់គ្រោះថ្នាក់ទាំងនេះ។ តំបន់រដ្ឋបាលគឺរបស់គ្រោះថ្នាក់ \
             ហើយតម្រងអង្គការ និងម្ចាស់ជំនួយមិនអនុវត្តទេ។",
        )
        .to_owned(),
    ];
    if let Some(threshold) = p.suppression_threshold {
        t.notes.push(suppression_note(l, threshold));
    }
    t
}

/// Age group of a casualty: child under 18, adult, unknown.
fn age_group(l: Language, age: Option<u8>) -> (u8, String) {
    match age {
        Some(a) if a < 18 => (0, i18n::age_band(l, AgeBand::Child)),
        Some(_) => (1, i18n::age_band(l, AgeBand::Adult)),
        None => (2, i18n::unknown(l)),
    }
}

/// [casualties]: by year, sex, age group, device category and activity, killed and injured.
pub(crate) fn casualties(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "casualties",
        l.pick(
            "Casualties by year, sex, age group, device and activity",
            "ជនរងគ្រោះតាមឆ្នាំ ភេទ ក្រុមអាយុ ប្រភេទសម្ភារៈផ្ទុះ និងសកម្មភាព",
        ),
        vec![
            text("year", l, "Year", "ឆ្នាំ"),
            text("sex", l, "Sex", "ភេទ"),
            text("age_group", l, "Age group", "ក្រុមអាយុ"),
            text("device", l, "Device category", "ប្រភេទសម្ភារៈផ្ទុះ"),
            text(
                "activity",
                l,
                "Activity at time of accident",
                "សកម្មភាពនៅពេលកើតហេតុ",
            ),
            count("killed", l, "Killed", "ស្លាប់"),
            count("injured", l, "Injured", "របួស"),
            count("total", l, "Total", "សរុប"),
        ],
    );
    let mut rows: BTreeMap<_, [u64; 2]> = BTreeMap::new();
    for c in &snap.casualties {
        let year = c.date.map(|d| d.year());
        let activity = c
            .victim
            .activity_at_time
            .unwrap_or(ActivityAtTimeOfAccident::Unknown);
        let key = (
            (year.is_none(), year),
            c.victim.sex,
            age_group(l, c.victim.age_at_accident),
            (c.device.is_none(), c.device),
            activity,
        );
        let cell = rows.entry(key).or_default();
        match c.victim.outcome {
            CasualtyOutcome::Killed => cell[0] += 1,
            CasualtyOutcome::Injured => cell[1] += 1,
        }
    }
    let s = Suppression {
        threshold: p.suppression_threshold,
    };
    let (mut killed, mut injured) = (Vec::new(), Vec::new());
    for (((_, year), sex, (_, age), (_, device), activity), [k, i]) in rows {
        killed.push(k);
        injured.push(i);
        t.rows.push(vec![
            Cell::Text(year.map_or_else(|| i18n::unknown(l), |y| y.to_string())),
            Cell::Text(i18n::sex(l, sex)),
            Cell::Text(age),
            Cell::Text(i18n::category(l, device)),
            Cell::Text(i18n::activity_at_time(l, activity)),
            s.cell(k),
            s.cell(i),
            s.total(&[k, i]),
        ]);
    }
    let all: Vec<u64> = killed.iter().chain(&injured).copied().collect();
    let mut total_row = vec![Cell::Text(i18n::total(l))];
    total_row.resize(5, Cell::Empty);
    total_row.extend([s.total(&killed), s.total(&injured), s.total(&all)]);
    t.total = Some(total_row);
    t.notes = vec![
        l.pick(
            "Victims are joined to their accident for the year, admin area and device category; \
             the period applies to the accident date. Child: under 18 at the accident.",
            "ជនរងគ្រោះត្រូវបានភ្ជាប់ទៅនឹងគ្រោះថ្នាក់របស់ពួកគេ សម្រាប់ឆ្នាំ តំបន់រដ្ឋបាល និងប្រភេទសម្ភារៈផ្ទុះ។ \
             រយៈពេលអនុវត្តលើកាលបរិច្ឆេទគ្រោះថ្នាក់។ កុមារ៖ អាយុក្រោម ១៨ ឆ្នាំនៅពេលកើតហេតុ។",
        )
        .to_owned(),
        l.pick(
            "The organisation and donor filters do not apply: accidents and victims are not \
             attributed to an organisation or a donor.",
            "តម្រងអង្គការមិនអនុវត្តទេ៖ គ្រោះថ្នាក់ និងជនរងគ្រោះមិនត្រូវបានកំណត់ថាជារបស់អង្គការណាមួយទេ។",
        )
        .to_owned(),
    ];
    if let Some(threshold) = p.suppression_threshold {
        t.notes.push(suppression_note(l, threshold));
    }
    t
}

/// The note of a table whose person counts are suppressed below `threshold`.
pub(crate) fn suppression_note(l: Language, threshold: u32) -> String {
    {
        match l {
            Language::En => format!(
                "Counts from 1 to {} are published as \"<{threshold}\" so that no person can be \
                 re-identified; \"{WITHHELD}\" marks a total withheld because subtracting the \
                 published counts from it would reveal a suppressed count.",
                threshold.saturating_sub(1)
            ),
            Language::Km => format!(
                "ចំនួនពី ១ ដល់ {} ត្រូវបានផ្សព្វផ្សាយជា \"<{threshold}\" ដើម្បីកុំឱ្យគេអាចស្គាល់អត្តសញ្ញាណបុគ្គលណាម្នាក់បាន។ \
                 \"{WITHHELD}\" សម្គាល់ចំនួនសរុបដែលត្រូវបានលាក់ ព្រោះការដកចំនួនដែលបានផ្សព្វផ្សាយចេញពីវា \
                 នឹងបង្ហាញចំនួនដែលត្រូវបានលាក់។",
                threshold.saturating_sub(1)
            ),
        }
    }
}

/// [risk_education]: beneficiaries by sex, age band, direct and indirect.
pub(crate) fn risk_education(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "risk_education",
        l.pick(
            "Risk education beneficiaries by sex and age band",
            "អ្នកទទួលផលពីការអប់រំពីហានិភ័យតាមភេទ និងក្រុមអាយុ",
        ),
        vec![
            text("sex", l, "Sex", "ភេទ"),
            text("age_band", l, "Age band", "ក្រុមអាយុ"),
            count("direct", l, "Direct beneficiaries", "អ្នកទទួលផលផ្ទាល់"),
            count("indirect", l, "Indirect beneficiaries", "អ្នកទទួលផលប្រយោល"),
        ],
    );
    let mut rows: BTreeMap<_, [u64; 2]> = BTreeMap::new();
    for s in &snap.sessions {
        for c in &s.beneficiaries.counts {
            let cell = rows.entry((c.sex, c.age_band)).or_default();
            match c.reach {
                AudienceReach::Direct => cell[0] += u64::from(c.count),
                AudienceReach::Indirect => cell[1] += u64::from(c.count),
            }
        }
    }
    let mut total = [0u64; 2];
    for ((sex, band), [d, i]) in rows {
        total[0] += d;
        total[1] += i;
        t.rows.push(vec![
            Cell::Text(i18n::sex(l, sex)),
            Cell::Text(i18n::age_band(l, band)),
            Cell::Count(d),
            Cell::Count(i),
        ]);
    }
    t.total = Some(vec![
        Cell::Text(i18n::total(l)),
        Cell::Empty,
        Cell::Count(total[0]),
        Cell::Count(total[1]),
    ]);
    t.notes = vec![match l {
        Language::En => format!(
            "{} sessions dated in the period. Direct and indirect beneficiaries are counted \
             apart and never added together; age bands are those each session recorded.",
            snap.sessions.len()
        ),
        Language::Km => format!(
            "វគ្គចំនួន {} ដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ។ អ្នកទទួលផលផ្ទាល់ និងប្រយោលត្រូវបានរាប់ដាច់ដោយឡែក \
             ហើយមិនដែលបូកបញ្ចូលគ្នាទេ។ ក្រុមអាយុគឺជាក្រុមដែលវគ្គនីមួយៗបានកត់ត្រា។",
            snap.sessions.len()
        ),
    }];
    t
}
