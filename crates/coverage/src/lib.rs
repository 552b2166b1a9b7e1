//! Machine GNSS tracks to processed-area evidence for a clearance task.
//!
//! Demining machines and robots log GNSS tracks. This crate reads them (GPX 1.1, NMEA 0183,
//! CSV), drops bad fixes with a count per reason, and turns the engaged segments into the
//! area the tool went over: each segment buffered by half the working width with flat ends,
//! unioned and clipped to the task polygon. It reports the processed area (geodesic m²),
//! coverage %, and the gaps and overlaps as polygons. Per IMAS 09.50 this is *processed*
//! ground, never *cleared* ground: that judgement stays with the operator's QA.
//!
//! All coordinates at the crate's boundary are WGS 84 lon/lat degrees.

mod clean;
mod error;
mod lines;
mod read;
mod segments;
mod swath;
mod tm;

pub use clean::{CleanOptions, Cleaned, DropCounts, clean};
pub use error::CoverageError;
pub use lines::engaged_lines;
pub use read::{RawTrack, TrackFormat, read_track};
pub use swath::{Coverage, coverage, coverage_of_area};

/// One GNSS fix of a machine track.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    /// Seconds since the Unix epoch, UTC.
    pub time: f64,
    /// Longitude, WGS 84 degrees.
    pub lon: f64,
    /// Latitude, WGS 84 degrees.
    pub lat: f64,
    /// Heading or course over ground, degrees clockwise from north, when logged.
    pub heading: Option<f64>,
    /// Whether the tool was engaged (working); `None` when the log does not say.
    pub engaged: Option<bool>,
    /// Horizontal accuracy in metres, when logged.
    pub accuracy_m: Option<f64>,
    /// 1-based line (CSV, NMEA) or point (GPX) number in the file, for messages.
    pub record: usize,
}
