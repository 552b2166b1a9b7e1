//! Property-test fuzzing of the importer: arbitrary source records (any property names and
//! values: text in any script, huge and non-finite numbers, nested repeats, broken geometry) go
//! through every ready mapping and the whole plan/write path; the importer must refuse or
//! accept each record, never panic, and never write a report that fails validation.
//!
//! A long run: `PROPTEST_CASES=20000 cargo test -p safeground-import --release --test fuzz`.

use chrono::NaiveDate;
use proptest::prelude::*;
use safeground_import::{BUILTIN, BuildOptions, Built, Duplicates, Mapping, RunOptions, build};
use safeground_io::SourceRecord;
use safeground_store::{ProgrammeStore, SqliteStore};
use serde_json::{Map, Value, json};

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_map(|x| serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)),
        Just(json!(1e308)),
        "\\PC{0,24}".prop_map(Value::String),
        prop_oneof![
            Just("cha"),
            Just("Confirmed Hazardous Area"),
            Just("2024-02-30"),
            Just("31/12/2023"),
            Just("13.1 103.2 0 0"),
            Just("13.1 103.2;13.2 103.2;13.2 103.3"),
            Just("48P"),
            Just("POLYGON((0 0,1 1,1 0,0 1,0 0))"),
            Just("N 13°06'12\""),
            Just("yes"),
            Just("-0"),
            Just("ap_mine uxo"),
            Just("female"),
            Just("killed"),
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ]
}

fn column_name() -> impl Strategy<Value = String> {
    prop_oneof![
        // Names the ready mappings read, so values reach the conversions.
        Just("local_id".to_owned()),
        Just("id".to_owned()),
        Just("class".to_owned()),
        Just("name".to_owned()),
        Just("status".to_owned()),
        Just("date".to_owned()),
        Just("contamination".to_owned()),
        Just("reported_area_m2".to_owned()),
        "[a-z_/]{1,12}",
    ]
}

fn properties() -> impl Strategy<Value = Map<String, Value>> {
    let repeat = prop::collection::vec(
        prop::collection::btree_map(column_name(), scalar(), 0..6)
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        0..3,
    )
    .prop_map(Value::Array);
    prop::collection::btree_map(
        column_name(),
        prop_oneof![4 => scalar(), 1 => repeat],
        0..12,
    )
    .prop_map(|m| m.into_iter().collect())
}

fn geometry() -> impl Strategy<Value = Value> {
    let coord = (any::<f64>(), any::<f64>()).prop_map(|(x, y)| json!([x, y]));
    let small = (-1.0f64..1.0, -1.0f64..1.0).prop_map(|(x, y)| json!([103.2 + x, 13.1 + y]));
    let ring = prop::collection::vec(prop_oneof![1 => coord, 4 => small], 0..7);
    prop_oneof![
        Just(Value::Null),
        ring.clone()
            .prop_map(|r| json!({"type": "Polygon", "coordinates": [r]})),
        ring.clone()
            .prop_map(|r| json!({"type": "MultiPolygon", "coordinates": [[r]]})),
        ring.prop_map(|r| json!({"type": "LineString", "coordinates": r})),
        scalar().prop_map(|v| json!({"type": "Point", "coordinates": v})),
    ]
}

fn options() -> BuildOptions {
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).expect("date");
    BuildOptions {
        organisation: None,
        default_date: today,
        today,
        repair: false,
        repair_max_area_change_percent: 1.0,
        source_name: "fuzz".into(),
    }
}

proptest! {
    #[test]
    fn no_record_makes_the_importer_panic(
        props in properties(),
        geometry in geometry(),
        repair in any::<bool>(),
    ) {
        let feature = json!({"type": "Feature", "properties": props, "geometry": geometry});
        let mut options = options();
        options.repair = repair;
        for (name, _) in BUILTIN {
            let (mapping, _) = Mapping::load_builtin(name).expect("ready mapping");
            if let Built::Report(report, _) = build(&mapping, &options, "row 2", &feature) {
                prop_assert!(safeground_store::validate_report(&report, options.today).is_ok());
            }
        }
    }

    #[test]
    fn plans_of_arbitrary_records_write_consistently(
        records in prop::collection::vec((properties(), geometry()), 1..6),
    ) {
        let mut store = SqliteStore::in_memory().expect("store");
        let (mapping, text) = Mapping::load_builtin("safeground-hazard").expect("mapping");
        let source: Vec<SourceRecord> = records
            .into_iter()
            .enumerate()
            .map(|(i, (p, g))| SourceRecord {
                label: format!("feature {}", i + 1),
                feature: Ok(json!({"type": "Feature", "properties": p, "geometry": g})),
            })
            .collect();
        let run = RunOptions {
            actor: "fuzz".into(),
            approve_as_migration: true,
            strict: false,
            batch_size: 2,
            duplicate_tolerance_m: 1.0,
            keep_duplicates: false,
            accept_outside_programme_area: false,
        };
        let mut duplicates = Duplicates::load(&store, &[mapping.kind], 1.0).expect("load");
        let plan = safeground_import::plan(&source, &mapping, &options(), &mut duplicates, &run, 0, &mut |_, _, _| {});
        let key = safeground_import::checkpoint_key(b"fuzz", &text);
        let written = safeground_import::write(&mut store, &plan, &run, &key, &mut |_, _, _| {}).expect("write");
        prop_assert_eq!(written.reports + written.refusals.len(), plan.reports.len());
        prop_assert!(store.check_consistency().expect("check").is_empty());
        prop_assert_eq!(store.import_checkpoint(&key).expect("checkpoint"), Some(source.len() as u64));
    }
}
