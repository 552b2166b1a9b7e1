//! The regional hub on PostgreSQL ([`crate::hub`]): the hub mark, nodes, bundles applied in
//! one transaction under the writer lock (in batches of [`super::hub_batch::BATCH`] entries,
//! three statements a batch, written on a second thread while the next is read: see
//! [`super::hub_batch`]), and shared records read in pages of [`PAGE`] (keyset paging on node
//! and item UUID).

use chrono::Utc;
use postgres::{GenericClient, Row};
use safeground_model::ItemKind;

use super::hub_batch::apply_pipelined;
use super::{Doing, PostgresStore, audit};
use crate::hub::{
    BundleImport, HubNode, HubStore, IncomingBundle, NewHubNode, SharedCount, SharedRecord,
    audit_detail, canonical_card, check_new_node, decide, kind, node_card_change, not_a_hub,
    nothing_to_do, sql_int, unknown_node, unsigned, verify,
};
use crate::{Flow, Result, StoreError};

/// Shared records read per round trip.
const PAGE: i64 = 256;

/// Whether the programme is marked as a hub.
pub(super) fn is_hub<C: GenericClient>(c: &mut C) -> Result<bool> {
    Ok(c.query_opt("SELECT 1 FROM hub WHERE id = 1", &[])
        .doing("reading the hub mark")?
        .is_some())
}

/// The card and checkpoint of `node`.
fn node_row<C: GenericClient>(c: &mut C, node: &str) -> Result<Option<(String, u64)>> {
    let row = c
        .query_opt(
            "SELECT card::text, checkpoint FROM hub_node WHERE node = $1",
            &[&node],
        )
        .doing(&format!("reading node {node}'s card"))?;
    row.map(|r| Ok((r.get(0), unsigned(r.get(1), "hub_node.checkpoint")?)))
        .transpose()
}

fn decode_node(r: &Row) -> Result<HubNode> {
    let card: String = r.get(2);
    Ok(HubNode {
        node: r.get(0),
        name: r.get(1),
        card: canonical_card(&card)?,
        checkpoint: unsigned(r.get(3), "hub_node.checkpoint")?,
        last_bundle_at: r.get(4),
        last_bundle_sha256: r.get(5),
        added_at: r.get(6),
    })
}

impl HubStore for PostgresStore {
    fn make_hub(&mut self, actor: &str) -> Result<()> {
        let mut tx = self.write_tx()?;
        if !is_hub(&mut tx)? {
            tx.execute(
                "INSERT INTO hub (id, marked_at) VALUES (1, $1)",
                &[&Utc::now()],
            )
            .doing("marking the programme as a hub")?;
            audit(&mut tx, actor, "hub.init", "hub", None)?;
        }
        tx.commit().doing("committing the hub mark")?;
        Ok(())
    }

    fn is_hub(&self) -> Result<bool> {
        is_hub(&mut *self.client()?)
    }

    fn add_node(&mut self, actor: &str, card: &NewHubNode) -> Result<bool> {
        check_new_node(card)?;
        let mut tx = self.write_tx()?;
        if !is_hub(&mut tx)? {
            return Err(not_a_hub());
        }
        let current = node_row(&mut tx, &card.node)?.map(|(c, _)| c);
        let add = node_card_change(current.as_deref(), card)?;
        if add {
            tx.execute(
                "INSERT INTO hub_node (node, name, card, added_at) \
                 VALUES ($1, $2, $3::text::jsonb, $4)",
                &[&card.node, &card.name, &card.card, &Utc::now()],
            )
            .doing(&format!("registering node {}", card.node))?;
            audit(&mut tx, actor, "hub.add_node", &card.node, Some(&card.name))?;
        }
        tx.commit().doing("committing the node")?;
        Ok(add)
    }

    fn hub_nodes(&self) -> Result<Vec<HubNode>> {
        let rows = self
            .client()?
            .query(
                "SELECT node, name, card::text, checkpoint, last_bundle_at, \
                 last_bundle_sha256, added_at FROM hub_node ORDER BY node",
                &[],
            )
            .doing("reading the hub's nodes")?;
        rows.iter().map(decode_node).collect()
    }

