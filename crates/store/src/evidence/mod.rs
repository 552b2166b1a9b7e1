//! Evidence (issue 28): orthophotos (metadata only: the image lives in a folder the server
//! manages), AI detection runs and their detections with people's verdicts, and machine or
//! robot tracks with the coverage computed from them.
//!
//! A confirmed detection becomes a field report: [`EvidenceStore::set_verdict`] creates and
//! submits the report of its EO find in the same transaction as the verdict, with the same
//! validation and audit as [`crate::FieldStore::submit_field`]. Geometries are WGS84 and stored
//! as WKB (PostGIS geometry columns of SRID 4326 on PostgreSQL).

pub(crate) mod geometry;
mod rows;
mod types;

use chrono::NaiveDate;
use safeground_model::{Catalogue, FieldError, ItemKind, ValidationErrors};

pub(crate) use rows::*;
pub use types::*;

use crate::{NewReport, ReportId, Result, StoreError};

/// Orthophotos, detections with their verdicts, machine tracks.
pub trait EvidenceStore {
    /// Stores an orthophoto's metadata; audits `orthophoto.add`. Each of `hazards` must be an
    /// approved hazard's local id ([`StoreError::Invalid`] on `hazards[i]`), `activity` an
    /// approved activity's (on `activity`); every error found, nothing written.
    fn add_orthophoto(&mut self, actor: &str, o: &NewOrthophoto) -> Result<i64>;
    /// Every orthophoto, newest first.
    fn orthophotos(&self) -> Result<Vec<Orthophoto>>;
    /// One orthophoto ([`StoreError::NotFound`] when unknown).
    fn orthophoto(&self, id: i64) -> Result<Orthophoto>;
    /// Stores a run and all its detections (each pending) in ONE transaction; audits
    /// `detections.import` (run id, count). An unknown orthophoto is
    /// [`StoreError::Invalid`] on `orthophoto`; a bad detection on `detections[i].…`.
    fn add_detection_run(&mut self, actor: &str, r: &NewDetectionRun) -> Result<DetectionRun>;
    /// Every run, newest first.
    fn detection_runs(&self) -> Result<Vec<DetectionRun>>;
    /// Detections as `q` selects them: pending first, then by confidence (highest first), then
    /// by id.
    fn detections(&self, q: &DetectionQuery) -> Result<Vec<Detection>>;
    /// One detection ([`StoreError::NotFound`] when unknown).
    fn detection(&self, id: i64) -> Result<Detection>;
    /// Sets a verdict on a PENDING detection ([`StoreError::Clash`] naming its verdict and who
    /// gave it otherwise). [`VerdictValue::Confirmed`] needs `find`: a report of one EO find,
    /// created AND submitted in the same transaction exactly as
    /// [`crate::FieldStore::submit_field`] does (same validation, errors named `entries[i]…`,
    /// and audit); the detection then links to the report and its EO find's local id. Other
    /// verdicts take no `find`, and none sets a detection back to pending
    /// ([`StoreError::Invalid`] on `find` or `verdict`). Audits `detection.verdict`. A failure
    /// writes nothing.
    fn set_verdict(
        &mut self,
        actor: &str,
        id: i64,
        verdict: VerdictValue,
        note: Option<&str>,
        find: Option<Confirmation<'_>>,
    ) -> Result<Detection>;
    /// Stores a track and its coverage; audits `track.add`. `activity` must be an approved
    /// activity's local id ([`StoreError::Invalid`] on `activity`).
    fn add_track(&mut self, actor: &str, t: &NewTrack) -> Result<i64>;
    /// Tracks (of one activity, if given), newest first, without geometries.
    fn tracks(&self, activity: Option<&str>) -> Result<Vec<TrackSummary>>;
    /// One track with its geometries ([`StoreError::NotFound`] when unknown).
    fn track(&self, id: i64) -> Result<Track>;
}

/// Whether an approved item of a kind has a local id (or item id): a backend's lookup.
pub(crate) type Exists<'a> = dyn FnMut(ItemKind, &str) -> Result<bool> + 'a;

