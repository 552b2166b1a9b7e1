//! The demo's training and certification register: four people in each operator's manual and
//! dog team (40 in all, personal data included), a course of the team's competency three
//! years ago and a refresher this year, an EOD level 1 course, assessments (one member of each
//! team failed), certificates valid for two years — so some have expired, one is suspended,
//! and the teams' activities show warnings.

use chrono::{Datelike, Duration, NaiveDate};
use safeground_model::{AssetType, OrganisationKind, Sex};
use safeground_store::training::{
    Competency, NewAssessment, NewCertificate, NewCourseSession, NewPerson, PersonalDetails,
};
use safeground_store::{Result, TrainingStore};

use crate::places::{GIVEN_NAMES, ORGANISATIONS};

/// What [`populate`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrainingDemo {
    /// People registered.
    pub people: usize,
    /// Course sessions.
    pub sessions: usize,
    /// Certificates issued.
    pub certificates: usize,
    /// Certificates suspended.
    pub suspended: usize,
}

const FAMILY_NAMES: &[&str] = &["Chan", "Sok", "Keo", "Lim", "Mao", "Pich", "Heng", "Ly"];

/// Writes the demo register as `officer` (an enabled training officer), dated from `today`.
pub fn populate<S: TrainingStore + ?Sized>(
    store: &mut S,
    officer: &str,
    today: NaiveDate,
) -> Result<TrainingDemo> {
    let mut done = TrainingDemo::default();
    let mut n = 0usize;
    let first = today - Duration::days(3 * 365);
    let refresher = today - Duration::days(120);
    for (org, _, acronym, kind) in ORGANISATIONS {
        if *kind != OrganisationKind::Operator {
            continue;
        }
        for (asset, competency) in [
            (AssetType::Manual, Competency::ManualDeminer),
            (AssetType::MineDetectionDog, Competency::MddHandler),
        ] {
            let team = format!("{org}-{}", asset.code().to_uppercase());
            let mut members = Vec::new();
            for i in 0..4 {
                n += 1;
                let id = format!("P-{n:06}");
                let person = NewPerson {
                    person_id: id.clone(),
                    organisation: (*org).into(),
                    sex: if n.is_multiple_of(3) {
                        Sex::Female
                    } else {
                        Sex::Male
                    },
                    birth_year: today.year() - 22 - ((n * 7) % 30) as i32,
                    team: Some(team.clone()),
                    personal: PersonalDetails {
                        name: format!(
                            "{} {}",
                            FAMILY_NAMES[n % FAMILY_NAMES.len()],
                            GIVEN_NAMES[(n * 5 + i) % GIVEN_NAMES.len()]
                        ),
                        contact: Some(format!("+855 12 {:03} {:03}", n * 37 % 1000, n * 91 % 1000)),
                        national_id: Some(format!("{:09}", 100_000_000 + n * 7919)),
                    },
                };
                store.add_trainee(officer, &person)?;
                members.push(id);
            }
            done.people += members.len();
            // The first course: everyone but the last member passes; two-year certificates,
            // expired by now.
            let place = format!("{acronym} training centre");
            course(
                store, officer, competency, org, &place, first, &members, 3, &mut done,
            )?;
            // The refresher: the first two members only.
            course(
                store,
                officer,
                competency,
                org,
                &place,
                refresher,
                &members[..2],
                2,
                &mut done,
            )?;
        }
        // An EOD level 1 course for the first member of the manual team.
        let first_member = format!("P-{:06}", n - 7);
        course(
            store,
            officer,
            Competency::Eod1,
            org,
            &format!("{acronym} EOD range"),
            today - Duration::days(300),
            std::slice::from_ref(&first_member),
            1,
            &mut done,
        )?;
    }
    // One refreshed manual deminer is suspended after a QA finding.
    if let Some(c) = store
        .certificates()?
        .into_iter()
        .rev()
        .find(|c| c.competency == Competency::ManualDeminer && c.issued_on > first)
    {
        store.suspend_certificate(
            officer,
            &c.code,
            "QA visit found the excavation drill not followed; retraining ordered",
            today - Duration::days(30),
        )?;
        done.suspended += 1;
    }
    Ok(done)
}

/// A session of `competency` starting `start` (ten days) with `people` enrolled, the first
/// `passing` of them passing and certified for two years.
#[allow(clippy::too_many_arguments)]
fn course<S: TrainingStore + ?Sized>(
    store: &mut S,
    officer: &str,
    competency: Competency,
    organisation: &str,
    place: &str,
    start: NaiveDate,
    people: &[String],
    passing: usize,
    done: &mut TrainingDemo,
) -> Result<()> {
    let end = start + Duration::days(10);
    let session = NewCourseSession {
        competency,
        organisation: organisation.into(),
        place: place.into(),
        start_date: start,
        end_date: end,
        instructors: Vec::new(),
    };
    let s = store.add_course_session(officer, &session)?;
    done.sessions += 1;
    for (i, id) in people.iter().enumerate() {
        store.enrol(officer, s.id, id)?;
        let passed = i < passing;
        let a = NewAssessment {
            session_id: s.id,
            person_id: id.clone(),
            passed,
            score: Some(if passed { 72.0 + (i * 6) as f64 } else { 48.0 }),
            assessed_on: end,
            assessor: "CMAA accreditation team".into(),
        };
        store.assess(officer, &a)?;
        if passed {
            let c = NewCertificate {
                person_id: id.clone(),
                competency,
                issued_on: end + Duration::days(3),
                expires_on: end + Duration::days(3 + 2 * 365),
            };
            store.certify(officer, &c)?;
            done.certificates += 1;
        }
    }
    Ok(())
}
