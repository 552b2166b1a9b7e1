//! Mapbox Vector Tiles 2.1 from WGS 84 features, in process ("embedded mode").
//!
//! The pipeline follows martin's GeoJSON source:
//!
//! 1. [`LayerIndex::new`] validates the features (non-finite or out-of-range coordinates are
//!    dropped, latitudes beyond ±85.0511° are clamped), projects them once to Web Mercator
//!    (EPSG:3857), builds an R-tree over their bounding boxes, interns the properties in
//!    layer-wide key and value tables and prepares the generalisation of every zoom
//!    (Douglas–Peucker with a tolerance of one tile pixel, kept as one importance per vertex;
//!    rings smaller than one square pixel and lines shorter than one pixel are left out).
//!    Below [`DETAIL_ZOOM`], polygons smaller than one screen pixel (1/256 of a tile) are
//!    summed per tile and written as one-pixel squares, one per pixel of area, rounded, at
//!    least one in a tile that holds any (tippecanoe's
//!    tiny-polygon reduction; see `tiny.rs`), and a single point is written only when no
//!    earlier point took its screen pixel.
//! 2. [`encode_tile`] selects the candidates of tile z/x/y (XYZ scheme, y down) with a buffer of
//!    [`BUFFER`]/[`EXTENT`] of the tile, clips polygons and lines to the buffered tile (lines
//!    exactly; polygons exactly, then through `geo`'s boolean intersection), maps them
//!    to the integer tile grid (extent [`EXTENT`]), drops repeated points, spikes and rings that
//!    collapse, rebuilds polygons whose rings snapping made touch or cross (boolean union),
//!    orients rings as MVT 2.1 requires (exterior rings positive area in y-down tile coordinates,
//!    holes negative) and writes the protobuf bytes directly, reusing buffers and the layer's
//!    pre-encoded property values (`geozero`'s prost types encode those values, and the tests
//!    decode every tile with them).
//!
//! ```
//! use safeground_tiles::{LayerIndex, PropertyValue, TileFeature, encode_tile};
//!
//! let point = TileFeature {
//!     id: 7,
//!     geometry: geo_types::Point::new(104.9, 11.55).into(),
//!     properties: vec![("status", PropertyValue::String("suspected".into()))],
//! };
//! let layer = LayerIndex::new("hazards", vec![point]);
//! let tile = encode_tile(&[&layer], 0, 0, 0).expect("z0 tile");
//! assert!(!tile.is_empty());
//! ```

mod clip;
mod commands;
mod encode;
mod error;
mod generalise;
mod index;
mod mercator;
mod pbf;
mod rect_clip;
mod shape;
mod tags;
mod tiny;
mod valid;

pub use encode::encode_tile;
pub use error::TileError;
pub use index::LayerIndex;
pub use tiny::DETAIL_ZOOM;

/// Tile extent: the size of a tile in integer tile coordinates.
pub const EXTENT: u32 = 4096;
/// Buffer around each tile, in tile coordinates: geometry is kept up to this far outside.
pub const BUFFER: u32 = 64;
/// Highest zoom level that [`encode_tile`] accepts.
pub const MAX_ZOOM: u8 = 22;

/// A value of a feature property.
#[derive(Debug, Clone, PartialEq)]
pub enum PropertyValue {
    /// A UTF-8 string.
    String(String),
    /// A 64-bit float.
    Double(f64),
    /// A signed integer (encoded as an MVT `sint_value`).
    Int(i64),
    /// A boolean.
    Bool(bool),
}

/// One feature in WGS 84 lon/lat degrees (x = longitude, y = latitude).
#[derive(Debug, Clone)]
pub struct TileFeature {
    /// Feature id, written as the MVT feature id.
    pub id: u64,
    /// The geometry. Points, lines and polygons of any kind; a geometry collection keeps only
    /// its members of the highest dimension (MVT features have a single geometry type).
    pub geometry: geo_types::Geometry<f64>,
    /// Properties, written through the layer's key and value tables.
    pub properties: Vec<(&'static str, PropertyValue)>,
}
