//! `safeground evidence`: drone orthophotos, AI detections and machine or robot tracks, with
//! the same checks as the HTTP API (`crates/server/src/evidence`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use safeground_coverage::{CleanOptions, TrackFormat};
use safeground_detection::DetectionFormat;
use safeground_model::OrdnanceCategory;
use safeground_server::auth::Principal;
use safeground_server::evidence::detections::{
    DetectionImport, VerdictBody, give_verdict, import as import_detections, model_metrics,
};
use safeground_server::evidence::orthophotos::{OrthophotoMeta, add as add_orthophoto};
use safeground_server::evidence::tracks::{TrackImport, cleared_m2, import as import_track};
use safeground_server::evidence::{EvidenceCell, evidence_dir};
use safeground_store::evidence::{DetectionQuery, VerdictValue};
use safeground_store::{Backend, Location};

/// Actions of `safeground evidence`.
#[derive(Subcommand, Debug)]
pub enum EvidenceCommand {
    /// Add a drone orthophoto: a georeferenced GeoTIFF or Cloud-Optimised GeoTIFF in any CRS
    /// with an EPSG code (8-bit grey, RGB or RGBA). It is copied into the evidence folder and
    /// served as raster map tiles.
    Orthophoto {
        /// Database.
        db: Location,
        /// The GeoTIFF.
        file: PathBuf,
        /// Display name (default: the file name).
        #[arg(long)]
        name: Option<String>,
        /// Local id of a hazard it covers (repeat for several).
        #[arg(long = "hazard")]
        hazards: Vec<String>,
        /// Local id of the activity it documents.
        #[arg(long)]
        activity: Option<String>,
        /// The day it was flown (YYYY-MM-DD).
        #[arg(long)]
        captured_on: Option<NaiveDate>,
        /// The evidence folder (default: beside the SQLite file, `demo.evidence/`).
        #[arg(long)]
        evidence_dir: Option<PathBuf>,
        /// The user adding it.
        #[arg(long)]
        actor: String,
    },
    /// List the orthophotos.
    Orthophotos {
        /// Database.
        db: Location,
    },
    /// Import a detector's output: GeoJSON (WGS 84), or COCO JSON / YOLO text in the pixels of
    /// the orthophoto it ran on. Every detection waits for a person's verdict.
    Detections {
        /// Database.
        db: Location,
        /// The detector's file.
        file: PathBuf,
        /// The orthophoto it ran on (id; required for COCO and YOLO).
        #[arg(long)]
        orthophoto: Option<i64>,
        /// geojson, coco or yolo (default: guessed).
        #[arg(long)]
        format: Option<DetectionFormat>,
        /// Model name (else from the file).
        #[arg(long)]
        model: Option<String>,
        /// Model version (else from the file).
        #[arg(long)]
        model_version: Option<String>,
        /// YOLO class names in class-id order, comma separated.
        #[arg(long, value_delimiter = ',')]
        classes: Option<Vec<String>>,
        /// Leave out detections below this confidence (0–1).
        #[arg(long, default_value_t = 0.0)]
        min_confidence: f64,
        /// The evidence folder (default: beside the SQLite file).
        #[arg(long)]
        evidence_dir: Option<PathBuf>,
        /// The user importing it.
        #[arg(long)]
        actor: String,
    },
    /// The triage queue: detections, pending first and most confident first.
    Queue {
        /// Database.
        db: Location,
        /// pending, confirmed, false_positive or not_verifiable.
        #[arg(long)]
        verdict: Option<VerdictValue>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Give a verdict on a detection; `confirmed` (with --category) creates an EO find in a
    /// report submitted for the usual approval.
    Verdict {
        /// Database.
        db: Location,
        /// Detection id.
        id: i64,
        /// confirmed, false_positive or not_verifiable.
        #[arg(long)]
        verdict: VerdictValue,
        /// Ordnance category of a confirmed item (e.g. landmine_ap).
        #[arg(long)]
        category: Option<OrdnanceCategory>,
        /// Number of items (confirmed).
        #[arg(long)]
        quantity: Option<u32>,
        /// Confirmed as this approved EO find, recorded already (local id): no new report.
        #[arg(long, conflicts_with_all = ["category", "quantity"])]
        eo_find: Option<String>,
        /// What the person saw.
        #[arg(long)]
        note: Option<String>,
        /// The person giving it (a reviewer or approver).
        #[arg(long)]
        actor: String,
    },
    /// Precision, recall and calibration of each detector and class.
    Metrics {
        /// Database.
        db: Location,
    },
    /// Import a machine's or robot's GNSS track (GPX, NMEA 0183, or CSV with time, lat, lon,
    /// heading, engaged, accuracy) as processed-area evidence of a clearance activity.
    /// Processed is not cleared (IMAS 09.50).
    Track {
        /// Database.
        db: Location,
        /// The track file.
        file: PathBuf,
        /// Local id of the approved clearance activity.
        #[arg(long)]
        activity: String,
        /// The machine or robot.
        #[arg(long)]
        machine: String,
        /// machine or robot.
        #[arg(long, default_value = "machine")]
        kind: String,
        /// Working width of the tool, metres.
        #[arg(long)]
        width: f64,
        /// gpx, nmea or csv (default: guessed).
        #[arg(long)]
        format: Option<String>,
        /// Drop fixes less accurate than this, metres.
        #[arg(long, default_value_t = CleanOptions::default().max_accuracy_m)]
        max_accuracy: f64,
        /// Drop jumps faster than this, m/s.
        #[arg(long, default_value_t = CleanOptions::default().max_speed_mps)]
        max_speed: f64,
        /// The user importing it.
        #[arg(long)]
        actor: String,
    },
    /// List the tracks with their figures.
    Tracks {
        /// Database.
        db: Location,
        /// Only this activity's.
        #[arg(long)]
        activity: Option<String>,
    },
}

/// Runs `safeground evidence`.
pub fn run(action: EvidenceCommand, out: &mut dyn Write) -> anyhow::Result<()> {
    match action {
        EvidenceCommand::Orthophoto {
            db,
            file,
            name,
            hazards,
            activity,
            captured_on,
            evidence_dir: dir,
            actor,
        } => {
            let dir = evidence_dir(dir, &db).context(
                "the programme is in PostgreSQL: give --evidence-dir DIR (the server's too)",
            )?;
            let (mut store, who) = open_as(&db, &actor)?;
            let meta = OrthophotoMeta {
                name,
                hazards,
                activity,
                captured_on,
                file_name: file_name(&file),
            };
            let o = add_orthophoto(store.as_mut(), &dir, &who, &file, false, meta)?;
            writeln!(
                out,
                "orthophoto {}: {} ({}×{} px, EPSG:{}, {:.3} m pixels, {} bytes)",
                o.id, o.name, o.width, o.height, o.epsg, o.resolution_m, o.size_bytes
            )?;
            let cell = EvidenceCell::at(dir.clone());
            if let Some(shift) = cell.facts(o.id, &o.file).and_then(|f| f.datum_shift) {
                writeln!(
                    out,
                    "  note: EPSG:{} is not on WGS 84; it is placed with the fixed datum shift of \
                     its EPSG definition ({shift}). GDAL/PROJ may choose another for your area, \
                     hundreds of metres apart: for exact placement add it reprojected, e.g. \
                     gdalwarp -t_srs EPSG:32648 in.tif out.tif",
                    o.epsg
                )?;
            }
        }
        EvidenceCommand::Orthophotos { db } => {
            let store = db.open().with_context(|| format!("opening {db}"))?;
            for o in store.orthophotos()? {
                writeln!(
                    out,
                    "{}\t{}\t{}×{}\tEPSG:{}\t{:.3} m\t{}",
                    o.id,
                    o.name,
                    o.width,
                    o.height,
                    o.epsg,
                    o.resolution_m,
                    o.hazards.join(",")
                )?;
            }
        }
        EvidenceCommand::Detections {
            db,
            file,
            orthophoto,
            format,
            model,
            model_version,
            classes,
            min_confidence,
            evidence_dir: dir,
            actor,
        } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let (mut store, who) = open_as(&db, &actor)?;
            let cell = EvidenceCell::new(dir, &db);
            let opts = DetectionImport {
                orthophoto,
                format,
                model,
                model_version,
                classes,
                min_confidence,
                source_name: file_name(&file),
            };
            let (run, dropped) = import_detections(store.as_mut(), &cell, &who, &bytes, &opts)?;
            for d in &dropped {
                writeln!(out, "record {}\tleft out: {}", d.record, d.reason)?;
            }
            writeln!(
                out,
                "run {}: {} detections of {} {} stored (pending), {} left out",
                run.id,
                run.count,
                run.model,
                run.model_version,
                dropped.len()
            )?;
        }
        EvidenceCommand::Queue { db, verdict, limit } => {
            let store = db.open().with_context(|| format!("opening {db}"))?;
            let list = store.detections(&DetectionQuery {
                verdict,
                limit,
                ..DetectionQuery::default()
            })?;
            for d in list {
                writeln!(
                    out,
                    "{}\t{} {}\t{}\t{:.2}\t{:.6},{:.6}\t{}",
                    d.id,
                    d.model,
                    d.model_version,
                    d.class,
                    d.confidence,
                    d.location.y(),
                    d.location.x(),
                    d.verdict.as_str()
                )?;
            }
        }
        EvidenceCommand::Verdict {
            db,
            id,
            verdict,
            category,
            quantity,
            eo_find,
            note,
            actor,
        } => {
            let (mut store, who) = open_as(&db, &actor)?;
            let body = VerdictBody {
                verdict,
                note,
                category,
                quantity,
                eo_find,
            };
            let d = give_verdict(store.as_mut(), &who, id, &body)?;
            match d.report {
                Some(report) => writeln!(
                    out,
                    "detection {id}: {}; EO find {} in report {report}, submitted for approval",
                    d.verdict.as_str(),
                    d.eo_find.as_deref().unwrap_or("")
                )?,
                None => match d.eo_find {
                    Some(find) => writeln!(
                        out,
                        "detection {id}: {}; it is the recorded EO find {find}",
                        d.verdict.as_str()
                    )?,
                    None => writeln!(out, "detection {id}: {}", d.verdict.as_str())?,
                },
            }
        }
        EvidenceCommand::Metrics { db } => {
            let store = db.open().with_context(|| format!("opening {db}"))?;
            writeln!(
                out,
                "model\tversion\tclass\tdetections\tconfirmed\tfalse positive\tpending\tprecision\trecall\tECE"
            )?;
            for m in model_metrics(store.as_ref())? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    m.model,
                    m.model_version,
                    m.class,
                    m.detections,
                    m.confirmed,
                    m.false_positive,
                    m.pending,
                    share(m.precision),
                    share(m.recall),
                    m.expected_calibration_error
                        .map_or("–".to_owned(), |e| format!("{e:.3}"))
                )?;
            }
        }
        EvidenceCommand::Track {
            db,
            file,
            activity,
            machine,
            kind,
            width,
            format,
            max_accuracy,
            max_speed,
            actor,
        } => {
            let format = match format.as_deref() {
                Some("gpx") => Some(TrackFormat::Gpx),
                Some("nmea") => Some(TrackFormat::Nmea),
                Some("csv") => Some(TrackFormat::Csv),
                Some(other) => bail!("--format {other}: give gpx, nmea or csv"),
                None => None,
            };
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let (mut store, who) = open_as(&db, &actor)?;
            let opts = TrackImport {
                activity,
                machine,
                kind,
                working_width_m: width,
                format,
                source_name: file_name(&file),
                task: None,
                clean: CleanOptions {
                    max_accuracy_m: max_accuracy,
                    max_speed_mps: max_speed,
                },
            };
            let activity = opts.activity.clone();
            let (t, unreadable) = import_track(store.as_mut(), &who, &bytes, opts)?;
            let cleared = cleared_m2(store.as_ref(), &activity)?;
            for (record, reason) in &unreadable {
                writeln!(out, "record {record}\tunreadable: {reason}")?;
            }
            writeln!(
                out,
                "track {}: {} fixes read, {} used; dropped {}",
                t.id, t.fixes, t.fixes_used, t.dropped
            )?;
            writeln!(
                out,
                "processed {:.1} m² of the task's {:.1} m² ({:.1} %), gaps {:.1} m², overlaps {:.1} m², outside {:.1} m²",
                t.processed_m2,
                t.task_m2,
                t.coverage_pct,
                t.gap_m2,
                t.overlap_m2,
                t.processed_outside_m2
            )?;
            if let Some(cleared) = cleared {
                writeln!(
                    out,
                    "the approved activity {activity} reports {cleared:.1} m² cleared"
                )?;
            }
            writeln!(
                out,
                "processed is not cleared (IMAS 09.50): the land is released by the approved clearance report"
            )?;
        }
        EvidenceCommand::Tracks { db, activity } => {
            let store = db.open().with_context(|| format!("opening {db}"))?;
            for t in store.tracks(activity.as_deref())? {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{:.1} m\t{:.1} m²\t{:.1} %\tgaps {:.1} m²\toverlaps {:.1} m²",
                    t.id,
                    t.activity,
                    t.machine,
                    t.working_width_m,
                    t.processed_m2,
                    t.coverage_pct,
                    t.gap_m2,
                    t.overlap_m2
                )?;
            }
        }
    }
    Ok(())
}

/// The store and the user `actor` acting in it.
fn open_as(db: &Location, actor: &str) -> anyhow::Result<(Box<dyn Backend>, Principal)> {
    let store = db.open().with_context(|| format!("opening {db}"))?;
    let account = store
        .account(actor)?
        .with_context(|| format!("no user `{actor}`: give --actor with an existing user name"))?;
    let who = Principal::of_account(store.as_ref(), account)?;
    Ok((store, who))
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned())
}

fn share(v: Option<f64>) -> String {
    v.map_or("–".to_owned(), |v| format!("{:.1} %", v * 100.0))
}
