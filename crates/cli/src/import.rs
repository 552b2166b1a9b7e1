//! Hazard import from GeoJSON, GeoPackage or Shapefile: every good feature becomes a submitted report (one transaction for
//! the whole file); every bad feature gets one error line naming the feature and the field.

use std::path::Path;

use chrono::NaiveDate;
use geojson::GeometryValue;
use safeground_geo::{CheckOptions, RawPolygon};
use safeground_model::{Hazard, HazardClass, HazardStatus, Record};
use safeground_store::{NewReport, ReportEntry, validate_report};
use serde_json::{Map, Value};

/// Options of an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Organisation item id to credit the reports to.
    pub organisation: Option<String>,
    /// Date of information when a feature has none.
    pub default_date: NaiveDate,
    /// Today's date (dates after it are refused).
    pub today: NaiveDate,
    /// Repair invalid polygons instead of refusing them.
    pub repair: bool,
    /// The GeoPackage layer to read (default: the first).
    pub layer: Option<String>,
}

/// The outcome of reading a file: reports ready to submit, and one message per bad feature.
#[derive(Debug, Default)]
pub struct ImportPlan {
    /// One report per good feature.
    pub reports: Vec<NewReport>,
    /// One per refused feature.
    pub errors: Vec<Refusal>,
    /// Notes about repaired features and warnings.
    pub notes: Vec<String>,
}

/// A refused feature: which one, and why (the message names the field).
#[derive(Debug, Clone)]
pub struct Refusal {
    /// 1-based position of the feature in the file.
    pub feature: usize,
    /// Its local id, when it has one.
    pub local_id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.local_id {
            Some(id) => write!(f, "feature {} ({id}): {}", self.feature, self.message),
            None => write!(f, "feature {}: {}", self.feature, self.message),
        }
    }
}

impl Refusal {
    /// The refusal as a CSV row: feature, local id, message.
    pub fn csv_row(&self) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        format!(
            "{},{},{}",
            self.feature,
            quote(self.local_id.as_deref().unwrap_or("")),
            quote(&self.message)
        )
    }
}

