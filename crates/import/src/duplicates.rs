//! What a record is to the programme before it is written: new, the same record as one already
//! there (same local id), or a suspected twin of another record (same identity under another
//! local id), which is held for review rather than written or dropped.
//!
//! Identity by kind (a date is needed, and estimated dates do not count):
//! - EO find: found date, ordnance category and place;
//! - accident: date (when known, not estimated), device category when both give one, place;
//! - risk-education session: date, method when both give one, place;
//! - hazard: date first recorded and polygons (Hausdorff distance);
//! - every kind: its local id.
//!
//! Places and polygons match within the tolerance. A record without a date or a place is never a
//! suspected twin: many accidents of unknown date at one village centre are many accidents.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hasher};

use chrono::NaiveDate;
use geo::{BoundingRect, HausdorffDistance, MapCoords};
use geo_types::{Coord, Geometry, LineString, MultiPolygon, Point, Polygon, Rect};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};
use safeground_model::{Hazard, ItemKind, Record};
use safeground_store::{Flow, ProgrammeStore, Reconcile, ReportStatus, StoreError};

/// Metres per degree of latitude (mean).
const M_PER_DEG: f64 = 111_320.0;

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// What a record is to what is already known ([`Duplicates::check`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Same kind and local id as an existing item or a report waiting for review: the same
    /// record, already in the programme; not written again.
    Present {
        /// The item or report ("HAZ-000003", "submitted report 12").
        of: String,
    },
    /// Same local id and the same values as an earlier record of this import: a repeated row.
    Repeated {
        /// The earlier record ("row 3").
        of: String,
    },
    /// Same local id as an earlier record of this import but other values: one local id cannot
    /// name two records.
    Conflict {
        /// The earlier record.
        of: String,
    },
    /// Same identity (date, type, place or polygons) as another record under another local id:
    /// held for review.
    Twin {
        /// The record it resembles ("EO-000001 (local id E1)", "row 3 (local id E1)").
        of: String,
        /// What they share ("found date 2024-03-01, category ap_mine, place within 1 m").
        why: String,
    },
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Present { of } => {
                write!(
                    f,
                    "already in the programme: same local id as {of}; not written again"
                )
            }
            Verdict::Repeated { of } => {
                write!(
                    f,
                    "already in this import: same record as {of}; not written twice"
                )
            }
            Verdict::Conflict { of } => write!(
                f,
                "local id already given to {of}, with other values: a local id names one record \
                 (give one of them another local id)"
            ),
            Verdict::Twin { of, why } => write!(
                f,
                "suspected twin of {of} (same {why}); held for review, not written"
            ),
        }
    }
}

/// What identifies an event or area besides its local id: its date and, where the kind has
/// one, its type. `None` when the record cannot be a suspected twin (no date, no place).
#[derive(Debug, Clone, PartialEq)]
struct Identity {
    date: NaiveDate,
    /// ("category", "ap_mine"); `None` when the kind has no type or the record gives none.
    kind_of: Option<(&'static str, &'static str)>,
    /// "found date", "date", "date first recorded".
    date_name: &'static str,
}

impl Identity {
    /// Whether `other` may be the same event: same date, and same type when both give one.
    fn matches(&self, other: &Identity) -> bool {
        self.date == other.date
            && match (self.kind_of, other.kind_of) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }

    fn describe(&self, place: &str) -> String {
        let mut s = format!("{} {}", self.date_name, self.date);
        if let Some((name, code)) = self.kind_of {
            s.push_str(&format!(", {name} {code}"));
        }
        s.push_str(", ");
        s.push_str(place);
        s
    }
}

fn identity(record: &Record) -> Option<Identity> {
    let (date, kind_of, date_name) = match record {
        Record::Hazard(h) => (h.first_recorded?, None, "date first recorded"),
        Record::EoFind(r) => (
            r.found_date?,
            Some(("category", r.category.code())),
            "found date",
        ),
        Record::Accident(r) if r.date_known => (
            r.date?,
            r.device_category.map(|c| ("device category", c.code())),
            "date",
        ),
        Record::RiskEducation(r) => (r.date?, r.method.map(|m| ("method", m.code())), "date"),
        _ => return None,
    };
    Some(Identity {
        date,
        kind_of,
        date_name,
    })
}

/// The geometry that identifies a record on the ground, if it has one.
fn geometry(record: &Record) -> Option<Geometry<f64>> {
    match record {
        Record::Hazard(h) => h.geometry.clone().map(Geometry::MultiPolygon),
        Record::EoFind(r) => r.location.map(Geometry::Point),
        Record::Accident(r) => r.location.map(Geometry::Point),
        Record::RiskEducation(r) => r.location.map(Geometry::Point),
        _ => None,
    }
}

