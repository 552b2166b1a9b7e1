//! The image's coordinate reference system and its conversion to and from WGS 84 (`proj4rs`).

use proj4rs::Proj;

use crate::OrthophotoError;

/// An EPSG CRS with cached `proj4rs` projection objects.
pub(crate) struct Crs {
    /// None for EPSG:4326 (identity).
    projs: Option<(Proj, Proj)>,
    /// Whether map coordinates are degrees (proj4rs wants radians).
    geographic: bool,
}

impl std::fmt::Debug for Crs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crs")
            .field("geographic", &self.geographic)
            .finish()
    }
}

impl Crs {
    /// The CRS of an EPSG code; `UnsupportedCrs` for user-defined or unknown codes.
    pub(crate) fn from_epsg(epsg: u32) -> Result<Crs, OrthophotoError> {
        if epsg == 4326 {
            return Ok(Crs {
                projs: None,
                geographic: true,
            });
        }
        let def = u16::try_from(epsg)
            .ok()
            .and_then(crs_definitions::from_code)
            .ok_or(OrthophotoError::UnsupportedCrs(epsg))?;
        let image =
            Proj::from_proj_string(def.proj4).map_err(|_| OrthophotoError::UnsupportedCrs(epsg))?;
        let wgs84 = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs")
            .map_err(|_| OrthophotoError::UnsupportedCrs(4326))?;
        let geographic = image.is_latlong();
        Ok(Crs {
            projs: Some((wgs84, image)),
            geographic,
        })
    }

    /// Map coordinates (image CRS) to WGS 84 (lon, lat) degrees.
    pub(crate) fn map_to_wgs84(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let Some((wgs84, image)) = &self.projs else {
            return finite(x, y);
        };
        let mut p = if self.geographic {
            (x.to_radians(), y.to_radians(), 0.0)
        } else {
            (x, y, 0.0)
        };
        proj4rs::transform::transform(image, wgs84, &mut p).ok()?;
        finite(p.0.to_degrees(), p.1.to_degrees())
    }

    /// WGS 84 (lon, lat) degrees to map coordinates (image CRS).
    pub(crate) fn wgs84_to_map(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let Some((wgs84, image)) = &self.projs else {
            return finite(lon, lat);
        };
        if !lon.is_finite() || !lat.is_finite() || lat.abs() > 90.0 {
            return None;
        }
        let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(wgs84, image, &mut p).ok()?;
        if self.geographic {
            finite(p.0.to_degrees(), p.1.to_degrees())
        } else {
            finite(p.0, p.1)
        }
    }
}

fn finite(x: f64, y: f64) -> Option<(f64, f64)> {
    (x.is_finite() && y.is_finite()).then_some((x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utm48_round_trip() {
        let crs = Crs::from_epsg(32648).expect("utm 48n");
        let (x, y) = crs.wgs84_to_map(103.2, 13.1).expect("forward");
        assert!((x - 304_854.997_6).abs() < 1e-3 && (y - 1_448_889.317_4).abs() < 1e-3);
        let (lon, lat) = crs.map_to_wgs84(x, y).expect("inverse");
        assert!((lon - 103.2).abs() < 1e-9 && (lat - 13.1).abs() < 1e-9);
    }

    #[test]
    fn user_defined_is_unsupported() {
        assert!(matches!(
            Crs::from_epsg(32767),
            Err(OrthophotoError::UnsupportedCrs(32767))
        ));
    }
}
