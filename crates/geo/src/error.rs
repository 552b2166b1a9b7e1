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
    /// Repair would change the area as drawn by more than allowed.
    #[error(
        "repair would change the area from {} to {} ({}), more than the {max_percent} % allowed; check for parts drawn twice or holes outside their polygon, or allow a larger change",
        crate::repair::fmt_m2(*before_m2),
        crate::repair::fmt_m2(*after_m2),
        crate::repair::fmt_change(*before_m2, *after_m2)
    )]
    AreaChange {
        /// Area as drawn, m².
        before_m2: f64,
        /// Area of the repaired shape, m².
        after_m2: f64,
        /// The largest change allowed, percent.
        max_percent: f64,
    },
}
