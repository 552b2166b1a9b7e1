//! The hub's detector summaries on PostgreSQL ([`crate::hub_detector`]): verified before the
//! write transaction, decided and written (with the audit line) inside it, under the writer
//! lock.

use chrono::Utc;
use postgres::GenericClient;

use super::hub::is_hub;
use super::{Doing, PostgresStore, audit};
use crate::Result;
use crate::hub::not_a_hub;
use crate::hub_detector::{HubDetectorStore, refused, unknown_node};
use crate::hub_training::{
    HubTrainingSummary, IncomingTrainingSummary, SummaryPut, audit_detail, decide,
};

/// The registered card of `node`.
fn card<C: GenericClient>(c: &mut C, node: &str) -> Result<Option<String>> {
    Ok(
        c.query_opt("SELECT card::text FROM hub_node WHERE node = $1", &[&node])
            .doing(&format!("reading node {node}'s card"))?
            .map(|r| r.get(0)),
    )
}

impl HubDetectorStore for PostgresStore {
    fn put_detector_summary(
        &mut self,
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
            return Err(unknown_node(&node));
        };
        let generated_at = summary.verify(&card).map_err(refused)?;
        let mut tx = self.write_tx()?;
        let held = tx
            .query_opt(
                "SELECT generated_at FROM hub_detector_summary WHERE node = $1",
                &[&node],
            )
            .doing(&format!("reading node {node}'s detector summary"))?
            .map(|r| r.get(0));
        let put = decide(&node, generated_at, held);
        if let SummaryPut::Stored {
            generated_at: stored_at,
            ..
        } = &put
        {
            tx.execute(
                "INSERT INTO hub_detector_summary (node, generated_at, received_at, document) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (node) DO UPDATE SET \
                 generated_at = excluded.generated_at, received_at = excluded.received_at, \
                 document = excluded.document",
                &[&node, stored_at, &Utc::now(), &summary.document()],
            )
            .doing(&format!("storing node {node}'s detector summary"))?;
            audit(
                &mut tx,
                actor,
                "hub.detector_summary",
                &node,
                Some(&audit_detail(&put)),
            )?;
            tx.commit().doing("committing the detector summary")?;
        }
        Ok(put)
    }

    fn detector_summaries(&self, node: Option<&str>) -> Result<Vec<HubTrainingSummary>> {
        let rows = self
            .client()?
            .query(
                "SELECT node, generated_at, received_at, document FROM hub_detector_summary \
                 WHERE $1::text IS NULL OR node = $1 ORDER BY node",
                &[&node],
            )
            .doing("reading the detector summaries")?;
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
