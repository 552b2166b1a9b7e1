//! GeoJSON (RFC 7946) serialisation of geometry fields: `{"type": "MultiPolygon",
//! "coordinates": [[[[lon, lat], ...]]]}` and `{"type": "Point", "coordinates": [lon, lat]}`.
//! Use with `#[serde(with = "...")]`. Non-finite numbers and wrong types are refused.

use geo_types::{Coord, LineString, MultiPolygon, Point, Polygon};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

type RawRing = Vec<[f64; 2]>;

#[derive(Serialize, Deserialize)]
#[serde(tag = "type")]
enum GeoJson {
    Point { coordinates: [f64; 2] },
    Polygon { coordinates: Vec<RawRing> },
    MultiPolygon { coordinates: Vec<Vec<RawRing>> },
}

fn ring_out(ls: &LineString<f64>) -> RawRing {
    ls.0.iter().map(|c| [c.x, c.y]).collect()
}

fn polygon_out(p: &Polygon<f64>) -> Vec<RawRing> {
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(ring_out)
        .collect()
}

fn finite<E: serde::de::Error>(c: [f64; 2]) -> Result<Coord<f64>, E> {
    if c[0].is_finite() && c[1].is_finite() {
        Ok(Coord { x: c[0], y: c[1] })
    } else {
        Err(E::custom(format!(
            "coordinate {c:?} is not a finite number pair"
        )))
    }
}

fn polygon_in<E: serde::de::Error>(rings: Vec<RawRing>) -> Result<Polygon<f64>, E> {
    let mut rings = rings.into_iter().map(|r| {
        r.into_iter()
            .map(finite)
            .collect::<Result<Vec<_>, E>>()
            .map(LineString)
    });
    let exterior = rings
        .next()
        .ok_or_else(|| E::custom("a polygon needs at least an exterior ring"))??;
    let interiors = rings.collect::<Result<Vec<_>, E>>()?;
    Ok(Polygon::new(exterior, interiors))
}

/// `with` module for `MultiPolygon<f64>` fields (a GeoJSON Polygon is accepted and wrapped).
pub mod multipolygon {
    use super::*;

    /// Serialises as a GeoJSON MultiPolygon.
    pub fn serialize<S: Serializer>(mp: &MultiPolygon<f64>, s: S) -> Result<S::Ok, S::Error> {
        GeoJson::MultiPolygon {
            coordinates: mp.0.iter().map(polygon_out).collect(),
        }
        .serialize(s)
    }

    /// Deserialises a GeoJSON Polygon or MultiPolygon.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<MultiPolygon<f64>, D::Error> {
        match GeoJson::deserialize(d)? {
            GeoJson::Polygon { coordinates } => Ok(MultiPolygon(vec![polygon_in(coordinates)?])),
            GeoJson::MultiPolygon { coordinates } => Ok(MultiPolygon(
                coordinates
                    .into_iter()
                    .map(polygon_in)
                    .collect::<Result<_, _>>()?,
            )),
            GeoJson::Point { .. } => Err(D::Error::custom(
                "expected a Polygon or MultiPolygon, got a Point",
            )),
        }
    }
}

/// `with` module for `Option<MultiPolygon<f64>>` fields (null or absent = None).
pub mod opt_multipolygon {
    use super::*;

    /// Serialises None as null.
    pub fn serialize<S: Serializer>(
        mp: &Option<MultiPolygon<f64>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match mp {
            Some(mp) => multipolygon::serialize(mp, s),
            None => s.serialize_none(),
        }
    }

    /// Deserialises null as None.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<MultiPolygon<f64>>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(with = "multipolygon")] MultiPolygon<f64>);
        Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
    }
}

/// `with` module for `Option<Point<f64>>` fields.
pub mod opt_point {
    use super::*;

    /// Serialises as a GeoJSON Point or null.
    pub fn serialize<S: Serializer>(p: &Option<Point<f64>>, s: S) -> Result<S::Ok, S::Error> {
        match p {
            Some(p) => GeoJson::Point {
                coordinates: [p.x(), p.y()],
            }
            .serialize(s),
            None => s.serialize_none(),
        }
    }

    /// Deserialises a GeoJSON Point or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Point<f64>>, D::Error> {
        match Option::<GeoJson>::deserialize(d)? {
            None => Ok(None),
            Some(GeoJson::Point { coordinates }) => Ok(Some(Point(finite(coordinates)?))),
            Some(_) => Err(D::Error::custom("expected a GeoJSON Point")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct T {
        #[serde(with = "opt_multipolygon", default)]
        area: Option<MultiPolygon<f64>>,
        #[serde(with = "opt_point", default)]
        at: Option<Point<f64>>,
    }

    #[test]
    fn round_trip_and_polygon_is_wrapped() {
        let json = r#"{"area":{"type":"Polygon","coordinates":[[[103.2,13.1],[103.3,13.1],[103.3,13.2],[103.2,13.1]]]},"at":{"type":"Point","coordinates":[103.25,13.12]}}"#;
        let t: T = serde_json::from_str(json).expect("parse");
        assert_eq!(t.area.as_ref().map(|a| a.0.len()), Some(1));
        let back = serde_json::to_string(&t).expect("json");
        assert!(back.contains("\"MultiPolygon\""));
        let again: T = serde_json::from_str(&back).expect("parse again");
        assert_eq!(again, t);
    }

    #[test]
    fn wrong_type_and_null_are_handled() {
        let t: T = serde_json::from_str(r#"{"area":null,"at":null}"#).expect("nulls");
        assert_eq!(
            t,
            T {
                area: None,
                at: None
            }
        );
        let err = serde_json::from_str::<T>(r#"{"area":{"type":"Point","coordinates":[1,2]}}"#)
            .expect_err("point for area");
        assert!(err.to_string().contains("Polygon"), "{err}");
    }
}
