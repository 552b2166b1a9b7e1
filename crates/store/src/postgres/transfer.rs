//! Dumping and loading a whole programme on PostgreSQL (see [`crate::transfer`]). Rows are read
//! in pages through a portal inside one repeatable-read transaction (one snapshot, constant
//! memory) and written with multi-row INSERTs inside one write transaction; the identity
//! sequences are then moved past the copied ids, and each version's PostGIS geometry is built
//! from its record.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{DateTime, NaiveDate, Utc};
use postgres::types::ToSql;
use postgres::{IsolationLevel, Row, Statement, Transaction};
use safeground_model::Record;

use super::approval::{encode_geometry, record_geometry};
use super::{Doing, PostgresStore};
use crate::transfer::{
    Dump, Kind, Load, RowSink, TABLES, Table, Value, canonical_json, check_row, ensure_empty,
    has_record_geometry, split_record, table_index, whole_record,
};
use crate::{Result, StoreError};

/// Rows read per round trip.
const PAGE: i32 = 1000;

/// Rows read per round trip of a table with files ([`Table::has_bytes`]): each may be
/// megabytes.
const FILE_PAGE: i32 = 8;

/// Rows written per INSERT.
const BATCH: usize = 200;

/// Bytes of files ([`Value::Bytes`]) past which waiting rows are written: an INSERT stays far
/// below PostgreSQL's 1 GB message limit.
const BATCH_BYTES: usize = 32 << 20;

/// Tables whose `id` is an identity column: its sequence must continue after the copied ids.
const IDENTITY_TABLES: &[&str] = &[
    "victim_personal_data",
    "audit",
    "account",
    "break_glass",
    "library_document",
    "training_session",
    "training_assessment",
    "training_certificate",
    "attachment",
    "orthophoto",
    "detection_run",
    "detection",
    "machine_track",
];

/// Value as a parameter of a column of `kind` (a NULL is typed by its column).
fn param(value: &Value, kind: Kind) -> &(dyn ToSql + Sync) {
    match value {
        Value::Int(i) => i,
        Value::Real(x) => x,
        Value::Text(s) | Value::Json(s) => s,
        Value::Bool(b) => b,
        Value::Date(d) => d,
        Value::Time(t) => t,
        Value::Wkb(b) | Value::Bytes(b) => b,
        Value::Null => match kind {
            Kind::Int => &None::<i64>,
            Kind::Real => &None::<f64>,
            Kind::Text | Kind::Json => &None::<&str>,
            Kind::Bool => &None::<bool>,
            Kind::Date => &None::<NaiveDate>,
            Kind::Time => &None::<DateTime<Utc>>,
            Kind::Wkb | Kind::Bytes => &None::<&[u8]>,
        },
    }
}

/// The expression a column is read with.
fn select_expr(name: &str, kind: Kind) -> String {
    match kind {
        Kind::Int => format!("{name}::bigint"),
        Kind::Json => format!("{name}::text"),
        Kind::Wkb => format!("ST_AsBinary({name}, 'NDR')"),
        _ => name.to_owned(),
    }
}

/// The expression parameter `$n` is written with.
fn insert_expr(n: usize, kind: Kind) -> String {
    match kind {
        Kind::Int => format!("${n}::bigint"),
        Kind::Real => format!("${n}::float8"),
        Kind::Text => format!("${n}::text"),
        Kind::Bool => format!("${n}::boolean"),
        Kind::Date => format!("${n}::date"),
        Kind::Time => format!("${n}::timestamptz"),
        Kind::Json => format!("${n}::text::jsonb"),
        Kind::Wkb => format!("ST_GeomFromWKB(${n}::bytea, 4326)"),
        Kind::Bytes => format!("${n}::bytea"),
    }
}

