//! A GeoTIFF writer: 3-band 8-bit RGB, 256x256 tiles, deflate, georeferenced (ModelPixelScale +
//! ModelTiepoint for north-up images, ModelTransformation when rotated), EPSG GeoKeys,
//! PixelIsArea, with internal overviews (2 x 2 averages down to one tile, as `gdaladdo -r average`
//! makes) so every zoom renders. BigTIFF when the pixels exceed what a classic TIFF can
//! address. Written as a stream: memory is one row of tiles per level. GDAL reads it.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::Path;

use tiff::encoder::compression::{CompressionAlgorithm, Deflate, DeflateLevel};
use tiff::encoder::{DirectoryEncoder, TiffEncoder, TiffKind};
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

/// Writes `rgb` (row-major, 3 bytes per pixel, `width * height * 3` bytes) as a georeferenced,
/// tiled, deflated GeoTIFF with overviews, in CRS `epsg` with the GDAL-order `geotransform`.
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
/// RGB of the `w` x `h` block at (x0, y0) into `buf` (rows of `w * 3` bytes), called tile by
/// tile, row of tiles after row of tiles. Memory stays at about two rows of tiles of the image
/// whatever its height.
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
    // Pixels and overviews (4/3); deflate of noise can grow slightly: margin below 4 GiB.
    let raw = u64::from(width) * u64::from(height) * 4;
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

/// One level of the pyramid being written: rows waiting to form a row of tiles, and the
/// offsets and byte counts of the tiles written so far.
struct Pending<O> {
    width: u32,
    height: u32,
    /// Up to `TILE` rows of `width * 3` bytes.
    rows: Vec<u8>,
    /// Rows of this level received so far.
    done: u32,
    offsets: Vec<O>,
    counts: Vec<O>,
}

/// Sizes of the full image and its 2x overviews, down to one tile.
fn pyramid(width: u32, height: u32) -> Vec<(u32, u32)> {
    let mut levels = vec![(width, height)];
    while let Some(&(w, h)) = levels.last() {
        if w <= TILE && h <= TILE {
            break;
        }
        levels.push((w.div_ceil(2), h.div_ceil(2)));
    }
    levels
}

/// Averages 2 x 2 blocks of `rows` (RGB rows of `width` px) into rows of `width.div_ceil(2)`.
fn halve(rows: &[u8], width: u32) -> Vec<u8> {
    let w = width as usize;
    let n = rows.len() / (w * 3);
    let hw = w.div_ceil(2);
    let mut out = vec![0u8; hw * n.div_ceil(2) * 3];
    for (j, dst) in out.chunks_exact_mut(hw * 3).enumerate() {
        let a = &rows[2 * j * w * 3..(2 * j + 1) * w * 3];
        let b = if 2 * j + 1 < n {
            &rows[(2 * j + 1) * w * 3..(2 * j + 2) * w * 3]
        } else {
            a
        };
        for (i, px) in dst.chunks_exact_mut(3).enumerate() {
            let (i1, i2) = (2 * i * 3, (2 * i + 1).min(w - 1) * 3);
            for c in 0..3 {
                let sum = u16::from(a[i1 + c])
                    + u16::from(a[i2 + c])
                    + u16::from(b[i1 + c])
                    + u16::from(b[i2 + c]);
                px[c] = ((sum + 2) / 4) as u8;
            }
        }
    }
    out
}

/// Pads and deflates tiles.
struct Packer {
    tile: Vec<u8>,
    packed: Vec<u8>,
    deflate: Deflate,
}

impl Packer {
    /// The deflated 256 x 256 tile at column `x0` (`w` px wide) of `nrows` rows.
    fn pack(
        &mut self,
        rows: &[u8],
        row_bytes: usize,
        x0: usize,
        w: usize,
        nrows: usize,
    ) -> std::io::Result<&[u8]> {
        let t = TILE as usize;
        self.tile.clear();
        self.tile.resize(t * t * 3, 0);
        for j in 0..nrows {
            let s = j * row_bytes + x0 * 3;
            self.tile[j * t * 3..j * t * 3 + w * 3].copy_from_slice(&rows[s..s + w * 3]);
        }
        self.packed.clear();
        self.deflate.write_to(&mut self.packed, &self.tile)?;
        Ok(&self.packed)
    }
}

/// Adds rows to level `li`; each complete row of tiles is written and, halved, fed to the next
/// level.
fn add_rows<W: Write + Seek, K: TiffKind>(
    dir: &mut DirectoryEncoder<'_, W, K>,
    levels: &mut [Pending<K::OffsetType>],
    li: usize,
    mut data: &[u8],
    packer: &mut Packer,
) -> Result<(), OrthophotoError> {
    let width = levels[li].width;
    let row_bytes = width as usize * 3;
    while data.len() >= row_bytes {
        let level = &mut levels[li];
        let held = level.rows.len() / row_bytes;
        let take = (TILE as usize - held).min(data.len() / row_bytes);
        level.rows.extend_from_slice(&data[..take * row_bytes]);
        level.done += take as u32;
        data = &data[take * row_bytes..];
        let full = held + take;
        if full < TILE as usize && level.done < level.height {
            continue;
        }
        let mut rows = std::mem::take(&mut level.rows);
        for tx in 0..width.div_ceil(TILE) {
            let x0 = (tx * TILE) as usize;
            let w = (TILE as usize).min(width as usize - x0);
            let tile = packer.pack(&rows, row_bytes, x0, w, full)?;
            let len = tile.len() as u64;
            let offset = dir.write_data(tile).map_err(enc_err)?;
            level
                .offsets
                .push(K::convert_offset(offset).map_err(enc_err)?);
            level.counts.push(K::convert_offset(len).map_err(enc_err)?);
        }
        if li + 1 < levels.len() {
            let reduced = halve(&rows, width);
            add_rows(dir, levels, li + 1, &reduced, packer)?;
        }
        rows.clear();
        levels[li].rows = rows;
    }
    Ok(())
}

