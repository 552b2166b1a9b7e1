//! The regional hub's store (every backend runs the suite unchanged): nodes registered by card,
//! bundles written by the federation crate imported once (again: nothing; overlapping: from
//! the first entry missing), refused with nothing written when gapped, tampered, truncated,
//! foreign-signed, from an unknown node or changed while being read; older revisions ignored,
//! tombstones deleting, withheld entries moving the checkpoint; a bundle longer than a write
//! batch, the same items again and again, ends as its entries applied one at a time.

#[macro_use]
mod common;

use std::io::{Cursor, Read, Seek, SeekFrom};

use safeground_federation::{
    BundleReader, BundleWriter, Entry, NodeId, NodeKey, Operation, VerifiedBundle, sequence,
};
use safeground_model::ItemKind;
use safeground_store::hub::{
    BundleSummary, EntriesError, IncomingBundle, NewHubNode, SharedChange, SharedCount,
    SharedEntry, SharedRecord,
};
use safeground_store::transfer::{self, Dump, TableSum};
use safeground_store::{Flow, HubStore, ProgrammeStore, SqliteStore, StoreError};
use serde_json::json;

backends!(
    nodes_are_registered_once_in_a_hub_only,
    a_bundle_is_applied_once_and_again_changes_nothing,
    overlapping_bundles_apply_from_the_first_entry_missing,
    a_gap_is_refused_naming_the_range_with_nothing_written,
    bad_bundles_are_refused_with_nothing_written,
    a_bundle_changed_while_read_is_rolled_back,
    older_revisions_are_ignored_tombstones_delete_withheld_entries_advance,
    shared_records_are_counted_per_node_and_kind,
    a_long_bundle_ends_as_its_entries_applied_one_at_a_time,
);

/// The test adapter of a bundle read by the federation crate (the CLI has the same).
struct Bundle<R> {
    node: String,
    opened: Option<BundleReader<R>>,
    verified: Option<VerifiedBundle<R>>,
}

fn bundle_of<R: Read + Seek>(inner: R) -> Bundle<R> {
    let reader = BundleReader::open(inner).expect("opens");
    Bundle {
        node: reader.manifest().node.to_string(),
        opened: Some(reader),
        verified: None,
    }
}

impl<R: Read + Seek> IncomingBundle for Bundle<R> {
    fn node(&self) -> &str {
        &self.node
    }

    fn verify(&mut self, card: &str) -> Result<BundleSummary, String> {
        let card = safeground_federation::NodeCard::from_json(card).map_err(|e| e.to_string())?;
        let reader = self.opened.take().ok_or("verified twice")?;
        let v = reader.verify(&card).map_err(|e| e.to_string())?;
        let m = v.manifest();
        let summary = BundleSummary {
            seq_from: m.seq_from,
            seq_to: m.seq_to,
            sha256: m.payload_sha256.clone(),
        };
        self.verified = Some(v);
        Ok(summary)
    }

    fn decide(&self, checkpoint: u64) -> Result<Option<u64>, String> {
        let m = self.verified.as_ref().ok_or("not verified")?.manifest();
        let d = sequence::decide(checkpoint, m).map_err(|e| e.to_string())?;
        Ok(d.first_seq(m))
    }

    fn entries(
        &mut self,
        f: &mut dyn FnMut(SharedEntry) -> safeground_store::Result<()>,
    ) -> Result<(), EntriesError> {
        let bundle =
            |e: safeground_federation::FederationError| EntriesError::Bundle(e.to_string());
        let v = self
            .verified
            .take()
            .ok_or(EntriesError::Bundle("not verified".into()))?;
        for e in v.entries().map_err(bundle)? {
            let mut e = e.map_err(bundle)?;
            let change = match (e.operation, e.target()) {
                (Operation::Withheld, _) => SharedChange::Withheld,
                (Operation::Upsert, Some((kind, item, revision))) => SharedChange::Upsert {
                    kind,
                    item: item.to_owned(),
                    revision,
                    record: e.record.take().unwrap_or_default(),
                },
                (Operation::Tombstone, Some((_, item, _))) => SharedChange::Tombstone {
                    item: item.to_owned(),
                },
                (_, None) => return Err(EntriesError::Bundle("entry without item".into())),
            };
            f(SharedEntry { seq: e.seq, change }).map_err(EntriesError::Store)?;
        }
        Ok(())
    }
}

