//! Reading the files a mine-action programme brings, as uniform records: GeoJSON, XLSForm
//! submission exports (KoboToolbox / ODK JSON, ODK Central zipped CSV), GeoPackage, Shapefile
//! (`.shp` or zipped), KML/KMZ, CSV and XLSX. Each record is a GeoJSON `Feature` in WGS 84
//! longitude/latitude (reprojected from the file's coordinate system), or why that one record
//! could not be read; problems with the whole file are [`IoError::Usage`].

mod csv;
mod encoding;
mod geojson;
mod geojson_stream;
mod gpkg;
mod kml;
mod shp;
mod wkb;
mod xlsform;
mod xlsx;
mod zipped;

use std::path::Path;

use serde_json::{Map, Value};

use crate::IoError;
pub use geojson_stream::GeoJsonFile;
pub use gpkg::GeoPackageLayer;

/// How to read a source file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// GeoPackage table, XLSX sheet, or KML folder/document layer to read (default: the first / all);
    /// in a zip, the shapefile or ODK Central main CSV (file name without extension).
    pub layer: Option<String>,
    /// Text encoding of CSV (and DBF without .cpg): an encoding_rs label such as "windows-1252";
    /// default UTF-8 (a BOM is honoured, UTF-16 with BOM detected).
    pub encoding: Option<String>,
}

/// One record of a source file.
#[derive(Debug, Clone)]
pub struct SourceRecord {
    /// Where it is, as a user would find it: "row 12" (spreadsheet row number: header is row 1),
    /// "feature 3", "placemark 4 (Name)", "submission 5 (uuid:…)".
    pub label: String,
    /// A GeoJSON Feature object `{"type":"Feature","properties":{...},"geometry":{...}|null}` in
    /// WGS 84 lon/lat, or why this one record could not be read.
    pub feature: Result<Value, String>,
}

/// The records of a source file, by its extension (case-insensitive): `.geojson`, `.json`,
/// `.gpkg`, `.shp`, `.zip` (a shapefile, or an ODK Central CSV export), `.kml`, `.kmz`, `.csv`,
/// `.xlsx`.
pub fn read_source(path: &Path, options: &ReadOptions) -> Result<Vec<SourceRecord>, IoError> {
    let encoding = encoding::from_options(options)?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "geojson" => geojson::read(path, false),
        "json" => geojson::read(path, true),
        "gpkg" => gpkg::read(path, options),
        "shp" => shp::read_path(path, encoding),
        "zip" => {
            let mut archive = zipped::Archive::open(path)?;
            if archive.names().iter().any(|n| has_ext(n, "shp")) {
                shp::read_zip(&mut archive, options, encoding)
            } else if archive.names().iter().any(|n| has_ext(n, "csv")) {
                xlsform::read_odk_zip(&mut archive, options, encoding)
            } else {
                Err(usage(format!(
                    "{} holds neither a shapefile (.shp) nor CSV files (an ODK Central export)",
                    path.display()
                )))
            }
        }
        "kml" => kml::read_kml(path, options, encoding),
        "kmz" => kml::read_kmz(path, options, encoding),
        "csv" => csv::read(path, encoding),
        "xlsx" => xlsx::read(path, options),
        _ => Err(usage(format!(
            "{}: unknown format; Safeground reads .geojson, .json (GeoJSON or KoboToolbox/ODK \
             submissions), .gpkg, .shp, .zip (zipped Shapefile or ODK Central export), .kml, \
             .kmz, .csv and .xlsx",
            path.display()
        ))),
    }
}

/// The records of a source file, read one at a time where the format allows it: a GeoPackage
/// layer and a GeoJSON FeatureCollection stream from the file (memory does not grow with it);
/// other formats are read whole first.
#[derive(Debug, Clone)]
pub enum SourceRecords {
    /// Records read already.
    Read(Vec<SourceRecord>),
    /// A GeoPackage layer, read as it is walked.
    GeoPackage(GeoPackageLayer),
    /// A GeoJSON FeatureCollection (`.geojson` or `.json`), read as it is walked.
    GeoJson(GeoJsonFile),
}

