//! The demo's evidence files: a drone orthophoto over a machine-cleared area (drawn here and
//! written as a GeoTIFF in the area's UTM zone), a detector's output on it (YOLO text in the
//! image's pixels: the EO found there, items not yet found, stones and shadows), and the
//! machine's GNSS track (CSV, lanes with turns, a skipped lane and a few bad fixes).
//!
//! [`write_files`] only writes files; the caller imports them through the same code as users
//! (`safeground evidence …`), so the demo exercises every check.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use geo::{BoundingRect, Contains};
use geo_types::{Coord, MultiPolygon, Point, Polygon};
use safeground_geo::{Hemisphere, Utm};
use safeground_model::{AssetType, ItemKind, OrdnanceCategory, Record, ReleaseMethod};
use safeground_store::{AsOf, Flow, ProgrammeStore};

/// Ground size of a pixel, metres.
const PIXEL_M: f64 = 0.05;
/// Largest side of the image, pixels.
const MAX_SIDE: u32 = 2400;
/// Margin around the task in the image, metres.
const MARGIN_M: f64 = 10.0;
/// The detector's classes, in class-id order.
pub const CLASSES: [&str; 2] = ["mine", "uxo"];
/// The detector.
pub const MODEL: &str = "demo-yolo";
/// Its version.
pub const MODEL_VERSION: &str = "1.0";
/// The machine's tool width, metres.
pub const WORKING_WIDTH_M: f64 = 1.5;

/// What is really at a detection (the demo's verdicts follow it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Truth {
    /// An item of this category.
    Item(OrdnanceCategory),
    /// Nothing: a stone or a shadow.
    Nothing,
    /// Too blurred to tell.
    Unclear,
}

/// A detection the demo's detector makes, with the truth.
#[derive(Debug, Clone)]
pub struct PlannedDetection {
    /// Where, WGS 84.
    pub location: Point<f64>,
    /// What is there.
    pub truth: Truth,
    /// Whether the demo gives its verdict (the others wait in the triage queue).
    pub judged: bool,
    /// The approved EO find it is, when recorded already (local id).
    pub recorded: Option<String>,
}

/// The files written and what they show.
#[derive(Debug, Clone)]
pub struct EvidenceFiles {
    /// The GeoTIFF.
    pub orthophoto: PathBuf,
    /// Local id of the clearance activity flown and driven.
    pub activity: String,
    /// Local ids of its hazards.
    pub hazards: Vec<String>,
    /// The detector's output (YOLO text).
    pub detections: PathBuf,
    /// Each detection, in the file's order.
    pub planned: Vec<PlannedDetection>,
    /// The machine's track (CSV).
    pub track: PathBuf,
    /// Fixes in the track.
    pub fixes: usize,
}

/// Why the files could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// The programme has no machine clearance to show.
    #[error("the programme has no approved activity that cleared a polygon of 2,000–40,000 m²")]
    NoClearance,
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] safeground_store::StoreError),
    /// Projecting failed.
    #[error(transparent)]
    Geo(#[from] safeground_geo::GeoError),
    /// Writing failed.
    #[error("writing the evidence files: {0}")]
    Write(String),
}

