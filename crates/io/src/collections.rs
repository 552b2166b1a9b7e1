//! The feature collections of a programme (served through OGC API - Features and exported to
//! files), and how a stored item becomes a feature. Accidents carry no personal data (those
//! live apart, with victims), and no OGC collection holds victims: they are exported only, as
//! [`VICTIMS`].

use chrono::NaiveDate;
use geo_types::{Geometry, MultiPolygon};
use safeground_model::{ItemKind, Record};
use safeground_store::{Flow, HazardState, ItemVersion, ProgrammeStore, StoreError};
use serde_json::{Map, Value, json};

/// Where a collection's features come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Hazards with their derived land-release state.
    Hazards,
    /// One feature per released area of each activity.
    ReleasedAreas,
    /// The current version of each item of a kind.
    Items(ItemKind),
}

/// A collection.
#[derive(Debug, Clone, Copy)]
pub struct Collection {
    /// Identifier in URLs.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Description.
    pub description: &'static str,
    /// Where the features come from.
    pub source: Source,
    /// Properties usable as `name=value` filters.
    pub queryables: &'static [&'static str],
}

/// Every collection, in the order listed.
pub const COLLECTIONS: [Collection; 6] = [
    Collection {
        id: "hazards",
        title: "Hazardous areas",
        description: "Suspected and confirmed hazardous areas with their land-release state \
                      (original, cancelled, reduced, cleared and remaining geodesic m²).",
        source: Source::Hazards,
        queryables: &["class", "status", "admin_pcode", "organisation"],
    },
    Collection {
        id: "released-areas",
        title: "Released areas",
        description: "Land released by non-technical survey (cancelled), technical survey \
                      (reduced) and clearance (cleared), one feature per released polygon.",
        source: Source::ReleasedAreas,
        queryables: &[
            "method",
            "activity_type",
            "status",
            "hazard",
            "organisation",
            "asset_type",
        ],
    },
    Collection {
        id: "activities",
        title: "Activities",
        description: "Surveys, clearance and other land-release activities.",
        source: Source::Items(ItemKind::Activity),
        queryables: &["activity_type", "status", "hazard", "organisation"],
    },
    Collection {
        id: "eo-finds",
        title: "Explosive ordnance found",
        description: "Items of explosive ordnance found, with category, model and disposal.",
        source: Source::Items(ItemKind::EoFind),
        queryables: &[
            "category",
            "model",
            "admin_pcode",
            "organisation",
            "activity",
            "hazard",
        ],
    },
    Collection {
        id: "accidents",
        title: "Accidents",
        description: "Explosive ordnance accidents (no personal data).",
        source: Source::Items(ItemKind::Accident),
        queryables: &["admin_pcode", "device_type"],
    },
    Collection {
        id: "risk-education",
        title: "Risk-education sessions",
        description: "Explosive ordnance risk-education sessions and their beneficiaries.",
        source: Source::Items(ItemKind::RiskEducation),
        queryables: &["admin_pcode", "organisation"],
    },
];

/// Victims, for exports only: never an OGC collection, a tile layer or a public layer. Without
/// a personal-data grant they carry no personal field (outcome, sex, age, activity, deminer and
/// the accident only).
pub const VICTIMS: Collection = Collection {
    id: "victims",
    title: "Victims",
    description: "Casualties of explosive ordnance accidents (personal data only in a \
                  personal-data export).",
    source: Source::Items(ItemKind::Victim),
    queryables: &["outcome", "sex", "accident", "deminer"],
};

/// Victim-assistance services, for exports only (like [`VICTIMS`]: they describe people, so
/// they are never an OGC collection nor a map layer). No personal field: sex, age, service,
/// provider, donor and the victim's item id.
pub const ASSISTANCE: Collection = Collection {
    id: "victim-assistance",
    title: "Victim-assistance services",
    description: "Services delivered to survivors and indirect victims (no personal data).",
    source: Source::Items(ItemKind::Assistance),
    queryables: &[
        "service",
        "sex",
        "organisation",
        "donor",
        "admin_pcode",
        "victim",
    ],
};

/// A collection by id (the OGC collections; never victims).
pub fn collection(id: &str) -> Option<&'static Collection> {
    COLLECTIONS.iter().find(|c| c.id == id)
}

/// A collection that can be exported by id: the OGC collections, [`VICTIMS`] and
/// [`ASSISTANCE`].
pub fn export_collection(id: &str) -> Option<&'static Collection> {
    collection(id)
        .or((id == VICTIMS.id).then_some(&VICTIMS))
        .or((id == ASSISTANCE.id).then_some(&ASSISTANCE))
}

/// A feature ready to be filtered and written.
pub struct Feature {
    /// Feature id (item id, or `ACT-000012.0` for a released area).
    pub id: String,
    /// Geometry, WGS 84.
    pub geometry: Option<Geometry<f64>>,
    /// Date used by `datetime`.
    pub date: Option<NaiveDate>,
    /// Properties.
    pub properties: Map<String, Value>,
}

impl Feature {
    /// The GeoJSON text of the feature.
    pub fn to_json(&self) -> Value {
        json!({
            "type": "Feature",
            "id": self.id,
            "geometry": self.geometry.as_ref().map(geojson::Geometry::from),
            "properties": self.properties,
        })
    }

    /// Bounding box of the geometry.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        use geo::BoundingRect;
        let r = self.geometry.as_ref()?.bounding_rect()?;
        Some([r.min().x, r.min().y, r.max().x, r.max().y])
    }
}

