//! The synthetic national data set of W2 (`../shared/PERFORMANCE.md` §4.0, §4.3), generated
//! in Rust from a seed so that both sides see the same coordinates.
//!
//! * Admin areas: a 5 × 5 grid of provinces over a Cambodia-sized extent (lon 102.3–107.6,
//!   lat 10.4–14.7); a hazard belongs to the province holding its centre (as a hazard record's
//!   province attribute in an IMS).
//! * Hazards: star-shaped (hence simple and valid) polygons of 5–200 vertices, radius
//!   log-normal with median 80 m (≈ 2 ha), clamped to 20 m–2 km, centred around 200 Gaussian
//!   clusters.
//! * Released areas: each picks a hazard at random (so a hazard has 0, 1, 2, … of them) and is
//!   either a wedge from the hazard's centre reaching past its edge (5–19 vertices) or a rotated
//!   rectangle around a point inside the hazard; they overlap the hazard's boundary and, often,
//!   each other.
//! * EO finds: points inside the hazards (between a hazard's centre and one of its vertices, so
//!   inside the star), each recorded against its hazard, with a category, a quantity and a date.

use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::f64::consts::TAU;

/// West, south, east, north of the country extent (degrees).
const EXTENT: [f64; 4] = [102.3, 10.4, 107.6, 14.7];
/// Provinces per row and per column of the admin grid.
const GRID: usize = 5;
/// Number of Gaussian clusters the hazard centres are drawn around.
const CLUSTERS: usize = 200;
/// Metres per degree of latitude (spherical approximation, generator only).
const M_PER_DEG: f64 = 111_320.0;

/// One hazard with its admin area and the released polygons recorded against it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hazard {
    /// 1-based id, also the key in PostGIS.
    pub id: i32,
    /// 1-based admin area (province) id.
    pub admin: i32,
    /// The hazard polygon.
    pub geometry: MultiPolygon<f64>,
    /// Released polygons (any method) recorded against this hazard.
    pub releases: Vec<MultiPolygon<f64>>,
}

/// A generated data set.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Number of admin areas; ids are 1..=admins.
    pub admins: usize,
    /// Hazards in id order.
    pub hazards: Vec<Hazard>,
}

impl Dataset {
    /// Number of released polygons.
    pub fn release_count(&self) -> usize {
        self.hazards.iter().map(|h| h.releases.len()).sum()
    }

    /// Coordinates of hazards and of released polygons, closing points included (as PostGIS
    /// `ST_NPoints` counts them).
    pub fn vertex_counts(&self) -> (usize, usize) {
        fn count(mp: &MultiPolygon<f64>) -> usize {
            mp.0.iter()
                .map(|p| {
                    p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()
                })
                .sum()
        }
        let hazards = self.hazards.iter().map(|h| count(&h.geometry)).sum();
        let releases = self
            .hazards
            .iter()
            .flat_map(|h| &h.releases)
            .map(count)
            .sum();
        (hazards, releases)
    }
}

/// Where a hazard was drawn: its centre and radius (m), needed to place its releases.
struct Site {
    cx: f64,
    cy: f64,
    r: f64,
}

impl Site {
    /// Degrees of longitude and latitude per metre at the site.
    fn deg_per_m(&self) -> (f64, f64) {
        (
            1.0 / (M_PER_DEG * self.cy.to_radians().cos()),
            1.0 / M_PER_DEG,
        )
    }

    /// The point `d` metres from the centre at angle `a` (radians from east).
    fn at(&self, a: f64, d: f64) -> Coord<f64> {
        let (kx, ky) = self.deg_per_m();
        Coord {
            x: self.cx + d * kx * a.cos(),
            y: self.cy + d * ky * a.sin(),
        }
    }
}

fn polygon(mut ring: Vec<Coord<f64>>) -> MultiPolygon<f64> {
    ring.push(ring[0]);
    MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])
}

/// A standard normal deviate (Box–Muller).
fn normal(rng: &mut SmallRng) -> f64 {
    let u: f64 = 1.0 - rng.random::<f64>();
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (TAU * v).cos()
}

/// A star-shaped ring of `nv` vertices: strictly increasing angles, radius 0.6–1.0 of `site.r`.
fn star(rng: &mut SmallRng, site: &Site, nv: usize) -> MultiPolygon<f64> {
    polygon(
        (0..nv)
            .map(|i| {
                let a = (i as f64 + rng.random::<f64>() * 0.8) / nv as f64 * TAU;
                site.at(a, site.r * (0.6 + 0.4 * rng.random::<f64>()))
            })
            .collect(),
    )
}

/// A wedge from the hazard's centre, 20°–160° wide, reaching 1.2 radii (past the hazard's edge).
fn wedge(rng: &mut SmallRng, site: &Site) -> MultiPolygon<f64> {
    let a0 = rng.random::<f64>() * TAU;
    let span = (20.0 + 140.0 * rng.random::<f64>()).to_radians();
    let arc = 4 + (span / 10f64.to_radians()) as usize;
    let mut ring = vec![site.at(0.0, 0.0)];
    ring.extend((0..arc).map(|i| site.at(a0 + span * i as f64 / (arc - 1) as f64, 1.2 * site.r)));
    polygon(ring)
}

/// A rotated rectangle around a point within 0.8 radii of the centre, half-sides 0.15–0.6 radii.
fn rectangle(rng: &mut SmallRng, site: &Site) -> MultiPolygon<f64> {
    let c = site.at(
        rng.random::<f64>() * TAU,
        0.8 * site.r * rng.random::<f64>(),
    );
    let (hw, hh) = (
        site.r * (0.15 + 0.45 * rng.random::<f64>()),
        site.r * (0.15 + 0.45 * rng.random::<f64>()),
    );
    let rot = rng.random::<f64>() * TAU;
    let (kx, ky) = site.deg_per_m();
    let (s, co) = rot.sin_cos();
    polygon(
        [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)]
            .iter()
            .map(|&(dx, dy)| Coord {
                x: c.x + (dx * co - dy * s) * kx,
                y: c.y + (dx * s + dy * co) * ky,
            })
            .collect(),
    )
}

