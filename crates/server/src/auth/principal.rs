//! The authenticated user of a request and the permissions of each role.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use chrono::Utc;
use safeground_model::ItemKind;
use safeground_model::{OrganisationKind, Record};
use safeground_store::{Backend, BreakGlass, Flow, Role};

use super::password::secret_digest;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "sg_session";

/// Something a role may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read approved data and reports of the own organisation.
    Read,
    /// Create, edit and submit reports.
    WriteReports,
    /// Reconcile, link and reject submitted reports.
    Review,
    /// Approve submitted reports.
    Approve,
    /// Manage user accounts and read the audit log.
    ManageUsers,
    /// Read victims' personal data.
    PersonalData,
    /// Write task orders, prioritisation criteria and planning layers.
    Plan,
}

/// What each role may do.
pub fn allows(role: Role, p: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Viewer => p == Read,
        Role::DataEntry => matches!(p, Read | WriteReports),
        Role::Reviewer => matches!(p, Read | WriteReports | Review),
        Role::Approver => matches!(p, Read | WriteReports | Review | Approve),
        Role::Administrator => p != PersonalData,
        Role::VictimAssistance => matches!(p, Read | WriteReports | PersonalData),
        Role::TrainingOfficer => p == Read,
        Role::RegionalAnalyst | Role::NationalViewer => p == Read,
        Role::EodOfficer => p == Read,
        Role::Planner => matches!(p, Read | Plan),
    }
}

/// The user behind a request.
#[derive(Debug, Clone)]
pub struct Principal {
    /// Login name (the actor in the audit log).
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Organisation local id.
    pub organisation: String,
    /// Users of the national authority (or centre) see and act on every organisation's
    /// reports; operators only on their own.
    pub national: bool,
    /// Digest of the secret used (to log out the session).
    pub secret_digest: String,
    /// The user's open break-glass grant: while it lasts, victims' personal data may be read,
    /// each read audited naming it.
    pub break_glass: Option<BreakGlass>,
}

impl Principal {
    /// Whether the role allows `p` (personal data also under an open break-glass grant).
    pub fn can(&self, p: Permission) -> bool {
        allows(self.role, p) || (p == Permission::PersonalData && self.break_glass.is_some())
    }

    /// Whether the user may open a break-glass grant: an approver or administrator of the
    /// national authority (or centre).
    pub fn may_break_glass(&self) -> bool {
        may_break_glass(self.role, self.national)
    }

    /// The audit detail of a personal-data read: the grant it is made under, if any.
    pub fn personal_read_detail(&self) -> Option<String> {
        self.break_glass.as_ref().map(BreakGlass::audit_detail)
    }

    /// Fails with 403 unless the role allows `p`.
    pub fn require(&self, p: Permission) -> ApiResult<()> {
        if self.can(p) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "your role ({}) does not allow this ({p:?}); ask an administrator",
                self.role
            )))
        }
    }

    /// The national nodes whose shared data the user may see on a regional hub: a national
    /// viewer only their own (the account's organisation is the node id), everyone else all
    /// (None).
    pub fn node_scope(&self) -> Option<Vec<String>> {
        (self.role == Role::NationalViewer).then(|| vec![self.organisation.clone()])
    }

    /// Whether the user may see the shared data of node `node` on a regional hub.
    pub fn sees_node(&self, node: &str) -> bool {
        self.node_scope()
            .is_none_or(|nodes| nodes.iter().any(|n| n == node))
    }

    /// Whether the user may see reports of `organisation`.
    pub fn sees_organisation(&self, organisation: Option<&str>) -> bool {
        self.national || organisation == Some(self.organisation.as_str())
    }
}

/// Whether a user of `role` (of a national organisation when `national`) may open a break-glass
/// grant.
fn may_break_glass(role: Role, national: bool) -> bool {
    national && matches!(role, Role::Approver | Role::Administrator)
}

impl Principal {
    /// The principal of an account, for command-line tools that act as a user without a
    /// session (no break-glass grant).
    pub fn of_account(store: &dyn Backend, account: safeground_store::Account) -> ApiResult<Self> {
        let national = is_national(store, &account.organisation)?;
        Ok(Principal {
            username: account.username,
            display_name: account.display_name,
            role: account.role,
            organisation: account.organisation,
            national,
            secret_digest: String::new(),
            break_glass: None,
        })
    }
}

