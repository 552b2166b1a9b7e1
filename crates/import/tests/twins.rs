//! What the programme already holds, decided by identity: events at one place on other days are
//! other events; a record with the same date, type and place under another local id is held for
//! review (and written when asked); a local id already written is never written twice, whatever
//! the options of a later run; the checkpoint is keyed by the options that change the result.

use chrono::NaiveDate;
use safeground_import::{BuildOptions, Job, Mapping, Outcome, RunOptions, checkpoint_key, import};
use safeground_io::{SourceRecord, SourceRecords};
use safeground_model::ItemKind;
use safeground_store::{Flow, ProgrammeStore, SqliteStore};
use serde_json::{Value, json};

const ACCIDENTS: &str = r#"
kind = "accident"
[fields]
local_id = "id"
date = { column = "date", type = "date" }
date_known = { column = "known", type = "boolean", default = true }
device_category = "device"
location = { geometry = "lonlat", lon = "lon", lat = "lat" }
"#;

/// A village centre where accidents of many years are recorded.
const VILLAGE: (f64, f64) = (103.2, 13.1);

fn row(i: usize, properties: Value) -> SourceRecord {
    SourceRecord {
        label: format!("row {}", i + 2),
        feature: Ok(json!({"type": "Feature", "geometry": null, "properties": properties})),
    }
}

/// Accidents as (local id, date or "", date known, device or "") at the village centre; an
/// empty value is a missing column.
fn accidents(rows: &[(&str, &str, bool, &str)]) -> SourceRecords {
    let rows = rows
        .iter()
        .enumerate()
        .map(|(i, (id, date, known, device))| {
            let mut properties = json!({"id": id, "known": if *known { "yes" } else { "no" },
                                    "lon": VILLAGE.0, "lat": VILLAGE.1});
            for (column, value) in [("date", date), ("device", device)] {
                if !value.is_empty() {
                    properties[column] = json!(value);
                }
            }
            row(i, properties)
        });
    SourceRecords::from(rows.collect::<Vec<_>>())
}

fn options() -> (BuildOptions, RunOptions) {
    let today = NaiveDate::from_ymd_opt(2024, 6, 1).expect("date");
    let build = BuildOptions {
        organisation: None,
        default_date: today,
        today,
        repair: false,
        repair_max_area_change_percent: 1.0,
        source_name: "accidents.csv".into(),
    };
    let run = RunOptions {
        actor: "importer".into(),
        approve_as_migration: true,
        strict: false,
        batch_size: 2,
        duplicate_tolerance_m: 1.0,
        keep_duplicates: false,
        accept_outside_programme_area: false,
    };
    (build, run)
}

/// Imports `records`, the content of a file named `file`.
fn run(
    store: &mut SqliteStore,
    (file, records): (&str, &SourceRecords),
    mapping: (&Mapping, &str),
    build: &BuildOptions,
    run: &RunOptions,
) -> Outcome {
    let key = checkpoint_key(file.as_bytes(), mapping.1);
    let job = Job {
        records,
        mapping: mapping.0,
        key: &key,
        build,
        run,
        dry_run: false,
    };
    import(store, &job, &mut |_, _, _| {}).expect("import")
}

fn local_ids(store: &SqliteStore, kind: ItemKind) -> Vec<String> {
    let mut ids = Vec::new();
    store
        .for_each_current(kind, None, &mut |v| {
            ids.push(v.record.local_id().to_owned());
            Ok(Flow::Continue)
        })
        .expect("items");
    ids.sort();
    ids
}

fn labels(refusals: &[safeground_import::Refusal]) -> Vec<&str> {
    refusals.iter().map(|r| r.record.as_str()).collect()
}

#[test]
fn accidents_at_one_place_on_other_days_are_all_written() {
    let text = ACCIDENTS;
    let mapping = Mapping::parse(text, false, "accidents").expect("mapping");
    let (build, options) = options();
    let mut store = SqliteStore::in_memory().expect("store");
    // Six accidents at the village centre: other years, other devices, an estimated date given
    // twice, an unknown date twice. None is a twin of another.
    let records = accidents(&[
        ("A-1990", "1990-02-01", true, "ap_mine"),
        ("A-2015", "2015-02-01", true, "ap_mine"),
        ("A-2015-AT", "2015-03-01", true, "at_mine"),
        ("A-EST-1", "1995-01-01", false, ""),
        ("A-EST-2", "1995-01-01", false, ""),
        ("A-UNK-1", "", false, "uxo"),
        ("A-UNK-2", "", false, "uxo"),
    ]);
    let outcome = run(
        &mut store,
        ("records", &records),
        (&mapping, text),
        &build,
        &options,
    );
    assert!(
        outcome.plan.refusals.is_empty(),
        "{:?}",
        outcome.plan.refusals
    );
    assert!(outcome.plan.twins.is_empty(), "{:?}", outcome.plan.twins);
    assert_eq!(outcome.written.expect("written").reports, 7);
    assert_eq!(local_ids(&store, ItemKind::Accident).len(), 7);
}

