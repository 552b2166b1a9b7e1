//! One source record → one report: the mapping's fields evaluated, the records read as
//! Safeground records, the report validated; or a refusal naming the record, the field, the
//! column and the reason.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use safeground_geo::RepairOptions;
use safeground_model::{ItemKind, Record, VictimPersonalData};
use safeground_store::{NewReport, ReportEntry, ValidReport};
use serde_json::{Map, Value};

use crate::coords;
use crate::mapping::{FieldSpec, Mapping};
use crate::value::{self, FieldProblem, Scope, text};

/// Settings of the build that do not come from the mapping.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Organisation item id or local id credited when the mapping gives none.
    pub organisation: Option<String>,
    /// Date of information when the mapping gives none.
    pub default_date: NaiveDate,
    /// Today (dates after it are refused).
    pub today: NaiveDate,
    /// Repair invalid polygons instead of refusing them.
    pub repair: bool,
    /// The largest change of a polygon's area a repair may make, in percent of the area as
    /// drawn (1 by default; a larger change refuses the record with the figures).
    pub repair_max_area_change_percent: f64,
    /// The source file's name, for report sources and default local ids.
    pub source_name: String,
}

/// A record that could not be imported (or was left out as a duplicate).
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// Where it is in the source ("row 12").
    pub record: String,
    /// Its local id, when known.
    pub local_id: Option<String>,
    /// The Safeground field concerned (`class`, `released_areas[0].geometry`).
    pub field: Option<String>,
    /// The source column concerned.
    pub column: Option<String>,
    /// What is wrong, and what to do.
    pub reason: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.record)?;
        if let Some(id) = &self.local_id {
            write!(f, " ({id})")?;
        }
        f.write_str(": ")?;
        match (&self.field, &self.column) {
            (Some(field), Some(col)) => write!(f, "{field} (column `{col}`): ")?,
            (Some(field), None) => write!(f, "{field}: ")?,
            (None, Some(col)) => write!(f, "column `{col}`: ")?,
            (None, None) => {}
        }
        f.write_str(&self.reason)
    }
}

impl Refusal {
    /// The header of [`Refusal::csv_row`].
    pub const CSV_HEADER: &'static str = "record,local_id,field,column,reason";

    /// The refusal as a CSV row.
    pub fn csv_row(&self) -> String {
        let q = |s: Option<&str>| format!("\"{}\"", s.unwrap_or("").replace('"', "\"\""));
        [
            q(Some(&self.record)),
            q(self.local_id.as_deref()),
            q(self.field.as_deref()),
            q(self.column.as_deref()),
            q(Some(&self.reason)),
        ]
        .join(",")
    }
}

/// What one source record gives.
#[derive(Debug, Clone)]
pub enum Built {
    /// A report, validated, with notes (warnings, repairs).
    Report(Box<ValidReport>, Vec<String>),
    /// Left out by the mapping's `skip` rule.
    Skipped,
    /// Refused.
    Refused(Refusal),
}

/// Where each record field came from: field path → column.
type Origins = HashMap<String, Option<String>>;

struct Failure {
    field: String,
    problem: FieldProblem,
}

fn set_path(obj: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            obj.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = obj
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            if let Value::Object(m) = child {
                set_path(m, rest, value);
            }
        }
    }
}

/// What filling fields collects besides the values: repairs allowed, notes made, and a
/// hazard's polygons.
struct Notes {
    repair: Option<RepairOptions>,
    lines: Vec<String>,
    held: HeldGeometry,
}

/// A hazard's polygons, held typed beside its JSON and put into the record once it is read
/// (rather than written out as GeoJSON only to be parsed again).
#[derive(Default)]
struct HeldGeometry {
    /// Hold the main record's `geometry` field (a hazard's; no other record has a top-level
    /// polygon field).
    active: bool,
    polygons: Option<geo_types::MultiPolygon<f64>>,
}

