//! Training figures of the region (issue 25): from each node's latest training summary (signed
//! counts without names, verified when the hub stored it), per country and for the region:
//!
//! * participants per year × competency × sex × age band, published with the reports'
//!   small-number suppression (the region's cells suppressed as totals of the countries'
//!   counts, as casualties are), and their total;
//! * certificates issued per year × competency, and certificates valid per competency on the
//!   summary's day (counts of certificates, not of people by sex or age: not suppressed);
//! * the summary's `generated_at` (null: the node sent none).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use safeground_federation::TrainingSummary;
use safeground_report::{Cell, ColumnKind, Table};
use safeground_store::HubTrainingStore;
use safeground_store::training::Competency;
use serde::Serialize;
use utoipa::ToSchema;

use crate::figures::{Figures, RegionalFigures};
use crate::report::{published, row, table};
use crate::suppress::{cell, total};
use crate::{Published, RegionError, SUPPRESS_BELOW};

/// A country's or the region's training figures.
#[derive(Debug, Clone, PartialEq, Default, Serialize, ToSchema)]
pub struct Training {
    /// When the node made the summary these figures come from (null: none received, and for
    /// the region, whose countries each give theirs).
    pub generated_at: Option<DateTime<Utc>>,
    /// Participants per year, competency, sex and age band (suppressed).
    pub participants: Vec<Participants>,
    /// All participants, suppressed as a total.
    pub participants_total: Published,
    /// Certificates issued per year and competency.
    pub certificates_issued: Vec<CertificatesIssued>,
    /// Certificates valid on the summary's day, per competency.
    pub valid_certificates: Vec<ValidCertificates>,
}

/// Participants of a year, competency, sex and age band.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Participants {
    /// Year of the session's start.
    pub year: i32,
    /// Competency code (`manual_deminer`, `eod_1`, …).
    #[schema(value_type = String)]
    #[serde(serialize_with = "code")]
    pub competency: Competency,
    /// Sex code (`female`, `male`, `unknown`).
    pub sex: String,
    /// Age band code (`under_25`, `25_34`, `35_44`, `45_54`, `55_plus`).
    pub age_band: String,
    /// Participants enrolled (suppressed).
    pub participants: Published,
}

/// Certificates issued in a year for a competency.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CertificatesIssued {
    /// Year of issue.
    pub year: i32,
    /// Competency code.
    #[schema(value_type = String)]
    #[serde(serialize_with = "code")]
    pub competency: Competency,
    /// Certificates issued.
    pub certificates: u64,
}

/// Certificates of a competency valid on the summary's day.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ValidCertificates {
    /// Competency code.
    #[schema(value_type = String)]
    #[serde(serialize_with = "code")]
    pub competency: Competency,
    /// Certificates valid (not expired, suspended nor withdrawn).
    pub count: u64,
}

/// A competency as its code (`eod_1`), as the register's API gives it.
fn code<S: serde::Serializer>(c: &Competency, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(c.code())
}

/// Participants of a (year, competency, sex, age band).
type ParticipantKey = (i32, Competency, String, String);

/// One country's raw training counts, before suppression.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TrainingTally {
    generated_at: Option<DateTime<Utc>>,
    participants: BTreeMap<ParticipantKey, u64>,
    issued: BTreeMap<(i32, Competency), u64>,
    valid: BTreeMap<Competency, u64>,
}

impl TrainingTally {
    /// The counts of a summary.
    fn of(s: &TrainingSummary) -> TrainingTally {
        let mut t = TrainingTally {
            generated_at: Some(s.generated_at),
            ..TrainingTally::default()
        };
        for r in &s.rows {
            let key = (
                r.year,
                r.competency,
                r.sex.code().to_owned(),
                r.age_band.clone(),
            );
            if r.participants > 0 {
                *t.participants.entry(key).or_default() += r.participants;
            }
            if r.certificates > 0 {
                *t.issued.entry((r.year, r.competency)).or_default() += r.certificates;
            }
        }
        for v in &s.valid_certificates {
            *t.valid.entry(v.competency).or_default() += v.count;
        }
        t
    }
}

