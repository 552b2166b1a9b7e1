//! Well-known binary geometries (ISO WKB, with the Z/M type codes and EWKB flags) as GeoJSON
//! in 2D. Bounds-checked and depth-limited: the bytes of a damaged file are untrusted, and the
//! `wkb` crate's reader (0.9) panics on some of them.

use serde_json::{Number, Value};

use super::object;

/// Deepest nesting of geometry collections accepted.
const MAX_DEPTH: usize = 32;

/// The GeoJSON geometry of WKB bytes; an empty point is null.
pub(super) fn to_geojson(wkb: &[u8]) -> Result<Value, String> {
    Reader { b: wkb, i: 0 }.geometry(0)
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

/// The GeoJSON type of a WKB base type code.
const TYPES: [&str; 7] = [
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
];

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.i.checked_add(n).filter(|e| *e <= self.b.len());
        let end = end.ok_or("the geometry is truncated")?;
        let s = &self.b[self.i..end];
        self.i = end;
        Ok(s)
    }

    fn u32(&mut self, le: bool) -> Result<u32, String> {
        let mut a = [0; 4];
        a.copy_from_slice(self.take(4)?);
        Ok(if le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    }

    fn f64(&mut self, le: bool) -> Result<f64, String> {
        let mut a = [0; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(if le {
            f64::from_le_bytes(a)
        } else {
            f64::from_be_bytes(a)
        })
    }

    /// A count of items of at least `size` bytes each, checked against the bytes left.
    fn count(&mut self, le: bool, size: usize) -> Result<usize, String> {
        let n = self.u32(le)? as usize;
        if n.saturating_mul(size) > self.b.len() - self.i {
            return Err(format!(
                "the geometry claims {n} parts, more than its bytes hold"
            ));
        }
        Ok(n)
    }

    fn position(&mut self, le: bool, dims: usize) -> Result<[f64; 2], String> {
        let (x, y) = (self.f64(le)?, self.f64(le)?);
        self.take((dims - 2) * 8)?;
        Ok([x, y])
    }

    /// A run of positions as GeoJSON, built as it is read (no intermediate vector).
    fn positions(&mut self, le: bool, dims: usize) -> Result<Value, String> {
        let n = self.count(le, dims * 8)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(finite(self.position(le, dims)?)?);
        }
        Ok(Value::Array(out))
    }

    /// Byte order, base type (1–7) and dimensions of the geometry that starts here.
    fn header(&mut self) -> Result<(bool, u32, usize), String> {
        let le = match self.take(1)?[0] {
            0 => false,
            1 => true,
            b => return Err(format!("bad WKB byte order {b}")),
        };
        let code = self.u32(le)?;
        if code & 0x2000_0000 != 0 {
            self.u32(le)?; // EWKB SRID
        }
        let (z, m) = (code & 0x8000_0000 != 0, code & 0x4000_0000 != 0);
        let code = code & 0x0fff_ffff;
        let (base, iso) = (code % 1000, code / 1000);
        if iso > 3 || !(1..=7).contains(&base) {
            return Err(format!("unsupported WKB geometry type {code}"));
        }
        let dims = 2 + usize::from(z || iso == 1 || iso == 3) + usize::from(m || iso >= 2);
        Ok((le, base, dims))
    }

    /// The coordinates of a point (null when empty), line string or polygon.
    fn coordinates(&mut self, le: bool, base: u32, dims: usize) -> Result<Value, String> {
        match base {
            1 => {
                let p = self.position(le, dims)?;
                if p.iter().all(|v| v.is_nan()) {
                    return Ok(Value::Null); // the GeoPackage's empty point
                }
                finite(p)
            }
            2 => self.positions(le, dims),
            _ => {
                let rings = self.count(le, 4)?;
                let mut out = Vec::with_capacity(rings);
                for _ in 0..rings {
                    out.push(self.positions(le, dims)?);
                }
                Ok(Value::Array(out))
            }
        }
    }

    fn geometry(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err("geometry collections nest too deep".into());
        }
        let (le, base, dims) = self.header()?;
        let kind = TYPES[base as usize - 1];
        let coordinates = match base {
            1..=3 => match self.coordinates(le, base, dims)? {
                Value::Null => return Ok(Value::Null),
                c => c,
            },
            7 => {
                let n = self.count(le, 9)?;
                let mut parts = Vec::with_capacity(n);
                for _ in 0..n {
                    parts.push(self.geometry(depth + 1)?);
                }
                return Ok(object([
                    ("type", Value::from(kind)),
                    ("geometries", Value::Array(parts)),
                ]));
            }
            _ => {
                let n = self.count(le, 9)?;
                let part = base - 3;
                let mut parts = Vec::with_capacity(n);
                for _ in 0..n {
                    let (le, b, dims) = self.header()?;
                    let c = if b == part {
                        self.coordinates(le, b, dims)?
                    } else {
                        Value::Null
                    };
                    if c.is_null() {
                        return Err(format!(
                            "a {kind} holds other than {}s",
                            TYPES[part as usize - 1]
                        ));
                    }
                    parts.push(c);
                }
                Value::Array(parts)
            }
        };
        Ok(object([
            ("type", Value::from(kind)),
            ("coordinates", coordinates),
        ]))
    }
}

