//! The hub's node summaries on PostgreSQL ([`crate::hub_training`], [`crate::hub_detector`]):
//! each kind in its own table, verified before the write transaction, decided and written (with
//! the audit line) inside it, under the writer lock.

use chrono::Utc;
use postgres::GenericClient;

use super::hub::is_hub;
use super::{Doing, PostgresStore, audit};
use crate::Result;
use crate::hub::not_a_hub;
use crate::hub_detector::{DETECTOR, HubDetectorStore};
use crate::hub_training::{
    HubTrainingStore, HubTrainingSummary, IncomingTrainingSummary, SummaryPut, SummaryTable,
    TRAINING, audit_detail, decide,
};

/// The registered card of `node`.
fn card<C: GenericClient>(c: &mut C, node: &str) -> Result<Option<String>> {
    Ok(
        c.query_opt("SELECT card::text FROM hub_node WHERE node = $1", &[&node])
            .doing(&format!("reading node {node}'s card"))?
            .map(|r| r.get(0)),
    )
}

impl PostgresStore {
    /// Verifies and stores a summary of the kind `kind` (see [`HubTrainingStore`]).
    fn put_summary(
        &mut self,
        kind: SummaryTable,
        actor: &str,
        summary: &dyn IncomingTrainingSummary,
    ) -> Result<SummaryPut> {
        let node = summary.node().to_owned();
        let card = {
            let mut c = self.client()?;
            if !is_hub(&mut *c)? {
                return Err(not_a_hub());
            }
            card(&mut *c, &node)?
        };
        let Some(card) = card else {
            return Err(kind.unknown_node(&node));
        };
        let generated_at = summary.verify(&card).map_err(|e| kind.refused(e))?;
        let mut tx = self.write_tx()?;
        let held = tx
            .query_opt(
                &format!("SELECT generated_at FROM {} WHERE node = $1", kind.table),
                &[&node],
            )
            .doing(&format!("reading node {node}'s {}", kind.name))?
            .map(|r| r.get(0));
        let put = decide(&node, generated_at, held);
        if let SummaryPut::Stored {
            generated_at: stored_at,
            ..
        } = &put
        {
            tx.execute(
                &format!(
                    "INSERT INTO {} (node, generated_at, received_at, document) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (node) DO UPDATE SET \
                     generated_at = excluded.generated_at, received_at = excluded.received_at, \
                     document = excluded.document",
                    kind.table
                ),
                &[&node, stored_at, &Utc::now(), &summary.document()],
            )
            .doing(&format!("storing node {node}'s {}", kind.name))?;
            audit(
                &mut tx,
                actor,
                kind.action,
                &node,
                Some(&audit_detail(&put)),
            )?;
            tx.commit()
                .doing(&format!("committing the {}", kind.name))?;
        }
        Ok(put)
    }

    /// The latest summaries of the kind `kind` (of `node` only, when given), by node.
    fn summaries(&self, kind: SummaryTable, node: Option<&str>) -> Result<Vec<HubTrainingSummary>> {
        let rows = self
            .client()?
            .query(
                &format!(
                    "SELECT node, generated_at, received_at, document FROM {} \
                     WHERE $1::text IS NULL OR node = $1 ORDER BY node",
                    kind.table
                ),
                &[&node],
            )
            .doing(&format!("reading the {}s", kind.name))?;
        Ok(rows
            .iter()
            .map(|r| HubTrainingSummary {
                node: r.get(0),
                generated_at: r.get(1),
                received_at: r.get(2),
                document: r.get(3),
            })
            .collect())
    }
}

impl HubTrainingStore for PostgresStore {
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

impl HubDetectorStore for PostgresStore {
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
