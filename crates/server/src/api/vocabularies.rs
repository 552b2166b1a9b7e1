//! The controlled vocabularies forms offer (codes and English labels from `safeground-model`),
//! so that the UI never keeps its own lists.

use axum::Json;
use safeground_model::{
    ActivityStatus, ActivityType, AssetType, HazardClass, HazardStatus, OrdnanceCategory,
    ReleaseMethod,
};
use serde_json::{Value, json};

macro_rules! list {
    ($t:ty) => {
        <$t>::ALL
            .iter()
            .map(|v| json!({ "code": v.code(), "label": v.label() }))
            .collect::<Vec<_>>()
    };
}

/// Vocabularies used by the report forms.
#[utoipa::path(get, path = "/api/vocabularies", tag = "items", responses((status = 200, body = Value)))]
pub async fn vocabularies() -> Json<Value> {
    Json(json!({
        "activity_type": list!(ActivityType),
        "activity_status": list!(ActivityStatus),
        "release_method": list!(ReleaseMethod),
        "asset_type": list!(AssetType),
        "hazard_class": list!(HazardClass),
        "hazard_status": list!(HazardStatus),
        "ordnance_category": list!(OrdnanceCategory),
    }))
}
