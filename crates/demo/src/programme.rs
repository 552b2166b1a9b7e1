//! The generator itself.

use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use safeground_model::{
    Accident, Activity, ActivityAtTimeOfAccident, ActivityStatus, ActivityType, AdminArea, AgeBand,
    Asset, AssetType, Assistance, AssistanceType, AudienceReach, Beneficiaries, BeneficiaryCount,
    CasualtyOutcome, ContaminationType, DisposalMethod, EoFind, EvidenceType, Hazard, HazardClass,
    HazardStatus, ItemCondition, NonConformity, NonConformityCategory, OrdnanceCategory,
    Organisation, OrganisationKind, QaType, QaVisit, Record, ReleaseMethod, ReleasedArea,
    RiskEducationSession, Sex, Team, TeamKind, Victim, VictimPersonalData,
};
use safeground_store::{NewReport, Reconcile, ReportEntry};

use crate::places::{
    ASSISTANCE_PROVIDERS, CMR_ITEMS, Country, DONORS, FAMILY_NAMES, GIVEN_NAMES, MINE_ITEMS,
    OPERATORS, ORGANISATIONS, PROVINCES, Place, VILLAGES,
};
use crate::shapes::Outline;

/// A generated programme: its reports in the order they were written.
#[derive(Debug)]
pub struct Programme {
    /// Reports sorted by date of information (creation order within a day).
    pub reports: Vec<NewReport>,
}

struct Gen {
    rng: SmallRng,
    /// Victim-assistance services draw from their own stream, so that adding them left every
    /// other generated figure unchanged.
    care: SmallRng,
    last_day: NaiveDate,
    /// Where the programme lies.
    country: Country,
    /// (date, sequence, report)
    out: Vec<(NaiveDate, usize, NewReport)>,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

impl Gen {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.random_range(0..items.len())]
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }

    fn days_after(&mut self, d: NaiveDate, min: i64, max: i64) -> NaiveDate {
        d + Duration::days(self.rng.random_range(min..=max))
    }

    fn push(
        &mut self,
        title: String,
        organisation: &str,
        day: NaiveDate,
        entries: Vec<ReportEntry>,
    ) {
        let seq = self.out.len();
        self.out.push((
            day,
            seq,
            NewReport {
                organisation: Some(organisation.to_owned()),
                title,
                source: Some("demo".into()),
                date_of_information: day,
                entries,
            },
        ));
    }

    fn province(&mut self) -> Place {
        let total: u32 = PROVINCES.iter().map(|p| p.weight).sum();
        let mut pick = self.rng.random_range(0..total);
        for p in PROVINCES {
            if pick < p.weight {
                return self.country.place(p);
            }
            pick -= p.weight;
        }
        self.country.place(&PROVINCES[0])
    }
}

/// Generates a programme of `hazards` hazards with `seed`; no date is later than `today`.
pub fn generate(hazards: usize, seed: u64, today: NaiveDate) -> Programme {
    generate_in(Country::CAMBODIA, hazards, seed, today)
}

/// [`generate`] in `country`: the same programme moved and renamed there.
pub fn generate_in(country: Country, hazards: usize, seed: u64, today: NaiveDate) -> Programme {
    let mut g = Gen {
        rng: SmallRng::seed_from_u64(seed),
        care: SmallRng::seed_from_u64(seed ^ 0x5641),
        last_day: today.min(date(2026, 6, 30)),
        country,
        out: Vec::new(),
    };
    let start = date(2015, 1, 5);
    setup(&mut g, date(2014, 6, 2));
    for n in 1..=hazards {
        hazard_history(&mut g, n, start);
    }
    let years = (start.year()..=g.last_day.year()).collect::<Vec<_>>();
    let scale = (hazards as f64 / 3000.0).max(0.02);
    for &year in &years {
        let accidents = ((60.0 - 4.5 * f64::from(year - start.year())) * scale)
            .round()
            .max(1.0);
        for k in 0..accidents as usize {
            accident(&mut g, year, k);
        }
        for k in 0..(150.0 * scale).round().max(1.0) as usize {
            risk_education(&mut g, year, k);
        }
    }
    let last_day = g.last_day;
    g.out.retain(|(d, _, _)| *d <= last_day);
    g.out.sort_by_key(|(d, seq, _)| (*d, *seq));
    Programme {
        reports: g.out.into_iter().map(|(_, _, r)| r).collect(),
    }
}