/// Whether (x, y) is a finite WGS84 longitude and latitude.
pub(crate) fn is_lon_lat(x: f64, y: f64) -> bool {
    x.is_finite() && y.is_finite() && (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)
}

fn error(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

fn finish(errors: Vec<FieldError>) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(ValidationErrors(errors)))
    }
}

fn required(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    if value.trim().is_empty() {
        errors.push(error(field, "is required"));
    }
}

fn non_negative(errors: &mut Vec<FieldError>, field: &str, value: f64) {
    if !value.is_finite() || value < 0.0 {
        errors.push(error(
            field,
            format!("must be a finite number ≥ 0, not {value}"),
        ));
    }
}

fn check_polygon(errors: &mut Vec<FieldError>, field: &str, p: &geo_types::Polygon<f64>) {
    let rings = std::iter::once(p.exterior()).chain(p.interiors());
    if p.exterior().0.len() < 4 {
        errors.push(error(field, "needs a ring of at least 3 distinct points"));
    } else if !rings.flat_map(|r| r.0.iter()).all(|c| is_lon_lat(c.x, c.y)) {
        errors.push(error(field, "has a point outside WGS84 lon/lat"));
    }
}

fn check_multi_polygon(
    errors: &mut Vec<FieldError>,
    field: &str,
    mp: &geo_types::MultiPolygon<f64>,
) {
    for (i, p) in mp.0.iter().enumerate() {
        check_polygon(errors, &format!("{field}[{i}]"), p);
    }
}

/// Every error of an orthophoto (its references looked up with `exists`).
pub(crate) fn validate_orthophoto(o: &NewOrthophoto, exists: &mut Exists<'_>) -> Result<()> {
    let mut errors = Vec::new();
    required(&mut errors, "name", &o.name);
    required(&mut errors, "file", &o.file);
    if o.file.starts_with('/')
        || o.file.starts_with('\\')
        || o.file.contains(':')
        || o.file.split(['/', '\\']).any(|part| part == "..")
    {
        errors.push(error(
            "file",
            "must be a file name relative to the orthophoto folder",
        ));
    }
    if o.sha256.len() != 64
        || !o
            .sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        errors.push(error("sha256", "is not a SHA-256 in lowercase hex"));
    }
    if o.size_bytes < 0 {
        errors.push(error("size_bytes", "must be ≥ 0"));
    }
    for (field, value) in [
        ("width", o.width),
        ("height", o.height),
        ("bands", u32::from(o.bands)),
    ] {
        if value == 0 {
            errors.push(error(field, "must be ≥ 1"));
        }
    }
    if o.epsg == 0 {
        errors.push(error("epsg", "is required"));
    }
    if !o.geotransform.iter().all(|v| v.is_finite()) {
        errors.push(error("geotransform", "must hold six finite numbers"));
    }
    if !o.resolution_m.is_finite() || o.resolution_m <= 0.0 {
        errors.push(error("resolution_m", "must be a finite number > 0"));
    }
    check_polygon(&mut errors, "footprint", &o.footprint);
    for (i, hazard) in o.hazards.iter().enumerate() {
        if !exists(ItemKind::Hazard, hazard)? {
            errors.push(error(
                format!("hazards[{i}]"),
                format!("no approved hazard has the local id `{hazard}`"),
            ));
        }
    }
    if let Some(activity) = &o.activity
        && !exists(ItemKind::Activity, activity)?
    {
        errors.push(error(
            "activity",
            format!("no approved activity has the local id `{activity}`"),
        ));
    }
    finish(errors)
}

