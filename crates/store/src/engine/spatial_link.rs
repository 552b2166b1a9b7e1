//! Spatial linking: an activity that releases land but names no hazard is linked, on approval,
//! to every hazard its released polygons overlap. Each hazard is then credited by the usual
//! derivation with the part of the release inside it, so one activity may release parts of
//! several hazards and none is credited twice.

use geo_types::MultiPolygon;
use safeground_model::{Activity, Record};

use super::Reads;
use crate::{AsOf, Result};

/// Released land that overlaps a hazard by this much or less only touches it (shared edges,
/// rounding of digitised corners): the same tolerance that closes a hazard (reference §3.3).
pub(crate) const MIN_OVERLAP_M2: f64 = 1.0;

/// (min x, min y, max x, max y) of the finite coordinates of `shapes`.
pub(crate) fn bbox<'a>(
    shapes: impl IntoIterator<Item = &'a MultiPolygon<f64>>,
) -> Option<[f64; 4]> {
    let mut coords = shapes
        .into_iter()
        .flat_map(|mp| mp.0.iter())
        .flat_map(|p| p.exterior().0.iter())
        .filter(|c| c.x.is_finite() && c.y.is_finite());
    let first = coords.next()?;
    Some(coords.fold([first.x, first.y, first.x, first.y], |b, c| {
        [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)]
    }))
}

/// Whether two boxes meet.
pub(crate) fn boxes_meet(a: [f64; 4], b: [f64; 4]) -> bool {
    a[2] >= b[0] && a[0] <= b[2] && a[3] >= b[1] && a[1] <= b[3]
}

/// Fills `activity.hazards` with the hazards its released polygons overlap by more than
/// [`MIN_OVERLAP_M2`], when it releases land and names no hazard. `also` are hazards of the
/// report being approved (not yet in the current state the box search reads). Returns whether
/// it linked any.
pub(crate) fn link_released_land<R: Reads>(
    db: &mut R,
    activity: &mut Activity,
    also: &[String],
) -> Result<bool> {
    if activity.hazard.is_some() || !activity.hazards.is_empty() {
        return Ok(false);
    }
    let released: Vec<&MultiPolygon<f64>> = activity
        .released_areas
        .iter()
        .map(|r| &r.geometry)
        .collect();
    let Some(area_box) = bbox(released.iter().copied()) else {
        return Ok(false);
    };
    let mut candidates = db.hazards_in_box(area_box)?;
    candidates.extend(also.iter().cloned());
    candidates.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    candidates.dedup();
    let mut linked = Vec::new();
    for item in candidates {
        let Some(version) = db.item_as_of(&item, AsOf::now())? else {
            continue;
        };
        let Record::Hazard(hazard) = &version.record else {
            continue;
        };
        let Some(shape) = &hazard.geometry else {
            continue;
        };
        if !bbox([shape]).is_some_and(|b| boxes_meet(b, area_box)) {
            continue;
        }
        // Overlap = hazard − (hazard − released); the overlay never fails on valid shapes,
        // and a hazard it cannot compare with is simply not linked.
        let whole = safeground_geo::geodesic_area(shape);
        let Ok(outside) = safeground_geo::remaining_area(shape, &released) else {
            continue;
        };
        if whole - outside > MIN_OVERLAP_M2 {
            linked.push(item);
        }
    }
    let any = !linked.is_empty();
    activity.hazards = linked;
    Ok(any)
}
