//! Rows of break-glass grants on SQLite.

use chrono::{DateTime, Utc};
use rusqlite::{Row, params};

use super::{SqliteStore, audit, fmt_time, parse_time};
use crate::Result;
use crate::break_glass::{BreakGlass, GrantAudit, GrantRows, target};

const COLUMNS: &str = "id, holder, reason, opened_at, until, closed_at, closed_by, reviewed_at, \
                       reviewed_by, review_note";

type Raw = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn raw(r: &Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
    ))
}

fn decode(raw: Raw) -> Result<BreakGlass> {
    let (id, holder, reason, opened, until, closed, closed_by, reviewed, reviewed_by, note) = raw;
    let time = |t: Option<String>| t.map(|t| parse_time(&t)).transpose();
    Ok(BreakGlass {
        id,
        holder,
        reason,
        opened_at: parse_time(&opened)?,
        until: parse_time(&until)?,
        closed_at: time(closed)?,
        closed_by,
        reviewed_at: time(reviewed)?,
        reviewed_by,
        review_note: note,
    })
}

impl GrantRows for SqliteStore {
    fn insert_grant(&mut self, g: &BreakGlass, a: &GrantAudit<'_>) -> Result<Option<i64>> {
        let tx = self.write_tx()?;
        let inserted = tx.execute(
            "INSERT INTO break_glass (holder, reason, opened_at, until) \
             SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM break_glass \
             WHERE holder = ?1 AND closed_at IS NULL AND until > ?3)",
            params![g.holder, g.reason, fmt_time(g.opened_at), fmt_time(g.until)],
        )?;
        if inserted == 0 {
            return Ok(None);
        }
        let id = tx.last_insert_rowid();
        audit(&tx, a.actor, a.action, &target(id), Some(&a.detail))?;
        tx.commit()?;
        Ok(Some(id))
    }

    fn grant_rows(&self, holder: Option<&str>) -> Result<Vec<BreakGlass>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM break_glass WHERE ?1 IS NULL OR holder = ?1 ORDER BY id DESC"
        ))?;
        let rows = stmt
            .query_map([holder], raw)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(decode).collect()
    }

    fn close_grant(
        &mut self,
        id: i64,
        by: &str,
        at: DateTime<Utc>,
        a: &GrantAudit<'_>,
    ) -> Result<bool> {
        let tx = self.write_tx()?;
        let changed = tx.execute(
            "UPDATE break_glass SET closed_at = ?2, closed_by = ?3 \
             WHERE id = ?1 AND closed_at IS NULL AND until > ?2",
            params![id, fmt_time(at), by],
        )?;
        if changed == 0 {
            return Ok(false);
        }
        audit(&tx, a.actor, a.action, &target(id), Some(&a.detail))?;
        tx.commit()?;
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
        let tx = self.write_tx()?;
        let changed = tx.execute(
            "UPDATE break_glass SET reviewed_at = ?2, reviewed_by = ?3, review_note = ?4 \
             WHERE id = ?1 AND reviewed_at IS NULL",
            params![id, fmt_time(at), by, note],
        )?;
        if changed == 0 {
            return Ok(false);
        }
        audit(&tx, a.actor, a.action, &target(id), Some(&a.detail))?;
        tx.commit()?;
        Ok(true)
    }
}

/// The audit detail naming the grant `actor` holds at `at` (`break-glass N: reason`), if any:
/// every personal-data read of a holder names the grant it was made under.
pub(super) fn grant_detail(
    conn: &rusqlite::Connection,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    let row: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, reason FROM break_glass \
             WHERE holder = ?1 AND closed_at IS NULL AND until > ?2 ORDER BY id DESC LIMIT 1",
            params![actor, fmt_time(at)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.map(|(id, reason)| format!("break-glass {id}: {reason}")))
}