/// The tally of `node`'s latest training summary (empty when it sent none).
pub(crate) fn tally<S: HubTrainingStore + ?Sized>(
    store: &S,
    node: &str,
) -> Result<TrainingTally, RegionError> {
    let Some(held) = store.training_summaries(Some(node))?.into_iter().next() else {
        return Ok(TrainingTally::default());
    };
    let s = TrainingSummary::received(&held.document).map_err(|e| RegionError::Training {
        node: node.to_owned(),
        message: e.to_string(),
    })?;
    Ok(TrainingTally::of(&s))
}

/// A country's figures.
pub(crate) fn country(t: &TrainingTally, threshold: u64) -> Training {
    let mut f = common(&[t]);
    f.generated_at = t.generated_at;
    f.participants = (t.participants.iter())
        .map(|(k, n)| participants(k, cell(threshold, *n)))
        .collect();
    let all: Vec<u64> = t.participants.values().copied().collect();
    f.participants_total = total(threshold, &all);
    f
}

/// The region's figures: each cell suppressed as a total of the countries' counts.
pub(crate) fn region(tallies: &[&TrainingTally], threshold: u64) -> Training {
    let mut f = common(tallies);
    let keys: BTreeSet<&ParticipantKey> =
        tallies.iter().flat_map(|t| t.participants.keys()).collect();
    f.participants = keys
        .into_iter()
        .map(|k| {
            let parts: Vec<u64> = (tallies.iter())
                .map(|t| t.participants.get(k).copied().unwrap_or(0))
                .collect();
            participants(k, total(threshold, &parts))
        })
        .collect();
    let all: Vec<u64> = (tallies.iter())
        .flat_map(|t| t.participants.values().copied())
        .collect();
    f.participants_total = total(threshold, &all);
    f
}

fn participants(k: &ParticipantKey, n: Published) -> Participants {
    Participants {
        year: k.0,
        competency: k.1,
        sex: k.2.clone(),
        age_band: k.3.clone(),
        participants: n,
    }
}

/// Certificates issued and valid, added up over `tallies`.
fn common(tallies: &[&TrainingTally]) -> Training {
    let mut issued: BTreeMap<(i32, Competency), u64> = BTreeMap::new();
    let mut valid: BTreeMap<Competency, u64> = BTreeMap::new();
    for t in tallies {
        for (k, n) in &t.issued {
            *issued.entry(*k).or_default() += n;
        }
        for (k, n) in &t.valid {
            *valid.entry(*k).or_default() += n;
        }
    }
    Training {
        certificates_issued: (issued.into_iter())
            .map(|((year, competency), certificates)| CertificatesIssued {
                year,
                competency,
                certificates,
            })
            .collect(),
        valid_certificates: (valid.into_iter())
            .map(|(competency, count)| ValidCertificates { competency, count })
            .collect(),
        ..Training::default()
    }
}

/// English label of an age band code.
fn band_label(code: &str) -> String {
    match code {
        "under_25" => "Under 25".to_owned(),
        "55_plus" => "55 and over".to_owned(),
        other => other.replace('_', "–"),
    }
}