fn key(node: &str) -> NodeKey {
    NodeKey::generate(NodeId::new(node).expect("id")).expect("key")
}

fn card(key: &NodeKey) -> NewHubNode {
    let card = key.card("Cambodia").expect("card");
    NewHubNode {
        node: card.node.to_string(),
        name: card.name.clone(),
        card: card.to_json(),
    }
}

/// The UUID of test item `n`.
fn uuid(n: u64) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

fn upsert(seq: u64, item: u64, revision: u64) -> Entry {
    Entry::upsert(
        seq,
        ItemKind::Hazard,
        &uuid(item),
        revision,
        json!({"kind": "hazard", "local_id": format!("HAZ-{item}"), "revision": revision}),
    )
}

/// A bundle of `entries`, signed by `key`.
fn write(key: &NodeKey, entries: &[Entry]) -> Vec<u8> {
    let mut w = BundleWriter::new(Vec::new(), key).expect("writer");
    for e in entries {
        w.push(e).expect("push");
    }
    w.finish().expect("finish").0
}

/// Upserts of items 1, 2, 3 … from seq `from` to `to`, revision 1.
fn range(key: &NodeKey, from: u64, to: u64) -> Vec<u8> {
    let entries: Vec<Entry> = (from..=to).map(|s| upsert(s, s, 1)).collect();
    write(key, &entries)
}

fn import<S: HubStore>(
    store: &mut S,
    bytes: &[u8],
) -> safeground_store::Result<safeground_store::hub::BundleImport> {
    store.import_bundle("importer", &mut bundle_of(Cursor::new(bytes.to_vec())))
}

/// A hub holding node KHM's card.
fn hub<S: HubStore>(store: &mut S) -> NodeKey {
    let k = key("KHM");
    store.make_hub("admin").expect("hub");
    assert!(store.add_node("admin", &card(&k)).expect("add"));
    k
}

fn sums<S: Dump>(store: &S) -> Vec<TableSum> {
    transfer::checksums(store).expect("checksums")
}

fn records<S: HubStore>(store: &S, node: Option<&str>) -> Vec<SharedRecord> {
    let mut out = Vec::new();
    store
        .for_each_shared_record(ItemKind::Hazard, node, &mut |r| {
            out.push(r);
            Ok(Flow::Continue)
        })
        .expect("records");
    out
}

/// (item, revision) of every hazard held.
fn held<S: HubStore>(store: &S) -> Vec<(String, u64)> {
    (records(store, None).into_iter())
        .map(|r| (r.item, r.revision))
        .collect()
}

fn checkpoint<S: HubStore>(store: &S, node: &str) -> u64 {
    (store.hub_nodes().expect("nodes").into_iter())
        .find(|n| n.node == node)
        .map(|n| n.checkpoint)
        .expect("node")
}

fn refused(err: StoreError) -> String {
    match err {
        StoreError::BundleRefused(m) => m,
        other => panic!("not a refusal: {other}"),
    }
}

fn nodes_are_registered_once_in_a_hub_only<S: HubStore>(mut store: S) {
    let khm = card(&key("KHM"));
    assert!(!store.is_hub().expect("hub?"));
    let err = store.add_node("admin", &khm).expect_err("not a hub");
    assert!(err.to_string().contains("safeground hub init"), "{err}");
    store.make_hub("admin").expect("hub");
    store.make_hub("admin").expect("again: nothing changes");
    assert!(store.is_hub().expect("hub?"));
    assert!(store.add_node("admin", &khm).expect("add"));
    assert!(!store.add_node("admin", &khm).expect("the same card again"));
    let err = (store.add_node("admin", &card(&key("KHM")))).expect_err("another key");
    assert!(err.to_string().contains("key rotation"), "{err}");
    let mut wrong = card(&key("LAO"));
    wrong.node = "VNM".into();
    let err = store
        .add_node("admin", &wrong)
        .expect_err("card of another node");
    assert!(err.to_string().contains("not node VNM's"), "{err}");
    let nodes = store.hub_nodes().expect("nodes");
    assert_eq!(nodes.len(), 1);
    assert_eq!((nodes[0].node.as_str(), nodes[0].checkpoint), ("KHM", 0));
    assert_eq!(nodes[0].name, "Cambodia");
    assert!(nodes[0].last_bundle_at.is_none() && nodes[0].last_bundle_sha256.is_none());
}

