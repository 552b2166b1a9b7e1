//! AI detections: a detector's output read and georeferenced through the orthophoto it ran on,
//! stored as a run; people's verdicts (a confirmed detection becomes an EO find in a report
//! submitted for the usual approval); and how right each detector is.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use geo::{BooleanOps, Contains};
use geo_types::{MultiPolygon, Point};
use safeground_detection::{
    DetectionFormat, Dropped, ImageGeoreference, ModelMetrics, ReadOptions, Scored, Surveyed,
    Verdict, metrics, read_detections,
};
use safeground_federation::detector_summary::{CalibrationBin, DetectorRow};
use safeground_federation::{DetectorSummary, NodeId};
use safeground_model::{EoFind, ItemKind, OrdnanceCategory, Record};
use safeground_orthophoto::Orthophoto;
use safeground_store::evidence::{
    Confirmation, Detection, DetectionQuery, DetectionRun, NewDetection, NewDetectionRun,
    VerdictValue,
};
use safeground_store::{Backend, Flow, NewReport, ReportEntry};

use super::EvidenceCell;
use crate::auth::{Permission, Principal};
use crate::error::{ApiError, ApiResult};

/// A verified find within this distance of a confirmed detection counts as found by it.
pub const MATCH_RADIUS_M: f64 = 5.0;

/// How a detector's output is read.
#[derive(Debug, Clone, Default)]
pub struct DetectionImport {
    /// The orthophoto it ran on (needed for COCO and YOLO, which are in pixels).
    pub orthophoto: Option<i64>,
    /// The file's format (guessed when None).
    pub format: Option<DetectionFormat>,
    /// Model name (else read from the file).
    pub model: Option<String>,
    /// Model version (else read from the file).
    pub model_version: Option<String>,
    /// YOLO class names by class id.
    pub classes: Option<Vec<String>>,
    /// Detections below this confidence are left out.
    pub min_confidence: f64,
    /// The file name, kept with the run.
    pub source_name: String,
}

/// An orthophoto as the detector's image.
struct Image<'a>(&'a Orthophoto);

impl ImageGeoreference for Image<'_> {
    fn size(&self) -> (u32, u32) {
        (self.0.info().width, self.0.info().height)
    }

    fn pixel_to_wgs84(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        self.0.pixel_to_wgs84(px, py)
    }
}

/// Reads `bytes` and stores them as one run in one transaction; answers the run and what was
/// left out (record and reason). Detections georeferenced outside the orthophoto's footprint
/// are left out too.
pub fn import(
    store: &mut dyn Backend,
    cell: &EvidenceCell,
    who: &Principal,
    bytes: &[u8],
    opts: &DetectionImport,
) -> ApiResult<(DetectionRun, Vec<Dropped>)> {
    who.require(Permission::WriteReports)?;
    let ortho = match opts.orthophoto {
        Some(id) => {
            let row = store.orthophoto(id).map_err(|e| match e {
                safeground_store::StoreError::NotFound(_) => {
                    ApiError::field("orthophoto", format!("there is no orthophoto {id}"))
                }
                e => e.into(),
            })?;
            Some((row.footprint.clone(), cell.orthophoto(id, &row.file)?))
        }
        None => None,
    };
    let image = ortho.as_ref().map(|(_, o)| Image(o));
    let read = ReadOptions {
        model: opts.model.as_deref(),
        model_version: opts.model_version.as_deref(),
        classes: opts.classes.as_deref(),
        image: image.as_ref().map(|i| i as &dyn ImageGeoreference),
        min_confidence: opts.min_confidence,
    };
    let found = read_detections(bytes, opts.format, &read)
        .map_err(|e| ApiError::field("file", e.to_string()))?;
    let mut dropped = found.dropped;
    let mut kept = Vec::with_capacity(found.items.len());
    for d in found.items {
        let location = Point::new(d.lon, d.lat);
        if let Some((footprint, _)) = &ortho
            && !footprint.contains(&location)
        {
            dropped.push(Dropped {
                record: d.record,
                reason: format!(
                    "at {:.6}, {:.6}, outside the orthophoto's footprint",
                    d.lat, d.lon
                ),
            });
            continue;
        }
        kept.push(NewDetection {
            class: d.class,
            confidence: d.confidence,
            location,
            footprint: d.footprint,
            // The detector's x, y, width, height as the store's min x, min y, max x, max y.
            pixel_bbox: d.pixel_bbox.map(|[x, y, w, h]| [x, y, x + w, y + h]),
        });
    }
    dropped.sort_by_key(|d| d.record);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for d in &dropped {
        *reasons.entry(reason_kind(&d.reason)).or_default() += 1;
    }
    let run = NewDetectionRun {
        orthophoto: opts.orthophoto,
        model: found.model,
        model_version: found.model_version,
        format: format_name(found.format).to_owned(),
        source_name: opts.source_name.clone(),
        organisation: Some(who.organisation.clone()),
        detections: kept,
        dropped: reasons.into_iter().collect(),
    };
    let stored = store.add_detection_run(&who.username, &run)?;
    Ok((stored, dropped))
}

