//! Errors of the detection crate: problems with a whole file (a bad record is dropped instead).

/// Why a detector's file could not be read at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DetectionError {
    /// The file is empty, not JSON when JSON was expected, or of no format we can tell.
    #[error("{0}")]
    Format(String),
    /// Neither the options nor the file name the model and its version.
    #[error("name the model: --model NAME --model-version V")]
    NoModel,
    /// COCO or YOLO output without the image it was computed on.
    #[error("COCO/YOLO are in pixels: name the orthophoto they were run on")]
    NoImage,
    /// Confidences written as percentages.
    #[error(
        "record {record}: confidence {value} looks like a percentage; detectors must write 0..1 (divide by 100)"
    )]
    Percent {
        /// 1-based record of the first confidence above 1.
        record: usize,
        /// That confidence.
        value: f64,
    },
    /// A detection without a confidence: that is ground truth or a label file, not detector output.
    #[error(
        "record {record}: no confidence; a detector's output must give one for every detection ({hint})"
    )]
    NoConfidence {
        /// 1-based record (line for YOLO).
        record: usize,
        /// What the reader expected to find.
        hint: &'static str,
    },
    /// Which image of a COCO dataset is the orthophoto cannot be told.
    #[error("{0}")]
    Image(String),
}
