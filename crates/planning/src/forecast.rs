//! Completion forecast: Monte Carlo over the remaining area, the teams and their productivity.
//!
//! The remaining area is worked in priority order as one queue by the pooled capacity of the
//! teams (teams move to the next hazard when one is done). Time advances in 30-day periods;
//! in each period every team's output per working day is drawn at random from the observed
//! productivity of its asset type (the samples themselves, not a fitted curve), and a team
//! works `days_per_year / 365` of the calendar days. A run ends when the queue is empty; the
//! day an admin area's last hazard is done is its completion date. P50 and P90 are the
//! nearest-rank 50th and 90th percentiles over the runs. A fixed seed gives the same draws,
//! so the same figures, on every machine (ChaCha8 stream).
//!
//! The capacity needed for the deadline is the smallest multiple of today's capacity whose
//! P90 is on or before it, found by bisection with the same draws (so it is monotone).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::PlanningError;

/// Length of a simulated period, days.
const PERIOD_DAYS: f64 = 30.0;
/// A run not finished after this many years counts as "not within the horizon".
pub const HORIZON_YEARS: u32 = 100;

/// Remaining work on one hazard, in priority order.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    /// Admin area the hazard is in (its key in the result), or None.
    pub admin: Option<String>,
    /// Remaining area, m².
    pub remaining_m2: f64,
}

/// A team's capacity.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TeamCapacity {
    /// Team (local id).
    pub team: String,
    /// Which productivity samples apply (an asset type code).
    pub rate: String,
    /// Working days per year.
    pub days_per_year: f64,
}

/// What a forecast needs.
#[derive(Debug, Clone)]
pub struct ForecastInput<'a> {
    /// Remaining work, in priority order.
    pub work: &'a [Work],
    /// The teams.
    pub teams: &'a [TeamCapacity],
    /// Productivity samples (m² per working day) by rate key.
    pub rates: &'a BTreeMap<String, Vec<f64>>,
    /// First day of the forecast.
    pub start: NaiveDate,
    /// The Article 5 deadline.
    pub deadline: Option<NaiveDate>,
    /// Number of runs (≥ 1).
    pub runs: u32,
    /// Seed of the random draws.
    pub seed: u64,
}

/// When an area (or the country) is done.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Outcome {
    /// Admin area P-code ("" for work without one); None for the whole country.
    pub admin: Option<String>,
    /// Remaining area, m².
    pub remaining_m2: f64,
    /// Half the runs finish on or before this day (None: beyond the horizon).
    pub p50: Option<NaiveDate>,
    /// Nine runs in ten finish on or before this day.
    pub p90: Option<NaiveDate>,
    /// Share of runs finishing on or before the deadline.
    pub chance_by_deadline: Option<f64>,
}

/// The capacity the deadline needs.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Needed {
    /// Multiple of today's capacity (1.0 = as today).
    pub factor: f64,
    /// Teams like today's, rounded up.
    pub teams: usize,
    /// P90 completion with that capacity.
    pub p90: Option<NaiveDate>,
}

/// A completion forecast.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Forecast {
    /// Runs.
    pub runs: u32,
    /// Seed.
    pub seed: u64,
    /// First day.
    pub start: NaiveDate,
    /// The deadline it is measured against.
    pub deadline: Option<NaiveDate>,
    /// Teams counted.
    pub teams: Vec<TeamCapacity>,
    /// The country.
    pub country: Outcome,
    /// Each admin area, by P-code.
    pub admin_areas: Vec<Outcome>,
    /// Runs finishing in each year (the chart), beyond-horizon runs left out: [year, runs].
    #[schema(value_type = Vec<Vec<i64>>)]
    pub by_year: Vec<(i32, u32)>,
    /// The capacity needed for P90 by the deadline (None without a deadline, or when even
    /// 64× today's capacity is not enough).
    pub needed: Option<Needed>,
}

/// Day offsets of each run's completion: [country, area 0, area 1, ...] per run.
struct Runs {
    areas: Vec<String>,
    finish: Vec<Vec<Option<f64>>>,
}

