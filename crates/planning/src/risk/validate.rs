//! A model's validation (spatial block cross-validation and a time split) and its map.
//!
//! Both validations score the same question: which cells will have an event in the window
//! from the split year Y to the last event's year L, seen from features of events before Y.
//!
//! - Spatial CV: each fold's cells are scored by a model fitted on the other folds' cells;
//!   the out-of-fold scores of all cells are pooled into one AUC and one precision.
//! - Time split: the model is fitted one horizon earlier (features before Y − H, labels in
//!   [Y − H, Y)) and scores every cell for [Y, L]; see [`super::folds`].
//!
//! The map fits the model on features before Y and labels in [Y, L], then scores cells from
//! features of all events: the ranking for the next window.

use super::features::{AtCutoff, Layers, labels};
use super::folds::{Folds, TimeSplit};
use super::grid::Grid;
use super::metrics::{precision_top_decile, roc_auc};
use super::{Metrics, ModelKind, PastEvent, RiskData, RiskMap, RiskSpec, ScoredCell, Validation};
use crate::PlanningError;

/// Validates a model by spatial block cross-validation and by the time split.
///
/// Refuses with [`PlanningError::NotEnoughData`] (saying what is missing) when there are
/// fewer than [`super::MIN_EVENTS`] events, no event before or after the split, or a fold or
/// window without a cell with an event; never falls back to a default.
pub fn validate(
    kind: ModelKind,
    data: &RiskData,
    spec: &RiskSpec,
) -> Result<Validation, PlanningError> {
    let prep = Prepared::new(data, spec)?;
    let (validation, _) = prep.validate(kind)?;
    Ok(validation)
}

/// Scores every cell with a model fitted on all the evidence, with the model's validation.
pub fn risk_map(
    kind: ModelKind,
    data: &RiskData,
    spec: &RiskSpec,
) -> Result<RiskMap, PlanningError> {
    let prep = Prepared::new(data, spec)?;
    let (validation, at_split) = prep.validate(kind)?;
    let y = prep.labels(prep.split.test_from(), prep.split.end());
    let mut model = kind.model();
    model.fit(&at_split.cells, &y)?;
    let now = prep.layers.at_cutoff(&prep.events, prep.split.end());
    let raw = model.score(&now.cells);
    Ok(RiskMap {
        cells: scored_cells(&prep.layers.grid, &raw),
        validation,
    })
}

/// Events with usable coordinates, the grid with its layers, the split and the folds.
struct Prepared<'a> {
    events: Vec<PastEvent>,
    layers: Layers<'a>,
    split: TimeSplit,
    folds: Folds,
}

impl<'a> Prepared<'a> {
    fn new(data: &'a RiskData, spec: &RiskSpec) -> Result<Self, PlanningError> {
        let events: Vec<PastEvent> = data
            .events
            .iter()
            .filter(|e| e.lon.is_finite() && e.lat.is_finite())
            .filter(|e| (-180.0..=180.0).contains(&e.lon) && (-90.0..=90.0).contains(&e.lat))
            .cloned()
            .collect();
        let split = TimeSplit::choose(&events, spec.split_year)?;
        let grid = Grid::covering(
            events.iter().map(|e| (e.lon, e.lat)),
            &data.hazards,
            spec.cell_m,
        )?;
        let folds = Folds::spatial(&grid, spec.block_cells, spec.folds, spec.seed)?;
        let layers = Layers::new(grid, data);
        Ok(Self {
            events,
            layers,
            split,
            folds,
        })
    }

    fn labels(&self, from: chrono::NaiveDate, until: chrono::NaiveDate) -> Vec<bool> {
        labels(&self.layers.grid, &self.events, from, until)
    }

