//! The account contract: users, their role and organisation, sessions and API tokens, login
//! failures. Password hashing and token generation belong to the server; the store keeps only
//! argon2 PHC strings and SHA-256 digests of bearer secrets.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Result, StoreError};

/// What a user may do. Each role includes what the roles before it in the workflow may do:
/// viewer < data entry < reviewer < approver < administrator; the victim-assistance officer is
/// a viewer who may also read and enter victims' personal data. Two roles exist only on a
/// regional hub: the regional analyst reads every country's shared data, the national viewer
/// only the country whose node id is the account's organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads approved data and the reports of the own organisation.
    Viewer,
    /// Writes and submits reports for the own organisation.
    DataEntry,
    /// Reconciles, links and rejects submitted reports.
    Reviewer,
    /// Approves submitted reports.
    Approver,
    /// Everything, including user accounts.
    Administrator,
    /// Victim-assistance officer: victims' personal data.
    VictimAssistance,
    /// Training officer: keeps the training and certification register and alone reads its
    /// personal data (a viewer otherwise).
    TrainingOfficer,
    /// On a regional hub: reads what every national node shares.
    RegionalAnalyst,
    /// On a regional hub: reads what one national node shares (the account's organisation is
    /// the node id, `KHM`).
    NationalViewer,
    /// EOD officer: reads the render-safe notes of the ordnance reference; a viewer otherwise.
    EodOfficer,
    /// Operations planner: writes task orders, prioritisation criteria and planning layers; a
    /// viewer otherwise.
    Planner,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 11] = [
        Role::Viewer,
        Role::DataEntry,
        Role::Reviewer,
        Role::Approver,
        Role::Administrator,
        Role::VictimAssistance,
        Role::TrainingOfficer,
        Role::RegionalAnalyst,
        Role::NationalViewer,
        Role::EodOfficer,
        Role::Planner,
    ];

    /// Stable code (stored, and used on the CLI and in the API).
    pub fn code(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::DataEntry => "data_entry",
            Role::Reviewer => "reviewer",
            Role::Approver => "approver",
            Role::Administrator => "administrator",
            Role::VictimAssistance => "victim_assistance",
            Role::TrainingOfficer => "training_officer",
            Role::RegionalAnalyst => "regional_analyst",
            Role::NationalViewer => "national_viewer",
            Role::EodOfficer => "eod_officer",
            Role::Planner => "planner",
        }
    }

    /// Whether the role exists only on a regional hub.
    pub fn hub_only(self) -> bool {
        matches!(self, Role::RegionalAnalyst | Role::NationalViewer)
    }

    /// The role stored as `code` in the row of `owner` (`account sokha`); an unknown code is
    /// corrupt data.
    pub(crate) fn stored(code: &str, owner: impl FnOnce() -> String) -> Result<Role> {
        code.parse()
            .map_err(|e: String| StoreError::corrupt(owner(), e))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let wanted = s.trim().to_lowercase().replace(['-', ' '], "_");
        Role::ALL
            .into_iter()
            .find(|r| r.code() == wanted)
            .ok_or_else(|| {
                let codes: Vec<_> = Role::ALL.iter().map(|r| r.code()).collect();
                format!("unknown role `{s}`; use one of {}", codes.join(", "))
            })
    }
}

/// Refuses an account of a hub-only role where it cannot work: `nodes` are the node ids
/// registered at this hub (None: the programme is no hub). A national viewer's organisation
/// must be one of them.
pub(crate) fn check_hub_role(account: &NewAccount, nodes: Option<&[String]>) -> Result<()> {
    if !account.role.hub_only() {
        return Ok(());
    }
    let Some(nodes) = nodes else {
        return Err(StoreError::Account(format!(
            "role {} exists only on a regional hub (`safeground hub init`); give user `{}` \
             another role here",
            account.role, account.username
        )));
    };
    let organisation = account.organisation.trim();
    if account.role == Role::NationalViewer && !nodes.iter().any(|n| n == organisation) {
        return Err(StoreError::Account(format!(
            "a national viewer's organisation is the node id of the country they see; `{}` is \
             no node of this hub (nodes: {}); register the node first (`safeground hub \
             add-node`) or give one of these",
            organisation,
            if nodes.is_empty() {
                "none yet".to_owned()
            } else {
                nodes.join(", ")
            }
        )));
    }
    Ok(())
}

/// A user account (never carries the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// Login name (case-insensitive, unique).
    pub username: String,
    /// Name shown in the UI and the audit log.
    pub display_name: String,
    /// Organisation local id, e.g. `ORG-HALO`.
    pub organisation: String,
    /// What the user may do.
    pub role: Role,
    /// Disabled accounts cannot log in and their sessions and tokens stop working.
    pub disabled: bool,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Login name: 1–64 characters of `a-z 0-9 . _ - @`.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Organisation local id.
    pub organisation: String,
    /// Role.
    pub role: Role,
    /// argon2 PHC string.
    pub password_hash: String,
}

