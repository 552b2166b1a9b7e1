//! Federation on PostgreSQL ([`crate::outbox`]): the node row, items' UUIDs and the outbox
//! read in pages of [`PAGE`] entries (keyset paging on seq), so memory stays constant and the
//! connection is free while the callback runs.

use chrono::{DateTime, Utc};
use postgres::GenericClient;
use safeground_model::ItemKind;

use super::items::decode_version;
use super::{Doing, PostgresStore, audit};
use crate::outbox::{
    FederationStore, Node, OutboxEntry, PolicyAlignment, PolicyTerms, RawEntry, Withdrawal,
    alignment_detail, check_reason, decode_terms, encode_terms, entry, export_mark, node_change,
    policy_changes, withdrawal_check,
};
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
            "o.seq, o.revision::bigint, i.uuid, o.item_id, i.kind, o.cause, ",
            "w.item_id IS NOT NULL ",
            "FROM outbox o LEFT JOIN item_version v ON v.id = o.version_id ",
            "JOIN item i ON i.id = o.item_id ",
            "LEFT JOIN federation_withdrawn w ON w.item_id = o.item_id ",
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
                let raw = RawEntry {
                    seq: r.try_get(6).map_err(get)?,
                    revision: r.try_get(7).map_err(get)?,
                    uuid: r.try_get(8).map_err(get)?,
                    item: r.try_get(9).map_err(get)?,
                    kind: r.try_get(10).map_err(get)?,
                    cause: r.try_get(11).map_err(get)?,
                    withdrawn: r.try_get(12).map_err(get)?,
                };
                after = raw.seq;
                let tombstone = r.try_get::<_, Option<String>>(0).map_err(get)?.is_none();
                let version = if tombstone {
                    None
                } else {
                    Some(decode_version(r)?)
                };
                if f(entry(raw, version)?)? == Flow::Stop {
                    return Ok(());
                }
            }
            if rows.len() < PAGE as usize {
                return Ok(());
            }
        }
    }

    fn withdraw(&mut self, actor: &str, item: &str, reason: &str) -> Result<u64> {
        let reason = check_reason(reason)?;
        let mut tx = self.write_tx()?;
        let known: Option<bool> = tx
            .query_opt(
                "SELECT EXISTS (SELECT 1 FROM federation_withdrawn WHERE item_id = i.id) \
                 FROM item i WHERE i.id = $1",
                &[&item],
            )
            .doing(&format!("reading {item}"))?
            .map(|r| r.get(0));
        withdrawal_check(item, known)?;
        tx.execute(
            "INSERT INTO federation_withdrawn (item_id, reason, withdrawn_by, withdrawn_at) \
             VALUES ($1, $2, $3, $4)",
            &[&item, &reason, &actor, &Utc::now()],
        )
        .doing(&format!("withdrawing {item}"))?;
        tx.execute(
            "INSERT INTO outbox (seq, item_id, version_id, revision, operation, cause) \
             SELECT (SELECT coalesce(max(seq), 0) + 1 FROM outbox), $1, NULL, count(*), \
             'tombstone', 'withdrawal' FROM item_version WHERE item_id = $1",
            &[&item],
        )
        .doing(&format!("writing the tombstone of {item}"))?;
        let seq = head(&mut tx)?;
        audit(&mut tx, actor, "federation.withdraw", item, Some(reason))?;
        tx.commit().doing("committing the withdrawal")?;
        Ok(seq)
    }

    fn reshare(&mut self, actor: &str, item: &str) -> Result<u64> {
        let mut tx = self.write_tx()?;
        let n = tx
            .execute(
                "DELETE FROM federation_withdrawn WHERE item_id = $1",
                &[&item],
            )
            .doing(&format!("sharing {item} again"))?;
        if n == 0 {
            return Err(StoreError::Federation(format!(
                "{item} is not withdrawn from sharing, so there is nothing to share again"
            )));
        }
        tx.execute(
            "INSERT INTO outbox (seq, item_id, version_id, revision, operation, cause) \
             SELECT (SELECT coalesce(max(seq), 0) + 1 FROM outbox), $1, max(id), count(*), \
             'upsert', 'reshare' FROM item_version WHERE item_id = $1",
            &[&item],
        )
        .doing(&format!("writing the re-sent version of {item}"))?;
        let seq = head(&mut tx)?;
        audit(&mut tx, actor, "federation.reshare", item, None)?;
        tx.commit().doing("committing the re-share")?;
        Ok(seq)
    }

    fn withdrawals(&self) -> Result<Vec<Withdrawal>> {
        let rows = self
            .client()?
            .query(
                "SELECT w.item_id, i.kind, i.local_id, w.reason, w.withdrawn_by, \
                 w.withdrawn_at FROM federation_withdrawn w JOIN item i ON i.id = w.item_id \
                 ORDER BY w.withdrawn_at DESC, w.item_id",
                &[],
            )
            .doing("reading the items withdrawn from sharing")?;
        rows.iter()
            .map(|r| {
                let kind: String = r.get(1);
                Ok(Withdrawal {
                    item: r.get(0),
                    kind: kind
                        .parse::<ItemKind>()
                        .map_err(|_| StoreError::corrupt("item.kind", &kind))?,
                    local_id: r.get(2),
                    reason: r.get(3),
                    by: r.get(4),
                    at: r.get::<_, DateTime<Utc>>(5),
                })
            })
            .collect()
    }

    fn align_policy(&mut self, actor: &str, terms: &PolicyTerms) -> Result<PolicyAlignment> {
        let mut tx = self.write_tx()?;
        if read_node(&mut tx)?.is_none() {
            return Err(StoreError::Federation(
                "this programme has no node id; set one (safeground federation init) before \
                 sharing"
                    .into(),
            ));
        }
        let stored: Option<String> = tx
            .query_one("SELECT policy_terms FROM federation_node WHERE id = 1", &[])
            .doing("reading the terms last shared under")?
            .get(0);
        let mut done = PolicyAlignment::default();
        match stored {
            None => done.first = true,
            Some(json) => {
                let (gone, changed) = policy_changes(&decode_terms(&json)?, terms);
                for kind in &gone {
                    done.tombstones += tx
                        .execute(
                            "INSERT INTO outbox (seq, item_id, version_id, revision, operation, \
                             cause) \
                             SELECT (SELECT coalesce(max(seq), 0) FROM outbox) \
                                    + row_number() OVER (ORDER BY i.id), i.id, NULL, \
                                    (SELECT count(*) FROM item_version v WHERE v.item_id = i.id), \
                                    'tombstone', 'policy' \
                             FROM item i WHERE i.kind = $1 AND NOT EXISTS \
                             (SELECT 1 FROM federation_withdrawn w WHERE w.item_id = i.id)",
                            &[&kind.code()],
                        )
                        .doing(&format!("writing the tombstones of {kind}"))?;
                }
                for kind in &changed {
                    done.upserts += tx
                        .execute(
                            "INSERT INTO outbox (seq, item_id, version_id, revision, operation, \
                             cause) \
                             SELECT (SELECT coalesce(max(seq), 0) FROM outbox) \
                                    + row_number() OVER (ORDER BY v.item_id), v.item_id, \
                                    max(v.id), count(*), 'upsert', 'policy' \
                             FROM item_version v JOIN item i ON i.id = v.item_id \
                             WHERE i.kind = $1 AND NOT EXISTS \
                             (SELECT 1 FROM federation_withdrawn w WHERE w.item_id = i.id) \
                             GROUP BY v.item_id",
                            &[&kind.code()],
                        )
                        .doing(&format!("re-sending the records of {kind}"))?;
                }
                done.withdrawn_kinds = gone;
                done.resent_kinds = changed;
            }
        }
        tx.execute(
            "UPDATE federation_node SET policy_terms = $1 WHERE id = 1",
            &[&encode_terms(terms)],
        )
        .doing("recording the terms shared under")?;
        if !done.withdrawn_kinds.is_empty() || !done.resent_kinds.is_empty() {
            audit(
                &mut tx,
                actor,
                "federation.policy",
                "outbox",
                Some(&alignment_detail(&done)),
            )?;
        }
        tx.commit().doing("committing the policy's alignment")?;
        Ok(done)
    }
}
