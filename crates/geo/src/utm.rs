//! UTM coordinates on WGS 84 (zones 1–60, latitudes 80°S–84°N), through `proj4rs`'s extended
//! transverse Mercator (agrees with PROJ's `cs2cs` to 0.1 mm, STACK.md §1.3).

use geo_types::Point;
use proj4rs::Proj;
use proj4rs::adaptors::transform_xy;

use crate::GeoError;

/// Northern or southern hemisphere (false northing 0 or 10,000 km).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hemisphere {
    /// Latitude ≥ 0.
    North,
    /// Latitude < 0.
    South,
}

/// A UTM position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Utm {
    /// Zone 1–60.
    pub zone: u8,
    /// Hemisphere.
    pub hemisphere: Hemisphere,
    /// Easting, m (500,000 on the central meridian).
    pub easting: f64,
    /// Northing, m.
    pub northing: f64,
}

/// Latitude band letters of UTM/MGRS, 8° each from 80°S (X covers 72°N–84°N).
pub(crate) const BANDS: &[u8] = b"CDEFGHJKLMNPQRSTUVWX";

/// Latitude band letter of a latitude in −80..84.
pub(crate) fn band_letter(lat: f64) -> Option<char> {
    if !(-80.0..=84.0).contains(&lat) {
        return None;
    }
    let i = (((lat + 80.0) / 8.0).floor() as usize).min(BANDS.len() - 1);
    Some(BANDS[i] as char)
}

/// The standard zone of a position, with the Norway and Svalbard exceptions.
pub(crate) fn standard_zone(lon: f64, lat: f64) -> u8 {
    let lon = if lon >= 180.0 { lon - 360.0 } else { lon };
    let mut zone = (((lon + 180.0) / 6.0).floor() as i32 + 1).clamp(1, 60) as u8;
    if (56.0..64.0).contains(&lat) && (3.0..12.0).contains(&lon) {
        zone = 32;
    }
    if (72.0..=84.0).contains(&lat) {
        zone = match lon {
            l if (0.0..9.0).contains(&l) => 31,
            l if (9.0..21.0).contains(&l) => 33,
            l if (21.0..33.0).contains(&l) => 35,
            l if (33.0..42.0).contains(&l) => 37,
            _ => zone,
        };
    }
    zone
}

fn projections(zone: u8, hemisphere: Hemisphere) -> Result<(Proj, Proj), GeoError> {
    let south = if hemisphere == Hemisphere::South {
        " +south"
    } else {
        ""
    };
    let geographic = Proj::from_proj_string("+proj=longlat +datum=WGS84")
        .map_err(|e| GeoError::Unsupported(format!("WGS 84: {e}")))?;
    let utm = Proj::from_proj_string(&format!("+proj=utm +zone={zone} +datum=WGS84{south}"))
        .map_err(|e| GeoError::Unsupported(format!("UTM zone {zone}: {e}")))?;
    Ok((geographic, utm))
}

fn check_point(p: Point<f64>) -> Result<(), GeoError> {
    if !(p.x().is_finite() && p.y().is_finite()) {
        return Err(GeoError::Input(format!(
            "({}, {}) is not a finite position",
            p.x(),
            p.y()
        )));
    }
    if !(-80.0..=84.0).contains(&p.y()) || p.x().abs() > 180.0 {
        return Err(GeoError::Unsupported(format!(
            "latitude {} is outside UTM (80°S–84°N; polar areas use UPS)",
            p.y()
        )));
    }
    Ok(())
}

impl Utm {
    /// UTM in the position's standard zone.
    ///
    /// ```
    /// use geo_types::Point;
    /// use safeground_geo::Utm;
    /// let u = Utm::from_wgs84(Point::new(103.2, 13.1)).unwrap();
    /// assert_eq!(u.zone, 48);
    /// assert!((u.easting - 304_854.9976).abs() < 1e-3 && (u.northing - 1_448_889.3174).abs() < 1e-3);
    /// ```
    pub fn from_wgs84(p: Point<f64>) -> Result<Utm, GeoError> {
        check_point(p)?;
        let hemisphere = if p.y() < 0.0 {
            Hemisphere::South
        } else {
            Hemisphere::North
        };
        Utm::from_wgs84_in_zone(p, standard_zone(p.x(), p.y()), hemisphere)
    }

    /// UTM in a chosen zone (e.g. to keep a whole hazard in one zone).
    pub fn from_wgs84_in_zone(
        p: Point<f64>,
        zone: u8,
        hemisphere: Hemisphere,
    ) -> Result<Utm, GeoError> {
        check_point(p)?;
        if !(1..=60).contains(&zone) {
            return Err(GeoError::Input(format!(
                "UTM zone {zone} does not exist (1–60)"
            )));
        }
        let (geographic, utm) = projections(zone, hemisphere)?;
        let (easting, northing) =
            transform_xy(&geographic, &utm, p.x().to_radians(), p.y().to_radians()).map_err(
                |e| GeoError::Input(format!("cannot project ({}, {}): {e}", p.x(), p.y())),
            )?;
        Ok(Utm {
            zone,
            hemisphere,
            easting,
            northing,
        })
    }

