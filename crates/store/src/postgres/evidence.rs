//! Orthophotos, detections and machine tracks on PostgreSQL ([`crate::evidence`]);
//! geometries in PostGIS columns of SRID 4326, read back as little-endian WKB.

use chrono::{DateTime, Utc};
use postgres::types::ToSql;
use postgres::{GenericClient, Row};
use safeground_model::ItemKind;

use super::reports::insert_report;
use super::{Doing, PostgresStore, audit};
use crate::evidence::{
    self, Confirmation, Detection, DetectionQuery, DetectionRun, EvidenceStore, NewDetectionRun,
    NewOrthophoto, NewTrack, Orthophoto, RawDetection, RawOrthophoto, RawRun, RawTrack,
    TRACK_COLUMNS, TRACK_INSERT, Track, TrackSummary, VerdictValue, to_i64, to_json,
};
use crate::{ReportStatus, Result};

type Params<'a> = [&'a (dyn ToSql + Sync)];

const ORTHOPHOTO_COLUMNS: &str = "id, name, file, sha256, size_bytes, width, height, bands, \
     epsg, geotransform, ST_AsBinary(footprint, 'NDR'), resolution_m, captured_on, hazards, \
     activity, organisation, added_by, added_at";

const RUN_COLUMNS: &str = "id, orthophoto_id, model, model_version, format, source_name, \
     organisation, detections, dropped, added_by, added_at";

const DETECTION_SELECT: &str = "SELECT d.id, d.run_id, r.orthophoto_id, r.model, \
     r.model_version, d.class, d.confidence, ST_AsBinary(d.location, 'NDR'), \
     ST_AsBinary(d.footprint, 'NDR'), d.pixel_bbox, r.organisation, d.verdict, d.verdict_by, \
     d.verdict_at, d.verdict_note, d.report_id, d.eo_find \
     FROM detection d JOIN detection_run r ON r.id = d.run_id";

/// The rows of a query, each decoded by `decode`.
fn query<C: GenericClient, T>(
    c: &mut C,
    sql: &str,
    params: &Params<'_>,
    doing: &str,
    decode: fn(&Row) -> std::result::Result<T, postgres::Error>,
) -> Result<Vec<T>> {
    c.query(sql, params)
        .doing(doing)?
        .iter()
        .map(|r| decode(r).doing(doing))
        .collect()
}

fn orthophoto_row(r: &Row) -> std::result::Result<RawOrthophoto, postgres::Error> {
    Ok(RawOrthophoto {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        file: r.try_get(2)?,
        sha256: r.try_get(3)?,
        size_bytes: r.try_get(4)?,
        width: r.try_get(5)?,
        height: r.try_get(6)?,
        bands: r.try_get(7)?,
        epsg: r.try_get(8)?,
        geotransform: r.try_get(9)?,
        footprint: r.try_get(10)?,
        resolution_m: r.try_get(11)?,
        captured_on: r.try_get(12)?,
        hazards: r.try_get(13)?,
        activity: r.try_get(14)?,
        organisation: r.try_get(15)?,
        added_by: r.try_get(16)?,
        added_at: r.try_get(17)?,
    })
}

fn run_row(r: &Row) -> std::result::Result<RawRun, postgres::Error> {
    Ok(RawRun {
        id: r.try_get(0)?,
        orthophoto: r.try_get(1)?,
        model: r.try_get(2)?,
        model_version: r.try_get(3)?,
        format: r.try_get(4)?,
        source_name: r.try_get(5)?,
        organisation: r.try_get(6)?,
        count: r.try_get(7)?,
        dropped: r.try_get(8)?,
        added_by: r.try_get(9)?,
        added_at: r.try_get(10)?,
    })
}

fn detection_row(r: &Row) -> std::result::Result<RawDetection, postgres::Error> {
    Ok(RawDetection {
        id: r.try_get(0)?,
        run: r.try_get(1)?,
        orthophoto: r.try_get(2)?,
        model: r.try_get(3)?,
        model_version: r.try_get(4)?,
        class: r.try_get(5)?,
        confidence: r.try_get(6)?,
        location: r.try_get(7)?,
        footprint: r.try_get(8)?,
        pixel_bbox: r.try_get(9)?,
        organisation: r.try_get(10)?,
        verdict: r.try_get(11)?,
        verdict_by: r.try_get(12)?,
        verdict_at: r.try_get(13)?,
        verdict_note: r.try_get(14)?,
        report: r.try_get(15)?,
        eo_find: r.try_get(16)?,
    })
}

