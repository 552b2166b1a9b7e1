//! Sessions, tokens, accounts, the audit log, record pages and tile metadata.

use super::*;

/// What the user's role allows.
#[derive(Serialize, ToSchema)]
pub struct Permissions {
    /// Write and submit reports.
    pub write_reports: bool,
    /// Review submitted reports.
    pub review: bool,
    /// Approve reports.
    pub approve: bool,
    /// Manage accounts and read the audit log.
    pub manage_users: bool,
    /// Read and enter victims' personal data (also while a break-glass grant is open).
    pub personal_data: bool,
    /// Open a break-glass grant (national approvers and administrators, unless the server
    /// runs with `--no-break-glass`).
    pub break_glass: bool,
}

/// The logged-in user.
#[derive(Serialize, ToSchema)]
pub struct Me {
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// viewer, data_entry, reviewer, approver, administrator, victim_assistance; on a
    /// regional hub also regional_analyst or national_viewer (organisation: the node id).
    pub role: String,
    /// Organisation local id.
    pub organisation: String,
    /// Whether the organisation is the national authority (sees every organisation's data).
    pub national: bool,
    /// What the role allows.
    pub may: Permissions,
    /// The user's open break-glass grant (null when none).
    pub break_glass: Option<crate::api::break_glass::ActiveGrant>,
    /// Ended break-glass grants waiting for a review (administrators and victim-assistance
    /// officers only).
    pub break_glass_reviews: Option<usize>,
}

/// A new API token, shown once.
#[derive(Serialize, ToSchema)]
pub struct NewToken {
    /// The secret, sent as `Authorization: Bearer <token>`.
    pub token: String,
    /// Its id, to list or revoke it.
    pub id: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
    /// A reminder to store it safely.
    pub note: String,
}

/// One session or API token of the current user.
#[derive(Serialize, ToSchema)]
pub struct TokenInfo {
    /// Id (the start of the token's digest).
    pub id: String,
    /// `session` or `api_token`.
    pub kind: String,
    /// What it is for.
    pub label: Option<String>,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it stops working (RFC 3339).
    pub expires_at: Option<String>,
    /// Whether this request used it.
    pub current: bool,
}

/// The current user's sessions and tokens.
#[derive(Serialize, ToSchema)]
pub struct TokenList {
    /// Newest first.
    pub tokens: Vec<TokenInfo>,
}

/// One term of a vocabulary.
#[derive(Serialize, ToSchema)]
pub struct Term {
    /// Code stored in records.
    pub code: String,
    /// English label.
    pub label: String,
}

/// The server settings the UI reads.
#[derive(Serialize, ToSchema)]
pub struct UiConfig {
    /// Raster basemap URL template, when one is configured.
    pub basemap_url: Option<String>,
    /// The server's version.
    pub version: String,
    /// Whether the programme is a regional hub (the UI then shows its Region page).
    pub hub: bool,
    /// Whether the server runs as a federation node (`serve --node-key FILE`): the UI then
    /// shows administrators the Sharing page.
    pub node: bool,
}

/// The answer to a login (the session cookie comes with it).
#[derive(Serialize, ToSchema)]
pub struct LoggedIn {
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// viewer, data_entry, reviewer, approver, administrator, victim_assistance; on a
    /// regional hub also regional_analyst or national_viewer (organisation: the node id).
    pub role: String,
    /// Organisation local id.
    pub organisation: String,
    /// Lifetime of the session, hours.
    pub session_hours: i64,
}

/// A user account.
#[derive(Serialize, ToSchema)]
pub struct UserAccount {
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Organisation local id.
    pub organisation: String,
    /// viewer, data_entry, reviewer, approver, administrator, victim_assistance; on a
    /// regional hub also regional_analyst or national_viewer (organisation: the node id).
    pub role: String,
    /// Disabled accounts cannot log in.
    pub disabled: bool,
    /// When it was created (RFC 3339).
    pub created_at: String,
}

/// The accounts.
#[derive(Serialize, ToSchema)]
pub struct UserList {
    /// Every account.
    pub users: Vec<UserAccount>,
}

/// A created account.
#[derive(Serialize, ToSchema)]
pub struct CreatedUser {
    /// The account.
    pub user: UserAccount,
    /// The generated password, when none was given (shown once).
    pub password: Option<String>,
}

/// A password reset.
#[derive(Serialize, ToSchema)]
pub struct PasswordWasReset {
    /// Login name.
    pub user: String,
    /// The generated password, when none was given (shown once).
    pub password: Option<String>,
}

/// One line of the audit log.
#[derive(Serialize, ToSchema)]
pub struct AuditLine {
    /// Position in the log.
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What (`report.approve`, `login.failed`, ...).
    pub action: String,
    /// On what (`report:12`, `HAZ-000003`).
    pub target: String,
    /// Extra detail.
    pub detail: Option<String>,
}

/// Links of a page.
#[derive(Serialize, ToSchema)]
pub struct PageLinks {
    /// The next page, while there is one.
    pub next: Option<String>,
}

/// One page of the audit log, newest first.
#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    /// The lines.
    pub entries: Vec<AuditLine>,
    /// Lines matching the filters in all pages.
    pub total: u64,
    /// `before` of the next page, while there is one.
    pub next_before: Option<i64>,
    /// The next page's URL.
    pub links: PageLinks,
}

/// One page of flat records of a kind.
#[derive(Serialize, ToSchema)]
pub struct RecordPage {
    /// The kind listed.
    pub kind: String,
    /// Records matching the filters, all pages together.
    pub total: u64,
    /// Field names: `id`, `date_of_information`, then the record's fields by name.
    pub columns: Vec<String>,
    /// One object per record, field name to value (objects and arrays as JSON text).
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Value>,
}

/// A vector layer of a TileJSON.
#[derive(Serialize, ToSchema)]
pub struct VectorLayer {
    /// Layer id inside the tiles.
    pub id: String,
    /// Attribute name to type (`String`, `Number`).
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
}

/// A TileJSON 3.0 document.
#[derive(Serialize, ToSchema)]
pub struct TileJson {
    /// Always `3.0.0`.
    pub tilejson: String,
    /// Layer name.
    pub name: String,
    /// URL template of the tiles.
    pub tiles: Vec<String>,
    /// Lowest zoom.
    pub minzoom: u8,
    /// Highest zoom.
    pub maxzoom: u8,
    /// West, south, east, north of the layer's features.
    pub bounds: [f64; 4],
    /// The one vector layer.
    pub vector_layers: Vec<VectorLayer>,
}
