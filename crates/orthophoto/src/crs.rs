//! The image's coordinate reference system and its conversion to and from WGS 84 (`proj4rs`).

use proj4rs::Proj;

use crate::OrthophotoError;

/// An EPSG CRS with cached `proj4rs` projection objects.
pub(crate) struct Crs {
    /// None for EPSG:4326 (identity).
    projs: Option<(Proj, Proj)>,
    /// Whether map coordinates are degrees (proj4rs wants radians).
    geographic: bool,
    /// The fixed datum shift to WGS 84 of a CRS on another datum (see [`datum_shift`]).
    pub datum_shift: Option<String>,
}

/// The datum shift a PROJ string applies to reach WGS 84 when its datum is not WGS 84 (nor one
/// within a metre of it: NAD83, GRS 80 with a zero shift, Web Mercator's sphere): its
/// `+towgs84` parameters, "datum NAME" for a datum proj4rs knows, or "none" when it gives
/// none. PROJ itself picks an area-specific transformation from the EPSG database for such a
/// CRS, which may differ by hundreds of metres.
fn datum_shift(proj4: &str) -> Option<String> {
    let param = |key: &str| {
        proj4
            .split_whitespace()
            .find_map(|p| p.strip_prefix(key))
            .map(str::to_owned)
    };
    if let Some(t) = param("+towgs84=") {
        let zero = t
            .split(',')
            .all(|v| v.trim().parse::<f64>().is_ok_and(|v| v == 0.0));
        return (!zero).then_some(t);
    }
    if let Some(d) = param("+datum=") {
        return (!matches!(d.as_str(), "WGS84" | "NAD83")).then(|| format!("datum {d}"));
    }
    if param("+nadgrids=").is_some_and(|g| g == "@null") {
        return None;
    }
    match param("+ellps=").as_deref() {
        Some("WGS84" | "GRS80") => None,
        _ => Some("none".to_owned()),
    }
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
                datum_shift: None,
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
            datum_shift: datum_shift(def.proj4),
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
    fn datum_shifts_are_named_for_other_datums_only() {
        let shift = |epsg| Crs::from_epsg(epsg).expect("known").datum_shift;
        assert_eq!(shift(4326), None);
        assert_eq!(shift(32648), None, "WGS 84 / UTM 48N");
        assert_eq!(shift(3857), None, "Web Mercator");
        assert_eq!(shift(2193), None, "NZGD2000: GRS 80, zero shift");
        assert_eq!(shift(2100).as_deref(), Some("datum GGRS87"));
        assert_eq!(
            shift(24047).as_deref(),
            Some("210,814,289,0,0,0,0"),
            "Indian 1975"
        );
        assert_eq!(
            shift(3148).as_deref(),
            Some("198,881,317,0,0,0,0"),
            "Indian 1960"
        );
    }

    #[test]
    fn user_defined_is_unsupported() {
        assert!(matches!(
            Crs::from_epsg(32767),
            Err(OrthophotoError::UnsupportedCrs(32767))
        ));
    }
}
