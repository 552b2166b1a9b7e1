//! The training and certification register (every backend runs the suite unchanged): who may
//! write and read personal data (audited), the rules of sessions, enrolments, assessments and
//! certificates, derived expiry, audited suspension and withdrawal, the public-check code, the
//! team warnings and the figures.

#[macro_use]
mod common;

use chrono::NaiveDate;
use safeground_model::Sex;
use safeground_store::training::{
    CertificateState, CertificateStatus, Competency, NewAssessment, NewCertificate,
    NewCourseSession, NewPerson, PersonalDetails, requirements,
};
use safeground_store::{
    AccountStore, NewAccount, ProgrammeStore, Role, SqliteStore, StoreError, TrainingStore,
};

backends!(
    only_the_training_officer_writes_and_reads_personal_data_audited,
    a_certificate_needs_a_passed_assessment_and_expiry_is_derived,
    bad_input_names_the_field_and_stores_nothing,
    suspension_and_withdrawal_are_audited_and_warnings_follow,
    figures_count_without_names,
);

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn users<S: AccountStore>(store: &mut S) {
    for (name, role) in [
        ("officer", Role::TrainingOfficer),
        ("admin", Role::Administrator),
        ("va", Role::VictimAssistance),
    ] {
        let account = NewAccount {
            username: name.into(),
            display_name: format!("User {name}"),
            organisation: "ORG-CMAA".into(),
            role,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        };
        store.add_account("setup", &account).expect("account");
    }
}

fn person(id: &str, org: &str, team: Option<&str>) -> NewPerson {
    NewPerson {
        person_id: id.into(),
        organisation: org.into(),
        sex: Sex::Female,
        birth_year: 1990,
        team: team.map(Into::into),
        personal: PersonalDetails {
            name: format!("Name of {id}"),
            contact: Some("+855 12 345 678".into()),
            national_id: Some("010203040".into()),
        },
    }
}

fn session(competency: Competency, org: &str, start: &str, end: &str) -> NewCourseSession {
    NewCourseSession {
        competency,
        organisation: org.into(),
        place: "Battambang training centre".into(),
        start_date: d(start),
        end_date: d(end),
        instructors: Vec::new(),
    }
}

fn field_of(err: &StoreError) -> String {
    match err {
        StoreError::Invalid(e) => e.0.iter().map(|f| f.field.clone()).collect(),
        other => panic!("not a validation error: {other}"),
    }
}

/// Registers `id` in `team`, trains and certifies them in `competency` from `issued` to
/// `expires`; the certificate's code.
fn certified<S: TrainingStore>(
    store: &mut S,
    id: &str,
    team: &str,
    competency: Competency,
    issued: &str,
    expires: &str,
) -> String {
    store
        .add_trainee("officer", &person(id, "ORG-HALO", Some(team)))
        .expect("person");
    let s = store
        .add_course_session("officer", &session(competency, "ORG-HALO", issued, issued))
        .expect("session");
    store.enrol("officer", s.id, id).expect("enrol");
    store
        .assess(
            "officer",
            &NewAssessment {
                session_id: s.id,
                person_id: id.into(),
                passed: true,
                score: Some(80.0),
                assessed_on: d(issued),
                assessor: "Sok Dara".into(),
            },
        )
        .expect("assess");
    store
        .certify(
            "officer",
            &NewCertificate {
                person_id: id.into(),
                competency,
                issued_on: d(issued),
                expires_on: d(expires),
            },
        )
        .expect("certify")
        .code
}

fn only_the_training_officer_writes_and_reads_personal_data_audited<
    S: TrainingStore + AccountStore + ProgrammeStore,