fn a_bundle_is_applied_once_and_again_changes_nothing<S: HubStore + Dump + ProgrammeStore>(
    mut store: S,
) {
    let k = hub(&mut store);
    let lao = key("LAO");
    store.add_node("admin", &card(&lao)).expect("LAO");
    let bytes = range(&k, 1, 20);
    let done = import(&mut store, &bytes).expect("import");
    assert_eq!(
        (done.seq_from, done.seq_to, done.applied_from),
        (1, 20, Some(1))
    );
    assert_eq!((done.upserted, done.skipped, done.older), (20, 0, 0));
    import(&mut store, &range(&lao, 1, 3)).expect("LAO's");
    assert_eq!(held(&store).len(), 23);
    assert_eq!(records(&store, Some("LAO")).len(), 3);
    let khm = records(&store, Some("KHM"));
    assert_eq!(khm.len(), 20);
    assert_eq!(khm[0].record["local_id"], "HAZ-1");
    assert_eq!((khm[0].seq, khm[0].kind), (1, ItemKind::Hazard));
    let node = &store.hub_nodes().expect("nodes")[0];
    assert_eq!(node.checkpoint, 20);
    assert_eq!(node.last_bundle_sha256.as_ref().map(String::len), Some(64));
    assert!(node.last_bundle_at.is_some());
    let audit = store.audit_log().expect("audit");
    let last = audit
        .iter()
        .rev()
        .find(|a| a.action == "hub.import")
        .expect("audited");
    assert!(
        last.detail
            .as_deref()
            .is_some_and(|d| d.contains("seq 1–3")),
        "{last:?}"
    );

    let before = sums(&store);
    let again = import(&mut store, &bytes).expect("again");
    assert_eq!(
        (again.applied_from, again.skipped, again.upserted),
        (None, 20, 0)
    );
    assert_eq!(
        sums(&store),
        before,
        "the same bundle twice changes nothing"
    );
}

fn overlapping_bundles_apply_from_the_first_entry_missing<S: HubStore + Dump>(mut store: S) {
    let k = hub(&mut store);
    import(&mut store, &range(&k, 1, 10)).expect("1–10");
    let done = import(&mut store, &range(&k, 6, 15)).expect("6–15");
    assert_eq!(done.applied_from, Some(11));
    assert_eq!((done.skipped, done.upserted), (5, 5));
    assert_eq!(checkpoint(&store, "KHM"), 15);
    assert_eq!(held(&store).len(), 15);
    let before = sums(&store);
    let done = import(&mut store, &range(&k, 3, 12)).expect("older, inside");
    assert_eq!(done.applied_from, None);
    assert_eq!(sums(&store), before);
}

fn a_gap_is_refused_naming_the_range_with_nothing_written<S: HubStore + Dump>(mut store: S) {
    let k = hub(&mut store);
    import(&mut store, &range(&k, 1, 10)).expect("1–10");
    let before = sums(&store);
    let err = refused(import(&mut store, &range(&k, 14, 20)).expect_err("gap"));
    assert!(
        err.contains("missing sequence 11–13 from node KHM"),
        "{err}"
    );
    assert_eq!(sums(&store), before);
    let err = refused(import(&mut store, &range(&key("LAO"), 1, 2)).expect_err("unknown"));
    assert!(
        err.contains("unknown node LAO") && err.contains("hub add-node"),
        "{err}"
    );
    assert_eq!(sums(&store), before);
}

