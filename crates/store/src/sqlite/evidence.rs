//! Orthophotos, detections and machine tracks on SQLite ([`crate::evidence`]).

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, Row, params};
use safeground_model::ItemKind;

use super::reports::insert_report;
use super::{SqliteStore, audit, fmt_date, fmt_time, parse_date, parse_time};
use crate::evidence::{
    self, Confirmation, Detection, DetectionQuery, DetectionRun, EvidenceStore, NewDetectionRun,
    NewOrthophoto, NewTrack, Orthophoto, RawDetection, RawOrthophoto, RawRun, RawTrack,
    TRACK_COLUMNS, TRACK_INSERT, Track, TrackSummary, VerdictValue, to_i64, to_json,
};
use crate::{ReportStatus, Result};

const ORTHOPHOTO_COLUMNS: &str = "id, name, file, sha256, size_bytes, width, height, bands, \
     epsg, geotransform, footprint, resolution_m, captured_on, hazards, activity, organisation, \
     added_by, added_at";

const RUN_COLUMNS: &str = "id, orthophoto_id, model, model_version, format, source_name, \
     organisation, detections, dropped, added_by, added_at";

const DETECTION_SELECT: &str = "SELECT d.id, d.run_id, r.orthophoto_id, r.model, \
     r.model_version, d.class, d.confidence, d.location, d.footprint, d.pixel_bbox, \
     r.organisation, d.verdict, d.verdict_by, d.verdict_at, d.verdict_note, d.report_id, \
     d.eo_find FROM detection d JOIN detection_run r ON r.id = d.run_id";

fn time(r: &Row<'_>, i: usize) -> rusqlite::Result<String> {
    r.get(i)
}

fn opt_time(s: Option<String>) -> Result<Option<chrono::DateTime<Utc>>> {
    s.as_deref().map(parse_time).transpose()
}

fn orthophoto_row(r: &Row<'_>) -> rusqlite::Result<(RawOrthophoto, Option<String>, String)> {
    let captured: Option<String> = r.get(12)?;
    let added: String = time(r, 17)?;
    Ok((
        RawOrthophoto {
            id: r.get(0)?,
            name: r.get(1)?,
            file: r.get(2)?,
            sha256: r.get(3)?,
            size_bytes: r.get(4)?,
            width: r.get(5)?,
            height: r.get(6)?,
            bands: r.get(7)?,
            epsg: r.get(8)?,
            geotransform: r.get(9)?,
            footprint: r.get(10)?,
            resolution_m: r.get(11)?,
            captured_on: None,
            hazards: r.get(13)?,
            activity: r.get(14)?,
            organisation: r.get(15)?,
            added_by: r.get(16)?,
            added_at: Utc::now(),
        },
        captured,
        added,
    ))
}

