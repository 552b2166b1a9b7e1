//! `safeground federation`: the national node's side of regional federation — its identity
//! (key pair and node card) and signed bundles of its outbox for a hub (USB stick, e-mail).

use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Subcommand;
use safeground_federation::{NodeId, NodeKey, Policy};
use safeground_server::federation::{Sharing, align_policy, check_node, write_bundle};
use safeground_store::Location;

use crate::hub_training::Summary;

/// Where an export starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// After this outbox seq (the hub's checkpoint; 0: from the start).
    Seq(u64),
    /// After the last entry an export or the feed shared.
    Last,
}

impl FromStr for Since {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "last" => Ok(Since::Last),
            n => n.parse().map(Since::Seq).map_err(|_| {
                format!(
                    "`{s}` is not a checkpoint: give the hub's last seq for this node (0 for \
                     everything) or `last`"
                )
            }),
        }
    }
}

/// Actions of `safeground federation`.
#[derive(Subcommand, Debug)]
pub enum FederationCommand {
    /// Give the programme its node identity: a new key pair (private key in FILE, mode 0600,
    /// never overwritten) and the node id; prints the node card (JSON) the hub registers.
    Init {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// Node id: the country's ISO 3166-1 alpha-3 code (KHM, LAO, AZE).
        #[arg(long)]
        node: String,
        /// The programme's name on the card, e.g. "Cambodia (CMAA)".
        #[arg(long)]
        name: String,
        /// Private key file to create (keep it safe and off shared drives).
        #[arg(long)]
        key: PathBuf,
        /// Who sets the node id (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Print the node card (JSON) of the programme's key again.
    Card {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// The node's private key file.
        #[arg(long)]
        key: PathBuf,
        /// The programme's name on the card.
        #[arg(long)]
        name: String,
    },
    /// Write a signed, de-identified bundle of the outbox after a checkpoint, for the hub.
    Export {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// The node's private key file.
        #[arg(long)]
        key: PathBuf,
        /// The hub's checkpoint for this node (its last seq; 0 for everything), or `last`:
        /// after what the last export or feed shared.
        #[arg(long)]
        since: Since,
        /// Bundle file to write (never overwritten).
        #[arg(long)]
        out: PathBuf,
        /// Sharing policy (TOML, see crates/federation/policy.example.toml); default: the
        /// safe default policy. A kind it no longer shares is withdrawn at the hub
        /// (tombstones); a kind newly shared, or under other terms, is sent again.
        #[arg(long)]
        policy: Option<PathBuf>,
    },
    /// Write the programme's training summary for the hub, signed with the node's key:
    /// participants and certificates per competency, sex, age band and year, and
    /// certificates valid now (no names, person ids or organisations).
    TrainingSummary {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// The node's private key file.
        #[arg(long)]
        key: PathBuf,
        /// Summary file to write (JSON; never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the programme's detector summary for the hub, signed with the node's key: per
    /// model, version and class the verdict counts, precision, recall and calibration (figures
    /// only, no locations) — what `hub pull` fetches, for a hub reached by file.
    DetectorSummary {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// The node's private key file.
        #[arg(long)]
        key: PathBuf,
        /// Summary file to write (JSON; never overwritten).
        #[arg(long)]
        out: PathBuf,
    },
    /// Withdraw an item from sharing: the next bundle tells the hub to delete it, and its
    /// versions stay withheld until it is shared again.
    Withdraw {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// The item (`HAZ-000123`).
        item: String,
        /// Why (recorded in the audit log and shown on the Sharing page).
        #[arg(long)]
        reason: String,
        /// Who withdraws it (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Share a withdrawn item again: the next bundle sends its current version.
    Reshare {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// The item (`HAZ-000123`).
        item: String,
        /// Who shares it again (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// List the items withdrawn from sharing (tab-separated: item, kind, local id, when, by,
    /// reason).
    Withdrawn {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
    },
    /// Trust a regional hub for reference data, by its card (the JSON `federation init`
    /// printed on the hub), received through a channel you trust.
    TrustHub {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// The hub's card, JSON.
        card: PathBuf,
        /// Who trusts it (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Pull the trusted hub's latest reference data over HTTP(S) and adopt it if newer.
    PullReference(crate::reference::PullArgs),
    /// Adopt reference data from a file the hub wrote (`hub reference-file`), if newer.
    AdoptReference {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
        /// The signed reference document.
        file: PathBuf,
        /// Who adopts it (recorded in the audit log).
        #[arg(long, default_value = "cli")]
        actor: String,
    },
    /// Write a signed library package (a folder: manifest.json and files/) of the programme's
    /// own public and regional documents, for the hub (`hub import-library`).
    ExportLibrary(crate::library_exchange::ExportArgs),
    /// Adopt the trusted hub's library package (`hub export-library`): the region's documents,
    /// read-only here; this programme's own are skipped. Nothing is written when refused.
    AdoptLibrary(crate::library_exchange::ReceiveArgs),
    /// Pull the trusted hub's library over HTTP(S) (`GET /api/hub/library/manifest` and the
    /// files this programme lacks) and adopt it as `adopt-library` does.
    PullLibrary(crate::library_exchange::PullArgs),
    /// Show the reference data adopted (tab-separated models: model, category, description,
    /// aliases).
    Reference {
        /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
        db: Location,
    },
}

/// Runs a `federation` action.
pub fn run(action: FederationCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match action {
        FederationCommand::Init {
            db,
            node,
            name,
            key,
            actor,
        } => init(&db, &node, &name, &key, &actor, out),
        FederationCommand::Card { db, key, name } => {
            let store = db.open().with_context(|| format!("opening {db}"))?;
            let key = load_key(&key)?;
            check_node(store.as_ref(), &key)?;
            writeln!(out, "{}", key.card(&name)?.to_json())?;
            Ok(())
        }
        FederationCommand::Export {
            db,
            key,
            since,
            out: file,
            policy,
        } => export(&db, &key, since, &file, policy.as_deref(), out),
        FederationCommand::TrainingSummary { db, key, out: file } => {
            crate::hub_training::write_summary(&db, &key, &file, Summary::Training, out)
        }
        FederationCommand::DetectorSummary { db, key, out: file } => {
            crate::hub_training::write_summary(&db, &key, &file, Summary::Detector, out)
        }
        FederationCommand::Withdraw {
            db,
            item,
            reason,
            actor,
        } => {
            let mut store = db.open().with_context(|| format!("opening {db}"))?;
            let seq = store.withdraw(&actor, &item, &reason)?;
            writeln!(
                out,
                "{item} withdrawn from sharing: tombstone at outbox entry {seq}; the next \
                 export or feed page tells the hub to delete it"
            )?;
            Ok(())
        }
        FederationCommand::Reshare { db, item, actor } => {
            let mut store = db.open().with_context(|| format!("opening {db}"))?;
            let seq = store.reshare(&actor, &item)?;
            writeln!(
                out,
                "{item} shared again: its current version is outbox entry {seq}"
            )?;
            Ok(())
        }
        FederationCommand::TrustHub { db, card, actor } => {
            crate::reference::trust_hub(&db, &card, &actor, out)
        }
        FederationCommand::PullReference(args) => crate::reference::pull(&args, out),
        FederationCommand::AdoptReference { db, file, actor } => {
            crate::reference::adopt_file(&db, &file, &actor, out)
        }
        FederationCommand::Reference { db } => crate::reference::show(&db, out),
        FederationCommand::ExportLibrary(args) => {
            crate::library_exchange::export(&args, false, out)
        }
        FederationCommand::AdoptLibrary(args) => crate::library_exchange::adopt(&args, out),
        FederationCommand::PullLibrary(args) => crate::library_exchange::pull(&args, out),
        FederationCommand::Withdrawn { db } => {
            let store = db.open().with_context(|| format!("opening {db}"))?;
            for w in store.withdrawals()? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    w.item,
                    w.kind.code(),
                    w.local_id,
                    w.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    w.by,
                    w.reason
                )?;
            }
            Ok(())
        }
    }
}

/// Prints what aligning the outbox with the policy appended (nothing when nothing changed).
pub(crate) fn report_alignment(
    a: &safeground_store::PolicyAlignment,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let codes = |ks: &[safeground_model::ItemKind]| {
        ks.iter().map(|k| k.code()).collect::<Vec<_>>().join(", ")
    };
    if !a.withdrawn_kinds.is_empty() {
        writeln!(
            out,
            "sharing policy: no longer shares {}: {} tombstones added to the outbox",
            codes(&a.withdrawn_kinds),
            a.tombstones
        )?;
    }
    if !a.resent_kinds.is_empty() {
        writeln!(
            out,
            "sharing policy: shares {} newly or under other terms: {} records to send again",
            codes(&a.resent_kinds),
            a.upserts
        )?;
    }
    Ok(())
}

fn load_key(path: &Path) -> anyhow::Result<NodeKey> {
    NodeKey::load(path).with_context(|| {
        format!(
            "reading the node key {} (made by `safeground federation init`)",
            path.display()
        )
    })
}

/// Reads a sharing policy file, or the default.
pub fn load_policy(path: Option<&Path>) -> anyhow::Result<Policy> {
    let Some(path) = path else {
        return Ok(Policy::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the sharing policy {}", path.display()))?;
    let mut policy = Policy::from_toml(&text).with_context(|| format!("in {}", path.display()))?;
    policy.file = path.file_name().map(|n| n.to_string_lossy().into_owned());
    Ok(policy)
}

fn init(
    db: &Location,
    node: &str,
    name: &str,
    key_path: &Path,
    actor: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let id = NodeId::new(node)?;
    let mut store = db.open().with_context(|| format!("opening {db}"))?;
    if let Some(current) = store.node()?
        && current.code != node
        && current.shared_through > 0
    {
        bail!(
            "this programme has shared records as node {0} (through outbox entry {1}); its node \
             id can no longer become {node}. Keep {0}: `safeground federation init` is needed \
             once only",
            current.code,
            current.shared_through
        );
    }
    let key = NodeKey::create(key_path, id)?;
    if let Err(e) = store.set_node(actor, node) {
        // The key is of no use without the node id: leave nothing behind for the next try.
        let _ = std::fs::remove_file(key_path);
        return Err(e).context(format!("setting the node id {node} (no key file was kept)"));
    }
    let card = key.card(name)?;
    writeln!(out, "{}", card.to_json())?;
    eprintln!(
        "node {node}: private key in {} (mode 0600; keep it safe, it signs every bundle). Give \
         the card above to the hub's operator (`safeground hub add-node`) and confirm the \
         fingerprint {} with them by another channel.",
        key_path.display(),
        card.fingerprint()
    );
    Ok(())
}

pub(crate) fn export(
    db: &Location,
    key_path: &Path,
    since: Since,
    file: &Path,
    policy: Option<&Path>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let sharing = Sharing {
        key: load_key(key_path)?,
        policy: load_policy(policy)?,
    };
    let mut store = db.open().with_context(|| format!("opening {db}"))?;
    check_node(store.as_ref(), &sharing.key)?;
    let aligned = align_policy(store.as_mut(), "cli: federation export", &sharing.policy)?;
    report_alignment(&aligned, out)?;
    let after = match since {
        Since::Seq(n) => n,
        Since::Last => store.node()?.map_or(0, |n| n.shared_through),
    };
    let head = store.outbox_head()?;
    if after > head {
        bail!(
            "--since {after} is beyond this programme's outbox, which ends at entry {head}: give \
             the hub's checkpoint for node {} (0 exports everything)",
            sharing.key.node()
        );
    }
    if after == head {
        writeln!(
            out,
            "nothing to share: the outbox ends at entry {head}, already shared; no file written"
        )?;
        return Ok(());
    }
    if file.exists() {
        bail!(
            "{} exists: a bundle is never overwritten; choose another --out or move it away",
            file.display()
        );
    }
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    let written = (|| -> anyhow::Result<_> {
        let f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&partial)
            .with_context(|| format!("creating {}", partial.display()))?;
        let (w, manifest) = write_bundle(store.as_ref(), &sharing, after, head, BufWriter::new(f))?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&partial, file)
            .with_context(|| format!("renaming {} to {}", partial.display(), file.display()))?;
        Ok(manifest)
    })();
    let manifest = match written {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e.context(format!("writing {} (nothing was recorded)", file.display())));
        }
    };
    store.record_export(manifest.seq_to)?;
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    writeln!(
        out,
        "node {}: outbox entries {}–{} written to {} in {:.1} s",
        manifest.node,
        manifest.seq_from,
        manifest.seq_to,
        file.display(),
        started.elapsed().as_secs_f64()
    )?;
    for (kind, c) in &manifest.counts {
        write!(out, "  {:<16} {:>8} shared", kind.code(), c.upsert)?;
        if c.tombstone > 0 {
            write!(out, ", {} withdrawn", c.tombstone)?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "  {:<16} {:>8} (not shared by the policy, or withdrawn: their seq alone)",
        "withheld", manifest.withheld
    )?;
    writeln!(
        out,
        "  {bytes} bytes; payload SHA-256 {} (signed in the manifest)",
        manifest.payload_sha256
    )?;
    writeln!(
        out,
        "recorded as shared through entry {}; the next export: --since last",
        manifest.seq_to
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_file_is_named_by_its_file_name_only() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("khm-sharing.toml");
        std::fs::write(&path, "[kinds.hazard]\nprecision = 3\n").expect("policy file");
        let policy = load_policy(Some(&path)).expect("a valid policy");
        assert_eq!(policy.file.as_deref(), Some("khm-sharing.toml"));
        assert_eq!(policy.precision(safeground_model::ItemKind::Hazard), 3);
        assert_eq!(load_policy(None).expect("default"), Policy::default());
        std::fs::write(&path, "[kinds.victim]\nfree_text = true\n").expect("policy file");
        let e = format!(
            "{:#}",
            load_policy(Some(&path)).expect_err("free text of victims")
        );
        assert!(
            e.contains("khm-sharing.toml") && e.contains("kinds.victim.free_text"),
            "{e}"
        );
    }
}
