//! Detector quality flowing up (issue 28): a national node signs a *detector summary* — per
//! model, version and class: verdict counts, precision, recall against verified finds in the
//! surveyed footprint, and confidence calibration — with its node key, and the hub keeps each
//! node's latest one, so the region learns which detector works where.
//!
//! **What is never in it**: locations. Figures only: no coordinates, footprints, detection or
//! find ids, and no names. The payload refuses any field it does not define
//! (`deny_unknown_fields`), so a newer node cannot slip one in unnoticed.
//!
//! # Format (version 1)
//!
//! A JSON document; `payload` is the summary as a JSON string, signed as it is with
//! [`DOMAIN`] before it (distinct from every other signed document's):
//!
//! ```json
//! {"format": 1, "payload": "{\"node\":\"KHM\",\"generated_at\":\"…\",\"match_radius_m\":5.0,
//!  \"rows\":[…]}", "signature": "<ed25519 signature, base64>"}
//! ```
//!
//! with rows `{model, model_version, class, detections, confirmed, false_positive,
//! not_verifiable, pending, precision, finds_in_footprint, finds_matched, recall,
//! expected_calibration_error, calibration: [{from, to, count, mean_confidence,
//! confirmed_share}]}` (`class` `*`: all classes of the model version).

use std::collections::BTreeSet;

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use crate::node_summary::{self, NodeSummary, Received};
use crate::{FederationError, NodeCard, NodeId, NodeKey};

/// Signed before the payload.
pub const DOMAIN: &[u8] = b"safeground-federation-detector-summary\0";

/// The largest summary document accepted (a row is well under 2 kB).
pub const MAX_DOCUMENT: usize = 4 << 20;

/// A node's detector metrics, without locations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorSummary {
    /// The node (its card's id).
    pub node: NodeId,
    /// When it was computed: the hub keeps only a newer one.
    pub generated_at: DateTime<Utc>,
    /// Metres within which a confirmed detection matches a verified find (recall).
    pub match_radius_m: f64,
    /// One row per model, version and class, and a `*` row per model and version.
    pub rows: Vec<DetectorRow>,
}

/// The quality of a model version for one class (or all: `*`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorRow {
    /// Model name.
    pub model: String,
    /// Model version.
    pub model_version: String,
    /// Class name, or `*` for all classes.
    pub class: String,
    /// Detections, whatever their verdict.
    pub detections: u64,
    /// Confirmed detections.
    pub confirmed: u64,
    /// False positives.
    pub false_positive: u64,
    /// Not verifiable.
    pub not_verifiable: u64,
    /// Not yet looked at.
    pub pending: u64,
    /// confirmed / (confirmed + false_positive); null when nothing is verified.
    pub precision: Option<f64>,
    /// Verified finds inside the model's surveyed footprint.
    pub finds_in_footprint: u64,
    /// Those with a confirmed detection within the match radius.
    pub finds_matched: u64,
    /// finds_matched / finds_in_footprint; null when no find lies in the footprint.
    pub recall: Option<f64>,
    /// Expected calibration error over verified detections; null when none is verified.
    pub expected_calibration_error: Option<f64>,
    /// Ten confidence bins of 0.1 over verified detections.
    pub calibration: Vec<CalibrationBin>,
}

/// One confidence bin of a row's calibration table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationBin {
    /// Lower bound (included).
    pub from: f64,
    /// Upper bound (excluded, except 1.0 in the last bin).
    pub to: f64,
    /// Verified detections in the bin.
    pub count: u64,
    /// Their mean confidence (0 when empty).
    pub mean_confidence: f64,
    /// Their share confirmed (0 when empty).
    pub confirmed_share: f64,
}

fn invalid(reason: impl Into<String>) -> FederationError {
    FederationError::DetectorSummary {
        reason: reason.into(),
    }
}

/// A share (0..=1) or None.
fn share_ok(v: Option<f64>) -> bool {
    v.is_none_or(|v| (0.0..=1.0).contains(&v))
}

impl DetectorSummary {
    /// A summary of `rows`, dated `generated_at` to the second.
    pub fn new(
        node: NodeId,
        generated_at: DateTime<Utc>,
        match_radius_m: f64,
        rows: Vec<DetectorRow>,
    ) -> DetectorSummary {
        DetectorSummary {
            node,
            // Whole seconds: the hub compares dates to the microsecond it stores.
            generated_at: generated_at.trunc_subsecs(0),
            match_radius_m,
            rows,
        }
    }