/// A position as a GeoJSON array, refused unless both numbers are finite.
fn finite([x, y]: [f64; 2]) -> Result<Value, String> {
    match (Number::from_f64(x), Number::from_f64(y)) {
        (Some(x), Some(y)) => Ok(Value::Array(vec![Value::Number(x), Value::Number(y)])),
        _ => Err("a position is not a finite number".into()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn le(code: u32) -> Vec<u8> {
        let mut b = vec![1];
        b.extend(code.to_le_bytes());
        b
    }

    #[test]
    fn points_lines_polygons_and_collections() {
        let mut point = le(1001); // Point Z
        for v in [103.2f64, 13.1, 5.0] {
            point.extend(v.to_le_bytes());
        }
        assert_eq!(
            to_geojson(&point).unwrap(),
            json!({"type": "Point", "coordinates": [103.2, 13.1]})
        );
        let mut multi = le(4);
        multi.extend(2u32.to_le_bytes());
        for _ in 0..2 {
            multi.extend(le(1));
            multi.extend(1f64.to_le_bytes());
            multi.extend(2f64.to_le_bytes());
        }
        assert_eq!(
            to_geojson(&multi).unwrap(),
            json!({"type": "MultiPoint", "coordinates": [[1.0, 2.0], [1.0, 2.0]]})
        );
        let mut polygon = vec![0]; // big-endian
        polygon.extend(3u32.to_be_bytes());
        polygon.extend(1u32.to_be_bytes());
        polygon.extend(4u32.to_be_bytes());
        for (x, y) in [(0f64, 0f64), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)] {
            polygon.extend(x.to_be_bytes());
            polygon.extend(y.to_be_bytes());
        }
        let v = to_geojson(&polygon).unwrap();
        assert_eq!(v["coordinates"][0][2], json!([1.0, 1.0]));
        let mut empty = le(1);
        empty.extend(f64::NAN.to_le_bytes());
        empty.extend(f64::NAN.to_le_bytes());
        assert!(to_geojson(&empty).unwrap().is_null());
    }

    /// Parts keep their own byte order and dimensions; rings and holes keep their order.
    #[test]
    fn multipolygons_nest_parts_rings_and_positions() {
        let ring = |b: &mut Vec<u8>, be: bool, pts: &[(f64, f64)]| {
            let u = |v: u32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
            b.extend(u(pts.len() as u32));
            for (x, y) in pts {
                for v in [*x, *y] {
                    b.extend(if be { v.to_be_bytes() } else { v.to_le_bytes() });
                }
            }
        };
        let square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 0.0)];
        let hole = [(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 1.0)];
        let mut multi = le(6);
        multi.extend(2u32.to_le_bytes());
        multi.extend(le(3));
        multi.extend(2u32.to_le_bytes());
        ring(&mut multi, false, &square);
        ring(&mut multi, false, &hole);
        multi.push(0); // the second part is big-endian
        multi.extend(3u32.to_be_bytes());
        multi.extend(1u32.to_be_bytes());
        ring(&mut multi, true, &square);
        let sq = json!([[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 0.0]]);
        let ho = json!([[1.0, 1.0], [2.0, 1.0], [2.0, 2.0], [1.0, 1.0]]);
        assert_eq!(
            to_geojson(&multi).unwrap(),
            json!({"type": "MultiPolygon", "coordinates": [[sq.clone(), ho], [sq]]})
        );
    }

    #[test]
    fn damage_is_an_error() {
        let mut huge = le(2);
        huge.extend(u32::MAX.to_le_bytes());
        assert!(to_geojson(&huge).unwrap_err().contains("more than"));
        let mut mixed = le(4);
        mixed.extend(1u32.to_le_bytes());
        mixed.extend(le(2));
        mixed.extend(0u32.to_le_bytes());
        assert!(to_geojson(&mixed).is_err());
        let mut deep = Vec::new();
        for _ in 0..40 {
            deep.extend(le(7));
            deep.extend(1u32.to_le_bytes());
        }
        assert!(to_geojson(&deep).unwrap_err().contains("deep"));
        assert!(to_geojson(&[1, 1, 0]).is_err());
    }
}
