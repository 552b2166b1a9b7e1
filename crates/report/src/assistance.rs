//! Victim-assistance services delivered (reference §2.8), by service, sex and age group, with
//! the casualty tables' small-number suppression.

use std::collections::BTreeMap;

use safeground_model::{AgeBand, AssistanceType, Sex};

use crate::i18n;
use crate::people::{count, suppression_note, text};
use crate::snapshot::Snapshot;
use crate::suppress::Suppression;
use crate::table::{Cell, Table};
use crate::{Language, ReportParams};

/// Persons reached by one service: [female, male, sex unknown] and [children, adults, age
/// unknown], plus the number of service records.
#[derive(Default, Clone, Copy)]
struct Reached {
    services: u64,
    sex: [u64; 3],
    age: [u64; 3],
}

/// A persons cell whose parts are given in two partitions (by sex and by age group): withheld
/// when either partition would reveal a suppressed part.
fn persons(s: &Suppression, by_sex: &[u64], by_age: &[u64]) -> Cell {
    match (s.total(by_sex), s.total(by_age)) {
        (Cell::Count(n), Cell::Count(_)) => Cell::Count(n),
        (Cell::Count(_), hidden) | (hidden, _) => hidden,
    }
}

/// [victim_assistance]: services and persons assisted by service, sex and age group.
pub(crate) fn victim_assistance(snap: &Snapshot, p: &ReportParams) -> Table {
    let l = p.language;
    let mut t = Table::new(
        "victim_assistance",
        l.pick(
            "Victim assistance services delivered",
            "សេវាជួយជនរងគ្រោះដែលបានផ្ដល់",
        ),
        vec![
            text("service", l, "Service", "សេវា"),
            count("services", l, "Services delivered", "សេវាដែលបានផ្ដល់"),
            count("persons", l, "Persons assisted", "ចំនួនអ្នកដែលបានទទួលជំនួយ"),
            count("female", l, "Female", "ស្រី"),
            count("male", l, "Male", "ប្រុស"),
            count("sex_unknown", l, "Sex unknown", "មិនដឹងភេទ"),
            count("children", l, "Children (under 18)", "កុមារ (ក្រោម ១៨ ឆ្នាំ)"),
            count("adults", l, "Adults", "មនុស្សពេញវ័យ"),
            count("age_unknown", l, "Age unknown", "មិនដឹងអាយុ"),
        ],
    );
    let mut rows: BTreeMap<AssistanceType, Reached> = BTreeMap::new();
    for a in &snap.services {
        let r = rows.entry(a.service).or_default();
        let n = u64::from(a.persons);
        r.services += 1;
        r.sex[match a.sex {
            Sex::Female => 0,
            Sex::Male => 1,
            Sex::Unknown => 2,
        }] += n;
        r.age[match a.age {
            Some(age) if age < 18 => 0,
            Some(_) => 1,
            None => 2,
        }] += n;
    }
    let s = Suppression {
        threshold: p.suppression_threshold,
    };
    let mut columns: [Vec<u64>; 7] = Default::default();
    let mut services = 0;
    for (service, r) in &rows {
        services += r.services;
        let mut row = vec![
            Cell::Text(i18n::assistance(l, *service)),
            Cell::Count(r.services),
            persons(&s, &r.sex, &r.age),
        ];
        for (k, v) in r.sex.iter().chain(&r.age).enumerate() {
            columns[k].push(*v);
            row.push(s.cell(*v));
        }
        t.rows.push(row);
    }
    let all: Vec<u64> = columns[..3].iter().flatten().copied().collect();
    let all_by_age: Vec<u64> = columns[3..6].iter().flatten().copied().collect();
    let mut total = vec![
        Cell::Text(i18n::total(l)),
        Cell::Count(services),
        persons(&s, &all, &all_by_age),
    ];
    total.extend(columns[..6].iter().map(|c| s.total(c)));
    t.total = Some(total);
    t.notes = vec![match l {
        Language::En => format!(
            "Services dated in the period, in the selected admin area (where the person lives), \
             delivered by the selected organisation and funded by the selected donor. A person \
             who received several services is counted once per service; {} is an adult, under \
             18 a child, at the date of the service.",
            AgeBand::Adult.label()
        ),
        Language::Km => "សេវាដែលមានកាលបរិច្ឆេទក្នុងរយៈពេលនេះ ក្នុងតំបន់រដ្ឋបាលដែលបានជ្រើសរើស (ទីលំនៅរបស់បុគ្គល) \
             ផ្ដល់ដោយអង្គការ និងឧបត្ថម្ភដោយម្ចាស់ជំនួយដែលបានជ្រើសរើស។ បុគ្គលដែលបានទទួលសេវាច្រើន \
             ត្រូវបានរាប់ម្ដងក្នុងមួយសេវា។ កុមារ៖ អាយុក្រោម ១៨ ឆ្នាំនៅកាលបរិច្ឆេទនៃសេវា។"
            .to_owned(),
    }];
    if let Some(threshold) = p.suppression_threshold {
        t.notes.push(suppression_note(l, threshold));
    }
    t
}
