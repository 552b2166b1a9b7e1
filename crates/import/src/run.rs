//! An import from start to end: every source record planned (built, validated, checked
//! against what the programme holds), then written in batches, each one transaction with the
//! import's checkpoint, so an interrupted import resumes where it stopped. The checkpoint is
//! keyed by the file, the mapping and every option that changes what is written, so a run with
//! other options plans again from the start (records already written are then recognised by
//! their local ids).

use safeground_io::{SourceRecord, SourceRecords};
use safeground_store::{
    ApproveOptions, Checkpoint, ImportBatch, ProgrammeArea, ProgrammeStore, ValidReport,
};
use sha2::{Digest, Sha256};

use crate::ImportError;
use crate::build::{BuildOptions, Built, Refusal, build};
use crate::duplicates::{Duplicates, Verdict};
use crate::mapping::Mapping;

/// Source records per transaction unless told otherwise. Measured on 200,000 EO finds imported
/// after 100,000 hazards into SQLite: batches of 2,000–5,000 took 8.3–12.1 s against
/// 11.3–14.6 s for 500 (fewer commits, each index page written once per batch rather than
/// several times; `docs/benchmarks.md`).
pub const DEFAULT_BATCH_SIZE: usize = 2_000;

/// A batch also ends once its reports hold this many bytes of stored records
/// ([`ValidReport::stored_bytes`]): a hazard of ~100 vertices takes ~2 KB stored and several
/// times that in memory, so a batch holds ~500 of them (2,000 took the 1 GB GeoJSON import from
/// 432 MiB to 504 MiB peak RSS, and 2 MiB batches to 492 MiB), while 2,000 EO finds take
/// ~0.7 MiB and are not cut.
const BATCH_STORED_BYTES: usize = 1 << 20;

/// How to run an import.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Who imports (audit trail).
    pub actor: String,
    /// Approve every report as it is written (a legacy migration).
    pub approve_as_migration: bool,
    /// Write nothing when any record is refused; stop at the first write failure.
    pub strict: bool,
    /// Source records per transaction.
    pub batch_size: usize,
    /// Largest distance (m) between two places (or hazard polygons) of suspected twins; 0
    /// looks for none (local ids are always checked).
    pub duplicate_tolerance_m: f64,
    /// Write suspected twins too (a record whose local id is already in the programme is
    /// still never written twice).
    pub keep_duplicates: bool,
    /// Write records placed more than a kilometre outside the programme area too (by default
    /// they are refused with the distance; see [`ProgrammeArea`]).
    pub accept_outside_programme_area: bool,
}

impl RunOptions {
    /// The options that change what is written, for the checkpoint key. Who imports, the
    /// batch size and `strict` (which writes all or nothing) do not.
    fn result_key(&self) -> String {
        let RunOptions {
            actor: _,
            approve_as_migration,
            strict: _,
            batch_size: _,
            duplicate_tolerance_m,
            keep_duplicates,
            accept_outside_programme_area,
        } = self;
        format!(
            "approve_as_migration={approve_as_migration};duplicate_tolerance_m={duplicate_tolerance_m:?};keep_duplicates={keep_duplicates};accept_outside_programme_area={accept_outside_programme_area}"
        )
    }
}

/// Where an import stands, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and checking records.
    Checking,
    /// Writing batches.
    Writing,
}

/// The outcome of planning.
#[derive(Debug, Default)]
pub struct Plan {
    /// Reports to write, with the index of their source record (empty after an import that
    /// wrote while planning: see [`import`]).
    pub reports: Vec<(usize, String, ValidReport)>,
    /// Refused records (including a local id given to two records with other values).
    pub refusals: Vec<Refusal>,
    /// Records held for review as suspected twins (not written).
    pub twins: Vec<Held>,
    /// Records not written because their local id is already in the programme (or they
    /// repeat an earlier record of this import).
    pub present: Vec<Refusal>,
    /// Records left out by the mapping's `skip` rule.
    pub skipped: usize,
    /// Warnings and repairs, one line each.
    pub notes: Vec<String>,
    /// Source records.
    pub total: usize,
    /// Records already written by an earlier, interrupted run of the same import.
    pub resumed_from: usize,
}

/// A record held for review as a suspected twin of another.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    /// The record, with the reason it is held.
    pub record: Refusal,
    /// The item or record it resembles ("EO-000001 (local id E1)", "row 3 (local id E1)").
    pub twin_of: String,
}

impl Plan {
    /// Records that were not written: refused, held as suspected twins, already present,
    /// skipped by the mapping.
    pub fn not_written(&self) -> usize {
        self.refusals.len() + self.twins.len() + self.present.len() + self.skipped
    }
}

