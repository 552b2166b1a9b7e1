//! Random garbage in, no panic out: every public geometry entry point on thousands of random
//! rings mixing valid coordinates, NaN, infinities, huge values, duplicates and tangles.

use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use safeground_geo::{
    CheckOptions, RawPolygon, check, geodesic_area, remaining, repair, validated_multipolygon,
};

fn junk(rng: &mut SmallRng) -> f64 {
    match rng.random_range(0..20) {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => -1e300,
        3 => 0.0,
        4 => 181.0,
        _ => rng.random_range(-1.0..1.0),
    }
}

fn raw(rng: &mut SmallRng) -> Vec<RawPolygon> {
    (0..rng.random_range(0..3))
        .map(|_| {
            (0..rng.random_range(0..4))
                .map(|_| {
                    let n = rng.random_range(0..12);
                    let mut ring: Vec<[f64; 2]> = (0..n)
                        .map(|_| [103.0 + 0.01 * junk(rng), 13.0 + 0.01 * junk(rng)])
                        .collect();
                    if rng.random_bool(0.5)
                        && let Some(first) = ring.first().copied()
                    {
                        ring.push(first);
                    }
                    if rng.random_bool(0.2) && ring.len() > 1 {
                        ring.insert(1, ring[0]);
                    }
                    ring
                })
                .collect()
        })
        .collect()
}

fn to_geo(polys: &[RawPolygon]) -> MultiPolygon<f64> {
    MultiPolygon(
        polys
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| {
                let ring = |r: &Vec<[f64; 2]>| {
                    LineString(r.iter().map(|c| Coord { x: c[0], y: c[1] }).collect())
                };
                Polygon::new(ring(&p[0]), p[1..].iter().map(ring).collect())
            })
            .collect(),
    )
}

#[test]
fn random_garbage_never_panics() {
    let mut rng = SmallRng::seed_from_u64(7);
    for _ in 0..3000 {
        let a = raw(&mut rng);
        let b = raw(&mut rng);
        let _ = check(&a, &CheckOptions::default());
        let _ = validated_multipolygon(&a, &CheckOptions::default());
        if let Ok(r) = repair(&a) {
            assert!(!r.geometry.0.is_empty());
        }
        let (ga, gb) = (to_geo(&a), to_geo(&b));
        assert!(!geodesic_area(&ga).is_nan());
        if let Ok(r) = remaining(&ga, &[&gb]) {
            assert!(r.area_m2.is_finite() && r.area_m2 >= 0.0, "{}", r.area_m2);
        }
    }
}
