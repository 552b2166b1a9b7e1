//! The vocabulary of detector output: the image a detector ran on, read options, detections.

use std::fmt;
use std::str::FromStr;

use geo_types::Polygon;
use serde::{Deserialize, Serialize};

use crate::DetectionError;

/// The image a detector ran on: its size and pixel -> WGS84 transform (the server implements this
/// for an orthophoto; GDAL convention: (0,0) = top-left corner of the top-left pixel).
pub trait ImageGeoreference {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    /// WGS84 (lon, lat) of a pixel position, or `None` where it cannot be transformed.
    fn pixel_to_wgs84(&self, px: f64, py: f64) -> Option<(f64, f64)>;
}

/// An image already in WGS84 degrees with a GDAL geotransform
/// `[x0, pixel_w, row_rot, y0, col_rot, pixel_h]` (pixel_h negative for north-up).
///
/// ```
/// use safeground_detection::{ImageGeoreference, Wgs84GeoTransform};
/// let img = Wgs84GeoTransform { width: 100, height: 50, geotransform: [103.0, 1e-5, 0.0, 13.0, 0.0, -1e-5] };
/// assert_eq!(img.pixel_to_wgs84(100.0, 50.0), Some((103.001, 12.9995)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Wgs84GeoTransform {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// GDAL geotransform in degrees.
    pub geotransform: [f64; 6],
}

impl ImageGeoreference for Wgs84GeoTransform {
    fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn pixel_to_wgs84(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let g = &self.geotransform;
        let lon = g[0] + px * g[1] + py * g[2];
        let lat = g[3] + px * g[4] + py * g[5];
        (lon.is_finite() && lat.is_finite()).then_some((lon, lat))
    }
}

/// A detector output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DetectionFormat {
    /// GeoJSON FeatureCollection of Point or Polygon features in WGS84 (RFC 7946).
    GeoJson,
    /// COCO detection results (results array or a dataset whose annotations carry `score`).
    Coco,
    /// YOLO txt: `class cx cy w h conf`, normalised to the image size.
    Yolo,
}

impl DetectionFormat {
    /// The name used on the command line and in JSON: `geojson`, `coco` or `yolo`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GeoJson => "geojson",
            Self::Coco => "coco",
            Self::Yolo => "yolo",
        }
    }
}

impl fmt::Display for DetectionFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DetectionFormat {
    type Err = DetectionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "geojson" | "json" => Ok(Self::GeoJson),
            "coco" => Ok(Self::Coco),
            "yolo" | "txt" => Ok(Self::Yolo),
            other => Err(DetectionError::Format(format!(
                "unknown detection format `{other}`: use geojson, coco or yolo"
            ))),
        }
    }
}

/// How to read a detector's file.
#[derive(Clone, Copy, Default)]
pub struct ReadOptions<'a> {
    /// Model name; overrides the file's own.
    pub model: Option<&'a str>,
    /// Model version; overrides the file's own.
    pub model_version: Option<&'a str>,
    /// Class names by 0-based id (YOLO; COCO results without categories). COCO datasets
    /// carry their own categories.
    pub classes: Option<&'a [String]>,
    /// The image the detector ran on (required for COCO and YOLO, which are in pixels).
    pub image: Option<&'a dyn ImageGeoreference>,
    /// Detections below this confidence are dropped (default 0).
    pub min_confidence: f64,
}

impl fmt::Debug for ReadOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadOptions")
            .field("model", &self.model)
            .field("model_version", &self.model_version)
            .field("classes", &self.classes)
            .field("image_size", &self.image.map(|i| i.size()))
            .field("min_confidence", &self.min_confidence)
            .finish()
    }
}

/// One candidate item found by a detector, in WGS84. Never a find until a person confirms it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// Class name (e.g. `PMN-2`, `UXO`), or the class id as text when no names are known.
    pub class: String,
    /// Detector confidence, 0..1.
    pub confidence: f64,
    /// Location: the point, the polygon's centroid or the box centre (WGS84 degrees).
    pub lon: f64,
    /// Latitude of the location.
    pub lat: f64,
    /// The box or shape in WGS84 (a GeoJSON geometry in JSON).
    #[serde(default, with = "crate::geojson_serde::polygon")]
    pub footprint: Option<Polygon<f64>>,
    /// Box in pixels `[x, y, w, h]` from the top-left corner (COCO and YOLO).
    pub pixel_bbox: Option<[f64; 4]>,
    /// 1-based index in the file (line for YOLO, annotation or feature index for JSON).
    pub record: usize,
}

/// A record that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dropped {
    /// 1-based index in the file (line for YOLO).
    pub record: usize,
    /// Why it was left out.
    pub reason: String,
}

/// What a detector's file held: the detections kept and the records dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detections {
    /// Model name.
    pub model: String,
    /// Model version.
    pub model_version: String,
    /// Format the file was read as.
    pub format: DetectionFormat,
    /// Detections kept, in file order.
    pub items: Vec<Detection>,
    /// Records left out, in file order.
    pub dropped: Vec<Dropped>,
}
