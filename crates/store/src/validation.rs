//! Full validation of a report before it may be submitted: the model's field rules plus the
//! geometry rules (geocheck) of every polygon, each error named by entry and field.

use std::collections::VecDeque;
use std::sync::Mutex;

use chrono::NaiveDate;
use geo_types::MultiPolygon;
use safeground_geo::{CheckOptions, Severity};
use safeground_model::{FieldError, Record, ValidationContext, ValidationErrors, area_consistency};

use crate::NewReport;
use crate::engine::stored_record::StoredRecord;

/// A report that passed [`validate_report`], so that the store writes it without checking it a
/// second time (an import checks every record while it plans, on another thread than the one
/// that writes). Only [`ValidReport::check`] makes one. The rules that depend on the day only
/// forbid dates after it, so a report valid on the day it was checked stays valid on every
/// later day; on an earlier one (a clock set back) the store checks it again.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidReport {
    report: NewReport,
    checked_on: NaiveDate,
    /// Each entry's record in its stored form, written while checking (on an import's planning
    /// thread): a bulk writer stores it as the version's record when approval keeps the record
    /// as it is.
    stored: Vec<StoredRecord>,
}

impl ValidReport {
    /// Validates `report` as of `today`: the report, or every error found, each named by entry
    /// and field.
    pub fn check(report: NewReport, today: NaiveDate) -> Result<Self, ValidationErrors> {
        validate_report(&report, today)?;
        let stored = (report.entries.iter().enumerate())
            .map(|(i, e)| {
                StoredRecord::of(&e.record).map_err(|err| {
                    ValidationErrors(vec![FieldError {
                        field: format!("entries[{i}].record"),
                        message: format!("cannot be stored: {err}"),
                    }])
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(ValidReport {
            report,
            checked_on: today,
            stored,
        })
    }

    /// Entry `entry`'s record in its stored form, as written while checking.
    pub(crate) fn stored_record(&self, entry: usize) -> Option<&StoredRecord> {
        self.stored.get(entry)
    }

    /// Bytes of its records in stored form (JSON and WKB): roughly what holding the report
    /// costs, for cutting an import into batches of bounded memory.
    pub fn stored_bytes(&self) -> usize {
        (self.stored.iter())
            .map(|s| s.json.len() + s.geometry.as_ref().map_or(0, Vec::len))
            .sum()
    }

    /// The day it was checked on.
    pub fn checked_on(&self) -> NaiveDate {
        self.checked_on
    }

    /// The report itself.
    pub fn into_report(self) -> NewReport {
        self.report
    }

    /// Whether it is still valid `today`: checked again only when `today` is before the day
    /// it was checked on.
    pub(crate) fn still_valid(&self, today: NaiveDate) -> Result<(), ValidationErrors> {
        if self.checked_on <= today {
            Ok(())
        } else {
            validate_report(&self.report, today)
        }
    }
}

impl std::ops::Deref for ValidReport {
    type Target = NewReport;

    fn deref(&self) -> &NewReport {
        &self.report
    }
}

/// Geometries of at least this many vertices are remembered once proved valid.
const REMEMBERED_FROM_VERTICES: usize = 10_000;
/// How many big valid geometries are remembered (the latest ones).
const REMEMBERED: usize = 8;

/// Big geometries proved valid lately, by the bits of their coordinates: the server checks a
/// report's geometries before it takes the store's single writer ([`check_geometries`]), and
/// the writer's own validation then finds them here instead of checking them again, so one
/// big polygon does not hold every other writer.
static PROVED_VALID: Mutex<VecDeque<Vec<u64>>> = Mutex::new(VecDeque::new());

fn coordinate_bits(raw: &[safeground_geo::RawPolygon]) -> Vec<u64> {
    raw.iter()
        .flatten()
        .flat_map(|ring| {
            std::iter::once(ring.len() as u64)
                .chain(ring.iter().flat_map(|c| [c[0].to_bits(), c[1].to_bits()]))
        })
        .collect()
}

fn proved(raw: &[safeground_geo::RawPolygon]) -> Option<Vec<u64>> {
    if safeground_geo::vertex_count(raw) < REMEMBERED_FROM_VERTICES {
        return None;
    }
    Some(coordinate_bits(raw))
}

/// Adds the geocheck errors of `mp`; true when it has none.
fn check_geometry(field: String, mp: &MultiPolygon<f64>, errors: &mut ValidationErrors) -> bool {
    let raw = safeground_geo::raw_polygons(mp);
    let key = proved(&raw);
    let remembered = |key: &Vec<u64>| {
        PROVED_VALID
            .lock()
            .is_ok_and(|seen| seen.iter().any(|k| k == key))
    };
    if key.as_ref().is_some_and(remembered) {
        return true;
    }
    let issues = safeground_geo::check(&raw, &CheckOptions::default());
    let mut valid = true;
    for issue in issues.iter().filter(|i| i.severity == Severity::Error) {
        valid = false;
        errors.push(FieldError {
            field: field.clone(),
            message: issue.to_string(),
        });
    }
    if let (true, Some(key), Ok(mut seen)) = (valid, key, PROVED_VALID.lock()) {
        if seen.len() == REMEMBERED {
            seen.pop_front();
        }
        seen.push_back(key);
    }
    valid
}

/// Checks the geometries of `report` only (geocheck rules and vertex limit, errors named as
/// [`validate_report`] names them): the costly part of validation, which does not depend on
/// the store, run before taking the store's writer. Valid big geometries are remembered, so
/// that the validation under the writer does not check them again.
pub fn check_geometries(report: &NewReport) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors(Vec::new());
    for (i, entry) in report.entries.iter().enumerate() {
        let record = format!("entries[{i}].record");
        match &entry.record {
            Record::Hazard(h) => {
                if let Some(g) = &h.geometry {
                    check_geometry(format!("{record}.geometry"), g, &mut errors);
                }
            }
            Record::Activity(a) => {
                for (j, r) in a.released_areas.iter().enumerate() {
                    let field = format!("{record}.released_areas[{j}].geometry");
                    check_geometry(field, &r.geometry, &mut errors);
                }
            }
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Validates every entry of `report` as of `today`; errors carry `entries[i].record.field` paths.
pub fn validate_report(report: &NewReport, today: NaiveDate) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors(Vec::new());
    if report.title.trim().is_empty() {
        errors.push(FieldError {
            field: "title".into(),
            message: "is empty; give the report a short title".into(),
        });
    }
    if report.date_of_information > today {
        errors.push(FieldError {
            field: "date_of_information".into(),
            message: format!(
                "{} is in the future (today is {today})",
                report.date_of_information
            ),
        });
    }
    if report.entries.is_empty() {
        errors.push(FieldError {
            field: "entries".into(),
            message: "a report must contain at least one record".into(),
        });
    }
    let ctx = ValidationContext {
        today,
        date_of_information: report.date_of_information,
    };
    for (i, entry) in report.entries.iter().enumerate() {
        let prefix = format!("entries[{i}]");
        // Paths as in the report's JSON: record fields under `entries[i].record`.
        let record = format!("{prefix}.record");
        if let Err(e) = entry.record.validate(&ctx) {
            for fe in e.0 {
                errors.push(FieldError {
                    field: format!("{record}.{}", fe.field),
                    message: fe.message,
                });
            }
        }
        match (&entry.record, &entry.personal_data) {
            (Record::Victim(_), Some(p)) => {
                if let Err(e) = safeground_model::validate_personal_data(p, &ctx) {
                    for fe in e.0 {
                        errors.push(FieldError {
                            field: format!("{prefix}.personal_data.{}", fe.field),
                            message: fe.message,
                        });
                    }
                }
            }
            (_, Some(_)) => errors.push(FieldError {
                field: format!("{prefix}.personal_data"),
                message: "personal data may only be attached to a victim".into(),
            }),
            _ => {}
        }
        match &entry.record {
            Record::Hazard(h) => {
                if let Some(g) = &h.geometry
                    && check_geometry(format!("{record}.geometry"), g, &mut errors)
                {
                    errors.0.extend(area_consistency(
                        &format!("{record}.reported_area_m2"),
                        h.reported_area_m2,
                        safeground_geo::geodesic_area(g),
                    ));
                }
            }
            Record::Activity(a) => {
                for (j, r) in a.released_areas.iter().enumerate() {
                    let field = format!("{record}.released_areas[{j}]");
                    if check_geometry(format!("{field}.geometry"), &r.geometry, &mut errors) {
                        errors.0.extend(area_consistency(
                            &format!("{field}.reported_area_m2"),
                            r.reported_area_m2,
                            safeground_geo::geodesic_area(&r.geometry),
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReportEntry;
    use safeground_model::{Organisation, OrganisationKind};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn a_valid_report_stays_valid_on_later_days_and_is_checked_again_on_earlier_ones() {
        let report = NewReport {
            organisation: None,
            title: "New operator".into(),
            source: None,
            date_of_information: day("2026-01-10"),
            entries: vec![ReportEntry::new(Record::Organisation(Organisation {
                local_id: "ORG-MAG".into(),
                name: "Mines Advisory Group".into(),
                acronym: "MAG".into(),
                organisation_type: OrganisationKind::InternationalNgo,
            }))],
        };
        let refused = ValidReport::check(report.clone(), day("2026-01-09")).expect_err("future");
        assert_eq!(refused.0[0].field, "date_of_information");

        let valid = ValidReport::check(report.clone(), day("2026-01-10")).expect("valid");
        assert_eq!(valid.checked_on(), day("2026-01-10"));
        assert!(valid.still_valid(day("2027-06-01")).is_ok());
        // A clock set back: the date of information is in that day's future.
        let again = valid
            .still_valid(day("2026-01-09"))
            .expect_err("checked again");
        assert_eq!(again.0[0].field, "date_of_information");
        assert_eq!(valid.into_report(), report);
    }

    /// A hazard report whose polygon is a comb of `teeth` teeth (4 · teeth + 3 positions),
    /// tooth `twisted` crossing itself.
    fn comb_report(teeth: usize, twisted: Option<usize>) -> NewReport {
        let (x0, y0, dy) = (103.0, 13.0, 2e-7);
        let y = |k: usize| y0 + k as f64 * dy;
        let mut ring = vec![[x0, y0]];
        for k in 0..teeth {
            let mut tip = [[x0 + 1e-2, y(2 * k)], [x0 + 1e-2, y(2 * k + 1)]];
            if twisted == Some(k) {
                tip.swap(0, 1);
            }
            ring.extend(tip);
            ring.extend([[x0 + 1e-3, y(2 * k + 1)], [x0 + 1e-3, y(2 * k + 2)]]);
        }
        ring.extend([[x0, y(2 * teeth)], [x0, y0]]);
        serde_json::from_value(serde_json::json!({
            "title": "NTS comb", "source": "test", "date_of_information": "2025-03-01",
            "entries": [{ "record": {
                "kind": "hazard", "local_id": "COMB", "name": "Comb", "class": "sha",
                "status": "open", "evidence": ["accident"], "contamination": ["ap_mines"],
                "geometry": { "type": "Polygon", "coordinates": [ring] }
            }}]
        }))
        .expect("a report")
    }

    #[test]
    fn big_geometries_checked_before_writing_are_remembered_when_valid() {
        let raw = |r: &NewReport| match &r.entries[0].record {
            Record::Hazard(h) => h.geometry.as_ref().map(safeground_geo::raw_polygons),
            _ => None,
        };
        let valid = comb_report(3_000, None);
        let key = proved(&raw(&valid).expect("a polygon")).expect("big enough");
        assert!(check_geometries(&valid).is_ok());
        assert!(PROVED_VALID.lock().expect("lock").contains(&key));

        let crossed = comb_report(3_000, Some(100));
        let errors = check_geometries(&crossed).expect_err("crosses itself");
        assert_eq!(errors.0.len(), 1, "{errors:?}");
        assert_eq!(errors.0[0].field, "entries[0].record.geometry");
        assert!(errors.0[0].message.contains("crosses itself"));
        let key = proved(&raw(&crossed).expect("a polygon")).expect("big enough");
        assert!(!PROVED_VALID.lock().expect("lock").contains(&key));
        // Validation proper reaches the same verdicts.
        assert!(validate_report(&crossed, day("2026-01-10")).is_err());
    }
}
