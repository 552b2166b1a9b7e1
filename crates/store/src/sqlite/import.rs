//! Import batches: reports submitted (and approved for a migration) with the import's
//! checkpoint, in one transaction. Reports that only create items are staged and written
//! together ([`crate::engine::staged`]); any other report is written in its own savepoint, so
//! one bad report does not stop the others.

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};

use super::reports::insert_report;
use super::{Sql, SqliteStore, audit, fmt_time};
use crate::engine::approval::approve_in;
use crate::engine::staged::import_reports;
use crate::{ImportBatch, ReportId, ReportStatus, Result, StoreError, ValidReport};

fn write_one(
    conn: &Connection,
    actor: &str,
    report: &ValidReport,
    batch: &ImportBatch<'_>,
) -> Result<ReportId> {
    report
        .still_valid(Utc::now().date_naive())
        .map_err(StoreError::Invalid)?;
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
        let tx = self.write_tx()?;
        let catalogue = super::reference::catalogue(&tx)?;
        let results = import_reports(
            Sql(&tx),
            actor,
            batch,
            catalogue.as_ref(),
            &mut |sql, report| {
                let conn = sql.0;
                conn.execute_batch("SAVEPOINT import_report")?;
                match write_one(conn, actor, report, batch) {
                    Ok(id) => {
                        conn.execute_batch("RELEASE import_report")?;
                        Ok(id)
                    }
                    Err(e) => {
                        // This report is rolled back; the others stay.
                        conn.execute_batch("ROLLBACK TO import_report; RELEASE import_report")?;
                        Err(e)
                    }
                }
            },
        )?;
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
