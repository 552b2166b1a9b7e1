//! Bundles signed by the right key whose payload breaks the rules: the reader refuses them.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use chrono::Utc;
use flate2::Compression;
use flate2::write::GzEncoder;
use safeground_model::ItemKind;
use sha2::{Digest, Sha256};

use super::*;
use crate::{FederationError, NodeId, NodeKey};

/// A bundle of `lines` gzipped (plus `trailing` bytes after the gzip stream) under a manifest
/// that announces `seq_from..=seq_to` and `hazards` upserts, signed by `key`.
fn craft(key: &NodeKey, lines: &str, trailing: &[u8], range: (u64, u64), hazards: u64) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(lines.as_bytes()).expect("gzip");
    let mut payload = gz.finish().expect("gzip");
    payload.extend_from_slice(trailing);
    craft_raw(key, &payload, range, hazards)
}

/// A bundle of `payload` as it is, its manifest and signature right.
fn craft_raw(key: &NodeKey, payload: &[u8], range: (u64, u64), hazards: u64) -> Vec<u8> {
    let manifest = Manifest {
        format: FORMAT_VERSION,
        node: key.node().clone(),
        seq_from: range.0,
        seq_to: range.1,
        counts: BTreeMap::from([(
            ItemKind::Hazard,
            KindCounts {
                upsert: hazards,
                tombstone: 0,
            },
        )]),
        withheld: 0,
        payload_bytes: payload.len() as u64,
        payload_sha256: hex(&Sha256::digest(payload)),
        compression: GZIP.into(),
        created_at: Utc::now(),
    };
    let m = serde_json::to_vec(&manifest).expect("manifest");
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&FORMAT_VERSION.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&m);
    out.extend_from_slice(&key.sign(&signed_message(&m)).to_bytes());
    out.extend_from_slice(&(m.len() as u32).to_be_bytes());
    out.extend_from_slice(&END_MARKER);
    out
}

fn line(seq: u64) -> String {
    format!(
        "{{\"seq\":{seq},\"kind\":\"hazard\",\"item\":\"h{seq}\",\"revision\":1,\"op\":\"upsert\",\
         \"record\":{{\"kind\":\"hazard\"}}}}\n"
    )
}

fn check(bytes: Vec<u8>, key: &NodeKey) -> Result<usize, FederationError> {
    let card = key.card("Test")?;
    let verified = BundleReader::open(Cursor::new(bytes))?.verify(&card)?;
    Ok(verified.entries()?.collect::<Result<Vec<_>, _>>()?.len())
}

fn key() -> NodeKey {
    NodeKey::generate(NodeId::new("KHM").expect("id")).expect("key")
}

#[test]
fn a_crafted_bundle_in_order_is_read() {
    let k = key();
    let lines = [line(4), line(5), line(6)].concat();
    assert_eq!(check(craft(&k, &lines, b"", (4, 6), 3), &k).ok(), Some(3));
}

#[test]
fn entries_out_of_order_are_refused_with_their_line() {
    let k = key();
    let lines = [line(1), line(3), line(2)].concat();
    let e = check(craft(&k, &lines, b"", (1, 3), 3), &k).expect_err("out of order");
    assert_eq!(
        e.to_string(),
        "entry seq out of order at line 2: expected seq 2, found 3 (entries run in consecutive \
         sequence order)"
    );
}

#[test]
fn a_gap_inside_a_bundle_is_refused() {
    let k = key();
    let lines = [line(1), line(2), line(4)].concat();
    let e = check(craft(&k, &lines, b"", (1, 3), 3), &k).expect_err("gap");
    assert!(
        matches!(e, FederationError::SeqOutOfOrder { line: 3, .. }),
        "{e}"
    );
}

#[test]
fn a_payload_that_is_not_the_manifest_is_refused() {
    let k = key();
    let two = [line(1), line(2)].concat();
    let e = check(craft(&k, &two, b"", (1, 3), 3), &k).expect_err("short");
    assert!(
        e.to_string()
            .contains("entries end at seq 2, the manifest at 3"),
        "{e}"
    );
    let e = check(craft(&k, &two, b"", (1, 2), 3), &k).expect_err("counts");
    assert!(matches!(e, FederationError::ManifestInvalid { .. }), "{e}");
    let three = [line(1), line(2), line(3)].concat();
    let e = check(craft(&k, &three, b"", (1, 2), 2), &k).expect_err("longer");
    assert!(
        e.to_string()
            .contains("entries end at seq 3, the manifest at 2"),
        "{e}"
    );
    let e = check(craft(&k, &two, b"junk", (1, 2), 2), &k).expect_err("trailing");
    assert!(
        e.to_string()
            .contains("4 bytes follow the compressed payload"),
        "{e}"
    );
}

#[test]
fn lines_that_are_not_entries_are_refused() {
    let k = key();
    let cases = [
        (format!("{}not json\n", line(1)), "payload line 2"),
        (line(1).trim_end().to_owned(), "ends inside a line"),
        (
            line(1).replace("\"op\":\"upsert\"", "\"op\":\"delete\""),
            "unknown variant `delete`",
        ),
        (
            line(1).replace("\"record\":{\"kind\":\"hazard\"}", "\"record\":[1]"),
            "an upsert carries its record as a JSON object",
        ),
        (
            line(1).replace("\"item\"", "\"email\":\"x\",\"item\""),
            "unknown field `email`",
        ),
        (
            "{\"seq\":1,\"op\":\"withheld\",\"kind\":\"victim\"}\n".into(),
            "a withheld entry carries its seq alone",
        ),
        (
            "{\"seq\":1,\"op\":\"withheld\"}\n".into(),
            "entries per kind {}, the manifest says {Hazard",
        ),
    ];
    for (lines, expected) in cases {
        let n = lines.matches("\"seq\"").count() as u64;
        let e = check(craft(&k, &lines, b"", (1, n), n), &k).expect_err(expected);
        assert!(e.to_string().contains(expected), "{expected}: {e}");
    }
}

#[test]
fn a_payload_that_is_not_gzip_is_refused() {
    let k = key();
    let bytes = craft_raw(&k, line(1).as_bytes(), (1, 1), 1);
    let e = check(bytes, &k).expect_err("not gzip").to_string();
    assert!(
        e.contains("payload line 1: the payload does not decompress"),
        "{e}"
    );
}