fn check(input: &ForecastInput<'_>) -> Result<(), PlanningError> {
    if input.runs == 0 || input.runs > 20_000 {
        return Err(PlanningError::Parameter(format!(
            "runs must be 1 to 20000, not {}",
            input.runs
        )));
    }
    if input.teams.is_empty() {
        return Err(PlanningError::NotEnoughData(
            "no team to do the work; record teams with assets first".into(),
        ));
    }
    for t in input.teams {
        if !(t.days_per_year.is_finite() && t.days_per_year > 0.0 && t.days_per_year <= 366.0) {
            return Err(PlanningError::Parameter(format!(
                "team {}: working days per year must be 1 to 366, not {}",
                t.team, t.days_per_year
            )));
        }
        match input.rates.get(&t.rate) {
            Some(v) if !v.is_empty() && v.iter().all(|r| r.is_finite() && *r >= 0.0) => {}
            _ => {
                return Err(PlanningError::NotEnoughData(format!(
                    "team {}: no approved activity gives the productivity of `{}`; approve \
                     completed activities with dates and released land by that asset, or leave \
                     the team out",
                    t.team, t.rate
                )));
            }
        }
    }
    if let Some(w) = input
        .work
        .iter()
        .find(|w| !(w.remaining_m2.is_finite() && w.remaining_m2 >= 0.0))
    {
        return Err(PlanningError::Parameter(format!(
            "remaining area {} m² is not a number ≥ 0",
            w.remaining_m2
        )));
    }
    Ok(())
}

fn simulate(input: &ForecastInput<'_>, factor: f64) -> Runs {
    let mut areas: Vec<String> = input
        .work
        .iter()
        .map(|w| w.admin.clone().unwrap_or_default())
        .collect();
    areas.sort();
    areas.dedup();
    let area_of: Vec<usize> = input
        .work
        .iter()
        .map(|w| {
            let key = w.admin.clone().unwrap_or_default();
            areas.binary_search(&key).unwrap_or(0)
        })
        .collect();
    // Last queue position of each area.
    let mut last = vec![0usize; areas.len()];
    for (i, a) in area_of.iter().enumerate() {
        last[*a] = i;
    }
    let samples: Vec<&[f64]> = input
        .teams
        .iter()
        .map(|t| input.rates.get(&t.rate).map(Vec::as_slice).unwrap_or(&[]))
        .collect();
    let share: Vec<f64> = input
        .teams
        .iter()
        .map(|t| t.days_per_year / 365.0)
        .collect();
    let horizon = f64::from(HORIZON_YEARS) * 365.25;
    let mut rng = ChaCha8Rng::seed_from_u64(input.seed);
    let mut finish = Vec::with_capacity(input.runs as usize);
    for _ in 0..input.runs {
        let mut done: Vec<Option<f64>> = vec![None; areas.len() + 1];
        let mut next = 0usize;
        let mut left = input.work.first().map_or(0.0, |w| w.remaining_m2);
        let mut t = 0.0;
        // Skip empty work at the front (and note areas done at day 0).
        let finish_item = |i: usize, at: f64, done: &mut Vec<Option<f64>>| {
            let a = area_of[i];
            if last[a] == i {
                done[a + 1] = Some(at);
            }
        };
        while next < input.work.len() && t < horizon {
            // Capacity of this period, m² per calendar day.
            let per_day: f64 = samples
                .iter()
                .zip(&share)
                .map(|(s, share)| s[rng.random_range(0..s.len())] * share)
                .sum::<f64>()
                * factor;
            let mut budget = per_day * PERIOD_DAYS;
            let mut used_days = 0.0;
            while next < input.work.len() {
                if left <= budget {
                    budget -= left;
                    if per_day > 0.0 {
                        used_days += left / per_day;
                    }
                    finish_item(next, t + used_days, &mut done);
                    next += 1;
                    left = input.work.get(next).map_or(0.0, |w| w.remaining_m2);
                } else {
                    left -= budget;
                    break;
                }
            }
            if next == input.work.len() {
                done[0] = Some(t + used_days);
            }
            t += PERIOD_DAYS;
        }
        if input.work.is_empty() {
            done[0] = Some(0.0);
        }
        finish.push(done);
    }
    Runs { areas, finish }
}

