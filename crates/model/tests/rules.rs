//! Reference §6 validation rules: one failing case each, asserting the field it names.

use chrono::NaiveDate;
use geo_types::{LineString, MultiPolygon, Point, Polygon};
use safeground_model::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn ctx() -> ValidationContext {
    ValidationContext {
        today: d("2026-01-31"),
        date_of_information: d("2026-01-15"),
    }
}

fn square() -> MultiPolygon<f64> {
    MultiPolygon(vec![Polygon::new(
        LineString::from(vec![
            (103.2, 13.1),
            (103.21, 13.1),
            (103.21, 13.11),
            (103.2, 13.1),
        ]),
        vec![],
    )])
}

fn hazard() -> Hazard {
    Hazard {
        local_id: "H1".into(),
        name: "Ou Chrov 1".into(),
        class: HazardClass::Sha,
        status: HazardStatus::Open,
        status_change: None,
        organisation: Some("ORG-HALO".into()),
        admin_pcode: Some("KH01".into()),
        evidence: vec![EvidenceType::PresenceOfEo],
        contamination: vec![ContaminationType::ApMines],
        reported_area_m2: Some(12_000.0),
        first_recorded: Some(d("2020-01-01")),
        geometry: Some(square()),
        comment: None,
    }
}

fn activity() -> Activity {
    Activity {
        local_id: "A1".into(),
        activity_type: ActivityType::Clearance,
        status: ActivityStatus::Completed,
        organisation: None,
        team: None,
        donor: None,
        hazard: Some("H1".into()),
        hazards: Vec::new(),
        admin_pcode: None,
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
        assets: vec![AssetType::Manual],
        comment: None,
    }
}

fn fields(r: Record) -> Vec<String> {
    match r.validate(&ctx()) {
        Ok(()) => Vec::new(),
        Err(e) => e.0.into_iter().map(|f| f.field).collect(),
    }
}

fn fails_on(r: Record, field: &str) {
    let f = fields(r);
    assert!(
        f.iter().any(|x| x == field),
        "expected an error on `{field}`, got {f:?}"
    );
}

#[test]
fn valid_records_pass() {
    assert!(fields(Record::Hazard(hazard())).is_empty());
    assert!(fields(Record::Activity(activity())).is_empty());
}

#[test]
fn required_text() {
    let mut h = hazard();
    h.local_id = " ".into();
    fails_on(Record::Hazard(h), "local_id");
}

#[test]
fn areas_must_be_non_negative_numbers() {
    let mut h = hazard();
    h.reported_area_m2 = Some(-5.0);
    fails_on(Record::Hazard(h), "reported_area_m2");
    let mut a = activity();
    a.released_areas[0].reported_area_m2 = Some(f64::NAN);
    fails_on(Record::Activity(a), "released_areas[0].reported_area_m2");
}

#[test]
fn dates_in_sequence_and_not_in_the_future() {
    let mut a = activity();
    a.start_date = Some(d("2026-01-12"));
    fails_on(Record::Activity(a), "end_date");
    let mut a = activity();
    a.end_date = Some(d("2026-01-20")); // after the date of information
    fails_on(Record::Activity(a), "end_date");
    let mut h = hazard();
    h.first_recorded = Some(d("2027-01-01"));
    fails_on(Record::Hazard(h), "first_recorded");
}

#[test]
fn release_method_must_fit_the_activity() {
    let mut a = activity();
    a.released_areas[0].method = ReleaseMethod::Cancelled;
    fails_on(Record::Activity(a), "released_areas[0].method");
}

#[test]
fn status_other_than_open_needs_a_reason() {
    let mut h = hazard();
    h.status = HazardStatus::Closed;
    fails_on(Record::Hazard(h.clone()), "status_change");
    h.status_change = Some(StatusChange {
        reason: String::new(),
        date: d("2025-01-01"),
        comment: None,
    });
    fails_on(Record::Hazard(h), "status_change.reason");
}

#[test]
fn eo_quantity_and_disposal_dates() {
    let eo = EoFind {
        local_id: "E1".into(),
        activity: None,
        hazard: None,
        category: OrdnanceCategory::ApMine,
        model: Some("PMN-2".into()),
        quantity: 0,
        condition: None,
        depth_cm: None,
        disposal: Some(DisposalMethod::DestroyedInSitu),
        found_date: Some(d("2026-01-10")),
        destroyed_date: Some(d("2026-01-05")),
        location: Some(Point::new(13.1, 103.2)),
    };
    let f = fields(Record::EoFind(eo));
    for field in ["quantity", "destroyed_date", "location"] {
        assert!(f.iter().any(|x| x == field), "{field} in {f:?}");
    }
}

