//! Bundles end to end: round trip, tampering, truncation, foreign keys, order and gaps.

use std::io::{Cursor, Seek, SeekFrom, Write};

use safeground_federation::sequence::{Decision, decide};
use safeground_federation::{
    BundleReader, BundleWriter, Entry, FederationError, KindCounts, NodeCard, NodeId, NodeKey,
};
use safeground_model::ItemKind;
use serde_json::json;

fn key(node: &str) -> NodeKey {
    NodeKey::generate(NodeId::new(node).expect("node id")).expect("key")
}

fn card(key: &NodeKey) -> NodeCard {
    key.card("A national programme").expect("card")
}

/// Entry `seq`: hazards with a polygon, victims, every tenth a tombstone and every tenth
/// (7, 17, …) withheld.
fn entry(seq: u64) -> Entry {
    let (kind, record) = if seq.is_multiple_of(3) {
        (
            ItemKind::Victim,
            json!({"kind": "victim", "local_id": format!("VIC-{seq}"), "sex": "female",
                   "age_band": "18+", "outcome": "injured"}),
        )
    } else {
        let x = 104.0 + (seq % 1000) as f64 / 1000.0;
        (
            ItemKind::Hazard,
            json!({"kind": "hazard", "local_id": format!("HAZ-{seq}"), "name": "Rice field",
                   "class": "CHA", "status": "open",
                   "geometry": {"type": "MultiPolygon", "coordinates":
                       [[[[x, 11.5], [x + 0.001, 11.5], [x + 0.001, 11.501], [x, 11.5]]]]}}),
        )
    };
    let item = format!("00000000-0000-4000-8000-{seq:012}");
    if seq.is_multiple_of(10) {
        Entry::tombstone(seq, kind, &item, 1 + seq % 4)
    } else if seq % 10 == 7 {
        Entry::withheld(seq)
    } else {
        Entry::upsert(seq, kind, &item, 1 + seq % 4, record)
    }
}

fn bundle(key: &NodeKey, seqs: std::ops::RangeInclusive<u64>) -> Vec<u8> {
    let mut w = BundleWriter::new(Vec::new(), key).expect("writer");
    for seq in seqs {
        w.push(&entry(seq)).expect("push");
    }
    w.finish().expect("finish").0
}

fn verify(bytes: &[u8], card: &NodeCard) -> Result<Vec<Entry>, FederationError> {
    BundleReader::open(Cursor::new(bytes))?
        .verify(card)?
        .entries()?
        .collect()
}

#[test]
fn ten_thousand_entries_round_trip() {
    let k = key("KHM");
    let mut w = BundleWriter::new(Vec::new(), &k).expect("writer");
    let expected: Vec<Entry> = (1..=10_000).map(entry).collect();
    for e in &expected {
        w.push(e).expect("push");
    }
    let (bytes, manifest) = w.finish().expect("finish");
    assert_eq!((manifest.seq_from, manifest.seq_to), (1, 10_000));
    assert_eq!(manifest.entries(), 10_000);
    assert_eq!(
        manifest.counts[&ItemKind::Victim],
        KindCounts {
            upsert: 2667,
            tombstone: 333
        }
    );
    assert_eq!(manifest.withheld, 1000);
    let reader = BundleReader::open(Cursor::new(&bytes)).expect("open");
    assert_eq!(reader.manifest(), &manifest);
    let verified = reader.verify(&card(&k)).expect("verify");
    assert_eq!(verified.manifest(), &manifest);
    let got: Vec<Entry> = verified
        .entries()
        .expect("entries")
        .collect::<Result<_, _>>()
        .expect("read");
    assert_eq!(got, expected);
}

/// Regions of a bundle: (start, end) of the payload, manifest, signature and footer.
fn regions(bytes: &[u8]) -> [(usize, usize); 5] {
    let len = bytes.len();
    let m = u32::from_be_bytes([
        bytes[len - 12],
        bytes[len - 11],
        bytes[len - 10],
        bytes[len - 9],
    ]) as usize;
    let sig = len - 12 - 64;
    let manifest = sig - m;
    [
        (0, 10),
        (10, manifest),
        (manifest, sig),
        (sig, len - 12),
        (len - 12, len),
    ]
}

