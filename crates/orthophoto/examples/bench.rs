//! Tile rendering benchmark: a synthetic 8000 x 8000 RGB orthophoto (UTM 48N, 5 cm pixels) is
//! written (with overviews), then every tile of zooms 14..=21 covering it is rendered on 1 thread and on
//! N threads, and `gdal2tiles.py --xyz -r bilinear` renders the same zooms (1 and 2 processes).
//!
//! Run: `cargo run --release -p safeground-orthophoto --example bench [size] [threads]`

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use safeground_orthophoto::{Orthophoto, write_geotiff_with};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// A field-like texture: value noise in patches, furrows, a track and scattered bushes.
fn texture(x: u32, y: u32) -> [u8; 3] {
    let hash = |a: u32, b: u32| {
        let mut h = a.wrapping_mul(0x9E37_79B1) ^ b.wrapping_mul(0x85EB_CA77);
        h ^= h >> 15;
        h = h.wrapping_mul(0x2C1B_3C6D);
        (h ^ (h >> 12)) & 0xff
    };
    let patch = hash(x / 400, y / 400);
    let furrow = if (x + y / 3) % 24 < 3 { 25 } else { 0 };
    let grain = hash(x, y) % 18;
    let bush = hash(x / 40, y / 40) > 245 && (x % 40).abs_diff(20) + (y % 40).abs_diff(20) < 14;
    let track = (x as i64 - 3000 - i64::from(y) / 4).unsigned_abs() < 30;
    if track {
        let v = 150 + grain as u8;
        return [v, v - 10, v - 25];
    }
    if bush {
        return [40 + grain as u8, 80 + grain as u8, 30];
    }
    let base = 90 + (patch % 50) as u8;
    [
        base + grain as u8 - furrow,
        base + 20 + grain as u8 - furrow,
        base - 30 + (grain / 2) as u8,
    ]
}

fn tiles_for(o: &Orthophoto, zooms: std::ops::RangeInclusive<u8>) -> Vec<(u8, u32, u32)> {
    let b = o.info().bbox;
    let mut out = Vec::new();
    for z in zooms {
        let n = f64::from(1u32 << z);
        let tx = |lon: f64| ((lon + 180.0) / 360.0 * n) as u32;
        let ty = |lat: f64| {
            ((1.0 - lat.to_radians().tan().asinh() / std::f64::consts::PI) / 2.0 * n) as u32
        };
        for y in ty(b[3])..=ty(b[1]) {
            for x in tx(b[0])..=tx(b[2]) {
                out.push((z, x, y));
            }
        }
    }
    out
}

fn render(o: &Orthophoto, tiles: &[(u8, u32, u32)], threads: usize) -> (f64, usize, usize) {
    let next = AtomicUsize::new(0);
    let written = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(z, x, y)) = tiles.get(i) else {
                        break;
                    };
                    match o.tile(z, x, y) {
                        Ok(Some(png)) => {
                            written.fetch_add(1, Ordering::Relaxed);
                            bytes.fetch_add(png.len(), Ordering::Relaxed);
                        }
                        Ok(None) => {}
                        Err(e) => panic!("tile {z}/{x}/{y}: {e}"),
                    }
                }
            });
        }
    });
    (
        start.elapsed().as_secs_f64(),
        written.into_inner(),
        bytes.into_inner(),
    )
}

fn gdal2tiles(file: &Path, zooms: &str, processes: u32, out: &Path) -> Option<(f64, usize)> {
    let start = Instant::now();
    let status = Command::new("gdal2tiles.py")
        .args(["--xyz", "-q", "-z", zooms, "-r", "bilinear", "-w", "none"])
        .arg(format!("--processes={processes}"))
        .arg(file)
        .arg(out)
        .status()
        .ok()?;
    let secs = start.elapsed().as_secs_f64();
    if !status.success() {
        return None;
    }
    let mut count = 0;
    let mut stack = vec![out.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).ok()?.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "png") {
                count += 1;
            }
        }
    }
    Some((secs, count))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let size: u32 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(8000);
    let threads: usize = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from));
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ortho.tif");
    // UTM 48N near Phnom Penh, 5 cm pixels.
    let gt = [488_000.0, 0.05, 0.0, 1_277_800.0, 0.0, -0.05];
    let t = Instant::now();
    write_geotiff_with(&path, size, size, 32648, gt, |x0, y0, w, _h, buf| {
        for (j, row) in buf.chunks_exact_mut(w as usize * 3).enumerate() {
            for (i, px) in row.chunks_exact_mut(3).enumerate() {
                px.copy_from_slice(&texture(x0 + i as u32, y0 + j as u32));
            }
        }
    })?;
    let file_mb = std::fs::metadata(&path)?.len() as f64 / 1e6;
    let written = t.elapsed().as_secs_f64();
    let o = Orthophoto::open(&path)?;
    let info = o.info().clone();
    println!(
        "wrote {size}x{size} RGB GeoTIFF (tiled 256, deflate, {} overviews): {file_mb:.1} MB in {written:.1} s",
        info.overviews
    );
    let top = info.maxzoom.min(21);
    let low = info.minzoom.max(14);
    let zooms = low..=top;
    let tiles = tiles_for(&o, zooms.clone());
    println!(
        "zooms {}..={} ({} tile addresses), resolution {:.3} m, minzoom {}, maxzoom {}",
        low,
        top,
        tiles.len(),
        info.resolution_m,
        info.minzoom,
        info.maxzoom
    );
    let (s1, n1, b1) = render(&o, &tiles, 1);
    println!(
        "safeground 1 thread:  {n1} tiles in {s1:.2} s = {:.1} tiles/s ({:.1} KB/tile)",
        n1 as f64 / s1,
        b1 as f64 / n1.max(1) as f64 / 1e3
    );
    // A fresh reader so the chunk cache starts cold again.
    drop(o);
    let o = Orthophoto::open(&path)?;
    let (sn, nn, _) = render(&o, &tiles, threads);
    println!(
        "safeground {threads} threads: {nn} tiles in {sn:.2} s = {:.1} tiles/s",
        nn as f64 / sn
    );
    println!("peak RSS {:.1} MB", peak_rss_mb());
    let range = format!("{low}-{top}");
    for processes in [1, 2] {
        let out = dir.path().join(format!("gdal{processes}"));
        match gdal2tiles(&path, &range, processes, &out) {
            Some((secs, count)) => {
                let ours = if processes == 1 { s1 } else { sn };
                let ours_n = if processes == 1 { n1 } else { nn };
                println!(
                    "gdal2tiles --processes={processes}: {count} tiles in {secs:.2} s = {:.1} tiles/s; \
                     safeground ({} thread(s)) is {:.1}x faster",
                    count as f64 / secs,
                    if processes == 1 { 1 } else { threads },
                    (ours_n as f64 / ours) / (count as f64 / secs)
                );
            }
            None => println!("gdal2tiles.py not available or failed; skipped"),
        }
        let _ = std::fs::remove_dir_all(&out);
    }
    Ok(())
}
