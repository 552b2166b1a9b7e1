//! Changes of victim-assistance accounts that need a second administrator: creating such an
//! account or resetting its password is first requested by one administrator, and done only
//! when another one confirms it. Nobody alone can therefore give themselves a way into victims'
//! personal data. Requests and confirmations are audited.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{AccountStore, NewAccount, Result, Role, StoreError};

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountAction {
    /// Create the account.
    Create,
    /// Reset its password (sessions and tokens are revoked).
    ResetPassword,
}

impl AccountAction {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            AccountAction::Create => "create",
            AccountAction::ResetPassword => "reset_password",
        }
    }

    pub(crate) fn from_code(code: &str) -> Result<Self> {
        match code {
            "create" => Ok(AccountAction::Create),
            "reset_password" => Ok(AccountAction::ResetPassword),
            other => Err(StoreError::corrupt(
                "account request",
                format!("action {other}"),
            )),
        }
    }
}

/// A requested change of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountRequest {
    /// Request id.
    pub id: i64,
    /// What is asked.
    pub action: AccountAction,
    /// The account's user name.
    pub username: String,
    /// Display name (of a new account).
    pub display_name: String,
    /// Organisation (of a new account).
    pub organisation: String,
    /// Role (of a new account).
    pub role: Role,
    /// The administrator who asked.
    pub requested_by: String,
    /// When.
    pub requested_at: DateTime<Utc>,
}

/// The rows of requests, per backend.
pub(crate) trait RequestRows {
    /// Stores a pending request; its id.
    fn insert_request(&mut self, r: &AccountRequest) -> Result<i64>;
    /// Pending requests, oldest first.
    fn pending_requests(&self) -> Result<Vec<AccountRequest>>;
    /// Marks a pending request `status` (`confirmed` or back to `pending` from it); the
    /// request, or None when it was not in the state expected.
    fn set_request_status(
        &mut self,
        id: i64,
        from: &str,
        to: &str,
    ) -> Result<Option<AccountRequest>>;
}

/// Requests and confirmations of victim-assistance account changes.
pub trait AccountRequests {
    /// Records a request of `actor` (audited `account.request`); its id.
    fn request_account_change(
        &mut self,
        actor: &str,
        action: AccountAction,
        account: &NewAccount,
    ) -> Result<i64>;
    /// Requests waiting for a second administrator, oldest first.
    fn account_requests(&self) -> Result<Vec<AccountRequest>>;
    /// Confirms request `id` as `actor`, who must not be the administrator who asked: the
    /// account is created, or its password replaced, with `password_hash` (audited).
    fn confirm_account_request(
        &mut self,
        actor: &str,
        id: i64,
        password_hash: &str,
    ) -> Result<AccountRequest>;
}

impl<S: AccountStore + RequestRows> AccountRequests for S {
    fn request_account_change(
        &mut self,
        actor: &str,
        action: AccountAction,
        account: &NewAccount,
    ) -> Result<i64> {
        account.check()?;
        let known = self.account(&account.username)?;
        match (action, &known) {
            (AccountAction::Create, Some(_)) => {
                return Err(StoreError::Account(format!(
                    "user `{}` already exists; choose another name",
                    account.username
                )));
            }
            (AccountAction::ResetPassword, None) => {
                return Err(StoreError::Account(format!(
                    "no user `{}`; list users with `safeground users list`",
                    account.username
                )));
            }
            _ => {}
        }
        let request = AccountRequest {
            id: 0,
            action,
            username: account.username.clone(),
            display_name: account.display_name.trim().to_owned(),
            organisation: account.organisation.trim().to_owned(),
            role: known.map_or(account.role, |a| a.role),
            requested_by: actor.to_owned(),
            requested_at: Utc::now(),
        };
        let id = self.insert_request(&request)?;
        self.record_audit(
            actor,
            "account.request",
            &format!("user:{}", request.username),
            Some(&format!(
                "request {id}: {} ({}); a second administrator must confirm it",
                action.code(),
                request.role
            )),
        )?;
        Ok(id)
    }

    fn account_requests(&self) -> Result<Vec<AccountRequest>> {
        self.pending_requests()
    }

    fn confirm_account_request(
        &mut self,
        actor: &str,
        id: i64,
        password_hash: &str,
    ) -> Result<AccountRequest> {
        let pending = self.pending_requests()?.into_iter().find(|r| r.id == id);
        let Some(request) = pending else {
            return Err(StoreError::Account(format!(
                "no pending account request {id}; list them with GET /api/users/requests or \
                 `safeground users requests`"
            )));
        };
        if request.requested_by.eq_ignore_ascii_case(actor) {
            return Err(StoreError::Account(format!(
                "you asked for request {id}: a second administrator must confirm it"
            )));
        }
        if self
            .set_request_status(id, "pending", "confirmed")?
            .is_none()
        {
            return Err(StoreError::Account(format!(
                "account request {id} was confirmed meanwhile"
            )));
        }
        let done = match request.action {
            AccountAction::Create => self
                .add_account(
                    actor,
                    &NewAccount {
                        username: request.username.clone(),
                        display_name: request.display_name.clone(),
                        organisation: request.organisation.clone(),
                        role: request.role,
                        password_hash: password_hash.to_owned(),
                    },
                )
                .map(|_| ()),
            AccountAction::ResetPassword => {
                self.set_password_hash(actor, &request.username, password_hash)
            }
        };
        if let Err(e) = done {
            self.set_request_status(id, "confirmed", "pending")?;
            return Err(e);
        }
        self.record_audit(
            actor,
            "account.request_confirm",
            &format!("user:{}", request.username),
            Some(&format!(
                "request {id} of {}: {}",
                request.requested_by,
                request.action.code()
            )),
        )?;
        Ok(request)
    }
}
