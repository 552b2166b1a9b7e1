//! `safeground-bench national`: W4 (import vs `ogr2ogr` into PostGIS), W1 (vector tiles vs
//! martin on the same data) and W5 (streaming a whole OGC collection vs paged PostGIS GeoJSON)
//! on one generated national hazard layer, with the `safeground` binary and the reference
//! tools run as the user would run them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use postgres::Client;

use crate::postgis::connect;
use crate::process::{self, Server, Timed};
use crate::{eo, generate, geojson, memory, mib, stream, tiles};

/// Database for the reference tools' copy (`national_hazard`, as `ogr2ogr` writes it).
const PEER_DB: &str = "safeground_bench_peer";
/// Database of the Safeground programme imported into PostgreSQL.
const STORE_DB: &str = "safeground_bench_store";

#[derive(clap::Args)]
pub struct NationalArgs {
    /// libpq connection string of a PostgreSQL + PostGIS server, without `dbname` (e.g.
    /// `host=/tmp/pgtest port=5433 user=postgres`): the databases `safeground_bench_peer`
    /// and `safeground_bench_store` are dropped and recreated there.
    #[arg(long)]
    postgres: String,
    /// Number of hazard polygons.
    #[arg(long, default_value_t = 100_000)]
    hazards: usize,
    /// Generator seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The `safeground` binary (default: beside this one, i.e. the same build).
    #[arg(long)]
    safeground: Option<PathBuf>,
    /// The martin binary (`cargo install martin@1.14.0 --locked --no-default-features
    /// --features postgres`).
    #[arg(long, default_value = "martin")]
    martin: PathBuf,
    /// Zoom levels of the tile runs.
    #[arg(long, value_delimiter = ',', default_value = "6,7,8,9,10,11,12,13,14")]
    zooms: Vec<u8>,
    /// Tiles requested per zoom and server (the same list for both).
    #[arg(long, default_value_t = 500)]
    tiles: usize,
    /// Longest time spent per zoom and server, seconds (requests in flight then finish).
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Concurrent keep-alive connections of the tile client.
    #[arg(long, default_value_t = 2)]
    connections: usize,
    /// Page size of the streaming runs.
    #[arg(long, default_value_t = 10_000)]
    page: usize,
    /// Where the generated files, the SQLite store and the servers' logs go.
    #[arg(long, default_value = "target/bench-national")]
    work_dir: PathBuf,
    /// EO finds generated over the hazards and imported after them (W4b; 0: none).
    #[arg(long, default_value_t = 1_000_000)]
    eo_finds: usize,
    /// Run W4 and W4b (the imports) only: no servers, no martin.
    #[arg(long)]
    import_only: bool,
    /// Run W5 (streaming) only: the PostgreSQL imports W5 reads, then our server against
    /// PostGIS; no SQLite import, no martin, no tiles, no W4b.
    #[arg(long, conflicts_with = "import_only")]
    stream_only: bool,
}

pub(crate) fn recreate_database(server: &str, name: &str) -> Result<()> {
    let mut c = connect(&format!("{server} dbname=postgres"))?;
    // Two statements: neither may run inside the implicit transaction of a multi-statement
    // batch.
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    c.batch_execute(&format!("CREATE DATABASE {name}"))?;
    Ok(())
}

fn safeground_binary(a: &NationalArgs) -> Result<PathBuf> {
    safeground_at(a.safeground.as_deref())
}

/// The `safeground` binary: `given`, else the one beside this binary (the same build).
pub(crate) fn safeground_at(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.to_owned());
    }
    let me = std::env::current_exe()?;
    let p = me.with_file_name("safeground");
    if !p.exists() {
        bail!(
            "no safeground binary at {}: build it with `cargo build --release -p safeground-cli` \
             or pass --safeground",
            p.display()
        );
    }
    Ok(p)
}

/// Writes the GeoJSONSeq `seq` as the GeoPackage `gpkg` (layer `layer`) with `ogr2ogr`.
pub(crate) fn to_geopackage(seq: &Path, gpkg: &Path, layer: &str) -> Result<()> {
    let _ = std::fs::remove_file(gpkg);
    process::timed(
        Command::new("ogr2ogr")
            .args(["-f", "GPKG"])
            .arg(gpkg)
            .arg(seq)
            .args(["-nln", layer]),
        &format!("ogr2ogr GeoJSONSeq → GPKG ({layer})"),
    )?;
    Ok(())
}