    /// Back to WGS 84 lon/lat.
    pub fn to_wgs84(&self) -> Result<Point<f64>, GeoError> {
        if !(1..=60).contains(&self.zone) {
            return Err(GeoError::Input(format!(
                "UTM zone {} does not exist (1–60)",
                self.zone
            )));
        }
        // Generous bounds (GeographicLib's, 0–1,000 km east): a position forced into a
        // neighbouring zone still converts back.
        let inside = (0.0..=1_000_000.0).contains(&self.easting)
            && (0.0..=10_000_000.0).contains(&self.northing);
        if !inside {
            return Err(GeoError::Input(format!(
                "easting {} / northing {} are outside UTM zone {} (easting 0–1,000 km, northing 0–10,000 km); check the digits and the zone",
                self.easting, self.northing, self.zone
            )));
        }
        let (geographic, utm) = projections(self.zone, self.hemisphere)?;
        let (lon, lat) = transform_xy(&utm, &geographic, self.easting, self.northing)
            .map_err(|e| GeoError::Input(format!("cannot unproject {self}: {e}")))?;
        Ok(Point::new(lon.to_degrees(), lat.to_degrees()))
    }
}

impl std::fmt::Display for Utm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let h = match self.hemisphere {
            Hemisphere::North => "north",
            Hemisphere::South => "south",
        };
        write!(
            f,
            "{} {h} {:.0} {:.0}",
            self.zone, self.easting, self.northing
        )
    }
}

impl std::str::FromStr for Utm {
    type Err = GeoError;

    /// Parses `48 north 304855 1448889`, `48P 304855 1448889` or `48 P 304855 1448889`.
    ///
    /// A single letter after the zone is a latitude band as in MGRS (C–M south, N–X north), so
    /// `48N` is band N (0°–8°N) and `38S` is band S (32°N–40°N), not "south": write the
    /// hemisphere as a word (`north`/`south`) to avoid the ambiguity.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            GeoError::Input(format!(
                "`{s}` is not a UTM position; write e.g. `48P 304855 1448889` or `48 north 304855 1448889`"
            ))
        };
        let mut parts: Vec<String> = s.split_whitespace().map(str::to_lowercase).collect();
        // Split "48p" into "48" "p".
        if let Some(first) = parts.first().cloned() {
            let digits: String = first.chars().take_while(char::is_ascii_digit).collect();
            if !digits.is_empty() && digits.len() < first.len() {
                parts.splice(0..1, [digits.clone(), first[digits.len()..].to_owned()]);
            }
        }
        let [zone, hemi, e, n] = parts.as_slice() else {
            return Err(bad());
        };
        let zone: u8 = zone.parse().map_err(|_| bad())?;
        let hemisphere = match hemi.as_str() {
            "north" => Hemisphere::North,
            "south" => Hemisphere::South,
            band if band.len() == 1 => {
                let c = band.as_bytes()[0].to_ascii_uppercase();
                match BANDS.iter().position(|b| *b == c) {
                    Some(i) if i < 10 => Hemisphere::South,
                    Some(_) => Hemisphere::North,
                    None => return Err(bad()),
                }
            }
            _ => return Err(bad()),
        };
        let easting: f64 = e.parse().map_err(|_| bad())?;
        let northing: f64 = n.parse().map_err(|_| bad())?;
        Ok(Utm {
            zone,
            hemisphere,
            easting,
            northing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_to_the_millimetre() {
        for (lon, lat) in [
            (103.2, 13.1),
            (105.9, 20.9),
            (47.1, 40.4),
            (13.2, -8.8),
            (102.001, 12.0),
        ] {
            let u = Utm::from_wgs84(Point::new(lon, lat)).expect("utm");
            let back = u.to_wgs84().expect("back");
            let again = Utm::from_wgs84_in_zone(back, u.zone, u.hemisphere).expect("utm");
            assert!(
                (again.easting - u.easting).abs() < 1e-3
                    && (again.northing - u.northing).abs() < 1e-3
            );
        }
    }

    /// A hazard straddling 102°E kept in zone 48: the zone-47 side converts there and back.
    #[test]
    fn forced_neighbouring_zone_round_trips() {
        let p = Point::new(101.5, 12.0);
        let u = Utm::from_wgs84_in_zone(p, 48, Hemisphere::North).expect("utm");
        assert!(u.easting < 166_000.0, "{u}");
        let back = u.to_wgs84().expect("back");
        assert!(crate::geodesic_distance(p, back) < 1e-3);
    }

    #[test]
    fn parses_band_and_hemisphere_words() {
        let a: Utm = "48P 304855 1448889".parse().expect("band");
        let b: Utm = "48 north 304855 1448889".parse().expect("word");
        assert_eq!(a, b);
        let s: Utm = "33 south 500000 9000000".parse().expect("south");
        assert_eq!(s.hemisphere, Hemisphere::South);
        let l: Utm = "33L 500000 9000000".parse().expect("band L");
        assert_eq!(l.hemisphere, Hemisphere::South);
        assert!("48 304855".parse::<Utm>().is_err());
        assert!("48I 304855 1448889".parse::<Utm>().is_err());
    }

    #[test]
    fn polar_and_nonsense_are_errors() {
        assert!(Utm::from_wgs84(Point::new(10.0, 85.0)).is_err());
        assert!(Utm::from_wgs84(Point::new(f64::NAN, 1.0)).is_err());
        let u = Utm {
            zone: 48,
            hemisphere: Hemisphere::North,
            easting: -5.0,
            northing: 1.0,
        };
        assert!(u.to_wgs84().is_err());
        assert_eq!(standard_zone(5.0, 60.0), 32);
        assert_eq!(standard_zone(10.0, 75.0), 33);
    }
}
