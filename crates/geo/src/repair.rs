//! Explicit repair of field polygons (only on request; every change is described, with the
//! geodesic area before and after, and a repair that changes the area too much is refused).
//!
//! The area before is the area *as drawn*: each ring encloses the regions it winds around
//! (non-zero rule, each region once, so a ring that goes round twice or crosses itself keeps
//! every lobe), a polygon is its exterior's area minus its holes' (at least 0), and a
//! multipolygon is the sum of its polygons. It is measured after the coordinate fixes that
//! make it measurable (non-finite vertices dropped, latitude/longitude swaps undone). The
//! repaired shape is the union of the polygons, each its exterior's region minus the union
//! of its holes' regions (`fill.rs`), so the area changes only where the drawing itself is
//! ambiguous: overlapping parts, holes that cross or lie outside their polygon.

use geo_types::MultiPolygon;

use crate::fill::{Ring, rebuild, ring_region_area, separate_touching_holes};
use crate::validity::{RawPolygon, Rule, Severity, check, raw_polygons};
use crate::{CheckOptions, GeoError, geodesic_area};

/// Settings of [`repair_with`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepairOptions {
    /// Largest change of area the repair may make, in percent of the area as drawn
    /// (default 1). `f64::INFINITY` sets no limit.
    pub max_area_change_percent: f64,
}

impl Default for RepairOptions {
    fn default() -> Self {
        RepairOptions {
            max_area_change_percent: 1.0,
        }
    }
}

/// A repaired geometry and what was done to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    /// The valid result (it passes [`check`]).
    pub geometry: MultiPolygon<f64>,
    /// One sentence per change made; the last gives the area before and after.
    pub actions: Vec<String>,
    /// Geodesic area as drawn, m² (see the module notes).
    pub area_before_m2: f64,
    /// Geodesic area of the result, m².
    pub area_after_m2: f64,
}

/// `m2` as "1,234.5 m²".
pub(crate) fn fmt_m2(m2: f64) -> String {
    let s = format!("{m2:.1}");
    let (int, frac) = s.split_once('.').unwrap_or((&s, "0"));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}.{frac} m²")
}

/// The change from `before` to `after` in percent, signed ("−0.07 %", "+12.50 %").
pub(crate) fn fmt_change(before: f64, after: f64) -> String {
    if before <= 0.0 {
        return if after > 0.0 {
            "from nothing"
        } else {
            "+0.00 %"
        }
        .into();
    }
    let pct = (after - before) / before * 100.0;
    let sign = if pct < 0.0 { '−' } else { '+' };
    format!("{sign}{:.2} %", pct.abs())
}

/// "area 872.5 m² → 871.9 m² (−0.07 %)": the line a repair ends its actions with.
pub fn area_change_note(before_m2: f64, after_m2: f64) -> String {
    format!(
        "area {} → {} ({})",
        fmt_m2(before_m2),
        fmt_m2(after_m2),
        fmt_change(before_m2, after_m2)
    )
}

/// [`repair_with`] with the default settings (at most 1 % change of area).
///
/// ```
/// // An unclosed bowtie becomes two triangles, and the actions say so, area included.
/// let bowtie = vec![[103.20, 13.10], [103.21, 13.11], [103.21, 13.10], [103.20, 13.11]];
/// let r = safeground_geo::repair(&[vec![bowtie]]).unwrap();
/// assert_eq!(r.geometry.0.len(), 2);
/// assert!(r.actions.iter().any(|a| a.contains("closed the ring")));
/// let area = r.actions.last().unwrap(); // "area … m² → … m² (+0.00 %)"
/// assert!(area.starts_with("area ") && area.ends_with("(+0.00 %)"), "{area}");
/// ```
pub fn repair(polygons: &[RawPolygon]) -> Result<Repair, GeoError> {
    repair_with(polygons, &RepairOptions::default())
}

fn in_range(x: f64, y: f64) -> bool {
    x.abs() <= 180.0 && y.abs() <= 90.0
}

