//! The field rules of the report forms as data (reference §6.2, §6.3): one rule set that the
//! server applies to every record of these kinds ([`crate::Record::validate`]) and that the
//! browser's offline forms apply before a report leaves the device (served by `GET
//! /api/forms`). Each rule reads the record's JSON (the shape the API takes), so both sides
//! run the same rules on the same values and write the same messages.
//!
//! Rules that need more than the record — the ordnance catalogue, the geometry engine, the
//! database — stay in the kinds' own checks and run only on the server.
//!
//! ```
//! use safeground_model::rules::{self, Limit};
//! use safeground_model::{ItemKind, ValidationContext, ValidationErrors};
//!
//! let ctx = ValidationContext {
//!     today: "2026-12-07".parse().expect("date"),
//!     date_of_information: "2026-12-01".parse().expect("date"),
//! };
//! let record = serde_json::json!({"local_id": "EO-1", "quantity": 0, "found_date": "2026-12-05"});
//! let mut e = ValidationErrors::default();
//! rules::apply(rules::of(ItemKind::EoFind), &record, &ctx, &mut e);
//! let fields: Vec<_> = e.0.iter().map(|e| e.field.as_str()).collect();
//! assert_eq!(fields, ["quantity", "found_date"]);
//! assert_eq!(e.0[1].message, "2026-12-05 is after the date of information (2026-12-01)");
//! # let _ = Limit::Today;
//! ```

mod table;

use serde::Serialize;
use serde_json::Value;

use crate::{ItemKind, ValidationContext, ValidationErrors};

pub use table::{FORM_KINDS, of};

/// The date a [`Rule::NotAfter`] compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Today (the device's date in the browser, the server's date on the server).
    Today,
    /// The report's date of information.
    DateOfInformation,
}

/// One field rule. `field` is a path in the record's JSON (`status_change.reason`);
/// `message` is a template: `{value}` is the field's value, `{limit}` the limit,
/// `{other}` the other field's value, `{x}`/`{y}` a point's coordinates.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// A local id: required (`message_required`) and trimmed (`message`).
    Id {
        /// The field.
        field: &'static str,
        /// When blank.
        message_required: &'static str,
        /// When not trimmed.
        message: &'static str,
    },
    /// A text that must not be blank.
    Required {
        /// The field.
        field: &'static str,
        /// When blank or missing.
        message: &'static str,
    },
    /// Required when the boolean field `when` is true.
    RequiredIf {
        /// The field.
        field: &'static str,
        /// The boolean field that makes it required.
        when: &'static str,
        /// When missing.
        message: &'static str,
    },
    /// A number, when given, at least `min`.
    Min {
        /// The field.
        field: &'static str,
        /// The smallest value allowed.
        min: f64,
        /// When smaller.
        message: &'static str,
    },
    /// A number, when given, at most `max`.
    Max {
        /// The field.
        field: &'static str,
        /// The largest value allowed.
        max: f64,
        /// When larger.
        message: &'static str,
    },
    /// A date, when given, not after the limit.
    NotAfter {
        /// The field.
        field: &'static str,
        /// What it may not pass.
        limit: Limit,
        /// When later.
        message: &'static str,
    },
    /// A date, when it and `other` are given, not before `other`.
    NotBefore {
        /// The field.
        field: &'static str,
        /// The earlier date.
        other: &'static str,
        /// When earlier.
        message: &'static str,
    },
    /// The field may not have `value` while `other` is given.
    NotWith {
        /// The field.
        field: &'static str,
        /// The value refused.
        value: &'static str,
        /// The field whose presence refuses it.
        other: &'static str,
        /// When both.
        message: &'static str,
    },
    /// A GeoJSON point, when given, in WGS 84 range.
    Point {
        /// The field.
        field: &'static str,
        /// When out of range.
        message: &'static str,
    },
    /// The inner rules for each element of an array (paths `field[i].inner`).
    Each {
        /// The array.
        field: &'static str,
        /// Rules of an element.
        rules: &'static [Rule],
    },
    /// At least one element of the array has `of` > 0; the error is on the array's parent.
    AnyPositive {
        /// The array (`beneficiaries.counts`).
        field: &'static str,
        /// The number in each element.
        of: &'static str,
        /// When none.
        message: &'static str,
    },
}

/// Applies `rules` to a record's JSON and adds what it breaks to `errors`, prefixing paths
/// with `prefix` (empty at the top).
pub fn apply(
    rules: &[Rule],
    record: &Value,
    ctx: &ValidationContext,
    errors: &mut ValidationErrors,
) {
    apply_at(rules, record, ctx, "", errors);
}

