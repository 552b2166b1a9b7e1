//! The bad-fix filter: drops fixes that cannot be trusted, with a count per reason.

use serde::Serialize;

use crate::Fix;
use crate::segments::MAX_GAP_S;

/// Thresholds of [`clean`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CleanOptions {
    /// Fixes whose logged accuracy is worse than this (metres) are dropped. Default 5.
    pub max_accuracy_m: f64,
    /// A fix that implies a speed above this (m/s) from the last kept fix is dropped.
    /// Default 5 (18 km/h: faster than any demining machine works).
    pub max_speed_mps: f64,
}

impl Default for CleanOptions {
    fn default() -> Self {
        CleanOptions {
            max_accuracy_m: 5.0,
            max_speed_mps: 5.0,
        }
    }
}

/// How many fixes [`clean`] dropped, per reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DropCounts {
    /// At lon 0, lat 0: a receiver's "no position".
    pub zero_zero: usize,
    /// Latitude beyond ±90°, longitude beyond ±180° or not a number.
    pub out_of_range: usize,
    /// Earlier than the last kept fix.
    pub time_backwards: usize,
    /// Same time as the last kept fix.
    pub duplicate_time: usize,
    /// Logged accuracy worse than `max_accuracy_m` (or not a number).
    pub poor_accuracy: usize,
    /// Farther from the last kept fix than `max_speed_mps` allows.
    pub speed_jump: usize,
}

impl DropCounts {
    /// All dropped fixes.
    pub fn total(&self) -> usize {
        self.zero_zero
            + self.out_of_range
            + self.time_backwards
            + self.duplicate_time
            + self.poor_accuracy
            + self.speed_jump
    }
}

/// The kept fixes, in their original order, and what was dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleaned {
    /// Fixes kept.
    pub fixes: Vec<Fix>,
    /// Fixes dropped, per reason.
    pub dropped: DropCounts,
}

/// Haversine distance in metres (mean Earth radius): good to 0.5 % at any range, which is
/// ample for a speed test.
fn distance_m(a: &Fix, b: &Fix) -> f64 {
    const R: f64 = 6_371_008.8;
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// Drops bad fixes, testing each against the last kept one, in this order: at (0, 0), out
/// of range, poor accuracy, time going backwards, same time, speed jump. The speed test is
/// skipped when the last kept fix is more than 30 s older (a logging gap), so that one
/// wrong fix cannot reject a whole track.
pub fn clean(fixes: Vec<Fix>, opts: &CleanOptions) -> Cleaned {
    let mut dropped = DropCounts::default();
    let mut kept: Vec<Fix> = Vec::with_capacity(fixes.len());
    for f in fixes {
        if f.lon == 0.0 && f.lat == 0.0 {
            dropped.zero_zero += 1;
            continue;
        }
        if !(f.lat.is_finite() && f.lon.is_finite() && f.lat.abs() <= 90.0 && f.lon.abs() <= 180.0)
        {
            dropped.out_of_range += 1;
            continue;
        }
        if let Some(acc) = f.accuracy_m
            && (acc.is_nan() || acc > opts.max_accuracy_m)
        {
            dropped.poor_accuracy += 1;
            continue;
        }
        if let Some(last) = kept.last() {
            let dt = f.time - last.time;
            if dt < 0.0 || dt.is_nan() {
                dropped.time_backwards += 1;
                continue;
            }
            if dt == 0.0 {
                dropped.duplicate_time += 1;
                continue;
            }
            if dt <= MAX_GAP_S && distance_m(last, &f) / dt > opts.max_speed_mps {
                dropped.speed_jump += 1;
                continue;
            }
        }
        kept.push(f);
    }
    Cleaned {
        fixes: kept,
        dropped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(time: f64, lon: f64, lat: f64, acc: Option<f64>) -> Fix {
        Fix {
            time,
            lon,
            lat,
            heading: None,
            engaged: None,
            accuracy_m: acc,
            record: time as usize,
        }
    }

    #[test]
    fn counts_each_reason_and_keeps_order() {
        let d = 1e-5; // ~1.1 m of latitude
        let fixes = vec![
            fix(0.0, 10.0, 10.0, Some(1.0)),
            fix(1.0, 0.0, 0.0, None),             // zero_zero
            fix(2.0, 10.0, 95.0, None),           // out_of_range
            fix(3.0, 10.0, 10.0 + d, Some(9.0)),  // poor_accuracy
            fix(4.0, 10.0, 10.0 + d, None),       // kept
            fix(3.5, 10.0, 10.0 + d, None),       // time_backwards
            fix(4.0, 10.0, 10.0 + 2.0 * d, None), // duplicate_time
            fix(5.0, 10.0, 10.01, None),          // speed_jump (~1 km in 1 s)
            fix(6.0, 10.0, 10.0 + 2.0 * d, None), // kept
            fix(100.0, 10.0, 10.01, None),        // after a gap: kept
        ];
        let c = clean(fixes, &CleanOptions::default());
        assert_eq!(
            c.dropped,
            DropCounts {
                zero_zero: 1,
                out_of_range: 1,
                time_backwards: 1,
                duplicate_time: 1,
                poor_accuracy: 1,
                speed_jump: 1,
            }
        );
        assert_eq!(c.dropped.total(), 6);
        let times: Vec<f64> = c.fixes.iter().map(|f| f.time).collect();
        assert_eq!(times, vec![0.0, 4.0, 6.0, 100.0]);
    }
}
