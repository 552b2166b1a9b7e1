//! The PostGIS side of W2: load the generated polygons (WKB, binary COPY into a staging table,
//! then `ST_GeomFromWKB($wkb, 4326)`), index them, and time the per-admin-area query.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use postgres::{Client, NoTls};

use crate::generate::Dataset;
use crate::memory;

/// Remaining contamination per admin area: hazard − ST_Union(its released polygons), geodesic
/// area on the spheroid (`ST_Area(geography)`), summed per admin area. Hazards without any
/// released polygon count whole.
pub const QUERY: &str = "\
SELECT h.admin_id, sum(ST_Area(CASE WHEN u.u IS NULL THEN h.geom \
ELSE ST_Difference(h.geom, u.u) END::geography))::float8 \
FROM w2_hazard h LEFT JOIN (SELECT hazard_id, ST_Union(geom) AS u FROM w2_released \
GROUP BY hazard_id) u ON u.hazard_id = h.id GROUP BY h.admin_id ORDER BY h.admin_id";

/// What loading found in the database (checksums against the generator).
pub struct Loaded {
    /// Wall time of the load (not part of the measurement).
    pub elapsed: Duration,
    /// Σ `ST_NPoints` of hazards and of released polygons.
    pub vertices: (i64, i64),
}

/// A backend ready to run [`QUERY`], prepared and warmed up, with the timed runs so far.
pub struct Session {
    client: Client,
    stmt: postgres::Statement,
    pid: String,
    admins: usize,
    /// Wall time of each timed run.
    pub runs: Vec<Duration>,
    /// Result of the last run, index `admin - 1`.
    pub per_admin: Vec<f64>,
    /// `max_parallel_workers_per_gather` and the workers the plan asked for.
    pub parallel_setting: String,
    pub workers_planned: u32,
    /// PostgreSQL and PostGIS versions.
    pub versions: String,
}

/// Connects, naming the connection string in the error.
pub fn connect(conn: &str) -> Result<Client> {
    Client::connect(conn, NoTls).with_context(|| format!("cannot connect to PostgreSQL ({conn})"))
}

fn wkb(mp: &geo_types::MultiPolygon<f64>) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(wkb::writer::geometry_wkb_size(mp));
    wkb::writer::write_geometry(&mut out, mp, &wkb::writer::WriteOptions::default())
        .context("cannot encode WKB")?;
    Ok(out)
}

/// (Re)creates `w2_hazard` and `w2_released` in the database and loads the data set.
pub fn load(conn: &str, ds: &Dataset) -> Result<Loaded> {
    let started = Instant::now();
    let mut c = connect(conn)?;
    c.batch_execute(
        "CREATE EXTENSION IF NOT EXISTS postgis;
         DROP TABLE IF EXISTS w2_hazard, w2_released;
         CREATE TEMP TABLE w2_stage_h (id int, admin_id int, wkb bytea);
         CREATE TEMP TABLE w2_stage_r (id int, hazard_id int, wkb bytea);",
    )
    .context("cannot create the staging tables")?;
    let sink = c.copy_in("COPY w2_stage_h FROM STDIN (FORMAT binary)")?;
    let mut w = BinaryCopyInWriter::new(sink, &[Type::INT4, Type::INT4, Type::BYTEA]);
    for h in &ds.hazards {
        w.write(&[&h.id, &h.admin, &wkb(&h.geometry)?])?;
    }
    w.finish().context("COPY of hazards failed")?;
    let sink = c.copy_in("COPY w2_stage_r FROM STDIN (FORMAT binary)")?;
    let mut w = BinaryCopyInWriter::new(sink, &[Type::INT4, Type::INT4, Type::BYTEA]);
    let mut id = 0i32;
    for h in &ds.hazards {
        for r in &h.releases {
            id += 1;
            w.write(&[&id, &h.id, &wkb(r)?])?;
        }
    }
    w.finish().context("COPY of released polygons failed")?;
    c.batch_execute(
        "SET maintenance_work_mem = '512MB';
         CREATE TABLE w2_hazard AS SELECT id, admin_id,
           ST_GeomFromWKB(wkb, 4326)::geometry(MultiPolygon, 4326) AS geom FROM w2_stage_h ORDER BY id;
         CREATE TABLE w2_released AS SELECT id, hazard_id,
           ST_GeomFromWKB(wkb, 4326)::geometry(MultiPolygon, 4326) AS geom FROM w2_stage_r ORDER BY id;
         ALTER TABLE w2_hazard ADD PRIMARY KEY (id);
         ALTER TABLE w2_released ADD PRIMARY KEY (id);
         CREATE INDEX ON w2_hazard USING gist (geom);
         CREATE INDEX ON w2_released USING gist (geom);
         CREATE INDEX ON w2_released (hazard_id);",
    )
    .context("cannot build the tables")?;
    for table in ["w2_hazard", "w2_released"] {
        c.batch_execute(&format!("VACUUM ANALYZE {table}"))?;
    }
    let row = c.query_one(
        "SELECT (SELECT count(*) FROM w2_hazard), (SELECT count(*) FROM w2_released),
                (SELECT sum(ST_NPoints(geom))::int8 FROM w2_hazard),
                (SELECT coalesce(sum(ST_NPoints(geom)), 0)::int8 FROM w2_released),
                (SELECT bool_and(ST_IsValid(geom)) FROM w2_hazard)",
        &[],
    )?;
    let (nh, nr): (i64, i64) = (row.get(0), row.get(1));
    if nh as usize != ds.hazards.len() || nr as usize != ds.release_count() {
        bail!("PostGIS holds {nh} hazards and {nr} released polygons, not the generated ones");
    }
    if !row.get::<_, bool>(4) {
        bail!("PostGIS finds an invalid hazard polygon");
    }
    Ok(Loaded {
        elapsed: started.elapsed(),
        vertices: (row.get(2), row.get(3)),
    })
}

