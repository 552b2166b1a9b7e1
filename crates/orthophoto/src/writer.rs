//! A GeoTIFF writer: 3-band 8-bit RGB, 256x256 tiles, deflate, georeferenced (ModelPixelScale +
//! ModelTiepoint for north-up images, ModelTransformation when rotated), EPSG GeoKeys,
//! PixelIsArea. BigTIFF when the pixels exceed what a classic TIFF can address. GDAL reads it.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::Path;

use tiff::encoder::compression::{CompressionAlgorithm, Deflate, DeflateLevel};
use tiff::encoder::{TiffEncoder, TiffKind};
use tiff::tags::Tag;

use crate::OrthophotoError;

/// Tile size of written files.
const TILE: u32 = 256;

fn enc_err(e: tiff::TiffError) -> OrthophotoError {
    match e {
        tiff::TiffError::IoError(io) => OrthophotoError::Io(io),
        other => OrthophotoError::Encode(other.to_string()),
    }
}

/// Writes `rgb` (row-major, 3 bytes per pixel, `width * height * 3` bytes) as a georeferenced
/// GeoTIFF in CRS `epsg` with the GDAL-order `geotransform`.
pub fn write_geotiff(
    path: &Path,
    width: u32,
    height: u32,
    rgb: &[u8],
    epsg: u32,
    geotransform: [f64; 6],
) -> Result<(), OrthophotoError> {
    let expected = width as usize * height as usize * 3;
    if rgb.len() != expected {
        return Err(OrthophotoError::Invalid(format!(
            "{} bytes of RGB for {width}x{height} pixels (need {expected})",
            rgb.len()
        )));
    }
    write_geotiff_with(
        path,
        width,
        height,
        epsg,
        geotransform,
        |x0, y0, w, _h, buf| {
            let row = w as usize * 3;
            for (j, dst) in buf.chunks_exact_mut(row).enumerate() {
                let s = ((y0 as usize + j) * width as usize + x0 as usize) * 3;
                dst.copy_from_slice(&rgb[s..s + row]);
            }
        },
    )
}

/// Like [`write_geotiff`], but pixels come from `fill(x0, y0, w, h, buf)`, which writes the
/// RGB of the `w` x `h` block at (x0, y0) into `buf` (rows of `w * 3` bytes). Memory stays
/// at one tile whatever the image size.
pub fn write_geotiff_with(
    path: &Path,
    width: u32,
    height: u32,
    epsg: u32,
    geotransform: [f64; 6],
    fill: impl FnMut(u32, u32, u32, u32, &mut [u8]),
) -> Result<(), OrthophotoError> {
    if width == 0 || height == 0 {
        return Err(OrthophotoError::Invalid("an empty image".into()));
    }
    if geotransform.iter().any(|v| !v.is_finite())
        || geotransform[1] * geotransform[5] - geotransform[2] * geotransform[4] == 0.0
    {
        return Err(OrthophotoError::Invalid(format!(
            "singular geotransform {geotransform:?}"
        )));
    }
    let geographic = crs_kind(epsg)?;
    let out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    // Deflate of synthetic data can grow slightly; leave margin below 4 GiB.
    let raw = u64::from(width) * u64::from(height) * 3;
    if raw > 3 << 30 {
        let enc = TiffEncoder::new_big(out).map_err(enc_err)?;
        write_tiles(enc, width, height, epsg, geographic, geotransform, fill)
    } else {
        let enc = TiffEncoder::new(out).map_err(enc_err)?;
        write_tiles(enc, width, height, epsg, geographic, geotransform, fill)
    }
}

/// Whether `epsg` is geographic (else projected); `UnsupportedCrs` when unknown.
fn crs_kind(epsg: u32) -> Result<bool, OrthophotoError> {
    if epsg == 4326 {
        return Ok(true);
    }
    let def = u16::try_from(epsg)
        .ok()
        .and_then(crs_definitions::from_code)
        .ok_or(OrthophotoError::UnsupportedCrs(epsg))?;
    Ok(def.proj4.contains("+proj=longlat"))
}

