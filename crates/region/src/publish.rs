//! Raw tallies made public: areas rounded to 0.01 m², casualty counts suppressed; the region's
//! figures from the countries' raw tallies, its casualty cells suppressed as totals of the
//! countries' counts (so that a region cell never gives a country's small count away).

use std::collections::{BTreeMap, BTreeSet};

use safeground_planning::productivity::Distribution;

use crate::figures::{
    Beneficiaries, Casualties, CasualtyKey, EoDestroyed, Figures, Productivity, Released, Tally,
};
use crate::suppress::{cell, total};

/// Rounds to 0.01, without a negative zero.
pub(crate) fn round2(v: f64) -> f64 {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

/// The figures of one country.
pub(crate) fn country(t: &Tally, threshold: u64) -> Figures {
    let mut f = common(&[t]);
    f.casualties = t
        .casualties
        .iter()
        .map(|((year, sex, band), [k, i])| Casualties {
            year: *year,
            sex: sex.clone(),
            age_band: band.clone(),
            killed: cell(threshold, *k),
            injured: cell(threshold, *i),
        })
        .collect();
    let all: Vec<u64> = t.casualties.values().flatten().copied().collect();
    f.casualties_total = total(threshold, &all);
    f
}

/// The figures of the region: the sums of the countries' tallies.
pub(crate) fn region(tallies: &[&Tally], threshold: u64) -> Figures {
    let mut f = common(tallies);
    let keys: BTreeSet<&CasualtyKey> = tallies.iter().flat_map(|t| t.casualties.keys()).collect();
    let parts = |key: &CasualtyKey, i: usize| -> Vec<u64> {
        (tallies.iter())
            .map(|t| t.casualties.get(key).map_or(0, |c| c[i]))
            .collect()
    };
    f.casualties = keys
        .into_iter()
        .map(|key| Casualties {
            year: key.0,
            sex: key.1.clone(),
            age_band: key.2.clone(),
            killed: total(threshold, &parts(key, 0)),
            injured: total(threshold, &parts(key, 1)),
        })
        .collect();
    let all: Vec<u64> = (tallies.iter())
        .flat_map(|t| t.casualties.values().flatten().copied())
        .collect();
    f.casualties_total = total(threshold, &all);
    f
}

/// Everything but casualties, added up over `tallies`.
fn common(tallies: &[&Tally]) -> Figures {
    let mut released: BTreeMap<_, f64> = BTreeMap::new();
    let mut eo: BTreeMap<i32, u64> = BTreeMap::new();
    let mut re: BTreeMap<Option<i32>, [u64; 2]> = BTreeMap::new();
    let mut productivity: BTreeMap<_, (f64, u64)> = BTreeMap::new();
    let mut rates: BTreeMap<_, Vec<f64>> = BTreeMap::new();
    let mut f = Figures::default();
    for t in tallies {
        f.hazards_remaining += t.hazards_remaining;
        f.remaining_m2 += t.remaining_m2;
        for (k, v) in &t.released {
            *released.entry(*k).or_default() += v;
        }
        for (k, v) in &t.eo_destroyed {
            *eo.entry(*k).or_default() += v;
        }
        for (k, [d, i]) in &t.risk_education {
            let cell = re.entry(*k).or_default();
            cell[0] += d;
            cell[1] += i;
        }
        for (k, (m2, days)) in &t.productivity {
            let cell = productivity.entry(*k).or_default();
            cell.0 += m2;
            cell.1 += days;
        }
        for (k, v) in &t.rates {
            rates.entry(*k).or_default().extend(v);
        }
    }
    f.remaining_m2 = round2(f.remaining_m2);
    f.released = (released.into_iter())
        .map(|((year, method), m2)| Released {
            year,
            method,
            m2: round2(m2),
        })
        .collect();
    f.eo_destroyed = (eo.into_iter())
        .map(|(year, items)| EoDestroyed { year, items })
        .collect();
    f.risk_education = (re.into_iter())
        .map(|(year, [direct, indirect])| Beneficiaries {
            year,
            direct,
            indirect,
        })
        .collect();
    f.productivity = (productivity.into_iter())
        .filter(|(_, (_, days))| *days > 0)
        .map(|((method, asset_type), (m2, days))| {
            let d = rates
                .get(&(method, asset_type))
                .and_then(|v| Distribution::of(v));
            Productivity {
                method,
                asset_type,
                m2: round2(m2),
                days,
                m2_per_day: round2(m2 / days as f64),
                activities: d.map_or(0, |d| d.samples),
                q1: round2(d.map_or(0.0, |d| d.q1)),
                median: round2(d.map_or(0.0, |d| d.median)),
                q3: round2(d.map_or(0.0, |d| d.q3)),
            }
        })
        .collect();
    f
}

#[cfg(test)]
mod tests {
    use safeground_model::{AssetType, ReleaseMethod};

    use super::*;
    use crate::Published;

    fn key(year: i32) -> CasualtyKey {
        (Some(year), "male".into(), "18+".into())
    }

    #[test]
    fn the_region_adds_countries_up_and_suppresses_on_the_sums() {
        let mut khm = Tally {
            hazards_remaining: 2,
            remaining_m2: 1000.004,
            ..Tally::default()
        };
        khm.released
            .insert((Some(2024), ReleaseMethod::Cleared), 300.0);
        khm.productivity.insert(
            (ReleaseMethod::Cleared, Some(AssetType::Manual)),
            (300.0, 10),
        );
        khm.rates.insert(
            (ReleaseMethod::Cleared, Some(AssetType::Manual)),
            vec![10.0, 50.0],
        );
        khm.casualties.insert(key(2024), [3, 6]);
        let mut lao = Tally {
            hazards_remaining: 1,
            remaining_m2: 0.5,
            ..Tally::default()
        };
        lao.released
            .insert((Some(2024), ReleaseMethod::Cleared), 200.0);
        lao.released.insert((None, ReleaseMethod::Reduced), 50.0);
        lao.productivity.insert(
            (ReleaseMethod::Cleared, Some(AssetType::Manual)),
            (600.0, 5),
        );
        lao.rates.insert(
            (ReleaseMethod::Cleared, Some(AssetType::Manual)),
            vec![120.0],
        );
        lao.casualties.insert(key(2024), [7, 2]);

        let k = country(&khm, 5);
        assert_eq!(k.remaining_m2, 1000.0);
        assert_eq!(k.casualties[0].killed, Published::Suppressed("<5".into()));
        assert_eq!(k.casualties[0].injured, Published::Count(6));
        // 3 + 6: the 3 would follow from 9 − 6.
        assert_eq!(k.casualties_total, Published::Suppressed("x".into()));
        assert_eq!(k.productivity[0].m2_per_day, 30.0);

        let r = region(&[&khm, &lao], 5);
        assert_eq!((r.hazards_remaining, r.remaining_m2), (3, 1000.5));
        assert_eq!(r.released.len(), 2);
        assert_eq!((r.released[0].year, r.released[0].m2), (None, 50.0));
        assert_eq!((r.released[1].year, r.released[1].m2), (Some(2024), 500.0));
        // Killed 3 + 7 = 10 would give KHM's 3 away (10 − 7); injured 6 + 2 likewise.
        assert_eq!(r.casualties[0].killed, Published::Suppressed("x".into()));
        assert_eq!(r.casualties[0].injured, Published::Suppressed("x".into()));
        // 3, 6, 7, 2: two hidden parts (3 and 2) summing to 5 could be 1 + 4 or 2 + 3.
        assert_eq!(r.casualties_total, Published::Count(18));
        // Pooled: (300 + 600) m² over (10 + 5) days.
        assert_eq!(r.productivity[0].m2_per_day, 60.0);
        assert_eq!(r.productivity[0].days, 15);
        // Per activity: KHM's 10 and 50, LAO's 120 m² a day; quartiles of the three.
        assert_eq!(
            (k.productivity[0].activities, k.productivity[0].median),
            (2, 30.0)
        );
        let p = &r.productivity[0];
        assert_eq!((p.activities, p.q1, p.median, p.q3), (3, 30.0, 50.0, 85.0));
    }
}
