//! GeoPackage layers: feature tables in any coordinate system (`gpkg_spatial_ref_sys`: an EPSG
//! code, else its WKT definition), reprojected to WGS 84; attribute tables by name.

use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde_json::{Map, Value, json};

use super::{ReadOptions, SourceRecord, feature, reproject_hint, usage};
use crate::IoError;
use crate::reproject::Reprojection;

/// A layer of `gpkg_contents`: table, geometry column and srs_id (none for attributes).
struct Layer {
    table: String,
    geometry: Option<(String, i64)>,
}

/// One layer of a GeoPackage, checked and counted, whose records are read one at a time by
/// [`GeoPackageLayer::each`]: a 100,000-polygon layer is never held in memory whole.
#[derive(Debug, Clone)]
pub struct GeoPackageLayer {
    path: PathBuf,
    options: ReadOptions,
    count: usize,
}

/// An open layer: the connection, the table, its geometry column and coordinate system.
struct Opened {
    conn: Connection,
    quoted: String,
    column: Option<String>,
    crs: Option<Reprojection>,
    cols: Vec<String>,
}

/// A damaged or unreadable file, named.
fn not_gpkg(path: &Path) -> impl Fn(rusqlite::Error) -> IoError + '_ {
    move |e| {
        usage(format!(
            "{} is not a readable GeoPackage ({e}); check that the file is complete",
            path.display()
        ))
    }
}

/// Opens `layer` of `path`, else its first feature table by name.
fn open_layer(path: &Path, options: &ReadOptions) -> Result<Opened, IoError> {
    if !path.is_file() {
        return Err(usage(format!(
            "cannot read {}: no such file",
            path.display()
        )));
    }
    let not_gpkg = not_gpkg(path);
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(&not_gpkg)?;
    let layers = layers(&conn).map_err(&not_gpkg)?;
    let layer = match options.layer.as_deref() {
        Some(l) => layers.iter().find(|t| t.table == l),
        None => layers.iter().find(|t| t.geometry.is_some()),
    }
    .ok_or_else(|| {
        let names: Vec<&str> = layers.iter().map(|t| t.table.as_str()).collect();
        usage(match options.layer.as_deref() {
            Some(l) => format!(
                "{} has no layer `{l}`; its layers: {}",
                path.display(),
                names.join(", ")
            ),
            None => format!("{} has no feature table", path.display()),
        })
    })?;
    let crs = match &layer.geometry {
        Some((_, srs)) => Some(crs(&conn, *srs).map_err(|why| {
            usage(format!(
                "layer `{}` of {}: {why}; {}",
                layer.table,
                path.display(),
                reproject_hint(path)
            ))
        })?),
        None => None,
    };
    let quoted = format!("\"{}\"", layer.table.replace('"', "\"\""));
    let cols = columns(&conn, &quoted).map_err(&not_gpkg)?;
    let column = layer.geometry.as_ref().map(|(c, _)| c.clone());
    Ok(Opened {
        conn,
        quoted,
        column,
        crs,
        cols,
    })
}

impl GeoPackageLayer {
    /// Opens and counts a layer: `options.layer`, else the first feature table by name.
    pub(super) fn open(path: &Path, options: &ReadOptions) -> Result<Self, IoError> {
        let opened = open_layer(path, options)?;
        let count: i64 = opened
            .conn
            .query_row(
                &format!("SELECT count(*) FROM {}", opened.quoted),
                [],
                |r| r.get(0),
            )
            .map_err(not_gpkg(path))?;
        Ok(GeoPackageLayer {
            path: path.to_owned(),
            options: options.clone(),
            count: usize::try_from(count).unwrap_or(0),
        })
    }

    /// Number of records.
    pub(super) fn len(&self) -> usize {
        self.count
    }

