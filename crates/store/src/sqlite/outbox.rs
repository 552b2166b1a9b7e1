//! Federation on SQLite ([`crate::outbox`]): the node row, items' UUIDs, the outbox read in
//! one statement, and the upgrade of files made before schema 9.

use rusqlite::{Connection, OptionalExtension, params};
use safeground_model::ItemKind;

use super::items::decode_version;
use super::{SqliteStore, add_column_if_missing, fmt_time, parse_time};
use crate::outbox::{
    FederationStore, Node, OutboxEntry, PolicyAlignment, PolicyTerms, RawEntry, Withdrawal,
    alignment_detail, check_reason, decode_terms, encode_terms, entry, export_mark, node_change,
    policy_changes, withdrawal_check,
};
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
             o.seq, o.revision, i.uuid, o.item_id, i.kind, o.cause, w.item_id IS NOT NULL \
             FROM outbox o LEFT JOIN item_version v ON v.id = o.version_id \
             JOIN item i ON i.id = o.item_id \
             LEFT JOIN federation_withdrawn w ON w.item_id = o.item_id \
             WHERE o.seq > ?1 ORDER BY o.seq",
        )?;
        let mut rows = stmt.query(params![sql_seq(after_seq)])?;
        while let Some(r) = rows.next()? {
            let version = match r.get::<_, Option<String>>(0)? {
                None => None,
                Some(item) => Some(decode_version((
                    item,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))?),
            };
            let raw = RawEntry {
                seq: r.get(6)?,
                revision: r.get(7)?,
                uuid: r.get(8)?,
                item: r.get(9)?,
                kind: r.get(10)?,
                cause: r.get(11)?,
                withdrawn: r.get(12)?,
            };
            if f(entry(raw, version)?)? == Flow::Stop {
                break;
            }
        }
        Ok(())
    }

    fn withdraw(&mut self, actor: &str, item: &str, reason: &str) -> Result<u64> {
        let reason = check_reason(reason)?;
        let tx = self.write_tx()?;
        let known: Option<bool> = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM federation_withdrawn WHERE item_id = i.id) \
                 FROM item i WHERE i.id = ?1",
                [item],
                |r| r.get(0),
            )
            .optional()?;
        withdrawal_check(item, known)?;
        tx.execute(
            "INSERT INTO federation_withdrawn (item_id, reason, withdrawn_by, withdrawn_at) \
             VALUES (?1, ?2, ?3, ?4)",
            params![item, reason, actor, fmt_time(chrono::Utc::now())],
        )?;
        tx.execute(
            "INSERT INTO outbox (item_id, version_id, revision, operation, cause) \
             SELECT ?1, NULL, count(*), 'tombstone', 'withdrawal' \
             FROM item_version WHERE item_id = ?1",
            [item],
        )?;
        let seq = head(&tx)?;
        super::audit(&tx, actor, "federation.withdraw", item, Some(reason))?;
        tx.commit()?;
        Ok(seq)
    }

    fn reshare(&mut self, actor: &str, item: &str) -> Result<u64> {
        let tx = self.write_tx()?;
        if tx.execute(
            "DELETE FROM federation_withdrawn WHERE item_id = ?1",
            [item],
        )? == 0
        {
            return Err(StoreError::Federation(format!(
                "{item} is not withdrawn from sharing, so there is nothing to share again"
            )));
        }
        tx.execute(
            "INSERT INTO outbox (item_id, version_id, revision, operation, cause) \
             SELECT ?1, max(id), count(*), 'upsert', 'reshare' \
             FROM item_version WHERE item_id = ?1",
            [item],
        )?;
        let seq = head(&tx)?;
        super::audit(&tx, actor, "federation.reshare", item, None)?;
        tx.commit()?;
        Ok(seq)
    }

    fn withdrawals(&self) -> Result<Vec<Withdrawal>> {
        let mut stmt = self.connection().prepare(
            "SELECT w.item_id, i.kind, i.local_id, w.reason, w.withdrawn_by, w.withdrawn_at \
             FROM federation_withdrawn w JOIN item i ON i.id = w.item_id \
             ORDER BY w.withdrawn_at DESC, w.item_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (item, kind, local_id, reason, by, at) = row?;
            out.push(Withdrawal {
                kind: kind
                    .parse::<ItemKind>()
                    .map_err(|_| StoreError::corrupt("item.kind", &kind))?,
                item,
                local_id,
                reason,
                by,
                at: parse_time(&at)?,
            });
        }
        Ok(out)
    }

    fn align_policy(&mut self, actor: &str, terms: &PolicyTerms) -> Result<PolicyAlignment> {
        let tx = self.write_tx()?;
        if read_node(&tx)?.is_none() {
            return Err(StoreError::Federation(
                "this programme has no node id; set one (safeground federation init) before \
                 sharing"
                    .into(),
            ));
        }
        let stored: Option<String> = tx.query_row(
            "SELECT policy_terms FROM federation_node WHERE id = 1",
            [],
            |r| r.get(0),
        )?;
        let mut done = PolicyAlignment::default();
        match stored {
            None => done.first = true,
            Some(json) => {
                let (gone, changed) = policy_changes(&decode_terms(&json)?, terms);
                for kind in &gone {
                    done.tombstones += tx.execute(
                        "INSERT INTO outbox (item_id, version_id, revision, operation, cause) \
                         SELECT i.id, NULL, (SELECT count(*) FROM item_version v \
                                             WHERE v.item_id = i.id), 'tombstone', 'policy' \
                         FROM item i WHERE i.kind = ?1 AND NOT EXISTS \
                         (SELECT 1 FROM federation_withdrawn w WHERE w.item_id = i.id) \
                         ORDER BY i.id",
                        [kind.code()],
                    )? as u64;
                }
                for kind in &changed {
                    done.upserts += tx.execute(
                        "INSERT INTO outbox (item_id, version_id, revision, operation, cause) \
                         SELECT v.item_id, max(v.id), count(*), 'upsert', 'policy' \
                         FROM item_version v JOIN item i ON i.id = v.item_id \
                         WHERE i.kind = ?1 AND NOT EXISTS \
                         (SELECT 1 FROM federation_withdrawn w WHERE w.item_id = i.id) \
                         GROUP BY v.item_id ORDER BY v.item_id",
                        [kind.code()],
                    )? as u64;
                }
                done.withdrawn_kinds = gone;
                done.resent_kinds = changed;
            }
        }
        tx.execute(
            "UPDATE federation_node SET policy_terms = ?1 WHERE id = 1",
            [encode_terms(terms)],
        )?;
        if !done.withdrawn_kinds.is_empty() || !done.resent_kinds.is_empty() {
            super::audit(
                &tx,
                actor,
                "federation.policy",
                "outbox",
                Some(&alignment_detail(&done)),
            )?;
        }
        tx.commit()?;
        Ok(done)
    }
}
