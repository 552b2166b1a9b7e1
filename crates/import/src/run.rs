//! An import from start to end: every source record planned (built, validated, checked for
//! twins), then written in batches, each one transaction with the import's checkpoint, so an
//! interrupted import resumes where it stopped.

use safeground_io::SourceRecord;
use safeground_store::{ApproveOptions, Checkpoint, ImportBatch, NewReport, ProgrammeStore};
use sha2::{Digest, Sha256};

use crate::ImportError;
use crate::build::{BuildOptions, Built, Refusal, build};
use crate::duplicates::Duplicates;
use crate::mapping::Mapping;

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
    /// Largest distance (m) between two geometries taken as the same item; 0 turns the
    /// geometry check off (local ids are always checked).
    pub duplicate_tolerance_m: f64,
    /// Import twins anyway.
    pub keep_duplicates: bool,
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
    pub reports: Vec<(usize, String, NewReport)>,
    /// Refused records.
    pub refusals: Vec<Refusal>,
    /// Records left out as twins of existing items or of earlier records.
    pub duplicates: Vec<Refusal>,
    /// Records left out by the mapping's `skip` rule.
    pub skipped: usize,
    /// Warnings and repairs, one line each.
    pub notes: Vec<String>,
    /// Source records.
    pub total: usize,
    /// Records already written by an earlier, interrupted run of the same import.
    pub resumed_from: usize,
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

/// The checkpoint key of a source: a digest of its bytes and of the mapping text.
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
    let mut reports = Vec::new();
    let mut plan = plan_each(
        records,
        mapping,
        options,
        duplicates,
        run,
        start,
        progress,
        &mut |planned| {
            reports.push(planned);
            true
        },
    );
    plan.reports = reports;
    plan
}

/// A planned report: the index of its source record, the record's label, the report.
type Planned = (usize, String, NewReport);

/// Plans as [`plan`] does, handing each report to `emit` instead of keeping it; stops early
/// when `emit` returns false.
#[allow(clippy::too_many_arguments)]
fn plan_each(
    records: &[SourceRecord],
    mapping: &Mapping,
    options: &BuildOptions,
    duplicates: &mut Duplicates,
    run: &RunOptions,
    start: usize,
    progress: &mut dyn FnMut(Stage, usize, usize),
    emit: &mut dyn FnMut(Planned) -> bool,
) -> Plan {
    let mut plan = Plan {
        total: records.len(),
        resumed_from: start.min(records.len()),
        ..Plan::default()
    };
    for (i, source) in records.iter().enumerate().skip(start) {
        progress(Stage::Checking, i + 1, records.len());
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
                continue;
            }
        };
        match build(mapping, options, &source.label, feature) {
            Built::Skipped => plan.skipped += 1,
            Built::Refused(r) => plan.refusals.push(r),
            Built::Report(report, notes) => {
                let main = &report.entries[0].record;
                if !run.keep_duplicates
                    && let Some(twin) = duplicates.find(main)
                {
                    plan.duplicates.push(Refusal {
                        record: source.label.clone(),
                        local_id: Some(main.local_id().to_owned()),
                        field: None,
                        column: None,
                        reason: format!("duplicate: {twin}; left out"),
                    });
                    continue;
                }
                duplicates.add(main, &source.label);
                plan.notes.extend(
                    notes
                        .into_iter()
                        .map(|n| format!("{} ({}): {n}", source.label, main.local_id())),
                );
                if !emit((i, source.label.clone(), *report)) {
                    break;
                }
            }
        }
    }
    plan
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
    write_batches(
        store,
        plan.reports.iter().cloned(),
        (plan.resumed_from, plan.total),
        run,
        key,
        progress,
    )
}

