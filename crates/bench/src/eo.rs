//! W4b: importing the national EO finds (the issue's "1M EO/activity records") — points, each
//! recorded against the hazard it lies in — with `ogr2ogr` into PostGIS and with `safeground
//! import` (twin checks, the reference to the hazard resolved by its local id, approval,
//! audit) into PostgreSQL and SQLite, after the hazards of W4.

use std::path::Path;
use std::process::Command;

use anyhow::{Result, bail};

use crate::generate::{Dataset, eo_finds};
use crate::national::{References, print_imports, to_geopackage, to_postgis, to_spatialite};
use crate::postgis::connect;
use crate::{geojson, process};

/// The import mapping of the generated EO finds (what a programme writes for such a layer).
pub(crate) const MAPPING: &str = r#"name = "bench-eo-find"
description = "EO finds of the national bench: local_id, hazard (local id), category, quantity, found_date, point"
kind = "eo_find"
title = "EO find {local_id}"

[report]
date_of_information = { column = "found_date", type = "date", required = true }

[fields]
local_id = { column = "local_id", required = true }
hazard = "hazard"
category = { column = "category", required = true }
quantity = { column = "quantity", type = "integer", default = 1 }
found_date = { column = "found_date", type = "date" }
location = { geometry = "feature", required = true }
"#;

/// Where W4b reads and writes.
pub struct Targets<'a> {
    /// The `safeground` binary.
    pub safeground: &'a Path,
    /// libpq string of the reference tools' database.
    pub peer: &'a str,
    /// libpq string of the Safeground programme on PostgreSQL (hazards already imported).
    pub store: &'a str,
    /// The Safeground programme on SQLite (hazards already imported).
    pub sqlite: &'a Path,
    /// Working directory.
    pub work: &'a Path,
}

/// Generates `n` EO finds over the hazards of `ds` and times the three imports.
pub fn w4b(ds: &Dataset, n: usize, seed: u64, t: &Targets<'_>) -> Result<()> {
    if n == 0 {
        return Ok(());
    }
    let finds = eo_finds(ds, n, seed);
    let seq = t.work.join("eo_finds.geojsonl");
    let gpkg = t.work.join("eo_finds.gpkg");
    let mapping = t.work.join("eo_finds.toml");
    geojson::write_eo_finds(&seq, &finds)?;
    std::fs::write(&mapping, MAPPING)?;
    to_geopackage(&seq, &gpkg, "eo_finds")?;
    let mut peer = connect(t.peer)?;
    peer.batch_execute("DROP TABLE IF EXISTS national_eo_find")?;
    let ogr = References {
        postgis: to_postgis(&gpkg, t.peer, "national_eo_find")?,
        spatialite: to_spatialite(&gpkg, &t.work.join("ogr2ogr-eo.sqlite"), "national_eo_find")?,
    };
    let loaded: i64 = peer
        .query_one("SELECT count(*) FROM national_eo_find", &[])?
        .get(0);
    let import = |db: &str, what: &str| {
        process::timed_accepting(
            Command::new(t.safeground)
                .arg("import")
                .arg(db)
                .arg(&gpkg)
                .arg("--mapping")
                .arg(&mapping)
                .arg("--approve-as-migration")
                .env("RUST_LOG", "warn"),
            what,
            &[3],
        )
    };
    let ours_pg = import(t.store, "safeground import of the EO finds into PostgreSQL")?;
    let stored: i64 = connect(t.store)?
        .query_one(
            "SELECT count(*) FROM item_link l JOIN item i ON i.id = l.from_item \
             WHERE i.kind = 'eo_find' AND l.field = 'hazard'",
            &[],
        )?
        .get(0);
    let ours_sqlite = import(
        &t.sqlite.to_string_lossy(),
        "safeground import of the EO finds into SQLite",
    )?;
    let expect = i64::try_from(n)?;
    if loaded != expect {
        bail!("ogr2ogr loaded {loaded} EO finds, expected {expect}");
    }
    println!("\n## W4b: import of {n} EO finds (points, each linked to its hazard)\n");
    // Safeground leaves out twins (another find within 1 m: `--duplicate-tolerance-m`); random
    // points in small hazards make about 1 %.
    println!(
        "safeground wrote {stored} and left out {} as twins (another find within 1 m)\n",
        expect - stored
    );
    print_imports(n, &ogr, &ours_pg, &ours_sqlite);
    if stored > expect || stored < expect - expect / 20 {
        bail!("safeground linked {stored} EO finds to their hazards, expected about {expect}");
    }
    Ok(())
}
