//! Federation on SQLite ([`crate::outbox`]): the node row, items' UUIDs, the outbox read in
//! one statement, and the upgrade of files made before schema 9.

use rusqlite::{Connection, OptionalExtension, params};

use super::items::decode_version;
use super::{SqliteStore, add_column_if_missing};
use crate::outbox::{FederationStore, Node, OutboxEntry, entry, export_mark, node_change};
use crate::{Flow, Result, StoreError};

/// A random v4 UUID in SQL, lower-case and hyphenated (one per row it is evaluated for).
const SQL_UUID: &str = "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || \
     substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || \
     substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";

/// Schema 9's `item.uuid`, added when missing and given to every item without one.
pub(super) fn add_item_uuids(conn: &Connection) -> Result<()> {
    add_column_if_missing(conn, "item", "uuid", "TEXT")?;
    conn.execute_batch(&format!(
        "UPDATE item SET uuid = {SQL_UUID} WHERE uuid IS NULL"
    ))?;
    Ok(())
}

/// Fills an empty outbox with every version already approved, in approval order (version
/// ids), each item's revisions counted from 1: a first export shares the whole programme.
pub(super) fn upgrade(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "INSERT INTO outbox (seq, item_id, version_id, revision, operation) \
         SELECT row_number() OVER (ORDER BY id), item_id, id, \
         row_number() OVER (PARTITION BY item_id ORDER BY id), 'upsert' \
         FROM item_version WHERE NOT EXISTS (SELECT 1 FROM outbox) ORDER BY id",
    )?;
    Ok(())
}

/// The node row, if set.
fn read_node(conn: &Connection) -> Result<Option<Node>> {
    let row: Option<(String, i64)> = conn
        .query_row(
            "SELECT node, shared_through FROM federation_node WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    row.map(|(code, shared)| {
        Ok(Node {
            code,
            shared_through: u64::try_from(shared)
                .map_err(|_| StoreError::corrupt("federation_node.shared_through", shared))?,
        })
    })
    .transpose()
}

fn head(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM outbox", [], |r| r.get(0))?;
    u64::try_from(n).map_err(|_| StoreError::corrupt("outbox.seq", n))
}

/// A seq as SQLite's integer (seqs past `i64::MAX` do not exist: ask from the last one).
fn sql_seq(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

impl FederationStore for SqliteStore {
    fn node(&self) -> Result<Option<Node>> {
        read_node(self.connection())
    }

    fn set_node(&mut self, actor: &str, code: &str) -> Result<()> {
        let tx = self.write_tx()?;
        if node_change(read_node(&tx)?.as_ref(), code)? {
            tx.execute(
                "INSERT INTO federation_node (id, node) VALUES (1, ?1) \
                 ON CONFLICT (id) DO UPDATE SET node = excluded.node",
                [code],
            )?;
            super::audit(&tx, actor, "federation.node", code, None)?;
        }
        tx.commit()?;
        Ok(())
    }

    fn record_export(&mut self, seq: u64) -> Result<()> {
        let tx = self.write_tx()?;
        let mark = export_mark(read_node(&tx)?.as_ref(), seq, head(&tx)?)?;
        tx.execute(
            "UPDATE federation_node SET shared_through = ?1 WHERE id = 1",
            [sql_seq(mark)],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn item_uuid(&self, item: &str) -> Result<Option<String>> {
        Ok(self
            .connection()
            .prepare_cached("SELECT uuid FROM item WHERE id = ?1")?
            .query_row([item], |r| r.get(0))
            .optional()?)
    }

    fn outbox_head(&self) -> Result<u64> {
        head(self.connection())
    }

    fn for_each_outbox(
        &self,
        after_seq: u64,
        f: &mut dyn FnMut(OutboxEntry) -> Result<Flow>,
    ) -> Result<()> {
        // One statement, one read snapshot; rows are decoded one at a time. Only the outbox,
        // the item and the version are read: never victims' personal data.
        let mut stmt = self.connection().prepare_cached(
            "SELECT v.item_id, v.report_id, v.valid_from, v.recorded_at, v.record, v.geometry, \
             o.seq, o.revision, i.uuid \
             FROM outbox o JOIN item_version v ON v.id = o.version_id \
             JOIN item i ON i.id = o.item_id \
             WHERE o.seq > ?1 ORDER BY o.seq",
        )?;
        let mut rows = stmt.query(params![sql_seq(after_seq)])?;
        while let Some(r) = rows.next()? {
            let version = decode_version((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))?;
            if f(entry(r.get(6)?, r.get(7)?, r.get(8)?, version)?)? == Flow::Stop {
                break;
            }
        }
        Ok(())
    }
}
