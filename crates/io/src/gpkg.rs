//! OGC GeoPackage 1.3 written with SQLite directly: the required metadata tables, one feature
//! table per collection (`fid`, `geom` as GeoPackageBinary, the properties as typed columns;
//! victims, who have no geometry, as an attributes table), and for a full export the programme
//! archive ([`crate::archive`]), all in one transaction (a failed export leaves no
//! half-written file).

use std::path::Path;

use geo::BoundingRect;
use geo_types::Geometry;
use rusqlite::{Connection, params};
use safeground_model::ItemKind;
use safeground_store::{Backend, Flow};
use serde_json::Value;

use crate::collections::{Collection, Feature, Source};
use crate::export::{ColumnType, Selection};
use crate::{Filter, IoError, PersonalData};

const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,\
AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],\
UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4326\"]]";

const METADATA: &str = "
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
";

/// GeoPackageBinary: the `GP` header with the envelope, then little-endian WKB.
fn gpkg_binary(g: &Geometry<f64>) -> Result<Vec<u8>, IoError> {
    let mut out = Vec::with_capacity(8 + 32 + wkb::writer::geometry_wkb_size(g));
    out.extend_from_slice(b"GP");
    out.push(0); // version 1
    let rect = g.bounding_rect();
    // Flags: little-endian (bit 0), envelope [minx, maxx, miny, maxy] (bits 1-3 = 1) when known.
    out.push(if rect.is_some() {
        0b0000_0011
    } else {
        0b0000_0001
    });
    out.extend_from_slice(&4326i32.to_le_bytes());
    if let Some(r) = rect {
        for v in [r.min().x, r.max().x, r.min().y, r.max().y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    wkb::writer::write_geometry(&mut out, g, &wkb::writer::WriteOptions::default())
        .map_err(|e| IoError::Usage(format!("cannot encode a geometry as WKB: {e}")))?;
    Ok(out)
}

fn sql_type(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Boolean => "BOOLEAN",
        ColumnType::Integer => "INTEGER",
        ColumnType::Real => "DOUBLE",
        ColumnType::Null | ColumnType::Text => "TEXT",
    }
}

fn value(v: Option<&Value>) -> rusqlite::types::Value {
    use rusqlite::types::Value as V;
    match v {
        None | Some(Value::Null) => V::Null,
        Some(Value::Bool(b)) => V::Integer(i64::from(*b)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => V::Integer(i),
            None => V::Real(n.as_f64().unwrap_or(f64::NAN)),
        },
        Some(Value::String(s)) => V::Text(s.clone()),
        Some(other) => V::Text(other.to_string()),
    }
}

/// The geometry type of a collection's table; `None` for an attributes table.
fn geometry_type(source: Source) -> Option<&'static str> {
    match source {
        Source::Hazards | Source::ReleasedAreas | Source::Items(ItemKind::Activity) => {
            Some("MULTIPOLYGON")
        }
        Source::Items(ItemKind::Victim) => None,
        Source::Items(_) => Some("POINT"),
    }
}

