//! OpenAPI schemas of answers that the handlers write as JSON objects (the schemathesis test in
//! `tests/openapi.rs` checks live answers against them).

use safeground_model::{HazardClass, HazardStatus, ItemKind};
use safeground_store::ReportStatus;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

mod accounts;
mod evidence;
mod federation;
mod field;
mod figures;
mod import;
mod items;
mod planning;
mod reports;
mod session;
mod training;

pub use accounts::*;
pub use evidence::*;
pub use federation::*;
pub use field::*;
pub use figures::*;
pub use import::*;
pub use items::*;
pub use planning::*;
pub use reports::*;
pub use session::*;
pub use training::*;

// Answers that handlers build as JSON values (records of any kind, reports, the dashboard)
// are described by the types below; they derive `Serialize` as well, which keeps each field
// of the description counted as used.

/// A string schema taking one of `codes`.
fn codes(description: &str, codes: impl IntoIterator<Item = &'static str>) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes))
        .description(Some(description))
        .build()
}

fn item_kind() -> Object {
    codes("The record's kind.", ItemKind::ALL.iter().map(|k| k.code()))
}

fn report_status() -> Object {
    use ReportStatus::*;
    let all = [Draft, Submitted, Approved, Rejected];
    codes(
        "Where the report is in its workflow.",
        all.map(ReportStatus::code),
    )
}

pub(super) fn hazard_class() -> Object {
    codes(
        "Class after the linked activities.",
        HazardClass::ALL.iter().map(|c| c.code()),
    )
}

pub(super) fn hazard_status() -> Object {
    codes(
        "Status after the linked activities.",
        HazardStatus::ALL.iter().map(|s| s.code()),
    )
}

/// A GeoJSON geometry (RFC 7946), WGS 84 longitude/latitude.
#[derive(Serialize, ToSchema)]
pub struct GeoJsonGeometry {
    /// `Point`, `Polygon`, `MultiPolygon`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Positions, nested as the type says.
    #[schema(value_type = Vec<Value>)]
    pub coordinates: Vec<serde_json::Value>,
}

/// A GeoJSON feature (RFC 7946).
#[derive(Serialize, ToSchema)]
pub struct GeoJsonFeature {
    /// Always `Feature`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The feature's geometry, or null.
    pub geometry: Option<GeoJsonGeometry>,
    /// The feature's fields.
    #[schema(value_type = Option<Object>)]
    pub properties: Option<serde_json::Value>,
}

/// A GeoJSON FeatureCollection (RFC 7946).
#[derive(Serialize, ToSchema)]
pub struct GeoJsonFeatureCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The features.
    pub features: Vec<GeoJsonFeature>,
}

/// The bytes of a file (a download).
#[derive(Serialize, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(pub Vec<u8>);
