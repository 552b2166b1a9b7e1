//! `safeground backup` and `safeground restore`: a whole programme (accounts, sessions and
//! tokens, victims' personal data, drafts, the audit log included) copied while it is in use,
//! from one snapshot, verified before it gets its name; and restored into an empty database,
//! verified again.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use safeground_store::Location;
use safeground_store::backup::{self, BackupOptions, BackupReport};

/// Arguments of `safeground backup`.
#[derive(Args, Debug)]
pub struct BackupArgs {
    /// Programme to back up: a file, `sqlite:PATH`, or `postgres://…` (a libpq
    /// `host=… dbname=…` string). It may be in use (`serve`, an import) meanwhile.
    db: Location,
    /// Backup file to write: an SQLite file, or for PostgreSQL a `pg_dump` custom-format archive.
    out: PathBuf,
    /// Replace OUT if it exists.
    #[arg(long)]
    force: bool,
    /// Who backs up (recorded in the programme's audit log).
    #[arg(long = "as", default_value = "backup")]
    actor: String,
}

/// Arguments of `safeground restore`.
#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// Backup file written by `safeground backup`.
    backup: PathBuf,
    /// Where to restore it: a new SQLite file (or one without data), or an empty PostgreSQL
    /// database made with `createdb` for a `pg_dump` archive.
    db: Location,
    /// Who restores (recorded in the restored programme's audit log).
    #[arg(long = "as", default_value = "restore")]
    actor: String,
}

/// Prints the tables' row counts and checksums.
fn print_tables(report: &BackupReport, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "{:<22} {:>9}  sha256", "table", "rows")?;
    for t in &report.tables {
        writeln!(out, "{:<22} {:>9}  {}", t.table, t.rows, t.sha256)?;
    }
    Ok(())
}

/// `safeground backup`.
pub fn run_backup(args: &BackupArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let report = backup::backup(&args.db, &args.out, BackupOptions { force: args.force })
        .with_context(|| format!("backing up {} to {}", args.db, args.out.display()))?;
    let summary = format!(
        "{} ({} bytes, {} rows in {} tables, {:.1} s)",
        report.format,
        report.bytes,
        report.rows(),
        report.tables.len(),
        report.duration.as_secs_f64()
    );
    // The programme's own record that its data (personal data included) left it into a file.
    args.db
        .open()
        .and_then(|mut store| {
            store.record_audit(
                &args.actor,
                "programme.backup",
                &args.out.display().to_string(),
                Some(&format!("{summary}; verified: {}", report.verified)),
            )
        })
        .with_context(|| {
            format!(
                "the backup {} is complete and verified, but recording it in the audit log of \
                 {} failed",
                args.out.display(),
                args.db
            )
        })?;
    print_tables(&report, out)?;
    writeln!(out, "written {}: {summary}", args.out.display())?;
    writeln!(out, "verified: {}", report.verified)?;
    Ok(())
}

/// `safeground restore`.
pub fn run_restore(args: &RestoreArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let report = backup::restore(&args.backup, &args.db)
        .with_context(|| format!("restoring {} into {}", args.backup.display(), args.db))?;
    args.db
        .open()
        .and_then(|mut store| {
            store.record_audit(
                &args.actor,
                "programme.restore",
                &args.db.to_string(),
                Some(&format!(
                    "from {}: {} rows in {} tables; verified: {}",
                    args.backup.display(),
                    report.rows(),
                    report.tables.len(),
                    report.verified
                )),
            )
        })
        .with_context(|| {
            format!(
                "{} is restored and verified, but recording the restore in its audit log failed",
                args.db
            )
        })?;
    print_tables(&report, out)?;
    writeln!(
        out,
        "restored {} into {}: {} rows in {} tables ({:.1} s)",
        args.backup.display(),
        args.db,
        report.rows(),
        report.tables.len(),
        report.duration.as_secs_f64()
    )?;
    writeln!(out, "verified: {}", report.verified)?;
    Ok(())
}
