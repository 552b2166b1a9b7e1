//! A synchronous reader of PMTiles v3 archives (the basemap): the 127-byte header, varint
//! directories (root and leaves) searched by Hilbert tile id, and tiles read by offset. The
//! `pmtiles` crate reads only through an async runtime; a pack is made on a blocking thread.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use flate2::read::GzDecoder;

use crate::area::tile_id;

/// Length of a PMTiles v3 header.
const HEADER_LEN: usize = 127;
/// Directory levels followed before the archive is taken as corrupt (the spec uses at most 3).
const MAX_DEPTH: usize = 4;
/// PMTiles compression codes.
const COMPRESSION_UNKNOWN: u8 = 0;
const COMPRESSION_NONE: u8 = 1;
const COMPRESSION_GZIP: u8 = 2;

/// The header fields a reader needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Header {
    root_offset: u64,
    root_length: u64,
    metadata_offset: u64,
    metadata_length: u64,
    leaf_offset: u64,
    data_offset: u64,
    internal_compression: u8,
    /// Compression of the tiles (0 unknown, 1 none, 2 gzip, 3 brotli, 4 zstd).
    pub(crate) tile_compression: u8,
    /// Tile type (0 unknown, 1 MVT, 2 png, 3 jpeg, 4 webp, 5 avif).
    pub(crate) tile_type: u8,
    /// Lowest zoom of the archive.
    pub(crate) min_zoom: u8,
    /// Highest zoom of the archive.
    pub(crate) max_zoom: u8,
}

/// One directory entry: a run of tiles, or a leaf directory when `run_length` is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Entry {
    tile_id: u64,
    offset: u64,
    length: u64,
    run_length: u64,
}

/// An open PMTiles v3 archive.
#[derive(Debug)]
pub(crate) struct PmTilesReader {
    file: File,
    /// The archive's header.
    pub(crate) header: Header,
    root: Vec<Entry>,
    /// The leaf directory read last (its offset and entries): a pack asks for tiles in tile-id
    /// order, so consecutive tiles mostly share a leaf.
    leaf: Option<(u64, Vec<Entry>)>,
}

impl PmTilesReader {
    /// Opens an archive: reads its header and root directory.
    ///
    /// # Errors
    /// A reason when the file is not a PMTiles v3 archive, its directories are compressed
    /// other than with gzip, or it cannot be read.
    pub(crate) fn open(mut file: File) -> Result<Self, String> {
        let mut bytes = [0u8; HEADER_LEN];
        file.read_exact(&mut bytes)
            .map_err(|e| format!("its PMTiles header cannot be read ({e})"))?;
        let header = parse_header(&bytes)?;
        if !matches!(
            header.internal_compression,
            COMPRESSION_UNKNOWN | COMPRESSION_NONE | COMPRESSION_GZIP
        ) {
            return Err(format!(
                "its directories use compression {} ({}), of which only gzip and none are read: \
                 write it again with gzip compression",
                header.internal_compression,
                compression_name(header.internal_compression)
            ));
        }
        let mut reader = Self {
            file,
            header,
            root: Vec::new(),
            leaf: None,
        };
        reader.root = reader.directory(header.root_offset, header.root_length)?;
        Ok(reader)
    }

    /// The archive's metadata JSON.
    ///
    /// # Errors
    /// A reason when it cannot be read or is not UTF-8.
    pub(crate) fn metadata(&mut self) -> Result<String, String> {
        let raw = self.read_at(self.header.metadata_offset, self.header.metadata_length)?;
        let bytes = decompress(raw, self.header.internal_compression)?;
        String::from_utf8(bytes).map_err(|_| "its metadata is not UTF-8".into())
    }

