//! MGRS grid references (UTM zones only; polar UPS areas are refused), with the standard
//! (AA) 100 km square lettering used on WGS 84.

use geo_types::Point;

use crate::GeoError;
use crate::utm::{BANDS, Hemisphere, Utm, band_letter};

const COLUMN_SETS: [&[u8]; 3] = [b"ABCDEFGH", b"JKLMNPQR", b"STUVWXYZ"];
const ROWS: &[u8] = b"ABCDEFGHJKLMNPQRSTUV";

/// An MGRS reference such as `48PUV0485548889`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mgrs {
    /// UTM zone 1–60.
    pub zone: u8,
    /// Latitude band letter (C–X, no I or O).
    pub band: char,
    /// 100 km square column letter.
    pub column: char,
    /// 100 km square row letter.
    pub row: char,
    /// Easting within the square, m (truncated to the precision).
    pub easting: f64,
    /// Northing within the square, m.
    pub northing: f64,
    /// Digits per axis, 1–5 (5 = 1 m, 4 = 10 m, ... 1 = 10 km).
    pub precision: u8,
}

fn row_offset(zone: u8) -> usize {
    if zone.is_multiple_of(2) { 5 } else { 0 }
}

impl Mgrs {
    /// The reference of a position at `precision` digits per axis (1–5).
    ///
    /// ```
    /// use geo_types::Point;
    /// use safeground_geo::Mgrs;
    /// let m = Mgrs::from_wgs84(Point::new(103.2, 13.1), 5).unwrap();
    /// assert_eq!(m.to_string(), "48PUV0485448889"); // the `mgrs` (GEOTRANS) package agrees
    /// ```
    pub fn from_wgs84(p: Point<f64>, precision: u8) -> Result<Mgrs, GeoError> {
        if !(1..=5).contains(&precision) {
            return Err(GeoError::Input(format!(
                "MGRS precision {precision} must be 1–5 digits"
            )));
        }
        let utm = Utm::from_wgs84(p)?;
        let band = band_letter(p.y()).ok_or_else(|| {
            GeoError::Unsupported(format!("latitude {} has no MGRS band (80°S–84°N)", p.y()))
        })?;
        let set = COLUMN_SETS[(usize::from(utm.zone) - 1) % 3];
        let col = (utm.easting / 100_000.0).floor() as usize;
        let column = *set.get(col.wrapping_sub(1)).ok_or_else(|| {
            GeoError::Input(format!("easting {} is outside the zone", utm.easting))
        })? as char;
        let row_index = ((utm.northing / 100_000.0).floor() as usize + row_offset(utm.zone)) % 20;
        let unit = 10f64.powi(5 - i32::from(precision));
        Ok(Mgrs {
            zone: utm.zone,
            band,
            column,
            row: ROWS[row_index] as char,
            easting: ((utm.easting % 100_000.0) / unit).floor() * unit,
            northing: ((utm.northing % 100_000.0) / unit).floor() * unit,
            precision,
        })
    }

    /// The centre of the referenced cell, WGS 84 (as GeographicLib's `MGRS::Reverse` with
    /// `centerp = true`): a 5-digit reference is given to ±0.5 m.
    pub fn to_wgs84(&self) -> Result<Point<f64>, GeoError> {
        let bad = |what: &str| GeoError::Input(format!("{self}: {what}"));
        let band_index = BANDS
            .iter()
            .position(|b| *b as char == self.band)
            .ok_or_else(|| bad("unknown latitude band"))?;
        if !(1..=60).contains(&self.zone) {
            return Err(bad("zone must be 1–60"));
        }
        let set = COLUMN_SETS[(usize::from(self.zone) - 1) % 3];
        let col = set
            .iter()
            .position(|c| *c as char == self.column)
            .ok_or_else(|| bad("column letter does not belong to this zone"))?
            + 1;
        let row_letter = ROWS
            .iter()
            .position(|c| *c as char == self.row)
            .ok_or_else(|| bad("unknown row letter"))?;
        let row = (row_letter + 20 - row_offset(self.zone)) % 20;
        let hemisphere = if band_index < 10 {
            Hemisphere::South
        } else {
            Hemisphere::North
        };
        // Smallest northing of the band, to pick the 2,000 km cycle of the row letters. The
        // band's southern parallel is lowest at the central meridian in the north and at the
        // zone's edge in the south (6° off covers the widened Norway/Svalbard zones); a band is
        // under 1,000 km tall, so exactly one cycle fits.
        let band_south = -80.0 + 8.0 * band_index as f64;
        let central = f64::from(self.zone) * 6.0 - 183.0;
        let mut min_northing = f64::INFINITY;
        let edge = if central > 0.0 { -6.0 } else { 6.0 }; // symmetric; stay within ±180°
        for offset in [0.0, edge] {
            let at = Point::new(central + offset, band_south);
            min_northing =
                min_northing.min(Utm::from_wgs84_in_zone(at, self.zone, hemisphere)?.northing);
        }
        let mut northing = f64::from(row as u32) * 100_000.0;
        while northing + 100_000.0 <= min_northing {
            northing += 2_000_000.0;
        }
        let half = 0.5 * 10f64.powi(5 - i32::from(self.precision));
        Utm {
            zone: self.zone,
            hemisphere,
            easting: col as f64 * 100_000.0 + self.easting + half,
            northing: northing + self.northing + half,
        }
        .to_wgs84()
    }
}

