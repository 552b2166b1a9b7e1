//! `safeground backup` and `safeground restore`: a whole programme (accounts, sessions and
//! tokens, victims' personal data, drafts, the audit log included) copied while it is in use,
//! from one snapshot, verified before it gets its name; and restored into an empty database,
//! verified again. The library's files go beside the backup (`OUT.library/`) and the
//! orthophotos beside it (`OUT.evidence/`), each checked against its hash, and come back with
//! the restore.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use safeground_library::Folder;
use safeground_server::evidence::evidence_dir;
use safeground_server::library::{file_hashes, library_dir};

use crate::backup_evidence::copy_evidence;
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
    /// The programme's library folder (default: beside its SQLite file); its files are copied
    /// to OUT's `.library` folder.
    #[arg(long, env = "SAFEGROUND_LIBRARY_DIR")]
    library_dir: Option<PathBuf>,
    /// The programme's evidence folder (default: beside its SQLite file); its orthophotos are
    /// copied to OUT's `.evidence` folder.
    #[arg(long, env = "SAFEGROUND_EVIDENCE_DIR")]
    evidence_dir: Option<PathBuf>,
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
    /// Where the restored programme's library goes (default: beside its SQLite file).
    #[arg(long, env = "SAFEGROUND_LIBRARY_DIR")]
    library_dir: Option<PathBuf>,
    /// Where the restored programme's evidence folder goes (default: beside its SQLite file).
    #[arg(long, env = "SAFEGROUND_EVIDENCE_DIR")]
    evidence_dir: Option<PathBuf>,
}

/// The library folder that goes with the backup file `file`.
fn backup_library(file: &Path) -> Folder {
    Folder::new(file.with_extension("library"))
}

/// Copies the files named by `db`'s library records from `from` to `to`: (files, bytes, the
/// hashes `from` lacks). Also used by `safeground migrate`.
pub(crate) fn copy_library(
    db: &Location,
    from: &Folder,
    to: &Folder,
) -> anyhow::Result<(usize, u64, Vec<String>)> {
    let store = db.open()?;
    let hashes = file_hashes(store.as_ref())?;
    let (present, missing): (Vec<String>, Vec<String>) = hashes
        .into_iter()
        .partition(|h| from.path(h).exists() || to.path(h).exists());
    let (files, bytes) = from.copy_to(to, &present)?;
    Ok((files, bytes, missing))
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
    if let Some(dir) = library_dir(args.library_dir.clone(), &args.db) {
        let to = backup_library(&args.out);
        let (files, bytes, missing) = copy_library(&args.db, &Folder::new(&dir), &to)
            .with_context(|| format!("copying the library {} beside the backup", dir.display()))?;
        writeln!(
            out,
            "library: {files} file(s), {bytes} bytes copied to {} (each checked against its hash)",
            to.root().display()
        )?;
        if !missing.is_empty() {
            anyhow::bail!(
                "{} library file(s) named by the programme are missing from {} (first: {}); \
                 the database backup is complete, but restore those files from an older \
                 backup of the folder",
                missing.len(),
                dir.display(),
                missing[0]
            );
        }
    } else {
        let files = file_hashes(args.db.open()?.as_ref())?.len();
        if files > 0 {
            writeln!(
                out,
                "warning: the programme's {files} library file(s) were not copied: give its \
                 library folder with --library-dir to back them up with the database"
            )?;
        }
    }
    backup_evidence(args, out)?;
    writeln!(out, "verified: {}", report.verified)?;
    Ok(())
}

/// Copies the evidence folder's orthophotos beside the backup.
fn backup_evidence(args: &BackupArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let Some(dir) = evidence_dir(args.evidence_dir.clone(), &args.db) else {
        let named = args.db.open()?.orthophotos()?.len();
        if named > 0 {
            writeln!(
                out,
                "warning: the programme's {named} orthophoto(s) were not copied: give its \
                 evidence folder with --evidence-dir to back them up with the database"
            )?;
        }
        return Ok(());
    };
    let to = args.out.with_extension("evidence");
    let (files, bytes, missing) = copy_evidence(&args.db, &dir, &to)
        .with_context(|| format!("copying the evidence {} beside the backup", dir.display()))?;
    if files > 0 {
        writeln!(
            out,
            "evidence: {files} orthophoto file(s), {bytes} bytes copied to {} (each checked \
             against its SHA-256)",
            to.display()
        )?;
    }
    if let Some(first) = missing.first() {
        anyhow::bail!(
            "{} orthophoto file(s) named by the programme are missing from {} (first: {first}); \
             the database backup is complete, but restore those files from an older copy",
            missing.len(),
            dir.display()
        );
    }
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
    if let Some(dir) = library_dir(args.library_dir.clone(), &args.db) {
        let (files, bytes, missing) =
            copy_library(&args.db, &backup_library(&args.backup), &Folder::new(&dir))
                .with_context(|| format!("restoring the library into {}", dir.display()))?;
        writeln!(
            out,
            "library: {files} file(s), {bytes} bytes restored into {} (the search index is \
             rebuilt on first use)",
            dir.display()
        )?;
        if !missing.is_empty() {
            writeln!(
                out,
                "warning: {} library file(s) are not beside the backup ({}); copy them into {} \
                 (first: {})",
                missing.len(),
                backup_library(&args.backup).root().display(),
                dir.display(),
                missing[0]
            )?;
        }
    } else if backup_library(&args.backup).root().is_dir() {
        writeln!(
            out,
            "warning: the backup has library files ({}) but the restored programme has no \
             library folder: copy them with `safeground restore … --library-dir DIR`",
            backup_library(&args.backup).root().display()
        )?;
    }
    writeln!(
        out,
        "restored {} into {}: {} rows in {} tables ({:.1} s)",
        args.backup.display(),
        args.db,
        report.rows(),
        report.tables.len(),
        report.duration.as_secs_f64()
    )?;
    let from = args.backup.with_extension("evidence");
    if from.is_dir() {
        match evidence_dir(args.evidence_dir.clone(), &args.db) {
            Some(dir) => {
                let (files, bytes, missing) = copy_evidence(&args.db, &from, &dir)
                    .with_context(|| format!("restoring the evidence into {}", dir.display()))?;
                writeln!(
                    out,
                    "evidence: {files} orthophoto file(s), {bytes} bytes restored into {}",
                    dir.display()
                )?;
                if let Some(first) = missing.first() {
                    writeln!(
                        out,
                        "warning: {} orthophoto file(s) are not beside the backup ({}; first: \
                         {first})",
                        missing.len(),
                        from.display()
                    )?;
                }
            }
            None => writeln!(
                out,
                "warning: the backup has orthophotos ({}) but the restored programme has no \
                 evidence folder: give --evidence-dir",
                from.display()
            )?,
        }
    }
    writeln!(out, "verified: {}", report.verified)?;
    Ok(())
}
