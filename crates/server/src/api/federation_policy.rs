//! The sharing policy in force on a national node (`serve --node-key FILE [--sharing-policy
//! FILE]`): per item kind whether it is shared, how precisely, with or without free text and
//! which fields leave the node, and the small-number rule. Read-only: the policy file is the
//! source of truth; administrators edit it and restart the server.

use axum::Json;
use axum::extract::State;
use safeground_federation::policy::has_coordinates;
use safeground_model::ItemKind;
use safeground_store::Role;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Where the policy in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicySource {
    /// The safe default (`policy.example.toml`): no `--sharing-policy` was given.
    Default,
    /// A policy file (`serve --sharing-policy FILE`).
    File,
}

/// The small-number rule applied to shared casualty details.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuppressionRule {
    /// Victims in a (sex, age band, outcome) group of fewer victims, and victim-assistance
    /// records of fewer persons, are shared with their sex and age band withheld.
    pub threshold: u32,
    /// The item kinds the rule applies to (victim, assistance).
    pub kinds: Vec<String>,
}

/// How one item kind is shared.
#[derive(Debug, Serialize, ToSchema)]
pub struct KindSharing {
    /// Item kind code (hazard, eo_find, victim, …).
    pub kind: String,
    /// The kind in English.
    pub label: String,
    /// Whether its approved records are shared (otherwise the hub gets only a withheld entry).
    pub shared: bool,
    /// Decimal places its coordinates are rounded to; null when not shared or it has none.
    pub precision: Option<u8>,
    /// Approximate size in metres of that rounding (5 places ≈ 1.1 m); null likewise.
    pub precision_m: Option<f64>,
    /// Whether its comments and descriptions are shared.
    pub free_text: bool,
    /// The fields that leave the node, by their shared names (`date_month`, `age_band`,
    /// `parent.field`); empty when the kind is not shared.
    pub fields: Vec<String>,
}

/// The sharing policy in force on this node.
#[derive(Debug, Serialize, ToSchema)]
pub struct SharingPolicy {
    /// This node's id (its key's).
    pub node: String,
    /// Whether the policy is the default or a file.
    pub source: PolicySource,
    /// The policy file's name (its directory is not shown); null for the default.
    pub file: Option<String>,
    /// The small-number rule.
    pub suppression: SuppressionRule,
    /// Every item kind, shared or not, in the model's order.
    pub kinds: Vec<KindSharing>,
}

/// The sharing policy this node applies to the federation feed and to `safeground federation
/// export`: per item kind shared or not, coordinate precision, free text, the fields shared,
/// and the small-number rule. Victims' personal data are never shared, whatever the policy.
/// For administrators and approvers of the national authority.
#[utoipa::path(get, path = "/api/federation/policy", tag = "federation",
    responses((status = 200, description = "The sharing policy in force", body = SharingPolicy),
              (status = 401, description = "Not logged in", body = crate::error::Problem),
              (status = 403, description = "Not an administrator or approver of the national \
                  authority", body = crate::error::Problem),
              (status = 404, description = "This server is not a federation node (serve \
                  --node-key FILE)", body = crate::error::Problem)))]
pub async fn policy(
    State(state): State<AppState>,
    who: Principal,
) -> ApiResult<Json<SharingPolicy>> {
    if !(who.national && matches!(who.role, Role::Administrator | Role::Approver)) {
        return Err(ApiError::forbidden(
            "only administrators and approvers of the national authority may see the sharing \
             policy",
        ));
    }
    let Some(sharing) = state.config.sharing.as_ref() else {
        return Err(ApiError::not_found(
            "this server is not a federation node, so it shares nothing: start it with \
             `safeground serve … --node-key FILE [--sharing-policy FILE]` (the key file \
             `safeground federation init` made)",
        ));
    };
    let policy = &sharing.policy;
    let kinds = ItemKind::ALL
        .iter()
        .map(|&kind| {
            let shared = policy.shares(kind);
            let rounded = shared && has_coordinates(kind);
            KindSharing {
                kind: kind.code().to_owned(),
                label: kind.label().to_owned(),
                shared,
                precision: rounded.then(|| policy.precision(kind)),
                precision_m: rounded.then(|| policy.precision_m(kind)),
                free_text: shared && policy.free_text(kind),
                fields: policy.shared_fields(kind),
            }
        })
        .collect();
    Ok(Json(SharingPolicy {
        node: sharing.key.node().to_string(),
        source: match policy.file {
            Some(_) => PolicySource::File,
            None => PolicySource::Default,
        },
        file: policy.file.clone(),
        suppression: SuppressionRule {
            threshold: policy.suppression.threshold,
            kinds: [ItemKind::Victim, ItemKind::Assistance]
                .iter()
                .map(|k| k.code().to_owned())
                .collect(),
        },
        kinds,
    }))
}
