//! GeoJSON (RFC 7946) serialisation of geometry fields (reference §2.14): a `MultiPolygon<f64>`
//! is written `{"type": "MultiPolygon", "coordinates": [[[[lon, lat], ...]]]}` and a
//! `Point<f64>` `{"type": "Point", "coordinates": [lon, lat]}`.
//!
//! Use the modules with `#[serde(with = "...")]`. Reading accepts a `"Polygon"` for a
//! multipolygon field (wrapped into a one-part multipolygon) and positions with an altitude
//! (`[lon, lat, alt]`, altitude dropped); it refuses non-finite numbers, positions that are not
//! 2 or 3 numbers, and other geometry types, with an error saying what was expected.
//! Writing refuses non-finite coordinates (JSON has no NaN).

use geo_types::{Coord, LineString, MultiPolygon, Point, Polygon};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

type Position = Vec<f64>;
type RawRing = Vec<Position>;

/// The GeoJSON geometry objects this crate reads and writes.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type")]
enum GeoJson {
    Point { coordinates: Position },
    Polygon { coordinates: Vec<RawRing> },
    MultiPolygon { coordinates: Vec<Vec<RawRing>> },
}

impl GeoJson {
    fn type_name(&self) -> &'static str {
        match self {
            GeoJson::Point { .. } => "Point",
            GeoJson::Polygon { .. } => "Polygon",
            GeoJson::MultiPolygon { .. } => "MultiPolygon",
        }
    }
}

fn position_out<E: serde::ser::Error>(c: Coord<f64>) -> Result<Position, E> {
    if c.x.is_finite() && c.y.is_finite() {
        Ok(vec![c.x, c.y])
    } else {
        Err(E::custom(format!(
            "coordinate ({}, {}) is not finite; GeoJSON needs finite longitude, latitude",
            c.x, c.y
        )))
    }
}

fn polygon_out<E: serde::ser::Error>(p: &Polygon<f64>) -> Result<Vec<RawRing>, E> {
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(|ring| ring.0.iter().map(|c| position_out(*c)).collect())
        .collect()
}

fn position_in<E: serde::de::Error>(p: Position) -> Result<Coord<f64>, E> {
    match p.as_slice() {
        [x, y] | [x, y, _] if x.is_finite() && y.is_finite() => Ok(Coord { x: *x, y: *y }),
        [_, _] | [_, _, _] => Err(E::custom(format!(
            "position {p:?} is not a pair of finite numbers [longitude, latitude]"
        ))),
        _ => Err(E::custom(format!(
            "position {p:?} has {} numbers; expected [longitude, latitude] or [longitude, latitude, altitude]",
            p.len()
        ))),
    }
}

fn polygon_in<E: serde::de::Error>(rings: Vec<RawRing>) -> Result<Polygon<f64>, E> {
    let mut rings = rings.into_iter().map(|r| {
        r.into_iter()
            .map(position_in)
            .collect::<Result<Vec<_>, E>>()
            .map(LineString)
    });
    let exterior = rings
        .next()
        .ok_or_else(|| E::custom("a polygon needs at least an exterior ring"))??;
    let interiors = rings.collect::<Result<Vec<_>, E>>()?;
    Ok(Polygon::new(exterior, interiors))
}

fn multipolygon_in<E: serde::de::Error>(g: GeoJson) -> Result<MultiPolygon<f64>, E> {
    match g {
        GeoJson::Polygon { coordinates } => Ok(MultiPolygon(vec![polygon_in(coordinates)?])),
        GeoJson::MultiPolygon { coordinates } => Ok(MultiPolygon(
            coordinates
                .into_iter()
                .map(polygon_in)
                .collect::<Result<_, _>>()?,
        )),
        other => Err(E::custom(format!(
            "expected a GeoJSON Polygon or MultiPolygon, got a {}",
            other.type_name()
        ))),
    }
}