#[test]
fn victims_and_personal_data() {
    let v = Victim {
        local_id: "V1".into(),
        accident: None,
        sex: Sex::Male,
        age_at_accident: Some(130),
        outcome: CasualtyOutcome::Injured,
        activity_at_time: None,
        deminer: false,
    };
    fails_on(Record::Victim(v), "age_at_accident");
    let p = VictimPersonalData {
        full_name: String::new(),
        address: None,
        contact: None,
        date_of_birth: Some(d("2030-01-01")),
    };
    let e = validate_personal_data(&p, &ctx()).expect_err("invalid");
    let f: Vec<_> = e.0.iter().map(|x| x.field.as_str()).collect();
    assert_eq!(f, ["full_name", "date_of_birth"]);
}

#[test]
fn risk_education_needs_beneficiaries() {
    let s = RiskEducationSession {
        local_id: "RE1".into(),
        organisation: None,
        donor: None,
        date: Some(d("2026-01-02")),
        admin_pcode: None,
        location: None,
        method: None,
        beneficiaries: Beneficiaries { counts: vec![] },
    };
    fails_on(Record::RiskEducation(s), "beneficiaries");
    let b = Beneficiaries {
        counts: vec![
            BeneficiaryCount {
                sex: Sex::Female,
                age_band: AgeBand::Child5To11,
                reach: AudienceReach::Direct,
                count: 12,
            },
            BeneficiaryCount {
                sex: Sex::Male,
                age_band: AgeBand::Adult18To59,
                reach: AudienceReach::Direct,
                count: 7,
            },
            BeneficiaryCount {
                sex: Sex::Male,
                age_band: AgeBand::Adult18To59,
                reach: AudienceReach::Indirect,
                count: 40,
            },
        ],
    };
    assert_eq!(b.total(AudienceReach::Direct), 19);
    assert_eq!(b.total(AudienceReach::Indirect), 40);
}

#[test]
fn qa_and_admin_areas() {
    let qa = QaVisit {
        local_id: "QA1".into(),
        qa_type: QaType::Qc,
        activity: None,
        organisation: None,
        date: None,
        non_conformities: vec![NonConformity {
            category: NonConformityCategory::Major,
            description: String::new(),
            corrective_action: None,
            closed: false,
        }],
    };
    fails_on(Record::QaVisit(qa), "non_conformities[0].description");
    let area = AdminArea {
        pcode: "KH0201".into(),
        name: "Banan".into(),
        level: 2,
        parent_pcode: None,
        geometry: None,
    };
    fails_on(Record::AdminArea(area), "parent_pcode");
}

#[test]
fn json_round_trip_with_kind_tag_and_geojson_geometry() {
    let r = Record::Activity(activity());
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(json["kind"], "activity");
    assert_eq!(
        json["released_areas"][0]["geometry"]["type"],
        "MultiPolygon"
    );
    let back: Record = serde_json::from_value(json).expect("parse");
    assert_eq!(back, r);
}

#[test]
fn references_and_their_mapping() {
    let mut r = Record::Activity(activity());
    assert_eq!(r.references(), vec![("hazard", "H1")]);
    r.map_references(&mut |old| (old == "H1").then(|| "HAZ-000007".to_owned()));
    assert_eq!(r.references(), vec![("hazard", "HAZ-000007")]);
    assert_eq!(r.kind().id_prefix(), "ACT");
}

#[test]
fn known_model_under_another_category_is_refused() {
    let eo = EoFind {
        local_id: "E2".into(),
        activity: None,
        hazard: None,
        category: OrdnanceCategory::AtMine,
        model: Some("pmn-2".into()),
        quantity: 1,
        condition: None,
        depth_cm: None,
        disposal: None,
        found_date: None,
        destroyed_date: None,
        location: None,
    };
    fails_on(Record::EoFind(eo), "category");
}

#[test]
fn reported_area_far_from_computed_is_a_unit_mistake() {
    let e =
        area_consistency("reported_area_m2", Some(1.2), 12_000.0).expect("hectares written as m²");
    assert!(e.message.contains("unit"), "{}", e.message);
    assert!(area_consistency("reported_area_m2", Some(11_000.0), 12_000.0).is_none());
    assert!(area_consistency("reported_area_m2", None, 12_000.0).is_none());
}
