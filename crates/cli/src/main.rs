//! `safeground`: the command-line edge of Safeground.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use safeground_store::{
    ApproveOptions, AsOf, Location, NewReport, Reconcile, ReportStatus, StoreError,
};

mod backup;
mod backup_evidence;
mod break_glass;
mod demo;
mod demo_evidence;
mod demo_library;
mod evidence;
mod export;
mod federation;
mod hub;
mod hub_pull;
mod hub_report;
mod hub_training;
mod import;
mod library;
mod library_exchange;
mod migrate;
mod plan;
mod reference;
mod reference_pages;
mod report;
mod serve;
mod submit;
mod summary;
mod tiles;
mod training;
mod users;

/// mimalloc rather than glibc's malloc: records are built by the planning thread and freed by
/// the writing thread, which glibc handles poorly (docs/benchmarks.md, W4).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Safeground: open information management for humanitarian mine action.
#[derive(Parser, Debug)]
#[command(name = "safeground", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Create a new, empty programme database.
    Init {
        /// Database to create: a file, `sqlite:PATH`, or `postgres://…` (an empty database).
        db: Location,
    },
    /// Generate a realistic synthetic programme, approve all of it, print the land-release
    /// summary and the demo users, then serve it (unless --no-serve).
    Demo {
        /// Database file to write (replaced if it exists).
        #[arg(long, default_value = "safeground-demo.sqlite")]
        db: PathBuf,
        /// Number of hazards to generate.
        #[arg(long, default_value_t = 3000)]
        hazards: usize,
        /// Random seed (the same seed gives the same programme).
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Only build the database; do not start the server afterwards.
        #[arg(long)]
        no_serve: bool,
        /// Where the server listens after building the demo.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Build a regional hub instead (in --db), fed by three national programmes of
        /// --hazards hazards each (Cambodia-, Lao- and Azerbaijan-like), written beside it with
        /// their node keys and signed bundles; then serve the hub.
        #[arg(long)]
        regional: bool,
    },
    /// Import records as submitted reports (or approved, for a legacy migration) from GIS
    /// files, spreadsheets and XLSForm submissions, through a mapping; or restore a programme
    /// archive.
    Import {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Source: GeoJSON, GeoPackage, Shapefile (.shp or .zip), KML/KMZ, CSV, XLSX, or
        /// KoboToolbox/ODK submissions (JSON, XLSX, ODK Central zip). A Safeground archive
        /// (.gpkg exported whole) is restored as it was.
        file: PathBuf,
        /// Ready mapping (see `safeground mappings`) or a mapping file (.toml, .yaml); default
        /// `safeground-hazard`.
        #[arg(long)]
        mapping: Option<String>,
        /// GeoPackage table, XLSX sheet or KML folder (default: the first / all).
        #[arg(long)]
        layer: Option<String>,
        /// Text encoding of a CSV or DBF that is not UTF-8, e.g. windows-1252.
        #[arg(long)]
        encoding: Option<String>,
        /// Check every record and report the problems without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Write one CSV row per refused or duplicate record (record, local id, field, column,
        /// reason) to this file.
        #[arg(long)]
        errors: Option<PathBuf>,
        /// Organisation item id or local id the reports come from.
        #[arg(long)]
        organisation: Option<String>,
        /// Date of information for records that carry none.
        #[arg(long)]
        date: Option<NaiveDate>,
        /// Repair invalid polygons (and say what was changed) instead of refusing them.
        #[arg(long)]
        repair: bool,
        /// With --repair: the largest change of a polygon's area a repair may make, in percent
        /// of the area as drawn ("5" or "5%"); a record whose repair would change it more is
        /// refused with both areas.
        #[arg(long, value_name = "PERCENT", default_value = "1", value_parser = import::parse_percent)]
        repair_max_area_change: f64,
        /// Approve every report as it is written, for a legacy migration (default: they wait
        /// for review as submitted reports).
        #[arg(long)]
        approve_as_migration: bool,
        /// Write nothing if any record is refused.
        #[arg(long)]
        strict: bool,
        /// Source records per transaction (and checkpoint); fewer when their stored records
        /// pass 1 MiB (about 500 hazards of 100 vertices).
        #[arg(long, default_value_t = safeground_import::DEFAULT_BATCH_SIZE)]
        batch_size: usize,
        /// Suspected twins: records of one kind with the same date, type and place (a hazard:
        /// date first recorded and polygons) under other local ids, places this close (metres;
        /// Hausdorff distance for polygons). They are held for review, not written. 0 looks
        /// for none (a local id already in the programme is never written twice).
        #[arg(long, default_value_t = 1.0)]
        duplicate_tolerance_m: f64,
        /// Write the suspected twins too, once reviewed (old name: --keep-duplicates).
        #[arg(long = "import-twins", alias = "keep-duplicates")]
        keep_duplicates: bool,
        /// Write records placed more than 1 km outside the programme area (its outermost admin
        /// boundaries) too; without it they are refused with the distance.
        #[arg(long)]
        accept_outside_programme_area: bool,
        /// Who is importing (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// List the ready import mappings.
    Mappings,
    /// Write the XLSForm forms (KoboToolbox, ODK, Survey123) that the ready mappings read.
    Forms {
        /// Folder to write them into (one .xlsx per form).
        dir: PathBuf,
    },
    /// List reports with a status.
    Reports {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Status to list.
        #[arg(long, value_enum, default_value_t = StatusArg::Submitted)]
        status: StatusArg,
    },
    /// Approve submitted reports, each in its own transaction.
    Approve {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Report ids to approve.
        ids: Vec<i64>,
        /// Approve every submitted report, oldest first.
        #[arg(long, conflicts_with = "ids")]
        all: bool,
        /// Approve updates whose date of information is not later than the current version's,
        /// as historical versions.
        #[arg(long)]
        allow_backdated: bool,
        /// Comment recorded with the approval.
        #[arg(long)]
        comment: Option<String>,
        /// Who approves (recorded in the audit log). With four-eyes approval, not whoever
        /// created or submitted the report.
        #[arg(long, default_value = "cli")]
        actor: String,
        /// Turn four-eyes approval off: let the actor approve reports they created or
        /// submitted (a programme run by one person; as `serve --single-approver`).
        #[arg(long)]
        single_approver: bool,
    },
    /// Submit field reports written as JSON (one report object or an array of them; see
    /// `docs/architecture.md`): all are validated first and submitted in one transaction. An
    /// outbox exported by the field app (`safeground-outbox-….json`) is submitted entry by
    /// entry as the user `--actor`, each stored once however often it is sent.
    Submit {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// JSON file with a report or an array of reports.
        file: PathBuf,
        /// Submit places more than 1 km outside the programme area too (by default the
        /// reports are refused with the distance).
        #[arg(long)]
        accept_outside_programme_area: bool,
        /// Who submits (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Link a reference field of a submitted report's entry to an existing item
    /// (activity → hazard, victim → accident, EO find → activity, ...).
    Link {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Report id.
        report: i64,
        /// Entry number in the report, from 0.
        entry: usize,
        /// Field to set: hazard, accident, activity, organisation, team.
        field: String,
        /// Item id to link to (HAZ-000012).
        item: String,
        /// Who links.
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Reconcile an entry of a submitted report as a new item or as an update of an existing one.
    Reconcile {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Report id.
        report: i64,
        /// Entry number in the report, from 0.
        entry: usize,
        /// Item to update; omit to create a new item.
        #[arg(long)]
        update: Option<String>,
        /// Who reconciles.
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Reject a submitted report.
    Reject {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Report id.
        id: i64,
        /// Why it is rejected.
        #[arg(long)]
        comment: String,
        /// Who rejects.
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Print the land-release summary per admin area.
    Summary {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Valid-time date (YYYY-MM-DD): the programme as it was on that day.
        #[arg(long)]
        as_of: Option<NaiveDate>,
        /// Transaction time (RFC 3339, e.g. 2026-01-31T12:00:00Z): only what had been approved
        /// by then, to re-run a report exactly as it was produced.
        #[arg(long)]
        known_at: Option<DateTime<Utc>>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Show one hazard's derived state and its version history.
    Hazard {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Hazard item id (HAZ-000001).
        id: String,
        /// Valid-time date.
        #[arg(long)]
        as_of: Option<NaiveDate>,
        /// Transaction time (RFC 3339): only what had been approved by then.
        #[arg(long)]
        known_at: Option<DateTime<Utc>>,
    },
    /// Check the database's invariants; exits non-zero if any is broken.
    Check {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
    },
    /// Export feature collections as GeoJSON, CSV with HXL hashtags, KML, GeoPackage, zipped
    /// Shapefile or XLSX, filtered with --bbox, --datetime and --where; the unfiltered
    /// GeoPackage of every collection is also the programme archive.
    Export(export::ExportArgs),
    /// Programme reports: land release, EO, casualties, risk education and the treaty tables
    /// (APMBC/CCM Article 7, Article 5) as XLSX, PDF, CSV or JSON.
    Report(report::ReportArgs),
    /// Run the HTTP service: JSON API, OGC API - Features, vector tiles.
    Serve(serve::ServeArgs),
    /// Evidence from drones, detectors and machines: orthophotos, AI detections and their
    /// triage, machine and robot tracks as processed-area evidence.
    Evidence {
        #[command(subcommand)]
        action: evidence::EvidenceCommand,
    },
    /// Offline map packs for field devices (`pack`).
    Tiles {
        #[command(subcommand)]
        action: tiles::TilesCommand,
    },
    /// Copy a whole programme between SQLite and PostgreSQL (`--from sqlite:FILE --to
    /// postgres://…`, or back) into an empty database, and verify the copy by row counts and
    /// SHA-256 checksums of every table.
    Migrate(migrate::MigrateArgs),
    /// Back up a whole programme (accounts, personal data, drafts, the audit log included)
    /// while it is in use, from one snapshot, into a verified file: SQLite's online backup,
    /// or `pg_dump` for PostgreSQL.
    Backup(backup::BackupArgs),
    /// Restore a backup into a new, empty database and verify it.
    Restore(backup::RestoreArgs),
    /// Manage user accounts.
    Users {
        #[command(subcommand)]
        action: users::UsersCommand,
    },
    /// Emergency access grants to victims' personal data (list them for review).
    BreakGlass {
        #[command(subcommand)]
        action: break_glass::BreakGlassCommand,
    },
    /// The document library: add documents and versions, list, search documents and records
    /// in the region's languages, rebuild the search index.
    Library {
        #[command(subcommand)]
        action: library::LibraryCommand,
    },
    /// The training and certification register: people, courses, sessions, assessments,
    /// certificates (suspend, withdraw, check a code) and participation figures.
    Training {
        #[command(subcommand)]
        action: training::TrainingCommand,
    },
    /// Operations planning: task orders, productivity, explained priorities, the completion
    /// forecast against the Article 5 deadline, risk models, settings and layers.
    Plan {
        #[command(subcommand)]
        action: plan::PlanCommand,
    },
    /// Regional federation, the hub's side: a programme that also holds what national nodes
    /// share (`init`, `add-node`, `import`, `nodes`).
    Hub {
        #[command(subcommand)]
        action: hub::HubCommand,
    },
    /// Regional federation, the national node's side: its identity (`init`, `card`) and
    /// signed, de-identified bundles of what it approved for the hub (`export`).
    Federation {
        #[command(subcommand)]
        action: federation::FederationCommand,
    },
    /// The ordnance reference library: a page per model (`page set`, `page photo`, `page
    /// show`) written on the regional hub, and the list of pages (`pages`).
    Reference {
        #[command(subcommand)]
        action: reference_pages::ReferenceCommand,
    },
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum StatusArg {
    Draft,
    Submitted,
    Approved,
    Rejected,
}

impl From<StatusArg> for ReportStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Draft => ReportStatus::Draft,
            StatusArg::Submitted => ReportStatus::Submitted,
            StatusArg::Approved => ReportStatus::Approved,
            StatusArg::Rejected => ReportStatus::Rejected,
        }
    }
}

/// Output format of tables.
#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Aligned text for people.
    Table,
    /// CSV with a header row.
    Csv,
    /// JSON array of rows.
    Json,
}

fn as_of(date: Option<NaiveDate>, known_at: Option<DateTime<Utc>>) -> AsOf {
    AsOf {
        date: date.unwrap_or(AsOf::now().date),
        known_at,
    }
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub fn progress(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(what.to_owned());
    bar
}

fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Init { db } => {
            db.create()?;
            writeln!(out, "created {db}")?;
        }
        Command::Demo {
            db,
            hazards,
            seed,
            no_serve,
            listen,
            regional,
        } => {
            if regional {
                demo::regional(&db, hazards, seed, !no_serve, listen, out)?;
            } else {
                demo::run(&db, hazards, seed, !no_serve, listen, out)?;
            }
            if !no_serve {
                out.flush()?;
                serve::run(serve::ServeArgs::defaults(db, listen))?;
            }
        }
        Command::Serve(args) => serve::run(args)?,
        Command::Tiles { action } => tiles::run(action, out)?,
        Command::Evidence { action } => evidence::run(action, out)?,
        Command::Export(args) => export::run(args, out)?,
        Command::Report(args) => report::run(&args, out)?,
        Command::Users { action } => users::run(action, out)?,
        Command::BreakGlass { action } => break_glass::run(action, out)?,
        Command::Library { action } => library::run(action, out)?,
        Command::Training { action } => training::run(action, out)?,
        Command::Plan { action } => plan::run(action, out)?,
        Command::Hub { action } => return hub::run(action, out),
        Command::Federation { action } => federation::run(action, out)?,
        Command::Reference { action } => reference_pages::run(action, out)?,
        Command::Migrate(args) => migrate::run(&args, out)?,
        Command::Backup(args) => backup::run_backup(&args, out)?,
        Command::Restore(args) => backup::run_restore(&args, out)?,
        Command::Import {
            db,
            file,
            mapping,
            layer,
            encoding,
            dry_run,
            errors,
            organisation,
            date,
            repair,
            repair_max_area_change,
            approve_as_migration,
            strict,
            batch_size,
            duplicate_tolerance_m,
            keep_duplicates,
            accept_outside_programme_area,
            actor,
        } => {
            let args = import::ImportArgs {
                db,
                file,
                mapping,
                layer,
                encoding,
                dry_run,
                errors,
                organisation,
                date,
                today: Utc::now().date_naive(),
                repair,
                repair_max_area_change_percent: repair_max_area_change,
                approve_as_migration,
                strict,
                batch_size,
                duplicate_tolerance_m,
                keep_duplicates,
                accept_outside_programme_area,
                actor,
            };
            return import::run(&args, out);
        }
        Command::Forms { dir } => {
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            for (name, _) in safeground_import::FORMS {
                let path = dir.join(format!("{name}.xlsx"));
                safeground_import::write_xlsform(name, &path)?;
                writeln!(out, "{}", path.display())?;
            }
        }
        Command::Mappings => {
            for (name, description) in safeground_import::Mapping::builtin_list() {
                writeln!(out, "{name:<32} {description}")?;
            }
        }
        Command::Reports { db, status } => {
            let store = db.open()?;
            for id in store.reports_with_status(status.into())? {
                let r = store.report(id)?;
                writeln!(
                    out,
                    "{id}\t{}\t{}\t{}",
                    r.content.date_of_information,
                    r.content.source.as_deref().unwrap_or("-"),
                    r.content.title
                )?;
            }
        }
        Command::Approve {
            db,
            ids,
            all,
            allow_backdated,
            comment,
            actor,
            single_approver,
        } => {
            let mut store = db.open()?;
            let ids = if all {
                store.reports_with_status(ReportStatus::Submitted)?
            } else if ids.is_empty() {
                bail!("name the reports to approve, or use --all");
            } else {
                ids
            };
            let options = ApproveOptions {
                comment,
                allow_backdated,
                four_eyes: !single_approver,
            };
            let bar = progress(ids.len() as u64, "approving");
            let mut failures = 0usize;
            for id in &ids {
                match store.approve_report(&actor, *id, &options) {
                    Ok(_) => {}
                    Err(e @ (StoreError::Database(_) | StoreError::Corrupt { .. })) => {
                        return Err(e).context(format!("approving report {id}"));
                    }
                    Err(e @ StoreError::SecondApproverNeeded { .. }) => {
                        failures += 1;
                        bar.suspend(|| {
                            eprintln!(
                                "{e} (--actor NAME approves as them; --single-approver turns \
                                 four-eyes approval off)"
                            )
                        });
                    }
                    Err(e) => {
                        failures += 1;
                        bar.suspend(|| eprintln!("report {id}: {e}"));
                    }
                }
                bar.inc(1);
            }
            bar.finish_and_clear();
            writeln!(
                out,
                "approved {} of {} reports",
                ids.len() - failures,
                ids.len()
            )?;
            if failures > 0 {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Submit {
            db,
            file,
            accept_outside_programme_area,
            actor,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let value: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid JSON", file.display()))?;
            if submit::is_outbox(&value) {
                let all_stored = submit::run(&db, value, &actor, out)?;
                return Ok(if all_stored {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                });
            }
            let items = match value {
                serde_json::Value::Array(items) => items,
                one => vec![one],
            };
            let reports = items
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    serde_json::from_value::<NewReport>(v)
                        .with_context(|| format!("report {i} of {} is malformed", file.display()))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let mut store = db.open()?;
            if !accept_outside_programme_area
                && let Some(area) = safeground_store::ProgrammeArea::load(store.as_ref())?
            {
                let outside: Vec<String> = (reports.iter().enumerate())
                    .flat_map(|(i, r)| {
                        (area.check_report(r).into_iter()).map(move |o| format!("report {i}: {o}"))
                    })
                    .collect();
                if !outside.is_empty() {
                    bail!("nothing was submitted:\n{}", outside.join("\n"));
                }
            }
            let ids = store.submit_batch(&actor, &reports)?;
            writeln!(out, "submitted {} reports: {ids:?}", ids.len())?;
        }
        Command::Link {
            db,
            report,
            entry,
            field,
            item,
            actor,
        } => {
            db.open()?
                .link_entry(&actor, report, entry, &field, &item)?;
            writeln!(out, "report {report} entry {entry}: {field} -> {item}")?;
        }
        Command::Reconcile {
            db,
            report,
            entry,
            update,
            actor,
        } => {
            let reconcile = match update {
                Some(item) => Reconcile::Update {
                    item,
                    base_version: None,
                },
                None => Reconcile::New,
            };
            db.open()?
                .reconcile_entry(&actor, report, entry, reconcile.clone())?;
            writeln!(out, "report {report} entry {entry}: {reconcile:?}")?;
        }
        Command::Reject {
            db,
            id,
            comment,
            actor,
        } => {
            db.open()?.reject_report(&actor, id, &comment)?;
            writeln!(out, "rejected report {id}")?;
        }
        Command::Summary {
            db,
            as_of: date,
            known_at,
            format,
        } => {
            let store = db.open()?;
            let rows = store.land_release_summary(as_of(date, known_at))?;
            summary::print(&rows, format, out)?;
        }
        Command::Hazard {
            db,
            id,
            as_of: date,
            known_at,
        } => {
            let store = db.open()?;
            summary::print_hazard(store.as_ref(), &id, as_of(date, known_at), out)?;
        }
        Command::Check { db } => {
            let problems = db.open()?.check_consistency()?;
            if problems.is_empty() {
                writeln!(out, "ok: {db} is consistent")?;
            } else {
                for p in &problems {
                    writeln!(out, "{p}")?;
                }
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match run(cli, &mut out) {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`safeground summary ... | head`) is not an error.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