fn point_in<E: serde::de::Error>(g: GeoJson) -> Result<Point<f64>, E> {
    match g {
        GeoJson::Point { coordinates } => Ok(Point(position_in(coordinates)?)),
        other => Err(E::custom(format!(
            "expected a GeoJSON Point, got a {}",
            other.type_name()
        ))),
    }
}

/// `with` module for `MultiPolygon<f64>` fields: a GeoJSON MultiPolygon (a Polygon is
/// accepted on reading and wrapped).
pub mod multipolygon_geojson {
    use super::*;

    /// Writes a GeoJSON MultiPolygon.
    pub fn serialize<S: Serializer>(mp: &MultiPolygon<f64>, s: S) -> Result<S::Ok, S::Error> {
        GeoJson::MultiPolygon {
            coordinates: mp.0.iter().map(polygon_out).collect::<Result<_, _>>()?,
        }
        .serialize(s)
    }

    /// Reads a GeoJSON Polygon or MultiPolygon.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<MultiPolygon<f64>, D::Error> {
        multipolygon_in(GeoJson::deserialize(d)?)
    }
}

/// `with` module for `Option<MultiPolygon<f64>>` fields: `null` (or, with
/// `#[serde(default)]`, an absent field) is `None`.
pub mod option_multipolygon_geojson {
    use super::*;

    /// Writes a GeoJSON MultiPolygon, or `null`.
    pub fn serialize<S: Serializer>(
        mp: &Option<MultiPolygon<f64>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match mp {
            Some(mp) => multipolygon_geojson::serialize(mp, s),
            None => s.serialize_none(),
        }
    }

    /// Reads a GeoJSON Polygon or MultiPolygon, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<MultiPolygon<f64>>, D::Error> {
        Option::<GeoJson>::deserialize(d)?
            .map(multipolygon_in)
            .transpose()
    }
}

/// `with` module for `Point<f64>` fields: a GeoJSON Point.
pub mod point_geojson {
    use super::*;

    /// Writes a GeoJSON Point.
    pub fn serialize<S: Serializer>(p: &Point<f64>, s: S) -> Result<S::Ok, S::Error> {
        GeoJson::Point {
            coordinates: position_out(p.0)?,
        }
        .serialize(s)
    }

    /// Reads a GeoJSON Point.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Point<f64>, D::Error> {
        point_in(GeoJson::deserialize(d)?)
    }
}

/// `with` module for `Option<Point<f64>>` fields: `null` (or an absent field with
/// `#[serde(default)]`) is `None`.
pub mod option_point_geojson {
    use super::*;

    /// Writes a GeoJSON Point, or `null`.
    pub fn serialize<S: Serializer>(p: &Option<Point<f64>>, s: S) -> Result<S::Ok, S::Error> {
        match p {
            Some(p) => point_geojson::serialize(p, s),
            None => s.serialize_none(),
        }
    }

    /// Reads a GeoJSON Point, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Point<f64>>, D::Error> {
        Option::<GeoJson>::deserialize(d)?.map(point_in).transpose()
    }
}

