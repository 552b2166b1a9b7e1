//! Coordinates from a source file's coordinate system to WGS 84 longitude/latitude, through
//! `proj4rs`: by EPSG code, by a proj4 string, or by an OGC/ESRI WKT1 definition (a `.prj`
//! or a GeoPackage's `gpkg_spatial_ref_sys`).

use proj4rs::Proj;
use serde_json::Value;

mod wkt;

use crate::IoError;
use wkt::{Wkt, wkt_to_proj4};

/// A conversion from one coordinate system to WGS 84 longitude/latitude in degrees.
#[derive(Debug, Clone)]
pub struct Reprojection {
    /// `None`: the source is WGS 84 longitude/latitude in degrees already.
    projs: Option<(Proj, Proj)>,
    /// Source units to proj4rs's: radians per angular unit, or metres per linear unit.
    scale: f64,
    /// What the source is, for messages.
    name: String,
}

impl Reprojection {
    /// WGS 84 longitude/latitude (EPSG:4326): coordinates pass unchanged.
    pub fn wgs84() -> Self {
        Self {
            projs: None,
            scale: 1.0,
            name: "EPSG:4326".into(),
        }
    }

    /// The coordinate system with this EPSG code (e.g. 32648 WGS 84 / UTM 48N, 3148 Indian 1960
    /// / UTM 48N); x, y are its easting/northing, or longitude/latitude in degrees.
    pub fn from_epsg(code: u32) -> Result<Self, IoError> {
        if code == 4326 {
            return Ok(Self::wgs84());
        }
        let definition = epsg_proj4(code).ok_or_else(|| {
            IoError::Usage(format!(
                "EPSG:{code} is not a coordinate system Safeground knows"
            ))
        })?;
        let proj = Proj::from_proj_string(definition)
            .map_err(|e| IoError::Usage(format!("cannot use EPSG:{code} ({definition}): {e}")))?;
        Self::with_source(proj, None, format!("EPSG:{code}"))
    }

    /// A proj4 definition such as `+proj=utm +zone=48 +datum=WGS84`.
    pub fn from_proj4(definition: &str) -> Result<Self, IoError> {
        let proj = Proj::from_proj_string(definition).map_err(|e| {
            IoError::Usage(format!(
                "cannot use the proj4 definition `{definition}`: {e}"
            ))
        })?;
        Self::with_source(proj, None, definition.to_string())
    }

    /// An OGC or ESRI WKT1 definition, as in a `.prj`: its EPSG `AUTHORITY` when it has one,
    /// else its geographic system (datum, ellipsoid, `TOWGS84` or a known datum's shift) and
    /// Transverse Mercator projection.
    pub fn from_wkt(wkt: &str) -> Result<Self, IoError> {
        let fail = |why: String| IoError::Usage(format!("cannot use the coordinate system: {why}"));
        let root = Wkt::parse(wkt).map_err(fail)?;
        let root = match root.name.as_str() {
            "COMPD_CS" | "COMPOUNDCRS" => {
                root.nodes().next().ok_or_else(|| fail("empty".into()))?
            }
            _ => &root,
        };
        if let Some(r) = root.epsg().and_then(|c| Self::from_epsg(c).ok()) {
            return Ok(r);
        }
        let Some((definition, scale)) = wkt_to_proj4(root).map_err(fail)? else {
            return Ok(Self::wgs84());
        };
        let proj =
            Proj::from_proj_string(&definition).map_err(|e| fail(format!("{definition}: {e}")))?;
        Self::with_source(
            proj,
            Some(scale),
            root.text(0).unwrap_or(&definition).into(),
        )
    }

    fn with_source(from: Proj, scale: Option<f64>, name: String) -> Result<Self, IoError> {
        let to =
            Proj::from_proj_string(WGS84).map_err(|e| IoError::Usage(format!("WGS 84: {e}")))?;
        let scale = scale.unwrap_or(if from.is_latlong() {
            1f64.to_radians()
        } else {
            1.0
        });
        Ok(Self {
            projs: Some((from, to)),
            scale,
            name,
        })
    }

    /// True when coordinates pass unchanged.
    pub fn is_identity(&self) -> bool {
        self.projs.is_none()
    }

