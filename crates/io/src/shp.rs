//! Zipped ESRI Shapefile: `.shp`, `.shx`, `.dbf` (via the `shapefile` crate), plus the `.prj`
//! (WGS 84) and `.cpg` (UTF-8) it does not write, in one zip. dBase field names are cut to 10
//! characters (kept unique); text to 254 bytes.

use std::io::Write;
use std::path::Path;

use geo_types::Geometry;
use safeground_store::Flow;
use shapefile::dbase::{FieldName, FieldValue, Record, TableWriterBuilder};
use shapefile::{Point, Polygon, PolygonRing};

use crate::IoError;
use crate::collections::Feature;
use crate::export::{ColumnType, Selection, text};

const PRJ: &str = "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

fn shp_err(e: impl std::fmt::Display) -> IoError {
    IoError::Usage(format!("cannot write the shapefile: {e}"))
}

/// dBase field names: at most 10 ASCII characters, unique.
pub(crate) fn field_names(columns: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in columns {
        let base: String = c
            .chars()
            .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
            .take(10)
            .collect();
        let mut name = base.clone();
        let mut i = 1;
        while out.contains(&name) {
            let suffix = i.to_string();
            name = format!("{}{suffix}", &base[..base.len().min(10 - suffix.len())]);
            i += 1;
        }
        out.push(name);
    }
    out
}

fn cut(s: String) -> String {
    if s.len() <= 254 {
        return s;
    }
    let mut end = 254;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

fn polygon(mp: &geo_types::MultiPolygon<f64>) -> Polygon {
    let pts = |r: &geo_types::LineString<f64>| {
        r.0.iter().map(|c| Point::new(c.x, c.y)).collect::<Vec<_>>()
    };
    let mut rings = Vec::new();
    for p in &mp.0 {
        rings.push(PolygonRing::Outer(pts(p.exterior())));
        rings.extend(p.interiors().iter().map(|h| PolygonRing::Inner(pts(h))));
    }
    Polygon::with_rings(rings)
}

/// Writes the selected features as a zipped shapefile at `path`; returns their number.
/// Features without geometry are left out (a shapefile cannot hold them).
pub(crate) fn write(sel: &Selection<'_>, path: &Path) -> Result<u64, IoError> {
    if path.exists() {
        return Err(IoError::Usage(format!(
            "{} already exists; choose a new file name",
            path.display()
        )));
    }
    let cols = sel.columns()?;
    let mut names = vec!["id".to_owned()];
    names.extend(cols.iter().map(|(k, _)| k.clone()));
    let dbf_names = field_names(&names);
    let mut builder = TableWriterBuilder::with_encoding(shapefile::dbase::encoding::UnicodeLossy);
    let mut types = vec![ColumnType::Text];
    types.extend(cols.iter().map(|(_, t)| *t));
    for (name, t) in dbf_names.iter().zip(&types) {
        let field = FieldName::try_from(name.as_str()).map_err(|e| shp_err(format!("{e:?}")))?;
        builder = match t {
            ColumnType::Integer => builder.add_numeric_field(field, 18, 0),
            ColumnType::Real => builder.add_numeric_field(field, 24, 8),
            ColumnType::Boolean => builder.add_logical_field(field),
            ColumnType::Null | ColumnType::Text => builder.add_character_field(field, 254),
        };
    }
    let dir = tempdir_for(path)?;
    let stem = sel.collection.id.replace('-', "_");
    let shp = dir.join(format!("{stem}.shp"));
    let mut n = 0u64;
    let result = (|| -> Result<(), IoError> {
        let mut writer = shapefile::Writer::from_path(&shp, builder).map_err(shp_err)?;
        sel.for_each(&mut |f: Feature| {
            let mut record = Record::default();
            for ((name, t), col) in dbf_names.iter().zip(&types).zip(&names) {
                let v = if col == "id" {
                    Some(serde_json::Value::String(f.id.clone()))
                } else {
                    f.properties.get(col).cloned()
                };
                let value = match (t, &v) {
                    (_, None | Some(serde_json::Value::Null)) => match t {
                        ColumnType::Integer | ColumnType::Real => FieldValue::Numeric(None),
                        ColumnType::Boolean => FieldValue::Logical(None),
                        _ => FieldValue::Character(None),
                    },
                    (ColumnType::Integer | ColumnType::Real, Some(x)) => {
                        FieldValue::Numeric(x.as_f64())
                    }
                    (ColumnType::Boolean, Some(x)) => FieldValue::Logical(x.as_bool()),
                    (_, x) => FieldValue::Character(Some(cut(text(x.as_ref())))),
                };
                record.insert(name.clone(), value);
            }
            match &f.geometry {
                Some(Geometry::Point(p)) => writer
                    .write_shape_and_record(&Point::new(p.x(), p.y()), &record)
                    .map_err(shp_err)?,
                Some(Geometry::MultiPolygon(mp)) => writer
                    .write_shape_and_record(&polygon(mp), &record)
                    .map_err(shp_err)?,
                _ => return Ok(Flow::Continue),
            }
            n += 1;
            Ok(Flow::Continue)
        })?;
        drop(writer);
        std::fs::write(dir.join(format!("{stem}.prj")), PRJ)?;
        std::fs::write(dir.join(format!("{stem}.cpg")), "UTF-8")?;
        let partial = path.with_extension("zip.partial");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&partial)?);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
            zip.start_file(format!("{stem}.{ext}"), options)
                .map_err(shp_err)?;
            zip.write_all(&std::fs::read(dir.join(format!("{stem}.{ext}")))?)?;
        }
        zip.finish().map_err(shp_err)?;
        std::fs::rename(&partial, path)?;
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result.map(|()| n)
}

/// A scratch folder beside the target.
fn tempdir_for(path: &Path) -> Result<std::path::PathBuf, IoError> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = parent.join(format!(
        ".{}.parts-{}",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("export"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dbase_names_are_short_and_unique() {
        let cols = [
            "id",
            "remaining_m2",
            "remaining_m2x",
            "date_of_information",
            "date_of_informations",
        ]
        .map(String::from);
        let names = super::field_names(&cols);
        assert_eq!(
            names,
            ["id", "remaining_", "remaining1", "date_of_in", "date_of_i1"]
        );
        assert!(names.iter().all(|n| n.len() <= 10));
    }
}