/// Opens a source file as [`read_source`] reads it, streaming where the format allows it: a
/// GeoPackage layer, and a `.geojson` or `.json` FeatureCollection (other JSON, such as a
/// single Feature or an XLSForm submission export, is read whole).
pub fn open_source(path: &Path, options: &ReadOptions) -> Result<SourceRecords, IoError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "gpkg" => {
            encoding::from_options(options)?;
            return Ok(SourceRecords::GeoPackage(GeoPackageLayer::open(
                path, options,
            )?));
        }
        "geojson" | "json" => {
            encoding::from_options(options)?;
            if let Some(file) = GeoJsonFile::open(path)? {
                return Ok(SourceRecords::GeoJson(file));
            }
        }
        _ => {}
    }
    read_source(path, options).map(SourceRecords::Read)
}

impl From<Vec<SourceRecord>> for SourceRecords {
    fn from(records: Vec<SourceRecord>) -> Self {
        SourceRecords::Read(records)
    }
}

impl SourceRecords {
    /// Number of records.
    pub fn len(&self) -> usize {
        match self {
            SourceRecords::Read(r) => r.len(),
            SourceRecords::GeoPackage(l) => l.len(),
            SourceRecords::GeoJson(f) => f.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hands `each` every record from index `start` on, with its index, until it returns
    /// false. A file that cannot be read further is an error; a record that cannot be read is
    /// a record whose `feature` says why.
    pub fn each(
        &self,
        start: usize,
        each: &mut dyn FnMut(usize, &SourceRecord) -> bool,
    ) -> Result<(), IoError> {
        match self {
            SourceRecords::Read(records) => {
                for (i, r) in records.iter().enumerate().skip(start) {
                    if !each(i, r) {
                        break;
                    }
                }
                Ok(())
            }
            SourceRecords::GeoPackage(layer) => layer.each(start, &mut |i, r| each(i, &r)),
            SourceRecords::GeoJson(file) => file.each(start, &mut |i, r| each(i, &r)),
        }
    }
}

fn usage(msg: impl Into<String>) -> IoError {
    IoError::Usage(msg.into())
}

fn reproject_hint(path: &Path) -> String {
    format!(
        "reproject it to WGS 84 first: ogr2ogr -t_srs EPSG:4326 out.gpkg {}",
        path.display()
    )
}

/// Whether a file name ends with `.ext` (case-insensitive).
fn has_ext(name: &str, ext: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// The bytes of a file; a missing or unreadable file is a usage error naming it.
fn read_bytes(path: &Path) -> Result<Vec<u8>, IoError> {
    std::fs::read(path).map_err(|e| usage(format!("cannot read {}: {e}", path.display())))
}

/// A GeoJSON Feature.
fn feature(properties: Map<String, Value>, geometry: Value) -> Value {
    object([
        ("type", Value::from("Feature")),
        ("properties", Value::Object(properties)),
        ("geometry", geometry),
    ])
}

/// A JSON object of `entries`, moved in: `json!` would copy every value it is given (it
/// serialises them), which for a geometry means every position.
pub(crate) fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// Column names of a header row: blank names become `column N`; a name used twice is refused,
/// since its columns could not be told apart.
fn column_names(cells: Vec<String>, what: &str) -> Result<Vec<String>, IoError> {
    if cells.iter().all(|c| c.trim().is_empty()) {
        return Err(usage(format!(
            "{what} has no header row: its first row must name the columns"
        )));
    }
    let mut names: Vec<String> = Vec::with_capacity(cells.len());
    for (i, cell) in cells.into_iter().enumerate() {
        let name = if cell.trim().is_empty() {
            format!("column {}", i + 1)
        } else {
            cell
        };
        if names.contains(&name) {
            return Err(usage(format!(
                "{what} names column `{name}` twice; rename one so they can be told apart"
            )));
        }
        names.push(name);
    }
    Ok(names)
}
