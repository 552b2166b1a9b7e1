//! Full-text search of the library's documents and the programme's records in the region's
//! languages.
