//! Field-level validation errors (reference §6): every error names the field it is about.

use chrono::NaiveDate;
use geo_types::Point;

/// What the rules need to know besides the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidationContext {
    /// Today (no date may be later).
    pub today: NaiveDate,
    /// The report's date of information (no event may be later).
    pub date_of_information: NaiveDate,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the field: `released_areas[1].reported_area_m2`.
    pub field: String,
    /// What is wrong and what is expected.
    pub message: String,
}

/// All broken rules of a record; displays one line per error (`field: message`).
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
#[error("{}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("\n"))]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// No errors.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds an error.
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Adds an error on `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// `Ok` when empty.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    pub(crate) fn require(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(field, "is required");
        }
    }

    pub(crate) fn area(&mut self, field: &str, value: Option<f64>) {
        if let Some(v) = value
            && !(v.is_finite() && v >= 0.0)
        {
            self.add(field, format!("{v} is not an area; give square metres ≥ 0"));
        }
    }

    pub(crate) fn not_after(
        &mut self,
        field: &str,
        date: Option<NaiveDate>,
        limit: NaiveDate,
        what: &str,
    ) {
        if let Some(d) = date
            && d > limit
        {
            self.add(field, format!("{d} is after {what} ({limit})"));
        }
    }

    pub(crate) fn point(&mut self, field: &str, p: Option<Point<f64>>) {
        if let Some(p) = p
            && !((-180.0..=180.0).contains(&p.x()) && (-90.0..=90.0).contains(&p.y()))
        {
            self.add(
                field,
                format!(
                    "({}, {}) is not a WGS 84 longitude, latitude (swapped?)",
                    p.x(),
                    p.y()
                ),
            );
        }
    }
}

/// Reported areas outside this factor of the computed area are refused as probable unit
/// mistakes (hectares or km² written as m²).
pub const AREA_MISMATCH_FACTOR: f64 = 2.0;

/// Area consistency (reference §6.2): the area written on a form against the geodesic area of
/// its polygon. A report more than [`AREA_MISMATCH_FACTOR`] times larger or smaller is refused
/// with an error naming `field`.
pub fn area_consistency(
    field: &str,
    reported_m2: Option<f64>,
    computed_m2: f64,
) -> Option<FieldError> {
    let reported = reported_m2?;
    if !(reported.is_finite() && computed_m2.is_finite()) || computed_m2 <= 0.0 || reported <= 0.0 {
        return None;
    }
    let ratio = reported / computed_m2;
    (!(1.0 / AREA_MISMATCH_FACTOR..=AREA_MISMATCH_FACTOR).contains(&ratio)).then(|| FieldError {
        field: field.to_owned(),
        message: format!(
            "{reported:.0} m² is {ratio:.2} times the polygon's computed area of {computed_m2:.0} m²; \
             check the unit (square metres) or the polygon"
        ),
    })
}