    /// Checks the figures: shares between 0 and 1, counts that add up, each key once.
    fn check(&self) -> Result<(), FederationError> {
        if !(self.match_radius_m.is_finite() && self.match_radius_m >= 0.0) {
            return Err(invalid(format!(
                "match_radius_m {} is not a distance",
                self.match_radius_m
            )));
        }
        let mut keys = BTreeSet::new();
        for (i, r) in self.rows.iter().enumerate() {
            let row = i + 1;
            if r.model.is_empty() || r.class.is_empty() {
                return Err(invalid(format!("row {row}: model and class must be given")));
            }
            if r.confirmed + r.false_positive + r.not_verifiable + r.pending != r.detections {
                return Err(invalid(format!(
                    "row {row}: confirmed, false_positive, not_verifiable and pending do not \
                     add up to detections ({})",
                    r.detections
                )));
            }
            if r.finds_matched > r.finds_in_footprint {
                return Err(invalid(format!(
                    "row {row}: more finds matched than in the footprint"
                )));
            }
            let bins_ok = r.calibration.iter().all(|b| {
                share_ok(Some(b.mean_confidence))
                    && share_ok(Some(b.confirmed_share))
                    && share_ok(Some(b.from))
                    && share_ok(Some(b.to))
            });
            if !(share_ok(r.precision)
                && share_ok(r.recall)
                && share_ok(r.expected_calibration_error)
                && bins_ok)
            {
                return Err(invalid(format!(
                    "row {row}: a precision, recall, calibration error or bin is not between 0 \
                     and 1"
                )));
            }
            if !keys.insert((&r.model, &r.model_version, &r.class)) {
                return Err(invalid(format!(
                    "row {row}: {} {} {} is given twice",
                    r.model, r.model_version, r.class
                )));
            }
        }
        Ok(())
    }

    /// Signs the summary with the node's key: the document to send. Refused when the key is
    /// not the summary's node's or the figures are not valid.
    pub fn sign(&self, key: &NodeKey) -> Result<String, FederationError> {
        node_summary::sign(self, key)
    }

    /// The node a document says it is from, not verified (to find the card to verify with).
    pub fn claimed_node(document: &str) -> Result<NodeId, FederationError> {
        node_summary::claimed_node::<DetectorSummary>(document)
    }

    /// Verifies a document with the node's card and reads it: the size, the format, the
    /// signature (of the card's key, over the payload), the node (the card's), the date (not
    /// ahead of `now` by more than a day) and the figures.
    pub fn verify(
        document: &str,
        card: &NodeCard,
        now: DateTime<Utc>,
    ) -> Result<DetectorSummary, FederationError> {
        node_summary::verify(document, card, now)
    }

    /// Reads a document the hub verified when it received it, without verifying again.
    pub fn received(document: &str) -> Result<DetectorSummary, FederationError> {
        node_summary::received(document)
    }
}

impl NodeSummary for DetectorSummary {
    const DOMAIN: &'static [u8] = DOMAIN;
    const MAX_DOCUMENT: usize = MAX_DOCUMENT;
    const NAME: &'static str = "detector summary";

    fn node(&self) -> &NodeId {
        &self.node
    }

    fn generated_at(&self) -> DateTime<Utc> {
        self.generated_at
    }

    fn check(&self) -> Result<(), FederationError> {
        DetectorSummary::check(self)
    }

    fn invalid(reason: String) -> FederationError {
        invalid(reason)
    }
}