fn bad_bundles_are_refused_with_nothing_written<S: HubStore + Dump>(mut store: S) {
    let k = hub(&mut store);
    import(&mut store, &range(&k, 1, 5)).expect("1–5");
    let before = sums(&store);
    let good = range(&k, 6, 200);
    // One byte of the payload.
    let mut tampered = good.clone();
    tampered[good.len() / 3] ^= 0x01;
    let err = refused(import(&mut store, &tampered).expect_err("tampered"));
    assert!(err.contains("SHA-256") || err.contains("payload"), "{err}");
    // One byte of the manifest: the signature no longer verifies.
    let mut tampered = good.clone();
    let at = good.len() - 12 - 64 - 20;
    tampered[at] ^= 0x01;
    assert!(import(&mut store, &tampered).is_err(), "manifest altered");
    // Truncated: the reader refuses it when opened.
    let truncated = &good[..good.len() - 100];
    let err = BundleReader::open(Cursor::new(truncated.to_vec()))
        .err()
        .expect("truncated");
    assert!(err.to_string().contains("truncated"), "{err}");
    // Cut inside the payload but with a manifest: verification refuses it.
    let mut cut = good.clone();
    cut.drain(100..200);
    let err = refused(import(&mut store, &cut).expect_err("cut"));
    assert!(err.contains("payload"), "{err}");
    // Signed by another key of the same node id.
    let foreign = range(&key("KHM"), 6, 10);
    let err = refused(import(&mut store, &foreign).expect_err("foreign"));
    assert!(err.contains("signature does not verify"), "{err}");
    assert_eq!(sums(&store), before);
    assert_eq!(checkpoint(&store, "KHM"), 5);
    import(&mut store, &good).expect("the good one still goes in");
    assert_eq!(checkpoint(&store, "KHM"), 200);
}

/// A bundle file that changes between the verifying pass and the reading one: a byte near the
/// end of its payload flips once the payload is sought a second time.
struct Changing {
    inner: Cursor<Vec<u8>>,
    payload_seeks: u32,
    flip: usize,
}

impl Read for Changing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl Seek for Changing {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        if pos == SeekFrom::Start(10) {
            self.payload_seeks += 1;
            if self.payload_seeks == 2 {
                self.inner.get_mut()[self.flip] ^= 0x40;
            }
        }
        self.inner.seek(pos)
    }
}

fn a_bundle_changed_while_read_is_rolled_back<S: HubStore + Dump>(mut store: S) {
    let k = hub(&mut store);
    import(&mut store, &range(&k, 1, 5)).expect("1–5");
    let before = sums(&store);
    let bytes = range(&k, 6, 2000);
    let flip = bytes.len() - 12 - 64 - 400;
    let changing = Changing {
        inner: Cursor::new(bytes),
        payload_seeks: 0,
        flip,
    };
    let err = store
        .import_bundle("importer", &mut bundle_of(changing))
        .expect_err("changed");
    let err = refused(err);
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(
        sums(&store),
        before,
        "entries read before the change are rolled back"
    );
}

fn older_revisions_are_ignored_tombstones_delete_withheld_entries_advance<S: HubStore + Dump>(
    mut store: S,
) {
    let k = hub(&mut store);
    let first = [
        upsert(1, 1, 2),
        upsert(2, 2, 1),
        upsert(3, 3, 1),
        Entry::withheld(4),
    ];
    let done = import(&mut store, &write(&k, &first)).expect("first");
    assert_eq!((done.upserted, done.withheld), (3, 1));
    let next = [
        upsert(5, 1, 1),
        Entry::tombstone(6, ItemKind::Hazard, &uuid(2), 2),
        upsert(7, 3, 2),
        Entry::withheld(8),
        Entry::tombstone(9, ItemKind::Hazard, &uuid(99), 1),
    ];
    let done = import(&mut store, &write(&k, &next)).expect("next");
    assert_eq!(
        (done.upserted, done.older, done.deleted, done.withheld),
        (1, 1, 2, 1)
    );
    assert_eq!(held(&store), vec![(uuid(1), 2), (uuid(3), 2)]);
    let three = &records(&store, None)[1];
    assert_eq!((three.seq, three.record["revision"].as_u64()), (7, Some(2)));
    assert_eq!(checkpoint(&store, "KHM"), 9);
    let done = import(&mut store, &write(&k, &[Entry::withheld(10)])).expect("only withheld");
    assert_eq!(done.withheld, 1);
    assert_eq!(checkpoint(&store, "KHM"), 10);
}

