//! AI detector output for Safeground. Detectors run elsewhere (e.g. YOLO on drone RGB or
//! thermal orthophotos) and write candidate explosive items; this crate reads that output
//! (GeoJSON in WGS84, COCO JSON and YOLO txt in pixels, georeferenced through an
//! [`ImageGeoreference`]), names the records it leaves out and why, and, once people have given
//! [`Verdict`]s, measures each model version: precision, recall against the programme's
//! verified finds, and calibration of its confidences ([`metrics`]).
//!
//! A detection is never a find until a person confirms it.

mod coco;
mod error;
mod geojson;
mod geojson_serde;
mod metrics;
mod read;
mod types;
mod verdict;
mod yolo;

pub use error::DetectionError;
pub use metrics::{CalibrationBin, ModelMetrics, Scored, Surveyed, metrics};
pub use read::read_detections;
pub use types::{
    Detection, DetectionFormat, Detections, Dropped, ImageGeoreference, ReadOptions,
    Wgs84GeoTransform,
};
pub use verdict::Verdict;
