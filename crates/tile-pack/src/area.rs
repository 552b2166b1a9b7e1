//! The area of a pack: a WGS 84 box, its tiles at each zoom, and PMTiles tile ids.

use std::f64::consts::PI;
use std::fmt;
use std::str::FromStr;

use crate::PackError;

/// Latitude at which the Web Mercator square ends, degrees.
const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// A WGS 84 box in degrees (west, south, east, north); it may not cross the antimeridian.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    /// West edge, degrees of longitude.
    pub min_lon: f64,
    /// South edge, degrees of latitude.
    pub min_lat: f64,
    /// East edge, degrees of longitude.
    pub max_lon: f64,
    /// North edge, degrees of latitude.
    pub max_lat: f64,
}

/// The tiles of one zoom that cover an area: columns `x0..=x1`, rows `y0..=y1` (XYZ, y down).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TileRange {
    pub(crate) z: u8,
    pub(crate) x0: u32,
    pub(crate) x1: u32,
    pub(crate) y0: u32,
    pub(crate) y1: u32,
}

impl TileRange {
    /// Number of tiles in the range.
    pub(crate) fn count(&self) -> u64 {
        u64::from(self.x1 - self.x0 + 1) * u64::from(self.y1 - self.y0 + 1)
    }
}

impl Area {
    /// A checked area: finite values, longitudes within ±180°, latitudes within ±90°, west
    /// below east and south below north.
    ///
    /// # Errors
    /// [`PackError::Area`] naming the value that is wrong.
    pub fn new(min_lon: f64, min_lat: f64, max_lon: f64, max_lat: f64) -> Result<Self, PackError> {
        let area = Self {
            min_lon,
            min_lat,
            max_lon,
            max_lat,
        };
        area.check()?;
        Ok(area)
    }

    /// Checks the values as [`Area::new`] does.
    pub(crate) fn check(&self) -> Result<(), PackError> {
        let fail = |reason: String| PackError::Area {
            input: self.to_string(),
            reason,
        };
        let values = [
            ("minlon", self.min_lon, 180.0),
            ("minlat", self.min_lat, 90.0),
            ("maxlon", self.max_lon, 180.0),
            ("maxlat", self.max_lat, 90.0),
        ];
        for (name, value, limit) in values {
            if !value.is_finite() {
                return Err(fail(format!("{name} is not a finite number")));
            }
            if value.abs() > limit {
                return Err(fail(format!(
                    "{name} {value} is outside -{limit}..{limit} (longitude and latitude swapped?)"
                )));
            }
        }
        if self.min_lon >= self.max_lon {
            return Err(fail(format!(
                "minlon {} is not less than maxlon {} (an area may not cross the antimeridian)",
                self.min_lon, self.max_lon
            )));
        }
        if self.min_lat >= self.max_lat {
            return Err(fail(format!(
                "minlat {} is not less than maxlat {}",
                self.min_lat, self.max_lat
            )));
        }
        Ok(())
    }

    /// The tiles of zoom `z` that cover the area (latitudes clamped to Web Mercator's ±85.0511°).
    pub(crate) fn tiles(&self, z: u8) -> TileRange {
        let (x0, y1) = tile_of(z, self.min_lon, self.min_lat);
        let (x1, y0) = tile_of(z, self.max_lon, self.max_lat);
        TileRange { z, x0, x1, y0, y1 }
    }

    /// Number of tiles covering the area at every zoom of `min_zoom..=max_zoom`.
    pub(crate) fn tile_count(&self, min_zoom: u8, max_zoom: u8) -> u64 {
        (min_zoom..=max_zoom).map(|z| self.tiles(z).count()).sum()
    }
}

/// Text form `minlon,minlat,maxlon,maxlat`, as [`FromStr`] reads it.
impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{},{},{},{}",
            self.min_lon, self.min_lat, self.max_lon, self.max_lat
        )
    }
}

