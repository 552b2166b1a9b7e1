//! What a model sees of a cell, computed from events strictly before a cutoff date (never
//! from the window it is scored against), the hazards and the roads.
//!
//! Distances are from the cell's centre in the grid's local metric frame. A source with
//! nothing in it (no roads imported, no hazard, no accident before the cutoff) gives every
//! cell the same distance, the grid's diagonal, so it cannot rank cells.
//!
//! Hazards and roads carry no date: every cutoff sees them as given. Hazards recorded because
//! of later accidents would flatter the time split; for a strict split, pass only the hazards
//! recorded before the split year.

use chrono::NaiveDate;
use geo::Contains;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line, Rectangle};

use super::grid::Grid;
use super::kde::{bandwidth_m, intensity_per_km2, kernel_weight, reach_m};
use super::{EventKind, PastEvent, RiskData};

/// Number of features per cell.
pub const FEATURES: usize = 8;

/// A cell's features.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CellFeatures {
    /// Distance to the nearest past event, metres.
    pub dist_event_m: f64,
    /// Distance to the nearest past accident, metres.
    pub dist_accident_m: f64,
    /// Distance to the nearest hazard (0 inside one), metres.
    pub dist_hazard_m: f64,
    /// Distance to the nearest road, metres.
    pub dist_road_m: f64,
    /// Past events within 1 km of the centre.
    pub events_1km: f64,
    /// Past events within 3 km.
    pub events_3km: f64,
    /// Past events within 10 km.
    pub events_10km: f64,
    /// Kernel density of past events, per km².
    pub kde: f64,
}

impl CellFeatures {
    /// The features as an array, in field order.
    pub fn values(&self) -> [f64; FEATURES] {
        [
            self.dist_event_m,
            self.dist_accident_m,
            self.dist_hazard_m,
            self.dist_road_m,
            self.events_1km,
            self.events_3km,
            self.events_10km,
            self.kde,
        ]
    }
}

/// The grid with the static layers (hazards, roads) indexed once.
pub struct Layers<'a> {
    /// The grid.
    pub grid: Grid,
    hazards: &'a [geo_types::MultiPolygon<f64>],
    hazard_boxes: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    hazard_edges: RTree<Line<[f64; 2]>>,
    road_edges: RTree<Line<[f64; 2]>>,
    far_m: f64,
}

/// Features of every cell at one cutoff.
pub struct AtCutoff {
    /// One per grid cell, in cell order.
    pub cells: Vec<CellFeatures>,
    /// Kernel bandwidth used, metres.
    pub bandwidth_m: f64,
}

