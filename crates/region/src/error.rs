//! Why regional figures could not be computed.

use safeground_model::ItemKind;
use safeground_store::StoreError;

/// Why regional figures could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum RegionError {
    /// Reading the hub failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A shared record does not have the shape of its kind.
    #[error(
        "the {kind} {item} shared by node {node} cannot be read ({message}); ask {node} to \
         correct and share it again, or re-import its bundles"
    )]
    Record {
        /// The node that shared it.
        node: String,
        /// The item's UUID at its node.
        item: String,
        /// Its kind.
        kind: ItemKind,
        /// What is wrong.
        message: String,
    },
    /// A node's training summary held by the hub cannot be read.
    #[error(
        "the training summary of node {node} cannot be read ({message}); import a new one \
         from {node}"
    )]
    Training {
        /// The node.
        node: String,
        /// What is wrong.
        message: String,
    },
    /// Writing the report failed.
    #[error(transparent)]
    Report(#[from] safeground_report::ReportError),
}
