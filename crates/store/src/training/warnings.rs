//! Which competencies an activity needs, and the warnings about a team whose members lack a
//! valid certificate for it on the activity's start date. Warnings inform the reviewer; they
//! never block an approval.
//!
//! | activity type                                             | asset                 | competency      |
//! |-----------------------------------------------------------|-----------------------|-----------------|
//! | clearance, TS, road clearance/verification, progress, completion | manual        | manual_deminer  |
//! | the same                                                  | mine detection dog    | mdd_handler     |
//! | EOD spot task, battle area clearance                      | any                   | eod_1 or higher |
//! | non-technical survey                                      | any                   | nts             |

use chrono::NaiveDate;
use safeground_model::{Activity, ActivityType, AssetType};
use serde::Serialize;

use super::{Certificate, CertificateState, Competency, Person};

/// A competency work needs: the one named, and every competency that meets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// The competency named in the warning.
    pub competency: Competency,
    /// The competencies that meet it (EOD levels meet lower levels).
    pub accepted: Vec<Competency>,
}

impl Requirement {
    fn only(c: Competency) -> Self {
        Requirement {
            competency: c,
            accepted: vec![c],
        }
    }
}

/// The competencies an activity of `kind` done with `assets` needs (see the module's table).
pub fn requirements(kind: ActivityType, assets: &[AssetType]) -> Vec<Requirement> {
    use ActivityType as A;
    match kind {
        A::Clearance
        | A::Ts
        | A::RoadClearance
        | A::RoadVerification
        | A::Progress
        | A::Completion => {
            let mut needs = Vec::new();
            if assets.contains(&AssetType::Manual) {
                needs.push(Requirement::only(Competency::ManualDeminer));
            }
            if assets.contains(&AssetType::MineDetectionDog) {
                needs.push(Requirement::only(Competency::MddHandler));
            }
            needs
        }
        A::EodSpotTask | A::Bac => vec![Requirement {
            competency: Competency::Eod1,
            accepted: vec![
                Competency::Eod1,
                Competency::Eod2,
                Competency::Eod3,
                Competency::Eod4,
            ],
        }],
        A::Nts => vec![Requirement::only(Competency::Nts)],
        _ => Vec::new(),
    }
}

/// The competencies `activity` needs: its type with the assets it names (its own and its
/// released areas').
pub fn activity_requirements(activity: &Activity) -> Vec<Requirement> {
    let mut assets = activity.assets.clone();
    assets.extend(activity.released_areas.iter().filter_map(|r| r.asset_type));
    requirements(activity.activity_type, &assets)
}

/// What one team lacks for one requirement on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamWarning {
    /// The team (local id).
    pub team: String,
    /// The competency needed.
    pub competency: Competency,
    /// The day checked (the activity's start).
    pub day: NaiveDate,
    /// Members of the team registered.
    pub members: usize,
    /// Members without a valid certificate: (person id, why: `expired 2024-12-31`,
    /// `suspended 2025-01-10`, `withdrawn …`, `none`).
    pub lacking: Vec<(String, String)>,
    /// The warning in words.
    pub message: String,
}

/// Why `person` holds no valid certificate meeting `need` on `day`, or None when they do.
fn lack(
    person: &Person,
    certificates: &[Certificate],
    need: &Requirement,
    day: NaiveDate,
) -> Option<String> {
    let mut held: Vec<&Certificate> = certificates
        .iter()
        .filter(|c| {
            c.person_id == person.person_id
                && need.accepted.contains(&c.competency)
                && c.issued_on <= day
        })
        .collect();
    if held
        .iter()
        .any(|c| c.state_on(day) == CertificateState::Valid)
    {
        return None;
    }
    held.sort_by_key(|c| (c.expires_on, c.id));
    let Some(last) = held.last() else {
        return Some("none".into());
    };
    Some(match last.state_on(day) {
        CertificateState::Expired => format!("expired {}", last.expires_on),
        state => format!(
            "{} {}",
            state.code(),
            last.status_date.map_or_else(String::new, |d| d.to_string())
        ),
    })
}

/// The warnings about `team` (its registered `members`) for `needs` on `day`.
pub(crate) fn check(
    team: &str,
    members: &[Person],
    certificates: &[Certificate],
    needs: &[Requirement],
    day: NaiveDate,
) -> Vec<TeamWarning> {
    needs
        .iter()
        .filter_map(|need| {
            let lacking: Vec<(String, String)> = members
                .iter()
                .filter_map(|p| {
                    lack(p, certificates, need, day).map(|why| (p.person_id.clone(), why))
                })
                .collect();
            if lacking.is_empty() {
                return None;
            }
            let list: Vec<String> = lacking
                .iter()
                .map(|(id, why)| format!("{id} {why}"))
                .collect();
            let higher = if need.accepted.len() > 1 {
                " (or higher)"
            } else {
                ""
            };
            Some(TeamWarning {
                message: format!(
                    "team {team}: {} of {} members hold no valid {}{higher} certificate on {day} \
                     ({})",
                    lacking.len(),
                    members.len(),
                    need.competency,
                    list.join(", ")
                ),
                team: team.to_owned(),
                competency: need.competency,
                day,
                members: members.len(),
                lacking,
            })
        })
        .collect()
}
