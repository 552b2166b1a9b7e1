//! The hub's copy of each node's training summary (issue 25): the latest signed summary of
//! training figures (no names) each registered node sent.
//!
//! * **Verified against the registered card.** [`HubTrainingStore::put_training_summary`]
//!   finds the card of the node the document claims, has the caller's
//!   [`IncomingTrainingSummary`] verify the document with it (signature, node, format,
//!   figures), and only then writes. An unregistered node, another key, a tampered or
//!   malformed document is refused naming why; nothing is written.
//! * **The latest only.** A summary is a whole picture of the node's register, not a change:
//!   the hub keeps one per node and replaces it with a summary generated later. One generated
//!   at or before the one held changes nothing (the answer says so), so a replayed or
//!   reordered file can never roll figures back.
//! * **Audited.** A stored summary writes `hub.training_summary` in the same transaction.
//!
//! The store cannot see the federation crate (which builds on the store): callers give the
//! document through [`IncomingTrainingSummary`], implemented over the federation crate's
//! `TrainingSummary`.

use chrono::{DateTime, SubsecRound, Utc};

use crate::{Result, StoreError};

/// A summary document to store, as the federation crate reads it.
pub trait IncomingTrainingSummary {
    /// The node the document names, not yet verified (to find the card to verify with).
    fn node(&self) -> &str;
    /// Verifies the document with `card`, the JSON of the node card the hub registered; gives
    /// the summary's `generated_at`. The error says what is wrong.
    fn verify(&self, card: &str) -> std::result::Result<DateTime<Utc>, String>;
    /// The signed document, as it is stored.
    fn document(&self) -> &str;
}

/// A node's training summary as the hub holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubTrainingSummary {
    /// The node.
    pub node: String,
    /// When the node made it.
    pub generated_at: DateTime<Utc>,
    /// When the hub received it.
    pub received_at: DateTime<Utc>,
    /// The signed document, as received.
    pub document: String,
}

/// What storing a summary did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryPut {
    /// Stored: the node's first summary (`replaced` None) or a newer one.
    Stored {
        /// The node.
        node: String,
        /// Its `generated_at`.
        generated_at: DateTime<Utc>,
        /// The `generated_at` of the summary it replaced.
        replaced: Option<DateTime<Utc>>,
    },
    /// Nothing written: the hub holds a summary generated at or after this one.
    Unchanged {
        /// The node.
        node: String,
        /// The offered summary's `generated_at`.
        generated_at: DateTime<Utc>,
        /// The held summary's `generated_at`.
        held: DateTime<Utc>,
    },
}

/// The hub's training summaries.
pub trait HubTrainingStore {
    /// Verifies `summary` against its node's registered card and stores it unless the hub
    /// holds one generated at or after it (see the module's documentation). Refused with
    /// [`StoreError::Federation`] naming why (nothing written) off a hub, for an unregistered
    /// node, and for a document that does not verify.
    fn put_training_summary(
        &mut self,
        actor: &str,
        summary: &dyn IncomingTrainingSummary,
    ) -> Result<SummaryPut>;
    /// The latest summary of every node (of `node` only, when given), by node.
    fn training_summaries(&self, node: Option<&str>) -> Result<Vec<HubTrainingSummary>>;
}

/// The hub's table of one kind of node summary (training, detectors): both backends store and
/// read every kind with the same code.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SummaryTable {
    /// The table.
    pub table: &'static str,
    /// Its documents' name in messages ("training summary").
    pub name: &'static str,
    /// The audit action of a stored one.
    pub action: &'static str,
}

/// The training summaries.
pub(crate) const TRAINING: SummaryTable = SummaryTable {
    table: "hub_training_summary",
    name: "training summary",
    action: "hub.training_summary",
};

impl SummaryTable {
    /// A refused summary, saying why.
    pub(crate) fn refused(&self, why: impl std::fmt::Display) -> StoreError {
        StoreError::Federation(format!("{} refused: {why}; nothing was written", self.name))
    }

    /// The refusal of a summary from a node without a card.
    pub(crate) fn unknown_node(&self, node: &str) -> StoreError {
        self.refused(format!(
            "node {node} is not registered at this hub: register its node card first with \
             `safeground hub add-node DB CARD.json`"
        ))
    }
}

/// What to do with a summary generated at `offered` when the hub holds one of `held`. Both
/// backends keep microseconds: `offered` is compared (and stored) truncated to them, so a
/// replayed document is never taken for a newer one.
pub(crate) fn decide(
    node: &str,
    offered: DateTime<Utc>,
    held: Option<DateTime<Utc>>,
) -> SummaryPut {
    let offered = offered.trunc_subsecs(6);
    match held {
        Some(held) if held >= offered => SummaryPut::Unchanged {
            node: node.to_owned(),
            generated_at: offered,
            held,
        },
        _ => SummaryPut::Stored {
            node: node.to_owned(),
            generated_at: offered,
            replaced: held,
        },
    }
}

/// The audit detail of a stored summary.
pub(crate) fn audit_detail(put: &SummaryPut) -> String {
    match put {
        SummaryPut::Stored {
            generated_at,
            replaced: Some(r),
            ..
        } => format!("generated {generated_at}, replacing the one generated {r}"),
        SummaryPut::Stored { generated_at, .. } => format!("generated {generated_at}, the first"),
        SummaryPut::Unchanged { .. } => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_later_summary_replaces_the_one_held() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().expect("time");
        let (a, b) = (t("2026-01-01T00:00:00Z"), t("2026-02-01T00:00:00Z"));
        assert!(matches!(
            decide("KHM", a, None),
            SummaryPut::Stored { replaced: None, .. }
        ));
        assert!(matches!(
            decide("KHM", b, Some(a)),
            SummaryPut::Stored { replaced: Some(r), .. } if r == a
        ));
        assert!(matches!(
            decide("KHM", a, Some(a)),
            SummaryPut::Unchanged { .. }
        ));
        assert!(matches!(
            decide("KHM", a, Some(b)),
            SummaryPut::Unchanged { held, .. } if held == b
        ));
    }
}
