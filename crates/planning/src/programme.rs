//! The programme's evidence, read from its store into the plain values the planning
//! algorithms take: work samples from approved activities, open hazards with their remaining
//! area, accidents (with their casualties) and EO finds, teams, imported layers.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use geo_types::{Coord, Geometry};
use safeground_model::{AssetType, ItemKind, Record, ReleaseMethod, TeamKind};
use safeground_store::planning::PlanningStore;
use safeground_store::{Flow, ProgrammeStore, StoreError};
use serde::Serialize;

use crate::PlanningError;
use crate::forecast::{self, Forecast, ForecastInput, TeamCapacity, Work};
use crate::priority::{
    self, Criteria, DEFAULT_CRITERIA, Evidence, HazardFacts, Occurrence, Ranked,
};
use crate::productivity::{WorkSample, contamination_class, samples_of};
use crate::risk::{EventKind, PastEvent, RiskData};

/// A planning read that failed: the store, or the planning itself.
#[derive(Debug, thiserror::Error)]
pub enum ProgrammeError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The planning cannot give an answer.
    #[error(transparent)]
    Planning(#[from] PlanningError),
}

type Result<T> = std::result::Result<T, ProgrammeError>;

/// Working days per year a team is counted for unless told otherwise (5 days a week, less
/// public holidays and stand-downs).
pub const DEFAULT_DAYS_PER_YEAR: f64 = 220.0;

/// Organisations' and hazards' local ids, and each hazard's contamination class, by item id.
struct Names {
    local: HashMap<String, String>,
    class: HashMap<String, String>,
}

fn names<S: ProgrammeStore + ?Sized>(store: &S) -> Result<Names> {
    let mut n = Names {
        local: HashMap::new(),
        class: HashMap::new(),
    };
    for kind in [ItemKind::Organisation, ItemKind::Hazard] {
        store.for_each_current(kind, None, &mut |v| {
            if let Record::Hazard(h) = &v.record {
                n.class
                    .insert(v.item.clone(), contamination_class(&h.contamination));
                n.class
                    .insert(h.local_id.clone(), contamination_class(&h.contamination));
            }
            n.local.insert(v.item, v.record.local_id().to_owned());
            Ok(Flow::Continue)
        })?;
    }
    Ok(n)
}

/// The local id of a reference (an item id or already a local id).
fn local(n: &Names, r: &str) -> String {
    n.local.get(r).cloned().unwrap_or_else(|| r.to_owned())
}

/// Every productivity sample of the programme's approved activities.
pub fn work_samples<S: ProgrammeStore + ?Sized>(store: &S) -> Result<Vec<WorkSample>> {
    let n = names(store)?;
    let mut out = Vec::new();
    store.for_each_current(ItemKind::Activity, None, &mut |v| {
        if let Record::Activity(a) = &v.record {
            let class = a
                .hazard
                .as_ref()
                .or(a.hazards.first())
                .and_then(|h| n.class.get(h))
                .cloned()
                .unwrap_or_else(|| "unknown".into());
            let org = a.organisation.as_ref().map(|o| local(&n, o));
            out.extend(samples_of(a, &class, org, released_m2));
        }
        Ok(Flow::Continue)
    })?;
    Ok(out)
}

/// A released polygon's geodesic area, or the form's figure for an empty polygon.
pub fn released_m2(r: &safeground_model::ReleasedArea) -> f64 {
    let m2 = safeground_geo::geodesic_area(&r.geometry);
    if m2 > 0.0 {
        m2
    } else {
        r.reported_area_m2.unwrap_or(0.0).max(0.0)
    }
}

/// The open hazards with land remaining (their current state), as the ranking sees them.
pub fn open_hazards<S: ProgrammeStore + ?Sized>(store: &S) -> Result<Vec<HazardFacts>> {
    let mut records = HashMap::new();
    store.for_each_current(ItemKind::Hazard, None, &mut |v| {
        if let Record::Hazard(h) = v.record {
            records.insert(v.item, (h.evidence, h.contamination));
        }
        Ok(Flow::Continue)
    })?;
    let mut out = Vec::new();
    store.for_each_hazard_state(None, &mut |s| {
        use safeground_model::HazardStatus as H;
        if matches!(s.status, H::Closed | H::HandedOver) || s.remaining_m2 <= 0.0 {
            return Ok(Flow::Continue);
        }
        let (evidence, contamination) = records.remove(&s.item).unwrap_or_default();
        out.push(HazardFacts {
            item: s.item,
            local_id: s.local_id,
            name: s.name,
            admin_pcode: s.admin_pcode,
            class: s.class,
            evidence,
            contamination,
            remaining_m2: s.remaining_m2,
            shape: s.remaining.or(s.geometry),
        });
        Ok(Flow::Continue)
    })?;
    Ok(out)
}

