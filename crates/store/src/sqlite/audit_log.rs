//! Reading the audit log on SQLite.

use rusqlite::params;

use super::{SqliteStore, decoded_rows, fmt_time, parse_time};
use crate::audit::{AuditPage, AuditQuery};
use crate::{AuditEntry, Result};

const COLUMNS: &str = "id, at, actor, action, target, detail";

/// The filters of an [`AuditQuery`] (cursor excluded), parameters ?1 to ?4.
const FILTERS: &str = "(?1 IS NULL OR actor = ?1) \
     AND (?2 IS NULL OR substr(action, 1, length(?2)) = ?2) \
     AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4)";

type Raw = (i64, String, String, String, String, Option<String>);

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
        decoded_rows(
            &self.conn,
            &format!("SELECT {COLUMNS} FROM audit ORDER BY id"),
            [],
            decode,
        )
    }

    pub(crate) fn do_audit_page(&self, q: &AuditQuery) -> Result<AuditPage> {
        let (since, until) = (q.since.map(fmt_time), q.until.map(fmt_time));
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM audit WHERE {FILTERS}"),
            params![q.actor, q.action, since, until],
            |r| r.get(0),
        )?;
        let limit = i64::try_from(q.limit.saturating_add(1)).unwrap_or(i64::MAX);
        let entries = decoded_rows(
            &self.conn,
            &format!(
                "SELECT {COLUMNS} FROM audit WHERE {FILTERS} AND (?5 IS NULL OR id < ?5) \
                 ORDER BY id DESC LIMIT ?6"
            ),
            params![q.actor, q.action, since, until, q.before, limit],
            decode,
        )?;
        Ok(AuditPage::from_rows(
            entries,
            u64::try_from(total).unwrap_or(0),
            q.limit,
        ))
    }
}