/// The outcome of writing.
#[derive(Debug, Default)]
pub struct Written {
    /// Reports written.
    pub reports: usize,
    /// Reports approved as migration.
    pub approved: usize,
    /// Reports the store refused (e.g. a reference to an item that does not exist).
    pub refusals: Vec<Refusal>,
}

/// The key of a source: a digest of its bytes and of the mapping text. An import's checkpoint
/// is keyed by it and by the options ([`Job::checkpoint`]).
pub fn checkpoint_key(source: &[u8], mapping_text: &str) -> String {
    let mut h = Sha256::new();
    h.update(source);
    key_of(h, mapping_text)
}

/// [`checkpoint_key`] of a file, read in pieces rather than whole.
pub fn checkpoint_key_of_file(
    path: &std::path::Path,
    mapping_text: &str,
) -> std::io::Result<String> {
    use std::io::Read;
    let mut h = Sha256::new();
    let mut file = std::fs::File::open(path)?;
    let mut buffer = vec![0; 1 << 16];
    loop {
        match file.read(&mut buffer)? {
            0 => break,
            n => h.update(&buffer[..n]),
        }
    }
    Ok(key_of(h, mapping_text))
}

fn key_of(mut h: Sha256, mapping_text: &str) -> String {
    h.update([0]);
    h.update(mapping_text.as_bytes());
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Builds and checks every record from `start` on.
pub fn plan(
    records: &[SourceRecord],
    mapping: &Mapping,
    options: &BuildOptions,
    duplicates: &mut Duplicates,
    run: &RunOptions,
    start: usize,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Plan {
    let mut planner = Planner::new(mapping, options, duplicates, run, start, records.len());
    let mut reports = Vec::new();
    for (i, source) in records.iter().enumerate().skip(start) {
        progress(Stage::Checking, i + 1, records.len());
        reports.extend(planner.take(i, source));
    }
    let mut plan = planner.plan;
    plan.reports = reports;
    plan
}

/// A planned report: the index of its source record, the record's label, the report.
type Planned = (usize, String, ValidReport);

/// Builds and checks records one at a time, keeping the refusals, twins and notes.
struct Planner<'a> {
    mapping: &'a Mapping,
    options: &'a BuildOptions,
    duplicates: &'a mut Duplicates,
    run: &'a RunOptions,
    /// The programme area records must lie in (`None`: none known, or accepted anyway).
    area: Option<&'a ProgrammeArea>,
    plan: Plan,
}

impl<'a> Planner<'a> {
    fn new(
        mapping: &'a Mapping,
        options: &'a BuildOptions,
        duplicates: &'a mut Duplicates,
        run: &'a RunOptions,
        start: usize,
        total: usize,
    ) -> Self {
        Planner {
            mapping,
            options,
            duplicates,
            run,
            area: None,
            plan: Plan {
                total,
                resumed_from: start.min(total),
                ..Plan::default()
            },
        }
    }

    /// The report of source record `i`, unless it is refused, skipped or a twin.
    fn take(&mut self, i: usize, source: &SourceRecord) -> Option<Planned> {
        let plan = &mut self.plan;
        let feature = match &source.feature {
            Ok(f) => f,
            Err(reason) => {
                plan.refusals.push(Refusal {
                    record: source.label.clone(),
                    local_id: None,
                    field: None,
                    column: None,
                    reason: reason.clone(),
                });
                return None;
            }
        };
        match build(self.mapping, self.options, &source.label, feature) {
            Built::Skipped => plan.skipped += 1,
            Built::Refused(r) => plan.refusals.push(r),
            Built::Report(report, notes) => {
                let main = &report.entries[0].record;
                if let Some(outside) = self.area.and_then(|a| a.check_report(&report).pop()) {
                    plan.refusals.push(Refusal {
                        record: source.label.clone(),
                        local_id: Some(main.local_id().to_owned()),
                        field: Some(outside.field.clone()),
                        column: None,
                        reason: outside.reason("--accept-outside-programme-area"),
                    });
                    return None;
                }
                let verdict = self.duplicates.check(main);
                let left_out = |v: &Verdict| Refusal {
                    record: source.label.clone(),
                    local_id: Some(main.local_id().to_owned()),
                    field: None,
                    column: None,
                    reason: v.to_string(),
                };
                let mut notes: Vec<String> = notes;
                match verdict {
                    None => {}
                    Some(v @ (Verdict::Present { .. } | Verdict::Repeated { .. })) => {
                        plan.present.push(left_out(&v));
                        return None;
                    }
                    Some(v @ Verdict::Conflict { .. }) => {
                        plan.refusals.push(left_out(&v));
                        return None;
                    }
                    Some(Verdict::Twin { of, why }) if self.run.keep_duplicates => {
                        notes.push(format!(
                            "a suspected twin of {of} (same {why}), written as asked"
                        ));
                    }
                    Some(v @ Verdict::Twin { .. }) => {
                        let record = left_out(&v);
                        if let Verdict::Twin { of, .. } = v {
                            plan.twins.push(Held {
                                record,
                                twin_of: of,
                            });
                        }
                        return None;
                    }
                }
                self.duplicates.add(main, &source.label);
                plan.notes.extend(
                    notes
                        .into_iter()
                        .map(|n| format!("{} ({}): {n}", source.label, main.local_id())),
                );
                return Some((i, source.label.clone(), *report));
            }
        }
        None
    }
}

/// The reports of source records `start..end`, written in one transaction whose checkpoint
/// is `end`.
struct Batch {
    end: usize,
    reports: Vec<Planned>,
}

/// Cuts planned reports into batches of `size` source records from `start` on, or fewer when
/// their stored records reach `bytes`.
struct Batcher {
    size: usize,
    bytes: usize,
    start: usize,
    pending: Vec<Planned>,
    pending_bytes: usize,
}

impl Batcher {
    fn new(size: usize, start: usize) -> Self {
        Batcher {
            size: size.max(1),
            bytes: BATCH_STORED_BYTES,
            start,
            pending: Vec::new(),
            pending_bytes: 0,
        }
    }

    /// Source record `i` was planned (into `planned`, unless it was left out): the batch it
    /// completes, if it is the batch's last record.
    fn after(&mut self, i: usize, planned: Option<Planned>) -> Option<Batch> {
        if let Some(p) = planned {
            self.pending_bytes += p.2.stored_bytes();
            self.pending.push(p);
        }
        (i + 1 >= self.start + self.size || self.pending_bytes >= self.bytes)
            .then(|| self.cut(i + 1))
    }

    /// The last, partial batch, when records `start..end` have not all been handed out
    /// (none once it has been cut).
    fn finish(&mut self, end: usize) -> Option<Batch> {
        (end > self.start || !self.pending.is_empty()).then(|| self.cut(end))
    }

    fn cut(&mut self, end: usize) -> Batch {
        self.start = end;
        self.pending_bytes = 0;
        Batch {
            end,
            reports: std::mem::take(&mut self.pending),
        }
    }
}

/// Writes the planned reports in batches of `run.batch_size` source records, each batch in one
/// transaction with the checkpoint `key`.
pub fn write<S: ProgrammeStore + ?Sized>(
    store: &mut S,
    plan: &Plan,
    run: &RunOptions,
    key: &str,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Result<Written, ImportError> {
    if run.strict && !plan.refusals.is_empty() {
        return Err(ImportError::Strict(format!(
            "{} record(s) refused and --strict is set; nothing was written (first: {})",
            plan.refusals.len(),
            plan.refusals[0]
        )));
    }
    let mut reports = plan.reports.iter().cloned().peekable();
    let mut batcher = Batcher::new(run.batch_size, plan.resumed_from);
    let mut next = plan.resumed_from;
    let batches = std::iter::from_fn(move || {
        while next < plan.total {
            let i = next;
            next += 1;
            let planned = reports.next_if(|(j, _, _)| *j == i);
            if let Some(batch) = batcher.after(i, planned) {
                return Some(batch);
            }
        }
        batcher.finish(plan.total)
    });
    write_batches(
        store,
        batches,
        (plan.resumed_from, plan.total),
        run,
        key,
        progress,
    )
}

/// Writes `batches` of the source records from `start` on, in order, each in one transaction
/// with the checkpoint `key` at its end.
fn write_batches<S: ProgrammeStore + ?Sized>(
    store: &mut S,
    batches: impl Iterator<Item = Batch>,
    (mut start, total): (usize, usize),
    run: &RunOptions,
    key: &str,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Result<Written, ImportError> {
    let mut written = Written::default();
    let approve = run.approve_as_migration.then(|| ApproveOptions {
        comment: Some("legacy data migration".into()),
        allow_backdated: true,
        four_eyes: false,
    });
    for Batch { end, reports } in batches {
        let (labels, reports): (Vec<String>, Vec<ValidReport>) =
            reports.into_iter().map(|(_, l, r)| (l, r)).unzip();
        let results = store.import_batch(
            &run.actor,
            &ImportBatch {
                reports: &reports,
                approve: approve.clone(),
                checkpoint: Some(Checkpoint {
                    key: key.to_owned(),
                    position: end as u64,
                }),
                all_or_nothing: run.strict,
            },
        );
        let results = results.map_err(|e| {
            ImportError::Strict(format!(
                "records {}–{end}: {e}; this batch was not written (earlier batches were: \
                 fix the record and run the same import again to resume)",
                start + 1
            ))
        })?;
        for ((result, label), report) in results.into_iter().zip(&labels).zip(&reports) {
            match result {
                Ok(_) => {
                    written.reports += 1;
                    if run.approve_as_migration {
                        written.approved += 1;
                    }
                }
                Err(e) => written.refusals.push(Refusal {
                    record: label.clone(),
                    local_id: report
                        .entries
                        .first()
                        .map(|e| e.record.local_id().to_owned()),
                    field: None,
                    column: None,
                    reason: e.to_string(),
                }),
            }
        }
        progress(Stage::Writing, end, total);
        start = end;
    }
    if written.reports > 0 {
        store.import_finished(written.reports)?;
    }
    Ok(written)
}

/// One import: what to read, with which mapping and options.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    /// The source records.
    pub records: &'a SourceRecords,
    /// The mapping.
    pub mapping: &'a Mapping,
    /// The source's key ([`checkpoint_key`]: the file and the mapping); the checkpoint's key
    /// adds the options ([`Job::checkpoint`]).
    pub key: &'a str,
    /// How records become reports.
    pub build: &'a BuildOptions,
    /// How they are written.
    pub run: &'a RunOptions,
    /// Check only: nothing is written and no checkpoint is read.
    pub dry_run: bool,
}

impl Job<'_> {
    /// The key of this import's checkpoint: the source's key and every option that changes
    /// what is written (all of [`BuildOptions`], by its `Debug` form, so an option added there
    /// is keyed too; [`RunOptions`] but for who imports, the batch size and `strict`). A run
    /// with other options plans again from the first record.
    pub fn checkpoint(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.key.as_bytes());
        h.update([0]);
        h.update(format!("{:?}", self.build).as_bytes());
        h.update([0]);
        h.update(self.run.result_key().as_bytes());
        h.finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// What an import did.
#[derive(Debug)]
pub struct Outcome {
    /// The plan (refusals, duplicates, notes, where it resumed).
    pub plan: Plan,
    /// What was written (`None` for a dry run).
    pub written: Option<Written>,
}

/// Runs an import: resumes after the job's checkpoint ([`Job::checkpoint`]), loads what is
/// already known (local ids, suspected twins), plans every record, then writes (unless a dry
/// run).
pub fn import<S: ProgrammeStore + ?Sized>(
    store: &mut S,
    job: &Job<'_>,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Result<Outcome, ImportError> {
    let key = job.checkpoint();
    let start = if job.dry_run {
        0
    } else {
        store.import_checkpoint(&key)?.unwrap_or(0) as usize
    };
    let kinds: Vec<_> = std::iter::once(job.mapping.kind)
        .chain(job.mapping.entries.iter().map(|e| e.kind))
        .collect();
    let mut duplicates = Duplicates::load(&*store, &kinds, job.run.duplicate_tolerance_m)?;
    let area = match job.run.accept_outside_programme_area {
        true => None,
        false => ProgrammeArea::load(&*store)?,
    };
    if !job.dry_run && !job.run.strict {
        return pipelined(
            store,
            job,
            &key,
            (duplicates, area.as_ref()),
            start,
            progress,
        );
    }
    let total = job.records.len();
    let mut planner = Planner::new(
        job.mapping,
        job.build,
        &mut duplicates,
        job.run,
        start,
        total,
    );
    planner.area = area.as_ref();
    let mut reports = Vec::new();
    job.records.each(start, &mut |i, source| {
        progress(Stage::Checking, i + 1, total);
        reports.extend(planner.take(i, source));
        true
    })?;
    let mut plan = planner.plan;
    plan.reports = reports;
    let written = if job.dry_run || plan.resumed_from >= plan.total {
        None
    } else {
        Some(write(store, &plan, job.run, &key, progress)?)
    };
    Ok(Outcome { plan, written })
}

/// Reads and plans in a second thread while this one writes, a few batches behind: on two
/// cores the checks and the database work overlap, and only the batches in flight are held in
/// memory (a GeoPackage layer is read as it is planned). Only without `--strict`, which must
/// see every record before writing any. The returned plan holds no reports (they were
/// written).
fn pipelined<S: ProgrammeStore + ?Sized>(
    store: &mut S,
    job: &Job<'_>,
    key: &str,
    (mut duplicates, area): (Duplicates, Option<&ProgrammeArea>),
    start: usize,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Result<Outcome, ImportError> {
    let total = job.records.len();
    let (send, receive) = std::sync::mpsc::sync_channel::<Batch>(2);
    std::thread::scope(|scope| {
        let planner = scope.spawn(move || {
            let mut planner = Planner::new(
                job.mapping,
                job.build,
                &mut duplicates,
                job.run,
                start,
                total,
            );
            planner.area = area;
            let mut batcher = Batcher::new(job.run.batch_size, start);
            let mut end = start;
            let mut open = true;
            let read = job.records.each(start, &mut |i, source| {
                end = i + 1;
                let planned = planner.take(i, source);
                if let Some(batch) = batcher.after(i, planned) {
                    open = send.send(batch).is_ok();
                }
                open
            });
            if open
                && read.is_ok()
                && let Some(batch) = batcher.finish(end)
            {
                // The writer may have stopped; its error is the one reported.
                let _ = send.send(batch);
            }
            read.map(|()| planner.plan)
        });
        let written = write_batches(
            store,
            receive.iter(),
            (start.min(total), total),
            job.run,
            key,
            progress,
        );
        // A failed write stops the planner at its next batch.
        drop(receive);
        let plan = planner
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        let written = if plan.resumed_from >= plan.total {
            None
        } else {
            Some(written?)
        };
        Ok(Outcome { plan, written })
    })
}

#[cfg(test)]
mod tests {
    use super::{Batcher, Planned};
    use safeground_model::{Organisation, OrganisationKind, Record};
    use safeground_store::{NewReport, ReportEntry, ValidReport};

    fn planned(i: usize) -> Planned {
        let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("date");
        let report = NewReport {
            organisation: None,
            title: format!("row {i}"),
            source: None,
            date_of_information: day,
            entries: vec![ReportEntry::new(Record::Organisation(Organisation {
                local_id: format!("ORG-{i}"),
                name: format!("Organisation {i}"),
                acronym: format!("O{i}"),
                organisation_type: OrganisationKind::InternationalNgo,
            }))],
        };
        let report = ValidReport::check(report, day).expect("valid");
        (i, format!("row {i}"), report)
    }

    /// Batches end every `size` records from where the import resumes, whichever records were
    /// left out, and the tail is cut at the last record read.
    #[test]
    fn batches_are_cut_every_size_records_from_the_start() {
        let mut batcher = Batcher::new(3, 2);
        let mut cut = Vec::new();
        for i in 2..10 {
            let report = (i % 2 == 0).then(|| planned(i));
            cut.extend(batcher.after(i, report));
        }
        cut.extend(batcher.finish(10));
        let shape: Vec<(usize, Vec<usize>)> = cut
            .iter()
            .map(|b| (b.end, b.reports.iter().map(|p| p.0).collect()))
            .collect();
        assert_eq!(shape, vec![(5, vec![2, 4]), (8, vec![6]), (10, vec![8])]);
        // Nothing read past the start: no batch.
        assert!(Batcher::new(3, 4).finish(4).is_none());
        // A tail that ends exactly at a batch's end was cut already.
        let mut batcher = Batcher::new(2, 0);
        assert!(batcher.after(0, None).is_none());
        assert_eq!(batcher.after(1, None).map(|b| b.end), Some(2));
        assert!(batcher.finish(2).is_none());
    }

    /// A batch also ends once its stored records reach the byte bound, wherever that falls.
    #[test]
    fn batches_end_early_once_their_records_reach_the_byte_bound() {
        let one = planned(0).2.stored_bytes();
        assert!(one > 0);
        let mut batcher = Batcher::new(100, 0);
        batcher.bytes = one * 3;
        let mut cut = Vec::new();
        for i in 0..8 {
            cut.extend(batcher.after(i, Some(planned(i))));
        }
        cut.extend(batcher.finish(8));
        let shape: Vec<(usize, usize)> = cut.iter().map(|b| (b.end, b.reports.len())).collect();
        // Records 0–9 are the same size; "row 10" would be a byte longer.
        assert_eq!(shape, vec![(3, 3), (6, 3), (8, 2)]);
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn a_file_is_keyed_as_its_bytes_are() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("source.csv");
        let bytes: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        std::fs::write(&path, &bytes).unwrap();
        let key = super::checkpoint_key_of_file(&path, "mapping").unwrap();
        assert_eq!(key, super::checkpoint_key(&bytes, "mapping"));
        assert_ne!(key, super::checkpoint_key(&bytes, "other mapping"));
        assert_eq!(key.len(), 32);
    }
}
