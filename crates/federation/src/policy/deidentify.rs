//! De-identification of an approved version's record before it is shared.
//!
//! Each item kind has an allow-list of its fields, each with a rule; a field not in the list
//! (a field added to the model later, or personal data joined by mistake) is dropped. The
//! generalisations are those of `safeground_io::quasi`, which every reader without victim
//! access sees: age → age band, an accident's or a service's date → its month
//! (`date_month`), an accident's location on the 0.01° grid; then the small-number rule
//! withholds the sex and age band of a victim whose (sex, age band, outcome) group, or of a
//! service whose persons, count fewer than the policy's threshold.

use std::collections::HashMap;

use safeground_io::quasi::{Group, WITHHELD, age_band, month};
use safeground_model::ItemKind;
use serde_json::{Map, Value, json};

use super::Policy;
use crate::{Entry, FederationError};

/// Number of current victims per (sex, age band, outcome) group of the node, as
/// `safeground_io::quasi::victim_groups` counts them.
pub type VictimGroups = HashMap<Group, u64>;

/// What becomes of a field.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Shared as it is: a scalar, or an array of scalars (anything else is dropped).
    Keep,
    /// Free text: shared only where the policy allows it for the kind.
    Text,
    /// Never shared (listed so that every field of the model has a rule).
    Never,
    /// GeoJSON geometry, coordinates rounded to the kind's precision.
    Geometry,
    /// A date, shared as its month under another name.
    Month(&'static str),
    /// An age, shared as its band under another name.
    AgeBand(&'static str),
    /// An object, of which only these fields.
    Fields(&'static [(&'static str, Rule)]),
    /// An array, each element by the rule.
    Each(&'static Rule),
}

use Rule::{AgeBand, Each, Fields, Geometry, Keep, Month, Never, Text};

const ORGANISATION: &[(&str, Rule)] = &[
    ("kind", Keep),
    ("local_id", Keep),
    ("name", Keep),
    ("acronym", Keep),
    ("organisation_type", Keep),
];

const TEAM: &[(&str, Rule)] = &[
    ("kind", Keep),
    ("local_id", Keep),
    ("name", Keep),
    ("organisation", Keep),
    ("team_type", Keep),
    (
        "assets",
        Each(&Fields(&[("asset_type", Keep), ("identifier", Keep)])),
    ),
];

const ADMIN_AREA: &[(&str, Rule)] = &[
    ("kind", Keep),
    ("pcode", Keep),
    ("name", Keep),
    ("level", Keep),
    ("parent_pcode", Keep),
    ("geometry", Geometry),
];

const HAZARD: &[(&str, Rule)] = &[
    ("kind", Keep),
    // The node's item id ("HAZ-000012"), which its shared activities name: the hub derives
    // remaining areas with it. Ids are already shared as references.
    ("id", Keep),
    ("local_id", Keep),
    ("name", Keep),
    ("class", Keep),
    ("status", Keep),
    (
        "status_change",
        Fields(&[("reason", Keep), ("date", Keep), ("comment", Text)]),
    ),
    ("organisation", Keep),
    ("admin_pcode", Keep),
    ("evidence", Keep),
    ("contamination", Keep),
    ("reported_area_m2", Keep),
    ("first_recorded", Keep),
    ("geometry", Geometry),
    ("comment", Text),
];

const RELEASED_AREA: &[(&str, Rule)] = &[
    ("method", Keep),
    ("asset_type", Keep),
    ("technical_asset_used", Keep),
    ("clearance_depth_cm", Keep),
    ("reported_area_m2", Keep),
    ("geometry", Geometry),
];

const ACTIVITY: &[(&str, Rule)] = &[
    ("kind", Keep),
    ("local_id", Keep),
    ("activity_type", Keep),
    ("status", Keep),
    ("organisation", Keep),
    ("team", Keep),
    ("donor", Keep),
    ("hazard", Keep),
    ("hazards", Keep),
    ("admin_pcode", Keep),
    ("start_date", Keep),
    ("end_date", Keep),
    ("released_areas", Each(&Fields(RELEASED_AREA))),
    ("assets", Keep),
    ("comment", Text),
];