>(
    mut store: S,
) {
    users(&mut store);
    for who in ["admin", "va", "nobody"] {
        let err = store
            .add_trainee(who, &person("P-000001", "ORG-HALO", None))
            .expect_err("only the officer writes");
        assert!(matches!(err, StoreError::Account(_)), "{err}");
    }
    let p = store
        .add_trainee(
            "officer",
            &person("P-000001", "ORG-HALO", Some("ORG-HALO-MANUAL")),
        )
        .expect("person");
    assert_eq!(p.team.as_deref(), Some("ORG-HALO-MANUAL"));
    let listed = format!("{:?}", store.trainees().expect("list"));
    assert!(
        listed.contains("P-000001") && !listed.contains("Name of"),
        "{listed}"
    );
    for who in ["admin", "va"] {
        store
            .trainee_personal(who, Some("P-000001"))
            .expect_err("administrators and others do not read it");
    }
    let before = store.audit_log().expect("audit").len();
    let personal = store
        .trainee_personal("officer", Some("P-000001"))
        .expect("officer reads");
    assert_eq!(personal[0].1.name, "Name of P-000001");
    let log = store.audit_log().expect("audit");
    assert_eq!(log.len(), before + 1, "one read, one audit entry");
    let last = log.last().expect("entry");
    assert_eq!(
        (
            last.actor.as_str(),
            last.action.as_str(),
            last.target.as_str()
        ),
        (
            "officer",
            "training_personal.read",
            "training_person:P-000001"
        )
    );
    let add = log
        .iter()
        .find(|e| e.action == "training.person.add")
        .expect("audited");
    assert!(
        !add.detail.as_deref().unwrap_or("").contains("Name of"),
        "no personal data in the audit log"
    );
    let err = store
        .add_trainee("officer", &person("P-000001", "ORG-HALO", None))
        .expect_err("duplicate");
    assert!(err.to_string().contains("already registered"), "{err}");
}

fn a_certificate_needs_a_passed_assessment_and_expiry_is_derived<
    S: TrainingStore + AccountStore,
>(
    mut store: S,
) {
    users(&mut store);
    store
        .add_trainee("officer", &person("P-000002", "ORG-HALO", None))
        .expect("person");
    let s = store
        .add_course_session(
            "officer",
            &session(
                Competency::ManualDeminer,
                "ORG-HALO",
                "2024-01-08",
                "2024-02-02",
            ),
        )
        .expect("session");
    store.enrol("officer", s.id, "P-000002").expect("enrol");
    let cert = NewCertificate {
        person_id: "P-000002".into(),
        competency: Competency::ManualDeminer,
        issued_on: d("2024-02-05"),
        expires_on: d("2025-02-04"),
    };
    let err = store.certify("officer", &cert).expect_err("not assessed");
    assert_eq!(field_of(&err), "competency");
    let failed = NewAssessment {
        session_id: s.id,
        person_id: "P-000002".into(),
        passed: false,
        score: Some(41.0),
        assessed_on: d("2024-02-02"),
        assessor: "Sok Dara".into(),
    };
    store.assess("officer", &failed).expect("failed assessment");
    let err = store.certify("officer", &cert).expect_err("failed");
    assert!(err.to_string().contains("passed no assessment"), "{err}");
    let err = store
        .assess("officer", &failed)
        .expect_err("assessed once per session");
    assert!(err.to_string().contains("already been assessed"), "{err}");

    let s2 = store
        .add_course_session(
            "officer",
            &session(Competency::Nts, "ORG-HALO", "2024-01-08", "2024-01-20"),
        )
        .expect("NTS session");
    store.enrol("officer", s2.id, "P-000002").expect("enrol");
    store
        .assess(
            "officer",
            &NewAssessment {
                session_id: s2.id,
                passed: true,
                ..failed.clone()
            },
        )
        .expect("passed NTS");
    let err = store
        .certify("officer", &cert)
        .expect_err("an NTS pass is no manual deminer pass");
    assert_eq!(field_of(&err), "competency");
    let nts = store
        .certify(
            "officer",
            &NewCertificate {
                competency: Competency::Nts,
                ..cert.clone()
            },
        )
        .expect("NTS certificate");
    assert!(nts.code.len() >= 16);
    let found = store
        .certificate_by_code(&nts.code.to_lowercase())
        .expect("lookup")
        .expect("found");
    assert_eq!(found.id, nts.id);
    assert_eq!(found.state_on(d("2025-02-04")), CertificateState::Valid);
    assert_eq!(found.state_on(d("2025-02-05")), CertificateState::Expired);
    assert_eq!(
        found.status,
        CertificateStatus::Valid,
        "expiry is never stored"
    );
    assert!(
        store
            .certificate_by_code("0000000000000000")
            .expect("lookup")
            .is_none()
    );
}