/// A document received at the hub, to store with
/// [`HubDetectorStore::put_detector_summary`](safeground_store::HubDetectorStore::put_detector_summary),
/// which verifies it with its node's registered card.
pub type ReceivedDetectorSummary = Received<DetectorSummary>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signed::Signed;
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use safeground_store::hub_training::IncomingTrainingSummary;

    fn id(s: &str) -> NodeId {
        NodeId::new(s).expect("node id")
    }

    fn row(class: &str) -> DetectorRow {
        DetectorRow {
            model: "yolo-uxo".into(),
            model_version: "2.1".into(),
            class: class.into(),
            detections: 10,
            confirmed: 6,
            false_positive: 2,
            not_verifiable: 1,
            pending: 1,
            precision: Some(0.75),
            finds_in_footprint: 8,
            finds_matched: 6,
            recall: Some(0.75),
            expected_calibration_error: Some(0.125),
            calibration: vec![CalibrationBin {
                from: 0.9,
                to: 1.0,
                count: 8,
                mean_confidence: 0.95,
                confirmed_share: 0.75,
            }],
        }
    }

    fn summary(node: &str) -> DetectorSummary {
        let at = "2026-06-01T08:00:00.5Z".parse().expect("time");
        DetectorSummary::new(id(node), at, 5.0, vec![row("*"), row("mortar")])
    }

    fn now() -> DateTime<Utc> {
        "2026-06-02T00:00:00Z".parse().expect("time")
    }

    #[test]
    fn a_signed_summary_verifies_with_its_nodes_card_only() {
        let key = NodeKey::generate(id("KHM")).expect("key");
        let card = key.card("Cambodia").expect("card");
        let doc = summary("KHM").sign(&key).expect("signed");
        let read = DetectorSummary::verify(&doc, &card, now()).expect("verified");
        assert_eq!(read, summary("KHM"));
        assert_eq!(read.generated_at.timestamp_subsec_nanos(), 0);
        assert_eq!(
            DetectorSummary::claimed_node(&doc).expect("node"),
            id("KHM")
        );
        assert_eq!(
            DetectorSummary::received(&doc).expect("read"),
            summary("KHM")
        );
        let payload: Signed = serde_json::from_str(&doc).expect("doc");
        for never in [
            "\"lon\"",
            "\"lat\"",
            "coordinates",
            "\"footprint\"",
            "location",
        ] {
            assert!(
                !payload.payload.contains(never),
                "{never} in {}",
                payload.payload
            );
        }

        // Tampered: a count changed after signing.
        let tampered = doc.replacen("\\\"confirmed\\\":6", "\\\"confirmed\\\":7", 1);
        assert_ne!(tampered, doc);
        let e = DetectorSummary::verify(&tampered, &card, now()).expect_err("tampered");
        assert!(e.to_string().contains("does not verify"), "{e}");

        // Another key of the same node id: refused.
        let foreign = NodeKey::generate(id("KHM")).expect("key");
        let e = DetectorSummary::verify(&doc, &foreign.card("x").expect("card"), now())
            .expect_err("foreign key");
        assert!(e.to_string().contains("does not verify"), "{e}");

        // A key signs only its own node's summary.
        let lao = NodeKey::generate(id("LAO")).expect("key");
        let e = summary("KHM").sign(&lao).expect_err("wrong key");
        assert!(e.to_string().contains("the key is node LAO's"), "{e}");

        // A training summary's signature over the same payload is not a detector summary's.
        let doc2: Signed = serde_json::from_str(&doc).expect("doc");
        let training = crate::signed::message(crate::training_summary::DOMAIN, &doc2.payload);
        let forged = serde_json::to_string(&Signed {
            signature: BASE64.encode(key.sign(&training).to_bytes()),
            ..doc2
        })
        .expect("json");
        assert!(DetectorSummary::verify(&forged, &card, now()).is_err());
    }

    #[test]
    fn malformed_documents_are_refused_naming_why() {
        let key = NodeKey::generate(id("KHM")).expect("key");
        let card = key.card("Cambodia").expect("card");
        let e = DetectorSummary::verify("{}", &card, now()).expect_err("empty");
        assert!(
            e.to_string().contains("not a detector summary document"),
            "{e}"
        );
        let doc = summary("KHM").sign(&key).expect("signed");
        let e = DetectorSummary::verify(&doc, &card, "2026-05-01T00:00:00Z".parse().expect("t"))
            .expect_err("from the future");
        assert!(e.to_string().contains("ahead of this clock"), "{e}");

        let mut s = summary("KHM");
        s.rows[0].pending = 5;
        let e = s.sign(&key).expect_err("sum");
        assert!(e.to_string().contains("row 1: confirmed"), "{e}");
        let mut s = summary("KHM");
        s.rows[1].precision = Some(1.5);
        assert!(
            s.sign(&key)
                .expect_err("share")
                .to_string()
                .contains("row 2")
        );
        let mut s = summary("KHM");
        s.rows.push(s.rows[0].clone());
        assert!(
            s.sign(&key)
                .expect_err("twice")
                .to_string()
                .contains("given twice")
        );

        // A field the format does not define (a location) is refused even when signed.
        let payload = serde_json::to_string(&summary("KHM"))
            .expect("json")
            .replacen("\"pending\"", "\"lon\":104.9,\"pending\"", 1);
        let signed = serde_json::to_string(&Signed {
            format: crate::signed::FORMAT,
            signature: BASE64.encode(
                key.sign(&crate::signed::message(DOMAIN, &payload))
                    .to_bytes(),
            ),
            payload,
        })
        .expect("json");
        let e = DetectorSummary::verify(&signed, &card, now()).expect_err("a location");
        assert!(e.to_string().contains("unknown field `lon`"), "{e}");
    }

    #[test]
    fn an_empty_summary_signs_and_verifies() {
        let key = NodeKey::generate(id("KHM")).expect("key");
        let card = key.card("Cambodia").expect("card");
        let s = DetectorSummary::new(id("KHM"), now(), 5.0, Vec::new());
        let doc = s.sign(&key).expect("signed");
        let read = DetectorSummary::verify(&doc, &card, now()).expect("verified");
        assert!(read.rows.is_empty());
        let received = ReceivedDetectorSummary::new(doc).expect("received");
        assert_eq!(received.node(), "KHM");
    }
}