/// Writes the evidence files of the programme in `store` into `dir`.
pub fn write_files<S: ProgrammeStore + ?Sized>(
    store: &S,
    dir: &Path,
) -> Result<EvidenceFiles, EvidenceError> {
    let (activity, hazards, task) = pick_clearance(store)?;
    let centre = geo::Centroid::centroid(&task).ok_or(EvidenceError::NoClearance)?;
    let zone = Utm::from_wgs84(centre)?;
    let to_utm = |p: Coord<f64>| -> Result<(f64, f64), EvidenceError> {
        let u = Utm::from_wgs84_in_zone(Point(p), zone.zone, zone.hemisphere)?;
        Ok((u.easting, u.northing))
    };
    let to_wgs84 = |e: f64, n: f64| -> Result<Point<f64>, EvidenceError> {
        Ok(Utm {
            zone: zone.zone,
            hemisphere: zone.hemisphere,
            easting: e,
            northing: n,
        }
        .to_wgs84()?)
    };
    let ring: Vec<(f64, f64)> = task
        .exterior()
        .coords()
        .map(|c| to_utm(*c))
        .collect::<Result<_, _>>()?;
    let task_utm = Polygon::new(
        ring.iter().map(|&(x, y)| Coord { x, y }).collect(),
        Vec::new(),
    );
    let rect = task_utm.bounding_rect().ok_or(EvidenceError::NoClearance)?;
    let pixel = (f64::max(rect.width(), rect.height()) + 2.0 * MARGIN_M) / f64::from(MAX_SIDE);
    let pixel = pixel.max(PIXEL_M);
    let (x0, y0) = (rect.min().x - MARGIN_M, rect.max().y + MARGIN_M);
    let width = ((rect.width() + 2.0 * MARGIN_M) / pixel).ceil() as u32;
    let height = ((rect.height() + 2.0 * MARGIN_M) / pixel).ceil() as u32;
    let epsg = match zone.hemisphere {
        Hemisphere::North => 32600,
        Hemisphere::South => 32700,
    } + u32::from(zone.zone);

    // Items: the EO found there (approved finds), two not found yet, stones and a blur.
    let mut objects: Vec<(f64, f64, Truth, bool, Option<String>)> = Vec::new();
    store.for_each_current(ItemKind::EoFind, None, &mut |v| {
        if let Record::EoFind(f) = v.record
            && let Some(p) = f.location
            && task.contains(&p)
            && objects.len() < 12
            && let Ok((x, y)) = to_utm(p.0)
        {
            objects.push((x, y, Truth::Item(f.category), true, Some(f.local_id)));
        }
        Ok(Flow::Continue)
    })?;
    let spot = |fx: f64, fy: f64| {
        (
            rect.min().x + fx * rect.width(),
            rect.min().y + fy * rect.height(),
        )
    };
    let extra = [
        (
            spot(0.30, 0.40),
            Truth::Item(OrdnanceCategory::ApMine),
            false,
        ),
        (
            spot(0.62, 0.71),
            Truth::Item(OrdnanceCategory::Submunition),
            true,
        ),
        (spot(0.45, 0.52), Truth::Item(OrdnanceCategory::Uxo), false),
        (spot(0.20, 0.80), Truth::Nothing, true),
        (spot(0.75, 0.25), Truth::Nothing, true),
        (spot(0.55, 0.15), Truth::Nothing, false),
        (spot(0.85, 0.60), Truth::Nothing, false),
        (spot(0.40, 0.90), Truth::Unclear, true),
        (
            spot(0.10, 0.30),
            Truth::Item(OrdnanceCategory::ApMine),
            false,
        ),
        (spot(0.70, 0.45), Truth::Nothing, false),
    ];
    objects.extend(extra.iter().map(|&((x, y), t, j)| (x, y, t, j, None)));

    // The image: soil, grass patches, the machine's tilled lanes, and the objects.
    let mut rgb = vec![0u8; width as usize * height as usize * 3];
    for row in 0..height {
        for col in 0..width {
            let (x, y) = (
                x0 + (f64::from(col) + 0.5) * pixel,
                y0 - (f64::from(row) + 0.5) * pixel,
            );
            let grass = noise(x / 6.0, y / 6.0) * 0.6 + noise(x / 1.5, y / 1.5) * 0.4;
            let grain = noise(x * 8.0, y * 8.0);
            let tilled = task_utm.contains(&Coord { x, y }) && (x / 1.4).fract() < 0.93;
            let (mut r, mut g, mut b) = if grass > 0.62 && !tilled {
                (70.0, 105.0, 45.0)
            } else if tilled {
                (128.0, 92.0, 62.0)
            } else {
                (150.0, 118.0, 84.0)
            };
            let shade = 0.82 + 0.3 * grain;
            r *= shade;
            g *= shade;
            b *= shade;
            let i = (row as usize * width as usize + col as usize) * 3;
            rgb[i] = r.clamp(0.0, 255.0) as u8;
            rgb[i + 1] = g.clamp(0.0, 255.0) as u8;
            rgb[i + 2] = b.clamp(0.0, 255.0) as u8;
        }
    }
    for &(x, y, truth, _, _) in &objects {
        let (cx, cy) = ((x - x0) / pixel, (y0 - y) / pixel);
        let (radius_m, colour) = match truth {
            Truth::Item(OrdnanceCategory::AtMine) => (0.16, [46, 58, 40]),
            Truth::Item(OrdnanceCategory::Submunition) => (0.05, [180, 150, 40]),
            Truth::Item(OrdnanceCategory::Uxo) => (0.12, [70, 70, 60]),
            Truth::Item(_) => (0.06, [60, 75, 50]),
            Truth::Nothing => (0.10, [160, 160, 155]),
            Truth::Unclear => (0.09, [95, 85, 70]),
        };
        let r_px = (radius_m / pixel).max(2.0);
        disc(
            &mut rgb,
            width,
            height,
            cx + r_px * 0.4,
            cy + r_px * 0.4,
            r_px,
            [40, 32, 25],
        );
        disc(&mut rgb, width, height, cx, cy, r_px, colour);
    }
    std::fs::create_dir_all(dir).map_err(|e| EvidenceError::Write(e.to_string()))?;
    let orthophoto = dir.join("demo-orthophoto.tif");
    safeground_orthophoto::write_geotiff(
        &orthophoto,
        width,
        height,
        &rgb,
        epsg,
        [x0, pixel, 0.0, y0, 0.0, -pixel],
    )
    .map_err(|e| EvidenceError::Write(e.to_string()))?;

    // The detector: each object, in pixels, with a confidence a real model might give.
    let mut yolo = String::new();
    let mut planned = Vec::new();
    for (i, (x, y, truth, judged, recorded)) in objects.iter().enumerate() {
        let (x, y, truth, judged) = (*x, *y, *truth, *judged);
        let (class, confidence) = match truth {
            Truth::Item(OrdnanceCategory::Uxo | OrdnanceCategory::AtMine) => (1, 0.81),
            Truth::Item(_) => (0, 0.93 - 0.03 * (i % 5) as f64),
            Truth::Nothing => (0, 0.55 + 0.04 * (i % 4) as f64),
            Truth::Unclear => (1, 0.47),
        };
        let (cx, cy) = (
            (x - x0) / pixel / f64::from(width),
            (y0 - y) / pixel / f64::from(height),
        );
        let side = 0.6 / pixel;
        let _ = writeln!(
            yolo,
            "{class} {cx:.6} {cy:.6} {:.6} {:.6} {confidence:.2}",
            side / f64::from(width),
            side / f64::from(height)
        );
        // The box's centre, as the server will georeference it.
        planned.push(PlannedDetection {
            location: to_wgs84(x, y)?,
            truth,
            judged,
            recorded: recorded.clone(),
        });
    }
    let detections = dir.join("demo-detections.txt");
    std::fs::write(&detections, yolo).map_err(|e| EvidenceError::Write(e.to_string()))?;

    let (csv, fixes) = machine_track(&task_utm, &to_wgs84)?;
    let track = dir.join("demo-machine-track.csv");
    std::fs::write(&track, csv).map_err(|e| EvidenceError::Write(e.to_string()))?;
    Ok(EvidenceFiles {
        orthophoto,
        activity,
        hazards,
        detections,
        planned,
        track,
        fixes,
    })
}