/// A record's point, if it is placed by one.
fn point(record: &Record) -> Option<Point<f64>> {
    match record {
        Record::EoFind(r) => r.location,
        Record::Accident(r) => r.location,
        Record::RiskEducation(r) => r.location,
        _ => None,
    }
}

/// The bounding box of the geometry that identifies a record on the ground (a hazard's
/// polygons, another record's point), if it has one.
fn bounds(record: &Record) -> Option<Rect<f64>> {
    match record {
        Record::Hazard(h) => h.geometry.as_ref()?.bounding_rect(),
        other => Some(point(other)?.bounding_rect()),
    }
}

/// The geometry of a remembered record, kept compactly: the twin index holds one for every
/// record of an import, so a hazard's polygons are kept as `f32` offsets from their bounding
/// box's lower corner (half the memory of `f64` positions; off by under a centimetre for
/// polygons less than a degree across, where twin tolerances are metres) and rebuilt only
/// when a neighbour with the same identity must be compared.
enum Kept {
    Point(Point<f64>),
    Polygons {
        origin: Coord<f64>,
        /// Every ring's positions, polygon by polygon, exterior first.
        positions: Box<[[f32; 2]]>,
        /// Per polygon: its number of rings, then each ring's number of positions.
        layout: Box<[u32]>,
    },
}

impl Kept {
    fn of(record: &Record, rect: Rect<f64>) -> Option<Kept> {
        let Record::Hazard(h) = record else {
            return point(record).map(Kept::Point);
        };
        let origin = rect.min();
        let mut positions = Vec::new();
        let mut layout = Vec::new();
        for polygon in &h.geometry.as_ref()?.0 {
            let rings: Vec<&LineString<f64>> = std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .collect();
            layout.push(u32::try_from(rings.len()).ok()?);
            for ring in rings {
                layout.push(u32::try_from(ring.0.len()).ok()?);
                positions.extend(
                    ring.0
                        .iter()
                        .map(|c| [(c.x - origin.x) as f32, (c.y - origin.y) as f32]),
                );
            }
        }
        Some(Kept::Polygons {
            origin,
            positions: positions.into(),
            layout: layout.into(),
        })
    }

    /// The geometry again, in degrees.
    fn geometry(&self) -> Geometry<f64> {
        let (origin, positions, layout) = match self {
            Kept::Point(p) => return Geometry::Point(*p),
            Kept::Polygons {
                origin,
                positions,
                layout,
            } => (origin, positions, layout),
        };
        let mut positions = positions.iter().map(|[x, y]| Coord {
            x: origin.x + f64::from(*x),
            y: origin.y + f64::from(*y),
        });
        let mut layout = layout.iter().map(|n| *n as usize);
        let mut polygons = Vec::new();
        while let Some(rings) = layout.next() {
            let mut rings = (0..rings).map(|_| {
                let n = layout.next().unwrap_or(0);
                LineString(positions.by_ref().take(n).collect())
            });
            let exterior = rings.next().unwrap_or_else(|| LineString(Vec::new()));
            polygons.push(Polygon::new(exterior, rings.collect()));
        }
        Geometry::MultiPolygon(MultiPolygon(polygons))
    }
}

fn envelope(rect: Rect<f64>, pad_deg: f64) -> AABB<[f64; 2]> {
    AABB::from_corners(
        [rect.min().x - pad_deg, rect.min().y - pad_deg],
        [rect.max().x + pad_deg, rect.max().y + pad_deg],
    )
}

/// Equirectangular metres around latitude `lat0`: enough to compare shapes a metre apart.
fn metres(g: &Geometry<f64>, lat0: f64) -> Geometry<f64> {
    let k = lat0.to_radians().cos();
    g.map_coords(|c| geo_types::Coord {
        x: c.x * M_PER_DEG * k,
        y: c.y * M_PER_DEG,
    })
}

