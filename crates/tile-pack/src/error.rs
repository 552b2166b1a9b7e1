//! Why a pack could not be made.

use std::path::PathBuf;

use thiserror::Error;

/// Why a pack could not be made; every message says what to do.
#[derive(Debug, Error)]
pub enum PackError {
    /// The area text or values are not a WGS 84 box.
    #[error(
        "invalid area `{input}`: {reason}; give minlon,minlat,maxlon,maxlat in WGS 84 degrees, \
         e.g. 104.80,11.50,105.00,11.65"
    )]
    Area {
        /// The area as given.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The zoom range is empty or beyond the highest zoom tiles are made for.
    #[error(
        "zoom range {min}..{max} is invalid: give a minimum zoom not above the maximum and a \
         maximum zoom of at most {limit}"
    )]
    Zooms {
        /// Minimum zoom asked for.
        min: u8,
        /// Maximum zoom asked for.
        max: u8,
        /// Highest zoom supported.
        limit: u8,
    },
    /// The area holds more tiles than a pack may.
    #[error(
        "the area needs {tiles} tiles at zooms {min_zoom}..{max_zoom}, more than the limit of \
         {limit}: {advice}"
    )]
    TooManyTiles {
        /// Tiles the area needs.
        tiles: u64,
        /// The most tiles a pack may hold.
        limit: u64,
        /// Minimum zoom asked for.
        min_zoom: u8,
        /// Maximum zoom asked for.
        max_zoom: u8,
        /// A lower max zoom that fits, or to choose a smaller area.
        advice: String,
    },
    /// The basemap holds raster tiles.
    #[error(
        "basemap {path} holds raster tiles ({format}): give a vector basemap \
         (OpenMapTiles-style MBTiles or PMTiles v3 of Mapbox Vector Tiles)"
    )]
    RasterBasemap {
        /// The basemap file.
        path: PathBuf,
        /// Its tile format (png, jpg, webp, …).
        format: String,
    },
    /// The basemap cannot be opened or read.
    #[error("basemap {path} cannot be read: {reason}")]
    Basemap {
        /// The basemap file.
        path: PathBuf,
        /// What went wrong and what to do.
        reason: String,
    },
    /// A basemap layer's GeoJSON is unusable.
    #[error("layer `{layer}`: {reason}")]
    GeoJson {
        /// The layer's name.
        layer: String,
        /// What is wrong, naming the feature (`features[i]`) where one is.
        reason: String,
    },
    /// An MBTiles file could not be written.
    #[error(
        "the MBTiles file could not be written: {0}; check the output folder and free disk space"
    )]
    MbTiles(#[from] rusqlite::Error),
    /// The finished file could not be put in place.
    #[error("{path} could not be written: {reason}; check that its folder exists and is writable")]
    Save {
        /// The file asked for.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A programme tile could not be encoded.
    #[error("tile could not be encoded: {0}")]
    Tile(#[from] safeground_tiles::TileError),
    /// The pack could not be written.
    #[error("the pack could not be written: {0}; check the output file and free disk space")]
    Write(#[from] pmtiles::PmtError),
    /// The pack's size could not be read back from the output.
    #[error("the pack's size could not be read from the output: {0}; check the output file")]
    Output(#[from] std::io::Error),
}
