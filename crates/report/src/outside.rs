//! Land released outside recorded hazards: the part of each released polygon that lies outside
//! every hazard its activity is linked to (the whole polygon when it names none). The
//! hazard-based land-release figures credit a hazard only with the part inside it, so without
//! this table such land appears in no figure.

use geo_types::MultiPolygon;
use safeground_model::{Activity, ActivityStatus, ReleaseMethod};

use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{ReportError, ReportParams, i18n};

/// Land outside hazards of this area or less only touches them (shared edges, rounded
/// corners), the tolerance that links released land to hazards and closes them.
pub const OUTSIDE_TOLERANCE_M2: f64 = 1.0;

/// Land released outside recorded hazards by one method (or all of them).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct OutsideByMethod {
    /// Area released outside every linked hazard, m².
    pub area_m2: f64,
    /// Activities that released more than [`OUTSIDE_TOLERANCE_M2`] outside them.
    pub activities: u64,
    /// Activities whose land released (by this method) lies entirely outside them.
    pub entirely_outside: u64,
}

/// Land released outside recorded hazards, by method and in all.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct ReleasedOutsideHazards {
    /// Cancelled.
    pub cancelled: OutsideByMethod,
    /// Reduced.
    pub reduced: OutsideByMethod,
    /// Cleared.
    pub cleared: OutsideByMethod,
    /// Every method (an activity counted once).
    pub total: OutsideByMethod,
}

/// The hazards an activity is linked to: `hazard`, then `hazards`.
pub fn linked_hazards(activity: &Activity) -> impl Iterator<Item = &str> {
    activity
        .hazard
        .as_deref()
        .into_iter()
        .chain(activity.hazards.iter().map(String::as_str))
}

/// Released and outside areas, m².
#[derive(Default, Clone, Copy)]
struct Parts {
    released: f64,
    outside: f64,
}

impl Parts {
    /// Adds one activity's parts (outside already 0 when within the tolerance).
    fn count_in(self, m: &mut OutsideByMethod) {
        m.area_m2 += self.outside;
        if self.outside > 0.0 {
            m.activities += 1;
            if self.outside >= self.released - OUTSIDE_TOLERANCE_M2 {
                m.entirely_outside += 1;
            }
        }
    }
}

impl ReleasedOutsideHazards {
    /// Adds the land `activity` released outside `hazards` (the shapes of the hazards it is
    /// linked to): for each released polygon, released − ⋃ hazards. Planned and aborted
    /// activities release nothing; an activity's land outside them of at most
    /// [`OUTSIDE_TOLERANCE_M2`] (per method) counts as none.
    pub fn add(
        &mut self,
        activity: &Activity,
        hazards: &[&MultiPolygon<f64>],
    ) -> Result<(), ReportError> {
        if matches!(
            activity.status,
            ActivityStatus::Planned | ActivityStatus::Aborted
        ) {
            return Ok(());
        }
        let mut by_method = [Parts::default(); 3];
        for r in &activity.released_areas {
            let released = safeground_geo::geodesic_area(&r.geometry);
            let outside = safeground_geo::remaining_area(&r.geometry, hazards).map_err(|e| {
                ReportError::Inconsistent(format!(
                    "the land released by {} cannot be compared with its hazards: {e}",
                    activity.local_id
                ))
            })?;
            let p = &mut by_method[method_index(r.method)];
            p.released += released;
            p.outside += outside.min(released);
        }
        let mut all = Parts::default();
        for (p, m) in
            by_method
                .iter_mut()
                .zip([&mut self.cancelled, &mut self.reduced, &mut self.cleared])
        {
            if p.outside <= OUTSIDE_TOLERANCE_M2 {
                p.outside = 0.0;
            }
            all.released += p.released;
            all.outside += p.outside;
            p.count_in(m);
        }
        all.count_in(&mut self.total);
        Ok(())
    }

    /// The figures of one method.
    pub fn method(&self, m: ReleaseMethod) -> &OutsideByMethod {
        match m {
            ReleaseMethod::Cancelled => &self.cancelled,
            ReleaseMethod::Reduced => &self.reduced,
            ReleaseMethod::Cleared => &self.cleared,
        }
    }
}

