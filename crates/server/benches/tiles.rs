//! Serves a tile pyramid over the demo programme through real HTTP and prints throughput and
//! p50/p99 latency per zoom, then streams every OGC collection and prints MB/s and the
//! process's resident memory.
//!
//! `cargo bench -p safeground-server --bench tiles` (env: `SAFEGROUND_BENCH_HAZARDS`, default
//! 3000; `SAFEGROUND_BENCH_CLIENTS`, concurrent keep-alive connections, default 8;
//! `SAFEGROUND_BENCH_TILES`, tiles per zoom, default 1000).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::Utc;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use safeground_server::auth::password::{hash_password, secret_digest};
use safeground_server::{AppState, Db, ServerConfig};
use safeground_store::{
    AccountStore, ApproveOptions, CredentialKind, Location, NewAccount, ProgrammeStore, Role,
    SqliteStore,
};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const TOKEN: &str = "bench-token";

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A minimal HTTP/1.1 keep-alive client: GET, returns status, body length and the last bytes
/// of the body (enough to find the `next` link of a feature page).
struct Client {
    stream: BufReader<TcpStream>,
    host: String,
}

impl Client {
    async fn connect(addr: std::net::SocketAddr) -> Self {
        Client {
            stream: BufReader::new(TcpStream::connect(addr).await.unwrap()),
            host: addr.to_string(),
        }
    }

    async fn get(&mut self, path: &str) -> (u16, usize, Vec<u8>) {
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\n\r\n",
            self.host
        );
        self.stream
            .get_mut()
            .write_all(req.as_bytes())
            .await
            .unwrap();
        let mut line = String::new();
        self.stream.read_line(&mut line).await.unwrap();
        let status: u16 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        let mut length = None;
        let mut chunked = false;
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.unwrap();
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let lower = l.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = Some(v.trim().parse::<usize>().unwrap());
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        let mut tail = Vec::new();
        let mut total = 0;
        let keep = |buf: &[u8], tail: &mut Vec<u8>| {
            tail.extend_from_slice(buf);
            if tail.len() > 8192 {
                tail.drain(..tail.len() - 8192);
            }
        };
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).await.unwrap();
                let size = usize::from_str_radix(line.trim(), 16).unwrap();
                let mut buf = vec![0; size + 2];
                self.stream.read_exact(&mut buf).await.unwrap();
                if size == 0 {
                    break;
                }
                total += size;
                keep(&buf[..size], &mut tail);
            }
        } else if let Some(n) = length {
            let mut buf = vec![0; n];
            self.stream.read_exact(&mut buf).await.unwrap();
            total = n;
            keep(&buf, &mut tail);
        }
        (status, total, tail)
    }
}

