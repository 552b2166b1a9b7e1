//! Full validation of a report before it may be submitted: the model's field rules plus the
//! geometry rules (geocheck) of every polygon, each error named by entry and field.

use chrono::NaiveDate;
use geo_types::MultiPolygon;
use safeground_geo::{CheckOptions, Severity};
use safeground_model::{FieldError, Record, ValidationContext, ValidationErrors, area_consistency};

use crate::NewReport;

/// Adds the geocheck errors of `mp`; true when it has none.
fn check_geometry(field: String, mp: &MultiPolygon<f64>, errors: &mut ValidationErrors) -> bool {
    let issues = safeground_geo::check(&safeground_geo::raw_polygons(mp), &CheckOptions::default());
    let mut valid = true;
    for issue in issues.iter().filter(|i| i.severity == Severity::Error) {
        valid = false;
        errors.push(FieldError {
            field: field.clone(),
            message: issue.to_string(),
        });
    }
    valid
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