#[test]
fn one_tampered_byte_anywhere_is_refused() {
    let k = key("KHM");
    let c = card(&k);
    let good = bundle(&k, 1..=500);
    let [header, payload, manifest, signature, footer] = regions(&good);
    let mid = |(a, b): (usize, usize)| a + (b - a) / 2;
    let positions = [
        (header.0, "magic"),
        (header.1 - 1, "version"),
        (payload.0, "payload start"),
        (mid(payload), "payload middle"),
        (payload.1 - 1, "payload end (gzip trailer)"),
        (manifest.0, "manifest start"),
        (mid(manifest), "manifest middle"),
        (manifest.1 - 2, "manifest end"),
        (signature.0, "signature start"),
        (signature.1 - 1, "signature end"),
        (footer.0 + 3, "manifest length"),
        (footer.1 - 1, "end marker"),
    ];
    for (at, what) in positions {
        for flip in [0x01u8, 0x80] {
            let mut bad = good.clone();
            bad[at] ^= flip;
            let e = verify(&bad, &c).expect_err(what);
            let ok = match what {
                "magic" => matches!(e, FederationError::NotABundle),
                "version" => matches!(e, FederationError::UnsupportedVersion { .. }),
                w if w.starts_with("payload") => {
                    matches!(e, FederationError::PayloadDigest { .. })
                }
                w if w.starts_with("signature") => {
                    matches!(e, FederationError::BadSignature { .. })
                }
                w if w.starts_with("manifest") => matches!(
                    e,
                    FederationError::BadSignature { .. } | FederationError::ManifestInvalid { .. }
                ),
                _ => matches!(e, FederationError::Truncated { .. }),
            };
            assert!(ok, "{what} ^ {flip:#x}: {e}");
        }
    }
    assert!(verify(&good, &c).is_ok());
}

#[test]
fn a_payload_byte_names_the_digests() {
    let k = key("LAO");
    let mut bad = bundle(&k, 1..=50);
    bad[40] ^= 0x10;
    let e = verify(&bad, &card(&k)).expect_err("tampered").to_string();
    assert!(
        e.starts_with("payload SHA-256 mismatch: the signed manifest says "),
        "{e}"
    );
}

#[test]
fn a_truncated_bundle_is_refused_at_any_length() {
    let k = key("KHM");
    let c = card(&k);
    let good = bundle(&k, 1..=200);
    let len = good.len();
    for cut in [
        0,
        1,
        7,
        9,
        10,
        11,
        50,
        len / 2,
        len - 80,
        len - 13,
        len - 12,
        len - 1,
    ] {
        let e = verify(&good[..cut], &c).expect_err("truncated");
        assert!(
            matches!(e, FederationError::Truncated { at, .. } if at == cut as u64),
            "cut at {cut}: {e}"
        );
        if cut == len - 1 {
            assert!(
                e.to_string()
                    .starts_with(&format!("bundle is truncated at byte {cut}"))
            );
        }
    }
    let e = verify(b"PK\x03\x04 a zip file", &c).expect_err("not a bundle");
    assert!(matches!(e, FederationError::NotABundle), "{e}");
}

#[test]
fn a_foreign_key_or_another_node_is_refused() {
    let khm = key("KHM");
    let impostor = key("KHM");
    let lao = key("LAO");
    let forged = bundle(&impostor, 1..=10);
    let e = verify(&forged, &card(&khm)).expect_err("foreign key");
    assert!(matches!(e, FederationError::BadSignature { .. }), "{e}");
    assert!(
        e.to_string()
            .starts_with("signature does not verify with node KHM's key"),
        "{e}"
    );

    let from_lao = bundle(&lao, 1..=10);
    let e = verify(&from_lao, &card(&khm)).expect_err("wrong card");
    assert_eq!(
        e.to_string(),
        "bundle from node LAO but the card given is KHM: verify it with LAO's card"
    );
    let cards = [card(&khm)];
    let reader = BundleReader::open(Cursor::new(&from_lao)).expect("open");
    let e = reader.verify_known(&cards).err().expect("unknown node");
    assert!(matches!(e, FederationError::UnknownNode { .. }), "{e}");
    let cards = [card(&khm), card(&lao)];
    let reader = BundleReader::open(Cursor::new(&from_lao)).expect("open");
    assert!(reader.verify_known(&cards).is_ok());
}

