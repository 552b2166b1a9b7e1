//! AI detector output: read, georeference, score against verdicts.