/// The image-structure tags of one level.
fn structure_tags<W: Write + Seek, K: TiffKind>(
    dir: &mut DirectoryEncoder<'_, W, K>,
    level: &Pending<K::OffsetType>,
) -> Result<(), OrthophotoError> {
    dir.write_tag(Tag::ImageWidth, level.width)
        .map_err(enc_err)?;
    dir.write_tag(Tag::ImageLength, level.height)
        .map_err(enc_err)?;
    dir.write_tag(Tag::BitsPerSample, &[8u16, 8, 8][..])
        .map_err(enc_err)?;
    dir.write_tag(Tag::Compression, 8u16).map_err(enc_err)?;
    dir.write_tag(Tag::PhotometricInterpretation, 2u16)
        .map_err(enc_err)?;
    dir.write_tag(Tag::SamplesPerPixel, 3u16).map_err(enc_err)?;
    dir.write_tag(Tag::PlanarConfiguration, 1u16)
        .map_err(enc_err)?;
    dir.write_tag(Tag::TileWidth, TILE).map_err(enc_err)?;
    dir.write_tag(Tag::TileLength, TILE).map_err(enc_err)?;
    dir.write_tag(Tag::TileOffsets, K::convert_slice(&level.offsets))
        .map_err(enc_err)?;
    dir.write_tag(Tag::TileByteCounts, K::convert_slice(&level.counts))
        .map_err(enc_err)?;
    dir.write_tag(Tag::SampleFormat, &[1u16, 1, 1][..])
        .map_err(enc_err)?;
    Ok(())
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
    let mut levels: Vec<Pending<K::OffsetType>> = pyramid(width, height)
        .into_iter()
        .map(|(width, height)| Pending {
            width,
            height,
            rows: Vec::new(),
            done: 0,
            offsets: Vec::new(),
            counts: Vec::new(),
        })
        .collect();
    let mut packer = Packer {
        tile: Vec::new(),
        packed: Vec::new(),
        deflate: Deflate::with_level(DeflateLevel::Fast),
    };
    let mut block = vec![0u8; (TILE * TILE * 3) as usize];
    let mut strip = Vec::new();
    let mut dir = enc.image_directory().map_err(enc_err)?;
    // Full-resolution pixels, one row of tiles at a time; overview tiles follow as they fill.
    for ty in 0..height.div_ceil(TILE) {
        let y0 = ty * TILE;
        let h = TILE.min(height - y0);
        strip.clear();
        strip.resize(width as usize * h as usize * 3, 0);
        for tx in 0..width.div_ceil(TILE) {
            let x0 = tx * TILE;
            let w = TILE.min(width - x0);
            let part = &mut block[..(w * h * 3) as usize];
            part.fill(0);
            fill(x0, y0, w, h, part);
            let row = (w * 3) as usize;
            for j in 0..h as usize {
                let d = (j * width as usize + x0 as usize) * 3;
                strip[d..d + row].copy_from_slice(&part[j * row..(j + 1) * row]);
            }
        }
        add_rows(&mut dir, &mut levels, 0, &strip, &mut packer)?;
    }
    structure_tags(&mut dir, &levels[0])?;
    if gt[2] == 0.0 && gt[4] == 0.0 {
        dir.write_tag(Tag::ModelPixelScaleTag, &[gt[1], -gt[5], 0.0][..])
            .map_err(enc_err)?;
        dir.write_tag(
            Tag::ModelTiepointTag,
            &[0.0, 0.0, 0.0, gt[0], gt[3], 0.0][..],
        )
        .map_err(enc_err)?;
    } else {
        let m = [
            gt[1], gt[2], 0.0, gt[0], gt[4], gt[5], 0.0, gt[3], 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
            1.0,
        ];
        dir.write_tag(Tag::ModelTransformationTag, &m[..])
            .map_err(enc_err)?;
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
        .map_err(enc_err)?;
    dir.finish().map_err(enc_err)?;
    // Overviews: reduced-resolution images (NewSubfileType 1) chained after the image.
    for level in &levels[1..] {
        let mut dir = enc.image_directory().map_err(enc_err)?;
        dir.write_tag(Tag::NewSubfileType, 1u32).map_err(enc_err)?;
        structure_tags(&mut dir, level)?;
        dir.finish().map_err(enc_err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyramid_ends_at_one_tile() {
        assert_eq!(pyramid(200, 100), vec![(200, 100)]);
        assert_eq!(pyramid(1000, 300), vec![(1000, 300), (500, 150), (250, 75)]);
    }

    #[test]
    fn halve_averages_blocks_and_odd_edges() {
        // 3 x 3 px: rows of values 0, 4, 8 (all channels).
        let rows: Vec<u8> = [0u8, 4, 8, 0, 4, 8, 100, 100, 100]
            .iter()
            .flat_map(|&v| [v; 3])
            .collect();
        let out = halve(&rows, 3);
        assert_eq!(out.len(), 2 * 2 * 3);
        assert_eq!(out[0], 2); // (0 + 4 + 0 + 4) / 4
        assert_eq!(out[3], 8); // odd column: 8 alone
        assert_eq!(out[6], 100); // odd row: 100 alone
    }
}
