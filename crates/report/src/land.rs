//! Land release by admin area, asset, contamination type and year, and the hazards remaining
//! by class.

use std::collections::BTreeMap;

use safeground_model::{AssetType, HazardClass, ReleaseMethod};
use safeground_store::HazardState;

use crate::i18n;
use crate::snapshot::{Credit, HazardData, Snapshot};
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{Language, ReportParams};

/// Area released, by method, m².
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Released {
    /// Cancelled.
    pub cancelled: f64,
    /// Reduced with a technical asset.
    pub reduced_technical: f64,
    /// Reduced without a technical asset.
    pub reduced_other: f64,
    /// Cleared.
    pub cleared: f64,
}

impl Released {
    /// Adds a credit.
    pub fn add(&mut self, c: &Credit) {
        match c.method {
            ReleaseMethod::Cancelled => self.cancelled += c.area_m2,
            ReleaseMethod::Reduced if c.technical => self.reduced_technical += c.area_m2,
            ReleaseMethod::Reduced => self.reduced_other += c.area_m2,
            ReleaseMethod::Cleared => self.cleared += c.area_m2,
        }
    }

    /// Adds another total.
    pub fn plus(&mut self, o: &Released) {
        self.cancelled += o.cancelled;
        self.reduced_technical += o.reduced_technical;
        self.reduced_other += o.reduced_other;
        self.cleared += o.cleared;
    }

    /// Reduced, with or without a technical asset.
    pub fn reduced(&self) -> f64 {
        self.reduced_technical + self.reduced_other
    }

    /// Everything released.
    pub fn total(&self) -> f64 {
        self.cancelled + self.reduced() + self.cleared
    }

    /// The cells of [`release_columns`].
    fn cells(&self) -> Vec<Cell> {
        [
            self.cancelled,
            self.reduced_technical,
            self.reduced_other,
            self.cleared,
            self.total(),
        ]
        .into_iter()
        .map(Cell::Area)
        .collect()
    }
}

/// Columns of the area released by method.
fn release_columns(l: Language) -> Vec<Column> {
    let area = |key: &str, en, km| Column::new(key, l.pick(en, km), ColumnKind::AreaM2);
    vec![
        area("cancelled_m2", "Cancelled (m²)", "បានលុបចោល (ម²)"),
        area(
            "reduced_technical_m2",
            "Reduced with technical asset (m²)",
            "បានកាត់បន្ថយដោយប្រើមធ្យោបាយបច្ចេកទេស (ម²)",
        ),
        area(
            "reduced_non_technical_m2",
            "Reduced without technical asset (m²)",
            "បានកាត់បន្ថយដោយមិនប្រើមធ្យោបាយបច្ចេកទេស (ម²)",
        ),
        area("cleared_m2", "Cleared (m²)", "បានបោសសម្អាត (ម²)"),
        area(
            "released_m2",
            "Total released (m²)",
            "ដីដែលបានដោះលែងសរុប (ម²)",
        ),
    ]
}

/// Notes shared by the land-release tables.
pub(crate) fn release_notes(l: Language) -> Vec<String> {
    vec![
        l.pick(
            "Areas are the store's release credits: each released polygon is credited only with \
             the part of the hazard still remaining when it was released, so overlapping \
             releases are never counted twice.",
            "ផ្ទៃដីគឺជាឥណទានដោះលែងដីរបស់ប្រព័ន្ធ៖ ដីដែលបានដោះលែងនីមួយៗ ត្រូវបានរាប់តែផ្នែកនៃតំបន់គ្រោះថ្នាក់ \
             ដែលនៅសល់នៅពេលដោះលែងប៉ុណ្ណោះ ដូច្នេះដីដែលដោះលែងត្រួតគ្នា មិនត្រូវបានរាប់ពីរដងឡើយ។",
        )
        .to_owned(),
        l.pick(
            "The period applies to the date of information of the activity report; with an \
             organisation or a donor selected, only land released by the activities it carried \
             out or funded counts.",
            "រយៈពេលអនុវត្តលើកាលបរិច្ឆេទព័ត៌មាននៃរបាយការណ៍សកម្មភាព។ នៅពេលជ្រើសរើសអង្គការ ឬម្ចាស់ជំនួយ \
             មានតែដីដែលដោះលែងដោយសកម្មភាពដែលអង្គការនោះបានអនុវត្ត ឬម្ចាស់ជំនួយនោះបានឧបត្ថម្ភប៉ុណ្ណោះដែលត្រូវបានរាប់។",
        )
        .to_owned(),
        i18n::admin_note(l),
    ]
}

