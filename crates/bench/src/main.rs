//! `safeground-bench`: Safeground against PostGIS, martin and `ogr2ogr` on a synthetic national
//! data set (issue 7, `../shared/PERFORMANCE.md` §4). Not run by `cargo test`; see
//! `docs/benchmarks.md`.

mod eo;
mod generate;
mod geojson;
mod http;
mod memory;
mod mvt;
mod national;
mod overlay;
mod postgis;
mod process;
mod stream;
mod tiles;

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    about = "Benchmarks of Safeground against PostGIS, martin and ogr2ogr on synthetic national data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// W2: remaining contamination per admin area (hazard − ⋃ released, geodesic m²).
    W2(W2Args),
    /// W4, W1, W5 on one national hazard layer: import vs `ogr2ogr` into PostGIS, vector tiles
    /// vs martin, streaming the OGC collection vs paged PostGIS GeoJSON.
    National(national::NationalArgs),
}

#[derive(clap::Args)]
struct W2Args {
    /// libpq connection string of a PostgreSQL + PostGIS database (tables w2_hazard and
    /// w2_released are dropped and recreated there, and left for inspection).
    #[arg(long)]
    postgres: String,
    /// Number of hazard polygons.
    #[arg(long, default_value_t = 100_000)]
    hazards: usize,
    /// Number of released polygons.
    #[arg(long, default_value_t = 300_000)]
    releases: usize,
    /// Generator seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Timed runs per side, after one warm-up run.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Worker threads of the parallel Safeground runs (default: all cores); 1 thread is
    /// always measured too.
    #[arg(long)]
    threads: Option<usize>,
    /// `statement_timeout` of the PostGIS query, seconds.
    #[arg(long, default_value_t = 1800)]
    statement_timeout_s: u64,
    /// Largest relative difference allowed between the two sides for any admin area.
    #[arg(long, default_value_t = 1e-4)]
    tolerance: f64,
}

/// The nearest-rank percentile `q` (0–1] of `times`.
fn percentile(times: &[Duration], q: f64) -> Duration {
    let mut t = times.to_vec();
    t.sort();
    let rank = ((q * t.len() as f64).ceil() as usize).clamp(1, t.len().max(1));
    t.get(rank - 1).copied().unwrap_or_default()
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0))
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::W2(args) => w2(&args),
        Command::National(args) => national::run(&args),
    }
}

