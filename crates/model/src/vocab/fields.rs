//! Which record fields take which vocabulary, by the vocabulary's name as the API lists it
//! (`/api/vocabularies`): what regional code lists (a hub's reference data) apply to.

use std::collections::BTreeMap;

use crate::ItemKind;

use super::*;

/// Regional code lists (a hub's reference data): vocabulary name → term → code.
pub type CodeLists = BTreeMap<String, BTreeMap<String, String>>;

/// (kind, field, vocabulary): the fields whose value is a code of a vocabulary. A field of a
/// list's element is `list.field` (`released_areas.method`).
pub const FIELD_VOCABULARIES: &[(ItemKind, &str, &str)] = &[
    (ItemKind::Hazard, "class", "hazard_class"),
    (ItemKind::Hazard, "status", "hazard_status"),
    (ItemKind::Activity, "activity_type", "activity_type"),
    (ItemKind::Activity, "status", "activity_status"),
    (
        ItemKind::Activity,
        "released_areas.method",
        "release_method",
    ),
    (
        ItemKind::Activity,
        "released_areas.asset_type",
        "asset_type",
    ),
    (ItemKind::EoFind, "category", "ordnance_category"),
    (ItemKind::EoFind, "condition", "item_condition"),
    (ItemKind::EoFind, "disposal", "disposal_method"),
    (ItemKind::Accident, "device_category", "ordnance_category"),
    (ItemKind::Victim, "sex", "sex"),
    (ItemKind::Victim, "outcome", "casualty_outcome"),
    (ItemKind::Victim, "activity_at_time", "activity_at_time"),
    (ItemKind::RiskEducation, "method", "education_method"),
    (ItemKind::QaVisit, "qa_type", "qa_type"),
    (ItemKind::Assistance, "service", "assistance_type"),
    (ItemKind::Assistance, "sex", "sex"),
];

/// The vocabulary of `kind`'s `field`, if it takes one.
pub fn field_vocabulary(kind: ItemKind, field: &str) -> Option<&'static str> {
    FIELD_VOCABULARIES
        .iter()
        .find(|(k, f, _)| *k == kind && *f == field)
        .map(|(_, _, v)| *v)
}

macro_rules! codes {
    ($t:ty) => {
        <$t>::ALL.iter().map(|v| v.code()).collect()
    };
}

/// The codes of the vocabulary `name` (none for a name that is no vocabulary's).
///
/// ```
/// use safeground_model::vocabulary_codes;
/// assert!(vocabulary_codes("ordnance_category").unwrap().contains(&"ap_mine"));
/// assert!(vocabulary_codes("colour").is_none());
/// ```
pub fn vocabulary_codes(name: &str) -> Option<Vec<&'static str>> {
    Some(match name {
        "hazard_class" => codes!(HazardClass),
        "hazard_status" => codes!(HazardStatus),
        "activity_type" => codes!(ActivityType),
        "activity_status" => codes!(ActivityStatus),
        "release_method" => codes!(ReleaseMethod),
        "asset_type" => codes!(AssetType),
        "ordnance_category" => codes!(OrdnanceCategory),
        "item_condition" => codes!(ItemCondition),
        "disposal_method" => codes!(DisposalMethod),
        "sex" => codes!(Sex),
        "casualty_outcome" => codes!(CasualtyOutcome),
        "activity_at_time" => codes!(ActivityAtTimeOfAccident),
        "education_method" => codes!(EducationMethod),
        "qa_type" => codes!(QaType),
        "assistance_type" => codes!(AssistanceType),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_field_has_a_known_vocabulary() {
        for (kind, field, vocabulary) in FIELD_VOCABULARIES {
            assert!(
                vocabulary_codes(vocabulary).is_some_and(|c| !c.is_empty()),
                "{kind} {field}: {vocabulary}"
            );
        }
        assert_eq!(
            field_vocabulary(ItemKind::EoFind, "category"),
            Some("ordnance_category")
        );
        assert_eq!(field_vocabulary(ItemKind::EoFind, "model"), None);
    }
}