pub(crate) fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Writes the collections into a new GeoPackage at `path`, with the programme archive when
/// `archive` is set.
pub(crate) fn write(
    store: &dyn Backend,
    collections: &[&Collection],
    filter: &Filter,
    personal: Option<&PersonalData>,
    archive: bool,
    path: &Path,
) -> Result<Vec<(&'static str, u64)>, IoError> {
    if path.exists() {
        return Err(IoError::Usage(format!(
            "{} already exists; choose a new file name",
            path.display()
        )));
    }
    // Written beside the target and renamed at the end: a failed export leaves no file.
    let partial = path.with_extension("gpkg.partial");
    let _ = std::fs::remove_file(&partial);
    let result = write_file(store, collections, filter, personal, archive, &partial);
    match result {
        Ok(counts) => {
            std::fs::rename(&partial, path)?;
            Ok(counts)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn write_file(
    store: &dyn Backend,
    collections: &[&Collection],
    filter: &Filter,
    personal: Option<&PersonalData>,
    archive: bool,
    path: &Path,
) -> Result<Vec<(&'static str, u64)>, IoError> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "application_id", 0x4750_4B47)?;
    conn.pragma_update(None, "user_version", 10300)?;
    let tx = conn.transaction()?;
    tx.execute_batch(METADATA)?;
    tx.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES
         ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
         ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
         ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        [WGS84_WKT],
    )?;
    let mut counts = Vec::new();
    for c in collections {
        let sel = Selection {
            store,
            collection: c,
            filter,
            personal,
        };
        let table = c.id.replace('-', "_");
        let cols = sel.columns()?;
        let geometry_type = geometry_type(c.source);
        let mut ddl = format!(
            "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL",
            quote(&table)
        );
        let mut names = vec!["feature_id".to_owned()];
        if let Some(t) = geometry_type {
            ddl.push_str(&format!(", geom {t}"));
            names.insert(0, "geom".to_owned());
        }
        ddl.push_str(", feature_id TEXT NOT NULL");
        for (name, t) in &cols {
            ddl.push_str(&format!(", {} {}", quote(name), sql_type(*t)));
            names.push(quote(name));
        }
        ddl.push(')');
        tx.execute_batch(&ddl)?;
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        let insert = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(&table),
            names.join(", "),
            placeholders.join(", ")
        );
        let mut stmt = tx.prepare(&insert)?;
        let mut n = 0u64;
        let mut extent: Option<geo_types::Rect<f64>> = None;
        sel.for_each(&mut |f: Feature| {
            let mut row: Vec<rusqlite::types::Value> = Vec::with_capacity(names.len());
            match &f.geometry {
                _ if geometry_type.is_none() => {}
                Some(g) => {
                    if let Some(r) = g.bounding_rect() {
                        extent = Some(match extent {
                            None => r,
                            Some(e) => geo_types::Rect::new(
                                (e.min().x.min(r.min().x), e.min().y.min(r.min().y)),
                                (e.max().x.max(r.max().x), e.max().y.max(r.max().y)),
                            ),
                        });
                    }
                    row.push(rusqlite::types::Value::Blob(gpkg_binary(g)?));
                }
                None => row.push(rusqlite::types::Value::Null),
            }
            row.push(rusqlite::types::Value::Text(f.id.clone()));
            row.extend(cols.iter().map(|(k, _)| value(f.properties.get(k))));
            stmt.execute(rusqlite::params_from_iter(row))?;
            n += 1;
            Ok(Flow::Continue)
        })?;
        drop(stmt);
        match geometry_type {
            Some(geometry_type) => {
                tx.execute(
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
                     VALUES (?1, 'features', ?2, ?3, ?4, ?5, ?6, ?7, 4326)",
                    params![
                        table,
                        c.title,
                        c.description,
                        extent.map(|e| e.min().x),
                        extent.map(|e| e.min().y),
                        extent.map(|e| e.max().x),
                        extent.map(|e| e.max().y),
                    ],
                )?;
                tx.execute(
                    "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
                    params![table, geometry_type],
                )?;
            }
            None => attributes_table(&tx, &table, c.title, c.description)?,
        }
        counts.push((c.id, n));
    }
    if archive {
        let n = crate::archive::write(&tx, store, personal)?;
        counts.push((crate::archive::TABLE, n));
    }
    tx.commit()?;
    Ok(counts)
}

/// Registers a table without geometry in `gpkg_contents`.
pub(crate) fn attributes_table(
    conn: &Connection,
    table: &str,
    title: &str,
    description: &str,
) -> Result<(), IoError> {
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
         VALUES (?1, 'attributes', ?2, ?3)",
        params![table, title, description],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geopackage_binary_header() {
        let g = Geometry::Point(geo_types::Point::new(103.2, 13.1));
        let b = gpkg_binary(&g).expect("encode");
        assert_eq!(&b[..2], b"GP");
        assert_eq!(b[3], 0b11);
        assert_eq!(i32::from_le_bytes([b[4], b[5], b[6], b[7]]), 4326);
        assert_eq!(
            f64::from_le_bytes(b[8..16].try_into().expect("8 bytes")),
            103.2
        );
        assert_eq!(b[40], 1, "little-endian WKB follows the 40-byte header");
    }
}
