//! A realistic synthetic mine action programme for demonstrations, tests and benchmarks.
//!
//! [`generate`] returns the field reports of a Cambodia-like programme in the order they were
//! written: organisations and admin areas, thousands of hazards recorded from 2015 on, years of
//! non-technical survey (cancellation), technical survey (reduction) and clearance by manual
//! teams, dogs, rats and machines whose released polygons lie exactly inside their hazards, EO
//! found and destroyed, accidents with victims, risk-education sessions and QA visits.
//! The same seed always gives the same programme.

pub mod basemap;
pub mod evidence;
pub mod library;
pub mod ordnance_pages;
mod places;
pub mod planning;
mod programme;
mod shapes;
pub mod training;

pub use places::{BOUNDARY_MARGIN_DEG, Country, PROVINCES, Province, country_boundary};
pub use programme::{Programme, generate, generate_in};
pub use shapes::Outline;

/// The regional demo hub's reference data (`safeground demo --regional`): ordnance models met in
/// the region that the built-in catalogue lacks, as the CSV `safeground hub publish-reference`
/// reads (model, category, description, aliases).
pub const REGIONAL_ORDNANCE_CSV: &str = include_str!("regional_ordnance.csv");

/// The regional demo hub's code lists: terms of the region's languages (Lao, Khmer,
/// Azerbaijani) for vocabulary codes, as the CSV `safeground hub publish-reference --codes`
/// reads (vocabulary, term, code).
pub const REGIONAL_CODES_CSV: &str = include_str!("regional_codes.csv");