impl Session {
    /// Opens a backend with `statement_timeout` (per-hazard unions are small, so a cancel takes
    /// effect promptly) and `work_mem=64MB`, prepares [`QUERY`] and runs it once to warm up.
    /// `parallel` sets `max_parallel_workers_per_gather` (`None`: the server default).
    pub fn open(conn: &str, admins: usize, timeout_s: u64, parallel: Option<u32>) -> Result<Self> {
        let mut c = connect(conn)?;
        c.batch_execute(&format!(
            "SET statement_timeout = '{timeout_s}s'; SET work_mem = '64MB';"
        ))?;
        if let Some(n) = parallel {
            c.batch_execute(&format!("SET max_parallel_workers_per_gather = {n}"))?;
        }
        let versions: String = c
            .query_one(
                "SELECT split_part(version(), ' on ', 1) || ', PostGIS ' || postgis_lib_version() \
                 || ', GEOS ' || split_part(postgis_geos_version(), '-', 1)",
                &[],
            )?
            .get(0);
        let parallel_setting: String = c
            .query_one("SHOW max_parallel_workers_per_gather", &[])?
            .get(0);
        let plan: String = c
            .query(&format!("EXPLAIN {QUERY}"), &[])?
            .iter()
            .map(|r| r.get::<_, String>(0))
            .collect::<Vec<_>>()
            .join("\n");
        let workers_planned = plan
            .lines()
            .filter_map(|l| l.split("Workers Planned: ").nth(1))
            .filter_map(|n| n.trim().parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        let pid: i32 = c.query_one("SELECT pg_backend_pid()", &[])?.get(0);
        let stmt = c.prepare(QUERY)?;
        let mut session = Session {
            client: c,
            stmt,
            pid: pid.to_string(),
            admins,
            runs: Vec::new(),
            per_admin: Vec::new(),
            parallel_setting,
            workers_planned,
            versions,
        };
        session.run()?;
        session.runs.clear();
        Ok(session)
    }

    /// Runs [`QUERY`] once, timed.
    pub fn run(&mut self) -> Result<Duration> {
        let t = Instant::now();
        let rows = self
            .client
            .query(&self.stmt, &[])
            .context("the PostGIS query failed")?;
        let elapsed = t.elapsed();
        let mut per_admin = vec![0.0; self.admins];
        for r in rows {
            let admin: i32 = r.get(0);
            let area: f64 = r.get(1);
            match usize::try_from(admin - 1)
                .ok()
                .and_then(|i| per_admin.get_mut(i))
            {
                Some(slot) => *slot = area,
                None => bail!("PostGIS returned admin area {admin}"),
            }
        }
        self.runs.push(elapsed);
        self.per_admin = per_admin;
        Ok(elapsed)
    }

    /// The backend's VmHWM and RssAnon (KiB), if readable (the leader only, not parallel
    /// workers).
    pub fn memory_kib(&self) -> (Option<u64>, Option<u64>) {
        (
            memory::status_kib(&self.pid, "VmHWM"),
            memory::status_kib(&self.pid, "RssAnon"),
        )
    }
}
