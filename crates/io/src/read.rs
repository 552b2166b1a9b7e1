//! Reading features from GIS files into GeoJSON features (WGS 84), for the importers: GeoJSON,
//! GeoPackage (any feature table; geometry in EPSG:4326) and ESRI Shapefile (`.shp`, or a zip
//! holding one; its `.prj` must be geographic WGS 84). Other coordinate systems are refused
//! with the command that reprojects them.

use std::path::{Path, PathBuf};

use geo_traits::to_geo::ToGeoGeometry;
use rusqlite::{Connection, OpenFlags};
use serde_json::{Map, Value, json};

use crate::IoError;

fn usage(msg: impl Into<String>) -> IoError {
    IoError::Usage(msg.into())
}

fn reproject_hint(path: &Path) -> String {
    format!(
        "reproject it to WGS 84 first: ogr2ogr -t_srs EPSG:4326 out.gpkg {}",
        path.display()
    )
}

/// The features of a file, as GeoJSON `Feature` objects; `layer` picks a GeoPackage table.
pub fn read_features(path: &Path, layer: Option<&str>) -> Result<Vec<Value>, IoError> {
    let name = path.to_string_lossy().to_lowercase();
    if name.ends_with(".gpkg") {
        read_geopackage(path, layer)
    } else if name.ends_with(".shp") {
        read_shapefile(path)
    } else if name.ends_with(".zip") {
        read_zipped_shapefile(path)
    } else {
        read_geojson(path)
    }
}

fn read_geojson(path: &Path) -> Result<Vec<Value>, IoError> {
    let text = std::fs::read_to_string(path)?;
    let root: Value = serde_json::from_str(&text).map_err(|e| {
        usage(format!(
            "{} is not valid JSON ({e}); check that the file is complete",
            path.display()
        ))
    })?;
    match (
        root.get("type").and_then(Value::as_str),
        root.get("features"),
    ) {
        (Some("FeatureCollection"), Some(Value::Array(f))) => Ok(f.clone()),
        _ => Err(usage(format!(
            "{} is not a GeoJSON FeatureCollection (expected \"type\": \"FeatureCollection\" and a \"features\" array)",
            path.display()
        ))),
    }
}

/// Geometry from GeoPackageBinary: the `GP` header, its envelope, then WKB.
fn gpkg_geometry(blob: &[u8]) -> Result<Option<Value>, String> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err("not a GeoPackage geometry (no GP header)".into());
    }
    let flags = blob[3];
    if flags & 0b0001_0000 != 0 {
        return Ok(None); // empty geometry
    }
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        other => return Err(format!("unknown envelope indicator {other}")),
    };
    let wkb = blob.get(8 + envelope..).ok_or("truncated geometry")?;
    let g = wkb::reader::read_wkb(wkb).map_err(|e| format!("bad WKB: {e}"))?;
    let geometry: geo_types::Geometry<f64> = g.to_geometry();
    Ok(Some(
        serde_json::to_value(geojson::Geometry::from(&geometry)).map_err(|e| e.to_string())?,
    ))
}

fn read_geopackage(path: &Path, layer: Option<&str>) -> Result<Vec<Value>, IoError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let tables: Vec<(String, String, i64)> = conn
        .prepare(
            "SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns ORDER BY table_name",
        )
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(|_| {
            usage(format!(
                "{} is not a GeoPackage with feature tables",
                path.display()
            ))
        })?;
    let names: Vec<&str> = tables.iter().map(|t| t.0.as_str()).collect();
    let (table, column, srs) = match layer {
        Some(l) => tables.iter().find(|t| t.0 == l).ok_or_else(|| {
            usage(format!(
                "{} has no layer `{l}`; its layers: {}",
                path.display(),
                names.join(", ")
            ))
        })?,
        None => tables
            .first()
            .ok_or_else(|| usage(format!("{} has no feature table", path.display())))?,
    };
    if *srs != 4326 {
        let organisation: Option<String> = conn
            .query_row(
                "SELECT organization || ':' || organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
                [srs],
                |r| r.get(0),
            )
            .ok();
        if organisation.as_deref().map(str::to_uppercase) != Some("EPSG:4326".into()) {
            return Err(usage(format!(
                "layer `{table}` of {} is in {} (srs_id {srs}), not WGS 84; {}",
                path.display(),
                organisation.unwrap_or_else(|| "an unknown system".into()),
                reproject_hint(path)
            )));
        }
    }
    let quoted = |n: &str| format!("\"{}\"", n.replace('"', "\"\""));
    let mut stmt = conn.prepare(&format!("SELECT * FROM {}", quoted(table)))?;
    let cols: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    let mut n = 0usize;
    while let Some(r) = rows.next()? {
        n += 1;
        let mut props = Map::new();
        let mut geometry = Value::Null;
        for (i, c) in cols.iter().enumerate() {
            let v: rusqlite::types::Value = r.get(i)?;
            if c == column {
                if let rusqlite::types::Value::Blob(b) = v {
                    geometry = gpkg_geometry(&b)
                        .map_err(|e| {
                            usage(format!("feature {n} of layer `{table}`: geometry: {e}"))
                        })?
                        .unwrap_or(Value::Null);
                }
                continue;
            }
            let value = match v {
                rusqlite::types::Value::Null => Value::Null,
                rusqlite::types::Value::Integer(i) => json!(i),
                rusqlite::types::Value::Real(f) => json!(f),
                rusqlite::types::Value::Text(t) => json!(t),
                rusqlite::types::Value::Blob(_) => continue,
            };
            props.insert(c.clone(), value);
        }
        out.push(json!({"type": "Feature", "properties": props, "geometry": geometry}));
    }
    Ok(out)
}

