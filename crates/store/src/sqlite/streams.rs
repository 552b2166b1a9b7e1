//! Streaming reads of the current state: one row at a time, so memory stays constant on
//! collections of any size (OGC API Features, tiles, exports).

use rusqlite::params;
use safeground_model::ItemKind;

use super::items::{decode_version, version_from_row};
use super::{SqliteStore, parse_date};
use crate::lists::{Dialect, records, register};
use crate::{
    Flow, HazardState, ItemVersion, RecordListPage, RecordListQuery, RegisterPage, RegisterQuery,
    Result, StoreError, wkb_codec,
};

/// A hazard-state row: id, class, status, admin P-code, organisation, reported, original,
/// cancelled, reduced, cleared and remaining m², geometry, remaining (WKB), date of
/// information, local id, name.
fn decode_state(r: &rusqlite::Row<'_>) -> Result<HazardState> {
    let item: String = r.get(0)?;
    let class: String = r.get(1)?;
    let status: String = r.get(2)?;
    // Borrowed, not copied out of SQLite's row.
    let blob = |i: usize| -> Result<Option<&[u8]>> {
        (r.get_ref(i)?.as_blob_or_null())
            .map_err(|e| StoreError::corrupt(format!("hazard_current {item}"), e))
    };
    let (geometry, remaining) = wkb_codec::decode_state_pair(blob(11)?, blob(12)?)?;
    let valid_from: String = r.get(13)?;
    Ok(HazardState {
        class: class
            .parse()
            .map_err(|e| StoreError::corrupt(format!("hazard_current {item}"), e))?,
        status: status
            .parse()
            .map_err(|e| StoreError::corrupt(format!("hazard_current {item}"), e))?,
        admin_pcode: r.get(3)?,
        organisation: r.get(4)?,
        reported_m2: r.get(5)?,
        original_m2: r.get(6)?,
        cancelled_m2: r.get(7)?,
        reduced_m2: r.get(8)?,
        cleared_m2: r.get(9)?,
        remaining_m2: r.get(10)?,
        geometry,
        remaining,
        valid_from: parse_date(&valid_from)?,
        local_id: r.get(14)?,
        name: r.get(15)?,
        item,
    })
}

/// The lists' SQL on SQLite.
const LISTS: Dialect = Dialect {
    current: "{items} JOIN item_version v ON v.id = (SELECT id FROM item_version \
              WHERE item_id = i.id ORDER BY valid_from DESC, recorded_at DESC LIMIT 1)",
    field_text: "CASE json_type(v.record, {p}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' \
                 WHEN 'null' THEN '' ELSE coalesce(json_extract(v.record, {p}), '') END",
    field_number: "CASE WHEN json_type(v.record, {p}) IN ('integer', 'real') \
                   THEN json_extract(v.record, {p}) END",
    any_field: "EXISTS (SELECT 1 FROM json_each(v.record) j \
                WHERE j.key NOT IN ('kind', 'geometry', 'released_areas') \
                AND instr(lower(CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' \
                WHEN 'null' THEN '' ELSE j.value END), {q}) > 0)",
    position: "instr",
    no_geometry: "NULL",
    path: |name| format!("$.\"{name}\""),
    bytewise: "",
    date_text: "v.valid_from",
    record: "v.record",
    record_geometry: "v.geometry",
    param: '?',
    text: "",
};

impl SqliteStore {
    pub(crate) fn do_record_list(&self, q: &RecordListQuery) -> Result<RecordListPage> {
        let sql = records::statements(q, &LISTS);
        let mut total = None;
        let mut versions = |statement: &str, params: &[String]| -> Result<Vec<ItemVersion>> {
            let mut stmt = self.conn.prepare(statement)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(decode_version(version_from_row(r)?)?);
                if r.as_ref().column_count() > 6 {
                    total = Some(r.get::<_, i64>(6)?);
                }
            }
            Ok(out)
        };
        let first = versions(&sql.first, &sql.params[..1])?.into_iter().next();
        let page = versions(&sql.page, &sql.params)?;
        let total = match total {
            Some(n) => n,
            None if q.offset == 0 => 0,
            None => self.conn.prepare(&sql.count)?.query_row(
                rusqlite::params_from_iter(&sql.params[..sql.filter_params]),
                |r| r.get(0),
            )?,
        };
        Ok(RecordListPage {
            total: usize::try_from(total).unwrap_or(0),
            first,
            versions: page,
        })
    }

    pub(crate) fn do_hazard_register(&self, q: &RegisterQuery) -> Result<RegisterPage> {
        let (count, page) = register::statements(q, &LISTS);
        let needle = q.needle();
        let (class, status) = (q.class.map(|c| c.code()), q.status.map(|s| s.code()));
        let mut stmt = self.conn.prepare_cached(&page)?;
        let mut rows = stmt.query(params![
            class,
            status,
            q.admin_pcode,
            q.organisation,
            needle,
            i64::try_from(q.limit).unwrap_or(i64::MAX),
            i64::try_from(q.offset).unwrap_or(i64::MAX),
        ])?;
        let (mut hazards, mut total) = (Vec::new(), None);
        while let Some(r) = rows.next()? {
            hazards.push(decode_state(r)?);
            total = r.get::<_, Option<i64>>(16)?;
        }
        let total = match total {
            Some(n) => n,
            None if hazards.is_empty() && q.offset == 0 => 0,
            None => self.conn.prepare_cached(&count)?.query_row(
                params![class, status, q.admin_pcode, q.organisation, needle],
                |r| r.get(0),
            )?,
        };
        Ok(RegisterPage {
            total: usize::try_from(total).unwrap_or(0),
            hazards,
        })
    }

    pub(crate) fn do_for_each_current(
        &self,
        kind: ItemKind,
        after: Option<&str>,
        f: &mut dyn FnMut(ItemVersion) -> Result<Flow>,
    ) -> Result<()> {
        // The current version of an item: greatest date of information, then latest approval.
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.item_id, v.report_id, v.valid_from, v.recorded_at, v.record, v.geometry \
             FROM item i JOIN item_version v ON v.id = ( \
                 SELECT id FROM item_version WHERE item_id = i.id \
                 ORDER BY valid_from DESC, recorded_at DESC LIMIT 1) \
             WHERE i.kind = ?1 AND i.id > ?2 ORDER BY i.id",
        )?;
        let mut rows = stmt.query(params![kind.code(), after.unwrap_or("")])?;
        while let Some(r) = rows.next()? {
            if f(decode_version(version_from_row(r)?)?)? == Flow::Stop {
                break;
            }
        }
        Ok(())
    }

    pub(crate) fn do_for_each_hazard_state(
        &self,
        after: Option<&str>,
        f: &mut dyn FnMut(HazardState) -> Result<Flow>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT h.item_id, h.class, h.status, h.admin_pcode, h.organisation, h.reported_m2, \
             h.original_m2, h.cancelled_m2, h.reduced_m2, h.cleared_m2, h.remaining_m2, \
             h.geometry, h.remaining, h.valid_from, i.local_id, coalesce(h.name, i.local_id) \
             FROM hazard_current h JOIN item i ON i.id = h.item_id \
             WHERE h.item_id > ?1 ORDER BY h.item_id",
        )?;
        let mut rows = stmt.query([after.unwrap_or("")])?;
        while let Some(r) = rows.next()? {
            let state = decode_state(r)?;
            if f(state)? == Flow::Stop {
                break;
            }
        }
        Ok(())
    }
}
