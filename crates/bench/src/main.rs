//! `safeground-bench`: Safeground against PostGIS, martin and `ogr2ogr` on a synthetic national
//! data set (issue 7, `../shared/PERFORMANCE.md` §4). Not run by `cargo test`; see
//! `docs/benchmarks.md`.

mod big_geojson;
mod eo;
mod federation;
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
    /// Peak memory of `safeground import` on one large GeoJSON FeatureCollection (issue 22),
    /// against `ogr2ogr` into SQLite.
    BigGeojson(big_geojson::BigGeoJsonArgs),
    /// A node's whole outbox exported as one bundle and imported into a SQLite and a
    /// PostgreSQL hub (issue 24), against `pg_dump | psql` of the same rows.
    Federation(federation::FederationArgs),
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

/// The median of `slow[i] / fast[i]` over the rounds both were timed in.
fn paired_ratio(slow: &[Duration], fast: &[Duration]) -> f64 {
    let mut r: Vec<f64> = slow
        .iter()
        .zip(fast)
        .map(|(s, f)| s.as_secs_f64() / f.as_secs_f64())
        .collect();
    r.sort_by(f64::total_cmp);
    match r.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => r[n / 2],
        n => (r[n / 2 - 1] + r[n / 2]) / 2.0,
    }
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0))
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::W2(args) => w2(&args),
        Command::National(args) => national::run(&args),
        Command::BigGeojson(args) => big_geojson::run(&args),
        Command::Federation(args) => federation::run(&args),
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

    // PostGIS: same polygons, loaded once (not timed), one prepared and warmed-up backend per
    // plan setting.
    let rss_data = memory::status_kib("self", "VmRSS");
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
    let mut pg_runs = [Some(0), None]
        .into_iter()
        .map(|parallel| {
            postgis::Session::open(&a.postgres, ds.admins, a.statement_timeout_s, parallel)
        })
        .collect::<Result<Vec<_>>>()?;

    // Safeground: in-process, the product's own remaining-area computation.
    let t = Instant::now();
    let drawn = overlay::hazard_areas(&ds);
    let area_only = t.elapsed();
    overlay::remaining_per_hazard(&ds, threads)?; // warm-up
    let peak_reset = memory::reset_peak();
    let mut rust_runs: Vec<(usize, Vec<Duration>)> = vec![(1, Vec::new())];
    if threads > 1 {
        rust_runs.push((threads, Vec::new()));
    }
    let mut rust_per_admin = Vec::new();

    // Interleaved rounds: every engine once per round, so that both sides meet the same load
    // from whatever else shares the machine, and ratios can be taken round by round.
    for _ in 0..a.runs {
        for ((n, times), pg) in rust_runs.iter_mut().zip(pg_runs.iter_mut()) {
            let t = Instant::now();
            let per_hazard = overlay::remaining_per_hazard(&ds, *n)?;
            rust_per_admin = overlay::per_admin(&ds, &per_hazard);
            times.push(t.elapsed());
            pg.run()?;
        }
        for pg in pg_runs.iter_mut().skip(rust_runs.len()) {
            pg.run()?;
        }
    }
    let rust_hwm = memory::status_kib("self", "VmHWM");
    for (n, times) in &rust_runs {
        println!(
            "safeground {n} thread(s): runs {:?}",
            times.iter().map(|d| d.as_secs_f64()).collect::<Vec<_>>()
        );
    }
    for m in &pg_runs {
        println!(
            "PostGIS max_parallel_workers_per_gather={}: runs {:?}",
            m.parallel_setting,
            m.runs.iter().map(|d| d.as_secs_f64()).collect::<Vec<_>>()
        );
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
            "| {label} | Safeground `safeground_geo::remaining_area` | {n} | {:.3} s | {:.3} s | {:.0} | {} process VmHWM{mem_note} ({} resident with the data set before) |",
            p50.as_secs_f64(),
            percentile(times, 0.99).as_secs_f64(),
            ds.hazards.len() as f64 / p50.as_secs_f64(),
            mib(rust_hwm),
            mib(rss_data),
        );
    }
    for m in &pg_runs {
        let p50 = percentile(&m.runs, 0.5);
        let (hwm, anon) = m.memory_kib();
        println!(
            "| {label} | PostGIS `ST_Difference(h, ST_Union(r))`, `ST_Area(geography)` | max_parallel_workers_per_gather={} (workers planned: {}) | {:.3} s | {:.3} s | {:.0} | leader backend VmHWM {} (RssAnon {}) |",
            m.parallel_setting,
            m.workers_planned,
            p50.as_secs_f64(),
            percentile(&m.runs, 0.99).as_secs_f64(),
            ds.hazards.len() as f64 / p50.as_secs_f64(),
            mib(hwm),
            mib(anon),
        );
    }
    for m in &pg_runs {
        let ratios: Vec<String> = rust_runs
            .iter()
            .map(|(n, times)| {
                let of_p50 =
                    percentile(&m.runs, 0.5).as_secs_f64() / percentile(times, 0.5).as_secs_f64();
                format!(
                    "{:.1}× at {n} thread(s) (ratio of p50s {of_p50:.1}×)",
                    paired_ratio(&m.runs, times)
                )
            })
            .collect();
        println!(
            "ratio PostGIS (max_parallel_workers_per_gather={}) / Safeground, median of the \
             per-round ratios: {} (target ≥ 5×)",
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
         remaining_area (sanitise + boundary walk + area) p50 {:.3} s; PostGIS load {:.1} s (untimed)",
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

    #[test]
    fn paired_ratios_take_the_median_round() {
        let secs = |v: &[f64]| {
            v.iter()
                .map(|&s| Duration::from_secs_f64(s))
                .collect::<Vec<_>>()
        };
        // Rounds where both sides were slowed together keep their ratio.
        let pg = secs(&[5.0, 10.0, 4.0]);
        let ours = secs(&[1.0, 2.0, 2.0]);
        assert!((paired_ratio(&pg, &ours) - 5.0).abs() < 1e-12);
        let even = paired_ratio(&secs(&[6.0, 4.0]), &secs(&[1.0, 1.0]));
        assert!((even - 5.0).abs() < 1e-12);
        assert!(paired_ratio(&[], &[]).is_nan());
    }
}
