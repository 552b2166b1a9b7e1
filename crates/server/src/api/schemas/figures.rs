//! Treaty figures and the dashboard.

use super::*;

/// A column of a figures table.
#[derive(Serialize, ToSchema)]
pub struct FiguresColumn {
    /// Key of the column in rows.
    pub key: String,
    /// Title.
    pub title: String,
    /// Value kind (`text`, `integer`, `area`, ...).
    pub kind: String,
}

/// A table of the figures report.
#[derive(Serialize, ToSchema)]
pub struct FiguresTable {
    /// Table id (`table=` of the CSV export).
    pub id: String,
    /// Title.
    pub title: String,
    /// What the table counts.
    pub counts: String,
    /// The columns.
    pub columns: Vec<FiguresColumn>,
    /// One object per row, column key to value.
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Value>,
    /// The total row, when the table has one.
    #[schema(value_type = Option<Object>)]
    pub total: Option<serde_json::Value>,
    /// Notes under the table.
    pub notes: Vec<String>,
}

/// The parameters a figures report was made with.
#[derive(Serialize, ToSchema)]
pub struct FiguresParameters {
    /// The date (YYYY-MM-DD).
    pub as_of: String,
    /// The transaction time (RFC 3339), when asked.
    pub known_at: Option<String>,
    /// Start of the period (YYYY-MM-DD).
    pub from: Option<String>,
    /// End of the period (YYYY-MM-DD).
    pub to: Option<String>,
    /// Admin area P-code.
    pub admin_area: Option<String>,
    /// Organisation.
    pub organisation: Option<String>,
    /// Donor.
    pub donor: Option<String>,
    /// Article 5 deadline (YYYY-MM-DD).
    pub treaty_deadline: Option<String>,
    /// Counts below this are suppressed.
    pub suppression_threshold: Option<u64>,
}

/// A chart of a figures table.
#[derive(Serialize, ToSchema)]
pub struct FiguresChart {
    /// The table charted.
    pub table: String,
    /// Column on the x axis.
    pub x: String,
    /// Columns drawn.
    pub series: Vec<String>,
}

/// The figures report (JSON).
#[derive(Serialize, ToSchema)]
pub struct FiguresDoc {
    /// Title.
    pub title: String,
    /// Language code.
    pub language: String,
    /// Parameters.
    pub parameters: FiguresParameters,
    /// The tables.
    pub tables: Vec<FiguresTable>,
    /// The charts.
    pub charts: Vec<FiguresChart>,
    /// The remaining hazard polygons of the selection.
    pub map: GeoJsonFeatureCollection,
}

/// Land released by one method outside the hazards the activities are linked to.
#[derive(Serialize, ToSchema)]
pub struct OutsideFigures {
    /// `cancelled`, `reduced` or `cleared` (absent in the total).
    pub method: Option<String>,
    /// Area released outside the hazards, m².
    pub outside_m2: f64,
    /// Activities that released some.
    pub activities: u64,
    /// Activities that released only outside.
    pub entirely_outside: u64,
}

/// Land released outside hazards.
#[derive(Serialize, ToSchema)]
pub struct OutsideHazards {
    /// By method.
    pub by_method: Vec<OutsideFigures>,
    /// All methods.
    pub total: OutsideFigures,
}

/// Hazards and areas of the whole programme.
#[derive(Serialize, ToSchema)]
pub struct DashboardTotals {
    /// Number of hazards.
    pub hazards: u64,
    /// Remaining, m².
    pub remaining_m2: f64,
    /// Cancelled, m².
    pub cancelled_m2: f64,
    /// Reduced, m².
    pub reduced_m2: f64,
    /// Cleared, m².
    pub cleared_m2: f64,
}

/// Land released in a year or by an asset.
#[derive(Serialize, ToSchema)]
pub struct ReleasedFigures {
    /// The year (by year).
    pub year: Option<i32>,
    /// The asset type (by asset).
    pub asset_type: Option<String>,
    /// Cancelled, m².
    pub cancelled_m2: f64,
    /// Reduced, m².
    pub reduced_m2: f64,
    /// Cleared, m².
    pub cleared_m2: f64,
}