    fn import_bundle(
        &mut self,
        actor: &str,
        bundle: &mut dyn IncomingBundle,
    ) -> Result<BundleImport> {
        let node = bundle.node().to_owned();
        let Some((card, _)) = node_row(&mut *self.client()?, &node)? else {
            return Err(unknown_node(&node));
        };
        let summary = verify(bundle, &card)?;
        let mut tx = self.write_tx()?;
        // The checkpoint read under the writer lock: another import of the same node cannot
        // move it between this decision and the commit.
        let checkpoint = node_row(&mut tx, &node)?.map_or(0, |(_, cp)| cp);
        let Some(first) = decide(bundle, checkpoint)? else {
            return Ok(nothing_to_do(&node, &summary));
        };
        let now = Utc::now();
        let (done, mut tx) = apply_pipelined(&node, &summary, first, bundle, tx, now)?;
        tx.execute(
            "UPDATE hub_node SET checkpoint = $1, last_bundle_at = $2, last_bundle_sha256 = $3 \
             WHERE node = $4",
            &[&sql_int(summary.seq_to), &now, &summary.sha256, &node],
        )
        .doing(&format!("moving node {node}'s checkpoint"))?;
        audit(
            &mut tx,
            actor,
            "hub.import",
            &node,
            Some(&audit_detail(&done)),
        )?;
        tx.commit().doing("committing the bundle")?;
        Ok(done)
    }

    fn for_each_shared_record(
        &self,
        kind_: ItemKind,
        node: Option<&str>,
        f: &mut dyn FnMut(SharedRecord) -> Result<Flow>,
    ) -> Result<()> {
        let sql = "SELECT node, item_uuid, kind, revision, record, received_at, seq \
                   FROM shared_record WHERE kind = $1 AND ($2::text IS NULL OR node = $2) \
                   AND (node, item_uuid) > ($3, $4) ORDER BY node, item_uuid LIMIT $5";
        let (mut after_node, mut after_item) = (String::new(), String::new());
        let get = |e| StoreError::postgres("reading shared records", e);
        loop {
            let rows = self
                .client()?
                .query(
                    sql,
                    &[&kind_.code(), &node, &after_node, &after_item, &PAGE],
                )
                .doing("reading shared records")?;
            for r in &rows {
                let code: String = r.try_get(2).map_err(get)?;
                let record: String = r.try_get(4).map_err(get)?;
                let shared = SharedRecord {
                    node: r.try_get(0).map_err(get)?,
                    item: r.try_get(1).map_err(get)?,
                    kind: kind(&code)?,
                    revision: unsigned(r.try_get(3).map_err(get)?, "shared_record.revision")?,
                    record: serde_json::from_str(&record)
                        .map_err(|e| StoreError::corrupt("shared_record.record", e))?,
                    received_at: r.try_get(5).map_err(get)?,
                    seq: unsigned(r.try_get(6).map_err(get)?, "shared_record.seq")?,
                };
                after_node.clone_from(&shared.node);
                after_item.clone_from(&shared.item);
                if f(shared)? == Flow::Stop {
                    return Ok(());
                }
            }
            if rows.len() < PAGE as usize {
                return Ok(());
            }
        }
    }

    fn shared_record_counts(&self) -> Result<Vec<SharedCount>> {
        let rows = self
            .client()?
            .query(
                "SELECT node, kind, count(*) FROM shared_record GROUP BY node, kind \
                 ORDER BY node, kind",
                &[],
            )
            .doing("counting shared records")?;
        let get = |e| StoreError::postgres("counting shared records", e);
        rows.iter()
            .map(|r| {
                let code: String = r.try_get(1).map_err(get)?;
                Ok(SharedCount {
                    node: r.try_get(0).map_err(get)?,
                    kind: kind(&code)?,
                    count: unsigned(r.try_get(2).map_err(get)?, "count(shared_record)")?,
                })
            })
            .collect()
    }
}
