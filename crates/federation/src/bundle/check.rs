//! The rules every entry of a bundle keeps, checked by the writer and twice by the reader.

use std::collections::BTreeMap;

use safeground_model::ItemKind;

use super::{Entry, KindCounts, Manifest, Operation};
use crate::FederationError;

/// Longest item id accepted.
const MAX_ITEM_ID: usize = 128;

/// What the entries checked were.
#[derive(Debug)]
pub(super) struct Summary {
    pub seq_from: u64,
    pub seq_to: u64,
    pub counts: BTreeMap<ItemKind, KindCounts>,
    pub withheld: u64,
}

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
    withheld: u64,
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
        self.check_shape(e).map_err(bad)?;
        self.first.get_or_insert(e.seq);
        self.last = Some(e.seq);
        match (e.operation, e.kind) {
            (Operation::Upsert, Some(kind)) => self.counts.entry(kind).or_default().upsert += 1,
            (Operation::Tombstone, Some(kind)) => {
                self.counts.entry(kind).or_default().tombstone += 1;
            }
            _ => self.withheld += 1,
        }
        Ok(())
    }

    /// What each operation carries: an upsert its item and record (an object), a tombstone its
    /// item and no record, a withheld entry nothing but its seq.
    fn check_shape(&self, e: &Entry) -> Result<(), String> {
        if e.operation == Operation::Withheld {
            return match (&e.kind, &e.item, &e.revision, &e.record) {
                (None, None, None, None) => Ok(()),
                _ => Err(
                    "a withheld entry carries its seq alone (no kind, item, revision or \
                          record)"
                        .into(),
                ),
            };
        }
        let (Some(_), Some(item), Some(revision)) = (e.kind, &e.item, e.revision) else {
            return Err(format!(
                "{} names its item: kind, item and revision",
                match e.operation {
                    Operation::Upsert => "an upsert",
                    _ => "a tombstone",
                }
            ));
        };
        if item.trim().is_empty() || item.len() > MAX_ITEM_ID {
            return Err(format!(
                "item id `{item}` must be 1 to {MAX_ITEM_ID} characters"
            ));
        }
        if revision == 0 {
            return Err("revision 0: revisions start at 1".into());
        }
        match (e.operation, &e.record) {
            (Operation::Upsert, Some(r)) if r.is_object() => Ok(()),
            (Operation::Upsert, _) => Err("an upsert carries its record as a JSON object".into()),
            (_, None) => Ok(()),
            (_, Some(_)) => Err("a tombstone carries no record".into()),
        }
    }

    /// The first and last seq, and the counts, once at least one entry was checked.
    pub(super) fn into_summary(self) -> Option<Summary> {
        Some(Summary {
            seq_from: self.first?,
            seq_to: self.last?,
            counts: self.counts,
            withheld: self.withheld,
        })
    }

    /// Checks that the entries were exactly those the manifest announces.
    pub(super) fn matches(self, m: &Manifest) -> Result<(), FederationError> {
        let mismatch = |reason: String| FederationError::ManifestMismatch { reason };
        let Some(found) = self.into_summary() else {
            return Err(mismatch("the payload holds no entry".into()));
        };
        if found.seq_to != m.seq_to {
            return Err(mismatch(format!(
                "the entries end at seq {}, the manifest at {}",
                found.seq_to, m.seq_to
            )));
        }
        if found.counts != m.counts {
            return Err(mismatch(format!(
                "entries per kind {:?}, the manifest says {:?}",
                found.counts, m.counts
            )));
        }
        if found.withheld != m.withheld {
            return Err(mismatch(format!(
                "{} withheld entries, the manifest says {}",
                found.withheld, m.withheld
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
        Entry::upsert(
            seq,
            ItemKind::Hazard,
            &format!("item-{seq}"),
            1,
            json!({"kind": "hazard"}),
        )
    }

    #[test]
    fn consecutive_entries_pass_and_are_counted() {
        let mut c = Checker::new(None);
        for seq in 7..10 {
            c.check(&entry(seq)).expect("in order");
        }
        c.check(&Entry::tombstone(10, ItemKind::Hazard, "item-7", 2))
            .expect("tombstone");
        c.check(&Entry::withheld(11)).expect("withheld");
        c.check(&Entry::withheld(12)).expect("withheld");
        let s = c.into_summary().expect("entries");
        assert_eq!((s.seq_from, s.seq_to, s.withheld), (7, 12, 2));
        assert_eq!(
            s.counts[&ItemKind::Hazard],
            KindCounts {
                upsert: 3,
                tombstone: 1
            }
        );
        assert_eq!(s.counts.len(), 1, "withheld entries count under no kind");
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
        let mut tomb = entry(1);
        tomb.operation = Operation::Tombstone;
        let mut anon = entry(1);
        anon.item = Some(" ".into());
        let mut rev0 = entry(1);
        rev0.revision = Some(0);
        let mut no_kind = entry(1);
        no_kind.kind = None;
        let mut no_item = Entry::tombstone(1, ItemKind::Hazard, "h", 1);
        no_item.item = None;
        let mut with_kind = Entry::withheld(1);
        with_kind.kind = Some(ItemKind::Victim);
        let mut with_record = Entry::withheld(1);
        with_record.record = Some(json!({}));
        let mut with_revision = Entry::withheld(1);
        with_revision.revision = Some(1);
        let cases = [
            (no_record, "an upsert carries its record"),
            (tomb, "a tombstone carries no record"),
            (anon, "must be 1 to 128 characters"),
            (rev0, "revisions start at 1"),
            (no_kind, "an upsert names its item"),
            (no_item, "a tombstone names its item"),
            (with_kind, "a withheld entry carries its seq alone"),
            (with_record, "a withheld entry carries its seq alone"),
            (with_revision, "a withheld entry carries its seq alone"),
        ];
        for (e, expected) in cases {
            let err = Checker::new(None)
                .check(&e)
                .expect_err(expected)
                .to_string();
            assert!(err.contains(expected), "{expected}: {err}");
        }
    }
}
