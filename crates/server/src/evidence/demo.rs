//! The demo programme's evidence, imported through the same code as users': an orthophoto, a
//! detector's output with people's verdicts on some detections, and a machine track
//! (`safeground demo` and the UI tests use it).

use std::path::Path;

use geo_types::Point;
use safeground_coverage::CleanOptions;
use safeground_detection::DetectionFormat;
use safeground_model::OrdnanceCategory;
use safeground_store::Backend;
use safeground_store::evidence::{DetectionQuery, VerdictValue};

use super::EvidenceCell;
use super::detections::{DetectionImport, VerdictBody, give_verdict, import};
use super::orthophotos::{OrthophotoMeta, add};
use super::tracks::{TrackImport, import as import_track};
use crate::auth::Principal;
use crate::error::ApiResult;

/// A person's verdict in the demo.
#[derive(Debug, Clone, PartialEq)]
pub enum DemoVerdict {
    /// Confirmed as a new item of this category.
    Confirmed(OrdnanceCategory),
    /// Confirmed as the approved EO find already recorded there (local id).
    Recorded(String),
    /// Nothing there.
    FalsePositive,
    /// Cannot tell.
    NotVerifiable,
    /// Left in the triage queue.
    Pending,
}

/// The demo's evidence files and what people say about them.
#[derive(Debug, Clone)]
pub struct DemoEvidence<'a> {
    /// The GeoTIFF.
    pub orthophoto: &'a Path,
    /// The clearance activity (local id) flown and driven.
    pub activity: &'a str,
    /// Its hazards (local ids).
    pub hazards: &'a [String],
    /// The detector's YOLO output on the orthophoto.
    pub detections: &'a Path,
    /// The detector's classes in class-id order.
    pub classes: &'a [&'a str],
    /// The detector.
    pub model: &'a str,
    /// Its version.
    pub model_version: &'a str,
    /// The verdict on the detection nearest each point.
    pub verdicts: Vec<(Point<f64>, DemoVerdict)>,
    /// The machine's track (CSV).
    pub track: &'a Path,
    /// The machine.
    pub machine: &'a str,
    /// Its tool's width, metres.
    pub working_width_m: f64,
}

/// What was imported.
#[derive(Debug, Clone)]
pub struct Populated {
    /// The orthophoto's id.
    pub orthophoto: i64,
    /// Detections stored.
    pub detections: usize,
    /// Verdicts given.
    pub verdicts: usize,
    /// The track's id.
    pub track: i64,
    /// Its coverage of the task, %.
    pub coverage_pct: f64,
    /// Fixes dropped as bad.
    pub dropped_fixes: usize,
}

/// Imports the demo's evidence into `dir` and the store: the files as `writer`, the verdicts as
/// `reviewer`.
pub fn populate(
    store: &mut dyn Backend,
    dir: &Path,
    writer: &Principal,
    reviewer: &Principal,
    d: &DemoEvidence<'_>,
) -> ApiResult<Populated> {
    let o = add(
        store,
        dir,
        writer,
        d.orthophoto,
        false,
        OrthophotoMeta {
            name: Some(format!("Drone orthophoto of {}", d.activity)),
            hazards: d.hazards.to_vec(),
            activity: Some(d.activity.to_owned()),
            captured_on: None,
            file_name: "demo-orthophoto.tif".to_owned(),
        },
    )?;
    let cell = EvidenceCell::at(dir.to_path_buf());
    let bytes = std::fs::read(d.detections).map_err(crate::error::ApiError::internal)?;
    let (run, _) = import(
        store,
        &cell,
        writer,
        &bytes,
        &DetectionImport {
            orthophoto: Some(o.id),
            format: Some(DetectionFormat::Yolo),
            model: Some(d.model.to_owned()),
            model_version: Some(d.model_version.to_owned()),
            classes: Some(d.classes.iter().map(|c| (*c).to_owned()).collect()),
            min_confidence: 0.0,
            source_name: "demo-detections.txt".to_owned(),
        },
    )?;
    let stored = store.detections(&DetectionQuery {
        orthophoto: Some(o.id),
        limit: 10_000,
        ..DetectionQuery::default()
    })?;
    let mut verdicts = 0;
    for (point, verdict) in &d.verdicts {
        let nearest = stored.iter().min_by(|a, b| {
            let da = (a.location.x() - point.x()).hypot(a.location.y() - point.y());
            let db = (b.location.x() - point.x()).hypot(b.location.y() - point.y());
            da.total_cmp(&db)
        });
        let Some(detection) = nearest else { continue };
        let body = match verdict {
            DemoVerdict::Confirmed(category) => VerdictBody {
                verdict: VerdictValue::Confirmed,
                note: Some("seen on the chip; confirmed on the ground".to_owned()),
                category: Some(*category),
                quantity: Some(1),
                eo_find: None,
            },
            DemoVerdict::Recorded(find) => VerdictBody {
                verdict: VerdictValue::Confirmed,
                note: Some("the item the team recorded here".to_owned()),
                category: None,
                quantity: None,
                eo_find: Some(find.clone()),
            },
            DemoVerdict::FalsePositive => VerdictBody {
                verdict: VerdictValue::FalsePositive,
                note: Some("a stone".to_owned()),
                category: None,
                quantity: None,
                eo_find: None,
            },
            DemoVerdict::NotVerifiable => VerdictBody {
                verdict: VerdictValue::NotVerifiable,
                note: Some("blurred".to_owned()),
                category: None,
                quantity: None,
                eo_find: None,
            },
            DemoVerdict::Pending => continue,
        };
        give_verdict(store, reviewer, detection.id, &body)?;
        verdicts += 1;
    }
    let csv = std::fs::read(d.track).map_err(crate::error::ApiError::internal)?;
    let (track, _) = import_track(
        store,
        writer,
        &csv,
        TrackImport {
            activity: d.activity.to_owned(),
            machine: d.machine.to_owned(),
            kind: "machine".to_owned(),
            working_width_m: d.working_width_m,
            format: None,
            source_name: "demo-machine-track.csv".to_owned(),
            task: None,
            clean: CleanOptions::default(),
        },
    )?;
    let dropped = track.dropped.as_object().map_or(0, |m| {
        m.values()
            .filter_map(serde_json::Value::as_u64)
            .sum::<u64>()
    });
    Ok(Populated {
        orthophoto: o.id,
        detections: run.count,
        verdicts,
        track: track.id,
        coverage_pct: track.coverage_pct,
        dropped_fixes: usize::try_from(dropped).unwrap_or(usize::MAX),
    })
}
