//! Invariant checks: what a crash, a bug or a hand edit must never leave behind.

use super::SqliteStore;
use super::items::hazard_state;
use crate::engine::items::compare_cached;
use crate::{AsOf, Result};

impl SqliteStore {
    pub(crate) fn do_check_consistency(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let integrity: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if integrity != "ok" {
            problems.push(format!("SQLite integrity check: {integrity}"));
        }
        let mut fk = self.conn.prepare("PRAGMA foreign_key_check")?;
        let fk_rows: Vec<String> = fk
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        for table in fk_rows {
            problems.push(format!("dangling foreign key in table {table}"));
        }
        let queries: [(&str, &str); 8] = [
            (
                "SELECT id FROM item WHERE NOT EXISTS \
                 (SELECT 1 FROM item_version v WHERE v.item_id = item.id)",
                "has no version",
            ),
            (
                "SELECT 'report:' || id FROM report r WHERE status = 'approved' AND \
                 json_array_length(body) <> \
                 (SELECT count(*) FROM item_version v WHERE v.report_id = r.id)",
                "is approved but its versions are missing",
            ),
            (
                "SELECT DISTINCT 'report:' || r.id FROM report r JOIN item_version v \
                 ON v.report_id = r.id WHERE r.status <> 'approved'",
                "has versions but is not approved",
            ),
            (
                "SELECT 'report:' || id FROM report WHERE status IN ('approved', 'rejected') \
                 AND (decided_by IS NULL OR decided_at IS NULL)",
                "is decided but has no decider or time",
            ),
            (
                "SELECT i.id FROM item i WHERE i.kind = 'hazard' AND NOT EXISTS \
                 (SELECT 1 FROM hazard_current h WHERE h.item_id = i.id)",
                "is a hazard without a current state",
            ),
            (
                // One approval upsert per version, seqs 1, 2, 3 … without a gap (crate::outbox).
                "SELECT 'outbox' WHERE (SELECT count(*) FROM outbox) <> \
                 (SELECT coalesce(max(seq), 0) FROM outbox) OR \
                 (SELECT count(*) FROM outbox WHERE operation = 'upsert' AND cause = 'approval') <> \
                 (SELECT count(*) FROM item_version)",
                "does not hold one entry per approved version in seqs without gaps; restore the \
                 last backup that passes this check",
            ),
            (
                "SELECT 'attachment:' || a.id FROM attachment a JOIN report r \
                 ON r.id = a.report_id \
                 WHERE a.size <> length(a.bytes) OR a.entry_index >= json_array_length(r.body)",
                "has another size than its bytes, or names an entry its report lacks",
            ),
            (
                "SELECT 'detection:' || id FROM detection \
                 WHERE (verdict = 'confirmed') <> (eo_find IS NOT NULL) \
                 OR (report_id IS NOT NULL AND verdict <> 'confirmed') \
                 OR (verdict = 'pending') <> (verdict_by IS NULL)",
                "has a verdict without who gave it, or is confirmed without its EO find (or \
                 has a find or report without being confirmed)",
            ),
        ];
        for (sql, what) in queries {
            let mut stmt = self.conn.prepare(sql)?;
            let rows: Vec<String> = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            problems.extend(rows.into_iter().map(|id| format!("{id} {what}")));
        }
        for cached in self.current_hazards()? {
            let fresh = hazard_state(&self.conn, &cached.item, AsOf::now())?;
            compare_cached(&cached, fresh.as_ref(), &mut problems);
        }
        let rtree: i64 = self
            .conn
            .query_row("SELECT count(*) FROM hazard_rtree", [], |r| r.get(0))?;
        let with_geometry: i64 = self.conn.query_row(
            "SELECT count(*) FROM hazard_current WHERE geometry IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        if rtree != with_geometry {
            problems.push(format!(
                "spatial index holds {rtree} hazards but {with_geometry} have a geometry"
            ));
        }
        Ok(problems)
    }
}
