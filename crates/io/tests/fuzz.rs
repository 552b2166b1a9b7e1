//! Property-based fuzzing of `read_source`: for every format, (a) arbitrary bytes and (b) valid
//! files with random byte flips, truncations, insertions and deletions must give `Ok` or
//! `Err`, never a panic. Each property runs `PROPTEST_CASES` cases (default 256, a few seconds
//! in debug); a long run:
//!
//! ```text
//! PROPTEST_CASES=20000 cargo test -p safeground-io --release --test fuzz
//! ```
#![allow(clippy::unwrap_used)]

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::Config;
use safeground_io::{ReadOptions, read_source};

/// A file to damage: its extension and valid bytes. `shp`, `dbf` and `prj` are the parts of
/// one shapefile, damaged one at a time beside valid others.
struct Seed {
    ext: &'static str,
    bytes: Vec<u8>,
}

fn seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let gpkg = dir.path().join("s.gpkg");
        fixtures::gpkg(&gpkg, 32648, None);
        fixtures::shapefile(dir.path(), "s", Some(fixtures::PRJ_UTM48), true);
        let part = |ext: &str| std::fs::read(dir.path().join(format!("s.{ext}"))).unwrap();
        let kml = fixtures::kml().into_bytes();
        vec![
            Seed {
                ext: "geojson",
                bytes: fixtures::geojson(),
            },
            Seed {
                ext: "json",
                bytes: fixtures::kobo_json(),
            },
            Seed {
                ext: "gpkg",
                bytes: std::fs::read(&gpkg).unwrap(),
            },
            Seed {
                ext: "shp",
                bytes: part("shp"),
            },
            Seed {
                ext: "dbf",
                bytes: part("dbf"),
            },
            Seed {
                ext: "prj",
                bytes: part("prj"),
            },
            Seed {
                ext: "zip",
                bytes: fixtures::zipped_shapefile(dir.path(), "s"),
            },
            Seed {
                ext: "zip",
                bytes: fixtures::odk_zip(),
            },
            Seed {
                ext: "kmz",
                bytes: fixtures::zip(&[("doc.kml", &kml)]),
            },
            Seed {
                ext: "kml",
                bytes: kml,
            },
            Seed {
                ext: "csv",
                bytes: fixtures::csv(),
            },
            Seed {
                ext: "xlsx",
                bytes: fixtures::kobo_xlsx(),
            },
        ]
    })
}

/// Writes `bytes` as a file of this kind (a shapefile part beside the valid other parts) and
/// reads it, with and without the options; panics propagate to proptest.
fn read_as(ext: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = match ext {
        "shp" | "dbf" | "prj" => {
            for part in ["shp", "dbf", "prj"] {
                let seed = seeds().iter().find(|s| s.ext == part).unwrap();
                let data = if part == ext { bytes } else { &seed.bytes };
                std::fs::write(dir.path().join(format!("f.{part}")), data).unwrap();
            }
            dir.path().join("f.shp")
        }
        _ => {
            let path = dir.path().join(format!("f.{ext}"));
            std::fs::write(&path, bytes).unwrap();
            path
        }
    };
    read_both(&path);
}

fn read_both(path: &Path) {
    let _ = read_source(path, &ReadOptions::default());
    let options = ReadOptions {
        layer: Some("finds".into()),
        encoding: Some("windows-1252".into()),
    };
    let _ = read_source(path, &options);
}

#[derive(Debug, Clone)]
enum Damage {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        4 => (any::<usize>(), 1..=255u8).prop_map(|(i, x)| Damage::Flip(i, x)),
        1 => any::<usize>().prop_map(Damage::Truncate),
        2 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(i, b)| Damage::Insert(i, b)),
        2 => (any::<usize>(), 1..64usize).prop_map(|(i, n)| Damage::Delete(i, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, d: &Damage) {
    let len = bytes.len().max(1);
    match d {
        Damage::Flip(i, x) => {
            if let Some(b) = bytes.get_mut(i % len) {
                *b ^= x;
            }
        }
        Damage::Truncate(i) => bytes.truncate(i % len),
        Damage::Insert(i, b) => {
            let at = i % (bytes.len() + 1);
            bytes.splice(at..at, b.iter().copied());
        }
        Damage::Delete(i, n) => {
            let at = i % len;
            let end = (at + n).min(bytes.len());
            bytes.drain(at.min(end)..end);
        }
    }
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(
        seed in 0..12usize,
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
    ) {
        read_as(seeds()[seed].ext, &bytes);
    }

    #[test]
    fn damaged_files_never_panic(
        seed in 0..12usize,
        damages in prop::collection::vec(damage(), 1..6),
    ) {
        let seed = &seeds()[seed];
        let mut bytes = seed.bytes.clone();
        for d in &damages {
            apply(&mut bytes, d);
        }
        read_as(seed.ext, &bytes);
    }

    /// Byte flips only: damage that keeps a binary file's layout, so reaches deepest (it found
    /// the GeoPackage and XLSX panics that `tests/read.rs` keeps as regressions).
    #[test]
    fn flipped_files_never_panic(
        seed in 0..12usize,
        flips in prop::collection::vec((any::<usize>(), 1..=255u8), 1..4),
    ) {
        let seed = &seeds()[seed];
        let mut bytes = seed.bytes.clone();
        for (i, x) in flips {
            apply(&mut bytes, &Damage::Flip(i, x));
        }
        read_as(seed.ext, &bytes);
    }

    /// A valid prefix of a text file with damage at its end (the usual shape of a cut file).
    #[test]
    fn damaged_text_never_panics(
        seed in prop::sample::select(vec!["geojson", "json", "kml", "csv", "prj"]),
        cut in any::<usize>(),
        tail in prop::collection::vec(any::<u8>(), 0..8),
    ) {
        let seed = seeds().iter().find(|s| s.ext == seed).unwrap();
        let mut bytes = seed.bytes[..cut % (seed.bytes.len() + 1)].to_vec();
        bytes.extend(tail);
        read_as(seed.ext, &bytes);
    }
}

#[test]
fn every_seed_reads() {
    for seed in seeds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("f.{}", seed.ext));
        std::fs::write(&path, &seed.bytes).unwrap();
        if matches!(seed.ext, "dbf" | "prj") {
            continue;
        }
        if seed.ext == "shp" {
            for part in ["dbf", "prj"] {
                let bytes = &seeds().iter().find(|s| s.ext == part).unwrap().bytes;
                std::fs::write(dir.path().join(format!("f.{part}")), bytes).unwrap();
            }
        }
        let records = read_source(&path, &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", seed.ext));
        assert!(!records.is_empty(), "{}", seed.ext);
    }
}
