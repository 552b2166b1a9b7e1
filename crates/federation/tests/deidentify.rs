//! What leaves a node: every field of every kind is classified, victims' personal data never
//! leave, quasi-identifiers are generalised and small groups withheld.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use geo_types::{MultiPolygon, Point, polygon};
use safeground_federation::policy::VictimGroups;
use safeground_federation::{KindPolicy, Policy};
use safeground_model::vocab::*;
use safeground_model::{
    Accident, Activity, AdminArea, Asset, Assistance, Beneficiaries, BeneficiaryCount, EoFind,
    Hazard, ItemKind, NonConformity, Organisation, QaVisit, Record, ReleasedArea,
    RiskEducationSession, StatusChange, Team, Victim, VictimPersonalData,
};
use serde_json::{Value, json};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn area() -> MultiPolygon<f64> {
    MultiPolygon(vec![polygon![
        (x: 104.123_456_789, y: 11.987_654_321),
        (x: 104.124_456_789, y: 11.987_654_321),
        (x: 104.124_456_789, y: 11.988_654_321),
        (x: 104.123_456_789, y: 11.987_654_321),
    ]])
}

fn point() -> Option<Point<f64>> {
    Some(Point::new(104.916_712_3, 11.553_491_7))
}

/// One record of every kind with every field set (a struct literal: a field added to the
/// model stops this compiling until it is classified in `policy/deidentify.rs`).
fn records() -> Vec<Record> {
    let text = || Some("Free text".to_owned());
    let r = || Some("REF-1".to_owned());
    vec![
        Record::Organisation(Organisation {
            local_id: "ORG-1".into(),
            name: "Demining NGO".into(),
            acronym: "DN".into(),
            organisation_type: OrganisationKind::ALL[0],
        }),
        Record::Team(Team {
            local_id: "TEAM-1".into(),
            name: "Team 1".into(),
            organisation: "ORG-1".into(),
            team_type: TeamKind::ALL[0],
            assets: vec![Asset {
                asset_type: AssetType::ALL[0],
                identifier: "MDD-7".into(),
            }],
        }),
        Record::AdminArea(AdminArea {
            pcode: "KH01".into(),
            name: "Banteay Meanchey".into(),
            level: 1,
            parent_pcode: Some("KH".into()),
            geometry: Some(area()),
        }),
        Record::Hazard(Hazard {
            local_id: "HAZ-1".into(),
            name: "Rice field".into(),
            class: HazardClass::ALL[0],
            status: HazardStatus::ALL[0],
            status_change: Some(StatusChange {
                reason: "survey".into(),
                date: day("2024-01-02"),
                comment: text(),
            }),
            organisation: r(),
            admin_pcode: Some("KH01".into()),
            evidence: vec![EvidenceType::ALL[0]],
            contamination: vec![ContaminationType::ALL[0]],
            reported_area_m2: Some(1200.0),
            first_recorded: Some(day("2020-05-06")),
            geometry: Some(area()),
            comment: text(),
        }),
        Record::Activity(Activity {
            local_id: "ACT-1".into(),
            activity_type: ActivityType::ALL[0],
            status: ActivityStatus::ALL[0],
            organisation: r(),
            team: r(),
            donor: r(),
            hazard: r(),
            hazards: vec!["HAZ-1".into()],
            admin_pcode: Some("KH01".into()),
            start_date: Some(day("2024-02-01")),
            end_date: Some(day("2024-02-20")),
            released_areas: vec![ReleasedArea {
                method: ReleaseMethod::ALL[0],
                asset_type: Some(AssetType::ALL[0]),
                technical_asset_used: true,
                clearance_depth_cm: Some(13),
                reported_area_m2: Some(500.0),
                geometry: area(),
            }],
            assets: vec![AssetType::ALL[0]],
            comment: text(),
        }),
        Record::EoFind(EoFind {
            local_id: "EO-1".into(),
            activity: r(),
            hazard: r(),
            category: OrdnanceCategory::ALL[0],
            model: Some("PMN-2".into()),
            quantity: 3,
            condition: Some(ItemCondition::ALL[0]),
            depth_cm: Some(10),
            disposal: Some(DisposalMethod::ALL[0]),
            found_date: Some(day("2024-02-03")),
            destroyed_date: Some(day("2024-02-04")),
            location: point(),
        }),
        Record::Accident(Accident {
            local_id: "ACC-1".into(),
            date: Some(day("2024-03-17")),
            date_known: true,
            admin_pcode: Some("KH01".into()),
            device_category: Some(OrdnanceCategory::ALL[0]),
            location: point(),
            description: Some("Mr Sok stepped on a mine behind his house".into()),
            hazard: r(),
        }),
        Record::Victim(Victim {
            local_id: "VIC-1".into(),
            accident: Some("ACC-1".into()),
            sex: Sex::Female,
            age_at_accident: Some(7),
            outcome: CasualtyOutcome::ALL[0],
            activity_at_time: Some(ActivityAtTimeOfAccident::ALL[0]),
            deminer: false,
        }),
        Record::RiskEducation(RiskEducationSession {
            local_id: "RE-1".into(),
            organisation: r(),
            donor: r(),
            date: Some(day("2024-04-05")),
            admin_pcode: Some("KH01".into()),
            location: point(),
            method: Some(EducationMethod::ALL[0]),
            beneficiaries: Beneficiaries {
                counts: vec![BeneficiaryCount {
                    sex: Sex::Male,
                    age_band: AgeBand::ALL[0],
                    reach: AudienceReach::ALL[0],
                    count: 40,
                }],
            },
        }),
        Record::QaVisit(QaVisit {
            local_id: "QA-1".into(),
            qa_type: QaType::ALL[0],
            activity: r(),
            organisation: r(),
            date: Some(day("2024-02-10")),
            non_conformities: vec![NonConformity {
                category: NonConformityCategory::ALL[0],
                description: "Lane marking".into(),
                corrective_action: text(),
                closed: true,
            }],
        }),
        Record::Assistance(Assistance {
            local_id: "VA-1".into(),
            victim: Some("VIC-1".into()),
            organisation: r(),
            donor: r(),
            date: Some(day("2024-05-06")),
            admin_pcode: Some("KH01".into()),
            service: AssistanceType::ALL[0],
            sex: Sex::Female,
            age: Some(34),
            persons: 1,
            comment: Some("Needs a new prosthesis".into()),
        }),
    ]
}

