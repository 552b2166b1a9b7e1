//! GDAL internal transparency masks: 1-bit images (NewSubfileType 4 at full resolution, 5 for
//! overviews; PhotometricInterpretation 4) beside the image, read chunk by chunk and unpacked to
//! one byte per pixel (0 transparent, 255 opaque).
//!
//! `tiff` refuses PhotometricInterpretation 4, so each chunk's stored bytes are wrapped in a
//! one-strip 1-bit gray TIFF in memory and decoded by `tiff`: every compression the image
//! reader handles (none, LZW, Deflate, PackBits) works for masks too.

use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use tiff::decoder::{ChunkType, Decoder, DecodingResult};
use tiff::tags::Tag;

use crate::raster::Chunk;

/// Compressions a mask may use (none, LZW, Deflate, old Deflate, PackBits).
const COMPRESSIONS: [u16; 5] = [1, 5, 8, 32946, 32773];

/// Where the chunks of one mask image lie in the file.
#[derive(Debug, Clone)]
pub(crate) struct MaskLayout {
    pub width: u32,
    pub height: u32,
    pub chunk_w: u32,
    pub chunk_h: u32,
    pub across: u32,
    tiled: bool,
    compression: u16,
    offsets: Vec<u64>,
    counts: Vec<u64>,
}

/// The layout of the current image of `dec` when it is a transparency mask this reader can
/// use; `None` for any other image and for masks it cannot (wrong depth, odd compression,
/// inconsistent chunk tables), which are then ignored.
pub(crate) fn layout<R: Read + Seek>(dec: &mut Decoder<R>) -> Option<MaskLayout> {
    let subfile = dec
        .find_tag_unsigned::<u32>(Tag::NewSubfileType)
        .ok()
        .flatten()?;
    let photometric = dec
        .find_tag_unsigned::<u16>(Tag::PhotometricInterpretation)
        .ok()
        .flatten()?;
    if subfile & 4 == 0 || photometric != 4 {
        return None;
    }
    let one = |dec: &mut Decoder<R>, tag: Tag| {
        dec.find_tag_unsigned_vec::<u16>(tag)
            .ok()
            .flatten()
            .is_none_or(|v| v.iter().all(|&b| b == 1))
    };
    // 1 bit, 1 sample, no predictor, MSB first.
    if !one(dec, Tag::BitsPerSample)
        || !one(dec, Tag::SamplesPerPixel)
        || !one(dec, Tag::Predictor)
        || !one(dec, Tag::FillOrder)
    {
        return None;
    }
    let compression = dec
        .find_tag_unsigned::<u16>(Tag::Compression)
        .ok()
        .flatten()
        .unwrap_or(1);
    if !COMPRESSIONS.contains(&compression) {
        return None;
    }
    let (width, height) = dec.dimensions().ok()?;
    let tiled = dec.get_chunk_type() == ChunkType::Tile;
    let (chunk_w, chunk_h, offsets, counts) = if tiled {
        let (w, h) = dec.chunk_dimensions();
        (w, h, Tag::TileOffsets, Tag::TileByteCounts)
    } else {
        let rows = dec
            .find_tag_unsigned::<u32>(Tag::RowsPerStrip)
            .ok()
            .flatten()
            .unwrap_or(height)
            .clamp(1, height.max(1));
        (width, rows, Tag::StripOffsets, Tag::StripByteCounts)
    };
    if width == 0 || height == 0 || chunk_w == 0 || chunk_h == 0 {
        return None;
    }
    let offsets = dec.find_tag_unsigned_vec::<u64>(offsets).ok().flatten()?;
    let counts = dec.find_tag_unsigned_vec::<u64>(counts).ok().flatten()?;
    let across = width.div_ceil(chunk_w);
    let chunks = u64::from(across) * u64::from(height.div_ceil(chunk_h));
    if offsets.len() as u64 != chunks || counts.len() as u64 != chunks {
        return None;
    }
    Some(MaskLayout {
        width,
        height,
        chunk_w,
        chunk_h,
        across,
        tiled,
        compression,
        offsets,
        counts,
    })
}