/// Writes `planned` reports (in source order) in batches of `run.batch_size` source records
/// from `range.0` to `range.1`, each batch in one transaction with the checkpoint `key`.
fn write_batches<S: ProgrammeStore + ?Sized>(
    store: &mut S,
    planned: impl Iterator<Item = Planned>,
    range: (usize, usize),
    run: &RunOptions,
    key: &str,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Result<Written, ImportError> {
    let size = run.batch_size.max(1);
    let mut planned = planned.peekable();
    let mut written = Written::default();
    let approve = run.approve_as_migration.then(|| ApproveOptions {
        comment: Some("legacy data migration".into()),
        allow_backdated: true,
    });
    let (mut start, total) = range;
    while start < total {
        let end = (start + size).min(total);
        let mut labels = Vec::new();
        let mut reports = Vec::new();
        while let Some((_, label, report)) = planned.next_if(|(i, _, _)| *i < end) {
            labels.push(label);
            reports.push(report);
        }
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
    Ok(written)
}

/// One import: what to read, with which mapping and options.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    /// The source records.
    pub records: &'a [SourceRecord],
    /// The mapping.
    pub mapping: &'a Mapping,
    /// The import's checkpoint key ([`checkpoint_key`]).
    pub key: &'a str,
    /// How records become reports.
    pub build: &'a BuildOptions,
    /// How they are written.
    pub run: &'a RunOptions,
    /// Check only: nothing is written and no checkpoint is read.
    pub dry_run: bool,
}

/// What an import did.
#[derive(Debug)]
pub struct Outcome {
    /// The plan (refusals, duplicates, notes, where it resumed).
    pub plan: Plan,
    /// What was written (`None` for a dry run).
    pub written: Option<Written>,
}

/// Runs an import: resumes after the job's checkpoint, loads what is already known for
/// duplicate detection, plans every record, then writes (unless a dry run).
pub fn import<S: ProgrammeStore + ?Sized>(
    store: &mut S,
    job: &Job<'_>,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Result<Outcome, ImportError> {
    let start = if job.dry_run {
        0
    } else {
        store.import_checkpoint(job.key)?.unwrap_or(0) as usize
    };
    let kinds: Vec<_> = std::iter::once(job.mapping.kind)
        .chain(job.mapping.entries.iter().map(|e| e.kind))
        .collect();
    let mut duplicates = Duplicates::load(&*store, &kinds, job.run.duplicate_tolerance_m)?;
    if !job.dry_run && !job.run.strict {
        return pipelined(store, job, duplicates, start, progress);
    }
    let plan = plan(
        job.records,
        job.mapping,
        job.build,
        &mut duplicates,
        job.run,
        start,
        progress,
    );
    let written = if job.dry_run || plan.resumed_from >= plan.total {
        None
    } else {
        Some(write(store, &plan, job.run, job.key, progress)?)
    };
    Ok(Outcome { plan, written })
}

/// Plans in a second thread while this one writes, a few batches behind: on two cores the
/// checks and the database work overlap. Only without `--strict`, which must see every record
/// before writing any. The returned plan holds no reports (they were written).
fn pipelined<S: ProgrammeStore + ?Sized>(
    store: &mut S,
    job: &Job<'_>,
    mut duplicates: Duplicates,
    start: usize,
    progress: &mut dyn FnMut(Stage, usize, usize),
) -> Result<Outcome, ImportError> {
    let total = job.records.len();
    let (send, receive) = std::sync::mpsc::sync_channel::<Planned>(2 * job.run.batch_size.max(1));
    std::thread::scope(|scope| {
        let planner = scope.spawn(move || {
            plan_each(
                job.records,
                job.mapping,
                job.build,
                &mut duplicates,
                job.run,
                start,
                &mut |_, _, _| {},
                &mut |planned| send.send(planned).is_ok(),
            )
        });
        let written = write_batches(
            store,
            receive.iter(),
            (start.min(total), total),
            job.run,
            job.key,
            progress,
        );
        // A failed write stops the planner at its next report.
        drop(receive);
        let plan = planner
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
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
