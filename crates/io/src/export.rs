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
}

impl Format {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::GeoJson => "geojson",
            Format::Csv => "csv",
            Format::Kml => "kml",
            Format::GeoPackage => "gpkg",
        }
    }

    /// MIME type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::GeoJson => "application/geo+json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Kml => "application/vnd.google-earth.kml+xml",
            Format::GeoPackage => "application/geopackage+sqlite3",
        }
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
            other => {
                return Err(IoError::Usage(format!(
                    "`{other}` is not an export format: geojson, csv, kml or gpkg"
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
        Format::GeoPackage => Err(IoError::Usage(
            "a GeoPackage is a database file: use export_geopackage with a path".into(),
        )),
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
