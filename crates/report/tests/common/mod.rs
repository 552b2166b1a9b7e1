//! Shared test helpers: stores with the demo or a hand-made programme, and an independent
//! computation of the report's figures with plain SQL over the SQLite file.
#![allow(clippy::unwrap_used, dead_code)]

pub mod check;
pub mod programme;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use geo_types::{LineString, MultiPolygon, Polygon};
use rusqlite::Connection;
use safeground_model::Record;
use safeground_report::{Cell, Table};
use safeground_store::{
    ApproveOptions, AsOf, NewReport, ProgrammeStore, Reconcile, ReportEntry, SqliteStore,
};

/// A day.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The demo programme of `hazards` hazards, submitted and approved into a new file.
pub fn demo(dir: &Path, hazards: usize, seed: u64) -> (SqliteStore, PathBuf) {
    let path = dir.join("demo.sqlite");
    let mut store = SqliteStore::create(&path).unwrap();
    let programme = safeground_demo::generate(hazards, seed, d("2025-12-31"));
    for id in store.submit_batch("t", &programme.reports).unwrap() {
        store
            .approve_report("t", id, &ApproveOptions::default())
            .unwrap();
    }
    (store, path)
}

/// Submits and approves one report.
pub fn approve(
    store: &mut SqliteStore,
    day: &str,
    entries: Vec<ReportEntry>,
    backdated: bool,
) -> Vec<String> {
    let id = store
        .submit_batch(
            "t",
            &[NewReport {
                organisation: None,
                title: "test".into(),
                source: None,
                date_of_information: d(day),
                entries,
            }],
        )
        .unwrap()[0];
    let options = ApproveOptions {
        comment: None,
        allow_backdated: backdated,
        four_eyes: false,
    };
    store.approve_report("t", id, &options).unwrap().items
}

/// An entry that updates the item with this local id.
pub fn update(record: Record, item: &str) -> ReportEntry {
    ReportEntry {
        record,
        reconcile: Reconcile::Update {
            item: item.into(),
            base_version: None,
        },
        personal_data: None,
    }
}

/// A rectangle in degrees.
pub fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![Polygon::new(
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
        vec![],
    )])
}

/// Relative closeness of two areas (absolute near zero).
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// The numbers of a cell (counts and areas), NaN for anything else.
pub fn num(c: &Cell) -> f64 {
    match c {
        Cell::Count(n) => *n as f64,
        Cell::Area(a) | Cell::Percent(a) => *a,
        _ => f64::NAN,
    }
}

/// Rows of a report table as key → numbers, keys made by `key` from the row's cells.
pub fn table_map(
    t: &Table,
    key: impl Fn(&dyn Fn(&str) -> String) -> String,
    nums: &[&str],
) -> BTreeMap<String, Vec<f64>> {
    let mut out = BTreeMap::new();
    for (i, _) in t.rows.iter().enumerate() {
        let get = |k: &str| t.cell(i, k).and_then(Cell::text).unwrap_or("").to_owned();
        let values = nums.iter().map(|k| num(t.cell(i, k).unwrap())).collect();
        assert!(
            out.insert(key(&get), values).is_none(),
            "{}: duplicate row",
            t.id
        );
    }
    out
}

/// The total row's numbers.
pub fn total(t: &Table, nums: &[&str]) -> Vec<f64> {
    nums.iter().map(|k| num(t.total_cell(k).unwrap())).collect()
}

/// Asserts two key → numbers maps equal (rows of zeros on either side left out; counts exact,
/// areas within 1e-6 relative).
pub fn assert_maps(
    what: &str,
    got: &BTreeMap<String, Vec<f64>>,
    want: &BTreeMap<String, Vec<f64>>,
) {
    let nonzero = |m: &BTreeMap<String, Vec<f64>>| -> BTreeMap<String, Vec<f64>> {
        m.iter()
            .filter(|(_, v)| v.iter().any(|x| x.abs() > 1e-9))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let (got, want) = (nonzero(got), nonzero(want));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "{what}: row keys"
    );
    for (k, g) in &got {
        let w = &want[k];
        assert_eq!(g.len(), w.len(), "{what} {k}");
        for (i, (a, b)) in g.iter().zip(w).enumerate() {
            assert!(
                close(*a, *b),
                "{what} {k} column {i}: report {a} vs SQL {b}"
            );
        }
    }
}

/// Column sums of a map.
pub fn sums(m: &BTreeMap<String, Vec<f64>>, n: usize) -> Vec<f64> {
    let mut out = vec![0.0; n];
    for v in m.values() {
        for (o, x) in out.iter_mut().zip(v) {
            *o += x;
        }
    }
    out
}

/// Asserts two rows of numbers equal.
pub fn assert_row(what: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        assert!(close(*a, *b), "{what} column {i}: report {a} vs SQL {b}");
    }
}