const EO_FIND: &[(&str, Rule)] = &[
    ("kind", Keep),
    ("local_id", Keep),
    ("activity", Keep),
    ("hazard", Keep),
    ("category", Keep),
    ("model", Keep),
    ("quantity", Keep),
    ("condition", Keep),
    ("depth_cm", Keep),
    ("disposal", Keep),
    ("found_date", Keep),
    ("destroyed_date", Keep),
    ("location", Geometry),
];

const ACCIDENT: &[(&str, Rule)] = &[
    ("kind", Keep),
    // The node's item id, which its shared victims name: the hub places casualties in their
    // accident's year with it.
    ("id", Keep),
    ("local_id", Keep),
    ("date", Month("date_month")),
    ("date_known", Keep),
    ("admin_pcode", Keep),
    ("device_category", Keep),
    ("location", Geometry),
    ("description", Never),
    ("hazard", Keep),
];

const VICTIM: &[(&str, Rule)] = &[
    ("kind", Keep),
    ("local_id", Keep),
    ("accident", Keep),
    ("sex", Keep),
    ("age_at_accident", AgeBand("age_band")),
    ("outcome", Keep),
    ("activity_at_time", Keep),
    ("deminer", Keep),
];

const RISK_EDUCATION: &[(&str, Rule)] = &[
    ("kind", Keep),
    ("local_id", Keep),
    ("organisation", Keep),
    ("donor", Keep),
    ("date", Keep),
    ("admin_pcode", Keep),
    ("location", Geometry),
    ("method", Keep),
    (
        "beneficiaries",
        Fields(&[(
            "counts",
            Each(&Fields(&[
                ("sex", Keep),
                ("age_band", Keep),
                ("reach", Keep),
                ("count", Keep),
            ])),
        )]),
    ),
];

const QA_VISIT: &[(&str, Rule)] = &[
    ("kind", Keep),
    ("local_id", Keep),
    ("qa_type", Keep),
    ("activity", Keep),
    ("organisation", Keep),
    ("date", Keep),
    (
        "non_conformities",
        Each(&Fields(&[
            ("category", Keep),
            ("description", Text),
            ("corrective_action", Text),
            ("closed", Keep),
        ])),
    ),
];

const ASSISTANCE: &[(&str, Rule)] = &[
    ("kind", Keep),
    ("local_id", Keep),
    ("victim", Keep),
    ("organisation", Keep),
    ("donor", Keep),
    ("date", Month("date_month")),
    ("admin_pcode", Keep),
    ("service", Keep),
    ("sex", Keep),
    ("age", AgeBand("age_band")),
    ("persons", Keep),
    ("comment", Never),
];

/// The allow-list of a kind.
fn fields(kind: ItemKind) -> &'static [(&'static str, Rule)] {
    match kind {
        ItemKind::Organisation => ORGANISATION,
        ItemKind::Team => TEAM,
        ItemKind::AdminArea => ADMIN_AREA,
        ItemKind::Hazard => HAZARD,
        ItemKind::Activity => ACTIVITY,
        ItemKind::EoFind => EO_FIND,
        ItemKind::Accident => ACCIDENT,
        ItemKind::Victim => VICTIM,
        ItemKind::RiskEducation => RISK_EDUCATION,
        ItemKind::QaVisit => QA_VISIT,
        ItemKind::Assistance => ASSISTANCE,
    }
}

/// Whether records of `kind` carry coordinates, which the policy's precision rounds.
pub fn has_coordinates(kind: ItemKind) -> bool {
    fn any_geometry(rule: &Rule) -> bool {
        match rule {
            Geometry => true,
            Fields(list) => list.iter().any(|(_, r)| any_geometry(r)),
            Each(r) => any_geometry(r),
            _ => false,
        }
    }
    fields(kind).iter().any(|(_, r)| any_geometry(r))
}

