//! Windowed access to the pixels of a (Cloud-Optimised) GeoTIFF: resolution levels (the image
//! and its overviews), a pool of decoders per level and a bounded LRU cache of decoded chunks
//! shared by all threads. Only the chunks (tiles or strips) a window touches are decoded.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use tiff::ColorType;
use tiff::decoder::{ChunkType, Decoder, DecodingResult, Limits};
use tiff::tags::Tag;

use crate::OrthophotoError;
use crate::mask::{self, MaskLayout};

/// Bytes of decoded chunks kept in memory (all levels, all threads).
pub(crate) const CACHE_BYTES: usize = 64 << 20;
/// Idle decoders (open file handles) kept per level.
const POOL_PER_LEVEL: usize = 8;

type Dec = Decoder<BufReader<File>>;

/// One resolution level: the full image (index 0) or an overview.
#[derive(Debug, Clone)]
pub(crate) struct Level {
    pub width: u32,
    pub height: u32,
    pub chunk_w: u32,
    pub chunk_h: u32,
    pub across: u32,
    pub down: u32,
    /// IFD index in the file.
    ifd: usize,
    /// Full-resolution pixels per level pixel (x).
    pub factor: f64,
    /// The level's own transparency mask (GDAL internal mask of the same size), if any.
    pub mask: Option<MaskLayout>,
}

/// A decoded chunk: `w` x `h` pixels of `spp` samples, rows of `stride` pixels.
pub(crate) struct Chunk {
    pub w: u32,
    pub h: u32,
    pub stride: u32,
    pub data: Vec<u8>,
}

/// Cache key: level, chunk index, and whether the chunk is of the level's mask.
type Key = (usize, u32, bool);

/// Least-recently-used cache of decoded chunks, bounded in bytes.
#[derive(Default)]
struct Lru {
    map: HashMap<Key, (Arc<Chunk>, u64)>,
    bytes: usize,
    clock: u64,
}

impl Lru {
    fn get(&mut self, key: Key) -> Option<Arc<Chunk>> {
        self.clock += 1;
        let clock = self.clock;
        self.map.get_mut(&key).map(|(c, t)| {
            *t = clock;
            c.clone()
        })
    }

    fn put(&mut self, key: Key, chunk: Arc<Chunk>) {
        self.clock += 1;
        let size = chunk.data.len();
        if let Some((old, _)) = self.map.insert(key, (chunk, self.clock)) {
            self.bytes -= old.data.len();
        }
        self.bytes += size;
        while self.bytes > CACHE_BYTES && self.map.len() > 1 {
            let Some(oldest) = self
                .map
                .iter()
                .min_by_key(|(_, (_, t))| *t)
                .map(|(k, _)| *k)
            else {
                break;
            };
            if let Some((c, _)) = self.map.remove(&oldest) {
                self.bytes -= c.data.len();
            }
        }
    }
}

