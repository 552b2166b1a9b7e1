//! Safeground's domain model: the records of a mine action programme (reference §2), their
//! controlled vocabularies (§2.17) and the field validation rules (§6). No I/O.
//!
//! Geometry fields are WGS 84 `geo-types` values, serialised as GeoJSON geometry objects.

#![warn(missing_docs)]

mod accident;
mod activity;
mod admin_area;
mod assistance;
mod eo;
#[cfg(test)]
mod fixtures;
pub mod geometry;
mod hazard;
mod ordnance;
pub mod ordnance_page;
mod organisation;
mod qa;
mod record;
mod risk_education;
pub mod rules;
mod validation;
mod victim;
pub mod vocab;

pub use accident::Accident;
pub use activity::{Activity, ReleasedArea, method_allowed};
pub use admin_area::{AdminArea, MAX_ADMIN_LEVEL};
pub use assistance::Assistance;
pub use eo::EoFind;
pub use hazard::{Hazard, StatusChange};
pub use ordnance::{
    Catalogue, CatalogueEntry, CatalogueError, ORDNANCE_CATALOGUE, OrdnanceModel, ordnance_model,
};
pub use ordnance_page::{Dimensions, OrdnancePage, PagePhoto};
pub use organisation::{Asset, Organisation, Team};
pub use qa::{NonConformity, QaVisit};
pub use record::{ItemKind, Record};
pub use risk_education::{Beneficiaries, BeneficiaryCount, ImasCounts, RiskEducationSession};
pub use validation::{
    AREA_MISMATCH_FACTOR, FieldError, ValidationContext, ValidationErrors, area_consistency,
};
pub use victim::{MAX_AGE, Victim, VictimPersonalData, validate_personal_data};
pub use vocab::*;

/// A reference to another item: an item id ("HAZ-000123"), the local id of another entry of
/// the same report, or the unique local id of an existing item.
pub type ItemRef = String;
