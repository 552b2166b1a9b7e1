//! Derivation of a hazard's land-release state from its version and its linked activities.
//!
//! Backend-independent: every store computes hazard state with this function, so SQLite and
//! PostgreSQL give the same figures.
//!
//! Accounting rule: released areas are applied in valid-time order (date of information, then
//! approval time); each one is credited only with the part of the hazard that was still
//! remaining when it was applied. Overlapping releases are therefore never counted twice, and
//! `original = cancelled + reduced + cleared + remaining` holds up to rounding.

use chrono::{DateTime, NaiveDate, Utc};
use geo_types::MultiPolygon;
use safeground_model::{
    Activity, ActivityStatus, ActivityType, AssetType, Hazard, HazardClass, HazardStatus,
    ReleaseMethod, ReleasedArea,
};

use crate::{HazardState, Result, StoreError};

/// Remaining area at or below which a completed hazard counts as fully released, m².
pub const CLOSED_TOLERANCE_M2: f64 = 1.0;

/// One activity version linked to the hazard.
#[derive(Debug, Clone)]
pub struct LinkedActivity {
    /// Date of information of the activity version.
    pub valid_from: NaiveDate,
    /// Approval time of the activity version.
    pub recorded_at: DateTime<Utc>,
    /// The activity as approved.
    pub activity: Activity,
}

/// Whether an activity in this status has released land (planned and aborted work has not).
fn releases_land(status: ActivityStatus) -> bool {
    !matches!(status, ActivityStatus::Planned | ActivityStatus::Aborted)
}

/// The area one released polygon was credited with (net of everything released before it).
#[derive(Debug, Clone, PartialEq)]
pub struct Credit {
    /// Index of the activity in the `activities` given.
    pub activity: usize,
    /// Date of information of that activity version.
    pub valid_from: NaiveDate,
    /// Cancelled, reduced or cleared.
    pub method: ReleaseMethod,
    /// The asset that released it, when recorded.
    pub asset_type: Option<AssetType>,
    /// Area credited, m².
    pub area_m2: f64,
}

/// Computes the state of `hazard` (version valid from `hazard_valid_from`) after `activities`.
pub fn derive_hazard_state(
    item: &str,
    hazard: &Hazard,
    hazard_valid_from: NaiveDate,
    activities: &[LinkedActivity],
) -> Result<HazardState> {
    derive_with_credits(item, hazard, hazard_valid_from, activities).map(|(s, _)| s)
}

