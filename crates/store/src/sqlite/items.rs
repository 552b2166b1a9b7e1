//! Reading items: versions, "as of" reads, derived hazard state, land-release summary.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
use safeground_model::{ItemKind, VictimPersonalData};

use super::{Sql, SqliteStore, as_of_bounds, audit, parse_date, parse_time};
use crate::engine::items::accumulate;
use crate::engine::{self, Reads, stored_record};
use crate::{AsOf, HazardState, ItemVersion, LandReleaseRow, ReleaseCredit, Result, StoreError};

const VERSION_COLUMNS: &str = "item_id, report_id, valid_from, recorded_at, record, geometry";

/// A version as read: item, report, valid from, recorded at, record JSON, geometry WKB.
pub(crate) type RawVersion = (String, i64, String, String, String, Option<Vec<u8>>);

/// Reads the six columns of a version from `row`, starting at column 0.
pub(crate) fn version_from_row(row: &Row<'_>) -> rusqlite::Result<RawVersion> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    ))
}

pub(crate) fn decode_version(raw: RawVersion) -> Result<ItemVersion> {
    let (item, report, valid_from, recorded_at, record, geometry) = raw;
    Ok(ItemVersion {
        record: stored_record::load(&record, geometry.as_deref(), &format!("version of {item}"))?,
        item,
        report,
        valid_from: parse_date(&valid_from)?,
        recorded_at: parse_time(&recorded_at)?,
    })
}

pub(crate) fn versions(conn: &Connection, item: &str) -> Result<Vec<ItemVersion>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {VERSION_COLUMNS} FROM item_version WHERE item_id = ?1 \
         ORDER BY valid_from, recorded_at"
    ))?;
    let rows = stmt
        .query_map([item], version_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(decode_version).collect()
}

pub(crate) fn item_as_of(
    conn: &Connection,
    item: &str,
    as_of: AsOf,
) -> Result<Option<ItemVersion>> {
    let (date, known) = as_of_bounds(as_of);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {VERSION_COLUMNS} FROM item_version \
         WHERE item_id = ?1 AND valid_from <= ?2 AND recorded_at <= ?3 \
         ORDER BY valid_from DESC, recorded_at DESC LIMIT 1"
    ))?;
    stmt.query_row(params![item, date, known], version_from_row)
        .optional()?
        .map(decode_version)
        .transpose()
}

/// Number of versions of an item (0 when it does not exist).
pub(crate) fn version_count(conn: &Connection, item: &str) -> Result<u32> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM item_version WHERE item_id = ?1")?
        .query_row([item], |r| r.get(0))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

pub(crate) fn item_kind(conn: &Connection, item: &str) -> Result<Option<ItemKind>> {
    let kind: Option<String> = conn
        .prepare_cached("SELECT kind FROM item WHERE id = ?1")?
        .query_row([item], |r| r.get(0))
        .optional()?;
    kind.map(|k| {
        k.parse::<ItemKind>()
            .map_err(|e| StoreError::corrupt(format!("item {item}"), e))
    })
    .transpose()
}

/// The derived state of a hazard at `as_of`, computed from versions (never from the cache).
pub(crate) fn hazard_state(
    conn: &Connection,
    item: &str,
    as_of: AsOf,
) -> Result<Option<HazardState>> {
    engine::hazard_state(&mut Sql(conn), item, as_of)
}

/// The credits of every released polygon of a hazard at `as_of`.
pub(crate) fn release_credits(
    conn: &Connection,
    item: &str,
    as_of: AsOf,
) -> Result<Vec<ReleaseCredit>> {
    engine::release_credits(&mut Sql(conn), item, as_of)
}

/// Items whose version at `as_of` refers to `item`, with the referring field, in id order.
pub(crate) fn linked_items(
    conn: &Connection,
    item: &str,
    as_of: AsOf,
) -> Result<Vec<(&'static str, ItemVersion)>> {
    engine::linked_items(&mut Sql(conn), item, as_of)
}

