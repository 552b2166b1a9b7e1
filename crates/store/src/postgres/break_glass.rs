//! Rows of break-glass grants on PostgreSQL.

use chrono::{DateTime, Utc};
use postgres::Row;

use super::{Doing, PostgresStore, audit};
use crate::Result;
use crate::break_glass::{BreakGlass, GrantAudit, GrantRows, target};

const COLUMNS: &str = "id, holder, reason, opened_at, until, closed_at, closed_by, reviewed_at, \
                       reviewed_by, review_note";

const DOING: &str = "reading break-glass grants";

fn decode(r: &Row) -> Result<BreakGlass> {
    Ok(BreakGlass {
        id: r.try_get(0).doing(DOING)?,
        holder: r.try_get(1).doing(DOING)?,
        reason: r.try_get(2).doing(DOING)?,
        opened_at: r.try_get(3).doing(DOING)?,
        until: r.try_get(4).doing(DOING)?,
        closed_at: r.try_get(5).doing(DOING)?,
        closed_by: r.try_get(6).doing(DOING)?,
        reviewed_at: r.try_get(7).doing(DOING)?,
        reviewed_by: r.try_get(8).doing(DOING)?,
        review_note: r.try_get(9).doing(DOING)?,
    })
}

impl GrantRows for PostgresStore {
    fn insert_grant(&mut self, g: &BreakGlass, a: &GrantAudit<'_>) -> Result<Option<i64>> {
        let doing = "opening a break-glass grant";
        let mut tx = self.write_tx()?;
        let row = tx
            .query_opt(
                "INSERT INTO break_glass (holder, reason, opened_at, until) \
                 SELECT $1::text, $2::text, $3::timestamptz, $4::timestamptz \
                 WHERE NOT EXISTS (SELECT 1 FROM break_glass \
                 WHERE holder = $1 AND closed_at IS NULL AND until > $3) RETURNING id",
                &[&g.holder, &g.reason, &g.opened_at, &g.until],
            )
            .doing(doing)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: i64 = row.try_get(0).doing(doing)?;
        audit(&mut tx, a.actor, a.action, &target(id), Some(&a.detail))?;
        tx.commit().doing(doing)?;
        Ok(Some(id))
    }

    fn grant_rows(&self, holder: Option<&str>) -> Result<Vec<BreakGlass>> {
        self.client()?
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM break_glass \
                     WHERE $1::text IS NULL OR holder = $1 ORDER BY id DESC"
                ),
                &[&holder],
            )
            .doing(DOING)?
            .iter()
            .map(decode)
            .collect()
    }

    fn close_grant(
        &mut self,
        id: i64,
        by: &str,
        at: DateTime<Utc>,
        a: &GrantAudit<'_>,
    ) -> Result<bool> {
        let doing = "closing a break-glass grant";
        let mut tx = self.write_tx()?;
        let changed = tx
            .execute(
                "UPDATE break_glass SET closed_at = $2, closed_by = $3 \
                 WHERE id = $1 AND closed_at IS NULL AND until > $2",
                &[&id, &at, &by],
            )
            .doing(doing)?;
        if changed == 0 {
            return Ok(false);
        }
        audit(&mut tx, a.actor, a.action, &target(id), Some(&a.detail))?;
        tx.commit().doing(doing)?;
        Ok(true)
    }

    fn review_grant(
        &mut self,
        id: i64,
        by: &str,
        at: DateTime<Utc>,
        note: &str,
        a: &GrantAudit<'_>,
    ) -> Result<bool> {
        let doing = "reviewing a break-glass grant";
        let mut tx = self.write_tx()?;
        let changed = tx
            .execute(
                "UPDATE break_glass SET reviewed_at = $2, reviewed_by = $3, review_note = $4 \
                 WHERE id = $1 AND reviewed_at IS NULL",
                &[&id, &at, &by, &note],
            )
            .doing(doing)?;
        if changed == 0 {
            return Ok(false);
        }
        audit(&mut tx, a.actor, a.action, &target(id), Some(&a.detail))?;
        tx.commit().doing(doing)?;
        Ok(true)
    }
}

/// The audit detail naming the grant `actor` holds at `at` (`break-glass N: reason`), if any:
/// every personal-data read of a holder names the grant it was made under.
pub(super) fn grant_detail<C: postgres::GenericClient>(
    c: &mut C,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<Option<String>> {
    let row = c
        .query_opt(
            "SELECT id, reason FROM break_glass \
             WHERE holder = $1 AND closed_at IS NULL AND until > $2 ORDER BY id DESC LIMIT 1",
            &[&actor, &at],
        )
        .doing(DOING)?;
    row.map(|r| -> Result<String> {
        let id: i64 = r.try_get(0).doing(DOING)?;
        let reason: String = r.try_get(1).doing(DOING)?;
        Ok(format!("break-glass {id}: {reason}"))
    })
    .transpose()
}
