//! What the mapping tests share: an import from a file into an in-memory store, as the CLI runs
//! it (read → plan → write), and ways to read the result back.

use std::path::Path;

use chrono::{NaiveDate, Utc};
use safeground_import::{
    BuildOptions, Duplicates, Mapping, Plan, Refusal, RunOptions, Written, checkpoint_key, plan,
    write,
};
use safeground_io::{ReadOptions, read_source};
use safeground_model::{ItemKind, Organisation, OrganisationKind, Record};
use safeground_store::{
    ApproveOptions, Flow, ImportBatch, ItemVersion, NewReport, ProgrammeStore, ReportEntry,
    SqliteStore, ValidReport,
};

/// What one import did.
pub struct Outcome {
    /// The plan: reports, refusals, skipped records.
    pub plan: Plan,
    /// What was written.
    pub written: Written,
}

impl Outcome {
    /// The refusal of the record labelled `record`.
    pub fn refusal(&self, record: &str) -> &Refusal {
        self.plan
            .refusals
            .iter()
            .chain(&self.written.refusals)
            .find(|r| r.record == record)
            .unwrap_or_else(|| panic!("no refusal of {record}: {:#?}", self.plan.refusals))
    }

    /// Labels of the refused records, in order.
    pub fn refused(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .plan
            .refusals
            .iter()
            .chain(&self.written.refusals)
            .map(|r| r.record.as_str())
            .collect();
        all.sort_unstable();
        all
    }
}

/// A new, empty programme.
pub fn store() -> SqliteStore {
    SqliteStore::in_memory().expect("in-memory store")
}

/// Imports `path` with the ready mapping `mapping`, approving as a migration when `approve`.
pub fn import(store: &mut SqliteStore, path: &Path, mapping: &str, approve: bool) -> Outcome {
    let (mapping, text) = Mapping::load(mapping).expect("ready mapping");
    let records = read_source(path, &ReadOptions::default()).expect("readable source");
    let kinds: Vec<ItemKind> = std::iter::once(mapping.kind)
        .chain(mapping.entries.iter().map(|e| e.kind))
        .collect();
    let mut duplicates = Duplicates::load(store, &kinds, 1.0).expect("duplicates");
    let today = Utc::now().date_naive();
    let build = BuildOptions {
        organisation: None,
        default_date: today,
        today,
        repair: false,
        repair_max_area_change_percent: 1.0,
        source_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let run = RunOptions {
        actor: "importer".into(),
        approve_as_migration: approve,
        strict: false,
        batch_size: 2,
        duplicate_tolerance_m: 1.0,
        keep_duplicates: false,
        accept_outside_programme_area: false,
    };
    let plan = plan(
        &records,
        &mapping,
        &build,
        &mut duplicates,
        &run,
        0,
        &mut |_, _, _| {},
    );
    let key = checkpoint_key(&std::fs::read(path).expect("source bytes"), &text);
    let written = write(store, &plan, &run, &key, &mut |_, _, _| {}).expect("write");
    Outcome { plan, written }
}

/// Registers an organisation whose local id records refer to.
pub fn organisation(store: &mut SqliteStore, local_id: &str) {
    let report = NewReport {
        organisation: None,
        title: format!("Organisation {local_id}"),
        source: None,
        date_of_information: NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"),
        entries: vec![ReportEntry::new(Record::Organisation(Organisation {
            local_id: local_id.into(),
            name: format!("{local_id} demining"),
            acronym: local_id.into(),
            organisation_type: OrganisationKind::InternationalNgo,
        }))],
    };
    let results = store
        .import_batch(
            "admin",
            &ImportBatch {
                reports: &[ValidReport::check(report, Utc::now().date_naive()).expect("valid")],
                approve: Some(ApproveOptions {
                    comment: None,
                    allow_backdated: true,
                    four_eyes: false,
                }),
                checkpoint: None,
                all_or_nothing: true,
            },
        )
        .expect("organisation batch");
    assert!(results.iter().all(Result::is_ok), "{results:?}");
}

/// The current version of every item of `kind`, by local id.
pub fn items(store: &SqliteStore, kind: ItemKind) -> Vec<ItemVersion> {
    let mut out = Vec::new();
    store
        .for_each_current(kind, None, &mut |v| {
            out.push(v);
            Ok(Flow::Continue)
        })
        .expect("items");
    out.sort_by(|a, b| a.record.local_id().cmp(b.record.local_id()));
    out
}

/// The current version of the item with local id `local_id`.
pub fn item(store: &SqliteStore, kind: ItemKind, local_id: &str) -> ItemVersion {
    items(store, kind)
        .into_iter()
        .find(|v| v.record.local_id() == local_id)
        .unwrap_or_else(|| panic!("no {kind:?} {local_id}"))
}

/// Asserts a refusal names the field and column, and that its reason contains `why`.
pub fn assert_refused(r: &Refusal, field: &str, column: Option<&str>, why: &str) {
    assert_eq!(r.field.as_deref(), Some(field), "{r}");
    assert_eq!(r.column.as_deref(), column, "{r}");
    assert!(r.reason.contains(why), "`{why}` not in: {r}");
}