impl<'a> Layers<'a> {
    /// Indexes the data's hazards and roads on a grid.
    pub fn new(grid: Grid, data: &'a RiskData) -> Self {
        let mut boxes = Vec::new();
        let mut hazard_edges = Vec::new();
        for (i, mp) in data.hazards.iter().enumerate() {
            let mut lo = [f64::INFINITY; 2];
            let mut hi = [f64::NEG_INFINITY; 2];
            for poly in &mp.0 {
                for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                    for p in ring.0.iter() {
                        let m = grid.to_metres(p.x, p.y);
                        lo = [lo[0].min(m[0]), lo[1].min(m[1])];
                        hi = [hi[0].max(m[0]), hi[1].max(m[1])];
                    }
                    push_edges(&grid, ring, &mut hazard_edges);
                }
            }
            if lo[0].is_finite() && hi[0].is_finite() {
                boxes.push(GeomWithData::new(Rectangle::from_corners(lo, hi), i));
            }
        }
        let mut road_edges = Vec::new();
        for road in &data.roads {
            push_edges(&grid, road, &mut road_edges);
        }
        let corner = grid.to_metres(grid.west, grid.south);
        let far = grid.to_metres(
            grid.west + grid.cols as f64 * grid.dlon,
            grid.south + grid.rows as f64 * grid.dlat,
        );
        let far_m = ((far[0] - corner[0]).powi(2) + (far[1] - corner[1]).powi(2)).sqrt();
        Self {
            grid,
            hazards: &data.hazards,
            hazard_boxes: RTree::bulk_load(boxes),
            hazard_edges: RTree::bulk_load(hazard_edges),
            road_edges: RTree::bulk_load(road_edges),
            far_m,
        }
    }

    /// Features of every cell from the events dated strictly before `cutoff`.
    pub fn at_cutoff(&self, events: &[PastEvent], cutoff: NaiveDate) -> AtCutoff {
        let cell_m = self.grid.cell_m();
        let past: Vec<&PastEvent> = events.iter().filter(|e| e.date < cutoff).collect();
        let pts: Vec<[f64; 2]> = past
            .iter()
            .map(|e| self.grid.to_metres(e.lon, e.lat))
            .collect();
        let accidents: Vec<[f64; 2]> = past
            .iter()
            .filter(|e| e.kind == EventKind::Accident)
            .map(|e| self.grid.to_metres(e.lon, e.lat))
            .collect();
        let h = bandwidth_m(&pts, cell_m);
        let buckets = Buckets::new(&self.grid, &past);
        let events_tree = RTree::bulk_load(pts);
        let accidents_tree = RTree::bulk_load(accidents);
        let reach = reach_m(h).max(10_000.0);
        let k = (reach / cell_m).ceil() as isize;
        let (r1, r3, r10) = (1e6, 9e6, 1e8);
        let box_half = (k as f64 + 0.5) * cell_m;
        let cells = (0..self.grid.len())
            .map(|cell| {
                let c = self.grid.centre_m(cell);
                let (mut n1, mut n3, mut n10, mut w) = (0.0, 0.0, 0.0, 0.0);
                let (mut near, mut near_accident) = (f64::INFINITY, f64::INFINITY);
                buckets.each_near(&self.grid, cell, k, |p, accident| {
                    let d2 = (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2);
                    n1 += f64::from(u8::from(d2 <= r1));
                    n3 += f64::from(u8::from(d2 <= r3));
                    n10 += f64::from(u8::from(d2 <= r10));
                    w += kernel_weight(d2, h);
                    near = near.min(d2);
                    if accident {
                        near_accident = near_accident.min(d2);
                    }
                });
                // A point outside the scanned block is farther than its half-width.
                let nearest = |d2: f64, tree: &RTree<[f64; 2]>| {
                    if d2.sqrt() <= box_half {
                        d2.sqrt()
                    } else {
                        nearest_point(tree, c).unwrap_or(self.far_m)
                    }
                };
                CellFeatures {
                    dist_event_m: nearest(near, &events_tree),
                    dist_accident_m: nearest(near_accident, &accidents_tree),
                    dist_hazard_m: self.hazard_distance(cell, c),
                    dist_road_m: nearest_line(&self.road_edges, c).unwrap_or(self.far_m),
                    events_1km: n1,
                    events_3km: n3,
                    events_10km: n10,
                    kde: intensity_per_km2(w, h),
                }
            })
            .collect();
        AtCutoff {
            cells,
            bandwidth_m: h,
        }
    }

    fn hazard_distance(&self, cell: usize, c: [f64; 2]) -> f64 {
        let (lon, lat) = self.grid.centre(cell);
        let inside = self.hazard_boxes.locate_all_at_point(&c).any(|b| {
            self.hazards
                .get(b.data)
                .is_some_and(|h| h.contains(&geo_types::Point::new(lon, lat)))
        });
        if inside {
            return 0.0;
        }
        nearest_line(&self.hazard_edges, c).unwrap_or(self.far_m)
    }
}

/// Events' points (local metric frame) bucketed by grid cell, for radius sums.
struct Buckets {
    start: Vec<usize>,
    pts: Vec<([f64; 2], bool)>,
}

impl Buckets {
    fn new(grid: &Grid, events: &[&PastEvent]) -> Self {
        let mut keyed: Vec<(usize, ([f64; 2], bool))> = events
            .iter()
            .filter_map(|e| {
                let accident = e.kind == EventKind::Accident;
                grid.cell_of(e.lon, e.lat)
                    .map(|c| (c, (grid.to_metres(e.lon, e.lat), accident)))
            })
            .collect();
        keyed.sort_by_key(|(c, _)| *c);
        let mut start = vec![0usize; grid.len() + 1];
        for (c, _) in &keyed {
            start[c + 1] += 1;
        }
        for i in 0..grid.len() {
            start[i + 1] += start[i];
        }
        Self {
            start,
            pts: keyed.into_iter().map(|(_, p)| p).collect(),
        }
    }

    /// Calls `f` with every point (and whether it is an accident) in the cells within `k`
    /// rows and columns of `cell`.
    fn each_near(&self, grid: &Grid, cell: usize, k: isize, mut f: impl FnMut(&[f64; 2], bool)) {
        let (r, c) = grid.row_col(cell);
        let (r, c) = (r as isize, c as isize);
        let rows = (r - k).max(0)..=(r + k).min(grid.rows as isize - 1);
        for rr in rows {
            let lo = rr as usize * grid.cols + (c - k).max(0) as usize;
            let hi = rr as usize * grid.cols + (c + k).min(grid.cols as isize - 1) as usize;
            // Buckets of one row's cells are contiguous.
            for (p, accident) in &self.pts[self.start[lo]..self.start[hi + 1]] {
                f(p, *accident);
            }
        }
    }
}

/// Whether each cell had at least one event dated in `[from, until)`.
pub fn labels(grid: &Grid, events: &[PastEvent], from: NaiveDate, until: NaiveDate) -> Vec<bool> {
    let mut out = vec![false; grid.len()];
    for e in events.iter().filter(|e| e.date >= from && e.date < until) {
        if let Some(slot) = grid.cell_of(e.lon, e.lat).and_then(|c| out.get_mut(c)) {
            *slot = true;
        }
    }
    out
}