/// Remaining contamination of an admin area.
#[derive(Serialize, ToSchema)]
pub struct RemainingFigures {
    /// Admin area P-code.
    pub admin_pcode: String,
    /// Its name, when known.
    pub name: Option<String>,
    /// Number of hazards.
    pub hazards: u64,
    /// Suspected, m².
    pub suspected_m2: f64,
    /// Confirmed, m².
    pub confirmed_m2: f64,
    /// Remaining, m².
    pub remaining_m2: f64,
}

/// Explosive ordnance of a category.
#[derive(Serialize, ToSchema)]
pub struct EoFigures {
    /// EO category.
    pub category: Option<String>,
    /// Records.
    pub records: u64,
    /// Items.
    pub quantity: u64,
    /// Items disposed of (found EO).
    pub disposed: Option<u64>,
    /// Items not disposed of (found EO).
    pub not_disposed: Option<u64>,
    /// Records without a date (found EO).
    pub date_unknown: Option<u64>,
}

/// Accidents of a year.
#[derive(Serialize, ToSchema)]
pub struct AccidentFigures {
    /// The year (null: undated).
    pub year: Option<i32>,
    /// Accidents.
    pub accidents: u64,
    /// Accidents with victims.
    pub with_victims: u64,
    /// Accidents without victims.
    pub without_victims: u64,
    /// People killed.
    pub killed: u64,
    /// People injured.
    pub injured: u64,
}

/// Casualties of a year, sex and age group.
#[derive(Serialize, ToSchema)]
pub struct CasualtyFigures {
    /// The year (null: undated).
    pub year: Option<i32>,
    /// Sex.
    pub sex: String,
    /// Age group.
    pub age_group: String,
    /// Killed.
    pub killed: u64,
    /// Injured.
    pub injured: u64,
    /// Other outcomes.
    pub other: u64,
}

/// Risk-education beneficiaries of a sex and age band.
#[derive(Serialize, ToSchema)]
pub struct BeneficiaryFigures {
    /// Sex.
    pub sex: String,
    /// Age band.
    pub age_band: String,
    /// Direct beneficiaries.
    pub direct: u64,
    /// Indirect beneficiaries.
    pub indirect: u64,
}

/// The dashboard figures.
#[derive(Serialize, ToSchema)]
pub struct DashboardDoc {
    /// The date asked (null: now).
    pub as_of: Option<String>,
    /// Land released outside the hazards linked.
    pub land_released_outside_hazards: OutsideHazards,
    /// The admin areas of the deepest level with boundaries, with `pcode`, `name`, `level`,
    /// `hazards` and `remaining_m2` as properties.
    pub admin_boundaries: GeoJsonFeatureCollection,
    /// Programme totals.
    pub totals: DashboardTotals,
    /// Land released per year.
    pub land_released_by_year: Vec<ReleasedFigures>,
    /// Land released per asset type.
    pub land_released_by_asset: Vec<ReleasedFigures>,
    /// Remaining contamination per admin area.
    pub remaining_by_admin: Vec<RemainingFigures>,
    /// EO destroyed per category.
    pub eo_destroyed_by_category: Vec<EoFigures>,
    /// EO found per category.
    pub eo_found_by_category: Vec<EoFigures>,
    /// Accidents per year.
    pub accidents_by_year: Vec<AccidentFigures>,
    /// Casualties.
    pub casualties: Vec<CasualtyFigures>,
    /// Risk-education beneficiaries.
    pub risk_education_beneficiaries: Vec<BeneficiaryFigures>,
    /// m² released per working day by method and asset type over the approved activities
    /// (current versions; not limited by the date asked), as distributions.
    pub productivity: Vec<safeground_planning::productivity::ProductivityRow>,
}
