//! Coverage of one million fixes: `cargo run --release -p safeground-coverage --example bench`.
//!
//! A synthetic machine log over a 1000 m × 500 m task (0.5 km²): boustrophedon lanes 1.45 m
//! apart for a 1.5 m tool, fixes every 0.5–1 m (1 Hz), GNSS noise σ = 2 cm, U-turns 3 m
//! outside the task (every third one disengaged), and a few bad fixes (at 0,0, jumps of
//! 50 m, poor accuracy, repeated times). One sweep of the task is ~470k fixes, so the log
//! holds further sweeps with lanes offset by half a lane (later working days) to reach
//! 1,000,000 fixes. Prints the time of each stage, the peak RSS and the figures. With
//! `BENCH_WKT=file` it also writes the task and the engaged lines as WKT (for PostGIS).

use std::fmt::Write as _;
use std::time::Instant;

use geo_types::{LineString, Polygon};
use safeground_coverage::{CleanOptions, TrackFormat, clean, coverage, engaged_lines, read_track};

const N: usize = 1_000_000;
const LON0: f64 = 105.0;
const LAT0: f64 = 12.0;
const TASK_W: f64 = 1000.0;
const TASK_H: f64 = 500.0;
const LANE: f64 = 1.45;
const WIDTH: f64 = 1.5;

/// SplitMix64: a small reproducible generator (no dependency).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn gauss(&mut self) -> f64 {
        let (u, v) = (self.next().max(1e-300), self.next());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

fn to_lonlat(x: f64, y: f64) -> (f64, f64) {
    let m_per_deg_lat = 110_574.0;
    let m_per_deg_lon = 111_320.0 * LAT0.to_radians().cos();
    (LON0 + x / m_per_deg_lon, LAT0 + y / m_per_deg_lat)
}

/// The machine's path: points (x, y, engaged) with 0.5–1 m steps.
/// Also returns where each later sweep starts (an hour after the last).
fn path(rng: &mut Rng) -> (Vec<(f64, f64, bool)>, Vec<usize>) {
    let mut pts = Vec::with_capacity(N);
    let mut sweep = 0;
    let mut starts = Vec::new();
    'outer: loop {
        let offset = if sweep == 0 { LANE / 2.0 } else { LANE };
        let mut lane = 0usize;
        loop {
            let y = offset + lane as f64 * LANE;
            if y > TASK_H - LANE / 2.0 {
                break;
            }
            let east = lane.is_multiple_of(2);
            let (x0, x1) = if east {
                (-3.0, TASK_W + 3.0)
            } else {
                (TASK_W + 3.0, -3.0)
            };
            let len = (x1 - x0).abs();
            let mut s = 0.0;
            while s < len {
                let x = if east { x0 + s } else { x0 - s };
                pts.push((x, y, true));
                if pts.len() >= N {
                    break 'outer;
                }
                s += 0.5 + 0.5 * rng.next();
            }
            // U-turn: a half circle of radius LANE/2 beyond the lane's end.
            let engaged = lane % 3 != 2;
            let cx = x1;
            let cy = y + LANE / 2.0;
            let r = LANE / 2.0;
            for k in 1..4 {
                let a = std::f64::consts::PI * k as f64 / 4.0;
                let dx = r * a.sin();
                let x = if east { cx + dx } else { cx - dx };
                pts.push((x, cy - r * a.cos(), engaged));
            }
            lane += 1;
        }
        sweep += 1;
        starts.push(pts.len());
    }
    pts.truncate(N);
    (pts, starts)
}

fn csv_log(pts: &[(f64, f64, bool)], starts: &[usize], rng: &mut Rng) -> String {
    let mut out = String::with_capacity(pts.len() * 48);
    out.push_str("time,lat,lon,engaged,accuracy\n");
    let t0 = 1_700_000_000.0;
    for (i, &(x, y, engaged)) in pts.iter().enumerate() {
        let (mut lon, mut lat) = to_lonlat(x + 0.02 * rng.gauss(), y + 0.02 * rng.gauss());
        let mut acc = 0.02;
        let sweep = starts.iter().filter(|&&s| s <= i).count();
        let mut t = t0 + i as f64 + 3600.0 * sweep as f64;
        match i % 5000 {
            1 => (lon, lat) = (0.0, 0.0),
            1001 => lat += 50.0 / 110_574.0,
            2001 => acc = 9.0,
            3001 => t -= 1.0,
            4001 => t -= 3.0,
            _ => {}
        }
        let _ = writeln!(out, "{t:.1},{lat:.9},{lon:.9},{},{acc}", u8::from(engaged));
    }
    out
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = Rng(28);
    let (pts, starts) = path(&mut rng);
    let log = csv_log(&pts, &starts, &mut rng);
    drop(pts);
    let corners: Vec<(f64, f64)> = [
        (0.0, 0.0),
        (TASK_W, 0.0),
        (TASK_W, TASK_H),
        (0.0, TASK_H),
        (0.0, 0.0),
    ]
    .iter()
    .map(|&(x, y)| to_lonlat(x, y))
    .collect();
    let task = Polygon::new(LineString::from(corners), vec![]);
    println!("log: {} fixes, {:.1} MB of CSV", N, log.len() as f64 / 1e6);

    let t = Instant::now();
    let raw = read_track(log.as_bytes(), Some(TrackFormat::Csv))?;
    let read_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let cleaned = clean(raw.fixes, &CleanOptions::default());
    let clean_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let c = coverage(&cleaned.fixes, WIDTH, &task)?;
    let coverage_s = t.elapsed().as_secs_f64();

    println!(
        "read (CSV parse) {read_s:.3} s, unreadable {}",
        raw.unreadable.len()
    );
    println!(
        "clean            {clean_s:.3} s, dropped {:?}",
        cleaned.dropped
    );
    println!("coverage         {coverage_s:.3} s");
    println!("total            {:.3} s", read_s + clean_s + coverage_s);
    println!("peak RSS         {:.0} MB", peak_rss_mb());
    println!(
        "task {:.2} m², processed {:.2} m² ({:.3} %), outside {:.2} m², overlap {:.2} m², gaps {:.2} m² in {} polygons",
        c.task_m2,
        c.processed_m2,
        c.coverage_pct,
        c.processed_outside_m2,
        c.overlap_m2,
        c.gap_m2,
        c.gaps.0.len()
    );
    println!(
        "engaged {:.1} km, {} passes, {} fixes used; vertices: processed {}, overlaps {}",
        c.engaged_length_m / 1000.0,
        c.passes,
        c.fixes_used,
        c.processed
            .0
            .iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|h| h.0.len()).sum::<usize>())
            .sum::<usize>(),
        c.overlaps
            .0
            .iter()
            .map(|p| p.exterior().0.len())
            .sum::<usize>(),
    );
    if let Ok(path) = std::env::var("BENCH_WKT") {
        // For a comparison with PostGIS: the engaged lines (unsimplified) and the task as
        // WKT, one a line, task first.
        let mut out = String::new();
        let ring: Vec<String> = task
            .exterior()
            .0
            .iter()
            .map(|c| format!("{} {}", c.x, c.y))
            .collect();
        let _ = writeln!(out, "POLYGON(({}))", ring.join(","));
        for l in engaged_lines(&cleaned.fixes, 0.0).0 {
            let pts: Vec<String> = l.0.iter().map(|c| format!("{} {}", c.x, c.y)).collect();
            let _ = writeln!(out, "LINESTRING({})", pts.join(","));
        }
        std::fs::write(&path, out)?;
        println!("wrote {path}");
    }
    Ok(())
}
