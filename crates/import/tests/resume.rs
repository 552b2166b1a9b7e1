//! `import` as the CLI runs it without `--strict`: records planned in a second thread while
//! batches are written, resuming after the checkpoint an interrupted run left.

use chrono::NaiveDate;
use safeground_import::{BuildOptions, Job, Mapping, RunOptions, checkpoint_key, import};
use safeground_io::{SourceRecord, SourceRecords};
use safeground_model::{ItemKind, Record};
use safeground_store::{Checkpoint, Flow, ImportBatch, ProgrammeStore, SqliteStore};
use serde_json::json;

/// A 100 m square hazard `HAZ-i`, a kilometre from the next; record 4 has no geometry.
fn record(i: usize) -> SourceRecord {
    let (x, y) = (104.0 + 0.01 * i as f64, 12.0);
    let d = 0.0009;
    let geometry = if i == 4 {
        serde_json::Value::Null
    } else {
        json!({"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]})
    };
    SourceRecord {
        label: format!("feature {}", i + 1),
        feature: Ok(
            json!({"type": "Feature", "geometry": geometry, "properties": {
                "local_id": format!("HAZ-{i}"),
                "contamination": "ap_mine",
                "date_of_information": "2024-03-01",
            }}),
        ),
    }
}

fn hazards(store: &SqliteStore) -> Vec<String> {
    let mut ids = Vec::new();
    store
        .for_each_current(ItemKind::Hazard, None, &mut |v| {
            if let Record::Hazard(h) = &v.record {
                ids.push(h.local_id.clone());
            }
            Ok(Flow::Continue)
        })
        .expect("hazards");
    ids.sort();
    ids
}

#[test]
fn an_interrupted_import_resumes_after_its_checkpoint() {
    let (mapping, text) = Mapping::load("safeground-hazard").expect("ready mapping");
    let records = SourceRecords::from((0..11).map(record).collect::<Vec<_>>());
    let key = checkpoint_key(b"eleven hazards", &text);
    let today = NaiveDate::from_ymd_opt(2024, 6, 1).expect("date");
    let build = BuildOptions {
        organisation: None,
        default_date: today,
        today,
        repair: false,
        repair_max_area_change_percent: 1.0,
        source_name: "hazards.gpkg".into(),
    };
    let run = RunOptions {
        actor: "importer".into(),
        approve_as_migration: true,
        strict: false,
        batch_size: 3,
        duplicate_tolerance_m: 1.0,
        keep_duplicates: false,
        accept_outside_programme_area: false,
    };
    let mut store = SqliteStore::in_memory().expect("store");
    let job = Job {
        records: &records,
        mapping: &mapping,
        key: &key,
        build: &build,
        run: &run,
        dry_run: false,
    };
    // An earlier run with the same options wrote records 1–3 (none here) and stopped.
    store
        .import_batch(
            "importer",
            &ImportBatch {
                reports: &[],
                approve: None,
                checkpoint: Some(Checkpoint {
                    key: job.checkpoint(),
                    position: 3,
                }),
                all_or_nothing: false,
            },
        )
        .expect("checkpoint");
    let mut writing = Vec::new();
    let outcome = import(&mut store, &job, &mut |_, done, total| {
        writing.push((done, total))
    })
    .expect("import");
    assert_eq!(outcome.plan.resumed_from, 3);
    assert_eq!(outcome.plan.total, 11);
    // Batches of three records from the checkpoint on, the last one partial.
    assert_eq!(writing, vec![(6, 11), (9, 11), (11, 11)]);
    let written = outcome.written.expect("written");
    assert_eq!(written.reports, 7);
    assert_eq!(written.approved, 7);
    let refused: Vec<&str> = outcome
        .plan
        .refusals
        .iter()
        .map(|r| r.record.as_str())
        .collect();
    assert_eq!(refused, vec!["feature 5"]);
    let mut expect: Vec<String> = [3, 5, 6, 7, 8, 9, 10]
        .iter()
        .map(|i| format!("HAZ-{i}"))
        .collect();
    expect.sort();
    assert_eq!(hazards(&store), expect);
    assert_eq!(
        store
            .import_checkpoint(&job.checkpoint())
            .expect("checkpoint"),
        Some(11)
    );
    assert!(store.check_consistency().expect("check").is_empty());

    // Run again: everything is written, nothing is read twice.
    let again = import(&mut store, &job, &mut |_, _, _| {}).expect("import again");
    assert_eq!(again.plan.resumed_from, 11);
    assert!(again.written.is_none());
    assert_eq!(hazards(&store).len(), 7);
}