/// Reads `minlon,minlat,maxlon,maxlat` (WGS 84 degrees; spaces around values allowed).
impl FromStr for Area {
    type Err = PackError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fail = |reason: String| PackError::Area {
            input: s.to_owned(),
            reason,
        };
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let [min_lon, min_lat, max_lon, max_lat] = parts.as_slice() else {
            return Err(fail(format!(
                "expected 4 numbers separated by commas, found {}",
                parts.len()
            )));
        };
        let mut values = [0.0; 4];
        let names = ["minlon", "minlat", "maxlon", "maxlat"];
        for ((slot, text), name) in values
            .iter_mut()
            .zip([min_lon, min_lat, max_lon, max_lat])
            .zip(names)
        {
            *slot = text
                .parse::<f64>()
                .map_err(|_| fail(format!("{name} `{text}` is not a number")))?;
        }
        let [min_lon, min_lat, max_lon, max_lat] = values;
        Self::new(min_lon, min_lat, max_lon, max_lat).map_err(|e| match e {
            PackError::Area { reason, .. } => fail(reason),
            other => other,
        })
    }
}

/// The XYZ tile `(x, y)` holding lon/lat at zoom `z`, clamped to the grid.
fn tile_of(z: u8, lon: f64, lat: f64) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let lat = lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    let x = (lon + 180.0) / 360.0 * n;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0 * n;
    let last = n - 1.0;
    // Clamped to 0..2^z - 1, so the casts are exact.
    let cell = |v: f64| v.floor().clamp(0.0, last) as u32;
    (cell(x), cell(y))
}

/// The PMTiles v3 tile id of `z/x/y` (position along the Hilbert curves of the zooms).
///
/// # Errors
/// [`PackError::Tile`] when `z/x/y` is not a tile.
pub(crate) fn tile_id(z: u8, x: u32, y: u32) -> Result<u64, PackError> {
    let coord = pmtiles::TileCoord::new(z, x, y).map_err(|_| {
        PackError::Tile(safeground_tiles::TileError::TileOutOfRange {
            z,
            x,
            y,
            limit: 1u32.checked_shl(u32::from(z)).unwrap_or(u32::MAX),
        })
    })?;
    Ok(pmtiles::TileId::from(coord).value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_ids_match_the_pmtiles_spec() {
        // The test vectors of the PMTiles reference implementations.
        let known = [
            ((0, 0, 0), 0),
            ((1, 0, 0), 1),
            ((1, 0, 1), 2),
            ((1, 1, 1), 3),
            ((1, 1, 0), 4),
            ((2, 0, 0), 5),
            ((12, 3423, 1763), 19_078_479),
            ((20, 1234, 5678), 366_563_052_717),
        ];
        for ((z, x, y), id) in known {
            assert_eq!(tile_id(z, x, y).expect("tile"), id, "{z}/{x}/{y}");
        }
        assert!(tile_id(1, 2, 0).is_err());
    }

    #[test]
    fn area_parses_and_prints() {
        let area: Area = " 104.8, 11.5,105.0 ,11.65".parse().expect("area");
        assert_eq!(
            area,
            Area {
                min_lon: 104.8,
                min_lat: 11.5,
                max_lon: 105.0,
                max_lat: 11.65
            }
        );
        assert_eq!(area.to_string(), "104.8,11.5,105,11.65");
    }

    #[test]
    fn area_errors_name_what_is_wrong() {
        let message = |s: &str| match s.parse::<Area>() {
            Err(e) => e.to_string(),
            Ok(a) => panic!("{s} parsed as {a:?}"),
        };
        assert!(message("1,2,3").contains("expected 4 numbers"));
        assert!(message("1,x,3,4").contains("minlat `x` is not a number"));
        assert!(message("104,11,200,12").contains("maxlon 200 is outside -180..180"));
        assert!(message("11,104,12,105").contains("minlat 104 is outside -90..90"));
        assert!(message("105,11,104,12").contains("minlon 105 is not less than maxlon 104"));
        assert!(message("104,12,105,12").contains("minlat 12 is not less than maxlat 12"));
        assert!(message("104,NaN,105,12").contains("minlat is not a finite number"));
        assert!(message("1,2,3").contains("minlon,minlat,maxlon,maxlat"));
    }

    #[test]
    fn tiles_cover_the_area() {
        let world = Area::new(-180.0, -90.0, 180.0, 90.0).expect("area");
        assert_eq!(world.tiles(0).count(), 1);
        assert_eq!(world.tiles(3).count(), 64);
        assert_eq!(world.tile_count(0, 2), 1 + 4 + 16);
        // Phnom Penh at z12: one tile.
        let area = Area::new(104.9, 11.55, 104.9001, 11.5501).expect("area");
        let r = area.tiles(12);
        assert_eq!((r.x0, r.x1, r.y0, r.y1), (3241, 3241, 1915, 1915));
    }
}
