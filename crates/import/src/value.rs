//! Evaluating a field rule against one source record: finding the column, converting the text
//! (numbers, dates, yes/no, lists), translating coded values.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Map, Number, Value};

use crate::mapping::{FieldRule, OneOrMany, ValueType};

/// The properties a rule reads: a source record's, or a repeat element's with its parent's.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The record's (or repeat element's) properties.
    pub props: &'a Map<String, Value>,
    /// The main record's properties, inside a repeat.
    pub parent: Option<&'a Map<String, Value>>,
    /// 1-based position in the repeat group (or 1).
    pub index: usize,
    /// The source record's label ("row 12").
    pub label: &'a str,
}

/// Why a field has no usable value: the message, and the column it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldProblem {
    /// The column read, when there was one.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

fn normalise(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .chars()
        .map(|c| if matches!(c, ' ' | '-' | '.') { '_' } else { c })
        .collect()
}

/// Finds a column: the exact name, then ignoring case and `-`/`.`/space versus `_`, then an
/// XLSForm group path ending in the name (`group_location/gps` for `gps`; ODK Central CSVs
/// join groups with `-`: `group_location-gps`).
pub fn lookup<'a>(props: &'a Map<String, Value>, name: &str) -> Option<(&'a str, &'a Value)> {
    if let Some((k, v)) = props.get_key_value(name) {
        return Some((k.as_str(), v));
    }
    let wanted = normalise(name);
    let mut suffix = None;
    for (k, v) in props {
        let n = normalise(k);
        if n == wanted {
            return Some((k.as_str(), v));
        }
        if suffix.is_none()
            && (n.rsplit('/').next() == Some(wanted.as_str())
                || k.match_indices('-')
                    .any(|(i, _)| normalise(&k[i + 1..]) == wanted))
        {
            suffix = Some((k.as_str(), v));
        }
    }
    suffix
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// The first present, non-empty column of `names` in the scope (`parent.` names reach the
/// main record).
pub fn column<'a>(scope: &Scope<'a>, names: &OneOrMany) -> Option<(String, &'a Value)> {
    names.names().iter().find_map(|name| {
        let (props, bare) = match name.strip_prefix("parent.") {
            Some(rest) => (scope.parent?, rest),
            None => (scope.props, name.as_str()),
        };
        lookup(props, bare)
            .filter(|(_, v)| !is_empty(v))
            .map(|(k, v)| (k.to_owned(), v))
    })
}

/// Text of a scalar value.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_owned(),
        other => other.to_string(),
    }
}

/// Fills `{column}`, `{parent.column}`, `{index}` and `{row}` placeholders.
pub fn template(scope: &Scope<'_>, template: &str) -> Result<String, FieldProblem> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| FieldProblem {
            column: None,
            message: format!("template `{template}` has an unclosed `{{`"),
        })?;
        let name = &after[..close];
        let value = match name {
            "index" => scope.index.to_string(),
            "row" => scope.label.to_owned(),
            _ => match column(scope, &OneOrMany::One(name.to_owned())) {
                Some((_, v)) => text(v),
                None => {
                    return Err(FieldProblem {
                        column: Some(name.to_owned()),
                        message: format!("column `{name}` is missing or empty"),
                    });
                }
            },
        };
        out.push_str(&value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Translates a coded value with the rule's `values` table (exact, then normalised); values
/// not in the table pass through (the record's vocabulary then accepts or names them).
fn translate(rule: &FieldRule, v: Value) -> Value {
    let Some(table) = &rule.values else { return v };
    let key = text(&v);
    if let Some(mapped) = table.get(&key) {
        return mapped.clone();
    }
    let n = normalise(&key);
    table
        .iter()
        .find(|(k, _)| normalise(k) == n)
        .map(|(_, m)| m.clone())
        .unwrap_or(v)
}

fn number(v: &Value) -> Result<f64, String> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| format!("`{n}` is not a number")),
        other => {
            let t = text(other).replace([' ', '\u{a0}'], "");
            // A decimal comma when there is no point: "1234,5".
            let t = if t.contains(',') && !t.contains('.') && t.matches(',').count() == 1 {
                t.replace(',', ".")
            } else {
                t.replace(',', "")
            };
            t.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("`{}` is not a number", text(other)))
        }
    }
}

