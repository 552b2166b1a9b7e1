//! The XLSForm mappings of people: accidents with their victims from a KoboToolbox JSON export
//! (group paths, the `victims` repeat, personal data), risk education sessions from an ODK
//! Central CSV (geopoints split into `-Latitude`/`-Longitude` columns, `-` group paths).

mod common;

use chrono::NaiveDate;
use common::{assert_refused, import, item, items, organisation, store};
use safeground_model::{
    ActivityAtTimeOfAccident, AudienceReach, CasualtyOutcome, EducationMethod, ImasCounts,
    ItemKind, OrdnanceCategory, Record, Sex,
};
use safeground_store::{AsOf, ProgrammeStore};

const KOBO_ACCIDENTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/kobo_accident.json"
);
const ODK_RISK_EDUCATION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/odk_central_risk_education.csv"
);

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

#[test]
fn accidents_and_victims_with_personal_data_kept_apart() {
    let mut store = store();
    let out = import(
        &mut store,
        KOBO_ACCIDENTS.as_ref(),
        "xlsform-accident",
        true,
    );
    assert_eq!(out.written.reports, 2, "{:#?}", out.plan.refusals);
    assert_eq!(out.plan.skipped, 1, "the test submission");
    assert_eq!(out.refused().len(), 2);
    let r = out.refusal("submission 4 (3e2c9f4b-8d7a-4f6e-ab5c-4d3e2f1a0b9c)");
    assert_eq!(r.local_id.as_deref(), Some("HALO-ACC-20240405-091000"));
    assert_refused(
        r,
        "victims[0].age_at_accident",
        Some("victims/age"),
        "invalid value: integer `340`",
    );
    assert_refused(
        out.refusal("submission 5 (4f3d0a5c-9e8b-4a7f-bc6d-5e4f3a2b1c0d)"),
        "location",
        Some("grp_accident/gps"),
        "`102.9051` is outside ±90°",
    );

    let accident = item(&store, ItemKind::Accident, "HALO-ACC-20240310-101500");
    assert_eq!(accident.valid_from, d("2024-03-10"));
    let Record::Accident(a) = &accident.record else {
        panic!("{:?}", accident.record)
    };
    assert_eq!((a.date, a.date_known), (Some(d("2024-03-09")), true));
    assert_eq!(a.device_category, Some(OrdnanceCategory::ApMine));
    assert_eq!(a.admin_pcode.as_deref(), Some("KH020305"));
    let p = a.location.expect("location");
    assert_eq!(
        (p.x(), p.y()),
        (102.9033, 13.0512),
        "geopoint is lat lon; stored lon, lat"
    );

    let victims = store
        .linked_items(&accident.item, AsOf::now())
        .expect("linked");
    assert_eq!(victims.len(), 2);
    assert!(victims.iter().all(|(field, _)| *field == "accident"));
    let victim = |local_id: &str| {
        let v = item(&store, ItemKind::Victim, local_id);
        let Record::Victim(r) = &v.record else {
            panic!("{:?}", v.record)
        };
        assert_eq!(r.accident.as_deref(), Some(accident.item.as_str()));
        let json = serde_json::to_string(&v.record).expect("json");
        for personal in ["Sok", "Chan", "Phum Thmei", "012", "1990"] {
            assert!(
                !json.contains(personal),
                "personal data in the victim record: {json}"
            );
        }
        (v.item.clone(), r.clone())
    };
    let (dara_id, dara) = victim("HALO-ACC-20240310-101500-V1");
    assert_eq!((dara.sex, dara.age_at_accident), (Sex::Male, Some(34)));
    assert_eq!(dara.outcome, CasualtyOutcome::Injured);
    assert_eq!(
        dara.activity_at_time,
        Some(ActivityAtTimeOfAccident::Farming)
    );
    assert!(!dara.deminer);
    let (pov_id, pov) = victim("HALO-ACC-20240310-101500-V2");
    assert_eq!(
        (pov.sex, pov.outcome),
        (Sex::Female, CasualtyOutcome::Killed)
    );
    let personal = store
        .victim_personal_data("va-officer", &dara_id, AsOf::now())
        .expect("read")
        .expect("stored apart");
    assert_eq!(personal.full_name, "Sok Dara");
    assert_eq!(
        personal.address.as_deref(),
        Some("Phum Thmei, Kamrieng, Battambang")
    );
    assert_eq!(personal.contact.as_deref(), Some("012 345 678"));
    assert_eq!(personal.date_of_birth, Some(d("1990-01-15")));
    let pov_data = store
        .victim_personal_data("va-officer", &pov_id, AsOf::now())
        .expect("read")
        .expect("stored apart");
    assert_eq!(
        (pov_data.full_name.as_str(), pov_data.date_of_birth),
        ("Chan Sreypov", None)
    );

    let unknown_day = item(&store, ItemKind::Accident, "HALO-ACC-20240402-143000");
    let Record::Accident(u) = &unknown_day.record else {
        panic!("{:?}", unknown_day.record)
    };
    assert_eq!((u.date, u.date_known), (None, false));
    let herder = item(&store, ItemKind::Victim, "HALO-ACC-20240402-143000-V1");
    let no_name = store
        .victim_personal_data("va-officer", &herder.item, AsOf::now())
        .expect("read");
    assert_eq!(no_name, None, "no name given, no personal data");
    assert_eq!(items(&store, ItemKind::Victim).len(), 3);
}

