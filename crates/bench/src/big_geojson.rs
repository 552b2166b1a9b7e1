//! `safeground-bench big-geojson`: the import's memory against the size of a GeoJSON file
//! (issue 22). One generated FeatureCollection of hazards (about 4 kB each, so 250,000 make a
//! gigabyte), imported into a fresh SQLite store by `safeground import` under `/usr/bin/time`
//! (peak RSS), and written into SQLite by `ogr2ogr` from the same file for reference.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::generate::{self, Hazard};
use crate::geojson::{properties, write_coordinates};
use crate::process::{self, Timed};
use crate::{mib, national};

#[derive(clap::Args)]
pub struct BigGeoJsonArgs {
    /// Number of hazard polygons (5–200 vertices each).
    #[arg(long, default_value_t = 250_000)]
    hazards: usize,
    /// Generator seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The `safeground` binary (default: beside this one, i.e. the same build).
    #[arg(long)]
    safeground: Option<PathBuf>,
    /// Where the GeoJSON file and the SQLite files go (kept for inspection; a GeoJSON file of
    /// the same name and size from an earlier run is reused).
    #[arg(long, default_value = "/tmp/sg-big-geojson")]
    work_dir: PathBuf,
    /// Also write the file into SQLite with `ogr2ogr` (the reference).
    #[arg(long)]
    ogr2ogr: bool,
}

/// Writes `hazards` as one GeoJSON FeatureCollection, members in the order `ogr2ogr` writes
/// them (`type`, `name`, then `features`), each hazard with a date first recorded so that
/// the import's twin index holds its polygons.
pub fn write_collection(path: &Path, hazards: &[Hazard]) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    w.write_all(b"{\"type\":\"FeatureCollection\",\"name\":\"hazards\",\"features\":[\n")?;
    for (i, h) in hazards.iter().enumerate() {
        if i > 0 {
            w.write_all(b",\n")?;
        }
        let props = properties(h);
        let props = props.strip_suffix('}').unwrap_or(&props);
        write!(
            w,
            r#"{{"type":"Feature","properties":{props},"first_recorded":"2023-{:02}-{:02}"}},"geometry":{{"type":"MultiPolygon","coordinates":"#,
            1 + h.id % 12,
            1 + h.id % 28
        )?;
        write_coordinates(&mut w, &h.geometry)?;
        w.write_all(b"}}")?;
    }
    w.write_all(b"\n]}\n")?;
    w.flush()?;
    Ok(())
}

/// The rows of `table` in the SQLite file `db`, by the `sqlite3` shell.
fn count(db: &Path, table: &str) -> Result<u64> {
    let out = Command::new("sqlite3")
        .arg(db)
        .arg(format!("SELECT count(*) FROM {table}"))
        .output()
        .context("cannot run sqlite3")?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .parse()
        .with_context(|| format!("sqlite3 counted `{text}` in {table}"))
}

fn row(what: &str, t: &Timed, n: usize, reference: Option<&Timed>) {
    let ratio = reference.map_or(String::new(), |r| {
        format!(
            " | {:.2}",
            r.wall.as_secs_f64() / t.wall.as_secs_f64().max(1e-9)
        )
    });
    println!(
        "| {what} | {:.1} s | {:.1} s | {} | {:.0}{ratio} |",
        t.wall.as_secs_f64(),
        t.cpu_s,
        mib(Some(t.max_rss_kib)),
        n as f64 / t.wall.as_secs_f64().max(1e-9)
    );
}

/// Runs the measurement.
pub fn run(a: &BigGeoJsonArgs) -> Result<()> {
    let safeground = national::safeground_at(a.safeground.as_deref())?;
    std::fs::create_dir_all(&a.work_dir)?;
    let work = a.work_dir.canonicalize()?;
    let file = work.join(format!("hazards-{}-{}.geojson", a.hazards, a.seed));
    if !file.is_file() {
        let ds = generate::generate(a.hazards, 0, a.seed);
        write_collection(&file, &ds.hazards)?;
    }
    let size = std::fs::metadata(&file)?.len();
    println!(
        "data: {} hazards, seed {}, {} ({:.2} GB)",
        a.hazards,
        a.seed,
        file.display(),
        size as f64 / 1e9
    );
    let sqlite = work.join("store.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", sqlite.display()));
    }
    let sg = |args: &[&str]| {
        let mut c = Command::new(&safeground);
        c.args(args).env("RUST_LOG", "warn");
        c
    };
    let (db, src) = (sqlite.to_string_lossy(), file.to_string_lossy());
    process::timed(&mut sg(&["init", &db]), "safeground init")?;
    let ours = process::timed(
        &mut sg(&["import", &db, &src, "--approve-as-migration"]),
        "safeground import",
    )?;
    let got = count(&sqlite, "hazard_current")?;
    if got != a.hazards as u64 {
        bail!("safeground imported {got} hazards, expected {}", a.hazards);
    }
    let reference = if a.ogr2ogr {
        let out = work.join("ogr2ogr.sqlite");
        let _ = std::fs::remove_file(&out);
        let t = process::timed(
            Command::new("ogr2ogr")
                .args(["-f", "SQLite"])
                .arg(&out)
                .arg(&file)
                .args(["-nln", "hazards"]),
            "ogr2ogr GeoJSON → SQLite",
        )?;
        let got = count(&out, "hazards")?;
        if got != a.hazards as u64 {
            bail!("ogr2ogr wrote {got} hazards, expected {}", a.hazards);
        }
        Some(t)
    } else {
        None
    };
    println!(
        "\n| import of the {:.2} GB FeatureCollection | wall | CPU | peak RSS | features/s | ogr2ogr wall / this wall |",
        size as f64 / 1e9
    );
    println!("|---|---|---|---|---|---|");
    if let Some(r) = &reference {
        row("`ogr2ogr -f SQLite`", r, a.hazards, Some(r));
    }
    row(
        "`safeground import --approve-as-migration` → SQLite",
        &ours,
        a.hazards,
        reference.as_ref(),
    );
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_collection_is_geojson_with_dated_hazards() {
        let ds = generate::generate(3, 0, 5);
        let path = std::env::temp_dir().join(format!("sg-bench-fc-{}.geojson", std::process::id()));
        write_collection(&path, &ds.hazards).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        let features = v["features"].as_array().unwrap();
        assert_eq!(features.len(), 3);
        for (f, h) in features.iter().zip(&ds.hazards) {
            assert_eq!(f["properties"]["local_id"], format!("HZ-{:06}", h.id));
            assert!(f["properties"]["first_recorded"].is_string());
            let ring = f["geometry"]["coordinates"][0][0].as_array().unwrap();
            assert_eq!(ring.len(), h.geometry.0[0].exterior().0.len());
        }
    }
}