/// Accidents (with their casualties) and EO finds with a place and a date, and the imported
/// layers, up to `as_of`.
pub fn evidence<S: ProgrammeStore + PlanningStore + ?Sized>(
    store: &S,
    as_of: NaiveDate,
) -> Result<Evidence> {
    let mut casualties: HashMap<String, u32> = HashMap::new();
    store.for_each_current(ItemKind::Victim, None, &mut |v| {
        if let Record::Victim(x) = &v.record
            && let Some(a) = &x.accident
        {
            *casualties.entry(a.clone()).or_default() += 1;
        }
        Ok(Flow::Continue)
    })?;
    let mut ev = Evidence {
        as_of,
        ..Evidence::default()
    };
    store.for_each_current(ItemKind::Accident, None, &mut |v| {
        if let Record::Accident(a) = &v.record
            && let (Some(p), Some(date)) = (a.location, a.date)
        {
            let count = casualties.get(&v.item).or(casualties.get(&a.local_id));
            ev.accidents.push(Occurrence {
                at: p.0,
                date,
                count: count.copied().unwrap_or(0),
            });
        }
        Ok(Flow::Continue)
    })?;
    store.for_each_current(ItemKind::EoFind, None, &mut |v| {
        if let Record::EoFind(f) = &v.record
            && let (Some(p), Some(date)) = (f.location, f.found_date.or(f.destroyed_date))
        {
            ev.finds.push(Occurrence {
                at: p.0,
                date,
                count: f.quantity,
            });
        }
        Ok(Flow::Continue)
    })?;
    for layer in store.planning_layers()? {
        if let Some(text) = store.planning_layer(&layer.name)? {
            ev.layers.insert(layer.name, layer_geometries(&text)?);
        }
    }
    Ok(ev)
}

/// The geometries of a stored layer (a GeoJSON FeatureCollection).
fn layer_geometries(text: &str) -> Result<Vec<Geometry<f64>>> {
    let (geometries, _) = parse_layer(text).map_err(|e| {
        ProgrammeError::Store(StoreError::Corrupt {
            what: "planning_layer".into(),
            detail: e.to_string(),
        })
    })?;
    Ok(geometries)
}

/// Reads a layer to import: a GeoJSON FeatureCollection of points, lines or polygons in WGS 84.
/// Returns its geometries and the number of features; a feature without a geometry, or with
/// coordinates off the globe, is refused naming the feature.
pub fn parse_layer(text: &str) -> std::result::Result<(Vec<Geometry<f64>>, usize), PlanningError> {
    let bad = |m: String| PlanningError::Parameter(m);
    let gj: geojson::GeoJson = text
        .parse()
        .map_err(|e| bad(format!("the layer is not GeoJSON: {e}")))?;
    let geojson::GeoJson::FeatureCollection(fc) = gj else {
        return Err(bad("the layer must be a GeoJSON FeatureCollection".into()));
    };
    let mut out = Vec::with_capacity(fc.features.len());
    for (i, f) in fc.features.iter().enumerate() {
        let Some(g) = &f.geometry else {
            return Err(bad(format!("features[{i}]: has no geometry")));
        };
        let g: Geometry<f64> = g
            .clone()
            .try_into()
            .map_err(|e| bad(format!("features[{i}].geometry: {e}")))?;
        let off = geo::CoordsIter::coords_iter(&g)
            .any(|c: Coord<f64>| !(c.x.abs() <= 180.0 && c.y.abs() <= 90.0));
        if off {
            return Err(bad(format!(
                "features[{i}].geometry: coordinates off the globe; give WGS 84 longitude, latitude"
            )));
        }
        out.push(g);
    }
    if out.is_empty() {
        return Err(bad("the layer has no feature".into()));
    }
    let n = out.len();
    Ok((out, n))
}