/// The selection the SQL applies.
pub struct Selection<'a> {
    pub as_of: AsOf,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub admin: Option<&'a str>,
    pub organisation: Option<&'a str>,
    pub donor: Option<&'a str>,
}

fn fmt_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// A second connection to the store's file with temporary tables describing the selection:
/// `p` (parameters), `cur` (the version of every item in force at the as-of point, chosen
/// here), `st` (hazards' derived state and attributes), `cr` (release credits joined to their
/// activity and hazard), `eo` (EO destroyed with the admin area, organisation and contamination
/// of where they were found), `efind` (every EO find with its dates, disposal, admin area and
/// organisation).
pub fn sql(path: &Path, store: &SqliteStore, s: &Selection) -> Connection {
    let conn = Connection::open(path).unwrap();
    let date = s.as_of.date.format("%Y-%m-%d").to_string();
    let known = s
        .as_of
        .known_at
        .map(fmt_time)
        .unwrap_or_else(|| "9999-12-31T23:59:59.999999Z".into());
    conn.execute_batch(
        "CREATE TEMP TABLE p (d TEXT, k TEXT, from_d TEXT, to_d TEXT, period_set INT, \
         prefix TEXT, want_org TEXT, want_donor TEXT)",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO p VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, NULL)",
        rusqlite::params![
            date,
            known,
            s.from.unwrap_or("0000-01-01"),
            s.to.unwrap_or(&date).min(&date),
            s.from.is_some() || s.to.is_some(),
            s.admin.unwrap_or(""),
        ],
    )
    .unwrap();
    conn.execute_batch(
        "CREATE TEMP TABLE cur AS
         SELECT v.item_id, i.kind, v.valid_from, v.recorded_at, v.record
         FROM item_version v JOIN item i ON i.id = v.item_id, p
         WHERE v.valid_from <= p.d AND v.recorded_at <= p.k
           AND NOT EXISTS (SELECT 1 FROM item_version w
               WHERE w.item_id = v.item_id AND w.valid_from <= p.d AND w.recorded_at <= p.k
                 AND (w.valid_from > v.valid_from
                      OR (w.valid_from = v.valid_from AND w.recorded_at > v.recorded_at)));",
    )
    .unwrap();
    if let Some(o) = s.organisation {
        conn.execute(
            "UPDATE p SET want_org = (SELECT item_id FROM cur WHERE kind = 'organisation' \
             AND (item_id = ?1 OR json_extract(record, '$.local_id') = ?1))",
            [o],
        )
        .unwrap();
    }
    if let Some(o) = s.donor {
        conn.execute(
            "UPDATE p SET want_donor = (SELECT item_id FROM cur WHERE kind = 'organisation' \
             AND (item_id = ?1 OR json_extract(record, '$.local_id') = ?1))",
            [o],
        )
        .unwrap();
    }
    // Geodesic areas come from the store: SQLite cannot compute them.
    conn.execute_batch(
        "CREATE TEMP TABLE credit (hazard TEXT, activity TEXT, seq INT, valid_from TEXT, \
         method TEXT, asset TEXT, area REAL);
         CREATE TEMP TABLE state (hazard TEXT, class TEXT, status TEXT, remaining REAL);",
    )
    .unwrap();
    let hazards: Vec<String> = conn
        .prepare("SELECT item_id FROM cur WHERE kind = 'hazard' ORDER BY item_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for h in &hazards {
        let mut seq: BTreeMap<String, i64> = BTreeMap::new();
        for c in store.release_credits(h, s.as_of).unwrap() {
            let k = seq.entry(c.activity.clone()).or_insert(0);
            conn.execute(
                "INSERT INTO credit VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![
                    h,
                    c.activity,
                    *k,
                    c.valid_from.format("%Y-%m-%d").to_string(),
                    c.method.code(),
                    c.asset_type.map(|a| a.code()),
                    c.area_m2
                ],
            )
            .unwrap();
            *k += 1;
        }
        let st = store.hazard_state(h, s.as_of).unwrap().unwrap();
        conn.execute(
            "INSERT INTO state VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![h, st.class.code(), st.status.code(), st.remaining_m2],
        )
        .unwrap();
    }
    conn.execute_batch(
        "CREATE TEMP TABLE st AS
         SELECT s.hazard, s.class, s.status, s.remaining,
                coalesce(json_extract(h.record, '$.admin_pcode'), '') AS pcode,
                json_extract(h.record, '$.organisation') AS org,
                coalesce(json_extract(h.record, '$.contamination'), '[]') AS contamination
         FROM state s JOIN cur h ON h.item_id = s.hazard;
         CREATE TEMP TABLE cr AS
         SELECT c.hazard, c.valid_from, CAST(substr(c.valid_from, 1, 4) AS INT) AS year,
                c.method, coalesce(c.asset, '') AS asset,
                coalesce(json_extract(a.record,
                    '$.released_areas[' || c.seq || '].technical_asset_used'), 0) AS technical,
                json_extract(a.record, '$.released_areas[' || c.seq || '].method') AS json_method,
                c.area,
                coalesce(json_extract(h.record, '$.admin_pcode'), '') AS pcode,
                coalesce(json_extract(a.record, '$.organisation'),
                         json_extract(h.record, '$.organisation')) AS org,
                coalesce(json_extract(h.record, '$.contamination'), '[]') AS contamination
         FROM credit c JOIN cur h ON h.item_id = c.hazard JOIN cur a ON a.item_id = c.activity, p
         WHERE p.want_donor IS NULL OR json_extract(a.record, '$.donor') = p.want_donor;
         CREATE TEMP TABLE eo AS
         SELECT json_extract(e.record, '$.category') AS category,
                coalesce(json_extract(e.record, '$.model'), '') AS model,
                json_extract(e.record, '$.quantity') AS quantity,
                json_extract(e.record, '$.destroyed_date') AS destroyed,
                coalesce(json_extract(h.record, '$.admin_pcode'),
                         json_extract(a.record, '$.admin_pcode'), '') AS pcode,
                coalesce(json_extract(a.record, '$.organisation'),
                         json_extract(h.record, '$.organisation')) AS org,
                coalesce(json_extract(h.record, '$.contamination'), '[]') AS contamination
         FROM p, cur e
         LEFT JOIN cur a ON a.kind = 'activity' AND a.item_id = json_extract(e.record, '$.activity')
         LEFT JOIN cur h ON h.kind = 'hazard' AND h.item_id =
              coalesce(json_extract(e.record, '$.hazard'), json_extract(a.record, '$.hazard'))
         WHERE e.kind = 'eo_find' AND json_extract(e.record, '$.destroyed_date') IS NOT NULL
           AND (p.want_donor IS NULL OR json_extract(a.record, '$.donor') = p.want_donor);
         CREATE TEMP TABLE efind AS
         SELECT json_extract(e.record, '$.category') AS category,
                json_extract(e.record, '$.quantity') AS quantity,
                json_extract(e.record, '$.found_date') AS found,
                json_extract(e.record, '$.destroyed_date') AS destroyed,
                json_extract(e.record, '$.disposal') AS disposal,
                coalesce(json_extract(h.record, '$.admin_pcode'),
                         json_extract(a.record, '$.admin_pcode'), '') AS pcode,
                coalesce(json_extract(a.record, '$.organisation'),
                         json_extract(h.record, '$.organisation')) AS org
         FROM p, cur e
         LEFT JOIN cur a ON a.kind = 'activity' AND a.item_id = json_extract(e.record, '$.activity')
         LEFT JOIN cur h ON h.kind = 'hazard' AND h.item_id =
              coalesce(json_extract(e.record, '$.hazard'), json_extract(a.record, '$.hazard'))
         WHERE e.kind = 'eo_find'
           AND (p.want_donor IS NULL OR json_extract(a.record, '$.donor') = p.want_donor);",
    )
    .unwrap();
    let mismatched: i64 = conn
        .query_row(
            "SELECT count(*) FROM cr WHERE json_method IS NOT method",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(mismatched, 0, "credits line up with released areas");
    conn
}

