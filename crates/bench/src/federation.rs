//! `safeground-bench federation` (issue 24 item 8): a node's whole outbox exported as one
//! signed bundle (`safeground federation export --since 0`) and imported into a fresh hub
//! (`safeground hub import`) on SQLite and on PostgreSQL, beside the same rows moved between
//! two PostgreSQL databases by `pg_dump --data-only | psql`, at several sizes so that peak
//! memory can be compared across them.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::national::{recreate_database, safeground_at, to_geopackage};
use crate::postgis::connect;
use crate::process::{self, Timed};
use crate::{eo, generate, geojson, mib};

/// Database of the PostgreSQL hub.
const HUB_DB: &str = "safeground_bench_hub";
/// Database the peer copies the PostgreSQL hub's `shared_record` rows into.
const COPY_DB: &str = "safeground_bench_hub_copy";
/// The node id of the generated programme.
const NODE: &str = "KHM";

#[derive(clap::Args)]
pub struct FederationArgs {
    /// libpq connection string of a PostgreSQL server, without `dbname` (e.g. `host=/tmp/sg_pg
    /// port=5433 user=postgres`): the databases `safeground_bench_hub` and
    /// `safeground_bench_hub_copy` are dropped and recreated there.
    #[arg(long)]
    postgres: String,
    /// Approved versions of the node, one run per size (a tenth hazards, the rest EO finds;
    /// the EO finds' twins are left out by the import, so the outbox holds about 1 % fewer).
    #[arg(long, value_delimiter = ',', default_value = "100000,1000000")]
    versions: Vec<usize>,
    /// Generator seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The `safeground` binary (default: beside this one, i.e. the same build).
    #[arg(long)]
    safeground: Option<std::path::PathBuf>,
    /// Where the node, the bundles and the SQLite hubs go.
    #[arg(long, default_value = "target/bench-federation")]
    work_dir: std::path::PathBuf,
}

/// One size's measurements.
struct Run {
    versions: u64,
    shared: u64,
    bundle_bytes: u64,
    export: Timed,
    sqlite: Timed,
    postgres: Timed,
    /// CPU seconds of the PostgreSQL server during the PostgreSQL hub's import.
    postgres_server_cpu: f64,
    peer: Timed,
    peer_server_cpu: f64,
}

