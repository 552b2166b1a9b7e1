//! Tile encoding benchmark (plain binary, no harness): `cargo bench -p safeground-tiles`.
//!
//! Synthetic data over Cambodia (102.3–107.6°E, 10.4–14.7°N), fixed seed: 3,000 lobed,
//! star-shaped hazard polygons of 20–200 vertices and 1–500 ha (one in ten with a hole; with
//! `cargo bench -p safeground-tiles -- --spiky` saw-toothed instead) and 30,000 points, with
//! properties like the server's. Prints the index build times, then per layer and zoom
//! (6–14) the encoding time per tile (mean, p50, p99, max in µs; each tile's time is the best of
//! five runs), features per tile and bytes.
//! Tiles: every tile over the area where there are at most 300, else the tiles under 300
//! randomly chosen features (so nearly all hold data).

use std::f64::consts::{PI, TAU};
use std::hint::black_box;
use std::time::Instant;

use geo_types::{Coord, LineString, Point, Polygon};
use geozero::mvt::{Message, Tile};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use safeground_tiles::{LayerIndex, PropertyValue, TileFeature, encode_tile};

const WEST: f64 = 102.3;
const EAST: f64 = 107.6;
const SOUTH: f64 = 10.4;
const NORTH: f64 = 14.7;
const STATUS: [&str; 4] = ["suspected", "confirmed", "cancelled", "reduced"];
const KIND: [&str; 5] = ["AP", "AT", "UXO", "IED", "cluster"];
const SAMPLE: usize = 300;
const PASSES: usize = 5;

/// Outline of the synthetic polygons.
#[derive(Clone, Copy, PartialEq)]
enum Outline {
    /// A lobed outline: three low harmonics of ±8 % each plus ±3 % noise per vertex.
    Lobed,
    /// A saw-tooth: ±25 % noise on the radius of every vertex (`-- --spiky`), a stress case for
    /// simplification and snapping.
    Spiky,
}

/// A star-shaped ring of `n` vertices and about `area_m2` around `c`, counter-clockwise.
fn star(
    rng: &mut SmallRng,
    c: Coord<f64>,
    area_m2: f64,
    n: usize,
    scale: f64,
    outline: Outline,
) -> LineString<f64> {
    let r = (area_m2 / PI).sqrt() * scale;
    let (m_lat, m_lon) = (110_574.0, 111_320.0 * c.y.to_radians().cos());
    let harmonics: Vec<(f64, f64)> = (1..=3)
        .map(|k| (f64::from(k + 1), rng.random_range(0.0..TAU)))
        .collect();
    let mut ring: Vec<Coord<f64>> = (0..n)
        .map(|i| {
            let a = (i as f64 + rng.random_range(-0.3..0.3)) / n as f64 * TAU;
            let f = match outline {
                Outline::Spiky => rng.random_range(0.75..1.25),
                Outline::Lobed => {
                    let lobes: f64 = harmonics
                        .iter()
                        .map(|(k, phase)| 0.08 * (k * a + phase).sin())
                        .sum();
                    1.0 + lobes + rng.random_range(-0.03..0.03)
                }
            };
            let d = r * f;
            Coord {
                x: c.x + d * a.cos() / m_lon,
                y: c.y + d * a.sin() / m_lat,
            }
        })
        .collect();
    ring.push(ring[0]);
    LineString(ring)
}

fn polygons(rng: &mut SmallRng, outline: Outline) -> Vec<TileFeature> {
    (0..3000u64)
        .map(|i| {
            let c = Coord {
                x: rng.random_range(WEST..EAST),
                y: rng.random_range(SOUTH..NORTH),
            };
            let ha = (rng.random_range(0.0..1.0) * 500f64.ln()).exp();
            let n = rng.random_range(20..=200);
            let exterior = star(rng, c, ha * 10_000.0, n, 1.0, outline);
            let holes = if i % 10 == 0 {
                vec![star(rng, c, ha * 10_000.0, 20, 0.25, outline)]
            } else {
                vec![]
            };
            TileFeature {
                id: i + 1,
                geometry: Polygon::new(exterior, holes).into(),
                properties: vec![
                    (
                        "status",
                        PropertyValue::String(STATUS[(i % 4) as usize].into()),
                    ),
                    ("ref", PropertyValue::String(format!("HA-{i:05}"))),
                    ("area_ha", PropertyValue::Double(ha)),
                    ("devices", PropertyValue::Int(rng.random_range(0..40))),
                    ("marked", PropertyValue::Bool(i % 3 == 0)),
                ],
            }
        })
        .collect()
}

fn points(rng: &mut SmallRng) -> Vec<TileFeature> {
    (0..30_000u64)
        .map(|i| TileFeature {
            id: i + 1,
            geometry: Point::new(rng.random_range(WEST..EAST), rng.random_range(SOUTH..NORTH))
                .into(),
            properties: vec![
                ("kind", PropertyValue::String(KIND[(i % 5) as usize].into())),
                ("ref", PropertyValue::String(format!("EO-{i:06}"))),
                ("depth_cm", PropertyValue::Int(rng.random_range(0..60))),
            ],
        })
        .collect()
}

