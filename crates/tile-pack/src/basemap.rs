//! A programme's vector basemap, read from an MBTiles or PMTiles v3 file.

use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use flate2::read::GzDecoder;

use crate::PackError;
use crate::mbtiles::MbTiles;
use crate::pmtiles_reader::{PmTilesReader, compression_name};

/// PMTiles tile type of Mapbox Vector Tiles.
const PMTILES_MVT: u8 = 1;

/// A vector basemap (Mapbox Vector Tiles) whose tiles are merged into a pack.
///
/// Open it once and share it: reads are serialised inside, so it is `Send` and `Sync`.
#[derive(Debug)]
pub struct Basemap {
    path: PathBuf,
    source: Mutex<Source>,
    min_zoom: u8,
    max_zoom: u8,
    attribution: Option<String>,
}

/// Where the tiles are.
#[derive(Debug)]
enum Source {
    MbTiles(MbTiles),
    PmTiles(PmTilesReader),
}

impl Basemap {
    /// Opens a vector basemap: an MBTiles file (SQLite with a `tiles` table or view, TMS rows,
    /// tiles gzipped or plain protobuf) or a PMTiles v3 archive (tiles gzipped or plain),
    /// recognised by its first bytes.
    ///
    /// # Errors
    /// [`PackError::RasterBasemap`] for raster tiles (png, jpg, webp, avif);
    /// [`PackError::Basemap`] when the file cannot be read or is neither format.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, PackError> {
        let path = path.as_ref().to_path_buf();
        let fail = |reason: String| PackError::Basemap {
            path: path.clone(),
            reason,
        };
        let mut file = File::open(&path).map_err(|e| fail(format!("it cannot be opened ({e})")))?;
        let mut magic = [0u8; 16];
        let read = file
            .read(&mut magic)
            .map_err(|e| fail(format!("it cannot be read ({e})")))?;
        let magic = magic.get(..read).unwrap_or_default();
        if magic.starts_with(b"PMTiles") {
            file.rewind()
                .map_err(|e| fail(format!("it cannot be read ({e})")))?;
            Self::open_pmtiles(path.clone(), file).map_err(|e| match e {
                Opened::Refused(e) => e,
                Opened::Failed(reason) => fail(reason),
            })
        } else if magic.starts_with(b"SQLite format 3\0") {
            Self::open_mbtiles(path.clone()).map_err(|e| match e {
                Opened::Refused(e) => e,
                Opened::Failed(reason) => fail(reason),
            })
        } else {
            Err(fail(
                "it is neither an MBTiles (SQLite) nor a PMTiles file: give a vector basemap \
                 (OpenMapTiles-style MBTiles or PMTiles v3)"
                    .into(),
            ))
        }
    }

    fn open_mbtiles(path: PathBuf) -> Result<Self, Opened> {
        let mbtiles = MbTiles::open(&path).map_err(Opened::Failed)?;
        let format = match mbtiles.metadata("format") {
            Some(format) => format.trim().to_ascii_lowercase(),
            None => match mbtiles.any_tile().map_err(Opened::Failed)? {
                Some(tile) => sniff(&tile).to_owned(),
                None => return Err(Opened::Failed("it holds no tiles".into())),
            },
        };
        if format != "pbf" && format != "mvt" {
            return Err(Opened::Refused(PackError::RasterBasemap { path, format }));
        }
        let (min_zoom, max_zoom) = mbtiles.zooms().map_err(Opened::Failed)?;
        Ok(Self {
            attribution: mbtiles.metadata("attribution"),
            path,
            source: Mutex::new(Source::MbTiles(mbtiles)),
            min_zoom,
            max_zoom,
        })
    }

    fn open_pmtiles(path: PathBuf, file: File) -> Result<Self, Opened> {
        let mut reader = PmTilesReader::open(file).map_err(Opened::Failed)?;
        let header = reader.header;
        match header.tile_type {
            PMTILES_MVT => {}
            2..=5 => {
                let format = ["png", "jpg", "webp", "avif"]
                    .get(usize::from(header.tile_type - 2))
                    .copied()
                    .unwrap_or("raster");
                return Err(Opened::Refused(PackError::RasterBasemap {
                    path,
                    format: format.into(),
                }));
            }
            other => {
                return Err(Opened::Failed(format!(
                    "its tile type {other} is not Mapbox Vector Tiles: give a vector basemap \
                     (OpenMapTiles-style MBTiles or PMTiles v3)"
                )));
            }
        }
        if header.tile_compression > 2 {
            return Err(Opened::Failed(format!(
                "its tiles are compressed with {}, of which only gzip and none are read: write \
                 it again with gzip tile compression",
                compression_name(header.tile_compression)
            )));
        }
        let metadata = reader.metadata().map_err(Opened::Failed)?;
        let attribution = serde_json::from_str::<serde_json::Value>(&metadata)
            .ok()
            .and_then(|m| m.get("attribution")?.as_str().map(str::to_owned));
        Ok(Self {
            path,
            source: Mutex::new(Source::PmTiles(reader)),
            min_zoom: header.min_zoom,
            max_zoom: header.max_zoom,
            attribution,
        })
    }

    /// Lowest zoom with tiles.
    pub fn min_zoom(&self) -> u8 {
        self.min_zoom
    }

    /// Highest zoom with tiles (a pack does not overzoom the basemap beyond it).
    pub fn max_zoom(&self) -> u8 {
        self.max_zoom
    }

    /// The basemap's attribution (its metadata's `attribution`), carried into the pack.
    pub fn attribution(&self) -> Option<&str> {
        self.attribution.as_deref()
    }

    /// The decompressed protobuf bytes of XYZ tile `z/x/y`, `None` outside the basemap's zooms
    /// or where it has no tile.
    ///
    /// # Errors
    /// [`PackError::Basemap`] when the tile cannot be read or does not gunzip.
    pub fn tile(&self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, PackError> {
        if z < self.min_zoom || z > self.max_zoom {
            return Ok(None);
        }
        let fail = |reason: String| PackError::Basemap {
            path: self.path.clone(),
            reason,
        };
        let mut source = self.source.lock().unwrap_or_else(PoisonError::into_inner);
        let stored = match &mut *source {
            Source::MbTiles(mbtiles) => mbtiles.tile(z, x, y),
            Source::PmTiles(reader) => reader.tile(z, x, y),
        }
        .map_err(fail)?;
        drop(source);
        let Some(stored) = stored else {
            return Ok(None);
        };
        if !stored.starts_with(&[0x1f, 0x8b]) {
            return Ok(Some(stored));
        }
        let mut tile = Vec::new();
        GzDecoder::new(stored.as_slice())
            .read_to_end(&mut tile)
            .map_err(|e| fail(format!("tile {z}/{x}/{y} does not gunzip ({e})")))?;
        Ok(Some(tile))
    }

    /// The file the basemap was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Why opening one format failed: refused outright, or a reason to wrap with the path.
enum Opened {
    Refused(PackError),
    Failed(String),
}

/// The format of a tile from its first bytes: `png`, `jpg`, `webp`, else `pbf`.
fn sniff(tile: &[u8]) -> &'static str {
    if tile.starts_with(b"\x89PNG") {
        "png"
    } else if tile.starts_with(&[0xff, 0xd8, 0xff]) {
        "jpg"
    } else if tile.starts_with(b"RIFF") && tile.get(8..12) == Some(b"WEBP") {
        "webp"
    } else {
        "pbf"
    }
}