/// Reads column `i` of `row` as a value of `kind`.
fn read(row: &Row, i: usize, kind: Kind, what: &str) -> Result<Value> {
    let doing = format!("reading {what}");
    Ok(match kind {
        Kind::Int => row
            .try_get::<_, Option<i64>>(i)
            .doing(&doing)?
            .map(Value::Int),
        Kind::Real => row
            .try_get::<_, Option<f64>>(i)
            .doing(&doing)?
            .map(Value::Real),
        Kind::Text => row
            .try_get::<_, Option<String>>(i)
            .doing(&doing)?
            .map(Value::Text),
        Kind::Bool => row
            .try_get::<_, Option<bool>>(i)
            .doing(&doing)?
            .map(Value::Bool),
        Kind::Date => row
            .try_get::<_, Option<NaiveDate>>(i)
            .doing(&doing)?
            .map(Value::Date),
        Kind::Time => row
            .try_get::<_, Option<DateTime<Utc>>>(i)
            .doing(&doing)?
            .map(Value::Time),
        Kind::Json => row
            .try_get::<_, Option<String>>(i)
            .doing(&doing)?
            .map(|s| canonical_json(&s, what))
            .transpose()?,
        Kind::Wkb => row
            .try_get::<_, Option<Vec<u8>>>(i)
            .doing(&doing)?
            .map(Value::Wkb),
        Kind::Bytes => row
            .try_get::<_, Option<Vec<u8>>>(i)
            .doing(&doing)?
            .map(Value::Bytes),
    }
    .unwrap_or(Value::Null))
}

