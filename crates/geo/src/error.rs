//! Errors of the geometry crate.

/// What can go wrong in a geometry operation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GeoError {
    /// Input coordinates are unusable.
    #[error("invalid input: {0}")]
    Input(String),
    /// A coordinate lies outside what the operation supports.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The overlay engine failed on this input.
    #[error("overlay failed: {0}; check and repair the polygons first")]
    Overlay(String),
    /// Repair left nothing polygonal.
    #[error("repair failed: {0}")]
    Repair(String),
}