/// What a bearer secret is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// A browser session (cookie), with an expiry.
    Session,
    /// A machine's API token (`Authorization: Bearer`), until revoked.
    ApiToken,
}

impl CredentialKind {
    fn code(self) -> &'static str {
        match self {
            CredentialKind::Session => "session",
            CredentialKind::ApiToken => "api_token",
        }
    }

    /// Parses a stored code.
    pub(crate) fn from_code(code: &str) -> Option<Self> {
        match code {
            "session" => Some(CredentialKind::Session),
            "api_token" => Some(CredentialKind::ApiToken),
            _ => None,
        }
    }

    /// Stored code.
    pub(crate) fn as_code(self) -> &'static str {
        self.code()
    }
}

/// A valid session or API token with the account it belongs to.
#[derive(Debug, Clone)]
pub struct Credential {
    /// The account.
    pub account: Account,
    /// Session or API token.
    pub kind: CredentialKind,
    /// Label of an API token.
    pub label: Option<String>,
    /// Expiry (None: until revoked).
    pub expires_at: Option<DateTime<Utc>>,
}

/// A session or API token as listed to its owner: never the secret, only its SHA-256.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialInfo {
    /// SHA-256 of the secret, hex (the secret cannot be derived from it).
    pub token_hash: String,
    /// Session or API token.
    pub kind: CredentialKind,
    /// Label of an API token.
    pub label: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Expiry (None: until revoked).
    pub expires_at: Option<DateTime<Utc>>,
}

impl NewAccount {
    /// Checks an account before any backend writes it: a valid login name, a display name and
    /// an organisation.
    pub(crate) fn check(&self) -> Result<()> {
        check_username(&self.username).map_err(StoreError::Account)?;
        if self.display_name.trim().is_empty() || self.organisation.trim().is_empty() {
            return Err(StoreError::Account(
                "a user needs a display name and an organisation".into(),
            ));
        }
        Ok(())
    }
}

/// Checks a login name: 1–64 characters of `a-z 0-9 . _ - @` (case-insensitive).
pub fn check_username(username: &str) -> std::result::Result<(), String> {
    let ok = !username.is_empty()
        && username.len() <= 64
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "user name `{username}` is not valid: use 1–64 letters, digits, `.`, `_`, `-` or `@`"
        ))
    }
}

/// The contract for user accounts and credentials; every change is audited.
pub trait AccountStore {
    /// Creates an account; fails if the user name is taken or invalid.
    fn add_account(&mut self, actor: &str, account: &NewAccount) -> Result<Account>;
    /// All accounts, by user name.
    fn accounts(&self) -> Result<Vec<Account>>;
    /// One account.
    fn account(&self, username: &str) -> Result<Option<Account>>;
    /// The password hash of an enabled account (None when unknown or disabled).
    fn password_hash(&self, username: &str) -> Result<Option<String>>;
    /// Disables or re-enables an account; disabling revokes its sessions and tokens.
    fn set_account_disabled(&mut self, actor: &str, username: &str, disabled: bool) -> Result<()>;
    /// Replaces the password hash and revokes every session and token of the account.
    fn set_password_hash(&mut self, actor: &str, username: &str, hash: &str) -> Result<()>;
    /// Stores a new session or API token (its secret's SHA-256, hex).
    fn add_credential(
        &mut self,
        username: &str,
        token_hash: &str,
        kind: CredentialKind,
        label: Option<&str>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<()>;
    /// The credential for a secret's hash, if it exists, has not expired at `now` and its
    /// account is enabled.
    fn credential(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Credential>>;
    /// The sessions and API tokens of an account not expired at `now`, newest first.
    fn credentials(&self, username: &str, now: DateTime<Utc>) -> Result<Vec<CredentialInfo>>;
    /// Revokes one session or token (logout).
    fn revoke_credential(&mut self, actor: &str, token_hash: &str) -> Result<()>;
    /// Failed logins for a user name since a time (for rate limiting).
    fn login_failures_since(&self, username: &str, since: DateTime<Utc>) -> Result<u32>;
    /// Records a login attempt in the audit log; a failure also counts for rate limiting and a
    /// success clears the count.
    fn record_login(&mut self, username: &str, success: bool, detail: &str) -> Result<()>;
    /// Appends an entry to the audit log (reads of personal data, exports, ...).
    fn record_audit(
        &mut self,
        actor: &str,
        action: &str,
        target: &str,
        detail: Option<&str>,
    ) -> Result<()>;
}
