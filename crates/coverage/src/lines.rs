//! Engaged segments as simplified lines for display.

use geo_types::{Coord, LineString, MultiLineString};

use crate::Fix;
use crate::segments::{engaged_runs, project, simplify};
use crate::tm::Tm;

/// A simplified line of the engaged segments for display (WGS84), tolerance in metres.
pub fn engaged_lines(fixes: &[Fix], tolerance_m: f64) -> MultiLineString<f64> {
    let runs = engaged_runs(fixes);
    let Some(first) = runs.first().map(|r| &fixes[r.start]) else {
        return MultiLineString(Vec::new());
    };
    let tm = Tm::new(first.lon, first.lat);
    let tol = if tolerance_m.is_finite() {
        tolerance_m.max(0.0)
    } else {
        0.0
    };
    let lines = runs
        .into_iter()
        .filter_map(|r| {
            let line = simplify(&project(&tm, &fixes[r]), tol);
            (line.len() >= 2).then(|| {
                LineString(
                    line.iter()
                        .map(|p| {
                            let [x, y] = tm.inverse(p[0], p[1]);
                            Coord { x, y }
                        })
                        .collect(),
                )
            })
        })
        .collect();
    MultiLineString(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_straight_engaged_run_becomes_two_points() {
        let fixes: Vec<Fix> = (0..100)
            .map(|i| Fix {
                time: i as f64,
                lon: 105.0 + i as f64 * 1e-6,
                lat: 12.0,
                heading: None,
                engaged: Some(i < 60),
                accuracy_m: None,
                record: i + 1,
            })
            .collect();
        let ml = engaged_lines(&fixes, 0.05);
        assert_eq!(ml.0.len(), 1);
        assert_eq!(ml.0[0].0.len(), 2);
        assert!((ml.0[0].0[1].x - (105.0 + 59e-6)).abs() < 1e-9);
    }
}