fn fill(
    obj: &mut Map<String, Value>,
    specs: &BTreeMap<String, FieldSpec>,
    scope: &Scope<'_>,
    geometry: Option<&Value>,
    prefix: &str,
    origins: &mut Origins,
    notes: &mut Notes,
) -> Result<(), Failure> {
    for (field, spec) in specs {
        let rule = spec.rule();
        let path = format!("{prefix}{field}");
        let fail = |problem: FieldProblem| Failure {
            field: path.clone(),
            problem,
        };
        let value = match rule.geometry {
            Some(source) => {
                let g = coords::evaluate(&rule, source, scope, geometry).map_err(fail)?;
                match g {
                    Some(g) => {
                        let problem = |message| {
                            fail(FieldProblem {
                                column: None,
                                message,
                            })
                        };
                        let (g, more) =
                            coords::finish(&g, notes.repair.as_ref()).map_err(problem)?;
                        notes
                            .lines
                            .extend(more.into_iter().map(|n| format!("{path}: {n}")));
                        match g {
                            coords::Finished::Polygons(mp)
                                if notes.held.active
                                    && prefix.is_empty()
                                    && field == "geometry" =>
                            {
                                notes.held.polygons = Some(mp);
                                None
                            }
                            g => Some(g.into_value().map_err(problem)?),
                        }
                    }
                    None if rule.required => {
                        return Err(fail(FieldProblem {
                            column: None,
                            message: "the record has no geometry, and one is required".into(),
                        }));
                    }
                    None => None,
                }
            }
            None => value::evaluate(&rule, scope).map_err(fail)?,
        };
        let column = rule
            .column
            .as_ref()
            .and_then(|names| value::column(scope, names).map(|(c, _)| c));
        origins.insert(path, column);
        if let Some(v) = value {
            set_path(obj, field, v);
        }
    }
    Ok(())
}

/// The list at a dotted `path`, taken out (empty if there is none).
fn take_list(obj: &mut Map<String, Value>, path: &str) -> Vec<Value> {
    let found = match path.split_once('.') {
        None => obj.get_mut(path),
        Some((head, rest)) => match obj.get_mut(head) {
            Some(Value::Object(m)) => return take_list(m, rest),
            _ => None,
        },
    };
    match found.map(Value::take) {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    }
}