/// The report's training tables: participants, certificates issued, certificates valid.
pub(crate) fn tables(f: &RegionalFigures, all: &[&Figures]) -> Vec<Table> {
    let dates: Vec<String> = (f.countries.iter())
        .map(|c| match c.figures.training.generated_at {
            Some(t) => format!("{} {}", c.node, t.format("%Y-%m-%d")),
            None => format!("{} none received", c.node),
        })
        .collect();
    let from = format!(
        "From each country's latest training summary (no names): {}.",
        dates.join("; ")
    );

    let mut p = table(
        "regional_training_participants",
        "Training participants by year, competency, sex and age band",
        "People enrolled in course sessions, by the year the session started.",
        &[
            ("year", "Year"),
            ("competency", "Competency"),
            ("sex", "Sex"),
            ("age_band", "Age band"),
        ],
        ColumnKind::Count,
        f,
    );
    let keys: BTreeSet<_> = (all.iter())
        .flat_map(|f| {
            (f.training.participants.iter()).map(|r| (r.year, r.competency, &r.sex, &r.age_band))
        })
        .collect();
    for (y, c, sex, band) in keys {
        let sex_label = sex
            .parse::<safeground_model::Sex>()
            .map_or_else(|_| sex.clone(), |s| s.label().to_owned());
        let k = [
            y.to_string(),
            c.label().to_owned(),
            sex_label,
            band_label(band),
        ];
        p.rows.push(row(&k, all, |f| {
            let r = (f.training.participants.iter())
                .find(|r| (r.year, r.competency, &r.sex, &r.age_band) == (y, c, sex, band));
            r.map_or(Cell::Count(0), |r| published(&r.participants))
        }));
    }
    let mut k = vec!["Total".to_owned()];
    k.resize(4, String::new());
    p.total = Some(row(&k, all, |f| published(&f.training.participants_total)));
    p.notes = vec![
        from.clone(),
        format!(
            "Counts from 1 to {} are published as \"<{SUPPRESS_BELOW}\"; \"x\" marks a total \
             withheld because it would give a suppressed count away (the region's cells are \
             totals of the countries' counts).",
            SUPPRESS_BELOW - 1
        ),
    ];

    let mut issued = table(
        "regional_training_certificates",
        "Certificates issued by year and competency",
        "Certificates issued, by the year of issue.",
        &[("year", "Year"), ("competency", "Competency")],
        ColumnKind::Count,
        f,
    );
    let keys: BTreeSet<_> = (all.iter())
        .flat_map(|f| (f.training.certificates_issued.iter()).map(|r| (r.year, r.competency)))
        .collect();
    for (y, c) in keys {
        issued
            .rows
            .push(row(&[y.to_string(), c.label().to_owned()], all, |f| {
                let r = (f.training.certificates_issued.iter())
                    .find(|r| (r.year, r.competency) == (y, c));
                Cell::Count(r.map_or(0, |r| r.certificates))
            }));
    }
    issued.total = Some(row(&["Total".to_owned(), String::new()], all, |f| {
        Cell::Count(
            f.training
                .certificates_issued
                .iter()
                .map(|r| r.certificates)
                .sum(),
        )
    }));
    issued.notes = vec![from.clone()];

    let mut valid = table(
        "regional_training_valid",
        "Valid certificates by competency",
        "Certificates not expired, suspended nor withdrawn on the day of each country's \
         summary.",
        &[("competency", "Competency")],
        ColumnKind::Count,
        f,
    );
    let keys: BTreeSet<Competency> = (all.iter())
        .flat_map(|f| f.training.valid_certificates.iter().map(|v| v.competency))
        .collect();
    for c in keys {
        valid.rows.push(row(&[c.label().to_owned()], all, |f| {
            let v = (f.training.valid_certificates.iter()).find(|v| v.competency == c);
            Cell::Count(v.map_or(0, |v| v.count))
        }));
    }
    valid.total = Some(row(&["Total".to_owned()], all, |f| {
        Cell::Count(f.training.valid_certificates.iter().map(|v| v.count).sum())
    }));
    valid.notes = vec![from];
    vec![p, issued, valid]
}

#[cfg(test)]
mod tests {
    use safeground_federation::NodeId;
    use safeground_federation::training_summary::{SummaryRow, ValidCertificates as Valid};
    use safeground_model::Sex;

    use super::*;

    fn summary(node: &str, rows: &[(Competency, Sex, i32, u64, u64)]) -> TrainingSummary {
        TrainingSummary {
            node: NodeId::new(node).expect("id"),
            generated_at: "2026-06-01T00:00:00Z".parse().expect("t"),
            rows: (rows.iter())
                .map(
                    |&(competency, sex, year, participants, certificates)| SummaryRow {
                        competency,
                        sex,
                        age_band: "25_34".into(),
                        year,
                        participants,
                        certificates,
                    },
                )
                .collect(),
            valid_certificates: vec![Valid {
                competency: Competency::Nts,
                count: 4,
            }],
        }
    }