#[test]
fn the_writer_refuses_out_of_order_gaps_and_empty_bundles() {
    let k = key("AZE");
    let mut w = BundleWriter::new(Vec::new(), &k).expect("writer");
    w.push(&entry(5)).expect("first");
    w.push(&entry(6)).expect("second");
    let e = w.push(&entry(8)).expect_err("gap").to_string();
    assert_eq!(
        e,
        "entry seq out of order at line 3: expected seq 7, found 8 (entries run in consecutive \
         sequence order)"
    );
    assert!(w.push(&entry(6)).is_err(), "repeat");
    w.push(&entry(7)).expect("resumes in order");
    let (bytes, m) = w.finish().expect("finish");
    assert_eq!((m.seq_from, m.seq_to), (5, 7));
    assert_eq!(verify(&bytes, &card(&k)).expect("verify").len(), 3);
    let empty = BundleWriter::new(Vec::new(), &k).expect("writer");
    assert!(matches!(empty.finish(), Err(FederationError::EmptyBundle)));
}

#[test]
fn bundles_across_the_checkpoint() {
    let k = key("KHM");
    let first = bundle(&k, 1..=100);
    let later = bundle(&k, 150..=200);
    let overlap = bundle(&k, 90..=149);
    let open = |b: &[u8]| {
        BundleReader::open(Cursor::new(b.to_vec()))
            .and_then(|r| r.verify(&card(&k)))
            .expect("verified")
    };
    let mut checkpoint = 0;
    let b = open(&first);
    assert_eq!(
        decide(checkpoint, b.manifest()).ok(),
        Some(Decision::ApplyAll)
    );
    checkpoint = b.manifest().seq_to;
    assert_eq!(
        decide(checkpoint, open(&first).manifest()).ok(),
        Some(Decision::NothingToDo),
        "the same bundle again"
    );
    let e = decide(checkpoint, open(&later).manifest()).expect_err("gap");
    assert!(
        e.to_string()
            .starts_with("missing sequence 101–149 from node KHM: import"),
        "{e}"
    );
    let b = open(&overlap);
    let d = decide(checkpoint, b.manifest()).expect("overlap");
    assert_eq!(d, Decision::ApplyFrom(101));
    let from = d.first_seq(b.manifest()).expect("something to apply");
    let applied: Vec<u64> = b
        .entries()
        .expect("entries")
        .map(|e| e.expect("entry").seq)
        .filter(|s| *s >= from)
        .collect();
    assert_eq!(applied, (101..=149).collect::<Vec<_>>());
    checkpoint = 149;
    assert_eq!(
        decide(checkpoint, open(&later).manifest()).ok(),
        Some(Decision::ApplyAll)
    );
}

#[test]
fn a_file_changed_after_verification_ends_in_an_error() {
    let k = key("KHM");
    let bytes = bundle(&k, 1..=2000);
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("khm.sgb");
    std::fs::write(&path, &bytes).expect("write");
    let file = std::fs::File::open(&path).expect("open");
    let verified = BundleReader::open(file)
        .and_then(|r| r.verify(&card(&k)))
        .expect("verified");
    let mut again = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("reopen");
    let [_, payload, ..] = regions(&bytes);
    again
        .seek(SeekFrom::Start((payload.1 - 3) as u64))
        .expect("seek");
    again
        .write_all(&[bytes[payload.1 - 3] ^ 0xff])
        .expect("tamper");
    drop(again);
    let results: Vec<Result<Entry, FederationError>> =
        verified.entries().expect("entries").collect();
    assert!(
        results.last().is_some_and(|r| r.is_err()),
        "the last item is an error"
    );
}
