//! Federation on PostgreSQL ([`crate::outbox`]): the node row, items' UUIDs and the outbox
//! read in pages of [`PAGE`] entries (keyset paging on seq), so memory stays constant and the
//! connection is free while the callback runs.

use postgres::GenericClient;

use super::items::decode_version;
use super::{Doing, PostgresStore, audit};
use crate::outbox::{FederationStore, Node, OutboxEntry, entry, export_mark, node_change};
use crate::{Flow, Result, StoreError};

/// Entries read per round trip.
const PAGE: i64 = 256;

/// The node row, if set.
fn read_node<C: GenericClient>(c: &mut C) -> Result<Option<Node>> {
    let row = c
        .query_opt(
            "SELECT node, shared_through FROM federation_node WHERE id = 1",
            &[],
        )
        .doing("reading the programme's node id")?;
    row.map(|r| {
        let shared: i64 = r.get(1);
        Ok(Node {
            code: r.get(0),
            shared_through: u64::try_from(shared)
                .map_err(|_| StoreError::corrupt("federation_node.shared_through", shared))?,
        })
    })
    .transpose()
}

fn head<C: GenericClient>(c: &mut C) -> Result<u64> {
    let n: i64 = c
        .query_one("SELECT coalesce(max(seq), 0) FROM outbox", &[])
        .doing("reading the outbox head")?
        .get(0);
    u64::try_from(n).map_err(|_| StoreError::corrupt("outbox.seq", n))
}

/// A seq as PostgreSQL's bigint (seqs past `i64::MAX` do not exist).
fn sql_seq(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

impl FederationStore for PostgresStore {
    fn node(&self) -> Result<Option<Node>> {
        read_node(&mut *self.client()?)
    }

    fn set_node(&mut self, actor: &str, code: &str) -> Result<()> {
        let mut tx = self.write_tx()?;
        if node_change(read_node(&mut tx)?.as_ref(), code)? {
            tx.execute(
                "INSERT INTO federation_node (id, node) VALUES (1, $1) \
                 ON CONFLICT (id) DO UPDATE SET node = excluded.node",
                &[&code],
            )
            .doing("writing the programme's node id")?;
            audit(&mut tx, actor, "federation.node", code, None)?;
        }
        tx.commit().doing("committing the node id")?;
        Ok(())
    }

    fn record_export(&mut self, seq: u64) -> Result<()> {
        let mut tx = self.write_tx()?;
        let mark = export_mark(read_node(&mut tx)?.as_ref(), seq, head(&mut tx)?)?;
        tx.execute(
            "UPDATE federation_node SET shared_through = $1 WHERE id = 1",
            &[&sql_seq(mark)],
        )
        .doing("recording an export")?;
        tx.commit().doing("committing the export mark")?;
        Ok(())
    }

    fn item_uuid(&self, item: &str) -> Result<Option<String>> {
        Ok(self
            .client()?
            .query_opt("SELECT uuid FROM item WHERE id = $1", &[&item])
            .doing(&format!("reading the UUID of {item}"))?
            .map(|r| r.get(0)))
    }

    fn outbox_head(&self) -> Result<u64> {
        head(&mut *self.client()?)
    }

    fn for_each_outbox(
        &self,
        after_seq: u64,
        f: &mut dyn FnMut(OutboxEntry) -> Result<Flow>,
    ) -> Result<()> {
        // Only the outbox, the item and the version are read: never victims' personal data.
        let sql = concat!(
            "SELECT v.item_id, v.report_id, v.valid_from, v.recorded_at, v.record::text, ",
            "CASE WHEN v.record->>'kind' = 'hazard' THEN ST_AsBinary(v.geom) END, ",
            "o.seq, o.revision::bigint, i.uuid ",
            "FROM outbox o JOIN item_version v ON v.id = o.version_id ",
            "JOIN item i ON i.id = o.item_id ",
            "WHERE o.seq > $1 ORDER BY o.seq LIMIT $2"
        );
        let mut after = sql_seq(after_seq);
        loop {
            let rows = self
                .client()?
                .query(sql, &[&after, &PAGE])
                .doing("reading the outbox")?;
            let get = |e| StoreError::postgres("reading the outbox", e);
            for r in &rows {
                let seq: i64 = r.try_get(6).map_err(get)?;
                let revision: i64 = r.try_get(7).map_err(get)?;
                let uuid: String = r.try_get(8).map_err(get)?;
                after = seq;
                if f(entry(seq, revision, uuid, decode_version(r)?)?)? == Flow::Stop {
                    return Ok(());
                }
            }
            if rows.len() < PAGE as usize {
                return Ok(());
            }
        }
    }
}
