//! Field-level validation errors (reference §6): every error names the field it is about.

use chrono::NaiveDate;
use geo_types::{MultiPolygon, Point};
use serde::{Deserialize, Serialize};

/// What the rules need to know besides the record (reference §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationContext {
    /// Today (no date may be later).
    pub today: NaiveDate,
    /// The report's date of information (no event may be later).
    pub date_of_information: NaiveDate,
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Path of the field: `released_areas[1].reported_area_m2`.
    pub field: String,
    /// What is wrong and what is expected.
    pub message: String,
}

/// All broken rules of a record; displays one line per error (`field: message`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, thiserror::Error)]
#[serde(transparent)]
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

    /// A record's local id (reference §6.4: required and trimmed).
    pub(crate) fn require_id(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(field, "is required");
        } else if value.trim() != value {
            self.add(
                field,
                format!("`{value}` has leading or trailing spaces; ids must be trimmed"),
            );
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

    /// Every vertex of a multipolygon must be a WGS 84 longitude, latitude; the first one that
    /// is not is reported (validity and area are the geometry crate's, reference §6.1).
    pub(crate) fn multipolygon(&mut self, field: &str, mp: Option<&MultiPolygon<f64>>) {
        let bad = mp.into_iter().flat_map(|mp| &mp.0).find_map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .flat_map(|r| &r.0)
                .find(|c| !in_wgs84(Point(**c)))
        });
        if let Some(c) = bad {
            self.add(
                field,
                format!(
                    "vertex ({}, {}) is not a WGS 84 longitude, latitude (swapped, or projected coordinates?)",
                    c.x, c.y
                ),
            );
        }
    }
}

fn in_wgs84(p: Point<f64>) -> bool {
    (-180.0..=180.0).contains(&p.x()) && (-90.0..=90.0).contains(&p.y())
}

impl FieldError {
    /// An error on `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl ValidationErrors {
    /// The errors on `field`.
    pub fn on<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a FieldError> + 'a {
        self.0.iter().filter(move |e| e.field == field)
    }

    /// Number of errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Prefixes every field path with `prefix` ("entries[3]." + "end_date").
    pub fn prefixed(mut self, prefix: &str) -> Self {
        for e in &mut self.0 {
            e.field = format!("{prefix}{}", e.field);
        }
        self
    }
}

impl IntoIterator for ValidationErrors {
    type Item = FieldError;
    type IntoIter = std::vec::IntoIter<FieldError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Extend<FieldError> for ValidationErrors {
    fn extend<I: IntoIterator<Item = FieldError>>(&mut self, iter: I) {
        self.0.extend(iter);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_push_and_prefix() {
        let mut e = ValidationErrors::default();
        assert!(e.is_empty());
        e.push(FieldError::new("quantity", "must be at least 1"));
        e.add("end_date", "is before the start date");
        assert_eq!(e.len(), 2);
        assert_eq!(
            e.to_string(),
            "quantity: must be at least 1\nend_date: is before the start date"
        );
        assert_eq!(e.on("end_date").count(), 1);
        let p = e.clone().prefixed("entries[2].");
        assert_eq!(
            p.0[0].to_string(),
            "entries[2].quantity: must be at least 1"
        );
        let as_error: Box<dyn std::error::Error> = Box::new(e.clone());
        assert!(as_error.to_string().starts_with("quantity"));
        let json = serde_json::to_string(&e).expect("json");
        assert_eq!(
            serde_json::from_str::<ValidationErrors>(&json).ok(),
            Some(e)
        );
    }

    #[test]
    fn area_consistency_flags_unit_mistakes() {
        assert!(area_consistency("reported_area_m2", Some(1_000.0), 1_100.0).is_none());
        let e = area_consistency("reported_area_m2", Some(10.0), 100_000.0).expect("flag");
        assert_eq!(e.field, "reported_area_m2");
        assert!(area_consistency("x", None, 5.0).is_none());
    }
}