/// The day `offset` days after `start`, counted as whole days (work finished during a day
/// is done that day).
fn day(start: NaiveDate, offset: f64) -> NaiveDate {
    let whole = (offset - 1e-9).ceil().max(0.0) as i64;
    start
        .checked_add_signed(Duration::days(whole))
        .unwrap_or(NaiveDate::MAX)
}

fn percentile(sorted: &[Option<f64>], p: f64) -> Option<f64> {
    // Nearest rank; None (beyond horizon) sorts last.
    let n = sorted.len();
    let k = ((p * n as f64).ceil() as usize).clamp(1, n);
    sorted[k - 1]
}

fn outcome(
    runs: &Runs,
    column: usize,
    admin: Option<String>,
    remaining_m2: f64,
    input: &ForecastInput<'_>,
) -> Outcome {
    let mut v: Vec<Option<f64>> = runs.finish.iter().map(|r| r[column]).collect();
    v.sort_by(|a, b| match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let chance_by_deadline = input.deadline.map(|d| {
        let n = v
            .iter()
            .filter(|x| x.is_some_and(|x| day(input.start, x) <= d))
            .count();
        n as f64 / v.len() as f64
    });
    Outcome {
        admin,
        remaining_m2,
        p50: percentile(&v, 0.5).map(|x| day(input.start, x)),
        p90: percentile(&v, 0.9).map(|x| day(input.start, x)),
        chance_by_deadline,
    }
}

fn country_p90(input: &ForecastInput<'_>, factor: f64) -> Option<NaiveDate> {
    let runs = simulate(input, factor);
    let total = input.work.iter().map(|w| w.remaining_m2).sum();
    outcome(&runs, 0, None, total, input).p90
}

/// Runs the forecast.
pub fn forecast(input: &ForecastInput<'_>) -> Result<Forecast, PlanningError> {
    check(input)?;
    let runs = simulate(input, 1.0);
    let total: f64 = input.work.iter().map(|w| w.remaining_m2).sum();
    let country = outcome(&runs, 0, None, total, input);
    let admin_areas = runs
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let m2 = input
                .work
                .iter()
                .filter(|w| w.admin.as_deref().unwrap_or_default() == a)
                .map(|w| w.remaining_m2)
                .sum();
            outcome(&runs, i + 1, Some(a.clone()), m2, input)
        })
        .collect();
    let mut years: BTreeMap<i32, u32> = BTreeMap::new();
    for r in &runs.finish {
        if let Some(x) = r[0] {
            *years.entry(day(input.start, x).year()).or_default() += 1;
        }
    }
    let needed = input.deadline.and_then(|deadline| {
        let meets = |f: f64| country_p90(input, f).is_some_and(|d| d <= deadline);
        let (mut lo, mut hi) = (0.01_f64, 64.0_f64);
        if !meets(hi) {
            return None;
        }
        if meets(lo) {
            hi = lo;
        }
        // Bisection on a log scale to 0.5 % of the factor.
        while hi / lo > 1.005 {
            let mid = (lo * hi).sqrt();
            if meets(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        let factor = (hi * 100.0).ceil() / 100.0;
        Some(Needed {
            factor,
            teams: (factor * input.teams.len() as f64 - 1e-9).ceil() as usize,
            p90: country_p90(input, factor),
        })
    });
    Ok(Forecast {
        runs: input.runs,
        seed: input.seed,
        start: input.start,
        deadline: input.deadline,
        teams: input.teams.to_vec(),
        country,
        admin_areas,
        by_year: years.into_iter().collect(),
        needed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn team(name: &str, rate: &str, days: f64) -> TeamCapacity {
        TeamCapacity {
            team: name.into(),
            rate: rate.into(),
            days_per_year: days,
        }
    }

    fn work(admin: &str, m2: f64) -> Work {
        Work {
            admin: Some(admin.into()),
            remaining_m2: m2,
        }
    }

    #[test]
    fn constant_productivity_gives_one_known_date() {
        // One team, 100 m² a day, every day of the year: 36,500 m² take exactly 365 days,
        // the first area's 7,300 m² 73 days.
        let rates = BTreeMap::from([("manual".to_owned(), vec![100.0, 100.0])]);
        let teams = [team("T1", "manual", 365.0)];
        let w = [work("KH01", 7_300.0), work("KH02", 29_200.0)];
        let input = ForecastInput {
            work: &w,
            teams: &teams,
            rates: &rates,
            start: d("2026-01-01"),
            deadline: Some(d("2026-07-01")),
            runs: 200,
            seed: 7,
        };
        let f = forecast(&input).expect("forecast");
        assert_eq!(f.country.p50, Some(d("2027-01-01")));
        assert_eq!(f.country.p90, f.country.p50);
        assert_eq!(f.admin_areas[0].p50, Some(d("2026-03-15")));
        assert_eq!(f.admin_areas[0].chance_by_deadline, Some(1.0));
        assert_eq!(f.country.chance_by_deadline, Some(0.0));
        assert_eq!(f.by_year, [(2027, 200)]);
        // 181 days to the deadline for 365 days of work: just over twice the capacity.
        let n = f.needed.expect("needed");
        assert!((2.0..2.1).contains(&n.factor), "{}", n.factor);
        assert_eq!(n.teams, 3);
        assert!(n.p90.is_some_and(|p| p <= d("2026-07-01")));
    }

    #[test]
    fn half_the_working_days_take_twice_as_long() {
        let rates = BTreeMap::from([("dog".to_owned(), vec![200.0])]);
        let teams = [team("T1", "dog", 182.5)];
        let w = [work("A", 36_500.0)];
        let input = ForecastInput {
            work: &w,
            teams: &teams,
            rates: &rates,
            start: d("2026-01-01"),
            deadline: None,
            runs: 10,
            seed: 1,
        };
        let f = forecast(&input).expect("forecast");
        assert_eq!(f.country.p50, Some(d("2027-01-01")));
        assert!(f.needed.is_none());
    }

    #[test]
    fn a_fixed_seed_reproduces_and_spread_orders_p50_before_p90() {
        let rates = BTreeMap::from([("manual".to_owned(), vec![20.0, 50.0, 80.0, 150.0, 400.0])]);
        let teams = [team("T1", "manual", 240.0), team("T2", "manual", 240.0)];
        let w: Vec<Work> = (0..40).map(|i| work(["A", "B"][i % 2], 5_000.0)).collect();
        let input = ForecastInput {
            work: &w,
            teams: &teams,
            rates: &rates,
            start: d("2026-01-01"),
            deadline: Some(d("2028-12-31")),
            runs: 500,
            seed: 42,
        };
        let a = forecast(&input).expect("forecast");
        let b = forecast(&input).expect("forecast");
        assert_eq!(a, b);
        assert!(a.country.p50 < a.country.p90, "{:?}", a.country);
        assert_eq!(a.by_year.iter().map(|(_, n)| n).sum::<u32>(), 500);
    }

    #[test]
    fn missing_productivity_and_no_team_are_refused_with_what_to_do() {
        let rates = BTreeMap::from([("manual".to_owned(), vec![100.0])]);
        let teams = [team("T9", "machine", 200.0)];
        let w = [work("A", 1_000.0)];
        let input = ForecastInput {
            work: &w,
            teams: &teams,
            rates: &rates,
            start: d("2026-01-01"),
            deadline: None,
            runs: 10,
            seed: 1,
        };
        let e = forecast(&input)
            .expect_err("no machine productivity")
            .to_string();
        assert!(e.contains("team T9") && e.contains("`machine`"), "{e}");
        let e = forecast(&ForecastInput {
            teams: &[],
            ..input.clone()
        })
        .expect_err("no team");
        assert!(e.to_string().contains("no team"));
        let e = forecast(&ForecastInput { runs: 0, ..input }).expect_err("no runs");
        assert!(e.to_string().contains("runs"));
    }

    #[test]
    fn work_beyond_the_horizon_has_no_date() {
        let rates = BTreeMap::from([("manual".to_owned(), vec![0.001])]);
        let teams = [team("T1", "manual", 200.0)];
        let w = [work("A", 1e9)];
        let input = ForecastInput {
            work: &w,
            teams: &teams,
            rates: &rates,
            start: d("2026-01-01"),
            deadline: Some(d("2030-01-01")),
            runs: 3,
            seed: 1,
        };
        let f = forecast(&input).expect("forecast");
        assert_eq!(f.country.p50, None);
        assert_eq!(f.country.chance_by_deadline, Some(0.0));
        assert!(f.needed.is_none());
    }
}
