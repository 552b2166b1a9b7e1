//! Test-only fixtures: one valid, fully filled record of each kind, and helpers.

use chrono::NaiveDate;
use geo_types::{LineString, MultiPolygon, Point, Polygon};

use crate::*;

/// A date from "YYYY-MM-DD".
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

/// Today 2026-01-31, date of information 2026-01-15.
pub fn ctx() -> ValidationContext {
    ValidationContext {
        today: d("2026-01-31"),
        date_of_information: d("2026-01-15"),
    }
}

/// A small square with a hole, near Battambang.
pub fn square() -> MultiPolygon<f64> {
    MultiPolygon(vec![Polygon::new(
        LineString::from(vec![
            (103.2, 13.1),
            (103.21, 13.1),
            (103.21, 13.11),
            (103.2, 13.11),
            (103.2, 13.1),
        ]),
        vec![LineString::from(vec![
            (103.202, 13.102),
            (103.203, 13.102),
            (103.203, 13.103),
            (103.202, 13.102),
        ])],
    )])
}

pub fn organisation() -> Organisation {
    Organisation {
        local_id: "ORG-HALO".into(),
        name: "The HALO Trust".into(),
        acronym: "HALO".into(),
        organisation_type: OrganisationKind::InternationalNgo,
    }
}

pub fn team() -> Team {
    Team {
        local_id: "T1".into(),
        name: "MDD team 3".into(),
        organisation: "ORG-HALO".into(),
        team_type: TeamKind::MineDetectionDog,
        assets: vec![Asset {
            asset_type: AssetType::MineDetectionDog,
            identifier: "Rex".into(),
        }],
    }
}

pub fn admin_area() -> AdminArea {
    AdminArea {
        pcode: "KH0201".into(),
        name: "Banan".into(),
        level: 2,
        parent_pcode: Some("KH02".into()),
        geometry: None,
    }
}

pub fn hazard() -> Hazard {
    Hazard {
        local_id: "H1".into(),
        name: "Ou Chrov 1".into(),
        class: HazardClass::Cha,
        status: HazardStatus::WorkedOn,
        status_change: Some(StatusChange {
            reason: "Clearance started".into(),
            date: d("2025-12-01"),
            comment: Some("first progress report".into()),
        }),
        organisation: Some("ORG-HALO".into()),
        admin_pcode: Some("KH0201".into()),
        evidence: vec![EvidenceType::PresenceOfEo, EvidenceType::Accident],
        contamination: vec![ContaminationType::ApMines, ContaminationType::Cmr],
        reported_area_m2: Some(12_000.5),
        first_recorded: Some(d("2020-01-01")),
        geometry: Some(square()),
        comment: Some("along the canal".into()),
    }
}

pub fn activity() -> Activity {
    Activity {
        local_id: "A1".into(),
        activity_type: ActivityType::Clearance,
        status: ActivityStatus::Completed,
        organisation: Some("ORG-HALO".into()),
        team: Some("T1".into()),
        donor: Some("ORG-DONOR".into()),
        hazard: Some("H1".into()),
        hazards: Vec::new(),
        admin_pcode: Some("KH0201".into()),
        start_date: Some(d("2025-12-01")),
        end_date: Some(d("2026-01-10")),
        released_areas: vec![ReleasedArea {
            method: ReleaseMethod::Cleared,
            asset_type: Some(AssetType::Manual),
            technical_asset_used: false,
            clearance_depth_cm: Some(13),
            reported_area_m2: Some(500.0),
            geometry: square(),
        }],
        assets: vec![AssetType::Manual, AssetType::MineDetectionDog],
        comment: Some("done".into()),
    }
}

pub fn eo_find() -> EoFind {
    EoFind {
        local_id: "EO1".into(),
        activity: Some("A1".into()),
        hazard: Some("H1".into()),
        category: OrdnanceCategory::ApMine,
        model: Some("PMN-2".into()),
        quantity: 3,
        condition: Some(ItemCondition::Armed),
        depth_cm: Some(5),
        disposal: Some(DisposalMethod::DestroyedInSitu),
        found_date: Some(d("2025-12-10")),
        destroyed_date: Some(d("2025-12-11")),
        location: Some(Point::new(103.205, 13.105)),
    }
}