/// Appends to `out` the shared names of the fields `list` lets out, under `prefix`.
fn shared_names(list: &[(&str, Rule)], prefix: &str, free_text: bool, out: &mut Vec<String>) {
    for (name, rule) in list {
        let named = |to: &str| format!("{prefix}{to}");
        match rule {
            Never => {}
            Text if !free_text => {}
            Keep | Text | Geometry => out.push(named(name)),
            Month(to) | AgeBand(to) => out.push(named(to)),
            Fields(inner) | Each(Fields(inner)) => {
                shared_names(inner, &named(&format!("{name}.")), free_text, out)
            }
            Each(_) => out.push(named(name)),
        }
    }
}

/// How one record is shared.
struct Sharing {
    /// 10^precision.
    scale: f64,
    free_text: bool,
}

impl Sharing {
    /// `v` under `rule`; none: the field is not shared.
    fn value(&self, rule: Rule, v: &Value) -> Option<Value> {
        match (rule, v) {
            (Keep | Text, Value::Object(_)) => None,
            (Keep | Text, Value::Array(items)) if items.iter().any(is_structured) => None,
            (Keep, _) => Some(v.clone()),
            (Text, _) => self.free_text.then(|| v.clone()),
            (Never, _) => None,
            (Geometry, _) => Some(self.round_geometry(v)),
            (Month(_), _) => Some(month(v)),
            (AgeBand(_), _) => Some(json!(v.as_u64().map(age_band))),
            (Fields(_) | Each(_), Value::Null) => Some(Value::Null),
            (Fields(list), Value::Object(obj)) => Some(Value::Object(self.object(list, obj))),
            (Each(rule), Value::Array(items)) => Some(Value::Array(
                items.iter().filter_map(|i| self.value(*rule, i)).collect(),
            )),
            (Fields(_) | Each(_), _) => None,
        }
    }

    /// The fields of `obj` that `list` allows, each by its rule, under its shared name.
    fn object(&self, list: &[(&str, Rule)], obj: &Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        for (name, rule) in list {
            let Some(v) = obj.get(*name) else { continue };
            if let Some(shared) = self.value(*rule, v) {
                let key = match rule {
                    Month(to) | AgeBand(to) => to,
                    _ => name,
                };
                out.insert((*key).to_owned(), shared);
            }
        }
        out
    }

    /// A GeoJSON geometry with its coordinates rounded; anything else as null.
    fn round_geometry(&self, v: &Value) -> Value {
        match (v.get("type"), v.get("coordinates")) {
            (Some(Value::String(t)), Some(c)) => {
                json!({"type": t, "coordinates": self.round_coordinates(c)})
            }
            _ => Value::Null,
        }
    }

    fn round_coordinates(&self, v: &Value) -> Value {
        match v {
            Value::Array(items) => {
                Value::Array(items.iter().map(|i| self.round_coordinates(i)).collect())
            }
            Value::Number(n) => n.as_f64().map_or(Value::Null, |x| {
                json!((x * self.scale).round() / self.scale)
            }),
            _ => Value::Null,
        }
    }
}

/// Whether `v` is an object or an array.
fn is_structured(v: &Value) -> bool {
    v.is_object() || v.is_array()
}

/// The number `v`, or 0.
fn count(v: Option<&Value>) -> u64 {
    v.and_then(Value::as_u64).unwrap_or(0)
}

/// Withholds the sex and age band of a shared record counting fewer than `threshold`.
fn withhold_if_small(out: &mut Map<String, Value>, n: u64, threshold: u32) {
    if n < u64::from(threshold) {
        out.insert("sex".into(), json!(WITHHELD));
        out.insert("age_band".into(), json!(WITHHELD));
    }
}