fn boolean(v: &Value) -> Result<bool, String> {
    match v {
        Value::Bool(b) => Ok(*b),
        other => match text(other).to_lowercase().as_str() {
            "yes" | "y" | "true" | "t" | "1" | "oui" | "si" => Ok(true),
            "no" | "n" | "false" | "f" | "0" | "non" => Ok(false),
            t => Err(format!("`{t}` is not yes/no")),
        },
    }
}

/// Days from 1899-12-30: spreadsheet serial dates.
fn serial_date(days: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    (1.0..2_958_466.0)
        .contains(&days)
        .then(|| base + chrono::Days::new(days.floor() as u64))
}

fn date(v: &Value, formats: Option<&OneOrMany>) -> Result<NaiveDate, String> {
    if let Value::Number(n) = v {
        return n
            .as_f64()
            .and_then(serial_date)
            .ok_or_else(|| format!("`{n}` is not a spreadsheet date"));
    }
    let t = text(v);
    if let Some(formats) = formats {
        for f in formats.names() {
            if let Ok(d) = NaiveDate::parse_from_str(&t, f) {
                return Ok(d);
            }
            if let Ok(dt) = NaiveDateTime::parse_from_str(&t, f) {
                return Ok(dt.date());
            }
        }
    }
    // ISO 8601: a date, or the date part of a timestamp (XLSForm `start`, `today`).
    if let Some(day) = t.get(..10)
        && let Ok(d) = NaiveDate::parse_from_str(day, "%Y-%m-%d")
        && (t.len() == 10 || t[10..].starts_with(['T', ' ']))
    {
        return Ok(d);
    }
    let expected = formats
        .map(|f| f.names().join(" or "))
        .unwrap_or_else(|| "YYYY-MM-DD".into());
    Err(format!("`{t}` is not a date ({expected})"))
}

fn convert(rule: &FieldRule, v: Value) -> Result<Value, String> {
    let Some(kind) = rule.value_type else {
        return Ok(match v {
            Value::String(s) => Value::String(s.trim().to_owned()),
            other => other,
        });
    };
    Ok(match kind {
        // Lists are split before conversion: each element is text.
        ValueType::Text | ValueType::List => Value::String(text(&v)),
        ValueType::Number => {
            let x = number(&v)? * rule.scale.unwrap_or(1.0);
            Number::from_f64(x).map_or(Value::Null, Value::Number)
        }
        ValueType::Integer => {
            let x = number(&v)? * rule.scale.unwrap_or(1.0);
            if x.fract() != 0.0 || x.abs() > 9.0e15 {
                return Err(format!("`{}` is not a whole number", text(&v)));
            }
            Value::Number(Number::from(x as i64))
        }
        ValueType::Boolean => Value::Bool(boolean(&v)?),
        ValueType::Date => Value::String(date(&v, rule.format.as_ref())?.to_string()),
    })
}

