//! A bundle of N entries (default 1,000,000) written, verified and read back, streaming, with
//! the time of each step and the process's peak resident memory:
//!
//! ```sh
//! cargo run --release -p safeground-federation --example million -- 1000000
//! ```
//!
//! Run it with 100000 too: the peak memory should not change with N.

use std::fs::File;
use std::io::BufWriter;
use std::time::Instant;

use safeground_federation::{BundleReader, BundleWriter, Entry, NodeId, NodeKey};
use safeground_model::ItemKind;
use serde_json::json;

/// A hazard version as shared: a small polygon, the usual fields.
fn entry(seq: u64) -> Entry {
    let x = 102.0 + (seq % 40_000) as f64 / 10_000.0;
    let y = 10.5 + (seq % 30_011) as f64 / 10_000.0;
    Entry::upsert(
        seq,
        ItemKind::Hazard,
        &format!("6f1c2d3e-0000-4000-8000-{seq:012}"),
        1 + seq % 3,
        json!({
            "kind": "hazard", "local_id": format!("HAZ-{seq:07}"), "name": "Rice field east of the pagoda",
            "class": "cha", "status": "open", "status_change": null, "organisation": "ORG-0003",
            "admin_pcode": "KH0102", "evidence": ["direct"], "contamination": ["ap_mine"],
            "reported_area_m2": 12_500.0, "first_recorded": "2019-03-04",
            "geometry": {"type": "MultiPolygon", "coordinates": [[[
                [x, y], [x + 0.00113, y], [x + 0.00113, y + 0.00091], [x + 0.00021, y + 0.00102], [x, y]
            ]]]}
        }),
    )
}

/// Peak resident memory of this process, from /proc (Linux).
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "n/a".into())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => 1_000_000,
    };
    let dir = tempfile::tempdir()?;
    let key = NodeKey::generate(NodeId::new("KHM")?)?;
    let card = key.card("Cambodia")?;
    let path = dir.path().join("khm.sgb");

    let t = Instant::now();
    let mut w = BundleWriter::new(BufWriter::new(File::create(&path)?), &key)?;
    for seq in 1..=n {
        w.push(&entry(seq))?;
    }
    let (_, manifest) = w.finish()?;
    let write = t.elapsed();
    let size = std::fs::metadata(&path)?.len();

    let t = Instant::now();
    let verified = BundleReader::open(File::open(&path)?)?.verify(&card)?;
    let verify = t.elapsed();

    let t = Instant::now();
    let mut read = 0u64;
    for e in verified.entries()? {
        let e = e?;
        read += 1;
        debug_assert_eq!(e.seq, read);
    }
    let entries = t.elapsed();
    assert_eq!(read, manifest.entries());

    println!(
        "{n} entries, bundle {:.1} MB: write {:.2} s, verify {:.2} s, read {:.2} s, total {:.2} s; \
         peak RSS {}",
        size as f64 / 1e6,
        write.as_secs_f64(),
        verify.as_secs_f64(),
        entries.as_secs_f64(),
        (write + verify + entries).as_secs_f64(),
        peak_rss()
    );
    Ok(())
}
