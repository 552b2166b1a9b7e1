//! `safeground report`: the programme's figures and treaty tables (crate `report`) for a
//! period, admin area, organisation and as-of point, as XLSX, PDF, CSV (one file per table) or
//! JSON.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;
use safeground_report::{Language, Report, ReportParams};
use safeground_store::{AsOf, Location};

/// Arguments of `safeground report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
    db: Location,
    /// xlsx, pdf, csv (a folder with one file per table) or json.
    #[arg(long, default_value = "xlsx")]
    format: String,
    /// Output file (folder for csv; `-` writes json to standard output).
    #[arg(long)]
    out: PathBuf,
    /// The world as it was on this day (default: today).
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// As the database knew it at this instant (RFC 3339): reproduces a report made then.
    #[arg(long)]
    known_at: Option<DateTime<Utc>>,
    /// First day of the period.
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Last day of the period.
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Admin area P-code (its sub-areas are included).
    #[arg(long)]
    admin_area: Option<String>,
    /// Operator (item id or local id).
    #[arg(long)]
    organisation: Option<String>,
    /// Donor (item id or local id): only the work it funded.
    #[arg(long)]
    donor: Option<String>,
    /// Deadline of the national plan or treaty obligation.
    #[arg(long)]
    treaty_deadline: Option<NaiveDate>,
    /// Show casualty counts below this as "<N" (published figures); 0 turns it off.
    #[arg(long, default_value_t = 5)]
    suppress_below: u32,
    /// Language of titles: en, km, lo, th, vi, my or az.
    #[arg(long, default_value = "en")]
    language: String,
}

/// Runs `safeground report`.
pub fn run(args: &ReportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let language = Language::from_code(&args.language)?;
    let store = args.db.open()?;
    let params = ReportParams {
        as_of: AsOf {
            date: args.as_of.unwrap_or_else(|| Utc::now().date_naive()),
            known_at: args.known_at,
        },
        from: args.from,
        to: args.to,
        admin_area: args.admin_area.clone(),
        organisation: args.organisation.clone(),
        donor: args.donor.clone(),
        treaty_deadline: args.treaty_deadline,
        suppression_threshold: (args.suppress_below > 0).then_some(args.suppress_below),
        language,
    };
    let mut report = Report::build(store.as_ref(), &params)?;
    // The completion forecast of the current state, against the deadline given or saved.
    let today = chrono::Utc::now().date_naive();
    if params.as_of.date >= today && params.as_of.known_at.is_none() {
        let saved = store.planning_settings()?.article5_deadline;
        if let Some(deadline) = params.treaty_deadline.or(saved) {
            let f = safeground_planning::programme::report_forecast(
                store.as_ref(),
                today,
                Some(deadline),
            )?;
            report.add_completion_forecast(&f);
        }
    }
    let to_stdout = args.out.as_os_str() == "-";
    match args.format.as_str() {
        "json" => {
            let text = serde_json::to_string_pretty(&safeground_report::to_json(&report))?;
            if to_stdout {
                writeln!(out, "{text}")?;
                return Ok(());
            }
            std::fs::write(&args.out, text)
                .with_context(|| format!("writing {}", args.out.display()))?;
        }
        _ if to_stdout => bail!("only json goes to standard output; give --out FILE"),
        "xlsx" => safeground_report::write_xlsx(&report, &args.out)?,
        "pdf" => {
            let pdf = safeground_report_pdf::render_pdf(&safeground_report::to_json(&report))?;
            std::fs::write(&args.out, pdf)
                .with_context(|| format!("writing {}", args.out.display()))?;
        }
        "csv" => {
            std::fs::create_dir_all(&args.out)
                .with_context(|| format!("creating {}", args.out.display()))?;
            for table in &report.tables {
                let path = args.out.join(format!("{}.csv", table.id));
                let file = std::fs::File::create(&path)
                    .with_context(|| format!("writing {}", path.display()))?;
                safeground_report::write_csv(table, std::io::BufWriter::new(file))?;
            }
        }
        other => bail!("format `{other}` is not available; use xlsx, pdf, csv or json"),
    }
    writeln!(
        out,
        "{} tables as of {} written to {}",
        report.tables.len(),
        params.as_of.date,
        args.out.display()
    )?;
    Ok(())
}
