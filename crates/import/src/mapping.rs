//! Mapping files: how the columns of a source (spreadsheet, GIS layer, XLSForm submissions)
//! become the fields of Safeground records. Written in TOML or YAML; the ready ones ship inside
//! the binary (`safeground import --mapping imsma-ng-hazard`).
//!
//! ```toml
//! kind = "hazard"                       # the record made from each source record
//! title = "Hazard {hazard_localid}"     # report title ({column} placeholders)
//!
//! [report]
//! date_of_information = { column = "dataentrydate", type = "date", format = ["%d/%m/%Y"] }
//!
//! [fields]
//! local_id = "hazard_localid"           # a column
//! class = { column = "hazardtype", values = { "Confirmed Hazardous Area" = "cha" } }
//! reported_area_m2 = { column = "area_ha", type = "number", scale = 10000 }
//! geometry = { geometry = "feature" }   # the layer's own polygon
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use safeground_model::{CodeLists, ItemKind};
use serde::Deserialize;
use serde_json::Value;

use crate::ImportError;

/// A mapping: which record each source record becomes, and where each field comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Short name (`imsma-ng-hazard`).
    #[serde(default)]
    pub name: Option<String>,
    /// What the mapping is for.
    #[serde(default)]
    pub description: Option<String>,
    /// Kind of the main record made from each source record.
    pub kind: ItemKind,
    /// Report title, with `{column}` placeholders (default: the kind and local id).
    #[serde(default)]
    pub title: Option<String>,
    /// Report-level fields.
    #[serde(default)]
    pub report: ReportSpec,
    /// Copy every source property not named in `fields` as a record field of the same name
    /// (for files whose columns already carry Safeground's field names).
    #[serde(default)]
    pub passthrough: bool,
    /// Record field (a dotted path for nested objects) → where its value comes from.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldSpec>,
    /// Lists inside the main record (an activity's `released_areas`), one element per element
    /// of a repeat group, or one element made from the source record itself.
    #[serde(default)]
    pub lists: Vec<ListSpec>,
    /// More entries of the same report, one per element of a repeat group (the victims of an
    /// accident).
    #[serde(default)]
    pub entries: Vec<EntrySpec>,
    /// Source records to leave out: column → values that mark them (e.g. test submissions).
    #[serde(default)]
    pub skip: BTreeMap<String, Vec<String>>,
}

/// Report-level fields.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSpec {
    /// Date of information (default: `--date`, else today).
    #[serde(default)]
    pub date_of_information: Option<FieldSpec>,
    /// Reporting organisation (default: `--organisation`).
    #[serde(default)]
    pub organisation: Option<FieldSpec>,
}

/// A list field of the main record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListSpec {
    /// The record's list field (`released_areas`, `beneficiaries.counts`); several lists with
    /// one target add up.
    pub target: String,
    /// The repeat group giving one element each; absent: one element from the record itself.
    #[serde(default)]
    pub repeat: Option<String>,
    /// Element field → where its value comes from.
    pub fields: BTreeMap<String, FieldSpec>,
}

/// Extra entries of the report, one per repeat element.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntrySpec {
    /// Kind of record each element becomes.
    pub kind: ItemKind,
    /// The repeat group.
    pub repeat: String,
    /// Record field → where its value comes from (`{parent.column}` reaches the main record).
    pub fields: BTreeMap<String, FieldSpec>,
    /// A victim's personal data (stored apart, shown only to victim assistance).
    #[serde(default)]
    pub personal_data: BTreeMap<String, FieldSpec>,
}

/// Where a field's value comes from: a column name, or a rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum FieldSpec {
    /// The value of this column, as it is.
    Column(String),
    /// A rule.
    Rule(Box<FieldRule>),
}

/// One name or several (the first present wins).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One.
    One(String),
    /// Several, in order of preference.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The names in order.
    pub fn names(&self) -> &[String] {
        match self {
            OneOrMany::One(s) => std::slice::from_ref(s),
            OneOrMany::Many(v) => v,
        }
    }
}

/// The type a field's text is converted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    /// Text (numbers become text).
    Text,
    /// A number.
    Number,
    /// A whole number.
    Integer,
    /// Yes/no.
    Boolean,
    /// A date, written `YYYY-MM-DD`.
    Date,
    /// A list of texts (split on `split`, default a space as in XLSForm `select_multiple`).
    List,
}

