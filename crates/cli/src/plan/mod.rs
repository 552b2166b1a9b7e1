//! `safeground plan`: operations planning from the command line. Task orders (`task add`,
//! `task list`, `task status`, `task link`), productivity, the prioritisation criteria and
//! ranking (with each criterion's contribution and who moved), the completion forecast against
//! the Article 5 deadline, risk models with their validation, settings and layers. Writes need
//! `--actor`, an enabled planner or administrator (recorded in the audit log).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};
use safeground_planning::priority::{Criteria, moves};
use safeground_planning::productivity::{Grouping, productivity};
use safeground_planning::programme::{self, ForecastRequest};
use safeground_planning::risk::{ModelKind, RiskSpec};
use safeground_store::Location;
use safeground_store::planning::PlanningSettings;

/// Who writes: an enabled planner or administrator.
#[derive(Args, Debug)]
pub struct Actor {
    /// The planner acting (recorded in the audit log).
    #[arg(long)]
    pub(super) actor: String,
}

/// Actions of `safeground plan`.
#[derive(Subcommand, Debug)]
pub enum PlanCommand {
    /// Task orders: `add`, `list`, `status`, `link`.
    Task {
        #[command(subcommand)]
        action: task::TaskCommand,
    },
    /// m² per working day by method × asset type, as distributions over approved activities.
    Productivity {
        /// Database.
        db: Location,
        /// Group further by `organisation` and/or `class` (contamination), comma-separated.
        #[arg(long)]
        by: Option<String>,
    },
    /// Print the criteria in force (TOML), or save a criteria file with `--save`.
    Criteria {
        /// Database.
        db: Location,
        /// A criteria file to check and save.
        #[arg(long, requires = "actor")]
        save: Option<PathBuf>,
        /// The planner saving it.
        #[arg(long)]
        actor: Option<String>,
    },
    /// Rank the open hazards: score and each criterion's points; `--weight id=w` tries other
    /// weights and lists who moved.
    Rank {
        /// Database.
        db: Location,
        /// Criteria file (default: the criteria in force).
        #[arg(long)]
        criteria: Option<PathBuf>,
        /// A weight to try instead (`casualties=2`), repeatable.
        #[arg(long = "weight", value_name = "ID=W")]
        weights: Vec<String>,
        /// Rows to print.
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Write the whole ranking to a .csv or .xlsx file.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Monte Carlo completion forecast (P50, P90) per admin area and for the country.
    Forecast {
        /// Database.
        db: Location,
        /// The deadline (default: the saved Article 5 deadline).
        #[arg(long)]
        deadline: Option<NaiveDate>,
        /// Runs.
        #[arg(long, default_value_t = 1000)]
        runs: u32,
        /// Seed (the same seed gives the same figures).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Working days per team per year (default: the saved setting).
        #[arg(long)]
        days_per_year: Option<f64>,
        /// First day (default today).
        #[arg(long)]
        start: Option<NaiveDate>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Validate a risk model (spatial block CV and time split) and write its map layer.
    Risk {
        /// Database.
        db: Location,
        /// kde (kernel density baseline) or gbt (gradient-boosted trees).
        #[arg(long, default_value = "kde")]
        model: String,
        /// Cell size, m (2 km cells keep a country-wide grid near 20,000 cells).
        #[arg(long, default_value_t = 2000.0)]
        cell_m: f64,
        /// First year of the time split's test period.
        #[arg(long)]
        split_year: Option<i32>,
        /// Write the scored cells as GeoJSON.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Show or change the settings (Article 5 deadline, working days per year).
    Settings {
        /// Database.
        db: Location,
        /// Article 5 deadline.
        #[arg(long, requires = "actor")]
        deadline: Option<NaiveDate>,
        /// Working days per team per year.
        #[arg(long, requires = "actor")]
        days_per_year: Option<f64>,
        /// The planner changing them.
        #[arg(long)]
        actor: Option<String>,
    },
    /// Import a layer criteria measure against (GeoJSON FeatureCollection in WGS 84).
    Layer {
        /// Database.
        db: Location,
        /// Layer name (`settlements`, `roads`, `community_requests`).
        name: String,
        /// GeoJSON file.
        file: PathBuf,
        #[command(flatten)]
        actor: Actor,
    },
}

mod task;

pub(super) fn open(db: &Location) -> anyhow::Result<safeground_store::AnyStore> {
    db.open().with_context(|| format!("opening {db}"))
}

pub(super) fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "–".into(), |d| d.to_string())
}

/// Runs `safeground plan`.
pub fn run(action: PlanCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match action {
        PlanCommand::Task { action } => task::run(action, out),
        PlanCommand::Productivity { db, by } => {
            let g = Grouping::from_codes(by.as_deref().unwrap_or(""))
                .map_err(|other| anyhow::anyhow!("--by {other}: use organisation and/or class"))?;
            let samples = programme::work_samples(&*open(&db)?)?;
            writeln!(
                out,
                "{:<10} {:<20} {:<10} {:<14} {:>7} {:>10} {:>10} {:>10}",
                "method", "asset", "class", "organisation", "samples", "q1", "median", "q3"
            )?;
            for r in productivity(&samples, g) {
                writeln!(
                    out,
                    "{:<10} {:<20} {:<10} {:<14} {:>7} {:>10.1} {:>10.1} {:>10.1}",
                    r.method.code(),
                    r.asset_type.map_or("(not recorded)", |a| a.code()),
                    r.class.as_deref().unwrap_or("all"),
                    r.organisation.as_deref().unwrap_or("all"),
                    r.m2_per_day.samples,
                    r.m2_per_day.q1,
                    r.m2_per_day.median,
                    r.m2_per_day.q3
                )?;
            }
            writeln!(out, "m² per working day; {} samples", samples.len())?;
            Ok(())
        }
        PlanCommand::Criteria { db, save, actor } => {
            let mut store = open(&db)?;
            if let (Some(path), Some(actor)) = (save, actor) {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                let c = Criteria::from_toml(&text)
                    .with_context(|| format!("{} not saved", path.display()))?;
                store.put_planning_criteria(&actor, &text)?;
                writeln!(out, "saved {} criteria from {}", c.0.len(), path.display())?;
                return Ok(());
            }
            match store.planning_criteria()? {
                Some((text, at, by)) => {
                    writeln!(out, "# saved by {by} at {at}")?;
                    write!(out, "{text}")?;
                }
                None => {
                    writeln!(out, "# the defaults (none saved)")?;
                    write!(out, "{}", safeground_planning::priority::DEFAULT_CRITERIA)?;
                }
            }
            Ok(())
        }
        PlanCommand::Rank {
            db,
            criteria,
            weights,
            top,
            out: file,
        } => {
            let store = open(&db)?;
            let base = match criteria {
                Some(path) => Criteria::from_toml(
                    &std::fs::read_to_string(&path)
                        .with_context(|| format!("reading {}", path.display()))?,
                )?,
                None => programme::criteria(&*store)?.0,
            };
            let mut changed = Vec::new();
            for w in &weights {
                let Some((id, v)) = w.split_once('=') else {
                    bail!("--weight {w}: write ID=WEIGHT (casualties=2)");
                };
                let v: f64 = v
                    .trim()
                    .parse()
                    .with_context(|| format!("--weight {w}: the weight is not a number"))?;
                changed.push((id.trim().to_owned(), v));
            }
            let tried = base.with_weights(&changed)?;
            let today = Utc::now().date_naive();
            let ranked = programme::ranking(&*store, &tried, today)?;
            writeln!(
                out,
                "{:>5} {:<16} {:>12} {:>8}  contributions",
                "rank", "hazard", "remaining_m2", "score"
            )?;
            for r in ranked.iter().take(top) {
                let parts: Vec<String> = (r.contributions.iter())
                    .filter(|c| c.points > 0.0)
                    .map(|c| format!("{} {:.2}", c.criterion, c.points))
                    .collect();
                writeln!(
                    out,
                    "{:>5} {:<16} {:>12.0} {:>8.3}  {}",
                    r.rank,
                    r.local_id,
                    r.remaining_m2,
                    r.score,
                    parts.join(" + ")
                )?;
            }
            writeln!(out, "{} open hazards ranked", ranked.len())?;
            if tried != base {
                let before = programme::ranking(&*store, &base, today)?;
                let moved = moves(&before, &ranked);
                writeln!(out, "{} hazards moved; the biggest moves:", moved.len())?;
                for m in moved.iter().take(top) {
                    writeln!(
                        out,
                        "  {:<16} {} → {}",
                        m.local_id,
                        m.from.map_or("–".into(), |r| r.to_string()),
                        m.to.map_or("–".into(), |r| r.to_string())
                    )?;
                }
            }
            if let Some(path) = file {
                let bytes = match path.extension().and_then(|e| e.to_str()) {
                    Some("csv") => safeground_planning::export::ranking_csv(&ranked).into_bytes(),
                    Some("xlsx") => safeground_planning::export::ranking_xlsx(&ranked)?,
                    _ => bail!("--out {}: write a .csv or .xlsx file", path.display()),
                };
                std::fs::write(&path, bytes)
                    .with_context(|| format!("writing {}", path.display()))?;
                writeln!(out, "wrote {}", path.display())?;
            }
            Ok(())
        }
        PlanCommand::Forecast {
            db,
            deadline,
            runs,
            seed,
            days_per_year,
            start,
            json,
        } => {
            let store = open(&db)?;
            let saved = store.planning_settings()?;
            let request = ForecastRequest {
                start: start.unwrap_or_else(|| Utc::now().date_naive()),
                deadline: deadline.or(saved.article5_deadline),
                runs,
                seed,
                days_per_year: days_per_year.unwrap_or(saved.days_per_year),
            };
            let f = programme::programme_forecast(&*store, &request)?;
            if json {
                writeln!(out, "{}", serde_json::to_string_pretty(&f)?)?;
                return Ok(());
            }
            let c = &f.forecast.country;
            writeln!(
                out,
                "{} runs, seed {}, from {}: {} teams, {:.1} km² remaining",
                f.forecast.runs,
                f.forecast.seed,
                f.forecast.start,
                f.forecast.teams.len(),
                c.remaining_m2 / 1e6
            )?;
            writeln!(out, "country: P50 {}, P90 {}", date(c.p50), date(c.p90))?;
            if let (Some(d), Some(p)) = (f.forecast.deadline, c.chance_by_deadline) {
                writeln!(
                    out,
                    "deadline {d}: {:.0} % of runs finish by then",
                    p * 100.0
                )?;
                match &f.forecast.needed {
                    Some(n) => writeln!(
                        out,
                        "P90 by the deadline needs {:.2}× today's capacity ({} teams like today's)",
                        n.factor, n.teams
                    )?,
                    None => writeln!(out, "even 64× today's capacity does not meet it")?,
                }
            }
            writeln!(
                out,
                "{:<12} {:>12} {:>12} {:>12}",
                "admin area", "km²", "P50", "P90"
            )?;
            for a in &f.forecast.admin_areas {
                writeln!(
                    out,
                    "{:<12} {:>12.2} {:>12} {:>12}",
                    a.admin
                        .as_deref()
                        .filter(|a| !a.is_empty())
                        .unwrap_or("(none)"),
                    a.remaining_m2 / 1e6,
                    date(a.p50),
                    date(a.p90)
                )?;
            }
            for r in &f.rates {
                writeln!(
                    out,
                    "productivity {}: median {:.0} m²/day over {} activities",
                    r.asset_type, r.median_m2_per_day, r.samples
                )?;
            }
            Ok(())
        }
        PlanCommand::Risk {
            db,
            model,
            cell_m,
            split_year,
            out: file,
        } => {
            let kind = ModelKind::from_code(&model)
                .with_context(|| format!("--model {model}: use kde or gbt"))?;
            if let Some(y) = split_year
                && !(1900..=2200).contains(&y)
            {
                bail!("--split-year {y}: use a year from 1900 to 2200");
            }
            let data = programme::risk_data(&*open(&db)?)?;
            let spec = RiskSpec {
                cell_m,
                split_year,
                ..RiskSpec::default()
            };
            let map = safeground_planning::risk::risk_map(kind, &data, &spec)?;
            let v = &map.validation;
            writeln!(
                out,
                "{} ({} cells of {cell_m} m, {} blocks, {} folds; time split at {})",
                kind.label(),
                v.cells,
                v.blocks,
                v.folds,
                v.split_year
            )?;
            for (name, m) in [
                ("spatial block CV", &v.spatial_cv),
                ("time split", &v.time_split),
            ] {
                writeln!(
                    out,
                    "{name:<17} AUC {:.3}  precision at top decile {:.3}  (base rate {:.3}, {} positive of {} cells)",
                    m.auc, m.precision_top_decile, m.base_rate, m.positives, m.cells
                )?;
            }
            writeln!(
                out,
                "a model ranks where to survey; it never opens or closes a hazard"
            )?;
            if let Some(path) = file {
                let fc = map.cells_geojson();
                std::fs::write(&path, fc.to_string())
                    .with_context(|| format!("writing {}", path.display()))?;
                writeln!(out, "wrote {} cells to {}", map.cells.len(), path.display())?;
            }
            Ok(())
        }
        PlanCommand::Settings {
            db,
            deadline,
            days_per_year,
            actor,
        } => {
            let mut store = open(&db)?;
            let mut s: PlanningSettings = store.planning_settings()?;
            if let Some(actor) = actor {
                if deadline.is_some() {
                    s.article5_deadline = deadline;
                }
                if let Some(d) = days_per_year {
                    s.days_per_year = d;
                }
                store.put_planning_settings(&actor, &s)?;
            }
            writeln!(
                out,
                "article 5 deadline: {}\nworking days per team per year: {}",
                date(s.article5_deadline),
                s.days_per_year
            )?;
            Ok(())
        }
        PlanCommand::Layer {
            db,
            name,
            file,
            actor,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let (_, n) = programme::parse_layer(&text)
                .with_context(|| format!("{} not imported", file.display()))?;
            open(&db)?.put_planning_layer(&actor.actor, &name, &text, n)?;
            writeln!(out, "layer {name}: {n} features")?;
            Ok(())
        }
    }
}