/// Former name of [`multipolygon_geojson`].
pub use multipolygon_geojson as multipolygon;
/// Former name of [`option_multipolygon_geojson`].
pub use option_multipolygon_geojson as opt_multipolygon;
/// Former name of [`option_point_geojson`].
pub use option_point_geojson as opt_point;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct T {
        #[serde(with = "option_multipolygon_geojson", default)]
        area: Option<MultiPolygon<f64>>,
        #[serde(with = "option_point_geojson", default)]
        at: Option<Point<f64>>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Req {
        #[serde(with = "multipolygon_geojson")]
        area: MultiPolygon<f64>,
        #[serde(with = "point_geojson")]
        at: Point<f64>,
    }

    fn parse<X: for<'de> Deserialize<'de>>(json: &str) -> Result<X, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    const SQUARE: &str = "[[[103.2,13.1],[103.3,13.1],[103.3,13.2],[103.2,13.1]]]";

    #[test]
    fn multipolygon_and_point_round_trip() {
        let json = format!(
            r#"{{"area":{{"type":"MultiPolygon","coordinates":[{SQUARE},{SQUARE}]}},"at":{{"type":"Point","coordinates":[103.25,13.12]}}}}"#
        );
        let t: Req = parse(&json).expect("parse");
        assert_eq!(t.area.0.len(), 2);
        assert_eq!(t.at, Point::new(103.25, 13.12));
        let back = serde_json::to_string(&t).expect("json");
        assert_eq!(back, json);
    }

    #[test]
    fn polygon_is_wrapped_into_a_multipolygon() {
        let json = format!(r#"{{"area":{{"type":"Polygon","coordinates":{SQUARE}}},"at":null}}"#);
        let t: T = parse(&json).expect("parse");
        assert_eq!(t.area.as_ref().map(|a| a.0.len()), Some(1));
        let back = serde_json::to_string(&t).expect("json");
        assert!(back.contains(r#""type":"MultiPolygon""#), "{back}");
        assert_eq!(parse::<T>(&back), Ok(t));
    }

    #[test]
    fn holes_and_altitudes() {
        let json = r#"{"area":{"type":"Polygon","coordinates":[[[0,0,5],[4,0,5],[4,4,5],[0,0,5]],[[1,1],[2,1],[2,2],[1,1]]]}}"#;
        let t: T = parse(json).expect("parse");
        let p = &t.area.as_ref().expect("area").0[0];
        assert_eq!(p.interiors().len(), 1);
        assert_eq!(p.exterior().0[1], Coord { x: 4.0, y: 0.0 });
    }

    #[test]
    fn null_and_absent_are_none() {
        let none = T {
            area: None,
            at: None,
        };
        assert_eq!(parse::<T>(r#"{"area":null,"at":null}"#), Ok(none));
        assert_eq!(
            parse::<T>("{}"),
            Ok(T {
                area: None,
                at: None
            })
        );
    }

    #[test]
    fn wrong_types_are_refused() {
        let err = parse::<T>(r#"{"area":{"type":"Point","coordinates":[1,2]}}"#).expect_err("x");
        assert!(
            err.contains("Polygon or MultiPolygon, got a Point"),
            "{err}"
        );
        let err = parse::<T>(&format!(
            r#"{{"at":{{"type":"Polygon","coordinates":{SQUARE}}}}}"#
        ))
        .expect_err("polygon for point");
        assert!(
            err.contains("expected a GeoJSON Point, got a Polygon"),
            "{err}"
        );
        let err = parse::<T>(r#"{"at":{"type":"LineString","coordinates":[[1,2],[3,4]]}}"#)
            .expect_err("line");
        assert!(err.contains("LineString"), "{err}");
        let err = parse::<T>(r#"{"at":[1,2]}"#).expect_err("bare array");
        assert!(!err.is_empty());
        let err = parse::<T>(r#"{"at":{"type":"Point","coordinates":[1]}}"#).expect_err("short");
        assert!(err.contains("expected [longitude, latitude]"), "{err}");
        let err =
            parse::<T>(r#"{"area":{"type":"Polygon","coordinates":[]}}"#).expect_err("no rings");
        assert!(err.contains("exterior ring"), "{err}");
        let err =
            parse::<T>(r#"{"at":{"type":"Point","coordinates":["1","2"]}}"#).expect_err("strings");
        assert!(!err.is_empty());
    }

    #[test]
    fn non_finite_numbers_are_refused() {
        let err =
            parse::<T>(r#"{"at":{"type":"Point","coordinates":[1e999,2]}}"#).expect_err("overflow");
        assert!(!err.is_empty());
        let e = position_in::<serde_json::Error>(vec![f64::NAN, 1.0]).expect_err("nan");
        assert!(e.to_string().contains("finite"), "{e}");
        let bad = T {
            area: None,
            at: Some(Point::new(f64::INFINITY, 0.0)),
        };
        let err = serde_json::to_string(&bad).expect_err("inf");
        assert!(err.to_string().contains("not finite"), "{err}");
    }
}
