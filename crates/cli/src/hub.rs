//! `safeground hub`: the regional hub's side of federation — a programme database that also
//! holds what national nodes share: create it, register nodes by their card, import their
//! signed bundles (files from a USB stick or e-mail), list the nodes and their freshness.
//!
//! A hub is marked by the one row of its `hub` table (written by `hub init`), which transfers
//! and backups carry on both backends; `safeground serve` serves it like any programme.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use clap::Subcommand;
use safeground_federation::{FederationError, NodeCard};
use safeground_server::federation::ReadBundle;
use safeground_store::hub::{BundleImport, NewHubNode};
use safeground_store::{Location, StoreError};

use crate::hub_training::Summary;

/// The exit code of a refused bundle.
pub(crate) const REFUSED: u8 = 2;

/// Actions of `safeground hub`.
#[derive(Subcommand, Debug)]
pub enum HubCommand {
    /// Create a new, empty programme database marked as a regional hub.
    Init {
        /// Database to create: a file, `sqlite:PATH`, or `postgres://…` (an empty database).
        db: Location,
        /// Who creates it (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Register a national node by its card (the JSON `safeground federation init` printed,
    /// received through a channel you trust: its public key verifies the node's bundles).
    AddNode {
        /// The hub's database.
        db: Location,
        /// The node card, JSON.
        card: PathBuf,
        /// Who registers it (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Import signed bundles, each file in order, each in one transaction: verified against
    /// its node's card, applied from the first entry the hub lacks. Exit code 2 when a bundle
    /// is refused (the message names what is wrong; nothing of it is written).
    Import {
        /// The hub's database.
        db: Location,
        /// Bundle files (`.sgb`), in sequence order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Who imports them (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Store nodes' signed training summaries (`safeground federation training-summary`),
    /// each file in order: verified against its node's card; a summary generated at or
    /// before the one held changes nothing. Exit code 2 when one is refused (nothing of it is
    /// written).
    ImportTraining {
        /// The hub's database.
        db: Location,
        /// Training summary files (JSON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Who imports them (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Store nodes' detector summaries (`safeground federation detector-summary`), each file
    /// in order, as `import-training` does training summaries. Exit code 2 when one is
    /// refused (nothing of it is written).
    ImportDetectors {
        /// The hub's database.
        db: Location,
        /// Detector summary files (JSON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Who imports them (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Pull a node's federation feed over HTTP(S) from the hub's checkpoint until it is up to
    /// date, a page per transaction (resumable: rerun after a cut). Exit code 2 when a page
    /// is refused.
    Pull(crate::hub_pull::PullArgs),
    /// Write the regional report: a column per country (with when its data arrived) and one
    /// for the region, as XLSX or PDF by the extension of --out.
    Report(crate::hub_report::HubReportArgs),
    /// List the registered nodes: checkpoint, last bundle and its lag in days.
    Nodes {
        /// The hub's database.
        db: Location,
    },
    /// Publish the next version of the hub's reference data, signed with the hub's key:
    /// ordnance models its nodes add to the built-in catalogue.
    PublishReference(crate::reference::PublishArgs),
    /// Import a node's library package (`federation export-library`): verified with the
    /// node's card, every file checked against its SHA-256. Exit code 2 when refused (nothing
    /// written).
    ImportLibrary(crate::library_exchange::ReceiveArgs),
    /// Write the hub's library package for its nodes (`federation adopt-library`): its own
    /// public and regional documents and those its nodes sent, signed with the hub's key.
    ExportLibrary(crate::library_exchange::ExportArgs),
    /// Write the latest reference data published to a file, for nodes without a connection.
    ReferenceFile {
        /// The hub's database.
        db: Location,
        /// File to write (never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
}

/// Runs a `hub` action.
pub fn run(action: HubCommand, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match action {
        HubCommand::Init { db, actor } => {
            let mut store = db.create()?;
            store.make_hub(&actor)?;
            writeln!(
                out,
                "created hub {db}; register each node with `safeground hub add-node {db} \
                 CARD.json`"
            )?;
        }
        HubCommand::AddNode { db, card, actor } => {
            let text = std::fs::read_to_string(&card)
                .with_context(|| format!("reading the node card {}", card.display()))?;
            let parsed = NodeCard::from_json(&text)
                .with_context(|| format!("reading the node card {}", card.display()))?;
            let mut store = db.open().with_context(|| format!("opening {db}"))?;
            let node = NewHubNode {
                node: parsed.node.to_string(),
                name: parsed.name.clone(),
                card: parsed.to_json(),
            };
            let what = if store.add_node(&actor, &node)? {
                "registered"
            } else {
                "already registered with this card"
            };
            writeln!(
                out,
                "node {} ({}) {what}; key fingerprint {}",
                node.node,
                node.name,
                parsed.fingerprint()
            )?;
        }
        HubCommand::Import { db, files, actor } => return import(&db, &files, &actor, out),
        HubCommand::ImportTraining { db, files, actor } => {
            return crate::hub_training::import(&db, &files, Summary::Training, &actor, out);
        }
        HubCommand::ImportDetectors { db, files, actor } => {
            return crate::hub_training::import(&db, &files, Summary::Detector, &actor, out);
        }
        HubCommand::Pull(args) => return crate::hub_pull::pull(&args, out),
        HubCommand::Report(args) => crate::hub_report::run(&args, out)?,
        HubCommand::Nodes { db } => nodes(&db, out)?,
        HubCommand::ImportLibrary(args) => return crate::library_exchange::hub_import(&args, out),
        HubCommand::ExportLibrary(args) => crate::library_exchange::export(&args, true, out)?,
        HubCommand::PublishReference(args) => crate::reference::publish(&args, out)?,
        HubCommand::ReferenceFile { db, out: file } => {
            crate::reference::write_file(&db, &file, out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Imports `files` in order; stops at the first refused bundle (exit code 2).
pub(crate) fn import(
    db: &Location,
    files: &[PathBuf],
    actor: &str,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut store = db.open().with_context(|| format!("opening {db}"))?;
    for (i, path) in files.iter().enumerate() {
        let done = open(path).map_err(|e| StoreError::BundleRefused(e.to_string()));
        match done.and_then(|mut bundle| store.import_bundle(actor, &mut bundle)) {
            Ok(done) => writeln!(out, "{}: {}", path.display(), said(&done))?,
            Err(StoreError::BundleRefused(why)) => {
                eprintln!("{}: refused: {why}", path.display());
                if i + 1 < files.len() {
                    eprintln!("not imported: {} later file(s)", files.len() - i - 1);
                }
                return Ok(ExitCode::from(REFUSED));
            }
            Err(e) => {
                return Err(e).with_context(|| format!("importing {}", path.display()));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line about an imported bundle.
pub(crate) fn said(d: &BundleImport) -> String {
    let range = format!("node {} seq {}–{}", d.node, d.seq_from, d.seq_to);
    if d.applied_from.is_none() {
        return format!("{range}: nothing to do: already held");
    }
    format!(
        "{range}: {} applied ({} upserted, {} deleted, {} withheld), {} skipped ({} held \
         already, {} older revisions)",
        d.upserted + d.deleted + d.withheld,
        d.upserted,
        d.deleted,
        d.withheld,
        d.skipped + d.older,
        d.skipped,
        d.older
    )
}

pub(crate) fn nodes(db: &Location, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = db.open().with_context(|| format!("opening {db}"))?;
    let nodes = store.hub_nodes()?;
    if nodes.is_empty() {
        let hint = if store.is_hub()? {
            "no node registered yet: `safeground hub add-node DB CARD.json`"
        } else {
            "this programme is not a hub (`safeground hub init DB` creates one)"
        };
        writeln!(out, "{hint}")?;
        return Ok(());
    }
    writeln!(
        out,
        "{:<8} {:<32} {:>12}  {:<17} {:>8}",
        "node", "name", "checkpoint", "last bundle (UTC)", "lag (d)"
    )?;
    let now = Utc::now();
    for n in &nodes {
        let (last, lag) = match n.last_bundle_at {
            Some(t) => (
                t.format("%Y-%m-%d %H:%M").to_string(),
                (now - t).num_days().to_string(),
            ),
            None => ("never".to_owned(), "-".to_owned()),
        };
        writeln!(
            out,
            "{:<8} {:<32} {:>12}  {:<17} {:>8}",
            n.node, n.name, n.checkpoint, last, lag
        )?;
    }
    Ok(())
}

/// Opens a bundle file (its manifest only, not verified yet).
fn open(path: &Path) -> Result<ReadBundle<BufReader<File>>, FederationError> {
    let file = File::open(path).map_err(|source| FederationError::Io {
        what: format!("opening {}", path.display()),
        source,
    })?;
    ReadBundle::new(BufReader::with_capacity(1 << 16, file))
}
