//! The regional hub on SQLite ([`crate::hub`]): the hub mark, nodes, and bundles applied in one
//! immediate transaction with cached statements, one entry at a time.

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, Row, params};
use safeground_model::ItemKind;
use serde_json::Value;

use super::{SqliteStore, audit, fmt_time, parse_time};
use crate::hub::{
    BundleImport, HubNode, HubStore, HubWrites, IncomingBundle, NewHubNode, SharedCount,
    SharedRecord, audit_detail, canonical_card, check_new_node, decide, kind, node_card_change,
    not_a_hub, nothing_to_do, sql_int, unknown_node, unsigned, verify,
};
use crate::{Flow, Result};

/// Whether the programme is marked as a hub.
pub(super) fn is_hub(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM hub WHERE id = 1", [], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The card and checkpoint of `node`.
fn node_row(conn: &Connection, node: &str) -> Result<Option<(String, u64)>> {
    let row: Option<(String, i64)> = conn
        .query_row(
            "SELECT card, checkpoint FROM hub_node WHERE node = ?1",
            [node],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    row.map(|(card, cp)| Ok((card, unsigned(cp, "hub_node.checkpoint")?)))
        .transpose()
}

fn decode_node(r: &Row<'_>) -> Result<HubNode> {
    let checkpoint: i64 = r.get(3)?;
    let last: Option<String> = r.get(4)?;
    let added: String = r.get(6)?;
    let card: String = r.get(2)?;
    Ok(HubNode {
        node: r.get(0)?,
        name: r.get(1)?,
        card: canonical_card(&card)?,
        checkpoint: unsigned(checkpoint, "hub_node.checkpoint")?,
        last_bundle_at: last.as_deref().map(parse_time).transpose()?,
        last_bundle_sha256: r.get(5)?,
        added_at: parse_time(&added)?,
    })
}

/// The writes of an import inside the transaction.
struct Tx<'a> {
    conn: &'a Connection,
    received_at: String,
}

impl HubWrites for Tx<'_> {
    fn upsert(
        &mut self,
        node: &str,
        seq: u64,
        kind: ItemKind,
        item: &str,
        revision: u64,
        record: &Value,
    ) -> Result<bool> {
        let n = self
            .conn
            .prepare_cached(
                "INSERT INTO shared_record \
                 (node, item_uuid, kind, revision, record, received_at, seq) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
                 ON CONFLICT (node, item_uuid) DO UPDATE SET kind = excluded.kind, \
                 revision = excluded.revision, record = excluded.record, \
                 received_at = excluded.received_at, seq = excluded.seq \
                 WHERE excluded.revision >= shared_record.revision",
            )?
            .execute(params![
                node,
                item,
                kind.code(),
                sql_int(revision),
                record.to_string(),
                self.received_at,
                sql_int(seq)
            ])?;
        Ok(n > 0)
    }

    fn delete(&mut self, node: &str, item: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM shared_record WHERE node = ?1 AND item_uuid = ?2")?
            .execute([node, item])?;
        Ok(())
    }
}

impl HubStore for SqliteStore {
    fn make_hub(&mut self, actor: &str) -> Result<()> {
        let tx = self.write_tx()?;
        if !is_hub(&tx)? {
            tx.execute(
                "INSERT INTO hub (id, marked_at) VALUES (1, ?1)",
                [fmt_time(Utc::now())],
            )?;
            audit(&tx, actor, "hub.init", "hub", None)?;
        }
        tx.commit()?;
        Ok(())
    }

    fn is_hub(&self) -> Result<bool> {
        is_hub(self.connection())
    }

    fn add_node(&mut self, actor: &str, card: &NewHubNode) -> Result<bool> {
        check_new_node(card)?;
        let tx = self.write_tx()?;
        if !is_hub(&tx)? {
            return Err(not_a_hub());
        }
        let current = node_row(&tx, &card.node)?.map(|(c, _)| c);
        let add = node_card_change(current.as_deref(), card)?;
        if add {
            tx.execute(
                "INSERT INTO hub_node (node, name, card, added_at) VALUES (?1, ?2, ?3, ?4)",
                params![
                    card.node,
                    card.name,
                    canonical_card(&card.card)?,
                    fmt_time(Utc::now())
                ],
            )?;
            audit(&tx, actor, "hub.add_node", &card.node, Some(&card.name))?;
        }
        tx.commit()?;
        Ok(add)
    }

