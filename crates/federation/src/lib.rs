//! Regional federation's foundations: national programmes share approved, de-identified
//! records with a regional hub by signed bundles.
//!
//! * [`identity`]: a node's id, ed25519 key pair (private key file 0600) and public card.
//! * [`policy`]: what is shared and how it is de-identified ([`Policy::deidentify`]).
//! * [`bundle`]: the signed, compressed bundle file, written and verified in streaming.
//! * [`sequence`]: what the hub does with a verified bundle given its checkpoint.
//! * [`reference`]: reference data a hub publishes, signed, for its nodes to adopt.
//! * [`detector_summary`]: a node's detector metrics (no locations), signed, for its hub.
//! * [`training_summary`]: a node's training figures (no names), signed, for its hub.
//! * [`library_package`]: library documents a node sends its hub and a hub its nodes, signed.
//!
//! No store, server or command line here: they call this crate.

pub mod bundle;
pub mod detector_summary;
mod error;
pub mod identity;
pub mod library_package;
pub mod node_summary;
pub mod policy;
pub mod reference;
pub mod sequence;
mod signed;
pub mod training_summary;

pub use bundle::{
    BundleReader, BundleWriter, Entries, Entry, KindCounts, Manifest, Operation, VerifiedBundle,
};
pub use detector_summary::DetectorSummary;
pub use error::FederationError;
pub use identity::{NodeCard, NodeId, NodeKey};
pub use policy::{KindPolicy, Policy};
pub use reference::ReferenceSet;
pub use sequence::Decision;
pub use training_summary::TrainingSummary;