    /// Hands `each` the records from index `start` on ("feature N" is record N − 1), in table
    /// order, until it returns false.
    pub(super) fn each(
        &self,
        start: usize,
        each: &mut dyn FnMut(usize, SourceRecord) -> bool,
    ) -> Result<(), IoError> {
        let path = self.path.as_path();
        let not_gpkg = not_gpkg(path);
        let Opened {
            conn,
            quoted,
            column,
            crs,
            cols,
        } = open_layer(path, &self.options)?;
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {quoted} LIMIT -1 OFFSET ?1"))
            .map_err(&not_gpkg)?;
        let mut rows = stmt
            .query([i64::try_from(start).unwrap_or(i64::MAX)])
            .map_err(&not_gpkg)?;
        let mut index = start;
        while let Some(r) = rows.next().map_err(&not_gpkg)? {
            let mut props = Map::new();
            let mut geometry = Ok(Value::Null);
            for (i, c) in cols.iter().enumerate() {
                let v = r.get_ref(i).map_err(&not_gpkg)?;
                if Some(c) == column.as_ref() {
                    if let (ValueRef::Blob(b), Some(crs)) = (v, &crs) {
                        geometry = gpkg_geometry(b).and_then(|g| {
                            let mut g = g.unwrap_or(Value::Null);
                            if !g.is_null() {
                                crs.geometry_to_wgs84(&mut g).map_err(|e| e.to_string())?;
                            }
                            Ok(g)
                        });
                    }
                    continue;
                }
                let value = match v {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(i) => json!(i),
                    ValueRef::Real(f) => json!(f),
                    ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                    ValueRef::Blob(_) => continue,
                };
                props.insert(c.clone(), value);
            }
            let record = SourceRecord {
                label: format!("feature {}", index + 1),
                feature: geometry
                    .map(|g| feature(props, g))
                    .map_err(|e| format!("geometry: {e}")),
            };
            if !each(index, record) {
                break;
            }
            index += 1;
        }
        Ok(())
    }
}

/// The records of one layer ("feature N"): `layer`, else the first feature table by name.
pub(super) fn read(path: &Path, options: &ReadOptions) -> Result<Vec<SourceRecord>, IoError> {
    let layer = GeoPackageLayer::open(path, options)?;
    let mut out = Vec::with_capacity(layer.len());
    layer.each(0, &mut |_, record| {
        out.push(record);
        true
    })?;
    Ok(out)
}

/// The column names of a table, in `SELECT *` order (read with PRAGMA: rusqlite's
/// `Statement::column_names` panics on names that are not UTF-8, as in a damaged file).
fn columns(conn: &Connection, quoted: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({quoted})"))?;
    let mut rows = stmt.query([])?;
    let mut names = Vec::new();
    while let Some(r) = rows.next()? {
        names.push(match r.get_ref(1)? {
            ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
            other => format!("{other:?}"),
        });
    }
    Ok(names)
}

/// Feature and attribute tables, by name.
fn layers(conn: &Connection) -> rusqlite::Result<Vec<Layer>> {
    conn.prepare(
        "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c \
         LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
         WHERE c.data_type IN ('features', 'attributes') ORDER BY c.table_name",
    )?
    .query_map([], |r| {
        let column: Option<String> = r.get(1)?;
        let srs: Option<i64> = r.get(2)?;
        Ok(Layer {
            table: r.get(0)?,
            geometry: column.map(|c| (c, srs.unwrap_or(-1))),
        })
    })?
    .collect()
}

/// The coordinate system of an srs_id; 0 is the GeoPackage's "undefined geographic" (taken
/// as WGS 84).
fn crs(conn: &Connection, srs: i64) -> Result<Reprojection, String> {
    if srs == 4326 || srs == 0 {
        return Ok(Reprojection::wgs84());
    }
    let (organisation, code, definition): (String, i64, String) = conn
        .query_row(
            "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys \
             WHERE srs_id = ?1",
            [srs],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(|_| format!("its srs_id {srs} is not in gpkg_spatial_ref_sys"))?;
    let by_code = if organisation.eq_ignore_ascii_case("EPSG") {
        u32::try_from(code)
            .ok()
            .and_then(|c| Reprojection::from_epsg(c).ok())
    } else {
        None
    };
    match by_code {
        Some(r) => Ok(r),
        None => Reprojection::from_wkt(&definition)
            .map_err(|e| format!("its coordinate system {organisation}:{code}: {e}")),
    }
}

/// Geometry from GeoPackageBinary: the `GP` header, its envelope, then WKB.
fn gpkg_geometry(blob: &[u8]) -> Result<Option<Value>, String> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err("not a GeoPackage geometry (no GP header)".into());
    }
    let flags = blob[3];
    if flags & 0b0010_0000 != 0 {
        return Err("an extended GeoPackage geometry, which Safeground does not read".into());
    }
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
    let geometry = super::wkb::to_geojson(wkb)?;
    Ok((!geometry.is_null()).then_some(geometry))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Arbitrary bytes in a geometry blob give errors, never panics.
    #[test]
    fn garbage_geometry_never_panics() {
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
    }
}
