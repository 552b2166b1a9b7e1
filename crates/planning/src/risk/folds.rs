//! Spatial blocks assigned to cross-validation folds, and the time split's windows.
//!
//! Spatial CV: the grid is cut into blocks of `block_cells` × `block_cells` cells; the blocks
//! are shuffled with a ChaCha8 generator seeded from the spec's seed and dealt to the folds
//! in turn, so a block (and every cell in it) is in exactly one fold, the folds hold the same
//! number of blocks give or take one, and the same seed gives the same folds.
//!
//! Time split: with split year Y and the last event in year L, the horizon is H = L − Y + 1
//! years. The test fits nothing on it: features from events before 1 January Y, labels from
//! events in [Y, L]. The model is fitted on the same shape one horizon earlier: features from
//! events before Y − H, labels from events in [Y − H, Y). Nothing from Y on is seen in
//! fitting.

use chrono::{Datelike, NaiveDate};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::grid::Grid;
use super::{MIN_EVENTS, PastEvent};
use crate::PlanningError;

/// Which fold every cell and every block is in.
#[derive(Debug, Clone, PartialEq)]
pub struct Folds {
    /// Fold of each cell, in cell order.
    pub cell_fold: Vec<u32>,
    /// Block of each cell, in cell order.
    pub cell_block: Vec<usize>,
    /// Fold of each block.
    pub block_fold: Vec<u32>,
    /// Number of folds.
    pub folds: u32,
}

impl Folds {
    /// Blocks of `block_cells` cells a side over the grid, dealt to `folds` folds.
    pub fn spatial(
        grid: &Grid,
        block_cells: u32,
        folds: u32,
        seed: u64,
    ) -> Result<Folds, PlanningError> {
        if block_cells == 0 {
            return Err(PlanningError::Parameter(
                "blocks must be at least one cell wide".into(),
            ));
        }
        if folds < 2 {
            return Err(PlanningError::Parameter(format!(
                "{folds} fold(s): cross-validation needs at least 2"
            )));
        }
        let b = block_cells as usize;
        let block_cols = grid.cols.div_ceil(b);
        let blocks = block_cols * grid.rows.div_ceil(b);
        if blocks < folds as usize {
            return Err(PlanningError::NotEnoughData(format!(
                "the area holds {blocks} spatial block(s) of {block_cells} × {block_cells} cells; \
                 {folds} folds need at least {folds} blocks (use smaller blocks or cells)"
            )));
        }
        let mut order: Vec<usize> = (0..blocks).collect();
        order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        let mut block_fold = vec![0u32; blocks];
        for (i, block) in order.into_iter().enumerate() {
            block_fold[block] = (i % folds as usize) as u32;
        }
        let cell_block: Vec<usize> = (0..grid.len())
            .map(|cell| {
                let (r, c) = grid.row_col(cell);
                (r / b) * block_cols + c / b
            })
            .collect();
        let cell_fold = cell_block.iter().map(|&blk| block_fold[blk]).collect();
        Ok(Folds {
            cell_fold,
            cell_block,
            block_fold,
            folds,
        })
    }

    /// Number of blocks.
    pub fn blocks(&self) -> usize {
        self.block_fold.len()
    }
}

/// The time split's years and windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeSplit {
    /// First tested year (Y).
    pub split_year: i32,
    /// Years per label window (H).
    pub horizon_years: i32,
    /// The last event's year (L).
    pub last_year: i32,
}

impl TimeSplit {
    /// The split for these events: the given year, or the year from which 25–30 % of events
    /// happened (the latest year leaving at least 25 % after it), moved later while no event
    /// precedes its fitting window.
    pub fn choose(
        events: &[PastEvent],
        split_year: Option<i32>,
    ) -> Result<TimeSplit, PlanningError> {
        if events.len() < MIN_EVENTS {
            return Err(PlanningError::NotEnoughData(format!(
                "{} event(s) with a place and a date; at least {MIN_EVENTS} are needed to validate a risk model",
                events.len()
            )));
        }
        let mut years: Vec<i32> = events.iter().map(|e| e.date.year()).collect();
        years.sort_unstable();
        let first = years[0];
        let last = years[years.len() - 1];
        let y = match split_year {
            Some(y) => y,
            None => {
                let n = years.len();
                let target = n.div_ceil(4);
                // Latest year Y with at least a quarter of the events in [Y, last]; later
                // still when no event comes before its fitting window (a programme whose
                // records start recently), as long as an event remains from Y on.
                let quarter = (first..=last)
                    .rev()
                    .find(|&y| years.iter().filter(|&&v| v >= y).count() >= target)
                    .unwrap_or(first);
                (quarter..=last)
                    .find(|&y| years.iter().any(|&v| v < y - (last - y + 1)))
                    .unwrap_or(quarter)
            }
        };
        let after = years.iter().filter(|&&v| v >= y).count();
        if after == 0 {
            return Err(PlanningError::NotEnoughData(format!(
                "no event in or after the split year {y} (events run {first}–{last}); \
                 a time split needs events on both sides"
            )));
        }
        let horizon = last - y + 1;
        let before_train = years.iter().filter(|&&v| v < y - horizon).count();
        if before_train == 0 {
            return Err(PlanningError::NotEnoughData(format!(
                "no event before {}: the time split fits on features from events before {} and \
                 labels from {}–{}, tests on {y}–{last}; choose a later split year",
                y - horizon,
                y - horizon,
                y - horizon,
                y - 1
            )));
        }
        Ok(TimeSplit {
            split_year: y,
            horizon_years: horizon,
            last_year: last,
        })
    }

