//! Risk models: scores for grid cells from the programme's past events, hazards and roads,
//! each validated by spatial block cross-validation and by a time split before it is shown.
//!
//! A model ranks cells so survey teams can decide where to look first. It never opens or
//! closes a hazard: a score is evidence for planning, not a finding.
//!
//! - [`grid`]: the cells (degree sizes from the mean latitude) and the local metric frame;
//! - [`features`]: what a model sees of a cell, from events strictly before a cutoff;
//! - [`kde`]: the transparent baseline, a Gaussian kernel density of past events;
//! - [`gbt`]: gradient-boosted regression trees on the logistic loss (depth ≤ 3);
//! - [`folds`]: spatial blocks assigned to folds, and the time split's windows;
//! - [`metrics`]: ROC AUC (ties count one half) and precision at the top decile;
//! - [`validate`]: both validations of a model, and the scored map with its figures.

pub mod features;
pub mod folds;
pub mod gbt;
pub mod grid;
pub mod kde;
pub mod metrics;
pub mod validate;

use serde::{Deserialize, Serialize};

use crate::PlanningError;

pub use features::CellFeatures;
pub use validate::{risk_map, validate};

/// Fewest events a model is validated on.
pub const MIN_EVENTS: usize = 30;

/// A past event with a place and a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastEvent {
    /// Longitude (WGS 84 degrees).
    pub lon: f64,
    /// Latitude (WGS 84 degrees).
    pub lat: f64,
    /// When it happened.
    pub date: chrono::NaiveDate,
    /// What happened.
    pub kind: EventKind,
}

/// The kind of a past event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A mine/ERW accident (with or without recorded victims).
    Accident,
    /// An explosive-ordnance find.
    EoFind,
}

/// What a risk model is computed from.
#[derive(Debug, Clone, Default)]
pub struct RiskData {
    /// Past events (accidents, EO finds).
    pub events: Vec<PastEvent>,
    /// Recorded hazards' polygons (may be empty).
    pub hazards: Vec<geo_types::MultiPolygon<f64>>,
    /// Roads (may be empty).
    pub roads: Vec<geo_types::LineString<f64>>,
}

/// How the grid, the folds and the time split are drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskSpec {
    /// Cell size in metres.
    pub cell_m: f64,
    /// A spatial block is `block_cells` × `block_cells` cells.
    pub block_cells: u32,
    /// Number of spatial cross-validation folds (at least 2).
    pub folds: u32,
    /// First year of the "future" window; `None` picks the year from which about 25–30 % of
    /// the events happened.
    pub split_year: Option<i32>,
    /// Seed of the blocks' assignment to folds.
    pub seed: u64,
}

impl Default for RiskSpec {
    fn default() -> Self {
        Self {
            cell_m: 1000.0,
            block_cells: 10,
            folds: 5,
            split_year: None,
            seed: 26,
        }
    }
}

/// The models on offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelKind {
    /// Gaussian kernel density of past events (no fitting).
    KernelDensity,
    /// Gradient-boosted regression trees on the cells' features.
    BoostedTrees,
}

impl ModelKind {
    /// Every model, baseline first.
    pub const ALL: [ModelKind; 2] = [ModelKind::KernelDensity, ModelKind::BoostedTrees];

    /// Short code used in URLs and stored figures.
    pub fn code(self) -> &'static str {
        match self {
            ModelKind::KernelDensity => "kde",
            ModelKind::BoostedTrees => "gbt",
        }
    }

    /// The model of a code, if any.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            ModelKind::KernelDensity => "Kernel density of past events",
            ModelKind::BoostedTrees => "Gradient-boosted trees",
        }
    }

    /// A fresh, unfitted model of this kind.
    pub fn model(self) -> Box<dyn RiskModel> {
        match self {
            ModelKind::KernelDensity => Box::new(kde::KernelDensity),
            ModelKind::BoostedTrees => Box::new(gbt::BoostedTrees::default()),
        }
    }
}

/// A model that scores cells from their features; higher means survey sooner.
pub trait RiskModel {
    /// The model's code (`kde`, `gbt`).
    fn name(&self) -> &'static str;
    /// Learns from training cells and whether each had an event in the label window.
    fn fit(&mut self, train: &[CellFeatures], labels: &[bool]) -> Result<(), PlanningError>;
    /// One score per cell, comparable within one call.
    fn score(&self, cells: &[CellFeatures]) -> Vec<f64>;
}

/// How well a model ranked held-out cells.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Metrics {
    /// ROC AUC (0.5 is chance, 1 a perfect ranking).
    pub auc: f64,
    /// Share of the top tenth of cells (by score) that had an event.
    pub precision_top_decile: f64,
    /// Share of all tested cells that had an event (what a random tenth would give).
    pub base_rate: f64,
    /// Tested cells with an event.
    pub positives: usize,
    /// Tested cells.
    pub cells: usize,
}

/// A model's two validations.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Validation {
    /// Model code.
    pub model: String,
    /// Spatial block cross-validation (pooled out-of-fold scores).
    pub spatial_cv: Metrics,
    /// Fit on an earlier window, tested on events from `split_year` on.
    pub time_split: Metrics,
    /// First year of the tested window.
    pub split_year: i32,
    /// Years in each label window (`split_year` to the last event's year).
    pub horizon_years: i32,
    /// Cells in the grid.
    pub cells: usize,
    /// Spatial blocks.
    pub blocks: usize,
    /// Folds.
    pub folds: u32,
    /// Kernel bandwidth used for the density feature, metres.
    pub bandwidth_m: f64,
}

/// The map layer: every cell's score with the model's validation figures.
#[derive(Debug, Clone, Serialize)]
pub struct RiskMap {
    /// Scored cells.
    pub cells: Vec<ScoredCell>,
    /// How the model did in validation.
    pub validation: Validation,
}

impl RiskMap {
    /// The cells as a GeoJSON FeatureCollection: each a polygon with its `score` and `decile`.
    pub fn cells_geojson(&self) -> serde_json::Value {
        let features: Vec<serde_json::Value> = (self.cells.iter())
            .map(|c| {
                serde_json::json!({"type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": [[
                        [c.west, c.south], [c.east, c.south], [c.east, c.north],
                        [c.west, c.north], [c.west, c.south]]]},
                    "properties": {"score": c.score, "decile": c.decile}})
            })
            .collect();
        serde_json::json!({"type": "FeatureCollection", "features": features})
    }
}

/// One cell of the map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredCell {
    /// West edge (degrees).
    pub west: f64,
    /// South edge (degrees).
    pub south: f64,
    /// East edge (degrees).
    pub east: f64,
    /// North edge (degrees).
    pub north: f64,
    /// The model's score divided by the map's highest score (0..1).
    pub score: f64,
    /// Decile of the score: 1 is the top tenth of cells, 10 the bottom.
    pub decile: u8,
}