/// Where a geometry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeometrySource {
    /// The feature's own geometry (GeoJSON, GeoPackage, Shapefile, KML).
    Feature,
    /// `lon` and `lat` columns, in decimal degrees or degrees-minutes-seconds.
    Lonlat,
    /// `zone` (or `zone_value`), `easting` and `northing` columns; `epsg` for another datum.
    Utm,
    /// An MGRS reference in `column`.
    Mgrs,
    /// An XLSForm geopoint (`lat lon alt accuracy`) in `column`.
    Geopoint,
    /// An XLSForm geoshape (`lat lon alt acc;…`) in `column`: a polygon.
    Geoshape,
    /// Well-known text in `column`.
    Wkt,
}

/// A rule for one field.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    /// Source column(s); the first present and non-empty wins.
    #[serde(default)]
    pub column: Option<OneOrMany>,
    /// A constant.
    #[serde(default)]
    pub value: Option<Value>,
    /// Text with `{column}`, `{parent.column}`, `{index}` and `{row}` placeholders.
    #[serde(default)]
    pub template: Option<String>,
    /// A geometry built from the source.
    #[serde(default)]
    pub geometry: Option<GeometrySource>,
    /// Longitude column (`lonlat`).
    #[serde(default)]
    pub lon: Option<String>,
    /// Latitude column (`lonlat`).
    #[serde(default)]
    pub lat: Option<String>,
    /// UTM zone column, e.g. `48N`, `48P` or `48` (`utm`).
    #[serde(default)]
    pub zone: Option<String>,
    /// UTM zone for every record, e.g. `48N` (`utm`).
    #[serde(default)]
    pub zone_value: Option<String>,
    /// Easting column (`utm`).
    #[serde(default)]
    pub easting: Option<String>,
    /// Northing column (`utm`).
    #[serde(default)]
    pub northing: Option<String>,
    /// EPSG code of projected easting/northing in another datum (e.g. 3148, Indian 1960 /
    /// UTM 48N).
    #[serde(default)]
    pub epsg: Option<u32>,
    /// Coded source value → Safeground value (matched exactly, then ignoring case and spaces).
    #[serde(default)]
    pub values: Option<BTreeMap<String, Value>>,
    /// Conversion of the text.
    #[serde(default, rename = "type")]
    pub value_type: Option<ValueType>,
    /// Separator of a list.
    #[serde(default)]
    pub split: Option<String>,
    /// Date formats (chrono `strftime`), tried in order after ISO 8601.
    #[serde(default)]
    pub format: Option<OneOrMany>,
    /// Multiplier of a number (hectares → m²: 10000).
    #[serde(default)]
    pub scale: Option<f64>,
    /// Value when the source has none.
    #[serde(default)]
    pub default: Option<Value>,
    /// Refuse the record when the source has no value.
    #[serde(default)]
    pub required: bool,
}

impl FieldSpec {
    /// The rule, a bare column being a rule with only `column`.
    pub fn rule(&self) -> std::borrow::Cow<'_, FieldRule> {
        match self {
            FieldSpec::Column(c) => std::borrow::Cow::Owned(FieldRule {
                column: Some(OneOrMany::One(c.clone())),
                ..FieldRule::default()
            }),
            FieldSpec::Rule(r) => std::borrow::Cow::Borrowed(r),
        }
    }
}

/// The mappings that ship with Safeground: (name, description, text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "safeground-hazard",
        include_str!("../mappings/safeground-hazard.toml"),
    ),
    (
        "imsma-ng-hazard",
        include_str!("../mappings/imsma-ng-hazard.toml"),
    ),
    (
        "imsma-ng-hazard-reduction",
        include_str!("../mappings/imsma-ng-hazard-reduction.toml"),
    ),
    (
        "xlsform-hazardous-area",
        include_str!("../mappings/xlsform-hazardous-area.toml"),
    ),
    ("xlsform-nts", include_str!("../mappings/xlsform-nts.toml")),
    (
        "xlsform-eo-spot-task",
        include_str!("../mappings/xlsform-eo-spot-task.toml"),
    ),
    (
        "xlsform-accident",
        include_str!("../mappings/xlsform-accident.toml"),
    ),
    (
        "xlsform-risk-education",
        include_str!("../mappings/xlsform-risk-education.toml"),
    ),
    (
        "safeground-admin-area",
        include_str!("../mappings/safeground-admin-area.toml"),
    ),
    ("cod-adm0", include_str!("../mappings/cod-adm0.toml")),
    ("cod-adm1", include_str!("../mappings/cod-adm1.toml")),
    ("cod-adm2", include_str!("../mappings/cod-adm2.toml")),
    ("cod-adm3", include_str!("../mappings/cod-adm3.toml")),
];