/// The criteria in force: those saved, else the defaults.
pub fn criteria<S: PlanningStore + ?Sized>(store: &S) -> Result<(Criteria, bool)> {
    match store.planning_criteria()? {
        Some((text, _, _)) => Ok((Criteria::from_toml(&text)?, true)),
        None => Ok((Criteria::from_toml(DEFAULT_CRITERIA)?, false)),
    }
}

/// The ranked open hazards under `criteria`, look-backs ending on `as_of`.
pub fn ranking<S: ProgrammeStore + PlanningStore + ?Sized>(
    store: &S,
    criteria: &Criteria,
    as_of: NaiveDate,
) -> Result<Vec<Ranked>> {
    let hazards = open_hazards(store)?;
    let ev = evidence(store, as_of)?;
    Ok(priority::rank(&hazards, &ev, criteria)?)
}

/// The asset type a team's output is measured by: its kind's, else its first asset's.
pub fn team_asset(kind: TeamKind, assets: &[safeground_model::Asset]) -> Option<AssetType> {
    match kind {
        TeamKind::Manual => Some(AssetType::Manual),
        TeamKind::MineDetectionDog => Some(AssetType::MineDetectionDog),
        TeamKind::MineDetectionRat => Some(AssetType::MineDetectionRat),
        TeamKind::Mechanical => Some(AssetType::Machine),
        _ => assets.first().map(|a| a.asset_type),
    }
}

/// The teams that release land by clearance or technical survey (manual, dog, rat,
/// mechanical, technical survey, BAC and multi-task teams), each with the asset its output is
/// measured by.
pub fn land_release_teams<S: ProgrammeStore + ?Sized>(
    store: &S,
    days_per_year: f64,
) -> Result<Vec<TeamCapacity>> {
    let mut out = Vec::new();
    store.for_each_current(ItemKind::Team, None, &mut |v| {
        if let Record::Team(t) = &v.record {
            let releases = matches!(
                t.team_type,
                TeamKind::Manual
                    | TeamKind::MineDetectionDog
                    | TeamKind::MineDetectionRat
                    | TeamKind::Mechanical
                    | TeamKind::TechnicalSurvey
                    | TeamKind::Bac
                    | TeamKind::MultiTask
            );
            if releases {
                let asset = team_asset(t.team_type, &t.assets).unwrap_or(AssetType::Manual);
                out.push(TeamCapacity {
                    team: t.local_id.clone(),
                    rate: asset.code().to_owned(),
                    days_per_year,
                });
            }
        }
        Ok(Flow::Continue)
    })?;
    Ok(out)
}

/// m² per working day by asset type, from the samples of clearance and technical survey (land
/// cancelled by non-technical survey is not counted as capacity: its rate is not a team's).
pub fn release_rates(samples: &[WorkSample]) -> BTreeMap<String, Vec<f64>> {
    let mut rates: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for s in samples {
        if matches!(s.method, ReleaseMethod::Cleared | ReleaseMethod::Reduced)
            && let Some(a) = s.asset_type
        {
            rates
                .entry(a.code().to_owned())
                .or_default()
                .push(s.m2_per_day());
        }
    }
    rates
}

/// What a forecast of the programme is asked.
#[derive(Debug, Clone)]
pub struct ForecastRequest {
    /// First day.
    pub start: NaiveDate,
    /// Article 5 deadline.
    pub deadline: Option<NaiveDate>,
    /// Runs.
    pub runs: u32,
    /// Seed.
    pub seed: u64,
    /// Working days per team per year.
    pub days_per_year: f64,
}

/// The completion forecast of the programme: its open hazards in the order of the criteria in
/// force, its land-release teams, their productivity.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgrammeForecast {
    /// The forecast.
    #[serde(flatten)]
    pub forecast: Forecast,
    /// Productivity samples per asset type used (count, median m²/day).
    pub rates: Vec<RateUsed>,
}

/// A productivity distribution the forecast drew from.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RateUsed {
    /// Asset type code.
    pub asset_type: String,
    /// Samples.
    pub samples: usize,
    /// Median m² per working day.
    pub median_m2_per_day: f64,
}