/// The value of a non-geometry rule in a scope, `None` when the source has none and the rule
/// no default.
pub fn evaluate(rule: &FieldRule, scope: &Scope<'_>) -> Result<Option<Value>, FieldProblem> {
    let (column_name, raw) = if let Some(names) = &rule.column {
        match column(scope, names) {
            Some((name, v)) => (Some(name), Some(v.clone())),
            None => (Some(names.names().join(" / ")), None),
        }
    } else if let Some(v) = &rule.value {
        (None, Some(v.clone()))
    } else if let Some(t) = &rule.template {
        (None, Some(Value::String(template(scope, t)?)))
    } else {
        (None, None)
    };
    let problem = |message: String| FieldProblem {
        column: column_name.clone(),
        message,
    };
    let Some(raw) = raw else {
        if let Some(d) = &rule.default {
            return Ok(Some(d.clone()));
        }
        if rule.required {
            return Err(problem(match &column_name {
                Some(c) => format!("column `{c}` is missing or empty, and a value is required"),
                None => "a value is required".into(),
            }));
        }
        return Ok(None);
    };
    if rule.value_type == Some(ValueType::List) {
        let parts: Vec<Value> = match raw {
            Value::Array(a) => a,
            other => {
                let t = text(&other);
                let sep = rule.split.as_deref().unwrap_or(" ");
                t.split(sep)
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| Value::String(p.to_owned()))
                    .collect()
            }
        };
        return Ok(Some(Value::Array(
            parts.into_iter().map(|p| translate(rule, p)).collect(),
        )));
    }
    let translated = translate(rule, raw);
    convert(rule, translated).map(Some).map_err(problem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scope(props: &Map<String, Value>) -> Scope<'_> {
        Scope {
            props,
            parent: None,
            index: 1,
            label: "row 2",
        }
    }

    fn rule(json: Value) -> FieldRule {
        serde_json::from_value(json).expect("rule")
    }

    #[test]
    fn columns_are_found_by_name_case_and_group_path() {
        let props = json!({"Hazard Type": "CHA", "group_loc/gps": "13 103", "x": "",
                           "grp_site-site_name": "Pursat"});
        let props = props.as_object().expect("object");
        assert_eq!(
            lookup(props, "hazard_type").map(|x| x.0),
            Some("Hazard Type")
        );
        assert_eq!(lookup(props, "gps").map(|x| x.0), Some("group_loc/gps"));
        assert_eq!(
            lookup(props, "site_name").map(|x| x.0),
            Some("grp_site-site_name")
        );
        assert_eq!(lookup(props, "name"), None);
        let r = rule(json!({"column": ["x", "Hazard Type"]}));
        assert_eq!(evaluate(&r, &scope(props)), Ok(Some(json!("CHA"))));
    }

    #[test]
    fn values_types_and_dates_convert() {
        let props = json!({"t": "Confirmed Hazardous Area", "a": "1,5", "d": "31/01/2024",
                           "s": "ap_mine uxo", "n": 45321.0, "b": "Yes", "i": "2.5"});
        let props = props.as_object().expect("object");
        let s = scope(props);
        let r = rule(json!({"column": "t", "values": {"confirmed hazardous area": "cha"}}));
        assert_eq!(evaluate(&r, &s), Ok(Some(json!("cha"))));
        let r = rule(json!({"column": "a", "type": "number", "scale": 10000}));
        assert_eq!(evaluate(&r, &s), Ok(Some(json!(15000.0))));
        let r = rule(json!({"column": "d", "type": "date", "format": "%d/%m/%Y"}));
        assert_eq!(evaluate(&r, &s), Ok(Some(json!("2024-01-31"))));
        let r = rule(json!({"column": "n", "type": "date"}));
        assert_eq!(evaluate(&r, &s), Ok(Some(json!("2024-01-30"))));
        let r = rule(json!({"column": "s", "type": "list", "values": {"uxo": "uxo_other"}}));
        assert_eq!(evaluate(&r, &s), Ok(Some(json!(["ap_mine", "uxo_other"]))));
        let r = rule(json!({"column": "b", "type": "boolean"}));
        assert_eq!(evaluate(&r, &s), Ok(Some(json!(true))));
        let r = rule(json!({"column": "i", "type": "integer"}));
        let e = evaluate(&r, &s).expect_err("fraction");
        assert_eq!(e.column.as_deref(), Some("i"));
        assert!(e.message.contains("whole number"), "{e:?}");
        let r = rule(json!({"column": "d", "type": "date"}));
        assert!(evaluate(&r, &s).is_err());
    }

    #[test]
    fn missing_values_use_defaults_or_are_refused_when_required() {
        let props = Map::new();
        let s = scope(&props);
        assert_eq!(evaluate(&rule(json!({"column": "x"})), &s), Ok(None));
        assert_eq!(
            evaluate(&rule(json!({"column": "x", "default": "open"})), &s),
            Ok(Some(json!("open")))
        );
        let e = evaluate(&rule(json!({"column": "x", "required": true})), &s).expect_err("req");
        assert!(e.message.contains("`x` is missing"), "{e:?}");
    }

    #[test]
    fn templates_fill_columns_parent_and_index() {
        let parent = json!({"id": "ACC-7"});
        let props = json!({"sex": "f"});
        let s = Scope {
            props: props.as_object().expect("o"),
            parent: parent.as_object(),
            index: 2,
            label: "row 3",
        };
        assert_eq!(template(&s, "{parent.id}-V{index}"), Ok("ACC-7-V2".into()));
        assert!(template(&s, "{nope}").is_err());
    }
}