/// The INSERT of `rows` rows of one table; `item_version` also gets each row's PostGIS
/// geometry (the parameter after the row's columns).
fn insert_sql(table: &Table, rows: usize) -> String {
    let geom = table.name == "item_version";
    let per_row = table.columns.len() + usize::from(geom);
    let tuples: Vec<String> = (0..rows)
        .map(|r| {
            let base = r * per_row;
            let mut values: Vec<String> = (table.columns.iter().enumerate())
                .map(|(i, c)| insert_expr(base + i + 1, c.kind))
                .collect();
            if geom {
                values.push(format!("ST_GeomFromWKB(${}::bytea, 4326)", base + per_row));
            }
            format!("({})", values.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO {} ({}{}) OVERRIDING SYSTEM VALUE VALUES {}",
        table.name,
        table.column_list(),
        if geom { ", geom" } else { "" },
        tuples.join(", ")
    )
}

/// Rows waiting to be written, all of one table: one INSERT per [`BATCH`] rows saves a round
/// trip per row.
#[derive(Default)]
struct Pending {
    table: Option<&'static Table>,
    rows: Vec<Vec<Value>>,
    /// `item_version` only: each row's PostGIS geometry.
    geometry: Vec<Option<Vec<u8>>>,
    /// Bytes of files among the rows.
    file_bytes: usize,
    /// Prepared INSERTs by (table, number of rows).
    statements: HashMap<(&'static str, usize), Statement>,
}

impl Pending {
    fn push(
        &mut self,
        tx: &mut Transaction<'_>,
        table: &'static Table,
        row: &[Value],
    ) -> Result<()> {
        table_index(table)?;
        check_row(table, row)?;
        if self.table.is_some_and(|t| t.name != table.name) {
            self.flush(tx)?;
        }
        self.table = Some(table);
        let mut row = row.to_vec();
        if table.name == "item_version" {
            let apart = split_record(table, &mut row)?;
            self.geometry.push(match apart {
                Some(wkb) => Some(wkb),
                None => version_geometry(table, &row)?,
            });
        }
        self.file_bytes += (row.iter())
            .map(|v| match v {
                Value::Bytes(b) => b.len(),
                _ => 0,
            })
            .sum::<usize>();
        self.rows.push(row);
        if self.rows.len() >= BATCH || self.file_bytes >= BATCH_BYTES {
            self.flush(tx)?;
        }
        Ok(())
    }

    fn flush(&mut self, tx: &mut Transaction<'_>) -> Result<()> {
        let Some(table) = self.table else {
            return Ok(());
        };
        if self.rows.is_empty() {
            return Ok(());
        }
        let doing = format!("writing rows of {}; nothing was written", table.name);
        let statement = match self.statements.entry((table.name, self.rows.len())) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(
                tx.prepare(&insert_sql(table, self.rows.len()))
                    .doing(&doing)?,
            ),
        };
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            params.extend(row.iter().zip(table.columns).map(|(v, c)| param(v, c.kind)));
            if let Some(g) = self.geometry.get(i) {
                params.push(g);
            }
        }
        tx.execute(statement, &params).doing(&doing)?;
        self.rows.clear();
        self.geometry.clear();
        self.file_bytes = 0;
        Ok(())
    }
}

/// The WKB of the geometry of a version's record (`record` being its JSON) other than a
/// hazard's polygons (those are stored apart from the record: [`split_record`]).
fn version_geometry(table: &Table, row: &[Value]) -> Result<Option<Vec<u8>>> {
    let record = table.columns.iter().position(|c| c.name == "record");
    let Some(Value::Json(json)) = record.and_then(|i| row.get(i)) else {
        return Err(StoreError::Transfer("a version without its record".into()));
    };
    let record: Record =
        serde_json::from_str(json).map_err(|e| StoreError::corrupt("item_version.record", e))?;
    record_geometry(&record)
        .map(|g| encode_geometry(&g))
        .transpose()
}

impl Dump for PostgresStore {
    fn dump(&self, f: &mut RowSink<'_>) -> Result<()> {
        let mut client = self.client()?;
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .doing("starting a read transaction")?;
        dump_tables(&mut tx, f)?;
        tx.commit().doing("ending the read transaction")?;
        Ok(())
    }
}

/// Streams every table of [`TABLES`] inside the caller's (repeatable-read) transaction.
pub(super) fn dump_tables(tx: &mut Transaction<'_>, f: &mut RowSink<'_>) -> Result<()> {
    for table in TABLES {
        let doing = format!("reading table {}", table.name);
        let apart = has_record_geometry(table);
        let mut columns: Vec<String> = (table.columns.iter())
            .map(|c| select_expr(c.name, c.kind))
            .collect();
        if apart {
            columns.push(super::items::hazard_geometry!().into());
        }
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {}",
            columns.join(", "),
            table.name,
            table.order_by("\"C\"")
        );
        let portal = tx.bind(&sql, &[]).doing(&doing)?;
        let mut values = Vec::with_capacity(table.columns.len());
        loop {
            let page = if table.has_bytes() { FILE_PAGE } else { PAGE };
            let rows = tx.query_portal(&portal, page).doing(&doing)?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                values.clear();
                for (i, c) in table.columns.iter().enumerate() {
                    values.push(read(row, i, c.kind, &format!("{}.{}", table.name, c.name))?);
                }
                if apart {
                    let geometry: Option<Vec<u8>> =
                        row.try_get(table.columns.len()).doing(&doing)?;
                    whole_record(table, &mut values, geometry.as_deref())?;
                }
                f(table, &values)?;
            }
        }
    }
    Ok(())
}

impl Load for PostgresStore {
    fn load(&mut self, source: &dyn Dump) -> Result<()> {
        let mut tx = self.write_tx()?;
        let mut counts = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let n: i64 = tx
                .query_one(&format!("SELECT count(*) FROM {}", table.name), &[])
                .doing(&format!("counting the rows of {}", table.name))?
                .get(0);
            counts.push((table.name, n));
        }
        ensure_empty(counts)?;
        let mut pending = Pending::default();
        source.dump(&mut |table, row| pending.push(&mut tx, table, row))?;
        pending.flush(&mut tx)?;
        for table in IDENTITY_TABLES {
            tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table}"
                ),
                &[],
            )
            .doing(&format!(
                "moving the id sequence of {table} past the copied ids"
            ))?;
        }
        tx.commit().doing("committing the copy")?;
        let tables: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        self.analyze(&tables)
    }
}