/// The reason without its figures, to count reasons alike together.
fn reason_kind(reason: &str) -> String {
    reason
        .split([':', '('])
        .next()
        .unwrap_or(reason)
        .trim()
        .to_owned()
}

/// The format's name as stored.
pub fn format_name(f: DetectionFormat) -> &'static str {
    match f {
        DetectionFormat::GeoJson => "geojson",
        DetectionFormat::Coco => "coco",
        DetectionFormat::Yolo => "yolo",
    }
}

/// A person's verdict on a detection.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerdictBody {
    /// `confirmed`, `false_positive` or `not_verifiable`.
    #[schema(value_type = String)]
    pub verdict: VerdictValue,
    /// What the person saw.
    #[serde(default)]
    pub note: Option<String>,
    /// The ordnance category of the confirmed item (required for `confirmed`).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub category: Option<OrdnanceCategory>,
    /// How many items (confirmed; default 1).
    #[serde(default)]
    pub quantity: Option<u32>,
    /// The approved EO find it is, when that find is recorded already (local id): linked,
    /// with no new report.
    #[serde(default)]
    pub eo_find: Option<String>,
}

/// Records `who`'s verdict on detection `id`. A confirmation creates, in the same transaction,
/// a report with one EO find at the detection, submitted for the usual approval: a detection
/// is never a find until a person confirms it and the report is approved.
pub fn give_verdict(
    store: &mut dyn Backend,
    who: &Principal,
    id: i64,
    body: &VerdictBody,
) -> ApiResult<Detection> {
    who.require(Permission::Review)?;
    let d = visible(store, who, id)?;
    let report = match body.verdict {
        VerdictValue::Pending => {
            return Err(ApiError::field(
                "verdict",
                "give confirmed, false_positive or not_verifiable",
            ));
        }
        VerdictValue::Confirmed if body.eo_find.is_some() => {
            if body.category.is_some() || body.quantity.is_some() {
                return Err(ApiError::field(
                    "category",
                    "a recorded EO find has its category already; give eo_find or category",
                ));
            }
            None
        }
        VerdictValue::Confirmed => {
            let category = body.category.ok_or_else(|| {
                ApiError::field(
                    "category",
                    "name the ordnance category of the confirmed item, or the recorded EO find \
                     it is (eo_find)",
                )
            })?;
            Some(find_report(&d, who, category, body.quantity.unwrap_or(1)))
        }
        _ if body.category.is_some() || body.quantity.is_some() || body.eo_find.is_some() => {
            return Err(ApiError::field(
                "category",
                "only a confirmed detection has a category, quantity or EO find",
            ));
        }
        _ => None,
    };
    let note = body
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let confirmation = match (&report, body.eo_find.as_deref()) {
        (Some(r), _) => Some(Confirmation::NewFind(r)),
        (None, Some(f)) => Some(Confirmation::KnownFind(f.trim())),
        (None, None) => None,
    };
    Ok(store.set_verdict(&who.username, id, body.verdict, note, confirmation)?)
}

/// The report a confirmation creates: one EO find where the detection is.
fn find_report(
    d: &Detection,
    who: &Principal,
    category: OrdnanceCategory,
    quantity: u32,
) -> NewReport {
    let today = Utc::now().date_naive();
    let find = EoFind {
        local_id: format!("DET-{}", d.id),
        activity: None,
        hazard: None,
        category,
        model: None,
        quantity,
        condition: None,
        depth_cm: None,
        disposal: None,
        found_date: Some(today),
        destroyed_date: None,
        location: Some(d.location),
    };
    NewReport {
        organisation: d.organisation.clone().or(Some(who.organisation.clone())),
        title: format!(
            "Detection {} confirmed: {} ({} {})",
            d.id, d.class, d.model, d.model_version
        ),
        source: Some(format!(
            "detection {} of run {}, confirmed by {}",
            d.id, d.run, who.username
        )),
        date_of_information: today,
        entries: vec![ReportEntry::new(Record::EoFind(find))],
    }
}