fn repeat<'a>(props: &'a Map<String, Value>, name: &str) -> Vec<&'a Map<String, Value>> {
    match value::lookup(props, name) {
        Some((_, Value::Array(items))) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

/// Reads a record of `kind` from its JSON, naming the failing field. (Deserialising the
/// concrete type, not the tagged [`Record`], keeps the path of the failing field.)
fn record_from(kind: ItemKind, json: Value) -> Result<Record, (String, String)> {
    fn read<T: serde::de::DeserializeOwned>(json: Value) -> Result<T, (String, String)> {
        serde_path_to_error::deserialize::<_, T>(json).map_err(|e| {
            let path = e.path().to_string();
            let message = e.inner().to_string();
            let field = if path == "." || path.is_empty() {
                // `missing field `name``: the field is in the message.
                message
                    .split('`')
                    .nth(1)
                    .map(str::to_owned)
                    .unwrap_or_else(|| "record".into())
            } else {
                path
            };
            (field, message)
        })
    }
    Ok(match kind {
        ItemKind::Organisation => Record::Organisation(read(json)?),
        ItemKind::Team => Record::Team(read(json)?),
        ItemKind::AdminArea => Record::AdminArea(read(json)?),
        ItemKind::Hazard => Record::Hazard(read(json)?),
        ItemKind::Activity => Record::Activity(read(json)?),
        ItemKind::EoFind => Record::EoFind(read(json)?),
        ItemKind::Accident => Record::Accident(read(json)?),
        ItemKind::Victim => Record::Victim(read(json)?),
        ItemKind::RiskEducation => Record::RiskEducation(read(json)?),
        ItemKind::QaVisit => Record::QaVisit(read(json)?),
        ItemKind::Assistance => Record::Assistance(read(json)?),
    })
}

/// Builds the report of one source record.
pub fn build(mapping: &Mapping, options: &BuildOptions, label: &str, feature: &Value) -> Built {
    let empty = Map::new();
    let props = feature
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (col, values) in &mapping.skip {
        if let Some((_, v)) = value::lookup(props, col)
            && values.iter().any(|x| x.eq_ignore_ascii_case(&text(v)))
        {
            return Built::Skipped;
        }
    }
    let geometry = feature.get("geometry");
    let scope = Scope {
        props,
        parent: None,
        index: 1,
        label,
    };
    let mut refusal = Refusal {
        record: label.to_owned(),
        local_id: None,
        field: None,
        column: None,
        reason: String::new(),
    };
    let refuse = |mut r: Refusal, field: Option<String>, column: Option<String>, reason: String| {
        r.field = field;
        r.column = column;
        r.reason = reason;
        Built::Refused(r)
    };

    // The main record.
    let mut obj = Map::new();
    if mapping.passthrough {
        for (k, v) in props {
            if !v.is_null() && !mapping.fields.contains_key(k) {
                obj.insert(k.clone(), v.clone());
            }
        }
    }
    if let Some(spec) = mapping.fields.get(local_id_field(mapping)) {
        refusal.local_id = value::evaluate(&spec.rule(), &scope)
            .ok()
            .flatten()
            .map(|v| text(&v));
    }
    let mut origins = Origins::new();
    let mut notes = Notes {
        repair: options.repair.then_some(RepairOptions {
            max_area_change_percent: options.repair_max_area_change_percent,
        }),
        lines: Vec::new(),
        held: HeldGeometry {
            active: mapping.kind == ItemKind::Hazard,
            polygons: None,
        },
    };
    if let Err(f) = fill(
        &mut obj,
        &mapping.fields,
        &scope,
        geometry,
        "",
        &mut origins,
        &mut notes,
    ) {
        return refuse(refusal, Some(f.field), f.problem.column, f.problem.message);
    }
    notes.held.active = false;
    if !obj.contains_key(local_id_field(mapping)) {
        let fallback = feature
            .get("id")
            .map(text)
            .unwrap_or_else(|| format!("{}#{label}", options.source_name));
        obj.insert(local_id_field(mapping).to_owned(), Value::String(fallback));
    }
    refusal.local_id = obj.get(local_id_field(mapping)).map(text);
    for list in &mapping.lists {
        let elements: Vec<Scope<'_>> = match &list.repeat {
            Some(name) => repeat(props, name)
                .into_iter()
                .enumerate()
                .map(|(i, p)| Scope {
                    props: p,
                    parent: Some(props),
                    index: i + 1,
                    label,
                })
                .collect(),
            None => vec![scope],
        };
        // Several lists may fill one target (one beneficiary cell each): they add up.
        let mut items = take_list(&mut obj, &list.target);
        let offset = items.len();
        for (i, element) in elements.iter().enumerate() {
            let mut item = Map::new();
            let own_geometry = if list.repeat.is_some() {
                None
            } else {
                geometry
            };
            if let Err(f) = fill(
                &mut item,
                &list.fields,
                element,
                own_geometry,
                &format!("{}[{}].", list.target, offset + i),
                &mut origins,
                &mut notes,
            ) {
                return refuse(refusal, Some(f.field), f.problem.column, f.problem.message);
            }
            items.push(Value::Object(item));
        }
        set_path(&mut obj, &list.target, Value::Array(items));
    }
    let mut main = match record_from(mapping.kind, Value::Object(obj)) {
        Ok(r) => r,
        Err((field, message)) => {
            let column = origins.get(&field).cloned().flatten();
            return refuse(refusal, Some(field), column, message);
        }
    };
    if let (Record::Hazard(h), Some(mp)) = (&mut main, notes.held.polygons.take()) {
        h.geometry = Some(mp);
    }

    // Entries from repeat groups.
    let mut entries = vec![ReportEntry::new(main)];
    let mut entry_origins = vec![origins];
    for spec in &mapping.entries {
        for (i, element) in repeat(props, &spec.repeat).into_iter().enumerate() {
            let child = Scope {
                props: element,
                parent: Some(props),
                index: i + 1,
                label,
            };
            let prefix = format!("{}[{i}].", spec.repeat);
            let mut obj = Map::new();
            let mut origins = Origins::new();
            if let Err(f) = fill(
                &mut obj,
                &spec.fields,
                &child,
                None,
                "",
                &mut origins,
                &mut notes,
            ) {
                let field = format!("{prefix}{}", f.field);
                return refuse(refusal, Some(field), f.problem.column, f.problem.message);
            }
            let record = match record_from(spec.kind, Value::Object(obj)) {
                Ok(r) => r,
                Err((field, message)) => {
                    let column = origins.get(&field).cloned().flatten();
                    return refuse(refusal, Some(format!("{prefix}{field}")), column, message);
                }
            };
            let mut entry = ReportEntry::new(record);
            if !spec.personal_data.is_empty() {
                let mut pd = Map::new();
                if let Err(f) = fill(
                    &mut pd,
                    &spec.personal_data,
                    &child,
                    None,
                    "",
                    &mut origins,
                    &mut notes,
                ) {
                    let field = format!("{prefix}personal_data.{}", f.field);
                    return refuse(refusal, Some(field), f.problem.column, f.problem.message);
                }
                if pd.get("full_name").is_some_and(|v| !text(v).is_empty()) {
                    match serde_path_to_error::deserialize::<_, VictimPersonalData>(Value::Object(
                        pd,
                    )) {
                        Ok(p) => entry.personal_data = Some(p),
                        Err(e) => {
                            let field = format!("{prefix}personal_data.{}", e.path());
                            return refuse(refusal, Some(field), None, e.inner().to_string());
                        }
                    }
                }
            }
            entries.push(entry);
            entry_origins.push(origins);
        }
    }

    // The report.
    let date = match &mapping.report.date_of_information {
        None => Ok(None),
        Some(spec) => {
            let mut rule = spec.rule().into_owned();
            rule.value_type = Some(crate::mapping::ValueType::Date);
            value::evaluate(&rule, &scope)
        }
    };
    let date = match date {
        Ok(Some(Value::String(d))) => match NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => options.default_date,
        },
        Ok(_) => options.default_date,
        Err(p) => {
            return refuse(
                refusal,
                Some("date_of_information".into()),
                p.column,
                p.message,
            );
        }
    };
    let organisation = match &mapping.report.organisation {
        None => Ok(None),
        Some(spec) => value::evaluate(&spec.rule(), &scope),
    };
    let organisation = match organisation {
        Ok(v) => v.map(|v| text(&v)).or_else(|| options.organisation.clone()),
        Err(p) => return refuse(refusal, Some("organisation".into()), p.column, p.message),
    };
    let title = match &mapping.title {
        Some(t) => value::template(&scope, t).unwrap_or_else(|_| t.clone()),
        None => format!(
            "{} {}",
            mapping.kind.label(),
            refusal.local_id.as_deref().unwrap_or(label)
        ),
    };
    let report = NewReport {
        organisation,
        title,
        source: Some(format!("{}#{label}", options.source_name)),
        date_of_information: date,
        entries,
    };
    let report = match ValidReport::check(report, options.today) {
        Ok(report) => report,
        Err(errors) => {
            let first = &errors.0[0];
            let (entry, field) = split_entry_path(&first.field);
            let column = entry
                .and_then(|i| entry_origins.get(i))
                .and_then(|o| o.get(&field).cloned().flatten());
            // The first field is named by the refusal; further ones in the reason.
            let reason = errors
                .0
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let (_, f) = split_entry_path(&e.field);
                    if i == 0 {
                        e.message.clone()
                    } else {
                        format!("{f}: {}", e.message)
                    }
                })
                .collect::<Vec<_>>()
                .join("; ");
            return refuse(refusal, Some(field), column, reason);
        }
    };
    hazard_area_note(&report, &mut notes.lines);
    Built::Report(Box::new(report), notes.lines)
}

/// The field holding the main record's local id (an admin area's is its P-code).
fn local_id_field(mapping: &Mapping) -> &'static str {
    match mapping.kind {
        safeground_model::ItemKind::AdminArea => "pcode",
        _ => "local_id",
    }
}

/// `entries[2].record.sex` → (Some(2), "sex").
fn split_entry_path(path: &str) -> (Option<usize>, String) {
    let Some(rest) = path.strip_prefix("entries[") else {
        return (None, path.to_owned());
    };
    let Some((n, field)) = rest.split_once(']') else {
        return (None, path.to_owned());
    };
    let field = field
        .trim_start_matches('.')
        .trim_start_matches("record.")
        .to_owned();
    (n.parse().ok(), field)
}

/// Relative difference between reported and computed area worth a warning (reference §2.16).
const DIVERGENCE_WARNING: f64 = 0.10;

fn hazard_area_note(report: &NewReport, notes: &mut Vec<String>) {
    if let Some(Record::Hazard(h)) = report.entries.first().map(|e| &e.record)
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
}