/// Runs the federation benchmark at every size.
pub fn run(a: &FederationArgs) -> Result<()> {
    let safeground = safeground_at(a.safeground.as_deref())?;
    std::fs::create_dir_all(&a.work_dir)?;
    let work = a.work_dir.canonicalize()?;
    println!(
        "load before: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let mut runs = Vec::new();
    for &n in &a.versions {
        runs.push(one_size(a, &safeground, &work, n)?);
    }
    println!(
        "\n## Federation: node → hub, one bundle of the whole outbox\n\nload after: {}\n",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!(
        "| versions | step | wall | CPU (client + PostgreSQL server) | peak RSS (client) | versions/s | peer wall / this wall |"
    );
    println!("|---|---|---|---|---|---|---|");
    for r in &runs {
        let row = |what: &str, t: &Timed, server: f64, ratio: bool| {
            let cpu = if server > 0.0 {
                format!("{:.1} s ({:.1} + {server:.1})", t.cpu_s + server, t.cpu_s)
            } else {
                format!("{:.1} s", t.cpu_s)
            };
            let ratio = if ratio {
                format!(
                    "{:.2}",
                    r.peer.wall.as_secs_f64() / t.wall.as_secs_f64().max(1e-9)
                )
            } else {
                "—".into()
            };
            println!(
                "| {} | {what} | {:.1} s | {cpu} | {} | {:.0} | {ratio} |",
                r.versions,
                t.wall.as_secs_f64(),
                mib(Some(t.max_rss_kib)),
                r.versions as f64 / t.wall.as_secs_f64().max(1e-9),
            );
        };
        row(
            &format!(
                "`federation export --since 0` ({:.1} MB bundle, {} shared)",
                r.bundle_bytes as f64 / 1e6,
                r.shared
            ),
            &r.export,
            0.0,
            false,
        );
        row("`hub import` → SQLite hub", &r.sqlite, 0.0, true);
        row(
            "`hub import` → PostgreSQL hub",
            &r.postgres,
            r.postgres_server_cpu,
            true,
        );
        let both = r.export.wall + r.postgres.wall;
        println!(
            "| {} | export + import, SQLite hub | {:.1} s | | | {:.0} | {:.2} |",
            r.versions,
            (r.export.wall + r.sqlite.wall).as_secs_f64(),
            r.versions as f64 / (r.export.wall + r.sqlite.wall).as_secs_f64().max(1e-9),
            r.peer.wall.as_secs_f64() / (r.export.wall + r.sqlite.wall).as_secs_f64().max(1e-9),
        );
        println!(
            "| {} | export + import, PostgreSQL hub | {:.1} s | | | {:.0} | {:.2} |",
            r.versions,
            both.as_secs_f64(),
            r.versions as f64 / both.as_secs_f64().max(1e-9),
            r.peer.wall.as_secs_f64() / both.as_secs_f64().max(1e-9),
        );
        row(
            "peer: `pg_dump --data-only -t shared_record \\| psql` (PostgreSQL hub → fresh hub)",
            &r.peer,
            r.peer_server_cpu,
            true,
        );
    }
    Ok(())
}

/// Counts the rows of `table` in the SQLite database `db` (with the `sqlite3` shell).
fn sqlite_count(db: &Path, table: &str) -> Result<u64> {
    let out = Command::new("sqlite3")
        .arg(db)
        .arg(format!("SELECT count(*) FROM {table}"))
        .output()
        .context("cannot run sqlite3")?;
    if !out.status.success() {
        bail!(
            "sqlite3 {}: {}",
            db.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .parse()
        .with_context(|| format!("sqlite3 counted `{text}` rows of {table}"))
}

fn pg_count(conn: &str, table: &str) -> Result<u64> {
    let n: i64 = connect(conn)?
        .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
        .get(0);
    Ok(u64::try_from(n)?)
}

/// Σ of the "N shared" counts per kind that `federation export` prints.
fn shared_in(report: &str) -> u64 {
    report
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let (_kind, n, word) = (w.next()?, w.next()?, w.next()?);
            (word.trim_end_matches(',') == "shared")
                .then(|| n.parse::<u64>().ok())
                .flatten()
        })
        .sum()
}

/// User + system CPU seconds of every `postgres` process, with what each has reaped from its
/// exited children (the postmaster's backends), so that one-shot connections count too.
fn postgres_cpu_total() -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    dir.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let f: Vec<f64> = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .skip(11)
                .take(4)
                .filter_map(|v| v.parse().ok())
                .collect();
            Some(f.iter().sum::<f64>() / 100.0)
        })
        .sum()
}

