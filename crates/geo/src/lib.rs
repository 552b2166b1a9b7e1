//! Safeground's geometry: geodesic area and perimeter on WGS 84, UTM and MGRS, polygons from
//! surveyed turning points, polygon validity checks (GICHD geocheck rules) and explicit repair,
//! and the land-release overlay (remaining hazard = hazard − ⋃ released areas).
//! All coordinates are WGS 84 lon/lat degrees (x = longitude, y = latitude).

mod area;
mod boundary_walk;
mod error;
mod fill;
mod inner_point;
mod mgrs;
mod release;
mod repair;
mod star;
mod sweep;
mod traverse;
mod utm;
mod validity;

pub use area::{destination, geodesic_area, geodesic_distance, geodesic_perimeter, polygon_area};
pub use error::GeoError;
pub use geo_types;
pub use inner_point::inner_point;
pub use mgrs::Mgrs;
pub use release::{Remaining, remaining, remaining_area};
pub use repair::{Repair, RepairOptions, area_change_note, repair, repair_with};
pub use traverse::{Traverse, TurningPoint, polygon_from_turning_points};
pub use utm::{Hemisphere, Utm};
pub use validity::{
    CheckOptions, GeometryIssue, MAX_FIELD_VERTICES, MAX_IMPORTED_VERTICES, RawPolygon, RawRing,
    Rule, Severity, check, raw_polygons, too_many_vertices, validated_multipolygon, vertex_count,
};
