//! Import batches on PostgreSQL: reports submitted (and approved for a migration) with the
//! import's checkpoint, in one transaction. Reports that only create items are staged and
//! written together ([`crate::engine::staged`]); any other report is written in its own
//! savepoint, so one bad report does not stop the others.

use chrono::Utc;
use postgres::GenericClient;

use super::reports::insert_report;
use super::{Doing, Pg, PostgresStore, audit};
use crate::engine::approval::approve_in;
use crate::engine::staged::import_reports;
use crate::{ImportBatch, ReportId, ReportStatus, Result, StoreError, ValidReport};

fn write_one<C: GenericClient>(
    c: &mut C,
    actor: &str,
    report: &ValidReport,
    batch: &ImportBatch<'_>,
) -> Result<ReportId> {
    report
        .still_valid(Utc::now().date_naive())
        .map_err(StoreError::Invalid)?;
    let id = insert_report(c, actor, report, ReportStatus::Submitted)?;
    if let Some(options) = &batch.approve {
        approve_in(&mut Pg(c), actor, id, options)?;
    }
    Ok(id)
}

impl PostgresStore {
    pub(crate) fn do_import_batch(
        &mut self,
        actor: &str,
        batch: &ImportBatch<'_>,
    ) -> Result<Vec<Result<ReportId>>> {
        let mut tx = self.write_tx()?;
        let catalogue = super::reference::catalogue(&mut tx)?;
        let results = import_reports(
            Pg(&mut tx),
            actor,
            batch,
            catalogue.as_ref(),
            &mut |pg, report| {
                let mut sp =
                    pg.0.savepoint("import_report")
                        .doing("starting a savepoint")?;
                // Dropping the savepoint on failure rolls this report back.
                let id = write_one(&mut sp, actor, report, batch)?;
                sp.commit().doing("releasing a savepoint")?;
                Ok(id)
            },
        )?;
        if let Some(checkpoint) = &batch.checkpoint {
            let position = i64::try_from(checkpoint.position).unwrap_or(i64::MAX);
            tx.execute(
                "INSERT INTO import_checkpoint (key, position, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET position = excluded.position, \
                 updated_at = excluded.updated_at",
                &[&checkpoint.key, &position, &Utc::now()],
            )
            .doing("moving the import checkpoint")?;
            audit(
                &mut tx,
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
        tx.commit().doing("committing an import batch")?;
        Ok(results)
    }

    /// Refreshes the planner's statistics of the tables an import writes when its `records`
    /// are a tenth or more of the versions the planner knows of (autovacuum's own rule, without
    /// its wait), or the tables were never analysed. A small import into a large programme
    /// (a form upload) does not pay for it: 1.5 s for 220,000 items.
    pub(crate) fn do_import_finished(&mut self, records: usize) -> Result<()> {
        let planned: f32 = self
            .client()?
            .query_one(
                "SELECT reltuples FROM pg_class WHERE oid = 'item_version'::regclass",
                &[],
            )
            .doing("reading the planner's estimate of the versions")?
            .get(0);
        if planned > 0.0 && (records as f64) < 0.1 * f64::from(planned) {
            return Ok(());
        }
        self.analyze(&[
            "report",
            "item",
            "item_version",
            "item_link",
            "victim_personal_data",
            "hazard_current",
            "audit",
        ])
    }

    pub(crate) fn do_import_checkpoint(&self, key: &str) -> Result<Option<u64>> {
        let doing = "reading an import checkpoint";
        let position: Option<i64> = self
            .client()?
            .query_opt(
                "SELECT position FROM import_checkpoint WHERE key = $1",
                &[&key],
            )
            .doing(doing)?
            .map(|r| r.try_get(0))
            .transpose()
            .doing(doing)?;
        Ok(position.map(|p| p.max(0) as u64))
    }
}