fn track_row(r: &Row) -> std::result::Result<RawTrack, postgres::Error> {
    let mut numbers = [0.0; 7];
    for (i, n) in numbers.iter_mut().enumerate() {
        *n = r.try_get(10 + i)?;
    }
    Ok(RawTrack {
        id: r.try_get(0)?,
        activity: r.try_get(1)?,
        machine: r.try_get(2)?,
        kind: r.try_get(3)?,
        working_width_m: r.try_get(4)?,
        source_name: r.try_get(5)?,
        format: r.try_get(6)?,
        fixes: r.try_get(7)?,
        fixes_used: r.try_get(8)?,
        dropped: r.try_get(9)?,
        numbers,
        started_at: r.try_get(17)?,
        ended_at: r.try_get(18)?,
        organisation: r.try_get(19)?,
        added_by: r.try_get(20)?,
        added_at: r.try_get(21)?,
    })
}

fn one_detection<C: GenericClient>(c: &mut C, id: i64) -> Result<Detection> {
    let sql = format!("{DETECTION_SELECT} WHERE d.id = $1");
    query(c, &sql, &[&id], "reading a detection", detection_row)?
        .pop()
        .ok_or_else(|| evidence::not_found("detection", id))?
        .decode()
}

fn one_run<C: GenericClient>(c: &mut C, id: i64) -> Result<DetectionRun> {
    let sql = format!("SELECT {RUN_COLUMNS} FROM detection_run WHERE id = $1");
    query(c, &sql, &[&id], "reading a detection run", run_row)?
        .pop()
        .ok_or_else(|| evidence::not_found("detection run", id))?
        .decode()
}

/// Whether an approved item of `kind` has the local id (or item id) `reference`.
fn item_exists<C: GenericClient>(c: &mut C, kind: ItemKind, reference: &str) -> Result<bool> {
    c.query_one(
        "SELECT EXISTS (SELECT 1 FROM item WHERE kind = $1 AND (local_id = $2 OR id = $2))",
        &[&kind.code(), &reference],
    )
    .and_then(|r| r.try_get(0))
    .doing("looking up a referenced item")
}

fn insert_id<C: GenericClient>(
    c: &mut C,
    sql: &str,
    params: &Params<'_>,
    doing: &str,
) -> Result<i64> {
    c.query_one(sql, params)
        .and_then(|r| r.try_get(0))
        .doing(doing)
}