#[test]
fn risk_education_counts_every_cell_from_an_odk_central_csv() {
    let mut store = store();
    organisation(&mut store, "HALO");
    let out = import(
        &mut store,
        ODK_RISK_EDUCATION.as_ref(),
        "xlsform-risk-education",
        true,
    );
    assert_eq!(out.written.reports, 2, "{:#?}", out.plan.refusals);
    assert_eq!(out.plan.skipped, 1);
    assert_eq!(out.refused(), ["row 4", "row 5", "row 6"]);
    assert_refused(
        out.refusal("row 4"),
        "method",
        Some("method"),
        "`puppet_show` is not a known education method",
    );
    assert_refused(
        out.refusal("row 5"),
        "beneficiaries",
        None,
        "no one was reached",
    );
    assert_refused(
        out.refusal("row 6"),
        "beneficiaries.counts[1].count",
        Some("grp_direct-boys_direct"),
        "invalid value: integer `-2`",
    );

    let session = |local_id| match item(&store, ItemKind::RiskEducation, local_id).record {
        Record::RiskEducation(s) => s,
        other => panic!("{other:?}"),
    };
    let s = session("HALO-RE-20240514-090000");
    assert_eq!(s.date, Some(d("2024-05-14")));
    assert_eq!(s.method, Some(EducationMethod::HouseToHouse));
    assert!(s.organisation.is_some_and(|o| o.starts_with("ORG-")));
    let p = s.location.expect("split geopoint");
    assert_eq!((p.x(), p.y()), (103.2022, 13.0931));
    assert_eq!(s.beneficiaries.counts.len(), 8, "one count per cell");
    let imas = |reach| s.beneficiaries.imas(reach);
    assert_eq!(
        imas(AudienceReach::Direct),
        ImasCounts {
            girls: 12,
            boys: 9,
            women: 15,
            men: 7,
            unknown_sex: 0
        }
    );
    assert_eq!(
        imas(AudienceReach::Indirect),
        ImasCounts {
            girls: 30,
            boys: 25,
            women: 40,
            men: 22,
            unknown_sex: 0
        }
    );
    let briefing = session("HALO-RE-20240515-112000");
    assert_eq!(briefing.location, None, "no point taken");
    assert_eq!(briefing.beneficiaries.total(AudienceReach::Direct), 8);
}
