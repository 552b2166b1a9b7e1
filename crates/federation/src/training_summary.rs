//! Training figures flowing up: a national node signs a *training summary* — participation by
//! competency, sex, age band and year, certificates issued, certificates valid now — with its
//! node key, and the hub keeps each node's latest one (issue 25: "aggregates (no names) shared
//! with the hub").
//!
//! Training records are not approved item versions, so they do not travel in bundles: the
//! summary is a small document of counts, made whole from the register each time.
//!
//! **What is never in it**: names, person ids, contacts, national ID numbers, certificate
//! codes — and organisations: the hub's figures are per country, and an organisation beside
//! competency × sex × age band × year would single out the one woman EOD-4 of an operator.
//! The payload refuses any field it does not define (`deny_unknown_fields`), so a newer node
//! cannot slip one in unnoticed. Small counts are sent as they are: the hub suppresses them
//! when it publishes (as it does casualties), and a region's cell adds raw counts first.
//!
//! # Format (version 1)
//!
//! A JSON document; `payload` is the summary as a JSON string, signed as it is with
//! [`DOMAIN`] before it (distinct from bundles' and the reference data's, so no signature of
//! one kind verifies as another):
//!
//! ```json
//! {"format": 1, "payload": "{\"node\":\"KHM\",\"generated_at\":\"…\",\"rows\":[…],
//!  \"valid_certificates\":[…]}", "signature": "<ed25519 signature, base64>"}
//! ```
//!
//! with payload `{node, generated_at, rows: [{competency, sex, age_band, year, participants,
//! certificates}], valid_certificates: [{competency, count}]}`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, SubsecRound, Utc};
use safeground_model::Sex;
use safeground_store::TrainingStore;
use safeground_store::training::{AGE_BANDS, Certificate, CertificateState, Competency, FigureRow};
use serde::{Deserialize, Serialize};

use crate::node_summary::{self, NodeSummary, Received};
use crate::{FederationError, NodeCard, NodeId, NodeKey};

/// Signed before the payload.
pub const DOMAIN: &[u8] = b"safeground-federation-training-summary\0";

/// The largest summary document accepted (9 competencies × 3 sexes × 5 bands × decades of
/// years is well under 1 MB).
pub const MAX_DOCUMENT: usize = 4 << 20;

/// A node's training figures, without names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSummary {
    /// The node (its card's id).
    pub node: NodeId,
    /// When it was made from the register: the hub keeps only a newer one.
    pub generated_at: DateTime<Utc>,
    /// Participants and certificates issued per competency × sex × age band × year.
    pub rows: Vec<SummaryRow>,
    /// Certificates valid at `generated_at`, per competency.
    pub valid_certificates: Vec<ValidCertificates>,
}

/// Counts of a competency, sex, age band and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryRow {
    /// The competency (its code: `eod_1`, `manual_deminer`, …).
    #[serde(with = "competency_code")]
    pub competency: Competency,
    /// The participants' sex.
    pub sex: Sex,
    /// Their age band in that year (`under_25`, `25_34`, `35_44`, `45_54`, `55_plus`).
    pub age_band: String,
    /// Year of the session's start (participants) or of the certificate's issue.
    pub year: i32,
    /// Participants enrolled in sessions starting that year.
    pub participants: u64,
    /// Certificates issued that year.
    pub certificates: u64,
}

/// Certificates of a competency valid on the summary's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidCertificates {
    /// The competency (its code).
    #[serde(with = "competency_code")]
    pub competency: Competency,
    /// Certificates valid (not expired, suspended nor withdrawn).
    pub count: u64,
}

