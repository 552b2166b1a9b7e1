//! Operations planning from the programme's own evidence (approved activities, hazards, EO
//! finds and accidents):
//!
//! - [`productivity`]: m² released per working day by method × asset type × contamination
//!   class (and organisation), as distributions (median, quartiles);
//! - [`priority`]: weighted criteria read from a TOML file, a score per hazard with each
//!   criterion's contribution (the contributions sum to the score), a ranked list and who moved
//!   when a weight changes;
//! - [`forecast`]: Monte Carlo completion dates (P50, P90) per admin area and for the country
//!   from the remaining area, the teams and the productivity distributions, against the
//!   Article 5 deadline, with the capacity needed to meet it; a fixed seed reproduces it;
//! - [`risk`]: models that score grid cells from past events, validated by spatial block
//!   cross-validation and by a time split. A model ranks where to survey; it never opens or
//!   closes a hazard.
//!
//! The algorithms take plain values, so every figure can be checked against a case with a
//! known answer; [`programme`] reads a programme's store into those values.

pub mod error;
pub mod export;
pub mod forecast;
pub mod priority;
pub mod productivity;
pub mod programme;
pub mod risk;

pub use error::PlanningError;