fn write_tiles<W: Write + Seek, K: TiffKind>(
    mut enc: TiffEncoder<W, K>,
    width: u32,
    height: u32,
    epsg: u32,
    geographic: bool,
    gt: [f64; 6],
    mut fill: impl FnMut(u32, u32, u32, u32, &mut [u8]),
) -> Result<(), OrthophotoError> {
    let mut dir = enc.image_directory().map_err(enc_err)?;
    let (across, down) = (width.div_ceil(TILE), height.div_ceil(TILE));
    let mut offsets: Vec<K::OffsetType> = Vec::with_capacity((across * down) as usize);
    let mut counts: Vec<K::OffsetType> = Vec::with_capacity((across * down) as usize);
    let mut block = vec![0u8; (TILE * TILE * 3) as usize];
    let mut tile = vec![0u8; (TILE * TILE * 3) as usize];
    let mut packed = Vec::new();
    let mut deflate = Deflate::with_level(DeflateLevel::Fast);
    for ty in 0..down {
        for tx in 0..across {
            let (x0, y0) = (tx * TILE, ty * TILE);
            let (w, h) = (TILE.min(width - x0), TILE.min(height - y0));
            let part = &mut block[..(w * h * 3) as usize];
            part.fill(0);
            fill(x0, y0, w, h, part);
            tile.fill(0);
            let row = (w * 3) as usize;
            for j in 0..h as usize {
                let d = j * (TILE * 3) as usize;
                tile[d..d + row].copy_from_slice(&part[j * row..(j + 1) * row]);
            }
            packed.clear();
            deflate.write_to(&mut packed, &tile)?;
            let offset = dir.write_data(&packed[..]).map_err(enc_err)?;
            offsets.push(K::convert_offset(offset).map_err(enc_err)?);
            counts.push(K::convert_offset(packed.len() as u64).map_err(enc_err)?);
        }
    }
    let tag = |e: tiff::TiffError| enc_err(e);
    dir.write_tag(Tag::ImageWidth, width).map_err(tag)?;
    dir.write_tag(Tag::ImageLength, height).map_err(tag)?;
    dir.write_tag(Tag::BitsPerSample, &[8u16, 8, 8][..])
        .map_err(tag)?;
    dir.write_tag(Tag::Compression, 8u16).map_err(tag)?;
    dir.write_tag(Tag::PhotometricInterpretation, 2u16)
        .map_err(tag)?;
    dir.write_tag(Tag::SamplesPerPixel, 3u16).map_err(tag)?;
    dir.write_tag(Tag::PlanarConfiguration, 1u16).map_err(tag)?;
    dir.write_tag(Tag::TileWidth, TILE).map_err(tag)?;
    dir.write_tag(Tag::TileLength, TILE).map_err(tag)?;
    dir.write_tag(Tag::TileOffsets, K::convert_slice(&offsets))
        .map_err(tag)?;
    dir.write_tag(Tag::TileByteCounts, K::convert_slice(&counts))
        .map_err(tag)?;
    dir.write_tag(Tag::SampleFormat, &[1u16, 1, 1][..])
        .map_err(tag)?;
    if gt[2] == 0.0 && gt[4] == 0.0 {
        dir.write_tag(Tag::ModelPixelScaleTag, &[gt[1], -gt[5], 0.0][..])
            .map_err(tag)?;
        dir.write_tag(
            Tag::ModelTiepointTag,
            &[0.0, 0.0, 0.0, gt[0], gt[3], 0.0][..],
        )
        .map_err(tag)?;
    } else {
        let m = [
            gt[1], gt[2], 0.0, gt[0], gt[4], gt[5], 0.0, gt[3], 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            1.0,
        ];
        dir.write_tag(Tag::ModelTransformationTag, &m[..])
            .map_err(tag)?;
    }
    let code = u16::try_from(epsg).map_err(|_| OrthophotoError::UnsupportedCrs(epsg))?;
    let (model, key) = if geographic {
        (2u16, 2048u16)
    } else {
        (1, 3072)
    };
    let keys = [
        1u16, 1, 0, 3, 1024, 0, 1, model, 1025, 0, 1, 1, key, 0, 1, code,
    ];
    dir.write_tag(Tag::GeoKeyDirectoryTag, &keys[..])
        .map_err(tag)?;
    dir.finish().map_err(enc_err)?;
    Ok(())
}