/// Applies the rules of `kind` to a record value that serialises to the API's JSON.
pub(crate) fn check<T: Serialize>(
    kind: ItemKind,
    record: &T,
    ctx: &ValidationContext,
    errors: &mut ValidationErrors,
) {
    match serde_json::to_value(record) {
        Ok(json) => apply(of(kind), &json, ctx, errors),
        // Records of this crate always serialise; say so rather than pass silently.
        Err(e) => errors.add(
            "",
            format!("the record could not be read for validation: {e}"),
        ),
    }
}

fn apply_at(
    rules: &[Rule],
    record: &Value,
    ctx: &ValidationContext,
    prefix: &str,
    errors: &mut ValidationErrors,
) {
    let path = |field: &str| format!("{prefix}{field}");
    for rule in rules {
        match *rule {
            Rule::Id {
                field,
                message_required,
                message,
            } => match text(record, field) {
                None => errors.add(&path(field), message_required),
                Some(v) if v.trim().is_empty() => errors.add(&path(field), message_required),
                Some(v) if v.trim() != v => errors.add(&path(field), fill(message, v, "", "")),
                Some(_) => {}
            },
            Rule::Required { field, message } => {
                if text(record, field).is_none_or(|v| v.trim().is_empty()) {
                    errors.add(&path(field), message);
                }
            }
            Rule::RequiredIf {
                field,
                when,
                message,
            } => {
                if get(record, when).and_then(Value::as_bool) == Some(true)
                    && get(record, field).is_none_or(Value::is_null)
                {
                    errors.add(&path(field), message);
                }
            }
            Rule::Min {
                field,
                min,
                message,
            } => {
                if let Some(v) = number(record, field)
                    && v < min
                {
                    errors.add(&path(field), fill(message, &show(v), &show(min), ""));
                }
            }
            Rule::Max {
                field,
                max,
                message,
            } => {
                if let Some(v) = number(record, field)
                    && v > max
                {
                    errors.add(&path(field), fill(message, &show(v), &show(max), ""));
                }
            }
            Rule::NotAfter {
                field,
                limit,
                message,
            } => {
                let limit = match limit {
                    Limit::Today => ctx.today,
                    Limit::DateOfInformation => ctx.date_of_information,
                }
                .to_string();
                if let Some(v) = text(record, field)
                    && v > limit.as_str()
                {
                    errors.add(&path(field), fill(message, v, &limit, ""));
                }
            }
            Rule::NotBefore {
                field,
                other,
                message,
            } => {
                if let (Some(v), Some(o)) = (text(record, field), text(record, other))
                    && v < o
                {
                    errors.add(&path(field), fill(message, v, "", o));
                }
            }
            Rule::NotWith {
                field,
                value,
                other,
                message,
            } => {
                if text(record, field) == Some(value)
                    && get(record, other).is_some_and(|o| !o.is_null())
                {
                    errors.add(&path(field), message);
                }
            }
            Rule::Point { field, message } => {
                let xy = get(record, field)
                    .and_then(|p| p.get("coordinates"))
                    .and_then(Value::as_array)
                    .map(|c| {
                        (
                            c.first().and_then(Value::as_f64),
                            c.get(1).and_then(Value::as_f64),
                        )
                    });
                if let Some((Some(x), Some(y))) = xy
                    && !((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y))
                {
                    let m = message.replace("{x}", &show(x)).replace("{y}", &show(y));
                    errors.add(&path(field), m);
                }
            }
            Rule::Each { field, rules } => {
                for (i, element) in get(record, field)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .enumerate()
                {
                    apply_at(
                        rules,
                        element,
                        ctx,
                        &format!("{prefix}{field}[{i}]."),
                        errors,
                    );
                }
            }
            Rule::AnyPositive { field, of, message } => {
                let any = get(record, field)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .any(|e| e.get(of).and_then(Value::as_f64).is_some_and(|n| n > 0.0));
                if !any {
                    let parent = field.rsplit_once('.').map_or(field, |(p, _)| p);
                    errors.add(&path(parent), message);
                }
            }
        }
    }
}

/// The value at a dotted path.
fn get<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(record, |v, key| v.get(key))
}

fn text<'a>(record: &'a Value, path: &str) -> Option<&'a str> {
    get(record, path).and_then(Value::as_str)
}

fn number(record: &Value, path: &str) -> Option<f64> {
    get(record, path).and_then(Value::as_f64)
}

/// A number as the messages write it (`1`, not `1.0`), as both Rust and JavaScript print it.
fn show(v: f64) -> String {
    v.to_string()
}

/// The template with `{value}`, `{limit}` and `{other}` put in, in one pass (a value that
/// itself contains `{limit}` stays as typed).
fn fill(template: &str, value: &str, limit: &str, other: &str) -> String {
    let mut out = String::with_capacity(template.len() + value.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let (put, skip) = [("{value}", value), ("{limit}", limit), ("{other}", other)]
            .into_iter()
            .find(|(name, _)| tail.starts_with(name))
            .map_or(("{", 1), |(name, v)| (v, name.len()));
        out.push_str(put);
        rest = &tail[skip..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
