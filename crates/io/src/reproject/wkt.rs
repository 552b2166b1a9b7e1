//! WKT1 coordinate system definitions (OGC and ESRI flavours, as in `.prj` files) to proj4
//! strings: geographic systems with their datum shift, and Transverse Mercator projections.

use super::epsg_proj4;

/// Maximum nesting of a WKT definition (real ones nest 4 deep).
const WKT_DEPTH: usize = 16;

/// A WKT node: `NAME[item, item, …]`.
#[derive(Debug)]
pub(super) struct Wkt {
    pub name: String,
    items: Vec<Item>,
}

#[derive(Debug)]
enum Item {
    Text(String),
    Number(f64),
    Word,
    Node(Wkt),
}

impl Wkt {
    pub fn parse(text: &str) -> Result<Wkt, String> {
        let mut p = Parser {
            s: text.trim_start_matches('\u{feff}').as_bytes(),
            i: 0,
        };
        p.skip_ws();
        let node = match p.item(0)? {
            Item::Node(n) => n,
            _ => return Err("not a WKT definition".into()),
        };
        p.skip_ws();
        if p.i < p.s.len() {
            return Err(format!(
                "unexpected text after the definition at byte {}",
                p.i
            ));
        }
        Ok(node)
    }

    pub fn nodes(&self) -> impl Iterator<Item = &Wkt> {
        self.items.iter().filter_map(|i| match i {
            Item::Node(n) => Some(n),
            _ => None,
        })
    }

    fn child(&self, name: &str) -> Option<&Wkt> {
        self.nodes().find(|n| n.name == name)
    }

    pub fn text(&self, i: usize) -> Option<&str> {
        match self.items.get(i) {
            Some(Item::Text(t)) => Some(t),
            _ => None,
        }
    }

    fn number(&self, i: usize) -> Option<f64> {
        match self.items.get(i) {
            Some(Item::Number(n)) => Some(*n),
            Some(Item::Text(t)) => t.trim().parse().ok(),
            _ => None,
        }
    }

    /// Its `AUTHORITY["EPSG", n]` (WKT1) or `ID["EPSG", n]` (WKT2).
    pub fn epsg(&self) -> Option<u32> {
        let a = self.child("AUTHORITY").or_else(|| self.child("ID"))?;
        if !a.text(0)?.eq_ignore_ascii_case("EPSG") {
            return None;
        }
        let code = a.number(1)?;
        (code.fract() == 0.0 && (1.0..=f64::from(u32::MAX)).contains(&code)).then_some(code as u32)
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn item(&mut self, depth: usize) -> Result<Item, String> {
        if depth > WKT_DEPTH {
            return Err("nested too deep".into());
        }
        self.skip_ws();
        let start = self.i;
        match self.s.get(self.i) {
            Some(b'"') => {
                let mut text = Vec::new();
                loop {
                    self.i += 1;
                    match self.s.get(self.i) {
                        None => return Err("a quoted name does not end".into()),
                        Some(b'"') if self.s.get(self.i + 1) == Some(&b'"') => {
                            text.push(b'"');
                            self.i += 1;
                        }
                        Some(b'"') => break,
                        Some(c) => text.push(*c),
                    }
                }
                self.i += 1;
                Ok(Item::Text(String::from_utf8_lossy(&text).into_owned()))
            }
            Some(c) if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.') => {
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.'))
                {
                    self.i += 1;
                }
                let t = String::from_utf8_lossy(&self.s[start..self.i]);
                t.parse()
                    .map(Item::Number)
                    .map_err(|_| format!("`{t}` is not a number"))
            }
            Some(c) if c.is_ascii_alphabetic() => {
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    self.i += 1;
                }
                let name = String::from_utf8_lossy(&self.s[start..self.i]).to_uppercase();
                self.skip_ws();
                let close = match self.s.get(self.i) {
                    Some(b'[') => b']',
                    Some(b'(') => b')',
                    _ => return Ok(Item::Word),
                };
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    if self.s.get(self.i) == Some(&close) && items.is_empty() {
                        self.i += 1;
                        break;
                    }
                    items.push(self.item(depth + 1)?);
                    self.skip_ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(c) if *c == close => {
                            self.i += 1;
                            break;
                        }
                        _ => return Err(format!("`{name}` is not closed")),
                    }
                }
                Ok(Item::Node(Wkt { name, items }))
            }
            _ => Err(format!("unexpected character at byte {start}")),
        }
    }
}