/// The admin area (1-based) holding a point of the extent.
fn admin_of(x: f64, y: f64) -> i32 {
    let [w, s, e, n] = EXTENT;
    let col = (((x - w) / (e - w) * GRID as f64) as usize).min(GRID - 1);
    let row = (((y - s) / (n - s) * GRID as f64) as usize).min(GRID - 1);
    (row * GRID + col + 1) as i32
}

/// `hazards` hazards and `releases` released polygons from `seed`; the same arguments always
/// give the same data set.
pub fn generate(hazards: usize, releases: usize, seed: u64) -> Dataset {
    let mut rng = SmallRng::seed_from_u64(seed);
    let [w, s, e, n] = EXTENT;
    let clusters: Vec<(f64, f64)> = (0..CLUSTERS)
        .map(|_| {
            (
                w + rng.random::<f64>() * (e - w),
                s + rng.random::<f64>() * (n - s),
            )
        })
        .collect();
    let mut sites = Vec::with_capacity(hazards);
    let mut out: Vec<Hazard> = (0..hazards)
        .map(|i| {
            let (kx, ky) = clusters[rng.random_range(0..CLUSTERS)];
            let cx = (kx + 0.15 * normal(&mut rng)).clamp(w + 0.05, e - 0.05);
            let cy = (ky + 0.15 * normal(&mut rng)).clamp(s + 0.05, n - 0.05);
            let r = (80.0 * normal(&mut rng).exp()).clamp(20.0, 2_000.0);
            let site = Site { cx, cy, r };
            let nv = 5 + rng.random_range(0..196);
            let geometry = star(&mut rng, &site, nv);
            sites.push(site);
            Hazard {
                id: i as i32 + 1,
                admin: admin_of(cx, cy),
                geometry,
                releases: Vec::new(),
            }
        })
        .collect();
    if hazards > 0 {
        for _ in 0..releases {
            let h = rng.random_range(0..hazards);
            let poly = if rng.random_bool(0.5) {
                wedge(&mut rng, &sites[h])
            } else {
                rectangle(&mut rng, &sites[h])
            };
            out[h].releases.push(poly);
        }
    }
    Dataset {
        admins: GRID * GRID,
        hazards: out,
    }
}

/// Categories cycled through the EO finds (Safeground's codes).
pub const EO_CATEGORIES: [&str; 4] = ["ap_mine", "at_mine", "submunition", "uxo"];

/// One EO find.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EoFind {
    /// 1-based number (local id `EO-0000001`).
    pub id: u32,
    /// Id of the hazard it was found in.
    pub hazard: i32,
    /// Where.
    pub location: Coord<f64>,
}

/// `n` EO finds over the hazards of `ds`, each in a hazard drawn at random.
pub fn eo_finds(ds: &Dataset, n: usize, seed: u64) -> Vec<EoFind> {
    let mut rng = SmallRng::seed_from_u64(seed ^ 0xE0_F1ED);
    if ds.hazards.is_empty() {
        return Vec::new();
    }
    (1..=n)
        .map(|id| {
            let h = &ds.hazards[rng.random_range(0..ds.hazards.len())];
            let ring = &h.geometry.0[0].exterior().0;
            let (lo, hi) = ring
                .iter()
                .fold(([f64::MAX; 2], [f64::MIN; 2]), |(lo, hi), c| {
                    (
                        [lo[0].min(c.x), lo[1].min(c.y)],
                        [hi[0].max(c.x), hi[1].max(c.y)],
                    )
                });
            let centre = Coord {
                x: (lo[0] + hi[0]) / 2.0,
                y: (lo[1] + hi[1]) / 2.0,
            };
            let vertex = ring[rng.random_range(0..ring.len())];
            // √u: uniform over the area of the triangle fan, not crowded at the centre.
            let t = rng.random_range(0.0f64..0.64).sqrt();
            EoFind {
                id: u32::try_from(id).unwrap_or(u32::MAX),
                hazard: h.id,
                location: centre + (vertex - centre) * t,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (min x, min y, max x, max y) of the exterior rings.
    fn bbox(mp: &MultiPolygon<f64>) -> [f64; 4] {
        mp.0.iter().flat_map(|p| &p.exterior().0).fold(
            [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
            |[a, b, c, d], p| [a.min(p.x), b.min(p.y), c.max(p.x), d.max(p.y)],
        )
    }

    #[test]
    fn generator_is_deterministic_and_within_spec() {
        let a = generate(300, 900, 7);
        assert_eq!(a, generate(300, 900, 7));
        assert_ne!(a, generate(300, 900, 8));
        assert_eq!(a.hazards.len(), 300);
        assert_eq!(a.release_count(), 900);
        for h in &a.hazards {
            let nv = h.geometry.0[0].exterior().0.len() - 1;
            assert!((5..=200).contains(&nv), "{nv} vertices");
            assert!((1..=25).contains(&h.admin));
            let hb = bbox(&h.geometry);
            for r in &h.releases {
                let rb = bbox(r);
                // Every released polygon overlaps its hazard's bounding box.
                assert!(rb[0] <= hb[2] && hb[0] <= rb[2]);
                assert!(rb[1] <= hb[3] && hb[1] <= rb[3]);
            }
        }
    }
}