impl Reads for Sql<'_> {
    fn load_report(&mut self, id: crate::ReportId) -> Result<crate::Report> {
        super::load_report(self.0, id)
    }

    fn item_kind(&mut self, item: &str) -> Result<Option<ItemKind>> {
        item_kind(self.0, item)
    }

    fn items_with_local_id(&mut self, local_id: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT id, kind FROM item WHERE local_id = ?1 LIMIT 2")?;
        let found = stmt
            .query_map([local_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(found)
    }

    fn version_count(&mut self, item: &str) -> Result<u32> {
        version_count(self.0, item)
    }

    fn item_as_of(&mut self, item: &str, as_of: AsOf) -> Result<Option<ItemVersion>> {
        item_as_of(self.0, item, as_of)
    }

    fn items_linking_to(&mut self, item: &str) -> Result<Vec<String>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT DISTINCT from_item FROM item_link WHERE to_item = ?1 ORDER BY from_item",
        )?;
        let ids = stmt
            .query_map([item], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    fn items_of_kind(&mut self, kind: ItemKind) -> Result<Vec<String>> {
        items_of_kind(self.0, kind)
    }

    fn hazards_in_box(&mut self, [min_x, min_y, max_x, max_y]: [f64; 4]) -> Result<Vec<String>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT h.item_id FROM hazard_rtree r JOIN hazard_current h ON h.rowid_key = r.id \
             WHERE r.maxx >= ?1 AND r.minx <= ?3 AND r.maxy >= ?2 AND r.miny <= ?4 \
             ORDER BY h.item_id",
        )?;
        let ids = stmt
            .query_map(params![min_x, min_y, max_x, max_y], |r| {
                r.get::<_, String>(0)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }
}

pub(crate) fn items_of_kind(conn: &Connection, kind: ItemKind) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM item WHERE kind = ?1 ORDER BY id")?;
    let ids = stmt
        .query_map([kind.code()], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

impl SqliteStore {
    pub(crate) fn do_victim_personal_data(
        &mut self,
        actor: &str,
        item: &str,
        as_of: AsOf,
    ) -> Result<Option<VictimPersonalData>> {
        let (date, known) = as_of_bounds(as_of);
        let tx = self.write_tx()?;
        let data: Option<String> = tx
            .query_row(
                "SELECT data FROM victim_personal_data \
                 WHERE item_id = ?1 AND valid_from <= ?2 AND recorded_at <= ?3 \
                 ORDER BY valid_from DESC, recorded_at DESC LIMIT 1",
                params![item, date, known],
                |r| r.get(0),
            )
            .optional()?;
        let grant = super::break_glass::grant_detail(&tx, actor, chrono::Utc::now())?;
        audit(&tx, actor, "personal_data.read", item, grant.as_deref())?;
        tx.commit()?;
        data.map(|d| {
            serde_json::from_str(&d)
                .map_err(|e| StoreError::corrupt(format!("personal data of {item}"), e))
        })
        .transpose()
    }

    pub(crate) fn do_land_release_summary(&self, as_of: AsOf) -> Result<Vec<LandReleaseRow>> {
        let mut rows = BTreeMap::new();
        if as_of == AsOf::now() {
            // Current state: read the derived cache kept up to date by every approval.
            for s in self.current_hazards()? {
                accumulate(&mut rows, &s);
            }
        } else {
            for item in items_of_kind(&self.conn, ItemKind::Hazard)? {
                if let Some(s) = hazard_state(&self.conn, &item, as_of)? {
                    accumulate(&mut rows, &s);
                }
            }
        }
        Ok(rows.into_values().collect())
    }

    /// The derived current state of every hazard, from the cache kept by approvals.
    pub fn current_hazards(&self) -> Result<Vec<HazardState>> {
        let mut out = Vec::new();
        self.do_for_each_hazard_state(None, &mut |s| {
            out.push(s);
            Ok(crate::Flow::Continue)
        })?;
        Ok(out)
    }
}