/// [`derive_hazard_state`], with the credit of every released polygon (for statistics by year,
/// method and asset that add up exactly to the hazard's totals).
pub fn derive_with_credits(
    item: &str,
    hazard: &Hazard,
    hazard_valid_from: NaiveDate,
    activities: &[LinkedActivity],
) -> Result<(HazardState, Vec<Credit>)> {
    let mut credits = Vec::new();
    let mut ordered: Vec<(usize, &LinkedActivity)> = activities.iter().enumerate().collect();
    ordered.sort_by_key(|(_, a)| (a.valid_from, a.recorded_at));

    let mut state = HazardState {
        item: item.to_owned(),
        local_id: hazard.local_id.clone(),
        name: hazard.name.clone(),
        class: hazard.class,
        status: hazard.status,
        admin_pcode: hazard.admin_pcode.clone(),
        organisation: hazard.organisation.clone(),
        reported_m2: hazard.reported_area_m2,
        original_m2: 0.0,
        cancelled_m2: 0.0,
        reduced_m2: 0.0,
        cleared_m2: 0.0,
        remaining_m2: 0.0,
        geometry: hazard.geometry.clone(),
        remaining: None,
        valid_from: hazard_valid_from,
    };

    match &hazard.geometry {
        Some(geometry) => {
            state.original_m2 = safeground_geo::geodesic_area(geometry);
            // Each release is credited with hazard − ⋃ releases before it, minus hazard − ⋃
            // releases up to it. Those areas come from `remaining_area` (no polygon built); the
            // remaining polygon itself from one overlay with every release, at the end.
            let releases: Vec<(usize, &LinkedActivity, &ReleasedArea)> = ordered
                .iter()
                .filter(|(_, l)| releases_land(l.activity.status))
                .flat_map(|&(i, l)| l.activity.released_areas.iter().map(move |r| (i, l, r)))
                .collect();
            let geometry_error = |e: safeground_geo::GeoError| StoreError::Geometry {
                item: item.to_owned(),
                message: e.to_string(),
            };
            let mut so_far: Vec<&MultiPolygon<f64>> = Vec::with_capacity(releases.len());
            let mut remaining = geometry.clone();
            let mut remaining_m2 = state.original_m2;
            for (n, &(index, linked, released)) in releases.iter().enumerate() {
                so_far.push(&released.geometry);
                let next_m2 = if n + 1 == releases.len() {
                    let last =
                        safeground_geo::remaining(geometry, &so_far).map_err(geometry_error)?;
                    remaining = last.geometry;
                    last.area_m2
                } else {
                    safeground_geo::remaining_area(geometry, &so_far).map_err(geometry_error)?
                };
                let area = remaining_m2 - next_m2;
                credit(&mut state, released.method, area);
                credits.push(Credit {
                    activity: index,
                    valid_from: linked.valid_from,
                    method: released.method,
                    asset_type: released.asset_type,
                    area_m2: area,
                });
                remaining_m2 = next_m2;
            }
            state.remaining_m2 = non_negative(remaining_m2);
            state.remaining = Some(remaining);
        }
        None => {
            // No polygon yet: account with the areas written on the forms.
            state.original_m2 = hazard.reported_area_m2.unwrap_or(0.0);
            let mut remaining_m2 = state.original_m2;
            for (index, linked) in ordered
                .iter()
                .filter(|(_, l)| releases_land(l.activity.status))
            {
                for released in &linked.activity.released_areas {
                    let area = released
                        .reported_area_m2
                        .unwrap_or_else(|| safeground_geo::geodesic_area(&released.geometry))
                        .min(remaining_m2);
                    credit(&mut state, released.method, area);
                    credits.push(Credit {
                        activity: *index,
                        valid_from: linked.valid_from,
                        method: released.method,
                        asset_type: released.asset_type,
                        area_m2: area,
                    });
                    remaining_m2 -= area;
                }
            }
            state.remaining_m2 = non_negative(remaining_m2);
        }
    }

    for (_, linked) in ordered
        .iter()
        .filter(|(_, l)| l.valid_from >= hazard_valid_from)
    {
        apply_transition(&mut state, &linked.activity);
    }
    Ok((state, credits))
}

/// An area that is never negative nor negative zero: a fully released hazard's remainder comes
/// out as -1e-9 m² or -0.0 from floating-point arithmetic, which readers should see as 0 (and
/// which SQLite, storing whole REALs as integers, and PostgreSQL would otherwise keep apart).
fn non_negative(area_m2: f64) -> f64 {
    if area_m2 > 0.0 { area_m2 } else { 0.0 }
}

fn credit(state: &mut HazardState, method: ReleaseMethod, area: f64) {
    match method {
        ReleaseMethod::Cancelled => state.cancelled_m2 += area,
        ReleaseMethod::Reduced => state.reduced_m2 += area,
        ReleaseMethod::Cleared => state.cleared_m2 += area,
    }
}

/// The hazard workflow of reference §2.15/§3.3, driven by linked activities.
fn apply_transition(state: &mut HazardState, activity: &Activity) {
    if !releases_land(activity.status) {
        return;
    }
    let completed = activity.status == ActivityStatus::Completed;
    match activity.activity_type {
        ActivityType::Ts | ActivityType::Clearance | ActivityType::Bac | ActivityType::Progress => {
            if state.class == HazardClass::Sha && activity.activity_type != ActivityType::Bac {
                state.class = HazardClass::Cha;
            }
            if state.status == HazardStatus::Open {
                state.status = HazardStatus::WorkedOn;
            }
        }
        ActivityType::Completion | ActivityType::Cancellation => {
            if completed && state.remaining_m2 <= CLOSED_TOLERANCE_M2 {
                state.status = HazardStatus::Closed;
            } else if state.status == HazardStatus::Open {
                state.status = HazardStatus::WorkedOn;
            }
        }
        ActivityType::Handover if completed && state.status == HazardStatus::Closed => {
            state.status = HazardStatus::HandedOver;
        }
        _ => {}
    }
}