fn push_edges(grid: &Grid, line: &geo_types::LineString<f64>, out: &mut Vec<Line<[f64; 2]>>) {
    for seg in line.lines() {
        let a = grid.to_metres(seg.start.x, seg.start.y);
        let b = grid.to_metres(seg.end.x, seg.end.y);
        if a.iter().chain(b.iter()).all(|v| v.is_finite()) {
            out.push(Line::new(a, b));
        }
    }
}

fn nearest_point(tree: &RTree<[f64; 2]>, c: [f64; 2]) -> Option<f64> {
    tree.nearest_neighbor(&c)
        .map(|p| ((p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2)).sqrt())
}

fn nearest_line(tree: &RTree<Line<[f64; 2]>>, c: [f64; 2]) -> Option<f64> {
    use rstar::PointDistance;
    tree.nearest_neighbor(&c).map(|l| l.distance_2(&c).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{LineString, MultiPolygon, Polygon};

    fn ev(lon: f64, lat: f64, y: i32, kind: EventKind) -> PastEvent {
        PastEvent {
            lon,
            lat,
            date: NaiveDate::from_ymd_opt(y, 6, 1).expect("date"),
            kind,
        }
    }

    fn data() -> RiskData {
        let square = Polygon::new(
            LineString::from(vec![
                (104.02, 12.02),
                (104.04, 12.02),
                (104.04, 12.04),
                (104.02, 12.04),
                (104.02, 12.02),
            ]),
            vec![],
        );
        RiskData {
            events: vec![
                ev(104.0, 12.0, 2010, EventKind::Accident),
                ev(104.1, 12.1, 2012, EventKind::EoFind),
                ev(104.05, 12.05, 2020, EventKind::Accident),
            ],
            hazards: vec![MultiPolygon(vec![square])],
            roads: vec![LineString::from(vec![(104.0, 12.08), (104.1, 12.08)])],
        }
    }

    fn jan1(y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, 1, 1).expect("date")
    }

    #[test]
    fn features_come_only_from_events_before_the_cutoff() {
        let d = data();
        let pts = d.events.iter().map(|e| (e.lon, e.lat));
        let grid = Grid::covering(pts, &d.hazards, 1000.0).expect("grid");
        let layers = Layers::new(grid.clone(), &d);
        let before = layers.at_cutoff(&d.events, jan1(2015));
        // Move, add and remove events on or after the cutoff: nothing changes.
        let mut later = d.events.clone();
        later[2].lon = 104.01;
        later.push(ev(104.09, 12.01, 2015, EventKind::Accident));
        later.push(ev(104.02, 12.09, 2030, EventKind::EoFind));
        assert_eq!(layers.at_cutoff(&later, jan1(2015)).cells, before.cells);
        assert_eq!(
            layers.at_cutoff(&d.events[..2], jan1(2015)).cells,
            before.cells
        );
        // The cell of the 2020 event sees no event there before 2015, but does after.
        let cell = grid.cell_of(104.05, 12.05).expect("cell");
        assert!(before.cells[cell].dist_event_m > 5000.0);
        let after = layers.at_cutoff(&d.events, jan1(2021));
        assert!(after.cells[cell].dist_event_m < 1000.0);
        assert!(after.cells[cell].events_1km >= 1.0);
    }

    #[test]
    fn distances_to_hazards_roads_and_accidents() {
        let d = data();
        let grid = Grid::covering(d.events.iter().map(|e| (e.lon, e.lat)), &d.hazards, 1000.0)
            .expect("grid");
        let layers = Layers::new(grid.clone(), &d);
        let f = layers.at_cutoff(&d.events, jan1(2015));
        let inside = grid.cell_of(104.03, 12.03).expect("cell");
        assert_eq!(f.cells[inside].dist_hazard_m, 0.0);
        let outside = grid.cell_of(104.09, 12.09).expect("cell");
        assert!(f.cells[outside].dist_hazard_m > 5000.0);
        let on_road = grid.cell_of(104.05, 12.08).expect("cell");
        assert!(f.cells[on_road].dist_road_m < 600.0);
        // The only accident before 2015 is at (104.0, 12.0).
        let near = grid.cell_of(104.1, 12.1).expect("cell");
        assert!(f.cells[near].dist_event_m < 1000.0);
        assert!(f.cells[near].dist_accident_m > 10_000.0);
    }

    #[test]
    fn labels_mark_cells_with_an_event_in_the_window() {
        let d = data();
        let grid =
            Grid::covering(d.events.iter().map(|e| (e.lon, e.lat)), &[], 1000.0).expect("grid");
        let l = labels(&grid, &d.events, jan1(2015), jan1(2031));
        assert_eq!(l.iter().filter(|b| **b).count(), 1);
        assert!(l[grid.cell_of(104.05, 12.05).expect("cell")]);
    }
}