/// The machine's day: lanes 1.4 m apart (a 1.5 m flail, so 0.1 m overlap) across the task,
/// the tool lifted outside it and on the turns, one lane skipped, 1 fix a second at 0.5 m/s, and
/// three bad fixes (one at 0,0, one back in time, one 300 m jump).
fn machine_track(
    task: &Polygon<f64>,
    to_wgs84: &dyn Fn(f64, f64) -> Result<Point<f64>, EvidenceError>,
) -> Result<(String, usize), EvidenceError> {
    let rect = task.bounding_rect().ok_or(EvidenceError::NoClearance)?;
    let mut csv = String::from("time,lat,lon,heading,engaged,accuracy\n");
    let start = 1_767_000_000.0_f64;
    let mut t = start;
    let mut n = 0usize;
    let lanes = ((rect.width() / 1.4).floor() as usize).max(1);
    let skipped = lanes / 2;
    let push =
        |csv: &mut String, t: f64, p: Point<f64>, heading: f64, engaged: bool, n: &mut usize| {
            let time = chrono::DateTime::from_timestamp(t as i64, 0)
                .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap_or_default();
            let _ = writeln!(
                csv,
                "{time},{:.8},{:.8},{heading:.0},{},0.03",
                p.y(),
                p.x(),
                u8::from(engaged)
            );
            *n += 1;
        };
    for lane in 0..lanes {
        let x = rect.min().x + 0.7 + lane as f64 * 1.4;
        let up = lane % 2 == 0;
        let (from, to) = if up {
            (rect.min().y - 3.0, rect.max().y + 3.0)
        } else {
            (rect.max().y + 3.0, rect.min().y - 3.0)
        };
        let steps = ((to - from).abs() / 0.5) as usize;
        let engaged_lane = lane != skipped;
        for s in 0..=steps {
            let y = from + (to - from) * s as f64 / steps as f64;
            // The flail works the task and is lifted outside it.
            let inside = task.contains(&Coord { x, y });
            push(
                &mut csv,
                t,
                to_wgs84(x, y)?,
                if up { 0.0 } else { 180.0 },
                engaged_lane && inside,
                &mut n,
            );
            t += 1.0;
        }
        if lane == 3 {
            push(&mut csv, t, Point::new(0.0, 0.0), 0.0, true, &mut n);
            t += 1.0;
            push(&mut csv, t - 30.0, to_wgs84(x, to)?, 0.0, true, &mut n);
            push(&mut csv, t, to_wgs84(x + 300.0, to)?, 0.0, true, &mut n);
            t += 1.0;
        }
    }
    Ok((csv, n))
}

