//! What a node's signed summaries share (the training summary, the detector summary): one JSON
//! document of figures, sealed with the node's key under the summary's own domain, and verified
//! at the hub against the node's registered card before it is kept.

use std::marker::PhantomData;

use chrono::{DateTime, Duration, Utc};
use safeground_store::hub_training::IncomingTrainingSummary;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::signed::Signed;
use crate::{FederationError, NodeCard, NodeId, NodeKey};

/// How far ahead of the hub's clock a summary may be dated (a node's clock a little fast).
const CLOCK_SKEW_HOURS: i64 = 24;

/// A node's figures that travel to the hub as one signed document.
pub trait NodeSummary: Serialize + DeserializeOwned {
    /// Signed before the payload (distinct for every kind of document).
    const DOMAIN: &'static [u8];
    /// The largest document accepted, bytes.
    const MAX_DOCUMENT: usize;
    /// Its name in messages ("training summary").
    const NAME: &'static str;
    /// The node it is from.
    fn node(&self) -> &NodeId;
    /// When it was computed.
    fn generated_at(&self) -> DateTime<Utc>;
    /// Checks the figures.
    fn check(&self) -> Result<(), FederationError>;
    /// This kind's error for `reason`.
    fn invalid(reason: String) -> FederationError;
}

/// Signs `summary` with the node's key: the document to send. Refused when the key is not the
/// summary's node's or the figures are not valid.
pub(crate) fn sign<S: NodeSummary>(summary: &S, key: &NodeKey) -> Result<String, FederationError> {
    if key.node() != summary.node() {
        return Err(S::invalid(format!(
            "the key is node {}'s, the summary is {}'s",
            key.node(),
            summary.node()
        )));
    }
    summary.check()?;
    let payload = serde_json::to_string(summary).map_err(|e| S::invalid(e.to_string()))?;
    Signed::seal(S::DOMAIN, key, payload).map_err(|e| S::invalid(e.to_string()))
}

/// The node a document says it is from, not verified (to find the card to verify with).
pub(crate) fn claimed_node<S: NodeSummary>(document: &str) -> Result<NodeId, FederationError> {
    #[derive(serde::Deserialize)]
    struct Node {
        node: NodeId,
    }
    let doc = envelope::<S>(document)?;
    serde_json::from_str::<Node>(&doc.payload)
        .map(|n| n.node)
        .map_err(|e| S::invalid(format!("the payload names no node: {e}")))
}

/// Verifies a document with the node's card and reads it: the size, the format, the signature
/// (of the card's key, over the payload), the node (the card's), the date (not ahead of `now`
/// by more than a day) and the figures.
pub(crate) fn verify<S: NodeSummary>(
    document: &str,
    card: &NodeCard,
    now: DateTime<Utc>,
) -> Result<S, FederationError> {
    let doc = envelope::<S>(document)?;
    if !doc
        .verifies(S::DOMAIN, &card.verifying_key()?)
        .map_err(S::invalid)?
    {
        return Err(S::invalid(format!(
            "the signature does not verify with the key of node {} ({}): the document was \
             altered, or another key signed it",
            card.node,
            card.fingerprint()
        )));
    }
    let summary: S = serde_json::from_str(&doc.payload)
        .map_err(|e| S::invalid(format!("the signed payload is not a {}: {e}", S::NAME)))?;
    if summary.node() != &card.node {
        return Err(S::invalid(format!(
            "the summary is node {}'s, but the card given is node {}'s",
            summary.node(),
            card.node
        )));
    }
    if summary.generated_at() > now + Duration::hours(CLOCK_SKEW_HOURS) {
        return Err(S::invalid(format!(
            "it is dated {}, more than a day ahead of this clock ({now}): check node {}'s clock \
             and make the summary again",
            summary.generated_at(),
            summary.node()
        )));
    }
    summary.check()?;
    Ok(summary)
}

/// Reads a document the hub verified when it received it, without verifying again.
pub(crate) fn received<S: NodeSummary>(document: &str) -> Result<S, FederationError> {
    let doc = envelope::<S>(document)?;
    serde_json::from_str(&doc.payload)
        .map_err(|e| S::invalid(format!("the payload is not a {}: {e}", S::NAME)))
}

/// The document's envelope, its size and format checked.
fn envelope<S: NodeSummary>(document: &str) -> Result<Signed, FederationError> {
    Signed::read(
        document,
        S::MAX_DOCUMENT,
        "document",
        &format!("not a {} document", S::NAME),
    )
    .map_err(S::invalid)
}

/// A summary document received at the hub, to store with the hub store (which verifies it with
/// its node's registered card).
#[derive(Debug, Clone)]
pub struct Received<S> {
    node: String,
    document: String,
    kind: PhantomData<fn() -> S>,
}

impl<S: NodeSummary> Received<S> {
    /// Reads the node a document claims to be from (refused when it is not this kind of
    /// document at all); nothing is verified yet.
    pub fn new(document: String) -> Result<Received<S>, FederationError> {
        let node = claimed_node::<S>(&document)?.to_string();
        Ok(Received {
            node,
            document,
            kind: PhantomData,
        })
    }
}

impl<S: NodeSummary> IncomingTrainingSummary for Received<S> {
    fn node(&self) -> &str {
        &self.node
    }

    fn verify(&self, card: &str) -> Result<DateTime<Utc>, String> {
        let card = NodeCard::from_json(card).map_err(|e| e.to_string())?;
        verify::<S>(&self.document, &card, Utc::now())
            .map(|s| s.generated_at())
            .map_err(|e| e.to_string())
    }

    fn document(&self) -> &str {
        &self.document
    }
}