/// A competency as its stable code (`eod_1`), as the register's API and CLI write it.
mod competency_code {
    use safeground_store::training::Competency;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(c: &Competency, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(c.code())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Competency, D::Error> {
        let code = String::deserialize(d)?;
        Competency::ALL
            .into_iter()
            .find(|c| c.code() == code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown competency `{code}`")))
    }
}

fn invalid(reason: impl Into<String>) -> FederationError {
    FederationError::TrainingSummary {
        reason: reason.into(),
    }
}

impl TrainingSummary {
    /// The summary of a register: its figures with the organisations added up, and the
    /// certificates valid on `generated_at`'s day per competency.
    pub fn from_register(
        node: NodeId,
        generated_at: DateTime<Utc>,
        figures: &[FigureRow],
        certificates: &[Certificate],
    ) -> TrainingSummary {
        type Key = (Competency, Sex, &'static str, i32);
        let mut rows: BTreeMap<Key, (u64, u64)> = BTreeMap::new();
        for f in figures {
            let r = rows
                .entry((f.competency, f.sex, f.age_band, f.year))
                .or_default();
            r.0 += f.participants;
            r.1 += f.certificates;
        }
        // Whole seconds: the hub compares dates to the microsecond it stores.
        let generated_at = generated_at.trunc_subsecs(0);
        let day = generated_at.date_naive();
        let mut valid: BTreeMap<Competency, u64> = BTreeMap::new();
        for c in certificates {
            if c.state_on(day) == CertificateState::Valid {
                *valid.entry(c.competency).or_default() += 1;
            }
        }
        TrainingSummary {
            node,
            generated_at,
            rows: (rows.into_iter())
                .map(
                    |((competency, sex, band, year), (participants, certificates))| SummaryRow {
                        competency,
                        sex,
                        age_band: band.to_owned(),
                        year,
                        participants,
                        certificates,
                    },
                )
                .collect(),
            valid_certificates: (valid.into_iter())
                .map(|(competency, count)| ValidCertificates { competency, count })
                .collect(),
        }
    }

    /// The summary of the register `store` keeps, made now for `node`.
    pub fn of_register<S: TrainingStore + ?Sized>(
        store: &S,
        node: NodeId,
        now: DateTime<Utc>,
    ) -> safeground_store::Result<TrainingSummary> {
        Ok(TrainingSummary::from_register(
            node,
            now,
            &store.training_figures()?,
            &store.certificates()?,
        ))
    }

    /// Checks the figures: known age bands, plausible years, each key once.
    fn check(&self) -> Result<(), FederationError> {
        let latest = self.generated_at.year() + 1;
        let mut keys = BTreeSet::new();
        for (i, r) in self.rows.iter().enumerate() {
            let row = i + 1;
            if !AGE_BANDS.contains(&r.age_band.as_str()) {
                return Err(invalid(format!(
                    "row {row}: age_band `{}` is not one of {}",
                    r.age_band,
                    AGE_BANDS.join(", ")
                )));
            }
            if !(1900..=latest).contains(&r.year) {
                return Err(invalid(format!(
                    "row {row}: year {} is not between 1900 and {latest}",
                    r.year
                )));
            }
            if !keys.insert((r.competency, r.sex, r.age_band.as_str(), r.year)) {
                return Err(invalid(format!(
                    "row {row}: {} {} {} {} is given twice",
                    r.competency,
                    r.sex.code(),
                    r.age_band,
                    r.year
                )));
            }
        }
        let mut seen = BTreeSet::new();
        for v in &self.valid_certificates {
            if !seen.insert(v.competency) {
                return Err(invalid(format!(
                    "valid_certificates: {} is given twice",
                    v.competency
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
        node_summary::claimed_node::<TrainingSummary>(document)
    }

    /// Verifies a document with the node's card and reads it: the size, the format, the
    /// signature (of the card's key, over the payload), the node (the card's), the date (not
    /// ahead of `now` by more than a day) and the figures.
    pub fn verify(
        document: &str,
        card: &NodeCard,
        now: DateTime<Utc>,
    ) -> Result<TrainingSummary, FederationError> {
        node_summary::verify(document, card, now)
    }

    /// Reads a document the hub verified when it received it, without verifying again.
    pub fn received(document: &str) -> Result<TrainingSummary, FederationError> {
        node_summary::received(document)
    }
}

impl NodeSummary for TrainingSummary {
    const DOMAIN: &'static [u8] = DOMAIN;
    const MAX_DOCUMENT: usize = MAX_DOCUMENT;
    const NAME: &'static str = "training summary";

    fn node(&self) -> &NodeId {
        &self.node
    }

    fn generated_at(&self) -> DateTime<Utc> {
        self.generated_at
    }

    fn check(&self) -> Result<(), FederationError> {
        TrainingSummary::check(self)
    }

    fn invalid(reason: String) -> FederationError {
        invalid(reason)
    }
}

/// A document received at the hub, to store with
/// [`HubTrainingStore::put_training_summary`](safeground_store::HubTrainingStore::put_training_summary),
/// which verifies it with its node's registered card.
pub type ReceivedSummary = Received<TrainingSummary>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signed::Signed;
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use chrono::NaiveDate;
    use safeground_store::training::CertificateStatus;

    fn id(s: &str) -> NodeId {
        NodeId::new(s).expect("node id")
    }

    fn figure(org: &str, c: Competency, sex: Sex, band: &'static str, year: i32) -> FigureRow {
        FigureRow {
            organisation: org.into(),
            competency: c,
            sex,
            age_band: band,
            year,
            participants: 3,
            certificates: 2,
        }
    }

    fn certificate(c: Competency, expires: &str, status: CertificateStatus) -> Certificate {
        Certificate {
            id: 1,
            code: "ABCDEFGHJKMNPQRSTVWX".into(),
            person_id: "P-000001".into(),
            competency: c,
            issued_on: NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
            expires_on: expires.parse().expect("date"),
            assessment_id: 1,
            status,
            status_reason: None,
            status_date: None,
            issued_by: "officer".into(),
        }
    }

    fn summary(node: &str) -> TrainingSummary {
        let at = "2026-06-01T08:00:00Z".parse().expect("time");
        TrainingSummary::from_register(
            id(node),
            at,
            &[
                figure("ORG-HALO", Competency::Nts, Sex::Female, "25_34", 2025),
                figure("ORG-MAG", Competency::Nts, Sex::Female, "25_34", 2025),
                figure("ORG-MAG", Competency::Eod1, Sex::Male, "55_plus", 2026),
            ],
            &[
                certificate(Competency::Nts, "2027-01-01", CertificateStatus::Valid),
                certificate(Competency::Nts, "2026-05-31", CertificateStatus::Valid),
                certificate(Competency::Eod1, "2027-01-01", CertificateStatus::Suspended),
                certificate(Competency::Eod1, "2027-01-01", CertificateStatus::Valid),
            ],
        )
    }

    fn now() -> DateTime<Utc> {
        "2026-06-02T00:00:00Z".parse().expect("time")
    }

    #[test]
    fn organisations_are_added_up_and_valid_certificates_counted() {
        let s = summary("KHM");
        assert_eq!(s.rows.len(), 2);
        let nts = &s.rows.iter().find(|r| r.competency == Competency::Nts);
        let nts = nts.expect("nts row");
        assert_eq!((nts.participants, nts.certificates), (6, 4));
        assert_eq!(
            s.valid_certificates,
            [
                ValidCertificates {
                    competency: Competency::Eod1,
                    count: 1
                },
                ValidCertificates {
                    competency: Competency::Nts,
                    count: 1
                }
            ]
        );
        let json = serde_json::to_string(&s).expect("json");
        assert!(json.contains("\"competency\":\"eod_1\""), "{json}");
        for never in ["ORG-", "P-0000", "ABCDEFGH", "organisation", "person"] {
            assert!(!json.contains(never), "{never} in {json}");
        }
    }

    #[test]
    fn a_signed_summary_verifies_with_its_nodes_card_only() {
        let key = NodeKey::generate(id("KHM")).expect("key");
        let card = key.card("Cambodia").expect("card");
        let doc = summary("KHM").sign(&key).expect("signed");
        assert_eq!(
            TrainingSummary::verify(&doc, &card, now()).expect("verified"),
            summary("KHM")
        );
        assert_eq!(
            TrainingSummary::claimed_node(&doc).expect("node"),
            id("KHM")
        );
        assert_eq!(
            TrainingSummary::received(&doc).expect("read"),
            summary("KHM")
        );

        // Tampered: a count changed after signing.
        let tampered = doc.replacen("\\\"participants\\\":6", "\\\"participants\\\":60", 1);
        assert_ne!(tampered, doc);
        let e = TrainingSummary::verify(&tampered, &card, now()).expect_err("tampered");
        assert!(e.to_string().contains("does not verify"), "{e}");

        // Another key of the same node id: refused.
        let foreign = NodeKey::generate(id("KHM")).expect("key");
        let e = TrainingSummary::verify(&doc, &foreign.card("x").expect("card"), now())
            .expect_err("foreign key");
        assert!(e.to_string().contains("does not verify"), "{e}");

        // The summary of another node, signed by that node: not this card's node.
        let lao = NodeKey::generate(id("LAO")).expect("key");
        let lao_doc = summary("LAO").sign(&lao).expect("signed");
        let lao_card = NodeCard {
            node: id("KHM"),
            ..lao.card("Lao").expect("card")
        };
        let e = TrainingSummary::verify(&lao_doc, &lao_card, now()).expect_err("wrong node");
        assert!(e.to_string().contains("node LAO's"), "{e}");
        // A key signs only its own node's summary.
        let e = summary("KHM").sign(&lao).expect_err("wrong key");
        assert!(e.to_string().contains("the key is node LAO's"), "{e}");

        // A bundle's signature over the same payload is not a summary's: the domain differs.
        let doc2: Signed = serde_json::from_str(&doc).expect("doc");
        let other_domain = key.sign(doc2.payload.as_bytes());
        let forged = serde_json::to_string(&Signed {
            signature: BASE64.encode(other_domain.to_bytes()),
            ..doc2
        })
        .expect("json");
        assert!(TrainingSummary::verify(&forged, &card, now()).is_err());
    }

    #[test]
    fn malformed_documents_are_refused_naming_why() {
        let key = NodeKey::generate(id("KHM")).expect("key");
        let card = key.card("Cambodia").expect("card");
        let doc = summary("KHM").sign(&key).expect("signed");
        let e = TrainingSummary::verify("{}", &card, now()).expect_err("empty");
        assert!(
            e.to_string().contains("not a training summary document"),
            "{e}"
        );
        let v2 = doc.replacen("\"format\": 1", "\"format\": 2", 1);
        let e = TrainingSummary::verify(&v2, &card, now()).expect_err("format");
        assert!(e.to_string().contains("format 2 is not supported"), "{e}");
        let e = TrainingSummary::verify(&doc, &card, "2026-05-01T00:00:00Z".parse().expect("t"))
            .expect_err("from the future");
        assert!(e.to_string().contains("ahead of this clock"), "{e}");

        // A field the format does not define (a name) is refused even when signed.
        let mut s = summary("KHM");
        s.rows[0].age_band = "teenager".into();
        let e = s.sign(&key).expect_err("band");
        assert!(e.to_string().contains("row 1: age_band `teenager`"), "{e}");
        let mut s = summary("KHM");
        s.rows.push(s.rows[0].clone());
        assert!(
            s.sign(&key)
                .expect_err("twice")
                .to_string()
                .contains("given twice")
        );
        let payload = serde_json::to_string(&summary("KHM"))
            .expect("json")
            .replacen(
                "\"participants\"",
                "\"name\":\"Sok Dara\",\"participants\"",
                1,
            );
        let signed = serde_json::to_string(&Signed {
            format: crate::signed::FORMAT,
            signature: BASE64.encode(
                key.sign(&crate::signed::message(DOMAIN, &payload))
                    .to_bytes(),
            ),
            payload,
        })
        .expect("json");
        let e = TrainingSummary::verify(&signed, &card, now()).expect_err("a name");
        assert!(e.to_string().contains("unknown field `name`"), "{e}");
    }
}
