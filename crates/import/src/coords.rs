//! Geometry from the source: the feature's own, or built from columns holding decimal degrees,
//! degrees-minutes-seconds, UTM, MGRS, XLSForm geopoint/geoshape or well-known text; then
//! checked (WGS 84 range; polygons validated, and repaired only on request).

use std::borrow::Cow;
use std::str::FromStr;

use geo_types::{Coord, Geometry, LineString, Point, Polygon};
use safeground_geo::{
    CheckOptions, GeoError, Hemisphere, Mgrs, RawPolygon, RepairOptions, Severity, Utm,
};
use serde_json::Value;

use crate::mapping::{FieldRule, GeometrySource, OneOrMany};
use crate::value::{FieldProblem, Scope, column, text};

fn problem(column: Option<&str>, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        column: column.map(str::to_owned),
        message: message.into(),
    }
}

/// Parses one angle: decimal degrees (`13.1036`, `-103.2`), or degrees, minutes and seconds in
/// the usual spellings (`13°06'12.9"N`, `N 13 06 12.9`, `103:12:30E`, `13° 6.215' N`). `lat`
/// picks the range and the hemisphere letters allowed.
pub fn parse_angle(raw: &str, lat: bool) -> Result<f64, String> {
    let t = raw.trim();
    let (pos, neg) = if lat { ('N', 'S') } else { ('E', 'W') };
    let mut sign = 1.0;
    let mut body = String::with_capacity(t.len());
    for c in t.chars() {
        match c.to_ascii_uppercase() {
            c if c == pos => {}
            c if c == neg => sign = -sign,
            'N' | 'S' | 'E' | 'W' => {
                return Err(format!(
                    "`{raw}` has the hemisphere letter `{c}`, which belongs to a {}",
                    if lat { "longitude" } else { "latitude" }
                ));
            }
            '°' | '\'' | '"' | '′' | '″' | ':' | 'D' | 'M' | ',' => body.push(' '),
            _ => body.push(c),
        }
    }
    let parts: Vec<f64> = body
        .split_whitespace()
        .map(|p| p.parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{raw}` is not an angle in degrees or degrees-minutes-seconds"))?;
    let (d, m, s) = match parts.as_slice() {
        [d] => (*d, 0.0, 0.0),
        [d, m] => (*d, *m, 0.0),
        [d, m, s] => (*d, *m, *s),
        _ => return Err(format!("`{raw}` is not an angle")),
    };
    if parts.len() > 1 && (!(0.0..60.0).contains(&m) || !(0.0..60.0).contains(&s)) {
        return Err(format!("`{raw}`: minutes and seconds must be below 60"));
    }
    if d < 0.0 {
        sign = -sign;
    }
    let value = sign * (d.abs() + m / 60.0 + s / 3600.0);
    let limit = if lat { 90.0 } else { 180.0 };
    if !value.is_finite() || value.abs() > limit {
        return Err(format!(
            "`{raw}` is outside ±{limit}°: is it projected (use a UTM mapping), or are latitude and longitude swapped?"
        ));
    }
    Ok(value)
}

fn cell<'a>(scope: &Scope<'a>, name: &str) -> Result<(String, &'a Value), FieldProblem> {
    column(scope, &OneOrMany::One(name.to_owned()))
        .ok_or_else(|| problem(Some(name), format!("column `{name}` is missing or empty")))
}

fn number_in(scope: &Scope<'_>, name: &str) -> Result<f64, FieldProblem> {
    let (col, v) = cell(scope, name)?;
    match v {
        Value::Number(n) => n.as_f64(),
        other => text(other).replace(',', "").parse().ok(),
    }
    .filter(|x: &f64| x.is_finite())
    .ok_or_else(|| problem(Some(&col), format!("`{}` is not a number", text(v))))
}

/// `48N`, `48 N`, `48P` (an MGRS latitude band) or `48` (north).
fn utm_zone(raw: &str) -> Result<(u8, Hemisphere), String> {
    let t = raw.trim().to_uppercase();
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let letter = t[digits.len()..].trim();
    let zone: u8 = digits
        .parse()
        .ok()
        .filter(|z| (1..=60).contains(z))
        .ok_or_else(|| format!("`{raw}` is not a UTM zone (1–60, e.g. 48N)"))?;
    let hemisphere = match letter {
        "" | "N" | "NORTH" => Hemisphere::North,
        "S" | "SOUTH" => Hemisphere::South,
        b if b.len() == 1 && ('C'..='M').contains(&b.chars().next().unwrap_or('?')) => {
            Hemisphere::South
        }
        b if b.len() == 1 && ('N'..='X').contains(&b.chars().next().unwrap_or('?')) => {
            Hemisphere::North
        }
        _ => return Err(format!("`{raw}` is not a UTM zone (1–60, e.g. 48N)")),
    };
    Ok((zone, hemisphere))
}

/// XLSForm `lat lon [altitude [accuracy]]`.
fn odk_point(raw: &str) -> Result<Coord<f64>, String> {
    let parts: Vec<&str> = raw.split_whitespace().collect();
    if parts.len() < 2 {
        return Err(format!(
            "`{raw}` is not a geopoint (`lat lon alt accuracy`)"
        ));
    }
    Ok(Coord {
        x: parse_angle(parts[1], false)?,
        y: parse_angle(parts[0], true)?,
    })
}

/// A geopoint that ODK Central's CSV export split into `<name>-Latitude` and
/// `<name>-Longitude` columns.
fn split_geopoint(rule: &FieldRule, scope: &Scope<'_>) -> Result<Option<Point<f64>>, FieldProblem> {
    let names = rule
        .column
        .as_ref()
        .map(OneOrMany::names)
        .unwrap_or_default();
    for name in names {
        let part = |suffix: &str| column(scope, &OneOrMany::One(format!("{name}-{suffix}")));
        let (Some((lat_col, lat)), Some((lon_col, lon))) = (part("Latitude"), part("Longitude"))
        else {
            continue;
        };
        let y = parse_angle(&text(lat), true).map_err(|e| problem(Some(&lat_col), e))?;
        let x = parse_angle(&text(lon), false).map_err(|e| problem(Some(&lon_col), e))?;
        return Ok(Some(Point::new(x, y)));
    }
    Ok(None)
}

fn to_value(g: &Geometry<f64>) -> Result<Value, FieldProblem> {
    serde_json::to_value(geojson::Geometry::from(g))
        .map_err(|e| problem(None, format!("cannot encode the geometry: {e}")))
}

/// The GeoJSON geometry a geometry rule gives for one source record (`None`: no geometry);
/// the feature's own geometry is lent, not copied.
pub fn evaluate<'a>(
    rule: &FieldRule,
    source: GeometrySource,
    scope: &Scope<'_>,
    feature_geometry: Option<&'a Value>,
) -> Result<Option<Cow<'a, Value>>, FieldProblem> {
    let single = || -> Result<Option<(String, String)>, FieldProblem> {
        Ok(rule
            .column
            .as_ref()
            .and_then(|names| column(scope, names))
            .map(|(c, v)| (c, text(v))))
    };
    let geometry: Geometry<f64> = match source {
        GeometrySource::Feature => {
            return Ok(feature_geometry.filter(|g| !g.is_null()).map(Cow::Borrowed));
        }
        GeometrySource::Lonlat => {
            let (lon_col, lon) = match rule.lon.as_deref().map(|c| cell(scope, c)) {
                Some(Ok(x)) => x,
                Some(Err(_)) | None => return Ok(None),
            };
            let (lat_col, lat) = cell(scope, rule.lat.as_deref().unwrap_or("lat"))?;
            let x = parse_angle(&text(lon), false).map_err(|e| problem(Some(&lon_col), e))?;
            let y = parse_angle(&text(lat), true).map_err(|e| problem(Some(&lat_col), e))?;
            Geometry::Point(Point::new(x, y))
        }
        GeometrySource::Utm => {
            let easting_col = rule.easting.as_deref().unwrap_or("easting");
            if column(scope, &OneOrMany::One(easting_col.to_owned())).is_none() {
                return Ok(None);
            }
            let e = number_in(scope, easting_col)?;
            let n = number_in(scope, rule.northing.as_deref().unwrap_or("northing"))?;
            if let Some(epsg) = rule.epsg {
                let projection = safeground_io::Reprojection::from_epsg(epsg)
                    .map_err(|err| problem(None, format!("EPSG:{epsg}: {err}")))?;
                let (x, y) = projection.to_wgs84(e, n).map_err(|err| {
                    problem(
                        Some(easting_col),
                        format!("({e}, {n}) in EPSG:{epsg}: {err}"),
                    )
                })?;
                Geometry::Point(Point::new(x, y))
            } else {
                let (zone_col, zone_text) = match (&rule.zone_value, &rule.zone) {
                    (Some(z), _) => ("zone_value".to_owned(), z.clone()),
                    (None, Some(c)) => {
                        let (col, v) = cell(scope, c)?;
                        (col, text(v))
                    }
                    (None, None) => ("zone".to_owned(), String::new()),
                };
                let (zone, hemisphere) =
                    utm_zone(&zone_text).map_err(|e| problem(Some(&zone_col), e))?;
                let utm = Utm {
                    zone,
                    hemisphere,
                    easting: e,
                    northing: n,
                };
                Geometry::Point(utm.to_wgs84().map_err(|err| {
                    problem(Some(easting_col), format!("UTM {zone_text} {e} {n}: {err}"))
                })?)
            }
        }
        GeometrySource::Mgrs => {
            let Some((col, t)) = single()? else {
                return Ok(None);
            };
            let m = Mgrs::from_str(&t.replace(' ', ""))
                .map_err(|e| problem(Some(&col), format!("`{t}`: {e}")))?;
            Geometry::Point(
                m.to_wgs84()
                    .map_err(|e| problem(Some(&col), format!("`{t}`: {e}")))?,
            )
        }
        GeometrySource::Geopoint => match single()? {
            Some((col, t)) => {
                Geometry::Point(Point(odk_point(&t).map_err(|e| problem(Some(&col), e))?))
            }
            None => match split_geopoint(rule, scope)? {
                Some(p) => Geometry::Point(p),
                None => return Ok(None),
            },
        },
        GeometrySource::Geoshape => {
            let Some((col, t)) = single()? else {
                return Ok(None);
            };
            let mut ring: Vec<Coord<f64>> = t
                .split(';')
                .filter(|p| !p.trim().is_empty())
                .map(odk_point)
                .collect::<Result<_, _>>()
                .map_err(|e| problem(Some(&col), e))?;
            if ring.len() >= 3 && ring.first() != ring.last() {
                ring.push(ring[0]);
            }
            if ring.len() < 4 {
                return Err(problem(
                    Some(&col),
                    format!("a geoshape needs at least 3 distinct points, got `{t}`"),
                ));
            }
            Geometry::Polygon(Polygon::new(LineString(ring), vec![]))
        }
        GeometrySource::Wkt => {
            let Some((col, t)) = single()? else {
                return Ok(None);
            };
            let parsed = wkt::Wkt::<f64>::from_str(&t)
                .map_err(|e| problem(Some(&col), format!("not well-known text: {e}")))?;
            Geometry::try_from(parsed)
                .map_err(|e| problem(Some(&col), format!("unsupported well-known text: {e}")))?
        }
    };
    to_value(&geometry).map(|v| Some(Cow::Owned(v)))
}

fn positions(v: &Value, out: &mut Vec<[f64; 2]>) -> bool {
    match v {
        Value::Array(a) if a.first().is_some_and(Value::is_number) => {
            let x = a.first().and_then(Value::as_f64).unwrap_or(f64::NAN);
            let y = a.get(1).and_then(Value::as_f64).unwrap_or(f64::NAN);
            out.push([x, y]);
            true
        }
        Value::Array(a) => a.iter().all(|x| positions(x, out)),
        _ => false,
    }
}

fn swap_positions(v: &mut Value) {
    if let Value::Array(a) = v {
        if a.first().is_some_and(Value::is_number) && a.len() >= 2 {
            a.swap(0, 1);
        } else {
            a.iter_mut().for_each(swap_positions);
        }
    }
}

fn rings(v: &Value) -> Vec<Vec<[f64; 2]>> {
    v.as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| {
                    let mut out = Vec::new();
                    positions(r, &mut out);
                    out
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A checked geometry: polygons as the record will hold them, or any other GeoJSON geometry
/// as given.
#[derive(Debug, Clone, PartialEq)]
pub enum Finished {
    /// A polygon or multipolygon, valid (or repaired).
    Polygons(geo_types::MultiPolygon<f64>),
    /// Any other geometry (a point, a line), unchanged.
    Other(Value),
}

impl Finished {
    /// The geometry as GeoJSON, written as the record will hold it (the model's writer, one
    /// tuple per position).
    pub fn into_value(self) -> Result<Value, String> {
        struct Stored(geo_types::MultiPolygon<f64>);
        impl serde::Serialize for Stored {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                safeground_model::geometry::multipolygon_geojson::serialize(&self.0, s)
            }
        }
        match self {
            Finished::Polygons(mp) => serde_json::to_value(Stored(mp))
                .map_err(|e| format!("cannot encode the geometry: {e}")),
            Finished::Other(v) => Ok(v),
        }
    }
}

/// Checks a GeoJSON geometry: every position inside WGS 84 lon/lat; a polygon or multipolygon
/// valid (reference §6.1), or repaired when `repair` gives the repair's settings. Gives the
/// geometry to store and notes (warnings, repairs; a repaired polygon's notes end with its
/// area before and after). A repair that would change the area by more than allowed is
/// refused with the figures.
pub fn finish(
    geometry: &Value,
    repair: Option<&RepairOptions>,
) -> Result<(Finished, Vec<String>), String> {
    let kind = geometry
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let coordinates = geometry.get("coordinates").unwrap_or(&Value::Null);
    let mut all = Vec::new();
    if kind != "GeometryCollection" && !positions(coordinates, &mut all) {
        return Err(format!("a {kind} with malformed coordinates"));
    }
    if let Some(bad) = all
        .iter()
        .find(|[x, y]| !(x.is_finite() && y.is_finite() && x.abs() <= 180.0 && y.abs() <= 90.0))
    {
        let swapped = all.iter().all(|[x, y]| x.abs() <= 90.0 && y.abs() <= 180.0);
        if swapped && repair.is_some() {
            let mut geometry = geometry.clone();
            if let Some(c) = geometry.get_mut("coordinates") {
                swap_positions(c);
            }
            let (g, mut notes) = finish(&geometry, repair)?;
            notes.insert(0, "repaired: swapped longitude and latitude".into());
            if let Finished::Polygons(mp) = &g
                && !notes.iter().any(|n| n.starts_with("repaired: area "))
            {
                let area = safeground_geo::geodesic_area(mp);
                notes.push(format!(
                    "repaired: {}",
                    safeground_geo::area_change_note(area, area)
                ));
            }
            return Ok((g, notes));
        }
        // Some positions latitude first, the rest right: the polygon repair swaps just those.
        let each_swappable = all
            .iter()
            .filter(|[x, y]| !(x.abs() <= 180.0 && y.abs() <= 90.0))
            .all(|[x, y]| x.abs() <= 90.0 && y.abs() <= 180.0);
        let polygonal = matches!(kind.as_str(), "Polygon" | "MultiPolygon");
        if !(each_swappable && polygonal && repair.is_some()) {
            return Err(if swapped || each_swappable {
                format!(
                    "position ({}, {}) is outside WGS 84 longitude/latitude: longitude and latitude \
                 look swapped (GeoJSON and WKT give longitude first; --repair swaps them)",
                    bad[0], bad[1]
                )
            } else {
                format!(
                    "position ({}, {}) is outside WGS 84 longitude/latitude: is the layer projected? \
                 (reproject it: ogr2ogr -t_srs EPSG:4326 out.gpkg in.gpkg)",
                    bad[0], bad[1]
                )
            });
        }
    }
    let raw: Vec<RawPolygon> = match kind.as_str() {
        "Polygon" => vec![rings(coordinates)],
        "MultiPolygon" => coordinates
            .as_array()
            .map(|ps| ps.iter().map(rings).collect())
            .unwrap_or_default(),
        _ => return Ok((Finished::Other(geometry.clone()), Vec::new())),
    };
    let mut notes = Vec::new();
    // Administrative boundaries are often larger than field polygons: see the limits' notes.
    let opts = CheckOptions {
        max_vertices: safeground_geo::MAX_IMPORTED_VERTICES,
        ..CheckOptions::default()
    };
    let mp = match safeground_geo::validated_multipolygon(&raw, &opts) {
        Ok((mp, warnings)) => {
            notes.extend(warnings.iter().map(|w| format!("warning: {w}")));
            mp
        }
        Err(issues) => {
            let errors = issues
                .iter()
                .filter(|i| i.severity == Severity::Error)
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            let Some(options) = repair else {
                return Err(format!(
                    "{errors} (re-run with --repair to fix it automatically)"
                ));
            };
            let repaired = safeground_geo::repair_with(&raw, options).map_err(|e| match e {
                GeoError::AreaChange { .. } => {
                    format!("{errors}; not repaired: {e} (--repair-max-area-change)")
                }
                e => format!("{errors} ({e})"),
            })?;
            notes.extend(repaired.actions.iter().map(|a| format!("repaired: {a}")));
            repaired.geometry
        }
    };
    Ok((Finished::Polygons(mp), notes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn angles_in_every_usual_spelling() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        // 13° 06' 12.96" = 13.1036°.
        for s in [
            "13.1036",
            "13°06'12.96\"N",
            "N 13 06 12.96",
            "13:06:12.96",
            "13° 6.216' N",
        ] {
            assert!(close(parse_angle(s, true).expect(s), 13.1036), "{s}");
        }
        assert!(close(parse_angle("103°12'W", false).expect("w"), -103.2));
        assert!(close(parse_angle("-103.2", false).expect("neg"), -103.2));
        assert!(
            parse_angle("13°N", false).is_err(),
            "N is not a longitude letter"
        );
        assert!(parse_angle("95", true).is_err());
        assert!(parse_angle("1e308", false).is_err());
        assert!(parse_angle("13 75 00", true).is_err());
        assert!(parse_angle("abc", true).is_err());
    }

    #[test]
    fn zones_read_hemispheres_and_bands() {
        assert!(matches!(utm_zone("48N"), Ok((48, Hemisphere::North))));
        assert!(matches!(utm_zone("48 p"), Ok((48, Hemisphere::North))));
        assert!(matches!(utm_zone("38S"), Ok((38, Hemisphere::South))));
        assert!(matches!(utm_zone("48"), Ok((48, Hemisphere::North))));
        assert!(utm_zone("61N").is_err() && utm_zone("X").is_err());
    }

    fn scope(props: &serde_json::Map<String, Value>) -> Scope<'_> {
        Scope {
            props,
            parent: None,
            index: 1,
            label: "row 2",
        }
    }

    fn rule(v: Value) -> FieldRule {
        serde_json::from_value(v).expect("rule")
    }

    #[test]
    fn utm_mgrs_and_geopoint_agree_on_one_place() {
        // (103.2, 13.1) is E 304854.9976 N 1448889.3174 in UTM 48N (PROJ cs2cs).
        let mgrs = Mgrs::from_wgs84(Point::new(103.2, 13.1), 5)
            .expect("mgrs")
            .to_string();
        let props = json!({"z": "48N", "e": "304854.9976", "n": 1448889.3174,
                           "gps": "13.1 103.2 12 5", "m": mgrs});
        let props = props.as_object().expect("o");
        let s = scope(props);
        let point = |v: Option<Cow<'_, Value>>| {
            let v = v.expect("geometry");
            (
                v["coordinates"][0].as_f64().expect("x"),
                v["coordinates"][1].as_f64().expect("y"),
            )
        };
        let r = rule(json!({"geometry": "utm", "zone": "z", "easting": "e", "northing": "n"}));
        let (x, y) = point(evaluate(&r, GeometrySource::Utm, &s, None).expect("utm"));
        assert!(
            (x - 103.2).abs() < 1e-8 && (y - 13.1).abs() < 1e-8,
            "{x} {y}"
        );
        let r = rule(json!({"geometry": "geopoint", "column": "gps"}));
        assert_eq!(
            point(evaluate(&r, GeometrySource::Geopoint, &s, None).expect("gp")),
            (103.2, 13.1)
        );
        let central = json!({"grp-gps-Latitude": "13.1", "grp-gps-Longitude": "103.2"});
        let central = scope(central.as_object().expect("o"));
        assert_eq!(
            point(evaluate(&r, GeometrySource::Geopoint, &central, None).expect("odk")),
            (103.2, 13.1)
        );
        let r = rule(json!({"geometry": "mgrs", "column": "m"}));
        let (x, y) = point(evaluate(&r, GeometrySource::Mgrs, &s, None).expect("mgrs"));
        // MGRS at 1 m precision names the square's south-west corner.
        assert!(
            (x - 103.2).abs() < 2e-5 && (y - 13.1).abs() < 2e-5,
            "{x} {y}"
        );
    }

    #[test]
    fn geoshapes_close_and_finish_validates() {
        let props =
            json!({"shape": "13.1 103.2 0 0;13.1 103.21 0 0;13.11 103.21 0 0;13.11 103.2 0 0"});
        let props = props.as_object().expect("o");
        let r = rule(json!({"geometry": "geoshape", "column": "shape"}));
        let g = evaluate(&r, GeometrySource::Geoshape, &scope(props), None)
            .expect("shape")
            .expect("some");
        let (done, _) = finish(&g, None).expect("valid");
        let Finished::Polygons(mp) = &done else {
            panic!("{done:?}")
        };
        assert_eq!(mp.0[0].exterior().0.len(), 5);
        let json = done.into_value().expect("json");
        assert_eq!(json["type"], "MultiPolygon");
        assert_eq!(json["coordinates"][0][0][1][0], 103.21);
        let bowtie = json!({"type": "Polygon", "coordinates": [[[0,0],[1,1],[1,0],[0,1],[0,0]]]});
        let e = finish(&bowtie, None).expect_err("bow-tie");
        assert!(e.contains("--repair"), "{e}");
        assert!(finish(&bowtie, Some(&RepairOptions::default())).is_ok());
        let far = json!({"type": "Point", "coordinates": [304854.9, 1448889.3]});
        assert!(
            finish(&far, None)
                .expect_err("projected")
                .contains("ogr2ogr")
        );
    }
}