fn shared_records_are_counted_per_node_and_kind<S: HubStore>(mut store: S) {
    let khm = hub(&mut store);
    assert_eq!(store.shared_record_counts().expect("none"), vec![]);
    let lao = key("LAO");
    assert!(store.add_node("admin", &card(&lao)).expect("add LAO"));
    let accident = Entry::upsert(
        4,
        ItemKind::Accident,
        &uuid(9),
        1,
        json!({"kind": "accident", "local_id": "ACC-9"}),
    );
    let khm_entries = [upsert(1, 1, 1), upsert(2, 2, 1), upsert(3, 3, 1), accident];
    import(&mut store, &write(&khm, &khm_entries)).expect("KHM");
    let lao_entries = [
        upsert(1, 1, 1),
        Entry::tombstone(2, ItemKind::Hazard, &uuid(1), 1),
        upsert(3, 5, 1),
    ];
    import(&mut store, &write(&lao, &lao_entries)).expect("LAO");
    let count = |node: &str, kind, count| SharedCount {
        node: node.into(),
        kind,
        count,
    };
    assert_eq!(
        store.shared_record_counts().expect("counts"),
        vec![
            count("KHM", ItemKind::Accident, 1),
            count("KHM", ItemKind::Hazard, 3),
            count("LAO", ItemKind::Hazard, 1),
        ]
    );
}

/// The entries of a bundle of seq `from`–`to` over 3,000 items: every 97th withheld, every 13th
/// a tombstone, the rest upserts of revisions 1–50 (so many are older than the one held).
fn mixed(from: u64, to: u64) -> Vec<Entry> {
    (from..=to)
        .map(|seq| {
            let item = seq.wrapping_mul(0x9E37_79B9) % 3_000;
            if seq % 97 == 0 {
                Entry::withheld(seq)
            } else if seq % 13 == 0 {
                Entry::tombstone(seq, ItemKind::Hazard, &uuid(item), 1)
            } else {
                let revision = seq * 7_919 % 50 + 1;
                Entry::upsert(
                    seq,
                    ItemKind::Hazard,
                    &uuid(item),
                    revision,
                    json!({"kind": "hazard", "seq": seq, "revision": revision}),
                )
            }
        })
        .collect()
}

/// The reference: `entries` applied one at a time to `held` (item → revision, seq; a revision
/// as new as the one held replaces it, as a record re-sent does); the counts
/// (upserted, older, deleted, withheld).
fn one_at_a_time(
    held: &mut std::collections::BTreeMap<String, (u64, u64)>,
    entries: &[Entry],
) -> (u64, u64, u64, u64) {
    let mut counts = (0, 0, 0, 0);
    for e in entries {
        match (e.operation, e.target()) {
            (Operation::Upsert, Some((_, item, revision))) => {
                if held.get(item).is_none_or(|(r, _)| revision >= *r) {
                    held.insert(item.to_owned(), (revision, e.seq));
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
            (Operation::Tombstone, Some((_, item, _))) => {
                held.remove(item);
                counts.2 += 1;
            }
            _ => counts.3 += 1,
        }
    }
    counts
}

fn a_long_bundle_ends_as_its_entries_applied_one_at_a_time<S: HubStore>(mut store: S) {
    let k = hub(&mut store);
    let mut expected = std::collections::BTreeMap::new();
    let first: Vec<Entry> = (1..=1_000).map(|s| upsert(s, s, 25)).collect();
    one_at_a_time(&mut expected, &first);
    import(&mut store, &write(&k, &first)).expect("first");
    // Longer than two write batches of the PostgreSQL hub, each item met about four times.
    let next = mixed(1_001, 13_000);
    let counts = one_at_a_time(&mut expected, &next);
    let done = import(&mut store, &write(&k, &next)).expect("next");
    assert_eq!(
        (done.upserted, done.older, done.deleted, done.withheld),
        counts
    );
    assert!(counts.0 > 0 && counts.1 > 0 && counts.2 > 0 && counts.3 > 0);
    let got: Vec<(String, (u64, u64))> = (records(&store, None).into_iter())
        .map(|r| {
            // The record stored is the entry's that won.
            assert_eq!(r.record["revision"].as_u64(), Some(r.revision), "{r:?}");
            if r.seq > 1_000 {
                assert_eq!(r.record["seq"].as_u64(), Some(r.seq), "{r:?}");
            }
            (r.item, (r.revision, r.seq))
        })
        .collect();
    assert_eq!(got, expected.into_iter().collect::<Vec<_>>());
    assert_eq!(checkpoint(&store, "KHM"), 13_000);
}