/// An approved activity that cleared a polygon of 2,000–40,000 m² (by machine when there is
/// one): its local id, hazards and that polygon.
fn pick_clearance<S: ProgrammeStore + ?Sized>(
    store: &S,
) -> Result<(String, Vec<String>, Polygon<f64>), EvidenceError> {
    let mut machine = None;
    let mut other = None;
    store.for_each_current(ItemKind::Activity, None, &mut |v| {
        let Record::Activity(a) = v.record else {
            return Ok(Flow::Continue);
        };
        for r in a
            .released_areas
            .iter()
            .filter(|r| r.method == ReleaseMethod::Cleared)
        {
            let Some(p) = r.geometry.0.iter().find(|p| {
                let area = safeground_geo::geodesic_area(&MultiPolygon(vec![(*p).clone()]));
                p.interiors().is_empty() && (2_000.0..40_000.0).contains(&area)
            }) else {
                continue;
            };
            let hazards: Vec<String> = a.hazard.iter().chain(a.hazards.iter()).cloned().collect();
            let found = (a.local_id.clone(), hazards, p.clone());
            if r.asset_type == Some(AssetType::Machine) {
                machine = Some(found);
                return Ok(Flow::Stop);
            }
            other.get_or_insert(found);
        }
        Ok(Flow::Continue)
    })?;
    let (activity, hazards, polygon) = machine.or(other).ok_or(EvidenceError::NoClearance)?;
    // The activity names its hazards by item id; evidence names them by local id.
    let now = AsOf::now();
    let mut local = Vec::with_capacity(hazards.len());
    for id in hazards {
        local.push(match store.item_as_of(&id, now)?.map(|v| v.record) {
            Some(Record::Hazard(h)) => h.local_id,
            _ => id,
        });
    }
    Ok((activity, local, polygon))
}

/// Smooth value noise in 0..1.
fn noise(x: f64, y: f64) -> f64 {
    let (xi, yi) = (x.floor(), y.floor());
    let (fx, fy) = (x - xi, y - yi);
    let h = |a: f64, b: f64| {
        let n = (a as i64).wrapping_mul(374_761_393) ^ (b as i64).wrapping_mul(668_265_263);
        let n = (n ^ (n >> 13)).wrapping_mul(1_274_126_177);
        ((n ^ (n >> 16)) & 0xffff) as f64 / 65_535.0
    };
    let s = |t: f64| t * t * (3.0 - 2.0 * t);
    let top = h(xi, yi) + (h(xi + 1.0, yi) - h(xi, yi)) * s(fx);
    let bottom = h(xi, yi + 1.0) + (h(xi + 1.0, yi + 1.0) - h(xi, yi + 1.0)) * s(fx);
    top + (bottom - top) * s(fy)
}

/// A filled disc.
fn disc(rgb: &mut [u8], width: u32, height: u32, cx: f64, cy: f64, r: f64, colour: [u8; 3]) {
    let (w, h) = (f64::from(width), f64::from(height));
    let y_from = (cy - r).floor().max(0.0) as u32;
    let y_to = (cy + r).ceil().min(h - 1.0).max(0.0) as u32;
    let x_from = (cx - r).floor().max(0.0) as u32;
    let x_to = (cx + r).ceil().min(w - 1.0).max(0.0) as u32;
    for row in y_from..=y_to {
        for col in x_from..=x_to {
            let (dx, dy) = (f64::from(col) + 0.5 - cx, f64::from(row) + 0.5 - cy);
            if dx * dx + dy * dy <= r * r {
                let i = (row as usize * width as usize + col as usize) * 3;
                rgb[i..i + 3].copy_from_slice(&colour);
            }
        }
    }
}
