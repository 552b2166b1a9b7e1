//! Reading the audit log on PostgreSQL.

use postgres::Row;

use super::{Doing, PostgresStore};
use crate::audit::{AuditPage, AuditQuery};
use crate::{AuditEntry, Result};

const COLUMNS: &str = "id, at, actor, action, target, detail";

/// The filters of an [`AuditQuery`] (cursor excluded), parameters $1 to $4.
const FILTERS: &str = "($1::text IS NULL OR actor = $1) \
     AND ($2::text IS NULL OR starts_with(action, $2)) \
     AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)";

const DOING: &str = "reading the audit log";

fn decode(r: &Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.try_get(0).doing(DOING)?,
        at: r.try_get(1).doing(DOING)?,
        actor: r.try_get(2).doing(DOING)?,
        action: r.try_get(3).doing(DOING)?,
        target: r.try_get(4).doing(DOING)?,
        detail: r.try_get(5).doing(DOING)?,
    })
}

impl PostgresStore {
    pub(crate) fn do_audit_log(&self) -> Result<Vec<AuditEntry>> {
        self.client()?
            .query(&format!("SELECT {COLUMNS} FROM audit ORDER BY id"), &[])
            .doing(DOING)?
            .iter()
            .map(decode)
            .collect()
    }

    pub(crate) fn do_audit_page(&self, q: &AuditQuery) -> Result<AuditPage> {
        let mut client = self.client()?;
        let total: i64 = client
            .query_one(
                &format!("SELECT count(*) FROM audit WHERE {FILTERS}"),
                &[&q.actor, &q.action, &q.since, &q.until],
            )
            .doing(DOING)?
            .try_get(0)
            .doing(DOING)?;
        let limit = i64::try_from(q.limit.saturating_add(1)).unwrap_or(i64::MAX);
        let entries = client
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM audit WHERE {FILTERS} \
                     AND ($5::bigint IS NULL OR id < $5) ORDER BY id DESC LIMIT $6"
                ),
                &[&q.actor, &q.action, &q.since, &q.until, &q.before, &limit],
            )
            .doing(DOING)?
            .iter()
            .map(decode)
            .collect::<Result<Vec<_>>>()?;
        Ok(AuditPage::from_rows(
            entries,
            u64::try_from(total).unwrap_or(0),
            q.limit,
        ))
    }
}