#[test]
fn a_true_twin_is_held_with_the_record_it_resembles_then_written_when_asked() {
    let text = ACCIDENTS;
    let mapping = Mapping::parse(text, false, "accidents").expect("mapping");
    let (build, mut options) = options();
    let mut store = SqliteStore::in_memory().expect("store");
    let first = accidents(&[("A-1", "2015-02-01", true, "ap_mine")]);
    run(
        &mut store,
        ("first", &first),
        (&mapping, text),
        &build,
        &options,
    );
    // Another export of the same accident under another id; the first again; a new one; the
    // same day and place with no device given (a twin too: the type is compared when both give
    // one); and a row repeating the new one.
    let second = accidents(&[
        ("OTHER-7", "2015-02-01", true, "ap_mine"),
        ("A-1", "2015-02-01", true, "ap_mine"),
        ("A-2", "2016-02-01", true, "ap_mine"),
        ("OTHER-8", "2015-02-01", true, ""),
        ("A-2", "2016-02-01", true, "ap_mine"),
    ]);
    let outcome = run(
        &mut store,
        ("second", &second),
        (&mapping, text),
        &build,
        &options,
    );
    let plan = &outcome.plan;
    let held: Vec<(&str, &str)> = plan
        .twins
        .iter()
        .map(|t| (t.record.record.as_str(), t.twin_of.as_str()))
        .collect();
    assert_eq!(held.len(), 2, "{held:?}");
    assert_eq!(held[0].0, "row 2");
    assert!(held[0].1.ends_with("(local id A-1)"), "{held:?}");
    assert_eq!(held[1].0, "row 5");
    let reason = &plan.twins[0].record.reason;
    assert!(
        reason.contains("suspected twin") && reason.contains("date 2015-02-01"),
        "{reason}"
    );
    assert_eq!(labels(&plan.present), vec!["row 3", "row 6"]);
    assert!(plan.present[0].reason.contains("already in the programme"));
    assert!(plan.present[1].reason.contains("same record as row 4"));
    assert_eq!(plan.not_written(), 4);
    assert_eq!(outcome.written.expect("written").reports, 1);
    assert_eq!(local_ids(&store, ItemKind::Accident), vec!["A-1", "A-2"]);

    // Reviewed: they are other accidents. The same file with the flag writes the held ones and
    // nothing twice.
    options.keep_duplicates = true;
    let outcome = run(
        &mut store,
        ("second", &second),
        (&mapping, text),
        &build,
        &options,
    );
    assert_eq!(outcome.plan.resumed_from, 0, "other options: planned again");
    assert!(outcome.plan.twins.is_empty());
    assert_eq!(
        labels(&outcome.plan.present),
        vec!["row 3", "row 4", "row 6"]
    );
    assert!(
        outcome
            .plan
            .notes
            .iter()
            .any(|n| n.contains("suspected twin")),
        "{:?}",
        outcome.plan.notes
    );
    assert_eq!(outcome.written.expect("written").reports, 2);
    assert_eq!(
        local_ids(&store, ItemKind::Accident),
        vec!["A-1", "A-2", "OTHER-7", "OTHER-8"]
    );
}

#[test]
fn one_local_id_with_other_values_is_refused() {
    let text = ACCIDENTS;
    let mapping = Mapping::parse(text, false, "accidents").expect("mapping");
    let (build, options) = options();
    let mut store = SqliteStore::in_memory().expect("store");
    let records = accidents(&[
        ("A-1", "2015-02-01", true, "ap_mine"),
        ("A-1", "2019-02-01", true, "ap_mine"),
    ]);
    let outcome = run(
        &mut store,
        ("records", &records),
        (&mapping, text),
        &build,
        &options,
    );
    assert_eq!(labels(&outcome.plan.refusals), vec!["row 3"]);
    assert!(
        outcome.plan.refusals[0]
            .reason
            .contains("local id already given to row 2")
    );
    assert_eq!(local_ids(&store, ItemKind::Accident), vec!["A-1"]);
}