impl std::fmt::Display for Mgrs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = 10f64.powi(5 - i32::from(self.precision));
        let w = usize::from(self.precision);
        write!(
            f,
            "{}{}{}{}{:0w$}{:0w$}",
            self.zone,
            self.band,
            self.column,
            self.row,
            (self.easting / unit) as u32,
            (self.northing / unit) as u32,
        )
    }
}

impl std::str::FromStr for Mgrs {
    type Err = GeoError;

    /// Parses `48PTV0485548889`, with or without spaces, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: &str| GeoError::Input(format!("`{s}` is not an MGRS reference: {why}"));
        let t: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        if !(1..=2).contains(&digits) {
            return Err(bad("it must start with a zone number"));
        }
        let zone: u8 = t[..digits].parse().map_err(|_| bad("bad zone"))?;
        let letters: Vec<char> = t[digits..].chars().take(3).collect();
        if letters.len() < 3 || letters.iter().any(|c| !c.is_ascii_alphabetic()) {
            return Err(bad(
                "expected a band letter and two square letters after the zone",
            ));
        }
        let rest = &t[digits + 3..];
        if !rest.len().is_multiple_of(2)
            || rest.len() > 10
            || rest.is_empty()
            || !rest.chars().all(|c| c.is_ascii_digit())
        {
            return Err(bad(
                "expected an even number (2–10) of digits after the letters",
            ));
        }
        let precision = (rest.len() / 2) as u8;
        let unit = 10f64.powi(5 - i32::from(precision));
        let half = rest.len() / 2;
        let e: f64 = rest[..half].parse().map_err(|_| bad("bad easting"))?;
        let n: f64 = rest[half..].parse().map_err(|_| bad("bad northing"))?;
        let m = Mgrs {
            zone,
            band: letters[0],
            column: letters[1],
            row: letters[2],
            easting: e * unit,
            northing: n * unit,
            precision,
        };
        m.to_wgs84()?; // reject letters that do not exist in this zone
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_within_a_metre_across_zones_and_bands() {
        for lat in (-79..84).step_by(3) {
            for lon in (-177..180).step_by(7) {
                let p = Point::new(f64::from(lon) + 0.37, f64::from(lat) + 0.41);
                let m = Mgrs::from_wgs84(p, 5).expect("mgrs");
                let text = m.to_string();
                let back: Mgrs = text.parse().expect("parse");
                let q = back.to_wgs84().expect("back");
                let d = crate::geodesic_distance(p, q);
                assert!(d < 1.0, "{p:?} -> {text} -> {q:?}: {d} m");
            }
        }
    }

    /// Points just inside each band's southern and northern edges, at the central meridian and
    /// at both zone edges, where the 2,000 km northing cycle is easiest to get wrong.
    #[test]
    fn round_trip_at_band_and_zone_edges() {
        for band in 0..20 {
            let south = -80.0 + 8.0 * f64::from(band);
            let north = if band == 19 { 84.0 } else { south + 8.0 };
            for lat in [south + 1e-4, north - 1e-4] {
                for zone in [2u8, 17, 34, 48, 59] {
                    let west = f64::from(zone) * 6.0 - 186.0;
                    for lon in [west + 1e-4, west + 3.0, west + 6.0 - 1e-4] {
                        let p = Point::new(lon, lat);
                        let m = Mgrs::from_wgs84(p, 5).expect("mgrs");
                        let q = m.to_wgs84().expect("back");
                        let d = crate::geodesic_distance(p, q);
                        assert!(d < 1.0, "{p:?} -> {m} -> {q:?}: {d} m");
                    }
                }
            }
        }
    }

    #[test]
    fn bad_references_are_explained() {
        assert!("48PTV048554888".parse::<Mgrs>().is_err(), "odd digit count");
        assert!("PTV0485548889".parse::<Mgrs>().is_err(), "no zone");
        assert!(
            "48PIV0485548889".parse::<Mgrs>().is_err(),
            "I is not a column letter"
        );
    }
}
