//! The grid of cells a model scores, over the events' and hazards' extent padded by one cell.
//!
//! Cells are `cell_m` metres on a side, converted to degrees at the extent's mean latitude
//! (111,320 m per degree of latitude, times cos(mean latitude) per degree of longitude), so
//! they are exact at the mean latitude and a few per cent off far from it. Distances between
//! cells and events are measured in the same local frame (equirectangular at the mean
//! latitude): good to well under 1 % over a province, not a geodesic.

use geo::BoundingRect;

use crate::PlanningError;

/// Metres per degree of latitude (spherical approximation).
pub const M_PER_DEG: f64 = 111_320.0;

/// Most cells a grid may have (raise `cell_m` beyond this).
pub const MAX_CELLS: usize = 2_000_000;

/// A regular lon/lat grid, row 0 in the south, column 0 in the west.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// West edge of column 0 (degrees).
    pub west: f64,
    /// South edge of row 0 (degrees).
    pub south: f64,
    /// Cell width (degrees of longitude).
    pub dlon: f64,
    /// Cell height (degrees of latitude).
    pub dlat: f64,
    /// Columns.
    pub cols: usize,
    /// Rows.
    pub rows: usize,
    /// Latitude of the metric frame's origin (the extent's mean latitude).
    pub lat0: f64,
    /// Longitude of the metric frame's origin.
    pub lon0: f64,
}

impl Grid {
    /// The grid over these points' and polygons' extent, padded by one cell on every side.
    pub fn covering(
        points: impl Iterator<Item = (f64, f64)>,
        polygons: &[geo_types::MultiPolygon<f64>],
        cell_m: f64,
    ) -> Result<Grid, PlanningError> {
        if !(cell_m.is_finite() && cell_m > 0.0) {
            return Err(PlanningError::Parameter(format!(
                "cell size {cell_m} m: it must be a positive number of metres"
            )));
        }
        let mut ext = Extent::default();
        for (lon, lat) in points {
            ext.add(lon, lat);
        }
        for rect in polygons.iter().filter_map(|p| p.bounding_rect()) {
            ext.add(rect.min().x, rect.min().y);
            ext.add(rect.max().x, rect.max().y);
        }
        let Some((w, s, e, n)) = ext.bounds() else {
            return Err(PlanningError::NotEnoughData(
                "no event or hazard with valid coordinates to draw a grid over".into(),
            ));
        };
        let lat0 = (s + n) / 2.0;
        let dlat = cell_m / M_PER_DEG;
        let dlon = cell_m / (M_PER_DEG * lat0.to_radians().cos().max(0.01));
        let west = w - dlon;
        let south = s - dlat;
        let cols = ((e + dlon - west) / dlon).floor() as usize + 1;
        let rows = ((n + dlat - south) / dlat).floor() as usize + 1;
        if cols.saturating_mul(rows) > MAX_CELLS {
            return Err(PlanningError::Parameter(format!(
                "a grid of {cols} × {rows} cells of {cell_m} m is more than {MAX_CELLS} cells: use larger cells"
            )));
        }
        Ok(Grid {
            west,
            south,
            dlon,
            dlat,
            cols,
            rows,
            lat0,
            lon0: (w + e) / 2.0,
        })
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.cols * self.rows
    }

    /// Whether the grid has no cell (never, for a grid from [`Grid::covering`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cell size in metres (in the local metric frame, cells are squares).
    pub fn cell_m(&self) -> f64 {
        self.dlat * M_PER_DEG
    }

    /// Index of the cell holding a point, if it is on the grid.
    pub fn cell_of(&self, lon: f64, lat: f64) -> Option<usize> {
        let c = ((lon - self.west) / self.dlon).floor();
        let r = ((lat - self.south) / self.dlat).floor();
        if c < 0.0 || r < 0.0 || c >= self.cols as f64 || r >= self.rows as f64 {
            return None;
        }
        Some(r as usize * self.cols + c as usize)
    }

    /// (row, column) of a cell index.
    pub fn row_col(&self, cell: usize) -> (usize, usize) {
        (cell / self.cols, cell % self.cols)
    }

    /// West, south, east, north edges of a cell (degrees).
    pub fn bounds(&self, cell: usize) -> (f64, f64, f64, f64) {
        let (r, c) = self.row_col(cell);
        let west = self.west + c as f64 * self.dlon;
        let south = self.south + r as f64 * self.dlat;
        (west, south, west + self.dlon, south + self.dlat)
    }

    /// Centre of a cell (lon, lat).
    pub fn centre(&self, cell: usize) -> (f64, f64) {
        let (w, s, e, n) = self.bounds(cell);
        ((w + e) / 2.0, (s + n) / 2.0)
    }

    /// A lon/lat point in the local metric frame (x east, y north, metres).
    pub fn to_metres(&self, lon: f64, lat: f64) -> [f64; 2] {
        [
            (lon - self.lon0) * M_PER_DEG * self.lat0.to_radians().cos(),
            (lat - self.lat0) * M_PER_DEG,
        ]
    }

    /// Centre of a cell in the local metric frame.
    pub fn centre_m(&self, cell: usize) -> [f64; 2] {
        let (lon, lat) = self.centre(cell);
        self.to_metres(lon, lat)
    }
}

/// Running bounds of valid coordinates.
#[derive(Default)]
struct Extent(Option<(f64, f64, f64, f64)>);

impl Extent {
    fn add(&mut self, lon: f64, lat: f64) {
        let valid = (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat);
        if !valid {
            return;
        }
        self.0 = Some(match self.0 {
            None => (lon, lat, lon, lat),
            Some((w, s, e, n)) => (w.min(lon), s.min(lat), e.max(lon), n.max(lat)),
        });
    }

    fn bounds(&self) -> Option<(f64, f64, f64, f64)> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_kilometre_cells_over_a_small_extent() {
        let pts = [(104.0, 12.0), (104.1, 12.1)];
        let g = Grid::covering(pts.into_iter(), &[], 1000.0).expect("grid");
        // 0.1° ≈ 11 km plus a padding cell either side.
        assert!((12..=15).contains(&g.rows), "{}", g.rows);
        assert!((12..=15).contains(&g.cols), "{}", g.cols);
        let cell = g.cell_of(104.05, 12.05).expect("on grid");
        let (w, s, e, n) = g.bounds(cell);
        assert!(w <= 104.05 && 104.05 < e && s <= 12.05 && 12.05 < n);
        assert_eq!(g.cell_of(100.0, 12.0), None);
        // A cell is 1 km on a side in the metric frame.
        let a = g.to_metres(w, s);
        let b = g.to_metres(e, n);
        assert!(((b[0] - a[0]) - 1000.0).abs() < 1e-6);
        assert!(((b[1] - a[1]) - 1000.0).abs() < 1e-6);
    }

    #[test]
    fn refuses_bad_cell_sizes_and_huge_grids() {
        let pts = [(0.0, 0.0), (10.0, 10.0)];
        assert!(matches!(
            Grid::covering(pts.into_iter(), &[], 0.0),
            Err(PlanningError::Parameter(_))
        ));
        assert!(matches!(
            Grid::covering(pts.into_iter(), &[], 100.0),
            Err(PlanningError::Parameter(_))
        ));
        assert!(matches!(
            Grid::covering(std::iter::empty(), &[], 1000.0),
            Err(PlanningError::NotEnoughData(_))
        ));
    }
}