    /// Longitude and latitude (degrees, WGS 84) of a position in the source system.
    pub fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), IoError> {
        let fail = |why: String| {
            IoError::Usage(format!(
                "({x}, {y}) in {} has no WGS 84 position: {why}",
                self.name
            ))
        };
        if !(x.is_finite() && y.is_finite()) {
            return Err(fail("not a finite position".into()));
        }
        let Some((from, to)) = &self.projs else {
            return Ok((x, y));
        };
        let mut p = (x * self.scale, y * self.scale, 0.0);
        proj4rs::transform::transform(from, to, &mut p).map_err(|e| fail(e.to_string()))?;
        let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
        if lon.is_finite() && lat.is_finite() {
            Ok((lon, lat))
        } else {
            Err(fail("outside the projection's domain".into()))
        }
    }

    /// Reprojects a GeoJSON geometry object in place (2D: heights are dropped).
    pub fn geometry_to_wgs84(&self, geometry: &mut Value) -> Result<(), IoError> {
        if self.is_identity() {
            return Ok(());
        }
        if let Some(parts) = geometry.get_mut("geometries").and_then(Value::as_array_mut) {
            return parts.iter_mut().try_for_each(|g| self.geometry_to_wgs84(g));
        }
        match geometry.get_mut("coordinates") {
            Some(c) => self.positions_to_wgs84(c),
            None => Ok(()),
        }
    }

    fn positions_to_wgs84(&self, coordinates: &mut Value) -> Result<(), IoError> {
        let Some(items) = coordinates.as_array_mut() else {
            return Err(IoError::Usage("coordinates are not an array".into()));
        };
        if items.first().is_some_and(Value::is_array) {
            return items
                .iter_mut()
                .try_for_each(|c| self.positions_to_wgs84(c));
        }
        match (
            items.first().and_then(Value::as_f64),
            items.get(1).and_then(Value::as_f64),
        ) {
            (Some(x), Some(y)) => {
                let (lon, lat) = self.to_wgs84(x, y)?;
                *coordinates = serde_json::json!([lon, lat]);
                Ok(())
            }
            _ => Err(IoError::Usage(format!(
                "position {coordinates} is not two numbers"
            ))),
        }
    }
}

/// WGS 84 longitude/latitude, the target.
const WGS84: &str = "+proj=longlat +datum=WGS84 +no_defs";

