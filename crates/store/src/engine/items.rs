//! Reads derived from versions: linked items and the land-release state of a hazard (through
//! [`crate::land_release`]), the same for every backend.

use std::collections::BTreeMap;

use safeground_model::{HazardClass, Record};

use super::Reads;
use crate::land_release::{LinkedActivity, derive_with_credits};
use crate::{AsOf, HazardState, ItemVersion, LandReleaseRow, ReleaseCredit, Result, StoreError};

/// Items whose version at `as_of` refers to `item`, with the referring field, in id order.
pub(crate) fn linked_items<R: Reads>(
    db: &mut R,
    item: &str,
    as_of: AsOf,
) -> Result<Vec<(&'static str, ItemVersion)>> {
    let mut out = Vec::new();
    for candidate in db.items_linking_to(item)? {
        let Some(v) = db.item_as_of(&candidate, as_of)? else {
            continue;
        };
        let fields: Vec<&'static str> = v
            .record
            .references()
            .into_iter()
            .filter(|(_, r)| *r == item)
            .map(|(f, _)| f)
            .collect();
        for field in fields {
            out.push((field, v.clone()));
        }
    }
    Ok(out)
}

/// The derived state of a hazard at `as_of`, computed from versions (never from the cache).
pub(crate) fn hazard_state<R: Reads>(
    db: &mut R,
    item: &str,
    as_of: AsOf,
) -> Result<Option<HazardState>> {
    Ok(hazard_version_and_state(db, item, as_of)?.map(|(_, state)| state))
}

/// The hazard's version in force at `as_of` and the state derived from it.
pub(crate) fn hazard_version_and_state<R: Reads>(
    db: &mut R,
    item: &str,
    as_of: AsOf,
) -> Result<Option<(ItemVersion, HazardState)>> {
    Ok(hazard_derivation(db, item, as_of)?.map(|(v, s, _)| (v, s)))
}

/// The credits of every released polygon of a hazard at `as_of`.
pub(crate) fn release_credits<R: Reads>(
    db: &mut R,
    item: &str,
    as_of: AsOf,
) -> Result<Vec<ReleaseCredit>> {
    Ok(hazard_derivation(db, item, as_of)?
        .map(|(_, _, credits)| credits)
        .unwrap_or_default())
}

fn hazard_derivation<R: Reads>(
    db: &mut R,
    item: &str,
    as_of: AsOf,
) -> Result<Option<(ItemVersion, HazardState, Vec<ReleaseCredit>)>> {
    let Some(version) = db.item_as_of(item, as_of)? else {
        return Ok(None);
    };
    let Record::Hazard(hazard) = &version.record else {
        return Err(StoreError::WrongKind {
            item: item.to_owned(),
            expected: "hazard",
        });
    };
    let (ids, activities): (Vec<String>, Vec<LinkedActivity>) = linked_items(db, item, as_of)?
        .into_iter()
        .filter(|(field, _)| *field == "hazard")
        .filter_map(|(_, v)| match v.record {
            Record::Activity(activity) => Some((
                v.item,
                LinkedActivity {
                    valid_from: v.valid_from,
                    recorded_at: v.recorded_at,
                    activity,
                },
            )),
            _ => None,
        })
        .unzip();
    let (state, credits) = derive_with_credits(item, hazard, version.valid_from, &activities)?;
    let credits = credits
        .into_iter()
        .map(|c| ReleaseCredit {
            hazard: item.to_owned(),
            activity: ids.get(c.activity).cloned().unwrap_or_default(),
            admin_pcode: state.admin_pcode.clone(),
            valid_from: c.valid_from,
            method: c.method,
            asset_type: c.asset_type,
            area_m2: c.area_m2,
        })
        .collect();
    Ok(Some((version, state, credits)))
}

/// Adds a hazard's figures to its admin area's row.
pub(crate) fn accumulate(rows: &mut BTreeMap<String, LandReleaseRow>, s: &HazardState) {
    let key = s.admin_pcode.clone().unwrap_or_default();
    let row = rows.entry(key.clone()).or_insert_with(|| LandReleaseRow {
        admin_pcode: key,
        ..LandReleaseRow::default()
    });
    row.hazards += 1;
    if matches!(s.class, HazardClass::Sha | HazardClass::Indication) {
        row.suspected_m2 += s.original_m2;
    } else {
        row.confirmed_m2 += s.original_m2;
    }
    row.cancelled_m2 += s.cancelled_m2;
    row.reduced_m2 += s.reduced_m2;
    row.cleared_m2 += s.cleared_m2;
    row.remaining_m2 += s.remaining_m2;
}

/// Relative tolerance when comparing cached and recomputed areas.
const AREA_TOLERANCE: f64 = 1e-9;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= AREA_TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

/// Compares a hazard's cached current state with the one recomputed from its versions; adds
/// one line per difference.
pub(crate) fn compare_cached(
    cached: &HazardState,
    fresh: Option<&HazardState>,
    problems: &mut Vec<String>,
) {
    let Some(fresh) = fresh else {
        problems.push(format!(
            "{} has a current state but no version",
            cached.item
        ));
        return;
    };
    let pairs = [
        ("original", cached.original_m2, fresh.original_m2),
        ("cancelled", cached.cancelled_m2, fresh.cancelled_m2),
        ("reduced", cached.reduced_m2, fresh.reduced_m2),
        ("cleared", cached.cleared_m2, fresh.cleared_m2),
        ("remaining", cached.remaining_m2, fresh.remaining_m2),
    ];
    for (name, a, b) in pairs {
        if !close(a, b) {
            problems.push(format!(
                "{}: cached {name} area {a} m² differs from recomputed {b} m²",
                cached.item
            ));
        }
    }
    if cached.name != fresh.name {
        problems.push(format!(
            "{}: cached name {:?} differs from recomputed {:?}",
            cached.item, cached.name, fresh.name
        ));
    }
    if cached.status != fresh.status || cached.class != fresh.class {
        problems.push(format!(
            "{}: cached class/status {}/{} differ from recomputed {}/{}",
            cached.item,
            cached.class.code(),
            cached.status.code(),
            fresh.class.code(),
            fresh.status.code()
        ));
    }
}