    /// 1 January of the tested window's first year.
    pub fn test_from(&self) -> NaiveDate {
        jan1(self.split_year)
    }

    /// 1 January of the fitting window's first year.
    pub fn train_from(&self) -> NaiveDate {
        jan1(self.split_year - self.horizon_years)
    }

    /// The day after the last event's year.
    pub fn end(&self) -> NaiveDate {
        jan1(self.last_year + 1)
    }
}

fn jan1(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::EventKind;

    fn grid(cols: usize, rows: usize) -> Grid {
        Grid {
            west: 0.0,
            south: 0.0,
            dlon: 0.01,
            dlat: 0.01,
            cols,
            rows,
            lat0: 0.0,
            lon0: 0.0,
        }
    }

    #[test]
    fn spatial_folds_never_share_a_block() {
        let g = grid(47, 33);
        let f = Folds::spatial(&g, 10, 5, 7).expect("folds");
        assert_eq!(f.blocks(), 5 * 4);
        assert_eq!(f.cell_fold.len(), g.len());
        // Every cell is in exactly one fold, the fold of its block.
        for cell in 0..g.len() {
            assert_eq!(f.cell_fold[cell], f.block_fold[f.cell_block[cell]]);
        }
        // No block has cells in two folds.
        let mut seen: Vec<Option<u32>> = vec![None; f.blocks()];
        for cell in 0..g.len() {
            let slot = &mut seen[f.cell_block[cell]];
            assert!(slot.is_none_or(|fold| fold == f.cell_fold[cell]));
            *slot = Some(f.cell_fold[cell]);
        }
        // Cells of one block are within block_cells of each other.
        for cell in 0..g.len() {
            let (r, c) = g.row_col(cell);
            assert_eq!(f.cell_block[cell], (r / 10) * 5 + c / 10);
        }
        // Folds are balanced by blocks, and all used.
        for fold in 0..5 {
            assert_eq!(f.block_fold.iter().filter(|&&x| x == fold).count(), 4);
        }
        // Same seed, same folds; another seed, another deal.
        assert_eq!(Folds::spatial(&g, 10, 5, 7).expect("folds"), f);
        assert_ne!(
            Folds::spatial(&g, 10, 5, 8).expect("folds").block_fold,
            f.block_fold
        );
    }

    #[test]
    fn folds_refuse_bad_parameters() {
        let g = grid(10, 10);
        assert!(matches!(
            Folds::spatial(&g, 0, 5, 1),
            Err(PlanningError::Parameter(_))
        ));
        assert!(matches!(
            Folds::spatial(&g, 5, 1, 1),
            Err(PlanningError::Parameter(_))
        ));
        let e = Folds::spatial(&g, 10, 5, 1).expect_err("one block");
        assert!(e.to_string().contains("1 spatial block"), "{e}");
    }

    fn events(years: &[i32]) -> Vec<PastEvent> {
        years
            .iter()
            .map(|&y| PastEvent {
                lon: 0.0,
                lat: 0.0,
                date: NaiveDate::from_ymd_opt(y, 3, 1).expect("date"),
                kind: EventKind::Accident,
            })
            .collect()
    }

    #[test]
    fn default_split_leaves_a_quarter_after() {
        // 40 events, 4 a year 2001–2010: the latest year with ≥ 10 after it is 2008 (12).
        let years: Vec<i32> = (0..40).map(|i| 2001 + i / 4).collect();
        let s = TimeSplit::choose(&events(&years), None).expect("split");
        assert_eq!(
            (s.split_year, s.horizon_years, s.last_year),
            (2008, 3, 2010)
        );
        assert_eq!(
            s.train_from(),
            NaiveDate::from_ymd_opt(2005, 1, 1).expect("date")
        );
    }

    #[test]
    fn default_split_moves_later_when_records_start_recently() {
        // 2015–2026: a quarter of the 32 events from 2021 on, but fitting on 2015–2020 would
        // have no earlier event; 2022 (fitting window 2017–2021, events of 2015–2016 before
        // it) is chosen.
        let mut years: Vec<i32> = (2015..=2026).collect();
        years.extend([2021; 10]);
        years.extend([2016; 10]);
        let s = TimeSplit::choose(&events(&years), None).expect("split");
        assert_eq!((s.split_year, s.horizon_years), (2022, 5));
    }

    #[test]
    fn time_split_refusals_name_the_problem() {
        let few = TimeSplit::choose(&events(&[2001; 12]), None).expect_err("few");
        assert!(few.to_string().contains("12 event(s)"), "{few}");
        let years: Vec<i32> = (0..40).map(|i| 2001 + i / 4).collect();
        let late = TimeSplit::choose(&events(&years), Some(2011)).expect_err("late");
        assert!(
            late.to_string()
                .contains("no event in or after the split year 2011"),
            "{late}"
        );
        let early = TimeSplit::choose(&events(&years), Some(2004)).expect_err("early");
        assert!(early.to_string().contains("no event before"), "{early}");
    }
}
