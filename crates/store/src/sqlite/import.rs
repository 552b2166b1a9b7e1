//! Import batches: reports submitted (and approved for a migration) with the import's
//! checkpoint, in one transaction; each report in its own savepoint so one bad report does not
//! stop the others.

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};

use super::reports::insert_report;
use super::{Sql, SqliteStore, audit, fmt_time};
use crate::engine::approval::approve_in;
use crate::validation::validate_report;
use crate::{ImportBatch, NewReport, ReportId, ReportStatus, Result, StoreError};

fn write_one(
    conn: &Connection,
    actor: &str,
    report: &NewReport,
    batch: &ImportBatch<'_>,
) -> Result<ReportId> {
    validate_report(report, Utc::now().date_naive()).map_err(StoreError::Invalid)?;
    let id = insert_report(conn, actor, report, ReportStatus::Submitted)?;
    if let Some(options) = &batch.approve {
        approve_in(&mut Sql(conn), actor, id, options)?;
    }
    Ok(id)
}

impl SqliteStore {
    pub(crate) fn do_import_batch(
        &mut self,
        actor: &str,
        batch: &ImportBatch<'_>,
    ) -> Result<Vec<Result<ReportId>>> {
        let mut tx = self.write_tx()?;
        let mut results = Vec::with_capacity(batch.reports.len());
        for report in batch.reports {
            let sp = tx.savepoint()?;
            match write_one(&sp, actor, report, batch) {
                Ok(id) => {
                    sp.commit()?;
                    results.push(Ok(id));
                }
                // Dropping the savepoint rolls this report back.
                Err(e) if batch.all_or_nothing => return Err(e),
                Err(e) => results.push(Err(e)),
            }
        }
        if let Some(checkpoint) = &batch.checkpoint {
            tx.execute(
                "INSERT INTO import_checkpoint (key, position, updated_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (key) DO UPDATE SET position = excluded.position, \
                 updated_at = excluded.updated_at",
                params![
                    checkpoint.key,
                    checkpoint.position as i64,
                    fmt_time(Utc::now())
                ],
            )?;
            audit(
                &tx,
                actor,
                "import.batch",
                &format!("import:{}", checkpoint.key),
                Some(&format!(
                    "{} reports written, position {}",
                    results.iter().filter(|r| r.is_ok()).count(),
                    checkpoint.position
                )),
            )?;
        }
        tx.commit()?;
        Ok(results)
    }

    pub(crate) fn do_import_checkpoint(&self, key: &str) -> Result<Option<u64>> {
        let position: Option<i64> = self
            .conn
            .query_row(
                "SELECT position FROM import_checkpoint WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?;
        Ok(position.map(|p| p.max(0) as u64))
    }
}
