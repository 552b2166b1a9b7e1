//! Export of feature collections: formats, the filtered streaming loop shared by the writers,
//! and the public entry points.

use std::io::Write;
use std::path::Path;

use safeground_store::{Backend, Flow, ProgrammeStore};
use serde_json::Value;

use crate::collections::{COLLECTIONS, Collection, Feature, VICTIMS};
use crate::{Filter, IoError, PersonalData, csv_hxl, gpkg, kml, quasi};

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

/// The features of one export: a collection's, filtered, with victims' personal data when a
/// grant is given and the collection is [`VICTIMS`].
pub(crate) struct Selection<'a> {
    /// Where the features come from.
    pub store: &'a dyn ProgrammeStore,
    /// The collection.
    pub collection: &'a Collection,
    /// Which features are kept.
    pub filter: &'a Filter,
    /// Personal data added to victims.
    pub personal: Option<&'a PersonalData>,
}

impl Selection<'_> {
    /// Streams the kept features in id order.
    pub(crate) fn for_each(
        &self,
        f: &mut dyn FnMut(Feature) -> Result<Flow, IoError>,
    ) -> Result<(), IoError> {
        let personal = self.personal.filter(|_| self.collection.id == VICTIMS.id);
        let source = self.collection.source;
        let generalise = self.filter.generalised && quasi::has_quasi(source);
        let groups = match generalise && self.collection.id == VICTIMS.id {
            true => Some(quasi::victim_groups(self.store)?),
            false => None,
        };
        quasi::for_each_feature_seen(self.store, source, None, generalise, &mut |mut feature| {
            if let Some(groups) = &groups {
                quasi::suppress_victim(groups, &mut feature.properties);
            }
            if !self.filter.matches(&feature) {
                return Ok(Flow::Continue);
            }
            if let Some(p) = personal {
                p.add_to(&feature.id, &mut feature.properties);
            }
            f(feature)
        })
    }

    /// The properties every kept feature has, in a stable order (one pass over them).
    pub(crate) fn columns(&self) -> Result<Vec<(String, ColumnType)>, IoError> {
        let mut cols: Vec<(String, ColumnType)> = Vec::new();
        self.for_each(&mut |f: Feature| {
            for (k, v) in &f.properties {
                let t = ColumnType::of(v);
                match cols.iter_mut().find(|(name, _)| name == k) {
                    Some((_, existing)) => *existing = existing.merge(t),
                    None => cols.push((k.clone(), t)),
                }
            }
            Ok(Flow::Continue)
        })?;
        Ok(cols)
    }
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

/// Personal data go only into the victims export (or the programme archive).
fn check_personal(c: &Collection, personal: Option<&PersonalData>) -> Result<(), IoError> {
    if personal.is_some() && c.id != VICTIMS.id {
        return Err(IoError::Usage(format!(
            "personal data are exported only with the victims, not with {}",
            c.id
        )));
    }
    Ok(())
}

/// Writes the features of collection `c` that pass `filter` in `format` (GeoJSON, CSV or KML;
/// the file formats have their own functions) and returns the number written. Victims carry
/// their personal data when `personal` is given (never in CSV or KML).
pub fn export(
    store: &dyn ProgrammeStore,
    c: &Collection,
    format: Format,
    filter: &Filter,
    personal: Option<&PersonalData>,
    out: &mut dyn Write,
) -> Result<u64, IoError> {
    check_personal(c, personal)?;
    if personal.is_some() {
        PersonalData::check_format(format)?;
    }
    let sel = Selection {
        store,
        collection: c,
        filter,
        personal,
    };
    match format {
        Format::GeoJson => geojson(&sel, out),
        Format::Csv => csv_hxl::write(&sel, out),
        Format::Kml => kml::write(&sel, out),
        Format::GeoPackage | Format::Shapefile | Format::Xlsx => Err(IoError::Usage(format!(
            "{} is written to a file: use export_geopackage, export_shapefile or export_xlsx",
            format.extension()
        ))),
    }
}

fn geojson(sel: &Selection<'_>, out: &mut dyn Write) -> Result<u64, IoError> {
    let mut n = 0u64;
    out.write_all(br#"{"type":"FeatureCollection","features":["#)?;
    sel.for_each(&mut |f: Feature| {
        if n > 0 {
            out.write_all(b",")?;
        }
        f.write_geojson(&mut *out)?;
        n += 1;
        Ok(Flow::Continue)
    })?;
    out.write_all(b"]}\n")?;
    Ok(n)
}

/// Writes the features of the collections that pass `filter` into a new GeoPackage at `path`
/// (one table each, named like the collection with `_` for `-`); returns the features written
/// per collection. Every OGC collection without a filter makes a programme archive: the table
/// `safeground_reports` then holds every approved report and `safeground_attachments` their
/// files (see [`crate::archive`]), with victims' personal data only when `personal` is given.
pub fn export_geopackage(
    store: &dyn Backend,
    collections: &[&Collection],
    filter: &Filter,
    personal: Option<&PersonalData>,
    path: &Path,
) -> Result<Vec<(&'static str, u64)>, IoError> {
    let archive = filter.is_empty()
        && COLLECTIONS
            .iter()
            .all(|c| collections.iter().any(|x| x.id == c.id));
    if personal.is_some() && !archive && collections.iter().all(|c| c.id != VICTIMS.id) {
        return Err(IoError::Usage(
            "personal data are exported only with the victims or in the full programme archive"
                .into(),
        ));
    }
    gpkg::write(store, collections, filter, personal, archive, path)
}

/// Writes the features of collection `c` that pass `filter` as a zipped shapefile at `path`
/// (features without geometry are left out; victims, who have none, are refused); returns the
/// number written.
pub fn export_shapefile(
    store: &dyn ProgrammeStore,
    c: &Collection,
    filter: &Filter,
    path: &Path,
) -> Result<u64, IoError> {
    if c.id == VICTIMS.id {
        return Err(IoError::Usage(
            "victims have no geometry: export them as geojson, csv, xlsx or gpkg".into(),
        ));
    }
    let sel = Selection {
        store,
        collection: c,
        filter,
        personal: None,
    };
    crate::shp::write(&sel, path)
}

/// Writes the features of the collections that pass `filter` into a new workbook at `path`,
/// one sheet each; victims carry their personal data when `personal` is given.
pub fn export_xlsx(
    store: &dyn ProgrammeStore,
    collections: &[&Collection],
    filter: &Filter,
    personal: Option<&PersonalData>,
    path: &Path,
) -> Result<Vec<(&'static str, u64)>, IoError> {
    if personal.is_some() && collections.iter().all(|c| c.id != VICTIMS.id) {
        return Err(IoError::Usage(
            "personal data are exported only with the victims".into(),
        ));
    }
    let selections: Vec<Selection<'_>> = collections
        .iter()
        .map(|c| Selection {
            store,
            collection: c,
            filter,
            personal,
        })
        .collect();
    crate::xlsx::write(&selections, path)
}
