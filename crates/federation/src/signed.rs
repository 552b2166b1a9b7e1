//! The envelope of the federation's signed JSON documents (reference sets, training summaries,
//! library manifests): `{"format": 1, "payload": "…", "signature": "…"}`, where `payload` is
//! the document's JSON as a string, signed as it is (ed25519 over a domain tag of its kind and
//! the payload's bytes), so no canonical JSON is needed and nothing is parsed before it is
//! verified. Each kind words its refusals in its own error; this module gives the messages.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::NodeKey;

/// The format written and read.
pub(crate) const FORMAT: u16 = 1;

/// The signed document.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Signed {
    pub(crate) format: u16,
    pub(crate) payload: String,
    pub(crate) signature: String,
}

/// What is signed: the kind's domain tag, then the payload.
pub(crate) fn message(domain: &[u8], payload: &str) -> Vec<u8> {
    let mut m = Vec::with_capacity(domain.len() + payload.len());
    m.extend_from_slice(domain);
    m.extend_from_slice(payload.as_bytes());
    m
}

impl Signed {
    /// Signs `payload` with `key` under `domain`: the document's text.
    pub(crate) fn seal(
        domain: &[u8],
        key: &NodeKey,
        payload: String,
    ) -> Result<String, serde_json::Error> {
        let signature = key.sign(&message(domain, &payload));
        serde_json::to_string_pretty(&Signed {
            format: FORMAT,
            signature: BASE64.encode(signature.to_bytes()),
            payload,
        })
    }

    /// Reads an envelope, not yet verified: at most `max` bytes (the `noun` in the message),
    /// JSON of this shape (else `not_json: …`), a format this Safeground reads.
    pub(crate) fn read(
        document: &str,
        max: usize,
        noun: &str,
        not_json: &str,
    ) -> Result<Signed, String> {
        if document.len() > max {
            return Err(format!(
                "the {noun} is {} bytes, more than the {max} accepted",
                document.len()
            ));
        }
        let doc: Signed = serde_json::from_str(document).map_err(|e| format!("{not_json}: {e}"))?;
        if doc.format != FORMAT {
            return Err(format!(
                "format {} is not supported (this Safeground reads format {FORMAT}); upgrade \
                 Safeground",
                doc.format
            ));
        }
        Ok(doc)
    }

    /// Whether the signature is `key`'s over the payload under `domain`; an error when it is
    /// not a signature at all (64 bytes of base64).
    pub(crate) fn verifies(&self, domain: &[u8], key: &VerifyingKey) -> Result<bool, String> {
        let bytes: [u8; 64] = (BASE64.decode(self.signature.trim()).ok())
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| "the signature is not 64 bytes of base64".to_owned())?;
        Ok(key
            .verify(
                &message(domain, &self.payload),
                &Signature::from_bytes(&bytes),
            )
            .is_ok())
    }
}