fn setup(g: &mut Gen, day: NaiveDate) {
    let orgs = ORGANISATIONS
        .iter()
        .map(|(id, name, acronym, kind)| {
            ReportEntry::new(Record::Organisation(Organisation {
                local_id: (*id).into(),
                name: (*name).into(),
                acronym: (*acronym).into(),
                organisation_type: *kind,
            }))
        })
        .collect();
    g.push("Accredited organisations".into(), "ORG-CMAA", day, orgs);
    // Every operator fields one team per asset type (APOPO's detection animals are rats).
    let mut teams = Vec::new();
    for (org, _, acronym, kind) in ORGANISATIONS {
        if *kind != OrganisationKind::Operator {
            continue;
        }
        for asset in [
            AssetType::Manual,
            AssetType::MineDetectionDog,
            AssetType::MineDetectionRat,
            AssetType::Machine,
        ] {
            let (kind, names): (TeamKind, &[&str]) = match asset {
                AssetType::Manual => (TeamKind::Manual, &["Section 1", "Section 2"]),
                AssetType::MineDetectionDog => (TeamKind::MineDetectionDog, &["Rex", "Bella"]),
                AssetType::MineDetectionRat => {
                    (TeamKind::MineDetectionRat, &["Magawa", "Ronin", "Kofi"])
                }
                AssetType::Machine => (TeamKind::Mechanical, &["GCS-200 #1"]),
            };
            teams.push(ReportEntry::new(Record::Team(Team {
                local_id: team_id(org, asset),
                name: format!(
                    "{acronym} {} team",
                    asset.label().to_lowercase().trim_end_matches(" team")
                ),
                organisation: (*org).into(),
                team_type: kind,
                assets: names
                    .iter()
                    .map(|n| Asset {
                        asset_type: asset,
                        identifier: (*n).into(),
                    })
                    .collect(),
            })));
        }
    }
    g.push("Accredited teams".into(), "ORG-CMAA", day, teams);
    let country = g.country;
    let mut areas = vec![ReportEntry::new(Record::AdminArea(AdminArea {
        pcode: country.code.into(),
        name: country.name.into(),
        level: 0,
        parent_pcode: None,
        geometry: Some(country.boundary()),
    }))];
    areas.extend(PROVINCES.iter().map(|p| {
        let p = country.place(p);
        ReportEntry::new(Record::AdminArea(AdminArea {
            geometry: Some(country.province_boundary(&p)),
            pcode: p.pcode,
            name: p.name.into(),
            level: 1,
            parent_pcode: Some(country.code.into()),
        }))
    }));
    g.push("Administrative areas".into(), "ORG-CMAA", day, areas);
}

/// Local id of an operator's team for an asset type.
/// The donor funding an organisation's work in a year: agreements rotate between the donors,
/// and one year in four the work is paid from the national budget (no donor).
fn donor_for(organisation: &str, year: i32) -> Option<String> {
    let org = ORGANISATIONS
        .iter()
        .position(|(id, ..)| *id == organisation)
        .unwrap_or(0);
    let slot = (org + year.rem_euclid(1000) as usize) % (DONORS.len() + 1);
    DONORS.get(slot).map(|d| (*d).to_owned())
}

fn team_id(organisation: &str, asset: AssetType) -> String {
    format!("{organisation}-{}", asset.code().to_uppercase())
}

fn asset(g: &mut Gen) -> AssetType {
    *g.pick(&[
        AssetType::Manual,
        AssetType::Manual,
        AssetType::Manual,
        AssetType::MineDetectionDog,
        AssetType::MineDetectionRat,
        AssetType::Machine,
    ])
}