/// A digest of a record's values, to tell a repeated row from two records under one local id.
/// A hazard's polygons are hashed by their coordinates' bits rather than printed.
fn digest(record: &Record) -> u64 {
    struct Feed(DefaultHasher);
    impl std::fmt::Write for Feed {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut feed = Feed(DefaultHasher::new());
    // Debug output of a record is deterministic (floats print exactly).
    let _ = match record {
        Record::Hazard(h) if h.geometry.is_some() => {
            let bare = Record::Hazard(Hazard {
                geometry: None,
                ..h.clone()
            });
            for polygon in h.geometry.iter().flat_map(|mp| &mp.0) {
                let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
                feed.0.write_usize(polygon.interiors().len());
                for ring in rings {
                    feed.0.write_usize(ring.0.len());
                    for c in &ring.0 {
                        feed.0.write_u64(c.x.to_bits());
                        feed.0.write_u64(c.y.to_bits());
                    }
                }
            }
            std::fmt::Write::write_fmt(&mut feed, format_args!("{bare:?}"))
        }
        other => std::fmt::Write::write_fmt(&mut feed, format_args!("{other:?}")),
    };
    feed.0.finish()
}

/// A record known by its local id: an existing item (no digest) or one of this import.
struct Known {
    name: String,
    digest: Option<u64>,
}

/// A record with an identity and a place.
struct Shape {
    kind: ItemKind,
    identity: Identity,
    geometry: Kept,
    rect: Rect<f64>,
    name: String,
}

/// What is already known: existing items and the records planned so far.
#[derive(Default)]
pub struct Duplicates {
    tolerance_m: f64,
    ids: HashMap<(ItemKind, String), Known>,
    shapes: Vec<Shape>,
    tree: RTree<Entry>,
}

impl Duplicates {
    /// Loads the current items of `kinds` from the store, and the records of reports waiting
    /// for review (approving them would create the twin). `tolerance_m` is the largest
    /// distance between two places (Hausdorff distance between two hazards' polygons) taken as
    /// the same; 0 turns the check for suspected twins off (local ids are always checked).
    pub fn load<S: ProgrammeStore + ?Sized>(
        store: &S,
        kinds: &[ItemKind],
        tolerance_m: f64,
    ) -> Result<Duplicates, StoreError> {
        let mut d = Duplicates {
            tolerance_m,
            ..Duplicates::default()
        };
        for kind in kinds {
            store.for_each_current(*kind, None, &mut |v| {
                d.remember(&v.record, &v.item, None);
                Ok(Flow::Continue)
            })?;
        }
        for id in store.reports_with_status(ReportStatus::Submitted)? {
            let report = store.report(id)?;
            for entry in &report.content.entries {
                if kinds.contains(&entry.record.kind()) && matches!(entry.reconcile, Reconcile::New)
                {
                    d.remember(&entry.record, &format!("submitted report {id}"), None);
                }
            }
        }
        Ok(d)
    }

    /// What `record` is to the existing items and the records added so far; `None`: a new
    /// record.
    pub fn check(&self, record: &Record) -> Option<Verdict> {
        let kind = record.kind();
        if let Some(known) = self.ids.get(&(kind, record.local_id().to_owned())) {
            let of = known.name.clone();
            return Some(match known.digest {
                None => Verdict::Present { of },
                Some(d) if d == digest(record) => Verdict::Repeated { of },
                Some(_) => Verdict::Conflict { of },
            });
        }
        if self.tolerance_m <= 0.0 {
            return None;
        }
        let identity = identity(record)?;
        let rect = bounds(record)?;
        let pad = self.tolerance_m / M_PER_DEG * 2.0;
        let lat0 = rect.center().y;
        // In metres only once a neighbour's box is close enough to need the distance.
        let mut here: Option<Option<Geometry<f64>>> = None;
        // Shapes within the tolerance have bounding boxes within it, edge by edge: a cheap
        // test that spares the Hausdorff distance (quadratic in vertices) for mere neighbours.
        let k = lat0.to_radians().cos() * M_PER_DEG;
        let bounds_close = |other: &Rect<f64>| {
            let dx = [rect.min().x - other.min().x, rect.max().x - other.max().x];
            let dy = [rect.min().y - other.min().y, rect.max().y - other.max().y];
            dx.iter().all(|d| (d * k).abs() <= self.tolerance_m)
                && dy.iter().all(|d| (d * M_PER_DEG).abs() <= self.tolerance_m)
        };
        self.tree
            .locate_in_envelope_intersecting(&envelope(rect, pad))
            .filter_map(|e| self.shapes.get(e.data))
            .filter(|s| s.kind == kind && s.identity.matches(&identity) && bounds_close(&s.rect))
            .find(|s| {
                let here = here.get_or_insert_with(|| geometry(record).map(|g| metres(&g, lat0)));
                let Some(here) = here else {
                    return false;
                };
                here.hausdorff_distance(&metres(&s.geometry.geometry(), lat0)) <= self.tolerance_m
            })
            .map(|s| {
                let place = if matches!(kind, ItemKind::Hazard) {
                    format!("polygons within {} m", self.tolerance_m)
                } else {
                    format!("place within {} m", self.tolerance_m)
                };
                Verdict::Twin {
                    of: s.name.clone(),
                    why: identity.describe(&place),
                }
            })
    }

    /// Remembers a record planned in this import, named `label` ("row 3").
    pub fn add(&mut self, record: &Record, label: &str) {
        self.remember(record, label, Some(digest(record)));
    }

    fn remember(&mut self, record: &Record, name: &str, digest: Option<u64>) {
        let kind = record.kind();
        self.ids
            .entry((kind, record.local_id().to_owned()))
            .or_insert_with(|| Known {
                name: name.to_owned(),
                digest,
            });
        let Some(identity) = identity(record) else {
            return;
        };
        if let Some(rect) = bounds(record)
            && let Some(geometry) = Kept::of(record, rect)
        {
            let n = self.shapes.len();
            let aabb = envelope(rect, 0.0);
            self.tree.insert(GeomWithData::new(
                Rectangle::from_corners(aabb.lower(), aabb.upper()),
                n,
            ));
            self.shapes.push(Shape {
                kind,
                identity,
                geometry,
                rect,
                name: format!("{name} (local id {})", record.local_id()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safeground_model::{Accident, EoFind, OrdnanceCategory};

    fn day(d: &str) -> Option<NaiveDate> {
        d.parse().ok()
    }

    fn eo(local_id: &str, found: &str, x: f64, y: f64) -> Record {
        Record::EoFind(EoFind {
            local_id: local_id.into(),
            activity: None,
            hazard: None,
            category: OrdnanceCategory::ApMine,
            model: None,
            quantity: 1,
            condition: None,
            depth_cm: None,
            disposal: None,
            found_date: day(found),
            destroyed_date: None,
            location: Some(geo_types::Point::new(x, y)),
        })
    }

    fn accident(local_id: &str, date: &str, known: bool) -> Record {
        Record::Accident(Accident {
            local_id: local_id.into(),
            date: day(date),
            date_known: known,
            admin_pcode: None,
            device_category: None,
            location: Some(geo_types::Point::new(103.2, 13.1)),
            description: None,
            hazard: None,
        })
    }

    fn twins() -> Duplicates {
        Duplicates {
            tolerance_m: 1.0,
            ..Duplicates::default()
        }
    }

    #[test]
    fn local_ids_name_one_record() {
        let mut d = twins();
        d.remember(&eo("E1", "2024-03-01", 103.2, 13.1), "EO-000001", None);
        let present = d.check(&eo("E1", "2020-01-01", 104.0, 13.0));
        assert_eq!(
            present,
            Some(Verdict::Present {
                of: "EO-000001".into()
            })
        );
        d.add(&eo("E2", "2024-03-01", 100.0, 10.0), "row 3");
        let repeated = d.check(&eo("E2", "2024-03-01", 100.0, 10.0));
        assert_eq!(repeated, Some(Verdict::Repeated { of: "row 3".into() }));
        let conflict = d.check(&eo("E2", "2024-03-02", 100.0, 10.0));
        assert_eq!(conflict, Some(Verdict::Conflict { of: "row 3".into() }));
    }

    #[test]
    fn twins_share_date_type_and_place() {
        let mut d = twins();
        d.add(&eo("E1", "2024-03-01", 103.2, 13.1), "row 2");
        // 0.5 m north on the same day: a suspected twin; 5 m north: another find.
        let near = d.check(&eo("E2", "2024-03-01", 103.2, 13.1 + 0.5 / M_PER_DEG));
        let Some(Verdict::Twin { of, why }) = near else {
            panic!("a twin: {near:?}");
        };
        assert_eq!(of, "row 2 (local id E1)");
        assert_eq!(
            why,
            "found date 2024-03-01, category ap_mine, place within 1 m"
        );
        assert_eq!(
            d.check(&eo("E3", "2024-03-01", 103.2, 13.1 + 5.0 / M_PER_DEG)),
            None
        );
        // The same place another day, or without a date: another find.
        assert_eq!(d.check(&eo("E4", "2015-06-01", 103.2, 13.1)), None);
        assert_eq!(d.check(&eo("E5", "", 103.2, 13.1)), None);
        // Not looked for with a tolerance of 0.
        d.tolerance_m = 0.0;
        assert_eq!(d.check(&eo("E2", "2024-03-01", 103.2, 13.1)), None);
    }

    #[test]
    fn a_hazard_digest_sees_its_polygons_and_its_fields() {
        let square = |d: f64| {
            geo_types::MultiPolygon(vec![geo_types::Polygon::new(
                geo_types::LineString::from(vec![(0.0, 0.0), (d, 0.0), (d, d), (0.0, 0.0)]),
                vec![],
            )])
        };
        let hazard = |d: f64, name: &str| {
            Record::Hazard(Hazard {
                local_id: "H1".into(),
                name: name.into(),
                class: safeground_model::HazardClass::Sha,
                status: safeground_model::HazardStatus::Open,
                status_change: None,
                organisation: None,
                admin_pcode: None,
                evidence: vec![],
                contamination: vec![],
                reported_area_m2: None,
                first_recorded: None,
                geometry: Some(square(d)),
                comment: None,
            })
        };
        assert_eq!(digest(&hazard(1.0, "a")), digest(&hazard(1.0, "a")));
        assert_ne!(digest(&hazard(1.0, "a")), digest(&hazard(1.5, "a")));
        assert_ne!(digest(&hazard(1.0, "a")), digest(&hazard(1.0, "b")));
    }

    /// A remembered hazard's polygons come back within a centimetre of where they were, holes
    /// and all, from compact `f32` offsets (here over a degree apart); a point comes back
    /// exactly.
    #[test]
    fn kept_polygons_come_back_within_a_centimetre() {
        let ring = |pts: &[(f64, f64)]| geo_types::LineString::from(pts.to_vec());
        let polygons = geo_types::MultiPolygon(vec![
            geo_types::Polygon::new(
                ring(&[(103.2, 13.1), (103.3, 13.1), (103.3, 13.2), (103.2, 13.1)]),
                vec![ring(&[
                    (103.29, 13.11),
                    (103.295, 13.11),
                    (103.295, 13.115),
                    (103.29, 13.11),
                ])],
            ),
            geo_types::Polygon::new(
                ring(&[(104.0, 12.0), (104.01, 12.0), (104.0, 12.01), (104.0, 12.0)]),
                vec![],
            ),
        ]);
        let hazard = Record::Hazard(Hazard {
            local_id: "H1".into(),
            name: "h".into(),
            class: safeground_model::HazardClass::Sha,
            status: safeground_model::HazardStatus::Open,
            status_change: None,
            organisation: None,
            admin_pcode: None,
            evidence: vec![],
            contamination: vec![],
            reported_area_m2: None,
            first_recorded: day("2020-01-01"),
            geometry: Some(polygons.clone()),
            comment: None,
        });
        let rect = bounds(&hazard).expect("bounds");
        let Geometry::MultiPolygon(back) = Kept::of(&hazard, rect).expect("kept").geometry() else {
            panic!("polygons");
        };
        assert_eq!(back.0.len(), 2);
        assert_eq!(back.0[0].interiors().len(), 1);
        let rings = |mp: &geo_types::MultiPolygon<f64>| -> Vec<Vec<geo_types::Coord<f64>>> {
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .map(|r| r.0.clone())
                .collect()
        };
        let (a, b) = (rings(&polygons), rings(&back));
        assert_eq!(a.len(), b.len());
        for (ra, rb) in a.iter().zip(&b) {
            assert_eq!(ra.len(), rb.len());
            for (p, q) in ra.iter().zip(rb) {
                // 1e-7 degrees: about a centimetre.
                assert!(
                    (p.x - q.x).abs() < 1e-7 && (p.y - q.y).abs() < 1e-7,
                    "{p:?} {q:?}"
                );
            }
        }
        let find = eo("E1", "2024-03-01", 103.2, 13.1);
        let rect = bounds(&find).expect("bounds");
        assert_eq!(
            Kept::of(&find, rect).expect("kept").geometry(),
            Geometry::Point(geo_types::Point::new(103.2, 13.1))
        );
    }

    #[test]
    fn estimated_or_unknown_dates_make_no_twins() {
        let mut d = twins();
        d.add(&accident("A1", "1990-01-01", false), "row 2");
        d.add(&accident("A2", "", true), "row 3");
        d.add(&accident("A3", "2015-05-01", true), "row 4");
        assert_eq!(d.check(&accident("B1", "1990-01-01", false)), None);
        assert_eq!(d.check(&accident("B2", "", true)), None);
        assert!(matches!(
            d.check(&accident("B3", "2015-05-01", true)),
            Some(Verdict::Twin { .. })
        ));
    }
}