/// Times `ogr2ogr` loading `gpkg` into the table `table` of the PostGIS database `peer` (the
/// reference import of W4: defaults, so COPY and a GiST index).
pub(crate) fn to_postgis(gpkg: &Path, peer: &str, table: &str) -> Result<Timed> {
    process::timed(
        Command::new("ogr2ogr")
            .args(["-f", "PostgreSQL"])
            .arg(format!("PG:{peer}"))
            .arg(gpkg)
            .args(["-nln", table])
            .args(["-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid"]),
        &format!("ogr2ogr GPKG → PostGIS ({table})"),
    )
}

/// Times `ogr2ogr` writing `gpkg` into a new SpatiaLite file `out` (layer `table`, with its
/// spatial index: what a user who keeps a programme in one SQLite file would run).
pub(crate) fn to_spatialite(gpkg: &Path, out: &Path, table: &str) -> Result<Timed> {
    let _ = std::fs::remove_file(out);
    process::timed(
        Command::new("ogr2ogr")
            .args(["-f", "SQLite", "-dsco", "SPATIALITE=YES"])
            .arg(out)
            .arg(gpkg)
            .args(["-nln", table]),
        &format!("ogr2ogr GPKG → SpatiaLite ({table})"),
    )
}

/// Count and Σ `ST_NPoints` of a geometry column.
fn counts(db: &mut Client, table: &str, column: &str) -> Result<(i64, i64)> {
    let row = db.query_one(
        &format!("SELECT count(*), coalesce(sum(ST_NPoints({column})), 0)::int8 FROM {table}"),
        &[],
    )?;
    Ok((row.get(0), row.get(1)))
}

/// The references of one import workload: `ogr2ogr` into PostGIS and into SpatiaLite.
pub(crate) struct References {
    pub postgis: Timed,
    pub spatialite: Timed,
}

/// The table of one import workload: `ogr2ogr` into PostGIS and into SpatiaLite, then
/// Safeground into PostgreSQL and into SQLite, each row with its ratio to both references.
pub(crate) fn print_imports(n: usize, refs: &References, ours_pg: &Timed, ours_sqlite: &Timed) {
    println!(
        "| import | wall | CPU | peak RSS | features/s | ogr2ogr → PostGIS wall / this wall \
         | ogr2ogr → SpatiaLite wall / this wall |"
    );
    println!("|---|---|---|---|---|---|---|");
    let rows = [
        ("`ogr2ogr -f PostgreSQL` (COPY, GiST index)", &refs.postgis),
        (
            "`ogr2ogr -f SQLite -dsco SPATIALITE=YES` (spatial index)",
            &refs.spatialite,
        ),
        (
            "`safeground import --approve-as-migration` → PostgreSQL",
            ours_pg,
        ),
        (
            "`safeground import --approve-as-migration` → SQLite",
            ours_sqlite,
        ),
    ];
    for (what, t) in rows {
        print_import(what, t, n, &[&refs.postgis, &refs.spatialite]);
    }
}

/// One row of an import table, with its ratio to each reference.
fn print_import(what: &str, t: &Timed, n: usize, references: &[&Timed]) {
    let ratios: String = references
        .iter()
        .map(|r| {
            format!(
                " | {:.2}",
                r.wall.as_secs_f64() / t.wall.as_secs_f64().max(1e-9)
            )
        })
        .collect();
    println!(
        "| {what} | {:.1} s | {:.1} s | {} | {:.0}{ratios} |",
        t.wall.as_secs_f64(),
        t.cpu_s,
        mib(Some(t.max_rss_kib)),
        n as f64 / t.wall.as_secs_f64().max(1e-9),
    );
}