/// Reads hazard polygons from a GeoJSON FeatureCollection, a GeoPackage layer or a (zipped)
/// Shapefile.
pub fn plan_geojson(
    path: &Path,
    options: &ImportOptions,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<ImportPlan> {
    // GeoJSON, GeoPackage or (zipped) Shapefile, read as GeoJSON features in WGS 84.
    let features = safeground_io::read_features(path, options.layer.as_deref())?;
    let features = &features;
    let source = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut plan = ImportPlan::default();
    bar.set_length(features.len() as u64);
    for (index, feature) in features.iter().enumerate() {
        bar.inc(1);
        let n = index + 1;
        let label = feature_label(n, feature);
        match feature_report(feature, n, source.as_deref(), options) {
            Ok((report, notes)) => {
                plan.notes
                    .extend(notes.into_iter().map(|note| format!("{label}: {note}")));
                plan.reports.push(report);
            }
            Err(message) => plan.errors.push(Refusal {
                feature: n,
                local_id: properties(feature).and_then(|p| text(p, &["local_id", "id"])),
                message,
            }),
        }
    }
    Ok(plan)
}

fn feature_label(n: usize, feature: &Value) -> String {
    match properties(feature).and_then(|p| text(p, &["local_id", "id"])) {
        Some(id) => format!("feature {n} ({id})"),
        None => format!("feature {n}"),
    }
}

fn properties(feature: &Value) -> Option<&Map<String, Value>> {
    feature.get("properties").and_then(Value::as_object)
}

fn text(props: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match props.get(*k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

fn parsed<T: std::str::FromStr>(
    props: &Map<String, Value>,
    keys: &[&str],
    default: T,
) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    match text(props, keys) {
        None => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|e| format!("property `{}`: {e}", keys[0])),
    }
}

fn raw_polygons(geometry: &Value) -> Result<Vec<RawPolygon>, String> {
    let geometry: geojson::Geometry = serde_json::from_value(geometry.clone())
        .map_err(|e| format!("geometry: not a valid GeoJSON geometry ({e})"))?;
    let ring = |r: &Vec<geojson::Position>| -> Vec<[f64; 2]> {
        r.iter()
            .map(|p| {
                let s = p.as_slice();
                [
                    s.first().copied().unwrap_or(f64::NAN),
                    s.get(1).copied().unwrap_or(f64::NAN),
                ]
            })
            .collect()
    };
    match &geometry.value {
        GeometryValue::Polygon { coordinates } => Ok(vec![coordinates.iter().map(ring).collect()]),
        GeometryValue::MultiPolygon { coordinates } => Ok(coordinates
            .iter()
            .map(|p| p.iter().map(ring).collect())
            .collect()),
        other => Err(format!(
            "geometry: a hazard needs a Polygon or MultiPolygon, not a {}",
            other.type_name()
        )),
    }
}

fn feature_report(
    feature: &Value,
    n: usize,
    source: Option<&str>,
    options: &ImportOptions,
) -> Result<(NewReport, Vec<String>), String> {
    if feature.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err("not a GeoJSON Feature (missing \"type\": \"Feature\")".into());
    }
    let empty = Map::new();
    let props = properties(feature).unwrap_or(&empty);
    let local_id = text(props, &["local_id", "id"])
        .or_else(|| {
            feature
                .get("id")
                .and_then(|v| v.as_str().map(str::to_owned))
        })
        .unwrap_or_else(|| format!("{}#{n}", source.unwrap_or("import")));
    let geometry_value = match feature.get("geometry") {
        None | Some(Value::Null) => {
            return Err("geometry: is null; a hazard polygon is required".into());
        }
        Some(g) => g,
    };
    let raw = raw_polygons(geometry_value)?;
    let mut notes = Vec::new();
    let geometry = match safeground_geo::validated_multipolygon(&raw, &CheckOptions::default()) {
        Ok((mp, warnings)) => {
            notes.extend(warnings.iter().map(|w| format!("warning: {w}")));
            mp
        }
        Err(issues) if options.repair => {
            let repaired = safeground_geo::repair(&raw)
                .map_err(|e| format!("geometry: {} (repair failed: {e})", join_issues(&issues)))?;
            notes.extend(repaired.actions.iter().map(|a| format!("repaired: {a}")));
            repaired.geometry
        }
        Err(issues) => {
            return Err(format!(
                "geometry: {} (re-run with --repair to fix it automatically)",
                join_issues(&issues)
            ));
        }
    };
    let date = match text(props, &["date_of_information", "date"]) {
        None => options.default_date,
        Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| {
            format!("property `date_of_information`: `{s}` is not a date YYYY-MM-DD")
        })?,
    };
    let hazard = Hazard {
        name: text(props, &["name"]).unwrap_or_else(|| local_id.clone()),
        local_id,
        class: parsed(props, &["class", "hazard_class"], HazardClass::Sha)?,
        status: parsed(props, &["status"], HazardStatus::Open)?,
        status_change: None,
        organisation: options.organisation.clone(),
        admin_pcode: text(props, &["admin_pcode", "pcode"]),
        evidence: Vec::new(),
        contamination: contamination(props)?,
        reported_area_m2: match props.get("reported_area_m2") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_f64()
                    .ok_or("property `reported_area_m2`: must be a number of square metres")?,
            ),
        },
        first_recorded: None,
        geometry: Some(geometry),
        comment: text(props, &["comment"]),
    };
    let report = NewReport {
        organisation: options.organisation.clone(),
        title: format!("Hazard {} ({})", hazard.name, hazard.class.label()),
        source: Some(format!("{}#{n}", source.unwrap_or("import"))),
        date_of_information: date,
        entries: vec![ReportEntry::new(Record::Hazard(hazard))],
    };
    validate_report(&report, options.today).map_err(|e| {
        e.0.iter()
            .map(|fe| {
                format!(
                    "{}: {}",
                    fe.field.trim_start_matches("entries[0].record."),
                    fe.message
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    if let Record::Hazard(h) = &report.entries[0].record
        && let (Some(reported), Some(g)) = (h.reported_area_m2, &h.geometry)
    {
        let computed = safeground_geo::geodesic_area(g);
        if computed > 0.0 && (reported / computed - 1.0).abs() > DIVERGENCE_WARNING {
            notes.push(format!(
                "warning: reported area {reported:.0} m² differs from the polygon's {computed:.0} m² by {:.0} %",
                (reported / computed - 1.0) * 100.0
            ));
        }
    }
    Ok((report, notes))
}

/// Relative difference between reported and computed area worth a warning (reference §2.16).
const DIVERGENCE_WARNING: f64 = 0.10;

fn contamination(
    props: &Map<String, Value>,
) -> Result<Vec<safeground_model::ContaminationType>, String> {
    let values: Vec<String> = match props.get("contamination") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => s.split(',').map(|p| p.trim().to_owned()).collect(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect(),
        Some(other) => {
            return Err(format!(
                "property `contamination`: expected text or a list, got {other}"
            ));
        }
    };
    values
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse()
                .map_err(|e| format!("property `contamination`: {e}"))
        })
        .collect()
}

fn join_issues(issues: &[safeground_geo::GeometryIssue]) -> String {
    issues
        .iter()
        .filter(|i| i.severity == safeground_geo::Severity::Error)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