    fn hub_nodes(&self) -> Result<Vec<HubNode>> {
        let mut stmt = self.connection().prepare(
            "SELECT node, name, card, checkpoint, last_bundle_at, last_bundle_sha256, added_at \
             FROM hub_node ORDER BY node",
        )?;
        let mut rows = stmt.query([])?;
        let mut nodes = Vec::new();
        while let Some(r) = rows.next()? {
            nodes.push(decode_node(r)?);
        }
        Ok(nodes)
    }

    fn import_bundle(
        &mut self,
        actor: &str,
        bundle: &mut dyn IncomingBundle,
    ) -> Result<BundleImport> {
        let node = bundle.node().to_owned();
        let Some((card, _)) = node_row(self.connection(), &node)? else {
            return Err(unknown_node(&node));
        };
        let summary = verify(bundle, &card)?;
        let tx = self.write_tx()?;
        // The checkpoint read under the writer's lock: another import of the same node
        // cannot have moved it between this decision and the commit.
        let checkpoint = node_row(&tx, &node)?.map_or(0, |(_, cp)| cp);
        let first = match decide(bundle, checkpoint)? {
            Some(first) => first,
            None => return Ok(nothing_to_do(&node, &summary)),
        };
        let now = Utc::now();
        let mut w = Tx {
            conn: &tx,
            received_at: fmt_time(now),
        };
        let done = crate::hub::apply(&node, &summary, first, bundle, &mut w)?;
        tx.execute(
            "UPDATE hub_node SET checkpoint = ?1, last_bundle_at = ?2, last_bundle_sha256 = ?3 \
             WHERE node = ?4",
            params![sql_int(summary.seq_to), fmt_time(now), summary.sha256, node],
        )?;
        audit(&tx, actor, "hub.import", &node, Some(&audit_detail(&done)))?;
        tx.commit()?;
        Ok(done)
    }

    fn for_each_shared_record(
        &self,
        kind_: ItemKind,
        node: Option<&str>,
        f: &mut dyn FnMut(SharedRecord) -> Result<Flow>,
    ) -> Result<()> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT node, item_uuid, kind, revision, record, received_at, seq \
             FROM shared_record WHERE kind = ?1 AND (?2 IS NULL OR node = ?2) \
             ORDER BY node, item_uuid",
        )?;
        let mut rows = stmt.query(params![kind_.code(), node])?;
        while let Some(r) = rows.next()? {
            let code: String = r.get(2)?;
            let record: String = r.get(4)?;
            let received: String = r.get(5)?;
            let shared = SharedRecord {
                node: r.get(0)?,
                item: r.get(1)?,
                kind: kind(&code)?,
                revision: unsigned(r.get(3)?, "shared_record.revision")?,
                record: serde_json::from_str(&record)
                    .map_err(|e| crate::StoreError::corrupt("shared_record.record", e))?,
                received_at: parse_time(&received)?,
                seq: unsigned(r.get(6)?, "shared_record.seq")?,
            };
            if f(shared)? == Flow::Stop {
                break;
            }
        }
        Ok(())
    }

    fn shared_record_counts(&self) -> Result<Vec<SharedCount>> {
        let mut stmt = self.connection().prepare(
            "SELECT node, kind, count(*) FROM shared_record GROUP BY node, kind \
             ORDER BY node, kind",
        )?;
        let mut rows = stmt.query([])?;
        let mut counts = Vec::new();
        while let Some(r) = rows.next()? {
            let code: String = r.get(1)?;
            counts.push(SharedCount {
                node: r.get(0)?,
                kind: kind(&code)?,
                count: unsigned(r.get(2)?, "count(shared_record)")?,
            });
        }
        Ok(counts)
    }
}