/// Runs the national workloads.
pub fn run(a: &NationalArgs) -> Result<()> {
    let safeground = safeground_binary(a)?;
    std::fs::create_dir_all(&a.work_dir)?;
    let work = a.work_dir.canonicalize()?;
    let t = Instant::now();
    let ds = generate::generate(a.hazards, 0, a.seed);
    let (vertices, _) = ds.vertex_counts();
    let seq = work.join("hazards.geojsonl");
    let gpkg = work.join("hazards.gpkg");
    geojson::write(&seq, &ds.hazards)?;
    to_geopackage(&seq, &gpkg, "hazards")?;
    println!(
        "data: {} hazards, {vertices} vertices, seed {}; GeoPackage {:.0} MB written in {:.1} s \
         (not timed)",
        ds.hazards.len(),
        a.seed,
        std::fs::metadata(&gpkg)?.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let expect = (ds.hazards.len() as i64, vertices as i64);

    // W4: import.
    let peer = format!("{} dbname={PEER_DB}", a.postgres);
    let store = format!("{} dbname={STORE_DB}", a.postgres);
    recreate_database(&a.postgres, PEER_DB)?;
    connect(&peer)?.batch_execute("CREATE EXTENSION IF NOT EXISTS postgis")?;
    let ogr = References {
        postgis: to_postgis(&gpkg, &peer, "national_hazard")?,
        spatialite: to_spatialite(
            &gpkg,
            &work.join("ogr2ogr-hazards.sqlite"),
            "national_hazard",
        )?,
    };
    let mut peer_db = connect(&peer)?;
    let got = counts(&mut peer_db, "national_hazard", "geom")?;
    if got != expect {
        bail!("ogr2ogr loaded {got:?} (features, vertices), expected {expect:?}");
    }
    peer_db.batch_execute("VACUUM ANALYZE national_hazard")?;

    recreate_database(&a.postgres, STORE_DB)?;
    let sg = |args: &[&str]| {
        let mut c = Command::new(&safeground);
        c.args(args).env("RUST_LOG", "warn");
        c
    };
    process::timed(&mut sg(&["init", &store]), "safeground init")?;
    let gpkg_s = gpkg.to_string_lossy().to_string();
    let ours_pg = process::timed(
        &mut sg(&["import", &store, &gpkg_s, "--approve-as-migration"]),
        "safeground import into PostgreSQL",
    )?;
    let mut store_db = connect(&store)?;
    let got = counts(&mut store_db, "hazard_current", "geometry")?;
    if got != expect {
        bail!("safeground imported {got:?} (hazards, vertices), expected {expect:?}");
    }
    if a.stream_only {
        let ours = serve(&sg, &store, &work)?;
        return w5(a, &ours, &mut peer_db, &work);
    }
    let sqlite = work.join("national.sqlite");
    let _ = std::fs::remove_file(&sqlite);
    let sqlite_s = sqlite.to_string_lossy().to_string();
    process::timed(&mut sg(&["init", &sqlite_s]), "safeground init")?;
    let ours_sqlite = process::timed(
        &mut sg(&["import", &sqlite_s, &gpkg_s, "--approve-as-migration"]),
        "safeground import into SQLite",
    )?;
    let n = ds.hazards.len();
    println!("\n## W4: import of the {n}-hazard GeoPackage\n");
    print_imports(n, &ogr, &ours_pg, &ours_sqlite);

    let targets = eo::Targets {
        safeground: &safeground,
        peer: &peer,
        store: &store,
        sqlite: &sqlite,
        work: &work,
    };
    if a.import_only {
        return eo::w4b(&ds, a.eo_finds, a.seed, &targets);
    }

    // Servers.
    let martin_addr = process::free_address()?;
    let config = work.join("martin.yaml");
    std::fs::write(&config, martin_config(&peer, martin_addr))?;
    let martin = Server::start(
        Command::new(&a.martin).arg("--config").arg(&config),
        martin_addr,
        &work.join("martin.log"),
        "/catalog",
        Duration::from_secs(60),
    )
    .with_context(|| format!("starting martin ({})", a.martin.display()))?;
    let ours = serve(&sg, &store, &work)?;
    w1(a, &ds.hazards, &martin, &ours)?;
    println!(
        "\nserver peak RSS after the tile runs: martin {} (+ PostgreSQL backends), safeground {}",
        mib(memory::status_kib(&martin.pid(), "VmHWM")),
        mib(memory::status_kib(&ours.pid(), "VmHWM")),
    );
    drop(martin);
    w5(a, &ours, &mut peer_db, &work)?;
    drop(ours);
    // Last, so that the servers above hold only the hazards.
    eo::w4b(&ds, a.eo_finds, a.seed, &targets)
}

/// Starts `safeground serve` on the store with the hazards public, once it answers a tile (it
/// has then read the store and built its tile layers).
fn serve(sg: &dyn Fn(&[&str]) -> Command, store: &str, work: &Path) -> Result<Server> {
    let addr = process::free_address()?;
    let t = Instant::now();
    let ours = Server::start(
        sg(&[
            "serve",
            store,
            "--listen",
            &addr.to_string(),
            "--public-layers",
            "hazards",
        ])
        .env("RUST_LOG", "error"),
        addr,
        &work.join("safeground.log"),
        "/tiles/hazards/0/0/0",
        Duration::from_secs(600),
    )?;
    println!(
        "\nsafeground serve: first tile answered {:.1} s after start (reads the store, builds \
         the tile layers)",
        t.elapsed().as_secs_f64()
    );
    Ok(ours)
}

fn martin_config(peer: &str, addr: std::net::SocketAddr) -> String {
    format!(
        r#"listen_addresses: "{addr}"
worker_processes: 2
cache_size_mb: 0
web_ui: disable
postgres:
  connection_string: "{peer}"
  pool_size: 8
  auto_bounds: skip
  auto_publish: false
  tables:
    hazard:
      schema: public
      table: national_hazard
      srid: 4326
      geometry_column: geom
      geometry_type: MULTIPOLYGON
      id_column: fid
      extent: 4096
      buffer: 64
      clip_geom: true
      properties: {{ local_id: varchar, name: varchar, class: varchar, status: varchar }}
"#
    )
}

fn w1(
    a: &NationalArgs,
    hazards: &[generate::Hazard],
    martin: &Server,
    ours: &Server,
) -> Result<()> {
    println!(
        "\n## W1: hazard tiles, {} connections, up to {} tiles or {} s per zoom and server\n",
        a.connections, a.tiles, a.seconds
    );
    println!(
        "| z | server | tiles | tiles/s | p50 ms | p99 ms | mean KB | features/tile | CPU s/1000 tiles (server + PostgreSQL) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let martin_path = |z: u8, x: u32, y: u32| format!("/hazard/{z}/{x}/{y}");
    let our_path = |z: u8, x: u32, y: u32| format!("/tiles/hazards/{z}/{x}/{y}");
    let budget = Duration::from_secs(a.seconds);
    let mut summary = Vec::new();
    for &z in &a.zooms {
        let list = tiles::tile_list(hazards, z, a.tiles, a.seed);
        let m = tiles::run(
            martin.addr,
            &martin.pid(),
            &martin_path,
            z,
            &list,
            a.connections,
            budget,
        )?;
        let s = tiles::run(
            ours.addr,
            &ours.pid(),
            &our_path,
            z,
            &list,
            a.connections,
            budget,
        )?;
        for (name, r) in [("martin", &m), ("safeground", &s)] {
            println!(
                "| {z} | {name} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} |",
                r.count(),
                r.rate(),
                r.latency_ms(0.5),
                r.latency_ms(0.99),
                r.mean_bytes() / 1e3,
                r.mean_features(),
                r.cpu_per_1000(),
            );
        }
        summary.push((z, m, s));
    }
    println!(
        "\n| z | throughput safeground / martin | p99 martin / safeground | tiles compared | same feature count | features martin | features safeground |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (z, m, s) in &summary {
        let (n, same, fm, fs) = tiles::compare(m, s);
        println!(
            "| {z} | {:.1}× | {:.1}× | {n} | {same} | {fm} | {fs} |",
            s.rate() / m.rate().max(1e-9),
            m.latency_ms(0.99) / s.latency_ms(0.99).max(1e-9),
        );
    }
    Ok(())
}

fn w5(a: &NationalArgs, ours: &Server, peer_db: &mut Client, work: &Path) -> Result<()> {
    let s = stream::ogc(ours.addr, &ours.pid(), "hazards", a.page)?;
    let p = stream::postgis(peer_db, a.page)?;
    println!(
        "\n## W5: the whole hazards collection as GeoJSON, pages of {}\n",
        a.page
    );
    println!(
        "| source | features | pages | MB | wall | MB/s | features/s | server RSS before → after | peak RSS during |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (name, r) in [
        ("Safeground OGC API (`/ogc/collections/hazards/items`)", &s),
        ("PostGIS, one `json_agg` statement per page", &p),
    ] {
        println!(
            "| {name} | {} | {} | {:.1} | {:.2} s | {:.1} | {:.0} | {} → {} | {} |",
            r.features,
            r.pages,
            r.bytes as f64 / 1e6,
            r.wall.as_secs_f64(),
            r.mb_per_s(),
            r.features_per_s(),
            mib(r.rss_before_kib),
            mib(r.rss_after_kib),
            mib(r.peak_kib),
        );
    }
    println!(
        "throughput ratio Safeground / PostGIS: {:.2}× (MB/s), {:.2}× (features/s)",
        s.mb_per_s() / p.mb_per_s().max(1e-9),
        s.features_per_s() / p.features_per_s().max(1e-9)
    );
    // GDAL's OAPIF client through the same paging, as a user's GIS would read it.
    let out = work.join("oapif.gpkg");
    let _ = std::fs::remove_file(&out);
    match process::timed(
        Command::new("ogr2ogr")
            .args(["-f", "GPKG"])
            .arg(&out)
            .arg(format!("OAPIF:http://{}/ogc", ours.addr))
            .arg("hazards")
            .args(["-oo", &format!("PAGE_SIZE={}", a.page)]),
        "ogr2ogr from OAPIF",
    ) {
        Ok(t) => println!(
            "GDAL OAPIF client (`ogr2ogr -f GPKG out.gpkg OAPIF:http://…/ogc hazards`): {:.1} s, \
             {:.0} features/s",
            t.wall.as_secs_f64(),
            s.features as f64 / t.wall.as_secs_f64().max(1e-9)
        ),
        Err(e) => println!("GDAL OAPIF client failed: {e:#}"),
    }
    Ok(())
}
