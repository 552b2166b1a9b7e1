//! GeoJSON (RFC 7946) serialisation of geometry fields (reference §2.14): a `MultiPolygon<f64>`
//! is written `{"type": "MultiPolygon", "coordinates": [[[[lon, lat], ...]]]}` and a
//! `Point<f64>` `{"type": "Point", "coordinates": [lon, lat]}`.
//!
//! Use the modules with `#[serde(with = "...")]`. Reading accepts a `"Polygon"` for a
//! multipolygon field (wrapped into a one-part multipolygon) and positions with an altitude
//! (`[lon, lat, alt]`, altitude dropped); it refuses non-finite numbers, positions that are not
//! 2 or 3 numbers, and other geometry types, with an error saying what was expected.
//! Writing refuses non-finite coordinates (JSON has no NaN).

use std::fmt;

use geo_types::{Coord, LineString, MultiPolygon, Point, Polygon};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, SerializeMap, SerializeSeq, SerializeTuple};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

// Writing: straight from the `geo` types, one `[lon, lat]` tuple per position (no vector per
// position, as a derived GeoJSON type would need).

/// A position, `[lon, lat]`.
struct PositionOut(Coord<f64>);

impl Serialize for PositionOut {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Coord { x, y } = self.0;
        if !(x.is_finite() && y.is_finite()) {
            return Err(ser::Error::custom(format!(
                "coordinate ({x}, {y}) is not finite; GeoJSON needs finite longitude, latitude"
            )));
        }
        let mut t = s.serialize_tuple(2)?;
        t.serialize_element(&x)?;
        t.serialize_element(&y)?;
        t.end()
    }
}

/// A ring: its positions.
struct RingOut<'a>(&'a LineString<f64>);

impl Serialize for RingOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.0.len()))?;
        for c in &self.0.0 {
            seq.serialize_element(&PositionOut(*c))?;
        }
        seq.end()
    }
}

/// A polygon: its exterior ring, then its holes.
struct PolygonOut<'a>(&'a Polygon<f64>);

impl Serialize for PolygonOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = self.0;
        let mut seq = s.serialize_seq(Some(1 + p.interiors().len()))?;
        seq.serialize_element(&RingOut(p.exterior()))?;
        for hole in p.interiors() {
            seq.serialize_element(&RingOut(hole))?;
        }
        seq.end()
    }
}

/// A multipolygon's coordinates: its polygons.
struct MultiPolygonOut<'a>(&'a MultiPolygon<f64>);

impl Serialize for MultiPolygonOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.0.len()))?;
        for p in &self.0.0 {
            seq.serialize_element(&PolygonOut(p))?;
        }
        seq.end()
    }
}

/// `{"type": kind, "coordinates": coordinates}`.
fn geometry_out<S: Serializer, C: Serialize>(
    s: S,
    kind: &str,
    coordinates: &C,
) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(2))?;
    m.serialize_entry("type", kind)?;
    m.serialize_entry("coordinates", coordinates)?;
    m.end()
}

// Reading: the coordinates may come before the type (a JSON object's members have no order), so
// they are read into [`Nested`] whatever their depth, each position straight into a `Coord`,
// and shaped once the type is known.

/// Coordinates of any depth.
#[derive(Debug)]
enum Nested {
    /// A position.
    Position(Coord<f64>),
    /// A list of positions (a ring).
    Positions(Vec<Coord<f64>>),
    /// A list of lists (empty lists land here too).
    Lists(Vec<Nested>),
}

/// One element of a coordinate array: a number (of a position) or a deeper array.
enum Element {
    Number(f64),
    Nested(Nested),
}