/// One hazard: recorded, then perhaps surveyed, reduced and cleared over the years.
fn hazard_history(g: &mut Gen, n: usize, start: NaiveDate) {
    let province = g.province();
    let lon = g.rng.random_range(province.lon.0..province.lon.1);
    let lat = g.rng.random_range(province.lat.0..province.lat.1);
    let outline = Outline::random(&mut g.rng, lon, lat);
    let geometry = outline.polygon();
    let area = safeground_geo::geodesic_area(&geometry);
    let local_id = format!("{}-HA-{n:05}", province.pcode);
    let operator = ORGANISATIONS[*g.pick(OPERATORS)].0;
    let recorded = g.days_after(start, 0, 365 * 8);
    let class = if g.chance(0.3) {
        HazardClass::Cha
    } else {
        HazardClass::Sha
    };
    let contamination = if province.cmr {
        vec![ContaminationType::Cmr]
    } else if g.chance(0.25) {
        vec![ContaminationType::ApMines, ContaminationType::AtMines]
    } else {
        vec![ContaminationType::ApMines]
    };
    let evidence = if class == HazardClass::Cha {
        vec![EvidenceType::ReportedDetonation, EvidenceType::PresenceOfEo]
    } else {
        vec![EvidenceType::VerbalInformation]
    };
    let hazard = Hazard {
        local_id: local_id.clone(),
        name: format!("{} {}", g.pick(VILLAGES), n),
        class,
        status: HazardStatus::Open,
        status_change: None,
        organisation: Some(operator.into()),
        admin_pcode: Some(province.pcode.clone()),
        evidence,
        contamination,
        reported_area_m2: Some((area * g.rng.random_range(0.9..1.15)).round()),
        first_recorded: Some(recorded),
        geometry: Some(geometry),
        comment: None,
    };
    let mut revisit = g.chance(0.15).then(|| hazard.clone());
    g.push(
        format!("Hazard {local_id} ({})", class.label()),
        operator,
        recorded,
        vec![ReportEntry::new(Record::Hazard(hazard))],
    );
    // Some hazards are revisited before any work: more evidence, a corrected reported area.
    if let Some(h) = revisit.as_mut() {
        let day = g.days_after(recorded, 10, 50);
        h.evidence.push(EvidenceType::ScrapMetal);
        h.reported_area_m2 = Some(area.round());
        h.comment = Some("Revisited: scrap metal found, area re-measured".into());
        g.push(
            format!("Hazard {local_id} revisited"),
            operator,
            day,
            vec![ReportEntry {
                record: Record::Hazard(h.clone()),
                reconcile: Reconcile::Update {
                    item: local_id.clone(),
                    base_version: None,
                },
                personal_data: None,
            }],
        );
    }
    let recorded = revisit.map_or(recorded, |_| recorded + Duration::days(50));

    // Land release: consecutive wedges of the outline, in the order the work happened.
    let nv = outline.vertices.len();
    let mut next = 0usize; // first vertex not yet released
    let mut day = recorded;
    let mut seq = 0usize;
    let mut activity = |g: &mut Gen,
                        day: NaiveDate,
                        kind: ActivityType,
                        status: ActivityStatus,
                        method: ReleaseMethod,
                        wedge: (usize, usize),
                        asset: Option<AssetType>|
     -> (String, Vec<ReportEntry>) {
        seq += 1;
        let id = format!("{local_id}-A{seq:02}");
        let geometry = outline.wedge(wedge.0, wedge.1);
        let start_date = day - Duration::days(g.rng.random_range(3..60));
        let act = Activity {
            local_id: id.clone(),
            activity_type: kind,
            status,
            organisation: Some(operator.into()),
            team: Some(team_id(operator, asset.unwrap_or(AssetType::Manual))),
            donor: donor_for(operator, day.year()),
            hazard: Some(local_id.clone()),
            hazards: Vec::new(),
            admin_pcode: Some(province.pcode.clone()),
            start_date: Some(start_date),
            end_date: Some(day),
            released_areas: vec![ReleasedArea {
                method,
                asset_type: asset,
                technical_asset_used: asset.is_some_and(|a| a != AssetType::Manual),
                clearance_depth_cm: (method == ReleaseMethod::Cleared).then_some(13),
                reported_area_m2: Some(safeground_geo::geodesic_area(&geometry).round()),
                geometry,
            }],
            assets: asset.into_iter().collect(),
            comment: None,
        };
        (id, vec![ReportEntry::new(Record::Activity(act))])
    };

    // Non-technical survey cancels part (sometimes all) of a suspected area.
    if class == HazardClass::Sha && g.chance(0.45) {
        day = g.days_after(day, 60, 500);
        if g.chance(0.15) {
            let (_, entries) = activity(
                g,
                day,
                ActivityType::Cancellation,
                ActivityStatus::Completed,
                ReleaseMethod::Cancelled,
                (0, nv),
                None,
            );
            g.push(
                format!("Cancellation of {local_id}"),
                operator,
                day,
                entries,
            );
            return;
        }
        let to = g.rng.random_range(1..nv / 2);
        let (_, entries) = activity(
            g,
            day,
            ActivityType::Nts,
            ActivityStatus::Completed,
            ReleaseMethod::Cancelled,
            (0, to),
            None,
        );
        g.push(
            format!("Non-technical survey of {local_id}"),
            operator,
            day,
            entries,
        );
        next = to;
    }
    // Technical survey reduces a further part.
    if g.chance(0.35) && next + 2 < nv {
        day = g.days_after(day, 30, 400);
        let to = g.rng.random_range(next + 1..nv - 1);
        let a = if g.chance(0.5) {
            AssetType::MineDetectionDog
        } else {
            AssetType::Machine
        };
        let (_, entries) = activity(
            g,
            day,
            ActivityType::Ts,
            ActivityStatus::Completed,
            ReleaseMethod::Reduced,
            (next, to),
            Some(a),
        );
        g.push(
            format!("Technical survey of {local_id}"),
            operator,
            day,
            entries,
        );
        next = to;
    }
    // Clearance: progress reports, then a completion report that clears the rest; EO found on
    // the way is reported with each.
    if g.chance(0.55) {
        let asset_type = asset(g);
        let mut clear = |g: &mut Gen, day: NaiveDate, kind, status, wedge: (usize, usize)| {
            let (id, mut entries) = activity(
                g,
                day,
                kind,
                status,
                ReleaseMethod::Cleared,
                wedge,
                Some(asset_type),
            );
            finds(
                g,
                &outline,
                &province,
                &local_id,
                &id,
                wedge.0,
                day,
                &mut entries,
            );
            let what = if kind == ActivityType::Completion {
                "completion of"
            } else {
                "progress on"
            };
            g.push(
                format!("Clearance {what} {local_id}"),
                operator,
                day,
                entries,
            );
            id
        };
        for _ in 0..g.rng.random_range(1..=3usize) {
            if next + 2 >= nv {
                break;
            }
            day = g.days_after(day, 20, 200);
            let to = g.rng.random_range(next + 1..nv - 1);
            clear(
                g,
                day,
                ActivityType::Progress,
                ActivityStatus::Ongoing,
                (next, to),
            );
            next = to;
        }
        if g.chance(0.65) {
            day = g.days_after(day, 20, 200);
            let id = clear(
                g,
                day,
                ActivityType::Completion,
                ActivityStatus::Completed,
                (next, nv),
            );
            if g.chance(0.2) {
                let visit = g.days_after(day, 1, 30);
                qa_visit(g, &id, operator, visit);
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn finds(
    g: &mut Gen,
    outline: &Outline,
    province: &Place,
    hazard: &str,
    activity: &str,
    from: usize,
    day: NaiveDate,
    entries: &mut Vec<ReportEntry>,
) {
    let count = [0, 0, 1, 1, 1, 2, 3, 5][g.rng.random_range(0..8)];
    for k in 0..count {
        let (category, model) = *g.pick(if province.cmr { CMR_ITEMS } else { MINE_ITEMS });
        entries.push(ReportEntry::new(Record::EoFind(EoFind {
            local_id: format!("{activity}-EO{k:02}"),
            activity: Some(activity.into()),
            hazard: Some(hazard.into()),
            category: category.parse().unwrap_or(OrdnanceCategory::Uxo),
            model: Some(model.into()),
            quantity: g.rng.random_range(1..=3),
            condition: Some(ItemCondition::Armed),
            depth_cm: Some(g.rng.random_range(2..20)),
            disposal: Some(DisposalMethod::DestroyedInSitu),
            found_date: Some(day - Duration::days(1)),
            destroyed_date: Some(day),
            location: Some(outline.point_in_wedge(&mut g.rng, from)),
        })));
    }
}

fn qa_visit(g: &mut Gen, activity: &str, operator: &str, day: NaiveDate) {
    let mut non_conformities = Vec::new();
    if g.chance(0.25) {
        non_conformities.push(NonConformity {
            category: NonConformityCategory::Minor,
            description: "Marking of the cleared lane incomplete".into(),
            corrective_action: Some("Re-mark lane boundaries".into()),
            closed: true,
        });
    }
    let qa = QaVisit {
        local_id: format!("{activity}-QA"),
        qa_type: QaType::Qc,
        activity: Some(activity.into()),
        organisation: Some("ORG-CMAA".into()),
        date: Some(day),
        non_conformities,
    };
    g.push(
        format!("QC visit to {activity}"),
        operator,
        day,
        vec![ReportEntry::new(Record::QaVisit(qa))],
    );
}

fn accident(g: &mut Gen, year: i32, k: usize) {
    let province = g.province();
    let day = g.days_after(date(year, 1, 1), 0, 364);
    let report_day = g.days_after(day, 1, 20);
    let id = format!("{}-ACC-{year}-{k:03}", province.pcode);
    let lon = g.rng.random_range(province.lon.0..province.lon.1);
    let lat = g.rng.random_range(province.lat.0..province.lat.1);
    let device = if province.cmr {
        OrdnanceCategory::Submunition
    } else if g.chance(0.7) {
        OrdnanceCategory::ApMine
    } else {
        OrdnanceCategory::Uxo
    };
    let mut entries = vec![ReportEntry::new(Record::Accident(Accident {
        local_id: id.clone(),
        date: Some(day),
        date_known: true,
        admin_pcode: Some(province.pcode.clone()),
        device_category: Some(device),
        location: Some(geo_types::Point::new(lon, lat)),
        description: Some("Civilian accident reported by the village chief".into()),
        hazard: None,
    }))];
    let victims = *g.pick(&[1, 1, 1, 2, 2, 3]);
    let mut survivors = Vec::new();
    for v in 0..victims {
        let age: u8 = g.rng.random_range(6..70);
        let sex = if g.chance(0.8) {
            Sex::Male
        } else {
            Sex::Female
        };
        let activity = *g.pick(&[
            ActivityAtTimeOfAccident::Farming,
            ActivityAtTimeOfAccident::Farming,
            ActivityAtTimeOfAccident::Herding,
            ActivityAtTimeOfAccident::CollectingWoodOrFood,
            ActivityAtTimeOfAccident::Travelling,
            ActivityAtTimeOfAccident::Tampering,
            ActivityAtTimeOfAccident::Playing,
        ]);
        let birth = day - Duration::days(i64::from(age) * 365 + g.rng.random_range(10..360));
        let entry = ReportEntry {
            record: Record::Victim(Victim {
                local_id: format!("{id}-V{v}"),
                accident: Some(id.clone()),
                sex,
                age_at_accident: Some(age),
                outcome: if g.chance(0.3) {
                    CasualtyOutcome::Killed
                } else {
                    survivors.push((format!("{id}-V{v}"), sex, age));
                    CasualtyOutcome::Injured
                },
                activity_at_time: Some(activity),
                deminer: false,
            }),
            reconcile: Default::default(),
            personal_data: Some(VictimPersonalData {
                full_name: format!("{} {}", g.pick(FAMILY_NAMES), g.pick(GIVEN_NAMES)),
                address: Some(format!("{} village, {}", g.pick(VILLAGES), province.name)),
                contact: None,
                date_of_birth: Some(birth),
            }),
        };
        entries.push(entry);
    }
    g.push(format!("Accident {id}"), "ORG-CMAA", report_day, entries);
    for (victim, sex, age) in survivors {
        assistance(g, &province, &victim, sex, age, report_day);
    }
}

/// The services a survivor receives after the accident was reported: first aid and medical
/// care, then often rehabilitation, psychosocial support and help back to work, each reported by
/// the provider that delivered it.
fn assistance(g: &mut Gen, province: &Place, victim: &str, sex: Sex, age: u8, reported: NaiveDate) {
    let plan = [
        (AssistanceType::MedicalCare, 1.0, 1, 10),
        (AssistanceType::Rehabilitation, 0.5, 30, 200),
        (AssistanceType::PsychosocialSupport, 0.3, 10, 120),
        (AssistanceType::SocioEconomicInclusion, 0.25, 120, 400),
    ];
    for (k, (service, p, min, max)) in plan.into_iter().enumerate() {
        if g.care.random::<f64>() >= p {
            continue;
        }
        let day = reported + Duration::days(g.care.random_range(min..=max));
        let provider = ASSISTANCE_PROVIDERS[g.care.random_range(0..ASSISTANCE_PROVIDERS.len())];
        let record = Assistance {
            local_id: format!("{victim}-VA{k}"),
            victim: Some(victim.to_owned()),
            organisation: Some(provider.into()),
            donor: donor_for(provider, day.year()),
            date: Some(day),
            admin_pcode: Some(province.pcode.clone()),
            service,
            sex,
            age: Some(
                age.saturating_add(u8::try_from((day - reported).num_days() / 365).unwrap_or(0)),
            ),
            persons: 1,
            comment: None,
        };
        let report_day = day + Duration::days(g.care.random_range(1..15));
        g.push(
            format!("{} for {victim}", service.label()),
            provider,
            report_day,
            vec![ReportEntry::new(Record::Assistance(record))],
        );
    }
}

fn risk_education(g: &mut Gen, year: i32, k: usize) {
    let province = g.province();
    let day = g.days_after(date(year, 1, 1), 0, 364);
    let operator = ORGANISATIONS[*g.pick(OPERATORS)].0;
    let mut counts = Vec::new();
    for sex in [Sex::Female, Sex::Male] {
        for band in AgeBand::HUMANITARIAN {
            let n = g.rng.random_range(0..40);
            if n > 0 {
                counts.push(BeneficiaryCount {
                    sex,
                    age_band: *band,
                    reach: AudienceReach::Direct,
                    count: n,
                });
            }
        }
    }
    if counts.is_empty() {
        counts.push(BeneficiaryCount {
            sex: Sex::Female,
            age_band: AgeBand::HUMANITARIAN[0],
            reach: AudienceReach::Direct,
            count: 12,
        });
    }
    let session = RiskEducationSession {
        local_id: format!("{}-RE-{year}-{k:03}", province.pcode),
        organisation: Some(operator.into()),
        donor: donor_for(operator, year),
        date: Some(day),
        admin_pcode: Some(province.pcode.clone()),
        location: Some(geo_types::Point::new(
            g.rng.random_range(province.lon.0..province.lon.1),
            g.rng.random_range(province.lat.0..province.lat.1),
        )),
        method: Default::default(),
        beneficiaries: Beneficiaries { counts },
    };
    g.push(
        format!("Risk education session {year}-{k:03}"),
        operator,
        day,
        vec![ReportEntry::new(Record::RiskEducation(session))],
    );
}
