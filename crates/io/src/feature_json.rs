//! A feature written straight out as GeoJSON text: coordinates go from the geometry to the
//! writer without the intermediate `geojson::Geometry` and `serde_json::Value` trees (one
//! allocation per position), which is what streaming a national collection spends its time on.

use std::io::{self, Write};

use geo_types::{Coord, Geometry, LineString, Polygon};

use crate::collections::Feature;

impl Feature {
    /// Writes the feature as one GeoJSON `Feature` object (RFC 7946), the same document as
    /// [`Feature::to_json`] gives.
    pub fn write_geojson<W: Write + ?Sized>(&self, w: &mut W) -> io::Result<()> {
        w.write_all(br#"{"type":"Feature","id":"#)?;
        serde_json::to_writer(&mut *w, &self.id)?;
        w.write_all(br#","geometry":"#)?;
        match &self.geometry {
            Some(g) => write_geometry(w, g)?,
            None => w.write_all(b"null")?,
        }
        w.write_all(br#","properties":"#)?;
        serde_json::to_writer(&mut *w, &self.properties)?;
        w.write_all(b"}")
    }
}

fn write_geometry<W: Write + ?Sized>(w: &mut W, g: &Geometry<f64>) -> io::Result<()> {
    let kind: &[u8] = match g {
        Geometry::Point(_) => b"Point",
        Geometry::LineString(_) => b"LineString",
        Geometry::Polygon(_) => b"Polygon",
        Geometry::MultiPoint(_) => b"MultiPoint",
        Geometry::MultiLineString(_) => b"MultiLineString",
        Geometry::MultiPolygon(_) => b"MultiPolygon",
        // Rare in a programme's data: written through the general serialisation.
        other => {
            return serde_json::to_writer(w, &geojson::Geometry::from(other)).map_err(Into::into);
        }
    };
    w.write_all(br#"{"type":""#)?;
    w.write_all(kind)?;
    w.write_all(br#"","coordinates":"#)?;
    match g {
        Geometry::Point(p) => position(w, p.0)?,
        Geometry::LineString(l) => line(w, l)?,
        Geometry::Polygon(p) => polygon(w, p)?,
        Geometry::MultiPoint(m) => list(w, &m.0, |w, p| position(w, p.0))?,
        Geometry::MultiLineString(m) => list(w, &m.0, line)?,
        Geometry::MultiPolygon(m) => list(w, &m.0, polygon)?,
        _ => {}
    }
    w.write_all(b"}")
}

fn list<W: Write + ?Sized, T>(
    w: &mut W,
    items: &[T],
    each: impl Fn(&mut W, &T) -> io::Result<()>,
) -> io::Result<()> {
    w.write_all(b"[")?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        each(w, item)?;
    }
    w.write_all(b"]")
}

fn polygon<W: Write + ?Sized>(w: &mut W, p: &Polygon<f64>) -> io::Result<()> {
    w.write_all(b"[")?;
    line(w, p.exterior())?;
    for ring in p.interiors() {
        w.write_all(b",")?;
        line(w, ring)?;
    }
    w.write_all(b"]")
}

fn line<W: Write + ?Sized>(w: &mut W, l: &LineString<f64>) -> io::Result<()> {
    list(w, &l.0, |w, c| position(w, *c))
}

fn position<W: Write + ?Sized>(w: &mut W, c: Coord<f64>) -> io::Result<()> {
    w.write_all(b"[")?;
    number(w, c.x)?;
    w.write_all(b",")?;
    number(w, c.y)?;
    w.write_all(b"]")
}

/// A coordinate as serde_json writes an `f64` (shortest round-trip text; `null` if not finite,
/// which a stored geometry never is).
fn number<W: Write + ?Sized>(w: &mut W, x: f64) -> io::Result<()> {
    serde_json::to_writer(w, &x).map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use geo_types::{
        Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon, Point,
        Polygon, line_string, point, polygon,
    };
    use serde_json::{Map, Value, json};

    use crate::collections::Feature;

    fn feature(geometry: Option<Geometry<f64>>) -> Feature {
        let mut properties = Map::new();
        properties.insert("name".into(), json!("Phum \"Thmei\" \u{17A2}"));
        properties.insert("remaining_m2".into(), json!(1234.56));
        properties.insert("admin_pcode".into(), Value::Null);
        Feature {
            id: "HAZ-000017".into(),
            geometry,
            date: None,
            properties,
        }
    }

    fn written(f: &Feature) -> Value {
        let mut out = Vec::new();
        f.write_geojson(&mut out).expect("written to memory");
        serde_json::from_slice(&out).expect("valid JSON")
    }

    #[test]
    fn every_geometry_type_writes_the_document_to_json_gives() {
        let shell = polygon![
            (x: 104.916_012_345_678_9, y: 11.556_001),
            (x: 104.917, y: 11.556),
            (x: 104.917, y: 11.557_000_000_000_1),
            (x: 104.916_012_345_678_9, y: 11.556_001),
        ];
        let holed = Polygon::new(
            LineString::from(vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 0.0)]),
            vec![LineString::from(vec![
                (1.0, 1.0),
                (2.0, 1.0),
                (2.0, 2.0),
                (1.0, 1.0),
            ])],
        );
        let line = line_string![(x: -0.1, y: 1e-9), (x: 180.0, y: -90.0)];
        let geometries = [
            None,
            Some(Geometry::Point(point!(x: 104.9, y: 11.55))),
            Some(Geometry::LineString(line.clone())),
            Some(Geometry::Polygon(holed.clone())),
            Some(Geometry::MultiPoint(MultiPoint(vec![Point::new(1.5, 2.5)]))),
            Some(Geometry::MultiLineString(MultiLineString(vec![line]))),
            Some(Geometry::MultiPolygon(MultiPolygon(vec![shell, holed]))),
            Some(Geometry::MultiPolygon(MultiPolygon(vec![]))),
            Some(Geometry::GeometryCollection(GeometryCollection(vec![
                Geometry::Point(point!(x: 1.0, y: 2.0)),
            ]))),
        ];
        for g in geometries {
            let f = feature(g);
            assert_eq!(written(&f), f.to_json(), "{:?}", f.geometry);
        }
    }

    #[test]
    fn coordinates_round_trip_exactly() {
        let x = 104.916_012_345_678_91_f64;
        let f = feature(Some(Geometry::Point(point!(x: x, y: -0.000_000_1))));
        let doc = written(&f);
        assert_eq!(doc["geometry"]["coordinates"][0].as_f64(), Some(x));
        assert_eq!(
            doc["geometry"]["coordinates"][1].as_f64(),
            Some(-0.000_000_1)
        );
    }
}
