//! `safeground import`: a source file read by `safeground-io`, mapped to reports by a mapping
//! (ready or a TOML/YAML file), checked, then written in resumable batches; or a Safeground
//! programme archive (GeoPackage) restored as it was.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use safeground_import::{BuildOptions, Job, Mapping, Outcome, RunOptions, Stage};
use safeground_io::{ReadOptions, open_source};
use safeground_store::{Backend, Location};

/// Everything `safeground import` was told.
#[derive(Debug, Clone)]
pub struct ImportArgs {
    /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
    pub db: Location,
    /// Source file.
    pub file: PathBuf,
    /// Ready mapping name or mapping file (default: `safeground-hazard`).
    pub mapping: Option<String>,
    /// GeoPackage table, sheet or KML folder.
    pub layer: Option<String>,
    /// Text encoding of a CSV/DBF.
    pub encoding: Option<String>,
    /// Check only.
    pub dry_run: bool,
    /// Where to write the per-record error report (CSV).
    pub errors: Option<PathBuf>,
    /// Organisation credited.
    pub organisation: Option<String>,
    /// Date of information when the source has none.
    pub date: Option<NaiveDate>,
    /// Today.
    pub today: NaiveDate,
    /// Repair invalid polygons.
    pub repair: bool,
    /// The largest change of area a repair may make, percent.
    pub repair_max_area_change_percent: f64,
    /// Approve as a legacy migration.
    pub approve_as_migration: bool,
    /// Nothing written if anything is refused.
    pub strict: bool,
    /// Source records per transaction.
    pub batch_size: usize,
    /// How far apart (m) two places of suspected twins may be.
    pub duplicate_tolerance_m: f64,
    /// Write suspected twins too.
    pub keep_duplicates: bool,
    /// Write records outside the programme area too.
    pub accept_outside_programme_area: bool,
    /// Who imports.
    pub actor: String,
}

fn bar_for(stage: Stage, total: usize) -> indicatif::ProgressBar {
    let what = match stage {
        Stage::Checking => "checking",
        Stage::Writing => "writing",
    };
    crate::progress(total as u64, what)
}

/// Exit code when every record was written (or was already in the programme, or was skipped
/// by the mapping's rule): 0. When records were refused: 2. When none was refused but suspected
/// twins were held for review: 3.
const EXIT_REFUSED: u8 = 2;
/// See [`EXIT_REFUSED`].
const EXIT_TWINS_HELD: u8 = 3;

/// Reads a percentage, "5" or "5%" (0 or more; "inf" for no limit).
pub fn parse_percent(text: &str) -> Result<f64, String> {
    let number = text.trim().trim_end_matches('%').trim_end();
    match number.parse::<f64>() {
        Ok(p) if p >= 0.0 => Ok(p),
        _ => Err(format!(
            "`{text}` is not a percentage of 0 or more (write 5 or 5% for five per cent)"
        )),
    }
}

