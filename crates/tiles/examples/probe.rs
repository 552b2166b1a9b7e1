// Dumps a few tiles of synthetic polygons with holes for a GDAL cross-check.
use geo_types::{Coord, LineString, Polygon};
use rand::{Rng, SeedableRng, rngs::SmallRng};
use safeground_tiles::*;
fn main() {
    let mut rng = SmallRng::seed_from_u64(1);
    let f: Vec<TileFeature> = (0..3000u64)
        .map(|i| {
            let c = Coord {
                x: rng.random_range(102.3..107.6),
                y: rng.random_range(10.4..14.7),
            };
            let ha: f64 = (rng.random_range(0.0..1.0) * 500f64.ln()).exp();
            let n = rng.random_range(20..=200);
            let r = (ha * 10000.0 / std::f64::consts::PI).sqrt();
            let mut mk = |r: f64, n: usize, rev: bool| {
                let mut ring: Vec<Coord<f64>> = (0..n)
                    .map(|k| {
                        let a = k as f64 / n as f64 * std::f64::consts::TAU;
                        let d = r * rng.random_range(0.75..1.25);
                        Coord {
                            x: c.x + d * a.cos() / 109000.0,
                            y: c.y + d * a.sin() / 110574.0,
                        }
                    })
                    .collect();
                ring.push(ring[0]);
                if rev {
                    ring.reverse();
                }
                LineString(ring)
            };
            let ext = mk(r, n, i % 2 == 0);
            let holes = if i % 3 == 0 {
                vec![mk(r * 0.3, 12, i % 4 == 0)]
            } else {
                vec![]
            };
            TileFeature {
                id: i,
                geometry: Polygon::new(ext, holes).into(),
                properties: vec![
                    ("status", PropertyValue::String("a".into())),
                    ("n", PropertyValue::Int(i as i64)),
                ],
            }
        })
        .collect();
    let idx = LayerIndex::new("hazards", f);
    let mut total = 0;
    for z in [6u8, 8, 10, 12, 14] {
        let n = 1u32 << z;
        let x0 = ((102.3 + 180.0) / 360.0 * n as f64) as u32;
        let x1 = ((107.6 + 180.0) / 360.0 * n as f64) as u32;
        let ty = |lat: f64| {
            let l = f64::to_radians(lat);
            ((1.0 - (l.tan() + 1.0 / l.cos()).ln() / std::f64::consts::PI) / 2.0 * n as f64) as u32
        };
        let (y0, y1) = (ty(14.7), ty(10.4));
        let mut count = 0;
        for x in x0..=x1 {
            for y in y0..=y1 {
                let b = encode_tile(&[&idx], z, x, y).unwrap();
                if b.is_empty() || count >= 40 {
                    continue;
                }
                count += 1;
                total += 1;
                std::fs::create_dir_all(format!("/tmp/mvt/{z}/{x}")).unwrap();
                std::fs::write(format!("/tmp/mvt/{z}/{x}/{y}.pbf"), b).unwrap();
            }
        }
    }
    println!("{total} tiles");
}
