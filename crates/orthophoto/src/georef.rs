//! GeoTIFF georeference: the affine geotransform (GDAL order) and the EPSG code from the
//! ModelTransformation / ModelTiepoint + ModelPixelScale tags and the GeoKey directory.

use std::io::{Read, Seek};

use tiff::decoder::Decoder;
use tiff::tags::Tag;

use crate::OrthophotoError;

/// GeoKey ids used here.
const GT_MODEL_TYPE: u16 = 1024;
const GT_RASTER_TYPE: u16 = 1025;
const GEOGRAPHIC_TYPE: u16 = 2048;
const PROJECTED_CS_TYPE: u16 = 3072;
/// GeoTIFF's "user-defined" code.
pub(crate) const USER_DEFINED: u32 = 32767;

/// The georeference of the first image of a GeoTIFF.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Georef {
    pub geotransform: [f64; 6],
    pub epsg: u32,
}

/// Reads the georeference of the decoder's current image (GDAL semantics, PixelIsPoint shifted
/// by half a pixel).
pub(crate) fn read_georef<R: Read + Seek>(dec: &mut Decoder<R>) -> Result<Georef, OrthophotoError> {
    let f64s = |dec: &mut Decoder<R>, tag: Tag| -> Result<Option<Vec<f64>>, OrthophotoError> {
        match dec.find_tag(tag) {
            Ok(Some(v)) => v
                .into_f64_vec()
                .map(Some)
                .map_err(|e| OrthophotoError::NotTiff(format!("bad tag {tag:?}: {e}"))),
            Ok(None) => Ok(None),
            Err(e) => Err(OrthophotoError::NotTiff(format!("bad tag {tag:?}: {e}"))),
        }
    };
    let transform = f64s(dec, Tag::ModelTransformationTag)?;
    let tiepoint = f64s(dec, Tag::ModelTiepointTag)?;
    let scale = f64s(dec, Tag::ModelPixelScaleTag)?;
    let mut gt = match (transform, tiepoint, scale) {
        (Some(m), _, _) if m.len() >= 16 => [m[3], m[0], m[1], m[7], m[4], m[5]],
        (_, Some(t), Some(s)) if t.len() >= 6 && s.len() >= 2 => [
            t[3] - t[0] * s[0],
            s[0],
            0.0,
            t[4] + t[1] * s[1],
            0.0,
            -s[1],
        ],
        _ => return Err(OrthophotoError::NoGeoreference),
    };
    if gt.iter().any(|v| !v.is_finite()) || (gt[1] * gt[5] - gt[2] * gt[4]) == 0.0 {
        return Err(OrthophotoError::NoGeoreference);
    }
    let keys = match dec.find_tag(Tag::GeoKeyDirectoryTag) {
        Ok(Some(v)) => v
            .into_u16_vec()
            .map_err(|e| OrthophotoError::NotTiff(format!("bad GeoKeyDirectory: {e}")))?,
        _ => return Err(OrthophotoError::NoGeoreference),
    };
    let key = |id: u16| -> Option<u16> {
        keys.get(4..)?
            .chunks_exact(4)
            .find(|k| k[0] == id && k[1] == 0)
            .map(|k| k[3])
    };
    if key(GT_RASTER_TYPE) == Some(2) {
        // PixelIsPoint: GDAL moves the origin to the corner of the pixel.
        gt[0] -= 0.5 * gt[1] + 0.5 * gt[2];
        gt[3] -= 0.5 * gt[4] + 0.5 * gt[5];
    }
    let projected = key(PROJECTED_CS_TYPE).map(u32::from);
    let geographic = key(GEOGRAPHIC_TYPE).map(u32::from);
    let epsg = match (key(GT_MODEL_TYPE), projected, geographic) {
        (Some(2), _, Some(g)) => g,
        (_, Some(p), _) => p,
        (_, None, Some(g)) => g,
        (Some(1), None, _) => USER_DEFINED,
        _ => return Err(OrthophotoError::NoGeoreference),
    };
    if epsg == USER_DEFINED {
        return Err(OrthophotoError::UnsupportedCrs(USER_DEFINED));
    }
    Ok(Georef {
        geotransform: gt,
        epsg,
    })
}

/// Applies a GDAL geotransform to pixel/line coordinates.
pub(crate) fn apply(gt: &[f64; 6], px: f64, py: f64) -> (f64, f64) {
    (
        gt[0] + px * gt[1] + py * gt[2],
        gt[3] + px * gt[4] + py * gt[5],
    )
}

/// The inverse of a GDAL geotransform (map -> pixel); `None` when singular.
pub(crate) fn invert(gt: &[f64; 6]) -> Option<[f64; 6]> {
    let det = gt[1] * gt[5] - gt[2] * gt[4];
    if det == 0.0 || !det.is_finite() {
        return None;
    }
    let (a, b, d, e) = (gt[5] / det, -gt[2] / det, -gt[4] / det, gt[1] / det);
    Some([-a * gt[0] - b * gt[3], a, b, -d * gt[0] - e * gt[3], d, e])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_round_trips_rotated() {
        let gt = [500_000.0, 0.05, 0.01, 1_450_000.0, 0.02, -0.05];
        let inv = invert(&gt).expect("invertible");
        let (x, y) = apply(&gt, 123.5, 456.25);
        let (px, py) = apply(&inv, x, y);
        assert!((px - 123.5).abs() < 1e-6 && (py - 456.25).abs() < 1e-6);
    }
}