/// Runs `safeground import`.
pub fn run(args: &ImportArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let mut opened = args
        .db
        .open()
        .with_context(|| format!("opening {}", args.db))?;
    let store = opened.as_mut();
    let lower = args.file.to_string_lossy().to_lowercase();
    if lower.ends_with(".gpkg")
        && args.mapping.is_none()
        && let Some(archive) = safeground_io::read_archive(&args.file)?
    {
        return restore(store, args, &archive, out);
    }
    let (mut mapping, mapping_text) =
        Mapping::load(args.mapping.as_deref().unwrap_or("safeground-hazard"))?;
    let mapping_text =
        safeground_server::federation::apply_adopted_codes(&*store, &mut mapping, mapping_text)?;
    let records = open_source(
        &args.file,
        &ReadOptions {
            layer: args.layer.clone(),
            encoding: args.encoding.clone(),
        },
    )?;
    let key = safeground_import::checkpoint_key_of_file(&args.file, &mapping_text)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let build = BuildOptions {
        organisation: args.organisation.clone(),
        default_date: args.date.unwrap_or(args.today),
        today: args.today,
        repair: args.repair,
        repair_max_area_change_percent: args.repair_max_area_change_percent,
        source_name: args
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "import".into()),
    };
    let run = RunOptions {
        actor: args.actor.clone(),
        approve_as_migration: args.approve_as_migration,
        strict: args.strict,
        batch_size: args.batch_size,
        duplicate_tolerance_m: args.duplicate_tolerance_m,
        keep_duplicates: args.keep_duplicates,
        accept_outside_programme_area: args.accept_outside_programme_area,
    };
    let job = Job {
        records: &records,
        mapping: &mapping,
        key: &key,
        build: &build,
        run: &run,
        dry_run: args.dry_run,
    };
    let mut bar: Option<(Stage, indicatif::ProgressBar)> = None;
    let mut progress = |stage: Stage, done: usize, total: usize| {
        if bar.as_ref().is_none_or(|(s, _)| *s != stage) {
            if let Some((_, b)) = &bar {
                b.finish_and_clear();
            }
            bar = Some((stage, bar_for(stage, total)));
        }
        if let Some((_, b)) = &bar {
            b.set_position(done as u64);
        }
    };
    let outcome = safeground_import::import(store, &job, &mut progress);
    if let Some((_, b)) = &bar {
        b.finish_and_clear();
    }
    let Outcome { plan, written } = outcome?;
    if plan.resumed_from > 0 && plan.resumed_from >= plan.total {
        writeln!(
            out,
            "{} was already imported with this mapping and these options (all {} records); \
             nothing to do",
            args.file.display(),
            plan.total
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    if plan.resumed_from > 0 {
        writeln!(
            out,
            "resuming: the first {} of {} records were written by an earlier run",
            plan.resumed_from, plan.total
        )?;
    }
    for note in &plan.notes {
        eprintln!("{note}");
    }
    for p in &plan.present {
        eprintln!("note: {p}");
    }
    for t in &plan.twins {
        eprintln!("held: {}", t.record);
    }
    let what = if args.approve_as_migration {
        "approved as migration"
    } else {
        "submitted reports"
    };
    let mut refusals = plan.refusals.clone();
    if let Some(w) = &written {
        refusals.extend(w.refusals.iter().cloned());
    }
    for r in &refusals {
        eprintln!("error: {r}");
    }
    if let Some(path) = &args.errors {
        let mut csv = format!("{}\n", safeground_import::Refusal::CSV_HEADER);
        let held = plan.twins.iter().map(|t| &t.record);
        for r in refusals.iter().chain(held).chain(&plan.present) {
            csv.push_str(&r.csv_row());
            csv.push('\n');
        }
        std::fs::write(path, csv).with_context(|| format!("writing {}", path.display()))?;
    }
    let not_written = refusals.len() + plan.twins.len() + plan.present.len() + plan.skipped;
    let not_verb = if args.dry_run {
        "would not be written"
    } else {
        "not written"
    };
    let tail = format!(
        "{not_verb} {not_written}: refused {}, held as suspected twins {}, already in the \
         programme {}, skipped by the mapping {}",
        refusals.len(),
        plan.twins.len(),
        plan.present.len(),
        plan.skipped,
    );
    match written {
        None => writeln!(
            out,
            "dry run: {} records would be imported as {what}; {tail}; nothing was written",
            plan.reports.len(),
        )?,
        Some(w) => writeln!(
            out,
            "imported {} records as {what} with mapping {}; {tail}",
            w.reports,
            mapping.name.as_deref().unwrap_or("(unnamed)"),
        )?,
    }
    if !plan.twins.is_empty() {
        let verb = if args.dry_run { "would be" } else { "were" };
        writeln!(
            out,
            "{} suspected twin(s) {verb} held for review (listed above{}); when they are other \
             records, run the same command with --import-twins to write them",
            plan.twins.len(),
            if args.errors.is_some() {
                " and in the error report"
            } else {
                ""
            }
        )?;
    }
    Ok(if !refusals.is_empty() {
        ExitCode::from(EXIT_REFUSED)
    } else if !plan.twins.is_empty() {
        ExitCode::from(EXIT_TWINS_HELD)
    } else {
        ExitCode::SUCCESS
    })
}

fn restore(
    store: &mut dyn Backend,
    args: &ImportArgs,
    archive: &[safeground_io::ArchivedReport],
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if !args.approve_as_migration {
        bail!(
            "{} is a Safeground programme archive ({} approved reports); restoring it approves \
             them as they were: add --approve-as-migration (into an empty database)",
            args.file.display(),
            archive.len()
        );
    }
    if args.dry_run {
        writeln!(
            out,
            "dry run: {} archived reports would be restored; nothing was written",
            archive.len()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let summary = safeground_io::restore(store, &args.actor, archive)?;
    writeln!(
        out,
        "restored {} reports ({} item versions, {} victims' personal data, {} files) from {}",
        summary.reports,
        summary.versions,
        summary.personal_data,
        summary.files,
        args.file.display()
    )?;
    writeln!(out, "{}", safeground_io::archive::LIMITS)?;
    Ok(ExitCode::SUCCESS)
}