/// Every error of a detection run; `orthophoto_known` says whether its orthophoto (if any) is
/// stored.
pub(crate) fn validate_run(r: &NewDetectionRun, orthophoto_known: bool) -> Result<()> {
    let mut errors = Vec::new();
    if let Some(id) = r.orthophoto
        && !orthophoto_known
    {
        errors.push(error(
            "orthophoto",
            format!("orthophoto {id} does not exist"),
        ));
    }
    required(&mut errors, "model", &r.model);
    required(&mut errors, "model_version", &r.model_version);
    required(&mut errors, "format", &r.format);
    for (i, (reason, _)) in r.dropped.iter().enumerate() {
        required(&mut errors, &format!("dropped[{i}]"), reason);
    }
    for (i, d) in r.detections.iter().enumerate() {
        let at = |f: &str| format!("detections[{i}].{f}");
        required(&mut errors, &at("class"), &d.class);
        if !d.confidence.is_finite() || !(0.0..=1.0).contains(&d.confidence) {
            errors.push(error(at("confidence"), "must lie in 0–1"));
        }
        if !is_lon_lat(d.location.x(), d.location.y()) {
            errors.push(error(at("location"), "is outside WGS84 lon/lat"));
        }
        if let Some(f) = &d.footprint {
            check_polygon(&mut errors, &at("footprint"), f);
        }
        if let Some(b) = d.pixel_bbox
            && (!b.iter().all(|v| v.is_finite()) || b[0] > b[2] || b[1] > b[3])
        {
            errors.push(error(at("pixel_bbox"), "must be finite with min ≤ max"));
        }
    }
    finish(errors)
}

/// Every error of a track (its activity looked up with `exists`).
pub(crate) fn validate_track(t: &NewTrack, exists: &mut Exists<'_>) -> Result<()> {
    let mut errors = Vec::new();
    if t.activity.trim().is_empty() {
        errors.push(error("activity", "is required"));
    } else if !exists(ItemKind::Activity, &t.activity)? {
        errors.push(error(
            "activity",
            format!("no approved activity has the local id `{}`", t.activity),
        ));
    }
    required(&mut errors, "machine", &t.machine);
    if !matches!(t.kind.as_str(), "machine" | "robot") {
        errors.push(error("kind", "must be `machine` or `robot`"));
    }
    if !t.working_width_m.is_finite() || t.working_width_m <= 0.0 {
        errors.push(error("working_width_m", "must be a finite number > 0"));
    }
    if t.fixes_used > t.fixes {
        errors.push(error("fixes_used", "cannot exceed the fixes read"));
    }
    for (field, value) in [
        ("task_m2", t.task_m2),
        ("processed_m2", t.processed_m2),
        ("processed_outside_m2", t.processed_outside_m2),
        ("overlap_m2", t.overlap_m2),
        ("gap_m2", t.gap_m2),
        ("engaged_length_m", t.engaged_length_m),
    ] {
        non_negative(&mut errors, field, value);
    }
    if !t.coverage_pct.is_finite() || !(0.0..=100.0 + 1e-6).contains(&t.coverage_pct) {
        errors.push(error("coverage_pct", "must lie in 0–100"));
    }
    if let (Some(start), Some(end)) = (t.started_at, t.ended_at)
        && end < start
    {
        errors.push(error("ended_at", "is before started_at"));
    }
    check_multi_polygon(&mut errors, "task", &t.task);
    check_multi_polygon(&mut errors, "processed", &t.processed);
    check_multi_polygon(&mut errors, "gaps", &t.gaps);
    check_multi_polygon(&mut errors, "overlaps", &t.overlaps);
    let lines = t.line.0.iter().flat_map(|l| l.0.iter());
    if !lines.into_iter().all(|c| is_lon_lat(c.x, c.y)) {
        errors.push(error("line", "has a point outside WGS84 lon/lat"));
    }
    finish(errors)
}

/// Checks a verdict request before anything is read: a confirmation carries its find, other
/// verdicts none, and nothing goes back to pending.
pub(crate) fn check_request(verdict: VerdictValue, find: Option<Confirmation<'_>>) -> Result<()> {
    let problem = match (verdict, find) {
        (VerdictValue::Pending, _) => Some(error(
            "verdict",
            "a detection cannot be set back to pending",
        )),
        (VerdictValue::Confirmed, None) => Some(error(
            "find",
            "a confirmed detection needs its EO find: a new one's report, or one recorded",
        )),
        (VerdictValue::FalsePositive | VerdictValue::NotVerifiable, Some(_)) => Some(error(
            "find",
            format!("only a confirmed detection takes a find, not {verdict}"),
        )),
        _ => None,
    };
    finish(problem.into_iter().collect())
}