    /// The stored bytes of tile `z/x/y` (still compressed as the header says), `None` when the
    /// archive has no such tile.
    ///
    /// # Errors
    /// A reason when the archive cannot be read or its directories are corrupt.
    pub(crate) fn tile(&mut self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, String> {
        let id = tile_id(z, x, y).map_err(|e| e.to_string())?;
        let mut entry = find(&self.root, id);
        for _ in 0..MAX_DEPTH {
            let Some(found) = entry else {
                return Ok(None);
            };
            if found.run_length > 0 {
                let offset = self.header.data_offset.saturating_add(found.offset);
                return self.read_at(offset, found.length).map(Some);
            }
            let offset = self.header.leaf_offset.saturating_add(found.offset);
            if self.leaf.as_ref().is_none_or(|(at, _)| *at != offset) {
                let leaf = self.directory(offset, found.length)?;
                self.leaf = Some((offset, leaf));
            }
            entry = self.leaf.as_ref().and_then(|(_, leaf)| find(leaf, id));
        }
        Err("its leaf directories nest deeper than PMTiles allows: the file is corrupt".into())
    }

    /// Reads and decodes the directory at `offset`.
    fn directory(&mut self, offset: u64, length: u64) -> Result<Vec<Entry>, String> {
        let raw = self.read_at(offset, length)?;
        let bytes = decompress(raw, self.header.internal_compression)?;
        parse_directory(&bytes)
    }

    /// Reads `length` bytes at `offset`.
    fn read_at(&mut self, offset: u64, length: u64) -> Result<Vec<u8>, String> {
        let corrupt = |e: std::io::Error| format!("it cannot be read at byte {offset} ({e})");
        let length = usize::try_from(length).map_err(|_| "a length is too large".to_owned())?;
        let mut bytes = vec![0u8; length];
        self.file.seek(SeekFrom::Start(offset)).map_err(corrupt)?;
        self.file.read_exact(&mut bytes).map_err(corrupt)?;
        Ok(bytes)
    }
}

/// The entry holding tile `id`: the last entry starting at or before it, if its run covers it
/// or it is a leaf directory.
fn find(entries: &[Entry], id: u64) -> Option<Entry> {
    let after = entries.partition_point(|e| e.tile_id <= id);
    let entry = *entries.get(after.checked_sub(1)?)?;
    (entry.run_length == 0 || id - entry.tile_id < entry.run_length).then_some(entry)
}

/// Parses the fixed 127-byte header.
fn parse_header(bytes: &[u8; HEADER_LEN]) -> Result<Header, String> {
    if &bytes[..7] != b"PMTiles" {
        return Err("it is not a PMTiles archive".into());
    }
    if bytes[7] != 3 {
        return Err(format!(
            "it is PMTiles version {}, not 3: convert it with `pmtiles convert`",
            bytes[7]
        ));
    }
    let u64_at = |at: usize| {
        let mut le = [0u8; 8];
        le.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(le)
    };
    Ok(Header {
        root_offset: u64_at(8),
        root_length: u64_at(16),
        metadata_offset: u64_at(24),
        metadata_length: u64_at(32),
        leaf_offset: u64_at(40),
        data_offset: u64_at(56),
        internal_compression: bytes[97],
        tile_compression: bytes[98],
        tile_type: bytes[99],
        min_zoom: bytes[100],
        max_zoom: bytes[101],
    })
}

/// Decodes a directory: entry count, then tile-id deltas, run lengths, lengths and offsets
/// (0 = right after the previous entry, else offset + 1), all varints.
fn parse_directory(bytes: &[u8]) -> Result<Vec<Entry>, String> {
    let corrupt = || "a directory is corrupt".to_owned();
    let mut pos = 0;
    let mut next = || varint(bytes, &mut pos).ok_or_else(corrupt);
    let count = usize::try_from(next()?).map_err(|_| corrupt())?;
    if count > bytes.len() {
        return Err(corrupt());
    }
    let mut entries = vec![Entry::default(); count];
    let mut id = 0u64;
    for entry in &mut entries {
        id = id.checked_add(next()?).ok_or_else(corrupt)?;
        entry.tile_id = id;
    }
    for entry in &mut entries {
        entry.run_length = next()?;
    }
    for entry in &mut entries {
        entry.length = next()?;
    }
    let mut end = None;
    for entry in &mut entries {
        entry.offset = match (next()?, end) {
            (0, Some(end)) => end,
            (0, None) => return Err(corrupt()),
            (offset, _) => offset - 1,
        };
        end = Some(entry.offset.checked_add(entry.length).ok_or_else(corrupt)?);
    }
    Ok(entries)
}

/// Reads a base-128 varint at `pos`.
fn varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*pos)?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Undoes the archive's compression of directories or metadata.
fn decompress(bytes: Vec<u8>, compression: u8) -> Result<Vec<u8>, String> {
    let gzip = compression == COMPRESSION_GZIP
        || (compression == COMPRESSION_UNKNOWN && bytes.starts_with(&[0x1f, 0x8b]));
    if !gzip {
        return Ok(bytes);
    }
    let mut out = Vec::new();
    GzDecoder::new(bytes.as_slice())
        .read_to_end(&mut out)
        .map_err(|e| format!("a directory does not gunzip ({e})"))?;
    Ok(out)
}

/// Name of a PMTiles compression code, for messages.
pub(crate) fn compression_name(code: u8) -> &'static str {
    match code {
        COMPRESSION_NONE => "none",
        COMPRESSION_GZIP => "gzip",
        3 => "brotli",
        4 => "zstd",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_entries_decode() {
        // Two entries: ids 5 and 7 (delta 2), runs 1 and 3, lengths 10 and 20, offsets 0
        // (written 1) and contiguous (written 0).
        let bytes = [2, 5, 2, 1, 3, 10, 20, 1, 0];
        let entries = parse_directory(&bytes).expect("directory");
        assert_eq!(
            entries,
            [
                Entry {
                    tile_id: 5,
                    offset: 0,
                    length: 10,
                    run_length: 1
                },
                Entry {
                    tile_id: 7,
                    offset: 10,
                    length: 20,
                    run_length: 3
                },
            ]
        );
        assert_eq!(find(&entries, 5).map(|e| e.offset), Some(0));
        assert_eq!(find(&entries, 9).map(|e| e.offset), Some(10));
        assert_eq!(find(&entries, 6), None);
        assert_eq!(find(&entries, 10), None);
        assert_eq!(find(&entries, 4), None);
        assert!(parse_directory(&[2, 5]).is_err());
        assert!(
            parse_directory(&[1, 5, 1, 10, 0]).is_err(),
            "first offset contiguous"
        );
    }

    #[test]
    fn headers_other_than_v3_are_refused() {
        let mut bytes = [0u8; HEADER_LEN];
        assert!(
            parse_header(&bytes)
                .expect_err("zeros")
                .contains("not a PMTiles")
        );
        bytes[..7].copy_from_slice(b"PMTiles");
        bytes[7] = 2;
        assert!(parse_header(&bytes).expect_err("v2").contains("version 2"));
    }
}
