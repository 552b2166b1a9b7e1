//! Figures of the dashboard, computed from the store (the UI only draws them): land released
//! per year by method and by asset (exact per-polygon credits, so they add up to the hazards'
//! totals), remaining contamination by admin area, EO destroyed by category, EO found by
//! category with and without disposal (finds without a found date apart), casualties per year
//! by sex and age group, accidents per year with and without victim records, risk-education
//! beneficiaries by sex and age band, land released outside recorded hazards by method,
//! productivity (m² per working day by method and asset type: samples and quartiles), and
//! the boundaries of the admin areas (deepest level that has any) with their remaining
//! contamination, for the choropleth.

use std::collections::{BTreeMap, HashMap};

use axum::Json;
use axum::extract::{RawQuery, State};
use chrono::Datelike;
use geo_types::MultiPolygon;
use safeground_model::{
    AdminArea, AudienceReach, DisposalMethod, EoFind, ItemKind, Record, ReleaseMethod,
};
use safeground_report::{OutsideByMethod, ReleasedOutsideHazards, linked_hazards};
use safeground_store::{AsOf, Backend, Flow, LandReleaseRow};
use serde_json::{Value, json};

use super::params::{AsOfParams, query};
use crate::auth::{Permission, Principal};
use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Default)]
struct Released {
    cancelled: f64,
    reduced: f64,
    cleared: f64,
}

impl Released {
    fn add(&mut self, method: ReleaseMethod, area: f64) {
        match method {
            ReleaseMethod::Cancelled => self.cancelled += area,
            ReleaseMethod::Reduced => self.reduced += area,
            ReleaseMethod::Cleared => self.cleared += area,
        }
    }
    fn json(&self) -> Value {
        json!({ "cancelled_m2": self.cancelled, "reduced_m2": self.reduced, "cleared_m2": self.cleared })
    }
}

/// Year of the accident, sex and age group.
type CasualtyKey = (Option<i32>, &'static str, &'static str);

/// EO found in one category: records, items, items with and without a disposal recorded,
/// records without a found date.
#[derive(Default)]
struct Found {
    records: u64,
    quantity: u64,
    disposed: u64,
    not_disposed: u64,
    date_unknown: u64,
}

impl Found {
    fn add(&mut self, e: &EoFind) {
        let q = u64::from(e.quantity);
        self.records += 1;
        self.quantity += q;
        if e.destroyed_date.is_some()
            || e.disposal.is_some_and(|m| m != DisposalMethod::NotDisposed)
        {
            self.disposed += q;
        } else {
            self.not_disposed += q;
        }
        if e.found_date.is_none() {
            self.date_unknown += 1;
        }
    }
}

/// Accidents of one year: how many, with and without victim records, killed and injured.
#[derive(Default)]
struct Accidents {
    accidents: u64,
    with_victims: u64,
    without_victims: u64,
    killed: u64,
    injured: u64,
}

/// Age group of a casualty (child under 18, as in the Landmine Monitor).
fn age_group(age: Option<u8>) -> &'static str {
    match age {
        Some(a) if a < 18 => "child",
        Some(_) => "adult",
        None => "unknown",
    }
}

