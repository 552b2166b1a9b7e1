//! `safeground hub report DB --out FILE.xlsx|FILE.pdf`: the regional report of a hub — the
//! figures of `safeground-region` with a column per country (titled with when the hub received
//! its newest record) and one for the region — written by the national reports' XLSX writer or
//! PDF renderer, chosen by the extension of `--out`. Like `safeground report`, it replaces a
//! file already at `--out`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::Utc;
use clap::Args;
use safeground_region::{regional_figures, regional_report};
use safeground_store::Location;

/// Arguments of `safeground hub report`.
#[derive(Args, Debug)]
pub struct HubReportArgs {
    /// The hub's database.
    db: Location,
    /// Output file: `.xlsx` (a sheet per table) or `.pdf`.
    #[arg(long)]
    out: PathBuf,
}

/// The formats `--out` may end with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Pdf,
}

/// The format of `out`, from its extension (any case).
fn format_of(out: &std::path::Path) -> anyhow::Result<Format> {
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xlsx") => Ok(Format::Xlsx),
        Some("pdf") => Ok(Format::Pdf),
        _ => bail!(
            "{}: the regional report is written as XLSX or PDF; give --out a file ending in \
             .xlsx or .pdf",
            out.display()
        ),
    }
}

/// Runs `safeground hub report`.
pub fn run(args: &HubReportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = format_of(&args.out)?;
    let store = args
        .db
        .open()
        .with_context(|| format!("opening {}", args.db))?;
    if !store.is_hub()? {
        bail!(
            "{} is not a regional hub, so it has no regional report: create one with \
             `safeground hub init DB` and import its nodes' bundles",
            args.db
        );
    }
    let figures = regional_figures(store.as_ref(), None, Utc::now())?;
    let report = regional_report(&figures);
    match format {
        Format::Xlsx => safeground_report::write_xlsx(&report, &args.out)
            .with_context(|| format!("writing {}", args.out.display()))?,
        Format::Pdf => {
            let pdf = safeground_report_pdf::render_pdf(&safeground_report::to_json(&report))?;
            std::fs::write(&args.out, pdf)
                .with_context(|| format!("writing {}", args.out.display()))?;
        }
    }
    writeln!(
        out,
        "regional report of {} countries as of {} written to {}",
        figures.countries.len(),
        report.params.as_of.date,
        args.out.display()
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_comes_from_the_extension() {
        let f = |p: &str| format_of(std::path::Path::new(p));
        assert_eq!(f("region.xlsx").ok(), Some(Format::Xlsx));
        assert_eq!(f("REGION.PDF").ok(), Some(Format::Pdf));
        for bad in ["region.csv", "region", "region.xls"] {
            let e = f(bad).expect_err(bad).to_string();
            assert!(e.contains(".xlsx or .pdf"), "{e}");
        }
    }
}