impl EvidenceStore for PostgresStore {
    fn add_orthophoto(&mut self, actor: &str, o: &NewOrthophoto) -> Result<i64> {
        let mut tx = self.write_tx()?;
        evidence::validate_orthophoto(o, &mut |kind, r| item_exists(&mut tx, kind, r))?;
        let (geotransform, footprint, hazards) = evidence::orthophoto_columns(o)?;
        let id = insert_id(
            &mut tx,
            "INSERT INTO orthophoto (name, file, sha256, size_bytes, width, height, bands, epsg, \
             geotransform, footprint, resolution_m, captured_on, hazards, activity, \
             organisation, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
             ST_GeomFromWKB($10, 4326), $11, $12, $13, $14, $15, $16, $17) RETURNING id",
            &[
                &o.name,
                &o.file,
                &o.sha256,
                &o.size_bytes,
                &i64::from(o.width),
                &i64::from(o.height),
                &i64::from(o.bands),
                &i64::from(o.epsg),
                &geotransform,
                &footprint,
                &o.resolution_m,
                &o.captured_on,
                &hazards,
                &o.activity,
                &o.organisation,
                &actor,
                &Utc::now(),
            ],
            "storing an orthophoto",
        )?;
        audit(
            &mut tx,
            actor,
            "orthophoto.add",
            &format!("orthophoto:{id}"),
            Some(&format!("{} ({})", o.name, o.file)),
        )?;
        tx.commit().doing("committing an orthophoto")?;
        Ok(id)
    }

    fn orthophotos(&self) -> Result<Vec<Orthophoto>> {
        let sql = format!("SELECT {ORTHOPHOTO_COLUMNS} FROM orthophoto ORDER BY id DESC");
        let rows = query(
            &mut *self.client()?,
            &sql,
            &[],
            "reading orthophotos",
            orthophoto_row,
        )?;
        rows.into_iter().map(RawOrthophoto::decode).collect()
    }

    fn orthophoto(&self, id: i64) -> Result<Orthophoto> {
        let sql = format!("SELECT {ORTHOPHOTO_COLUMNS} FROM orthophoto WHERE id = $1");
        query(
            &mut *self.client()?,
            &sql,
            &[&id],
            "reading an orthophoto",
            orthophoto_row,
        )?
        .pop()
        .ok_or_else(|| evidence::not_found("orthophoto", id))?
        .decode()
    }

    fn add_detection_run(&mut self, actor: &str, r: &NewDetectionRun) -> Result<DetectionRun> {
        let mut tx = self.write_tx()?;
        let known = match r.orthophoto {
            Some(id) => tx
                .query_opt("SELECT 1 FROM orthophoto WHERE id = $1", &[&id])
                .doing("looking up the orthophoto")?
                .is_some(),
            None => true,
        };
        evidence::validate_run(r, known)?;
        let id = insert_id(
            &mut tx,
            "INSERT INTO detection_run (orthophoto_id, model, model_version, format, \
             source_name, organisation, detections, dropped, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            &[
                &r.orthophoto,
                &r.model,
                &r.model_version,
                &r.format,
                &r.source_name,
                &r.organisation,
                &to_i64(r.detections.len()),
                &to_json(&r.dropped)?,
                &actor,
                &Utc::now(),
            ],
            "storing a detection run",
        )?;
        let insert = tx
            .prepare(
                "INSERT INTO detection (run_id, class, confidence, location, footprint, \
                 pixel_bbox) VALUES ($1, $2, $3, ST_GeomFromWKB($4, 4326), \
                 ST_GeomFromWKB($5, 4326), $6)",
            )
            .doing("preparing the detections' insert")?;
        for d in &r.detections {
            let location = evidence::geometry::encode(&d.location)?;
            let footprint = (d.footprint.as_ref())
                .map(evidence::geometry::encode)
                .transpose()?;
            let bbox = d.pixel_bbox.as_ref().map(to_json).transpose()?;
            tx.execute(
                &insert,
                &[&id, &d.class, &d.confidence, &location, &footprint, &bbox],
            )
            .doing("storing a detection")?;
        }
        audit(
            &mut tx,
            actor,
            "detections.import",
            &format!("detection_run:{id}"),
            Some(&evidence::run_detail(id, r)),
        )?;
        let run = one_run(&mut tx, id)?;
        tx.commit().doing("committing a detection run")?;
        Ok(run)
    }

    fn detection_runs(&self) -> Result<Vec<DetectionRun>> {
        let sql = format!("SELECT {RUN_COLUMNS} FROM detection_run ORDER BY id DESC");
        let rows = query(
            &mut *self.client()?,
            &sql,
            &[],
            "reading detection runs",
            run_row,
        )?;
        rows.into_iter().map(RawRun::decode).collect()
    }

    fn detections(&self, q: &DetectionQuery) -> Result<Vec<Detection>> {
        let sql = format!(
            "{DETECTION_SELECT} WHERE ($1::text IS NULL OR d.verdict = $1) \
             AND ($2::text IS NULL OR r.model = $2) \
             AND ($3::bigint IS NULL OR r.orthophoto_id = $3) \
             AND ($4::text IS NULL OR r.organisation = $4) \
             ORDER BY d.verdict = 'pending' DESC, d.confidence DESC, d.id \
             LIMIT $5 OFFSET $6"
        );
        let limit = (q.limit > 0).then(|| to_i64(q.limit));
        let rows = query(
            &mut *self.client()?,
            &sql,
            &[
                &q.verdict.map(VerdictValue::as_str),
                &q.model,
                &q.orthophoto,
                &q.organisation,
                &limit,
                &to_i64(q.offset),
            ],
            "reading detections",
            detection_row,
        )?;
        rows.into_iter().map(RawDetection::decode).collect()
    }

    fn detection(&self, id: i64) -> Result<Detection> {
        one_detection(&mut *self.client()?, id)
    }

    fn set_verdict(
        &mut self,
        actor: &str,
        id: i64,
        verdict: VerdictValue,
        note: Option<&str>,
        find: Option<Confirmation<'_>>,
    ) -> Result<Detection> {
        evidence::check_request(verdict, find)?;
        evidence::require_pending(&one_detection(&mut *self.client()?, id)?)?;
        let eo_find = match find {
            Some(Confirmation::NewFind(report)) => {
                let catalogue = super::reference::catalogue(&mut *self.client()?)?;
                let today = Utc::now().date_naive();
                Some((
                    report,
                    evidence::validate_find(report, today, catalogue.as_ref())?,
                ))
            }
            _ => None,
        };
        let mut tx = self.write_tx()?;
        // Decided under the writer lock: another verdict may have come meanwhile.
        evidence::require_pending(&one_detection(&mut tx, id)?)?;
        let link = match (&eo_find, find) {
            (Some((report, local_id)), _) => Some((
                Some(insert_report(
                    &mut tx,
                    actor,
                    report,
                    ReportStatus::Submitted,
                )?),
                local_id.as_str(),
            )),
            (None, Some(Confirmation::KnownFind(f))) => {
                if !item_exists(&mut tx, ItemKind::EoFind, f)? {
                    return Err(evidence::unknown_find(f));
                }
                Some((None, f))
            }
            _ => None,
        };
        tx.execute(
            "UPDATE detection SET verdict = $1, verdict_by = $2, verdict_at = $3, \
             verdict_note = $4, report_id = $5, eo_find = $6 WHERE id = $7",
            &[
                &verdict.as_str(),
                &actor,
                &Utc::now(),
                &note,
                &link.map(|(r, _)| r),
                &link.map(|(_, f)| f),
                &id,
            ],
        )
        .doing("storing a verdict")?;
        audit(
            &mut tx,
            actor,
            "detection.verdict",
            &format!("detection:{id}"),
            Some(&evidence::verdict_detail(verdict, link, note)),
        )?;
        let stored = one_detection(&mut tx, id)?;
        tx.commit().doing("committing a verdict")?;
        Ok(stored)
    }

    fn add_track(&mut self, actor: &str, t: &NewTrack) -> Result<i64> {
        let mut tx = self.write_tx()?;
        evidence::validate_track(t, &mut |kind, r| item_exists(&mut tx, kind, r))?;
        let [task, processed, gaps, overlaps, line] = evidence::track_geometries(t)?;
        let values: Vec<String> = (1..=26)
            .map(|i| match i {
                22..=26 => format!("ST_GeomFromWKB(${i}, 4326)"),
                _ => format!("${i}"),
            })
            .collect();
        let started: Option<DateTime<Utc>> = t.started_at;
        let ended: Option<DateTime<Utc>> = t.ended_at;
        let id = insert_id(
            &mut tx,
            &format!(
                "INSERT INTO machine_track ({TRACK_INSERT}) VALUES ({}) RETURNING id",
                values.join(", ")
            ),
            &[
                &t.activity,
                &t.machine,
                &t.kind,
                &t.working_width_m,
                &t.source_name,
                &t.format,
                &to_i64(t.fixes),
                &to_i64(t.fixes_used),
                &to_json(&t.dropped)?,
                &t.task_m2,
                &t.processed_m2,
                &t.processed_outside_m2,
                &t.coverage_pct,
                &t.overlap_m2,
                &t.gap_m2,
                &t.engaged_length_m,
                &started,
                &ended,
                &t.organisation,
                &actor,
                &Utc::now(),
                &task,
                &processed,
                &gaps,
                &overlaps,
                &line,
            ],
            "storing a track",
        )?;
        audit(
            &mut tx,
            actor,
            "track.add",
            &format!("track:{id}"),
            Some(&evidence::track_detail(t)),
        )?;
        tx.commit().doing("committing a track")?;
        Ok(id)
    }

    fn tracks(&self, activity: Option<&str>) -> Result<Vec<TrackSummary>> {
        let sql = format!(
            "SELECT {TRACK_COLUMNS} FROM machine_track \
             WHERE ($1::text IS NULL OR activity = $1) ORDER BY id DESC"
        );
        let rows = query(
            &mut *self.client()?,
            &sql,
            &[&activity],
            "reading tracks",
            track_row,
        )?;
        rows.into_iter().map(RawTrack::decode).collect()
    }

    fn track(&self, id: i64) -> Result<Track> {
        let mut client = self.client()?;
        let sql = format!(
            "SELECT {TRACK_COLUMNS}, ST_AsBinary(task, 'NDR'), ST_AsBinary(processed, 'NDR'), \
             ST_AsBinary(gaps, 'NDR'), ST_AsBinary(overlap_area, 'NDR'), ST_AsBinary(line, 'NDR') \
             FROM machine_track WHERE id = $1"
        );
        let doing = "reading a track";
        let row = client
            .query_opt(&sql, &[&id])
            .doing(doing)?
            .ok_or_else(|| evidence::not_found("track", id))?;
        let summary = track_row(&row).doing(doing)?.decode()?;
        let mut wkb: [Vec<u8>; 5] = Default::default();
        for (i, g) in wkb.iter_mut().enumerate() {
            *g = row.try_get(22 + i).doing(doing)?;
        }
        evidence::track(summary, wkb)
    }
}
