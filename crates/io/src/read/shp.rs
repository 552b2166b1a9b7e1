//! ESRI Shapefiles (`.shp` with its `.dbf`, `.prj` and optional `.cpg`, or all of them in a
//! zip) in any coordinate system their `.prj` describes, reprojected to WGS 84. DBF text is
//! decoded by the `.cpg`, else the encoding option, else the DBF's code page mark (UTF-8 when
//! it has none).

use std::io::Cursor;
use std::path::Path;

use encoding_rs::Encoding;
use serde_json::{Map, Value, json};
use shapefile::dbase::{self, FieldValue};

use super::zipped::Archive;
use super::{ReadOptions, SourceRecord, feature, has_ext, read_bytes, reproject_hint, usage};
use crate::IoError;
use crate::reproject::Reprojection;

/// The files of one shapefile.
struct Parts {
    shp: Vec<u8>,
    dbf: Option<Vec<u8>>,
    prj: Option<Vec<u8>>,
    cpg: Option<Vec<u8>>,
}

/// The records of a `.shp` file and its sibling files ("feature N").
pub(super) fn read_path(
    path: &Path,
    encoding: Option<&'static Encoding>,
) -> Result<Vec<SourceRecord>, IoError> {
    let sibling = |ext: &str| -> Option<Vec<u8>> {
        let stem = path.file_stem()?;
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = dir.unwrap_or(Path::new("."));
        std::fs::read_dir(dir)
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_stem() == Some(stem)
                    && p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
            })
            .and_then(|p| std::fs::read(p).ok())
    };
    let parts = Parts {
        shp: read_bytes(path)?,
        dbf: sibling("dbf"),
        prj: sibling("prj"),
        cpg: sibling("cpg"),
    };
    read_parts(parts, path, encoding)
}

/// The records of a zipped shapefile: the `.shp` named by `layer` (its file name without
/// extension), else the first.
pub(super) fn read_zip(
    archive: &mut Archive,
    options: &ReadOptions,
    encoding: Option<&'static Encoding>,
) -> Result<Vec<SourceRecord>, IoError> {
    let path = archive.path.clone();
    let stem = |n: &str| n.rsplit_once('.').map_or(n, |(s, _)| s).to_string();
    let shps: Vec<String> = archive
        .names()
        .iter()
        .filter(|n| has_ext(n, "shp") && !n.starts_with("__MACOSX"))
        .cloned()
        .collect();
    let chosen = match options.layer.as_deref() {
        Some(l) => shps.iter().find(|n| {
            let s = stem(n);
            s == l || s.rsplit('/').next() == Some(l)
        }),
        None => shps.first(),
    }
    .ok_or_else(|| {
        usage(format!(
            "{} has no shapefile `{}`; it holds: {}",
            path.display(),
            options.layer.as_deref().unwrap_or_default(),
            shps.join(", ")
        ))
    })?
    .clone();
    let base = stem(&chosen);
    let mut sibling = |ext: &str| -> Result<Option<Vec<u8>>, IoError> {
        let name = archive
            .names()
            .iter()
            .find(|n| stem(n) == base && has_ext(n, ext))
            .cloned();
        name.map(|n| archive.read(&n)).transpose()
    };
    let parts = Parts {
        dbf: sibling("dbf")?,
        prj: sibling("prj")?,
        cpg: sibling("cpg")?,
        shp: archive.read(&chosen)?,
    };
    read_parts(parts, &path, encoding)
}

fn read_parts(
    parts: Parts,
    path: &Path,
    encoding: Option<&'static Encoding>,
) -> Result<Vec<SourceRecord>, IoError> {
    let crs = match &parts.prj {
        None => {
            return Err(usage(format!(
                "{} has no .prj, so its coordinate system is unknown; add one, or {}",
                path.display(),
                reproject_hint(path)
            )));
        }
        Some(prj) => Reprojection::from_wkt(&String::from_utf8_lossy(prj)).map_err(|e| {
            usage(format!(
                "{}: its .prj cannot be used ({e}); {}",
                path.display(),
                reproject_hint(path)
            ))
        })?,
    };
    let dbf = parts.dbf.ok_or_else(|| {
        usage(format!(
            "{} has no .dbf (its attribute table)",
            path.display()
        ))
    })?;
    let cant = |e: String| {
        usage(format!(
            "cannot read the shapefile {} ({e}); check that it is complete",
            path.display()
        ))
    };
    let dbf_encoding = parts
        .cpg
        .as_deref()
        .and_then(|c| {
            let label = String::from_utf8_lossy(c);
            dbase::encoding::DynEncoding::from_name(&label).or_else(|| {
                Encoding::for_label(label.trim().as_bytes())
                    .map(|e| dbase::encoding::EncodingRs::from(e).into())
            })
        })
        .or_else(|| encoding.map(|e| dbase::encoding::EncodingRs::from(e).into()));
    let builder = match dbf_encoding {
        Some(e) => dbase::ReaderBuilder::new().with_encoding(e),
        None => dbase::ReaderBuilder::new(),
    };
    let records = builder
        .build(Cursor::new(dbf))
        .map_err(|e| cant(format!(".dbf: {e}")))?;
    let shapes = shapefile::ShapeReader::new(Cursor::new(parts.shp))
        .map_err(|e| cant(format!(".shp: {e}")))?;
    let mut reader = shapefile::Reader::new(shapes, records);
    let mut out = Vec::new();
    for item in reader.iter_shapes_and_records() {
        let label = format!("feature {}", out.len() + 1);
        match item {
            Ok((shape, record)) => out.push(SourceRecord {
                label,
                feature: one(shape, record, &crs),
            }),
            Err(e) => {
                // The rest of the file cannot be found after a bad record.
                out.push(SourceRecord {
                    label,
                    feature: Err(format!("{e}; the file is damaged from here on")),
                });
                break;
            }
        }
    }
    Ok(out)
}

fn one(
    shape: shapefile::Shape,
    record: dbase::Record,
    crs: &Reprojection,
) -> Result<Value, String> {
    let mut geometry = match geo_types::Geometry::<f64>::try_from(shape) {
        Ok(g) => serde_json::to_value(::geojson::Geometry::from(&g)).map_err(|e| e.to_string())?,
        Err(_) => Value::Null,
    };
    if !geometry.is_null() {
        crs.geometry_to_wgs84(&mut geometry)
            .map_err(|e| e.to_string())?;
    }
    let mut props = Map::new();
    for (name, value) in record {
        let v = match value {
            FieldValue::Character(s) => s.map(|s| json!(s.trim_end())).unwrap_or(Value::Null),
            FieldValue::Numeric(n) => n.map(|n| json!(n)).unwrap_or(Value::Null),
            FieldValue::Logical(b) => b.map(|b| json!(b)).unwrap_or(Value::Null),
            FieldValue::Integer(n) => json!(n),
            FieldValue::Float(f) => f.map(|f| json!(f)).unwrap_or(Value::Null),
            FieldValue::Double(d) | FieldValue::Currency(d) => json!(d),
            FieldValue::Date(d) => d
                .map(|d| json!(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())))
                .unwrap_or(Value::Null),
            FieldValue::Memo(s) => json!(s),
            other => json!(format!("{other:?}")),
        };
        props.insert(name, v);
    }
    Ok(feature(props, geometry))
}
