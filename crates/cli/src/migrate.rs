//! `safeground migrate`: copy a whole programme between SQLite and PostgreSQL, losslessly, and
//! prove it (row counts and SHA-256 checksums of every table on both sides).

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use safeground_library::Folder;
use safeground_server::library::{file_hashes, library_dir};
use safeground_store::transfer::{self, Dump, Load};
use safeground_store::{AccountStore, Location, PostgresStore, SqliteStore};

/// Arguments of `safeground migrate`.
#[derive(Args, Debug)]
pub struct MigrateArgs {
    /// Programme to copy: `sqlite:FILE` (or a file path), a `postgres://` / `postgresql://`
    /// URL, or a libpq string such as `host=/run/postgresql dbname=safeground`.
    #[arg(long)]
    from: String,
    /// Where to copy it, in the same forms. It must be empty: a SQLite file that does not exist
    /// yet (or holds no data), or a PostgreSQL database without Safeground data (the schema is
    /// created if missing).
    #[arg(long)]
    to: String,
    /// Who migrates (recorded in the target's audit log).
    #[arg(long = "as", default_value = "migrate")]
    actor: String,
    /// The source's library folder (default: beside its SQLite file; needed for PostgreSQL).
    #[arg(long)]
    from_library_dir: Option<PathBuf>,
    /// Where the copy's library goes (default: beside its SQLite file; needed for PostgreSQL,
    /// then give the same folder to `serve --library-dir`).
    #[arg(long)]
    to_library_dir: Option<PathBuf>,
}

/// An opened store of either backend.
enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Store {
    /// Opens an existing programme to read.
    fn source(at: &Location) -> anyhow::Result<Self> {
        Ok(match at {
            Location::Sqlite(path) => Store::Sqlite(SqliteStore::open(path)?),
            Location::Postgres(url) => Store::Postgres(PostgresStore::open(url)?),
        })
    }

    /// Opens (creating when needed) the programme to write.
    fn target(at: &Location) -> anyhow::Result<Self> {
        Ok(match at {
            Location::Sqlite(path) if path.exists() => Store::Sqlite(SqliteStore::open(path)?),
            Location::Sqlite(path) => Store::Sqlite(SqliteStore::create(path)?),
            Location::Postgres(url) => Store::Postgres(PostgresStore::connect(url)?),
        })
    }

    fn dump(&self) -> &dyn Dump {
        match self {
            Store::Sqlite(s) => s,
            Store::Postgres(s) => s,
        }
    }

    fn load(&mut self) -> &mut dyn Load {
        match self {
            Store::Sqlite(s) => s,
            Store::Postgres(s) => s,
        }
    }

    fn accounts(&mut self) -> &mut dyn AccountStore {
        match self {
            Store::Sqlite(s) => s,
            Store::Postgres(s) => s,
        }
    }
}

/// Copies the programme, verifies the copy, records it in the target's audit log and prints
/// the tables' row counts.
pub fn run(args: &MigrateArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let from: Location = args
        .from
        .parse()
        .map_err(anyhow::Error::msg)
        .context("reading --from")?;
    let to: Location = args
        .to
        .parse()
        .map_err(anyhow::Error::msg)
        .context("reading --to")?;
    if from == to {
        bail!("--from and --to are the same ({from}); copy into a new, empty database");
    }
    let source = Store::source(&from).with_context(|| format!("opening the source {from}"))?;
    let mut target = Store::target(&to).with_context(|| format!("opening the target {to}"))?;
    let started = Instant::now();
    let sums = transfer::copy(source.dump(), target.load())
        .with_context(|| format!("migrating {from} to {to}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let rows: u64 = sums.iter().map(|s| s.rows).sum();
    let detail = format!(
        "from {from}: {rows} rows in {} tables, counts and SHA-256 verified",
        sums.len()
    );
    target
        .accounts()
        .record_audit(
            &args.actor,
            "programme.migrate",
            &to.to_string(),
            Some(&detail),
        )
        .with_context(|| {
            format!(
                "the copy to {to} is complete and verified, but recording it in its audit log \
                 failed; record the migration by hand"
            )
        })?;
    writeln!(out, "{:<22} {:>9}  sha256", "table", "rows")?;
    for s in &sums {
        writeln!(out, "{:<22} {:>9}  {}", s.table, s.rows, s.sha256)?;
    }
    writeln!(
        out,
        "verified: {rows} rows in {} tables copied from {from} to {to}, identical on both \
         sides ({seconds:.1} s)",
        sums.len()
    )?;
    copy_library(args, &from, &to, out)
}

/// Copies the library files the programme names into the copy's library folder, each checked
/// against its hash; says what it could not copy and which option would.
fn copy_library(
    args: &MigrateArgs,
    from: &Location,
    to: &Location,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let files = file_hashes(from.open()?.as_ref())?.len();
    if files == 0 {
        return Ok(());
    }
    let (Some(from_dir), Some(to_dir)) = (
        library_dir(args.from_library_dir.clone(), from),
        library_dir(args.to_library_dir.clone(), to),
    ) else {
        writeln!(
            out,
            "warning: the programme's {files} library file(s) were not copied: give \
             --from-library-dir and --to-library-dir (a PostgreSQL programme's library folder \
             is the one its server is given with --library-dir)"
        )?;
        return Ok(());
    };
    if from_dir == to_dir {
        writeln!(
            out,
            "library: {} serves both programmes; nothing to copy",
            from_dir.display()
        )?;
        return Ok(());
    }
    let to_folder = Folder::new(&to_dir);
    let (copied, bytes, missing) =
        crate::backup::copy_library(from, &Folder::new(&from_dir), &to_folder)
            .with_context(|| format!("copying the library {}", from_dir.display()))?;
    writeln!(
        out,
        "library: {copied} file(s), {bytes} bytes copied to {} (each checked against its hash)",
        to_dir.display()
    )?;
    if !missing.is_empty() {
        bail!(
            "{} library file(s) named by the programme are missing from {} (first: {}); the \
             database copy is complete, but restore those files from a backup of the folder \
             into {}",
            missing.len(),
            from_dir.display(),
            missing[0],
            to_dir.display()
        );
    }
    Ok(())
}