    #[test]
    fn countries_are_suppressed_and_the_region_on_its_totals() {
        let khm = TrainingTally::of(&summary(
            "KHM",
            &[
                (Competency::Nts, Sex::Female, 2025, 3, 2),
                (Competency::Nts, Sex::Male, 2025, 6, 5),
                (Competency::Eod1, Sex::Male, 2026, 0, 1),
            ],
        ));
        let lao = TrainingTally::of(&summary(
            "LAO",
            &[
                (Competency::Nts, Sex::Female, 2025, 4, 4),
                (Competency::Nts, Sex::Male, 2025, 7, 0),
            ],
        ));
        let k = country(&khm, 5);
        assert_eq!(
            k.participants.len(),
            2,
            "a row without participants has no cell"
        );
        assert_eq!(k.participants[0].sex, "female");
        assert_eq!(
            k.participants[0].participants,
            Published::Suppressed("<5".into())
        );
        assert_eq!(k.participants[1].participants, Published::Count(6));
        // 3 + 6 = 9 would give the 3 away.
        assert_eq!(k.participants_total, Published::Suppressed("x".into()));
        assert_eq!(k.certificates_issued.len(), 2);
        assert_eq!(k.certificates_issued[1].certificates, 1);
        assert_eq!(k.generated_at, khm.generated_at);

        let r = region(&[&khm, &lao], 5);
        // Female 3 + 4 = 7: both parts suppressed, the two hidden could be 1 + 6, 2 + 5 …
        assert_eq!(r.participants[0].participants, Published::Count(7));
        // Male 6 + 7: both published.
        assert_eq!(r.participants[1].participants, Published::Count(13));
        assert_eq!(r.participants_total, Published::Count(20));
        assert_eq!(r.generated_at, None);
        let nts: u64 = (r.certificates_issued.iter())
            .filter(|c| c.competency == Competency::Nts)
            .map(|c| c.certificates)
            .sum();
        assert_eq!(nts, 11);
        assert_eq!(r.valid_certificates[0].count, 8);
        assert_eq!(country(&TrainingTally::default(), 5), Training::default());
    }

    #[test]
    fn the_report_has_three_training_tables_with_a_column_per_country() {
        use crate::figures::CountryFigures;
        let khm = TrainingTally::of(&summary(
            "KHM",
            &[
                (Competency::Nts, Sex::Female, 2025, 3, 2),
                (Competency::Nts, Sex::Male, 2025, 6, 5),
            ],
        ));
        let country_figures = |node: &str, t: &TrainingTally| CountryFigures {
            node: node.into(),
            name: node.into(),
            received_at: None,
            figures: Figures {
                training: country(t, 5),
                ..Figures::default()
            },
        };
        let f = RegionalFigures {
            generated_at: "2026-06-02T00:00:00Z".parse().expect("t"),
            suppress_below: 5,
            countries: vec![
                country_figures("KHM", &khm),
                country_figures("LAO", &TrainingTally::default()),
            ],
            region: Figures {
                training: region(&[&khm, &TrainingTally::default()], 5),
                ..Figures::default()
            },
        };
        let r = crate::regional_report(&f);
        let p = r
            .table("regional_training_participants")
            .expect("participants");
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.cell(0, "KHM"), Some(&Cell::Suppressed("<5".into())));
        assert_eq!(p.cell(1, "KHM"), Some(&Cell::Count(6)));
        assert_eq!(p.cell(1, "LAO"), Some(&Cell::Count(0)));
        assert_eq!(p.total_cell("KHM"), Some(&Cell::Suppressed("x".into())));
        assert!(
            p.notes[0].contains("KHM 2026-06-01; LAO none received"),
            "{:?}",
            p.notes
        );
        let issued = r.table("regional_training_certificates").expect("issued");
        assert_eq!(issued.total_cell("region"), Some(&Cell::Count(7)));
        let valid = r.table("regional_training_valid").expect("valid");
        assert_eq!(valid.cell(0, "KHM"), Some(&Cell::Count(4)));
        assert_eq!(valid.cell(0, "LAO"), Some(&Cell::Count(0)));
    }
}
