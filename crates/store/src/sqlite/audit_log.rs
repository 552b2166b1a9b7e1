//! Reading the audit log on SQLite.

use rusqlite::{Row, params};

use super::{SqliteStore, fmt_time, parse_time};
use crate::audit::{AuditPage, AuditQuery};
use crate::{AuditEntry, Result};

const COLUMNS: &str = "id, at, actor, action, target, detail";

/// The filters of an [`AuditQuery`] (cursor excluded), parameters ?1 to ?4.
const FILTERS: &str = "(?1 IS NULL OR actor = ?1) \
     AND (?2 IS NULL OR substr(action, 1, length(?2)) = ?2) \
     AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4)";

type Raw = (i64, String, String, String, String, Option<String>);

fn raw(r: &Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn decode((id, at, actor, action, target, detail): Raw) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id,
        at: parse_time(&at)?,
        actor,
        action,
        target,
        detail,
    })
}

impl SqliteStore {
    pub(crate) fn do_audit_log(&self) -> Result<Vec<AuditEntry>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM audit ORDER BY id"))?;
        let rows = stmt
            .query_map([], raw)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(decode).collect()
    }

    pub(crate) fn do_audit_page(&self, q: &AuditQuery) -> Result<AuditPage> {
        let (since, until) = (q.since.map(fmt_time), q.until.map(fmt_time));
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM audit WHERE {FILTERS}"),
            params![q.actor, q.action, since, until],
            |r| r.get(0),
        )?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM audit WHERE {FILTERS} AND (?5 IS NULL OR id < ?5) \
             ORDER BY id DESC LIMIT ?6"
        ))?;
        let limit = i64::try_from(q.limit.saturating_add(1)).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(
                params![q.actor, q.action, since, until, q.before, limit],
                raw,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let entries = rows.into_iter().map(decode).collect::<Result<Vec<_>>>()?;
        Ok(AuditPage::from_rows(
            entries,
            u64::try_from(total).unwrap_or(0),
            q.limit,
        ))
    }
}
