//! Evidence geometries as little-endian WKB (SQLite BLOBs, PostGIS columns of SRID 4326).

use geo_traits::to_geo::ToGeoGeometry;
use geo_types::Geometry;

use crate::{Result, StoreError};

/// Encodes any geo_types geometry as little-endian WKB.
pub(crate) fn encode<G>(g: &G) -> Result<Vec<u8>>
where
    G: geo_traits::GeometryTrait<T = f64>,
{
    let mut out = Vec::with_capacity(wkb::writer::geometry_wkb_size(g));
    wkb::writer::write_geometry(&mut out, g, &wkb::writer::WriteOptions::default())
        .map_err(|e| StoreError::corrupt("geometry", format!("cannot encode WKB: {e}")))?;
    Ok(out)
}

/// Decodes WKB holding a geometry of type `G` (a Point, Polygon, MultiPolygon,
/// MultiLineString); `what` names it in the error.
pub(crate) fn decode<G>(bytes: &[u8], what: &str) -> Result<G>
where
    G: TryFrom<Geometry<f64>>,
{
    let corrupt = |detail: String| StoreError::corrupt(what.to_owned(), detail);
    let read = wkb::reader::read_wkb(bytes).map_err(|e| corrupt(format!("bad WKB: {e}")))?;
    let geometry = read
        .try_to_geometry()
        .ok_or_else(|| corrupt("an empty point".into()))?;
    G::try_from(geometry).map_err(|_| corrupt("another geometry type than expected".into()))
}

/// Decodes an optional WKB geometry.
pub(crate) fn decode_opt<G>(bytes: Option<&[u8]>, what: &str) -> Result<Option<G>>
where
    G: TryFrom<Geometry<f64>>,
{
    bytes.map(|b| decode(b, what)).transpose()
}

#[cfg(test)]
mod tests {
    use geo_types::{MultiLineString, MultiPolygon, Point, Polygon, line_string, polygon};

    use super::*;

    #[test]
    fn every_evidence_geometry_round_trips() -> Result<()> {
        let p = Point::new(104.9, 11.55);
        assert_eq!(decode::<Point<f64>>(&encode(&p)?, "p")?, p);
        let poly: Polygon<f64> = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)];
        assert_eq!(decode::<Polygon<f64>>(&encode(&poly)?, "poly")?, poly);
        let empty = MultiPolygon::<f64>(vec![]);
        assert_eq!(decode::<MultiPolygon<f64>>(&encode(&empty)?, "mp")?, empty);
        let mp = MultiPolygon(vec![poly.clone()]);
        assert_eq!(decode::<MultiPolygon<f64>>(&encode(&mp)?, "mp")?, mp);
        let ml = MultiLineString(vec![line_string![(x: 0.0, y: 0.0), (x: 2.0, y: 1.0)]]);
        assert_eq!(decode::<MultiLineString<f64>>(&encode(&ml)?, "ml")?, ml);
        assert!(decode::<Point<f64>>(&encode(&poly)?, "p").is_err());
        assert!(decode::<Point<f64>>(b"junk", "p").is_err());
        Ok(())
    }
}
