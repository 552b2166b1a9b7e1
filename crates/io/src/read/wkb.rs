//! Well-known binary geometries (ISO WKB, with the Z/M type codes and EWKB flags) as GeoJSON
//! in 2D. Bounds-checked and depth-limited: the bytes of a damaged file are untrusted, and the
//! `wkb` crate's reader (0.9) panics on some of them.

use serde_json::{Value, json};

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

    fn positions(&mut self, le: bool, dims: usize) -> Result<Vec<[f64; 2]>, String> {
        let n = self.count(le, dims * 8)?;
        let p: Vec<[f64; 2]> = (0..n)
            .map(|_| self.position(le, dims))
            .collect::<Result<_, _>>()?;
        if p.iter().flatten().all(|v| v.is_finite()) {
            Ok(p)
        } else {
            Err("a position is not a finite number".into())
        }
    }

    fn geometry(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err("geometry collections nest too deep".into());
        }
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
        let kind = TYPES[base as usize - 1];
        let coordinates = match base {
            1 => {
                let p = self.position(le, dims)?;
                if p.iter().all(|v| v.is_nan()) {
                    return Ok(Value::Null); // the GeoPackage's empty point
                }
                if !p.iter().all(|v| v.is_finite()) {
                    return Err("a position is not a finite number".into());
                }
                json!(p)
            }
            2 => json!(self.positions(le, dims)?),
            3 => {
                let rings = self.count(le, 4)?;
                let rings: Vec<Vec<[f64; 2]>> = (0..rings)
                    .map(|_| self.positions(le, dims))
                    .collect::<Result<_, _>>()?;
                json!(rings)
            }
            _ => {
                let n = self.count(le, 9)?;
                let parts: Vec<Value> = (0..n)
                    .map(|_| self.geometry(depth + 1))
                    .collect::<Result<_, _>>()?;
                if base == 7 {
                    return Ok(json!({"type": kind, "geometries": parts}));
                }
                let part = TYPES[base as usize - 4];
                let coordinates: Option<Vec<Value>> = parts
                    .into_iter()
                    .map(|p| (p["type"] == part).then(|| p["coordinates"].clone()))
                    .collect();
                json!(coordinates.ok_or_else(|| format!("a {kind} holds other than {part}s"))?)
            }
        };
        Ok(json!({"type": kind, "coordinates": coordinates}))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