/// Runs the programme's forecast.
pub fn programme_forecast<S: ProgrammeStore + PlanningStore + ?Sized>(
    store: &S,
    request: &ForecastRequest,
) -> Result<ProgrammeForecast> {
    let (criteria, _) = criteria(store)?;
    let ranked = ranking(store, &criteria, request.start)?;
    let work: Vec<Work> = ranked
        .iter()
        .map(|r| Work {
            admin: r.admin_pcode.clone(),
            remaining_m2: r.remaining_m2,
        })
        .collect();
    let teams = land_release_teams(store, request.days_per_year)?;
    let rates = release_rates(&work_samples(store)?);
    let f = forecast::forecast(&ForecastInput {
        work: &work,
        teams: &teams,
        rates: &rates,
        start: request.start,
        deadline: request.deadline,
        runs: request.runs,
        seed: request.seed,
    })?;
    let used = rates
        .iter()
        .filter(|(k, _)| teams.iter().any(|t| &t.rate == *k))
        .filter_map(|(k, v)| {
            let d = crate::productivity::Distribution::of(v)?;
            Some(RateUsed {
                asset_type: k.clone(),
                samples: d.samples,
                median_m2_per_day: d.median,
            })
        })
        .collect();
    Ok(ProgrammeForecast {
        forecast: f,
        rates: used,
    })
}

/// The events and hazards the risk models learn from: accidents and EO finds with a place and
/// a date, hazard polygons, and the `roads` layer when one is imported.
pub fn risk_data<S: ProgrammeStore + PlanningStore + ?Sized>(store: &S) -> Result<RiskData> {
    let mut events = Vec::new();
    store.for_each_current(ItemKind::Accident, None, &mut |v| {
        if let Record::Accident(a) = &v.record
            && let (Some(p), Some(date)) = (a.location, a.date)
        {
            events.push(PastEvent {
                lon: p.x(),
                lat: p.y(),
                date,
                kind: EventKind::Accident,
            });
        }
        Ok(Flow::Continue)
    })?;
    store.for_each_current(ItemKind::EoFind, None, &mut |v| {
        if let Record::EoFind(f) = &v.record
            && let (Some(p), Some(date)) = (f.location, f.found_date.or(f.destroyed_date))
        {
            events.push(PastEvent {
                lon: p.x(),
                lat: p.y(),
                date,
                kind: EventKind::EoFind,
            });
        }
        Ok(Flow::Continue)
    })?;
    let mut hazards = Vec::new();
    store.for_each_hazard_state(None, &mut |s| {
        if let Some(g) = s.geometry {
            hazards.push(g);
        }
        Ok(Flow::Continue)
    })?;
    let mut roads = Vec::new();
    if let Some(text) = store.planning_layer("roads")? {
        for g in layer_geometries(&text)? {
            match g {
                Geometry::LineString(l) => roads.push(l),
                Geometry::MultiLineString(m) => roads.extend(m.0),
                _ => {}
            }
        }
    }
    Ok(RiskData {
        events,
        hazards,
        roads,
    })
}

/// The completion forecast as the Article 5 report shows it (1000 runs, seed 1, from `start`):
/// the country, then each admin area; when there is not enough data, no rows and the reason.
pub fn report_forecast<S: ProgrammeStore + PlanningStore + ?Sized>(
    store: &S,
    start: NaiveDate,
    deadline: Option<NaiveDate>,
) -> Result<safeground_report::CompletionForecast> {
    let days_per_year = store.planning_settings()?.days_per_year;
    let request = ForecastRequest {
        start,
        deadline,
        runs: 1000,
        seed: 1,
        days_per_year,
    };
    let row = |o: &forecast::Outcome| safeground_report::ForecastRow {
        admin: o
            .admin
            .clone()
            .map(|a| if a.is_empty() { "–".into() } else { a }),
        remaining_m2: o.remaining_m2,
        p50: o.p50,
        p90: o.p90,
        chance_by_deadline: o.chance_by_deadline,
    };
    match programme_forecast(store, &request) {
        Ok(p) => {
            let f = p.forecast;
            Ok(safeground_report::CompletionForecast {
                runs: f.runs,
                seed: f.seed,
                teams: f.teams.len(),
                deadline: f.deadline,
                rows: std::iter::once(&f.country)
                    .chain(&f.admin_areas)
                    .map(row)
                    .collect(),
                needed_factor: f.needed.map(|n| n.factor),
                missing: None,
            })
        }
        Err(ProgrammeError::Planning(e @ PlanningError::NotEnoughData(_))) => {
            Ok(safeground_report::CompletionForecast {
                runs: request.runs,
                seed: request.seed,
                teams: 0,
                deadline,
                rows: Vec::new(),
                needed_factor: None,
                missing: Some(e.to_string()),
            })
        }
        Err(e) => Err(e),
    }
}