/// Three hazards, the second a bow tie that only `repair` accepts.
fn hazards() -> SourceRecords {
    let square = |id: &str, x: f64| {
        let d = 0.0009;
        json!({"type": "Polygon", "coordinates": [[[x, 12.0], [x + d, 12.0], [x + d, 12.0 + d],
               [x, 12.0 + d], [x, 12.0]]], "id": id})
    };
    let bowtie = json!({"type": "Polygon", "coordinates": [[
        [103.20, 13.10], [103.21, 13.11], [103.21, 13.10], [103.20, 13.11], [103.20, 13.10]]]});
    let features = [
        ("HAZ-1", square("HAZ-1", 104.0)),
        ("BOWTIE", bowtie),
        ("HAZ-3", square("HAZ-3", 104.1)),
    ];
    SourceRecords::from(
        features
            .into_iter()
            .enumerate()
            .map(|(i, (id, geometry))| SourceRecord {
                label: format!("feature {}", i + 1),
                feature: Ok(
                    json!({"type": "Feature", "geometry": geometry, "properties": {
                    "local_id": id, "contamination": "ap_mine",
                    "date_of_information": "2024-03-01"}}),
                ),
            })
            .collect::<Vec<_>>(),
    )
}

#[test]
fn a_rerun_with_repair_writes_what_was_refused_and_nothing_twice() {
    let (mapping, text) = Mapping::load("safeground-hazard").expect("ready mapping");
    let (mut build, options) = options();
    let mut store = SqliteStore::in_memory().expect("store");
    let records = hazards();
    let first = run(
        &mut store,
        ("records", &records),
        (&mapping, &text),
        &build,
        &options,
    );
    assert_eq!(labels(&first.plan.refusals), vec!["feature 2"]);
    assert_eq!(local_ids(&store, ItemKind::Hazard), vec!["HAZ-1", "HAZ-3"]);

    // The same options again: the checkpoint is at the end, nothing is planned.
    let again = run(
        &mut store,
        ("records", &records),
        (&mapping, &text),
        &build,
        &options,
    );
    assert_eq!(again.plan.resumed_from, 3);
    assert!(again.written.is_none());

    // With --repair, as the refusal advises: planned again; the bow tie is written, the others
    // are recognised by their local ids.
    build.repair = true;
    let repaired = run(
        &mut store,
        ("records", &records),
        (&mapping, &text),
        &build,
        &options,
    );
    assert_eq!(repaired.plan.resumed_from, 0);
    assert!(
        repaired.plan.refusals.is_empty(),
        "{:?}",
        repaired.plan.refusals
    );
    assert_eq!(
        labels(&repaired.plan.present),
        vec!["feature 1", "feature 3"]
    );
    assert!(repaired.plan.twins.is_empty());
    assert_eq!(repaired.written.expect("written").reports, 1);
    assert_eq!(
        local_ids(&store, ItemKind::Hazard),
        vec!["BOWTIE", "HAZ-1", "HAZ-3"]
    );
    // And that run too is done once.
    let done = run(
        &mut store,
        ("records", &records),
        (&mapping, &text),
        &build,
        &options,
    );
    assert_eq!(done.plan.resumed_from, 3);
    assert!(store.check_consistency().expect("check").is_empty());
}

/// A change of options.
type Change = fn(&mut BuildOptions, &mut RunOptions);

#[test]
fn the_checkpoint_is_keyed_by_the_options_that_change_the_result() {
    let (build, options) = options();
    let (mapping, text) = Mapping::load("safeground-hazard").expect("ready mapping");
    let records = hazards();
    let key = checkpoint_key(b"file", &text);
    let job = |build: &BuildOptions, run: &RunOptions| {
        Job {
            records: &records,
            mapping: &mapping,
            key: &key,
            build,
            run,
            dry_run: false,
        }
        .checkpoint()
    };
    let base = job(&build, &options);
    // Neither who imports, nor the batch size, nor --strict changes what is written.
    let mut same = options.clone();
    same.actor = "someone else".into();
    same.batch_size = 1000;
    same.strict = true;
    assert_eq!(job(&build, &same), base);
    let changes: [Change; 7] = [
        |b, _| b.repair = true,
        |b, _| b.repair_max_area_change_percent = 5.0,
        |b, _| b.organisation = Some("ORG-1".into()),
        |b, _| b.default_date = NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"),
        |_, r| r.approve_as_migration = false,
        |_, r| r.keep_duplicates = true,
        |_, r| r.duplicate_tolerance_m = 5.0,
    ];
    for (i, change) in changes.iter().enumerate() {
        let (mut b, mut r) = (build.clone(), options.clone());
        change(&mut b, &mut r);
        assert_ne!(job(&b, &r), base, "option change {i}");
    }
}