fn tile_of(z: u8, c: Coord<f64>) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let lat = c.y.to_radians();
    let x = (c.x + 180.0) / 360.0 * n;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0 * n;
    (x as u32, y as u32)
}

/// Tiles to encode at zoom `z`: all over the area, or those under sampled features.
fn tiles(z: u8, anchors: &[Coord<f64>], rng: &mut SmallRng) -> Vec<(u32, u32)> {
    let (x0, y0) = tile_of(z, Coord { x: WEST, y: NORTH });
    let (x1, y1) = tile_of(z, Coord { x: EAST, y: SOUTH });
    if ((x1 - x0 + 1) * (y1 - y0 + 1)) as usize <= SAMPLE {
        return (x0..=x1)
            .flat_map(|x| (y0..=y1).map(move |y| (x, y)))
            .collect();
    }
    (0..SAMPLE)
        .map(|_| tile_of(z, anchors[rng.random_range(0..anchors.len())]))
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn bench_layer(label: &str, index: &LayerIndex, anchors: &[Coord<f64>], rng: &mut SmallRng) {
    println!("\n{label}: {} features", index.len());
    println!(
        " zoom  tiles   mean µs    p50 µs    p99 µs    max µs   feat/tile  max feat   bytes/tile"
    );
    for z in 6..=14u8 {
        let tiles = tiles(z, anchors, rng);
        let (mut features, mut max_features, mut bytes) = (0usize, 0usize, 0usize);
        for &(x, y) in &tiles {
            let encoded = encode_tile(&[index], z, x, y).expect("tile in range");
            let tile = Tile::decode(encoded.as_slice()).expect("valid tile");
            let n: usize = tile.layers.iter().map(|l| l.features.len()).sum();
            features += n;
            max_features = max_features.max(n);
            bytes += encoded.len();
        }
        // Each tile's time is the fastest of PASSES runs: the machine may be shared, and a
        // preempted run says nothing about the encoder.
        let mut micros = vec![f64::INFINITY; tiles.len()];
        for _ in 0..PASSES {
            for (best, &(x, y)) in micros.iter_mut().zip(&tiles) {
                let start = Instant::now();
                black_box(encode_tile(&[index], z, x, y).expect("tile in range"));
                *best = best.min(start.elapsed().as_secs_f64() * 1e6);
            }
        }
        micros.sort_unstable_by(f64::total_cmp);
        let mean = micros.iter().sum::<f64>() / micros.len() as f64;
        println!(
            "{z:>5} {:>6} {mean:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>11.1} {max_features:>9} {:>12.0}",
            tiles.len(),
            percentile(&micros, 0.5),
            percentile(&micros, 0.99),
            micros[micros.len() - 1],
            features as f64 / tiles.len() as f64,
            bytes as f64 / tiles.len() as f64,
        );
    }
}

fn main() {
    let outline = if std::env::args().any(|a| a == "--spiky") {
        Outline::Spiky
    } else {
        Outline::Lobed
    };
    let mut rng = SmallRng::seed_from_u64(20_240_611);
    let polygon_features = polygons(&mut rng, outline);
    let point_features = points(&mut rng);
    let anchor = |f: &TileFeature| match &f.geometry {
        geo_types::Geometry::Polygon(p) => p.exterior().0[0],
        geo_types::Geometry::Point(p) => p.0,
        _ => Coord { x: WEST, y: SOUTH },
    };
    let polygon_anchors: Vec<Coord<f64>> = polygon_features.iter().map(anchor).collect();
    let point_anchors: Vec<Coord<f64>> = point_features.iter().map(anchor).collect();
    let vertices: usize = polygon_features
        .iter()
        .map(|f| match &f.geometry {
            geo_types::Geometry::Polygon(p) => {
                p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()
            }
            _ => 0,
        })
        .sum();

    let start = Instant::now();
    let hazards = LayerIndex::new("hazards", polygon_features);
    let polygon_build = start.elapsed();
    let start = Instant::now();
    let items = LayerIndex::new("items", point_features);
    let point_build = start.elapsed();
    println!(
        "index build: {} polygons ({vertices} vertices) {:.1} ms",
        hazards.len(),
        polygon_build.as_secs_f64() * 1e3
    );
    println!(
        "index build: {} points {:.1} ms",
        items.len(),
        point_build.as_secs_f64() * 1e3
    );

    let label = if outline == Outline::Spiky {
        "hazards (spiky polygons)"
    } else {
        "hazards (polygons)"
    };
    bench_layer(label, &hazards, &polygon_anchors, &mut rng);
    bench_layer("items (points)", &items, &point_anchors, &mut rng);
}