/// SQL condition: the row's `pcode` and `org` columns are in the selection.
pub const IN_SELECTION: &str = "substr(pcode, 1, length(p.prefix)) = p.prefix \
     AND (p.want_org IS NULL OR org = p.want_org)";

/// SQL condition: `valid_from` in the period.
pub const IN_PERIOD: &str = "valid_from >= p.from_d AND valid_from <= p.to_d";

/// Runs a grouping query whose first `keys` columns are text keys (joined with '|') and the
/// rest numbers.
pub fn query_map(conn: &Connection, sql: &str, keys: usize) -> BTreeMap<String, Vec<f64>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |r| {
            let key: Vec<String> = (0..keys)
                .map(|i| {
                    r.get::<_, Option<rusqlite::types::Value>>(i)
                        .map(|v| match v {
                            Some(rusqlite::types::Value::Text(s)) => s,
                            Some(rusqlite::types::Value::Integer(i)) => i.to_string(),
                            _ => String::new(),
                        })
                })
                .collect::<Result<_, _>>()?;
            let values: Vec<f64> = (keys..n)
                .map(|i| r.get::<_, Option<f64>>(i).map(|v| v.unwrap_or(0.0)))
                .collect::<Result<_, _>>()?;
            Ok((key.join("|"), values))
        })
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}
