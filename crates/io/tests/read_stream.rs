//! `open_source` on GeoJSON FeatureCollections: streamed (a first pass counts the features and
//! reads `type` and `crs` wherever they are; each walk parses one feature at a time), with the
//! same labels, values and per-record errors as `read_source`'s whole read, from any start.
#![allow(clippy::unwrap_used)]

#[path = "fixtures/mod.rs"]
mod fixtures;

use std::path::{Path, PathBuf};

use safeground_io::{IoError, ReadOptions, SourceRecord, SourceRecords, open_source, read_source};
use serde_json::{Value, json};

use fixtures::UTM48;

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

type Seen = Vec<(usize, String, Result<Value, String>)>;

/// The records `source` hands out from `start` on, stopping after `stop_after`.
fn walk(source: &SourceRecords, start: usize, stop_after: usize) -> Seen {
    let mut seen = Vec::new();
    source
        .each(start, &mut |i, r| {
            seen.push((i, r.label.clone(), r.feature.clone()));
            seen.len() < stop_after
        })
        .unwrap();
    seen
}

fn whole(path: &Path) -> Vec<SourceRecord> {
    read_source(path, &ReadOptions::default()).unwrap()
}

fn same_as_whole(seen: &Seen, whole: &[SourceRecord], start: usize) {
    assert_eq!(seen.len(), whole.len() - start);
    for ((i, label, feature), r) in seen.iter().zip(&whole[start..]) {
        assert_eq!(label, &r.label, "record {i}");
        assert_eq!(feature, &r.feature, "record {i}");
    }
}

/// Every fixture collection, walked from every start, gives what the whole read gives: labels,
/// values (ids, nulls, huge numbers) and the per-record errors of features that are not
/// Features.
#[test]
fn a_collection_is_streamed_and_walked_like_the_whole_read_from_any_start() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("h.geojson", fixtures::geojson()),
        ("h.JSON", fixtures::geojson()),
        (
            "bom.geojson",
            [b"\xef\xbb\xbf".as_slice(), &fixtures::geojson()].concat(),
        ),
    ] {
        let path = write(dir.path(), name, bytes);
        let whole = whole(&path);
        let source = open_source(&path, &ReadOptions::default()).unwrap();
        assert!(matches!(source, SourceRecords::GeoJson(_)), "{name}");
        assert_eq!(source.len(), whole.len(), "{name}");
        for start in 0..=whole.len() {
            same_as_whole(&walk(&source, start, usize::MAX), &whole, start);
        }
        assert!(whole[5].feature.as_ref().unwrap_err().contains("Feature"));
        // A walk stops when told to, and can be walked again.
        let two = walk(&source, 1, 2);
        assert_eq!(
            two.iter()
                .map(|(i, l, _)| (*i, l.as_str()))
                .collect::<Vec<_>>(),
            vec![(1, "feature 2"), (2, "feature 3")]
        );
        same_as_whole(&walk(&source, 0, usize::MAX), &whole, 0);
    }
}

/// `crs` after `features` (or before `type`) is still the coordinate system of every feature,
/// as the whole read takes it; other members anywhere are skipped.
#[test]
fn the_crs_is_honoured_wherever_it_comes() {
    let dir = tempfile::tempdir().unwrap();
    let features: Vec<Value> = UTM48
        .iter()
        .enumerate()
        .map(|(i, (_, _, e, n))| {
            json!({"type": "Feature", "id": i, "properties": {"n": i},
                   "geometry": {"type": "Point", "coordinates": [e, n]}})
        })
        .collect();
    let crs = r#"{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}}"#;
    let features = Value::Array(features).to_string();
    for text in [
        format!(
            r#"{{"features": {features}, "name": "x", "crs": {crs}, "type": "FeatureCollection"}}"#
        ),
        format!(
            r#"{{"crs": {crs}, "bbox": [1, 2, 3, 4], "type": "FeatureCollection", "features": {features}}}"#
        ),
    ] {
        let path = write(dir.path(), "late.geojson", &text);
        let source = open_source(&path, &ReadOptions::default()).unwrap();
        assert!(matches!(source, SourceRecords::GeoJson(_)));
        let seen = walk(&source, 0, usize::MAX);
        assert_eq!(seen.len(), 2);
        for ((_, _, f), (lon, lat, _, _)) in seen.iter().zip(UTM48) {
            let c = &f.as_ref().unwrap()["geometry"]["coordinates"];
            let (x, y) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            assert!((x - lon).abs() < 1e-8 && (y - lat).abs() < 1e-8, "{c}");
        }
        same_as_whole(&seen, &whole(&path), 0);
    }
    // An unknown crs is refused when the file is opened, as the whole read refuses it.
    let bad = r#"{"features": [], "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}}}"#;
    let path = write(dir.path(), "bad.geojson", bad);
    let Err(IoError::Usage(m)) = open_source(&path, &ReadOptions::default()) else {
        panic!("refused");
    };
    assert!(
        m.contains("ogr2ogr -t_srs EPSG:4326") && m.contains("bad.geojson"),
        "{m}"
    );
}

/// A file that is not JSON is refused when opened with the whole read's message, naming it;
/// JSON that is not a FeatureCollection with features (a single Feature, an XLSForm
/// submission export, another GeoJSON type) takes the whole read's path and messages.
#[test]
fn malformed_files_and_other_json_are_read_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let text = fixtures::geojson();
    for (name, bytes) in [
        ("half.geojson", text[..text.len() / 2].to_vec()),
        ("tail.geojson", [text.as_slice(), b" ]"].concat()),
        ("empty.geojson", Vec::new()),
    ] {
        let path = write(dir.path(), name, bytes);
        let streamed = open_source(&path, &ReadOptions::default());
        let Err(IoError::Usage(m)) = streamed else {
            panic!("{name}: refused");
        };
        assert!(m.contains("not valid JSON") && m.contains(name), "{m}");
        let Err(IoError::Usage(whole)) = read_source(&path, &ReadOptions::default()) else {
            panic!("{name}: refused whole");
        };
        assert_eq!(m, whole);
    }
    let topology = write(dir.path(), "o.geojson", r#"{"type": "Topology"}"#);
    let Err(IoError::Usage(m)) = open_source(&topology, &ReadOptions::default()) else {
        panic!("refused");
    };
    assert!(m.contains("FeatureCollection"), "{m}");
    let one = write(
        dir.path(),
        "one.geojson",
        r#"{"type": "Feature", "properties": {"a": 1}, "geometry": null}"#,
    );
    let source = open_source(&one, &ReadOptions::default()).unwrap();
    assert!(matches!(&source, SourceRecords::Read(r) if r.len() == 1));
    let kobo = write(dir.path(), "k.json", fixtures::kobo_json());
    let source = open_source(&kobo, &ReadOptions::default()).unwrap();
    assert!(matches!(&source, SourceRecords::Read(r) if !r.is_empty()));
    same_as_whole(&walk(&source, 0, usize::MAX), &whole(&kobo), 0);
}