/// Builds a node of `n` versions (not timed), then times its export and the hub imports.
fn one_size(a: &FederationArgs, safeground: &Path, work: &Path, n: usize) -> Result<Run> {
    let dir = work.join(format!("n{n}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let sg = |args: &[&str]| {
        let mut c = Command::new(safeground);
        c.args(args).env("RUST_LOG", "warn");
        c
    };
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();

    // The node: hazards, then EO finds in them, all approved.
    let t = Instant::now();
    let hazards = (n / 10).max(1);
    let ds = generate::generate(hazards, 0, a.seed);
    geojson::write(&dir.join("hazards.geojsonl"), &ds.hazards)?;
    to_geopackage(
        &dir.join("hazards.geojsonl"),
        &dir.join("hazards.gpkg"),
        "hazards",
    )?;
    let finds = generate::eo_finds(&ds, n - hazards, a.seed);
    geojson::write_eo_finds(&dir.join("eo_finds.geojsonl"), &finds)?;
    drop(finds);
    to_geopackage(
        &dir.join("eo_finds.geojsonl"),
        &dir.join("eo_finds.gpkg"),
        "eo_finds",
    )?;
    std::fs::write(dir.join("eo_finds.toml"), eo::MAPPING)?;
    let node = path("node.sqlite");
    process::timed(&mut sg(&["init", &node]), "safeground init (node)")?;
    process::timed(
        &mut sg(&[
            "import",
            &node,
            &path("hazards.gpkg"),
            "--approve-as-migration",
        ]),
        "safeground import of the hazards (node)",
    )?;
    process::timed_accepting(
        &mut sg(&[
            "import",
            &node,
            &path("eo_finds.gpkg"),
            "--mapping",
            &path("eo_finds.toml"),
            "--approve-as-migration",
        ]),
        "safeground import of the EO finds (node)",
        &[3],
    )?;
    let (_, card) = process::timed_stdout(
        &mut sg(&[
            "federation",
            "init",
            &node,
            "--node",
            NODE,
            "--name",
            "Bench node",
            "--key",
            &path("node.key"),
        ]),
        "safeground federation init",
    )?;
    std::fs::write(dir.join("card.json"), card)?;
    let versions = sqlite_count(&dir.join("node.sqlite"), "outbox")?;
    println!(
        "\nnode of {n} requested versions: {hazards} hazards + {} EO finds; outbox {versions} \
         entries; built in {:.0} s (not timed)",
        n - hazards,
        t.elapsed().as_secs_f64()
    );

    // Export.
    let bundle = path("all.sgb");
    let (export, report) = process::timed_stdout(
        &mut sg(&[
            "federation",
            "export",
            &node,
            "--key",
            &path("node.key"),
            "--since",
            "0",
            "--out",
            &bundle,
        ]),
        "safeground federation export",
    )?;
    print!("{report}");
    let shared = shared_in(&report);
    let bundle_bytes = std::fs::metadata(&bundle)?.len();

    // SQLite hub.
    let hub = path("hub.sqlite");
    process::timed(
        &mut sg(&["hub", "init", &hub]),
        "safeground hub init (SQLite)",
    )?;
    process::timed(
        &mut sg(&["hub", "add-node", &hub, &path("card.json")]),
        "safeground hub add-node (SQLite)",
    )?;
    let (sqlite, said) = process::timed_stdout(
        &mut sg(&["hub", "import", &hub, &bundle]),
        "safeground hub import (SQLite)",
    )?;
    print!("SQLite hub: {said}");
    let held = sqlite_count(&dir.join("hub.sqlite"), "shared_record")?;
    if held != shared {
        bail!("the SQLite hub holds {held} shared records, the bundle {shared}");
    }

    // PostgreSQL hub.
    let hub_pg = format!("{} dbname={HUB_DB}", a.postgres);
    recreate_database(&a.postgres, HUB_DB)?;
    process::timed(
        &mut sg(&["hub", "init", &hub_pg]),
        "safeground hub init (PostgreSQL)",
    )?;
    process::timed(
        &mut sg(&["hub", "add-node", &hub_pg, &path("card.json")]),
        "safeground hub add-node (PostgreSQL)",
    )?;
    let before = postgres_cpu_total();
    let (postgres, said) = process::timed_stdout(
        &mut sg(&["hub", "import", &hub_pg, &bundle]),
        "safeground hub import (PostgreSQL)",
    )?;
    let postgres_server_cpu = postgres_cpu_total() - before;
    print!("PostgreSQL hub: {said}");
    let held = pg_count(&hub_pg, "shared_record")?;
    if held != shared {
        bail!("the PostgreSQL hub holds {held} shared records, the bundle {shared}");
    }

    // Peer: the same rows into a fresh hub (same schema and indexes, node registered).
    let copy = format!("{} dbname={COPY_DB}", a.postgres);
    recreate_database(&a.postgres, COPY_DB)?;
    process::timed(
        &mut sg(&["hub", "init", &copy]),
        "safeground hub init (copy)",
    )?;
    process::timed(
        &mut sg(&["hub", "add-node", &copy, &path("card.json")]),
        "safeground hub add-node (copy)",
    )?;
    let pipe = format!(
        "set -o pipefail; pg_dump --data-only -t shared_record '{hub_pg}' | psql -q -X -v \
         ON_ERROR_STOP=1 '{copy}'"
    );
    let before = postgres_cpu_total();
    let peer = process::timed(Command::new("bash").arg("-c").arg(&pipe), "pg_dump | psql")?;
    let peer_server_cpu = postgres_cpu_total() - before;
    let copied = pg_count(&copy, "shared_record")?;
    if copied != shared {
        bail!("pg_dump | psql copied {copied} shared records, the bundle holds {shared}");
    }
    Ok(Run {
        versions,
        shared,
        bundle_bytes,
        export,
        sqlite,
        postgres,
        postgres_server_cpu,
        peer,
        peer_server_cpu,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_counts_are_summed_from_the_export_report() {
        let report = "node KHM: outbox entries 1–11 written to x in 0.1 s\n  \
                      hazard                  1 shared\n  eo_find                 9 shared, 2 \
                      withdrawn\n  withheld                1 (not shared by the policy: their \
                      seq alone)\n  123 bytes; payload SHA-256 ab (signed in the manifest)\n";
        assert_eq!(shared_in(report), 10);
    }
}
