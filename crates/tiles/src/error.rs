//! Errors of tile encoding.

use thiserror::Error;

/// Why a tile could not be encoded.
#[derive(Debug, Error)]
pub enum TileError {
    /// The zoom level is above [`crate::MAX_ZOOM`].
    #[error("zoom level {z} is out of range: the highest supported zoom is {max}")]
    ZoomOutOfRange {
        /// Requested zoom.
        z: u8,
        /// Highest supported zoom.
        max: u8,
    },
    /// x or y is not below 2^z.
    #[error("tile {z}/{x}/{y} does not exist: x and y must be below {limit} at zoom {z}")]
    TileOutOfRange {
        /// Requested zoom.
        z: u8,
        /// Requested column.
        x: u32,
        /// Requested row (XYZ scheme, 0 at the north).
        y: u32,
        /// 2^z, the number of tiles per axis at zoom z.
        limit: u32,
    },
}
