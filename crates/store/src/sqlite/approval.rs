//! Approval on SQLite: the backend-independent approval of [`crate::engine::approval`] over a
//! write transaction, through the [`Writes`] implementation below.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use safeground_model::{ItemKind, VictimPersonalData};

use super::{Sql, SqliteStore, audit, fmt_date, fmt_time, parse_time};
use crate::engine::approval::approve_in;
use crate::engine::stored_record::StoredRecord;
use crate::engine::{NewVersion, Writes};
use crate::{
    Approval, ApproveOptions, HazardState, ItemVersion, ReportId, Result, StoreError, wkb_codec,
};

pub(super) fn write_current(
    conn: &Connection,
    s: &HazardState,
    valid_from: &str,
    recorded: &str,
) -> Result<()> {
    let (geometry, remaining) = wkb_codec::encode_state(s)?;
    conn.prepare_cached(
        "INSERT INTO hazard_current (item_id, class, status, admin_pcode, organisation, \
         reported_m2, original_m2, cancelled_m2, reduced_m2, cleared_m2, remaining_m2, \
         geometry, remaining, valid_from, recorded_at, name) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        s.item,
        s.class.code(),
        s.status.code(),
        s.admin_pcode,
        s.organisation,
        s.reported_m2,
        s.original_m2,
        s.cancelled_m2,
        s.reduced_m2,
        s.cleared_m2,
        s.remaining_m2,
        geometry,
        remaining,
        valid_from,
        recorded,
        s.name,
    ])?;
    let key = conn.last_insert_rowid();
    if let Some(g) = &s.geometry
        && let Some(rect) = geo_bbox(g)
    {
        conn.prepare_cached(
            "INSERT INTO hazard_rtree (id, minx, maxx, miny, maxy) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![key, rect.0, rect.2, rect.1, rect.3])?;
    }
    Ok(())
}

/// Deletes the cached current state of a hazard, if any.
pub(super) fn delete_current(conn: &Connection, item: &str) -> Result<()> {
    let existing: Option<i64> = conn
        .prepare_cached("SELECT rowid_key FROM hazard_current WHERE item_id = ?1")?
        .query_row([item], |r| r.get(0))
        .optional()?;
    if let Some(key) = existing {
        conn.prepare_cached("DELETE FROM hazard_rtree WHERE id = ?1")?
            .execute([key])?;
        conn.prepare_cached("DELETE FROM hazard_current WHERE rowid_key = ?1")?
            .execute([key])?;
    }
    Ok(())
}

/// (min x, min y, max x, max y) of all coordinates.
fn geo_bbox(mp: &geo_types::MultiPolygon<f64>) -> Option<(f64, f64, f64, f64)> {
    let mut it =
        mp.0.iter()
            .flat_map(|p| p.exterior().0.iter())
            .filter(|c| c.x.is_finite() && c.y.is_finite());
    let first = it.next()?;
    Some(it.fold((first.x, first.y, first.x, first.y), |b, c| {
        (b.0.min(c.x), b.1.min(c.y), b.2.max(c.x), b.3.max(c.y))
    }))
}

/// Appends an upsert entry to the outbox. Its seq is SQLite's rowid of an `INTEGER PRIMARY
/// KEY`: the largest plus 1, and rows are never deleted, so seqs are gap-free; one writer at a
/// time makes them commit in order.
pub(super) fn append_outbox(
    conn: &Connection,
    item: &str,
    version: i64,
    revision: u32,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO outbox (item_id, version_id, revision, operation) \
         VALUES (?1, ?2, ?3, 'upsert')",
    )?
    .execute(params![item, version, revision])?;
    Ok(())
}

impl SqliteStore {
    pub(crate) fn do_approve_report(
        &mut self,
        actor: &str,
        id: ReportId,
        options: &ApproveOptions,
    ) -> Result<Approval> {
        let tx = self.write_tx()?;
        let approval = approve_in(&mut Sql(&tx), actor, id, options)?;
        tx.commit()?;
        Ok(approval)
    }
}