/// Repairs raw polygons: drops non-finite coordinates and repeated points, swaps coordinates
/// that are latitude-first (the whole ring when every vertex fits swapped, else the vertices
/// that are out of range and fit swapped), closes rings, drops rings of fewer than three
/// distinct points, and rebuilds the rest as valid polygons keeping every region a ring
/// winds around (see the module notes). A hole vertex left touching its exterior is moved
/// about 1 mm into the hole.
///
/// Fails, saying why, when a coordinate is out of range either way round, when nothing
/// polygonal remains, when the result would still fail [`check`], or when the area would
/// change by more than `options.max_area_change_percent` ([`GeoError::AreaChange`]).
pub fn repair_with(polygons: &[RawPolygon], options: &RepairOptions) -> Result<Repair, GeoError> {
    let limit = options.max_area_change_percent;
    if limit.is_nan() || limit < 0.0 {
        return Err(GeoError::Input(format!(
            "the largest area change of a repair must be a percentage of 0 or more, not {limit}"
        )));
    }
    let mut actions = Vec::new();
    let issues = check(polygons, &CheckOptions::default());
    let mut cleaned: Vec<Vec<Ring>> = Vec::new();
    for (pi, polygon) in polygons.iter().enumerate() {
        let mut rings = Vec::new();
        for (ri, ring) in polygon.iter().enumerate() {
            match clean_ring(ring, pi, ri, &mut actions)? {
                Some(r) => rings.push(r),
                None if ri == 0 => {
                    actions.push(format!(
                        "polygon {}: dropped it, as its exterior ring has fewer than 3 distinct points",
                        pi + 1
                    ));
                    break;
                }
                None => {}
            }
        }
        if !rings.is_empty() {
            cleaned.push(rings);
        }
    }
    let mut before = 0.0;
    for rings in &cleaned {
        let mut area = 0.0;
        for (ri, r) in rings.iter().enumerate() {
            let a = ring_region_area(r)?;
            area += if ri == 0 { a } else { -a };
        }
        before += area.max(0.0);
    }

    let mut geometry = rebuild(&cleaned)?;
    let topology: Vec<&str> = [
        (Rule::SelfIntersection, "self-intersecting rings"),
        (Rule::RingsCross, "holes crossing or outside their exterior"),
    ]
    .iter()
    .filter(|(rule, _)| issues.iter().any(|i| i.rule == *rule))
    .map(|(_, what)| *what)
    .collect();
    if !topology.is_empty() {
        actions.push(format!(
            "rebuilt {} as {} valid polygon(s), keeping every region a ring winds around",
            topology.join(" and "),
            geometry.0.len()
        ));
    }
    if cleaned.len() > 1 && geometry.0.len() < cleaned.len() {
        actions.push(format!(
            "merged {} polygons that overlap or touch into {}",
            cleaned.len(),
            geometry.0.len()
        ));
    }
    separate_touching_holes(&mut geometry, &mut actions);
    // Rounding to the overlay's grid can leave edges of a tangle a hair's breadth across each
    // other; another pass over the result nodes them.
    if first_error(&geometry).is_some() {
        let again: Vec<Vec<Ring>> = raw_polygons(&geometry)
            .into_iter()
            .map(|p| {
                p.into_iter()
                    .map(|mut r| {
                        r.pop();
                        r
                    })
                    .collect()
            })
            .collect();
        geometry = rebuild(&again)?;
        separate_touching_holes(&mut geometry, &mut actions);
    }
    if geometry.0.is_empty() {
        return Err(GeoError::Repair(
            "nothing polygonal remains after repair (no ring encloses any area)".into(),
        ));
    }
    if let Some(left) = first_error(&geometry) {
        return Err(GeoError::Repair(format!(
            "no valid shape could be made of it ({left})"
        )));
    }
    let after = geodesic_area(&geometry);
    let change = if before > 0.0 {
        (after - before).abs() / before * 100.0
    } else if after > 0.0 {
        f64::INFINITY
    } else {
        0.0
    };
    if change > limit {
        return Err(GeoError::AreaChange {
            before_m2: before,
            after_m2: after,
            max_percent: limit,
        });
    }
    actions.push(area_change_note(before, after));
    Ok(Repair {
        geometry,
        actions,
        area_before_m2: before,
        area_after_m2: after,
    })
}

/// The first issue of `mp` that the write check refuses.
fn first_error(mp: &MultiPolygon<f64>) -> Option<crate::GeometryIssue> {
    check(&raw_polygons(mp), &CheckOptions::default())
        .into_iter()
        .find(|i| i.severity == Severity::Error)
}

/// One ring cleaned (see [`repair_with`]) and opened, its fixes described; `None` when fewer
/// than three distinct points are left.
fn clean_ring(
    ring: &[[f64; 2]],
    pi: usize,
    ri: usize,
    actions: &mut Vec<String>,
) -> Result<Option<Ring>, GeoError> {
    let place = format!("polygon {}, ring {}", pi + 1, ri + 1);
    let mut pts: Ring = ring
        .iter()
        .copied()
        .filter(|c| c[0].is_finite() && c[1].is_finite())
        .collect();
    if pts.len() < ring.len() {
        actions.push(format!(
            "{place}: dropped {} non-finite coordinates",
            ring.len() - pts.len()
        ));
    }
    let swappable = |c: &[f64; 2]| !in_range(c[0], c[1]) && in_range(c[1], c[0]);
    if pts.iter().any(swappable) {
        if pts.iter().all(|c| in_range(c[1], c[0])) {
            pts.iter_mut().for_each(|c| c.swap(0, 1));
            actions.push(format!(
                "{place}: swapped latitude/longitude to longitude/latitude"
            ));
        } else {
            let mut which = Vec::new();
            for (v, c) in pts.iter_mut().enumerate() {
                if swappable(c) {
                    c.swap(0, 1);
                    which.push((v + 1).to_string());
                }
            }
            actions.push(format!(
                "{place}: swapped latitude/longitude to longitude/latitude at vertex {}",
                which.join(", ")
            ));
        }
    }
    if let Some((v, c)) = pts.iter().enumerate().find(|(_, c)| !in_range(c[0], c[1])) {
        return Err(GeoError::Repair(format!(
            "{place}: vertex {} ({}, {}) is outside WGS 84 longitude/latitude either way round; fix the coordinate",
            v + 1,
            c[0],
            c[1]
        )));
    }
    let finite = pts.len();
    let unclosed = finite >= 3 && pts.first() != pts.last();
    let mut kept: Ring = Vec::with_capacity(finite);
    for c in pts {
        if kept.last() != Some(&c) {
            kept.push(c);
        }
    }
    let repeats = finite - kept.len();
    if kept.len() > 1 && kept.first() == kept.last() {
        kept.pop(); // the closing point
    }
    if repeats > 0 {
        actions.push(format!("{place}: removed {repeats} repeated points"));
    }
    if unclosed {
        actions.push(format!("{place}: closed the ring"));
    }
    let mut distinct = kept.clone();
    distinct.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    distinct.dedup();
    if distinct.len() < 3 {
        actions.push(format!(
            "{place}: dropped a ring with fewer than 3 distinct points"
        ));
        return Ok(None);
    }
    Ok(Some(kept))
}