/// Adds `terms` to the `values` table of `spec` (a bare column becomes a rule); the terms the
/// table has already keep their translation.
fn add_terms(spec: &mut FieldSpec, terms: &BTreeMap<String, String>) {
    let mut rule = spec.rule().into_owned();
    let table = rule.values.get_or_insert_with(BTreeMap::new);
    for (term, code) in terms {
        table
            .entry(term.clone())
            .or_insert_with(|| Value::String(code.clone()));
    }
    *spec = FieldSpec::Rule(Box::new(rule));
}

impl Mapping {
    /// Adds regional code lists to the fields that take their vocabularies
    /// (`safeground_model::FIELD_VOCABULARIES`): a value no rule of the mapping translates is
    /// looked up among the terms of the field's vocabulary. Gives the number of fields that
    /// took a list.
    pub fn add_codes(&mut self, codes: &CodeLists) -> usize {
        let mut added = 0;
        let mut add = |kind: ItemKind, field: &str, spec: &mut FieldSpec| {
            let terms = safeground_model::field_vocabulary(kind, field).and_then(|v| codes.get(v));
            if let Some(terms) = terms {
                add_terms(spec, terms);
                added += 1;
            }
        };
        for (field, spec) in &mut self.fields {
            add(self.kind, field, spec);
        }
        for list in &mut self.lists {
            for (field, spec) in &mut list.fields {
                add(self.kind, &format!("{}.{field}", list.target), spec);
            }
        }
        for entry in &mut self.entries {
            for (field, spec) in &mut entry.fields {
                add(entry.kind, field, spec);
            }
        }
        added
    }

    /// Reads a mapping from TOML or YAML text (`name` only labels errors).
    pub fn parse(text: &str, yaml: bool, name: &str) -> Result<Mapping, ImportError> {
        let parsed = if yaml {
            serde_yaml_ng::from_str(text).map_err(|e| e.to_string())
        } else {
            toml::from_str(text).map_err(|e| e.to_string())
        };
        let mapping: Mapping = parsed.map_err(|e| ImportError::Mapping(format!("{name}: {e}")))?;
        mapping.check(name)?;
        Ok(mapping)
    }

