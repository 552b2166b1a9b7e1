//! WKB encoding of stored geometries (the format PostGIS and GeoPackage use too).

use geo_traits::GeometryTrait;
use geo_traits::to_geo::{ToGeoMultiPolygon, ToGeoPolygon};
use geo_types::MultiPolygon;

use crate::{HazardState, Result, StoreError};

/// Encodes a multipolygon as little-endian WKB.
pub(crate) fn encode(mp: &MultiPolygon<f64>) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(wkb::writer::geometry_wkb_size(mp));
    wkb::writer::write_geometry(&mut out, mp, &wkb::writer::WriteOptions::default())
        .map_err(|e| StoreError::corrupt("geometry", format!("cannot encode WKB: {e}")))?;
    Ok(out)
}

/// A geometry as WKB, or none.
pub(crate) type MaybeWkb = Option<Vec<u8>>;

/// The WKB of a hazard state's polygon and of what remains of it, encoded once when they are
/// the same (nothing released yet).
pub(crate) fn encode_state(s: &HazardState) -> Result<(MaybeWkb, MaybeWkb)> {
    let geometry = s.geometry.as_ref().map(encode).transpose()?;
    let remaining = match (&geometry, &s.remaining) {
        (Some(wkb), Some(r)) if s.geometry.as_ref() == Some(r) => Some(wkb.clone()),
        (_, r) => r.as_ref().map(encode).transpose()?,
    };
    Ok((geometry, remaining))
}

/// Decoded polygons, or none.
pub(crate) type MaybePolygons = Option<MultiPolygon<f64>>;

/// Decodes a hazard state's polygon and what remains of it. Until something is released the
/// two are the same: when their bytes are equal, the remaining polygon is copied rather than
/// decoded a second time (a stream of the whole register spends its time here).
pub(crate) fn decode_state_pair(
    geometry: Option<&[u8]>,
    remaining: Option<&[u8]>,
) -> Result<(MaybePolygons, MaybePolygons)> {
    let decoded = geometry.map(decode).transpose()?;
    let remaining = match remaining {
        Some(r) if geometry == Some(r) => decoded.clone(),
        Some(r) => Some(decode(r)?),
        None => None,
    };
    Ok((decoded, remaining))
}

/// Decodes WKB holding a Polygon or MultiPolygon.
pub(crate) fn decode(bytes: &[u8]) -> Result<MultiPolygon<f64>> {
    let geom = wkb::reader::read_wkb(bytes)
        .map_err(|e| StoreError::corrupt("geometry", format!("bad WKB: {e}")))?;
    match geom.as_type() {
        geo_traits::GeometryType::MultiPolygon(mp) => Ok(mp.to_multi_polygon()),
        geo_traits::GeometryType::Polygon(p) => Ok(MultiPolygon(vec![p.to_polygon()])),
        _ => Err(StoreError::corrupt(
            "geometry",
            "expected a Polygon or MultiPolygon in WKB",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    #[test]
    fn round_trip_keeps_coordinates_exactly() {
        let p = polygon![
            exterior: [(x: 103.2, y: 13.1), (x: 103.21, y: 13.1), (x: 103.21, y: 13.11), (x: 103.2, y: 13.1)],
            interiors: [[(x: 103.205, y: 13.101), (x: 103.206, y: 13.101), (x: 103.206, y: 13.102), (x: 103.205, y: 13.101)]],
        ];
        let mp = MultiPolygon(vec![p]);
        let back = decode(&encode(&mp).expect("encode")).expect("decode");
        assert_eq!(back, mp);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode(&[1, 2, 3]).is_err());
        assert!(decode(&[]).is_err());
    }

    #[test]
    fn a_remaining_polygon_equal_to_the_hazard_is_copied_and_a_different_one_decoded() {
        let whole = MultiPolygon(vec![
            polygon![(x: 103.2, y: 13.1), (x: 103.3, y: 13.1), (x: 103.3, y: 13.2)],
        ]);
        let part = MultiPolygon(vec![
            polygon![(x: 103.2, y: 13.1), (x: 103.25, y: 13.1), (x: 103.25, y: 13.15)],
        ]);
        let (w, p) = (
            encode(&whole).expect("encode"),
            encode(&part).expect("encode"),
        );
        let pair = |g: Option<&[u8]>, r: Option<&[u8]>| decode_state_pair(g, r).expect("decode");
        let all = (Some(whole.clone()), Some(whole.clone()));
        assert_eq!(pair(Some(&w), Some(&w)), all);
        assert_eq!(pair(Some(&w), Some(&p)), (Some(whole.clone()), Some(part)));
        assert_eq!(pair(Some(&w), None), (Some(whole), None));
        assert_eq!(pair(None, None), (None, None));
        assert!(decode_state_pair(Some(&w), Some(&[1, 2])).is_err());
    }
}
