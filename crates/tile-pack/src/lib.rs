//! Offline map packs: one PMTiles v3 archive holding, for an area and a zoom range, the
//! programme's vector layers (as [`safeground_tiles::encode_tile`] writes them) merged with a
//! vector basemap's tile at the same z/x/y.
//!
//! A pack holds the XYZ tiles of every zoom `min..=max` that cover the [`Area`]; empty tiles are
//! left out and identical tiles stored once. Tiles are gzip-compressed Mapbox Vector Tiles; the
//! metadata lists the `vector_layers` present, and the header carries the area's bounds and
//! center. The basemap is an MBTiles or PMTiles file of vector tiles ([`Basemap::open`]); above
//! its highest zoom only the programme layers are written (no overzoom). A pack may hold at most
//! [`MAX_TILES`] tiles.
//!
//! A programme without a vector basemap can make one from its GeoJSON layers (admin
//! boundaries, roads, settlements, …): [`geojson_layer`] reads each layer and
//! [`write_mbtiles`] writes them as a vector MBTiles file that [`Basemap::open`] reads.

mod area;
mod basemap;
mod basemap_writer;
mod error;
mod geojson_layer;
mod mbtiles;
mod mvt;
mod pack;
mod pmtiles_reader;

pub use area::Area;
pub use basemap::Basemap;
pub use basemap_writer::write_mbtiles;
pub use error::PackError;
pub use geojson_layer::geojson_layer;
pub use pack::{PackSummary, pack};

/// The most tiles (over all zooms) a pack may cover.
pub const MAX_TILES: u64 = 200_000;