/// The pixel source of an opened file.
pub(crate) struct Raster {
    path: PathBuf,
    pub levels: Vec<Level>,
    /// Samples per pixel: 1, 3 or 4.
    pub spp: usize,
    pub nodata: Option<u8>,
    /// JPEG-compressed YCbCr: the decoder yields YCbCr, converted to RGB when sampled.
    pub ycbcr: bool,
    pub tiled: bool,
    pools: Vec<Mutex<Vec<Dec>>>,
    cache: Mutex<Lru>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn decode_err(e: tiff::TiffError) -> OrthophotoError {
    OrthophotoError::Decode(e.to_string())
}

/// Opens a decoder on a file with limits fit for large images (big offset arrays).
pub(crate) fn open_decoder(path: &Path) -> Result<Dec, OrthophotoError> {
    let file = File::open(path)?;
    let mut limits = Limits::default();
    limits.ifd_value_size = 512 << 20;
    Decoder::new(BufReader::with_capacity(64 << 10, file))
        .map(|d| d.with_limits(limits))
        .map_err(|e| match e {
            tiff::TiffError::IoError(io) => OrthophotoError::Io(io),
            other => OrthophotoError::NotTiff(other.to_string()),
        })
}

/// Samples per pixel of a colour type, or what to run to convert the file.
fn samples(ct: ColorType, jpeg: bool) -> Result<usize, OrthophotoError> {
    let convert = |what: &str, cmd: &str| {
        Err(OrthophotoError::Unsupported(format!(
            "{what}; only 8-bit gray, RGB or RGBA orthophotos are served: convert it, e.g. {cmd}"
        )))
    };
    match ct {
        ColorType::Gray(8) => Ok(1),
        ColorType::RGB(8) => Ok(3),
        ColorType::RGBA(8) => Ok(4),
        ColorType::YCbCr(8) if jpeg => Ok(3),
        c if c.bit_depth() != 8 => convert(
            &format!("{}-bit samples ({c:?})", c.bit_depth()),
            "gdal_translate -ot Byte -scale in.tif out.tif",
        ),
        ColorType::Palette(_) => convert(
            "a paletted image",
            "gdal_translate -expand rgb in.tif out.tif",
        ),
        c => convert(
            &format!("colour type {c:?}"),
            "gdal_translate -ot Byte -b 1 -b 2 -b 3 -co PHOTOMETRIC=RGB in.tif out.tif",
        ),
    }
}

fn level_of(dec: &mut Dec, ifd: usize, full_width: u32) -> Result<Level, OrthophotoError> {
    let (width, height) = dec.dimensions().map_err(decode_err)?;
    let tiled = dec.get_chunk_type() == ChunkType::Tile;
    let (chunk_w, chunk_h) = if tiled {
        dec.chunk_dimensions()
    } else {
        let rows = dec
            .find_tag_unsigned::<u32>(Tag::RowsPerStrip)
            .map_err(decode_err)?
            .unwrap_or(height)
            .clamp(1, height.max(1));
        (width, rows)
    };
    if width == 0 || height == 0 || chunk_w == 0 || chunk_h == 0 {
        return Err(OrthophotoError::NotTiff("empty image".into()));
    }
    Ok(Level {
        width,
        height,
        chunk_w,
        chunk_h,
        across: width.div_ceil(chunk_w),
        down: height.div_ceil(chunk_h),
        ifd,
        factor: f64::from(full_width) / f64::from(width),
        mask: None,
    })
}

impl Raster {
    /// Inspects the first image and its overviews; `dec` is positioned on the first image.
    pub(crate) fn open(path: &Path, dec: &mut Dec) -> Result<Raster, OrthophotoError> {
        let jpeg =
            |dec: &mut Dec| matches!(dec.find_tag_unsigned::<u16>(Tag::Compression), Ok(Some(7)));
        let is_jpeg = jpeg(dec);
        let ct = dec.colortype().map_err(|e| {
            OrthophotoError::Unsupported(format!(
                "{e}; convert it, e.g. gdal_translate -ot Byte -co INTERLEAVE=PIXEL in.tif out.tif"
            ))
        })?;
        let spp = samples(ct, is_jpeg)?;
        // One band stored "separately" is laid out like one band interleaved (GDAL writes
        // single-band files so with INTERLEAVE=BAND).
        if spp > 1
            && dec
                .find_tag_unsigned::<u16>(Tag::PlanarConfiguration)
                .ok()
                .flatten()
                == Some(2)
        {
            return Err(OrthophotoError::Unsupported(
                "bands stored separately (planar); convert it, e.g. gdal_translate -co INTERLEAVE=PIXEL in.tif out.tif".into(),
            ));
        }
        if let Ok(Some(fmt)) = dec.find_tag_unsigned::<u16>(Tag::SampleFormat)
            && fmt != 1
        {
            return Err(OrthophotoError::Unsupported(
                "samples are not unsigned integers; convert it, e.g. gdal_translate -ot Byte -scale in.tif out.tif".into(),
            ));
        }
        let nodata = match dec.find_tag(Tag::GdalNodata) {
            Ok(Some(v)) => v
                .into_string()
                .ok()
                .and_then(|s| s.trim_matches(char::from(0)).trim().parse::<f64>().ok())
                .filter(|v| v.fract() == 0.0 && (0.0..=255.0).contains(v))
                .map(|v| v as u8),
            _ => None,
        };
        let (full_width, _) = dec.dimensions().map_err(decode_err)?;
        let tiled = dec.get_chunk_type() == ChunkType::Tile;
        let mut levels = vec![level_of(dec, 0, full_width)?];
        let mut masks = Vec::new();
        // Overviews: further reduced-resolution images of the same layout; masks set aside.
        let mut ifd = 1;
        while dec.more_images() && ifd < 64 {
            if dec.seek_to_image(ifd).is_err() {
                break;
            }
            let subfile = dec
                .find_tag_unsigned::<u32>(Tag::NewSubfileType)
                .ok()
                .flatten()
                .unwrap_or(0);
            if subfile & 4 != 0 {
                masks.extend(mask::layout(dec));
                ifd += 1;
                continue;
            }
            let same = dec.colortype().ok() == Some(ct) && jpeg(dec) == is_jpeg;
            if same {
                let level = level_of(dec, ifd, full_width)?;
                let last = levels.last().map_or(u32::MAX, |l| l.width);
                if level.width < last {
                    levels.push(level);
                }
            }
            ifd += 1;
        }
        dec.seek_to_image(0).map_err(decode_err)?;
        // Each level takes the first mask of its exact size; a level without one has none.
        for level in &mut levels {
            let own = masks
                .iter()
                .position(|m| (m.width, m.height) == (level.width, level.height));
            level.mask = own.map(|i| masks.swap_remove(i));
        }
        let pools = levels.iter().map(|_| Mutex::new(Vec::new())).collect();
        Ok(Raster {
            path: path.to_path_buf(),
            levels,
            spp,
            nodata,
            ycbcr: matches!(ct, ColorType::YCbCr(_)),
            tiled,
            pools,
            cache: Mutex::new(Lru::default()),
        })
    }

