//! The hub's copy of each node's detector summary (issue 28): the latest signed detector
//! metrics (per model, version and class; no locations) each registered node sent.
//!
//! It behaves as [`crate::hub_training`] does: verified against the registered card before
//! anything is written, the latest only (one generated at or before the one held changes
//! nothing), audited (`hub.detector_summary`) in the same transaction. Callers give the
//! document through [`IncomingTrainingSummary`], implemented over the federation crate's
//! `DetectorSummary` (the trait only reads a node, a date and a document).

use crate::Result;
use crate::hub_training::{HubTrainingSummary, IncomingTrainingSummary, SummaryPut, SummaryTable};

/// The hub's detector summaries.
pub trait HubDetectorStore {
    /// Verifies `summary` against its node's registered card and stores it unless the hub
    /// holds one generated at or after it. Refused with [`StoreError::Federation`] naming why
    /// (nothing written) off a hub, for an unregistered node, and for a document that does
    /// not verify.
    fn put_detector_summary(
        &mut self,
        actor: &str,
        summary: &dyn IncomingTrainingSummary,
    ) -> Result<SummaryPut>;
    /// The latest detector summary of every node (of `node` only, when given), by node.
    fn detector_summaries(&self, node: Option<&str>) -> Result<Vec<HubTrainingSummary>>;
}

/// The detector summaries.
pub(crate) const DETECTOR: SummaryTable = SummaryTable {
    table: "hub_detector_summary",
    name: "detector summary",
    action: "hub.detector_summary",
};
