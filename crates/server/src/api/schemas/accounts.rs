//! Requests of victim-assistance account changes.

use super::*;

/// An account change waiting for a second administrator.
#[derive(Serialize, ToSchema)]
pub struct AccountRequestDoc {
    /// Request id.
    pub id: i64,
    /// `create` or `reset_password`.
    pub action: String,
    /// The account's user name.
    pub username: String,
    /// Display name (of a new account).
    pub display_name: String,
    /// Organisation (of a new account).
    pub organisation: String,
    /// Role (of a new account).
    pub role: String,
    /// The administrator who asked.
    pub requested_by: String,
    /// When (RFC 3339).
    pub requested_at: String,
}

/// Pending account requests.
#[derive(Serialize, ToSchema)]
pub struct AccountRequestList {
    /// Oldest first.
    #[schema(value_type = Vec<AccountRequestDoc>)]
    pub requests: Vec<safeground_store::AccountRequest>,
}

/// A recorded request: a second administrator must confirm it.
#[derive(Serialize, ToSchema)]
pub struct AccountRequestAccepted {
    /// Request id.
    pub request: i64,
    /// `create` or `reset_password`.
    #[schema(value_type = String)]
    pub action: safeground_store::AccountAction,
    /// The account's user name.
    pub user: String,
    /// Always `pending`.
    pub status: String,
    /// What happens next.
    pub detail: String,
}

/// A confirmed request.
#[derive(Serialize, ToSchema)]
pub struct ConfirmedRequest {
    /// Request id.
    pub request: i64,
    /// `create` or `reset_password`.
    #[schema(value_type = String)]
    pub action: safeground_store::AccountAction,
    /// The account's user name.
    pub user: String,
    /// The account's role.
    #[schema(value_type = String)]
    pub role: safeground_store::Role,
    /// The generated password, shown once.
    pub password: String,
}