/// Checks a position's numbers: `[lon, lat]` or `[lon, lat, alt]` (altitude dropped), finite.
fn position_in<E: de::Error>(p: &[f64]) -> Result<Coord<f64>, E> {
    match p {
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

struct ElementSeed;

impl<'de> DeserializeSeed<'de> for ElementSeed {
    type Value = Element;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Element, D::Error> {
        d.deserialize_any(ElementSeed)
    }
}

impl<'de> Visitor<'de> for ElementSeed {
    type Value = Element;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or an array of GeoJSON coordinates")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Element, E> {
        Ok(Element::Number(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Element, E> {
        Ok(Element::Number(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Element, E> {
        Ok(Element::Number(v as f64))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Element, A::Error> {
        NestedVisitor.visit_seq(seq).map(Element::Nested)
    }
}

struct NestedVisitor;

impl<'de> Visitor<'de> for NestedVisitor {
    type Value = Nested;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of GeoJSON coordinates")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Nested, A::Error> {
        // A position's numbers, without a heap allocation: the first three, and how many.
        let mut numbers = [0.0; 3];
        let mut count = 0usize;
        let mut positions: Vec<Coord<f64>> = Vec::new();
        let mut lists: Vec<Nested> = Vec::new();
        while let Some(e) = seq.next_element_seed(ElementSeed)? {
            match e {
                Element::Number(x) => {
                    if let Some(slot) = numbers.get_mut(count) {
                        *slot = x;
                    }
                    count += 1;
                }
                Element::Nested(Nested::Position(c)) => positions.push(c),
                Element::Nested(n) => lists.push(n),
            }
            let kinds = [count > 0, !positions.is_empty(), !lists.is_empty()];
            if kinds.iter().filter(|k| **k).count() > 1 {
                return Err(de::Error::custom(
                    "an array of GeoJSON coordinates mixes numbers, positions and deeper arrays",
                ));
            }
        }
        Ok(if count > 3 {
            return Err(de::Error::custom(format!(
                "a position has {count} numbers; expected [longitude, latitude] or [longitude, \
                 latitude, altitude]"
            )));
        } else if count > 0 {
            Nested::Position(position_in(&numbers[..count])?)
        } else if !positions.is_empty() {
            Nested::Positions(positions)
        } else {
            Nested::Lists(lists)
        })
    }
}

impl<'de> Deserialize<'de> for Nested {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Nested, D::Error> {
        d.deserialize_seq(NestedVisitor)
    }
}

fn ring_in<E: de::Error>(n: Nested) -> Result<LineString<f64>, E> {
    match n {
        Nested::Positions(p) => Ok(LineString(p)),
        Nested::Lists(l) if l.is_empty() => Ok(LineString(Vec::new())),
        _ => Err(E::custom("expected a ring: an array of positions")),
    }
}

fn polygon_in<E: de::Error>(n: Nested) -> Result<Polygon<f64>, E> {
    let Nested::Lists(rings) = n else {
        return Err(E::custom("expected a polygon: an array of rings"));
    };
    let mut rings = rings.into_iter().map(ring_in);
    let exterior = rings
        .next()
        .ok_or_else(|| E::custom("a polygon needs at least an exterior ring"))??;
    let interiors = rings.collect::<Result<Vec<_>, E>>()?;
    Ok(Polygon::new(exterior, interiors))
}

/// The GeoJSON geometry objects this crate reads.
enum GeoJson {
    Point(Coord<f64>),
    Polygon(Polygon<f64>),
    MultiPolygon(MultiPolygon<f64>),
}

impl GeoJson {
    fn type_name(&self) -> &'static str {
        match self {
            GeoJson::Point(_) => "Point",
            GeoJson::Polygon(_) => "Polygon",
            GeoJson::MultiPolygon(_) => "MultiPolygon",
        }
    }
}

impl<'de> Deserialize<'de> for GeoJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<GeoJson, D::Error> {
        d.deserialize_map(GeoJsonVisitor)
    }
}

struct GeoJsonVisitor;

impl<'de> Visitor<'de> for GeoJsonVisitor {
    type Value = GeoJson;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a GeoJSON geometry object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<GeoJson, A::Error> {
        let mut kind: Option<String> = None;
        let mut coordinates: Option<Nested> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "type" => kind = Some(map.next_value()?),
                "coordinates" => coordinates = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let kind = kind.ok_or_else(|| de::Error::missing_field("type"))?;
        let coordinates = coordinates.ok_or_else(|| de::Error::missing_field("coordinates"))?;
        match kind.as_str() {
            "Point" => match coordinates {
                Nested::Position(c) => Ok(GeoJson::Point(c)),
                _ => Err(de::Error::custom(
                    "expected a position [longitude, latitude]",
                )),
            },
            "Polygon" => polygon_in(coordinates).map(GeoJson::Polygon),
            "MultiPolygon" => match coordinates {
                Nested::Lists(polygons) => polygons
                    .into_iter()
                    .map(polygon_in)
                    .collect::<Result<_, _>>()
                    .map(|p| GeoJson::MultiPolygon(MultiPolygon(p))),
                _ => Err(de::Error::custom(
                    "expected a multipolygon: an array of polygons",
                )),
            },
            other => Err(de::Error::custom(format!(
                "unknown GeoJSON geometry type `{other}`, expected one of `Point`, `Polygon`, \
                 `MultiPolygon`"
            ))),
        }
    }
}

fn multipolygon_in<E: de::Error>(g: GeoJson) -> Result<MultiPolygon<f64>, E> {
    match g {
        GeoJson::Polygon(p) => Ok(MultiPolygon(vec![p])),
        GeoJson::MultiPolygon(mp) => Ok(mp),
        other => Err(E::custom(format!(
            "expected a GeoJSON Polygon or MultiPolygon, got a {}",
            other.type_name()
        ))),
    }
}

fn point_in<E: de::Error>(g: GeoJson) -> Result<Point<f64>, E> {
    match g {
        GeoJson::Point(c) => Ok(Point(c)),
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
        geometry_out(s, "MultiPolygon", &MultiPolygonOut(mp))
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
        geometry_out(s, "Point", &PositionOut(p.0))
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
    fn members_in_any_order_and_foreign_members_ignored() {
        let json = format!(
            r#"{{"area":{{"coordinates":{SQUARE},"bbox":[103.2,13.1,103.3,13.2],"type":"Polygon"}}}}"#
        );
        let t: T = parse(&json).expect("parse");
        assert_eq!(t.area.as_ref().map(|a| a.0[0].exterior().0.len()), Some(4));
        // Through a serde_json::Value too (its object members come sorted by name).
        let value: serde_json::Value = serde_json::from_str(&json).expect("value");
        let from_value: T = serde_json::from_value(value).expect("from value");
        assert_eq!(from_value, t);
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
        let err = parse::<T>(r#"{"at":{"type":"Point","coordinates":[1,2,3,4]}}"#)
            .expect_err("four numbers");
        assert!(err.contains("has 4 numbers"), "{err}");
        let err = parse::<T>(r#"{"area":{"type":"Polygon","coordinates":[[[0,0],1,[1,1]]]}}"#)
            .expect_err("mixed");
        assert!(err.contains("mixes"), "{err}");
        let err = parse::<T>(r#"{"area":{"type":"MultiPolygon","coordinates":[[0,0],[1,1]]}}"#)
            .expect_err("too shallow");
        assert!(err.contains("expected a multipolygon"), "{err}");
        let err =
            parse::<T>(r#"{"area":{"type":"MultiPolygon","coordinates":[[[0,0],[1,1],[0,1]]]}}"#)
                .expect_err("a polygon's depth");
        assert!(err.contains("expected a polygon"), "{err}");
        let err = parse::<T>(r#"{"area":{"coordinates":[]}}"#).expect_err("no type");
        assert!(err.contains("missing field `type`"), "{err}");
    }

    #[test]
    fn non_finite_numbers_are_refused() {
        let err =
            parse::<T>(r#"{"at":{"type":"Point","coordinates":[1e999,2]}}"#).expect_err("overflow");
        assert!(!err.is_empty());
        let e = position_in::<serde_json::Error>(&[f64::NAN, 1.0]).expect_err("nan");
        assert!(e.to_string().contains("finite"), "{e}");
        let bad = T {
            area: None,
            at: Some(Point::new(f64::INFINITY, 0.0)),
        };
        let err = serde_json::to_string(&bad).expect_err("inf");
        assert!(err.to_string().contains("not finite"), "{err}");
    }
}
