//! Errors of this crate.

/// What went wrong reading a track or computing coverage.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    /// The bytes are not a track in any format this crate reads (or not the one asked for).
    #[error("not a track file: {0}")]
    NotATrack(String),
    /// The file is of the right kind but cannot be read as a whole.
    #[error("{format} track unreadable: {reason}")]
    Unreadable {
        /// The format being read.
        format: &'static str,
        /// Why.
        reason: String,
    },
    /// The working width is not a positive finite number of metres.
    #[error("invalid working width {0} m: it must be a positive number of metres")]
    InvalidWidth(f64),
    /// The task polygon is empty, has no area or has coordinates out of range.
    #[error("invalid task polygon: {0}")]
    InvalidTask(String),
    /// The overlay engine failed on this geometry.
    #[error("geometry overlay failed: {0}")]
    Overlay(String),
}
