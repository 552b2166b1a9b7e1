//! The PostgreSQL hub's import in batches ([`crate::hub::apply_in_batches`]): per batch of
//! [`BATCH`] entries, one read of the revisions held of the items it upserts, the batch folded
//! entry by entry in memory ([`fold`]: a later entry of an item wins, a tombstone after an
//! upsert deletes, an upsert after a tombstone stores whatever its revision, the counts exact),
//! then one `DELETE … = ANY(…)` and one `INSERT … SELECT FROM unnest(…) ON CONFLICT DO UPDATE`
//! of the batch's end state: three round trips per batch instead of one per entry, all in the
//! import's transaction. [`apply_pipelined`] writes on a thread of its own that holds the
//! transaction while the caller's thread reads and decodes the next batch (one batch queued at
//! most, so memory stays a few batches whatever the bundle's size).

use std::collections::HashMap;
use std::sync::mpsc;

use chrono::{DateTime, Utc};
use postgres::{Statement, Transaction};
use safeground_model::ItemKind;

use super::Doing;
use crate::hub::{
    BundleImport, BundleSummary, IncomingBundle, SharedChange, SharedEntry, apply_in_batches,
    sql_int, unsigned,
};
use crate::{Result, StoreError};

/// Entries (upserts and tombstones) written per batch.
pub(super) const BATCH: usize = 2_000;

/// Applies `bundle`'s entries of seq `first` on in `tx` (see the module's documentation), in
/// batches of [`BATCH`] written on a second thread while this one reads the next; gives the
/// transaction back, uncommitted, with what was done. On an error the transaction is rolled
/// back (dropped) and the writer's error, if it failed, is the one returned.
pub(super) fn apply_pipelined<'c>(
    node: &str,
    summary: &BundleSummary,
    first: u64,
    bundle: &mut dyn IncomingBundle,
    mut tx: Transaction<'c>,
    received_at: DateTime<Utc>,
) -> Result<(BundleImport, Transaction<'c>)> {
    let w = BatchWrites::prepare(&mut tx, received_at)?;
    let (queue, batches) = mpsc::sync_channel::<Vec<Row>>(1);
    std::thread::scope(|s| {
        let writer = s.spawn(move || -> Result<(Transaction<'c>, BundleImport)> {
            let mut counts = BundleImport::starting(node, summary, first);
            for batch in batches {
                w.write(&mut tx, node, &batch, &mut counts)?;
            }
            Ok((tx, counts))
        });
        let read = apply_in_batches(
            node,
            summary,
            first,
            bundle,
            BATCH,
            &mut Row::of,
            &mut |batch, _| {
                queue
                    .send(std::mem::replace(batch, Vec::with_capacity(BATCH)))
                    .map_err(|_| {
                        StoreError::Federation(format!(
                            "the writer of node {node}'s bundle stopped; nothing was written"
                        ))
                    })
            },
        );
        drop(queue);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let (tx, counts) = written?;
        let mut done = read?;
        done.upserted += counts.upserted;
        done.older += counts.older;
        done.deleted += counts.deleted;
        Ok((done, tx))
    })
}

/// An upsert or tombstone as a batch holds it: the record already JSON text (a few KB, where
/// its parsed form is several times that).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row {
    /// The node's outbox seq.
    seq: u64,
    /// The item's UUID at its node.
    item: String,
    /// A revision to store (None: a tombstone).
    store: Option<Stored>,
}

/// What an upsert stores.
#[derive(Debug, Clone, PartialEq)]
struct Stored {
    kind: ItemKind,
    revision: u64,
    record: String,
}

impl Row {
    /// The row of an upsert or a tombstone. A withheld entry never reaches a batch
    /// ([`apply_in_batches`] counts it and leaves it out); given one, this makes it a row of
    /// no item.
    fn of(e: SharedEntry) -> Row {
        match e.change {
            SharedChange::Upsert {
                kind,
                item,
                revision,
                record,
            } => Row {
                seq: e.seq,
                item,
                store: Some(Stored {
                    kind,
                    revision,
                    record: record.to_string(),
                }),
            },
            SharedChange::Tombstone { item } => Row {
                seq: e.seq,
                item,
                store: None,
            },
            SharedChange::Withheld => Row {
                seq: e.seq,
                item: String::new(),
                store: None,
            },
        }
    }
}