fn read_shapefile(path: &Path) -> Result<Vec<Value>, IoError> {
    let prj = path.with_extension("prj");
    match std::fs::read_to_string(&prj) {
        Ok(wkt) => {
            let upper = wkt.to_uppercase();
            if upper.contains("PROJCS") || !upper.contains("WGS") {
                return Err(usage(format!(
                    "{} is not in geographic WGS 84 ({}); {}",
                    path.display(),
                    wkt.chars().take(60).collect::<String>(),
                    reproject_hint(path)
                )));
            }
        }
        Err(_) => {
            return Err(usage(format!(
                "{} has no .prj, so its coordinate system is unknown; add one, or {}",
                path.display(),
                reproject_hint(path)
            )));
        }
    }
    let mut reader = shapefile::Reader::from_path(path)
        .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
    let mut out = Vec::new();
    for (i, item) in reader.iter_shapes_and_records().enumerate() {
        let (shape, record) = item.map_err(|e| usage(format!("feature {}: {e}", i + 1)))?;
        let geometry = match geo_types::Geometry::<f64>::try_from(shape) {
            Ok(g) => serde_json::to_value(geojson::Geometry::from(&g)).unwrap_or(Value::Null),
            Err(_) => Value::Null,
        };
        let mut props = Map::new();
        for (name, value) in record {
            use shapefile::dbase::FieldValue as F;
            let v = match value {
                F::Character(s) => s.map(|s| json!(s.trim_end())).unwrap_or(Value::Null),
                F::Numeric(n) => n.map(|n| json!(n)).unwrap_or(Value::Null),
                F::Logical(b) => b.map(|b| json!(b)).unwrap_or(Value::Null),
                F::Integer(n) => json!(n),
                F::Float(f) => f.map(|f| json!(f)).unwrap_or(Value::Null),
                F::Double(d) => json!(d),
                F::Date(d) => d
                    .map(|d| json!(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())))
                    .unwrap_or(Value::Null),
                other => json!(format!("{other:?}")),
            };
            props.insert(name, v);
        }
        out.push(json!({"type": "Feature", "properties": props, "geometry": geometry}));
    }
    Ok(out)
}

fn read_zipped_shapefile(path: &Path) -> Result<Vec<Value>, IoError> {
    let file = std::fs::File::open(path)?;
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|e| usage(format!("{} is not a readable zip: {e}", path.display())))?;
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "safeground-import-{}-{}",
        std::process::id(),
        archive.len()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let result = (|| {
        let mut shp = None;
        for i in 0..archive.len() {
            let mut entry = archive
                .by_index(i)
                .map_err(|e| usage(format!("zip entry {i}: {e}")))?;
            // Only the file name: entries cannot write outside the scratch folder.
            let Some(name) = entry
                .enclosed_name()
                .and_then(|p| p.file_name().map(|n| n.to_owned()))
            else {
                continue;
            };
            let target = dir.join(&name);
            let mut out = std::fs::File::create(&target)?;
            std::io::copy(&mut entry, &mut out)?;
            if name.to_string_lossy().to_lowercase().ends_with(".shp") {
                shp = Some(target);
            }
        }
        let shp = shp.ok_or_else(|| usage(format!("{} holds no .shp file", path.display())))?;
        read_shapefile(&shp)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Arbitrary bytes in a geometry blob or a file give errors, never panics.
    #[test]
    fn garbage_never_panics() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for len in 0..400 {
            let mut blob: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            if len > 4 && len % 2 == 0 {
                blob[0] = b'G';
                blob[1] = b'P';
            }
            let _ = gpkg_geometry(&blob);
        }
        let dir = std::env::temp_dir().join(format!("safeground-garbage-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        for (i, ext) in ["gpkg", "shp", "zip", "geojson"].iter().enumerate() {
            let path = dir.join(format!("f{i}.{ext}"));
            let bytes: Vec<u8> = (0..2048).map(|_| next() as u8).collect();
            std::fs::write(&path, bytes).expect("write");
            assert!(read_features(&path, None).is_err(), "{ext}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