fn orthophotos(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<Orthophoto>> {
    let rows = conn
        .prepare_cached(sql)?
        .query_map(p, orthophoto_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(mut raw, captured, added)| {
            raw.captured_on = captured.as_deref().map(parse_date).transpose()?;
            raw.added_at = parse_time(&added)?;
            raw.decode()
        })
        .collect()
}

fn runs(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<DetectionRun>> {
    let rows = conn
        .prepare_cached(sql)?
        .query_map(p, |r| {
            Ok((
                RawRun {
                    id: r.get(0)?,
                    orthophoto: r.get(1)?,
                    model: r.get(2)?,
                    model_version: r.get(3)?,
                    format: r.get(4)?,
                    source_name: r.get(5)?,
                    organisation: r.get(6)?,
                    count: r.get(7)?,
                    dropped: r.get(8)?,
                    added_by: r.get(9)?,
                    added_at: Utc::now(),
                },
                time(r, 10)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(mut raw, added)| {
            raw.added_at = parse_time(&added)?;
            raw.decode()
        })
        .collect()
}

fn detections(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<Detection>> {
    let rows = conn
        .prepare_cached(sql)?
        .query_map(p, |r| {
            Ok((
                RawDetection {
                    id: r.get(0)?,
                    run: r.get(1)?,
                    orthophoto: r.get(2)?,
                    model: r.get(3)?,
                    model_version: r.get(4)?,
                    class: r.get(5)?,
                    confidence: r.get(6)?,
                    location: r.get(7)?,
                    footprint: r.get(8)?,
                    pixel_bbox: r.get(9)?,
                    organisation: r.get(10)?,
                    verdict: r.get(11)?,
                    verdict_by: r.get(12)?,
                    verdict_at: None,
                    verdict_note: r.get(14)?,
                    report: r.get(15)?,
                    eo_find: r.get(16)?,
                },
                r.get::<_, Option<String>>(13)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(mut raw, at)| {
            raw.verdict_at = opt_time(at)?;
            raw.decode()
        })
        .collect()
}

fn one_detection(conn: &Connection, id: i64) -> Result<Detection> {
    detections(conn, &format!("{DETECTION_SELECT} WHERE d.id = ?1"), [id])?
        .pop()
        .ok_or_else(|| evidence::not_found("detection", id))
}

fn tracks(conn: &Connection, sql: &str, p: impl rusqlite::Params) -> Result<Vec<TrackSummary>> {
    let rows = conn
        .prepare_cached(sql)?
        .query_map(p, |r| {
            let mut numbers = [0.0; 7];
            for (i, n) in numbers.iter_mut().enumerate() {
                *n = r.get(10 + i)?;
            }
            Ok((
                RawTrack {
                    id: r.get(0)?,
                    activity: r.get(1)?,
                    machine: r.get(2)?,
                    kind: r.get(3)?,
                    working_width_m: r.get(4)?,
                    source_name: r.get(5)?,
                    format: r.get(6)?,
                    fixes: r.get(7)?,
                    fixes_used: r.get(8)?,
                    dropped: r.get(9)?,
                    numbers,
                    started_at: None,
                    ended_at: None,
                    organisation: r.get(19)?,
                    added_by: r.get(20)?,
                    added_at: Utc::now(),
                },
                [r.get::<_, Option<String>>(17)?, r.get(18)?],
                time(r, 21)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(mut raw, [start, end], added)| {
            raw.started_at = opt_time(start)?;
            raw.ended_at = opt_time(end)?;
            raw.added_at = parse_time(&added)?;
            raw.decode()
        })
        .collect()
}

/// Whether an approved item of `kind` has the local id (or item id) `reference`.
fn item_exists(conn: &Connection, kind: ItemKind, reference: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM item WHERE kind = ?1 AND (local_id = ?2 OR id = ?2))",
        )?
        .query_row(params![kind.code(), reference], |r| r.get(0))?)
}

impl EvidenceStore for SqliteStore {
    fn add_orthophoto(&mut self, actor: &str, o: &NewOrthophoto) -> Result<i64> {
        let tx = self.write_tx()?;
        evidence::validate_orthophoto(o, &mut |kind, r| item_exists(&tx, kind, r))?;
        let (geotransform, footprint, hazards) = evidence::orthophoto_columns(o)?;
        tx.execute(
            "INSERT INTO orthophoto (name, file, sha256, size_bytes, width, height, bands, epsg, \
             geotransform, footprint, resolution_m, captured_on, hazards, activity, \
             organisation, added_by, added_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                o.name,
                o.file,
                o.sha256,
                o.size_bytes,
                o.width,
                o.height,
                o.bands,
                o.epsg,
                geotransform,
                footprint,
                o.resolution_m,
                o.captured_on.map(fmt_date),
                hazards,
                o.activity,
                o.organisation,
                actor,
                fmt_time(Utc::now()),
            ],
        )?;
        let id = tx.last_insert_rowid();
        audit(
            &tx,
            actor,
            "orthophoto.add",
            &format!("orthophoto:{id}"),
            Some(&format!("{} ({})", o.name, o.file)),
        )?;
        tx.commit()?;
        Ok(id)
    }

    fn orthophotos(&self) -> Result<Vec<Orthophoto>> {
        orthophotos(
            &self.conn,
            &format!("SELECT {ORTHOPHOTO_COLUMNS} FROM orthophoto ORDER BY id DESC"),
            [],
        )
    }

    fn orthophoto(&self, id: i64) -> Result<Orthophoto> {
        orthophotos(
            &self.conn,
            &format!("SELECT {ORTHOPHOTO_COLUMNS} FROM orthophoto WHERE id = ?1"),
            [id],
        )?
        .pop()
        .ok_or_else(|| evidence::not_found("orthophoto", id))
    }

    fn add_detection_run(&mut self, actor: &str, r: &NewDetectionRun) -> Result<DetectionRun> {
        let tx = self.write_tx()?;
        let known = match r.orthophoto {
            Some(id) => tx
                .query_row("SELECT 1 FROM orthophoto WHERE id = ?1", [id], |_| Ok(()))
                .optional()?
                .is_some(),
            None => true,
        };
        evidence::validate_run(r, known)?;
        tx.execute(
            "INSERT INTO detection_run (orthophoto_id, model, model_version, format, \
             source_name, organisation, detections, dropped, added_by, added_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                r.orthophoto,
                r.model,
                r.model_version,
                r.format,
                r.source_name,
                r.organisation,
                to_i64(r.detections.len()),
                to_json(&r.dropped)?,
                actor,
                fmt_time(Utc::now()),
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO detection (run_id, class, confidence, location, footprint, \
                 pixel_bbox) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for d in &r.detections {
                insert.execute(params![
                    id,
                    d.class,
                    d.confidence,
                    evidence::geometry::encode(&d.location)?,
                    d.footprint
                        .as_ref()
                        .map(evidence::geometry::encode)
                        .transpose()?,
                    d.pixel_bbox.as_ref().map(to_json).transpose()?,
                ])?;
            }
        }
        audit(
            &tx,
            actor,
            "detections.import",
            &format!("detection_run:{id}"),
            Some(&evidence::run_detail(id, r)),
        )?;
        let run = runs(
            &tx,
            &format!("SELECT {RUN_COLUMNS} FROM detection_run WHERE id = ?1"),
            [id],
        )?
        .pop()
        .ok_or_else(|| evidence::not_found("detection run", id))?;
        tx.commit()?;
        Ok(run)
    }

    fn detection_runs(&self) -> Result<Vec<DetectionRun>> {
        runs(
            &self.conn,
            &format!("SELECT {RUN_COLUMNS} FROM detection_run ORDER BY id DESC"),
            [],
        )
    }

    fn detections(&self, q: &DetectionQuery) -> Result<Vec<Detection>> {
        let limit = if q.limit == 0 { -1 } else { to_i64(q.limit) };
        detections(
            &self.conn,
            &format!(
                "{DETECTION_SELECT} WHERE (?1 IS NULL OR d.verdict = ?1) \
                 AND (?2 IS NULL OR r.model = ?2) AND (?3 IS NULL OR r.orthophoto_id = ?3) \
                 AND (?4 IS NULL OR r.organisation = ?4) \
                 ORDER BY d.verdict = 'pending' DESC, d.confidence DESC, d.id \
                 LIMIT ?5 OFFSET ?6"
            ),
            params![
                q.verdict.map(VerdictValue::as_str),
                q.model,
                q.orthophoto,
                q.organisation,
                limit,
                to_i64(q.offset),
            ],
        )
    }

    fn detection(&self, id: i64) -> Result<Detection> {
        one_detection(&self.conn, id)
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
        evidence::require_pending(&one_detection(&self.conn, id)?)?;
        let eo_find = match find {
            Some(Confirmation::NewFind(report)) => {
                let catalogue = super::reference::catalogue(&self.conn)?;
                let today = Utc::now().date_naive();
                Some((
                    report,
                    evidence::validate_find(report, today, catalogue.as_ref())?,
                ))
            }
            _ => None,
        };
        let tx = self.write_tx()?;
        // Decided under the writer lock: another verdict may have come meanwhile.
        evidence::require_pending(&one_detection(&tx, id)?)?;
        let link = match (&eo_find, find) {
            (Some((report, local_id)), _) => Some((
                Some(insert_report(&tx, actor, report, ReportStatus::Submitted)?),
                local_id.as_str(),
            )),
            (None, Some(Confirmation::KnownFind(f))) => {
                if !item_exists(&tx, ItemKind::EoFind, f)? {
                    return Err(evidence::unknown_find(f));
                }
                Some((None, f))
            }
            _ => None,
        };
        tx.execute(
            "UPDATE detection SET verdict = ?1, verdict_by = ?2, verdict_at = ?3, \
             verdict_note = ?4, report_id = ?5, eo_find = ?6 WHERE id = ?7",
            params![
                verdict.as_str(),
                actor,
                fmt_time(Utc::now()),
                note,
                link.map(|(r, _)| r),
                link.map(|(_, f)| f),
                id,
            ],
        )?;
        audit(
            &tx,
            actor,
            "detection.verdict",
            &format!("detection:{id}"),
            Some(&evidence::verdict_detail(verdict, link, note)),
        )?;
        let stored = one_detection(&tx, id)?;
        tx.commit()?;
        Ok(stored)
    }

    fn add_track(&mut self, actor: &str, t: &NewTrack) -> Result<i64> {
        let tx = self.write_tx()?;
        evidence::validate_track(t, &mut |kind, r| item_exists(&tx, kind, r))?;
        let [task, processed, gaps, overlaps, line] = evidence::track_geometries(t)?;
        let placeholders: Vec<String> = (1..=26).map(|i| format!("?{i}")).collect();
        tx.execute(
            &format!(
                "INSERT INTO machine_track ({TRACK_INSERT}) VALUES ({})",
                placeholders.join(", ")
            ),
            params![
                t.activity,
                t.machine,
                t.kind,
                t.working_width_m,
                t.source_name,
                t.format,
                to_i64(t.fixes),
                to_i64(t.fixes_used),
                to_json(&t.dropped)?,
                t.task_m2,
                t.processed_m2,
                t.processed_outside_m2,
                t.coverage_pct,
                t.overlap_m2,
                t.gap_m2,
                t.engaged_length_m,
                t.started_at.map(fmt_time),
                t.ended_at.map(fmt_time),
                t.organisation,
                actor,
                fmt_time(Utc::now()),
                task,
                processed,
                gaps,
                overlaps,
                line,
            ],
        )?;
        let id = tx.last_insert_rowid();
        audit(
            &tx,
            actor,
            "track.add",
            &format!("track:{id}"),
            Some(&evidence::track_detail(t)),
        )?;
        tx.commit()?;
        Ok(id)
    }

    fn tracks(&self, activity: Option<&str>) -> Result<Vec<TrackSummary>> {
        tracks(
            &self.conn,
            &format!(
                "SELECT {TRACK_COLUMNS} FROM machine_track WHERE (?1 IS NULL OR activity = ?1) \
                 ORDER BY id DESC"
            ),
            [activity],
        )
    }

    fn track(&self, id: i64) -> Result<Track> {
        let summary = tracks(
            &self.conn,
            &format!("SELECT {TRACK_COLUMNS} FROM machine_track WHERE id = ?1"),
            [id],
        )?
        .pop()
        .ok_or_else(|| evidence::not_found("track", id))?;
        let wkb = self.conn.query_row(
            "SELECT task, processed, gaps, overlap_area, line FROM machine_track WHERE id = ?1",
            [id],
            |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]),
        )?;
        evidence::track(summary, wkb)
    }
}
