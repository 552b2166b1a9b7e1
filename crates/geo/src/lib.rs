//! Safeground's geometry: geodesic area and perimeter on WGS 84, polygon validity checks
//! (GICHD geocheck rules) and explicit repair, and the land-release overlay
//! (remaining hazard = hazard − ⋃ released areas). All coordinates are WGS 84 lon/lat degrees.

mod area;
mod error;
mod release;
mod repair;
mod validity;

pub use area::{destination, geodesic_area, geodesic_distance, geodesic_perimeter, polygon_area};
pub use error::GeoError;
pub use geo_types;
pub use release::{Remaining, remaining};
pub use repair::{Repair, repair};
pub use validity::{
    CheckOptions, GeometryIssue, RawPolygon, RawRing, Rule, Severity, check, validated_multipolygon,
};