/// Sums the credits in the period by a key.
fn released_by<K: Ord>(
    snap: &Snapshot,
    p: &ReportParams,
    key: impl Fn(&HazardData, &Credit) -> K,
) -> BTreeMap<K, Released> {
    let mut out: BTreeMap<K, Released> = BTreeMap::new();
    for h in &snap.hazards {
        for c in h.credits.iter().filter(|c| p.in_period(c.valid_from)) {
            out.entry(key(h, c)).or_default().add(c);
        }
    }
    out
}

/// A land-release table: the key columns, then the areas by method, then the total.
fn release_table<K>(
    id: &str,
    title: &str,
    key_columns: Vec<Column>,
    rows: BTreeMap<K, Released>,
    key_cells: impl Fn(&K) -> Vec<Cell>,
    l: Language,
) -> Table {
    let n = key_columns.len();
    let mut columns = key_columns;
    columns.extend(release_columns(l));
    let mut t = Table::new(id, title, columns);
    let mut total = Released::default();
    for (k, r) in &rows {
        total.plus(r);
        let mut row = key_cells(k);
        row.extend(r.cells());
        t.rows.push(row);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l))];
    total_row.resize(n, Cell::Empty);
    total_row.extend(total.cells());
    t.total = Some(total_row);
    t
}

/// [land_release_by_admin_area]
pub(crate) fn by_admin_area(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let rows = released_by(snap, p, |h, _| h.pcode().to_owned());
    let mut t = release_table(
        "land_release_by_admin_area",
        l.pick("Land released by admin area", "ដីដែលបានដោះលែងតាមតំបន់រដ្ឋបាល"),
        i18n::admin_columns(l),
        rows,
        |pcode| admin_cells(snap, pcode, l),
        l,
    );
    t.notes = release_notes(l);
    t
}

/// The P-code and name cells of an admin area.
pub(crate) fn admin_cells(snap: &Snapshot, pcode: &str, l: Language) -> Vec<Cell> {
    let name = if pcode.is_empty() {
        i18n::not_recorded(l)
    } else {
        snap.admin_name(pcode)
    };
    vec![Cell::Text(pcode.to_owned()), Cell::Text(name)]
}

/// [land_release_by_asset]: one row per asset type (all of them, then "not recorded").
pub(crate) fn by_asset(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut rows = released_by(snap, p, |_, c| (c.asset.is_none(), c.asset));
    for a in AssetType::ALL {
        rows.entry((false, Some(*a))).or_default();
    }
    rows.entry((true, None)).or_default();
    let mut t = release_table(
        "land_release_by_asset",
        l.pick(
            "Land released by asset type",
            "ដីដែលបានដោះលែងតាមប្រភេទមធ្យោបាយ",
        ),
        vec![Column::new(
            "asset",
            l.pick("Asset type", "ប្រភេទមធ្យោបាយ"),
            ColumnKind::Text,
        )],
        rows,
        |(_, a)| vec![Cell::Text(i18n::asset(l, *a))],
        l,
    );
    t.notes = release_notes(l);
    t.notes.push(
        l.pick(
            "Asset type is the asset recorded on the released area; cancellation by \
             non-technical survey usually records none.",
            "ប្រភេទមធ្យោបាយ គឺជាមធ្យោបាយដែលបានកត់ត្រាលើដីដែលបានដោះលែង។ ការលុបចោលដោយការស្ទង់មិនមែនបច្ចេកទេស \
             ជាធម្មតាមិនកត់ត្រាមធ្យោបាយទេ។",
        )
        .to_owned(),
    );
    t
}

