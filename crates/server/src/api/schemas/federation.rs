//! Signed documents of the federation (reference sets, training summaries, library manifests).

use serde::Serialize;
use utoipa::ToSchema;

/// A signed federation document: `payload` is JSON signed as it is (ed25519 over a domain tag
/// and the payload's bytes), so it is verified before it is parsed.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedDocumentDoc {
    /// Format of the document (1).
    pub format: u16,
    /// The signed JSON, as a string.
    pub payload: String,
    /// The ed25519 signature, base64.
    pub signature: String,
}