fn tile_of(lon: f64, lat: f64, z: u8) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let lat = lat.to_radians();
    let y = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor()
        as u32;
    (x, y)
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn build_programme(path: &std::path::Path, hazards: usize) -> Vec<(f64, f64)> {
    let started = Instant::now();
    let programme = safeground_demo::generate(hazards, 2026, Utc::now().date_naive());
    let mut store = SqliteStore::create(path).unwrap();
    let ids: Vec<_> = programme
        .reports
        .chunks(500)
        .flat_map(|c| store.submit_batch("bench", c).unwrap())
        .collect();
    for id in ids {
        store
            .approve_report("bench", id, &ApproveOptions::default())
            .unwrap();
    }
    store
        .add_account(
            "bench",
            &NewAccount {
                username: "bench".into(),
                display_name: "Bench".into(),
                organisation: "ORG-CMAA".into(),
                role: Role::Viewer,
                password_hash: hash_password("bench-password").unwrap(),
            },
        )
        .unwrap();
    store
        .add_credential(
            "bench",
            &secret_digest(TOKEN),
            CredentialKind::ApiToken,
            None,
            None,
        )
        .unwrap();
    let points: Vec<(f64, f64)> = store
        .current_hazards()
        .unwrap()
        .iter()
        .filter_map(|h| h.geometry.as_ref())
        .map(|g| {
            let c = g.0[0].exterior().0[0];
            (c.x, c.y)
        })
        .collect();
    println!(
        "demo programme: {hazards} hazards, built and approved in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    points
}

fn main() {
    let hazards = env("SAFEGROUND_BENCH_HAZARDS", 3000);
    let clients = env("SAFEGROUND_BENCH_CLIENTS", 8);
    let per_zoom = env("SAFEGROUND_BENCH_TILES", 1000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.sqlite");
    let points = build_programme(&path, hazards);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let state = AppState::new(Db::open(&Location::Sqlite(path.clone()), 8).unwrap(), ServerConfig::default());
        let (listener, addr) = safeground_server::bind("127.0.0.1:0".parse().unwrap()).await.unwrap();
        tokio::spawn(safeground_server::serve_on(state, listener));
        let mut warm = Client::connect(addr).await;
        let started = Instant::now();
        let (status, _, _) = warm.get("/tiles/hazards/0/0/0.mvt").await;
        assert_eq!(status, 200);
        println!(
            "first tile (builds the hazard, released-area and EO layers): {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
        println!(
            "\ntiles: {clients} keep-alive clients, {per_zoom} tiles per zoom and layer around random hazards"
        );
        println!("{:<16} {:>3} {:>9} {:>9} {:>9} {:>10} {:>9}", "layer", "z", "tiles/s", "p50 ms", "p99 ms", "mean B", "MB/s");
        let mut rng = SmallRng::seed_from_u64(7);
        for layer in ["hazards", "released-areas", "eo-finds"] {
            for z in 6u8..=14 {
                let paths: Vec<String> = (0..per_zoom)
                    .map(|_| {
                        let (lon, lat) = points[rng.random_range(0..points.len())];
                        let (x, y) = tile_of(lon, lat, z);
                        format!("/tiles/{layer}/{z}/{x}/{y}.mvt")
                    })
                    .collect();
                let chunks: Vec<Vec<String>> = paths
                    .chunks(paths.len().div_ceil(clients))
                    .map(<[String]>::to_vec)
                    .collect();
                let t0 = Instant::now();
                let tasks: Vec<_> = chunks
                    .into_iter()
                    .map(|chunk| {
                        tokio::spawn(async move {
                            let mut c = Client::connect(addr).await;
                            let mut out = Vec::with_capacity(chunk.len());
                            for p in chunk {
                                let t = Instant::now();
                                let (status, bytes, _) = c.get(&p).await;
                                assert_eq!(status, 200, "{p}");
                                out.push((t.elapsed(), bytes));
                            }
                            out
                        })
                    })
                    .collect();
                let mut lat = Vec::new();
                let mut bytes = 0usize;
                for t in tasks {
                    for (d, b) in t.await.unwrap() {
                        lat.push(d);
                        bytes += b;
                    }
                }
                let wall = t0.elapsed().as_secs_f64();
                lat.sort();
                println!(
                    "{layer:<16} {z:>3} {:>9.0} {:>9.2} {:>9.2} {:>10.0} {:>9.1}",
                    lat.len() as f64 / wall,
                    percentile(&lat, 0.5),
                    percentile(&lat, 0.99),
                    bytes as f64 / lat.len() as f64,
                    bytes as f64 / wall / 1e6
                );
            }
        }

        println!(
            "\nOGC API - Features, whole collections in pages of 10,000 (one client); RSS before: {} KiB, peak so far {} KiB",
            rss_kib("VmRSS:"),
            rss_kib("VmHWM:")
        );
        println!("{:<16} {:>9} {:>10} {:>9} {:>12} {:>12}", "collection", "features", "MB", "MB/s", "RSS KiB", "peak KiB");
        for id in ["hazards", "released-areas", "activities", "eo-finds", "accidents", "risk-education"] {
            let mut c = Client::connect(addr).await;
            let mut next = Some(format!("/ogc/collections/{id}/items?limit=10000"));
            let (mut features, mut bytes) = (0u64, 0usize);
            let t0 = Instant::now();
            while let Some(p) = next.take() {
                let (status, n, tail) = c.get(&p).await;
                assert_eq!(status, 200);
                bytes += n;
                let tail = String::from_utf8_lossy(&tail).to_string();
                let v: serde_json::Value = serde_json::from_str(&format!("{{{}", &tail[tail.rfind("\"links\":[{").unwrap()..])).unwrap();
                features += v["numberReturned"].as_u64().unwrap();
                next = v["links"].as_array().unwrap().iter().find(|l| l["rel"] == "next").map(|l| {
                    let href = l["href"].as_str().unwrap();
                    href[href.find("/ogc").unwrap()..].to_owned()
                });
            }
            let wall = t0.elapsed().as_secs_f64();
            println!(
                "{id:<16} {features:>9} {:>10.1} {:>9.1} {:>12} {:>12}",
                bytes as f64 / 1e6,
                bytes as f64 / 1e6 / wall,
                rss_kib("VmRSS:"),
                rss_kib("VmHWM:")
            );
        }
    });
}