impl Writes for Sql<'_> {
    fn last_recorded_at(&mut self) -> Result<Option<DateTime<Utc>>> {
        let last: Option<String> = self
            .0
            .prepare_cached("SELECT max(recorded_at) FROM item_version")?
            .query_row([], |r| r.get(0))?;
        last.map(|t| parse_time(&t)).transpose()
    }

    fn next_item_id(&mut self, kind: ItemKind) -> Result<String> {
        let prefix = kind.id_prefix();
        let n: i64 = self
            .0
            .prepare_cached(
                "INSERT INTO id_counter (prefix, last) VALUES (?1, 1) \
                 ON CONFLICT (prefix) DO UPDATE SET last = last + 1 RETURNING last",
            )?
            .query_row([prefix], |r| r.get(0))?;
        Ok(format!("{prefix}-{n:06}"))
    }

    fn insert_item(
        &mut self,
        item: &str,
        kind: ItemKind,
        local_id: &str,
        report: ReportId,
        uuid: &str,
    ) -> Result<()> {
        self.0.execute(
            "INSERT INTO item (id, kind, local_id, created_by_report, uuid) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![item, kind.code(), local_id, report, uuid],
        )?;
        Ok(())
    }

    fn insert_version(&mut self, v: NewVersion<'_>) -> Result<i64> {
        let stored = StoredRecord::of(&v.record)?;
        self.0.execute(
            "INSERT INTO item_version (item_id, report_id, entry_index, valid_from, \
             recorded_at, record, geometry) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                v.item,
                v.report,
                v.entry_index as i64,
                fmt_date(v.valid_from),
                fmt_time(v.recorded_at),
                stored.json,
                stored.geometry,
            ],
        )?;
        Ok(self.0.last_insert_rowid())
    }

    fn append_outbox(&mut self, item: &str, version: i64, revision: u32) -> Result<()> {
        append_outbox(self.0, item, version, revision)
    }

    fn insert_link(&mut self, version: i64, from: &str, field: &str, to: &str) -> Result<()> {
        self.0.execute(
            "INSERT INTO item_link (version_id, from_item, field, to_item) \
             VALUES (?1, ?2, ?3, ?4)",
            params![version, from, field, to],
        )?;
        Ok(())
    }

    fn insert_personal_data(
        &mut self,
        item: &str,
        report: ReportId,
        valid_from: NaiveDate,
        recorded_at: DateTime<Utc>,
        data: &VictimPersonalData,
    ) -> Result<()> {
        let data =
            serde_json::to_string(data).map_err(|e| StoreError::corrupt("personal data", e))?;
        self.0.execute(
            "INSERT INTO victim_personal_data (item_id, report_id, valid_from, \
             recorded_at, data) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                item,
                report,
                fmt_date(valid_from),
                fmt_time(recorded_at),
                data
            ],
        )?;
        Ok(())
    }

    fn replace_hazard_current(
        &mut self,
        item: &str,
        current: Option<(&ItemVersion, HazardState)>,
    ) -> Result<()> {
        let conn = self.0;
        delete_current(conn, item)?;
        let Some((version, state)) = current else {
            return Ok(());
        };
        write_current(
            conn,
            &state,
            &fmt_date(version.valid_from),
            &fmt_time(version.recorded_at),
        )
    }

    fn mark_approved(
        &mut self,
        id: ReportId,
        actor: &str,
        recorded_at: DateTime<Utc>,
        comment: Option<&str>,
    ) -> Result<()> {
        self.0.execute(
            "UPDATE report SET status = 'approved', revision = revision + 1, decided_by = ?1, \
             decided_at = ?2, decision_comment = ?3 WHERE id = ?4",
            params![actor, fmt_time(recorded_at), comment, id],
        )?;
        Ok(())
    }

    fn audit(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        detail: Option<&str>,
    ) -> Result<()> {
        audit(self.0, actor, action, target, detail)
    }
}