/// What a batch comes to for one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// Left as held (every upsert of it in the batch was older).
    Held,
    /// The entry at this index of the batch is stored.
    Stored(usize),
    /// Deleted.
    Deleted,
}

/// The end state of a batch: what it stores and what it deletes (no item in both).
#[derive(Debug, PartialEq)]
pub(super) struct Plan<'a> {
    /// The rows stored, one per item, in seq order: upserts only.
    pub(super) stored: Vec<&'a Row>,
    /// The items deleted, sorted.
    pub(super) deleted: Vec<&'a str>,
}

/// The items `batch` upserts, each once, in the order first met.
fn upserted_items(batch: &[Row]) -> Vec<&str> {
    let mut seen = std::collections::HashSet::new();
    batch
        .iter()
        .filter(|r| r.store.is_some() && seen.insert(r.item.as_str()))
        .map(|r| r.item.as_str())
        .collect()
}

/// Applies `batch` row by row to `held` (the revision held of each item it upserts, when one
/// is held) as the one-at-a-time import does, counting into `done`: an upsert is stored when
/// no newer revision is held (an equal one is a record re-sent), a tombstone deletes (counted
/// whether held or not).
pub(super) fn fold<'a>(
    batch: &'a [Row],
    held: &HashMap<String, u64>,
    done: &mut BundleImport,
) -> Plan<'a> {
    let mut items: HashMap<&str, (Option<u64>, End)> = HashMap::new();
    for (i, r) in batch.iter().enumerate() {
        let item = r.item.as_str();
        match &r.store {
            Some(Stored { revision, .. }) => {
                let state = items
                    .entry(item)
                    .or_insert_with(|| (held.get(item).copied(), End::Held));
                if state.0.is_none_or(|h| *revision >= h) {
                    *state = (Some(*revision), End::Stored(i));
                    done.upserted += 1;
                } else {
                    done.older += 1;
                }
            }
            None => {
                items.insert(item, (None, End::Deleted));
                done.deleted += 1;
            }
        }
    }
    let mut stored: Vec<usize> = Vec::new();
    let mut deleted: Vec<&str> = Vec::new();
    for (item, (_, end)) in items {
        match end {
            End::Held => {}
            End::Stored(i) => stored.push(i),
            End::Deleted => deleted.push(item),
        }
    }
    stored.sort_unstable();
    deleted.sort_unstable();
    Plan {
        stored: stored.into_iter().map(|i| &batch[i]).collect(),
        deleted,
    }
}

/// The statements of a batched import, prepared once in its transaction.
pub(super) struct BatchWrites {
    held: Statement,
    delete: Statement,
    store: Statement,
    received_at: DateTime<Utc>,
}

impl BatchWrites {
    /// Prepares the statements in `tx`; every record stored is received at `received_at`.
    pub(super) fn prepare(tx: &mut Transaction<'_>, received_at: DateTime<Utc>) -> Result<Self> {
        let doing = "preparing the hub's statements";
        let held = tx
            .prepare(
                "SELECT item_uuid, revision FROM shared_record \
                 WHERE node = $1 AND item_uuid = ANY($2::text[])",
            )
            .doing(doing)?;
        let delete = tx
            .prepare("DELETE FROM shared_record WHERE node = $1 AND item_uuid = ANY($2::text[])")
            .doing(doing)?;
        // No `WHERE newer revision`: the fold decided what is stored, and an upsert after a
        // tombstone in the same batch stores even a revision older than the one deleted.
        let store = tx
            .prepare(
                "INSERT INTO shared_record \
                 (node, item_uuid, kind, revision, record, received_at, seq) \
                 SELECT $1, i, k, r, rec, $2, s FROM unnest($3::text[], $4::text[], \
                 $5::bigint[], $6::text[], $7::bigint[]) AS t(i, k, r, rec, s) \
                 ON CONFLICT (node, item_uuid) DO UPDATE SET kind = excluded.kind, \
                 revision = excluded.revision, record = excluded.record, \
                 received_at = excluded.received_at, seq = excluded.seq",
            )
            .doing(doing)?;
        Ok(BatchWrites {
            held,
            delete,
            store,
            received_at,
        })
    }

