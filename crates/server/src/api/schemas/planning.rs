//! Answers of the planning API (`api/planning.rs`, `api/planning_tasks.rs`).

use safeground_planning::priority::{Move, Ranked};
use safeground_planning::productivity::ProductivityRow;
use safeground_planning::risk::Validation;
use serde::Serialize;
use utoipa::ToSchema;

/// A GeoJSON FeatureCollection.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeatureCollectionDoc {
    /// "FeatureCollection".
    #[serde(rename = "type")]
    pub kind: String,
    /// The features (GeoJSON Feature objects).
    #[schema(value_type = Vec<Object>)]
    pub features: Vec<serde_json::Value>,
}

/// Productivity distributions.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductivityDoc {
    /// Samples (an activity's land by one method and asset type over its working days).
    pub samples: usize,
    /// One row per group.
    pub rows: Vec<ProductivityRow>,
}

/// The prioritisation criteria in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriteriaDoc {
    /// The criteria file (TOML).
    pub toml: String,
    /// Whether a planner saved them (false: the defaults).
    pub saved: bool,
    /// Who saved them.
    pub updated_by: Option<String>,
    /// When.
    pub updated_at: Option<String>,
    /// The criteria parsed: id, kind, weight and the kind's parameters.
    #[schema(value_type = Vec<Object>)]
    pub criteria: Vec<serde_json::Value>,
}

/// The ranking under the saved criteria.
#[derive(Debug, Serialize, ToSchema)]
pub struct RankingDoc {
    /// The criteria (id, kind, weight, parameters).
    #[schema(value_type = Vec<Object>)]
    pub criteria: Vec<serde_json::Value>,
    /// Open hazards, first first.
    pub ranking: Vec<Ranked>,
}

/// The ranking under weights tried, and who moved against the saved criteria.
#[derive(Debug, Serialize, ToSchema)]
pub struct RankingTriedDoc {
    /// The criteria with the weights tried.
    #[schema(value_type = Vec<Object>)]
    pub criteria: Vec<serde_json::Value>,
    /// Open hazards, first first.
    pub ranking: Vec<Ranked>,
    /// Hazards ranked differently than under the saved criteria, biggest moves first.
    pub moved: Vec<Move>,
}

/// A risk model's map and validation.
#[derive(Debug, Serialize, ToSchema)]
pub struct RiskDoc {
    /// kde or gbt.
    pub model: String,
    /// The model's name.
    pub label: String,
    /// Spatial block cross-validation and time split.
    pub validation: Validation,
    /// Cells (polygons) with `score` 0–1 and `decile` (1 = top tenth).
    pub cells: FeatureCollectionDoc,
}

/// Planning settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanningSettingsDoc {
    /// The Article 5 deadline (YYYY-MM-DD).
    pub article5_deadline: Option<String>,
    /// Working days per team per year.
    pub days_per_year: f64,
}

/// An imported layer.
#[derive(Debug, Serialize, ToSchema)]
pub struct LayerInfoDoc {
    /// Name.
    pub name: String,
    /// Features.
    pub features: usize,
    /// Who imported it.
    pub imported_by: String,
    /// When.
    pub imported_at: String,
}

/// The imported layers.
#[derive(Debug, Serialize, ToSchema)]
pub struct LayersDoc {
    /// By name.
    pub layers: Vec<LayerInfoDoc>,
}