impl MaskLayout {
    /// Reads and unpacks chunk `(cx, cy)` from the file at `path`; the error says what failed.
    pub(crate) fn read(&self, path: &Path, cx: u32, cy: u32) -> Result<Chunk, String> {
        let index = (cy * self.across + cx) as usize;
        let (Some(&offset), Some(&count)) = (self.offsets.get(index), self.counts.get(index))
        else {
            return Err(format!("no chunk {index}"));
        };
        let w = self
            .chunk_w
            .min(self.width.saturating_sub(cx * self.chunk_w));
        let h = self
            .chunk_h
            .min(self.height.saturating_sub(cy * self.chunk_h));
        // Tiles are stored whole (padded); strips only hold the rows left.
        let (sw, sh) = if self.tiled {
            (self.chunk_w, self.chunk_h)
        } else {
            (self.width, h)
        };
        let packed = sw.div_ceil(8) as u64 * u64::from(sh);
        // Compressed 1-bit data stays far below twice its raw size; more is a damaged table.
        if w == 0 || h == 0 || count == 0 || count > 2 * packed + 4096 {
            return Err(format!("chunk {index} is stored as {count} bytes"));
        }
        let mut stored = vec![0u8; count as usize];
        let mut file = File::open(path).map_err(|e| e.to_string())?;
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(&mut stored))
            .map_err(|e| format!("chunk {index} at byte {offset}: {e}"))?;
        let tiff = wrap(sw, sh, self.compression, &stored);
        let bits = Decoder::new(Cursor::new(tiff))
            .and_then(|mut d| d.read_image())
            .map_err(|e| format!("chunk {index}: {e}"))?;
        let DecodingResult::U8(bits) = bits else {
            return Err(format!("chunk {index} is not 1-bit"));
        };
        let data = unpack_bits(&bits, sw as usize, sh as usize)
            .ok_or_else(|| format!("chunk {index} decodes to {} bytes", bits.len()))?;
        Ok(Chunk {
            w,
            h,
            stride: sw,
            data,
        })
    }
}

/// A little-endian one-strip TIFF of `width` x `height` 1-bit gray pixels holding `data`
/// (compressed with `compression`), so that `tiff` decodes a mask chunk.
fn wrap(width: u32, height: u32, compression: u16, data: &[u8]) -> Vec<u8> {
    const ENTRIES: u16 = 9;
    let start = 8 + 2 + 12 * u32::from(ENTRIES) + 4;
    let (short, long) = (3u16, 4u16);
    let entries: [(u16, u16, u32); ENTRIES as usize] = [
        (256, long, width),
        (257, long, height),
        (258, short, 1),
        (259, short, u32::from(compression)),
        (262, short, 1),
        (273, long, start),
        (277, short, 1),
        (278, long, height),
        (279, long, data.len() as u32),
    ];
    let mut out = Vec::with_capacity(start as usize + data.len());
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&ENTRIES.to_le_bytes());
    for (tag, kind, value) in entries {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if kind == short {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// Unpacks 1-bit rows (most significant bit first, each row padded to a whole byte) into one
/// byte per pixel: 255 where the bit is set, else 0. `None` when `packed` is too short.
pub(crate) fn unpack_bits(packed: &[u8], width: usize, height: usize) -> Option<Vec<u8>> {
    let row = width.div_ceil(8);
    if row == 0 || packed.len() < row * height {
        return None;
    }
    let mut out = Vec::with_capacity(width * height);
    for bytes in packed.chunks_exact(row).take(height) {
        out.extend((0..width).map(|x| {
            if bytes[x / 8] & (0x80 >> (x % 8)) != 0 {
                255
            } else {
                0
            }
        }));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_rows_padded_to_bytes() {
        // 11 pixels a row: two bytes, the last 5 bits padding (set here, must be ignored).
        let packed = [0b1010_0000, 0b0011_1111, 0b0111_1111, 0b1101_1111];
        let px = unpack_bits(&packed, 11, 2).expect("unpack");
        let bits: Vec<u8> = px.iter().map(|&v| u8::from(v == 255)).collect();
        assert_eq!(
            bits,
            [
                1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0
            ]
        );
        assert!(px.iter().all(|&v| v == 0 || v == 255));
        assert_eq!(unpack_bits(&packed[..3], 11, 2), None);
        assert_eq!(unpack_bits(&[], 0, 1), None);
    }

    #[test]
    fn wrapped_chunks_decode_through_tiff() {
        // 13 x 3 pixels, uncompressed and PackBits: a diagonal and a full row.
        let raw = [0b1000_0000, 0b0000_1000, 0b0100_0000, 0, 0xFF, 0xF8];
        let packbits = [5u8, 0b1000_0000, 0b0000_1000, 0b0100_0000, 0, 0xFF, 0xF8];
        for (compression, data) in [(1u16, &raw[..]), (32773, &packbits[..])] {
            let tiff = wrap(13, 3, compression, data);
            let DecodingResult::U8(bits) = Decoder::new(Cursor::new(tiff))
                .and_then(|mut d| d.read_image())
                .expect("decode")
            else {
                panic!("not 8-bit");
            };
            let px = unpack_bits(&bits, 13, 3).expect("unpack");
            assert_eq!(px.len(), 39);
            assert_eq!((px[0], px[1], px[12]), (255, 0, 255));
            assert_eq!((px[13], px[14], px[15]), (0, 255, 0));
            assert!(px[26..].iter().all(|&v| v == 255));
        }
    }
}