/// [land_release_by_contamination]: one row per combination of contamination types.
pub(crate) fn by_contamination(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let rows = released_by(snap, p, |h, _| {
        let mut types = h.contamination.clone();
        types.sort();
        types.dedup();
        (types.is_empty(), types)
    });
    let mut t = release_table(
        "land_release_by_contamination",
        l.pick(
            "Land released by contamination type",
            "ដីដែលបានដោះលែងតាមប្រភេទការបំពុល",
        ),
        vec![Column::new(
            "contamination",
            l.pick("Contamination type", "ប្រភេទការបំពុល"),
            ColumnKind::Text,
        )],
        rows,
        |(_, types)| vec![Cell::Text(i18n::contamination(l, types))],
        l,
    );
    t.notes = release_notes(l);
    t.notes.push(
        l.pick(
            "Contamination type is the combination of types recorded on the hazard, so each \
             hazard falls in exactly one row.",
            "ប្រភេទការបំពុល គឺជាបន្សំនៃប្រភេទដែលបានកត់ត្រាលើតំបន់គ្រោះថ្នាក់ ដូច្នេះតំបន់គ្រោះថ្នាក់នីមួយៗ \
             ស្ថិតនៅក្នុងជួរតែមួយគត់។",
        )
        .to_owned(),
    );
    t
}

/// [land_release_by_year]
pub(crate) fn by_year(snap: &Snapshot, p: &ReportParams) -> Table {
    use chrono::Datelike;
    let l = p.language;
    let rows = released_by(snap, p, |_, c| c.valid_from.year());
    let mut t = release_table(
        "land_release_by_year",
        l.pick("Land released by year", "ដីដែលបានដោះលែងតាមឆ្នាំ"),
        vec![Column::new("year", l.pick("Year", "ឆ្នាំ"), ColumnKind::Text)],
        rows,
        |y| vec![Cell::Text(y.to_string())],
        l,
    );
    t.notes = release_notes(l);
    t
}

/// Hazards and area remaining, by class.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct ByClass {
    /// Suspected hazardous areas (and indications).
    pub sha: u64,
    /// Their remaining area, m².
    pub sha_m2: f64,
    /// Confirmed hazardous areas.
    pub cha: u64,
    /// Their remaining area, m².
    pub cha_m2: f64,
    /// Ammunition storage and EOD spot tasks.
    pub other: u64,
    /// Their remaining area, m².
    pub other_m2: f64,
}

impl ByClass {
    /// Adds a hazard's remaining figures.
    pub fn add(&mut self, s: &HazardState) {
        let (n, m2) = match s.class {
            HazardClass::Sha | HazardClass::Indication => (&mut self.sha, &mut self.sha_m2),
            HazardClass::Cha => (&mut self.cha, &mut self.cha_m2),
            HazardClass::AmmunitionStorage | HazardClass::EodSpotTask => {
                (&mut self.other, &mut self.other_m2)
            }
        };
        *n += 1;
        *m2 += s.remaining_m2;
    }

    /// Adds another total.
    pub fn plus(&mut self, o: &ByClass) {
        self.sha += o.sha;
        self.sha_m2 += o.sha_m2;
        self.cha += o.cha;
        self.cha_m2 += o.cha_m2;
        self.other += o.other;
        self.other_m2 += o.other_m2;
    }

    /// The SHA/CHA cells: number and area of each.
    pub fn sha_cha_cells(&self) -> Vec<Cell> {
        vec![
            Cell::Count(self.sha),
            Cell::Area(self.sha_m2),
            Cell::Count(self.cha),
            Cell::Area(self.cha_m2),
        ]
    }
}

/// The SHA/CHA number and area columns.
pub(crate) fn sha_cha_columns(l: Language) -> Vec<Column> {
    vec![
        Column::new(
            "sha_hazards",
            l.pick("SHA (number)", "តំបន់សង្ស័យ (ចំនួន)"),
            ColumnKind::Count,
        ),
        Column::new(
            "sha_m2",
            l.pick("SHA area (m²)", "ផ្ទៃតំបន់សង្ស័យ (ម²)"),
            ColumnKind::AreaM2,
        ),
        Column::new(
            "cha_hazards",
            l.pick("CHA (number)", "តំបន់បញ្ជាក់ (ចំនួន)"),
            ColumnKind::Count,
        ),
        Column::new(
            "cha_m2",
            l.pick("CHA area (m²)", "ផ្ទៃតំបន់បញ្ជាក់ (ម²)"),
            ColumnKind::AreaM2,
        ),
    ]
}

