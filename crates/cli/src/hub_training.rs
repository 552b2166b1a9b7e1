//! Training summaries (issue 25): a node writes its training figures (no names) as a signed
//! document (`safeground federation training-summary`), the hub stores each node's latest
//! (`safeground hub import-training`, and `hub pull` after a node's bundles).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::{SecondsFormat, Utc};
use safeground_federation::detector_summary::ReceivedDetectorSummary;
use safeground_federation::training_summary::ReceivedSummary;
use safeground_federation::{NodeKey, TrainingSummary};
use safeground_server::federation::check_node;
use safeground_store::hub_training::SummaryPut;
use safeground_store::{AnyStore, Location, StoreError};

use crate::hub::REFUSED;

/// Writes the programme's signed training summary to `file` (through `FILE.partial`, synced,
/// then renamed; never overwrites).
pub(crate) fn write_summary(
    db: &Location,
    key_path: &Path,
    file: &Path,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let key = NodeKey::load(key_path).with_context(|| {
        format!(
            "reading the node key {} (made by `safeground federation init`)",
            key_path.display()
        )
    })?;
    let store = db.open().with_context(|| format!("opening {db}"))?;
    check_node(store.as_ref(), &key)?;
    if file.exists() {
        bail!(
            "{} exists: a training summary is never overwritten; choose another --out or move \
             it away",
            file.display()
        );
    }
    let summary = TrainingSummary::of_register(store.as_ref(), key.node().clone(), Utc::now())?;
    let document = summary.sign(&key)?;
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    let written = (|| -> anyhow::Result<()> {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&partial)
            .with_context(|| format!("creating {}", partial.display()))?;
        f.write_all(document.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&partial, file)
            .with_context(|| format!("renaming {} to {}", partial.display(), file.display()))?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e.context(format!("writing {}", file.display())));
    }
    let participants: u64 = summary.rows.iter().map(|r| r.participants).sum();
    let issued: u64 = summary.rows.iter().map(|r| r.certificates).sum();
    let valid: u64 = summary.valid_certificates.iter().map(|v| v.count).sum();
    writeln!(
        out,
        "node {}: training summary of {} written to {} ({} rows: {participants} \
         participations, {issued} certificates issued, {valid} valid now; no names, person ids \
         or organisations)",
        summary.node,
        summary
            .generated_at
            .to_rfc3339_opts(SecondsFormat::Secs, true),
        file.display(),
        summary.rows.len()
    )?;
    Ok(())
}

/// Stores summary documents at the hub, each file in order; stops at the first refused one
/// (exit code 2, nothing of it written).
pub(crate) fn import(
    db: &Location,
    files: &[PathBuf],
    actor: &str,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut store = db.open().with_context(|| format!("opening {db}"))?;
    for (i, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the training summary {}", path.display()))?;
        match put(&mut store, actor, text).with_context(|| format!("storing {}", path.display()))? {
            Ok(put) => writeln!(out, "{}: {}", path.display(), said(&put))?,
            Err(why) => {
                eprintln!("{}: refused: {why}", path.display());
                if i + 1 < files.len() {
                    eprintln!("not imported: {} later file(s)", files.len() - i - 1);
                }
                return Ok(ExitCode::from(REFUSED));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Verifies and stores one summary document: what it did, or why it was refused (nothing
/// written); an error when the store fails.
pub(crate) fn put(
    store: &mut AnyStore,
    actor: &str,
    document: String,
) -> anyhow::Result<Result<SummaryPut, String>> {
    let received = match ReceivedSummary::new(document) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e.to_string())),
    };
    match store.put_training_summary(actor, &received) {
        Ok(put) => Ok(Ok(put)),
        Err(StoreError::Federation(why)) => Ok(Err(why)),
        Err(e) => Err(e.into()),
    }
}

/// Verifies and stores one detector summary document, as [`put`] does a training summary.
pub(crate) fn put_detector(
    store: &mut AnyStore,
    actor: &str,
    document: String,
) -> anyhow::Result<Result<SummaryPut, String>> {
    let received = match ReceivedDetectorSummary::new(document) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e.to_string())),
    };
    match store.put_detector_summary(actor, &received) {
        Ok(put) => Ok(Ok(put)),
        Err(StoreError::Federation(why)) => Ok(Err(why)),
        Err(e) => Err(e.into()),
    }
}

/// One line about a stored training summary.
pub(crate) fn said(put: &SummaryPut) -> String {
    said_as(put, "training summary")
}

/// One line about a stored summary of kind `what` ("detector summary").
pub(crate) fn said_as(put: &SummaryPut, what: &str) -> String {
    let t = |t: &chrono::DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    match put {
        SummaryPut::Stored {
            node,
            generated_at,
            replaced: None,
        } => format!("node {node}: {what} of {} stored", t(generated_at)),
        SummaryPut::Stored {
            node,
            generated_at,
            replaced: Some(r),
        } => format!(
            "node {node}: {what} of {} stored, replacing the one of {}",
            t(generated_at),
            t(r)
        ),
        SummaryPut::Unchanged {
            node,
            generated_at,
            held,
        } => format!(
            "node {node}: {what} of {} unchanged: the hub holds the one of {}, as new or \
             newer",
            t(generated_at),
            t(held)
        ),
    }
}