/// Whether an organisation (by local id) is a national authority or centre.
fn is_national(store: &dyn Backend, organisation: &str) -> ApiResult<bool> {
    let mut national = false;
    store.for_each_current(ItemKind::Organisation, None, &mut |v| {
        if let Record::Organisation(o) = v.record
            && (o.local_id == organisation || v.item == organisation)
        {
            national = matches!(
                o.organisation_type,
                OrganisationKind::NationalAuthority | OrganisationKind::NationalCentre
            );
            return Ok(Flow::Stop);
        }
        Ok(Flow::Continue)
    })?;
    Ok(national)
}

/// The secret presented by a request: `Authorization: Bearer`, else the session cookie.
fn presented_secret(parts: &Parts) -> Option<String> {
    if let Some(v) = parts.headers.get(header::AUTHORIZATION)
        && let Ok(v) = v.to_str()
        && let Some(token) = v.strip_prefix("Bearer ")
    {
        return Some(token.trim().to_owned());
    }
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_owned())
}

async fn authenticate(parts: &Parts, state: &AppState) -> ApiResult<Option<Principal>> {
    let Some(secret) = presented_secret(parts) else {
        return Ok(None);
    };
    let digest = secret_digest(&secret);
    let break_glass_on = state.config.break_glass;
    let found = state
        .db
        .read(move |s| {
            let Some(c) = s.credential(&digest, Utc::now())? else {
                return Ok(None);
            };
            let national = is_national(s, &c.account.organisation)?;
            let break_glass = if break_glass_on && may_break_glass(c.account.role, national) {
                s.active_break_glass(&c.account.username, Utc::now())?
            } else {
                None
            };
            Ok(Some(Principal {
                username: c.account.username,
                display_name: c.account.display_name,
                role: c.account.role,
                organisation: c.account.organisation,
                national,
                secret_digest: digest,
                break_glass,
            }))
        })
        .await?;
    match found {
        Some(p) => Ok(Some(p)),
        // A secret was sent but is unknown, expired or revoked: say so rather than serve the
        // anonymous view.
        None => Err(ApiError::unauthenticated()),
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        authenticate(parts, state)
            .await?
            .ok_or_else(ApiError::unauthenticated)
    }
}

/// The user if one is logged in (public OGC layers and tiles may be read anonymously).
#[derive(Debug, Clone)]
pub struct MaybePrincipal(pub Option<Principal>);

impl FromRequestParts<AppState> for MaybePrincipal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        Ok(MaybePrincipal(authenticate(parts, state).await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_grow_along_the_workflow_and_personal_data_is_apart() {
        for role in Role::ALL {
            assert!(allows(role, Permission::Read));
        }
        assert!(!allows(Role::Viewer, Permission::WriteReports));
        assert!(allows(Role::DataEntry, Permission::WriteReports));
        assert!(!allows(Role::DataEntry, Permission::Review));
        assert!(allows(Role::Reviewer, Permission::Review));
        assert!(!allows(Role::Reviewer, Permission::Approve));
        assert!(allows(Role::Approver, Permission::Approve));
        assert!(allows(Role::Administrator, Permission::ManageUsers));
        let personal: Vec<_> = Role::ALL
            .into_iter()
            .filter(|r| allows(*r, Permission::PersonalData))
            .collect();
        assert_eq!(personal, vec![Role::VictimAssistance]);
        use Permission::*;
        for role in [Role::RegionalAnalyst, Role::NationalViewer] {
            for p in [WriteReports, Review, Approve, ManageUsers, PersonalData] {
                assert!(!allows(role, p), "{role} may {p:?}");
            }
        }
    }

    #[test]
    fn a_national_viewer_sees_only_its_own_node() {
        let who = |role, organisation: &str| Principal {
            username: "u".into(),
            display_name: "U".into(),
            role,
            organisation: organisation.into(),
            national: false,
            secret_digest: String::new(),
            break_glass: None,
        };
        let khm = who(Role::NationalViewer, "KHM");
        assert_eq!(khm.node_scope(), Some(vec!["KHM".to_owned()]));
        assert!(khm.sees_node("KHM") && !khm.sees_node("LAO"));
        let analyst = who(Role::RegionalAnalyst, "ARMAC");
        assert_eq!(analyst.node_scope(), None);
        assert!(analyst.sees_node("KHM") && analyst.sees_node("LAO"));
    }

    #[test]
    fn only_national_approvers_and_administrators_break_glass() {
        let may: Vec<_> = Role::ALL
            .into_iter()
            .filter(|r| may_break_glass(*r, true))
            .collect();
        assert_eq!(may, vec![Role::Approver, Role::Administrator]);
        assert!(Role::ALL.into_iter().all(|r| !may_break_glass(r, false)));
    }
}
