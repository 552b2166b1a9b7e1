//! Hand-made programmes for edge cases.
#![allow(clippy::unwrap_used, dead_code)]

use geo_types::MultiPolygon;
use safeground_model::{
    Accident, Activity, ActivityAtTimeOfAccident, ActivityStatus, ActivityType, AdminArea,
    AssetType, Assistance, AssistanceType, CasualtyOutcome, ContaminationType, Hazard, HazardClass,
    HazardStatus, OrdnanceCategory, Organisation, OrganisationKind, Record, ReleaseMethod,
    ReleasedArea, Sex, Victim,
};
use safeground_store::{ReportEntry, SqliteStore};

use super::approve;

/// A store with one operator (ORG-OP), one donor (ORG-DON) and the admin areas KH, KH01,
/// KH02.
pub fn base(path: &std::path::Path) -> SqliteStore {
    let mut store = SqliteStore::create(path).unwrap();
    let mut entries = vec![ReportEntry::new(Record::Organisation(Organisation {
        local_id: "ORG-OP".into(),
        name: "Operator".into(),
        acronym: "OP".into(),
        organisation_type: OrganisationKind::Operator,
    }))];
    entries.push(ReportEntry::new(Record::Organisation(Organisation {
        local_id: "ORG-DON".into(),
        name: "Donor".into(),
        acronym: "DON".into(),
        organisation_type: OrganisationKind::Donor,
    })));
    for (pcode, level, parent) in [
        ("KH", 0, None),
        ("KH01", 1, Some("KH")),
        ("KH02", 1, Some("KH")),
    ] {
        entries.push(ReportEntry::new(Record::AdminArea(AdminArea {
            pcode: pcode.into(),
            name: format!("Area {pcode}"),
            level,
            parent_pcode: parent.map(str::to_owned),
            geometry: None,
        })));
    }
    approve(&mut store, "2019-01-01", entries, false);
    store
}

/// A hazard record.
pub fn hazard(
    local_id: &str,
    class: HazardClass,
    contamination: &[ContaminationType],
    admin: &str,
    geometry: MultiPolygon<f64>,
) -> Record {
    Record::Hazard(Hazard {
        local_id: local_id.into(),
        name: local_id.into(),
        class,
        status: HazardStatus::Open,
        status_change: None,
        organisation: Some("ORG-OP".into()),
        admin_pcode: Some(admin.into()),
        evidence: vec![],
        contamination: contamination.to_vec(),
        reported_area_m2: None,
        first_recorded: None,
        geometry: Some(geometry),
        comment: None,
    })
}

/// A completed activity on `hazard` releasing `released` (read from JSON, so that fields the
/// model adds later keep their defaults).
pub fn activity(
    local_id: &str,
    hazard: &str,
    activity_type: ActivityType,
    admin: &str,
    released: Vec<ReleasedArea>,
) -> Record {
    let mut a: Activity = serde_json::from_value(serde_json::json!({
        "local_id": local_id,
        "activity_type": activity_type,
        "status": ActivityStatus::Completed,
        "organisation": "ORG-OP",
        "hazard": hazard,
        "admin_pcode": admin,
    }))
    .unwrap();
    a.released_areas = released;
    Record::Activity(a)
}

/// A released polygon.
pub fn released(
    method: ReleaseMethod,
    asset: Option<AssetType>,
    technical: bool,
    geometry: MultiPolygon<f64>,
) -> ReleasedArea {
    ReleasedArea {
        method,
        asset_type: asset,
        technical_asset_used: technical,
        clearance_depth_cm: None,
        reported_area_m2: None,
        geometry,
    }
}

/// An accident with its victims: (sex, age, outcome, activity) each.
pub fn accident(
    local_id: &str,
    date: &str,
    device: OrdnanceCategory,
    victims: &[(Sex, u8, CasualtyOutcome, ActivityAtTimeOfAccident)],
) -> Vec<ReportEntry> {
    let mut entries = vec![ReportEntry::new(Record::Accident(Accident {
        local_id: local_id.into(),
        date: Some(super::d(date)),
        date_known: true,
        admin_pcode: Some("KH01".into()),
        device_category: Some(device),
        location: None,
        description: None,
        hazard: None,
    }))];
    for (i, (sex, age, outcome, activity)) in victims.iter().enumerate() {
        entries.push(ReportEntry::new(Record::Victim(Victim {
            local_id: format!("{local_id}-V{i}"),
            accident: Some(local_id.into()),
            sex: *sex,
            age_at_accident: Some(*age),
            outcome: *outcome,
            activity_at_time: Some(*activity),
            deminer: false,
        })));
    }
    entries
}

/// A victim-assistance service delivered in KH01 by ORG-OP on `date`.
pub fn service(
    local_id: &str,
    date: &str,
    service: AssistanceType,
    sex: Sex,
    age: Option<u8>,
    persons: u32,
    donor: Option<&str>,
) -> ReportEntry {
    ReportEntry::new(Record::Assistance(Assistance {
        local_id: local_id.into(),
        victim: None,
        organisation: Some("ORG-OP".into()),
        donor: donor.map(str::to_owned),
        date: Some(super::d(date)),
        admin_pcode: Some("KH01".into()),
        service,
        sex,
        age,
        persons,
        comment: None,
    }))
}
