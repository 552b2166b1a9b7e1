//! Dumping and loading a whole programme on SQLite (see [`crate::transfer`]). Times and dates
//! are stored as fixed-width text, booleans as 0/1; the R*Tree of hazard boxes is rebuilt from
//! the loaded `hazard_current` rows.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, Row, params};

use super::{SqliteStore, fmt_date, fmt_time, parse_date, parse_time};
use crate::transfer::{
    Dump, Kind, Load, RowSink, TABLES, Table, Value, canonical_json, check_row, ensure_empty,
    has_record_geometry, split_record, table_index, whole_record,
};
use crate::{Result, StoreError, wkb_codec};

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Real(x) => ToSqlOutput::Borrowed(ValueRef::Real(*x)),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*b))),
            Value::Text(s) | Value::Json(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Date(d) => ToSqlOutput::from(fmt_date(*d)),
            Value::Time(t) => ToSqlOutput::from(fmt_time(*t)),
            Value::Wkb(b) | Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

/// Reads column `i` of `row` as a value of `kind`.
fn read(row: &Row<'_>, i: usize, kind: Kind, what: &str) -> Result<Value> {
    let text = |row: &Row<'_>| row.get::<_, Option<String>>(i);
    Ok(match kind {
        Kind::Int => row.get::<_, Option<i64>>(i)?.map(Value::Int),
        Kind::Real => row.get::<_, Option<f64>>(i)?.map(Value::Real),
        Kind::Text => text(row)?.map(Value::Text),
        Kind::Bool => row.get::<_, Option<bool>>(i)?.map(Value::Bool),
        Kind::Date => text(row)?
            .map(|s| parse_date(&s))
            .transpose()?
            .map(Value::Date),
        Kind::Time => text(row)?
            .map(|s| parse_time(&s))
            .transpose()?
            .map(Value::Time),
        Kind::Json => text(row)?.map(|s| canonical_json(&s, what)).transpose()?,
        Kind::Wkb => row.get::<_, Option<Vec<u8>>>(i)?.map(Value::Wkb),
        Kind::Bytes => row.get::<_, Option<Vec<u8>>>(i)?.map(Value::Bytes),
    }
    .unwrap_or(Value::Null))
}

/// Streams the rows of one table, in key order (inside the caller's read transaction).
pub(super) fn dump_table(
    conn: &Connection,
    table: &'static Table,
    f: &mut RowSink<'_>,
) -> Result<()> {
    let apart = has_record_geometry(table);
    let mut stmt = conn.prepare(&format!(
        "SELECT {}{} FROM {} ORDER BY {}",
        table.column_list(),
        if apart { ", geometry" } else { "" },
        table.name,
        table.order_by("BINARY")
    ))?;
    let mut rows = stmt.query([])?;
    let mut values = Vec::with_capacity(table.columns.len());
    while let Some(row) = rows.next()? {
        values.clear();
        for (i, c) in table.columns.iter().enumerate() {
            values.push(read(row, i, c.kind, &format!("{}.{}", table.name, c.name))?);
        }
        if apart {
            let geometry: Option<Vec<u8>> = row.get(table.columns.len())?;
            whole_record(table, &mut values, geometry.as_deref())?;
        }
        f(table, &values)?;
    }
    Ok(())
}

/// (min x, max x, min y, max y) of a hazard's WKB polygon, for the R*Tree.
fn rtree_box(wkb: &[u8]) -> Result<Option<(f64, f64, f64, f64)>> {
    let mp = wkb_codec::decode(wkb)?;
    let mut it =
        mp.0.iter()
            .flat_map(|p| p.exterior().0.iter())
            .filter(|c| c.x.is_finite() && c.y.is_finite());
    Ok(it.next().map(|first| {
        it.fold((first.x, first.x, first.y, first.y), |b, c| {
            (b.0.min(c.x), b.1.max(c.x), b.2.min(c.y), b.3.max(c.y))
        })
    }))
}

/// Inserts one checked row; a hazard's state also gets its box in the R*Tree.
fn insert(conn: &Connection, table: &'static Table, row: &[Value]) -> Result<()> {
    check_row(table, row)?;
    let mut row = row.to_vec();
    let apart = has_record_geometry(table);
    if apart {
        let geometry = split_record(table, &mut row)?;
        row.push(geometry.map_or(Value::Null, Value::Wkb));
    }
    let placeholders = (1..=row.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO {} ({}{}) VALUES ({placeholders})",
        table.name,
        table.column_list(),
        if apart { ", geometry" } else { "" },
    ))?;
    stmt.execute(rusqlite::params_from_iter(&row))?;
    if table.name == "hazard_current" {
        let geometry = table.columns.iter().position(|c| c.name == "geometry");
        if let Some(Value::Wkb(wkb)) = geometry.and_then(|i| row.get(i))
            && let Some((minx, maxx, miny, maxy)) = rtree_box(wkb)?
        {
            conn.execute(
                "INSERT INTO hazard_rtree (id, minx, maxx, miny, maxy) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![conn.last_insert_rowid(), minx, maxx, miny, maxy],
            )?;
        }
    }
    Ok(())
}

impl Dump for SqliteStore {
    fn dump(&self, f: &mut RowSink<'_>) -> Result<()> {
        // One read transaction: one snapshot of every table, whatever other processes write.
        let tx = self.connection().unchecked_transaction()?;
        for table in TABLES {
            dump_table(&tx, table, f)?;
        }
        tx.finish()?;
        Ok(())
    }
}

impl Load for SqliteStore {
    fn load(&mut self, source: &dyn Dump) -> Result<()> {
        let tx = self.write_tx()?;
        let mut counts = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let n: i64 =
                tx.query_row(&format!("SELECT count(*) FROM {}", table.name), [], |r| {
                    r.get(0)
                })?;
            counts.push((table.name, n));
        }
        ensure_empty(counts)?;
        source.dump(&mut |table, row| {
            table_index(table)?;
            insert(&tx, table, row).map_err(|e| match e {
                StoreError::Database(e) => StoreError::Transfer(format!(
                    "writing a row of {} into SQLite: {e}; nothing was written",
                    table.name
                )),
                other => other,
            })
        })?;
        tx.commit()?;
        Ok(())
    }
}
