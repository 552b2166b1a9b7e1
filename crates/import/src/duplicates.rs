//! Duplicate detection: a record with the local id of an existing item (or of an earlier record
//! of the same import), or with the same geometry within a tolerance, is a twin; the import
//! warns and leaves it out instead of creating a second item.

use std::collections::HashMap;

use geo::{BoundingRect, HausdorffDistance, MapCoords};
use geo_types::{Geometry, Rect};
use rstar::{AABB, RTree, primitives::GeomWithData, primitives::Rectangle};
use safeground_model::{ItemKind, Record};
use safeground_store::{Flow, ProgrammeStore, Reconcile, ReportStatus, StoreError};

/// Metres per degree of latitude (mean).
const M_PER_DEG: f64 = 111_320.0;

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// What is already known: existing items and the records planned so far.
#[derive(Default)]
pub struct Duplicates {
    tolerance_m: f64,
    ids: HashMap<(ItemKind, String), String>,
    shapes: Vec<(ItemKind, Geometry<f64>, Rect<f64>, String)>,
    tree: RTree<Entry>,
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

/// The bounding box of [`geometry`], without copying a hazard's polygons.
fn bounds(record: &Record) -> Option<Rect<f64>> {
    match record {
        Record::Hazard(h) => h.geometry.as_ref()?.bounding_rect(),
        other => geometry(other)?.bounding_rect(),
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

impl Duplicates {
    /// Loads the current items of `kinds` from the store, and the records of reports waiting
    /// for review (approving them would create the twin). `tolerance_m` is the largest
    /// Hausdorff distance between two geometries taken as the same.
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
                d.add(&v.record, &v.item);
                Ok(Flow::Continue)
            })?;
        }
        for id in store.reports_with_status(ReportStatus::Submitted)? {
            let report = store.report(id)?;
            for entry in &report.content.entries {
                if kinds.contains(&entry.record.kind()) && matches!(entry.reconcile, Reconcile::New)
                {
                    d.add(&entry.record, &format!("submitted report {id}"));
                }
            }
        }
        Ok(d)
    }

    /// The twin of `record`, described for a warning ("same local id as HAZ-000003").
    pub fn find(&self, record: &Record) -> Option<String> {
        let kind = record.kind();
        if let Some(item) = self.ids.get(&(kind, record.local_id().to_owned())) {
            return Some(format!("same local id `{}` as {item}", record.local_id()));
        }
        if self.tolerance_m <= 0.0 {
            return None;
        }
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
            .filter(|(k, _, other, _)| *k == kind && bounds_close(other))
            .find(|(_, other, _, _)| {
                let here = here.get_or_insert_with(|| geometry(record).map(|g| metres(&g, lat0)));
                let Some(here) = here else {
                    return false;
                };
                here.hausdorff_distance(&metres(other, lat0)) <= self.tolerance_m
            })
            .map(|(_, _, _, item)| {
                format!("same geometry as {item} (within {} m)", self.tolerance_m)
            })
    }

    /// Remembers a record (an existing item, or one planned in this import).
    pub fn add(&mut self, record: &Record, name: &str) {
        let kind = record.kind();
        self.ids
            .entry((kind, record.local_id().to_owned()))
            .or_insert_with(|| name.to_owned());
        if let Some(g) = geometry(record)
            && let Some(rect) = g.bounding_rect()
        {
            let n = self.shapes.len();
            let aabb = envelope(rect, 0.0);
            self.tree.insert(GeomWithData::new(
                Rectangle::from_corners(aabb.lower(), aabb.upper()),
                n,
            ));
            self.shapes.push((kind, g, rect, name.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use safeground_model::{EoFind, OrdnanceCategory};

    fn eo(local_id: &str, x: f64, y: f64) -> Record {
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
            found_date: None,
            destroyed_date: None,
            location: Some(geo_types::Point::new(x, y)),
        })
    }

    #[test]
    fn twins_by_local_id_and_by_position() {
        let mut d = Duplicates {
            tolerance_m: 1.0,
            ..Duplicates::default()
        };
        d.add(&eo("E1", 103.2, 13.1), "EO-000001");
        let found = d.find(&eo("E1", 104.0, 13.0)).expect("same id");
        assert!(found.contains("EO-000001"), "{found}");
        // 0.5 m north: a twin; 5 m north: another find.
        let near = d.find(&eo("E2", 103.2, 13.1 + 0.5 / M_PER_DEG));
        assert!(near.is_some_and(|s| s.contains("same geometry")));
        assert_eq!(d.find(&eo("E3", 103.2, 13.1 + 5.0 / M_PER_DEG)), None);
        d.tolerance_m = 0.0;
        assert_eq!(d.find(&eo("E2", 103.2, 13.1)), None, "geometry check off");
    }
}