fn compute(s: &dyn Backend, as_of: AsOf) -> ApiResult<Value> {
    let mut by_year: BTreeMap<i32, Released> = BTreeMap::new();
    let mut by_asset: BTreeMap<String, Released> = BTreeMap::new();
    for hazard in s.items_of_kind(ItemKind::Hazard)? {
        for c in s.release_credits(&hazard, as_of)? {
            by_year
                .entry(c.valid_from.year())
                .or_default()
                .add(c.method, c.area_m2);
            let asset = c
                .asset_type
                .map(|a| a.code().to_owned())
                .unwrap_or_else(|| "not_recorded".into());
            by_asset.entry(asset).or_default().add(c.method, c.area_m2);
        }
    }
    let summary = s.land_release_summary(as_of)?;
    let mut names: HashMap<String, String> = HashMap::new();
    let mut bounded: Vec<AdminArea> = Vec::new();
    s.for_each_current(ItemKind::AdminArea, None, &mut |v| {
        if let Record::AdminArea(a) = v.record {
            names.insert(a.pcode.clone(), a.name.clone());
            if a.geometry.is_some() {
                bounded.push(a);
            }
        }
        Ok(Flow::Continue)
    })?;
    let totals = summary.iter().fold(json!({"hazards": 0, "remaining_m2": 0.0, "cancelled_m2": 0.0, "reduced_m2": 0.0, "cleared_m2": 0.0}), |mut t, r| {
        t["hazards"] = json!(t["hazards"].as_u64().unwrap_or(0) + r.hazards);
        for (k, v) in [("remaining_m2", r.remaining_m2), ("cancelled_m2", r.cancelled_m2), ("reduced_m2", r.reduced_m2), ("cleared_m2", r.cleared_m2)] {
            t[k] = json!(t[k].as_f64().unwrap_or(0.0) + v);
        }
        t
    });

    // Current versions (EO, accidents, victims, sessions) as of the date.
    let mut eo: BTreeMap<&'static str, (u64, u64)> = BTreeMap::new();
    let mut found: BTreeMap<&'static str, Found> = BTreeMap::new();
    let mut accident_year: HashMap<String, Option<i32>> = HashMap::new();
    let mut victims = Vec::new();
    let mut re: BTreeMap<(&'static str, &'static str), (u64, u64)> = BTreeMap::new();
    for kind in [
        ItemKind::EoFind,
        ItemKind::Accident,
        ItemKind::Victim,
        ItemKind::RiskEducation,
    ] {
        for id in s.items_of_kind(kind)? {
            let Some(v) = s.item_as_of(&id, as_of)? else {
                continue;
            };
            match v.record {
                Record::EoFind(e) => {
                    found.entry(e.category.code()).or_default().add(&e);
                    if e.destroyed_date.is_some() {
                        let entry = eo.entry(e.category.code()).or_default();
                        entry.0 += 1;
                        entry.1 += u64::from(e.quantity);
                    }
                }
                Record::Accident(a) => {
                    accident_year.insert(v.item, a.date.map(|d| d.year()));
                }
                Record::Victim(victim) => victims.push(victim),
                Record::RiskEducation(r) => {
                    for c in &r.beneficiaries.counts {
                        let e = re.entry((c.sex.code(), c.age_band.code())).or_default();
                        match c.reach {
                            AudienceReach::Direct => e.0 += u64::from(c.count),
                            _ => e.1 += u64::from(c.count),
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut casualties: BTreeMap<CasualtyKey, (u64, u64, u64)> = BTreeMap::new();
    let mut outcomes: HashMap<&str, (u64, u64)> = HashMap::new();
    for v in &victims {
        if let Some(a) = v.accident.as_deref() {
            let o = outcomes.entry(a).or_default();
            match v.outcome.code() {
                "killed" => o.0 += 1,
                "injured" => o.1 += 1,
                _ => {}
            }
        }
        let year = v
            .accident
            .as_ref()
            .and_then(|a| accident_year.get(a).copied().flatten());
        let e = casualties
            .entry((year, v.sex.code(), age_group(v.age_at_accident)))
            .or_default();
        match v.outcome.code() {
            "killed" => e.0 += 1,
            "injured" => e.1 += 1,
            _ => e.2 += 1,
        }
    }

    // Every accident, with or without victim records (undated ones under a null year).
    let mut accidents: BTreeMap<(bool, Option<i32>), Accidents> = BTreeMap::new();
    for (id, year) in &accident_year {
        let a = accidents.entry((year.is_none(), *year)).or_default();
        let (killed, injured) = outcomes.get(id.as_str()).copied().unwrap_or_default();
        a.accidents += 1;
        if killed + injured > 0 {
            a.with_victims += 1;
        } else {
            a.without_victims += 1;
        }
        a.killed += killed;
        a.injured += injured;
    }

    // Productivity of the approved activities (their current versions).
    let samples = safeground_planning::programme::work_samples(s).map_err(|e| match e {
        safeground_planning::programme::ProgrammeError::Store(e) => e.into(),
        other => crate::error::ApiError::internal(other),
    })?;
    let productivity = safeground_planning::productivity::productivity(
        &samples,
        safeground_planning::productivity::Grouping::default(),
    );

    Ok(json!({
        "as_of": (as_of.date != chrono::NaiveDate::MAX).then_some(as_of.date),
        "productivity": productivity,
        "land_released_outside_hazards": outside_hazards(s, as_of)?,
        "admin_boundaries": admin_boundaries(bounded, &summary)?,
        "totals": totals,
        "land_released_by_year": by_year.iter().map(|(y, r)| { let mut j = r.json(); j["year"] = json!(y); j }).collect::<Vec<_>>(),
        "land_released_by_asset": by_asset.iter().map(|(a, r)| { let mut j = r.json(); j["asset_type"] = json!(a); j }).collect::<Vec<_>>(),
        "remaining_by_admin": summary.iter().map(|r| json!({
            "admin_pcode": r.admin_pcode, "name": names.get(&r.admin_pcode), "hazards": r.hazards,
            "suspected_m2": r.suspected_m2, "confirmed_m2": r.confirmed_m2, "remaining_m2": r.remaining_m2,
        })).collect::<Vec<_>>(),
        "eo_destroyed_by_category": eo.iter().map(|(c, (items, qty))| json!({"category": c, "records": items, "quantity": qty})).collect::<Vec<_>>(),
        "eo_found_by_category": found.iter().map(|(c, f)| json!({
            "category": c, "records": f.records, "quantity": f.quantity, "disposed": f.disposed,
            "not_disposed": f.not_disposed, "date_unknown": f.date_unknown,
        })).collect::<Vec<_>>(),
        "accidents_by_year": accidents.iter().map(|((_, y), a)| json!({
            "year": y, "accidents": a.accidents, "with_victims": a.with_victims,
            "without_victims": a.without_victims, "killed": a.killed, "injured": a.injured,
        })).collect::<Vec<_>>(),
        "casualties": casualties.iter().map(|((y, sex, age), (k, i, o))| json!({
            "year": y, "sex": sex, "age_group": age, "killed": k, "injured": i, "other": o,
        })).collect::<Vec<_>>(),
        "risk_education_beneficiaries": re.iter().map(|((sex, band), (d, i))| json!({
            "sex": sex, "age_band": band, "direct": d, "indirect": i,
        })).collect::<Vec<_>>(),
    }))
}

/// Land released outside the hazards each activity is linked to (the whole of it when it
/// names none), by method: `{by_method: [{method, outside_m2, activities, entirely_outside}],
/// total}`.
fn outside_hazards(s: &dyn Backend, as_of: AsOf) -> ApiResult<Value> {
    let mut shapes: HashMap<String, Option<MultiPolygon<f64>>> = HashMap::new();
    let mut outside = ReleasedOutsideHazards::default();
    for id in s.items_of_kind(ItemKind::Activity)? {
        let Some(v) = s.item_as_of(&id, as_of)? else {
            continue;
        };
        let Record::Activity(a) = &v.record else {
            continue;
        };
        if a.released_areas.is_empty() {
            continue;
        }
        for h in linked_hazards(a) {
            if !shapes.contains_key(h) {
                let shape = match s.item_as_of(h, as_of)?.map(|v| v.record) {
                    Some(Record::Hazard(hazard)) => hazard.geometry,
                    _ => None,
                };
                shapes.insert(h.to_owned(), shape);
            }
        }
        let hazards: Vec<&MultiPolygon<f64>> = linked_hazards(a)
            .filter_map(|h| shapes.get(h).and_then(Option::as_ref))
            .collect();
        outside
            .add(a, &hazards)
            .map_err(crate::error::ApiError::internal)?;
    }
    let figures = |m: &OutsideByMethod| json!({"outside_m2": m.area_m2, "activities": m.activities, "entirely_outside": m.entirely_outside});
    let by_method: Vec<Value> = [
        ReleaseMethod::Cancelled,
        ReleaseMethod::Reduced,
        ReleaseMethod::Cleared,
    ]
    .into_iter()
    .map(|m| {
        let mut j = figures(outside.method(m));
        j["method"] = json!(m.code());
        j
    })
    .collect();
    Ok(json!({"by_method": by_method, "total": figures(&outside.total)}))
}

/// Coordinates rounded to 5 decimals (about 1 m): boundaries as stored, a third of the bytes.
fn round_coordinates(v: &mut Value) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(round_coordinates),
        Value::Number(n) => {
            if let Some(x) = n.as_f64() {
                *v = json!((x * 1e5).round() / 1e5);
            }
        }
        _ => {}
    }
}

/// GeoJSON FeatureCollection of the admin areas of the deepest level that has boundaries,
/// larger first (so smaller ones are drawn over them), each with its hazards and remaining
/// area (the rows of `summary` whose P-code starts with the area's). Empty when no admin area
/// has a boundary.
fn admin_boundaries(mut areas: Vec<AdminArea>, summary: &[LandReleaseRow]) -> ApiResult<Value> {
    let Some(level) = areas.iter().map(|a| a.level).max() else {
        return Ok(json!({"type": "FeatureCollection", "features": []}));
    };
    areas.retain(|a| a.level == level);
    let mut features = Vec::with_capacity(areas.len());
    for a in areas {
        let Some(g) = &a.geometry else { continue };
        let area_m2 = safeground_geo::geodesic_area(g);
        let mut geometry = safeground_model::geometry::multipolygon_geojson::serialize(
            g,
            serde_json::value::Serializer,
        )
        .map_err(|e| crate::error::ApiError::internal(format!("{}: {e}", a.pcode)))?;
        round_coordinates(&mut geometry["coordinates"]);
        let (hazards, remaining) = summary
            .iter()
            .filter(|r| !r.admin_pcode.is_empty() && r.admin_pcode.starts_with(&a.pcode))
            .fold((0u64, 0.0f64), |(n, m2), r| {
                (n + r.hazards, m2 + r.remaining_m2)
            });
        features.push((
            area_m2,
            json!({
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "pcode": a.pcode, "name": a.name, "level": a.level,
                    "hazards": hazards, "remaining_m2": remaining,
                },
            }),
        ));
    }
    features.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(json!({
        "type": "FeatureCollection",
        "features": features.into_iter().map(|(_, f)| f).collect::<Vec<_>>(),
    }))
}

/// The dashboard figures as of a date (default: now); cached until the next approval.
#[utoipa::path(get, path = "/api/dashboard", tag = "items", params(AsOfParams),
    responses((status = 200, body = super::schemas::DashboardDoc), (status = 401, body = crate::error::Problem)))]
pub async fn dashboard(
    State(state): State<AppState>,
    who: Principal,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    let as_of = query::<AsOfParams>(q.as_deref())?.as_of()?;
    let cache = state.dashboard.clone();
    state
        .db
        .read(move |s| {
            let generation = s.last_change()?;
            let key = (generation, as_of.date, as_of.known_at);
            if let Some((k, v)) = cache.lock().unwrap_or_else(|p| p.into_inner()).as_ref()
                && *k == key
            {
                return Ok(Json(v.clone()));
            }
            let v = compute(s, as_of)?;
            *cache.lock().unwrap_or_else(|p| p.into_inner()) = Some((key, v.clone()));
            Ok(Json(v))
        })
        .await
}