fn bad_input_names_the_field_and_stores_nothing<S: TrainingStore + AccountStore>(mut store: S) {
    users(&mut store);
    assert!(
        "welder".parse::<Competency>().is_err(),
        "unknown competency"
    );
    let mut p = person("P-000003", "ORG-HALO", None);
    p.birth_year = 2020;
    assert_eq!(
        field_of(&store.add_trainee("officer", &p).expect_err("child")),
        "birth_year"
    );
    p.birth_year = 1990;
    p.personal.name = "  ".into();
    assert_eq!(
        field_of(&store.add_trainee("officer", &p).expect_err("no name")),
        "name"
    );
    assert!(store.trainees().expect("list").is_empty(), "nothing stored");
    store
        .add_trainee("officer", &person("P-000003", "ORG-HALO", None))
        .expect("person");
    store
        .add_trainee("officer", &person("P-000004", "ORG-MAG", None))
        .expect("person of MAG");
    let err = store
        .add_course_session(
            "officer",
            &session(Competency::Eod1, "ORG-HALO", "2024-03-10", "2024-03-01"),
        )
        .expect_err("ends before it starts");
    assert_eq!(field_of(&err), "end_date");
    let mut bad = session(Competency::Eod1, "ORG-HALO", "2024-03-01", "2024-03-10");
    bad.instructors = vec!["P-999999".into()];
    let err = store
        .add_course_session("officer", &bad)
        .expect_err("unknown instructor");
    assert_eq!(field_of(&err), "instructors[0]");
    assert!(store.course_sessions().expect("sessions").is_empty());
    let s = store
        .add_course_session(
            "officer",
            &session(Competency::Eod1, "ORG-HALO", "2024-03-01", "2024-03-10"),
        )
        .expect("session");
    let err = store
        .enrol("officer", s.id, "P-000004")
        .expect_err("another organisation");
    assert_eq!(field_of(&err), "person_id");
    assert!(err.to_string().contains("ORG-MAG"), "{err}");
    store.enrol("officer", s.id, "P-000003").expect("enrol");
    let err = store
        .enrol("officer", s.id, "P-000003")
        .expect_err("duplicate enrolment");
    assert!(err.to_string().contains("already enrolled"), "{err}");
    let sessions = store.course_sessions().expect("sessions");
    assert_eq!(sessions[0].participants, vec!["P-000003".to_owned()]);
    let a = NewAssessment {
        session_id: s.id,
        person_id: "P-000003".into(),
        passed: true,
        score: Some(140.0),
        assessed_on: d("2024-03-10"),
        assessor: "Sok Dara".into(),
    };
    assert_eq!(
        field_of(&store.assess("officer", &a).expect_err("score")),
        "score"
    );
    store
        .assess(
            "officer",
            &NewAssessment {
                score: Some(90.0),
                ..a
            },
        )
        .expect("assessed");
    let err = store
        .certify(
            "officer",
            &NewCertificate {
                person_id: "P-000003".into(),
                competency: Competency::Eod1,
                issued_on: d("2024-03-11"),
                expires_on: d("2024-03-01"),
            },
        )
        .expect_err("expires before issue");
    assert_eq!(field_of(&err), "expires_on");
    assert!(store.certificates().expect("certificates").is_empty());
}

fn suspension_and_withdrawal_are_audited_and_warnings_follow<
    S: TrainingStore + AccountStore + ProgrammeStore,