fn w2(a: &W2Args) -> Result<()> {
    if a.runs == 0 {
        bail!("--runs must be at least 1");
    }
    let threads = a
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let t = Instant::now();
    let ds = generate::generate(a.hazards, a.releases, a.seed);
    let generation = t.elapsed();
    let (hv, rv) = ds.vertex_counts();
    println!(
        "data: {} hazards ({hv} vertices), {} released polygons ({rv} vertices), {} admin areas, \
         seed {}; generated in {:.2} s",
        ds.hazards.len(),
        ds.release_count(),
        ds.admins,
        a.seed,
        generation.as_secs_f64()
    );

    // Safeground: in-process, the product's own overlay and area.
    let rss_data = memory::status_kib("self", "VmRSS");
    let peak_reset = memory::reset_peak();
    let t = Instant::now();
    let drawn = overlay::hazard_areas(&ds);
    let area_only = t.elapsed();
    overlay::remaining_per_hazard(&ds, threads)?; // warm-up
    let mut thread_counts = vec![1];
    if threads > 1 {
        thread_counts.push(threads);
    }
    let mut rust_runs = Vec::new();
    let mut rust_per_admin = Vec::new();
    for &n in &thread_counts {
        let mut times = Vec::with_capacity(a.runs);
        for _ in 0..a.runs {
            let t = Instant::now();
            let per_hazard = overlay::remaining_per_hazard(&ds, n)?;
            rust_per_admin = overlay::per_admin(&ds, &per_hazard);
            times.push(t.elapsed());
        }
        println!(
            "safeground {n} thread(s): runs {:?}",
            times.iter().map(|d| d.as_secs_f64()).collect::<Vec<_>>()
        );
        rust_runs.push((n, times));
    }
    let rust_hwm = memory::status_kib("self", "VmHWM");

    // PostGIS: same polygons, loaded once (not timed), then the query.
    let loaded = postgis::load(&a.postgres, &ds)?;
    if loaded.vertices != (hv as i64, rv as i64) {
        bail!(
            "PostGIS counts {:?} vertices, the generator {:?}",
            loaded.vertices,
            (hv, rv)
        );
    }
    println!(
        "PostGIS: loaded in {:.1} s (not timed), vertex totals match",
        loaded.elapsed.as_secs_f64()
    );
    let mut pg_runs = Vec::new();
    for parallel in [Some(0), None] {
        let m = postgis::measure(
            &a.postgres,
            ds.admins,
            a.runs,
            a.statement_timeout_s,
            parallel,
        )?;
        println!(
            "PostGIS max_parallel_workers_per_gather={}: runs {:?}",
            m.parallel_setting,
            m.runs.iter().map(|d| d.as_secs_f64()).collect::<Vec<_>>()
        );
        pg_runs.push(m);
    }
    let Some(pg) = pg_runs.first() else {
        bail!("no PostGIS measurement");
    };

    // Agreement per admin area, against every PostGIS plan's result.
    let mut worst = (0.0f64, 0usize);
    for m in &pg_runs {
        for (i, (r, p)) in rust_per_admin.iter().zip(&m.per_admin).enumerate() {
            let rel = (r - p).abs() / p.abs().max(1.0);
            if rel >= worst.0 {
                worst = (rel, i);
            }
        }
    }
    let (rs, ps): (f64, f64) = (rust_per_admin.iter().sum(), pg.per_admin.iter().sum());
    let drawn_km2 = drawn.iter().sum::<f64>() / 1e6;

    // Report.
    let label = format!(
        "{}k hazards / {}k released",
        ds.hazards.len() / 1000,
        ds.release_count() / 1000
    );
    let mem_note = if peak_reset {
        ""
    } else {
        " (peak not reset: includes generation)"
    };
    println!(
        "\n{}; Safeground: rustc release build; {}",
        pg.versions, label
    );
    println!();
    println!("| data | engine | threads | p50 | p99 | hazards/s (p50) | peak memory |");
    println!("|---|---|---|---|---|---|---|");
    for (n, times) in &rust_runs {
        let p50 = percentile(times, 0.5);
        println!(
            "| {label} | Safeground `safeground_geo::remaining` | {n} | {:.3} s | {:.3} s | {:.0} | {} process VmHWM{mem_note} ({} resident with the data set before) |",
            p50.as_secs_f64(),
            percentile(times, 0.99).as_secs_f64(),
            ds.hazards.len() as f64 / p50.as_secs_f64(),
            mib(rust_hwm),
            mib(rss_data),
        );
    }
    for m in &pg_runs {
        let p50 = percentile(&m.runs, 0.5);
        println!(
            "| {label} | PostGIS `ST_Difference(h, ST_Union(r))`, `ST_Area(geography)` | max_parallel_workers_per_gather={} (workers planned: {}) | {:.3} s | {:.3} s | {:.0} | leader backend VmHWM {} (RssAnon {}) |",
            m.parallel_setting,
            m.workers_planned,
            p50.as_secs_f64(),
            percentile(&m.runs, 0.99).as_secs_f64(),
            ds.hazards.len() as f64 / p50.as_secs_f64(),
            mib(m.backend_hwm_kib),
            mib(m.backend_anon_kib),
        );
    }
    for m in &pg_runs {
        let ratios: Vec<String> = rust_runs
            .iter()
            .map(|(n, times)| {
                let r =
                    percentile(&m.runs, 0.5).as_secs_f64() / percentile(times, 0.5).as_secs_f64();
                format!("{r:.1}× at {n} thread(s)")
            })
            .collect();
        println!(
            "ratio PostGIS (max_parallel_workers_per_gather={}) p50 / Safeground p50: {} (target ≥ 5×)",
            m.parallel_setting,
            ratios.join(", ")
        );
    }
    println!(
        "agreement: Σ remaining Safeground {:.3} km², PostGIS {:.3} km² (hazards drawn {drawn_km2:.3} km²); \
         worst admin area {} relative difference {:.2e} ({:.3} vs {:.3} m²), tolerance {:.0e}",
        rs / 1e6,
        ps / 1e6,
        worst.1 + 1,
        worst.0,
        rust_per_admin.get(worst.1).copied().unwrap_or_default(),
        pg.per_admin.get(worst.1).copied().unwrap_or_default(),
        a.tolerance,
    );
    println!(
        "breakdown (1 thread): generation {:.2} s; geodesic area of the drawn hazards alone {:.3} s; \
         remaining (sanitise + overlay + area of the result) p50 {:.3} s; PostGIS load {:.1} s (untimed)",
        generation.as_secs_f64(),
        area_only.as_secs_f64(),
        rust_runs
            .first()
            .map_or(0.0, |(_, t)| percentile(t, 0.5).as_secs_f64()),
        loaded.elapsed.as_secs_f64(),
    );
    if worst.0 > a.tolerance {
        bail!(
            "admin area {} differs by {:.2e} relative, above the tolerance {:.0e}",
            worst.1 + 1,
            worst.0,
            a.tolerance
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let t: Vec<Duration> = [5, 1, 4, 2, 3].map(Duration::from_secs).to_vec();
        assert_eq!(percentile(&t, 0.5), Duration::from_secs(3));
        assert_eq!(percentile(&t, 0.99), Duration::from_secs(5));
        assert_eq!(percentile(&t[..1], 0.5), Duration::from_secs(5));
    }
}
