//! The rules every entry of a bundle keeps, checked by the writer and twice by the reader.

use std::collections::BTreeMap;

use safeground_model::ItemKind;

use super::{Entry, KindCounts, Manifest, Operation};
use crate::FederationError;

/// Longest item id accepted.
const MAX_ITEM_ID: usize = 128;

/// Checks entries one after the other and counts them.
#[derive(Debug, Default)]
pub(super) struct Checker {
    /// Seq of the first entry, once known.
    first: Option<u64>,
    /// Seq of the last entry checked.
    last: Option<u64>,
    /// Entries checked.
    line: u64,
    counts: BTreeMap<ItemKind, KindCounts>,
}

impl Checker {
    /// A checker whose first entry must have seq `first` (the reader's, from the manifest),
    /// or any seq from 1 (the writer's).
    pub(super) fn new(first: Option<u64>) -> Self {
        Checker {
            first,
            ..Checker::default()
        }
    }

    /// Entries checked so far (the line of the last one).
    pub(super) fn line(&self) -> u64 {
        self.line
    }

    /// Checks the next entry: consecutive seq, item id, revision, a record exactly when it
    /// is an upsert.
    pub(super) fn check(&mut self, e: &Entry) -> Result<(), FederationError> {
        self.line += 1;
        let line = self.line;
        let bad = |reason: String| FederationError::BadEntry { line, reason };
        let expected = match (self.last, self.first) {
            (Some(last), _) => last.checked_add(1),
            (None, Some(first)) => Some(first),
            (None, None) => None,
        };
        match expected {
            Some(expected) if e.seq != expected => {
                return Err(FederationError::SeqOutOfOrder {
                    line,
                    expected,
                    found: e.seq,
                });
            }
            _ if e.seq == 0 => return Err(bad("seq 0: sequence numbers start at 1".into())),
            _ => {}
        }
        if e.item.trim().is_empty() || e.item.len() > MAX_ITEM_ID {
            return Err(bad(format!(
                "item id `{}` must be 1 to {MAX_ITEM_ID} characters",
                e.item
            )));
        }
        if e.revision == 0 {
            return Err(bad("revision 0: revisions start at 1".into()));
        }
        match (e.operation, &e.record) {
            (Operation::Upsert, Some(r)) if r.is_object() => {}
            (Operation::Upsert, _) => {
                return Err(bad("an upsert carries its record as a JSON object".into()));
            }
            (Operation::Tombstone, None) => {}
            (Operation::Tombstone, Some(_)) => {
                return Err(bad("a tombstone carries no record".into()));
            }
        }
        self.first.get_or_insert(e.seq);
        self.last = Some(e.seq);
        let c = self.counts.entry(e.kind).or_default();
        match e.operation {
            Operation::Upsert => c.upsert += 1,
            Operation::Tombstone => c.tombstone += 1,
        }
        Ok(())
    }

    /// The first and last seq, and the counts, once at least one entry was checked.
    pub(super) fn into_summary(self) -> Option<(u64, u64, BTreeMap<ItemKind, KindCounts>)> {
        Some((self.first?, self.last?, self.counts))
    }

    /// Checks that the entries were exactly those the manifest announces.
    pub(super) fn matches(self, m: &Manifest) -> Result<(), FederationError> {
        let mismatch = |reason: String| FederationError::ManifestMismatch { reason };
        let Some((_, last, counts)) = self.into_summary() else {
            return Err(mismatch("the payload holds no entry".into()));
        };
        if last != m.seq_to {
            return Err(mismatch(format!(
                "the entries end at seq {last}, the manifest at {}",
                m.seq_to
            )));
        }
        if counts != m.counts {
            return Err(mismatch(format!(
                "entries per kind {counts:?}, the manifest says {:?}",
                m.counts
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn entry(seq: u64) -> Entry {
        Entry {
            seq,
            kind: ItemKind::Hazard,
            item: format!("item-{seq}"),
            revision: 1,
            operation: Operation::Upsert,
            record: Some(json!({"kind": "hazard"})),
        }
    }

    #[test]
    fn consecutive_entries_pass_and_are_counted() {
        let mut c = Checker::new(None);
        for seq in 7..10 {
            c.check(&entry(seq)).expect("in order");
        }
        let mut t = entry(10);
        t.operation = Operation::Tombstone;
        t.record = None;
        c.check(&t).expect("tombstone");
        let (first, last, counts) = c.into_summary().expect("entries");
        assert_eq!((first, last), (7, 10));
        assert_eq!(
            counts[&ItemKind::Hazard],
            KindCounts {
                upsert: 3,
                tombstone: 1
            }
        );
    }

    #[test]
    fn order_and_shape_are_enforced() {
        let mut c = Checker::new(Some(5));
        let e = c.check(&entry(6)).expect_err("must start at 5").to_string();
        assert!(e.contains("line 1: expected seq 5, found 6"), "{e}");
        let mut c = Checker::new(None);
        c.check(&entry(1)).expect("first");
        for (seq, what) in [(3, "gap"), (1, "repeat"), (0, "backwards")] {
            let e = c.check(&entry(seq)).expect_err(what).to_string();
            assert!(e.contains("expected seq 2"), "{e}");
        }
        let e = Checker::new(None).check(&entry(0)).expect_err("0");
        assert!(e.to_string().contains("start at 1"));
        let mut no_record = entry(1);
        no_record.record = None;
        assert!(Checker::new(None).check(&no_record).is_err());
        let mut tomb = entry(1);
        tomb.operation = Operation::Tombstone;
        assert!(Checker::new(None).check(&tomb).is_err());
        let mut anon = entry(1);
        anon.item = " ".into();
        assert!(Checker::new(None).check(&anon).is_err());
        let mut rev0 = entry(1);
        rev0.revision = 0;
        assert!(Checker::new(None).check(&rev0).is_err());
    }
}
