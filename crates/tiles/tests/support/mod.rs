//! Test helpers: tile geography and an independent decoder of MVT command streams.

#![allow(dead_code)]

use std::f64::consts::PI;

use geo_types::{Coord, LineString, Polygon};
use geozero::mvt::tile::{Feature, GeomType, Layer};
use geozero::mvt::{Message, Tile};
use safeground_tiles::{LayerIndex, encode_tile};

/// WGS 84 lon/lat of tile-grid position (`x`, `y`) at zoom `z` (fractions allowed; y down).
pub fn lonlat(z: u8, x: f64, y: f64) -> Coord<f64> {
    let n = f64::from(1u32 << z);
    let lon = x / n * 360.0 - 180.0;
    let lat = (PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees();
    Coord { x: lon, y: lat }
}

/// The tile `(x, y)` containing lon/lat `c` at zoom `z`.
pub fn tile_of(z: u8, c: Coord<f64>) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = (c.x + 180.0) / 360.0 * n;
    let lat = c.y.to_radians();
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0 * n;
    (x.floor() as u32, y.floor() as u32)
}

/// Lon/lat of tile coordinate (`px`, `py`) (0..4096, y down) inside tile `z/x/y`.
pub fn at(z: u8, x: u32, y: u32, px: f64, py: f64) -> Coord<f64> {
    lonlat(z, f64::from(x) + px / 4096.0, f64::from(y) + py / 4096.0)
}

/// A closed lon/lat square with corners given in tile coordinates of tile `z/x/y`, wound
/// counter-clockwise in lon/lat (the GeoJSON convention).
pub fn square(z: u8, x: u32, y: u32, p0: (f64, f64), p1: (f64, f64)) -> Polygon<f64> {
    let c = |px, py| at(z, x, y, px, py);
    Polygon::new(
        LineString(vec![
            c(p0.0, p1.1),
            c(p1.0, p1.1),
            c(p1.0, p0.1),
            c(p0.0, p0.1),
            c(p0.0, p1.1),
        ]),
        vec![],
    )
}

/// Encodes and decodes one tile.
pub fn tile(layers: &[&LayerIndex], z: u8, x: u32, y: u32) -> Tile {
    let bytes = encode_tile(layers, z, x, y).expect("tile in range");
    Tile::decode(bytes.as_slice()).expect("valid protobuf")
}

/// Number of features of layer `name` in a decoded tile (0 when the layer is absent).
pub fn count(tile: &Tile, name: &str) -> usize {
    layer(tile, name).map_or(0, |l| l.features.len())
}

/// The layer called `name`, if present.
pub fn layer<'a>(tile: &'a Tile, name: &str) -> Option<&'a Layer> {
    tile.layers.iter().find(|l| l.name == name)
}

/// One part of a decoded geometry: the coordinates after one MoveTo, and whether a ClosePath
/// ended it (a polygon ring; its closing point is implicit).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub coords: Vec<(i64, i64)>,
    pub closed: bool,
}

/// Decodes an MVT command stream (MVT 2.1, §4.3): command integers `id | count << 3`,
/// parameters zigzag-encoded deltas from the cursor.
pub fn decode_geometry(geometry: &[u32]) -> Vec<Part> {
    let zigzag = |v: u32| i64::from((v >> 1) as i32 ^ -((v & 1) as i32));
    let mut parts: Vec<Part> = Vec::new();
    let (mut x, mut y) = (0i64, 0i64);
    let mut i = 0;
    while i < geometry.len() {
        let (id, n) = (geometry[i] & 7, geometry[i] >> 3);
        i += 1;
        match id {
            1 | 2 => {
                for _ in 0..n {
                    let dx = zigzag(geometry[i]);
                    let dy = zigzag(geometry[i + 1]);
                    i += 2;
                    x += dx;
                    y += dy;
                    if id == 1 {
                        parts.push(Part {
                            coords: vec![(x, y)],
                            closed: false,
                        });
                    } else {
                        parts
                            .last_mut()
                            .expect("LineTo after MoveTo")
                            .coords
                            .push((x, y));
                    }
                }
            }
            7 => {
                assert_eq!(n, 1, "ClosePath count must be 1");
                parts.last_mut().expect("ClosePath after MoveTo").closed = true;
            }
            other => panic!("unknown command {other}"),
        }
    }
    parts
}

/// Twice the signed area of a ring by the surveyor's formula in tile coordinates (y down):
/// positive for MVT exterior rings, negative for holes.
pub fn twice_area(ring: &[(i64, i64)]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum()
}

/// Decoded parts of every feature of a layer, with the feature's type.
pub fn geometries(layer: &Layer) -> Vec<(GeomType, Vec<Part>)> {
    layer
        .features
        .iter()
        .map(|f: &Feature| (f.r#type(), decode_geometry(&f.geometry)))
        .collect()
}