/// The proj4 definition of an EPSG code.
pub(super) fn epsg_proj4(code: u32) -> Option<&'static str> {
    crs_definitions::from_code(u16::try_from(code).ok()?).map(|d| d.proj4)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn utm48() -> (Proj, Proj) {
        (
            Proj::from_proj_string(WGS84).unwrap(),
            Proj::from_proj_string("+proj=utm +zone=48 +datum=WGS84").unwrap(),
        )
    }

    /// Reference values from PROJ's `cs2cs +proj=longlat +datum=WGS84 +to +proj=utm +zone=48
    /// +datum=WGS84` (independent of proj4rs).
    const UTM48: [(f64, f64, f64, f64); 2] = [
        (103.2, 13.1, 304_854.997_6, 1_448_889.317_4),
        (105.9, 20.9, 593_600.979_2, 2_311_342.696_7),
    ];

    #[test]
    fn utm_forward_matches_cs2cs() {
        let (geo, utm) = utm48();
        for (lon, lat, e, n) in UTM48 {
            let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
            proj4rs::transform::transform(&geo, &utm, &mut p).unwrap();
            assert!((p.0 - e).abs() < 1e-3 && (p.1 - n).abs() < 1e-3, "{p:?}");
        }
    }

    #[test]
    fn utm_inverse_reproduces_lon_lat() {
        for r in [
            Reprojection::from_epsg(32648).unwrap(),
            Reprojection::from_proj4("+proj=utm +zone=48 +datum=WGS84").unwrap(),
            Reprojection::from_wkt(ESRI_UTM48).unwrap(),
        ] {
            for (lon, lat, e, n) in UTM48 {
                let (x, y) = r.to_wgs84(e, n).unwrap();
                assert!((x - lon).abs() < 1e-8 && (y - lat).abs() < 1e-8, "{x} {y}");
            }
        }
        let south = Reprojection::from_epsg(32748).unwrap();
        let (_, lat) = south.to_wgs84(500_000.0, 9_000_000.0).unwrap();
        assert!((-9.1..-9.0).contains(&lat), "{lat}");
    }

    const ESRI_UTM48: &str = r#"PROJCS["WGS_1984_UTM_Zone_48N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    /// The ESRI `.prj` GDAL writes for EPSG:3148: no AUTHORITY, no TOWGS84.
    const ESRI_INDIAN_1960_UTM48: &str = r#"PROJCS["Indian_1960_UTM_Zone_48N",GEOGCS["GCS_Indian_1960",DATUM["D_Indian_1960",SPHEROID["Everest_Adjustment_1937",6377276.345,300.8017]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    #[test]
    fn identity_for_wgs84() {
        assert!(Reprojection::from_epsg(4326).unwrap().is_identity());
        let esri = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert!(Reprojection::from_wkt(esri).unwrap().is_identity());
        let ogc = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]"#;
        assert!(Reprojection::from_wkt(ogc).unwrap().is_identity());
    }

    /// The Indian 1960 `.prj` without TOWGS84 gets EPSG's shift, as EPSG:3148 does; the shift
    /// moves positions by hundreds of metres from WGS 84 / UTM 48N's.
    #[test]
    fn indian_1960_from_esri_prj_matches_epsg() {
        let epsg = Reprojection::from_epsg(3148).unwrap();
        let prj = Reprojection::from_wkt(ESRI_INDIAN_1960_UTM48).unwrap();
        let wgs = Reprojection::from_epsg(32648).unwrap();
        for (_, _, e, n) in UTM48 {
            let a = epsg.to_wgs84(e, n).unwrap();
            let b = prj.to_wgs84(e, n).unwrap();
            assert!(
                (a.0 - b.0).abs() < 1e-8 && (a.1 - b.1).abs() < 1e-8,
                "{a:?} {b:?}"
            );
            let c = wgs.to_wgs84(e, n).unwrap();
            let metres = ((a.0 - c.0) * 108_000.0).hypot((a.1 - c.1) * 110_000.0);
            assert!((100.0..1000.0).contains(&metres), "{metres}");
        }
    }

    /// Against PROJ's `cs2cs` when installed (`apt install proj-bin`), given the same definition
    /// of EPSG:3148 (with its TOWGS84). Given the bare code, PROJ 9 picks a transformation by
    /// area of use, and for this point in Cambodia it finds only a "ballpark" one (no datum
    /// shift at all, ~400 m off), so that is not the reference.
    #[test]
    fn indian_1960_matches_cs2cs() {
        let definition = epsg_proj4(3148).unwrap();
        let mut args = vec!["-f", "%.10f"];
        args.extend(definition.split_whitespace());
        args.extend(["+to", "+proj=longlat", "+datum=WGS84"]);
        let out = std::process::Command::new("cs2cs")
            .args(&args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                if let Some(mut stdin) = c.stdin.take() {
                    stdin.write_all(b"304854.9976 1448889.3174\n")?;
                }
                c.wait_with_output()
            });
        let Ok(out) = out else {
            println!("skipped: cs2cs (PROJ) is not installed");
            return;
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let v: Vec<f64> = text
            .split_whitespace()
            .filter_map(|t| t.parse().ok())
            .collect();
        let (lon, lat) = Reprojection::from_epsg(3148)
            .unwrap()
            .to_wgs84(304_854.997_6, 1_448_889.317_4)
            .unwrap();
        assert!(
            (lon - v[0]).abs() < 1e-8 && (lat - v[1]).abs() < 1e-8,
            "{text} vs {lon} {lat}"
        );
    }

    #[test]
    fn refusals() {
        for wkt in [
            "",
            "PROJCS[",
            r#"PROJCS["x",GEOGCS["y",DATUM["D_Unknown_Datum",SPHEROID["s",6378000,300]]],PROJECTION["Transverse_Mercator"]]"#,
            r#"PROJCS["x",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]],PROJECTION["Krovak"]]"#,
            &"A[".repeat(100),
        ] {
            assert!(Reprojection::from_wkt(wkt).is_err(), "{wkt}");
        }
        assert!(Reprojection::from_epsg(999_999).is_err());
        assert!(Reprojection::from_proj4("+proj=nonsense").is_err());
        let r = Reprojection::from_epsg(32648).unwrap();
        assert!(r.to_wgs84(f64::NAN, 0.0).is_err());
        assert!(r.to_wgs84(1e308, 1e308).is_err());
    }

    #[test]
    fn whole_geometry() {
        let r = Reprojection::from_epsg(32648).unwrap();
        let mut g = serde_json::json!({"type": "GeometryCollection", "geometries": [
            {"type": "Point", "coordinates": [304_854.997_6, 1_448_889.317_4, 12.0]},
            {"type": "LineString", "coordinates": [[304_854.997_6, 1_448_889.317_4], [593_600.979_2, 2_311_342.696_7]]}
        ]});
        r.geometry_to_wgs84(&mut g).unwrap();
        let p = &g["geometries"][0]["coordinates"];
        assert_eq!(p.as_array().unwrap().len(), 2);
        assert!((p[0].as_f64().unwrap() - 103.2).abs() < 1e-8);
        assert!((g["geometries"][1]["coordinates"][1][1].as_f64().unwrap() - 20.9).abs() < 1e-8);
        let mut bad = serde_json::json!({"type": "Point", "coordinates": ["x", 1]});
        assert!(r.geometry_to_wgs84(&mut bad).is_err());
    }
}