    /// A ready mapping by name, with its text.
    pub fn load_builtin(name: &str) -> Result<(Mapping, String), ImportError> {
        match BUILTIN.iter().find(|(n, _)| *n == name) {
            Some((_, text)) => Ok((Mapping::parse(text, false, name)?, (*text).to_owned())),
            None => Err(ImportError::Mapping(format!(
                "no ready mapping is called `{name}`; the ready ones are: {}",
                BUILTIN
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// A ready mapping by name, or a mapping file (`.toml`, `.yaml`, `.yml`), with its text.
    pub fn load(name_or_path: &str) -> Result<(Mapping, String), ImportError> {
        if BUILTIN.iter().any(|(n, _)| *n == name_or_path) {
            return Mapping::load_builtin(name_or_path);
        }
        let path = Path::new(name_or_path);
        let text = std::fs::read_to_string(path).map_err(|e| {
            ImportError::Mapping(format!(
                "{name_or_path} is neither a ready mapping ({}) nor a readable file: {e}",
                BUILTIN
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        let lower = name_or_path.to_lowercase();
        let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
        Ok((Mapping::parse(&text, yaml, name_or_path)?, text))
    }

    /// Names of the ready mappings with their descriptions.
    pub fn builtin_list() -> Vec<(String, String)> {
        BUILTIN
            .iter()
            .map(|(name, text)| {
                let description = Mapping::parse(text, false, name)
                    .ok()
                    .and_then(|m| m.description)
                    .unwrap_or_default();
                ((*name).to_owned(), description)
            })
            .collect()
    }

    /// Checks what serde cannot: every rule has exactly one source, geometry rules their
    /// columns.
    fn check(&self, name: &str) -> Result<(), ImportError> {
        let all = self
            .fields
            .iter()
            .map(|(k, v)| (format!("fields.{k}"), v))
            .chain(self.lists.iter().flat_map(|l| {
                l.fields
                    .iter()
                    .map(move |(k, v)| (format!("lists.{}.{k}", l.target), v))
            }))
            .chain(self.entries.iter().flat_map(|e| {
                e.fields
                    .iter()
                    .chain(e.personal_data.iter())
                    .map(move |(k, v)| (format!("entries.{}.{k}", e.repeat), v))
            }))
            .chain(
                [
                    (
                        "report.date_of_information",
                        &self.report.date_of_information,
                    ),
                    ("report.organisation", &self.report.organisation),
                ]
                .into_iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| (k.to_owned(), v))),
            );
        for (field, spec) in all {
            let rule = spec.rule();
            let sources = [
                rule.column.is_some() && rule.geometry.is_none(),
                rule.value.is_some(),
                rule.template.is_some(),
                rule.geometry.is_some(),
            ]
            .iter()
            .filter(|x| **x)
            .count();
            if sources > 1 {
                return Err(ImportError::Mapping(format!(
                    "{name}: {field} has more than one of column, value, template and geometry"
                )));
            }
            if sources == 0 && rule.default.is_none() {
                return Err(ImportError::Mapping(format!(
                    "{name}: {field} needs a column, value, template, geometry or default"
                )));
            }
            let need = |what: &str, v: &Option<String>| match v {
                Some(_) => Ok(()),
                None => Err(ImportError::Mapping(format!(
                    "{name}: {field} reads a {:?} geometry and needs `{what}`",
                    rule.geometry
                ))),
            };
            match rule.geometry {
                Some(GeometrySource::Lonlat) => {
                    need("lon", &rule.lon)?;
                    need("lat", &rule.lat)?;
                }
                Some(GeometrySource::Utm) => {
                    need("easting", &rule.easting)?;
                    need("northing", &rule.northing)?;
                    if rule.zone.is_none() && rule.zone_value.is_none() {
                        need("zone", &None)?;
                    }
                }
                Some(
                    GeometrySource::Mgrs
                    | GeometrySource::Geopoint
                    | GeometrySource::Geoshape
                    | GeometrySource::Wkt,
                ) if rule.column.is_none() => {
                    return Err(ImportError::Mapping(format!(
                        "{name}: {field} reads a {:?} geometry and needs `column`",
                        rule.geometry
                    )));
                }
                Some(_) | None => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_code_lists_extend_the_fields_of_their_vocabulary() {
        let mut m = Mapping::parse(
            "kind = \"eo_find\"\n[fields]\nlocal_id = \"id\"\ncategory = \"cat\"\n\
             condition = { column = \"cond\", values = { \"live\" = \"armed\" } }\n",
            false,
            "test",
        )
        .expect("mapping");
        let codes = CodeLists::from([
            (
                "ordnance_category".to_owned(),
                BTreeMap::from([("ລະເບີດບໍ່ທັນແຕກ".to_owned(), "uxo".to_owned())]),
            ),
            (
                "item_condition".to_owned(),
                BTreeMap::from([
                    ("live".to_owned(), "unknown".to_owned()),
                    ("rusty".to_owned(), "damaged".to_owned()),
                ]),
            ),
            (
                "sex".to_owned(),
                BTreeMap::from([("nu".to_owned(), "female".to_owned())]),
            ),
        ]);
        assert_eq!(m.add_codes(&codes), 2);
        let values = |f: &str| m.fields[f].rule().values.clone().expect("a table");
        assert_eq!(values("category")["ລະເບີດບໍ່ທັນແຕກ"], "uxo");
        assert_eq!(values("category").len(), 1);
        // The mapping's own translation wins.
        assert_eq!(values("condition")["live"], "armed");
        assert_eq!(values("condition")["rusty"], "damaged");
        assert!(m.fields["local_id"].rule().values.is_none());
    }
}
