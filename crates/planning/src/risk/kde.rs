//! The transparent baseline: a Gaussian kernel density of past events.
//!
//! The intensity at a point is Σ exp(−d²/2h²) / (2πh²) over past events within 3h (the
//! kernel beyond 3h is under 1.2 % of its peak and is dropped), in events per km².
//! Bandwidth: Silverman's rule for two dimensions, h = σ · n^(−1/6), with σ the root mean of
//! the events' variances east and north (metres) and n the number of events, bounded to
//! [cell size, 5 × cell size] so that it neither vanishes inside one cell nor smears a
//! country-wide spread over every cell. The model needs no fit beyond the events: its score
//! is the cell's density feature.

use super::{CellFeatures, RiskModel};
use crate::PlanningError;

/// Kernel bandwidth (metres) for these events (local metric frame) and cell size.
pub fn bandwidth_m(points: &[[f64; 2]], cell_m: f64) -> f64 {
    let n = points.len();
    if n < 2 {
        return cell_m;
    }
    let nf = n as f64;
    let mean = |i: usize| points.iter().map(|p| p[i]).sum::<f64>() / nf;
    let (mx, my) = (mean(0), mean(1));
    let var =
        |i: usize, m: f64| points.iter().map(|p| (p[i] - m).powi(2)).sum::<f64>() / (nf - 1.0);
    let sigma = ((var(0, mx) + var(1, my)) / 2.0).sqrt();
    (sigma * nf.powf(-1.0 / 6.0)).clamp(cell_m, 5.0 * cell_m)
}

/// Weight of an event at squared distance `d2` (m²) for bandwidth `h` (m): the Gaussian
/// kernel's exp(−d²/2h²), 0 beyond [`reach_m`].
pub fn kernel_weight(d2: f64, h: f64) -> f64 {
    if d2 > reach_m(h).powi(2) {
        0.0
    } else {
        (-d2 / (2.0 * h * h)).exp()
    }
}

/// Distance beyond which an event adds nothing (3h), metres.
pub fn reach_m(h: f64) -> f64 {
    3.0 * h
}

/// Events per km² from the sum of the events' kernel weights.
pub fn intensity_per_km2(weight_sum: f64, h: f64) -> f64 {
    weight_sum / (2.0 * std::f64::consts::PI * h * h) * 1e6
}

/// The kernel-density model: scores a cell by the density of past events there.
#[derive(Debug, Clone, Copy, Default)]
pub struct KernelDensity;

impl RiskModel for KernelDensity {
    fn name(&self) -> &'static str {
        "kde"
    }

    fn fit(&mut self, train: &[CellFeatures], labels: &[bool]) -> Result<(), PlanningError> {
        if train.len() != labels.len() {
            return Err(PlanningError::Parameter(format!(
                "{} training cells but {} labels",
                train.len(),
                labels.len()
            )));
        }
        Ok(())
    }

    fn score(&self, cells: &[CellFeatures]) -> Vec<f64> {
        cells.iter().map(|c| c.kde).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_peaks_on_the_events_and_integrates_to_their_count() {
        let h = 1000.0;
        let at = |x: f64, y: f64| intensity_per_km2(2.0 * kernel_weight(x * x + y * y, h), h);
        // Two events at the origin, h = 1 km: 2 / (2π) per km² there.
        assert!((at(0.0, 0.0) - 2.0 / (2.0 * std::f64::consts::PI)).abs() < 1e-9);
        assert!(at(1000.0, 0.0) < at(0.0, 0.0));
        assert_eq!(at(3100.0, 0.0), 0.0);
        // Sum over a 100 m lattice ≈ number of events (minus the 3h truncation).
        let mut total = 0.0;
        for i in -40..=40 {
            for j in -40..=40 {
                total += at(i as f64 * 100.0, j as f64 * 100.0) * 0.01;
            }
        }
        assert!((total - 2.0).abs() < 0.05, "{total}");
    }

    #[test]
    fn bandwidth_follows_silverman_within_bounds() {
        let pts: Vec<[f64; 2]> = (0..64)
            .map(|i| [(i % 8) as f64 * 1000.0, (i / 8) as f64 * 1000.0])
            .collect();
        let h = bandwidth_m(&pts, 1000.0);
        // σ of 0..7 km (8 of each, n − 1 = 63) ≈ 2.309 km; 64^(−1/6) = 0.5.
        assert!((h - 1154.7).abs() < 1.0, "{h}");
        assert_eq!(bandwidth_m(&pts, 100.0), 500.0);
        assert_eq!(bandwidth_m(&pts, 10_000.0), 10_000.0);
        assert_eq!(bandwidth_m(&pts[..1], 500.0), 500.0);
    }
}
