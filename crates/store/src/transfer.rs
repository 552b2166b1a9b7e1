//! Copying a whole programme from one backend to another (SQLite ⇄ PostgreSQL), losslessly,
//! and proving it.
//!
//! Every backend [`Dump`]s its rows in a neutral form: the tables of [`TABLES`] in that order
//! (parents before children), each in its key order, every value typed by its column's
//! [`Kind`] (so a SQLite text timestamp and a PostgreSQL `timestamptz` are the same
//! [`Value::Time`]). A backend that can [`Load`] writes such a dump into an empty programme in
//! ONE transaction, keeping every id (reports, items, versions, audit entries, accounts) and
//! moving its counters past them: a failure leaves the target as it was. [`copy`] loads, then
//! verifies: the row count and a SHA-256 over a canonical serialisation of each table's rows,
//! computed on both sides, must be equal.
//!
//! Derived data is copied as well (`hazard_current`: every hazard's current state and
//! remaining geometry), except what each backend builds from the copied rows itself: SQLite's
//! R*Tree of hazard boxes, PostgreSQL's `item_version.geom` (from the record).
//!
//! A version's `record` travels whole: each backend stores a hazard's polygons apart from the
//! rest of its record ([`crate::engine::stored_record`]), puts them back into the record when
//! dumping ([`whole_record`]) and takes them out again when loading ([`split_record`]).

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use crate::engine::stored_record;
use crate::{Result, StoreError};
use Kind::{Bool, Bytes, Date, Int, Json, Real, Text, Time, Wkb};

/// The type of a column, as both backends agree to carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A 64-bit integer.
    Int,
    /// A double.
    Real,
    /// Text.
    Text,
    /// A boolean (SQLite stores 0/1).
    Bool,
    /// A calendar date.
    Date,
    /// An instant in UTC, to the microsecond.
    Time,
    /// A JSON document.
    Json,
    /// A geometry as little-endian WKB.
    Wkb,
    /// Bytes (a file's content).
    Bytes,
}

/// A column of a transferred table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Its name (the same in both schemas).
    pub name: &'static str,
    /// Its type.
    pub kind: Kind,
}

/// A transferred table: its columns (those both backends have) and the columns it is ordered by.
#[derive(Debug)]
pub struct Table {
    /// Its name (the same in both schemas).
    pub name: &'static str,
    /// The columns copied, in order.
    pub columns: &'static [Column],
    /// The columns rows are dumped in order of (a unique key, or every column).
    pub key: &'static [&'static str],
}

