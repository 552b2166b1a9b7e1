//! Invariant checks on PostgreSQL: what a crash, a bug or a hand edit must never leave behind.
//! (Foreign keys are always enforced by PostgreSQL, so there is no foreign-key scan.)

use super::{Doing, Pg, PostgresStore};
use crate::engine::items::compare_cached;
use crate::{AsOf, Result, engine};

/// Queries returning the id of something wrong, with what is wrong.
const CHECKS: [(&str, &str); 8] = [
    (
        "SELECT id FROM item WHERE NOT EXISTS \
         (SELECT 1 FROM item_version v WHERE v.item_id = item.id)",
        "has no version",
    ),
    (
        "SELECT 'report:' || id FROM report r WHERE status = 'approved' AND \
         jsonb_array_length(body) <> \
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
        "SELECT 'attachment:' || a.id FROM attachment a JOIN report r ON r.id = a.report_id \
         WHERE a.size <> octet_length(a.bytes) OR a.entry_index >= jsonb_array_length(r.body)",
        "has another size than its bytes, or names an entry its report lacks",
    ),
    (
        "SELECT 'detection:' || id FROM detection \
         WHERE (verdict = 'confirmed') <> (eo_find IS NOT NULL) \
         OR (report_id IS NOT NULL AND verdict <> 'confirmed') \
         OR (verdict = 'pending') <> (verdict_by IS NULL)",
        "has a verdict without who gave it, or is confirmed without its EO find (or has a \
         find or report without being confirmed)",
    ),
];

impl PostgresStore {
    pub(crate) fn do_check_consistency(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        for (sql, what) in CHECKS {
            let rows = self
                .client()?
                .query(sql, &[])
                .doing("checking consistency")?;
            for row in rows {
                let id: String = row.try_get(0).doing("checking consistency")?;
                problems.push(format!("{id} {what}"));
            }
        }
        for cached in self.current_hazards()? {
            let fresh =
                engine::hazard_state(&mut Pg(&mut *self.client()?), &cached.item, AsOf::now())?;
            compare_cached(&cached, fresh.as_ref(), &mut problems);
        }
        Ok(problems)
    }
}