/// The note on what counts as remaining.
pub(crate) fn remaining_note(l: Language) -> String {
    l.pick(
        "Remaining: hazards not closed or handed over at the as-of date, with the area left \
         after every release approved by then; indications count as SHA. Hazards are not \
         funded by donors, so the donor filter does not change remaining figures.",
        "នៅសល់៖ តំបន់គ្រោះថ្នាក់ដែលមិនទាន់បិទ ឬប្រគល់នៅកាលបរិច្ឆេទរបាយការណ៍ ជាមួយផ្ទៃដីដែលនៅសល់ \
         បន្ទាប់ពីការដោះលែងទាំងអស់ដែលបានអនុម័តនៅពេលនោះ។ ការចង្អុលបង្ហាញត្រូវបានរាប់ជាតំបន់សង្ស័យ។",
    )
    .to_owned()
}

/// [remaining_by_class]
pub(crate) fn remaining_by_class(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut columns = i18n::admin_columns(l);
    columns.extend(sha_cha_columns(l));
    columns.extend([
        Column::new(
            "other_hazards",
            l.pick("Other hazards (number)", "តំបន់គ្រោះថ្នាក់ផ្សេងទៀត (ចំនួន)"),
            ColumnKind::Count,
        ),
        Column::new(
            "other_m2",
            l.pick("Other area (m²)", "ផ្ទៃផ្សេងទៀត (ម²)"),
            ColumnKind::AreaM2,
        ),
        Column::new(
            "total_hazards",
            l.pick("Total hazards (number)", "តំបន់គ្រោះថ្នាក់សរុប (ចំនួន)"),
            ColumnKind::Count,
        ),
        Column::new(
            "total_m2",
            l.pick("Total area remaining (m²)", "ផ្ទៃនៅសល់សរុប (ម²)"),
            ColumnKind::AreaM2,
        ),
    ]);
    let mut t = Table::new(
        "remaining_by_class",
        l.pick(
            "Hazardous areas remaining by class",
            "តំបន់គ្រោះថ្នាក់នៅសល់តាមប្រភេទ",
        ),
        columns,
    );
    let mut rows: BTreeMap<&str, ByClass> = BTreeMap::new();
    for h in snap.hazards.iter().filter(|h| h.is_remaining()) {
        rows.entry(h.pcode()).or_default().add(&h.state);
    }
    let cells = |c: &ByClass| {
        let mut v = c.sha_cha_cells();
        v.extend([
            Cell::Count(c.other),
            Cell::Area(c.other_m2),
            Cell::Count(c.sha + c.cha + c.other),
            Cell::Area(c.sha_m2 + c.cha_m2 + c.other_m2),
        ]);
        v
    };
    let mut total = ByClass::default();
    for (pcode, c) in &rows {
        total.plus(c);
        let mut row = admin_cells(snap, pcode, l);
        row.extend(cells(c));
        t.rows.push(row);
    }
    let mut total_row = vec![Cell::Text(i18n::total(l)), Cell::Empty];
    total_row.extend(cells(&total));
    t.total = Some(total_row);
    t.notes = vec![
        remaining_note(l),
        l.pick(
            "Other: ammunition storage and EOD spot tasks. With an organisation selected, the \
             hazards it reported count.",
            "ផ្សេងទៀត៖ ឃ្លាំងគ្រាប់រំសេវ និងភារកិច្ច EOD ។ នៅពេលជ្រើសរើសអង្គការ \
             តំបន់គ្រោះថ្នាក់ដែលអង្គការនោះបានរាយការណ៍ត្រូវបានរាប់។",
        )
        .to_owned(),
        i18n::admin_note(l),
    ];
    t
}