impl Policy {
    /// The record of an approved version as shared under this policy: none when its kind is
    /// not shared; otherwise only the kind's allowed fields, generalised and rounded, with
    /// small groups' sex and age band withheld. `groups` counts the node's victims per group
    /// (`safeground_io::quasi::victim_groups`); with no count for a group, its victims are
    /// withheld.
    ///
    /// ```
    /// use safeground_federation::{Policy, policy::VictimGroups};
    /// use safeground_model::ItemKind;
    /// use serde_json::json;
    ///
    /// let accident = json!({"kind": "accident", "local_id": "ACC-1", "date": "2024-03-17",
    ///     "location": {"type": "Point", "coordinates": [104.916712, 11.553491]},
    ///     "description": "Mr Sok stepped on a mine behind his house"});
    /// let shared = Policy::default()
    ///     .deidentify(ItemKind::Accident, &accident, &VictimGroups::new())?
    ///     .expect("accidents are shared");
    /// assert_eq!(shared, json!({"kind": "accident", "local_id": "ACC-1", "date_month": "2024-03",
    ///     "location": {"type": "Point", "coordinates": [104.92, 11.55]}}));
    /// # Ok::<(), safeground_federation::FederationError>(())
    /// ```
    pub fn deidentify(
        &self,
        kind: ItemKind,
        record: &Value,
        groups: &VictimGroups,
    ) -> Result<Option<Value>, FederationError> {
        if !self.shares(kind) {
            return Ok(None);
        }
        let not_a_record = |reason: String| FederationError::NotARecord { kind, reason };
        let Value::Object(obj) = record else {
            return Err(not_a_record("it is not a JSON object".into()));
        };
        match obj.get("kind").and_then(Value::as_str) {
            Some(k) if k == kind.code() => {}
            other => {
                return Err(not_a_record(format!(
                    "its \"kind\" is {other:?}, not \"{}\"",
                    kind.code()
                )));
            }
        }
        let sharing = Sharing {
            scale: 10f64.powi(i32::from(self.precision(kind))),
            free_text: self.free_text(kind),
        };
        let mut out = sharing.object(fields(kind), obj);
        let threshold = self.suppression.threshold;
        match kind {
            ItemKind::Victim => {
                let text = |k: &str| out.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                let group = (text("sex"), text("age_band"), text("outcome"));
                let n = groups.get(&group).copied().unwrap_or(0);
                withhold_if_small(&mut out, n, threshold);
            }
            ItemKind::Assistance => {
                let n = count(out.get("persons"));
                withhold_if_small(&mut out, n, threshold);
            }
            _ => {}
        }
        Ok(Some(Value::Object(out)))
    }

    /// The fields of a `kind` record that leave the node under this policy, by the names
    /// they are shared under (an accident's `date` as `date_month`, a victim's age as
    /// `age_band`; a field of a nested object as `parent.field`); free text only where the
    /// policy shares it; none when the kind is not shared. Every other field stays.
    ///
    /// ```
    /// use safeground_federation::Policy;
    /// use safeground_model::ItemKind;
    ///
    /// let victim = Policy::default().shared_fields(ItemKind::Victim);
    /// assert!(victim.contains(&"age_band".to_string()));
    /// assert!(!victim.iter().any(|f| f.contains("name") || f.contains("age_at")));
    /// assert!(Policy::default().shared_fields(ItemKind::Team).is_empty());
    /// ```
    pub fn shared_fields(&self, kind: ItemKind) -> Vec<String> {
        let mut out = Vec::new();
        if self.shares(kind) {
            shared_names(fields(kind), "", self.free_text(kind), &mut out);
        }
        out
    }

    /// The bundle entry of outbox entry `seq`, an approved `revision` of `item` (its global
    /// id): an upsert of the record as [`Policy::deidentify`] shares it, or, when its kind is
    /// not shared, a withheld entry that tells nothing of it.
    ///
    /// ```
    /// use safeground_federation::{Operation, Policy, policy::VictimGroups};
    /// use safeground_model::ItemKind;
    /// use serde_json::json;
    ///
    /// let team = json!({"kind": "team", "local_id": "T-1", "name": "Team 1"});
    /// let entry = Policy::default().entry(7, ItemKind::Team, "0b6f…", 1, &team, &VictimGroups::new())?;
    /// assert_eq!((entry.seq, entry.operation, entry.kind), (7, Operation::Withheld, None));
    /// # Ok::<(), safeground_federation::FederationError>(())
    /// ```
    pub fn entry(
        &self,
        seq: u64,
        kind: ItemKind,
        item: &str,
        revision: u64,
        record: &Value,
        groups: &VictimGroups,
    ) -> Result<Entry, FederationError> {
        Ok(match self.deidentify(kind, record, groups)? {
            Some(shared) => Entry::upsert(seq, kind, item, revision, shared),
            None => Entry::withheld(seq),
        })
    }
}
