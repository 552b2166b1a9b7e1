//! Rows of the ordnance reference pages on PostgreSQL ([`crate::ordnance_pages`]).

use chrono::{DateTime, Utc};

use super::{Doing, PostgresStore, audit};
use crate::Result;
use crate::ordnance_pages::{PageRow, PageRows};

impl PageRows for PostgresStore {
    fn page_rows(&self, model: Option<&str>) -> Result<Vec<PageRow>> {
        let rows = self
            .client()?
            .query(
                "SELECT page, updated_at, updated_by FROM ordnance_page \
                 WHERE $1::text IS NULL OR model = $1 ORDER BY model",
                &[&model],
            )
            .doing("reading the ordnance pages")?;
        Ok(rows
            .into_iter()
            .map(|r| (r.get(0), r.get::<_, DateTime<Utc>>(1), r.get(2)))
            .collect())
    }

    fn write_page_row(
        &mut self,
        actor: &str,
        model: &str,
        page: Option<&str>,
        action: &str,
    ) -> Result<bool> {
        let mut tx = self.write_tx()?;
        let changed = match page {
            Some(page) => tx.execute(
                "INSERT INTO ordnance_page (model, page, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (model) DO UPDATE SET \
                 page = excluded.page, updated_at = excluded.updated_at, \
                 updated_by = excluded.updated_by",
                &[&model, &page, &Utc::now(), &actor],
            ),
            None => tx.execute("DELETE FROM ordnance_page WHERE model = $1", &[&model]),
        }
        .doing("writing an ordnance page")?;
        audit(&mut tx, actor, action, model, None)?;
        tx.commit().doing("committing an ordnance page")?;
        Ok(changed > 0)
    }

    fn page_audit(&mut self, actor: &str, action: &str, target: &str) -> Result<()> {
        let mut tx = self.write_tx()?;
        audit(&mut tx, actor, action, target, None)?;
        tx.commit().doing("committing an audit line")?;
        Ok(())
    }
}
