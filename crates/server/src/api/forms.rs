//! The field rules of the report forms and the vocabularies they offer, in one document the
//! offline field app keeps on the device: it checks entries with the same rules the server
//! applies (`safeground_model::rules`) before they leave the device.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::Json;
use safeground_model::rules;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::auth::{Permission, Principal};
use crate::error::ApiResult;

/// The forms document and its version (a digest of its content), built once.
fn document() -> &'static (String, Value) {
    static DOC: OnceLock<(String, Value)> = OnceLock::new();
    DOC.get_or_init(|| {
        let rules: BTreeMap<&str, &[rules::Rule]> = rules::FORM_KINDS
            .iter()
            .map(|k| (k.code(), rules::of(*k)))
            .collect();
        let content = json!({"rules": rules, "vocabularies": super::vocabularies::all()});
        let digest = Sha256::digest(content.to_string().as_bytes());
        let version = crate::auth::password::hex(&digest[..8]);
        let mut doc = content;
        doc["version"] = json!(version);
        (version, doc)
    })
}

/// The version of the form rules now in force (a submission filled with another one is told
/// so when the rules refuse it).
pub(crate) fn current_form_version() -> &'static str {
    &document().0
}

/// The rules and vocabularies of the report forms, for the field app to use offline.
#[utoipa::path(get, path = "/api/forms", tag = "reports",
    responses((status = 200, description = "Rules by record kind, vocabularies and their version",
               body = super::schemas::FormsDoc),
              (status = 401, body = crate::error::Problem)))]
pub async fn forms(who: Principal) -> ApiResult<Json<Value>> {
    who.require(Permission::Read)?;
    Ok(Json(document().1.clone()))
}
