//! Spherical Web Mercator (EPSG:3857) and the XYZ tile grid.

use std::f64::consts::{FRAC_PI_4, PI};

use geo_types::Coord;

use crate::{BUFFER, EXTENT};

/// Radius of the Web Mercator sphere (the WGS 84 semi-major axis), metres.
const RADIUS: f64 = 6_378_137.0;
/// Half the width of the Web Mercator square, metres.
pub(crate) const HALF_WORLD: f64 = PI * RADIUS;
/// Latitude at which the Web Mercator square ends, degrees.
pub(crate) const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// Projects WGS 84 lon/lat degrees to Web Mercator metres. `None` for non-finite values,
/// longitudes outside ±180° and latitudes outside ±90°; latitudes beyond ±85.0511° are clamped.
pub(crate) fn project(lon: f64, lat: f64) -> Option<Coord<f64>> {
    if !lon.is_finite() || !lat.is_finite() || lon.abs() > 180.0 || lat.abs() > 90.0 {
        return None;
    }
    let lat = lat.clamp(-MAX_LATITUDE, MAX_LATITUDE);
    let y = RADIUS * (FRAC_PI_4 + lat.to_radians() / 2.0).tan().ln();
    Some(Coord {
        x: RADIUS * lon.to_radians(),
        y: y.clamp(-HALF_WORLD, HALF_WORLD),
    })
}

/// WGS 84 lon/lat degrees of a Web Mercator coordinate.
pub(crate) fn unproject(x: f64, y: f64) -> (f64, f64) {
    let lon = (x / RADIUS).to_degrees().clamp(-180.0, 180.0);
    let lat = (y / RADIUS).sinh().atan().to_degrees();
    (lon, lat.clamp(-MAX_LATITUDE, MAX_LATITUDE))
}

/// Size of one tile pixel (1/[`EXTENT`] of a tile) at zoom `z`, in Mercator metres.
pub(crate) fn pixel_size(z: u8) -> f64 {
    2.0 * HALF_WORLD / (f64::from(EXTENT) * f64::from(1u32 << z.min(31)))
}

/// Maps Mercator metres to the tile coordinates of one tile (y down, 0..[`EXTENT`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TileTransform {
    left: f64,
    top: f64,
    /// Tile coordinates per metre.
    scale: f64,
    /// Tile size in metres.
    size: f64,
}

impl TileTransform {
    /// The transform of tile `z/x/y` (XYZ scheme: y = 0 at the north). The caller checks ranges.
    pub(crate) fn new(z: u8, x: u32, y: u32) -> Self {
        let size = 2.0 * HALF_WORLD / f64::from(1u32 << z);
        Self {
            left: -HALF_WORLD + f64::from(x) * size,
            top: HALF_WORLD - f64::from(y) * size,
            scale: f64::from(EXTENT) / size,
            size,
        }
    }

    /// Tile coordinates (not rounded) of a Mercator coordinate.
    #[inline]
    pub(crate) fn tile_coord(self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: (c.x - self.left) * self.scale,
            y: (self.top - c.y) * self.scale,
        }
    }

    /// The tile grown by [`BUFFER`] on every side, as a Mercator box `[min x, min y, max x, max y]`.
    pub(crate) fn buffered_envelope(&self) -> [f64; 4] {
        let b = self.size * f64::from(BUFFER) / f64::from(EXTENT);
        [
            self.left - b,
            self.top - self.size - b,
            self.left + self.size + b,
            self.top + b,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_matches_known_values() {
        let c = project(180.0, MAX_LATITUDE).expect("in range");
        assert!((c.x - HALF_WORLD).abs() < 1e-6);
        assert!((c.y - HALF_WORLD).abs() < 1e-3);
        let c = project(104.9, 11.55).expect("in range");
        assert!((c.x - 11_677_414.58).abs() < 1.0, "{c:?}");
        assert!((c.y - 1_294_537.69).abs() < 1.0, "{c:?}");
        assert!(project(f64::NAN, 0.0).is_none());
        assert!(project(0.0, 90.5).is_none());
        assert!(project(-180.1, 0.0).is_none());
        assert!(project(0.0, 90.0).is_some());
        let (lon, lat) = unproject(c.x, c.y);
        assert!((lon - 104.9).abs() < 1e-9 && (lat - 11.55).abs() < 1e-9);
    }

    #[test]
    fn tile_corners_map_to_extent() {
        let t = TileTransform::new(1, 1, 0);
        let nw = t.tile_coord(Coord {
            x: 0.0,
            y: HALF_WORLD,
        });
        assert!(nw.x.abs() < 1e-9 && nw.y.abs() < 1e-9);
        let se = t.tile_coord(Coord {
            x: HALF_WORLD,
            y: 0.0,
        });
        assert!((se.x - 4096.0).abs() < 1e-9 && (se.y - 4096.0).abs() < 1e-9);
        let [x0, y0, x1, y1] = t.buffered_envelope();
        let b = HALF_WORLD / 64.0;
        assert!((x0 + b).abs() < 1e-6 && (y0 + b).abs() < 1e-6);
        assert!((x1 - HALF_WORLD - b).abs() < 1e-6 && (y1 - HALF_WORLD - b).abs() < 1e-6);
    }

    #[test]
    fn pixel_size_halves_per_zoom() {
        assert!((pixel_size(0) - 2.0 * HALF_WORLD / 4096.0).abs() < 1e-9);
        assert!((pixel_size(14) * 2.0 - pixel_size(13)).abs() < 1e-12);
    }
}
