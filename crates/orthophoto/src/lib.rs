//! Drone orthophotos.