fn hazard_feature(h: HazardState) -> Feature {
    let mut p = Map::new();
    p.insert("local_id".into(), json!(h.local_id));
    p.insert("name".into(), json!(h.name));
    p.insert("class".into(), json!(h.class.code()));
    p.insert("status".into(), json!(h.status.code()));
    p.insert("admin_pcode".into(), json!(h.admin_pcode));
    p.insert("organisation".into(), json!(h.organisation));
    p.insert("reported_m2".into(), json!(h.reported_m2));
    for (k, v) in [
        ("original_m2", h.original_m2),
        ("cancelled_m2", h.cancelled_m2),
        ("reduced_m2", h.reduced_m2),
        ("cleared_m2", h.cleared_m2),
        ("remaining_m2", h.remaining_m2),
    ] {
        p.insert(k.into(), json!((v * 100.0).round() / 100.0));
    }
    p.insert("date_of_information".into(), json!(h.valid_from));
    Feature {
        id: h.item,
        geometry: h.geometry.map(Geometry::MultiPolygon),
        date: Some(h.valid_from),
        properties: p,
    }
}

/// The record's fields as properties, without its geometry fields (they become the feature's
/// geometry) and without nested lists that a flat GIS table cannot hold.
fn record_properties(record: &Record) -> Map<String, Value> {
    let mut p = match serde_json::to_value(record) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    for k in ["geometry", "location", "released_areas", "kind"] {
        p.remove(k);
    }
    for v in p.values_mut() {
        if v.is_array() || v.is_object() {
            *v = Value::String(v.to_string());
        }
    }
    p
}

fn item_feature(v: ItemVersion) -> Feature {
    let mut properties = record_properties(&v.record);
    properties.insert("date_of_information".into(), json!(v.valid_from));
    let (geometry, date) = match &v.record {
        Record::Activity(a) => {
            let polys: Vec<_> = a
                .released_areas
                .iter()
                .flat_map(|r| r.geometry.0.iter().cloned())
                .collect();
            (
                (!polys.is_empty()).then_some(Geometry::MultiPolygon(MultiPolygon(polys))),
                a.end_date.or(a.start_date),
            )
        }
        Record::EoFind(e) => (e.location.map(Geometry::Point), e.found_date),
        Record::Accident(a) => (a.location.map(Geometry::Point), a.date),
        Record::RiskEducation(r) => (r.location.map(Geometry::Point), r.date),
        Record::Assistance(r) => (None, r.date),
        Record::Hazard(h) => (
            h.geometry.clone().map(Geometry::MultiPolygon),
            h.first_recorded,
        ),
        _ => (None, None),
    };
    Feature {
        id: v.item,
        geometry,
        date: date.or(Some(v.valid_from)),
        properties,
    }
}

fn released_features(v: ItemVersion) -> Vec<Feature> {
    let Record::Activity(a) = &v.record else {
        return Vec::new();
    };
    a.released_areas
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut p = Map::new();
            p.insert("activity".into(), json!(v.item));
            p.insert("hazard".into(), json!(a.hazard));
            p.insert("organisation".into(), json!(a.organisation));
            p.insert("activity_type".into(), json!(a.activity_type.code()));
            p.insert("status".into(), json!(a.status.code()));
            p.insert("method".into(), json!(r.method.code()));
            p.insert("asset_type".into(), json!(r.asset_type.map(|x| x.code())));
            p.insert(
                "area_m2".into(),
                json!((safeground_geo::geodesic_area(&r.geometry) * 100.0).round() / 100.0),
            );
            p.insert("reported_area_m2".into(), json!(r.reported_area_m2));
            p.insert("end_date".into(), json!(a.end_date));
            Feature {
                id: format!("{}.{i}", v.item),
                geometry: Some(Geometry::MultiPolygon(r.geometry.clone())),
                date: a.end_date.or(a.start_date).or(Some(v.valid_from)),
                properties: p,
            }
        })
        .collect()
}

/// Streams the features of a collection in id order, starting after the feature id `after`.
pub fn for_each_feature<S: ProgrammeStore + ?Sized, E: From<StoreError>>(
    store: &S,
    source: Source,
    after: Option<&str>,
    f: &mut dyn FnMut(Feature) -> Result<Flow, E>,
) -> Result<(), E> {
    let mut failure = None;
    let mut guard = |feature: Feature| -> safeground_store::Result<Flow> {
        match f(feature) {
            Ok(flow) => Ok(flow),
            Err(e) => {
                failure = Some(e);
                Ok(Flow::Stop)
            }
        }
    };
    match source {
        Source::Hazards => store.for_each_hazard_state(after, &mut |h| guard(hazard_feature(h)))?,
        Source::Items(kind) => {
            store.for_each_current(kind, after, &mut |v| guard(item_feature(v)))?
        }
        Source::ReleasedAreas => {
            // A cursor `ACT-000012.3` resumes inside an activity: read from that activity on
            // and skip the areas already sent.
            let (activity, index) = match after.and_then(|a| a.split_once('.')) {
                Some((act, i)) => (Some(act), i.parse::<usize>().ok()),
                None => (after, None),
            };
            let start = match (activity, index) {
                (Some(act), Some(_)) => act.get(..act.len().saturating_sub(1)),
                (a, _) => a,
            };
            store.for_each_current(ItemKind::Activity, start, &mut |v| {
                if let (Some(act), Some(_)) = (activity, index)
                    && v.item.as_str() < act
                {
                    return Ok(Flow::Continue);
                }
                let skip = match (activity, index) {
                    (Some(act), Some(i)) if v.item == act => i + 1,
                    _ => 0,
                };
                for feature in released_features(v).into_iter().skip(skip) {
                    if guard(feature)? == Flow::Stop {
                        return Ok(Flow::Stop);
                    }
                }
                Ok(Flow::Continue)
            })?
        }
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
