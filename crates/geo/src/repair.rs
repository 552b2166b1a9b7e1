//! Explicit repair of field polygons (only on request; every change is described).

use geo::MakeValid;
use geo_types::{Coord, LineString, MultiPolygon, Polygon};

use crate::validity::{RawPolygon, Rule, check};
use crate::{CheckOptions, GeoError};

/// A repaired geometry and what was done to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    /// The valid result.
    pub geometry: MultiPolygon<f64>,
    /// One sentence per change made.
    pub actions: Vec<String>,
}

/// Repairs raw polygons: drops non-finite coordinates and repeated points, swaps coordinates
/// that are latitude-first, closes rings, and rebuilds self-intersecting shapes as valid
/// polygons (geo's `MakeValid`). Fails if nothing polygonal remains.
///
/// ```
/// // An unclosed bowtie becomes two triangles, and the actions say so.
/// let bowtie = vec![[103.20, 13.10], [103.21, 13.11], [103.21, 13.10], [103.20, 13.11]];
/// let r = safeground_geo::repair(&[vec![bowtie]]).unwrap();
/// assert_eq!(r.geometry.0.len(), 2);
/// assert!(r.actions.iter().any(|a| a.contains("closed the ring")));
/// ```
pub fn repair(polygons: &[RawPolygon]) -> Result<Repair, GeoError> {
    let mut actions = Vec::new();
    let issues = check(polygons, &CheckOptions::default());
    let swapped_rings: Vec<(usize, usize)> = issues
        .iter()
        .filter(|i| i.rule == Rule::SwappedLatLon)
        .map(|i| (i.polygon, i.ring))
        .collect();
    let mut out = Vec::new();
    for (pi, polygon) in polygons.iter().enumerate() {
        let mut rings = Vec::new();
        for (ri, ring) in polygon.iter().enumerate() {
            let finite: Vec<[f64; 2]> = ring
                .iter()
                .copied()
                .filter(|c| c[0].is_finite() && c[1].is_finite())
                .collect();
            if finite.len() < ring.len() {
                actions.push(format!(
                    "polygon {}, ring {}: dropped {} non-finite coordinates",
                    pi + 1,
                    ri + 1,
                    ring.len() - finite.len()
                ));
            }
            let swap = swapped_rings.contains(&(pi, ri));
            if swap {
                actions.push(format!(
                    "polygon {}, ring {}: swapped latitude/longitude to longitude/latitude",
                    pi + 1,
                    ri + 1
                ));
            }
            let mut pts: Vec<Coord<f64>> = Vec::with_capacity(finite.len() + 1);
            let mut dropped = 0;
            for c in finite {
                let c = if swap {
                    Coord { x: c[1], y: c[0] }
                } else {
                    Coord { x: c[0], y: c[1] }
                };
                if pts.last() == Some(&c) {
                    dropped += 1;
                } else {
                    pts.push(c);
                }
            }
            if dropped > 0 {
                actions.push(format!(
                    "polygon {}, ring {}: removed {dropped} repeated points",
                    pi + 1,
                    ri + 1
                ));
            }
            if pts.len() >= 3 && pts.first() != pts.last() {
                actions.push(format!(
                    "polygon {}, ring {}: closed the ring",
                    pi + 1,
                    ri + 1
                ));
            }
            if pts.len() >= 3 {
                if pts.first() != pts.last() {
                    pts.push(pts[0]);
                }
                rings.push(LineString(pts));
            } else {
                actions.push(format!(
                    "polygon {}, ring {}: dropped a ring with fewer than 3 points",
                    pi + 1,
                    ri + 1
                ));
            }
        }
        let mut rings = rings.into_iter();
        if let Some(exterior) = rings.next() {
            out.push(Polygon::new(exterior, rings.collect()));
        }
    }
    let mp = MultiPolygon(out);
    let had_topology_errors = issues
        .iter()
        .any(|i| matches!(i.rule, Rule::SelfIntersection | Rule::RingsCross));
    let fixed = std::panic::catch_unwind(|| mp.make_valid())
        .map_err(|_| GeoError::Repair("the repair engine failed on this shape".into()))?
        .map_err(|e| GeoError::Repair(e.to_string()))?;
    if had_topology_errors {
        actions.push(format!(
            "rebuilt self-intersecting rings as {} valid polygon(s)",
            fixed.0.len()
        ));
    }
    if fixed.0.is_empty() {
        return Err(GeoError::Repair(
            "nothing polygonal remains after repair".into(),
        ));
    }
    Ok(Repair {
        geometry: fixed,
        actions,
    })
}
