//! Node summaries for the hub, as files: a node writes its training figures (issue 25; no
//! names) or its detector metrics (issue 28; no locations) as a signed document
//! (`safeground federation training-summary` / `detector-summary`), the hub stores each node's
//! latest (`safeground hub import-training` / `import-detectors`, and `hub pull` after a
//! node's bundles).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::{SecondsFormat, Utc};
use safeground_federation::detector_summary::ReceivedDetectorSummary;
use safeground_federation::training_summary::ReceivedSummary;
use safeground_federation::{NodeKey, TrainingSummary};
use safeground_server::evidence::detections::detector_summary;
use safeground_server::federation::check_node;
use safeground_store::hub_training::SummaryPut;
use safeground_store::{AnyStore, Location, StoreError};

use crate::hub::REFUSED;

/// A signed summary a node gives its hub beside its bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Summary {
    /// Training figures (issue 25).
    Training,
    /// Detector metrics (issue 28).
    Detector,
}

impl Summary {
    /// Its name in messages.
    pub(crate) fn what(self) -> &'static str {
        match self {
            Summary::Training => "training summary",
            Summary::Detector => "detector summary",
        }
    }
}

/// Writes the programme's signed summary of `kind` to `file` (through `FILE.partial`, synced,
/// then renamed; never overwrites).
pub(crate) fn write_summary(
    db: &Location,
    key_path: &Path,
    file: &Path,
    kind: Summary,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let what = kind.what();
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
            "{} exists: a {what} is never overwritten; choose another --out or move it away",
            file.display()
        );
    }
    let (document, generated_at, contents) = match kind {
        Summary::Training => {
            let summary =
                TrainingSummary::of_register(store.as_ref(), key.node().clone(), Utc::now())?;
            let participants: u64 = summary.rows.iter().map(|r| r.participants).sum();
            let issued: u64 = summary.rows.iter().map(|r| r.certificates).sum();
            let valid: u64 = summary.valid_certificates.iter().map(|v| v.count).sum();
            let contents = format!(
                "{} rows: {participants} participations, {issued} certificates issued, {valid} \
                 valid now; no names, person ids or organisations",
                summary.rows.len()
            );
            (summary.sign(&key)?, summary.generated_at, contents)
        }
        Summary::Detector => {
            let summary = detector_summary(store.as_ref(), key.node().clone(), Utc::now())?;
            let all = summary.rows.iter().filter(|r| r.class == "*");
            let (detections, confirmed) =
                all.fold((0, 0), |(d, c), r| (d + r.detections, c + r.confirmed));
            let contents = format!(
                "{} rows: {detections} detections, {confirmed} confirmed; figures only, no \
                 locations",
                summary.rows.len()
            );
            (summary.sign(&key)?, summary.generated_at, contents)
        }
    };
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
    writeln!(
        out,
        "node {}: {what} of {} written to {} ({contents})",
        key.node(),
        generated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        file.display(),
    )?;
    Ok(())
}

/// Stores summary documents of `kind` at the hub, each file in order; stops at the first
/// refused one (exit code 2, nothing of it written).
pub(crate) fn import(
    db: &Location,
    files: &[PathBuf],
    kind: Summary,
    actor: &str,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut store = db.open().with_context(|| format!("opening {db}"))?;
    for (i, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the {} {}", kind.what(), path.display()))?;
        match put(&mut store, kind, actor, text)
            .with_context(|| format!("storing {}", path.display()))?
        {
            Ok(put) => writeln!(out, "{}: {}", path.display(), said(&put, kind))?,
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

/// Verifies and stores one summary document of `kind`: what it did, or why it was refused
/// (nothing written); an error when the store fails.
pub(crate) fn put(
    store: &mut AnyStore,
    kind: Summary,
    actor: &str,
    document: String,
) -> anyhow::Result<Result<SummaryPut, String>> {
    let stored = match kind {
        Summary::Training => match ReceivedSummary::new(document) {
            Ok(r) => store.put_training_summary(actor, &r),
            Err(e) => return Ok(Err(e.to_string())),
        },
        Summary::Detector => match ReceivedDetectorSummary::new(document) {
            Ok(r) => store.put_detector_summary(actor, &r),
            Err(e) => return Ok(Err(e.to_string())),
        },
    };
    match stored {
        Ok(put) => Ok(Ok(put)),
        Err(StoreError::Federation(why)) => Ok(Err(why)),
        Err(e) => Err(e.into()),
    }
}

/// One line about a stored summary of `kind`.
pub(crate) fn said(put: &SummaryPut, kind: Summary) -> String {
    let what = kind.what();
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
