//! `safeground demo`: generate a realistic programme, put it through the real report workflow
//! (submit, approve), then print the land-release summary.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use chrono::Utc;
use safeground_store::{ApproveOptions, AsOf, ProgrammeStore, Role, SqliteStore};

use crate::{Format, progress, summary};

/// Reports submitted per transaction.
const BATCH: usize = 500;

/// Builds the demo database at `db` (replacing it) and prints what it holds.
pub fn run(
    db: &Path,
    hazards: usize,
    seed: u64,
    serving: bool,
    listen: std::net::SocketAddr,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let path = format!("{}{suffix}", db.display());
        if Path::new(&path).exists() {
            std::fs::remove_file(&path).with_context(|| format!("cannot replace {path}"))?;
        }
    }
    let started = Instant::now();
    let programme = safeground_demo::generate(hazards, seed, Utc::now().date_naive());
    let mut store = SqliteStore::create(db)?;
    let reports = &programme.reports;

    let bar = progress(reports.len() as u64, "submitting");
    let mut ids = Vec::with_capacity(reports.len());
    for chunk in reports.chunks(BATCH) {
        ids.extend(store.submit_batch("demo-field-officer", chunk)?);
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();

    let bar = progress(ids.len() as u64, "approving");
    let options = ApproveOptions {
        comment: Some("demo programme".into()),
        allow_backdated: false,
        four_eyes: false,
    };
    for id in &ids {
        store
            .approve_report("demo-information-manager", *id, &options)
            .with_context(|| format!("approving demo report {id}"))?;
        bar.inc(1);
    }
    bar.finish_and_clear();

    writeln!(
        out,
        "Demo programme written to {}: {} reports ({} hazards) submitted and approved in {:.1} s.\n",
        db.display(),
        ids.len(),
        hazards,
        started.elapsed().as_secs_f64()
    )?;
    let rows = store.land_release_summary(AsOf::now())?;
    summary::print(&rows, Format::Table, out)?;
    writeln!(
        out,
        "\nDemo users (one per role; passwords are new on every run):"
    )?;
    writeln!(
        out,
        "  {:<14} {:<18} {:<10} password",
        "user", "role", "org"
    )?;
    for (username, role, organisation, name) in DEMO_USERS {
        let (password, _) = crate::users::add(
            &mut store,
            crate::users::ACTOR,
            username,
            role,
            organisation,
            Some(name),
            None,
        )?;
        writeln!(
            out,
            "  {username:<14} {:<18} {organisation:<10} {password}",
            role.code()
        )?;
    }
    if serving {
        writeln!(
            out,
            "\nOpen http://{listen} and log in as one of these users (Ctrl-C stops the server)."
        )?;
    } else {
        writeln!(
            out,
            "\nServe it:  safeground serve {db}   (then open http://127.0.0.1:8080)\n\
             Try:       safeground summary {db} --as-of 2020-12-31\n           \
             safeground hazard {db} HAZ-000001\n           safeground check {db}",
            db = db.display()
        )?;
    }
    Ok(())
}

/// One demo account per role: the national authority's staff and one operator's.
const DEMO_USERS: [(&str, Role, &str, &str); 6] = [
    (
        "admin",
        Role::Administrator,
        "ORG-CMAA",
        "Sokha Chan (administrator)",
    ),
    (
        "approver",
        Role::Approver,
        "ORG-CMAA",
        "Dara Keo (information manager)",
    ),
    (
        "reviewer",
        Role::Reviewer,
        "ORG-CMAA",
        "Vanna Lim (reviewer)",
    ),
    (
        "halo-entry",
        Role::DataEntry,
        "ORG-HALO",
        "Bopha Sok (HALO data entry)",
    ),
    (
        "mag-viewer",
        Role::Viewer,
        "ORG-MAG",
        "Rith Mao (MAG viewer)",
    ),
    (
        "va-officer",
        Role::VictimAssistance,
        "ORG-CMAA",
        "Channary Pich (victim assistance)",
    ),
];
