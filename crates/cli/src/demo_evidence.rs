//! The demo's drone, detector and machine evidence: files drawn by `safeground_demo::evidence`,
//! imported through the same code as `safeground evidence`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use safeground_demo::evidence::{
    CLASSES, EvidenceError, EvidenceFiles, MODEL, MODEL_VERSION, Truth, WORKING_WIDTH_M,
    write_files,
};
use safeground_server::auth::Principal;
use safeground_server::evidence::demo::{DemoEvidence, DemoVerdict, Populated, populate};
use safeground_store::Backend;

/// The demo's verdicts: what people said of the detections they judged.
pub fn verdicts(files: &EvidenceFiles) -> Vec<(geo_types::Point<f64>, DemoVerdict)> {
    files
        .planned
        .iter()
        .map(|p| {
            let verdict = match (p.judged, p.truth, &p.recorded) {
                (false, _, _) => DemoVerdict::Pending,
                (true, Truth::Item(_), Some(find)) => DemoVerdict::Recorded(find.clone()),
                (true, Truth::Item(category), None) => DemoVerdict::Confirmed(category),
                (true, Truth::Nothing, _) => DemoVerdict::FalsePositive,
                (true, Truth::Unclear, _) => DemoVerdict::NotVerifiable,
            };
            (p.location, verdict)
        })
        .collect()
}

/// Draws and imports the evidence of the programme in `store` into `dir`: as `writer` the
/// files, as `reviewer` the verdicts. None when the programme has no clearance to show.
pub fn add(
    store: &mut dyn Backend,
    dir: &Path,
    writer: &str,
    reviewer: &str,
) -> anyhow::Result<Option<Populated>> {
    let sources = tempfile::tempdir().context("a temporary folder for the demo's evidence")?;
    let files = match write_files(store, sources.path()) {
        Ok(files) => files,
        Err(EvidenceError::NoClearance) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let as_user = |store: &dyn Backend, name: &str| -> anyhow::Result<Principal> {
        let account = store
            .account(name)?
            .with_context(|| format!("the demo user {name}"))?;
        Ok(Principal::of_account(store, account)?)
    };
    let writer = as_user(store, writer)?;
    let reviewer = as_user(store, reviewer)?;
    let evidence = DemoEvidence {
        orthophoto: &files.orthophoto,
        activity: &files.activity,
        hazards: &files.hazards,
        detections: &files.detections,
        classes: &CLASSES,
        model: MODEL,
        model_version: MODEL_VERSION,
        verdicts: verdicts(&files),
        track: &files.track,
        machine: "Flail MV-4 #2",
        working_width_m: WORKING_WIDTH_M,
    };
    Ok(Some(populate(store, dir, &writer, &reviewer, &evidence)?))
}

/// Prints what was added.
pub fn print(p: Option<&Populated>, db: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let Some(p) = p else {
        writeln!(
            out,
            "\nEvidence: none (this programme has no clearance to fly a drone over; try more \
             --hazards)."
        )?;
        return Ok(());
    };
    writeln!(
        out,
        "\nEvidence: a drone orthophoto (served as raster tiles, see the map's Orthophotos \
         panel), {} detections of {MODEL} {MODEL_VERSION} ({} judged; the rest wait in \
         #/triage), and a flail's track covering {:.1} % of its clearance task ({} bad fixes \
         dropped; see #/tracks/{}); files in {}.",
        p.detections,
        p.verdicts,
        p.coverage_pct,
        p.dropped_fixes,
        p.track,
        db.with_extension("evidence").display()
    )?;
    Ok(())
}