/// The refusal of a confirmation naming an EO find that is not recorded.
pub(crate) fn unknown_find(find: &str) -> StoreError {
    StoreError::Invalid(ValidationErrors(vec![error(
        "eo_find",
        format!("there is no approved EO find {find}"),
    )]))
}

/// Validates a confirmation's report as `submit_field` validates its report (the model's
/// rules, the geometry rules and the adopted catalogue, as of `today`) and checks that it
/// holds one EO find; the find's local id.
pub(crate) fn validate_find(
    find: &NewReport,
    today: NaiveDate,
    catalogue: Option<&Catalogue>,
) -> Result<String> {
    let mut errors = Vec::new();
    if let Err(e) = crate::validate_report(find, today)
        .and_then(|()| crate::reference::check_report(catalogue, find))
    {
        errors.extend(e.0);
    }
    let local_id = match find.entries.as_slice() {
        [entry] if entry.record.kind() == ItemKind::EoFind => Some(entry.record.local_id()),
        _ => {
            errors.push(error(
                "entries",
                format!(
                    "the report of a confirmed detection holds one EO find ({} entries given)",
                    find.entries.len()
                ),
            ));
            None
        }
    };
    finish(errors)?;
    Ok(local_id.unwrap_or_default().to_owned())
}

/// Refuses a verdict on a detection that has one already.
pub(crate) fn require_pending(d: &Detection) -> Result<()> {
    if d.verdict == VerdictValue::Pending {
        return Ok(());
    }
    Err(StoreError::Clash(format!(
        "detection {} already has the verdict {} given by {}{}",
        d.id,
        d.verdict,
        d.verdict_by.as_deref().unwrap_or("nobody"),
        d.verdict_at
            .map(|at| format!(" on {}", at.format("%Y-%m-%d %H:%M UTC")))
            .unwrap_or_default()
    )))
}

/// The audit detail of a verdict.
pub(crate) fn verdict_detail(
    verdict: VerdictValue,
    report: Option<(Option<ReportId>, &str)>,
    note: Option<&str>,
) -> String {
    let mut s = verdict.as_str().to_owned();
    match report {
        Some((Some(report), find)) => s += &format!(": report {report}, EO find {find}"),
        Some((None, find)) => s += &format!(": recorded EO find {find}"),
        None => {}
    }
    if let Some(note) = note {
        s += &format!(" ({note})");
    }
    s
}

/// The audit detail of an imported run.
pub(crate) fn run_detail(id: i64, r: &NewDetectionRun) -> String {
    format!(
        "run {id}: {} detection(s) of {} {} from {}",
        r.detections.len(),
        r.model,
        r.model_version,
        r.source_name
    )
}

/// The audit detail of a stored track.
pub(crate) fn track_detail(t: &NewTrack) -> String {
    format!(
        "{} {} on activity {}: {:.1} % covered",
        t.kind, t.machine, t.activity, t.coverage_pct
    )
}

/// The error for an unknown id of `what` (`orthophoto`, `detection`, `track`).
pub(crate) fn not_found(what: &str, id: i64) -> StoreError {
    StoreError::NotFound(format!("{what} {id} does not exist"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_pair_verdicts_with_finds() {
        assert!(check_request(VerdictValue::FalsePositive, None).is_ok());
        assert!(check_request(VerdictValue::Pending, None).is_err());
        assert!(check_request(VerdictValue::Confirmed, None).is_err());
    }

    #[test]
    fn lon_lat_bounds() {
        assert!(is_lon_lat(180.0, -90.0));
        assert!(!is_lon_lat(180.1, 0.0));
        assert!(!is_lon_lat(f64::NAN, 0.0));
    }
}