pub fn accident() -> Accident {
    Accident {
        local_id: "ACC1".into(),
        date: Some(d("2025-11-02")),
        date_known: true,
        admin_pcode: Some("KH0201".into()),
        device_category: Some(OrdnanceCategory::ApMine),
        location: Some(Point::new(103.201, 13.101)),
        description: Some("Farmer stepped on a mine".into()),
        hazard: Some("H1".into()),
    }
}

pub fn victim() -> Victim {
    Victim {
        local_id: "V1".into(),
        accident: Some("ACC1".into()),
        sex: Sex::Male,
        age_at_accident: Some(34),
        outcome: CasualtyOutcome::Injured,
        activity_at_time: Some(ActivityAtTimeOfAccident::Farming),
        deminer: false,
    }
}

pub fn personal_data() -> VictimPersonalData {
    VictimPersonalData {
        full_name: "Sok Dara".into(),
        address: Some("Ou Chrov village".into()),
        contact: Some("+855 12 345 678".into()),
        date_of_birth: Some(d("1991-04-05")),
    }
}

pub fn risk_education() -> RiskEducationSession {
    RiskEducationSession {
        local_id: "RE1".into(),
        organisation: Some("ORG-HALO".into()),
        donor: None,
        date: Some(d("2026-01-05")),
        admin_pcode: Some("KH0201".into()),
        location: Some(Point::new(103.3, 13.2)),
        method: Some(EducationMethod::Presentation),
        beneficiaries: Beneficiaries {
            counts: vec![
                BeneficiaryCount {
                    sex: Sex::Female,
                    age_band: AgeBand::Child5To12,
                    reach: AudienceReach::Direct,
                    count: 12,
                },
                BeneficiaryCount {
                    sex: Sex::Male,
                    age_band: AgeBand::Adult,
                    reach: AudienceReach::Direct,
                    count: 7,
                },
                BeneficiaryCount {
                    sex: Sex::Female,
                    age_band: AgeBand::Adult,
                    reach: AudienceReach::Indirect,
                    count: 40,
                },
            ],
        },
    }
}

pub fn qa_visit() -> QaVisit {
    QaVisit {
        local_id: "QA1".into(),
        qa_type: QaType::Qc,
        activity: Some("A1".into()),
        organisation: Some("ORG-CMAA".into()),
        date: Some(d("2026-01-12")),
        non_conformities: vec![NonConformity {
            category: NonConformityCategory::Minor,
            description: "Marking incomplete on the north side".into(),
            corrective_action: Some("Complete marking".into()),
            closed: true,
        }],
    }
}

/// One record of each kind, in `ItemKind::ALL` order.
pub fn all_records() -> Vec<Record> {
    vec![
        Record::Organisation(organisation()),
        Record::Team(team()),
        Record::AdminArea(admin_area()),
        Record::Hazard(hazard()),
        Record::Activity(activity()),
        Record::EoFind(eo_find()),
        Record::Accident(accident()),
        Record::Victim(victim()),
        Record::RiskEducation(risk_education()),
        Record::QaVisit(qa_visit()),
        Record::Assistance(assistance()),
    ]
}

pub fn assistance() -> Assistance {
    Assistance {
        local_id: "VA1".into(),
        victim: Some("V1".into()),
        organisation: Some("ORG-HALO".into()),
        donor: Some("ORG-DONOR".into()),
        date: Some(d("2026-01-10")),
        admin_pcode: Some("KH0201".into()),
        service: AssistanceType::Rehabilitation,
        sex: Sex::Male,
        age: Some(34),
        persons: 1,
        comment: Some("prosthesis fitted".into()),
    }
}

/// The fields the validation of `r` complains about.
pub fn failing_fields(r: Record) -> Vec<String> {
    match r.validate(&ctx()) {
        Ok(()) => Vec::new(),
        Err(e) => e.0.into_iter().map(|f| f.field).collect(),
    }
}

/// Asserts that validating `r` fails on `field` (and names it).
#[track_caller]
pub fn fails_on(r: Record, field: &str) {
    let f = failing_fields(r);
    assert!(
        f.iter().any(|x| x == field),
        "expected an error on `{field}`, got {f:?}"
    );
}
