//! Getting a programme's data out in the formats its tools read: the feature collections
//! (hazards with their land-release state, released areas, activities, EO finds, accidents,
//! risk-education sessions) as GeoJSON, CSV with HXL hashtags, KML, GeoPackage, zipped Shapefile and XLSX. Exports
//! stream: memory does not grow with the collection. No collection carries victims' personal
//! data. (Importers of issue 5 come next to these writers.)

pub mod collections;
mod csv_hxl;
mod error;
mod export;
mod gpkg;
mod kml;
mod read;
mod shp;
mod xlsx;

pub use collections::{COLLECTIONS, Collection, Feature, Source, collection, for_each_feature};
pub use error::IoError;
pub use export::{Format, export, export_geopackage, export_shapefile, export_xlsx};
pub use read::read_features;
