//! Export of feature collections: formats, and the streaming loop shared by the writers.

use std::io::Write;
use std::path::Path;

use safeground_store::{Flow, ProgrammeStore, SqliteStore};
use serde_json::Value;

use crate::collections::{Collection, Feature, for_each_feature};
use crate::{IoError, csv_hxl, gpkg, kml};

/// A file format of the exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GeoJSON FeatureCollection (RFC 7946).
    GeoJson,
    /// CSV with a row of HXL hashtags under the header; geometry as WKT.
    Csv,
    /// KML 2.2.
    Kml,
    /// OGC GeoPackage 1.3 (one table per collection).
    GeoPackage,
    /// ESRI Shapefile, zipped with its `.prj` and `.cpg`.
    Shapefile,
    /// Excel workbook (one sheet per collection).
    Xlsx,
}

impl Format {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::GeoJson => "geojson",
            Format::Csv => "csv",
            Format::Kml => "kml",
            Format::GeoPackage => "gpkg",
            Format::Shapefile => "shp.zip",
            Format::Xlsx => "xlsx",
        }
    }

    /// MIME type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::GeoJson => "application/geo+json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Kml => "application/vnd.google-earth.kml+xml",
            Format::GeoPackage => "application/geopackage+sqlite3",
            Format::Shapefile => "application/zip",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// Whether the format is a file that needs a path (written whole, then renamed).
    pub fn needs_path(self) -> bool {
        matches!(self, Format::GeoPackage | Format::Shapefile | Format::Xlsx)
    }
}

impl std::str::FromStr for Format {
    type Err = IoError;

    fn from_str(s: &str) -> Result<Self, IoError> {
        Ok(match s.trim().to_lowercase().as_str() {
            "geojson" | "json" => Format::GeoJson,
            "csv" | "hxl" => Format::Csv,
            "kml" => Format::Kml,
            "gpkg" | "geopackage" => Format::GeoPackage,
            "shp" | "shapefile" | "shp.zip" => Format::Shapefile,
            "xlsx" | "excel" => Format::Xlsx,
            other => {
                return Err(IoError::Usage(format!(
                    "`{other}` is not an export format: geojson, csv, kml, gpkg, shp or xlsx"
                )));
            }
        })
    }
}

/// The properties every feature of a collection has, in a stable order (one pass over it).
pub(crate) fn columns<S: ProgrammeStore + ?Sized>(
    store: &S,
    c: &Collection,
) -> Result<Vec<(String, ColumnType)>, IoError> {
    let mut cols: Vec<(String, ColumnType)> = Vec::new();
    for_each_feature(store, c.source, None, &mut |f: Feature| {
        for (k, v) in &f.properties {
            let t = ColumnType::of(v);
            match cols.iter_mut().find(|(name, _)| name == k) {
                Some((_, existing)) => *existing = existing.merge(t),
                None => cols.push((k.clone(), t)),
            }
        }
        Ok::<_, IoError>(Flow::Continue)
    })?;
    Ok(cols)
}

/// The type of a column, widened over all its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnType {
    /// Only nulls so far.
    Null,
    /// true/false.
    Boolean,
    /// Whole numbers.
    Integer,
    /// Numbers.
    Real,
    /// Anything else.
    Text,
}

impl ColumnType {
    fn of(v: &Value) -> Self {
        match v {
            Value::Null => ColumnType::Null,
            Value::Bool(_) => ColumnType::Boolean,
            Value::Number(n) if n.is_i64() || n.is_u64() => ColumnType::Integer,
            Value::Number(_) => ColumnType::Real,
            _ => ColumnType::Text,
        }
    }

    fn merge(self, other: Self) -> Self {
        use ColumnType::*;
        match (self, other) {
            (a, b) if a == b => a,
            (Null, b) => b,
            (a, Null) => a,
            (Integer, Real) | (Real, Integer) => Real,
            _ => Text,
        }
    }
}

/// A property as text (strings unquoted, nulls empty).
pub(crate) fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Writes collection `c` in `format` (not GeoPackage: see [`export_geopackage`]) and returns the
/// number of features written.
pub fn export(
    store: &SqliteStore,
    c: &Collection,
    format: Format,
    out: &mut dyn Write,
) -> Result<u64, IoError> {
    match format {
        Format::GeoJson => geojson(store, c, out),
        Format::Csv => csv_hxl::write(store, c, out),
        Format::Kml => kml::write(store, c, out),
        Format::GeoPackage | Format::Shapefile | Format::Xlsx => Err(IoError::Usage(format!(
            "{} is written to a file: use export_geopackage, export_shapefile or export_xlsx",
            format.extension()
        ))),
    }
}

fn geojson(store: &SqliteStore, c: &Collection, out: &mut dyn Write) -> Result<u64, IoError> {
    let mut n = 0u64;
    out.write_all(br#"{"type":"FeatureCollection","features":["#)?;
    for_each_feature(store, c.source, None, &mut |f: Feature| {
        if n > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, &f.to_json()).map_err(std::io::Error::other)?;
        n += 1;
        Ok::<_, IoError>(Flow::Continue)
    })?;
    out.write_all(b"]}\n")?;
    Ok(n)
}

/// Writes the collections into a new GeoPackage at `path` (one table each, named like the
/// collection with `_` for `-`); returns the features written per collection.
pub fn export_geopackage(
    store: &SqliteStore,
    collections: &[&Collection],
    path: &Path,
) -> Result<Vec<(&'static str, u64)>, IoError> {
    gpkg::write(store, collections, path)
}

/// Writes collection `c` as a zipped shapefile at `path` (features without geometry are left
/// out); returns the number written.
pub fn export_shapefile(store: &SqliteStore, c: &Collection, path: &Path) -> Result<u64, IoError> {
    crate::shp::write(store, c, path)
}

/// Writes the collections into a new workbook at `path`, one sheet each.
pub fn export_xlsx(
    store: &SqliteStore,
    collections: &[&Collection],
    path: &Path,
) -> Result<Vec<(&'static str, u64)>, IoError> {
    crate::xlsx::write(store, collections, path)
}
