//! Getting a programme's data out in the formats its tools read: the feature collections
//! (hazards with their land-release state, released areas, activities, EO finds, accidents,
//! risk-education sessions) as GeoJSON, CSV with HXL hashtags, KML, GeoPackage, zipped Shapefile and XLSX. Exports
//! stream: memory does not grow with the collection, and every writer takes a [`Filter`]. No
//! collection carries victims' personal data, except the dedicated victims export and the
//! programme archive ([`archive`]) under a [`PersonalData`] grant. (Importers of issue 5 come
//! next to these writers.)

pub mod archive;
mod archive_files;
pub mod collections;
mod csv_hxl;
mod error;
mod export;
mod feature_json;
mod filter;
mod gpkg;
mod kml;
pub mod quasi;
mod read;
mod reproject;
mod shp;
mod victims;
mod xlsx;

pub use archive::{ArchivedReport, RestoreSummary, read_archive, restore};
pub use collections::{
    ASSISTANCE, COLLECTIONS, Collection, Feature, Source, VICTIMS, collection, export_collection,
    for_each_feature,
};
pub use error::IoError;
pub use export::{Format, export, export_geopackage, export_shapefile, export_xlsx};
pub use filter::Filter;
pub use read::{
    GeoJsonFile, GeoPackageLayer, ReadOptions, SourceRecord, SourceRecords, open_source,
    read_source,
};
pub use reproject::Reprojection;
pub use victims::PersonalData;
