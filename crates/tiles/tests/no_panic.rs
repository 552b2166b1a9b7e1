//! Dirty input never panics: non-finite and huge coordinates, poles, the antimeridian,
//! degenerate and self-intersecting geometry, random coordinates at every zoom.

mod support;

use geo_types::{
    Coord, Geometry, GeometryCollection, Line, LineString, MultiPoint, MultiPolygon, Point,
    Polygon, Rect, Triangle,
};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use safeground_tiles::{LayerIndex, PropertyValue, TileFeature, encode_tile};
use support::{tile, tile_of};

fn feature(id: u64, geometry: impl Into<Geometry<f64>>) -> TileFeature {
    TileFeature {
        id,
        geometry: geometry.into(),
        properties: vec![
            ("v", PropertyValue::Double(f64::NAN)),
            ("s", PropertyValue::String(String::new())),
        ],
    }
}

fn ring(coords: &[(f64, f64)]) -> LineString<f64> {
    LineString::from(coords.to_vec())
}

fn dirty() -> Vec<TileFeature> {
    let specials = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1e308,
        -1e308,
        f64::MAX,
        f64::MIN_POSITIVE,
    ];
    let mut features = Vec::new();
    for (i, &v) in specials.iter().enumerate() {
        let i = i as u64 * 10;
        features.push(feature(i, Point::new(v, 12.0)));
        features.push(feature(i + 1, Point::new(104.0, v)));
        features.push(feature(
            i + 2,
            ring(&[(104.0, 12.0), (v, 12.0), (104.5, 12.5)]),
        ));
        features.push(feature(
            i + 3,
            Polygon::new(
                ring(&[(104.0, 12.0), (105.0, 12.0), (105.0, 13.0), (104.0, 12.0)]),
                vec![ring(&[(104.2, 12.1), (v, 12.2), (104.3, 12.3)])],
            ),
        ));
    }
    // Valid but awkward.
    features.push(feature(100, Point::new(180.0, 90.0)));
    features.push(feature(101, Point::new(-180.0, -90.0)));
    features.push(feature(102, Rect::new((-180.0, -90.0), (180.0, 90.0))));
    features.push(feature(103, ring(&[(179.0, 0.0), (-179.0, 0.0)])));
    features.push(feature(104, Polygon::new(ring(&[]), vec![])));
    features.push(feature(
        105,
        Polygon::new(ring(&[(104.0, 12.0), (104.0, 12.0), (104.0, 12.0)]), vec![]),
    ));
    // Bowtie and a zero-area spike.
    features.push(feature(
        106,
        Polygon::new(
            ring(&[(104.0, 12.0), (104.1, 12.1), (104.1, 12.0), (104.0, 12.1)]),
            vec![],
        ),
    ));
    features.push(feature(
        107,
        Polygon::new(ring(&[(104.0, 12.0), (104.1, 12.0), (104.2, 12.0)]), vec![]),
    ));
    features.push(feature(108, Line::new((104.0, 12.0), (104.0, 12.0))));
    features.push(feature(
        109,
        Triangle::new(
            (104.0, 12.0).into(),
            (104.0, 12.0).into(),
            (104.0, 12.0).into(),
        ),
    ));
    features.push(feature(110, MultiPoint::from(vec![(104.0, 12.0); 5])));
    // Overlapping multipolygon parts and a hole outside its exterior.
    let a = Polygon::new(
        ring(&[(104.0, 12.0), (104.2, 12.0), (104.2, 12.2), (104.0, 12.2)]),
        vec![],
    );
    let b = Polygon::new(
        ring(&[(104.1, 12.1), (104.3, 12.1), (104.3, 12.3), (104.1, 12.3)]),
        vec![ring(&[(105.0, 13.0), (105.1, 13.0), (105.1, 13.1)])],
    );
    features.push(feature(111, MultiPolygon(vec![a, b])));
    features.push(feature(
        112,
        Geometry::GeometryCollection(GeometryCollection::<f64>(vec![])),
    ));
    features.push(feature(
        113,
        Geometry::GeometryCollection(GeometryCollection(vec![
            Point::new(104.0, 12.0).into(),
            ring(&[(104.0, 12.0), (104.1, 12.1)]).into(),
        ])),
    ));
    features
}

#[test]
fn dirty_input_never_panics() {
    let index = LayerIndex::new("dirty", dirty());
    // Everything with a non-finite or out-of-range coordinate is gone.
    assert!(index.len() >= 10 && index.len() <= 16, "{}", index.len());
    let [w, s, e, n] = index.bounds().expect("some kept");
    assert!(
        w >= -180.0 && e <= 180.0 && s >= -85.06 && n <= 85.06,
        "{w} {s} {e} {n}"
    );
    for z in 0..=3u8 {
        for x in 0..1u32 << z {
            for y in 0..1u32 << z {
                let _ = tile(&[&index], z, x, y);
            }
        }
    }
    let c = Coord {
        x: 104.05,
        y: 12.05,
    };
    for z in 4..=22u8 {
        let (x, y) = tile_of(z, c);
        let _ = tile(&[&index], z, x, y);
        let last = (1u32 << z) - 1;
        for (x, y) in [(0, 0), (last, 0), (0, last), (last, last)] {
            let _ = tile(&[&index], z, x, y);
        }
    }
}

#[test]
fn random_coordinates_never_panic() {
    let mut rng = SmallRng::seed_from_u64(7);
    let value = |rng: &mut SmallRng| -> f64 {
        match rng.random_range(0..20) {
            0 => f64::NAN,
            1 => 1e300,
            2 => 180.0,
            3 => -85.1,
            _ => rng.random_range(-181.0..181.0),
        }
    };
    for round in 0..40 {
        let features: Vec<TileFeature> = (0..20)
            .map(|i| {
                let n = rng.random_range(0..12);
                let coords: Vec<Coord<f64>> = (0..n)
                    .map(|_| Coord {
                        x: value(&mut rng),
                        y: value(&mut rng) / 2.0,
                    })
                    .collect();
                let g: Geometry<f64> = match i % 3 {
                    0 => MultiPoint::from(coords).into(),
                    1 => LineString(coords).into(),
                    _ => Polygon::new(LineString(coords), vec![]).into(),
                };
                feature(i, g)
            })
            .collect();
        let index = LayerIndex::new("r", features);
        for z in [0u8, 1, 2, 5, 9, 14, 22] {
            let x = rng.random_range(0..1u32 << z);
            let y = rng.random_range(0..1u32 << z);
            assert!(
                encode_tile(&[&index], z, x, y).is_ok(),
                "round {round} z{z}"
            );
        }
    }
}