    /// Gives back a first decoder for level 0 so the next read does not reopen the file.
    pub(crate) fn park(&self, dec: Dec) {
        lock(&self.pools[0]).push(dec);
    }

    /// The decoded chunk `(cx, cy)` of level `li`, from the cache or the file.
    pub(crate) fn chunk(&self, li: usize, cx: u32, cy: u32) -> Result<Arc<Chunk>, OrthophotoError> {
        let level = &self.levels[li];
        let index = cy * level.across + cx;
        if let Some(c) = lock(&self.cache).get((li, index, false)) {
            return Ok(c);
        }
        let taken = lock(&self.pools[li]).pop();
        let mut dec = match taken {
            Some(d) => d,
            None => {
                let mut d = open_decoder(&self.path)?;
                d.seek_to_image(level.ifd).map_err(decode_err)?;
                d
            }
        };
        let w = level.chunk_w.min(level.width - cx * level.chunk_w);
        let h = level.chunk_h.min(level.height - cy * level.chunk_h);
        let result = dec.read_chunk(index);
        {
            let mut pool = lock(&self.pools[li]);
            if pool.len() < POOL_PER_LEVEL {
                pool.push(dec);
            }
        }
        let data = match result.map_err(decode_err)? {
            DecodingResult::U8(v) => v,
            _ => return Err(OrthophotoError::Decode("chunk is not 8-bit".into())),
        };
        let per_row = self.spp * h as usize;
        let stride = if per_row > 0 && data.len() % per_row == 0 {
            (data.len() / per_row) as u32
        } else {
            0
        };
        if stride < w {
            return Err(OrthophotoError::Decode(format!(
                "chunk {index} has {} bytes for {w}x{h} pixels",
                data.len()
            )));
        }
        let chunk = Arc::new(Chunk { w, h, stride, data });
        lock(&self.cache).put((li, index, false), chunk.clone());
        Ok(chunk)
    }

    /// Chunk `(cx, cy)` of the mask of level `li` (one byte a pixel, 0 = transparent), from
    /// the cache or the file; `Decode` naming the file when the level has no mask or the chunk
    /// is damaged.
    pub(crate) fn mask_chunk(
        &self,
        li: usize,
        cx: u32,
        cy: u32,
    ) -> Result<Arc<Chunk>, OrthophotoError> {
        let damaged = |what: String| {
            OrthophotoError::Decode(format!(
                "transparency mask of {}: {what}; drop the mask (gdal_translate -mask none in.tif out.tif) or rebuild it (gdal_translate -b 1 -b 2 -b 3 -mask 4 --config GDAL_TIFF_INTERNAL_MASK YES in.tif out.tif)",
                self.path.display()
            ))
        };
        let Some(layout) = &self.levels[li].mask else {
            return Err(damaged(format!("level {li} has none")));
        };
        let index = cy * layout.across + cx;
        if let Some(c) = lock(&self.cache).get((li, index, true)) {
            return Ok(c);
        }
        let chunk = Arc::new(layout.read(&self.path, cx, cy).map_err(damaged)?);
        lock(&self.cache).put((li, index, true), chunk.clone());
        Ok(chunk)
    }
}
