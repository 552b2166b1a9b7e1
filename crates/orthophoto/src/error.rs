//! Errors of the orthophoto crate; each message says what to do next.

/// Why an orthophoto could not be opened, rendered or written.
#[derive(Debug, thiserror::Error)]
pub enum OrthophotoError {
    /// Reading or writing the file failed.
    #[error("orthophoto file: {0}")]
    Io(#[from] std::io::Error),
    /// The file is not a (readable) TIFF.
    #[error(
        "not a TIFF/GeoTIFF file ({0}); export the orthophoto as GeoTIFF, e.g. gdal_translate -of GTiff in.ext out.tif"
    )]
    NotTiff(String),
    /// The TIFF carries no georeference (or no coordinate reference system).
    #[error(
        "a GeoTIFF without georeference: georeference it, e.g. gdal_translate -a_srs EPSG:32648 -a_ullr ulx uly lrx lry in.tif out.tif, or gdalwarp"
    )]
    NoGeoreference,
    /// The coordinate reference system is user-defined or unknown here.
    #[error(
        "coordinate reference system EPSG:{0} is not supported (user-defined or unknown); reproject it, e.g. gdalwarp -t_srs EPSG:3857 in.tif out.tif"
    )]
    UnsupportedCrs(u32),
    /// A sample layout this reader does not handle; the message names the conversion to run.
    #[error("unsupported orthophoto: {0}")]
    Unsupported(String),
    /// The zoom is below the coarsest zoom this file can be rendered at without reading too much.
    #[error(
        "zoom {zoom} is too coarse for this orthophoto (lowest zoom {minzoom}); add overviews, e.g. gdaladdo -r average in.tif, or gdal_translate -of COG in.tif out.tif"
    )]
    TooCoarse {
        /// The requested zoom.
        zoom: u8,
        /// The lowest zoom that renders.
        minzoom: u8,
    },
    /// The requested chip or pixel lies outside the image.
    #[error("the requested area lies outside the orthophoto")]
    OutOfImage,
    /// A chunk of the file could not be decoded (damaged file or unsupported compression).
    #[error(
        "cannot decode the orthophoto ({0}); check it with gdalinfo, or re-encode it, e.g. gdal_translate -co COMPRESS=DEFLATE in.tif out.tif"
    )]
    Decode(String),
    /// Invalid arguments (buffer size, dimensions, tile address).
    #[error("invalid input: {0}")]
    Invalid(String),
    /// PNG or TIFF encoding failed.
    #[error("encoding failed: {0}")]
    Encode(String),
}