fn method_index(m: ReleaseMethod) -> usize {
    match m {
        ReleaseMethod::Cancelled => 0,
        ReleaseMethod::Reduced => 1,
        ReleaseMethod::Cleared => 2,
    }
}

/// [land_release_outside_hazards]: one row per method, then the total.
pub(crate) fn table(outside: &ReleasedOutsideHazards, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "land_release_outside_hazards",
        l.pick(
            "Land released outside recorded hazards",
            "ដីដែលបានដោះលែងនៅក្រៅតំបន់គ្រោះថ្នាក់ដែលបានកត់ត្រា",
        ),
        vec![
            Column::new("method", l.pick("Method", "វិធីសាស្ត្រ"), ColumnKind::Text),
            Column::new(
                "outside_m2",
                l.pick(
                    "Released outside hazards (m²)",
                    "បានដោះលែងនៅក្រៅតំបន់គ្រោះថ្នាក់ (ម²)",
                ),
                ColumnKind::AreaM2,
            ),
            Column::new(
                "activities",
                l.pick(
                    "Activities releasing land outside hazards",
                    "សកម្មភាពដែលដោះលែងដីនៅក្រៅតំបន់គ្រោះថ្នាក់",
                ),
                ColumnKind::Count,
            ),
            Column::new(
                "entirely_outside",
                l.pick(
                    "Of which entirely outside any hazard",
                    "ក្នុងនោះនៅក្រៅតំបន់គ្រោះថ្នាក់ទាំងស្រុង",
                ),
                ColumnKind::Count,
            ),
        ],
    );
    let cells = |m: &OutsideByMethod| {
        vec![
            Cell::Area(m.area_m2),
            Cell::Count(m.activities),
            Cell::Count(m.entirely_outside),
        ]
    };
    for (method, en, km) in [
        (ReleaseMethod::Cancelled, "Cancelled", "បានលុបចោល"),
        (ReleaseMethod::Reduced, "Reduced", "បានកាត់បន្ថយ"),
        (ReleaseMethod::Cleared, "Cleared", "បានបោសសម្អាត"),
    ] {
        let mut row = vec![Cell::Text(l.pick(en, km).to_owned())];
        row.extend(cells(outside.method(method)));
        t.rows.push(row);
    }
    let mut total = vec![Cell::Text(i18n::total(l))];
    total.extend(cells(&outside.total));
    t.total = Some(total);
    t.notes = vec![
        l.pick(
            "Each released polygon counts with the part of it outside every hazard its activity \
             is linked to (the whole polygon when the activity names no hazard); parts of at \
             most 1 m² per activity and method only touch a hazard and count as none.",
            "ដីដែលបានដោះលែងនីមួយៗ ត្រូវបានរាប់តែផ្នែកដែលនៅក្រៅតំបន់គ្រោះថ្នាក់ទាំងអស់ដែលសកម្មភាពភ្ជាប់ \
             (ទាំងមូល នៅពេលសកម្មភាពមិនបញ្ជាក់តំបន់គ្រោះថ្នាក់)។ ផ្នែកតូចជាង ឬស្មើ 1 ម² មិនត្រូវបានរាប់ទេ។",
        )
        .to_owned(),
        l.pick(
            "The period applies to the date of information of the activity report; the admin \
             area is the activity's (or its first hazard's); with an organisation or a donor \
             selected, only the activities it carried out or funded count.",
            "រយៈពេលអនុវត្តលើកាលបរិច្ឆេទព័ត៌មាននៃរបាយការណ៍សកម្មភាព។ តំបន់រដ្ឋបាលគឺរបស់សកម្មភាព \
             (ឬតំបន់គ្រោះថ្នាក់ទីមួយរបស់វា)។ នៅពេលជ្រើសរើសអង្គការ ឬម្ចាស់ជំនួយ មានតែសកម្មភាពដែលអង្គការនោះបានអនុវត្ត \
             ឬម្ចាស់ជំនួយនោះបានឧបត្ថម្ភប៉ុណ្ណោះដែលត្រូវបានរាប់។",
        )
        .to_owned(),
    ];
    t
}
