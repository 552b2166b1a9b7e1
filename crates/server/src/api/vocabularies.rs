//! The controlled vocabularies forms offer (codes and English labels from `safeground-model`),
//! so that the UI never keeps its own lists.

use axum::Json;
use safeground_model::{
    ActivityAtTimeOfAccident, ActivityStatus, ActivityType, AgeBand, AssetType, AssistanceType,
    AudienceReach, CasualtyOutcome, DisposalMethod, EducationMethod, HazardClass, HazardStatus,
    ItemCondition, NonConformityCategory, OrdnanceCategory, QaType, ReleaseMethod, Sex,
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
#[utoipa::path(get, path = "/api/vocabularies", tag = "items", security(()),
    responses((status = 200, description = "Each vocabulary by name, its terms in order",
               body = std::collections::BTreeMap<String, Vec<super::schemas::Term>>)))]
pub async fn vocabularies() -> Json<Value> {
    Json(all())
}

/// Every vocabulary by name (also part of `GET /api/forms`).
pub(super) fn all() -> Value {
    json!({
        "activity_type": list!(ActivityType),
        "activity_status": list!(ActivityStatus),
        "release_method": list!(ReleaseMethod),
        "asset_type": list!(AssetType),
        "hazard_class": list!(HazardClass),
        "hazard_status": list!(HazardStatus),
        "ordnance_category": list!(OrdnanceCategory),
        "item_condition": list!(ItemCondition),
        "disposal_method": list!(DisposalMethod),
        "sex": list!(Sex),
        "casualty_outcome": list!(CasualtyOutcome),
        "activity_at_time": list!(ActivityAtTimeOfAccident),
        "education_method": list!(EducationMethod),
        "assistance_type": list!(AssistanceType),
        "audience_reach": list!(AudienceReach),
        "qa_type": list!(QaType),
        "non_conformity_category": list!(NonConformityCategory),
        // The programme's age bands for beneficiaries (the humanitarian 5-band scheme).
        "age_band": AgeBand::HUMANITARIAN
            .iter()
            .map(|v| json!({ "code": v.code(), "label": v.label() }))
            .collect::<Vec<_>>(),
    })
}