/// Detection `id` if `who` may see it (its organisation's, or national users').
pub fn visible(store: &dyn Backend, who: &Principal, id: i64) -> ApiResult<Detection> {
    let d = store.detection(id)?;
    if !who.sees_organisation(d.organisation.as_deref()) {
        return Err(ApiError::forbidden(
            "this detection belongs to another organisation",
        ));
    }
    Ok(d)
}

/// Detections `who` may see, as `query` asks.
pub fn list(
    store: &dyn Backend,
    who: &Principal,
    mut query: DetectionQuery,
) -> ApiResult<Vec<Detection>> {
    who.require(Permission::Read)?;
    if !who.national {
        query.organisation = Some(who.organisation.clone());
    }
    Ok(store.detections(&query)?)
}

/// Precision, recall and calibration per model, version and class, over every detection with
/// a verdict and the programme's verified EO finds (approved, with a location) inside the
/// orthophotos each model ran on.
pub fn model_metrics(store: &dyn Backend) -> ApiResult<Vec<ModelMetrics>> {
    let mut scored = Vec::new();
    let mut offset = 0;
    loop {
        let page = store.detections(&DetectionQuery {
            limit: 10_000,
            offset,
            ..DetectionQuery::default()
        })?;
        let n = page.len();
        scored.extend(page.into_iter().map(|d| Scored {
            model: d.model,
            model_version: d.model_version,
            class: d.class,
            confidence: d.confidence,
            verdict: verdict_of(d.verdict),
            lon: d.location.x(),
            lat: d.location.y(),
        }));
        if n < 10_000 {
            break;
        }
        offset += n;
    }
    let footprints: BTreeMap<i64, MultiPolygon<f64>> = store
        .orthophotos()?
        .into_iter()
        .map(|o| (o.id, MultiPolygon(vec![o.footprint])))
        .collect();
    let mut surveyed: BTreeMap<(String, String), MultiPolygon<f64>> = BTreeMap::new();
    for run in store.detection_runs()? {
        let Some(fp) = run.orthophoto.and_then(|id| footprints.get(&id)) else {
            continue;
        };
        let area = surveyed
            .entry((run.model, run.model_version))
            .or_insert_with(|| MultiPolygon(Vec::new()));
        *area = if area.0.is_empty() {
            fp.clone()
        } else {
            area.union(fp)
        };
    }
    let surveyed: Vec<Surveyed> = surveyed
        .into_iter()
        .map(|((model, model_version), footprint)| Surveyed {
            model,
            model_version,
            footprint,
        })
        .collect();
    let mut finds = Vec::new();
    store.for_each_current(ItemKind::EoFind, None, &mut |v| {
        if let Record::EoFind(f) = v.record
            && let Some(p) = f.location
        {
            finds.push((p.x(), p.y()));
        }
        Ok(Flow::Continue)
    })?;
    Ok(metrics(&scored, &surveyed, &finds, MATCH_RADIUS_M))
}

/// The programme's detector summary for its hub as node `node` at `at`: the rows of
/// [`model_metrics`], figures only (sign it with the node's key).
pub fn detector_summary(
    store: &dyn Backend,
    node: NodeId,
    at: DateTime<Utc>,
) -> ApiResult<DetectorSummary> {
    let rows = model_metrics(store)?.into_iter().map(summary_row).collect();
    Ok(DetectorSummary::new(node, at, MATCH_RADIUS_M, rows))
}

/// A metrics row as the summary carries it.
fn summary_row(m: ModelMetrics) -> DetectorRow {
    DetectorRow {
        model: m.model,
        model_version: m.model_version,
        class: m.class,
        detections: m.detections as u64,
        confirmed: m.confirmed as u64,
        false_positive: m.false_positive as u64,
        not_verifiable: m.not_verifiable as u64,
        pending: m.pending as u64,
        precision: m.precision,
        finds_in_footprint: m.finds_in_footprint as u64,
        finds_matched: m.finds_matched as u64,
        recall: m.recall,
        expected_calibration_error: m.expected_calibration_error,
        calibration: (m.calibration.into_iter())
            .map(|b| CalibrationBin {
                from: b.from,
                to: b.to,
                count: b.count as u64,
                mean_confidence: b.mean_confidence,
                confirmed_share: b.confirmed_share,
            })
            .collect(),
    }
}

/// The detection crate's verdict for a stored one.
fn verdict_of(v: VerdictValue) -> Verdict {
    match v {
        VerdictValue::Pending => Verdict::Pending,
        VerdictValue::Confirmed => Verdict::Confirmed,
        VerdictValue::FalsePositive => Verdict::FalsePositive,
        VerdictValue::NotVerifiable => Verdict::NotVerifiable,
    }
}
