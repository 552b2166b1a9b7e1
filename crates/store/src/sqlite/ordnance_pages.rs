//! Rows of the ordnance reference pages on SQLite ([`crate::ordnance_pages`]).

use rusqlite::params;

use super::{SqliteStore, audit, fmt_time, parse_time};
use crate::Result;
use crate::ordnance_pages::{PageRow, PageRows};

impl PageRows for SqliteStore {
    fn page_rows(&self, model: Option<&str>) -> Result<Vec<PageRow>> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT page, updated_at, updated_by FROM ordnance_page \
             WHERE ?1 IS NULL OR model = ?1 ORDER BY model",
        )?;
        let rows = stmt
            .query_map([model], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(page, at, by)| Ok((page, parse_time(&at)?, by)))
            .collect()
    }

    fn write_page_row(
        &mut self,
        actor: &str,
        model: &str,
        page: Option<&str>,
        action: &str,
    ) -> Result<bool> {
        let tx = self.write_tx()?;
        let changed = match page {
            Some(page) => tx.execute(
                "INSERT INTO ordnance_page (model, page, updated_at, updated_by) \
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (model) DO UPDATE SET \
                 page = excluded.page, updated_at = excluded.updated_at, \
                 updated_by = excluded.updated_by",
                params![model, page, fmt_time(chrono::Utc::now()), actor],
            )?,
            None => tx.execute("DELETE FROM ordnance_page WHERE model = ?1", [model])?,
        };
        audit(&tx, actor, action, model, None)?;
        tx.commit()?;
        Ok(changed > 0)
    }

    fn page_audit(&mut self, actor: &str, action: &str, target: &str) -> Result<()> {
        let tx = self.write_tx()?;
        audit(&tx, actor, action, target, None)?;
        tx.commit()?;
        Ok(())
    }
}