impl Table {
    /// The `ORDER BY` list of [`Table::key`], text compared bytewise with `text_collation`
    /// (`"C"` on PostgreSQL, `BINARY` on SQLite), so that both backends give one order.
    pub(crate) fn order_by(&self, text_collation: &str) -> String {
        self.key
            .iter()
            .map(|k| match self.columns.iter().find(|c| c.name == *k) {
                Some(c) if c.kind == Kind::Text => format!("{k} COLLATE {text_collation}"),
                _ => (*k).to_owned(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether rows of the table carry files ([`Kind::Bytes`]): read and written a few at a
    /// time.
    pub(crate) fn has_bytes(&self) -> bool {
        self.columns.iter().any(|c| c.kind == Bytes)
    }

    /// The column names, comma-separated.
    pub(crate) fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

const fn c(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

/// Every table of a programme, parents before children: the order of a dump and a load.
pub const TABLES: &[Table] = &[
    Table {
        name: "report",
        columns: &[
            c("id", Int),
            c("organisation", Text),
            c("title", Text),
            c("source", Text),
            c("date_of_information", Date),
            c("status", Text),
            c("body", Json),
            c("created_by", Text),
            c("created_at", Time),
            c("submitted_by", Text),
            c("submitted_at", Time),
            c("decided_by", Text),
            c("decided_at", Time),
            c("decision_comment", Text),
            c("revision", Int),
        ],
        key: &["id"],
    },
    Table {
        name: "report_personal_data",
        columns: &[c("report_id", Int), c("entry_index", Int), c("data", Json)],
        key: &["report_id", "entry_index"],
    },
    Table {
        name: "id_counter",
        columns: &[c("prefix", Text), c("last", Int)],
        key: &["prefix"],
    },
    Table {
        name: "item",
        columns: &[
            c("id", Text),
            c("kind", Text),
            c("local_id", Text),
            c("created_by_report", Int),
            c("uuid", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "item_version",
        columns: &[
            c("id", Int),
            c("item_id", Text),
            c("report_id", Int),
            c("entry_index", Int),
            c("valid_from", Date),
            c("recorded_at", Time),
            c("record", Json),
        ],
        key: &["id"],
    },
    Table {
        name: "item_link",
        columns: &[
            c("version_id", Int),
            c("from_item", Text),
            c("field", Text),
            c("to_item", Text),
        ],
        key: &["version_id", "from_item", "field", "to_item"],
    },
    Table {
        name: "victim_personal_data",
        columns: &[
            c("id", Int),
            c("item_id", Text),
            c("report_id", Int),
            c("valid_from", Date),
            c("recorded_at", Time),
            c("data", Json),
        ],
        key: &["id"],
    },
    Table {
        name: "hazard_current",
        columns: &[
            c("item_id", Text),
            c("class", Text),
            c("status", Text),
            c("admin_pcode", Text),
            c("organisation", Text),
            c("reported_m2", Real),
            c("original_m2", Real),
            c("cancelled_m2", Real),
            c("reduced_m2", Real),
            c("cleared_m2", Real),
            c("remaining_m2", Real),
            c("geometry", Wkb),
            c("remaining", Wkb),
            c("valid_from", Date),
            c("recorded_at", Time),
            c("name", Text),
        ],
        key: &["item_id"],
    },
    Table {
        name: "audit",
        columns: &[
            c("id", Int),
            c("at", Time),
            c("actor", Text),
            c("action", Text),
            c("target", Text),
            c("detail", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "account",
        columns: &[
            c("id", Int),
            c("username", Text),
            c("display_name", Text),
            c("organisation", Text),
            c("role", Text),
            c("password_hash", Text),
            c("disabled", Bool),
            c("created_at", Time),
        ],
        key: &["id"],
    },
    Table {
        name: "credential",
        columns: &[
            c("token_hash", Text),
            c("account_id", Int),
            c("kind", Text),
            c("label", Text),
            c("created_at", Time),
            c("expires_at", Time),
        ],
        key: &["token_hash"],
    },
    Table {
        name: "login_failure",
        columns: &[c("username", Text), c("at", Time)],
        key: &["username", "at"],
    },
    Table {
        name: "import_checkpoint",
        columns: &[c("key", Text), c("position", Int), c("updated_at", Time)],
        key: &["key"],
    },
    Table {
        name: "account_request",
        columns: &[
            c("id", Int),
            c("action", Text),
            c("username", Text),
            c("display_name", Text),
            c("organisation", Text),
            c("role", Text),
            c("requested_by", Text),
            c("requested_at", Time),
            c("status", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "break_glass",
        columns: &[
            c("id", Int),
            c("holder", Text),
            c("reason", Text),
            c("opened_at", Time),
            c("until", Time),
            c("closed_at", Time),
            c("closed_by", Text),
            c("reviewed_at", Time),
            c("reviewed_by", Text),
            c("review_note", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "outbox",
        columns: &[
            c("seq", Int),
            c("item_id", Text),
            c("version_id", Int),
            c("revision", Int),
            c("operation", Text),
            c("cause", Text),
        ],
        key: &["seq"],
    },
    Table {
        name: "federation_node",
        columns: &[
            c("id", Int),
            c("node", Text),
            c("shared_through", Int),
            c("policy_terms", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "federation_withdrawn",
        columns: &[
            c("item_id", Text),
            c("reason", Text),
            c("withdrawn_by", Text),
            c("withdrawn_at", Time),
        ],
        key: &["item_id"],
    },
    Table {
        name: "reference_source",
        columns: &[
            c("id", Int),
            c("hub", Text),
            c("card", Text),
            c("version", Int),
            c("document", Text),
            c("ordnance", Json),
            c("adopted_at", Time),
        ],
        key: &["id"],
    },
    Table {
        name: "reference_published",
        columns: &[
            c("version", Int),
            c("document", Text),
            c("published_by", Text),
            c("published_at", Time),
        ],
        key: &["version"],
    },
    Table {
        name: "hub",
        columns: &[c("id", Int), c("marked_at", Time)],
        key: &["id"],
    },
    Table {
        name: "hub_node",
        columns: &[
            c("node", Text),
            c("name", Text),
            c("card", Json),
            c("checkpoint", Int),
            c("last_bundle_at", Time),
            c("last_bundle_sha256", Text),
            c("added_at", Time),
        ],
        key: &["node"],
    },
    Table {
        name: "shared_record",
        columns: &[
            c("node", Text),
            c("item_uuid", Text),
            c("kind", Text),
            c("revision", Int),
            c("record", Text),
            c("received_at", Time),
            c("seq", Int),
        ],
        key: &["node", "item_uuid"],
    },
    Table {
        name: "library_document",
        columns: &[
            c("id", Int),
            c("uuid", Text),
            c("title", Text),
            c("language", Text),
            c("country", Text),
            c("doc_type", Text),
            c("imas_topic", Text),
            c("access", Text),
            c("organisation", Text),
            c("created_by", Text),
            c("created_at", Time),
        ],
        key: &["id"],
    },
    Table {
        name: "library_version",
        columns: &[
            c("document", Int),
            c("version", Int),
            c("file_name", Text),
            c("media_type", Text),
            c("size_bytes", Int),
            c("sha256", Text),
            c("link", Text),
            c("note", Text),
            c("text", Text),
            c("uploaded_by", Text),
            c("uploaded_at", Time),
        ],
        key: &["document", "version"],
    },
    Table {
        name: "training_person",
        columns: &[
            c("person_id", Text),
            c("organisation", Text),
            c("sex", Text),
            c("birth_year", Int),
            c("team", Text),
            c("created_at", Time),
        ],
        key: &["person_id"],
    },
    Table {
        name: "training_personal",
        columns: &[
            c("person_id", Text),
            c("name", Text),
            c("contact", Text),
            c("national_id", Text),
        ],
        key: &["person_id"],
    },
    Table {
        name: "training_session",
        columns: &[
            c("id", Int),
            c("competency", Text),
            c("organisation", Text),
            c("place", Text),
            c("start_date", Date),
            c("end_date", Date),
            c("created_at", Time),
        ],
        key: &["id"],
    },
    Table {
        name: "training_instructor",
        columns: &[c("session_id", Int), c("person_id", Text)],
        key: &["session_id", "person_id"],
    },
    Table {
        name: "training_enrolment",
        columns: &[c("session_id", Int), c("person_id", Text)],
        key: &["session_id", "person_id"],
    },
    Table {
        name: "training_assessment",
        columns: &[
            c("id", Int),
            c("session_id", Int),
            c("person_id", Text),
            c("passed", Bool),
            c("score", Real),
            c("assessed_on", Date),
            c("assessor", Text),
            c("recorded_by", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "training_certificate",
        columns: &[
            c("id", Int),
            c("code", Text),
            c("person_id", Text),
            c("competency", Text),
            c("issued_on", Date),
            c("expires_on", Date),
            c("assessment_id", Int),
            c("status", Text),
            c("status_reason", Text),
            c("status_date", Date),
            c("issued_by", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "ordnance_page",
        columns: &[
            c("model", Text),
            c("page", Text),
            c("updated_at", Time),
            c("updated_by", Text),
        ],
        key: &["model"],
    },
    Table {
        name: "hub_training_summary",
        columns: &[
            c("node", Text),
            c("generated_at", Time),
            c("received_at", Time),
            c("document", Text),
        ],
        key: &["node"],
    },
    Table {
        name: "library_origin",
        columns: &[c("document", Int), c("node", Text), c("received_at", Time)],
        key: &["document"],
    },
    Table {
        name: "planning_task",
        columns: &[
            c("task_id", Text),
            c("team", Text),
            c("status", Text),
            c("planned_start", Date),
            c("planned_end", Date),
            c("books", Bool),
            c("task", Text),
            c("updated_at", Time),
        ],
        key: &["task_id"],
    },
    Table {
        name: "planning_setting",
        columns: &[
            c("key", Text),
            c("value", Text),
            c("updated_at", Time),
            c("updated_by", Text),
        ],
        key: &["key"],
    },
    Table {
        name: "planning_layer",
        columns: &[
            c("name", Text),
            c("features", Int),
            c("geojson", Text),
            c("imported_at", Time),
            c("imported_by", Text),
        ],
        key: &["name"],
    },
    Table {
        name: "attachment",
        columns: &[
            c("id", Int),
            c("report_id", Int),
            c("entry_index", Int),
            c("kind", Text),
            c("local_id", Text),
            c("name", Text),
            c("media_type", Text),
            c("size", Int),
            c("sha256", Text),
            c("caption", Text),
            c("bytes", Bytes),
            c("created_by", Text),
            c("created_at", Time),
        ],
        key: &["id"],
    },
    Table {
        name: "field_submission",
        columns: &[
            c("uuid", Text),
            c("report_id", Int),
            c("digest", Text),
            c("form_version", Text),
            c("created_by", Text),
            c("received_at", Time),
        ],
        key: &["uuid"],
    },
    Table {
        name: "orthophoto",
        columns: &[
            c("id", Int),
            c("name", Text),
            c("file", Text),
            c("sha256", Text),
            c("size_bytes", Int),
            c("width", Int),
            c("height", Int),
            c("bands", Int),
            c("epsg", Int),
            c("geotransform", Text),
            c("footprint", Wkb),
            c("resolution_m", Real),
            c("captured_on", Date),
            c("hazards", Text),
            c("activity", Text),
            c("organisation", Text),
            c("added_by", Text),
            c("added_at", Time),
        ],
        key: &["id"],
    },
    Table {
        name: "detection_run",
        columns: &[
            c("id", Int),
            c("orthophoto_id", Int),
            c("model", Text),
            c("model_version", Text),
            c("format", Text),
            c("source_name", Text),
            c("organisation", Text),
            c("detections", Int),
            c("dropped", Text),
            c("added_by", Text),
            c("added_at", Time),
        ],
        key: &["id"],
    },
    Table {
        name: "detection",
        columns: &[
            c("id", Int),
            c("run_id", Int),
            c("class", Text),
            c("confidence", Real),
            c("location", Wkb),
            c("footprint", Wkb),
            c("pixel_bbox", Text),
            c("verdict", Text),
            c("verdict_by", Text),
            c("verdict_at", Time),
            c("verdict_note", Text),
            c("report_id", Int),
            c("eo_find", Text),
        ],
        key: &["id"],
    },
    Table {
        name: "machine_track",
        columns: &[
            c("id", Int),
            c("activity", Text),
            c("machine", Text),
            c("kind", Text),
            c("working_width_m", Real),
            c("source_name", Text),
            c("format", Text),
            c("fixes", Int),
            c("fixes_used", Int),
            c("dropped", Text),
            c("task_m2", Real),
            c("processed_m2", Real),
            c("processed_outside_m2", Real),
            c("coverage_pct", Real),
            c("overlap_m2", Real),
            c("gap_m2", Real),
            c("engaged_length_m", Real),
            c("started_at", Time),
            c("ended_at", Time),
            c("organisation", Text),
            c("added_by", Text),
            c("added_at", Time),
            c("task", Wkb),
            c("processed", Wkb),
            c("gaps", Wkb),
            c("overlap_area", Wkb),
            c("line", Wkb),
        ],
        key: &["id"],
    },
    Table {
        name: "hub_detector_summary",
        columns: &[
            c("node", Text),
            c("generated_at", Time),
            c("received_at", Time),
            c("document", Text),
        ],
        key: &["node"],
    },
];

/// One value of a dumped row, in the neutral form both backends read and write.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// [`Kind::Int`].
    Int(i64),
    /// [`Kind::Real`].
    Real(f64),
    /// [`Kind::Text`].
    Text(String),
    /// [`Kind::Bool`].
    Bool(bool),
    /// [`Kind::Date`].
    Date(NaiveDate),
    /// [`Kind::Time`].
    Time(DateTime<Utc>),
    /// [`Kind::Json`]: canonical text (compact, object keys sorted), so that SQLite's text and
    /// PostgreSQL's `jsonb` dump the same document identically.
    Json(String),
    /// [`Kind::Wkb`].
    Wkb(Vec<u8>),
    /// [`Kind::Bytes`].
    Bytes(Vec<u8>),
}

impl Value {
    /// Whether the value may be stored in a column of `kind` (NULL fits every column).
    fn fits(&self, kind: Kind) -> bool {
        matches!(
            (self, kind),
            (Value::Null, _)
                | (Value::Int(_), Int)
                | (Value::Real(_), Real)
                | (Value::Text(_), Text)
                | (Value::Bool(_), Bool)
                | (Value::Date(_), Date)
                | (Value::Time(_), Time)
                | (Value::Json(_), Json)
                | (Value::Wkb(_), Wkb)
                | (Value::Bytes(_), Bytes)
        )
    }

    /// Feeds the canonical serialisation of the value to a digest: a type tag, then the value
    /// (numbers big-endian, text and bytes prefixed by their length).
    fn feed(&self, h: &mut Sha256) {
        let bytes = |h: &mut Sha256, tag: u8, b: &[u8]| {
            h.update([tag]);
            h.update((b.len() as u64).to_be_bytes());
            h.update(b);
        };
        match self {
            Value::Null => h.update([0]),
            Value::Int(i) => {
                h.update([1]);
                h.update(i.to_be_bytes());
            }
            Value::Real(x) => {
                h.update([2]);
                h.update(x.to_bits().to_be_bytes());
            }
            Value::Text(s) => bytes(h, 3, s.as_bytes()),
            Value::Bool(b) => h.update([4, u8::from(*b)]),
            Value::Date(d) => bytes(h, 5, d.format("%Y-%m-%d").to_string().as_bytes()),
            Value::Time(t) => {
                h.update([6]);
                h.update(t.timestamp_micros().to_be_bytes());
            }
            Value::Json(s) => bytes(h, 7, s.as_bytes()),
            Value::Wkb(b) => bytes(h, 8, b),
            Value::Bytes(b) => bytes(h, 9, b),
        }
    }
}

/// The callback a dump gives every row to, with its table.
pub type RowSink<'a> = dyn FnMut(&'static Table, &[Value]) -> Result<()> + 'a;

/// A store whose programme can be read out table by table.
pub trait Dump {
    /// Gives every row of every table of [`TABLES`] to `f`, in that table order and each
    /// table's key order, from one consistent snapshot; rows are streamed, not collected.
    fn dump(&self, f: &mut RowSink<'_>) -> Result<()>;
}

/// A store that can take in a whole programme.
pub trait Load: Dump {
    /// Writes every row `source` dumps into this store, which must hold no programme data
    /// (refused otherwise), in one transaction, keeping every id and moving the store's own
    /// counters past them. On any error nothing is written.
    fn load(&mut self, source: &dyn Dump) -> Result<()>;
}

/// The row count and checksum of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSum {
    /// The table.
    pub table: &'static str,
    /// Its number of rows.
    pub rows: u64,
    /// SHA-256 (hex) of its rows' canonical serialisation, in key order.
    pub sha256: String,
}

/// The row count and checksum of every table of [`TABLES`], in that order.
pub fn checksums(store: &dyn Dump) -> Result<Vec<TableSum>> {
    let mut state: Vec<(u64, Sha256)> = TABLES.iter().map(|_| (0, Sha256::new())).collect();
    store.dump(&mut |table, row| {
        let (rows, h) = &mut state[table_index(table)?];
        *rows += 1;
        for v in row {
            v.feed(h);
        }
        Ok(())
    })?;
    Ok(TABLES
        .iter()
        .zip(state)
        .map(|(t, (rows, h))| TableSum {
            table: t.name,
            rows,
            sha256: h.finalize().iter().map(|b| format!("{b:02x}")).collect(),
        })
        .collect())
}

/// Copies the programme of `source` into the empty `target` ([`Load::load`]), then verifies
/// the copy: every table's row count and checksum must be the same on both sides. Returns
/// them. A failed verification names the first table that differs.
pub fn copy(source: &dyn Dump, target: &mut dyn Load) -> Result<Vec<TableSum>> {
    target.load(source)?;
    let ours = checksums(source)?;
    let theirs = checksums(target)?;
    for (a, b) in ours.iter().zip(&theirs) {
        if a != b {
            return Err(StoreError::Transfer(format!(
                "verification failed: table {} has {} rows (sha256 {}) in the source but {} \
                 rows (sha256 {}) in the target. If the source was written to during the \
                 copy, stop every writer; then empty the target and migrate again",
                a.table, a.rows, a.sha256, b.rows, b.sha256
            )));
        }
    }
    Ok(ours)
}

/// The position of `table` in [`TABLES`].
pub(crate) fn table_index(table: &Table) -> Result<usize> {
    TABLES
        .iter()
        .position(|t| t.name == table.name)
        .ok_or_else(|| StoreError::Transfer(format!("unknown table {}", table.name)))
}

/// Checks that a dumped row has the table's columns with values of their kinds (SQLite would
/// store anything anywhere).
pub(crate) fn check_row(table: &Table, row: &[Value]) -> Result<()> {
    if row.len() != table.columns.len() {
        return Err(StoreError::Transfer(format!(
            "a row of {} has {} values; the table has {} columns",
            table.name,
            row.len(),
            table.columns.len()
        )));
    }
    match table.columns.iter().zip(row).find(|(c, v)| !v.fits(c.kind)) {
        Some((c, v)) => Err(StoreError::Transfer(format!(
            "{}.{} holds {v:?}, not a value of kind {:?}",
            table.name, c.name, c.kind
        ))),
        None => Ok(()),
    }
}

/// The position of `item_version`'s record column in `table`'s rows (None for other tables).
fn record_column(table: &Table) -> Option<usize> {
    (table.name == "item_version")
        .then(|| table.columns.iter().position(|c| c.name == "record"))
        .flatten()
}

/// Whether `table` is `item_version`, whose records each backend stores in two columns.
pub(crate) fn has_record_geometry(table: &Table) -> bool {
    record_column(table).is_some()
}

/// Makes a dumped version's record whole: `geometry` (WKB, stored beside the record) put back
/// into the record's JSON, canonical again.
pub(crate) fn whole_record(
    table: &Table,
    row: &mut [Value],
    geometry: Option<&[u8]>,
) -> Result<()> {
    let (Some(i), Some(wkb)) = (record_column(table), geometry) else {
        return Ok(());
    };
    if let Some(Value::Json(json)) = row.get(i) {
        let what = format!("{}.record", table.name);
        let whole = stored_record::whole_json(json, Some(wkb), &what)?;
        row[i] = canonical_json(&whole, &what)?;
    }
    Ok(())
}

/// Takes a loaded version's hazard polygons out of its record: the row keeps the rest, and the
/// polygons come back as WKB (None for other kinds and rows without a record).
pub(crate) fn split_record(table: &Table, row: &mut [Value]) -> Result<Option<Vec<u8>>> {
    let Some(i) = record_column(table) else {
        return Ok(None);
    };
    let Some(Value::Json(json)) = row.get(i) else {
        return Ok(None);
    };
    let stored = stored_record::split_json(json, &format!("{}.record", table.name))?;
    if stored.geometry.is_some() {
        row[i] = Value::Json(stored.json);
    }
    Ok(stored.geometry)
}

/// A JSON document as canonical text (compact, object keys sorted).
pub(crate) fn canonical_json(text: &str, what: &str) -> Result<Value> {
    let mut doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| StoreError::corrupt(what, e))?;
    doc.sort_all_objects();
    Ok(Value::Json(doc.to_string()))
}

/// Refuses to load into a store where `rows` (table, number of rows) shows any data.
pub(crate) fn ensure_empty(rows: impl IntoIterator<Item = (&'static str, i64)>) -> Result<()> {
    let full: Vec<String> = rows
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| format!("{t}: {n} rows"))
        .collect();
    if full.is_empty() {
        return Ok(());
    }
    Err(StoreError::Transfer(format!(
        "the target is not empty ({}); migrate into a new, empty database (a new SQLite file, \
         or a PostgreSQL database created with `createdb`)",
        full.join(", ")
    )))
}
