//! Machine GNSS tracks to processed-area evidence.
