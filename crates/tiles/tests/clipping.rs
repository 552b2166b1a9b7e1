//! Clipping to the buffered tile, decoded with geozero's protobuf types: coordinates stay in
//! -64..4160, lines and polygons are cut exactly, also far from the tile at high zoom.

mod support;

use geo_types::{Coord, Geometry, LineString, Polygon};
use geozero::mvt::tile::GeomType;
use safeground_tiles::{LayerIndex, TileFeature};
use support::{at, geometries, layer, square, tile, tile_of};

/// Tile z14 over Phnom Penh and its zoom.
const Z: u8 = 14;
fn home() -> (u32, u32) {
    tile_of(Z, Coord { x: 104.9, y: 11.55 })
}

fn feature(id: u64, geometry: impl Into<Geometry<f64>>) -> TileFeature {
    TileFeature {
        id,
        geometry: geometry.into(),
        properties: vec![],
    }
}

#[test]
fn clipped_geometry_stays_in_the_buffer() {
    let (x, y) = home();
    // A polygon and a line much larger than a tile, centred on the home tile.
    let big = square(Z, x, y, (-20_000.0, -15_000.0), (25_000.0, 21_000.0));
    let line = LineString(vec![
        at(Z, x, y, -9000.0, 2000.0),
        at(Z, x, y, 2000.0, 2100.0),
        at(Z, x, y, 2050.0, 13_000.0),
    ]);
    let index = LayerIndex::new("h", vec![feature(1, big), feature(2, line)]);
    let mut seen = 0;
    for tx in x - 3..=x + 3 {
        for ty in y - 3..=y + 3 {
            for z in [Z, Z + 1] {
                let (sx, sy) = if z == Z {
                    (tx, ty)
                } else {
                    (2 * tx, 2 * ty + 1)
                };
                let t = tile(&[&index], z, sx, sy);
                let Some(l) = layer(&t, "h") else { continue };
                for (_, parts) in geometries(l) {
                    for part in parts {
                        seen += part.coords.len();
                        for (px, py) in part.coords {
                            assert!(
                                (-64..=4160).contains(&px) && (-64..=4160).contains(&py),
                                "{px},{py} in {z}/{sx}/{sy}"
                            );
                        }
                    }
                }
            }
        }
    }
    assert!(seen > 50);
    // The tile fully inside the big polygon holds exactly the buffered square.
    let t = tile(&[&index], Z, x + 1, y + 2);
    let g = geometries(layer(&t, "h").expect("layer"));
    assert_eq!(g.len(), 1);
    let mut ring = g[0].1[0].coords.clone();
    ring.sort_unstable();
    assert_eq!(
        ring,
        vec![(-64, -64), (-64, 4160), (4160, -64), (4160, 4160)]
    );
}

#[test]
fn line_crossing_a_tile_is_clipped_to_its_buffer() {
    let (x, y) = home();
    let line = LineString(vec![
        at(Z, x, y, -5000.0, 1000.0),
        at(Z, x, y, 9000.0, 1000.0),
    ]);
    let index = LayerIndex::new("l", vec![feature(5, line)]);
    let t = tile(&[&index], Z, x, y);
    let g = geometries(layer(&t, "l").expect("layer"));
    assert_eq!(g[0].0, GeomType::Linestring);
    let mut coords = g[0].1[0].coords.clone();
    coords.sort_unstable();
    assert_eq!(coords, vec![(-64, 1000), (4160, 1000)]);
}

#[test]
fn long_geometry_is_clipped_exactly_at_high_zoom() {
    // At z22, a line and a polygon 1.3 * 10^10 tile units wide (210° of longitude): boolean
    // operations alone would put the cut about 500 units off.
    let z = 22;
    let (x, y) = tile_of(z, Coord { x: 104.9, y: 11.55 });
    let line = LineString(vec![at(z, x, y, -1e10, 1000.2), at(z, x, y, 3e9, 1000.2)]);
    let polygon = Polygon::new(
        LineString(vec![
            at(z, x, y, -1e10, 3000.2),
            at(z, x, y, 3e9, 3000.2),
            at(z, x, y, 3e9, 1e8),
            at(z, x, y, -1e10, 1e8),
            at(z, x, y, -1e10, 3000.2),
        ]),
        vec![],
    );
    let index = LayerIndex::new("l", vec![feature(1, line), feature(2, polygon)]);
    let t = tile(&[&index], z, x, y);
    let g = geometries(layer(&t, "l").expect("layer"));
    let mut line = g[0].1[0].coords.clone();
    line.sort_unstable();
    assert_eq!(line, vec![(-64, 1000), (4160, 1000)]);
    let mut ring = g[1].1[0].coords.clone();
    ring.sort_unstable();
    assert_eq!(
        ring,
        vec![(-64, 3000), (-64, 4160), (4160, 3000), (4160, 4160)]
    );
}