    /// Applies `batch` of `node`'s entries in `tx` as if one at a time, counting into `done`.
    pub(super) fn write(
        &self,
        tx: &mut Transaction<'_>,
        node: &str,
        batch: &[Row],
        done: &mut BundleImport,
    ) -> Result<()> {
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
            return Ok(());
        };
        let what = format!("node {node}'s records of seq {}–{}", first.seq, last.seq);
        let items = upserted_items(batch);
        let mut held = HashMap::new();
        if !items.is_empty() {
            let rows = tx
                .query(&self.held, &[&node, &items])
                .doing(&format!("reading the revisions held of {what}"))?;
            for r in rows {
                let item: String = r.get(0);
                held.insert(item, unsigned(r.get(1), "shared_record.revision")?);
            }
        }
        let plan = fold(batch, &held, done);
        if !plan.deleted.is_empty() {
            tx.execute(&self.delete, &[&node, &plan.deleted])
                .doing(&format!("deleting the tombstoned of {what}"))?;
        }
        if plan.stored.is_empty() {
            return Ok(());
        }
        let n = plan.stored.len();
        let (mut item, mut kind, mut revision, mut record, mut seq) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for r in &plan.stored {
            if let Some(st) = &r.store {
                item.push(r.item.as_str());
                kind.push(st.kind.code());
                revision.push(sql_int(st.revision));
                record.push(st.record.as_str());
                seq.push(sql_int(r.seq));
            }
        }
        tx.execute(
            &self.store,
            &[
                &node,
                &self.received_at,
                &item,
                &kind,
                &revision,
                &record,
                &seq,
            ],
        )
        .doing(&format!("storing {what}"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn upsert(seq: u64, item: &str, revision: u64) -> Row {
        Row::of(SharedEntry {
            seq,
            change: SharedChange::Upsert {
                kind: ItemKind::Hazard,
                item: item.into(),
                revision,
                record: json!({"revision": revision}),
            },
        })
    }

    fn tombstone(seq: u64, item: &str) -> Row {
        Row::of(SharedEntry {
            seq,
            change: SharedChange::Tombstone { item: item.into() },
        })
    }

    fn counts() -> BundleImport {
        let summary = BundleSummary {
            seq_from: 1,
            seq_to: 1,
            sha256: String::new(),
        };
        BundleImport::starting("KHM", &summary, 1)
    }

    #[test]
    fn a_batch_folds_as_its_entries_one_at_a_time() {
        let batch = [
            upsert(1, "a", 1),
            upsert(2, "a", 3),
            upsert(3, "a", 2), // older than seq 2's
            upsert(4, "b", 4), // b holds 5: older
            upsert(5, "c", 1),
            tombstone(6, "c"), // after an upsert: deleted
            tombstone(7, "d"),
            upsert(8, "d", 1), // after a tombstone of d (held at 9): stored
            upsert(9, "e", 7), // e holds 6: stored
            tombstone(10, "f"),
            upsert(11, "g", 3), // g holds 3: re-sent under a changed policy, stored
        ];
        let held = HashMap::from([
            ("b".to_owned(), 5),
            ("d".to_owned(), 9),
            ("e".into(), 6),
            ("g".into(), 3),
        ]);
        let mut done = counts();
        let plan = fold(&batch, &held, &mut done);
        let stored: Vec<u64> = plan.stored.iter().map(|e| e.seq).collect();
        assert_eq!(stored, vec![2, 8, 9, 11]);
        assert_eq!(plan.deleted, vec!["c", "f"]);
        assert_eq!(
            (done.upserted, done.older, done.deleted, done.withheld),
            (6, 2, 3, 0)
        );
    }

    #[test]
    fn upserted_items_are_listed_once() {
        let batch = [upsert(1, "a", 1), tombstone(2, "b"), upsert(3, "a", 2)];
        assert_eq!(upserted_items(&batch), vec!["a"]);
    }
}