/// Lowercase letters and digits only: `Scale_Factor` and `scale factor` compare equal.
fn squash(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Geographic systems whose EPSG definition carries the shift to WGS 84 of a datum that ESRI
/// `.prj` files name without `TOWGS84`: datums met in mine-action programmes.
const DATUMS: &[(&str, u32)] = &[
    ("indian1960", 4131),
    ("indian1975", 4240),
    ("indian1954", 4239),
    ("kandawala", 4244),
    ("pulkovo1942", 4284),
    ("camacupa", 4220),
    ("wgs1972", 4322),
    ("europeandatum1950", 4230),
    ("ainelabd1970", 4204),
    ("mgi1901", 3906),
    ("etrs1989", 4258),
    ("europeanterrestrialreferencesystem1989", 4258),
    ("sirgas2000", 4674),
    ("northamericandatum1983", 4269),
    ("nad1983", 4269),
];

/// Names of the WGS 84 datum, squashed.
const WGS84_DATUM: &[&str] = &["wgs1984", "wgs84", "worldgeodeticsystem1984"];

/// A `GEOGCS`: its ellipsoid and shift to WGS 84 (proj4 parameters), radians per angular unit,
/// and whether it is WGS 84 longitude/latitude in degrees itself.
fn geographic(g: &Wkt) -> Result<(String, f64, bool), String> {
    let datum = g.child("DATUM").ok_or("its GEOGCS has no DATUM")?;
    let name = datum.text(0).unwrap_or_default();
    let name = squash(name.strip_prefix("D_").unwrap_or(name));
    let spheroid = datum.child("SPHEROID").ok_or("its DATUM has no SPHEROID")?;
    let (a, rf) = match (spheroid.number(1), spheroid.number(2)) {
        (Some(a), Some(rf)) if a > 0.0 && a.is_finite() && rf >= 0.0 && rf.is_finite() => (a, rf),
        _ => return Err("its SPHEROID is not a semi-major axis and inverse flattening".into()),
    };
    let ellipsoid = if rf == 0.0 {
        format!("+a={a} +b={a}")
    } else {
        format!("+a={a} +rf={rf}")
    };
    let angular = g
        .child("UNIT")
        .and_then(|u| u.number(1))
        .unwrap_or(1f64.to_radians());
    if !(angular > 0.0 && angular.is_finite()) {
        return Err("its angular UNIT is not a positive number".into());
    }
    let pm = g.child("PRIMEM").and_then(|p| p.number(1)).unwrap_or(0.0) * angular.to_degrees();
    if !pm.is_finite() {
        return Err("its PRIMEM is not a number".into());
    }
    let wgs84 = WGS84_DATUM.contains(&name.as_str());
    let shift = if let Some(t) = datum.child("TOWGS84") {
        let values: Option<Vec<String>> = (0..t.items.len())
            .map(|i| t.number(i).filter(|v| v.is_finite()).map(|v| v.to_string()))
            .collect();
        match values {
            Some(v) if v.len() == 3 || v.len() == 7 => format!("+towgs84={}", v.join(",")),
            _ => return Err("its TOWGS84 is not 3 or 7 numbers".into()),
        }
    } else if wgs84 {
        "+towgs84=0,0,0".into()
    } else {
        known_shift(&name)?
    };
    let degrees = (angular / 1f64.to_radians() - 1.0).abs() < 1e-12;
    let identity = wgs84
        && pm == 0.0
        && degrees
        && (a - 6_378_137.0).abs() < 1e-3
        && (rf - 298.257_223_563).abs() < 1e-6
        && !datum
            .child("TOWGS84")
            .is_some_and(|t| (0..t.items.len()).any(|i| t.number(i).is_some_and(|v| v != 0.0)));
    let pm = if pm == 0.0 {
        String::new()
    } else {
        format!(" +pm={pm}")
    };
    Ok((format!("{ellipsoid} {shift}{pm}"), angular, identity))
}

/// The `+towgs84=…` of a datum named without one, from its geographic system's EPSG definition.
fn known_shift(datum: &str) -> Result<String, String> {
    let code = DATUMS
        .iter()
        .find(|(n, _)| *n == datum)
        .map(|(_, c)| *c)
        .ok_or_else(|| {
            format!(
                "datum `{datum}` has no TOWGS84 and Safeground does not know its shift to WGS 84"
            )
        })?;
    let definition = epsg_proj4(code).ok_or_else(|| format!("EPSG:{code} is unknown"))?;
    if definition.contains("+datum=WGS84") || definition.contains("+datum=NAD83") {
        return Ok("+towgs84=0,0,0".into());
    }
    definition
        .split_whitespace()
        .find(|p| p.starts_with("+towgs84="))
        .map(str::to_string)
        .ok_or_else(|| format!("EPSG:{code} has no shift to WGS 84"))
}

/// The proj4 definition of a WKT1 `GEOGCS` or Transverse Mercator `PROJCS`, and the source units
/// in proj4rs's (radians or metres); `None` for WGS 84 longitude/latitude in degrees.
pub(super) fn wkt_to_proj4(root: &Wkt) -> Result<Option<(String, f64)>, String> {
    match root.name.as_str() {
        "GEOGCS" => {
            let (datum, angular, identity) = geographic(root)?;
            Ok((!identity).then(|| (format!("+proj=longlat {datum} +no_defs"), angular)))
        }
        "PROJCS" => {
            let (datum, angular, _) =
                geographic(root.child("GEOGCS").ok_or("its PROJCS has no GEOGCS")?)?;
            let projection = root
                .child("PROJECTION")
                .and_then(|p| p.text(0))
                .ok_or("its PROJCS has no PROJECTION")?;
            if squash(projection) != "transversemercator" {
                return Err(format!(
                    "projection `{projection}` is not supported (Transverse Mercator and UTM are)"
                ));
            }
            let linear = root.child("UNIT").and_then(|u| u.number(1)).unwrap_or(1.0);
            if !(linear > 0.0 && linear.is_finite()) {
                return Err("its linear UNIT is not a positive number".into());
            }
            let param = |name: &str| {
                root.nodes()
                    .filter(|n| n.name == "PARAMETER")
                    .find(|n| n.text(0).map(squash).as_deref() == Some(name))
                    .and_then(|n| n.number(1))
            };
            let lat_0 = param("latitudeoforigin").unwrap_or(0.0) * angular.to_degrees();
            let lon_0 = param("centralmeridian").unwrap_or(0.0) * angular.to_degrees();
            let k = param("scalefactor").unwrap_or(1.0);
            let x_0 = param("falseeasting").unwrap_or(0.0) * linear;
            let y_0 = param("falsenorthing").unwrap_or(0.0) * linear;
            if ![lat_0, lon_0, k, x_0, y_0].iter().all(|v| v.is_finite()) || k <= 0.0 {
                return Err("its projection parameters are not finite numbers".into());
            }
            Ok(Some((
                format!(
                    "+proj=tmerc +lat_0={lat_0} +lon_0={lon_0} +k={k} +x_0={x_0} +y_0={y_0} {datum} +units=m +no_defs"
                ),
                linear,
            )))
        }
        other => Err(format!(
            "`{other}` definitions are not supported (WKT1 GEOGCS and PROJCS are)"
        )),
    }
}
