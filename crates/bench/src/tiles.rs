//! W1: the same tile requests against two tile servers, one zoom at a time, over a fixed number
//! of keep-alive connections; latency per tile, throughput, bytes and features per tile, and
//! the CPU the server and PostgreSQL spent.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::generate::Hazard;
use crate::http::Connection;
use crate::{mvt, percentile, process};

/// The XYZ tile holding (`lon`, `lat`) at zoom `z` (Web Mercator).
pub fn tile_of(lon: f64, lat: f64, z: u8) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor();
    let lat = lat.to_radians();
    let y = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor();
    (x.clamp(0.0, n - 1.0) as u32, y.clamp(0.0, n - 1.0) as u32)
}

/// `count` tiles at zoom `z`, each the tile holding a vertex of a hazard drawn at random (so
/// tiles follow the data, as a map user's do), from `seed`.
pub fn tile_list(hazards: &[Hazard], z: u8, count: usize, seed: u64) -> Vec<(u32, u32)> {
    let mut rng = SmallRng::seed_from_u64(seed ^ u64::from(z));
    (0..count)
        .filter_map(|_| {
            let h = hazards.get(rng.random_range(0..hazards.len().max(1)))?;
            let c = h.geometry.0.first()?.exterior().0.first()?;
            Some(tile_of(c.x, c.y, z))
        })
        .collect()
}

/// One tile's answer.
#[derive(Debug, Clone, Copy)]
pub struct Answer {
    pub latency: Duration,
    pub bytes: usize,
    pub features: usize,
}

/// One server's run over one zoom.
pub struct Run {
    /// Answers by position in the tile list (`None`: not requested before the time was up).
    pub answers: Vec<Option<Answer>>,
    pub wall: Duration,
    /// CPU seconds of the server process and of PostgreSQL during the run.
    pub server_cpu_s: f64,
    pub postgres_cpu_s: f64,
}

impl Run {
    fn done(&self) -> Vec<Answer> {
        self.answers.iter().flatten().copied().collect()
    }

    /// Tiles answered.
    pub fn count(&self) -> usize {
        self.answers.iter().flatten().count()
    }

    /// Tiles per second.
    pub fn rate(&self) -> f64 {
        self.count() as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    /// Nearest-rank latency percentile, ms.
    pub fn latency_ms(&self, q: f64) -> f64 {
        let l: Vec<Duration> = self.done().iter().map(|a| a.latency).collect();
        percentile(&l, q).as_secs_f64() * 1e3
    }

    /// Mean tile size, bytes.
    pub fn mean_bytes(&self) -> f64 {
        let d = self.done();
        d.iter().map(|a| a.bytes).sum::<usize>() as f64 / d.len().max(1) as f64
    }

    /// Mean features per tile.
    pub fn mean_features(&self) -> f64 {
        let d = self.done();
        d.iter().map(|a| a.features).sum::<usize>() as f64 / d.len().max(1) as f64
    }

    /// Server + PostgreSQL CPU seconds per 1,000 tiles.
    pub fn cpu_per_1000(&self) -> f64 {
        (self.server_cpu_s + self.postgres_cpu_s) * 1000.0 / self.count().max(1) as f64
    }
}

/// Requests `tiles` (in order, shared by `connections` workers) as `path(z, x, y)` from the
/// server at `addr` (process `pid`), until all are answered or `budget` is spent.
pub fn run(
    addr: SocketAddr,
    pid: &str,
    path: &(dyn Fn(u8, u32, u32) -> String + Sync),
    z: u8,
    tiles: &[(u32, u32)],
    connections: usize,
    budget: Duration,
) -> Result<Run> {
    let next = AtomicUsize::new(0);
    let answers = Mutex::new(vec![None; tiles.len()]);
    let (cpu0, pg0) = (
        process::cpu_seconds(pid).unwrap_or(0.0),
        process::postgres_cpu_seconds(),
    );
    let start = Instant::now();
    std::thread::scope(|s| -> Result<()> {
        let workers: Vec<_> = (0..connections.max(1))
            .map(|_| {
                s.spawn(|| -> Result<()> {
                    let mut conn = Connection::open(addr)?;
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&(x, y)) = tiles.get(i) else {
                            return Ok(());
                        };
                        if start.elapsed() > budget {
                            return Ok(());
                        }
                        let t = Instant::now();
                        let r = conn.get(&path(z, x, y))?;
                        let latency = t.elapsed();
                        if r.status != 200 && r.status != 204 {
                            bail!(
                                "tile {z}/{x}/{y} answered {}: {}",
                                r.status,
                                String::from_utf8_lossy(&r.body)
                            );
                        }
                        let features = mvt::feature_count(&r.body)?;
                        let a = Answer {
                            latency,
                            bytes: r.body.len(),
                            features,
                        };
                        if let Ok(mut v) = answers.lock() {
                            v[i] = Some(a);
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            w.join()
                .map_err(|_| anyhow::anyhow!("a client thread panicked"))??;
        }
        Ok(())
    })?;
    let wall = start.elapsed();
    Ok(Run {
        answers: answers.into_inner().unwrap_or_default(),
        wall,
        server_cpu_s: process::cpu_seconds(pid).unwrap_or(0.0) - cpu0,
        postgres_cpu_s: process::postgres_cpu_seconds() - pg0,
    })
}

/// Over the tiles both runs answered: (tiles compared, tiles with the same feature count,
/// Σ features of `a`, Σ features of `b`).
pub fn compare(a: &Run, b: &Run) -> (usize, usize, usize, usize) {
    let mut out = (0, 0, 0, 0);
    for (x, y) in a.answers.iter().zip(&b.answers) {
        if let (Some(x), Some(y)) = (x, y) {
            out.0 += 1;
            out.1 += usize::from(x.features == y.features);
            out.2 += x.features;
            out.3 += y.features;
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tile_of_known_places() {
        // Phnom Penh (104.92 E, 11.56 N): z10 tile 810/478, z14 12967/7662 (the OSM wiki's
        // slippy-map formula, x = ⌊(λ+180)/360·2^z⌋, y = ⌊(1 − asinh(tan φ)/π)/2·2^z⌋, in Python).
        assert_eq!(tile_of(104.92, 11.56, 10), (810, 478));
        assert_eq!(tile_of(104.92, 11.56, 14), (12967, 7662));
        assert_eq!(tile_of(0.0, 0.0, 1), (1, 1));
        assert_eq!(tile_of(-180.0, 85.0, 3), (0, 0));
        assert_eq!(tile_of(179.999, -85.0, 3), (7, 7));
    }

    #[test]
    fn tile_lists_are_reproducible_and_follow_the_data() {
        let ds = crate::generate::generate(50, 0, 3);
        let a = tile_list(&ds.hazards, 12, 100, 9);
        assert_eq!(a, tile_list(&ds.hazards, 12, 100, 9));
        assert_eq!(a.len(), 100);
        let (w, n) = tile_of(102.3, 14.7, 12);
        let (e, s) = tile_of(107.6, 10.4, 12);
        assert!(
            a.iter()
                .all(|&(x, y)| (w..=e).contains(&x) && (n..=s).contains(&y))
        );
    }
}
