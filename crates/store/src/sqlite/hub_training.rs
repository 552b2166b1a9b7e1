//! The hub's node summaries on SQLite ([`crate::hub_training`], [`crate::hub_detector`]): each
//! kind in its own table, verified before the write transaction, decided and written (with the
//! audit line) inside it.

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};

use super::hub::is_hub;
use super::{SqliteStore, audit, fmt_time, parse_time};
use crate::Result;
use crate::hub::not_a_hub;
use crate::hub_detector::{DETECTOR, HubDetectorStore};
use crate::hub_training::{
    HubTrainingStore, HubTrainingSummary, IncomingTrainingSummary, SummaryPut, SummaryTable,
    TRAINING, audit_detail, decide,
};

/// The registered card of `node`.
fn card(conn: &Connection, node: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT card FROM hub_node WHERE node = ?1", [node], |r| {
            r.get(0)
        })
        .optional()?)
}

impl SqliteStore {
    /// Verifies and stores a summary of the kind `kind` (see [`HubTrainingStore`]).
    fn put_summary(
        &mut self,
        kind: SummaryTable,
        actor: &str,
        summary: &dyn IncomingTrainingSummary,
    ) -> Result<SummaryPut> {
        if !is_hub(self.connection())? {
            return Err(not_a_hub());
        }
        let node = summary.node().to_owned();
        let Some(card) = card(self.connection(), &node)? else {
            return Err(kind.unknown_node(&node));
        };
        let generated_at = summary.verify(&card).map_err(|e| kind.refused(e))?;
        let tx = self.write_tx()?;
        let held: Option<String> = tx
            .query_row(
                &format!("SELECT generated_at FROM {} WHERE node = ?1", kind.table),
                [&node],
                |r| r.get(0),
            )
            .optional()?;
        let put = decide(
            &node,
            generated_at,
            held.as_deref().map(parse_time).transpose()?,
        );
        if let SummaryPut::Stored {
            generated_at: stored_at,
            ..
        } = &put
        {
            tx.execute(
                &format!(
                    "INSERT INTO {} (node, generated_at, received_at, document) \
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (node) DO UPDATE SET \
                     generated_at = excluded.generated_at, received_at = excluded.received_at, \
                     document = excluded.document",
                    kind.table
                ),
                params![
                    node,
                    fmt_time(*stored_at),
                    fmt_time(Utc::now()),
                    summary.document()
                ],
            )?;
            audit(&tx, actor, kind.action, &node, Some(&audit_detail(&put)))?;
            tx.commit()?;
        }
        Ok(put)
    }

    /// The latest summaries of the kind `kind` (of `node` only, when given), by node.
    fn summaries(&self, kind: SummaryTable, node: Option<&str>) -> Result<Vec<HubTrainingSummary>> {
        let mut stmt = self.connection().prepare(&format!(
            "SELECT node, generated_at, received_at, document FROM {} \
             WHERE ?1 IS NULL OR node = ?1 ORDER BY node",
            kind.table
        ))?;
        let mut rows = stmt.query([node])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let generated: String = r.get(1)?;
            let received: String = r.get(2)?;
            out.push(HubTrainingSummary {
                node: r.get(0)?,
                generated_at: parse_time(&generated)?,
                received_at: parse_time(&received)?,
                document: r.get(3)?,
            });
        }
        Ok(out)
    }
}

impl HubTrainingStore for SqliteStore {
    fn put_training_summary(
        &mut self,
        actor: &str,
        summary: &dyn IncomingTrainingSummary,
    ) -> Result<SummaryPut> {
        self.put_summary(TRAINING, actor, summary)
    }

    fn training_summaries(&self, node: Option<&str>) -> Result<Vec<HubTrainingSummary>> {
        self.summaries(TRAINING, node)
    }
}

impl HubDetectorStore for SqliteStore {
    fn put_detector_summary(
        &mut self,
        actor: &str,
        summary: &dyn IncomingTrainingSummary,
    ) -> Result<SummaryPut> {
        self.put_summary(DETECTOR, actor, summary)
    }

    fn detector_summaries(&self, node: Option<&str>) -> Result<Vec<HubTrainingSummary>> {
        self.summaries(DETECTOR, node)
    }
}