>(
    mut store: S,
) {
    users(&mut store);
    let team = "ORG-HALO-MANUAL";
    let md = Competency::ManualDeminer;
    let ok = certified(&mut store, "P-000010", team, md, "2024-01-10", "2026-01-09");
    certified(&mut store, "P-000011", team, md, "2023-01-10", "2024-12-31");
    let suspended = certified(&mut store, "P-000012", team, md, "2024-01-10", "2026-01-09");
    store
        .add_trainee("officer", &person("P-000013", "ORG-HALO", Some(team)))
        .expect("untrained member");

    let err = store
        .suspend_certificate("officer", &suspended, "no", d("2025-01-10"))
        .expect_err("reason too short");
    assert_eq!(field_of(&err), "reason");
    store
        .suspend_certificate("admin", &suspended, "failed the QA check", d("2025-01-10"))
        .expect_err("only the officer");
    let c = store
        .suspend_certificate(
            "officer",
            &suspended,
            "failed the QA check of 9 January",
            d("2025-01-10"),
        )
        .expect("suspend");
    assert_eq!(c.status, CertificateStatus::Suspended);
    assert_eq!(c.state_on(d("2025-01-09")), CertificateState::Valid);
    assert_eq!(c.state_on(d("2025-01-10")), CertificateState::Suspended);
    let err = store
        .suspend_certificate("officer", &suspended, "again, twice over", d("2025-01-11"))
        .expect_err("already suspended");
    assert!(err.to_string().contains("is suspended"), "{err}");
    let log = store.audit_log().expect("audit");
    let entry = log
        .iter()
        .find(|e| e.action == "training.suspend")
        .expect("suspension audited");
    assert!(
        entry
            .detail
            .as_deref()
            .unwrap_or("")
            .contains("failed the QA check"),
        "{entry:?}"
    );

    let needs = requirements(
        safeground_model::ActivityType::Clearance,
        &[safeground_model::AssetType::Manual],
    );
    let warnings = store
        .team_warnings(team, &needs, d("2025-03-04"))
        .expect("warnings");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0].message;
    assert!(
        w.starts_with(
            "team ORG-HALO-MANUAL: 3 of 4 members hold no valid manual_deminer certificate on \
             2025-03-04"
        ),
        "{w}"
    );
    for part in [
        "P-000011 expired 2024-12-31",
        "P-000012 suspended 2025-01-10",
        "P-000013 none",
    ] {
        assert!(w.contains(part), "{w}");
    }
    assert!(!w.contains("P-000010"), "{w}");
    assert!(
        store
            .team_warnings(team, &needs, d("2024-06-01"))
            .expect("warnings")[0]
            .message
            .starts_with("team ORG-HALO-MANUAL: 1 of 4"),
        "only the untrained member lacks one in June 2024"
    );
    let eod = requirements(safeground_model::ActivityType::EodSpotTask, &[]);
    assert_eq!(
        store
            .team_warnings(team, &eod, d("2025-03-04"))
            .expect("eod")[0]
            .lacking
            .len(),
        4
    );
    assert!(
        store
            .team_warnings("ORG-MAG-MANUAL", &needs, d("2025-03-04"))
            .expect("no members")
            .is_empty()
    );

    let w = store
        .withdraw_certificate(
            "officer",
            &ok,
            "fraudulent assessment record",
            d("2025-02-01"),
        )
        .expect("withdraw");
    assert_eq!(w.status, CertificateStatus::Withdrawn);
    assert_eq!(
        w.status_reason.as_deref(),
        Some("fraudulent assessment record")
    );
    store
        .withdraw_certificate(
            "officer",
            &suspended,
            "confirmed after the inquiry",
            d("2025-02-01"),
        )
        .expect("a suspended one may be withdrawn");
    let err = store
        .withdraw_certificate("officer", &ok, "once more, again", d("2025-02-02"))
        .expect_err("already withdrawn");
    assert!(err.to_string().contains("withdrawn"), "{err}");
    assert!(
        store
            .audit_log()
            .expect("audit")
            .iter()
            .filter(|e| e.action == "training.withdraw")
            .count()
            == 2
    );
}

fn figures_count_without_names<S: TrainingStore + AccountStore>(mut store: S) {
    users(&mut store);
    certified(
        &mut store,
        "P-000020",
        "ORG-HALO-MANUAL",
        Competency::ManualDeminer,
        "2024-05-01",
        "2026-04-30",
    );
    certified(
        &mut store,
        "P-000021",
        "ORG-HALO-MANUAL",
        Competency::ManualDeminer,
        "2024-06-01",
        "2026-05-31",
    );
    let figures = store.training_figures().expect("figures");
    assert_eq!(figures.len(), 1, "{figures:?}");
    let f = &figures[0];
    assert_eq!(
        (
            f.organisation.as_str(),
            f.competency,
            f.sex,
            f.age_band,
            f.year,
            f.participants,
            f.certificates
        ),
        (
            "ORG-HALO",
            Competency::ManualDeminer,
            Sex::Female,
            "25_34",
            2024,
            2,
            2
        )
    );
    let text = serde_json::to_string(&figures).expect("json");
    assert!(
        !text.contains("P-0000") && !text.contains("Name of"),
        "{text}"
    );
}