/// Every kind shared, as precisely as allowed, free text where it may be.
fn permissive() -> Policy {
    let mut p = Policy::default();
    for kind in ItemKind::ALL {
        let free_text = !matches!(
            kind,
            ItemKind::Accident | ItemKind::Victim | ItemKind::Assistance
        );
        let precision = Some(if *kind == ItemKind::Accident { 2 } else { 7 });
        p.kinds.insert(
            *kind,
            KindPolicy {
                precision,
                free_text,
            },
        );
    }
    p.check().expect("a valid policy");
    p
}

fn to_json(r: &Record) -> Value {
    serde_json::to_value(r).expect("json")
}

fn share(p: &Policy, kind: ItemKind, v: &Value, groups: &VictimGroups) -> Value {
    p.deidentify(kind, v, groups)
        .expect("a record")
        .expect("shared")
}

/// Dotted paths of every object key in `v` (array elements as `[]`).
fn paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{prefix}{k}");
                paths(x, &format!("{p}."), out);
                out.insert(p);
            }
        }
        Value::Array(items) => {
            for x in items {
                paths(x, &format!("{prefix}[]."), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_field_of_every_kind_is_classified() {
    let p = permissive();
    for record in records() {
        let kind = record.kind();
        let input = to_json(&record);
        let output = share(&p, kind, &input, &VictimGroups::new());
        let (mut before, mut after) = (BTreeSet::new(), BTreeSet::new());
        paths(&input, "", &mut before);
        paths(&output, "", &mut after);
        let dropped: Vec<&str> = before.difference(&after).map(String::as_str).collect();
        let added: Vec<&str> = after.difference(&before).map(String::as_str).collect();
        let (want_dropped, want_added): (&[&str], &[&str]) = match kind {
            ItemKind::Accident => (&["date", "description"], &["date_month"]),
            ItemKind::Victim => (&["age_at_accident"], &["age_band"]),
            ItemKind::Assistance => (&["age", "comment", "date"], &["age_band", "date_month"]),
            _ => (&[], &[]),
        };
        assert_eq!(
            (dropped.as_slice(), added.as_slice()),
            (want_dropped, want_added),
            "{kind}: a field the sharing rules do not know is dropped; classify it in \
             crates/federation/src/policy/deidentify.rs"
        );
    }
}

fn personal_data() -> VictimPersonalData {
    VictimPersonalData {
        full_name: "Sok Chea".into(),
        address: Some("Village 4, Street 12".into()),
        contact: Some("+855 12 345 678".into()),
        date_of_birth: Some(day("1987-04-02")),
    }
}

/// `v` with `field` set to `value` at the top and in every nested object.
fn inject(v: &mut Value, field: &str, value: &Value) {
    match v {
        Value::Object(m) => {
            for x in m.values_mut() {
                inject(x, field, value);
            }
            m.insert(field.to_owned(), value.clone());
        }
        Value::Array(items) => items.iter_mut().for_each(|x| inject(x, field, value)),
        _ => {}
    }
}

#[test]
fn no_personal_field_of_a_victim_survives_in_any_kind() {
    let p = permissive();
    let personal = serde_json::to_value(personal_data()).expect("json");
    let Value::Object(fields) = &personal else {
        panic!("an object");
    };
    assert_eq!(fields.len(), 4, "a new personal field: add it to this test");
    let mut groups = VictimGroups::new();
    groups.insert(
        (
            "female".into(),
            "5–9".into(),
            CasualtyOutcome::ALL[0].code().into(),
        ),
        50,
    );
    for record in records() {
        let kind = record.kind();
        for (field, value) in fields {
            let mut input = to_json(&record);
            inject(&mut input, field, value);
            let out = share(&p, kind, &input, &groups);
            let mut keys = BTreeSet::new();
            paths(&out, "", &mut keys);
            assert!(
                keys.iter()
                    .all(|k| k.rsplit('.').next() != Some(field.as_str())),
                "{kind}.{field} survived: {out}"
            );
            let text = out.to_string();
            let needle = value.as_str().expect("text");
            assert!(
                !text.contains(needle),
                "{kind}: {field} value survived: {text}"
            );
        }
        let mut all = to_json(&record);
        for (field, value) in fields {
            inject(&mut all, field, value);
        }
        let text = share(&p, kind, &all, &groups).to_string();
        for word in ["Sok Chea", "Village 4", "+855", "1987"] {
            assert!(!text.contains(word), "{kind}: {text}");
        }
    }
}

fn record_of(kind: ItemKind) -> Value {
    let r = records().into_iter().find(|r| r.kind() == kind);
    to_json(&r.expect("a record of the kind"))
}

#[test]
fn a_victim_is_generalised_and_its_small_group_withheld() {
    let p = Policy::default();
    let victim = record_of(ItemKind::Victim);
    let outcome = CasualtyOutcome::ALL[0].code();
    let group = ("female".to_owned(), "5–9".to_owned(), outcome.to_owned());
    let mut groups = VictimGroups::new();
    for (n, shown) in [(5, true), (40, true), (4, false), (1, false)] {
        groups.insert(group.clone(), n);
        let out = share(&p, ItemKind::Victim, &victim, &groups);
        assert_eq!(out.get("age_at_accident"), None);
        let (sex, band) = if shown {
            ("female", "5–9")
        } else {
            ("withheld", "withheld")
        };
        assert_eq!(
            (out["sex"].clone(), out["age_band"].clone()),
            (json!(sex), json!(band)),
            "{n}"
        );
        assert_eq!(out["outcome"], json!(outcome));
    }
    let out = share(&p, ItemKind::Victim, &victim, &VictimGroups::new());
    assert_eq!(out["sex"], json!("withheld"), "no count: withheld");
    let strict = Policy::from_toml("[suppression]\nthreshold = 10\n[kinds.victim]\n").expect("ok");
    groups.insert(group, 9);
    let out = share(&strict, ItemKind::Victim, &victim, &groups);
    assert_eq!(out["age_band"], json!("withheld"));
}

#[test]
fn an_accident_keeps_its_month_and_the_grid() {
    let out = share(
        &permissive(),
        ItemKind::Accident,
        &record_of(ItemKind::Accident),
        &VictimGroups::new(),
    );
    assert_eq!(out["date_month"], json!("2024-03"));
    assert_eq!(out.get("date"), None);
    assert_eq!(out.get("description"), None);
    assert_eq!(
        out["location"],
        json!({"type": "Point", "coordinates": [104.92, 11.55]})
    );
}

#[test]
fn a_service_to_fewer_persons_than_the_threshold_is_withheld() {
    let p = Policy::from_toml("[kinds.assistance]\n").expect("ok");
    let mut v = record_of(ItemKind::Assistance);
    let out = share(&p, ItemKind::Assistance, &v, &VictimGroups::new());
    assert_eq!(
        (out["sex"].clone(), out["age_band"].clone()),
        (json!("withheld"), json!("withheld"))
    );
    assert_eq!(out["date_month"], json!("2024-05"));
    assert_eq!(out.get("comment"), None);
    v["persons"] = json!(12);
    let out = share(&p, ItemKind::Assistance, &v, &VictimGroups::new());
    assert_eq!(
        (out["sex"].clone(), out["age_band"].clone()),
        (json!("female"), json!("18+"))
    );
}

#[test]
fn coordinates_are_rounded_to_the_kinds_precision() {
    let p = Policy::from_toml(
        "[kinds.hazard]\nprecision = 3\n[kinds.activity]\nprecision = 1\n[kinds.eo_find]\n",
    )
    .expect("ok");
    let g = VictimGroups::new();
    let hazard = share(&p, ItemKind::Hazard, &record_of(ItemKind::Hazard), &g);
    assert_eq!(
        hazard["geometry"]["coordinates"][0][0][1],
        json!([104.124, 11.988])
    );
    let activity = share(&p, ItemKind::Activity, &record_of(ItemKind::Activity), &g);
    assert_eq!(
        activity["released_areas"][0]["geometry"]["coordinates"][0][0][0],
        json!([104.1, 12.0])
    );
    let eo = share(&p, ItemKind::EoFind, &record_of(ItemKind::EoFind), &g);
    assert_eq!(
        eo["location"]["coordinates"],
        json!([104.91671, 11.55349]),
        "default 5"
    );
    let mut stored = record_of(ItemKind::Hazard);
    stored["geometry"] = Value::Null;
    let out = share(&p, ItemKind::Hazard, &stored, &g);
    assert_eq!(out["geometry"], Value::Null);
}

#[test]
fn free_text_is_shared_only_where_the_policy_says() {
    let g = VictimGroups::new();
    let hazard = record_of(ItemKind::Hazard);
    let out = share(&Policy::default(), ItemKind::Hazard, &hazard, &g);
    assert_eq!(out.get("comment"), None);
    assert_eq!(out["status_change"].get("comment"), None);
    assert_eq!(out["status_change"]["reason"], json!("survey"));
    let out = share(&permissive(), ItemKind::Hazard, &hazard, &g);
    assert_eq!(out["comment"], json!("Free text"));
    let qa = share(
        &permissive(),
        ItemKind::QaVisit,
        &record_of(ItemKind::QaVisit),
        &g,
    );
    assert_eq!(
        qa["non_conformities"][0]["description"],
        json!("Lane marking")
    );
}

#[test]
fn kinds_not_shared_give_nothing_and_wrong_records_are_refused() {
    let p = Policy::default();
    let g = VictimGroups::new();
    for kind in [ItemKind::Team, ItemKind::QaVisit, ItemKind::Assistance] {
        assert_eq!(
            p.deidentify(kind, &record_of(kind), &g).ok(),
            Some(None),
            "{kind}"
        );
    }
    let e = p
        .deidentify(ItemKind::Hazard, &record_of(ItemKind::Victim), &g)
        .expect_err("a victim is no hazard");
    assert!(e.to_string().contains("not \"hazard\""), "{e}");
    assert!(p.deidentify(ItemKind::Hazard, &json!([1, 2]), &g).is_err());
}