    /// Both validations; also hands back the features at the split (the map reuses them).
    fn validate(&self, kind: ModelKind) -> Result<(Validation, AtCutoff), PlanningError> {
        let s = self.split;
        let window = format!("{}–{}", s.split_year, s.last_year);
        let at_split = self.layers.at_cutoff(&self.events, s.test_from());
        let future = self.labels(s.test_from(), s.end());

        // Spatial block cross-validation.
        let mut oof = vec![0.0; future.len()];
        for fold in 0..self.folds.folds {
            let (test, train): (Vec<usize>, Vec<usize>) =
                (0..future.len()).partition(|&c| self.folds.cell_fold[c] == fold);
            let test_pos = test.iter().filter(|&&c| future[c]).count();
            if test_pos == 0 {
                return Err(PlanningError::NotEnoughData(format!(
                    "spatial fold {} of {} ({} cells) holds no cell with an event in {window}: \
                     use fewer folds, larger blocks or an earlier split year",
                    fold + 1,
                    self.folds.folds,
                    test.len()
                )));
            }
            let train_y: Vec<bool> = train.iter().map(|&c| future[c]).collect();
            if !train_y.iter().any(|l| *l) {
                return Err(PlanningError::NotEnoughData(format!(
                    "the cells outside spatial fold {} hold no event in {window} to fit on",
                    fold + 1
                )));
            }
            let train_x: Vec<_> = train.iter().map(|&c| at_split.cells[c]).collect();
            let test_x: Vec<_> = test.iter().map(|&c| at_split.cells[c]).collect();
            let mut model = kind.model();
            model.fit(&train_x, &train_y)?;
            for (c, score) in test.iter().zip(model.score(&test_x)) {
                oof[*c] = score;
            }
        }
        let spatial_cv = metrics(&oof, &future, "spatial cross-validation")?;

        // Time split.
        let before = self.layers.at_cutoff(&self.events, s.train_from());
        let past = self.labels(s.train_from(), s.test_from());
        if !past.iter().any(|l| *l) {
            return Err(PlanningError::NotEnoughData(format!(
                "no event in {}–{} to fit the time split on",
                s.split_year - s.horizon_years,
                s.split_year - 1
            )));
        }
        let mut model = kind.model();
        model.fit(&before.cells, &past)?;
        let time_split = metrics(&model.score(&at_split.cells), &future, "time split")?;

        let validation = Validation {
            model: kind.code().to_string(),
            spatial_cv,
            time_split,
            split_year: s.split_year,
            horizon_years: s.horizon_years,
            cells: self.layers.grid.len(),
            blocks: self.folds.blocks(),
            folds: self.folds.folds,
            bandwidth_m: at_split.bandwidth_m,
        };
        Ok((validation, at_split))
    }
}

fn metrics(scores: &[f64], labels: &[bool], what: &str) -> Result<Metrics, PlanningError> {
    let positives = labels.iter().filter(|l| **l).count();
    let cells = labels.len();
    let auc = roc_auc(scores, labels).ok_or_else(|| {
        PlanningError::NotEnoughData(format!(
            "{what}: {positives} of {cells} tested cells had an event; AUC needs cells with and without"
        ))
    })?;
    let precision_top_decile = precision_top_decile(scores, labels).unwrap_or(0.0);
    Ok(Metrics {
        auc,
        precision_top_decile,
        base_rate: positives as f64 / cells as f64,
        positives,
        cells,
    })
}

/// Cells with scores scaled by the highest score and deciles by rank (ties share a decile).
fn scored_cells(grid: &Grid, raw: &[f64]) -> Vec<ScoredCell> {
    let n = raw.len();
    let max = raw
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| raw[b].total_cmp(&raw[a]).then(a.cmp(&b)));
    let mut decile = vec![10u8; n];
    let mut prev: Option<(f64, u8)> = None;
    for (rank, &cell) in order.iter().enumerate() {
        let d = match prev {
            Some((v, d)) if v == raw[cell] => d,
            _ => (1 + rank * 10 / n.max(1)).min(10) as u8,
        };
        decile[cell] = d;
        prev = Some((raw[cell], d));
    }
    (0..n)
        .map(|cell| {
            let (west, south, east, north) = grid.bounds(cell);
            let score = if max > 0.0 && raw[cell].is_finite() {
                (raw[cell] / max).clamp(0.0, 1.0)
            } else {
                0.0
            };
            ScoredCell {
                west,
                south,
                east,
                north,
                score,
                decile: decile[cell],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deciles_by_rank_with_ties_sharing() {
        let g = Grid {
            west: 0.0,
            south: 0.0,
            dlon: 1.0,
            dlat: 1.0,
            cols: 20,
            rows: 1,
            lat0: 0.0,
            lon0: 0.0,
        };
        let mut raw: Vec<f64> = (0..20).map(f64::from).collect();
        raw[0] = 19.0; // tied with the top cell
        let cells = scored_cells(&g, &raw);
        assert_eq!(cells[19].decile, 1);
        assert_eq!(cells[0].decile, 1);
        assert_eq!(cells[19].score, 1.0);
        assert_eq!(cells[18].decile, 2);
        assert_eq!(cells[1].decile, 10);
        assert!((cells[1].score - 1.0 / 19.0).abs() < 1e-12);
        assert_eq!((cells[3].west, cells[3].east), (3.0, 4.0));
    }
}
